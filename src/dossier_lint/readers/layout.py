"""Fixed-layout pages (PDF, OFD) into the document model.

A reader turns each page into positioned text lines (`Line`) and found tables (`PageInfo`); this module
does the rest alike for both formats: running headers/footers and page numbers are dropped, wrapped lines
are joined into paragraphs (a short line or a first-line indent ends one; a break inside Chinese text adds
no space), numbered lines become headings, ruled tables get their merged cells resolved and are stitched
across page breaks, and pages of nonsense text (a font without a Unicode map) are found.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from ..headings import is_toc_line, match_numbering
from ..model import Cell, Document, Location, Table
from .build import Builder, heading_path_at

TABLE_MIN_PATHS = 6  # a ruled table needs at least a few rules; underlines and seals rarely reach this


# Bounds on pdfplumber's work, which no deadline can interrupt within a page: it parses every path segment
# of a table page, and its cell finder grows ~quadratically with the crossings (10,000 take ~5 s).
TABLE_MAX_SEGMENTS = 20_000  # more is a vector drawing, not a table


TABLE_MAX_GRID = 10_000  # distinct vertical x distinct horizontal rules on a page


SCAN_MAX_CHARS = 10  # a page with less text than this over a large image is a scan


SCAN_MIN_IMAGE_AREA = 0.3  # fraction of the page an image must cover


GARBLED_RATIO = 0.3


_PAGE_NO = re.compile(
    r"^(?:[-—–－~·•\s]*\d{1,4}[-—–－~·•\s]*|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|"
    r"\d+\s*/\s*\d+|(?:page|Page|PAGE)\s*\d+(?:\s*of\s*\d+)?|[-—–－\s]*[ivxIVX]{1,5}[-—–－\s]*)$"
)


_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


_SENT_END = ("。", "！", "？", "；", "：", ".", "!", "?", ";", ":")


@dataclass(slots=True)
class Line:
    text: str
    page: int
    x0: float | None  # left of first glyph (PDF points), None when geometry is unavailable
    x1: float | None
    y: float | None  # baseline-ish (bottom of first glyph), PDF coordinates (origin bottom-left)
    page_w: float = 0.0


@dataclass(slots=True)
class PageInfo:
    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    chars: int = 0  # non-space characters of text
    paths: int = 0
    segments: int = 0  # path segments (lines, curves, rectangle sides)
    image_area: float = 0.0
    bad_chars: int = 0
    map_errors: int = 0
    sampled: int = 0
    tables: list[tuple[Table, tuple[float, float, float, float]]] = field(default_factory=list)
    tables_pending: bool = False  # a table page whose tables pdfplumber must find from its own parse


BAD_CHARS = re.compile("[\ue000-\uf8ff\ufffd\ufffe\uffff\x00-\x08\x0b\x0c\x0e-\x1f]")


def _norm_running(text: str) -> str:
    # page numbers inside a running header/footer vary; a numbered heading's digits do not count as such
    if match_numbering(text) is not None:
        return text
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def drop_running_lines(pages: list[PageInfo]) -> None:
    """Page numbers at the top/bottom of a page, and headers/footers repeated on many pages."""
    edge = Counter()
    for p in pages:
        n = len(p.lines)
        # once per page: on a page of three lines or fewer, the first two and the last two overlap
        edge.update({_norm_running(p.lines[i].text) for i in {0, 1, n - 2, n - 1} if 0 <= i < n})
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


def join_wrapped(a: str, b: str) -> str:
    """Join a wrapped line: no space inside CJK text, one between Latin words, none after a hyphen."""
    if not a:
        return b
    if a.endswith("-") and len(a) > 1 and a[-2].isalpha() and b[:1].isalpha():
        return a + b
    if a[-1].isascii() and a[-1].isalnum() and b[:1].isascii() and b[:1].isalnum():
        return f"{a} {b}"
    return a + b


_CJK_ASCII_SPACE = re.compile(
    r"(?<=[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]) (?=[A-Za-z0-9])|(?<=[A-Za-z0-9%]) (?=[\u3400-\u9fff\u3000-\u303f\uff00-\uffef])"
)


def tidy(text: str) -> str:
    # PDFium puts a space between CJK and Latin/digits that the author did not type.
    return _CJK_ASCII_SPACE.sub("", text)


def assemble(doc: Document, pages: list[PageInfo]) -> None:
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
    in_table = table_line_filter(pages)
    anchors: dict[int, int] = {}  # id(table) -> builder index where it sits in reading order
    b = Builder(doc)
    buf = ""
    buf_loc: Location | None = None
    prev_full = False

    def flush() -> None:
        nonlocal buf, buf_loc
        if buf and buf_loc is not None:
            b.add(tidy(buf), buf_loc, detect=False)  # heading lines were told apart line by line
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
            buf = join_wrapped(buf, text)
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


def _is_full(ln: Line, use_geo: bool, left: float, right: float, full_w: int) -> bool:
    """Does the line run to the right edge of the text column (so the paragraph may go on)?"""
    if use_geo and ln.x1 is not None:
        # the column's right edge: where most long lines end, but never less than the page's
        # symmetric margin allows (a short document may have no full line at all)
        column_right = right
        if ln.page_w and right - left < 0.5 * (ln.page_w - 2 * left):
            column_right = ln.page_w - left
        return ln.x1 >= column_right - 14
    return _width(ln.text) >= full_w * 0.85


def table_line_filter(pages: list[PageInfo]):  # noqa: ANN202
    boxes: dict[int, list[tuple[Table, float, float, float, float]]] = {}
    for p in pages:
        for t, (x0, top, x1, bottom) in p.tables:
            # pdfplumber measures from the top; pdfium from the bottom
            boxes.setdefault(p.number, []).append((t, x0, p.height - bottom, x1, p.height - top))

    def inside(ln: Line) -> Table | None:
        if ln.x0 is None or ln.y is None:
            return None
        for t, x0, y0, x1, y1 in boxes.get(ln.page, ()):
            if x0 - 2 <= ln.x0 <= x1 + 2 and y0 - 2 <= ln.y <= y1 + 2:
                return t
        return None

    return inside


def add_table(info: PageInfo, t, rows: list[list[str]]) -> None:  # noqa: ANN001
    if len(rows) < 2 or max(len(r) for r in rows) < 2:
        return
    loc = Location(page=info.number)
    number = len(info.tables) + 1  # numbered within the page
    cells = [
        [Cell(text, loc.with_cell(number, r + 1, c + 1), r, c) for c, text in enumerate(row)]
        for r, row in enumerate(rows)
    ]
    info.tables.append((Table(cells, loc), tuple(t.bbox)))


def grid_size(edges: list[dict]) -> int:
    """Distinct vertical x distinct horizontal rules (snapped to 3 pt, as pdfplumber does): a bound on cells."""
    xs = {round(e["x0"] / 3) for e in edges if e["orientation"] == "v"}
    ys = {round(e["top"] / 3) for e in edges if e["orientation"] == "h"}
    return len(xs) * len(ys)


def table_rows(t) -> list[list[str]]:  # noqa: ANN001
    return table_rows_from(t, t.extract())


def table_rows_from(t, raw_rows: list[list[str | None]]) -> list[list[str]]:  # noqa: ANN001
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
        text = join_wrapped(text, p)
    return tidy(text)


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


def ranges(nums: list[int]) -> str:
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


def garbled_pages(pages: list[PageInfo]) -> list[int]:
    return [
        p.number
        for p in pages
        if p.chars >= 10
        and (
            p.bad_chars >= max(5, p.chars * GARBLED_RATIO)
            or (p.sampled >= 10 and p.map_errors >= p.sampled * GARBLED_RATIO)
        )
    ]
