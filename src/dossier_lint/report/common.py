"""What the CI and reviewer formats (sarif, junit, github, html, xlsx) share: paths, places, rules."""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath
from typing import Any

# one place for the Chinese names of severities and categories (`dossier-lint rules` uses them too)
from ..commands import CATEGORY_ZH as CATEGORY_ZH
from ..commands import SEVERITY_ZH
from ..model import Diagnostic, Location

SEV_ZH = SEVERITY_ZH
STATUS_ZH = {"ok": "正常", "partial": "部分读取", "unreadable": "无法读取"}


def kind_zh(kind: str) -> str:
    """The Chinese label classify gives a document kind."""
    from ..classify import LABELS

    return LABELS.get(kind, kind)


# XML 1.0 forbids most C0 controls; documents do contain them (form feeds, vertical tabs from Word).
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str | None) -> str:
    return _XML_BAD.sub("\ufffd", text or "")


def rules_by_id(settings: Any) -> dict[str, Any]:
    """Every rule a finding of this run can come from (with `--profile auto`, each city pack's too)."""
    try:
        out = {r.id: r for r in settings.rules()}
        if getattr(settings, "auto", False):
            from ..jurisdiction import candidates

            for name, _ in candidates():
                for r in settings.for_profile(name).rules():
                    out.setdefault(r.id, r)
        return out
    except Exception:
        return {}


def is_zip_package(pkg: Any) -> bool:
    return str(pkg.path).lower().endswith(".zip")


def repo_path(path: str | os.PathLike[str]) -> str:
    """A POSIX path relative to the working directory when the path lies under it (CI annotations and
    code scanning resolve paths against the checkout), else the absolute POSIX path."""
    p = Path(path)
    if p.is_absolute():
        try:
            p = p.resolve().relative_to(Path.cwd().resolve())
        except (ValueError, OSError):
            return p.as_posix()
    text = p.as_posix()
    return "" if text == "." else text


def artifact_path(pkg: Any, d: Diagnostic) -> str:
    """The file a finding is in, as a repo path: the member of a folder package, the zip of a zip package
    (its members have no path of their own on disk), the package itself for package-wide findings."""
    base = repo_path(pkg.path)
    if d.file and not is_zip_package(pkg):
        return str(PurePosixPath(base, d.file)) if base else d.file
    return base or "."


def member_in_zip(pkg: Any, d: Diagnostic) -> str | None:
    return d.file if d.file and is_zip_package(pkg) else None


def start_line(loc: Location | None) -> int:
    """A 1-based line for formats that only know lines: the text line, the DOCX paragraph, the sheet
    row; 1 for PDF pages and package-wide findings (the page travels separately)."""
    if loc is None:
        return 1
    if loc.line:
        return loc.line
    if loc.cell:
        m = re.search(r"(\d+)$", loc.cell)
        if m:
            return max(1, int(m.group(1)))
    if loc.paragraph is not None:
        return loc.paragraph + 1
    return 1


def start_column(loc: Location | None) -> int | None:
    if loc is None or not loc.cell:
        return None
    m = re.match(r"([A-Z]+)\d+$", loc.cell)
    if not m:
        return None
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return col


def location_zh(loc: Location | None) -> str:
    """A reader's description of a place: 第 3 页 · 第二章 > 2.1 · 表 基本情况!B7."""
    if loc is None:
        return ""
    parts: list[str] = []
    if loc.page is not None:
        parts.append(f"第 {loc.page} 页")
    if loc.sheet is not None:
        parts.append(f"工作表“{loc.sheet}”" + (f" {loc.cell} 单元格" if loc.cell else ""))
    elif loc.cell:
        parts.append(f"{loc.cell} 单元格")
    if loc.line is not None:
        parts.append(f"第 {loc.line} 行")
    if loc.paragraph is not None and loc.page is None and loc.table is None:
        parts.append(f"第 {loc.paragraph + 1} 段")
    if loc.table is not None:
        cell = f"第 {loc.table} 个表格"
        if loc.row is not None:
            cell += f"第 {loc.row} 行"
            if loc.col is not None:
                cell += f"第 {loc.col} 列"
        parts.append(cell)
    if loc.heading:
        parts.append(" > ".join(loc.heading))
    return " · ".join(parts)


def basis_text(d: Diagnostic) -> str:
    return "；".join(str(b) for b in d.basis)


def all_findings(res: Any) -> list[Diagnostic]:
    """Active findings, then those already in the baseline (`.state == "unchanged"`), then waived ones
    (marked by `.waived`)."""
    return list(res.diagnostics) + list(getattr(res, "unchanged", [])) + list(res.waived)
