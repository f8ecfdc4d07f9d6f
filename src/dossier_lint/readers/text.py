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
    guessed = _utf16_without_bom(data)
    if guessed is not None:
        return guessed
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="replace"), "utf-8?"


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 saved without a BOM: NUL bytes in every other position (the high byte of ASCII, newlines
    included). Such bytes are valid UTF-8 and GB18030, so without this they were read as nonsense."""
    sample = data[:8192]
    if b"\x00" not in sample or len(data) % 2:
        return None
    units = len(sample) // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    for zeros, other, enc in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros >= max(2, units * 0.05) and other * 2 <= zeros:
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                return None
            # real text: hardly any control or private-use characters (other bytes decode to those)
            odd_chars = sum(1 for ch in text[:4096] if (ch < " " and ch not in "\t\r\n") or "\ue000" <= ch <= "\uf8ff")
            return (text, enc) if odd_chars * 100 <= len(text[:4096]) else None
    return None


def clean(text: str) -> str:
    return text.replace("\x00", "")


def decode_into(doc: Document, data: bytes) -> str:
    """Decode a text file's bytes, record the encoding, and flag text no encoding explains."""
    text, enc = decode(data)
    doc.meta["encoding"] = enc
    if enc == "utf-8?":
        doc.issues.append(ReadIssue("garbled-text", {"pages": ""}))
        mark_partial(doc, "文本编码无法识别，部分字符显示为乱码")
    return clean(text)


def read(doc: Document, data: bytes, limits: Limits, deadline: Deadline) -> None:
    text = decode_into(doc, data)
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
