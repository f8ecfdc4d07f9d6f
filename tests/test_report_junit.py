"""JUnit XML: one suite per package, one case per rule, failures for findings at the fail level."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from dossier_lint.report import junit
from helpers import check_round, synthetic_run


@pytest.fixture(scope="module")
def round_reports(tmp_path_factory):
    out = tmp_path_factory.mktemp("junit") / "round.xml"
    code, _, err = check_round("--format", "junit", "--output", out)
    assert code in (0, 1), err
    _, text, _ = check_round("--format", "json")
    return ET.parse(out).getroot(), json.loads(text)


def test_one_suite_per_package_one_case_per_rule(round_reports):
    root, report = round_reports
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [p["name"] for p in report["packages"]]
    from dossier_lint import config

    n_rules = len(config.resolve_settings([], {"profile": "nanchong"}).rules())
    for s in suites:
        cases = s.findall("testcase")
        assert len({c.get("name") for c in cases}) == len(cases) >= n_rules
        assert int(s.get("tests")) == len(cases)
    assert int(root.get("tests")) == sum(int(s.get("tests")) for s in suites)


def test_failures_are_the_rules_with_errors(round_reports):
    root, report = round_reports
    for suite, pkg in zip(root.findall("testsuite"), report["packages"], strict=True):
        error_rules = sorted({d["rule"] for d in pkg["diagnostics"] if d["severity"] == "error"})
        failed = sorted(c.get("name").split()[0] for c in suite.findall("testcase") if c.find("failure") is not None)
        assert failed == error_rules
        assert int(suite.get("failures")) == len(error_rules)
        for c in suite.findall("testcase"):
            f = c.find("failure")
            if f is not None:
                rule = c.get("name").split()[0]
                n = sum(1 for d in pkg["diagnostics"] if d["rule"] == rule and d["severity"] == "error")
                assert len([ln for ln in f.text.splitlines() if ln.startswith("[")]) == n
        warned = {d["rule"] for d in pkg["diagnostics"] if d["severity"] != "error"}
        out_rules = {c.get("name").split()[0] for c in suite.findall("testcase") if c.find("system-out") is not None}
        assert warned <= out_rules
    assert int(root.get("failures")) == sum(int(s.get("failures")) for s in root.findall("testsuite"))


def test_fail_on_warning_fails_warning_rules(tmp_path):
    out = tmp_path / "w.xml"
    check_round("--format", "junit", "--output", out, "--fail-on", "warning")
    _, text, _ = check_round("--format", "json")
    report = json.loads(text)
    root = ET.parse(out).getroot()
    for suite, pkg in zip(root.findall("testsuite"), report["packages"], strict=True):
        bad = sorted({d["rule"] for d in pkg["diagnostics"] if d["severity"] in ("error", "warning")})
        assert sorted(c.get("name").split()[0] for c in suite.findall("testcase") if c.find("failure") is not None) == bad


def test_waived_and_control_characters():
    run, settings = synthetic_run()
    text = junit.render(run, settings, {})
    root = ET.fromstring(text.encode("utf-8"))  # well-formed although the evidence held a \x0b
    suite = root.find("testsuite")
    case = next(c for c in suite.findall("testcase") if c.get("name").startswith("DL203"))
    assert "已豁免：专家组同意" in case.find("system-out").text
    assert case.find("failure") is None
    assert "\x0b" not in text
