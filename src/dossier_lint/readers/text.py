"""Plain text and Markdown: decode robustly, one block per line, Location(line=n)."""

from __future__ import annotations

import codecs
import re

from ..limits import Limits
from ..model import Document, Location, ReadIssue
from . import Deadline, mark_partial
from .build import Builder

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_FENCE = re.compile(r"^\s*(```|~~~)")


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding). UTF-8 with/without BOM, UTF-16 with BOM, else GB18030 (GBK superset)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="replace"), "utf-8?"


def clean(text: str) -> str:
    return text.replace("\x00", "")


def read(doc: Document, data: bytes, limits: Limits, deadline: Deadline) -> None:
    text, enc = decode(data)
    doc.meta["encoding"] = enc
    if enc == "utf-8?":
        doc.issues.append(ReadIssue("garbled-text", {"pages": ""}))
        mark_partial(doc, "文本编码无法识别，部分字符显示为乱码")
    text = clean(text)
    b = Builder(doc)
    markdown = doc.format == "md"
    in_fence = False
    for i, line in enumerate(text.splitlines(), start=1):
        if i % 5000 == 0:
            deadline.check(f"第 {i} 行")
        loc = Location(line=i)
        if markdown:
            if _MD_FENCE.match(line):
                in_fence = not in_fence
                continue
            if in_fence:
                b.add(line, loc, detect=False)
                continue
            m = _MD_HEADING.match(line)
            if m:
                b.add(m.group(2), loc, level=len(m.group(1)))
                continue
        b.add(line, loc)
    b.finish()
    doc.pages = None
