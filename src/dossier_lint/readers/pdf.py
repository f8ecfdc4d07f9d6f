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
    BODY_SAMPLE_CHARS,
    HEAD_PUNCT,
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
            styler = _Fonts(raw, tp) if geometry else None  # no char boxes to look up without geometry
            spans = _lines(info, text, styler)
            _text_quality(raw, tp, text, info, geometry)
            if info.paths >= TABLE_MIN_PATHS and info.chars and info.segments <= TABLE_MAX_SEGMENTS:
                info.tables_pending = True
                if geometry:
                    try:
                        _find_tables(raw, page, tp, text, info)
                        info.tables_pending = False
                    except Exception:  # odd geometry PDFium gave us: let pdfplumber parse the page itself
                        info.tables = []
            if styler is not None and spans:
                styler.measure(spans, info)  # after the tables: their cells need no font
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


def _lines(info: PageInfo, text: str, fonts: _Fonts | None) -> list[_Span]:
    """The page's text lines into `info`, with their left/right x and baseline when `fonts` (the page's
    char boxes) is given. The lines that may be headings and a sample of the others are returned with
    the index of their first, middle and last char, for `_Fonts.measure`."""
    pos = 0
    spans: list[_Span] = []
    sampled = 0
    for raw_line in re.split(r"\r\n|\n|\r", text):
        start, pos = pos, pos + len(raw_line) + (2 if text.startswith("\r\n", pos + len(raw_line)) else 1)
        line = raw_line.replace("\x00", "").replace("\ufffe", "").strip()
        if not line:
            continue
        info.chars += sum(1 for ch in line if not ch.isspace())
        ln = Line(line, info.number, None, None, None, info.width)
        info.lines.append(ln)
        if fonts is None:
            continue
        first = start + len(raw_line) - len(raw_line.lstrip())
        last = start + len(raw_line.rstrip()) - 1
        box = fonts.box(first)
        right = fonts.right(last) if box is not None else None
        if box is not None and right is not None:
            ln.x0, ln.y = box
            ln.x1 = right
        heading_like = len(line) <= 60 and not HEAD_PUNCT.search(line) and not _LEADERS.search(line)
        if heading_like or sampled < SIZE_SAMPLES_PER_PAGE:
            sampled += not heading_like
            mid = (first + last) // 2
            while mid < last and text[mid].isspace():
                mid += 1
            spans.append((ln, first, mid, last, heading_like))
    return spans


_BOLD_NAME = re.compile(r"bold|black|heavy|demi|semibold", re.IGNORECASE)  # "SimSun,Bold", "*-Bold"
FORCE_BOLD = 1 << 18  # FontDescriptor /Flags bit 19
COLOUR_SPREAD = 64  # channels this far apart are a colour (Word's blue headings), closer a black or grey
_LEADERS = re.compile(r"\.{4}|…|·{3}")  # a TOC entry is not a heading (nor a line with HEAD_PUNCT)
_Span = tuple[Line, int, int, int, bool]  # a line, its first, middle and last char, may it be a heading
SIZE_SAMPLES_PER_PAGE = 4  # other lines per page whose size is read, for the body text's size
STYLE_SAMPLES_PER_PAGE = 1  # and whose style is read, for the body text's face and weight


class _Fonts:
    """Char boxes, and font size, boldness and face of lines, from the text page PDFium already built
    (the page is not parsed again).

    Cheap by design, as it runs on every line of every page: only lines without clause punctuation may
    become headings, so only they (and a sample of the others, for what the body text looks like) get a
    size, read at one glyph; of those, only the ones as large as the body text but short of the line
    get a face, boldness and colour (a larger one is told apart by its size), read at the first and last glyph,
    with a font's face looked up once. Char boxes go through the raw API with reused buffers (the
    pypdfium2 helper allocates four doubles per call), which pays for much of the rest.
    """

    def __init__(self, raw, tp) -> None:  # noqa: ANN001
        self.raw, self.tp = raw, tp.raw
        self.l, self.b, self.r, self.t = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
        self.matrix = raw.FS_MATRIX()
        self.name = ctypes.create_string_buffer(128)
        self.flags = ctypes.c_int()
        self.rgba = [ctypes.c_uint() for _ in range(4)]
        self.faces: dict[int, tuple[str, bool]] = {}  # font handle -> (face, bold by its font)

    def box(self, i: int) -> tuple[float, float] | None:
        """(left, bottom) of char i, as PdfTextPage.get_charbox gives them."""
        if not self.raw.FPDFText_GetCharBox(self.tp, i, self.l, self.r, self.b, self.t):
            return None
        return self.l.value, self.b.value

    def right(self, i: int) -> float | None:
        if not self.raw.FPDFText_GetCharBox(self.tp, i, self.l, self.r, self.b, self.t):
            return None
        return self.r.value

    def size(self, i: int) -> float | None:
        # the size as set (Tf) times the scale of the text and page matrices: producers that write
        # "1 Tf" and scale with Tm are common, so the Tf size alone says nothing
        size = self.raw.FPDFText_GetFontSize(self.tp, i)
        m = self.matrix
        if self.raw.FPDFText_GetMatrix(self.tp, i, m):
            size *= abs(m.a * m.d - m.b * m.c) ** 0.5
        return size if 0 < size < 10_000 else None  # NaN and absurd matrices of a crafted file included

    def style(self, i: int) -> tuple[str, bool, bool] | None:
        """(face, bold, coloured) of char i; None for a space or line break PDFium made up."""
        raw = self.raw
        obj = raw.FPDFText_GetTextObject(self.tp, i)
        if not obj:
            return None
        font = raw.FPDFTextObj_GetFont(obj)
        key = ctypes.addressof(font.contents) if font else 0
        got = self.faces.get(key)
        if got is None:
            n = raw.FPDFText_GetFontInfo(self.tp, i, self.name, len(self.name), ctypes.byref(self.flags))
            # a name longer than the buffer is not copied into it: no face rather than the last one's
            name = self.name.value.decode("latin-1", "replace") if 0 < n <= len(self.name) else ""
            face = re.sub(r"^[A-Z]{6}\+", "", name)
            heavy = (
                raw.FPDFText_GetFontWeight(self.tp, i) >= 700
                or bool(n and self.flags.value & FORCE_BOLD)
                or bool(_BOLD_NAME.search(face))
            )
            got = self.faces[key] = (face or "?", heavy)
        # fill + stroke: the faux bold Word and others draw for a face without a bold variant
        bold = got[1] or raw.FPDFTextObj_GetTextRenderMode(obj) == raw.FPDF_TEXTRENDERMODE_FILL_STROKE
        r, g, b, a = self.rgba
        coloured = bool(raw.FPDFText_GetFillColor(self.tp, i, r, g, b, a)) and (
            max(r.value, g.value, b.value) - min(r.value, g.value, b.value) > COLOUR_SPREAD
        )
        return got[0], bold, coloured

    def measure(self, spans: list[_Span], info: PageInfo) -> None:
        """The size of each line that may be a heading (table cells aside) and of the sample of other
        lines; the face and boldness of the short ones set at the size of the page's body text (a larger
        line is told apart by its size alone), and of one body line (the body text's face and weight).

        Fonts only add to what a page says: if anything about them goes wrong, the page keeps its text
        and loses its font information (so its lines count as body text), rather than being lost."""
        try:
            self._measure(spans, info)
        except Exception:
            for span in spans:
                span[0].size, span[0].bold, span[0].font, span[0].colour = None, False, "", False

    def _measure(self, spans: list[_Span], info: PageInfo) -> None:
        boxes = [(x0, info.height - bottom, x1, info.height - top) for _t, (x0, top, x1, bottom) in info.tables]
        if boxes:
            spans = [
                span for span in spans
                if not span[4] or span[0].x0 is None or span[0].y is None or not any(
                    x0 - 2 <= span[0].x0 <= x1 + 2 and y0 - 2 <= span[0].y <= y1 + 2 for x0, y0, x1, y1 in boxes
                )
            ]
        for span in spans:
            span[0].size = self.size(span[2])
        sample = sorted(span[0].size for span in spans if not span[4] and span[0].size)
        if not sample:  # a page of short lines only
            sample = sorted(span[0].size for span in spans if span[0].size)
        if not sample:
            return
        common = sample[len(sample) // 2]
        widest = max((ln.x1 - ln.x0 for ln in info.lines if ln.x0 is not None and ln.x1 is not None), default=0.0)
        body = 0
        for ln, first, mid, last, heading_like in spans:
            at_body = ln.size is not None and abs(ln.size - common) <= 0.5
            # a heading is short of the line: a line that runs on (or of unknown extent) is body text
            short = ln.x0 is not None and ln.x1 is not None and ln.x1 - ln.x0 < 0.8 * widest
            if not (heading_like and at_body and short):
                if body < STYLE_SAMPLES_PER_PAGE and at_body and len(ln.text) >= BODY_SAMPLE_CHARS:
                    got1 = self.style(mid)
                    if got1 is not None:
                        body += 1
                        ln.font, ln.bold, ln.colour = got1
                continue
            # bold (coloured) only when it runs through the line, not a bold lead-in to plain text
            got = [s for s in map(self.style, (first, last) if last > first else (first,)) if s is not None]
            if got:
                ln.font, ln.bold, ln.colour = got[0][0], all(s[1] for s in got), all(s[2] for s in got)


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
