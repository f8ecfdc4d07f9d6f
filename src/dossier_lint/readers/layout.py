"""Fixed-layout pages (PDF, OFD) into the document model.

A reader turns each page into positioned text lines (`Line`, with the font size and weight it could
read) and found tables (`PageInfo`); this module does the rest alike for both formats: running
headers/footers and page numbers are dropped, wrapped lines are joined into paragraphs (a short line or a
first-line indent ends one; a break inside Chinese text adds no space), numbered lines become headings,
and so do unnumbered lines set apart by a larger or bold font in a document whose headings carry no
numbering (`font_headings`), ruled tables get their merged cells resolved and are stitched across page
breaks, and pages of nonsense text (a font without a Unicode map) are found.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from ..headings import MAX_HEADING_CHARS, is_toc_line, match_numbering
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
    size: float | None = None  # font size on the page (points) of most of the line; None = unknown
    bold: bool = False  # set bold: a bold face or weight, or drawn fill+stroke (faux bold)
    font: str = ""  # face name (subset prefix dropped), "" = unknown; a heavy face (黑体) marks headings too
    colour: bool = False  # set in a colour, not black or grey (Word's default heading styles are blue)


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

    heads, wrapped = font_headings(pages, lines, in_table, use_geo, left, right, full_w)
    page_tables = {p.number: [t for t, _ in p.tables] for p in pages}
    last_page = 0
    for i, ln in enumerate(lines):
        if ln.page != last_page:
            for t in page_tables.get(last_page, ()):  # tables whose text was not seen: end of page
                anchors.setdefault(id(t), len(b))
            last_page = ln.page
        if i in wrapped:  # the second line of a heading wrapped in two: already in it
            continue
        if i in heads:
            flush()
            head_text, head_level = heads[i]
            b.add(head_text, Location(page=ln.page), level=head_level)
            prev_full = False
            continue
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


# --- headings set apart by their font ------------------------------------------------------------------

HEAD_MAX_CHARS = MAX_HEADING_CHARS  # a longer line is a sentence, not a title
HEAD_MAX_WRAP = 3  # lines of one heading wrapped at the right edge
FONT_BUCKET = 0.5  # pt: sizes closer than this are one size (PDF producers round differently)
BODY_SAMPLE_CHARS = 15  # a line this long tells the body text's face and weight (headings are shorter)
HEAD_PUNCT = re.compile(r"[。；;，,！？!?：:]")  # a heading is a title, not a clause or a "label：value"
_CAPTION = re.compile(r"^(?:附\s*)?(?:图|表|figure|fig\.|table)\s*[0-9０-９一二三四五六七八九十]", re.IGNORECASE)
_ATTACHMENT = re.compile(r"^附\s*件\s*[0-9０-９一二三四五六七八九十]*$")
_NUMERAL = "0-9０-９〇○零一二三四五六七八九十"
_DATE = re.compile(
    rf"^[{_NUMERAL}]{{2,4}}\s*年(?:\s*[{_NUMERAL}]{{1,2}}\s*月(?:\s*[{_NUMERAL}]{{1,3}}\s*日)?)?$"
)
_TOC_TITLE = {"目录", "目次", "contents"}
_TRAILING_PAGE_NO = re.compile(r"\s\d{1,3}$")  # a TOC entry without leader dots: "项目概述 1"
_HEAVY_FACE = re.compile(r"hei|黑|bold|black|heavy", re.IGNORECASE)  # SimHei, 黑体, *-Bold
# Any numbering-like start, looser than headings.match_numbering ("1.100 补充说明", "A. 概述", "2023年计划"):
# a line that starts so counts as numbered when deciding whether a document's headings are unnumbered.
_NUMBER_LIKE = re.compile(
    r"^\s*(?:第\s*[0-9０-９一二三四五六七八九十百零〇两]+|[0-9０-９]|[(（［\[【]\s*[0-9０-９一二三四五六七八九十]"
    r"|[一二三四五六七八九十]+\s*[、.．]|[\u2460-\u2473\u2776-\u277f]|[A-Za-zⅠ-Ⅻ]{1,4}\s*[.．、)）])"
)
Tier = tuple[float, bool]  # (size bucket, emphasised at the body size): one heading level


def _bucket(size: float) -> float:
    return round(size / FONT_BUCKET) * FONT_BUCKET


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _title_like(text: str) -> bool:
    """Could this text be a heading's title: short, a name (no clause punctuation), none of the short
    lines that real reports also set large or bold (captions, dates, 目录, TOC entries, page numbers)."""
    c = _compact(text)
    if not 2 <= len(c) <= HEAD_MAX_CHARS or sum(ch.isalpha() for ch in c) < 2:
        return False
    if HEAD_PUNCT.search(c) or c.lower() in _TOC_TITLE or _PAGE_NO.match(text):
        return False
    if _CAPTION.match(c) or _ATTACHMENT.match(c) or _DATE.match(c) or _TRAILING_PAGE_NO.search(text):
        return False
    words = text.split()
    # columns of an unruled table ("序号 名称 金额") are spaced; a letter-spaced "前  言" is one title
    return len(words) <= 2 or all(len(w) == 1 for w in words)


def font_headings(
    pages: list[PageInfo],
    lines: list[Line],
    in_table,  # noqa: ANN001
    use_geo: bool,
    left: float,
    right: float,
    full_w: int,
) -> tuple[dict[int, tuple[str, int]], set[int]]:
    """Headings that carry no numbering but are set apart by font: {line index: (text, level)}, and the
    indexes of lines that continue a heading wrapped at the right edge.

    Used only for documents whose headings the numbering misses: when some heading size holds at least
    two unnumbered headings and more unnumbered than numbered ones. Why per document and only then:
    numbering is the surer sign (a large or bold line may be a caption, a slogan, a label), so where a
    document numbers its headings the numbering alone decides, and such a document reads exactly as it
    did before fonts were read; a lone unnumbered large line ("前言" among numbered chapters, a cover
    title) does not switch this on either.

    A line is a heading when it is set clearly larger than the body text (the most common size by
    characters), or bold / in a heavy face (黑体) / in colour at body size; is short and title-like; stands on its
    own (a bold line inside a paragraph does not); is followed, past other headings, by body text or a
    table (a label in a diagram, a signature, a cover line are not); and does not precede a larger
    heading (a unit's name under the title). Cover pages, the title block before the first body text,
    page margins, tables, TOC entries, captions and dates never count. Levels rank the sizes in use,
    largest first, bold at the body size last.
    """
    n = len(lines)
    if not n or not any(ln.size for ln in lines):
        return {}, set()
    table = [in_table(ln) is not None for ln in lines]
    chars: Counter[float] = Counter()
    faces: Counter[str] = Counter()
    bold_chars = colour_chars = 0
    for i, ln in enumerate(lines):
        if ln.size and not table[i]:
            w = len(ln.text)
            chars[_bucket(ln.size)] += w
            if ln.font and w >= BODY_SAMPLE_CHARS:  # the body's face and weight, not the headings'
                faces[ln.font] += w
                bold_chars += w if ln.bold else -w
                colour_chars += w if ln.colour else -w
    if not chars:
        return {}, set()
    body = chars.most_common(1)[0][0]
    body_face = faces.most_common(1)[0][0] if faces else ""
    body_bold = bold_chars > 0  # everything is bold: bold sets nothing apart (a colour likewise)
    body_colour = colour_chars > 0
    heavy_body = bool(body_face and _HEAVY_FACE.search(body_face))
    larger = body + max(0.75, 0.06 * body)
    heights = {p.number: p.height for p in pages}

    def tier(ln: Line) -> Tier | None:
        if ln.size is None:
            return None
        emph = (ln.bold and not body_bold) or (ln.colour and not body_colour) or bool(
            ln.font and ln.font != body_face and not heavy_body and _HEAVY_FACE.search(ln.font)
        )
        if ln.size >= larger:
            return (_bucket(ln.size), False)  # one level per size: the PDF reader reads no weight here
        if emph and abs(ln.size - body) <= FONT_BUCKET:
            return (body, True)
        return None

    tiers = [tier(ln) for ln in lines]
    # most documents stop here: past the first text that may be body text (so past a cover and a title),
    # their large or bold lines are numbered, or are not titles (a 目录, a caption)
    start = next(
        (i for i, ln in enumerate(lines)
         if tiers[i] is None and not table[i] and (len(ln.text) >= 12 or ln.text.endswith(_SENT_END))),
        n,
    )
    if start < n:  # and the headings just above it, on its page
        while start > 0 and tiers[start - 1] is not None and lines[start - 1].page == lines[start].page:
            start -= 1
    if sum(
        1 for i in range(start, n)
        if tiers[i] is not None and not table[i] and not _NUMBER_LIKE.match(lines[i].text)
        and _title_like(lines[i].text)
    ) < 2:
        return {}, set()
    # what a line is, for the context rules, worked out only for the lines those rules look at: table,
    # toc, cand (may be a heading), numbered (a numbered heading line), body text, or other (short
    # plain lines, captions, dates, ...)
    full_memo: dict[int, bool] = {}
    kind_memo: dict[int, str] = {}

    def full(i: int) -> bool:
        f = full_memo.get(i)
        if f is None:
            f = full_memo[i] = _is_full(lines[i], use_geo, left, right, full_w)
        return f

    def kind(i: int) -> str:
        k = kind_memo.get(i)
        if k is not None:
            return k
        ln = lines[i]
        text = ln.text
        h = heights.get(ln.page, 0.0)
        if table[i]:
            k = "table"
        elif is_toc_line(text):
            k = "toc"
        elif _CAPTION.match(_compact(text)) and len(text) <= HEAD_MAX_CHARS and not text.endswith(_SENT_END):
            k = "caption"
        elif tiers[i] is not None:
            margin = ln.y is not None and h > 0 and (ln.y < h * 0.05 or ln.y > h * 0.95)
            k = "other" if margin or not _title_like(text) else "cand"
        elif match_numbering(text) is not None and not full(i):
            k = "numbered"
        elif (ln.size is None or abs(ln.size - body) <= FONT_BUCKET) and (
            len(text) >= 12 or text.rstrip().endswith(_SENT_END) or full(i)
        ):
            k = "body"
        else:
            k = "other"
        kind_memo[i] = k
        return k

    def at_left(i: int) -> bool:
        x0 = lines[i].x0
        return use_geo and x0 is not None and abs(x0 - left) <= 12

    first_body = next((i for i in range(n) if kind(i) in ("body", "table")), n)
    # a cover page: the first page, before any body text, of a document that goes on after it
    cover = lines[0].page if first_body < n and lines[first_body].page != lines[0].page else None
    # before the first body text only the headings just above it count (the rest is the title block)
    run_start = first_body
    while run_start > 0 and kind(run_start - 1) in ("cand", "numbered"):
        run_start -= 1

    units: list[tuple[int, int, str, Tier]] = []  # (first line, last line, text, tier)
    i = 0
    while i < n:
        if tiers[i] is None or kind(i) != "cand":
            i += 1
            continue
        j = i
        # a heading too long for one line runs to the right edge and goes on in the same size
        while (
            j + 1 < n and j - i + 1 < HEAD_MAX_WRAP and tiers[j + 1] == tiers[i] and full(j)
            and kind(j + 1) == "cand" and lines[j + 1].page == lines[i].page
        ):
            j += 1
        # numbered lines keep their text as the numbering path adds it ("1.1 建设背景": tidy() would
        # drop the space after the number); unnumbered ones lose PDFium's CJK-Latin spaces like paragraphs
        fix = (lambda x: x) if match_numbering(lines[i].text) is not None else tidy
        text = fix(lines[i].text)
        for k in range(i + 1, j + 1):
            text = join_wrapped(text, fix(lines[k].text))
        units.append((i, j, text, tiers[i]))  # type: ignore[arg-type]
        i = j + 1

    accepted: list[tuple[int, int, str, Tier]] = []
    for u, (i, j, text, t) in enumerate(units):
        if not _title_like(text) or lines[i].page == cover or i < run_start:
            continue
        size, _emph = t
        if size == body:  # bold at body size: not when the line runs on, or runs on from the line before
            if full(j) or (i > 0 and kind(i - 1) == "body" and full(i - 1) and lines[i - 1].page == lines[i].page):
                continue
        k = j + 1
        while k < n and kind(k) in ("cand", "numbered", "caption"):  # a figure may open a section
            k += 1
        if k >= n or kind(k) not in ("body", "table"):
            continue  # followed by nothing, or by other short lines: a label, a signature, a cover line
        prev = units[u - 1] if u > 0 else None
        nxt = units[u + 1] if u + 1 < len(units) else None
        if nxt is not None and nxt[0] == j + 1 and nxt[3][0] > size:
            continue  # a line just above a larger heading is not a section of its own
        alike = [v for v in (prev, nxt) if v is not None and (v[1] == i - 1 or v[0] == j + 1) and v[3] == t]
        if alike and not all(at_left(v[0]) for v in (*alike, units[u])):
            # centred or placed lines in a row set alike: the labels of a diagram, a title block (two
            # headings in a row at the margin are a section left empty, and stay headings)
            continue
        accepted.append((i, j, text, t))
    # a size used only above the first body text is the document's title, not a level of headings
    after = {t for i, _j, _x, t in accepted if i >= first_body}
    accepted = [a for a in accepted if a[3] in after]
    counts: dict[Tier, list[int]] = {t: [0, 0] for t in after}
    for i, _j, _text, t in accepted:
        counts[t][0 if _NUMBER_LIKE.match(lines[i].text) is None else 1] += 1
    if not any(unnumbered >= 2 and unnumbered > numbered for unnumbered, numbered in counts.values()):
        return {}, set()
    rank = {t: level for level, t in enumerate(sorted(counts, key=lambda t: (-t[0], not t[1])), start=1)}
    heads = {i: (text, rank[t]) for i, _j, text, t in accepted}
    wrapped = {k for i, j, _text, _t in accepted for k in range(i + 1, j + 1)}
    return heads, wrapped


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
