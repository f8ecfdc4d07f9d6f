"""Amounts of money as written in Chinese project documents, normalised to 万元 with exact decimals.

Handles `1,234.56万元`, `12345600元`, `0.12亿元`, `¥1,234.00`, `人民币12,345,600.00元`, bare numbers in a
table whose header carries the unit (`金额（万元）`), and 大写 `壹仟贰佰叁拾肆万伍仟陆佰元整`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

_UNIT_FACTOR = {"元": Decimal("0.0001"), "万元": Decimal(1), "亿元": Decimal(10000), "千元": Decimal("0.1")}

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
# unit may sit in brackets right after the number: 1234.56（万元）
_AMOUNT = re.compile(
    rf"(?P<cur>[¥￥]|人民币)?\s*(?P<num>{_NUM})\s*[(（]?\s*(?P<unit>亿元|万元|千元|元)(?![/每])"
)
_CURRENCY_ONLY = re.compile(rf"(?:[¥￥]|人民币)\s*(?P<num>{_NUM})(?!\s*[(（]?\s*(?:亿|万|千)?元)")

_CAP_DIGITS = {"零": 0, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9}
_CAP_SMALL = {"拾": 10, "佰": 100, "仟": 1000}
_CAPITAL = re.compile(r"(?:人民币)?[零壹贰叁肆伍陆柒捌玖拾佰仟万亿]+元(?:零?[零壹贰叁肆伍陆柒捌玖]角)?(?:[零壹贰叁肆伍陆柒捌玖]分)?[整正]?")


@dataclass(frozen=True, slots=True)
class Amount:
    wan: Decimal  # value in 万元, exact
    raw: str  # as written
    unit: str  # unit as written (元 / 万元 / 亿元), "大写" for capital numerals
    start: int = 0
    end: int = 0


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def parse_number(text: str) -> Decimal | None:
    """A bare number (thousands separators allowed) -> Decimal; None if the cell is not a number."""
    t = _norm(str(text)).strip().replace(",", "").replace(" ", "")
    if not t or not re.fullmatch(r"-?\d+(?:\.\d+)?", t):
        return None
    try:
        return Decimal(t)
    except InvalidOperation:
        return None


def to_wan(value: Decimal, unit: str) -> Decimal:
    return value * _UNIT_FACTOR[unit]


def unit_from_header(text: str) -> str | None:
    """The unit a table header or title declares: 金额（万元） / 单位：元."""
    t = _norm(text)
    m = re.search(r"(亿元|万元|千元|元)", t)
    return m.group(1) if m else None


def parse_capital(text: str) -> Decimal | None:
    """大写 amount -> Decimal in 元 (None if malformed)."""
    t = text.replace("人民币", "").rstrip("整正")
    if "元" not in t:
        return None
    yuan_part, _, frac = t.partition("元")
    total = 0
    section = 0
    digit = 0
    for ch in yuan_part:
        if ch in _CAP_DIGITS:
            digit = _CAP_DIGITS[ch]
        elif ch in _CAP_SMALL:
            section += (digit or 1) * _CAP_SMALL[ch]
            digit = 0
        elif ch == "万":
            total += (section + digit) * 10_000
            section = digit = 0
        elif ch == "亿":
            total = (total + section + digit) * 100_000_000
            section = digit = 0
        else:
            return None
    total += section + digit
    value = Decimal(total)
    m = re.search(r"([零壹贰叁肆伍陆柒捌玖])角", frac)
    if m:
        value += Decimal(_CAP_DIGITS[m.group(1)]) / 10
    m = re.search(r"([零壹贰叁肆伍陆柒捌玖])分", frac)
    if m:
        value += Decimal(_CAP_DIGITS[m.group(1)]) / 100
    return value


def find_amounts(text: str, default_unit: str | None = None) -> list[Amount]:
    """Every amount in `text`, in order. `default_unit` applies to ¥-only amounts (¥ means 元)."""
    t = _norm(text)
    found: list[Amount] = []
    for m in _AMOUNT.finditer(t):
        num = parse_number(m.group("num"))
        if num is None:
            continue
        unit = m.group("unit")
        found.append(Amount(to_wan(num, unit), m.group(0).strip(), unit, m.start(), m.end()))
    for m in _CURRENCY_ONLY.finditer(t):
        if any(a.start <= m.start() < a.end for a in found):
            continue
        num = parse_number(m.group("num"))
        if num is not None:
            found.append(Amount(to_wan(num, "元"), m.group(0).strip(), "元", m.start(), m.end()))
    # 大写 is matched on the original text: NFKC leaves these characters alone
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
            return Amount(to_wan(num, default_unit), str(text).strip(), default_unit)
    return None


def fmt_wan(value: Decimal) -> str:
    """1234.5600 -> '1234.56万元' (no float drift, no trailing zeros)."""
    q = value.quantize(Decimal("0.000001")).normalize()
    s = format(q, "f")
    return f"{s}万元"
