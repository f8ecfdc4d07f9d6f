"""`input`: what readers and discover noticed about the files themselves (ReadIssue -> diagnostic).

A rule `kind = "input"` with `params.code = "encrypted"` reports every `ReadIssue` of that code, on
documents (`doc.issues`) and on the package (`package.issues`). Two codes are also derived here, so
they are reported even when no reader raised them: `unreadable` (a document whose status is
unreadable and that carries no other issue explaining why) and `unknown-kind` (a readable document
classify could not place). The issue's `args` fill the message; derived display fields
(`pages_text`, `count_text`, `size_text`, `limit_size_text`, `size_mb`, `limit_mb`, `fmt_name`,
`new_ext`, `limit_text`, `fonts_text`, `name`) are
added so templates read well whatever a reader supplied.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..model import UNREADABLE, Diagnostic, Document, ReadIssue
from ..readers.sniff import LEGACY_FORMATS as _LEGACY
from ..rule import Context, Rule, check_kind
from .common import check_str_list, fill, param_validator

MB = 1024 * 1024


_LIMITS = {
    "max_file_bytes": ("文件大小上限", lambda v: f"{int(v) / MB:.0f} MB"),
    "max_pages": ("页数上限", lambda v: f"{v} 页"),
    "max_seconds": ("读取时间上限", lambda v: f"{float(v):g} 秒"),
    "max_cells": ("单元格数上限", lambda v: f"{v} 个"),
    "max_decompressed_bytes": ("解压总量上限", lambda v: f"{int(v) / MB:.0f} MB"),
    "max_ratio": ("压缩比上限", lambda v: f"{v} 倍"),
    "max_members": ("压缩包文件数上限", lambda v: f"{v} 个"),
    "max_nesting": ("压缩包嵌套层数上限", lambda v: f"{v} 层"),
    "max_pdf_stream_bytes": ("PDF 单个数据流解压上限", lambda v: f"{int(v) / MB:.0f} MB"),
}

# Issue codes this kind can report; packs.py rejects an `input` rule naming another code.
CODES = (
    "unreadable", "legacy-format", "encrypted", "scanned-pages", "tracked-changes", "comments",
    "hidden-text", "formula-error", "no-embedded-fonts", "too-large", "limit-hit", "garbled-text", "ofd",
    "unsupported-format", "zip-bomb", "unsafe-member", "nested-archive", "empty-document", "unknown-kind",
)

# Codes that explain why a document is unreadable (so no extra `unreadable` is derived for it).
_EXPLAINS_UNREADABLE = set(CODES) - {"unknown-kind", "comments", "tracked-changes", "hidden-text"}


@param_validator("input")
def _validate(params: dict[str, Any]) -> list[tuple[str, str]]:
    code = params.get("code")
    if not isinstance(code, str) or code not in CODES:
        return [("code", f"未知的读取问题代码“{code}”；可用：{', '.join(CODES)}")]
    return check_str_list(params, "skip-kinds", kinds_only=True)


@check_kind("input", required=["code"], optional=["skip-kinds"])
def input_issue(rule: Rule, ctx: Context) -> Iterator[Diagnostic]:
    """`skip-kinds`: document kinds for which the issue is normal (stamped approvals come scanned)."""
    code = rule.params["code"]
    skip = set(rule.params.get("skip-kinds", []))
    pkg = ctx.package
    for issue in pkg.issues:
        if issue.code == code:
            yield _diag(rule, None, issue)
    for doc in pkg.documents:
        if skip and (doc.kind in skip or any(p in skip for p in doc.parts)):
            continue
        matched = False
        for issue in doc.issues:
            if issue.code == code:
                matched = True
                yield _diag(rule, doc, issue)
        if matched:
            continue
        if code == "unreadable" and doc.status == UNREADABLE and not any(
            i.code in _EXPLAINS_UNREADABLE for i in doc.issues
        ):
            yield _diag(rule, doc, ReadIssue("unreadable", {"reason": doc.reason or "原因不明"}))
        elif code == "unknown-kind" and doc.readable and doc.kind == "unknown" and not _is_tool_file(doc):
            yield _diag(rule, doc, ReadIssue("unknown-kind", {"reason": doc.kind_reason or "未能识别"}))


def _is_tool_file(doc: Document) -> bool:
    name = doc.path.rsplit("/", 1)[-1].lower()
    return name.startswith("dossier-lint") or name in ("pyproject.toml", ".pre-commit-config.yaml")


def _diag(rule: Rule, doc: Document | None, issue: ReadIssue) -> Diagnostic:
    args = dict(issue.args)
    fields = _display_fields(args, doc)
    key = issue.code + ":" + ",".join(f"{k}={args[k]}" for k in sorted(args) if k in ("pages", "name", "limit"))
    return rule.diag(
        file=doc.path if doc is not None else None,
        loc=issue.loc,
        evidence=issue.evidence,
        key=key,
        data={"code": issue.code, **{k: _jsonable(v) for k, v in args.items()}},
        **fill(rule, **fields),
    )


def _display_fields(args: dict[str, Any], doc: Document | None) -> dict[str, Any]:
    out: dict[str, Any] = {k: v for k, v in args.items()}
    out["name"] = args.get("name") or (doc.path.rsplit("/", 1)[-1] if doc is not None else "")
    pages = args.get("pages")
    if isinstance(pages, list | tuple):
        pages = "、".join(str(p) for p in pages)
    out["pages_text"] = f"第 {pages} 页" if pages not in (None, "") else "全文"
    count = args.get("count")
    out["count_text"] = f"（{count} 处）" if isinstance(count, int) and count > 0 else ""
    size, limit = args.get("size"), args.get("limit")
    if isinstance(size, int):
        out["size_mb"] = f"{size / MB:.1f}"
        out["size_text"] = _size(size)
    if isinstance(limit, int) and not isinstance(limit, bool) and "value" not in args:
        out["limit_mb"] = f"{limit / MB:.0f}"
        out["limit_size_text"] = _size(limit)
    fmt = str(args.get("fmt") or (doc.format if doc is not None else "") or "")
    out["fmt"] = fmt or "未知"
    name, new_ext = _LEGACY.get(fmt.lower(), (f".{fmt} 文件" if fmt else "旧格式文件", ".docx / .xlsx"))
    out["fmt_name"], out["new_ext"] = name, new_ext
    lim = args.get("limit")
    if isinstance(lim, str) and lim in _LIMITS:
        label, show = _LIMITS[lim]
        value = args.get("value")
        try:
            out["limit_text"] = f"{label} {show(value)}" if value is not None else label
        except (TypeError, ValueError):
            out["limit_text"] = label
    elif isinstance(lim, str):
        out["limit_text"] = lim
    out["reason"] = args.get("reason") or ""
    out["value"] = args.get("value") if args.get("value") is not None else ""
    fonts = args.get("fonts")
    out["fonts_text"] = f"（{fonts}）" if fonts else ""
    return out


def _size(n: int) -> str:
    if n >= MB:
        return f"{n / MB:.1f} MB".replace(".0 MB", " MB")
    return f"{max(1, round(n / 1024))} KB"


def _jsonable(v: Any) -> Any:
    if isinstance(v, str | int | float | bool) or v is None:
        return v
    if isinstance(v, list | tuple):
        return [_jsonable(x) for x in v]
    return str(v)


@check_kind("tool", optional=["code"])
def tool_finding(rule: Rule, ctx: Context) -> Iterator[Diagnostic]:
    """DL9xx rules are reported by the tool itself (waivers.py), not by checking documents."""
    return iter(())
