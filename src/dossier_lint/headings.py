"""Find headings in plain text by their numbering, as many documents carry no heading styles.

Recognised (full-width and half-width alike): 第一章 / 第一节 / 第一部分 / 第一篇 / 第一条 (short), 一、, （一）, 1. / 1、,
1.1, 1.1.1, 1.1.1.1, （1）, 1）, ①. Levels are ranked by the order in which numbering styles first
appear in a document, the way a reader infers them: a report that opens with 第一章 and then uses 一、
has 一、 at level 2. Decimal numbers nest among themselves (1.1 is always inside 1.).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_CN_NUM = "一二三四五六七八九十百零〇两"

# A decimal number followed by one of these is a quantity ("1.5亿元", "3.5%"), not a heading. Only
# units that never start a section title: 年/日/分/人/台 do ("1.1 年度目标", "1.2 日志审计", "1.3 分析").
_UNIT_AFTER = set("亿万千元倍吨米辆张份页寸户兆%‰℃")

# (style key, pattern). Order matters: more specific first. Text is NFKC-normalised before matching,
# so full-width digits, dots and brackets arrive half-width.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("chapter", re.compile(rf"^(第[{_CN_NUM}\d]+章)\s*(.*)$")),
    ("part", re.compile(rf"^(第[{_CN_NUM}\d]+(?:部分|篇))\s*(.*)$")),
    ("section", re.compile(rf"^(第[{_CN_NUM}\d]+节)\s*(.*)$")),
    ("article", re.compile(rf"^(第[{_CN_NUM}\d]+条)\s+(.{{1,20}})$")),  # contracts, rules: "第三条 合同金额"
    ("cn", re.compile(rf"^([{_CN_NUM}]+)\s*[、.]\s*(.+)$")),
    ("paren-cn", re.compile(rf"^(\([{_CN_NUM}]+\))\s*[、.]?\s*(.+)$")),
    ("dec4", re.compile(r"^(\d{1,2}\.\d{1,2}\.\d{1,2}\.\d{1,2})\.?\s*([^\d.].*)$")),
    ("dec3", re.compile(r"^(\d{1,2}\.\d{1,2}\.\d{1,2})\.?\s*([^\d.].*)$")),
    ("dec2", re.compile(r"^(\d{1,2}\.\d{1,2})\.?\s*([^\d.%].*)$")),
    ("dec1", re.compile(r"^(\d{1,2})\s*[.、]\s*([^\d.].*)$")),
    ("paren-dec", re.compile(r"^(\(\d{1,2}\))\s*[、.]?\s*(.+)$")),
    ("dec-paren", re.compile(r"^(\d{1,2}\))\s*(.+)$")),
]
_CIRCLED = re.compile(r"^([\u2460-\u2473])\s*(.+)$")  # ①..⑳, matched before NFKC turns them into digits

# Fixed nesting among decimal styles: 1.1 is always inside 1., whatever appears first.
_DECIMAL = {"dec1": 1, "dec2": 2, "dec3": 3, "dec4": 4}

# "第一章 总论 ........ 3", "1.1 背景…………5", "一、概况 3"
_LEADER_PAGE = re.compile(r"(\.{3,}|…+|·{3,}|-{4,}|_{4,})\s*\d+\s*$")
_TRAILING_PAGE = re.compile(r"\s\d{1,3}$")
_SENTENCE_END = ("。", "；", ";", "，", ",", "：", ":", "！", "？", "!", "?")
MAX_HEADING_CHARS = 40


@dataclass(frozen=True, slots=True)
class Numbered:
    style: str
    number: str  # as written in the source (full-width kept), e.g. "（一）", "１．１"
    title: str  # NFKC-normalised title without the numbering


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


# Every numbering starts with one of these (before NFKC): a cheap filter for long body paragraphs.
_FIRST = set(_CN_NUM + "第(（" + "0123456789" + "０１２３４５６７８９") | {chr(c) for c in range(0x2460, 0x2474)}


def match_numbering(text: str) -> Numbered | None:
    """The numbering at the start of `text`, if it looks like a heading line (short, no full stop)."""
    raw = text.strip()
    if not raw or raw[0] not in _FIRST or len(raw) > MAX_HEADING_CHARS + 16:
        return None
    m = _CIRCLED.match(raw)
    if m:
        title = normalise(m.group(2))
        return Numbered("circled", m.group(1), title) if _title_ok(title) else None
    t = normalise(raw)
    if not t or len(t) > MAX_HEADING_CHARS + 12:
        return None
    for style, pat in _PATTERNS:
        m = pat.match(t)
        if not m:
            continue
        title = m.group(2).strip()
        if style in ("chapter", "part", "section"):
            # "第一章 总则" or a bare "第一章"
            if len(title) > MAX_HEADING_CHARS or title.endswith(_SENTENCE_END):
                return None
        else:
            if not _title_ok(title):
                return None
            if style in _DECIMAL and title[0] in _UNIT_AFTER:
                return None
        return Numbered(style, _as_written(raw, m.group(1)), title)
    return None


def _title_ok(title: str) -> bool:
    return bool(title) and len(title) <= MAX_HEADING_CHARS and not title.endswith(_SENTENCE_END) and "。" not in title


def _as_written(raw: str, number: str) -> str:
    """The prefix of `raw` that NFKC-normalises to `number` (keeps "（一）" and "１．１" as typed)."""
    acc = ""
    for i, ch in enumerate(raw):
        acc += unicodedata.normalize("NFKC", ch)
        if acc.strip() == number:
            return raw[: i + 1].strip()
        if len(acc) > len(number) + 2:
            break
    return number


def is_toc_line(text: str) -> bool:
    """A table-of-contents entry ("第一章 总论 ........ 3") names a chapter without being one.

    Leader dots before a page number are enough; a bare trailing page number only counts after a
    numbered heading ("一、概况 3").
    """
    raw = text.strip()
    if not raw or len(raw) > 400 or not (raw[-1].isdigit() or "." in raw or "…" in raw or "·" in raw):
        return False
    t = normalise(raw)
    if _LEADER_PAGE.search(t):
        rest = _LEADER_PAGE.sub("", t).strip()
        return len(rest) <= MAX_HEADING_CHARS + 12  # an entry whose title was lost still is one
    if _TRAILING_PAGE.search(t):
        return match_numbering(_TRAILING_PAGE.sub("", t).strip()) is not None
    return False


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
