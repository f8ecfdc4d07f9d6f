"""Cross-document consistency of name, unit, type and mode (DL801–DL805)."""

from __future__ import annotations

import sys

import pytest

from helpers import CONTENT_B_CASES, CORPUS, PACKAGES, corpus_packages, findings_of, lint_json

sys.path.insert(0, str(CORPUS / "cases"))

import make_content_b as mk  # noqa: E402

from dossier_lint.kinds.consistency import same  # noqa: E402

CONSISTENCY = {f"DL8{n:02d}" for n in range(1, 30)}


@pytest.mark.parametrize(
    ("a", "b", "compare", "expected"),
    [
        ("南充市智慧城管综合平台（二期）项目", "智慧城管综合平台(二期)", "name", True),
        ("南充市智慧城管综合平台（二期）项目", "南充市智慧城管综合平台（二期）建设项目", "name", True),
        ("南充市智慧城管综合平台（二期）项目", "南充市智慧城管综合平台（一期）项目", "name", False),
        ("南充市智慧城管综合平台（二期）项目", "南充市数字城管平台建设项目", "name", False),
        ("南充市城市管理行政执法局", "市城管执法局", "org", True),
        ("南充市城市管理行政执法局", "南充市住房和城乡建设局", "org", False),
        ("新建", "续建", "exact", False),
        ("新建", " 新建 ", "exact", True),
    ],
)
def test_same(a: str, b: str, compare: str, expected: bool) -> None:
    assert same(a, b, compare) is expected


def test_consistency_findings_name_both_places() -> None:
    report = lint_json(CONTENT_B_CASES / "nc-consistency", "--profile", "nanchong")
    feas = "南充市数字城管平台建设项目可行性研究报告.md"
    assert findings_of(report, CONSISTENCY) == [
        ("DL801", feas, {"heading": mk.CON_FEAS_TITLE, "line": 1}),
        ("DL802", feas, {"heading": f"{mk.CON_FEAS_TITLE} > 第一章 项目概况", "line": 3}),
        ("DL803", feas, {"heading": f"{mk.CON_FEAS_TITLE} > 第一章 项目概况", "line": 4}),
    ]
    by = {d["rule"]: d for d in report["packages"][0]["diagnostics"] if d["rule"] in CONSISTENCY}
    assert by["DL801"]["message"] == (
        f"项目名称不一致：{feas} 第1行为“南充市数字城管平台建设项目”，"
        "备案审查表.xlsx 备案审查表!B2为“南充市智慧城管综合平台（二期）项目”")
    assert by["DL802"]["message"] == (
        f"项目单位不一致：{feas} 第3行为“南充市住房和城乡建设局”，备案审查表.xlsx 备案审查表!B3为“南充市城市管理行政执法局”")
    assert by["DL803"]["evidence"] == mk.CON_TYPE
    assert by["DL803"]["severity"] == "error"
    # near misses: the 初设 shortens the name and the unit; neither is reported
    assert all("初步设计方案" not in (d["file"] or "") for d in by.values())


def test_sample_corpus_consistent_packages() -> None:
    """Packages whose documents agree give no consistency finding."""
    for name, profile in (("nanchong-zhcg-complete", "nanchong"), ("chenzhou-new-build.zip", "chenzhou")):
        report = lint_json(PACKAGES / name, "--profile", profile)
        assert findings_of(report, CONSISTENCY) == [], name


def test_every_sample_package_runs_the_content_checks_without_error() -> None:
    """No content check raises on any sample package (the engine would print 内部错误 and skip it)."""
    from helpers import run_cli

    for pkg in corpus_packages():
        code, out, err = run_cli("check", pkg, "--format", "json", "--no-cache", "--profile", "nanchong")
        assert "内部错误" not in err, (pkg, err)
