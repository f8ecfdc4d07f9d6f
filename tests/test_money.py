"""Money parsing in every written form, normalised to 万元 exactly, and the 大写/小写 cross-check."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dossier_lint.money import (
    capital_mismatches,
    find_amounts,
    fmt_wan,
    leading_number,
    norm,
    parse_amount,
    parse_capital,
    parse_number,
    same_amount,
    unit_from_header,
)

D = Decimal


@pytest.mark.parametrize(
    "text, wan, unit",
    [
        ("总投资1,234.56万元", D("1234.56"), "万元"),
        ("12345600元", D("1234.56"), "元"),
        ("0.12亿元", D("1200"), "亿元"),
        ("合计1234.56（万元）", D("1234.56"), "万元"),
        ("合计1234.56 (万元)", D("1234.56"), "万元"),
        ("¥1,234.00", D("0.1234"), "元"),
        ("￥4,391,900.00", D("439.19"), "元"),
        ("人民币12,345,600.00元", D("1234.56"), "元"),
        ("预算金额：738.57307 万元", D("738.57307"), "万元"),
        ("投资额度：５００万元", D("500"), "万元"),  # full-width digits
        ("12.5千元", D("1.25"), "千元"),
        ("500万元人民币", D("500"), "万元"),
        ("壹仟贰佰叁拾肆万伍仟陆佰元整", D("1234.56"), "大写"),
        ("人民币捌佰陆拾万元整", D("860"), "大写"),
        ("人民币壹拾万伍仟壹佰壹拾元零壹角壹分", D("10.511011"), "大写"),
        ("壹亿贰仟万元整", D("12000"), "大写"),
        ("壹万零伍元", D("1.0005"), "大写"),
        ("伍佰圆正", D("0.05"), "大写"),
    ],
)
def test_every_form_normalises_to_wan(text: str, wan: Decimal, unit: str) -> None:
    found = find_amounts(text)
    assert len(found) == 1, found
    assert found[0].wan == wan
    assert found[0].unit == unit
    assert text[found[0].start : found[0].end].strip() == found[0].raw


def test_positions_index_the_original_text() -> None:
    text = "项目总投资１２３４５６００元（人民币壹仟贰佰叁拾肆万伍仟陆佰元整），运维５０万元/年。"
    found = find_amounts(text, rates=True)
    assert [text[a.start : a.end] for a in found] == [
        "１２３４５６００元", "人民币壹仟贰佰叁拾肆万伍仟陆佰元整", "５０万元/年"]
    assert [a.wan for a in found] == [D("1234.56"), D("1234.56"), D("50")]
    assert found[2].per == "年"


@pytest.mark.parametrize(
    "text",
    [
        "2024年至2026年",  # years, not money
        "并发用户400个，注册用户1600人",
        "占比60%",
        "GB2312",
        "1234万人次",  # not 万元
        "万元",  # a unit alone
        "单位：万元",
        "第3号",
    ],
)
def test_not_money(text: str) -> None:
    assert find_amounts(text) == []


def test_rates_are_opt_in() -> None:
    assert find_amounts("运维经费68.00万元/年") == []
    (a,) = find_amounts("运维经费68.00万元/年", rates=True)
    assert (a.wan, a.per) == (D("68.00"), "年")
    (b,) = find_amounts("单价2000元/台", rates=True)
    assert b.per == "台"


def test_chinese_comma_is_not_a_thousands_separator() -> None:
    # "300，200万元" is two clauses, the first without a unit
    assert [a.wan for a in find_amounts("中省补助300，本级200万元")] == [D("200")]
    assert [a.wan for a in find_amounts("中省补助300,200万元")] == [D("300200")]


def test_several_amounts_in_order() -> None:
    found = find_amounts("其中中省补助300万元、本级财政2,000,000元、单位自筹0.01亿元")
    assert [a.wan for a in found] == [D("300"), D("200"), D("100")]


@pytest.mark.parametrize(
    "cell, unit, wan",
    [("1,234.56", "万元", D("1234.56")), ("12345600", "元", D("1234.56")), (" 860 ", "万元", D("860")),
     ("1234.56（万元）", None, D("1234.56")), ("¥860.00", "万元", D("0.086"))],
)
def test_table_cells_take_the_header_unit(cell: str, unit: str | None, wan: Decimal) -> None:
    a = parse_amount(cell, default_unit=unit)
    assert a is not None and a.wan == wan


def test_bare_number_without_unit_is_not_an_amount() -> None:
    assert parse_amount("860") is None
    assert parse_amount("约860", default_unit="万元") is None


@pytest.mark.parametrize(
    "header, unit",
    [("金额（万元）", "万元"), ("单位：元", "元"), ("单价(万元/台)", "万元"), ("投资估算（亿元）", "亿元"),
     ("序号", None), ("单位", None), ("数量（台）", None)],
)
def test_unit_from_header(header: str, unit: str | None) -> None:
    assert unit_from_header(header) == unit


def test_parse_number_and_leading_number() -> None:
    assert parse_number("1,234.50") == D("1234.50")
    assert parse_number("１２") == D("12")
    assert parse_number("12台") is None
    assert parse_number("") is None
    assert leading_number("600个") == D("600")
    assert leading_number("1,200 人月") == D("1200")
    assert leading_number("约600") is None


@pytest.mark.parametrize("bad", ["伍伍万元", "壹佰", "贰拾万美元"])
def test_malformed_capital(bad: str) -> None:
    assert parse_capital(bad) is None


def test_capital_matches_its_twin() -> None:
    assert capital_mismatches("总投资860.00万元（人民币捌佰陆拾万元整）") == []
    assert capital_mismatches("人民币伍佰万元整（¥5,000,000.00）") == []
    assert capital_mismatches("项目总投资12345600元（人民币壹仟贰佰叁拾肆万伍仟陆佰元整）") == []
    assert capital_mismatches("小写：¥5,000,000.00 大写：伍佰万元整") == []


def test_capital_mismatch_found() -> None:
    (pair,) = capital_mismatches("总投资860.00万元（人民币捌佰伍拾万元整）")
    cap, num = pair
    assert (cap.wan, num.wan) == (D("850"), D("860.00"))
    (pair,) = capital_mismatches("合同金额：人民币壹佰万元整（¥1,000,001.00）")
    assert pair[1].wan == D("100.0001")


def test_capital_far_from_a_number_is_not_paired() -> None:
    # the 大写 belongs to another sentence: no pairing, no finding
    assert capital_mismatches("总投资860万元。其中第一年支付合同款人民币伍佰万元整") == []


def test_fmt_and_tolerance() -> None:
    assert fmt_wan(D("1234.5600")) == "1234.56万元"
    assert fmt_wan(D("1200.00")) == "1200万元"
    assert same_amount(D("860.00"), D("860.004"))
    assert not same_amount(D("860.00"), D("860.02"))


def test_norm_keeps_length() -> None:
    s = "（１２３）：，；　ＡＢ￥"
    assert len(norm(s)) == len(s)
    assert norm(s) == "（123）：，； AB¥"


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=99))
def test_yuan_round_trip(yuan: int, fen: int) -> None:
    value = D(yuan) + D(fen) / 100
    text = f"{value:,.2f}元"
    (a,) = find_amounts(text)
    assert a.wan * 10000 == value


_DIGITS = "零壹贰叁肆伍陆柒捌玖"


def _capital(n: int) -> str:
    """Write n (元, < 1e12) the accounting way, for the property test."""
    def four(x: int) -> str:
        out, zero = "", False
        for unit, div in (("仟", 1000), ("佰", 100), ("拾", 10), ("", 1)):
            d = x // div % 10
            if d:
                out += ("零" if zero and out else "") + _DIGITS[d] + unit
                zero = False
            else:
                zero = True
        return out

    if n == 0:
        return "零元整"
    yi, wan, rest = n // 10**8, n // 10**4 % 10**4, n % 10**4
    s = ""
    if yi:
        s += four(yi) + "亿"
    if wan:
        s += ("零" if yi and wan < 1000 else "") + four(wan) + "万"
    elif yi and rest:
        s += "零"
    if rest:
        s += ("零" if (yi or wan) and rest < 1000 and not s.endswith("零") else "") + four(rest)
    return s + "元整"


@given(st.integers(min_value=1, max_value=10**12 - 1))
def test_capital_round_trip(n: int) -> None:
    assert parse_capital(_capital(n)) == n
