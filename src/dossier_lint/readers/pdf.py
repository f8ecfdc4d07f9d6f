"""PDF reader: pypdfium2 for text (fast, good reading order) and for the geometry of ruled tables.

Per page, one cheap pass over the page objects (pypdfium2 raw API) counts paths, images and text
objects and samples fonts; that tells scanned pages (image, no text), table pages (enough path objects
to draw a grid) and non-embedded fonts. A table page's path segments and char boxes go to pdfplumber's
table finder (`pdftables`), so no page is parsed twice; pdfplumber parses a page itself only when PDFium's
text cannot be matched to its char boxes. Text lines keep their left/right x from the char boxes so that
wrapped lines are joined into paragraphs (a short line or a first-line indent ends one) and a line break
inside Chinese text adds no space. Page numbers and running headers/footers are dropped.
"""

from __future__ import annotations

import ctypes
import io
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from ..headings import is_toc_line, match_numbering
from ..limits import Limits
from ..model import Cell, Document, Location, ReadIssue, Table
from . import Deadline, LimitHit, mark_partial
from .build import Builder, heading_path_at

TABLE_MIN_PATHS = 6  # a ruled table needs at least a few rules; underlines and seals rarely reach this
# Bounds on pdfplumber's work, which no deadline can interrupt within a page: it parses every path segment
# of a table page, and its cell finder grows ~quadratically with the crossings (10,000 take ~5 s).
TABLE_MAX_SEGMENTS = 20_000  # more is a vector drawing, not a table
TABLE_MAX_GRID = 10_000  # distinct vertical x distinct horizontal rules on a page
SCAN_MAX_OBJECTS = 100_000  # page objects looked at one by one
FONT_SAMPLE_PAGES = 40  # font dicts are the same on most pages: sample the first ones
SCAN_MAX_CHARS = 10  # a page with less text than this over a large image is a scan
SCAN_MIN_IMAGE_AREA = 0.3  # fraction of the page an image must cover
GARBLED_RATIO = 0.3

STANDARD_14 = {
    "Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique",
    "Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique",
    "Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic", "Symbol", "ZapfDingbats",
}  # fmt: skip

_PAGE_NO = re.compile(
    r"^(?:[-—–－~·•\s]*\d{1,4}[-—–－~·•\s]*|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|"
    r"\d+\s*/\s*\d+|(?:page|Page|PAGE)\s*\d+(?:\s*of\s*\d+)?|[-—–－\s]*[ivxIVX]{1,5}[-—–－\s]*)$"
)
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
_SENT_END = ("。", "！", "？", "；", "：", ".", "!", "?", ";", ":")


@dataclass(slots=True)
class _Line:
    text: str
    page: int
    x0: float | None  # left of first glyph (PDF points), None when geometry is unavailable
    x1: float | None
    y: float | None  # baseline-ish (bottom of first glyph), PDF coordinates (origin bottom-left)
    page_w: float = 0.0


@dataclass(slots=True)
class _PageInfo:
    number: int
    width: float
    height: float
    lines: list[_Line] = field(default_factory=list)
    chars: int = 0  # non-space characters of text
    paths: int = 0
    segments: int = 0  # path segments (lines, curves, rectangle sides)
    image_area: float = 0.0
    bad_chars: int = 0
    map_errors: int = 0
    sampled: int = 0
    tables: list[tuple[Table, tuple[float, float, float, float]]] = field(default_factory=list)
    tables_pending: bool = False  # a table page whose tables pdfplumber must find from its own parse


def read(doc: Document, data: bytes, limits: Limits, deadline: Deadline) -> None:
    import pypdfium2 as pdfium

    from . import pdfscan

    pdfscan.check(data, limits, deadline)  # a stream bomb is refused before PDFium inflates it
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == 4 or "password" in str(exc).lower():
            doc.issues.append(ReadIssue("encrypted", {}))
            doc.status, doc.reason = "unreadable", "PDF 已设置打开密码（加密），无法读取，请取消密码后重新提交"
            return
        raise ValueError("PDF 文件已损坏或不完整，无法打开") from exc
    hit: LimitHit | None = None
    pages: list[_PageInfo] = []
    fonts: dict[str, bool] = {}
    failed: list[int] = []
    try:
        n = len(pdf)
        doc.pages = n
        doc.meta["pdf_version"] = pdf.get_version()
        for i in range(n):
            if i >= limits.max_pages:
                hit = LimitHit("max_pages", limits.max_pages, f"PDF 共 {n} 页，超过上限 {limits.max_pages} 页，仅读取了前 {limits.max_pages} 页")
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
    garbled = set(_garbled_pages(pages))
    for p in pages:
        if p.number in garbled:  # nonsense from a font without a Unicode map must not be checked as Chinese
            p.lines, p.tables = [], []
    _drop_running_lines(pages)
    _assemble(doc, pages)
    _page_issues(doc, pages, fonts)
    if failed:
        doc.issues.append(ReadIssue("unreadable", {"reason": f"第 {_ranges(failed)} 页已损坏，无法解析，已跳过；请重新导出 PDF 后提交"}))
        mark_partial(doc, f"第 {_ranges(failed)} 页无法解析")
    if hit is not None:
        raise hit


def _read_page(pdf, index: int, fonts: dict[str, bool] | None) -> _PageInfo:  # noqa: ANN001
    import pypdfium2.raw as raw

    page = pdf[index]
    try:
        w, h = page.get_size()
        info = _PageInfo(index + 1, w, h)
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


def _scan_objects(raw, parent, info: _PageInfo, fonts: dict[str, bool] | None, page_area: float, form: bool = False) -> None:  # noqa: ANN001
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


def _lines(info: _PageInfo, tp, text: str, geometry: bool) -> None:  # noqa: ANN001
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
        info.lines.append(_Line(line, info.number, x0, x1, y, info.width))


_BAD_CHARS = re.compile("[\ue000-\uf8ff\ufffd\ufffe\uffff\x00-\x08\x0b\x0c\x0e-\x1f]")
MAP_SAMPLES = 40  # glyphs checked per page for a missing Unicode mapping


def _text_quality(raw, tp, text: str, info: _PageInfo, geometry: bool) -> None:  # noqa: ANN001
    info.bad_chars = len(_BAD_CHARS.findall(text))
    if geometry and info.chars:
        # a glyph without a Unicode mapping (font with no ToUnicode) reads as plausible nonsense: sample
        step = max(1, len(text) // MAP_SAMPLES)
        for i in range(0, len(text), step):
            if text[i].isspace():
                continue
            info.sampled += 1
            if raw.FPDFText_HasUnicodeMapError(tp.raw, i) == 1:
                info.map_errors += 1


def _norm_running(text: str) -> str:
    # page numbers inside a running header/footer vary; a numbered heading's digits do not count as such
    if match_numbering(text) is not None:
        return text
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _drop_running_lines(pages: list[_PageInfo]) -> None:
    """Page numbers at the top/bottom of a page, and headers/footers repeated on many pages."""
    edge = Counter()
    for p in pages:
        for ln in p.lines[:2] + p.lines[-2:]:
            edge[_norm_running(ln.text)] += 1
    need = max(3, int(len(pages) * 0.4))
    running = {k for k, v in edge.items() if v >= need and len(k) <= 60}
    for p in pages:
        keep = []
        last = len(p.lines) - 1
        for i, ln in enumerate(p.lines):
            # first/last lines in reading order, or anything in the top/bottom margin band
            in_margin = ln.y is not None and (ln.y < p.height * 0.1 or ln.y > p.height * 0.92)
            at_edge = i < 2 or i > last - 2 or in_margin
            if at_edge and (_PAGE_NO.match(ln.text) or _norm_running(ln.text) in running):
                continue
            keep.append(ln)
        p.lines = keep


def _width(s: str) -> int:
    return sum(2 if _CJK.match(ch) else 1 for ch in s)


def _join(a: str, b: str) -> str:
    """Join a wrapped line: no space inside CJK text, one between Latin words, none after a hyphen."""
    if not a:
        return b
    if a.endswith("-") and len(a) > 1 and a[-2].isalpha() and b[:1].isalpha():
        return a + b
    if a[-1].isascii() and a[-1].isalnum() and b[:1].isascii() and b[:1].isalnum():
        return f"{a} {b}"
    return a + b


_CJK_ASCII_SPACE = re.compile(r"(?<=[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]) (?=[A-Za-z0-9])|(?<=[A-Za-z0-9%]) (?=[\u3400-\u9fff\u3000-\u303f\uff00-\uffef])")


def _tidy(text: str) -> str:
    # PDFium puts a space between CJK and Latin/digits that the author did not type.
    return _CJK_ASCII_SPACE.sub("", text)


def _assemble(doc: Document, pages: list[_PageInfo]) -> None:
    lines = [ln for p in pages for ln in p.lines]
    geo = [ln for ln in lines if ln.x0 is not None and ln.x1 is not None]
    use_geo = bool(geo) and len(geo) >= len(lines) // 2
    if use_geo:
        left = statistics.median_low(sorted(round(ln.x0) for ln in geo))  # type: ignore[arg-type]
        rights = sorted(ln.x1 for ln in geo)  # type: ignore[misc]
        right = rights[int(len(rights) * 0.9)] if rights else 0.0
        full_w = 0
    else:
        widths = sorted(_width(ln.text) for ln in lines) or [0]
        full_w = max(widths[int(len(widths) * 0.9)], 56)  # an A4 line holds 35-40 Chinese characters
        left = right = 0.0
    in_table = _table_line_filter(pages)
    anchors: dict[int, int] = {}  # id(table) -> builder index where it sits in reading order
    b = Builder(doc)
    buf = ""
    buf_loc: Location | None = None
    prev_full = False

    def flush() -> None:
        nonlocal buf, buf_loc
        if buf and buf_loc is not None:
            b.add(_tidy(buf), buf_loc, detect=False)  # heading lines were told apart line by line
        buf, buf_loc = "", None

    page_tables = {p.number: [t for t, _ in p.tables] for p in pages}
    last_page = 0
    for ln in lines:
        if ln.page != last_page:
            for t in page_tables.get(last_page, ()):  # tables whose text was not seen: end of page
                anchors.setdefault(id(t), len(b))
            last_page = ln.page
        hit = in_table(ln)
        if hit is not None:
            flush()
            anchors.setdefault(id(hit), len(b))
            prev_full = False
            continue
        text = ln.text
        full = _is_full(ln, use_geo, left, right, full_w)
        indented = use_geo and ln.x0 is not None and ln.x0 > left + 12
        if is_toc_line(text):
            flush()
            b.add(text, Location(page=ln.page), toc=True)
            prev_full = False
            continue
        n = match_numbering(text)
        if n is not None and not (full and not text.endswith(_SENT_END)):
            flush()  # a heading line: short, numbered, on its own (full-width numbered lines start paragraphs)
            b.add(text, Location(page=ln.page))
            prev_full = False
            continue
        if buf and prev_full and not indented and n is None:
            buf = _join(buf, text)
        else:
            flush()
            buf, buf_loc = text, Location(page=ln.page)
        prev_full = full
    flush()
    for p in pages:
        for t, _ in p.tables:
            anchors.setdefault(id(t), len(b))
    b.finish()
    for p in pages:
        for table, _bbox in p.tables:
            at = anchors[id(table)]
            path = heading_path_at(doc, at)
            if path:
                table.loc = table.loc.with_heading(path)
                for row in table.rows:
                    for cell in row:
                        cell.loc = cell.loc.with_heading(path)
            before = doc.blocks[at - 1] if 0 < at <= len(doc.blocks) else None
            if before is not None and before.kind == "para" and len(before.text) <= 60:
                table.title = before.text
            doc.tables.append(table)
    _stitch_tables(doc)


def _is_full(ln: _Line, use_geo: bool, left: float, right: float, full_w: int) -> bool:
    """Does the line run to the right edge of the text column (so the paragraph may go on)?"""
    if use_geo and ln.x1 is not None:
        # the column's right edge: where most long lines end, but never less than the page's
        # symmetric margin allows (a short document may have no full line at all)
        column_right = right
        if ln.page_w and right - left < 0.5 * (ln.page_w - 2 * left):
            column_right = ln.page_w - left
        return ln.x1 >= column_right - 14
    return _width(ln.text) >= full_w * 0.85


def _table_line_filter(pages: list[_PageInfo]):  # noqa: ANN202
    boxes: dict[int, list[tuple[Table, float, float, float, float]]] = {}
    for p in pages:
        for t, (x0, top, x1, bottom) in p.tables:
            # pdfplumber measures from the top; pdfium from the bottom
            boxes.setdefault(p.number, []).append((t, x0, p.height - bottom, x1, p.height - top))

    def inside(ln: _Line) -> Table | None:
        if ln.x0 is None or ln.y is None:
            return None
        for t, x0, y0, x1, y1 in boxes.get(ln.page, ()):
            if x0 - 2 <= ln.x0 <= x1 + 2 and y0 - 2 <= ln.y <= y1 + 2:
                return t
        return None

    return inside


def _find_tables(raw, page, tp, text: str, info: _PageInfo) -> None:  # noqa: ANN001
    from . import pdftables

    edges = pdftables.edges(raw, page.raw, info.height, TABLE_MAX_SEGMENTS)
    if not edges or _grid_size(edges) > TABLE_MAX_GRID:
        return  # no rules, or a dense grid (a drawing, or crafted): its text stays as paragraphs
    chars = pdftables.chars(raw, tp, text, info.height)
    for t in pdftables.find(edges, chars, info.width, info.height):
        _add_table(info, t, _table_rows_from(t, pdftables.cell_texts(t, chars)))


def _add_table(info: _PageInfo, t, rows: list[list[str]]) -> None:  # noqa: ANN001
    if len(rows) < 2 or max(len(r) for r in rows) < 2:
        return
    loc = Location(page=info.number)
    number = len(info.tables) + 1  # numbered within the page
    cells = [[Cell(text, loc.with_cell(number, r + 1, c + 1), r, c) for c, text in enumerate(row)] for r, row in enumerate(rows)]
    info.tables.append((Table(cells, loc), tuple(t.bbox)))


def _extract_tables(data: bytes, pages: list[_PageInfo], deadline: Deadline) -> None:
    """pdfplumber's own parse of the pages whose PDFium text has no char boxes to match."""
    import pdfplumber

    by_number = {p.number: p for p in pages}
    with pdfplumber.open(io.BytesIO(data), pages=sorted(by_number)) as pl:
        for page in pl.pages:
            deadline.check(f"第 {page.page_number} 页的表格")
            info = by_number[page.page_number]
            if _grid_size(page.edges) > TABLE_MAX_GRID:
                continue  # a dense grid (a drawing, or crafted): its text stays as paragraphs
            try:
                found = page.find_tables()
            except Exception:
                continue
            for t in found:
                _add_table(info, t, _table_rows(t))
            page.flush_cache()


def _grid_size(edges: list[dict]) -> int:
    """Distinct vertical x distinct horizontal rules (snapped to 3 pt, as pdfplumber does): a bound on cells."""
    xs = {round(e["x0"] / 3) for e in edges if e["orientation"] == "v"}
    ys = {round(e["top"] / 3) for e in edges if e["orientation"] == "h"}
    return len(xs) * len(ys)


def _table_rows(t) -> list[list[str]]:  # noqa: ANN001
    return _table_rows_from(t, t.extract())


def _table_rows_from(t, raw_rows: list[list[str | None]]) -> list[list[str]]:  # noqa: ANN001
    """Extracted text with merged cells resolved: a covered grid position takes its covering cell's text."""
    boxes = [row.cells for row in t.rows]
    ncols = max((len(r) for r in raw_rows), default=0)
    col_x1 = [None] * ncols
    row_bottom = [None] * len(raw_rows)
    for r, row in enumerate(boxes):
        for c, box in enumerate(row):
            if box is not None:
                if row_bottom[r] is None or box[3] < row_bottom[r]:
                    row_bottom[r] = box[3]
                if col_x1[c] is None or box[2] < col_x1[c]:
                    col_x1[c] = box[2]
    out: list[list[str]] = []
    for r, row in enumerate(raw_rows):
        cur: list[str] = []
        for c in range(ncols):
            v = row[c] if c < len(row) else None
            if v is None:
                v = _covering(raw_rows, boxes, out, cur, r, c, col_x1, row_bottom)
            cur.append(_cell_text(v or ""))
        out.append(cur)
    return out


def _covering(raw_rows, boxes, out, cur, r, c, col_x1, row_bottom) -> str:  # noqa: ANN001
    for cc in range(c - 1, -1, -1):
        box = boxes[r][cc] if cc < len(boxes[r]) else None
        if box is not None:
            if col_x1[c] is not None and box[2] >= col_x1[c] - 1:
                return cur[cc]
            break
    for rr in range(r - 1, -1, -1):
        box = boxes[rr][c] if c < len(boxes[rr]) else None
        if box is not None:
            if row_bottom[r] is not None and box[3] >= row_bottom[r] - 1:
                return out[rr][c]
            break
    return ""


def _cell_text(s: str) -> str:
    # pdfplumber keeps the cell's line breaks: rejoin wrapped CJK without spaces
    parts = [p.strip() for p in s.splitlines() if p.strip()]
    text = ""
    for p in parts:
        text = _join(text, p)
    return _tidy(text)


def _stitch_tables(doc: Document) -> None:
    """A table broken by a page break continues at the top of the next page with the same columns."""
    out: list[Table] = []
    for t in doc.tables:
        prev = out[-1] if out else None
        if (
            prev is not None
            and t.loc.page is not None
            and prev.rows
            and t.rows
            and _last_page(prev) == t.loc.page - 1
            and len(prev.rows[0]) == len(t.rows[0])
            and _first_on_page(doc, t)
        ):
            rows = t.rows[1:] if [c.text for c in t.rows[0]] == [c.text for c in prev.rows[0]] else t.rows
            base = len(prev.rows)
            for i, row in enumerate(rows):
                for cell in row:
                    cell.row = base + i
                prev.rows.append(row)
            continue
        out.append(t)
    doc.tables = out


def _last_page(t: Table) -> int:
    return t.rows[-1][0].loc.page or 0


def _first_on_page(doc: Document, t: Table) -> bool:
    same = [x for x in doc.tables if x.loc.page == t.loc.page]
    return bool(same) and same[0] is t


def _ranges(nums: list[int]) -> str:
    out: list[str] = []
    start = prev = None
    for n in sorted(nums):
        if start is None:
            start = prev = n
        elif n == prev + 1:  # type: ignore[operator]
            prev = n
        else:
            out.append(f"{start}–{prev}" if start != prev else f"{start}")
            start = prev = n
    if start is not None:
        out.append(f"{start}–{prev}" if start != prev else f"{start}")
    return ", ".join(out)


def _garbled_pages(pages: list[_PageInfo]) -> list[int]:
    return [
        p.number
        for p in pages
        if p.chars >= 10
        and (
            p.bad_chars >= max(5, p.chars * GARBLED_RATIO)
            or (p.sampled >= 10 and p.map_errors >= p.sampled * GARBLED_RATIO)
        )
    ]


def _page_issues(doc: Document, pages: list[_PageInfo], fonts: dict[str, bool]) -> None:
    scanned = [p.number for p in pages if p.chars < SCAN_MAX_CHARS and p.image_area >= SCAN_MIN_IMAGE_AREA]
    if scanned:
        first = Location(page=scanned[0])  # where a reviewer should look first
        doc.issues.append(ReadIssue("scanned-pages", {"pages": _ranges(scanned), "count": len(scanned)}, first))
        if len(scanned) == len(pages):
            doc.status, doc.reason = "unreadable", "全部页面为扫描图像，没有文字层，无法检查内容（请提供可复制文字的 PDF）"
        else:
            mark_partial(doc, f"第 {_ranges(scanned)} 页为扫描图像，没有文字层")
    garbled = _garbled_pages(pages)
    if garbled:
        doc.issues.append(
            ReadIssue("garbled-text", {"pages": _ranges(garbled), "count": len(garbled)}, Location(page=garbled[0]))
        )
        if doc.status != "unreadable" and len(set(garbled) | set(scanned)) == len(pages):
            doc.status, doc.reason = "unreadable", "全部页面的文字层无法正确识别（乱码）或为扫描图像，无法检查内容（请嵌入字体后重新导出 PDF）"
        else:
            mark_partial(doc, f"第 {_ranges(garbled)} 页的文字层无法正确识别（乱码），未检查其内容")
    missing = sorted(name for name, emb in fonts.items() if not name.startswith("#") and not emb and name not in STANDARD_14)
    if missing:
        doc.issues.append(ReadIssue("no-embedded-fonts", {"fonts": "、".join(missing)}))
