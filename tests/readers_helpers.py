"""Build small test inputs in memory for the reader tests: PDFs (no font files needed), zips.

PDF text uses the non-embedded CID font STSong-Light with the predefined UniGB-UCS2-H CMap, which every
PDF viewer (and PDFium) understands without a font file, so tests do not depend on fonts installed.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass, field

PAGE_W, PAGE_H = 595, 842


@dataclass
class PdfPage:
    lines: list[str] = field(default_factory=list)  # text lines, top to bottom
    table: list[list[str]] | None = None  # a ruled table drawn below the lines
    image: bool = False  # a full-page image (a scan) and no text
    raw_font: str | None = None  # draw lines with this extra font resource instead (e.g. "/F2")
    raw_text: list[bytes] | None = None  # pre-encoded strings for raw_font
    footer: str | None = None  # drawn centred at the bottom margin, like a page number


def _hex_ucs2(text: str) -> str:
    return "<" + text.encode("utf-16-be").hex().upper() + ">"


def _show(text: str, size: float) -> str:
    """Text operators: ASCII in Helvetica (PDFium drops lone ASCII glyphs of the metric-less CID font)."""
    if text.isascii():
        lit = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return f"/FA {size} Tf ({lit}) Tj"
    return f"/F1 {size} Tf {_hex_ucs2(text)} Tj"


def make_pdf(pages: list[PdfPage], extra_fonts: dict[str, str] | None = None, font_size: int = 12) -> bytes:
    """A valid PDF with one content stream per page. `extra_fonts` maps resource names to font dicts."""
    objs: list[bytes] = []

    def add(body: bytes) -> int:
        objs.append(body)
        return len(objs)

    cid = add(
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> "
        b"/FontDescriptor << /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
        b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >> /DW 1000 /W [1 95 500 814 939 500] >>"
    )
    f1 = add(
        f"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [{cid} 0 R] >>".encode()
    )
    fa = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    fonts = f"/F1 {f1} 0 R /FA {fa} 0 R"
    for name, body in (extra_fonts or {}).items():
        n = add(body.encode())
        fonts += f" {name} {n} 0 R"
    img = None
    page_ids: list[int] = []
    pages_id_placeholder = len(objs) + 1
    add(b"")  # Pages, filled below
    for p in pages:
        ops: list[str] = []
        xobj = ""
        if p.image:
            if img is None:
                w = h = 64
                raw = bytes((x * 4 + y) % 256 for y in range(h) for x in range(w))
                data = zlib.compress(raw)
                img = add(
                    f"<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceGray "
                    f"/BitsPerComponent 8 /Filter /FlateDecode /Length {len(data)} >>\nstream\n".encode()
                    + data
                    + b"\nendstream"
                )
            ops.append(f"q {PAGE_W - 40} 0 0 {PAGE_H - 40} 20 20 cm /Im1 Do Q")
            xobj = f"/XObject << /Im1 {img} 0 R >>"
        y = PAGE_H - 60
        lead = font_size * 1.6
        for i, line in enumerate(p.lines):
            if p.raw_font and p.raw_text:
                s = "<" + p.raw_text[i].hex().upper() + ">"
                ops.append(f"BT {p.raw_font} {font_size} Tf 50 {y:.1f} Td {s} Tj ET")
            else:
                ops.append(f"BT 50 {y:.1f} Td {_show(line, font_size)} ET")
            y -= lead
        if p.footer:
            ops.append(f"BT {PAGE_W / 2 - 10:.1f} 30 Td {_show(p.footer, 9)} ET")
        if p.table:
            rows, cols = len(p.table), max(len(r) for r in p.table)
            cw, rh = (PAGE_W - 100) / cols, 24
            top = y - 10
            for r in range(rows + 1):
                yy = top - r * rh
                ops.append(f"0.5 w 50 {yy:.1f} m {50 + cols * cw:.1f} {yy:.1f} l S")
            for c in range(cols + 1):
                xx = 50 + c * cw
                ops.append(f"0.5 w {xx:.1f} {top:.1f} m {xx:.1f} {top - rows * rh:.1f} l S")
            for r, row in enumerate(p.table):
                for c, text in enumerate(row):
                    if text:
                        ops.append(
                            f"BT {50 + c * cw + 4:.1f} {top - r * rh - 16:.1f} Td {_show(text, 10)} ET"
                        )
        stream = "\n".join(ops).encode()
        content = add(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream")
        page_ids.append(
            add(
                f"<< /Type /Page /Parent {pages_id_placeholder} 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] "
                f"/Resources << /Font << {fonts} >> {xobj} >> /Contents {content} 0 R >>".encode()
            )
        )
    kids = " ".join(f"{i} 0 R" for i in page_ids)
    objs[pages_id_placeholder - 1] = f"<< /Type /Pages /Kids [{kids}] /Count {len(page_ids)} >>".encode()
    catalog = add(f"<< /Type /Catalog /Pages {pages_id_placeholder} 0 R >>".encode())
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objs) + 1} /Root {catalog} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def gbk_zip(files: dict[str, bytes]) -> bytes:
    """A zip as Windows' 'Send to compressed folder' writes it on a Chinese system: CP936 names, no UTF-8 flag."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    raw = buf.getvalue()
    # Rewrite names: zipfile wrote UTF-8 + flag 0x800; replace with CP936 bytes, flag cleared.
    return _rename_entries(raw, lambda n: n.encode("gbk"))


def _rename_entries(raw: bytes, encode) -> bytes:
    zf = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    central = io.BytesIO()
    for info in zf.infolist():
        name = encode(info.filename)
        data = raw[info.header_offset :]
        (sig, ver, flag, comp, t, d, crc, csize, usize, nlen, elen) = struct.unpack_from("<IHHHHHIIIHH", data, 0)
        body = data[30 + nlen + elen : 30 + nlen + elen + csize]
        flag &= ~0x800
        offset = out.tell()
        out.write(struct.pack("<IHHHHHIIIHH", sig, ver, flag, comp, t, d, crc, csize, usize, len(name), 0))
        out.write(name + body)
        central.write(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50, 20, ver, flag, comp, t, d, crc, csize, usize, len(name), 0, 0, 0, 0, 0, offset,
            )
            + name
        )
    cd = central.getvalue()
    start = out.tell()
    out.write(cd)
    n = len(zf.infolist())
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n, n, len(cd), start, 0))
    return out.getvalue()


def raw_zip(entries: list[tuple[str, bytes]], *, declared_size: dict[str, int] | None = None) -> bytes:
    """A zip whose entry names are stored exactly as given (e.g. '../evil.pdf'), UTF-8 flagged."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            zf.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_DOCX_NS = (
    f'xmlns:w="{W_NS}" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
)


def p(text: str = "", style: str | None = None, extra_ppr: str = "", runs: str | None = None) -> str:
    """A w:p with one run of `text` (or the given raw `runs`)."""
    ppr = ""
    if style or extra_ppr:
        ppr = "<w:pPr>" + (f'<w:pStyle w:val="{style}"/>' if style else "") + extra_ppr + "</w:pPr>"
    body = runs if runs is not None else (f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>' if text else "")
    return f"<w:p>{ppr}{body}</w:p>"


def tc(text: str, span: int = 1, vmerge: str | None = None) -> str:
    pr = ""
    if span > 1 or vmerge is not None:
        pr = "<w:tcPr>" + (f'<w:gridSpan w:val="{span}"/>' if span > 1 else "")
        if vmerge is not None:
            pr += '<w:vMerge w:val="restart"/>' if vmerge == "restart" else "<w:vMerge/>"
        pr += "</w:tcPr>"
    return f"<w:tc>{pr}{p(text)}</w:tc>"


def tbl(rows: list[list[str]]) -> str:
    return "<w:tbl>" + "".join("<w:tr>" + "".join(r) + "</w:tr>" for r in rows) + "</w:tbl>"


def make_docx(
    body: str,
    styles: list[tuple[str, str, int | None, str | None]] = (),  # (style id, name, outline level, basedOn)
    comments: list[str] | None = None,
    extra_parts: dict[str, bytes] | None = None,
    document_xml: bytes | None = None,
    style_ppr: dict[str, str] | None = None,  # style id -> extra pPr XML (e.g. a numPr)
) -> bytes:
    doc = document_xml or (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {_DOCX_NS}><w:body>{body}'
        "<w:sectPr/></w:body></w:document>"
    ).encode()
    st = "".join(
        f'<w:style w:type="paragraph" w:styleId="{sid}"><w:name w:val="{name}"/>'
        + (f'<w:basedOn w:val="{based}"/>' if based else "")
        + (
            "<w:pPr>"
            + (f'<w:outlineLvl w:val="{ol}"/>' if ol is not None else "")
            + (style_ppr or {}).get(sid, "")
            + "</w:pPr>"
        )
        + "</w:style>"
        for sid, name, ol, based in styles
    )
    styles_xml = f'<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="{W_NS}">{st}</w:styles>'.encode()
    ct = (
        b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Default Extension="xml" ContentType="application/xml"/>'
        b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        b"</Types>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", ct)
        zf.writestr("word/document.xml", doc)
        zf.writestr("word/styles.xml", styles_xml)
        if comments is not None:
            cs = "".join(
                f'<w:comment w:id="{i}" w:author="审核人"><w:p><w:r><w:t>{c}</w:t></w:r></w:p></w:comment>'
                for i, c in enumerate(comments)
            )
            zf.writestr("word/comments.xml", f'<w:comments xmlns:w="{W_NS}">{cs}</w:comments>')
        for name, data in (extra_parts or {}).items():
            zf.writestr(name, data)
    return buf.getvalue()
