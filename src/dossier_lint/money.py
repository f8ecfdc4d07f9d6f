"""Amounts of money as written in Chinese project documents, normalised to 万元 with exact decimals.

Handles `1,234.56万元`, `12345600元`, `0.12亿元`, `¥1,234.00`, `人民币12,345,600.00元`, `1234.56（万元）`,
bare numbers in a table whose header carries the unit (`金额（万元）`), rates (`50万元/年`, opt-in) and 大写
`壹仟贰佰叁拾肆万伍仟陆佰元整`; `capital_mismatches` cross-checks a 大写 amount against the 小写 one
written next to it.

Positions (`Amount.start` / `end`) index the text as given: normalisation maps full-width characters one
to one and never changes the length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

_UNIT_FACTOR = {
    "元": Decimal("0.0001"),
    "千元": Decimal("0.1"),
    "万元": Decimal(1),
    "百万元": Decimal(100),
    "亿元": Decimal(10000),
}
TOLERANCE = Decimal("0.01")  # 万元: amounts this close are the same amount (rounding to 2 decimals)

# Full-width ASCII -> ASCII, one character for one, so positions survive. The Chinese comma (，, U+FF0C)
# and the full-width brackets are kept: "300，200万元" is two clauses, not 300200.
_KEEP = {"，", "（", "）", "：", "；"}
_FW = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F) if chr(cp) not in _KEEP}
_FW[0x3000] = 0x20  # ideographic space
_FW[0xFFE5] = ord("¥")  # ￥
_FW[0x00A0] = 0x20


def norm(text: str) -> str:
    """Full-width digits, letters and ASCII punctuation -> half-width; same length as `text`."""
    return str(text).translate(_FW)


_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_UNIT = r"亿元|百万元|万元|千元|元"
_PER = r"(?P<per>\s*(?:/|每)\s*(?:年度|年|季度|月|人月|人天|人日|台|套|个|次|天|日|小时|项|人|户|GB|TB|Mbps|M|核|点))?"
# the unit may sit in brackets right after the number: 1234.56（万元）; "万元人民币" / "元人民币" allowed
# No two `\s*` may meet around an optional item: on a long run of spaces that backtracks quadratically.
_AMOUNT = re.compile(
    rf"(?:(?P<cur>[¥]|人民币)\s*)?(?<![\d.])(?P<num>{_NUM})\s*(?:(?P<open>[(（])\s*)?(?P<unit>{_UNIT})(?(open)\s*[)）])"
    rf"(?:人民币)?{_PER}"
)
_CURRENCY_ONLY = re.compile(rf"(?:[¥]|人民币)\s*(?P<num>{_NUM})(?!\s*(?:[(（]\s*)?(?:{_UNIT}))")

_CAP_DIGITS = {"零": 0, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9}
_CAP_SMALL = {"拾": 10, "佰": 100, "仟": 1000}
_CAPITAL = re.compile(
    r"(?:人民币)?(?=[零壹贰叁肆伍陆柒捌玖拾佰仟万亿]*[壹贰叁肆伍陆柒捌玖拾佰仟])"
    r"[零壹贰叁肆伍陆柒捌玖拾佰仟万亿]+[元圆](?:零?[壹贰叁肆伍陆柒捌玖]角)?(?:零?[壹贰叁肆伍陆柒捌玖]分)?[整正]?"
)


@dataclass(frozen=True, slots=True)
class Amount:
    wan: Decimal  # value in 万元, exact
    raw: str  # as written
    unit: str  # unit as written (元 / 万元 / 亿元 ...), "大写" for capital numerals
    start: int = 0
    end: int = 0
    per: str = ""  # a rate: "年" for 50万元/年, "" for a plain amount


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
# Every amount find_amounts reads holds a digit (full-width digits are \d too) or a 大写 numeral: a text
# without one (most sentences) is answered without running the three patterns.
_MAYBE_AMOUNT = re.compile(r"[\d壹贰叁肆伍陆柒捌玖拾佰仟]")


def parse_number(text: str) -> Decimal | None:
    """A bare number (thousands separators allowed) -> Decimal; None if the cell is not a number."""
    t = norm(str(text)).strip().replace(",", "").replace(" ", "")
    if not t or not _NUMBER.fullmatch(t):
        return None
    try:
        return Decimal(t)
    except InvalidOperation:
        return None


def leading_number(text: str) -> Decimal | None:
    """The number a quantity cell starts with: `2台` -> 2, `1,200` -> 1200; None otherwise."""
    m = re.match(rf"\s*({_NUM})", norm(str(text)))
    return parse_number(m.group(1)) if m else None


def to_wan(value: Decimal, unit: str) -> Decimal:
    return value * _UNIT_FACTOR[unit]


def unit_from_header(text: str) -> str | None:
    """The unit a table header or title declares: 金额（万元） / 单位：元 / 单价(万元/台)."""
    m = re.search(rf"({_UNIT})", norm(str(text)))
    return m.group(1) if m else None


def parse_capital(text: str) -> Decimal | None:
    """大写 amount -> Decimal in 元 (None if malformed: two digits in a row, no 元, ...)."""
    t = text.replace("人民币", "").rstrip("整正").replace("圆", "元")
    if "元" not in t:
        return None
    yuan_part, _, frac = t.partition("元")
    total = 0  # complete 亿/万 groups
    section = 0  # within the current 万 group
    digit: int | None = None
    prev_digit = False
    for ch in yuan_part:
        if ch in _CAP_DIGITS:
            if prev_digit and _CAP_DIGITS[ch] != 0 and digit:
                return None  # 伍伍: a digit without its place
            digit = _CAP_DIGITS[ch]
            prev_digit = digit != 0
        elif ch in _CAP_SMALL:
            section += (1 if digit is None else digit) * _CAP_SMALL[ch]
            digit = None
            prev_digit = False
        elif ch == "万":
            total += (section + (digit or 0)) * 10_000
            section, digit, prev_digit = 0, None, False
        elif ch == "亿":
            total = (total + section + (digit or 0)) * 100_000_000
            section, digit, prev_digit = 0, None, False
        else:
            return None
    total += section + (digit or 0)
    value = Decimal(total)
    m = re.search(r"([壹贰叁肆伍陆柒捌玖])角", frac)
    if m:
        value += Decimal(_CAP_DIGITS[m.group(1)]) / 10
    m = re.search(r"([壹贰叁肆伍陆柒捌玖])分", frac)
    if m:
        value += Decimal(_CAP_DIGITS[m.group(1)]) / 100
    return value


def find_amounts(text: str, default_unit: str | None = None, *, rates: bool = False) -> list[Amount]:
    """Every amount in `text`, in order. Rates (`50万元/年`) only when `rates=True`.

    `default_unit` is accepted for symmetry with `parse_amount`; free text never assigns a unit to a bare
    number (¥ means 元).
    """
    if not _MAYBE_AMOUNT.search(text):
        return []
    t = norm(text)
    found: list[Amount] = []
    for m in _AMOUNT.finditer(t):
        num = parse_number(m.group("num"))
        if num is None:
            continue
        per = (m.group("per") or "").strip().lstrip("/每").strip()
        if per and not rates:
            continue
        unit = m.group("unit")
        found.append(Amount(to_wan(num, unit), text[m.start() : m.end()].strip(), unit, m.start(), m.end(), per))
    for m in _CURRENCY_ONLY.finditer(t):
        if any(a.start <= m.start() < a.end for a in found):
            continue
        num = parse_number(m.group("num"))
        if num is not None:
            found.append(Amount(to_wan(num, "元"), text[m.start() : m.end()].strip(), "元", m.start(), m.end()))
    for m in _CAPITAL.finditer(text):
        yuan = parse_capital(m.group(0))
        if yuan is not None and yuan > 0:
            found.append(Amount(to_wan(yuan, "元"), m.group(0), "大写", m.start(), m.end()))
    found.sort(key=lambda a: a.start)
    return found


def parse_amount(text: str, default_unit: str | None = None) -> Amount | None:
    """The first amount in `text`; a bare number counts when `default_unit` (from a header) is given."""
    found = find_amounts(text)
    if found:
        return found[0]
    if default_unit:
        num = parse_number(text)
        if num is not None:
            return Amount(to_wan(num, default_unit), str(text).strip(), default_unit, 0, len(str(text)))
    return None


# between a 大写 amount and its 小写 twin: brackets, colons, spaces and the words that label them
_PAIR_GAP = re.compile(r"[\s(（)）:：,，、;；]*(?:即|大写|小写|金额)?[\s(（)）:：]*(?:人民币)?[\s:：]*")


def capital_mismatches(text: str) -> list[tuple[Amount, Amount]]:
    """Pairs (大写, 小写) written side by side (`伍佰万元整（¥5,000,000.00）`, `500万元（大写：伍佰万元整）`)
    whose values differ by more than a fen."""
    amounts = find_amounts(text)
    out: list[tuple[Amount, Amount]] = []
    for i, a in enumerate(amounts):
        if a.unit != "大写":
            continue
        for j in (i - 1, i + 1):
            if not 0 <= j < len(amounts) or amounts[j].unit == "大写":
                continue
            b = amounts[j]
            lo, hi = (b, a) if j < i else (a, b)
            gap = text[lo.end : hi.start]
            if len(gap) > 12 or not _PAIR_GAP.fullmatch(gap):
                continue
            if abs(a.wan - b.wan) > Decimal("0.000001"):  # one fen is 0.000001 万元
                out.append((a, b))
            break
    return out


def same_amount(a: Decimal, b: Decimal, tol: Decimal = TOLERANCE) -> bool:
    return abs(a - b) <= tol


def fmt_wan(value: Decimal) -> str:
    """1234.5600 -> '1234.56万元' (no float drift, no trailing zeros)."""
    q = value.quantize(Decimal("0.000001")).normalize()
    s = format(q, "f")
    return f"{s}万元"


def fmt_num(value: Decimal) -> str:
    """A plain number without trailing zeros: 1234.5600 -> '1234.56'."""
    q = value.quantize(Decimal("0.000001")).normalize()
    return format(q, "f")
