"""Generate a hostile-input review round: what departments upload on a bad day, and what an attacker crafts.

    python tests/hostile/make_hostile.py DEST      # writes DEST/round/ (~25 MB) and DEST/manifest.json

`DEST/round/` is one review round of packages (folders and zips), each holding a few bad files next to
a good one: zip bombs (declared ratio, lying headers, bzip2, absolute size, entry count, nesting), path
traversal in member names, encrypted and unsupported members, truncated archives, OOXML bombs, XML
entity attacks (billion laughs, external entities aimed at /etc/passwd, at a secret file and at a fifo
that would block forever), PDFs that are encrypted, damaged, empty, 10,000 pages long, stream bombs,
dense grids, scans and fonts without a Unicode map, odd encodings and 10 MB lines, and on POSIX
symlinks, fifos, sockets and device files. `DEST/outside/` holds the targets the attacks aim at; the
round's `dossier-lint.toml` sets tight limits so every guard fires on small files.

`build(dest)` returns the manifest: for each hostile file, the `input` issue codes (`data.code` of the
diagnostics) and the document status dossier-lint must report. Everything is generated (stdlib, plus
fpdf2 for the encrypted PDFs when installed); the only committed input is `files/zeros-1gib.bz2`
(785 bytes of bzip2 that inflate to 1 GiB, too slow to compress in a test).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import socket
import stat
import struct
import sys
import zipfile
import zlib
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CORPUS = ROOT / "corpus" / "packages"
SECRET = "HOSTILE-SECRET-5f3a9c"  # written to outside/secret.txt; must never appear in any output
MB = 1024 * 1024

LIMITS = {
    "max_file_bytes": 16 * MB,
    "max_decompressed_bytes": 24 * MB,
    "max_pdf_stream_bytes": 8 * MB,
    "max_pages": 200,
    "max_cells": 100_000,
    "max_members": 2000,
    "max_nesting": 2,
    "max_seconds": 20,
}


@dataclass
class Expect:
    codes: list[str] = field(default_factory=list)  # input issue codes that must be reported for the file
    status: str | None = None  # ok | partial | unreadable; None = not checked
    limit: str | None = None  # for limit-hit: which limit
    absent: bool = False  # must not be a document at all (fifo, symlink, ...)
    reason: str | None = None  # a substring of the document's reason


@dataclass
class Manifest:
    round: str
    outside: str
    expect: dict[str, Expect] = field(default_factory=dict)  # "package/relpath" -> expectation
    package_codes: dict[str, list[str]] = field(default_factory=dict)  # package -> package-level codes
    good: str = ""  # the clean package that must lint exactly as it does alone
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        d = asdict(self)
        return json.dumps(d, ensure_ascii=False, indent=1)


# --- zip ---------------------------------------------------------------------------------------------

_DOS_TIME, _DOS_DATE = 0, (2023 - 1980) << 9 | 7 << 5 | 1


@dataclass
class RawMember:
    name: bytes
    payload: bytes  # as stored (already compressed)
    method: int = 8
    crc: int = 0
    size: int = 0  # declared uncompressed size
    flags: int = 0


def deflate(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def member(name: str | bytes, data: bytes, *, method: int = 8, declared: int | None = None, flags: int = 0,
           encoding: str = "utf-8") -> RawMember:
    raw = name if isinstance(name, bytes) else name.encode(encoding)
    if encoding == "utf-8" and not isinstance(name, bytes) and not raw.isascii():
        flags |= 0x800
    payload = deflate(data) if method == 8 else data
    return RawMember(raw, payload, method, zlib.crc32(data), len(data) if declared is None else declared, flags)


def raw_zip(members: list[RawMember]) -> bytes:
    """A zip written byte by byte, so sizes, flags and methods can say whatever a test needs."""
    out = bytearray()
    central = bytearray()
    for m in members:
        offset = len(out)
        out += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, m.flags, m.method, _DOS_TIME, _DOS_DATE,
                           m.crc, len(m.payload), m.size, len(m.name), 0) + m.name + m.payload
        central += struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, m.flags, m.method, _DOS_TIME,
                               _DOS_DATE, m.crc, len(m.payload), m.size, len(m.name), 0, 0, 0, 0, 0o644 << 16,
                               offset) + m.name
    cd_at = len(out)
    out += central
    out += struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(members), len(members), len(central), cd_at, 0)
    return bytes(out)


def std_zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            zi = zipfile.ZipInfo(name, date_time=(2023, 7, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, data)
    return buf.getvalue()


# --- OOXML ---------------------------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
S_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "' + (f"&lol{i - 1};" if i > 1 else "&lol;") * 10 + '">' for i in range(1, 10))
    + "]>"
)


def xxe(target: str) -> str:
    return f'<!DOCTYPE w [<!ENTITY xxe SYSTEM "{target}">]>'


def param_entity(target: str) -> str:
    # a parameter entity is loaded while the DTD is parsed, before any element: a fifo there blocks forever
    return f'<!DOCTYPE w [<!ENTITY % ext SYSTEM "{target}"> %ext;]>'


def docx_parts(paragraphs: list[str], *, dtd: dict[str, str] | None = None, ref: str = "",
               pad: str = "", extra: dict[str, str] | None = None) -> dict[str, str]:
    """A minimal .docx; `dtd` puts a DOCTYPE into the named parts (with `pad` before it, and the entity
    reference `ref` into their text)."""
    dtd = dtd or {}

    def head(part: str) -> str:
        return DECL + (pad + dtd[part] if part in dtd else "")

    def r(part: str) -> str:
        return ref if part in dtd else ""

    body = "".join(
        f'<w:p><w:pPr><w:pStyle w:val="{"Heading1" if i == 0 else "Normal"}"/></w:pPr>'
        f"<w:r><w:t>{t}{r('word/document.xml')}</w:t></w:r></w:p>"
        for i, t in enumerate(paragraphs)
    )
    parts = {
        "[Content_Types].xml": DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        "_rels/.rels": DECL + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="word/document.xml"/></Relationships>',
        "word/document.xml": head("word/document.xml") + f'<w:document xmlns:w="{W_NS}"><w:body>{body}'
        "<w:sectPr/></w:body></w:document>",
        "word/styles.xml": head("word/styles.xml") + f'<w:styles xmlns:w="{W_NS}">'
        '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>'
        f'<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal{r("word/styles.xml")}"/>'
        "</w:style></w:styles>",
    }
    if "word/numbering.xml" in dtd:
        parts["word/numbering.xml"] = head("word/numbering.xml") + f'<w:numbering xmlns:w="{W_NS}">' \
            f'<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:lvlText w:val="%1.{ref}"/></w:lvl>' \
            '</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>'
    if "word/comments.xml" in dtd:
        parts["word/comments.xml"] = head("word/comments.xml") + f'<w:comments xmlns:w="{W_NS}">' \
            f'<w:comment w:id="0"><w:p><w:r><w:t>批注{ref}</w:t></w:r></w:p></w:comment></w:comments>'
    parts.update(extra or {})
    return parts


def xlsx_parts(rows: list[list[str]], *, dtd: dict[str, str] | None = None, ref: str = "", pad: str = "",
               sheet_xml: str | None = None) -> dict[str, str]:
    """A minimal .xlsx with shared strings; `dtd` as for docx_parts."""
    dtd = dtd or {}

    def head(part: str) -> str:
        return DECL + (pad + dtd[part] if part in dtd else "")

    def r(part: str) -> str:
        return ref if part in dtd else ""

    strings: list[str] = []
    cells = []
    for ri, row in enumerate(rows, start=1):
        cs = []
        for ci, v in enumerate(row):
            strings.append(v)
            cs.append(f'<c r="{chr(65 + ci)}{ri}" t="s"><v>{len(strings) - 1}</v></c>')
        cells.append(f'<row r="{ri}">{"".join(cs)}</row>')
    sst = "".join(f"<si><t>{s}{r('xl/sharedStrings.xml')}</t></si>" for s in strings)
    return {
        "[Content_Types].xml": DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
        "_rels/.rels": DECL + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": head("xl/workbook.xml") + f'<workbook xmlns="{S_NS}" xmlns:r="{R_NS}"><sheets>'
        f'<sheet name="概算表{r("xl/workbook.xml")}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": DECL
        + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'sharedStrings" Target="sharedStrings.xml"/>'
        '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'styles" Target="styles.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": head("xl/worksheets/sheet1.xml")
        + (sheet_xml or f'<worksheet xmlns="{S_NS}"><sheetData>{"".join(cells)}</sheetData></worksheet>'),
        "xl/sharedStrings.xml": head("xl/sharedStrings.xml")
        + f'<sst xmlns="{S_NS}" count="{len(strings)}" uniqueCount="{len(strings)}">{sst}</sst>',
        "xl/styles.xml": head("xl/styles.xml") + f'<styleSheet xmlns="{S_NS}"><numFmts count="1">'
        f'<numFmt numFmtId="164" formatCode="0.00{r("xl/styles.xml")}"/></numFmts>'
        '<cellXfs count="1"><xf numFmtId="0"/></cellXfs></styleSheet>',
    }


def ooxml(parts: dict[str, str | bytes]) -> bytes:
    return std_zip({k: v.encode("utf-8") if isinstance(v, str) else v for k, v in parts.items()})


# --- PDF -----------------------------------------------------------------------------------------------

_CID = (
    b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [<< "
    b"/Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) "
    b"/Ordering (GB1) /Supplement 2 >> /FontDescriptor << /Type /FontDescriptor /FontName /STSong-Light "
    b"/Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 "
    b"/StemV 93 >> /DW 1000 >>] >>"
)
_HELV = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
# glyph ids with no ToUnicode map: extracted text is nonsense
_NO_UNICODE = (
    b"<< /Type /Font /Subtype /Type0 /BaseFont /FakeSong /Encoding /Identity-H /DescendantFonts [<< /Type /Font "
    b"/Subtype /CIDFontType2 /BaseFont /FakeSong /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) "
    b"/Supplement 0 >> /FontDescriptor << /Type /FontDescriptor /FontName /FakeSong /Flags 4 "
    b"/FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 80 >> "
    b"/DW 1000 >>] >>"
)


def pdf_file(objs: list[bytes], *, root: int = 1, trailer_extra: bytes = b"") -> bytes:
    """Objects numbered from 1, with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root {root} 0 R {trailer_extra.decode()} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def stream(content: bytes, *, flate: bool = True, extra: bytes = b"") -> bytes:
    if flate:
        content = zlib.compress(content)
        return b"<< /Length %d /Filter /FlateDecode %s>>\nstream\n" % (len(content), extra) + content + b"\nendstream"
    return b"<< /Length %d %s>>\nstream\n" % (len(content), extra) + content + b"\nendstream"


def _show(line: str, y: int) -> bytes:
    if line.isascii():
        lit = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return f"BT /FA 12 Tf 72 {y} Td ({lit}) Tj ET\n".encode()
    return f"BT /F1 12 Tf 72 {y} Td <{line.encode('utf-16-be').hex().upper()}> Tj ET\n".encode()


def text_pdf(pages: list[list[str]], *, media: str = "0 0 595 842", extra_ops: list[bytes] | None = None) -> bytes:
    """Pages of text lines (Chinese in the predefined STSong-Light CMap font: no font file needed)."""
    objs: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", _CID, _HELV]
    kids = []
    for i, lines in enumerate(pages):
        ops = b"".join(_show(t, 780 - 20 * j) for j, t in enumerate(lines))
        if extra_ops:
            ops += extra_ops[i]
        objs.append(stream(ops))
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [{media}] /Resources << /Font << /F1 3 0 R "
                    f"/FA 4 0 R >> >> /Contents {len(objs)} 0 R >>".encode())
        kids.append(f"{len(objs)} 0 R")
    objs[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>".encode()
    return pdf_file(objs)


def one_page_pdf(content: bytes, *, media: bytes = b"0 0 595 842", fonts: bytes = b"/F1 3 0 R /FA 4 0 R",
                 extra_objs: list[bytes] | None = None, pages_dict: bytes | None = None) -> bytes:
    """Catalog 1, Pages 2, fonts 3-4, page 5, content object 6 (`content` is a full stream object)."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            pages_dict or b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>", _CID, _HELV,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [" + media + b"] /Resources << /Font << " + fonts
            + b" >> /XObject << /Im1 7 0 R >> >> /Contents 6 0 R >>", content]
    objs += extra_objs or [b"<< >>"]
    return pdf_file(objs)


def repeat_zlib(chunk: bytes, n: int, tail: bytes = b"") -> bytes:
    """zlib data for `chunk` * n + `tail`, made in the time of compressing `chunk` once: a full flush
    leaves the compressor without history, so every further copy of `chunk` compresses to the same block."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    t = zlib.compressobj(9, zlib.DEFLATED, -15)
    end = t.compress(tail) + t.flush()
    adler = 1
    for _ in range(n):
        adler = zlib.adler32(chunk, adler)
    return b"\x78\xda" + block * n + end + struct.pack(">I", zlib.adler32(tail, adler))


def flate_bomb(megabytes: int, layers: int = 1) -> bytes:
    """A content stream of `megabytes` MB of spaces (then one text line), FlateDecode'd `layers` times."""
    data = repeat_zlib(b" " * MB, megabytes, _show("bomb", 700))
    for _ in range(layers - 1):
        data = zlib.compress(data, 9)
    filters = b" ".join([b"/FlateDecode"] * layers)
    return b"<< /Length %d /Filter [%s] >>\nstream\n" % (len(data), filters) + data + b"\nendstream"


def form_fanout_pdf(levels: int, fanout: int = 3) -> bytes:
    """Form XObjects that each draw the next one `fanout` times: PDFium expands fanout**(levels-1)
    objects when the page loads (15 levels of 3: 4.8 million, ~10 GB) from a few KB of file."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /F 6 0 R >> "
            b"/Font << /FA 4 0 R >> >> /Contents 5 0 R >>", _HELV, stream(b"/F Do\n" + _show("forms", 700))]
    for i in range(levels):
        body = b"/F Do " * fanout + b"\n" if i < levels - 1 else _show("leaf", 10)
        objs.append(b"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /XObject << /F %d 0 R >> "
                    b"/Font << /FA 4 0 R >> >> /Length %d >>\nstream\n" % (7 + i, len(body)) + body + b"\nendstream")
    return pdf_file(objs)


def image_pdf(n: int) -> bytes:
    w = h = 64
    img = zlib.compress(bytes((x * 4 + y) % 256 for y in range(h) for x in range(w)))
    objs: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b"",
                         b"<< /Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceGray "
                         b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n" % len(img) + img
                         + b"\nendstream"]
    kids = []
    for _ in range(n):
        objs.append(stream(b"q 555 0 0 802 20 20 cm /Im1 Do Q"))
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 3 0 R "
                    f">> >> /Contents {len(objs)} 0 R >>".encode())
        kids.append(f"{len(objs)} 0 R")
    objs[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {n} >>".encode()
    return pdf_file(objs)


def encrypted_pdfs() -> dict[str, bytes]:
    """User-password and owner-only encrypted PDFs (fpdf2 when installed, else the committed fixture)."""
    out: dict[str, bytes] = {}
    try:
        from fpdf import FPDF
    except ImportError:
        out["需要密码.pdf"] = (ROOT / "tests" / "fixtures" / "readers" / "encrypted.pdf").read_bytes()
        return out
    for name, user in (("需要密码.pdf", "secret"), ("仅权限密码.pdf", "")):
        pdf = FPDF()
        pdf.set_creation_date(__import__("datetime").datetime(2023, 7, 1, tzinfo=__import__("datetime").timezone.utc))
        pdf.set_font("helvetica", size=12)
        pdf.add_page()
        for i in range(6):
            pdf.cell(0, 10, f"Encrypted document line {i + 1} about the project budget.", new_x="LMARGIN", new_y="NEXT")
        pdf.set_encryption(owner_password="owner", user_password=user)
        out[name] = bytes(pdf.output())
    return out


# --- the round -----------------------------------------------------------------------------------------


def dense_line(size: int) -> bytes:
    """One line of `size` bytes, no full stop, thick with what the content checks match (forbidden
    construction, money, dates, levels, algorithms): the worst case for per-sentence work."""
    words = "南充市智慧城管平台项目总投资120.00万元新建机房采购服务器租用专线单独开发APP采用MD5算法第三级2024年1月至2024年12月"
    line = (words * (size // len(words.encode()) + 1)).encode()[:size]
    return line.decode("utf-8", "ignore").encode()


def _good_csv() -> bytes:
    return "序号,费用名称,金额（万元）\n1,软件开发费,120.00\n2,系统集成费,30.00\n".encode()


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def build(dest: Path) -> Manifest:
    dest = Path(dest).resolve()
    if dest.exists():
        shutil.rmtree(dest)
    rnd, outside = dest / "round", dest / "outside"
    rnd.mkdir(parents=True)
    outside.mkdir()
    secret = _write(outside / "secret.txt", (SECRET + "\n").encode())
    fifo = outside / "blocking.fifo"
    has_fifo = hasattr(os, "mkfifo")
    if has_fifo:
        os.mkfifo(fifo)
    m = Manifest(round=str(rnd), outside=str(outside))
    ex = m.expect
    limits = "\n".join(f"{k} = {v}" for k, v in LIMITS.items())
    (rnd / "dossier-lint.toml").write_text(f'profile = "nanchong"\n\n[limits]\n{limits}\n', encoding="utf-8")

    # 01: archives inside a package folder (each is read as a sub-folder)
    p = rnd / "01-archives"
    _write(p / "项目概算表.csv", _good_csv())
    zeros4 = b"\0" * (4 * MB)
    _write(p / "ratio-bomb.zip", raw_zip([member("可研报告.txt", zeros4)]))
    ex["01-archives/ratio-bomb.zip/可研报告.txt"] = Expect(["zip-bomb"], "unreadable", reason="压缩比")
    _write(p / "lying-size.zip", raw_zip([member("说明.txt", zeros4, declared=1000)]))
    ex["01-archives/lying-size.zip/说明.txt"] = Expect(["unreadable"], "unreadable")
    bz = (HERE / "files" / "zeros-1gib.bz2").read_bytes()
    _write(p / "bzip2-bomb.zip", raw_zip([RawMember("资金说明.txt".encode(), bz, 12, 0, 100, 0x800)]))
    ex["01-archives/bzip2-bomb.zip/资金说明.txt"] = Expect(["unreadable"], "unreadable", reason="压缩方式不受支持")
    inner: bytes = std_zip({"深层.txt": "第一章 总论\n藏得很深的文字。\n".encode()})
    for name in ("d.zip", "c.zip", "b.zip"):
        inner = std_zip({name: inner})
    _write(p / "deep-nesting.zip", inner)
    ex["01-archives/deep-nesting.zip/b.zip/c.zip/d.zip"] = Expect(["nested-archive"], "unreadable")
    ex["01-archives/deep-nesting.zip/b.zip/c.zip/d.zip/深层.txt"] = Expect(absent=True)
    escape = "逃逸内容：不得写到任何地方".encode()
    trav = ["../../../逃逸-上级.txt", "/tmp/逃逸-绝对.txt", "C:\\Windows\\逃逸-盘符.txt", "..\\..\\逃逸-反斜杠.txt",
            "正常/../../../逃逸-中间.txt"]
    _write(p / "traversal.zip", raw_zip([member(n, escape) for n in trav] + [member("控制\x01字符\x7f.txt", escape)]))
    for rel in ("逃逸-上级.txt", "tmp/逃逸-绝对.txt", "Windows/逃逸-盘符.txt", "逃逸-反斜杠.txt", "正常/逃逸-中间.txt"):
        ex[f"01-archives/traversal.zip/{rel}"] = Expect(["unsafe-member"], "ok")
    ex["01-archives/traversal.zip/控制字符.txt"] = Expect([], "ok")
    _write(p / "encrypted-member.zip", raw_zip([member("加密.txt", b"\x13" * 200, flags=0x1, method=0)]))
    ex["01-archives/encrypted-member.zip/加密.txt"] = Expect(["encrypted"], "unreadable")
    _write(p / "deflate64.zip", raw_zip([member("方式九.txt", b"abc" * 100, method=9)]))
    ex["01-archives/deflate64.zip/方式九.txt"] = Expect(["unreadable"], "unreadable", reason="压缩方式不受支持")
    _write(p / "too-many.zip", raw_zip([member(f"f{i}.txt", b"x") for i in range(LIMITS["max_members"] + 1)]))
    ex["01-archives/too-many.zip"] = Expect(["zip-bomb"], "unreadable", reason="条目")
    _write(p / "declared-total.zip", raw_zip([member(f"大文件{i}.txt", b"small", declared=10 * MB) for i in range(3)]))
    ex["01-archives/declared-total.zip"] = Expect(["zip-bomb"], "unreadable", reason="总大小")
    good_zip = std_zip({"申报表.txt": "项目名称：测试\n".encode(), "附件/说明.txt": "说明文字。\n".encode()})
    _write(p / "truncated.zip", good_zip[: len(good_zip) * 55 // 100])
    ex["01-archives/truncated.zip"] = Expect(["unreadable"], "unreadable", reason="损坏")
    _write(p / "gbk-names.zip", raw_zip([member("资金/项目预算表.csv", "名称,金额\n平台,1\n".encode("gbk"), encoding="gbk")]))
    ex["01-archives/gbk-names.zip/资金/项目预算表.csv"] = Expect([], "ok")
    _write(p / "duplicate-names.zip", raw_zip([member("重复.txt", "第一份\n".encode()), member("重复.txt", "第二份\n".encode())]))
    ex["01-archives/duplicate-names.zip/重复.txt"] = Expect([], "ok")
    ex["01-archives/duplicate-names.zip/重复 (2).txt"] = Expect([], "ok")
    _write(p / "empty.zip", raw_zip([]))
    ex["01-archives/项目概算表.csv"] = Expect([], "ok")

    # 02: a package that is itself a zip, with traversal names and GBK names, plus a real document
    good_docx = next(CORPUS.glob("nanchong-zhcg-complete/01_*.docx")).read_bytes()
    _write(rnd / "02-package.zip", raw_zip([
        member("申报材料/01_南充市市级政务信息化项目备案审查表.docx", good_docx, encoding="gbk"),
        member("../../../../tmp/逃逸-包.txt", escape),
        member("申报材料/附件.zip", std_zip({"附件说明.txt": "附件内容。\n".encode()})),
    ]))
    ex["02-package/申报材料/01_南充市市级政务信息化项目备案审查表.docx"] = Expect([], "ok")
    ex["02-package/tmp/逃逸-包.txt"] = Expect(["unsafe-member"], "ok")
    ex["02-package/申报材料/附件.zip/附件说明.txt"] = Expect([], "ok")

    # 03 / 04: package zips that are bombs or half downloaded: the package is reported, the round goes on
    _write(rnd / "03-bomb-package.zip", raw_zip([member(f"大{i}.pdf", b"%PDF-1.4", declared=20 * MB) for i in range(2)]))
    m.package_codes["03-bomb-package"] = ["zip-bomb"]
    whole = std_zip({"可行性研究报告.txt": ("第一章 总论\n" + "项目内容。" * 2000).encode()})
    _write(rnd / "04-truncated-package.zip", whole[: len(whole) // 2])
    m.package_codes["04-truncated-package"] = ["unreadable"]

    # 05: OOXML bombs and XML attacks
    p = rnd / "05-ooxml"
    _write(p / "项目概算表.csv", _good_csv())
    pad_xml = "<w:p><w:r><w:t>x</w:t></w:r></w:p>"
    big = docx_parts(["第一章 总论", "正文。"])
    big["word/document.xml"] = big["word/document.xml"].replace("<w:sectPr/>", " " * (4 * MB) + "<w:sectPr/>")
    _write(p / "ratio-bomb.docx", ooxml(big))
    ex["05-ooxml/ratio-bomb.docx"] = Expect(["zip-bomb"], "unreadable")
    parts = docx_parts(["第一章 总论", "正文。" + pad_xml])
    lying = [member(k, v.encode()) for k, v in parts.items() if k != "word/document.xml"]
    doc_xml = parts["word/document.xml"].replace("<w:sectPr/>", pad_xml * 200_000 + "<w:sectPr/>").encode()
    lying.append(member("word/document.xml", doc_xml, declared=2000))
    _write(p / "lying-size.docx", raw_zip(lying))
    ex["05-ooxml/lying-size.docx"] = Expect(["unreadable"], "unreadable")
    bzd = [member(k, v.encode()) for k, v in parts.items() if k != "word/document.xml"]
    bzd.append(RawMember(b"word/document.xml", bz, 12, 0, 3000, 0))
    _write(p / "bzip2-part.docx", raw_zip(bzd))
    ex["05-ooxml/bzip2-part.docx"] = Expect(["unreadable"], "unreadable", reason="压缩方式不受支持")
    # no word/document.xml, so the main part is looked up in [Content_Types].xml, which is a bomb
    ct = [member("word/other.xml", parts["word/document.xml"].encode()),
          member("[Content_Types].xml", b" " * (40 * MB), declared=500)]
    _write(p / "content-types-bomb.docx", raw_zip(ct))
    ex["05-ooxml/content-types-bomb.docx"] = Expect(["unreadable"], "unreadable")
    xbig = xlsx_parts([["名称", "金额"], ["平台", "1"]])
    xbig["xl/worksheets/sheet1.xml"] = xbig["xl/worksheets/sheet1.xml"].replace("</sheetData>", "</sheetData>" + " " * (4 * MB))
    _write(p / "ratio-bomb.xlsx", ooxml(xbig))
    ex["05-ooxml/ratio-bomb.xlsx"] = Expect(["zip-bomb"], "unreadable")
    # XML entity attacks: every part the readers parse (and some they leave to python-calamine)
    passwd = "file:///etc/passwd"
    sec = secret.as_uri()
    pad = "<!--" + "x" * 70_000 + "-->"  # pushes the DOCTYPE past any "look at the first 64 KB" check
    for part in ("word/document.xml", "word/styles.xml", "word/numbering.xml", "word/comments.xml"):
        short = part.split("/")[1].split(".")[0]
        for label, dtd, ref in (("laughs", LAUGHS, "&lol9;"), ("xxe-passwd", xxe(passwd), "&xxe;"),
                                ("xxe-secret", xxe(sec), "&xxe;")):
            name = f"{label}-{short}.docx"
            _write(p / name, ooxml(docx_parts(["第一章 总论", "正文。"], dtd={part: dtd}, ref=ref)))
            if short == "numbering":  # automatic numbers are a nicety: the part is dropped, the text read
                ex[f"05-ooxml/{name}"] = Expect([], "ok")
            elif short == "comments":  # read after the body: the body stays, the document is partial
                ex[f"05-ooxml/{name}"] = Expect(["unreadable"], "partial", reason="DTD")
            else:
                ex[f"05-ooxml/{name}"] = Expect(["unreadable"], "unreadable", reason="DTD")
    for label, dtd, ref in (("padded-xxe", xxe(sec), "&xxe;"), ("padded-laughs", LAUGHS, "&lol9;"),
                            ("padded-param-secret", param_entity(sec), "")):
        name = f"{label}-document.docx"
        _write(p / name, ooxml(docx_parts(["第一章 总论", "正文。"], dtd={"word/document.xml": dtd}, ref=ref, pad=pad)))
        ex[f"05-ooxml/{name}"] = Expect(["unreadable"], "unreadable", reason="DTD")
    if has_fifo:
        name = "padded-param-fifo-document.docx"
        _write(p / name, ooxml(docx_parts(["第一章 总论", "正文。"], dtd={"word/document.xml": param_entity(str(fifo))},
                                          pad=pad)))
        ex[f"05-ooxml/{name}"] = Expect(["unreadable"], "unreadable", reason="DTD")
        # UTF-32: no byte search for "<!DOCTYPE" sees it; only the parser's own guard stops the fifo read
        u32 = docx_parts(["第一章 总论", "正文。"], dtd={"word/document.xml": param_entity(str(fifo))})
        u32_parts: dict[str, str | bytes] = dict(u32)
        u32_parts["word/document.xml"] = u32["word/document.xml"].replace('encoding="UTF-8"', 'encoding="UTF-32"').encode("utf-32")
        _write(p / "utf32-param-fifo-document.docx", ooxml(u32_parts))
        ex["05-ooxml/utf32-param-fifo-document.docx"] = Expect(["unreadable"], "unreadable", reason="DTD")
    utf16 = docx_parts(["第一章 总论", "正文。"], dtd={"word/styles.xml": xxe(sec)}, ref="&xxe;")
    utf16_parts: dict[str, str | bytes] = dict(utf16)
    utf16_parts["word/styles.xml"] = "\ufeff".encode("utf-16-be") + utf16["word/styles.xml"].replace(
        'encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16-be")
    _write(p / "utf16be-xxe-styles.docx", ooxml(utf16_parts))
    ex["05-ooxml/utf16be-xxe-styles.docx"] = Expect(["unreadable"], "unreadable", reason="DTD")
    for part in ("xl/sharedStrings.xml", "xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/styles.xml"):
        short = part.rsplit("/", 1)[1].split(".")[0]
        for label, dtd, ref in (("laughs", LAUGHS, "&lol9;"), ("xxe-secret", xxe(sec), "&xxe;"),
                                ("padded-xxe-passwd", xxe(passwd), "&xxe;")):
            name = f"{label}-{short}.xlsx"
            _write(p / name, ooxml(xlsx_parts([["名称", "金额"], ["平台", "1"]], dtd={part: dtd}, ref=ref,
                                              pad=pad if label.startswith("padded") else "")))
            ex[f"05-ooxml/{name}"] = Expect(["unreadable"], "unreadable", reason="DTD")
    extent = (f'<worksheet xmlns="{S_NS}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
              f'<row r="1048576"><c r="XFD1048576" t="s"><v>1</v></c></row></sheetData></worksheet>')
    _write(p / "huge-extent.xlsx", ooxml(xlsx_parts([["名称", "金额"]], sheet_xml=extent)))
    ex["05-ooxml/huge-extent.xlsx"] = Expect(["limit-hit"], limit="max_cells")
    rows = "".join(f'<row r="{r}">' + "".join(f'<c r="{_col(c)}{r}"><v>{r * c}</v></c>' for c in range(200))
                   + "</row>" for r in range(1, 601))
    _write(p / "many-cells.xlsx", ooxml(xlsx_parts([], sheet_xml=f'<worksheet xmlns="{S_NS}"><sheetData>{rows}'
                                                                  "</sheetData></worksheet>")))
    ex["05-ooxml/many-cells.xlsx"] = Expect(["limit-hit"], "partial", limit="max_cells")
    _write(p / "random-bytes.docx", bytes((i * 7919 + 13) % 256 for i in range(5000)))
    ex["05-ooxml/random-bytes.docx"] = Expect(["unreadable"], "unreadable")
    deep = "<w:sdt><w:sdtContent>" * 5000 + "<w:p><w:r><w:t>深</w:t></w:r></w:p>" + "</w:sdtContent></w:sdt>" * 5000
    dp = docx_parts(["第一章 总论"])
    dp["word/document.xml"] = dp["word/document.xml"].replace("<w:sectPr/>", deep + "<w:sectPr/>")
    _write(p / "deep-nesting.docx", ooxml(dp))
    ex["05-ooxml/deep-nesting.docx"] = Expect(["unreadable"], "unreadable")

    # 06: PDFs
    p = rnd / "06-pdf"
    _write(p / "项目概算表.csv", _good_csv())
    for name, data in encrypted_pdfs().items():
        _write(p / name, data)
    ex["06-pdf/需要密码.pdf"] = Expect(["encrypted"], "unreadable")
    if (p / "仅权限密码.pdf").exists():
        ex["06-pdf/仅权限密码.pdf"] = Expect([], "ok")
    report = text_pdf([[f"第{n}章 第{n}部分", f"这是第{n}页的正文内容，共有若干文字。", f"Line {n} of the report."]
                       for n in range(1, 6)])
    xref_at = report.rindex(b"xref\n")
    broken = bytearray(report)
    for i in range(xref_at + 30, len(report) - 60):
        if broken[i : i + 1].isdigit():
            broken[i] = ord("9")
    _write(p / "corrupt-xref.pdf", bytes(broken))
    ex["06-pdf/corrupt-xref.pdf"] = Expect([], "ok")
    _write(p / "no-xref.pdf", report[:xref_at] + b"%%EOF\n")
    ex["06-pdf/no-xref.pdf"] = Expect([], "ok")
    _write(p / "truncated.pdf", report[: len(report) // 2])
    ex["06-pdf/truncated.pdf"] = Expect([], None)
    _write(p / "header-only.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    ex["06-pdf/header-only.pdf"] = Expect(["unreadable"], "unreadable")
    _write(p / "zero-pages.pdf", pdf_file([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]))
    ex["06-pdf/zero-pages.pdf"] = Expect(["unreadable"], "unreadable")
    w = "城市管理综合指挥平台数据共享交换业务协同网格化监督考核视频汇聚分析应急调度"
    many = text_pdf([[f"{w[n % 37:n % 37 + 4]}{w[n * 7 % 37:n * 7 % 37 + 3]}的建设内容",
                      f"本页说明{w[n * 3 % 37:n * 3 % 37 + 5]}和{w[n * 11 % 37:n * 11 % 37 + 4]}。",
                      f"{w[n * 5 % 37:n * 5 % 37 + 6]}的实施安排"] for n in range(1, 10_001)])
    _write(p / "10000-pages.pdf", many)
    ex["06-pdf/10000-pages.pdf"] = Expect(["limit-hit"], "partial", limit="max_pages")
    _write(p / "content-bomb.pdf", one_page_pdf(flate_bomb(1024)))
    ex["06-pdf/content-bomb.pdf"] = Expect(["limit-hit"], "unreadable", limit="max_pdf_stream_bytes")
    _write(p / "double-flate-bomb.pdf", one_page_pdf(flate_bomb(2048, layers=2)))
    ex["06-pdf/double-flate-bomb.pdf"] = Expect(["limit-hit"], "unreadable", limit="max_pdf_stream_bytes")
    split = [flate_bomb(7) for _ in range(4)]  # each under the per-stream cap, together over the total
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>", _CID, _HELV,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /FA 4 0 R >> >> "
            b"/Contents [6 0 R 7 0 R 8 0 R 9 0 R] >>", *split]
    _write(p / "split-bomb.pdf", pdf_file(objs))
    ex["06-pdf/split-bomb.pdf"] = Expect(["limit-hit"], "unreadable", limit="max_decompressed_bytes")
    _write(p / "form-fanout.pdf", form_fanout_pdf(15))
    ex["06-pdf/form-fanout.pdf"] = Expect(["unreadable"], "unreadable", reason="表单对象")
    k, step = 300, 4.0
    grid = b"".join(b"%.1f 20 m %.1f %.1f l S 20 %.1f m %.1f %.1f l S\n" % (20 + i * step, 20 + i * step, 20 + k * step,
                                                                            20 + i * step, 20 + k * step, 20 + i * step)
                    for i in range(k + 1))
    grid += _show("dense grid page", 10)
    _write(p / "dense-grid.pdf", one_page_pdf(stream(grid), media=b"0 0 1300 1300"))
    ex["06-pdf/dense-grid.pdf"] = Expect([], "ok")
    rects = b"".join(b"%d %d 2 2 re f\n" % (20 + (i * 7) % 560, 20 + (i * 13) % 800) for i in range(150_000))
    _write(p / "many-objects.pdf", one_page_pdf(stream(rects + _show("many objects", 10))))
    ex["06-pdf/many-objects.pdf"] = Expect([], "ok")
    _write(p / "huge-mediabox.pdf", one_page_pdf(stream(_show("第一章 巨大页面", 700) + _show("正文内容。", 680)),
                                                 media=b"0 0 14400 14400000"))
    ex["06-pdf/huge-mediabox.pdf"] = Expect([], None)
    _write(p / "nan-mediabox.pdf", one_page_pdf(stream(_show("第一章 异常页面", 700)), media=b"0 0 nan -1e999"))
    ex["06-pdf/nan-mediabox.pdf"] = Expect([], None)
    _write(p / "scanned.pdf", image_pdf(3))
    ex["06-pdf/scanned.pdf"] = Expect(["scanned-pages"], "unreadable")
    glyphs = b"".join(b"BT /F9 12 Tf 72 %d Td <%s> Tj ET\n" % (780 - 20 * i, bytes(range(i * 16 + 1, i * 16 + 33)).hex().encode())
                      for i in range(6))
    _write(p / "no-tounicode.pdf", one_page_pdf(stream(glyphs), fonts=b"/F9 7 0 R", extra_objs=[_NO_UNICODE]))
    ex["06-pdf/no-tounicode.pdf"] = Expect(["garbled-text"], "unreadable")
    _write(p / "page-tree-loop.pdf", one_page_pdf(stream(_show("loop", 700)),
                                                  pages_dict=b"<< /Type /Pages /Kids [5 0 R 2 0 R] /Count 2 >>"))
    ex["06-pdf/page-tree-loop.pdf"] = Expect([], None)
    _write(p / "lying-count.pdf", one_page_pdf(stream(_show("第一章 页数声明有误", 700)),
                                               pages_dict=b"<< /Type /Pages /Kids [5 0 R] /Count 100000000 >>"))
    ex["06-pdf/lying-count.pdf"] = Expect([], None)
    _write(p / "not-a-pdf.pdf", "这其实是一个文本文件。\n".encode())
    ex["06-pdf/not-a-pdf.pdf"] = Expect(["unreadable"], "unreadable")

    # 07: odd text
    p = rnd / "07-text"
    gb = "序号,费用名称,金额（万元）\n1,软件开发费,120.00\n2,系统集成费（含𠀀）,30.00\n"
    _write(p / "gbk.csv", gb.replace("（含𠀀）", "").encode("gbk"))
    _write(p / "gb18030.csv", gb.encode("gb18030"))
    txt = "第一章 总论\n项目总投资１２０．００万元，全角与半角混排：ＡＢＣabc　１２３。\n"
    _write(p / "utf16le-bom.txt", b"\xff\xfe" + txt.encode("utf-16-le"))
    _write(p / "utf16be-bom.txt", b"\xfe\xff" + txt.encode("utf-16-be"))
    _write(p / "utf16le-nobom.txt", txt.encode("utf-16-le"))
    _write(p / "utf8-bom.md", b"\xef\xbb\xbf" + ("# " + txt).encode())
    _write(p / "nul-bytes.txt", txt.replace("总论", "总\x00论").encode() + b"\x00" * 100)
    _write(p / "binary.txt", bytes((i * 131 + 7) % 256 for i in range(4096)))
    for name in ("gbk.csv", "gb18030.csv", "utf16le-bom.txt", "utf16be-bom.txt", "utf8-bom.md", "nul-bytes.txt"):
        ex[f"07-text/{name}"] = Expect([], "ok")
    ex["07-text/utf16le-nobom.txt"] = Expect([], None)
    ex["07-text/binary.txt"] = Expect(["garbled-text"], None)
    # 10 MB on one line, no full stop; and 1 MB of it dense with what the content checks look for
    words = "本项目依托市级政务云建设城市管理综合指挥平台实现部门数据共享和业务协同提升城市治理水平"
    line = (words * (10 * MB // len(words.encode()) + 1)).encode()[: 10 * MB]
    _write(p / "long-line.txt", line.decode("utf-8", "ignore").encode())
    ex["07-text/long-line.txt"] = Expect([], "ok")
    _write(p / "dense-line.txt", dense_line(MB))
    ex["07-text/dense-line.txt"] = Expect([], "ok")
    runs = "".join(f"{w}{' ' * 200_000}x" for w in ("项目名称", "联系电话", "总投资1", "¥1", "内存", "2024"))
    _write(p / "whitespace-runs.txt", ("第一章 总论\n" + runs + "\n").encode())
    ex["07-text/whitespace-runs.txt"] = Expect([], "ok")
    _write(p / "long-field.csv", ("名称,说明\n平台,\"" + "很长的说明" * 150_000 + "\"\n").encode())
    ex["07-text/long-field.csv"] = Expect([], "ok")
    _write(p / "cr-only.txt", ("第一章 总论\r" + "正文一行。\r" * 50_000).encode())
    ex["07-text/cr-only.txt"] = Expect([], "ok")

    # 08: filesystem oddities in a package folder (POSIX): never followed, never opened blocking
    p = rnd / "08-fs"
    _write(p / "项目概算表.csv", _good_csv())
    ex["08-fs/项目概算表.csv"] = Expect([], "ok")
    if hasattr(os, "symlink"):
        for name, target in (("可研报告-链接.txt", "/etc/passwd"), ("秘密-链接.txt", str(secret)),
                             ("上级目录-链接", ".."), ("根目录-链接", "/"), ("断开-链接.pdf", str(outside / "nope.pdf"))):
            try:
                os.symlink(target, p / name)
                ex[f"08-fs/{name}"] = Expect(absent=True)
            except OSError:
                m.notes.append(f"symlink {name} not created")
        try:
            os.symlink("循环-链接", p / "循环-链接")
            ex["08-fs/循环-链接"] = Expect(absent=True)
        except OSError:
            pass
    if has_fifo:
        os.mkfifo(p / "申报表.csv")
        ex["08-fs/申报表.csv"] = Expect(absent=True)
    if hasattr(socket, "AF_UNIX"):
        try:
            s = socket.socket(socket.AF_UNIX)
            s.bind(str(p / "套接字.txt"))
            s.close()
            ex["08-fs/套接字.txt"] = Expect(absent=True)
        except OSError:
            m.notes.append("socket not created")
    if hasattr(os, "mknod"):
        try:
            os.mknod(p / "设备-零.txt", 0o644 | stat.S_IFCHR, os.makedev(1, 5))  # /dev/zero: endless
            ex["08-fs/设备-零.txt"] = Expect(absent=True)
        except (OSError, PermissionError):
            m.notes.append("device node not created (needs root)")

    # round-level oddities: links and fifos next to the packages are not packages
    if hasattr(os, "symlink"):
        os.symlink("/", rnd / "09-link-to-root")
        os.symlink(str(CORPUS / "nanchong-zhcg-complete"), rnd / "09-link-to-package")
    if has_fifo:
        os.mkfifo(rnd / "10-fifo.zip")

    # 11: a clean package among them, which must lint exactly as it does alone
    shutil.copytree(CORPUS / "nanchong-zhcg-complete", rnd / "11-good")
    m.good = "11-good"
    (dest / "manifest.json").write_text(m.to_json(), encoding="utf-8")
    return m


def _col(c: int) -> str:
    s = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        s = chr(65 + rem) + s
    return s


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    m = build(Path(argv[0]))
    print(f"hostile round in {m.round}: {len(m.expect)} expectations; outside targets in {m.outside}")
    for n in m.notes:
        print("note:", n)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
