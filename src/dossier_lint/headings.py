"""Find headings in plain text by their numbering, as many documents carry no heading styles.

Recognised (full-width and half-width alike): 第一章 / 第一节 / 第一部分, 一、, （一）, 1. / 1、, 1.1, 1.1.1,
（1）. Levels are ranked by the order in which numbering styles first appear in a document, the way a
reader infers them: a report that opens with 第一章 and then uses 一、 has 一、 at level 2.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_CN_NUM = "一二三四五六七八九十百零〇两"

# (style key, pattern). Order matters: more specific first. Text is NFKC-normalised before matching,
# so full-width digits, dots and brackets arrive half-width.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("chapter", re.compile(rf"^(第[{_CN_NUM}\d]+章)\s*(.*)$")),
    ("part", re.compile(rf"^(第[{_CN_NUM}\d]+部分)\s*(.*)$")),
    ("section", re.compile(rf"^(第[{_CN_NUM}\d]+节)\s*(.*)$")),
    ("cn", re.compile(rf"^([{_CN_NUM}]+)\s*[、.．]\s*(.+)$")),
    ("paren-cn", re.compile(rf"^(\([{_CN_NUM}]+\))\s*[、.]?\s*(.+)$")),
    ("dec4", re.compile(r"^(\d{1,2}\.\d{1,2}\.\d{1,2}\.\d{1,2})\.?\s*([^\d.].*)$")),
    ("dec3", re.compile(r"^(\d{1,2}\.\d{1,2}\.\d{1,2})\.?\s*([^\d.].*)$")),
    ("dec2", re.compile(r"^(\d{1,2}\.\d{1,2})\.?\s*([^\d.%].*)$")),
    ("dec1", re.compile(r"^(\d{1,2})\s*[.、]\s*([^\d.].*)$")),
    ("paren-dec", re.compile(r"^(\(\d{1,2}\))\s*[、.]?\s*(.+)$")),
]

# Fixed nesting among decimal styles: 1.1 is always inside 1., whatever appears first.
_DECIMAL = {"dec1": 1, "dec2": 2, "dec3": 3, "dec4": 4}

_TOC_LINE = re.compile(r"(\.{3,}|…{2,}|·{3,}|-{4,})\s*\d+\s*$|\s\d{1,3}$")
_SENTENCE_END = ("。", "；", ";", "，", ",", "：", ":")
MAX_HEADING_CHARS = 40


@dataclass(frozen=True, slots=True)
class Numbered:
    style: str
    number: str
    title: str


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def match_numbering(text: str) -> Numbered | None:
    """The numbering at the start of `text`, if it looks like a heading line (short, no full stop)."""
    t = normalise(text)
    if not t or len(t) > MAX_HEADING_CHARS + 12:
        return None
    for style, pat in _PATTERNS:
        m = pat.match(t)
        if m:
            title = m.group(2).strip()
            if style in ("chapter", "part", "section"):
                # "第一章 总则" or a bare "第一章"
                if len(title) > MAX_HEADING_CHARS or title.endswith(_SENTENCE_END):
                    return None
                return Numbered(style, m.group(1), title)
            if not title or len(title) > MAX_HEADING_CHARS or title.endswith(_SENTENCE_END):
                return None
            if "。" in title:
                return None
            return Numbered(style, m.group(1), title)
    return None


def is_toc_line(text: str) -> bool:
    """A table-of-contents entry ("第一章 总论 ........ 3") names a chapter without being one."""
    t = normalise(text)
    return bool(_TOC_LINE.search(t)) and match_numbering(_TOC_LINE.sub("", t).strip()) is not None


class LevelRanker:
    """Assigns levels to numbering styles in order of first appearance within one document.

    `base` offsets the levels (e.g. below the deepest Word-styled heading level in use).
    """

    def __init__(self, base: int = 0) -> None:
        self.base = base
        self.order: list[str] = []

    def level(self, style: str) -> int:
        if style in _DECIMAL:
            # Decimal styles nest among themselves; rank the family by the first one seen.
            family_rank = self._rank("decimal")
            return self.base + family_rank + _DECIMAL[style] - 1
        return self.base + self._rank(style)

    def _rank(self, key: str) -> int:
        if key not in self.order:
            self.order.append(key)
        # A family ranked later sits below everything ranked earlier; decimal families take
        # up to 4 levels, so leave room after them.
        level = 1
        for k in self.order:
            if k == key:
                return level
            level += 4 if k == "decimal" else 1
        return level


def strip_numbering(text: str) -> str:
    n = match_numbering(text)
    return n.title if n else normalise(text)
