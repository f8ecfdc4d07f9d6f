"""A resubmission against a baseline shows new / unchanged / fixed in every format."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema

from helpers import PACKAGES, SHARED, run_cli


def _round(tmp_path: Path) -> tuple[Path, Path]:
    pkg = tmp_path / "pkg"
    shutil.copytree(PACKAGES / "nanchong-missing-docs", pkg)
    baseline = tmp_path / "base.json"
    code, _, err = run_cli("check", pkg, "--profile", "nanchong", "--no-cache", "--write-baseline", baseline)
    assert code == 1, err
    # the resubmission adds the missing catalog: DL104 is fixed, the rest unchanged
    shutil.copy(PACKAGES / "nanchong-zhcg-complete" / "04_政务信息资源目录.xlsx", pkg / "政务信息资源目录.xlsx")
    return pkg, baseline


def _check(pkg: Path, baseline: Path, fmt: str, out: Path) -> int:
    code, _, err = run_cli("check", pkg, "--profile", "nanchong", "--no-cache", "--baseline", baseline,
                           "--format", fmt, "--output", out)
    assert code in (0, 1), err
    return code


def test_baseline_states_in_sarif_json_text_and_html(tmp_path: Path) -> None:
    pkg, baseline = _round(tmp_path)
    assert _check(pkg, baseline, "sarif", tmp_path / "r.sarif") == 0  # nothing new: the run passes
    sarif = json.loads((tmp_path / "r.sarif").read_text("utf-8"))
    jsonschema.validate(sarif, json.loads((SHARED / "schemas" / "sarif-schema-2.1.0.json").read_text("utf-8")))
    states = {(r["ruleId"], r["baselineState"]) for r in sarif["runs"][0]["results"]}
    assert ("DL104", "absent") in states
    assert ("DL203", "unchanged") in states and ("DL202", "unchanged") in states

    _check(pkg, baseline, "json", tmp_path / "r.json")
    report = json.loads((tmp_path / "r.json").read_text("utf-8"))["packages"][0]
    assert report["diagnostics"] == []
    assert {d["rule"] for d in report["unchanged"]} >= {"DL105", "DL202", "DL203", "DL201"}
    assert all(d["baseline"] == "unchanged" for d in report["unchanged"])
    assert [f["rule"] for f in report["fixed"]] == ["DL104"]

    _check(pkg, baseline, "html", tmp_path / "r.html")
    html = (tmp_path / "r.html").read_text("utf-8")
    assert "与上次提交相比已修复（1 项）" in html and "缺少政务信息资源目录" in html
    assert html.count("与上次相同") == len(report["unchanged"])

    code, out, _ = run_cli("check", pkg, "--profile", "nanchong", "--no-cache", "--baseline", baseline)
    assert code == 0
    assert "pkg: DL104 已修复：缺少政务信息资源目录" in out
    assert f"另有 {len(report['unchanged'])} 个问题与基线相同" in out


def test_new_finding_fails_the_run_against_a_baseline(tmp_path: Path) -> None:
    pkg, baseline = _round(tmp_path)
    (pkg / "南充市智慧养老服务平台可行性研究报告.docx").unlink()
    code, out, _ = run_cli("check", pkg, "--profile", "nanchong", "--no-cache", "--baseline", baseline)
    assert code == 1
    assert "(新增)" in out
