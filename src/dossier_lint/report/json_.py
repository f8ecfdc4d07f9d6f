"""JSON output, schema version 1 (documented in README; change only by adding fields)."""

from __future__ import annotations

import json
from typing import Any

from .. import __version__

SCHEMA_VERSION = 1


def package_dict(res: Any) -> dict[str, Any]:
    pkg = res.package
    out: dict[str, Any] = {
        "path": pkg.path,
        "name": pkg.name,
        "profile": res.profile,
        "facts": pkg.facts.to_dict(),
        "documents": [
            {
                "path": d.path,
                "kind": d.kind,
                "parts": d.parts,
                "kind_reason": d.kind_reason,
                "format": d.format,
                "status": d.status,
                "reason": d.reason,
                "pages": d.pages,
                "size": d.size,
                "sha256": d.sha256,
            }
            for d in pkg.documents
        ],
        "diagnostics": [d.to_dict() for d in res.diagnostics],
        "waived": [d.to_dict() for d in res.waived],
        "unchanged": [d.to_dict() for d in res.unchanged],
        "fixed": res.fixed,
        "summary": res.counts(),
    }
    if getattr(res, "profile_reason", ""):  # --profile auto: how the package's pack was chosen
        out["profile_reason"] = res.profile_reason
    return out


def summary(run: Any) -> dict[str, Any]:
    c = run.counts()
    return {
        "packages": len(run.packages),
        **c,
        "waived": sum(len(p.waived) for p in run.packages),
    }


def render_json(run: Any, settings: Any, opts: dict[str, Any]) -> str:
    doc = {
        "version": SCHEMA_VERSION,
        "tool": {"name": "dossier-lint", "version": __version__},
        "packages": [package_dict(p) for p in run.packages],
        "summary": summary(run),
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def render_jsonl(run: Any, settings: Any, opts: dict[str, Any]) -> str:
    lines = [
        json.dumps({"version": SCHEMA_VERSION, **package_dict(p)}, ensure_ascii=False) for p in run.packages
    ]
    return "\n".join(lines) + ("\n" if lines else "")
