"""GitHub Actions workflow commands: one `::error|warning|notice file=…,line=…,title=…::message` per
finding, so findings show as annotations on the run and the pull request's changed files.

Escaping follows the workflow-command rules (actions/toolkit `command.ts`): in the message `%`, CR and LF
are percent-encoded; in property values also `:` and `,`.
"""

from __future__ import annotations

from typing import Any

from ..model import Diagnostic
from .common import (
    artifact_path,
    basis_text,
    location_zh,
    member_in_zip,
    rules_by_id,
    start_column,
    start_line,
)

_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_command(pkg: Any, d: Diagnostic, title: str = "") -> str:
    props = {"file": artifact_path(pkg, d), "line": str(start_line(d.loc))}
    col = start_column(d.loc)
    if col:
        props["col"] = str(col)
    props["title"] = f"{d.rule} {title or d.name}"
    parts = []
    member = member_in_zip(pkg, d)
    if member:
        parts.append(f"{member}：")
    parts.append(d.message)
    where = location_zh(d.loc)
    if where:
        parts.append(f"（{where}）")
    basis = basis_text(d)
    if basis:
        parts.append(f" [依据：{basis}]")
    if d.evidence:
        parts.append(f"\n原文：{d.evidence}")
    head = ",".join(f"{k}={escape_property(v)}" for k, v in props.items())
    return f"::{_COMMAND.get(d.severity, 'warning')} {head}::{escape_data(''.join(parts))}"


def render(run: Any, settings: Any, opts: dict[str, Any]) -> str:
    rules = rules_by_id(settings)
    lines = [
        format_command(res.package, d, getattr(rules.get(d.rule), "title", ""))
        for res in run.packages
        for d in res.diagnostics
    ]
    c = run.counts()
    lines.append(
        f"dossier-lint：共检查 {len(run.packages)} 个申报包：{c['error']} 个错误，{c['warning']} 个警告，"
        f"{c['info']} 个提示"
    )
    return "\n".join(lines) + "\n"
