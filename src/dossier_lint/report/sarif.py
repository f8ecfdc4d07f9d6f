"""SARIF 2.1.0 for code-scanning services (GitHub, GitLab, Azure DevOps) and SARIF viewers.

SARIF knows lines, not pages: a PDF finding has startLine 1 and carries its page, heading path, sheet and
cell in `region.properties` and in `logicalLocations`. DOCX findings use paragraph + 1, sheet findings
the row (and the column), text findings the line. Waived findings are results with an external
suppression (the waiver's reason as justification); with a baseline each result has `baselineState`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .. import __version__
from ..model import Diagnostic
from .common import (
    CATEGORY_ZH,
    all_findings,
    artifact_path,
    basis_text,
    location_zh,
    member_in_zip,
    rules_by_id,
    start_column,
    start_line,
)

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = "dossierLint/v1"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _uri(path: str) -> str:
    # RFC 3986: percent-encode non-ASCII (Chinese file names) and spaces; keep the separators.
    if path.startswith("/"):
        return "file://" + quote(path, safe="/")
    return quote(path, safe="/")


def project_url() -> str | None:
    """The README on the project's home page, when the installed metadata names one."""
    try:
        from importlib.metadata import metadata

        urls = metadata("dossier-lint").get_all("Project-URL") or []
    except Exception:
        return None
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip().lower() in ("homepage", "repository", "source", "documentation") and url.strip():
            return url.strip()
    return None


def _rule_descriptor(rule: Any, home: str | None) -> dict[str, Any]:
    basis = "；".join(str(b) for b in rule.basis)
    help_lines = [rule.title or rule.message]
    if rule.rationale:
        help_lines.append(f"理由：{rule.rationale}")
    if rule.fix:
        help_lines.append(f"修改建议：{rule.fix}")
    if basis:
        help_lines.append(f"依据：{basis}")
    help_lines.append(f"详见：dossier-lint explain {rule.id}")
    md = [f"**{rule.id} {rule.title or rule.slug}**", ""]
    if rule.rationale:
        md += [rule.rationale, ""]
    if rule.fix:
        md += [f"**修改建议**：{rule.fix}", ""]
    if rule.example:
        md += [f"**示例**：{rule.example}", ""]
    if basis:
        md += [f"**依据**：{basis}", ""]
    md.append(f"运行 `dossier-lint explain {rule.id}` 查看详情。")
    out: dict[str, Any] = {
        "id": rule.id,
        "name": rule.slug,
        "shortDescription": {"text": rule.title or rule.slug},
        "fullDescription": {"text": rule.rationale or rule.title or rule.message},
        "help": {"text": "\n".join(help_lines), "markdown": "\n".join(md)},
        "defaultConfiguration": {"level": _LEVEL.get(rule.severity, "warning")},
        "properties": {
            "category": rule.category,
            "tags": ["dossier-lint", rule.category],
            "basis": [b.to_dict() for b in rule.basis],
        },
    }
    if home:
        out["helpUri"] = f"{home.rstrip('/')}#{rule.id.lower()}"
    return out


def _adhoc_descriptor(d: Diagnostic) -> dict[str, Any]:
    """A finding whose rule is not in the active pack (e.g. added by a cross-package hook)."""
    return {
        "id": d.rule,
        "name": d.name,
        "shortDescription": {"text": d.name},
        "fullDescription": {"text": d.name},
        "help": {"text": f"详见：dossier-lint explain {d.rule}"},
        "defaultConfiguration": {"level": _LEVEL.get(d.severity, "warning")},
        "properties": {"category": d.category, "tags": ["dossier-lint", d.category]},
    }


def _result(pkg: Any, d: Diagnostic, rule_index: int) -> dict[str, Any]:
    loc = d.loc
    path = artifact_path(pkg, d)
    member = member_in_zip(pkg, d)
    region: dict[str, Any] = {"startLine": start_line(loc)}
    col = start_column(loc)
    if col:
        region["startColumn"] = col
    if d.evidence:
        region["snippet"] = {"text": d.evidence}
    props: dict[str, Any] = dict(loc.to_dict()) if loc else {}
    if member:
        props["member"] = member
    if props:
        region["properties"] = props
    text = d.message
    if member:
        text = f"{member}：{text}"
    basis = basis_text(d)
    if basis:
        text += f"（依据：{basis}）"
    physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(path)}, "region": region}
    if not path.startswith("/"):
        physical["artifactLocation"]["uriBaseId"] = "%SRCROOT%"
    location: dict[str, Any] = {"physicalLocation": physical}
    logical = []
    if member:
        logical.append({"name": member, "fullyQualifiedName": f"{pkg.name}/{member}", "kind": "module"})
    if loc and loc.sheet:
        logical.append({"name": loc.sheet + (f"!{loc.cell}" if loc.cell else ""), "kind": "object"})
    if loc and loc.heading:
        logical.append({"name": loc.heading[-1], "fullyQualifiedName": " > ".join(loc.heading),
                        "kind": "element"})
    if loc and loc.page is not None:
        logical.append({"name": f"第 {loc.page} 页", "kind": "resource"})
    if logical:
        location["logicalLocations"] = logical
    where = location_zh(loc)
    if where:
        location["message"] = {"text": where}
    result: dict[str, Any] = {
        "ruleId": d.rule,
        "ruleIndex": rule_index,
        "level": _LEVEL.get(d.severity, "warning"),
        "message": {"text": text},
        "locations": [location],
        # our fingerprint survives page shifts; given as the line hash too, so an uploader does not try
        # to hash "lines" of a PDF
        "partialFingerprints": {FINGERPRINT_KEY: d.fingerprint, "primaryLocationLineHash": f"{d.fingerprint}:1"},
        "properties": {
            "package": pkg.name,
            "category": d.category,
            "categoryZh": CATEGORY_ZH.get(d.category, d.category),
            "severity": d.severity,
            "basis": [b.to_dict() for b in d.basis],
        },
    }
    if d.file:
        result["properties"]["file"] = d.file
    if d.data:
        result["properties"]["data"] = _jsonable(d.data)
    if d.waived is not None:
        result["suppressions"] = [
            {"kind": "external", "status": "accepted", "justification": d.waived or "已豁免"}
        ]
    if d.state in ("new", "unchanged", "updated", "absent"):
        result["baselineState"] = d.state
    return result


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def build(run: Any, settings: Any, opts: dict[str, Any]) -> dict[str, Any]:
    rules = rules_by_id(settings)
    home = project_url()
    descriptors: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for rule_id, rule in sorted(rules.items()):
        index[rule_id] = len(descriptors)
        descriptors.append(_rule_descriptor(rule, home))
    results: list[dict[str, Any]] = []
    artifacts: list[dict[str, Any]] = []
    seen_artifacts: set[str] = set()
    for res in run.packages:
        pkg = res.package
        for doc in pkg.documents:
            path = artifact_path(pkg, Diagnostic("", "", "info", "", "", file=doc.path))
            if path in seen_artifacts:
                continue
            seen_artifacts.add(path)
            props = {"package": pkg.name, "kind": doc.kind, "status": doc.status, "format": doc.format}
            if path != doc.path:
                props["member"] = doc.path
            if doc.reason:
                props["reason"] = doc.reason
            art: dict[str, Any] = {"location": {"uri": _uri(path)}, "properties": props}
            if doc.size:
                art["length"] = doc.size
            if doc.sha256:
                art["hashes"] = {"sha-256": doc.sha256}
            if not path.startswith("/"):
                art["location"]["uriBaseId"] = "%SRCROOT%"
            artifacts.append(art)
        # fixed since the baseline: SARIF's "absent" results, so a viewer can show what was resolved
        gone = [
            Diagnostic(f["rule"], "", "note", "", f.get("message", ""), file=f.get("file"), key=f["fingerprint"],
                       state="absent")
            for f in res.fixed
        ]
        for d in all_findings(res) + gone:
            if d.rule not in index:
                index[d.rule] = len(descriptors)
                descriptors.append(_adhoc_descriptor(d))
            result = _result(pkg, d, index[d.rule])
            if d.state == "absent":
                # keep the baseline's fingerprint: it is what identifies the finding across runs
                result["partialFingerprints"] = {
                    FINGERPRINT_KEY: d.key, "primaryLocationLineHash": f"{d.key}:1"
                }
                result["level"] = "none"
            results.append(result)
    sarif_run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "dossier-lint",
                "fullName": "dossier-lint 政务信息化项目申报材料检查工具",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": descriptors,
                "properties": {"profile": getattr(settings, "profile", "")},
            }
        },
        "invocations": [{"executionSuccessful": True}],
        "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().resolve().as_uri() + "/"}},
        "artifacts": artifacts,
        "results": results,
        "columnKind": "unicodeCodePoints",
        # no automationDetails: code scanning would let it override the upload's `category` input
    }
    if not artifacts:
        del sarif_run["artifacts"]
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [sarif_run]}


def render(run: Any, settings: Any, opts: dict[str, Any]) -> str:
    return json.dumps(build(run, settings, opts), ensure_ascii=False, indent=2) + "\n"
