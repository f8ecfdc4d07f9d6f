"""Duplicate construction (DL7xx) below the CLI: catalog loading, segmentation, scoring, exclusions,
cross-package matching, and an index over a generated catalog large enough to need it.

End-to-end runs of the CLI on corpus packages are in test_duplicates_e2e.py."""

from __future__ import annotations

import csv
import io
import json
import sys
import time
from pathlib import Path

import pytest

from dossier_lint.duplicates import (
    COMMON,
    DUPLICATE,
    PREDECESSOR,
    REUSED,
    CatalogError,
    Matcher,
    Proposal,
    cross_package,
    load_catalog,
)
from dossier_lint.duplicates.catalog import decode_text
from dossier_lint.duplicates.index import build_index, clear_memo, load_index
from dossier_lint.duplicates.proposal import FunctionItem, extract_reuses
from dossier_lint.duplicates.text import W_GENERIC, W_WEAK, segmenter
from dossier_lint.model import Block, Document, Fact, Facts, Location, Package
from helpers import CORPUS

CATALOG_DIR = CORPUS / "catalog"
SAMPLE_XLSX = CATALOG_DIR / "nanchong-systems.xlsx"
SAMPLE_CSV = CATALOG_DIR / "nanchong-systems.csv"
sys.path.insert(0, str(CATALOG_DIR))
import make_catalog  # noqa: E402


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    """Every test writes its caches under a temp dir (never the developer's ~/.cache)."""
    root = tmp_path_factory.getbasetemp() / "xdg-cache"
    monkeypatch.delenv("DOSSIER_LINT_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(root))
    yield


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


SMALL = [
    ["系统名称", "所属部门", "主要功能", "是否统建"],
    ["南充市数字化城市管理信息系统", "南充市住房和城乡建设局", "城市管理问题上报、立案、派遣、处置、核查、结案", "否"],
    ["南充市数字化城市管理系统", "南充市城市管理局", "监督受理、协同工作、监督指挥、综合评价", "否"],
    ["南充市统一身份认证平台", "南充市大数据中心", "统一用户管理、统一身份认证、单点登录", "是"],
    ["南充市不动产登记信息平台", "南充市自然资源和规划局", "不动产登记受理、审核、登簿、发证", "否"],
    ["南充市河长制管理信息系统", "南充市水务局", "河湖名录、巡河、问题交办、考核", "否"],
]


def put(path: Path, data: bytes | str) -> Path:
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def small_matcher(tmp_path: Path, rows: list[list[str]] = SMALL) -> Matcher:
    idx = build_index(load_catalog(write_csv(tmp_path / "cat.csv", rows)), segmenter())
    return Matcher(segmenter(), idx)


def names(matches, verdict: str | None = None) -> list[str]:
    return [m.system.name for m in matches if verdict is None or m.verdict == verdict]


# ---------------------------------------------------------------- catalog loading


def test_sample_catalog_xlsx_has_header_below_title_and_all_columns():
    cat = load_catalog(SAMPLE_XLSX)
    assert len(cat.systems) > 1500
    assert set(cat.columns) == {"name", "department", "functions", "year", "status", "location", "code", "common"}
    first = cat.systems[0]
    assert first.row == 3 and first.sheet == "系统目录"  # row 1 title, row 2 header
    assert first.ref == "“系统目录”第 3 行"
    common = {s.name for s in cat.systems if s.common}
    assert "南充市统一身份认证平台" in common and "南充市数字化城市管理信息系统" not in common


def test_sample_catalog_gbk_csv_matches_the_xlsx():
    raw = SAMPLE_CSV.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # really GBK, not UTF-8
    x, c = load_catalog(SAMPLE_XLSX), load_catalog(SAMPLE_CSV)
    assert [(s.name, s.department, s.common) for s in x.systems] == [(s.name, s.department, s.common) for s in c.systems]
    assert c.systems[0].row == 2 and c.systems[0].sheet is None


def test_committed_sample_is_what_the_generator_makes():
    assert make_catalog.main(["--check"]) == 0


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings_are_detected(tmp_path, encoding):
    cat = load_catalog(write_csv(tmp_path / "c.csv", SMALL, encoding))
    assert cat.systems[0].name == "南充市数字化城市管理信息系统"
    assert cat.systems[2].common


def test_header_synonyms_any_order_and_rows_above(tmp_path):
    rows = [
        ["某某市政务信息系统目录"],
        [],
        ["统建通用", "建设内容", "建设单位", "信息系统名称（全称）", "上线时间", "状态", "部署方式", "目录编号"],
        ["√", "统一身份认证、单点登录", "市大数据中心", "统一身份认证平台", "2020", "运行中", "政务云", "A-01"],
        ["", "河湖名录、巡河", "市水务局", "河长制管理信息系统", "2018", "已停用", "自建机房", "A-02"],
    ]
    cat = load_catalog(write_csv(tmp_path / "c.csv", rows))
    a, b = cat.systems
    assert (a.name, a.department, a.functions, a.year, a.code, a.common) == (
        "统一身份认证平台", "市大数据中心", "统一身份认证、单点登录", "2020", "A-01", True)
    assert (b.status, b.location, b.common, b.row) == ("已停用", "自建机房", False, 5)


def test_repeated_header_rows_are_skipped_however_written(tmp_path):
    rows = [
        ["系统名称", "所属部门"],
        [" 南充市河长制管理信息系统 ", "南充市水务局"],
        ["系统名称（必填）", "所属部门"],  # the header repeated on a printed page break
        ["系统㊔称", "所属部门"],  # an enclosed ideograph that NFKC folds into 名
        ["名称管理系统", "南充市民政局"],  # near miss: holds 名称 but is a system
    ]
    cat = load_catalog(write_csv(tmp_path / "c.csv", rows))
    assert [(s.name, s.row) for s in cat.systems] == [("南充市河长制管理信息系统", 2), ("名称管理系统", 5)]


def test_json_catalog_list_and_object(tmp_path):
    items = [{"系统名称": "南充市河长制管理信息系统", "建设单位": "南充市水务局", "系统简介": ["河湖名录", "巡河"],
              "是否统建": False}]
    p1 = tmp_path / "a.json"
    p1.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    p2 = tmp_path / "b.json"
    p2.write_text(json.dumps({"systems": items}, ensure_ascii=False), encoding="utf-8")
    for p in (p1, p2):
        s = load_catalog(p).systems[0]
        assert (s.name, s.department, s.functions, s.common, s.ref) == (
            "南充市河长制管理信息系统", "南充市水务局", "河湖名录、巡河", False, "第 1 条")


@pytest.mark.parametrize(
    "make, wanted",
    [
        (lambda d: write_csv(d / "x.csv", [["部门", "功能"], ["市水务局", "巡河"]]), ["x.csv", "系统名称", "部门、功能"]),
        (lambda d: put(d / "x.csv", b""), ["x.csv", "空文件"]),
        (lambda d: write_csv(d / "x.csv", [["系统名称", "所属部门"]]), ["x.csv", "只有表头"]),
        (lambda d: put(d / "x.csv", "系统名称\n".encode() + b"\x81\xff\xfe\x80"),
         ["x.csv", "编码", "UTF-8", "GBK"]),
        (lambda d: put(d / "x.csv", b"\x00\x01\x02binary\x00"), ["x.csv", "编码"]),
        (lambda d: put(d / "x.xlsx", b"PK\x03\x04 not a workbook"), ["x.xlsx", "Excel"]),
        (lambda d: put(d / "x.json", "{oops"), ["x.json", "JSON"]),
        (lambda d: put(d / "x.json", '[{"部门": "a"}]'), ["x.json", "系统名称"]),
        (lambda d: put(d / "x.doc", b"hello"), ["x.doc", "不支持"]),
        (lambda d: d / "missing.csv", ["missing.csv", "找不到"]),
    ],
    ids=["no-name-column", "empty", "header-only", "wrong-encoding", "binary", "corrupt-xlsx", "bad-json",
         "json-no-name", "unsupported", "missing"],
)
def test_bad_catalogs_raise_a_chinese_error_naming_file_and_problem(tmp_path, make, wanted):
    path = make(tmp_path)
    with pytest.raises(CatalogError) as e:
        load_catalog(path)
    for w in wanted:
        assert w in str(e.value)


def test_decode_prefers_utf8_then_gbk():
    assert decode_text("系统名称".encode("gbk"), "x") == "系统名称"
    assert decode_text("系统名称".encode(), "x") == "系统名称"
    assert decode_text("\ufeff系统名称".encode("utf-8"), "x") == "系统名称"


# ---------------------------------------------------------------- segmentation and synonyms


def test_synonyms_fold_城管_and_drop_places_and_weight_generic_words_down():
    seg = segmenter()
    a = seg.tokens("南充市智慧城管综合平台（二期）")
    b = seg.tokens("数字化城市管理信息系统")
    assert "城管" in a and "城管" in b
    assert "南充" not in a and "南充市" not in a
    lex = seg.lex
    assert lex.weight("系统") == W_GENERIC and lex.weight("二期") == W_GENERIC
    assert lex.weight("城管") > lex.weight("智慧") > lex.weight("平台")
    assert "12345" in seg.tokens("市长热线") and "身份认证" in seg.tokens("统一用户认证")


def test_health_platform_family_is_narrow():
    seg = segmenter()
    assert "全民健康" in seg.tokens("南充市区域卫生信息平台") and "全民健康" in seg.tokens("全民健康信息平台")
    # 健康信息 alone is any unit's data about health, not the 全民健康信息平台
    assert "全民健康" not in seg.tokens("妇幼健康信息登记、变更注销")


def test_rule_pack_settings_add_synonyms_without_code():
    from dossier_lint.duplicates.text import lexicon

    plain = segmenter()
    assert "智慧停车" not in plain.tokens("泊车诱导屏")
    extra = lexicon({"duplicate-synonyms": {"智慧停车": ["泊车"]}, "duplicate-stopwords": ["诱导屏"]})
    seg = segmenter(extra)
    assert extra.digest != plain.lex.digest  # so cached indexes are not shared between the two
    assert "智慧停车" in seg.tokens("泊车诱导屏") and seg.lex.weight("诱导屏") == W_GENERIC


def test_word_order_does_not_change_the_score(tmp_path):
    m = small_matcher(tmp_path)
    p1 = Proposal("a", "南充市城市管理问题处置派遣平台", tasks="问题上报、立案派遣、核查结案")
    p2 = Proposal("b", "南充市派遣处置城市管理问题平台", tasks="核查结案、立案派遣、问题上报")
    s1 = {m.system.name: round(m.score, 6) for m in m.match(p1)}
    s2 = {m.system.name: round(m.score, 6) for m in m.match(p2)}
    assert s1 == s2 and s1


# ---------------------------------------------------------------- scoring and exclusions


def test_rephrased_system_of_another_unit_matches(tmp_path):
    m = small_matcher(tmp_path)
    p = Proposal("p", "南充市智慧城管综合平台", department="南充市城市管理局", project_type="新建",
                 tasks="城市管理问题发现、立案、派遣、处置、核查、结案闭环管理")
    got = m.match(p)
    assert got[0].system.name in ("南充市数字化城市管理信息系统", "南充市数字化城市管理系统")
    assert {"南充市数字化城市管理信息系统", "南充市数字化城市管理系统"} <= set(names(got, DUPLICATE))
    assert "城管" in got[0].shared
    assert "南充市河长制管理信息系统" not in names(got)  # unrelated: below every threshold


def test_predecessor_named_by_fact_is_excluded_but_not_a_namesake_of_another_unit(tmp_path):
    m = small_matcher(tmp_path)
    p = Proposal("p", "南充市智慧城管综合平台（二期）", department="南充市城市管理局", project_type="新建",
                 predecessor="一期数字化城市管理系统",
                 tasks="在一期基础上建设智能派遣、处置督办、核查结案，城市管理问题闭环管理")
    got = {x.system.name: x for x in m.match(p)}
    assert got["南充市数字化城市管理系统"].verdict == PREDECESSOR
    assert got["南充市数字化城市管理信息系统"].verdict == DUPLICATE  # 住建局's: must still fire


@pytest.mark.parametrize("ptype, name, excluded", [
    ("续建", "南充市不动产登记信息平台续建", True),
    ("改建", "南充市不动产登记信息平台", True),
    ("运维", "南充市不动产登记信息平台运行维护", True),
    ("新建", "南充市不动产登记信息平台（二期）", True),  # 二期 wording
    ("新建", "南充市不动产登记信息平台", False),  # the unit builds again what it has: duplicate
])
def test_same_unit_same_system_is_a_predecessor_only_when_continued(tmp_path, ptype, name, excluded):
    m = small_matcher(tmp_path)
    p = Proposal("p", name, department="南充市自然资源和规划局", project_type=ptype,
                 tasks="不动产登记受理、审核、登簿、发证")
    hit = next(x for x in m.match(p) if x.system.name == "南充市不动产登记信息平台")
    assert hit.verdict == (PREDECESSOR if excluded else DUPLICATE)


def test_same_system_of_another_unit_is_not_a_predecessor_even_for_a_续建(tmp_path):
    m = small_matcher(tmp_path)
    p = Proposal("p", "南充市不动产登记信息平台续建", department="南充市住房和城乡建设局", project_type="续建",
                 tasks="不动产登记受理、审核、登簿、发证")
    hit = next(x for x in m.match(p) if x.system.name == "南充市不动产登记信息平台")
    assert hit.verdict == DUPLICATE


def test_listed_function_of_a_common_system_fires_unless_the_package_reuses_it(tmp_path):
    m = small_matcher(tmp_path)
    fns = [FunctionItem("河湖巡查上报"), FunctionItem("统一身份认证与单点登录")]
    p = Proposal("p", "南充市河湖巡查监管系统", department="南充市林业局", tasks="河湖巡查、问题上报", functions=fns)
    hit = next(x for x in m.match(p) if x.system.name == "南充市统一身份认证平台")
    assert hit.verdict == COMMON and hit.via is not None and "身份认证" in hit.via.text
    p.reuses = ["市统一身份认证平台"]
    hit = next(x for x in m.match(p) if x.system.name == "南充市统一身份认证平台")
    assert hit.verdict == REUSED


def test_common_system_of_the_own_unit_is_no_use_common_finding(tmp_path):
    m = small_matcher(tmp_path)
    p = Proposal("p", "南充市统一身份认证平台", department="南充市大数据中心", project_type="新建",
                 tasks="统一用户管理、统一身份认证、单点登录")
    hit = next(x for x in m.match(p) if x.system.name == "南充市统一身份认证平台")
    assert hit.verdict == DUPLICATE


def test_reuse_sentences_are_found_in_documents():
    doc = Document(path="a.docx", format="docx", blocks=[
        Block("支撑层复用市统一身份认证、电子印章、统一消息等共性平台。", Location(paragraph=0)),
        Block("平台接入市级数据共享交换平台，不接入省平台。", Location(paragraph=1)),
        Block("本项目不依托市视频共享平台。", Location(paragraph=2)),
    ])
    got = extract_reuses(Package(path="x", name="x", documents=[doc]))
    assert {"市统一身份认证", "电子印章", "统一消息", "市级数据共享交换平台"} <= set(got)
    assert not any("视频共享" in g for g in got)  # 不依托: negated


# ---------------------------------------------------------------- cross-package (one review round)


def _package(path: str, name: str, unit: str, tasks: str) -> Package:
    f = Facts()
    f.add("name", Fact(name, "申报表.docx", Location(paragraph=1), f"项目名称：{name}"))
    f.add("unit", Fact(unit, "申报表.docx", Location(paragraph=2), ""))
    f.add("tasks", Fact(tasks, "申报表.docx", Location(paragraph=3), ""))
    return Package(path=path, name=Path(path).name, facts=f)


ROUND = [
    ("round/jxj", "南充市企业综合服务平台", "南充市经济和信息化局", "惠企政策精准推送、企业诉求受理办理、融资对接、企业画像"),
    ("round/tcj", "南充市惠企政策直达与企业服务平台", "南充市投资促进局", "惠企政策推送、企业诉求办理、金融服务对接、企业画像分析"),
    ("round/sw", "南充市河湖长制智慧监管平台", "南充市水务局", "河湖名录管理、河长巡河、涉河问题交办、河长履职考核"),
]


def test_cross_package_reports_each_duplicate_pair_on_both_packages():
    got = cross_package([_package(*r) for r in ROUND])
    assert [m.other_path for m in got["round/jxj"]] == ["round/tcj"]
    assert [m.other_path for m in got["round/tcj"]] == ["round/jxj"]
    assert got["round/sw"] == []
    assert got["round/jxj"][0].score == got["round/tcj"][0].score
    assert {"企业画像"} <= set(got["round/jxj"][0].shared) or "画像" in got["round/jxj"][0].shared


def test_cross_package_accepts_name_facts_tuples():
    rnd = [(path, name, _package(path, name, unit, tasks).facts) for path, name, unit, tasks in ROUND]
    got = cross_package(rnd)
    assert [m.other_path for m in got["round/tcj"]] == ["round/jxj"]


def test_cross_package_hook_adds_dl703_to_both_results():
    from dossier_lint import config, engine

    settings = config.resolve_settings([], {"profile": "nanchong"})
    run = engine.RunResult(settings=settings)
    for r in ROUND:
        run.packages.append(engine.PackageResult(package=_package(*r), profile="nanchong"))
    cross_package(run, settings)
    got = {r.package.path: [(d.rule, d.severity, d.file) for d in r.diagnostics] for r in run.packages}
    assert got["round/jxj"] == [("DL703", "warning", "申报表.docx")]
    assert got["round/tcj"] == [("DL703", "warning", "申报表.docx")]
    assert got["round/sw"] == []
    d = run.packages[0].diagnostics[0]
    assert "tcj" in d.message and "南充市惠企政策直达与企业服务平台" in d.message
    assert d.data["match"]["package"] == "round/tcj"
    # the two findings of a pair are distinct findings (fingerprints differ by package file / pair)
    assert run.packages[0].diagnostics[0].fingerprint != run.packages[1].diagnostics[0].fingerprint


def test_kind_reports_round_from_shared_round_too():
    from dossier_lint import config
    from dossier_lint.kinds.duplicate import duplicate
    from dossier_lint.rule import Context

    settings = config.resolve_settings([], {"profile": "nanchong"})
    rule = settings.pack.rules["DL703"]
    pkgs = [_package(*r) for r in ROUND]
    shared = {"round": pkgs}
    got = [list(duplicate(rule, Context(package=p, settings=settings, shared=shared))) for p in pkgs]
    assert [len(g) for g in got] == [1, 1, 0]


# ---------------------------------------------------------------- the index at scale, and its cache


def test_generated_20k_catalog_index_finds_planted_duplicate_and_caches_outside_catalog_dir(tmp_path):
    systems = make_catalog.generate(20_000, seed=3)
    catdir = tmp_path / "user-files"
    catdir.mkdir()
    path = catdir / "big.csv"
    make_catalog.write_csv(systems, path, encoding="gbk")
    before = sorted(p.name for p in catdir.iterdir())
    clear_memo()
    t0 = time.perf_counter()
    idx = load_index(path)
    build = time.perf_counter() - t0
    assert idx.size == 20_000 and not idx.from_cache
    assert build < 30, f"index build took {build:.1f}s"
    m = Matcher(segmenter(), idx)
    p = Proposal("p", "南充市城区停车泊位智慧管理平台", department="南充市城市管理局",
                 tasks="路内停车泊位和停车场信息接入、停车诱导、车位预约、在线缴费")
    t0 = time.perf_counter()
    got = m.match(p)
    query = time.perf_counter() - t0
    assert "南充市智慧停车管理平台" in names(got, DUPLICATE)[:3]
    assert query < 2.0, f"query took {query:.2f}s"
    # a second process (simulated: memo cleared) loads the index from the user cache dir
    clear_memo()
    again = load_index(path)
    assert again.from_cache and again.size == 20_000
    assert sorted(p.name for p in catdir.iterdir()) == before  # nothing written next to the catalog
    # editing the catalog invalidates the cache
    make_catalog.write_csv(systems[:100], path, encoding="gbk")
    clear_memo()
    small = load_index(path)
    assert not small.from_cache and small.size == 100


def test_catalog_survives_the_index_cache_pickle_field_for_field():
    import dataclasses
    import pickle

    from dossier_lint.duplicates.catalog import _PACKED, CatalogSystem

    # the compact pickle lists CatalogSystem's fields by name: a new field must be added there too
    assert tuple(f.name for f in dataclasses.fields(CatalogSystem)) == ("index", *_PACKED)
    for path in (SAMPLE_XLSX, SAMPLE_CSV):
        cat = load_catalog(path)
        again = pickle.loads(pickle.dumps(cat, protocol=pickle.HIGHEST_PROTOCOL))
        assert again == cat and again.systems[10].ref == cat.systems[10].ref


def test_no_cache_index_is_built_in_memory_only(tmp_path, monkeypatch):
    monkeypatch.setenv("DOSSIER_LINT_CACHE_DIR", str(tmp_path / "cache"))
    path = write_csv(tmp_path / "cat.csv", SMALL)
    clear_memo()
    idx = load_index(path, use_cache=False)
    assert idx.size == 5 and not idx.from_cache
    assert not list((tmp_path / "cache").rglob("index-*"))
    clear_memo()
    load_index(path)  # near miss: the default writes the cache file
    assert len(list((tmp_path / "cache").rglob("index-*.pickle"))) == 1


def test_a_pair_scored_both_ways_at_once_is_each_way_scored_alone():
    """match.pair_features shares what both directions of a round pair have in common; each direction
    must be what the one-way formulas give, exactly, whatever order the sets iterate in."""
    import math
    import random

    from rapidfuzz import fuzz

    from dossier_lint.duplicates.match import Bag, pair_features

    seg = segmenter()
    lex, w = seg.lex, seg.lex.weight

    def one_way(a: Bag, b: Bag) -> dict[str, float]:
        def ws(ts, f=w):
            return math.fsum(f(t) for t in ts)

        def con(ts):
            return " ".join(sorted({t for t in ts if lex.weight(t) >= W_WEAK}))

        acn, bcn, aca, bca = con(a.name_set), con(b.name_set), con(a.all_set), con(b.all_set)
        den_n, den_a = ws(a.name_set) + ws(b.name_set), ws(a.all_set) + ws(b.all_set)
        return {
            "name": 2 * ws(a.name_set & b.name_set) / den_n if den_n > 0 else 0.0,
            "name_fuzz": fuzz.token_set_ratio(acn, bcn) / 100 if acn and bcn else 0.0,
            "desc": 2 * ws(a.all_set & b.all_set) / den_a if den_a > 0 else 0.0,
            "cover": ws(a.all_set & b.all_set) / ws(b.all_set) if ws(b.all_set) > 0 else 0.0,
            "fuzz": fuzz.token_set_ratio(aca, bca) / 100 if aca and bca else 0.0,
            "sys_name_in": ws(a.all_set & b.name_set, lex.weight) / ws(b.name_set, lex.weight)
            if ws(b.name_set, lex.weight) > 0 else 0.0,
            "name_in_sys": ws(b.all_set & a.name_set, lex.weight) / ws(a.name_set, lex.weight)
            if ws(a.name_set, lex.weight) > 0 else 0.0,
        }

    texts = ["南充市智慧城管综合平台", "城市管理数字化监督指挥系统", "12345政务服务便民热线", "不动产登记信息管理平台",
             "智慧教育云平台", "统一身份认证平台", "数字城管案件受理与派遣", "电子证照共享", "", "系统"]
    rng = random.Random(7)
    for _ in range(300):
        a = Bag(seg.tokens(rng.choice(texts)), seg.tokens("，".join(rng.sample(texts, 3))))
        b = Bag(seg.tokens(rng.choice(texts)), seg.tokens("，".join(rng.sample(texts, 2))))
        assert pair_features(a, b, lex, w) == (one_way(a, b), one_way(b, a))
