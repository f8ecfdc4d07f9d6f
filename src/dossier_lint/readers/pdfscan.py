"""Bound what a PDF makes PDFium and pdfminer inflate, before either of them opens it.

A page's content stream is decoded whole when the page loads, inside PDFium where no deadline can
stop it: 1 MB of FlateDecode holds 1 GB of content (2 GB of memory, 14 s, for one page), and a chain
of two FlateDecode filters a million times more. So the non-image streams (content, forms, fonts,
CMaps, object streams) are decoded here first, with a bounded output, and counted: one stream may
not exceed `Limits.max_pdf_stream_bytes`, all of them together `Limits.max_decompressed_bytes`.
Images are skipped: text extraction never decodes them.

Streams are found by scanning the bytes (damaged cross-reference tables do not matter); an encrypted
file is walked with pdfminer instead, which can decrypt it with an empty password.

Form XObjects multiply: PDFium expands every use of a form into its own objects when the page loads, so
a form drawing another form three times, 15 levels deep, is 14 million objects (10 GB) from 5 KB of file.
The forms' use of each other is counted first (`MAX_FORM_INSTANCES`).
"""

from __future__ import annotations

import base64
import binascii
import io
import re
import zlib
from collections.abc import Iterator

from ..limits import Limits
from . import Deadline, LimitHit

_STREAM = re.compile(rb">>\s*stream(?:\r\n|\r|\n)")
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9]+)")
_NAME = re.compile(rb"/([A-Za-z0-9]+)")
_LENGTH = re.compile(rb"/Length\s+(\d+)(?!\s+\d+\s+R)")
_IMAGE = re.compile(rb"/Subtype\s*/Image\b|/EmbeddedFile\b")
_ENCRYPT = re.compile(rb"/Encrypt\s*(?:\d+\s+\d+\s+R|<<)")
_FORM = re.compile(rb"/Subtype\s*/Form\b")
_OBJ = re.compile(rb"(\d+)\s+(\d+)\s+obj\b")
_DO = re.compile(rb"/([^\s/\[\]<>(){}%]+)\s*Do\b")
MAX_FORM_INSTANCES = 100_000  # form XObjects one use of a form expands into (a page draws a few hundred)
_DICT_BACK = 65536  # how far before `stream` its dictionary may start
_CHUNK = 1 << 18

_FLATE = {"FlateDecode", "Fl"}
_LZW = {"LZWDecode", "LZW"}
_HEX = {"ASCIIHexDecode", "AHx"}
_A85 = {"ASCII85Decode", "A85"}
_RL = {"RunLengthDecode", "RL"}


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


def check(data: bytes, limits: Limits, deadline: Deadline) -> None:
    """Raise LimitHit when a non-image stream decodes to more than allowed (never raises otherwise)."""
    per, total_cap = limits.max_pdf_stream_bytes, limits.max_decompressed_bytes
    total = 0
    for i, (filters, raw) in enumerate(_streams(data)):
        if i % 256 == 0:
            deadline.check("PDF 数据流")
        cap = min(per, total_cap - total)
        size = decoded_size(raw, filters, cap)
        if size > per:
            raise LimitHit(
                "max_pdf_stream_bytes", per,
                f"PDF 内部一个数据流解压后超过 {_mb(per)}（疑似压缩炸弹），为防止内存耗尽未读取；"
                "如确为正常文件，可在配置 [limits] 中调高 max_pdf_stream_bytes",
            )
        total += size
        if total > total_cap:
            raise LimitHit(
                "max_decompressed_bytes", total_cap,
                f"PDF 内部数据解压后总量超过 {_mb(total_cap)}（疑似压缩炸弹），为防止内存耗尽未读取；"
                "如确为正常文件，可在配置 [limits] 中调高 max_decompressed_bytes",
            )
    if _FORM.search(data):
        _check_forms(data, per, deadline)


def _streams(data: bytes) -> Iterator[tuple[list[str], bytes]]:
    if _ENCRYPT.search(data):
        yield from _decrypted_streams(data)
        return
    for m in _STREAM.finditer(data):
        start = m.end()
        obj = data.rfind(b" obj", max(0, m.start() - _DICT_BACK), m.start())
        head = data[obj if obj >= 0 else max(0, m.start() - 4096) : m.start() + 2]
        if _IMAGE.search(head):
            continue
        ln = _LENGTH.search(head)
        if ln is not None and start + int(ln.group(1)) <= len(data):
            raw = data[start : start + int(ln.group(1))]
        else:
            end = data.find(b"endstream", start)
            raw = data[start : end if end >= 0 else len(data)]
        f = _FILTER.search(head)
        names = [n.decode("latin-1") for n in _NAME.findall(f.group(1))] if f else []
        yield names, raw


def _decrypted_streams(data: bytes) -> Iterator[tuple[list[str], bytes]]:
    """Encrypted streams look like noise to a byte scan: let pdfminer decrypt them (empty password, as
    PDFium opens them). A file it cannot open is left to PDFium, which reports it."""
    try:
        from pdfminer.pdfdocument import PDFDocument
        from pdfminer.pdfparser import PDFParser
        from pdfminer.pdftypes import PDFStream
        from pdfminer.psparser import PSLiteral

        doc = PDFDocument(PDFParser(io.BytesIO(data)), password="")
        ids = sorted({i for x in doc.xrefs for i in x.get_objids()})
    except Exception:
        return
    for objid in ids:
        try:
            obj = doc.getobj(objid)
            if not isinstance(obj, PDFStream) or obj.rawdata is None:
                continue
            sub = obj.get("Subtype")
            if isinstance(sub, PSLiteral) and sub.name == "Image":
                continue
            raw = obj.rawdata
            if obj.decipher and obj.objid is not None and obj.genno is not None:
                raw = obj.decipher(obj.objid, obj.genno, raw, obj.attrs)
            names = [f.name for f, _ in obj.get_filters() if isinstance(f, PSLiteral)]
        except Exception:
            continue
        yield names, raw


def _check_forms(data: bytes, cap: int, deadline: Deadline) -> None:
    """Refuse a PDF whose form XObjects draw each other so often that one use expands past
    MAX_FORM_INSTANCES forms. Forms are streams, so their dictionaries are in the clear; pdfminer
    resolves their resources (which may sit in compressed object streams)."""
    ids = []
    for m in _STREAM.finditer(data):
        obj = data.rfind(b" obj", max(0, m.start() - _DICT_BACK), m.start())
        head = data[max(0, obj - 24) : m.start() + 2] if obj >= 0 else b""
        num = list(_OBJ.finditer(head[:40]))
        if num and _FORM.search(head):
            ids.append(int(num[-1].group(1)))
    if not ids:
        return
    try:
        from pdfminer.pdfdocument import PDFDocument
        from pdfminer.pdfparser import PDFParser
        from pdfminer.pdftypes import PDFObjRef, PDFStream, resolve1
        from pdfminer.psparser import PSLiteral

        doc = PDFDocument(PDFParser(io.BytesIO(data)), password="")
    except Exception:  # PDFium reports what pdfminer cannot open
        return
    uses: dict[int, list[tuple[int, int]]] = {}  # form -> [(form it draws, times)]
    pending = list(dict.fromkeys(ids))
    while pending:
        objid = pending.pop()
        if objid in uses:
            continue
        uses[objid] = []
        deadline.check("PDF 表单对象")
        try:
            obj = doc.getobj(objid)
            if not isinstance(obj, PDFStream) or obj.rawdata is None:
                continue
            res = resolve1(obj.get("Resources"))
            xo = resolve1(res.get("XObject")) if isinstance(res, dict) else None
            if not isinstance(xo, dict):
                continue
            refs = {name: ref.objid for name, ref in xo.items() if isinstance(ref, PDFObjRef)}
            raw = obj.rawdata
            if obj.decipher and obj.objid is not None and obj.genno is not None:
                raw = obj.decipher(obj.objid, obj.genno, raw, obj.attrs)
            names = [f.name for f, _ in obj.get_filters() if isinstance(f, PSLiteral)]
            counts: dict[int, int] = {}
            for m in _DO.finditer(_decode(raw, names, cap)):
                target = refs.get(m.group(1).decode("latin-1"))
                if target is not None:
                    counts[target] = counts.get(target, 0) + 1
        except Exception:
            continue
        for target, n in counts.items():
            t = doc.getobj(target) if target not in uses else None
            if target in uses or (isinstance(t, PDFStream) and isinstance(t.get("Subtype"), PSLiteral)
                                  and t.get("Subtype").name == "Form"):
                uses[objid].append((target, n))
                pending.append(target)
    memo: dict[int, int] = {}

    def expanded(f: int, stack: frozenset[int]) -> int:
        if f in memo:
            return memo[f]
        total = 1
        for target, n in uses.get(f, ()):
            if target not in stack:  # PDFium stops a form that draws itself
                total += n * expanded(target, stack | {f})
            if total > MAX_FORM_INSTANCES:
                break
        memo[f] = total
        return total

    for f in uses:
        if expanded(f, frozenset()) > MAX_FORM_INSTANCES:
            raise ValueError(
                f"PDF 中的表单对象层层重复引用，一次使用就展开为 {MAX_FORM_INSTANCES} 个以上对象（疑似恶意构造），"
                "为防止内存耗尽未读取；请重新导出或打印为 PDF 后提交"
            )


def decoded_size(raw: bytes, filters: list[str], cap: int) -> int:
    """Bytes the filter chain makes of `raw`, counting stops just past `cap`."""
    return len(_decode(raw, filters, cap))


def _decode(raw: bytes, filters: list[str], cap: int) -> bytes:
    """What the filter chain makes of `raw`, cut just past `cap`."""
    data = raw
    for name in filters:
        if name in _FLATE:
            data = _inflate(data, cap + 1)
        elif name in _LZW:
            data = _lzw(data, cap + 1)
        elif name in _HEX:
            data = _hex(data)
        elif name in _A85:
            data = _a85(data)
        elif name in _RL:
            data = _runlength(data, cap + 1)
        else:  # an image codec (DCT, JPX, CCITT, JBIG2) or unknown: no further expansion by us
            break
        if len(data) > cap:
            break
    return data


def _inflate(data: bytes, limit: int) -> bytes:
    """zlib with a bounded output; keeps what came out before damage, as PDF readers do."""
    for wbits in (zlib.MAX_WBITS, -zlib.MAX_WBITS):  # a few writers omit the zlib header
        d = zlib.decompressobj(wbits)
        out = bytearray()
        try:
            for i in range(0, len(data), _CHUNK):
                out += d.decompress(data[i : i + _CHUNK], limit + 1 - len(out))
                if len(out) > limit or d.eof:
                    break
        except zlib.error:
            if not out and wbits > 0:
                continue
        return bytes(out)
    return b""


def _lzw(data: bytes, limit: int) -> bytes:
    from pdfminer.lzw import LZWDecoder

    out = bytearray()
    try:
        for chunk in LZWDecoder(io.BytesIO(data)).run():
            out += chunk
            if len(out) > limit:
                break
    except Exception:
        pass
    return bytes(out)


def _hex(data: bytes) -> bytes:
    s = re.sub(rb"[^0-9A-Fa-f]", b"", data.split(b">", 1)[0])
    try:
        return binascii.unhexlify(s + b"0" * (len(s) % 2))
    except (binascii.Error, ValueError):
        return b""


def _a85(data: bytes) -> bytes:
    s = data.split(b"~>", 1)[0].strip()
    if s.startswith(b"<~"):
        s = s[2:]
    try:
        return base64.a85decode(s + b"~>", adobe=True)
    except ValueError:
        return b""


def _runlength(data: bytes, limit: int) -> bytes:
    out = bytearray()
    i, n = 0, len(data)
    while i < n and len(out) <= limit:
        b = data[i]
        if b == 128:
            break
        if b < 128:
            out += data[i + 1 : i + 2 + b]
            i += 2 + b
        else:
            out += data[i + 1 : i + 2] * (257 - b)
            i += 2
    return bytes(out)
