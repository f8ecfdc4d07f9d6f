"""Ruled tables of a PDF page from PDFium's own objects, found by pdfplumber's table finder.

pdfplumber finds tables from a page's ruling lines ("edges") and fills the cells with the page's chars.
Getting both through pdfminer costs ~25 ms a page, most of it spent turning every glyph into a dict with
resolved colours and fonts. PDFium has already parsed the page for its text, so the same geometry is taken
from it: path segments (in page space, through the object's and any enclosing form's matrix) become edges
as pdfplumber derives them from pdfminer's lines, rects and curves, and the text page's char boxes become
chars. pdfplumber's `TableFinder` (snapping, joining, intersections, cells, tables) then runs unchanged.
Coordinates are pdfplumber's: x from the left, `top`/`bottom` measured down from the page's top.
"""

from __future__ import annotations

import bisect
import ctypes
from itertools import pairwise
from typing import Any

AXIS_EPS = 0.01  # points: a segment whose ends differ less than this in x (y) is vertical (horizontal)
LINE_TOLERANCE = 3.0  # pdfplumber's default y tolerance when it clusters a cell's chars into lines
WORD_GAP = 3.0  # pdfplumber's default x tolerance: a wider gap between two chars is a space
# PDFium infers spaces in its reading order, and marks some drawn spaces as inferred too; once a line is
# sorted by x, an inferred space is kept only where its neighbours really stand apart
INFERRED_SPACE_GAP = 1.0


class _Page:
    """The part of pdfplumber's Page that `TableFinder` with the "lines" strategy reads."""

    def __init__(self, bbox: tuple[float, float, float, float], edges: list[dict], chars: list[dict]) -> None:
        self.bbox = bbox
        self.edges = edges
        self.chars = chars


_Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: _Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _mul(m: _Matrix, n: _Matrix) -> _Matrix:
    """m then n (PDF row-vector convention)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n  # noqa: N806
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def edges(raw: Any, page: Any, height: float, max_segments: int) -> list[dict]:
    """pdfplumber-style edges of every path on the page (forms included), or [] past `max_segments`."""
    out: list[dict] = []
    budget = [max_segments]
    _walk(raw, page, False, _IDENTITY, height, out, budget)
    return out if budget[0] >= 0 else []


def _walk(
    raw: Any, parent: Any, form: bool, outer: _Matrix, height: float, out: list[dict], budget: list[int]
) -> None:
    if form:
        count, get = raw.FPDFFormObj_CountObjects(parent), raw.FPDFFormObj_GetObject
    else:
        count, get = raw.FPDFPage_CountObjects(parent), raw.FPDFPage_GetObject
    fm = raw.FS_MATRIX()
    for j in range(count):
        obj = get(parent, j)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind not in (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM):
            continue
        if raw.FPDFPageObj_GetMatrix(obj, fm):
            m = _mul((fm.a, fm.b, fm.c, fm.d, fm.e, fm.f), outer)
        else:
            m = outer
        if kind == raw.FPDF_PAGEOBJ_FORM:
            _walk(raw, obj, True, m, height, out, budget)
        else:
            _path_edges(raw, obj, m, height, out, budget)
        if budget[0] < 0:
            return


def _path_edges(raw: Any, obj: Any, m: _Matrix, height: float, out: list[dict], budget: list[int]) -> None:
    n = raw.FPDFPath_CountSegments(obj)
    budget[0] -= max(n, 0)
    if n <= 0 or budget[0] < 0:
        return
    a, b, c, d, e, f = m
    x, y = ctypes.c_float(), ctypes.c_float()
    subpaths: list[list[tuple[float, float]]] = []
    pts: list[tuple[float, float]] = []
    closed: list[bool] = []
    bezier = 0
    for i in range(n):
        seg = raw.FPDFPath_GetPathSegment(obj, i)
        kind = raw.FPDFPathSegment_GetType(seg)
        if kind == raw.FPDF_SEGMENT_BEZIERTO:
            bezier += 1
            if bezier % 3:  # control points: pdfminer keeps only a curve's end point
                continue
        else:
            bezier = 0
        raw.FPDFPathSegment_GetPoint(seg, x, y)
        px, py = x.value, y.value
        pt = (a * px + c * py + e, b * px + d * py + f)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            if pts:
                subpaths.append(pts)
                closed.append(False)
            pts = [pt]
        else:
            pts.append(pt)
        if raw.FPDFPathSegment_GetClose(seg) and pts:
            subpaths.append(pts)
            closed.append(True)
            pts = []
    if pts:
        subpaths.append(pts)
        closed.append(False)
    for sub, shut in zip(subpaths, closed, strict=True):
        if shut and sub[-1] != sub[0]:
            sub = [*sub, sub[0]]
        for (x0, y0), (x1, y1) in pairwise(sub):
            if abs(x0 - x1) < AXIS_EPS:
                orientation = "v"
            elif abs(y0 - y1) < AXIS_EPS:
                orientation = "h"
            else:
                continue  # a slanted segment bounds no cell
            left, right = min(x0, x1), max(x0, x1)
            top, bottom = height - max(y0, y1), height - min(y0, y1)
            out.append({
                "object_type": "curve_edge", "orientation": orientation,
                "x0": left, "x1": right, "top": top, "bottom": bottom, "doctop": top,
                "width": right - left, "height": bottom - top,
            })  # fmt: skip


def chars(raw: Any, tp: Any, text: str, height: float) -> list[dict]:
    """pdfplumber-style chars of a text page (`text` is its full text, index == char index)."""
    out: list[dict] = []
    rect = raw.FS_RECTF()
    handle = tp.raw
    loose = raw.FPDFText_GetLooseCharBox
    generated = raw.FPDFText_IsGenerated
    for i, ch in enumerate(text):
        inferred = generated(handle, i) == 1
        if ch in "\r\n\x00" or (inferred and ch != " "):
            continue  # PDFium's line breaks
        if not loose(handle, i, rect):
            continue
        top, bottom = height - rect.top, height - rect.bottom
        if bottom < top:
            top, bottom = bottom, top
        if out:
            prev_top, prev_bottom = out[-1]["top"], out[-1]["bottom"]
            # An inferred space is a point on the baseline, and PDFium boxes some glyphs (a hyphen, a
            # superscript) by their own outline: inside the previous glyph's box, such a char takes that box,
            # as it has in pdfminer, whose boxes are all font-high.
            if (
                bottom - top < 0.6 * (prev_bottom - prev_top)
                and prev_top - 1 <= top
                and bottom <= prev_bottom + 1
            ):
                top, bottom = prev_top, prev_bottom
            elif bottom - top < 0.01:
                top, bottom = prev_top, prev_bottom
        out.append({
            "text": ch, "x0": rect.left, "x1": rect.right, "top": top, "bottom": bottom, "doctop": top,
            "height": bottom - top, "width": rect.right - rect.left, "upright": True, "inferred": inferred,
        })  # fmt: skip
    return out


def find(edge_list: list[dict], char_list: list[dict], width: float, height: float) -> list[Any]:
    """pdfplumber's tables (`Table` objects) for these edges and chars."""
    from pdfplumber.table import TableFinder

    return TableFinder(_Page((0.0, 0.0, width, height), edge_list, char_list)).tables


def cell_texts(table: Any, char_list: list[dict]) -> list[list[str | None]]:
    """`Table.extract()`'s result (None for a position a merged cell covers), without its scan of every
    char for every row: chars are sorted by their vertical middle once and each cell takes its range."""
    mids = sorted(
        ((ch["top"] + ch["bottom"]) / 2, (ch["x0"] + ch["x1"]) / 2, i) for i, ch in enumerate(char_list)
    )
    keys = [m[0] for m in mids]
    out: list[list[str | None]] = []
    for row in table.rows:
        texts: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                texts.append(None)
                continue
            x0, top, x1, bottom = cell
            inside = [
                char_list[i]
                for _v, h, i in mids[bisect.bisect_left(keys, top) : bisect.bisect_left(keys, bottom)]
                if x0 <= h < x1
            ]
            texts.append(_text(inside))
        out.append(texts)
    return out


def _text(cell_chars: list[dict]) -> str:
    """A cell's chars as lines (top to bottom, clustered on their tops as pdfplumber does) of
    left-to-right text, with a space where pdfplumber would start a new word."""
    if not cell_chars:
        return ""
    cell_chars = sorted(cell_chars, key=lambda ch: ch["top"])
    lines: list[list[dict]] = [[cell_chars[0]]]
    for prev, ch in pairwise(cell_chars):
        if ch["top"] - prev["top"] <= LINE_TOLERANCE:
            lines[-1].append(ch)
        else:
            lines.append([ch])
    rendered = []
    for line in lines:
        line.sort(key=lambda ch: ch["x0"])
        parts: list[str] = []
        prev: dict | None = None
        pending: dict | None = None  # a space char seen since the previous glyph
        for ch in line:
            if ch["text"].isspace():
                pending = pending if pending is not None and not pending["inferred"] else ch
                continue
            if prev is not None:
                gap = ch["x0"] - prev["x1"]
                if gap > WORD_GAP or (
                    pending is not None and (not pending["inferred"] or gap >= INFERRED_SPACE_GAP)
                ):
                    parts.append(" ")  # a drawn space or a wide gap ends a word, as in pdfplumber
            parts.append(ch["text"])
            prev, pending = ch, None
        rendered.append("".join(parts).strip())
    return "\n".join(rendered)
