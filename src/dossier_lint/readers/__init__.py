"""Readers: bytes of one file -> the document model (`model.Document`).

`read_document` sniffs the real format, dispatches to a format reader, enforces the limits and never
raises: whatever goes wrong becomes a `ReadIssue` and a partial or unreadable document with a Chinese
reason. Heavy libraries are imported inside the format readers, so importing this package is cheap.
"""

from __future__ import annotations

import hashlib
import logging
import time

from ..limits import Limits
from ..model import OK, PARTIAL, UNREADABLE, Document, ReadIssue, build_heading_tree
from .sniff import LEGACY_FORMATS as _LEGACY_NAMES
from .sniff import sniff, suffix_of

__all__ = ["read_document", "Deadline", "LimitHit"]

log = logging.getLogger(__name__)



class LimitHit(Exception):
    """A reader stopped early at a limit; the document is partial."""

    def __init__(self, limit: str, value: object, reason: str) -> None:
        super().__init__(reason)
        self.limit = limit
        self.value = value
        self.reason = reason


class Deadline:
    """Wall-time budget for one document; readers call `check()` between pages / rows."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.start = time.monotonic()

    def expired(self) -> bool:
        return time.monotonic() - self.start > self.seconds

    def check(self, where: str = "") -> None:
        if self.expired():
            at = f"（读到{where}）" if where else ""
            raise LimitHit("max_seconds", self.seconds, f"读取超过时间上限 {self.seconds:g} 秒{at}，仅读取了部分内容")

    def elapsed(self) -> float:
        return time.monotonic() - self.start


def read_document(relpath: str, data: bytes, limits: Limits | None = None) -> Document:
    """Read one file's bytes into a Document. Never raises."""
    limits = limits or Limits()
    deadline = Deadline(limits.max_seconds)
    fmt = "unknown"
    doc = Document(path=relpath, format=_format_hint(relpath), size=len(data))
    try:
        doc.sha256 = hashlib.sha256(data).hexdigest()
        fmt = sniff(relpath, data)
        _dispatch(doc, fmt, data, limits, deadline)
    except LimitHit as hit:
        _limit_hit(doc, hit)
    except Exception as exc:  # a reader bug or a hostile file: never a traceback
        log.debug("reader failed on %s", relpath, exc_info=True)
        _failed(doc, exc)
    try:
        if doc.status != UNREADABLE and not doc.blocks and not doc.tables and not _has(doc, "scanned-pages"):
            doc.issues.append(ReadIssue("empty-document", {}))
        build_heading_tree(doc)
    except Exception as exc:
        log.debug("heading tree failed on %s", relpath, exc_info=True)
        _failed(doc, exc)
    doc.meta.setdefault("read_seconds", round(deadline.elapsed(), 3))
    return doc


def _format_hint(relpath: str) -> str:
    s = suffix_of(relpath).lstrip(".")
    return {"docm": "docx", "xlsm": "xlsx", "markdown": "md"}.get(s, s) or "unknown"


def _dispatch(doc: Document, fmt: str, data: bytes, limits: Limits, deadline: Deadline) -> None:
    if fmt == "empty":
        doc.issues.append(ReadIssue("empty-document", {}))
        _unreadable(doc, "文件为空（0 字节）")
        return
    if len(data) > limits.max_file_bytes:
        doc.format = fmt if fmt not in ("unknown", "bad-zip") else doc.format
        doc.issues.append(ReadIssue("too-large", {"size": len(data), "limit": limits.max_file_bytes}))
        _unreadable(doc, f"文件大小 {len(data) / 1048576:.0f} MB 超过上限 {limits.max_file_bytes / 1048576:.0f} MB，未读取")
        return
    if fmt == "pdf":
        doc.format = "pdf"
        from . import pdf

        pdf.read(doc, data, limits, deadline)
    elif fmt == "docx":
        doc.format = "docx"
        from . import docx

        docx.read(doc, data, limits, deadline)
    elif fmt == "xlsx":
        doc.format = "xlsx"
        from . import xlsx

        xlsx.read(doc, data, limits, deadline)
    elif fmt in ("txt", "md"):
        doc.format = fmt
        from . import text

        text.read(doc, data, limits, deadline)
    elif fmt == "csv":
        doc.format = "csv"
        from . import xlsx

        xlsx.read_csv(doc, data, limits, deadline)
    elif fmt in _LEGACY_NAMES:
        doc.format = fmt
        name, target = _LEGACY_NAMES[fmt]
        doc.issues.append(ReadIssue("legacy-format", {"fmt": fmt}))
        _unreadable(doc, f"{name}为旧格式，无法检查内容，请另存为 {target} 后重新提交")
    elif fmt == "encrypted-ooxml":
        doc.issues.append(ReadIssue("encrypted", {}))
        _unreadable(doc, "文件已设置打开密码（加密），无法读取，请取消密码后重新提交")
    elif fmt == "ofd":
        doc.format = "ofd"
        from . import ofd

        ofd.read(doc, data, limits, deadline)
    elif fmt == "bad-zip":
        if doc.format not in ("docx", "xlsx", "pptx", "zip", "ofd"):
            doc.format = "unknown"
        doc.issues.append(ReadIssue("unreadable", {"reason": "文件已损坏（压缩结构不完整或被截断），请重新保存或重新下载后提交"}))
        _unreadable(doc, "文件已损坏（压缩结构不完整或被截断），无法打开")
    elif doc.format == "pdf" or (doc.format in ("docx", "xlsx") and fmt == "unknown"):
        # the suffix promises a format whose signature is missing: damaged, not merely foreign
        doc.issues.append(ReadIssue("unreadable", {"reason": f"文件内容不是有效的 {doc.format.upper()} 格式，可能已损坏或扩展名有误，请检查后重新导出"}))
        _unreadable(doc, f"文件内容不是有效的 {doc.format.upper()} 格式，可能已损坏或扩展名有误")
    else:
        shown = fmt if fmt not in ("unknown", "ole", "zip") else (doc.format if doc.format != "unknown" else "未知")
        doc.format = "zip" if fmt == "zip" else "unknown"
        doc.issues.append(ReadIssue("unsupported-format", {"fmt": shown}))
        _unreadable(doc, f"不支持的文件格式（{shown}），无法检查内容")


def _has(doc: Document, code: str) -> bool:
    return any(i.code == code for i in doc.issues)


def _unreadable(doc: Document, reason: str) -> None:
    doc.status = UNREADABLE
    doc.reason = reason


def _limit_hit(doc: Document, hit: LimitHit) -> None:
    doc.issues.append(ReadIssue("limit-hit", {"limit": hit.limit, "value": hit.value}))
    if doc.blocks or doc.tables:
        doc.status = PARTIAL
    else:
        doc.status = UNREADABLE
    doc.reason = hit.reason


def _failed(doc: Document, exc: Exception) -> None:
    from .safezip import ZipBombError

    reason = _describe(exc)
    if isinstance(exc, ZipBombError):
        doc.issues.append(ReadIssue("zip-bomb", {"reason": reason}))
    else:
        if "请" not in reason:  # say what to do, not only what is wrong
            reason += "，请用原软件打开后重新保存或导出再提交"
        doc.issues.append(ReadIssue("unreadable", {"reason": reason}))
    if doc.blocks or doc.tables:
        doc.status = PARTIAL
        doc.reason = f"读取中途出错，仅读取了部分内容：{reason}"
    else:
        doc.status = UNREADABLE
        doc.reason = f"无法读取：{reason}"


def _describe(exc: Exception) -> str:
    from .safezip import ZipBombError

    if isinstance(exc, ZipBombError):
        return f"疑似压缩炸弹：{exc}"
    if isinstance(exc, ValueError | NotImplementedError) and any("\u4e00" <= ch <= "\u9fff" for ch in str(exc)):
        return str(exc)  # our own message
    if isinstance(exc, MemoryError):
        return "内存不足"
    name = type(exc).__name__
    msg = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else ""
    return f"文件已损坏或格式异常（{name}{'：' + msg if msg else ''}）"


def mark_partial(doc: Document, reason: str) -> None:
    """Used by readers: downgrade to partial unless already unreadable; keep the first reason."""
    if doc.status == OK:
        doc.status = PARTIAL
        doc.reason = reason
    elif doc.status == PARTIAL and doc.reason and reason not in doc.reason:
        doc.reason = f"{doc.reason}；{reason}"
