"""Word automatic numbering (numbering.xml): the "第一章", "1.1", "（一）" Word draws but never stores.

Chinese reports usually number headings and lists automatically, so the text of a paragraph lacks the
number a reader sees. This renders it: per abstract numbering definition, counters per level in
document order, each level's format (decimal, chineseCounting, ideographTraditional, letters, roman,
circled, full-width) put into its `lvlText` ("第%1章", "%1.%2", "（%1）").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

_CN_DIGITS = "零一二三四五六七八九"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_ZODIAC = "子丑寅卯辰巳午未申酉戌亥"


@dataclass(slots=True)
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    suffix: str = "tab"  # tab | space | nothing
    legal: bool = False


@dataclass(slots=True)
class _Abstract:
    levels: dict[int, _Level] = field(default_factory=dict)
    style_levels: dict[str, int] = field(default_factory=dict)  # paragraph style id -> ilvl


class Numbering:
    def __init__(self, root: Any | None, w: str) -> None:
        self.w = w
        self.abstracts: dict[str, _Abstract] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId -> (abstractNumId, start overrides)
        self.counters: dict[str, list[int | None]] = {}  # abstractNumId -> counter per level
        self.started: set[str] = set()  # numIds whose start overrides were applied
        if root is not None:
            self._load(root)

    def _val(self, el: Any, tag: str) -> str | None:
        x = el.find(self.w + tag)
        return None if x is None else x.get(self.w + "val")

    def _load(self, root: Any) -> None:
        w = self.w
        for an in root.iter(w + "abstractNum"):
            aid = an.get(w + "abstractNumId")
            if aid is None:
                continue
            ab = _Abstract()
            for lvl in an.iter(w + "lvl"):
                ilvl = _int(lvl.get(w + "ilvl"), 0)
                ab.levels[ilvl] = _Level(
                    start=_int(self._val(lvl, "start"), 1),
                    fmt=self._val(lvl, "numFmt") or "decimal",
                    text=self._val(lvl, "lvlText") or "",
                    suffix=self._val(lvl, "suff") or "tab",
                    legal=lvl.find(w + "isLgl") is not None,
                )
                ps = self._val(lvl, "pStyle")
                if ps:
                    ab.style_levels[ps] = ilvl
            self.abstracts[aid] = ab
        for num in root.iter(w + "num"):
            nid = num.get(w + "numId")
            aid = self._val(num, "abstractNumId")
            if nid is None or aid is None:
                continue
            overrides: dict[int, int] = {}
            for ov in num.iter(w + "lvlOverride"):
                so = self._val(ov, "startOverride")
                if so is not None:
                    overrides[_int(ov.get(w + "ilvl"), 0)] = _int(so, 1)
            self.nums[nid] = (aid, overrides)

    def style_level(self, num_id: str, style_id: str | None) -> int:
        """The level a numbered style sits at when the style gives a numId but no ilvl."""
        entry = self.nums.get(num_id)
        ab = self.abstracts.get(entry[0]) if entry else None
        if ab is None or style_id is None:
            return 0
        return ab.style_levels.get(style_id, 0)

    def label(self, num_id: str | None, ilvl: int) -> str:
        """Advance the counters for one numbered paragraph and return its visible label ("" if none)."""
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        aid, overrides = self.nums[num_id]
        ab = self.abstracts.get(aid)
        if ab is None or ilvl not in ab.levels:
            return ""
        counters = self.counters.setdefault(aid, [None] * 9)
        if num_id not in self.started:
            self.started.add(num_id)
            for lv, start in overrides.items():
                if 0 <= lv < 9:
                    counters[lv] = start - 1
                    for deeper in range(lv + 1, 9):
                        counters[deeper] = None
        ilvl = min(max(ilvl, 0), 8)
        lvl = ab.levels[ilvl]
        current = counters[ilvl]
        counters[ilvl] = lvl.start if current is None else current + 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = None
        if lvl.fmt in ("bullet", "none") or not lvl.text:
            return ""
        out = lvl.text
        for k in range(ilvl + 1):
            token = f"%{k + 1}"
            if token not in out:
                continue
            level_k = ab.levels.get(k, _Level())
            ck = counters[k]
            value = level_k.start if ck is None else ck
            fmt = "decimal" if (lvl.legal and k < ilvl) else level_k.fmt
            out = out.replace(token, fmt_number(value, fmt))
        sep = {"tab": " ", "space": " "}.get(lvl.suffix, "")
        return out + sep


def _int(v: str | None, default: int) -> int:
    try:
        return int(v) if v is not None else default
    except ValueError:
        return default


def chinese(n: int) -> str:
    """1 -> 一, 10 -> 十, 11 -> 十一, 20 -> 二十, 105 -> 一百零五 (what Word's chineseCounting shows)."""
    if n <= 0:
        return str(n)
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        tail = "" if rest == 0 else ("零" + _CN_DIGITS[rest] if rest < 10 else (("一" if rest < 20 else "") + chinese(rest)))
        return _CN_DIGITS[n // 100] + "百" + tail
    return str(n)


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = ""
    for v, s in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                 (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):  # fmt: skip
        while n >= v:
            out += s
            n -= v
    return out


def _letters(n: int) -> str:
    # Word repeats the letter: 27 -> AA, 28 -> BB
    if n <= 0:
        return str(n)
    return chr(65 + (n - 1) % 26) * ((n - 1) // 26 + 1)


def fmt_number(n: int, fmt: str) -> str:
    if fmt in ("decimal", "ordinal", "cardinalText", "ordinalText"):
        return str(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "japaneseCounting",
               "taiwaneseCounting", "taiwaneseCountingThousand", "ideographLegalTraditional"):  # fmt: skip
        s = chinese(n)
        if fmt == "chineseLegalSimplified":
            s = s.translate(str.maketrans("一二三四五六七八九十百", "壹贰叁肆伍陆柒捌玖拾佰"))
        return s
    if fmt == "ideographTraditional":
        return _TIANGAN[(n - 1) % 10] if n > 0 else str(n)
    if fmt == "ideographZodiac":
        return _ZODIAC[(n - 1) % 12] if n > 0 else str(n)
    if fmt == "upperLetter":
        return _letters(n)
    if fmt == "lowerLetter":
        return _letters(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)
    if fmt in ("decimalEnclosedParen",):
        return f"({n})"
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    return str(n)
