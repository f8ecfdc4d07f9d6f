"""DL701–DL704 end to end: the CLI on corpus packages with the sample catalog (corpus/catalog/)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import CORPUS, PACKAGES, lint_json, run_cli

ZHCG = PACKAGES / "nanchong-zhcg-complete"
XLSX = CORPUS / "catalog" / "nanchong-systems.xlsx"
CSV = CORPUS / "catalog" / "nanchong-systems.csv"
FORM = "01_南充市市级政务信息化项目备案审查表.docx"


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    monkeypatch.delenv("DOSSIER_LINT_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-cache"))


def dl7(report: dict, package: int = 0) -> list[dict]:
    return [d for d in report["packages"][package]["diagnostics"] if d["rule"].startswith("DL7")]


def by_path(report: dict) -> dict[str, list[dict]]:
    return {Path(p["path"]).name: [d for d in p["diagnostics"] if d["rule"].startswith("DL7")]
            for p in report["packages"]}


def test_zhcg_duplicates_the_other_units_system_not_its_own_predecessor():
    got = dl7(lint_json(ZHCG, "--profile", "nanchong", "--catalog", XLSX))
    assert [(d["rule"], d["severity"], d["file"]) for d in got] == [("DL701", "error", FORM)]
    d = got[0]
    top = d["data"]["matches"][0]
    assert top["system"]["name"] == "南充市数字化城市管理信息系统"
    assert top["system"]["department"] == "南充市住房和城乡建设局"
    assert top["catalog_row"] == f"“系统目录”第 {top['system']['row']} 行"
    assert top["score"] >= 0.8 and "城管" in top["shared_terms"]
    listed = {m["system"]["name"] for m in d["data"]["matches"]}
    assert "南充市数字化城市管理系统" not in listed  # the 一期 system of 南充市城市管理局 itself
    pred = {m["system"]["name"]: m for m in d["data"]["excluded"]}["南充市数字化城市管理系统"]
    assert pred["verdict"] == "predecessor" and "一期数字化城市管理系统" in pred["reason"]
    assert d["message"].startswith("“南充市智慧城管综合平台（二期）”与已建系统疑似重复建设（最高相似度 ")
    assert "“南充市数字化城市管理信息系统”（南充市住房和城乡建设局，“系统目录”第 " in d["message"]
    assert d["basis"][0] == {"source": "南信办〔2023〕1号", "article": "二（二）"}
    # it names the reused platforms: no use-common-system finding for 统一身份认证 / 数据共享交换
    assert not any(x["rule"] == "DL702" for x in got)


def test_gbk_csv_catalog_gives_the_same_finding():
    x = dl7(lint_json(ZHCG, "--profile", "nanchong", "--catalog", XLSX))
    c = dl7(lint_json(ZHCG, "--profile", "nanchong", "--catalog", CSV))
    assert [(d["rule"], d["file"], d["location"]) for d in c] == [(d["rule"], d["file"], d["location"]) for d in x]
    mx, mc = x[0]["data"]["matches"][0], c[0]["data"]["matches"][0]
    assert (mx["system"]["name"], mx["score"]) == (mc["system"]["name"], mc["score"])
    assert mc["catalog_row"] == f"第 {mx['system']['row'] - 1} 行"  # the CSV has no title row, no sheet


def test_without_catalog_the_check_says_it_was_skipped():
    got = dl7(lint_json(ZHCG, "--profile", "nanchong"))
    assert [(d["rule"], d["severity"], d["file"], d["location"]) for d in got] == [("DL704", "info", None, {})]
    assert "未提供已建系统目录" in got[0]["message"]


@pytest.mark.parametrize("content, wanted", [
    (b"foo,bar\n1,2\n", "找不到“系统名称”列"),
    ("系统名称,所属部门\n".encode(), "只有表头"),
    ("系统名称\n".encode() + b"\x81\xff\xfe\x80\n", "无法识别"),
])
def test_bad_catalog_exits_2_with_a_clear_message(tmp_path, content, wanted):
    bad = tmp_path / "目录.csv"
    bad.write_bytes(content)
    code, out, err = run_cli("check", ZHCG, "--catalog", bad, "--no-cache")
    assert code == 2
    assert wanted in err and "目录.csv" in err
    assert "Traceback" not in err


# ---------------------------------------------------------------- small packages written by the tests

ZJJ = """# 南充市城市综合管理服务平台可行性研究报告

## 第一章 项目概况

项目名称：南充市城市综合管理服务平台

项目建设单位：南充市住房和城乡建设局

## 第五章 建设内容

### 5.1 城市管理问题采集上报子系统

监督员通过移动终端采集上报市政设施、市容环境问题。

### 5.2 案件受理与立案子系统

受理上报问题并立案。

### 5.3 任务派遣与处置督办子系统

按权责清单派遣处置单位，超时督办，核查结案。
"""

RIVER = """# 南充市森林防火视频监测系统可行性研究报告

## 第一章 项目概况

项目名称：南充市森林防火视频监测系统

## 第五章 建设内容

### 5.1 林区视频监测子系统

在重点林区建设高点视频，识别烟火。

### 5.2 护林员巡护子系统

护林员巡护轨迹和打卡。

### 5.3 统一身份认证模块

建设本系统的统一身份认证和单点登录模块。
"""


def write_package(root: Path, name: str, text: str) -> Path:
    pkg = root / name
    pkg.mkdir(parents=True)
    title = text.splitlines()[0].lstrip("# ").strip()
    (pkg / f"{title}.md").write_text(text, encoding="utf-8")
    return pkg


def test_round_duplicates_are_reported_on_both_packages(tmp_path):
    rnd = tmp_path / "round"
    shutil.copytree(ZHCG, rnd / ZHCG.name)
    write_package(rnd, "zjj-ccgl", ZJJ)
    write_package(rnd, "lyj-fire", RIVER)
    report = lint_json(rnd, "--profile", "nanchong", "--jobs", "1")
    got = by_path(report)
    zhcg = [d for d in got[ZHCG.name] if d["rule"] == "DL703"]
    zjj = [d for d in got["zjj-ccgl"] if d["rule"] == "DL703"]
    assert [(d["severity"], d["file"]) for d in zhcg] == [("warning", FORM)]
    assert [(d["severity"], d["file"]) for d in zjj] == [("warning", "南充市城市综合管理服务平台可行性研究报告.md")]
    assert "“zjj-ccgl”的“南充市城市综合管理服务平台”" in zhcg[0]["message"]
    assert f"“{ZHCG.name}”的“南充市智慧城管综合平台（二期）”（南充市城市管理局）" in zjj[0]["message"]
    assert zhcg[0]["data"]["match"]["score"] == zjj[0]["data"]["match"]["score"] >= 0.5
    # the unrelated package of the same round: no round finding
    assert not [d for d in got["lyj-fire"] if d["rule"] == "DL703"]


def test_own_module_of_a_common_system_fires_dl702_unless_reused(tmp_path):
    pkg = write_package(tmp_path, "fire", RIVER)
    got = dl7(lint_json(pkg, "--profile", "nanchong", "--catalog", XLSX))
    common = [d for d in got if d["rule"] == "DL702"]
    assert len(common) == 1
    d = common[0]
    assert d["file"] == "南充市森林防火视频监测系统可行性研究报告.md"
    assert d["location"]["heading"].endswith("5.3 统一身份认证模块")
    assert "统建通用系统“南充市统一身份认证平台”（南充市大数据中心" in d["message"]
    # near miss: the same package says it builds on the city platform
    reused = RIVER.replace("建设本系统的统一身份认证和单点登录模块。", "用户登录依托市统一身份认证平台，不另建认证。")
    pkg2 = write_package(tmp_path, "fire2", reused)
    assert not [d for d in dl7(lint_json(pkg2, "--profile", "nanchong", "--catalog", XLSX)) if d["rule"] == "DL702"]


def test_no_cache_builds_the_index_in_memory_and_never_touches_the_index_cache(tmp_path, monkeypatch):
    import json
    import pickle

    from dossier_lint import config
    from dossier_lint.duplicates.catalog import load_catalog
    from dossier_lint.duplicates.index import build_index, clear_memo
    from dossier_lint.duplicates.text import segmenter

    monkeypatch.setenv("DOSSIER_LINT_CACHE_DIR", str(tmp_path / "cache"))
    index_dir = tmp_path / "cache" / "duplicates"
    clear_memo()
    config.resolve_settings([ZHCG], {"profile": "nanchong", "catalog": str(XLSX)})  # indexes and caches it
    (cached,) = index_dir.glob("index-*.pickle")
    # Poison the cached index with another catalog's: a run that reads the cache cannot find the 住建局 system.
    other = tmp_path / "other.csv"
    other.write_text("系统名称,所属部门\n南充市河长制管理信息系统,南充市水务局\n", encoding="utf-8")
    poison = pickle.dumps(build_index(load_catalog(other), segmenter()))
    cached.write_bytes(poison)

    def top_system(*extra: str) -> str | None:
        clear_memo()  # a fresh process
        code, out, err = run_cli("check", ZHCG, "--format", "json", "--profile", "nanchong", "--catalog", XLSX, *extra)
        assert code in (0, 1), err
        got = [d for d in json.loads(out)["packages"][0]["diagnostics"] if d["rule"] == "DL701"]
        return got[0]["data"]["matches"][0]["system"]["name"] if got else None

    assert top_system("--no-cache") == "南充市数字化城市管理信息系统"
    assert [p.name for p in index_dir.iterdir()] == [cached.name] and cached.read_bytes() == poison
    assert not (tmp_path / "cache" / "v1").exists()  # nor the read / package caches
    # near miss: without --no-cache the (poisoned) cached index is what the run uses
    assert top_system() is None
    clear_memo()  # leave no poisoned index in this process's memory for the tests after this one


def test_a_duplicate_in_the_warning_band_stays_a_warning(tmp_path):
    """A duplicate is graded by the band its similarity falls in, never above its rule: the finishing step
    (per-path ignores, the user's [severity], waivers) must keep that grade, not reset it to the rule's."""
    from dossier_lint.duplicates.index import clear_memo

    clear_memo()  # a fresh process: no index another test left in memory
    pack = tmp_path / "strict.toml"
    pack.write_text('[pack]\nname = "strict"\nextends = "nanchong"\n\n'
                    "[settings]\nduplicate-thresholds = { error = 0.99, warning = 0.5 }\n", encoding="utf-8")
    got = dl7(lint_json(ZHCG, "--profile", str(pack), "--catalog", XLSX))
    assert [(d["rule"], d["severity"], d["data"]["severity_band"]) for d in got] == [("DL701", "warning", "warning")]
    assert 0.8 <= got[0]["data"]["matches"][0]["score"] < 0.99
    # near miss: with Nanchong's own thresholds the same match is in the error band
    got = dl7(lint_json(ZHCG, "--profile", "nanchong", "--catalog", XLSX))
    assert [(d["rule"], d["severity"], d["data"]["severity_band"]) for d in got] == [("DL701", "error", "error")]
    # and the user's [severity] still caps it
    cfg = tmp_path / "dossier-lint.toml"
    cfg.write_text('severity = { DL701 = "info" }\n', encoding="utf-8")
    got = dl7(lint_json(ZHCG, "--profile", "nanchong", "--catalog", XLSX, "--config", cfg))
    assert [(d["rule"], d["severity"]) for d in got] == [("DL701", "info")]
