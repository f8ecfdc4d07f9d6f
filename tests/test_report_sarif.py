"""SARIF 2.1.0: schema-valid, code-scanning ready, consistent with the JSON report."""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import unquote

import pytest

from dossier_lint.report import sarif
from helpers import ROOT, check_round, synthetic_run

SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def validator():
    import jsonschema

    assert SCHEMA.is_file(), f"SARIF schema missing: {SCHEMA} (CI has ../shared beside the clone)"
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema)


@pytest.fixture(scope="module")
def round_reports(tmp_path_factory):
    out = tmp_path_factory.mktemp("sarif") / "round.sarif"
    cwd = Path.cwd()
    os.chdir(ROOT)  # paths in SARIF are relative to the working directory (the checkout in CI)
    try:
        code, _, err = check_round("--format", "sarif", "--output", out)
    finally:
        os.chdir(cwd)
    assert code in (0, 1), err
    code2, text, err2 = check_round("--format", "json")
    assert code2 == code, err2
    return json.loads(out.read_text(encoding="utf-8")), json.loads(text)


def _errors(validator, doc):
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]


def test_round_is_schema_valid(validator, round_reports):
    doc, _ = round_reports
    assert _errors(validator, doc) == []
    assert doc["version"] == "2.1.0" and len(doc["runs"]) == 1


def test_round_matches_json_report(round_reports):
    doc, report = round_reports
    results = doc["runs"][0]["results"]
    active = [r for r in results if "suppressions" not in r]
    expected = [(d["rule"], d["severity"], d["fingerprint"]) for p in report["packages"] for d in p["diagnostics"]]
    level = {"error": "error", "warning": "warning", "info": "note"}
    assert [(r["ruleId"], r["level"], r["partialFingerprints"]["dossierLint/v1"]) for r in active] == [
        (rule, level[sev], fp) for rule, sev, fp in expected
    ]
    assert expected, "the corpus round should have findings"


def test_round_meets_code_scanning_requirements(round_reports):
    doc, report = round_reports
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert len({r["id"] for r in rules}) == len(rules)
    for r in rules:
        assert r["shortDescription"]["text"] and r["fullDescription"]["text"] and r["help"]["text"]
        assert r["name"] and r["defaultConfiguration"]["level"] in ("error", "warning", "note")
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["message"]["text"]
        [loc] = res["locations"]
        phys = loc["physicalLocation"]
        uri = phys["artifactLocation"]["uri"]
        assert not uri.startswith(("/", "file:")), uri  # relative to the checkout
        assert (ROOT / unquote(uri)).exists(), uri  # the file (or the package) is really there
        assert phys["region"]["startLine"] >= 1


def test_places_travel_in_properties_and_logical_locations(round_reports):
    doc, report = round_reports
    results = doc["runs"][0]["results"]
    pdf = [r for r in results if r["locations"][0]["physicalLocation"]["region"].get("properties", {}).get("page")]
    assert pdf, "some corpus finding should be on a PDF page"
    for r in pdf:
        region = r["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] == 1
        assert any(ll.get("kind") == "resource" for ll in r["locations"][0]["logicalLocations"])
    with_evidence = [d for p in report["packages"] for d in p["diagnostics"] if d["evidence"]]
    snippets = [r["locations"][0]["physicalLocation"]["region"].get("snippet", {}).get("text") for r in results]
    assert {d["evidence"] for d in with_evidence} <= set(snippets)


def test_waivers_and_baseline_state(validator):
    run, settings = synthetic_run()
    doc = sarif.build(run, settings, {})
    assert _errors(validator, doc) == []
    results = doc["runs"][0]["results"]
    suppressed = [r for r in results if "suppressions" in r]
    assert len(suppressed) == 3  # one waived finding per package
    assert suppressed[0]["suppressions"] == [
        {"kind": "external", "status": "accepted", "justification": "专家组同意：续建项目沿用原章节"}
    ]
    states = [r.get("baselineState") for r in results if r["properties"]["package"].endswith("1")]
    assert states == ["new", "new", "new", None]
    # a zip package: the zip is the artifact, the member rides along
    zipped = [r for r in results if r["properties"]["package"].endswith("2") and r["properties"].get("file")]
    assert zipped
    for r in zipped:
        assert r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == sarif._uri("round/项目2.zip")
        assert r["locations"][0]["physicalLocation"]["region"]["properties"]["member"] == r["properties"]["file"]
    # sheet cell -> line = row, column = column
    cell = next(r for r in results if r["locations"][0]["physicalLocation"]["region"].get("properties", {}).get("cell") == "C7")
    assert cell["locations"][0]["physicalLocation"]["region"]["startLine"] == 7
    assert cell["locations"][0]["physicalLocation"]["region"]["startColumn"] == 3


def test_uris_are_percent_encoded():
    assert sarif._uri("round/项目 1/可研.pdf") == "round/%E9%A1%B9%E7%9B%AE%201/%E5%8F%AF%E7%A0%94.pdf"
    assert sarif._uri("/abs/a.pdf") == "file:///abs/a.pdf"


def test_absolute_package_path_inside_cwd_is_made_relative(monkeypatch, tmp_path):
    from dossier_lint.report.common import repo_path

    monkeypatch.chdir(tmp_path)
    (tmp_path / "r").mkdir()
    assert repo_path(tmp_path / "r") == "r"
    assert repo_path(Path("/elsewhere/x")) == "/elsewhere/x"


def test_cli_waiver_becomes_a_suppression(tmp_path, validator, monkeypatch):
    from helpers import copy_round, corpus_packages, run_cli

    monkeypatch.setenv("DOSSIER_LINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    [pkg] = copy_round(tmp_path / "round", [next(p for p in corpus_packages() if p.is_dir())])
    code, out, err = run_cli("check", "round", "--profile", "nanchong", "--format", "json")
    target = next(d for d in json.loads(out)["packages"][0]["diagnostics"] if d["file"])
    (tmp_path / "round" / "dossier-lint-waivers.toml").write_text(
        f'[[waiver]]\nrule = "{target["rule"]}"\nfile = "{target["file"]}"\n'
        f'fingerprint = "{target["fingerprint"]}"\nreason = "专家组同意，见会议纪要"\n',
        encoding="utf-8",
    )
    code, out, err = run_cli("check", "round", "--profile", "nanchong", "--format", "sarif")
    doc = json.loads(out)
    assert _errors(validator, doc) == []
    suppressed = [r for r in doc["runs"][0]["results"] if "suppressions" in r]
    assert [r["partialFingerprints"][sarif.FINGERPRINT_KEY] for r in suppressed] == [target["fingerprint"]]
    assert suppressed[0]["suppressions"][0]["justification"] == "专家组同意，见会议纪要"
    uri = suppressed[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert unquote(uri) == f"round/{pkg.name}/{target['file']}"


def test_cli_baseline_sets_baseline_state(tmp_path, validator, monkeypatch):
    from helpers import copy_round, corpus_packages, run_cli

    monkeypatch.setenv("DOSSIER_LINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    folders = [p for p in corpus_packages() if p.is_dir()][:2]
    copy_round(tmp_path / "old", folders[:1])
    code, _, err = run_cli("check", "old", "--profile", "nanchong", "--write-baseline", "baseline.json")
    assert code in (0, 1) and (tmp_path / "baseline.json").is_file(), err
    copy_round(tmp_path / "round", folders)
    code, out, err = run_cli("check", "round", "--profile", "nanchong", "--baseline", "baseline.json",
                             "--format", "sarif")
    doc = json.loads(out)
    assert _errors(validator, doc) == []
    results = [r for r in doc["runs"][0]["results"] if "suppressions" not in r]
    assert results and {r.get("baselineState") for r in results} == {"new", "unchanged"}
    # the baselined package's findings are unchanged, the other package's are new
    by_state = {
        state: {r["properties"]["package"] for r in results if r["baselineState"] == state}
        for state in ("new", "unchanged")
    }
    assert by_state == {"new": {folders[1].name}, "unchanged": {folders[0].name}}


def test_no_automation_id_so_the_upload_category_applies():
    run, settings = synthetic_run()
    assert "automationDetails" not in sarif.build(run, settings, {})["runs"][0]
