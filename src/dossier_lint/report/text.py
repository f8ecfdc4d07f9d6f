"""Text output: one finding a line, grouped by package, then a summary — like a code linter."""

from __future__ import annotations

from typing import Any

from ..model import Diagnostic

_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
_RESET = "\033[0m"
_BOLD = "\033[1m"
_SEV_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def format_line(pkg_name: str, d: Diagnostic, color: bool = False) -> str:
    where = f"{pkg_name}/{d.file}" if d.file else pkg_name
    loc = d.loc.short() if d.loc else ""
    if loc:
        where += f":{loc}"
    sev = d.severity
    if color:
        sev = f"{_COLOURS[d.severity]}{sev}{_RESET}"
    basis = "；".join(str(b) for b in d.basis)
    line = f"{where}: {d.rule} {sev} {d.message}"
    if basis:
        line += f" [{basis}]"
    if d.state:
        line += f" ({'新增' if d.state == 'new' else '未变'})"
    return line


def render(run: Any, settings: Any, opts: dict[str, Any]) -> str:
    color = bool(opts.get("color"))
    verbose = int(opts.get("verbose") or 0)
    quiet = bool(opts.get("quiet"))
    out: list[str] = []
    for res in run.packages:
        pkg = res.package
        if not quiet:
            why = getattr(res, "profile_reason", "")
            head = f"== {pkg.name}（规则包：{res.profile}{'；' + why if why else ''}）"
            out.append(f"{_BOLD}{head}{_RESET}" if color else head)
        if verbose and not quiet:
            for doc in pkg.documents:
                parts = f"，另含：{'、'.join(doc.parts)}" if doc.parts else ""
                status = "" if doc.status == "ok" else f" [{doc.status}：{doc.reason or ''}]"
                out.append(f"   {doc.path}: {doc.kind}{parts}（{doc.kind_reason}）{status}")
        for d in res.diagnostics:
            out.append(format_line(pkg.name, d, color))
            if verbose and d.evidence:
                out.append(f"    原文：{d.evidence}")
        if opts.get("show_waived"):
            for d in res.waived:
                out.append(format_line(pkg.name, d, False) + f" （已豁免：{d.waived}）")
        if res.unchanged:
            if verbose:
                out.extend(format_line(pkg.name, d, color) for d in res.unchanged)
            elif not quiet:
                out.append(f"{pkg.name}: 另有 {len(res.unchanged)} 个问题与基线相同（-v 显示）")
        for f in res.fixed:
            out.append(f"{pkg.name}: {f.get('rule')} 已修复：{f.get('message', '')}")
    if opts.get("statistics"):
        counts: dict[tuple[str, str, str], int] = {}
        for d in run.diagnostics():
            k = (d.rule, d.name, d.severity)
            counts[k] = counts.get(k, 0) + 1
        for (rule, name, sev), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            out.append(f"{n:5d}\t{rule}\t{sev}\t{name}")
    if not quiet:
        c = run.counts()
        waived = sum(len(p.waived) for p in run.packages)
        summary = (
            f"共检查 {len(run.packages)} 个申报包：{c['error']} 个错误，{c['warning']} 个警告，{c['info']} 个提示"
        )
        if waived:
            summary += f"，{waived} 个已豁免"
        out.append(summary)
    return "\n".join(out) + "\n"
