"""Builders for the sample corpus and for test fixture packages.

Usage (tests and scripts)::

    sys.path.insert(0, "corpus")
    import build

A *document spec* is a list of items:

    ("title", "文件标题")                 centred title
    ("h1", "第一章 项目概况")            heading level 1 (h2 / h3 likewise)
    ("p", "段落文字")                    paragraph
    ("p", "段落文字", {...})             paragraph with options (DOCX only, ignored in PDF):
                                           {"ins": "插入的文字", "del": "删除的文字",
                                            "comment": "批注内容", "author": "张三"}
    ("table", [[header...], [row...]])   ruled table (borders on). In DOCX a cell value of
                                           ``None`` merges the cell into its left neighbour,
                                           ``build.UP`` merges it into the cell above.
    ("pagebreak",)                       page break
    ("center", "二〇二三年七月")          centred normal-size line (cover pages)
    ("toc",)                             PDF only: a table of contents of h1/h2 with real page numbers

Every writer is deterministic: the same spec gives the same bytes (fixed dates in document
properties and ZIP entries).
"""

from __future__ import annotations

import copy
import datetime as _dt
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

FONT_PATH = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"
# DroidSansFallback has no Latin letters or digits; those come from a Latin face (also embedded, subset).
LATIN_FONT_PATH = "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"
# characters that must not start a line (避头尾)
_NO_LINE_START = set("，。、；：？！）》」』”’%．,.;:?!)]")
FIXED_DATE = _dt.datetime(2023, 6, 1, 9, 0, 0, tzinfo=_dt.UTC)
ZIP_DATE = (2023, 6, 1, 9, 0, 0)

Item = tuple
Spec = Sequence[Item]

# When true, every writer re-reads what it wrote (pypdfium2 / pdfplumber / python-docx) and raises
# AssertionError if a heading, paragraph or table cell of the spec cannot be found. make_corpus --check.
VERIFY = False


class _Up:
    """Sentinel: merge this table cell into the cell above (DOCX)."""

    def __repr__(self) -> str:
        return "UP"


UP = _Up()


class F:
    """An XLSX formula with a cached value, as Excel saves it.

    ``F("=SUM(C4:C9)", 123.45)``; for an error cached value use ``F("=Sheet9!A1", "#REF!",
    error=True)``.
    """

    def __init__(self, formula: str, value: Any, *, error: bool = False) -> None:
        self.formula = formula if formula.startswith("=") else "=" + formula
        self.value = value
        self.error = error


# ---------------------------------------------------------------------------------------------
# helpers

def _ensure_parent(path: str | Path) -> Path:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    return p


def normalise_zip(data: bytes) -> bytes:
    """Rewrite a ZIP (docx/xlsx) with fixed entry dates so output is byte-stable."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


def _item_opts(item: Item) -> dict:
    return item[2] if len(item) > 2 and isinstance(item[2], dict) else {}


def _cell_text(v: Any) -> str:
    if v is None or isinstance(v, _Up):
        return ""
    if isinstance(v, float):
        return f"{v:,.2f}"
    if isinstance(v, Decimal):
        return f"{v:,.2f}"
    return str(v)


# ---------------------------------------------------------------------------------------------
# DOCX

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def _set_east_asian_font(style_or_run_element: Any, font: str) -> None:
    from docx.oxml.ns import qn

    rpr = style_or_run_element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), font)


def _tracked_run(paragraph: Any, text: str, kind: str, author: str, rev_id: int) -> None:
    """Append a w:ins / w:del run (tracked change) to a paragraph."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    wrapper = OxmlElement(f"w:{kind}")
    wrapper.set(qn("w:id"), str(rev_id))
    wrapper.set(qn("w:author"), author)
    wrapper.set(qn("w:date"), "2023-06-01T09:00:00Z")
    run = OxmlElement("w:r")
    t = OxmlElement("w:delText" if kind == "del" else "w:t")
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    t.text = text
    run.append(t)
    wrapper.append(run)
    paragraph._p.append(wrapper)


def _localise_style_ids(doc: Any) -> None:
    """Rename heading style ids to "1", "2", "3"... as Chinese Word/WPS do (names stay "heading 1")."""
    from docx.oxml.ns import qn

    styles_el = doc.styles.element
    mapping: dict[str, str] = {}
    for st in styles_el.findall(qn("w:style")):
        sid = st.get(qn("w:styleId"))
        if sid and sid.startswith("Heading") and sid[7:].isdigit():
            mapping[sid] = sid[7:]
        elif sid and sid.startswith("Heading") and sid.endswith("Char") and sid[7:-4].isdigit():
            mapping[sid] = str(int(sid[7:-4]) * 10)  # Word names linked char styles "10", "20"...
        elif sid == "Title":
            mapping[sid] = "a3"
        elif sid == "TitleChar":
            mapping[sid] = "a4"
    for st in styles_el.findall(qn("w:style")):
        sid = st.get(qn("w:styleId"))
        if sid in mapping:
            st.set(qn("w:styleId"), mapping[sid])
        name = st.find(qn("w:name"))
        if name is not None and name.get(qn("w:val"), "").startswith("Heading "):
            # Word stores built-in names lower-case ("heading 1"); the UI shows "标题 1".
            name.set(qn("w:val"), name.get(qn("w:val")).lower())
    refs = {qn("w:basedOn"), qn("w:next"), qn("w:link"), qn("w:pStyle"), qn("w:rStyle")}
    for root in (styles_el, doc.element):
        for el in root.iter():
            if el.tag in refs and el.get(qn("w:val")) in mapping:
                el.set(qn("w:val"), mapping[el.get(qn("w:val"))])


def docx_bytes(spec: Spec, *, styled_headings: bool = True, localised_style_ids: bool = False) -> bytes:
    """Build a DOCX from a spec and return its bytes (see module doc for the spec)."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Mm, Pt

    doc = Document()
    cp = doc.core_properties
    cp.author = "dossier-lint corpus"
    cp.last_modified_by = "dossier-lint corpus"
    cp.created = FIXED_DATE.replace(tzinfo=None)
    cp.modified = FIXED_DATE.replace(tzinfo=None)
    cp.revision = 1

    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12)
    _set_east_asian_font(normal.element, "宋体")
    for lvl in (1, 2, 3):
        _set_east_asian_font(doc.styles[f"Heading {lvl}"].element, "黑体")
    _set_east_asian_font(doc.styles["Title"].element, "方正小标宋简体")

    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.left_margin = sec.right_margin = Mm(28)
    sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)

    heading_sizes = {1: 16, 2: 14, 3: 12}
    rev_id = 100
    for item in spec:
        tag = item[0]
        if tag == "title":
            if styled_headings:
                p = doc.add_paragraph(item[1], style="Title")
            else:
                p = doc.add_paragraph()
                r = p.add_run(item[1])
                r.bold = True
                r.font.size = Pt(22)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif tag in ("h1", "h2", "h3"):
            level = int(tag[1])
            if styled_headings:
                doc.add_heading(item[1], level=level)
            else:
                p = doc.add_paragraph()
                r = p.add_run(item[1])
                r.bold = True
                r.font.size = Pt(heading_sizes[level])
        elif tag == "p":
            opts = _item_opts(item)
            p = doc.add_paragraph()
            run = p.add_run(item[1]) if item[1] else None
            if item[1]:
                p.paragraph_format.first_line_indent = Pt(24)
            author = opts.get("author", "审核人")
            if opts.get("del"):
                rev_id += 1
                _tracked_run(p, opts["del"], "del", author, rev_id)
            if opts.get("ins"):
                rev_id += 1
                _tracked_run(p, opts["ins"], "ins", author, rev_id)
            if opts.get("comment") and run is not None:
                c = doc.add_comment(run, text=opts["comment"], author=author, initials=author[:1])
                # python-docx stamps comments with the current time; pin it.
                c._comment_elm.set(_w("date"), "2023-06-01T09:00:00Z")
        elif tag == "table":
            rows: list[list[Any]] = item[1]
            ncols = max(len(r) for r in rows)
            table = doc.add_table(rows=len(rows), cols=ncols)
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            for ri, row in enumerate(rows):
                for ci in range(ncols):
                    v = row[ci] if ci < len(row) else ""
                    cell = table.cell(ri, ci)
                    if v is None and ci > 0:
                        continue
                    if isinstance(v, _Up):
                        continue
                    text = _cell_text(v)
                    cell.text = text
                    if ri == 0 and text:
                        for r in cell.paragraphs[0].runs:
                            r.bold = True
            # merges after text so merged cells keep the anchor's text only
            for ri, row in enumerate(rows):
                for ci, v in enumerate(row):
                    if v is None and ci > 0:
                        a = table.cell(ri, ci - 1)
                        a.merge(table.cell(ri, ci))
                    elif isinstance(v, _Up) and ri > 0:
                        table.cell(ri - 1, ci).merge(table.cell(ri, ci))
            # python-docx merge concatenates paragraphs; strip empty trailing ones
            for row in table.rows:
                for cell in row.cells:
                    paras = cell.paragraphs
                    for extra in paras[1:]:
                        if not extra.text:
                            extra._p.getparent().remove(extra._p)
            doc.add_paragraph()
        elif tag == "center":
            p = doc.add_paragraph()
            p.add_run(item[1]).font.size = Pt(14)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif tag == "toc":
            pass  # a Word TOC is a field the reader would see as plain text lines; not emulated in DOCX
        elif tag == "pagebreak":
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        else:
            raise ValueError(f"unknown spec item {tag!r}")
    if localised_style_ids:
        _localise_style_ids(doc)
    buf = io.BytesIO()
    doc.save(buf)
    data = normalise_zip(_slim_docx(buf.getvalue()))
    if VERIFY:
        verify_docx(data, spec, styled_headings=styled_headings)
    return data


_DROP_PARTS = ("word/stylesWithEffects.xml", "docProps/thumbnail.jpeg")


def _slim_docx(data: bytes) -> bytes:
    """Drop parts of python-docx's template that Word does not need (keeps the corpus small)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    rel_re = re.compile(rb'<Relationship [^>]*Target="[^"]*(stylesWithEffects\.xml|thumbnail\.jpeg)"[^>]*/>')
    ct_re = re.compile(rb'<(Override|Default) [^>]*(stylesWithEffects\.xml|Extension="jpeg")[^>]*/>')
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in _DROP_PARTS:
                continue
            blob = src.read(info.filename)
            if info.filename.endswith(".rels"):
                blob = rel_re.sub(b"", blob)
            elif info.filename == "[Content_Types].xml":
                blob = ct_re.sub(b"", blob)
            dst.writestr(info, blob)
    return out.getvalue()


def write_docx(path: str | Path, spec: Spec, *, styled_headings: bool = True,
               localised_style_ids: bool = False) -> Path:
    """Write a DOCX (python-docx). ``styled_headings=False`` writes headings as bold plain paragraphs."""
    p = _ensure_parent(path)
    p.write_bytes(docx_bytes(spec, styled_headings=styled_headings, localised_style_ids=localised_style_ids))
    return p


# ---------------------------------------------------------------------------------------------
# PDF

def _pdf_class() -> type:
    from fpdf import FPDF

    class _Pdf(FPDF):
        no_footer = False

        def footer(self) -> None:  # "— 3 —" as Chinese official documents print page numbers
            if self.no_footer:
                return
            self.set_y(-15)
            self.set_font("latin", size=10.5)
            self.cell(0, 10, f"\u2014 {self.page_no()} \u2014", align="C")

        _width_cache: dict[tuple[str, float], float] = {}

        def char_width(self, ch: str) -> float:
            key = (ch, self.font_size_pt)
            w = self._width_cache.get(key)
            if w is None:
                family = "cjk" if ord(ch) > 0x2000 else "latin"
                cur = (self.font_family, self.font_size_pt)
                self.set_font(family, size=cur[1])
                w = self.get_string_width(ch)
                self.set_font(cur[0], size=cur[1])
                self._width_cache[key] = w
            return w

        def wrap(self, text: str, width: float, indent: float = 0.0) -> list[str]:
            """Wrap CJK text by character, Latin words/numbers as a whole (as Word does), keeping
            closing punctuation off line starts (避头尾)."""
            lines: list[str] = []
            cur, cur_w, limit = "", 0.0, width - indent
            for tok in re.findall(r"[!-~]+|.", text):
                w = sum(self.char_width(ch) for ch in tok)
                if cur and cur_w + w > limit and tok[0] not in _NO_LINE_START:
                    if w > width:  # a single over-long token: fall back to characters
                        for ch in tok:
                            cw = self.char_width(ch)
                            if cur and cur_w + cw > limit:
                                lines.append(cur)
                                cur, cur_w, limit = "", 0.0, width
                            cur += ch
                            cur_w += cw
                        continue
                    lines.append(cur.rstrip())
                    cur, cur_w, limit = "", 0.0, width
                    if tok == " ":
                        continue
                cur += tok
                cur_w += w
            if cur:
                lines.append(cur)
            return lines

    return _Pdf


def _new_pdf() -> Any:
    pdf = _pdf_class()(format="A4")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_creator("dossier-lint corpus")
    pdf.set_producer("dossier-lint corpus")
    pdf.add_font("cjk", fname=FONT_PATH)
    pdf.add_font("latin", fname=LATIN_FONT_PATH)
    pdf.set_fallback_fonts(["latin"], exact_match=False)
    pdf.set_margins(22, 22, 22)
    pdf.set_auto_page_break(True, margin=22)
    pdf.c_margin = 1.5
    return pdf


def pdf_bytes(spec: Spec, *, encrypt_owner: str | None = None, encrypt_user: str | None = None,
              info: dict | None = None) -> bytes:
    """Build a PDF (real text layer, embedded subset CJK font) and return its bytes.

    ``encrypt_user`` set -> the file needs a password to open; ``encrypt_owner`` alone -> encrypted
    with an empty user password (opens, but is flagged encrypted).
    """
    enc = (encrypt_owner or "owner", encrypt_user or "") if (encrypt_owner or encrypt_user) else None
    pdf, _ = _render_pdf(spec, enc)
    for key, value in (info or {}).items():
        getattr(pdf, f"set_{key}")(value)
    data = bytes(pdf.output())
    if VERIFY and not enc:
        verify_pdf(data, spec)
    return data


def _render_pdf(spec: Spec, encrypt: tuple[str, str] | None = None) -> tuple[Any, list[tuple[str, int]]]:
    if any(it[0] == "toc" for it in spec):
        # first pass finds the page of every heading, second pass prints them in the TOC
        _, heads = _render_pdf_pass(spec, None, None)
        levels = {"h1", "h2"}
        pages = [pg for (it, (_, pg)) in zip([it for it in spec if it[0] in _HEADS], heads, strict=True)
                 if it[0] in levels]
        return _render_pdf_pass(spec, encrypt, pages)
    return _render_pdf_pass(spec, encrypt, None)


_HEADS = ("title", "h1", "h2", "h3")


def _render_pdf_pass(spec: Spec, encrypt: tuple[str, str] | None,
                     toc_pages: list[int] | None) -> tuple[Any, list[tuple[str, int]]]:
    from fpdf.enums import TextMode

    pdf = _new_pdf()
    if encrypt:
        import random

        from fpdf.encryption import StandardSecurityHandler
        from fpdf.enums import AccessPermission, EncryptionMethod

        # fpdf2 draws keys/IVs from os.urandom; a seeded generator keeps the corpus byte-stable
        # (no secrecy is wanted here, only an encrypted file)
        rng = random.Random(20230601)
        StandardSecurityHandler.get_random_bytes = classmethod(lambda cls, size: rng.randbytes(size))

        pdf.set_encryption(owner_password=encrypt[0], user_password=encrypt[1],
                           encryption_method=EncryptionMethod.AES_128,
                           permissions=AccessPermission.PRINT_LOW_RES)
    pdf.add_page()
    headings: list[tuple[str, int]] = []
    sizes = {"title": 20, "h1": 16, "h2": 14, "h3": 12.5}
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for item in spec:
        tag = item[0]
        if tag in sizes:
            if tag == "h1" and pdf.get_y() > pdf.h - 60:
                pdf.add_page()
            pdf.set_font("cjk", size=sizes[tag])
            pdf.ln(3 if tag != "title" else 8)
            # faux bold: fill + thin stroke (the font has no bold face); text extraction unaffected.
            # local_context wraps it in q/Q so the text render mode does not leak into body text.
            with pdf.local_context(text_mode=TextMode.FILL_STROKE, line_width=0.25 if tag != "h3" else 0.18):
                for line in pdf.wrap(item[1], width):
                    pdf.cell(width, sizes[tag] * 0.6, line, align="C" if tag == "title" else "L",
                             new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2 if tag != "title" else 8)
            headings.append((item[1], pdf.page_no()))
        elif tag == "p":
            pdf.set_font("cjk", size=11.5)
            text = item[1]
            indent = 2 * pdf.char_width("\u4e00")
            for i, line in enumerate(pdf.wrap(text, width, indent) if text else []):
                if i == 0:
                    pdf.set_x(pdf.l_margin + indent)
                pdf.cell(width - (indent if i == 0 else 0), 7.2, line, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        elif tag == "table":
            rows = item[1]
            ncols = max(len(r) for r in rows)
            pdf.set_font("cjk", size=9.5)
            pdf.set_line_width(0.3)
            from fpdf.fonts import FontFace

            # the CJK font has no bold face: shade the header row instead
            head = FontFace(emphasis="", fill_color=(225, 225, 225))
            # column widths follow content length (capped), as an author would drag them
            lens = [max((len(_cell_text(r[ci])) if ci < len(r) else 0) for r in rows) for ci in range(ncols)]
            col_widths = tuple(min(max(n, 2), 18) + 2 for n in lens)
            with pdf.table(width=width, line_height=5.6, first_row_as_headings=True, col_widths=col_widths,
                           headings_style=head, text_align="CENTER", repeat_headings=1) as t:
                for row in rows:
                    r = t.row()
                    for ci in range(ncols):
                        v = row[ci] if ci < len(row) else ""
                        r.cell(_cell_text(v))
            pdf.ln(3)
        elif tag == "center":
            pdf.set_font("cjk", size=14)
            for line in pdf.wrap(item[1], width):
                pdf.cell(width, 9, line, align="C", new_x="LMARGIN", new_y="NEXT")
        elif tag == "toc":
            pdf.set_font("cjk", size=16)
            pdf.cell(width, 12, "目  录", align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
            pdf.set_font("cjk", size=11.5)
            entries = [(t, lvl) for (tg, t, lvl) in _toc_entries(spec)]
            for n, (text, lvl) in enumerate(entries):
                page = toc_pages[n] if toc_pages and n < len(toc_pages) else 0
                indent = 8 * (lvl - 1)
                pdf.set_x(pdf.l_margin + indent)
                label_w = sum(pdf.char_width(ch) for ch in text)
                num = str(page)
                num_w = sum(pdf.char_width(ch) for ch in num)
                dots = "." * max(3, int((width - indent - label_w - num_w - 2) / pdf.char_width(".")))
                pdf.cell(width - indent, 7.5, f"{text}{dots}{num}", new_x="LMARGIN", new_y="NEXT")
            pdf.add_page()
        elif tag == "pagebreak":
            pdf.add_page()
        else:
            raise ValueError(f"unknown spec item {tag!r}")
    return pdf, headings


def _toc_entries(spec: Spec) -> list[tuple[str, str, int]]:
    return [(it[0], it[1], int(it[0][1])) for it in spec if it[0] in ("h1", "h2")]


def write_pdf(path: str | Path, spec: Spec, *, encrypt_owner: str | None = None,
              encrypt_user: str | None = None) -> list[tuple[str, int]]:
    """Write a PDF; returns [(heading text, page number)] for every title/heading."""
    p = _ensure_parent(path)
    pdf, headings = _render_pdf(spec, (encrypt_owner or "owner", encrypt_user or "")
                                if (encrypt_owner or encrypt_user) else None)
    data = bytes(pdf.output())
    if VERIFY and not (encrypt_owner or encrypt_user):
        verify_pdf(data, spec)
    p.write_bytes(data)
    return headings


def write_image_pdf(path: str | Path, page_texts: Sequence[str]) -> Path:
    """Write a 'scanned' PDF: every page is only a raster image (no text layer)."""
    from PIL import Image, ImageDraw, ImageFont

    pdf = _new_pdf()
    pdf.no_footer = True  # a scan has no text layer at all, page numbers included
    font = ImageFont.truetype(FONT_PATH, 22)
    for text in page_texts:
        img = Image.new("L", (620, 877), 255)
        draw = ImageDraw.Draw(img)
        y = 60
        for line in text.split("\n"):
            draw.text((50, y), line, font=font, fill=0)
            y += 34
        buf = io.BytesIO()
        img.save(buf, format="PNG", optimize=True)
        pdf.add_page()
        pdf.image(buf, x=0, y=0, w=pdf.w, h=pdf.h)
    p = _ensure_parent(path)
    p.write_bytes(bytes(pdf.output()))
    return p


# ---------------------------------------------------------------------------------------------
# XLSX

def xlsx_bytes(sheets: Mapping[str, list[list]], merges: Mapping[str, list[str]] | None = None,
               title_rows: Mapping[str, Iterable[int]] | None = None,
               header_rows: Mapping[str, Iterable[int]] | None = None,
               table_ranges: Mapping[str, str] | None = None,
               col_widths: Mapping[str, Sequence[float]] | None = None) -> bytes:
    """Build an XLSX (openpyxl).

    - ``sheets``: sheet name -> rows (row 1 first). A value may be ``F(formula, cached)``.
    - ``merges``: sheet name -> ranges like ``"A1:L1"``.
    - ``title_rows``: 1-based rows drawn as a title (bold, large, centred, no border). Default: row 1
      of every sheet if that row has exactly one non-empty value.
    - ``header_rows``: 1-based rows drawn bold and centred (default: the first row after the titles).
    - ``table_ranges``: bordered region per sheet (default: from the first header row to the last row
      with at least two non-empty values).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    merges = merges or {}
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "dossier-lint corpus"
    wb.properties.lastModifiedBy = "dossier-lint corpus"
    wb.properties.created = FIXED_DATE.replace(tzinfo=None)
    wb.properties.modified = FIXED_DATE.replace(tzinfo=None)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    cached: dict[int, dict[str, F]] = {}
    for si, (name, rows) in enumerate(sheets.items()):
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, v in enumerate(row, start=1):
                if v is None or v == "":
                    continue
                cell = ws.cell(row=r, column=c)
                if isinstance(v, F):
                    cell.value = v.formula
                    cached.setdefault(si, {})[cell.coordinate] = v
                    cell.number_format = "#,##0.00"
                else:
                    cell.value = v
                    if isinstance(v, float | Decimal):
                        cell.number_format = "#,##0.00"
        for rng in merges.get(name, []):
            ws.merge_cells(rng)

        def nonempty(row: list) -> int:
            return sum(1 for v in row if v not in (None, ""))

        if title_rows and name in title_rows:
            trows = set(title_rows[name])
        else:
            trows = {1} if rows and nonempty(rows[0]) == 1 else set()
        first = max(trows) + 1 if trows else 1
        hrows = set(header_rows[name]) if header_rows and name in header_rows else {first}
        last = first
        for r, row in enumerate(rows, start=1):
            if r >= first and nonempty(row) >= 2:
                last = r
        ncols = max((len(r) for r in rows), default=0)
        if table_ranges and name in table_ranges:
            from openpyxl.utils.cell import range_boundaries

            c1, r1, c2, r2 = range_boundaries(table_ranges[name])
        else:
            c1, r1, c2, r2 = 1, first, ncols, last
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                cell = ws.cell(row=r, column=c)
                cell.border = border
                cell.alignment = Alignment(wrap_text=True, vertical="center",
                                           horizontal="center" if r in hrows else None)
                if r in hrows:
                    cell.font = Font(bold=True)
        for r in trows:
            cell = ws.cell(row=r, column=1)
            cell.font = Font(bold=True, size=16)
            cell.alignment = Alignment(horizontal="center", vertical="center")
            ws.row_dimensions[r].height = 30
        widths = (col_widths or {}).get(name)
        for c in range(1, ncols + 1):
            w = widths[c - 1] if widths and c - 1 < len(widths) else 14
            ws.column_dimensions[get_column_letter(c)].width = w
    buf = io.BytesIO()
    wb.save(buf)
    # openpyxl stamps dcterms:modified with the current time on save; pin it for byte-stable output
    data = post_edit_zip(buf.getvalue(), {"docProps/core.xml": lambda b: re.sub(
        rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>2023-06-01T09:00:00Z\g<2>", b)})
    if cached:
        data = _inject_cached_values(data, cached)
    return normalise_zip(data)


def _inject_cached_values(data: bytes, cached: dict[int, dict[str, F]]) -> bytes:
    """openpyxl writes formulas without cached results; add them as Excel would (<v>, t="e")."""
    from lxml import etree

    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            for si, cells in cached.items():
                if info.filename == f"xl/worksheets/sheet{si + 1}.xml":
                    root = etree.fromstring(blob)
                    for c in root.iter(f"{{{ns}}}c"):
                        f = cells.get(c.get("r"))
                        if f is None:
                            continue
                        for old in c.findall(f"{{{ns}}}v"):
                            c.remove(old)
                        v = etree.SubElement(c, f"{{{ns}}}v")
                        if f.error:
                            c.set("t", "e")
                            v.text = str(f.value)
                        elif isinstance(f.value, str):
                            c.set("t", "str")
                            v.text = f.value
                        else:
                            if "t" in c.attrib:
                                del c.attrib["t"]
                            v.text = format(Decimal(str(f.value)).normalize(), "f")
                    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            dst.writestr(info, blob)
    return out.getvalue()


def write_xlsx(path: str | Path, sheets: Mapping[str, list[list]],
               merges: Mapping[str, list[str]] | None = None,
               title_rows: Mapping[str, Iterable[int]] | None = None, **kw: Any) -> Path:
    """Write an XLSX; see ``xlsx_bytes`` for the arguments."""
    p = _ensure_parent(path)
    p.write_bytes(xlsx_bytes(sheets, merges, title_rows, **kw))
    return p


# ---------------------------------------------------------------------------------------------
# text, zip, raw

def write_md(path: str | Path, text: str) -> Path:
    p = _ensure_parent(path)
    p.write_text(text, encoding="utf-8")
    return p


def write_bytes(path: str | Path, data: bytes) -> Path:
    p = _ensure_parent(path)
    p.write_bytes(data)
    return p


class _GbkZipInfo(zipfile.ZipInfo):
    """A ZipInfo whose name is stored in CP936 without the UTF-8 flag (bit 11), as Windows does."""

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:  # noqa: N802 (zipfile's private hook)
        return self.filename.encode("cp936"), self.flag_bits & ~0x800


def zip_bytes(files: Mapping[str, bytes | Path], *, gbk_names: bool = True,
              dir_entries: bool = True) -> bytes:
    """Build a ZIP. Keys are member paths ("项目/建设方案.docx"); values are bytes or file paths."""
    out = io.BytesIO()
    cls: type[zipfile.ZipInfo] = _GbkZipInfo if gbk_names else zipfile.ZipInfo
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        seen: set[str] = set()
        for name in files:
            if dir_entries:
                parts = name.split("/")[:-1]
                for i in range(1, len(parts) + 1):
                    d = "/".join(parts[:i]) + "/"
                    if d not in seen:
                        seen.add(d)
                        zi = cls(d, date_time=ZIP_DATE)
                        zi.external_attr = 0x10  # MS-DOS directory attribute
                        z.writestr(zi, b"")
            data = files[name]
            blob = Path(data).read_bytes() if isinstance(data, Path) else data
            zi = cls(name, date_time=ZIP_DATE)
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, blob)
    return out.getvalue()


def write_zip(path: str | Path, files: Mapping[str, bytes | Path], gbk_names: bool = True) -> Path:
    """Write a ZIP whose member names are CP936 without the UTF-8 flag (``gbk_names=True``)."""
    p = _ensure_parent(path)
    p.write_bytes(zip_bytes(files, gbk_names=gbk_names))
    return p


def ole2_bytes(payload: str = "", size: int = 8192) -> bytes:
    """Bytes that sniff as a legacy OLE2 compound file (.doc/.wps/.xls): magic header + padding.

    Not a valid compound document; enough for format detection. ``payload`` text (UTF-16LE) is
    embedded after the header so the file is not all zeros.
    """
    header = bytearray(512)
    header[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    header[24:26] = (0x003E).to_bytes(2, "little")  # minor version
    header[26:28] = (0x0003).to_bytes(2, "little")  # major version 3 (512-byte sectors)
    header[28:30] = (0xFFFE).to_bytes(2, "little")  # byte order
    header[30:32] = (9).to_bytes(2, "little")  # sector shift
    header[32:34] = (6).to_bytes(2, "little")  # mini sector shift
    body = payload.encode("utf-16-le")
    data = bytes(header) + body
    return data + b"\x00" * max(0, size - len(data))


def truncated(data: bytes, keep: float = 0.6) -> bytes:
    """The first part of a file, as from an interrupted download/upload."""
    return data[: int(len(data) * keep)]


def post_edit_zip(data: bytes, edits: Mapping[str, Callable[[bytes], bytes]]) -> bytes:
    """Apply byte edits to named members of a ZIP-based file (docx/xlsx) and return new bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename in edits:
                blob = edits[info.filename](blob)
            dst.writestr(copy.copy(info), blob)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# verification (used by make_corpus.py --check and usable from tests)

def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(data: bytes) -> list[str]:
    """Text of every page as pypdfium2 extracts it."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        return [page.get_textpage().get_text_range() for page in doc]
    finally:
        doc.close()


def verify_pdf(data: bytes, spec: Spec) -> None:
    """Every heading/paragraph of the spec is in the text layer (line breaks aside) and every table cell
    comes back from pdfplumber's ruled-table extraction."""
    import pdfplumber

    pages = pdf_text(data)
    body = _squash("".join(re.sub(r"\u2014 \d+ \u2014", "", t) for t in pages))
    missing = [it[1] for it in spec if it[0] in ("title", "h1", "h2", "h3", "p", "center") and it[1]
               and _squash(it[1]) not in body]
    if not any(it[0] == "table" for it in spec):
        cells_missing: list[str] = []
    else:
        found: set[str] = set()
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                for table in page.extract_tables():
                    for row in table:
                        found.update(_squash(c or "") for c in row)
        cells_missing = [_cell_text(c) for it in spec if it[0] == "table" for row in it[1] for c in row
                         if _cell_text(c) and _squash(_cell_text(c)) not in found]
    if missing or cells_missing:
        raise AssertionError(f"PDF text layer lacks {missing[:3]} / table cells {cells_missing[:5]}")


def verify_docx(data: bytes, spec: Spec, *, styled_headings: bool = True) -> None:
    """Headings carry the right style (by name) or none, and every paragraph and cell text is present."""
    from docx import Document

    doc = Document(io.BytesIO(data))
    paras = [(p.style.name if p.style is not None else "", p.text) for p in doc.paragraphs]
    problems: list[str] = []
    for it in spec:
        if it[0] in ("h1", "h2", "h3", "title"):
            want = ("Title" if it[0] == "title" else f"Heading {it[0][1]}") if styled_headings else "Normal"
            if (want, it[1]) not in paras:
                problems.append(f"{it[0]} {it[1]!r} not found with style {want!r}")
        elif it[0] == "p" and it[1] and not any(t == it[1] for _, t in paras):
            problems.append(f"paragraph {it[1][:20]!r} missing")
    cells = {c.text for t in doc.tables for r in t.rows for c in r.cells}
    for it in spec:
        if it[0] == "table":
            for row in it[1]:
                for c in row:
                    if _cell_text(c) and _cell_text(c) not in cells:
                        problems.append(f"cell {_cell_text(c)[:20]!r} missing")
    if problems:
        raise AssertionError("; ".join(problems[:5]))
