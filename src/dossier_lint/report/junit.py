"""JUnit XML for CI test-report views (GitLab `artifacts:reports:junit`, Jenkins, Azure).

One <testsuite> per package, one <testcase> per active rule. A rule fails the case when it has findings at
or above the fail level (`--fail-on`, default error); findings below it are listed in <system-out>; a
rule whose `when` condition does not hold for the package is <skipped>.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from ..model import SEVERITY_RANK, Diagnostic
from .common import SEV_ZH, artifact_path, basis_text, location_zh, rules_by_id, xml_safe


def _line(pkg: Any, d: Diagnostic) -> str:
    where = artifact_path(pkg, d)
    if d.file and not where.endswith(d.file):
        where += f" > {d.file}"
    place = location_zh(d.loc)
    if place:
        where += f"（{place}）"
    text = f"[{SEV_ZH.get(d.severity, d.severity)}] {where}: {d.message}"
    basis = basis_text(d)
    if basis:
        text += f" [依据：{basis}]"
    if d.waived is not None:
        text += f" （已豁免：{d.waived}）"
    if d.evidence:
        text += f"\n    原文：{d.evidence}"
    return text


def _applies(rule: Any, pkg: Any) -> bool:
    try:
        from ..packs import condition_holds
    except ImportError:
        return True
    try:
        return bool(condition_holds(rule.when, pkg))
    except Exception:
        return True


def build(run: Any, settings: Any, opts: dict[str, Any]) -> ET.Element:
    rules = rules_by_id(settings)
    threshold = SEVERITY_RANK.get(getattr(settings, "fail_on", "error") or "error", 2)
    root = ET.Element("testsuites", name="dossier-lint")
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    total_time = 0.0
    for res in run.packages:
        pkg = res.package
        by_rule: dict[str, list[Diagnostic]] = {}
        for d in list(res.diagnostics) + list(res.waived):
            by_rule.setdefault(d.rule, []).append(d)
        ids = sorted(set(rules) | set(by_rule))
        seconds = sum(v for v in (res.timings or {}).values() if isinstance(v, (int, float)))
        total_time += seconds
        suite = ET.SubElement(root, "testsuite", name=xml_safe(pkg.name))
        counts = {"tests": 0, "failures": 0, "skipped": 0}
        props = ET.SubElement(suite, "properties")
        ET.SubElement(props, "property", name="path", value=xml_safe(str(pkg.path)))
        ET.SubElement(props, "property", name="profile", value=xml_safe(res.profile))
        for rule_id in ids:
            rule = rules.get(rule_id)
            found = by_rule.get(rule_id, [])
            title = rule.title if rule is not None and rule.title else (found[0].name if found else rule_id)
            category = rule.category if rule is not None else (found[0].category if found else "")
            case = ET.SubElement(
                suite,
                "testcase",
                classname=xml_safe(f"{pkg.name}.{category}"),
                name=xml_safe(f"{rule_id} {title}"),
                file=xml_safe(str(pkg.path)),
            )
            counts["tests"] += 1
            active = [d for d in found if d.waived is None]
            failing = [d for d in active if SEVERITY_RANK.get(d.severity, 0) >= threshold]
            if failing:
                counts["failures"] += 1
                first = failing[0]
                fail = ET.SubElement(
                    case,
                    "failure",
                    message=xml_safe(first.message if len(failing) == 1 else f"{first.message} 等 {len(failing)} 处"),
                    type=xml_safe(f"{rule_id} {first.severity}"),
                )
                fail.text = xml_safe("\n".join(_line(pkg, d) for d in failing))
            elif not found and rule is not None and not _applies(rule, pkg):
                counts["skipped"] += 1
                ET.SubElement(case, "skipped", message="规则适用条件不满足，未检查")
            failed = {id(d) for d in failing}
            rest = [d for d in found if id(d) not in failed]
            if rest:
                out = ET.SubElement(case, "system-out")
                out.text = xml_safe("\n".join(_line(pkg, d) for d in rest))
        suite.set("tests", str(counts["tests"]))
        suite.set("failures", str(counts["failures"]))
        suite.set("errors", "0")
        suite.set("skipped", str(counts["skipped"]))
        suite.set("time", f"{seconds:.3f}")
        for k in totals:
            totals[k] += counts[k]
    root.set("tests", str(totals["tests"]))
    root.set("failures", str(totals["failures"]))
    root.set("errors", "0")
    root.set("skipped", str(totals["skipped"]))
    root.set("time", f"{total_time:.3f}")
    return root


def render(run: Any, settings: Any, opts: dict[str, Any]) -> str:
    root = build(run, settings, opts)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
