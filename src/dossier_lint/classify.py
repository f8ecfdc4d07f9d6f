"""Decide what each document is, from its file name and its content (title, first headings, sheet headers).

A file name is the strongest signal (units name files after what they are), then the title on the first
page, then headings and sheet headers. Chapters that are documents in their own right (a 可研 whose
chapter is the 信息资源目录) are recorded as `parts`.
"""

from __future__ import annotations

import fnmatch
import re
import unicodedata

from .model import Document, Package

# (kind, Chinese label, name keywords). Order matters: the first match wins, so specific names come
# before the general ones they contain (应用系统实施方案 before 实施方案).
KINDS: list[tuple[str, str, tuple[str, ...]]] = [
    ("resource_catalog", "政务信息资源目录", ("信息资源目录", "资源目录", "数据资源目录", "数据目录")),
    ("resource_needs", "政务信息资源需求", ("信息资源需求", "资源需求清单", "数据需求清单")),
    ("cloud_plan", "政务云需求方案", ("政务云需求", "政务云资源", "云资源需求", "云资源申请", "上云需求", "云需求方案")),
    ("crypto_plan", "密码应用方案", ("密码应用方案", "商用密码应用", "密码应用", "密码方案")),
    ("protection_plan", "等级保护方案", ("等级保护", "等保", "分级保护")),
    ("network_security_plan", "网络安全建设方案", ("网络安全建设方案", "网络安全方案", "网络安全技术方案", "网络安全建设")),
    ("uua_plan", "统一用户认证体系接入方案", ("统一用户认证", "统一身份认证", "统一认证")),
    ("reliability_statement", "安全可靠情况说明", ("安全可靠", "信创")),
    ("records_plan", "电子文件管理方案", ("电子文件管理", "电子文件")),
    ("service_requirement_plan", "服务需求方案", ("服务需求方案", "服务需求报告", "服务需求")),
    ("app_implementation_plan", "应用系统实施方案", ("应用系统实施方案",)),
    ("budget_sheet", "项目概算表", ("概算表", "估算表", "预算表", "投资概算表", "投资估算表", "概算明细", "预算明细", "预算书", "概算书")),
    ("preliminary_design", "初步设计方案", ("初步设计", "初设")),
    ("feasibility_report", "可行性研究报告", ("可行性研究", "可研")),
    ("implementation_plan", "项目实施方案", ("实施方案", "建设方案")),
    ("application_form", "申报表", ("备案审查表", "申报表", "基本情况表", "申报审批表", "备案登记表", "申请表", "审批表")),
    ("funding_proof", "资金来源证明", ("资金来源证明", "资金证明")),
    ("approval", "立项批复", ("立项批复", "批复")),
    ("meeting_minutes", "会议纪要", ("会议纪要", "纪要")),
    ("previous_contract", "上一期合同", ("上一期合同", "上期合同", "原合同", "合同")),
    ("acceptance_docs", "验收资料", ("验收",)),
    ("procurement_docs", "招采资料", ("招标", "中标", "采购", "招采", "成交")),
    ("planning_docs", "规划、批示等文件", ("规划", "批示")),
]

LABELS = {k: label for k, label, _ in KINDS} | {"unknown": "未识别文件"}

# Sheet headers that give a workbook away.
_CATALOG_HEADERS = ("共享类型", "共享方式", "更新周期", "更新时限", "信息资源名称", "资源名称")
_BUDGET_HEADERS = ("单价", "合价", "金额", "合计", "总计", "投资估算", "概算")
_CLOUD_HEADERS = ("vcpu", "cpu", "内存", "部署区域", "带宽")

# Chapters that hold a further document kind (parts).
_PART_TITLES: list[tuple[str, tuple[str, ...]]] = [
    ("resource_catalog", ("信息资源目录",)),
    ("cloud_plan", ("政务云需求方案", "政务云资源需求", "云资源需求方案", "政务云资源申请")),
    ("crypto_plan", ("密码应用方案", "密码应用设计方案")),
    ("protection_plan", ("等级保护方案", "等级保护设计方案", "等保方案", "分级保护方案")),
    ("network_security_plan", ("网络安全建设方案", "网络安全方案")),
    ("uua_plan", ("统一用户认证体系接入方案", "统一身份认证接入方案", "统一用户认证接入方案")),
    ("budget_sheet", ("投资概算", "投资估算", "项目概算")),
    ("app_implementation_plan", ("应用系统实施方案",)),
    ("resource_needs", ("信息资源需求",)),
]
# A chapter stands in for a document only when it is one: a top-level (or second-level) heading that
# names the document and carries real content, not a passing subsection ("7.2 商用密码应用").
_PART_MIN_CHARS = 150


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def _by_name(text: str) -> tuple[str, str] | None:
    """The kind named nearest the end: document types end a file name or title
    ("数据资源目录管理系统可行性研究报告" is a 可研, not a catalog). Bracketed asides
    ("初步设计方案（含投资概算）") are looked at only when the rest names nothing."""
    t = _norm(text)
    bare = re.sub(r"[(（\[【][^)）\]】]*[)）\]】]", "", t)
    for candidate in (bare, t):
        best: tuple[int, int, str, str] | None = None
        for order, (kind, _label, words) in enumerate(KINDS):
            for w in words:
                end = candidate.rfind(w.lower())
                if end < 0:
                    continue
                key = (end + len(w), -order, kind, w)
                if best is None or key[:2] > best[:2]:
                    best = key
        if best:
            return best[2], best[3]
    return None


def classify_document(doc: Document) -> None:
    stem = doc.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    hit = _by_name(stem)
    if hit:
        doc.kind, word = hit
        doc.kind_reason = f"文件名含“{word}”"
    elif doc.readable:
        title = _title(doc)
        hit = _by_name(title) if title else None
        if hit:
            doc.kind, word = hit
            doc.kind_reason = f"标题“{title[:30]}”含“{word}”"
        else:
            sheet_kind = _by_sheet_headers(doc)
            if sheet_kind:
                doc.kind, doc.kind_reason = sheet_kind
    if doc.kind == "unknown" and not doc.kind_reason:
        doc.kind_reason = "文件名和内容均未能识别文件类型" if doc.readable else "文件无法读取"
    doc.parts = _parts(doc)


def _title(doc: Document) -> str:
    """The first substantial lines: cover titles run over two or three lines."""
    lines: list[str] = []
    for b in doc.blocks[:12]:
        t = b.text.strip()
        if not t or b.kind == "cell" and len(lines) > 2:
            continue
        lines.append(t)
        if len("".join(lines)) > 60:
            break
    return "".join(lines)[:80]


def _by_sheet_headers(doc: Document) -> tuple[str, str] | None:
    for table in doc.tables:
        head = " ".join(c.text for row in table.rows[:6] for c in row).lower()
        if sum(h in head for h in _CATALOG_HEADERS) >= 2:
            return "resource_catalog", f"表“{table.title}”表头含共享类型/共享方式等目录字段"
        if sum(h in head for h in _CLOUD_HEADERS) >= 2:
            return "cloud_plan", f"表“{table.title}”表头含 vCPU/内存 等云资源字段"
        if sum(h in head for h in _BUDGET_HEADERS) >= 2:
            return "budget_sheet", f"表“{table.title}”表头含单价/金额/合计等概算字段"
    return None


def _parts(doc: Document) -> list[str]:
    parts: list[str] = []
    for h in doc.headings:
        if h.level > 2:
            continue
        t = _norm(h.title)
        for kind, words in _PART_TITLES:
            if kind != doc.kind and kind not in parts and any(w.lower() in t for w in words):
                # only a chapter with real content counts as a part
                if len(doc.section_text(h)) >= _PART_MIN_CHARS or _table_under(doc, h):
                    parts.append(kind)
    return parts


def _table_under(doc: Document, h) -> bool:
    return any(t.loc.heading[: len(h.loc.heading)] == h.loc.heading for t in doc.tables if t.loc.heading)


def classify_package(pkg: Package, overrides: dict[str, str] | None = None) -> None:
    for doc in pkg.documents:
        classify_document(doc)
        for pattern, kind in (overrides or {}).items():
            if fnmatch.fnmatch(doc.path, pattern) or fnmatch.fnmatch(doc.path.rsplit("/", 1)[-1], pattern):
                doc.kind = kind
                doc.kind_reason = f"配置指定（{pattern}）"
                break
