"""What the CI and reviewer formats (sarif, junit, github, html, xlsx) share: paths, places, rules."""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath
from typing import Any

from ..model import Diagnostic, Location

SEV_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
CATEGORY_ZH = {
    "input": "输入文件",
    "completeness": "材料完整性",
    "structure": "章节与字段",
    "catalog": "信息资源目录",
    "funding": "资金",
    "policy": "建设内容政策",
    "security": "安全",
    "duplicate": "重复建设",
    "consistency": "一致性",
    "tool": "工具",
}
STATUS_ZH = {"ok": "正常", "partial": "部分读取", "unreadable": "无法读取"}
KIND_ZH = {
    "application_form": "申报表/备案审查表",
    "feasibility_report": "可行性研究报告",
    "preliminary_design": "初步设计",
    "implementation_plan": "项目实施方案",
    "service_requirement_plan": "服务需求方案",
    "app_implementation_plan": "应用系统实施方案",
    "resource_catalog": "政务信息资源目录",
    "resource_needs": "政务信息资源需求",
    "cloud_plan": "政务云需求方案",
    "protection_plan": "等级保护/分级保护方案",
    "network_security_plan": "网络安全建设方案",
    "crypto_plan": "密码应用方案",
    "uua_plan": "统一用户认证体系接入方案",
    "budget_sheet": "概算/预算表",
    "approval": "立项批复",
    "meeting_minutes": "会议纪要",
    "previous_contract": "上一期合同",
    "procurement_docs": "招采/合同资料",
    "acceptance_docs": "验收资料",
    "planning_docs": "规划/批示",
    "funding_proof": "资金来源证明",
    "unknown": "未识别",
}

# XML 1.0 forbids most C0 controls; documents do contain them (form feeds, vertical tabs from Word).
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str | None) -> str:
    return _XML_BAD.sub("\ufffd", text or "")


def rules_by_id(settings: Any) -> dict[str, Any]:
    try:
        return {r.id: r for r in settings.rules()}
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
    """Active findings, then waived ones (marked by `.waived`)."""
    return list(res.diagnostics) + list(res.waived)
