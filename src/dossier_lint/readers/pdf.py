"""PDF reader: pypdfium2 for text (fast, good reading order) and for the geometry of ruled tables.

Per page, one cheap pass over the page objects (pypdfium2 raw API) counts paths, images and text
objects and samples fonts; that tells scanned pages (image, no text), table pages (enough path objects
to draw a grid) and non-embedded fonts. A table page's path segments and char boxes go to pdfplumber's
table finder (`pdftables`), so no page is parsed twice; pdfplumber parses a page itself only when PDFium's
text cannot be matched to its char boxes. Text lines keep their left/right x from the char boxes; the
page lines become paragraphs, headings and tables in `layout`, shared with the OFD reader.
"""

from __future__ import annotations

import ctypes
import io
import re

from ..limits import Limits
from ..model import Document, Location, ReadIssue
from . import Deadline, LimitHit, mark_partial
from .layout import (
    BAD_CHARS,
    SCAN_MAX_CHARS,
    SCAN_MIN_IMAGE_AREA,
    TABLE_MAX_GRID,
    TABLE_MAX_SEGMENTS,
    TABLE_MIN_PATHS,
    Line,
    PageInfo,
    add_table,
    assemble,
    drop_running_lines,
    garbled_pages,
    grid_size,
    ranges,
    table_rows,
    table_rows_from,
)

SCAN_MAX_OBJECTS = 100_000  # page objects looked at one by one


FONT_SAMPLE_PAGES = 40  # font dicts are the same on most pages: sample the first ones


STANDARD_14 = {
    "Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique",
    "Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique",
    "Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic", "Symbol", "ZapfDingbats",
}  # fmt: skip


def read(doc: Document, data: bytes, limits: Limits, deadline: Deadline) -> None:
    import pypdfium2 as pdfium

    from . import pdfscan

    pdfscan.check(data, limits, deadline)  # a stream bomb is refused before PDFium inflates it
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == 4 or "password" in str(exc).lower():
            doc.issues.append(ReadIssue("encrypted", {}))
            doc.status, doc.reason = (
                "unreadable",
                "PDF 已设置打开密码（加密），无法读取，请取消密码后重新提交",
            )
            return
        raise ValueError("PDF 文件已损坏或不完整，无法打开") from exc
    hit: LimitHit | None = None
    pages: list[PageInfo] = []
    fonts: dict[str, bool] = {}
    failed: list[int] = []
    try:
        n = len(pdf)
        doc.pages = n
        doc.meta["pdf_version"] = pdf.get_version()
        for i in range(n):
            if i >= limits.max_pages:
                hit = LimitHit(
                    "max_pages",
                    limits.max_pages,
                    f"PDF 共 {n} 页，超过上限 {limits.max_pages} 页，仅读取了前 {limits.max_pages} 页",
                )
                break
            try:
                deadline.check(f"第 {i + 1} 页")
            except LimitHit as h:
                hit = h
                break
            try:
                pages.append(_read_page(pdf, i, fonts if i < FONT_SAMPLE_PAGES else None))
            except Exception:  # one damaged page must not cost the others
                failed.append(i + 1)
        table_pages = [p for p in pages if p.tables_pending]
        if table_pages and (hit is None or hit.limit != "max_seconds"):
            try:
                _extract_tables(data, table_pages, deadline)
            except LimitHit as h:
                hit = h
            except Exception:  # pdfminer may choke where PDFium coped: keep the text, lose the tables
                doc.meta["tables_failed"] = True
                for p in table_pages:
                    p.tables = []
    finally:
        pdf.close()
    garbled = set(garbled_pages(pages))
    for p in pages:
        if p.number in garbled:  # nonsense from a font without a Unicode map must not be checked as Chinese
            p.lines, p.tables = [], []
    drop_running_lines(pages)
    assemble(doc, pages)
    _page_issues(doc, pages, fonts)
    if failed:
        doc.issues.append(
            ReadIssue(
                "unreadable",
                {"reason": f"第 {ranges(failed)} 页已损坏，无法解析，已跳过；请重新导出 PDF 后提交"},
            )
        )
        mark_partial(doc, f"第 {ranges(failed)} 页无法解析")
    if hit is not None:
        raise hit


def _read_page(pdf, index: int, fonts: dict[str, bool] | None) -> PageInfo:  # noqa: ANN001
    import pypdfium2.raw as raw

    page = pdf[index]
    try:
        w, h = page.get_size()
        info = PageInfo(index + 1, w, h)
        _scan_objects(raw, page.raw, info, fonts, w * h)
        tp = page.get_textpage()
        try:
            text = tp.get_text_range()
            count = tp.count_chars()
            geometry = len(text) == count  # text index == char index, so char boxes can be looked up
            _lines(info, tp, text, geometry)
            _text_quality(raw, tp, text, info, geometry)
            if info.paths >= TABLE_MIN_PATHS and info.chars and info.segments <= TABLE_MAX_SEGMENTS:
                info.tables_pending = True
                if geometry:
                    try:
                        _find_tables(raw, page, tp, text, info)
                        info.tables_pending = False
                    except Exception:  # odd geometry PDFium gave us: let pdfplumber parse the page itself
                        info.tables = []
        finally:
            tp.close()
    finally:
        page.close()
    return info


def _scan_objects(
    raw, parent, info: PageInfo, fonts: dict[str, bool] | None, page_area: float, form: bool = False
) -> None:  # noqa: ANN001
    if form:
        count, get = raw.FPDFFormObj_CountObjects(parent), raw.FPDFFormObj_GetObject
    else:
        count, get = raw.FPDFPage_CountObjects(parent), raw.FPDFPage_GetObject
    if count > SCAN_MAX_OBJECTS:  # millions of objects: no table, and no time to look at each
        info.segments += count
        count = SCAN_MAX_OBJECTS
    for j in range(count):
        obj = get(parent, j)
        t = raw.FPDFPageObj_GetType(obj)
        if t == raw.FPDF_PAGEOBJ_PATH:
            info.paths += 1
            info.segments += max(0, raw.FPDFPath_CountSegments(obj))
        elif t == raw.FPDF_PAGEOBJ_IMAGE:
            x0, y0, x1, y1 = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
            if raw.FPDFPageObj_GetBounds(obj, x0, y0, x1, y1):
                area = max(0.0, x1.value - x0.value) * max(0.0, y1.value - y0.value)
                info.image_area = min(1.0, info.image_area + area / max(page_area, 1.0))
        elif t == raw.FPDF_PAGEOBJ_TEXT and fonts is not None:
            font = raw.FPDFTextObj_GetFont(obj)
            if font:
                key = ctypes.cast(font, ctypes.c_void_p).value or 0
                name_key = f"#{key}"
                if name_key not in fonts:
                    fonts[name_key] = True
                    buf = ctypes.create_string_buffer(256)
                    n = raw.FPDFFont_GetBaseFontName(font, buf, 256)
                    name = buf.value.decode("latin-1", "replace") if n else ""
                    name = re.sub(r"^[A-Z]{6}\+", "", name) or "（未命名字体）"
                    embedded = raw.FPDFFont_GetIsEmbedded(font) == 1
                    fonts[name] = fonts.get(name, True) and embedded
        elif t == raw.FPDF_PAGEOBJ_FORM:
            _scan_objects(raw, obj, info, fonts, page_area, form=True)


def _lines(info: PageInfo, tp, text: str, geometry: bool) -> None:  # noqa: ANN001
    pos = 0
    for raw_line in re.split(r"\r\n|\n|\r", text):
        start, pos = pos, pos + len(raw_line) + (2 if text.startswith("\r\n", pos + len(raw_line)) else 1)
        line = raw_line.replace("\x00", "").replace("\ufffe", "").strip()
        if not line:
            continue
        info.chars += sum(1 for ch in line if not ch.isspace())
        x0 = x1 = y = None
        if geometry:
            lead = len(raw_line) - len(raw_line.lstrip())
            trail = len(raw_line.rstrip())
            try:
                l0, b0, _r0, _t0 = tp.get_charbox(start + lead)
                _l1, _b1, r1, _t1 = tp.get_charbox(start + trail - 1)
                x0, x1, y = l0, r1, b0
            except Exception:
                pass
        info.lines.append(Line(line, info.number, x0, x1, y, info.width))


MAP_SAMPLES = 40  # glyphs checked per page for a missing Unicode mapping


def _text_quality(raw, tp, text: str, info: PageInfo, geometry: bool) -> None:  # noqa: ANN001
    info.bad_chars = len(BAD_CHARS.findall(text))
    if geometry and info.chars:
        # a glyph without a Unicode mapping (font with no ToUnicode) reads as plausible nonsense: sample
        step = max(1, len(text) // MAP_SAMPLES)
        for i in range(0, len(text), step):
            if text[i].isspace():
                continue
            info.sampled += 1
            if raw.FPDFText_HasUnicodeMapError(tp.raw, i) == 1:
                info.map_errors += 1


def _find_tables(raw, page, tp, text: str, info: PageInfo) -> None:  # noqa: ANN001
    from . import pdftables

    edges = pdftables.edges(raw, page.raw, info.height, TABLE_MAX_SEGMENTS)
    if not edges or grid_size(edges) > TABLE_MAX_GRID:
        return  # no rules, or a dense grid (a drawing, or crafted): its text stays as paragraphs
    chars = pdftables.chars(raw, tp, text, info.height)
    for t in pdftables.find(edges, chars, info.width, info.height):
        add_table(info, t, table_rows_from(t, pdftables.cell_texts(t, chars)))


def _extract_tables(data: bytes, pages: list[PageInfo], deadline: Deadline) -> None:
    """pdfplumber's own parse of the pages whose PDFium text has no char boxes to match."""
    import pdfplumber

    by_number = {p.number: p for p in pages}
    with pdfplumber.open(io.BytesIO(data), pages=sorted(by_number)) as pl:
        for page in pl.pages:
            deadline.check(f"第 {page.page_number} 页的表格")
            info = by_number[page.page_number]
            if grid_size(page.edges) > TABLE_MAX_GRID:
                continue  # a dense grid (a drawing, or crafted): its text stays as paragraphs
            try:
                found = page.find_tables()
            except Exception:
                continue
            for t in found:
                add_table(info, t, table_rows(t))
            page.flush_cache()


def _page_issues(doc: Document, pages: list[PageInfo], fonts: dict[str, bool]) -> None:
    scanned = [p.number for p in pages if p.chars < SCAN_MAX_CHARS and p.image_area >= SCAN_MIN_IMAGE_AREA]
    if scanned:
        first = Location(page=scanned[0])  # where a reviewer should look first
        doc.issues.append(
            ReadIssue("scanned-pages", {"pages": ranges(scanned), "count": len(scanned)}, first)
        )
        if len(scanned) == len(pages):
            doc.status, doc.reason = (
                "unreadable",
                "全部页面为扫描图像，没有文字层，无法检查内容（请提供可复制文字的 PDF）",
            )
        else:
            mark_partial(doc, f"第 {ranges(scanned)} 页为扫描图像，没有文字层")
    garbled = garbled_pages(pages)
    if garbled:
        doc.issues.append(
            ReadIssue(
                "garbled-text", {"pages": ranges(garbled), "count": len(garbled)}, Location(page=garbled[0])
            )
        )
        if doc.status != "unreadable" and len(set(garbled) | set(scanned)) == len(pages):
            doc.status, doc.reason = (
                "unreadable",
                "全部页面的文字层无法正确识别（乱码）或为扫描图像，无法检查内容（请嵌入字体后重新导出 PDF）",
            )
        else:
            mark_partial(doc, f"第 {ranges(garbled)} 页的文字层无法正确识别（乱码），未检查其内容")
    missing = sorted(
        name
        for name, emb in fonts.items()
        if not name.startswith("#") and not emb and name not in STANDARD_14
    )
    if missing:
        doc.issues.append(ReadIssue("no-embedded-fonts", {"fonts": "、".join(missing)}))
