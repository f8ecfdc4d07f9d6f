"""Money checks (DL401–DL409): budget arithmetic, totals across documents, funding sources and
channels, 大写/小写, 运维服务期限 — unit level on synthetic tables, then end to end on
corpus/cases/content-a and the sample corpus (fires and near misses)."""

from __future__ import annotations

import sys
from decimal import Decimal

import pytest

from dossier_lint.kinds.budget import BUDGET_VOCAB, numbering, read_budget
from dossier_lint.kinds.funding import parse_statement, service_terms
from dossier_lint.model import Cell, Document, Location, Table
from dossier_lint.tables import read_table
from helpers import CORPUS, PACKAGES, lint_json

sys.path.insert(0, str(CORPUS / "cases"))
import make_content_a as ca  # noqa: E402

CASES = CORPUS / "cases" / "content-a"
FUNDING_RULES = {f"DL4{n:02d}" for n in range(1, 40)}
D = Decimal


def sheet(rows: list[list], name: str = "概算表") -> Table:
    out = []
    for r, row in enumerate(rows):
        out.append([Cell("" if v is None else str(v), Location(sheet=name, cell=f"{chr(65 + c)}{r + 1}"), r, c)
                    for c, v in enumerate(row)])
    return Table(out, Location(sheet=name), name)


def budget_of(rows: list[list]):
    t = sheet(rows)
    doc = Document(path="概算表.xlsx", format="xlsx", tables=[t], kind="budget_sheet")
    view = read_table(t, BUDGET_VOCAB)
    assert view is not None
    b = read_budget(doc, view)
    assert b is not None
    return b


# ---------------------------------------------------------------------------------------------
# reading a budget


@pytest.mark.parametrize(
    "text, style",
    [("一", "cn"), ("二、", "cn"), ("（一）", "pcn"), ("(三)", "pcn"), ("1", "num"), ("2.", "num"), ("1.1", "dec2"),
     ("1.2.3", "dec3"), ("（1）", "pnum"), ("①", "circ"), ("", None), ("合计", None)],
)
def test_numbering_styles(text: str, style: str | None) -> None:
    assert numbering(text) == style


def test_budget_tree_sections_subtotals_and_reserve() -> None:
    b = budget_of([
        ["某项目投资估算表"] * 5,
        ["单位：万元", "", "", "", ""],
        ["序号", "费用名称", "数量", "单价", "金额"],
        ["一", "硬件购置费", "", "", ""],
        ["1", "地磁检测器", "400", "0.15", "60"],
        ["2", "视频桩", "20", "1.2", "24"],
        ["小计", "", "", "", "84"],
        ["二", "软件开发费", "", "", "300"],
        ["（一）", "平台", "", "", "200"],
        ["1", "门户", "1", "80", "80"],
        ["2", "后台", "1", "120", "120"],
        ["（二）", "接口", "1", "100", "100"],
        ["合计", "", "", "", "384"],
        ["预备费", "", "", "", "16"],
        ["总计", "", "", "", "400"],
        ["其中：财政资金", "", "", "", "400"],
        ["注：单价含税。", "", "", "", ""],
    ])
    assert b.unit == "万元"
    assert [c.name for c in b.root.children] == ["硬件购置费", "软件开发费", "预备费"]
    soft = b.root.children[1]
    assert [c.name for c in soft.children] == ["平台", "接口"]
    assert [c.name for c in soft.children[0].children] == ["门户", "后台"]
    assert b.root.children[0].value(b.main_col) == D("84")  # no own amount: the sum of its items
    assert [t.line.name for t in b.totals] == ["小计", "合计", "总计"]
    assert b.grand_total().name == "总计"
    assert [x.name for x in b.root.children[2].details] == ["其中：财政资金"]


def test_budget_in_yuan_column_units() -> None:
    b = budget_of([["序号", "名称", "数量", "单价（元）", "金额（万元）"], ["1", "培训", "2", "30000", "6"],
                   ["合计", "", "", "", "6"]])
    assert b.col_unit(b.main_col) == "万元"
    assert b.view.column_unit(3) == "元"


def test_funding_table_is_recognised() -> None:
    b = budget_of([["序号", "资金来源", "金额（万元）", "占比"], ["1", "本级财政", "300", "60%"],
                   ["2", "中省补助", "200", "40%"], ["合计", "", "500", "100%"]])
    assert b.funding_table


# ---------------------------------------------------------------------------------------------
# funding statements and service terms


@pytest.mark.parametrize(
    "text, parts, total, complete",
    [
        ("资金来源：市本级财政资金860.00万元。", [("市本级财政", "860.00")], None, True),
        ("资金来源：全部由市本级财政资金安排，860.00万元。", [("市本级财政", "860.00")], None, True),
        ("总投资500万元，其中中省补助300万元、本级财政200万元。", [("中省补助", "300"), ("本级财政", "200")], "500", True),
        ("资金来源：申请中省补助资金300万元，其余由本级财政解决。", [("中省补助", "300")], None, False),
        ("市本级财政资金1,000.00万元；其他234.56万元。", [("市本级财政", "1000.00"), ("其他", "234.56")], None, True),
        ("其他（市场监管总局专项转移支付）234.56万元", [("其他（市场监管总局专项转移支付）", "234.56")], None, True),
        ("经费渠道：860万元", [(None, "860")], None, False),
        ("资金来源：2024年本级财政500万元，2025年本级财政360万元。", [("本级财政", "500"), ("本级财政", "360")], None, True),
    ],
)
def test_parse_statement(text: str, parts, total, complete: bool) -> None:
    got, got_total, got_complete = parse_statement(text)
    assert [(p.channel, p.amount) for p in got] == [(c, D(a)) for c, a in parts]
    assert got_total == (D(total) if total else None)
    assert got_complete is complete


@pytest.mark.parametrize(
    "text, years",
    [
        ("运维服务期限为5年（2025年至2029年），分年签订合同。", 5),
        ("服务期限为五年。", 5),
        ("运维期限：2024年1月至2028年12月。", 5),
        ("购买服务期为2024年至2027年。", 4),
        ("运维服务期限3年（2025年1月至2027年12月）。", 3),
        ("运维服务期限为2024年6月至2027年6月。", 3),
        ("系统质保期5年，质保期内免费维保。", 0),
        ("建设周期为2024年1月至2024年12月。", 0),
        ("规划期2021年至2025年。", 0),
        ("本项目运维由我局信息中心负责，设备使用年限8年。", 0),
    ],
)
def test_service_terms(text: str, years: int) -> None:
    terms = service_terms(text)
    longest = max((m for m, _ in terms), default=0)
    assert (longest + 1) // 12 == years


# ---------------------------------------------------------------------------------------------
# end to end


def _mine(report: dict, rules: set[str] = FUNDING_RULES) -> list[tuple[str, str, dict, str]]:
    return [(d["rule"], d["file"], d["location"], d["message"])
            for d in report["packages"][0]["diagnostics"] if d["rule"] in rules]


def test_money_case_nanchong() -> None:
    got = _mine(lint_json(CASES / "ca-money", "--profile", "nanchong"))
    form, plan = "01_南充市市级政务信息化项目备案审查表.docx", "02_南充市公共资源交易智慧监管平台项目实施方案.docx"
    pdf, xlsx = "03_南充市公共资源交易智慧监管平台项目可行性研究报告.pdf", "04_项目概算表.xlsx"
    where = [(r, f, {k: v for k, v in loc.items() if k != "heading"}) for r, f, loc, _ in got]
    assert sorted(where, key=str) == sorted([
        ("DL405", form, {"paragraph": 2, "table": 1, "row": 10, "col": 2}),  # the 经费渠道 cell
        ("DL407", plan, {"paragraph": 4}),
        ("DL408", plan, {"paragraph": 5}),
        ("DL401", pdf, {"page": 1}),
        ("DL403", xlsx, {"sheet": ca.BUDGET_SHEET, "cell": "G7"}),
        ("DL404", xlsx, {"sheet": ca.BUDGET_SHEET, "cell": "G15"}),
    ], key=str)
    msg = {r: m for r, _, _, m in got}
    assert msg["DL405"] == "资金来源合计450万元（中省补助300＋市本级财政150）与总投资500万元不一致"
    assert "肆佰捌拾万元整" in msg["DL407"] and "480万元" in msg["DL407"] and "490万元" in msg["DL407"]
    assert "5年" in msg["DL408"]
    assert msg["DL401"].startswith("总投资为520万元") and "500万元" in msg["DL401"]
    assert msg["DL403"] == "“应用软件开发费”的金额（万元）为300，与其下各项之和310不一致（相差-10）"
    assert msg["DL404"] == "“培训费”单价30000元×数量2＝6万元，与金额8万元不一致"
    # near misses: 伍佰万元整 beside 500.00万元; sources 300+200 in the plan; 40万元/年 twice; 质保期5年;
    # 建设周期; the 一期 project's 320万元; sections with SUM formulas; 单价 in 元 (400×1500元 = 60万元);
    # the unnumbered 预备费 and the 其中 rows
    assert len(got) == 6


def test_money_case_rules_follow_the_pack() -> None:
    tx = {r for r, *_ in _mine(lint_json(CASES / "ca-money", "--profile", "taixing"))}
    assert "DL408" not in tx  # 第四十条 is Nanchong's
    assert {"DL401", "DL403", "DL404", "DL405", "DL407"} <= tx


def test_money_case_taixing_matrix_yuan_and_no_unit() -> None:
    got = _mine(lint_json(CASES / "ca-money-taixing", "--profile", "taixing"))
    # the matrix adds up (200 + 100 = 300), the 元 budget equals 300万元, the 大写 matches; only the sheet
    # without any unit is reported (its 3000000 is still read as 元 and agrees)
    assert got == [("DL409", "概算明细表.xlsx", {"sheet": "明细", "cell": "A1"}, "概算表未注明金额单位（元或万元）")]


def test_cloud_case_om_and_unsecured() -> None:
    got = _mine(lint_json(CASES / "ca-cloud", "--profile", "nanchong"))
    plan = "02_南充市数字档案馆建设项目实施方案.docx"
    assert [(r, f) for r, f, _, _ in got] == [("DL402", plan), ("DL406", plan)]
    assert got[0][3] == "每年运维经费为36万元，与申报表（01_南充市市级政务信息化项目备案审查表.docx）中的30万元不一致"
    assert "尚未落实" in got[1][3]
    # 运维服务期限3年（2025年1月至2027年12月） is within the limit: no DL408


def test_corpus_money_mismatch() -> None:
    got = _mine(lint_json(PACKAGES / "nanchong-money-mismatch", "--profile", "nanchong"))
    assert sorted((r, f, loc.get("sheet", ""), loc.get("cell", "")) for r, f, loc, _ in got) == [
        ("DL401", "项目概算表.xlsx", "概算表", "G36"),
        ("DL402", "南充市智慧市场监管平台项目实施方案.docx", "", ""),
        ("DL403", "项目概算表.xlsx", "概算表", "G36"),
        ("DL406", "南充市市级政务信息化项目备案审查表.docx", "", ""),
        ("DL406", "南充市智慧市场监管平台项目实施方案.docx", "", ""),  # “其中…其他资金234.56万元” there too
    ]
    msg = {r: m for r, _, _, m in got}
    assert "1250万元" in msg["DL401"] and "1234.56万元" in msg["DL401"]  # 12345600元 and 大写 agree with the form
    assert "95万元" in msg["DL402"] and "85万元" in msg["DL402"]
    assert "1240" in msg["DL403"]
    assert all("其他" in m and "234.56万元" in m for r, _, _, m in got if r == "DL406")


@pytest.mark.parametrize("package", ["nanchong-zhcg-complete", "nanchong-forbidden", "nanchong-missing-docs"])
def test_corpus_packages_without_money_faults(package: str) -> None:
    pkg = PACKAGES / package
    assert pkg.is_dir(), "corpus/packages missing: python corpus/make_corpus.py"
    assert _mine(lint_json(pkg, "--profile", "nanchong")) == []


def test_chenzhou_and_taixing_corpus_clean() -> None:
    assert _mine(lint_json(PACKAGES / "chenzhou-new-build.zip", "--profile", "chenzhou")) == []
    assert _mine(lint_json(PACKAGES / "taixing-service-purchase", "--profile", "taixing")) == []


def test_labelled_set_is_judged_right(capsys) -> None:
    """corpus/labelled/content_a.jsonl (catalog rows, sentences, budget and cloud tables) through the
    same check kinds: every case as labelled (scripts/eval_content_a.py --strict)."""
    sys.path.insert(0, str(CORPUS.parent / "scripts"))
    import eval_content_a

    code = eval_content_a.main(["--strict", "--verbose"])
    out = capsys.readouterr().out
    assert code == 0, out


def _ctx_with(facts: list[tuple[str, str, Decimal, str, tuple[str, ...]]]):
    from dossier_lint.config import resolve_settings
    from dossier_lint.model import Fact, Package
    from dossier_lint.rule import Context

    pkg = Package(path="p", name="p")
    pkg.documents += [Document(path="表.docx", format="docx", kind="application_form"),
                      Document(path="可研.docx", format="docx", kind="feasibility_report")]
    pkg.facts.add("name", Fact("南充市某平台（二期）", "表.docx"))
    for key, file, value, evidence, heading in facts:
        pkg.facts.add(key, Fact(value, file, Location(paragraph=3, heading=heading), evidence))
    return Context(pkg, resolve_settings([], {"profile": "nanchong"}), {})


def test_stated_amounts_leave_out_predecessors_estimates_and_staged_om() -> None:
    from dossier_lint.kinds.funding import stated

    ctx = _ctx_with([
        ("total_investment", "表.docx", D("500"), "投资额度：500万元", ()),
        ("total_investment", "可研.docx", D("300"), "原系统总投资300万元，于2019年建成", ("第二章 现状分析",)),
        ("total_investment", "可研.docx", D("280"), "一期总投资280万元", ("第一章 概述",)),
        ("total_investment", "可研.docx", D("510"), "总投资约510万元", ("第一章 概述",)),
        ("total_investment", "可研.docx", D("500"), "二期总投资500万元", ("第一章 概述",)),
        ("om_funding", "可研.docx", D("10"), "第一年运维经费10万元，以后每年运维经费20万元", ("第九章",)),
    ])
    assert [(s.file, s.value) for s in stated(ctx, "total_investment", include_budget=False)] == [
        ("表.docx", D("500")), ("可研.docx", D("500"))]
    assert stated(ctx, "om_funding") == []
