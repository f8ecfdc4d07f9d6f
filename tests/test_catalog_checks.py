"""信息资源目录 checks (DL301–DL312) and the header detection they rest on (tables.py).

Unit tests build tables the way the readers do (merged values copied into every covered cell); the end
to end tests run the CLI on corpus/cases/content-a (made by corpus/cases/make_content_a.py) and on the
sample corpus, and assert the exact diagnostics — fires and near misses.
"""

from __future__ import annotations

import re
import sys

import pytest

from dossier_lint.kinds.catalog import (
    CATALOG_VOCAB,
    DEFAULT_SHARE_ALIASES,
    DEFAULT_SHARE_TYPES,
    DEFAULT_UPDATE_CYCLES,
    canonical_cycle,
    canonical_share_type,
    read_catalog,
    read_record,
)
from dossier_lint.model import Cell, Document, Location, Table
from dossier_lint.tables import find_tables, is_blank, match_field, read_table
from helpers import CORPUS, PACKAGES, lint_json

sys.path.insert(0, str(CORPUS / "cases"))
import make_content_a as ca  # noqa: E402

CASES = CORPUS / "cases" / "content-a"
CATALOG_RULES = {f"DL3{n:02d}" for n in range(1, 30)}


def _col(i: int) -> str:
    return chr(65 + i)


def sheet(rows: list[list[str | None]], name: str = "目录") -> Table:
    """A sheet as the xlsx reader gives it: None = empty, every cell located."""
    out = []
    for r, row in enumerate(rows):
        out.append([Cell(t or "", Location(sheet=name, cell=f"{_col(c)}{r + 1}"), r, c) for c, t in enumerate(row)])
    return Table(out, Location(sheet=name), name)


# ---------------------------------------------------------------------------------------------
# header detection


def test_two_row_merged_header_with_title_and_notes() -> None:
    rows = [
        ["南充市某项目政务信息资源目录"] * 10,
        ["序号", "信息资源名称", "信息资源分类", "责任方", "信息资源格式", "信息资源格式", "更新周期", "共享属性", "共享属性",
         "共享属性"],
        ["序号", "信息资源名称", "信息资源分类", "责任方", "格式分类", "格式类型", "更新周期", "共享类型", "共享条件",
         "共享方式"],
        ["1", "城管案件信息", "主题", "市城管局", "数据库", "达梦", "实时", "有条件共享", "仅向区城管局共享", "接口"],
        ["注：共享类型分为无条件共享、有条件共享、不予共享。"] * 10,
        ["填报单位（盖章）：南充市城市管理局", "", "", "填报人：张三", "", "", "", "", "", ""],
    ]
    v = read_table(sheet(rows), CATALOG_VOCAB)
    assert v is not None
    assert v.header == (1, 3)
    assert v.preamble == ["南充市某项目政务信息资源目录"]
    assert v.fields["共享类型"] == [7] and v.fields["使用要求"] == [8] and v.fields["共享方式"] == [9]
    assert sorted(v.fields["格式"]) == [4, 5]  # 格式分类 and 格式类型 both under 信息资源格式
    assert v.columns[7].name == "共享属性/共享类型"
    assert [r.kind for r in v.rows] == ["data", "note", "note"]  # the signature row follows the note
    assert v.value(v.data[0], "责任方") == "市城管局"
    assert v.cell(v.data[0], "共享方式").loc.cell == "J4"


def test_header_below_group_row_is_found_and_group_rows_are_not_data() -> None:
    rows = [
        ["序号", "资源名称", "资源分类", "提供方", "资源格式", "资源属性", "更新频率", "共享类型", "共享方式"],
        ["一、基础信息资源"] * 9,
        ["1", "人口信息", "基础", "市公安局", "数据库", "非涉密", "每日", "无条件共享", "接口"],
        ["序号", "资源名称", "资源分类", "提供方", "资源格式", "资源属性", "更新频率", "共享类型", "共享方式"],  # PDF repeat
        ["2", "法人信息", "基础", "市市场监管局", "数据库", "非涉密", "每日", "无条件共享", "接口"],
    ]
    v = read_table(sheet(rows), CATALOG_VOCAB)
    assert v is not None and v.header == (0, 1)
    assert [r.kind for r in v.rows] == ["group", "data", "repeat", "data"]
    assert {"资源名称", "分类", "责任方", "格式", "属性", "更新时限", "共享类型", "共享方式"} <= set(v.fields)


@pytest.mark.parametrize(
    "header, field",
    [("信息资源提供方", "责任方"), ("责任部门", "责任方"), ("更新频率", "更新时限"), ("更新周期", "更新时限"),
     ("共享条件", "使用要求"), ("信息资源格式", "格式"), ("资源分类", "分类"), ("涉密属性", "属性"),
     ("开放属性", "开放属性"), ("共享属性", "共享类型"), ("*信息资源名称", "资源名称"), ("系统名称", "所属系统"),
     ("信息项名称", "信息项"), ("更新周期（天）", "更新时限")],
)
def test_header_synonyms(header: str, field: str) -> None:
    assert match_field(header, CATALOG_VOCAB)[0] == field


def test_a_long_data_cell_is_not_a_header() -> None:
    assert match_field("本项目产生的信息资源按照共享类型分为无条件共享和有条件共享两类", CATALOG_VOCAB) == (None, 0)


def test_no_header_no_view() -> None:
    rows = [["项目名称", "南充市某平台"], ["项目单位", "南充市某局"]]
    assert read_table(sheet(rows), CATALOG_VOCAB, min_fields=3) is None


def test_table_continued_over_a_pdf_page_break() -> None:
    head = ["序号", "信息资源名称", "责任方", "格式", "共享类型", "共享方式"]
    t1 = sheet([head, ["1", "甲信息", "市某局", "数据库", "无条件共享", "接口"]], "p1")
    t2 = sheet([["2", "乙信息", "市某局", "数据库", "有条件共享", "接口"]], "p2")
    doc = Document(path="x.pdf", format="pdf", tables=[t1, t2])
    (v,) = find_tables(doc, CATALOG_VOCAB, min_fields=3)
    assert [v.value(r, "资源名称") for r in v.data] == ["甲信息", "乙信息"]


def test_record_form_catalog() -> None:
    """One key-value table per resource (表单式), two pairs per row."""
    rows = [["信息资源名称", "城管案件信息", "信息资源分类", "主题信息资源"],
            ["责任方", "市城管局", "信息资源格式", "数据库"],
            ["共享类型", "有条件共享", "共享方式", "接口"],
            ["更新周期", "实时", "使用要求", ""]]
    v = read_record(sheet(rows))
    assert v is not None
    (row,) = v.data
    assert v.value(row, "资源名称") == "城管案件信息" and v.value(row, "共享方式") == "接口"
    assert is_blank(v.value(row, "使用要求"))
    doc = Document(path="目录.docx", format="docx", tables=[sheet(rows)], kind="resource_catalog")
    cat = read_catalog(doc)
    assert cat.records and len(cat.rows()) == 1


# ---------------------------------------------------------------------------------------------
# values


@pytest.mark.parametrize(
    "value, expected",
    [("无条件共享", "无条件共享"), ("有条件", "有条件共享"), ("有条件共享（仅限市级部门）", "有条件共享"),
     ("不予共享", "不予共享"), ("□不予共享", "不予共享"), ("部分共享", None), ("共享", None), ("是", None),
     ("授权共享", None)],
)
def test_share_types(value: str, expected: str | None) -> None:
    assert canonical_share_type(value, DEFAULT_SHARE_TYPES, DEFAULT_SHARE_ALIASES) == expected


def test_share_types_are_pack_data() -> None:
    shanghai = ("无条件共享", "授权共享", "非共享")
    assert canonical_share_type("授权共享", shanghai, {}) == "授权共享"
    assert canonical_share_type("有条件共享", shanghai, DEFAULT_SHARE_ALIASES) is None


@pytest.mark.parametrize(
    "value, expected",
    [("实时", "实时"), ("实时更新", "实时"), ("每天", "每日"), ("按日", "每日"), ("每季", "每季度"), ("半年", "每半年"),
     ("每5分钟", "实时"), ("按需", "不定期"), ("T+1", "每日"), ("及时更新", None), ("经常", None), ("2023年", None)],
)
def test_update_cycles(value: str, expected: str | None) -> None:
    assert canonical_cycle(value, DEFAULT_UPDATE_CYCLES) == expected


@pytest.mark.parametrize(
    "text, ok",
    [("依据《中华人民共和国个人信息保护法》第十三条", True), ("根据国办发〔2016〕51号", True), ("涉及国家秘密", True),
     ("依据保密法规定", True), ("涉及个人隐私", False), ("数据敏感，内部使用", False), ("无法共享", False),
     ("涉及法人隐私", False), ("业务需要", False)],
)
def test_no_share_basis_pattern(text: str, ok: bool) -> None:
    """The pattern DL308 uses (pack data) tells a named law or policy from a reason."""
    from dossier_lint import packs

    pattern = packs.load_pack("nanchong").rules["DL308"].params["need-pattern"]
    assert bool(re.search(pattern, text)) is ok


# ---------------------------------------------------------------------------------------------
# end to end


def _mine(report: dict, rules: set[str] = CATALOG_RULES) -> list[tuple[str, str, dict, str]]:
    return [(d["rule"], d["file"], d["location"], d["message"])
            for d in report["packages"][0]["diagnostics"] if d["rule"] in rules]


def _cell(row_name: str, column: str) -> str:
    """The sheet cell of a resource's column in ca-catalog-rows."""
    i = next(i for i, r in enumerate(ca.CAT_ROWS) if r[0] == row_name)
    return f"{_col(ca.CAT_HEADER.index(column))}{ca.CAT_FIRST_ROW + i}"


def test_catalog_rows_fire_and_near_misses() -> None:
    got = _mine(lint_json(CASES / "ca-catalog-rows", "--profile", "nanchong"))
    f = "03_政务信息资源目录.xlsx"

    def at(column: str, name: str) -> dict:
        return {"sheet": ca.CAT_SHEET, "cell": _cell(name, column)}

    assert [(r, fl, loc) for r, fl, loc, _ in got] == [
        ("DL307", f, at("共享条件", "停车泊位实时状态信息")),
        ("DL308", f, at("共享条件", "车主身份信息")),
        ("DL309", f, at("共享方式", "车主身份信息")),
        ("DL306", f, at("共享类型", "停车诱导屏发布信息")),
        ("DL310", f, at("更新频率", "公共停车场收费标准")),
        ("DL311", f, at("共享方式", "泊位预约信息")),
        ("DL305", f, at("信息资源提供方", "路内停车巡检记录")),
    ]
    msgs = {r: m for r, _, _, m in got}
    assert "停车泊位实时状态信息" in msgs["DL307"] and "有条件共享" in msgs["DL307"]
    assert "车主身份信息" in msgs["DL308"] and "涉及个人隐私" in msgs["DL308"]
    assert "部分共享" in msgs["DL306"]
    assert "及时更新" in msgs["DL310"]
    assert "可以共享" in msgs["DL311"]
    assert "路内停车巡检记录" in msgs["DL305"] and "责任方" in msgs["DL305"]
    text = " ".join(m for *_, m in got)
    # near misses: 使用要求 filled for 有条件共享; 不予共享 with a basis and no 共享方式; alias 有条件; 每天;
    # the template row and the signature row are no resources; the catalog relates to 停车
    for name in ("停车收费记录", "停车欠费人员信息", "停车场基本信息", "填报单位"):
        assert name not in text
    assert "DL312" not in {r for r, *_ in got} and "DL301" not in {r for r, *_ in got}


def test_catalog_columns_missing_and_unrelated() -> None:
    got = _mine(lint_json(CASES / "ca-catalog-columns", "--profile", "nanchong"))
    f = "02_政务信息资源目录.docx"
    assert sorted((r, fl) for r, fl, _, _ in got) == [("DL301", f), ("DL301", f), ("DL302", f), ("DL312", f)]
    missing = sorted(re.search(r"“(.+?)”", m).group(1) for r, _, _, m in got if r in ("DL301", "DL302"))
    assert missing == ["使用要求", "信息项", "更新时限"]  # 提供方 / 涉密属性 / 信息资源格式 are synonyms: present
    (m312,) = [m for r, _, _, m in got if r == "DL312"]
    assert "婚姻登记信息" in m312 and ca.COLS_NAME in m312
    # a missing column is one finding, not one per row
    assert not any(r == "DL305" for r, *_ in got)


def test_catalog_empty_and_prose_catalog() -> None:
    got = _mine(lint_json(CASES / "ca-catalog-empty", "--profile", "nanchong"))
    assert [(r, fl, loc) for r, fl, loc, _ in got] == [
        ("DL302", "02_政务信息资源目录.xlsx", {"sheet": "目录", "cell": "A2"}),
        ("DL303", "02_政务信息资源目录.xlsx", {"sheet": "目录", "cell": "A2"}),
        ("DL304", "03_政务信息资源目录编制说明.docx", {}),
    ]


def test_catalog_basis_follows_the_pack() -> None:
    nc = lint_json(CASES / "ca-catalog-columns", "--profile", "nanchong")
    tx = lint_json(CASES / "ca-catalog-columns", "--profile", "taixing")
    basis = {p: {d["rule"]: d["basis"] for d in r["packages"][0]["diagnostics"]} for p, r in (("nc", nc), ("tx", tx))}
    assert basis["nc"]["DL301"][0] == {"source": "南信办〔2023〕1号", "article": "二（五）"}
    assert basis["tx"]["DL301"][0]["source"] == "泰兴市市级政务信息化项目建设管理制度"


@pytest.mark.parametrize("profile", ["nanchong", "base"])
def test_clean_corpus_catalog_has_no_catalog_finding(profile: str) -> None:
    pkg = PACKAGES / "nanchong-zhcg-complete"
    assert pkg.is_dir(), "corpus/packages missing: python corpus/make_corpus.py"
    assert _mine(lint_json(pkg, "--profile", profile)) == []


def test_content_a_cases_are_committed_and_small() -> None:
    # Regenerating them needs the dev extra and a CJK font (python corpus/cases/make_content_a.py);
    # the suite reads the committed files, as users' files are read.
    files = [p for p in CASES.rglob("*") if p.is_file()]
    assert len(files) == 21
    assert sum(p.stat().st_size for p in files) < 400_000


def test_pack_header_words_extend_the_vocabulary() -> None:
    from dossier_lint.kinds.catalog import catalog_vocab

    rows = [["序号", "信息资源名称", "信息资源分类", "数源单位", "信息资源格式", "属性", "更新周期", "共享类型", "共享方式",
             "使用要求"], ["1", "甲信息", "部门", "市某局", "数据库", "非涉密", "每日", "无条件共享", "接口", "无"]]
    doc = Document(path="目录.xlsx", format="xlsx", tables=[sheet(rows)], kind="resource_catalog")
    assert "责任方" not in read_catalog(doc).views[0].fields
    (v,) = read_catalog(doc, catalog_vocab({"责任方": ["数源单位"]})).views
    assert v.fields["责任方"] == [3]


def test_fingerprints_are_distinct() -> None:
    """Two findings of one rule in one file (two empty cells of a row, two rows with the same bad value,
    two 小计) must not share a fingerprint, or a baseline would hide the second."""
    big = lint_json(CASES, "--profile", "nanchong")
    for pkg in big["packages"]:
        prints = [d["fingerprint"] for d in pkg["diagnostics"] if d["rule"][2] in "34"]
        assert len(prints) == len(set(prints)), pkg["name"]


def test_a_thin_catalog_is_still_the_catalog() -> None:
    """A catalog file whose table names resources but has few of the columns is read as the catalog (so
    DL301 lists what it lacks); the same table inside a report is not taken for a catalog."""
    rows = [["信息资源名称", "共享类型", "共享方式"], ["泊位信息", "无条件共享", "接口"]]
    cat = read_catalog(Document(path="目录.csv", format="csv", tables=[sheet(rows)], kind="resource_catalog"))
    assert len(cat.views) == 1 and [r.name() for r in cat.rows()] == ["泊位信息"]
    report = Document(path="可研.docx", format="docx", tables=[sheet(rows)], kind="feasibility_report",
                      parts=["resource_catalog"])
    assert read_catalog(report).views == []
