"""DOCX reader: a hardened lxml walk of word/document.xml with a styles.xml map.

Heading levels come from style *names* ("heading 1", "Heading 1", "标题 1", "Title") or `w:outlineLvl`
(style ids are localised, "1", "2", "a3", so they are never trusted), then from plain-text numbering for
unstyled paragraphs. Paragraphs and tables come in document order; merged table cells are resolved;
content controls (w:sdt) and text boxes are read; deleted text is left out but counted with insertions as
tracked changes; hidden (w:vanish) runs are left out and counted; the comments part is counted.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from ..limits import Limits
from ..model import Cell, Document, Location, ReadIssue, Table
from . import Deadline, LimitHit, safezip, xmlsafe
from .build import Builder, heading_path_at
from .docx_numbering import Numbering

W_MAIN = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"

_HEADING_NAME = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.IGNORECASE)
_TITLE_NAME = re.compile(r"^(?:title|标题)$", re.IGNORECASE)
_TOC_NAME = re.compile(r"^(?:toc|目录)\s*[1-9]$", re.IGNORECASE)
_FALSE = {"0", "false", "off", "none"}
_TRUTHY_OFF = _FALSE


class _Tags:
    """Clark-notation tag names for one WordprocessingML namespace (transitional or strict)."""

    def __init__(self, ns: str) -> None:
        w = "{" + ns + "}"
        self.ns = ns
        self.body, self.p, self.r, self.t, self.tab, self.br, self.cr = (w + x for x in ("body", "p", "r", "t", "tab", "br", "cr"))
        self.noBreakHyphen, self.ptab = w + "noBreakHyphen", w + "ptab"
        self.tbl, self.tr, self.tc, self.tcPr, self.trPr = (w + x for x in ("tbl", "tr", "tc", "tcPr", "trPr"))
        self.gridSpan, self.vMerge, self.gridBefore = w + "gridSpan", w + "vMerge", w + "gridBefore"
        self.sdt, self.sdtContent, self.sdtPr, self.docPartGallery = w + "sdt", w + "sdtContent", w + "sdtPr", w + "docPartGallery"
        self.customXml, self.smartTag, self.hyperlink, self.fldSimple = w + "customXml", w + "smartTag", w + "hyperlink", w + "fldSimple"
        self.ins, self.dele, self.moveFrom, self.moveTo = w + "ins", w + "del", w + "moveFrom", w + "moveTo"
        self.pPr, self.rPr, self.pStyle, self.outlineLvl = w + "pPr", w + "rPr", w + "pStyle", w + "outlineLvl"
        self.vanish, self.txbxContent, self.drawing, self.pict = w + "vanish", w + "txbxContent", w + "drawing", w + "pict"
        self.val = w + "val"
        self.style, self.name, self.basedOn, self.styleId, self.type = w + "style", w + "name", w + "basedOn", w + "styleId", w + "type"
        self.numPr, self.numId, self.ilvl = w + "numPr", w + "numId", w + "ilvl"
        self.comment, self.commentRangeStart, self.commentReference = w + "comment", w + "commentRangeStart", w + "commentReference"
        self.delText = w + "delText"
        self.bdo, self.dir = w + "bdo", w + "dir"
        self.alt, self.choice, self.fallback = f"{{{MC}}}AlternateContent", f"{{{MC}}}Choice", f"{{{MC}}}Fallback"
        self.run_containers = {self.hyperlink, self.ins, self.smartTag, self.fldSimple, self.customXml, self.bdo, self.dir, self.moveTo}


@dataclass(slots=True)
class _Style:
    name: str
    based_on: str | None
    outline: int | None  # 0-based outline level from pPr, None if not set here
    num_id: str | None = None  # automatic numbering attached to the style
    num_lvl: int | None = None


@dataclass(slots=True)
class _Ctx:
    tags: _Tags
    styles: dict[str, _Style]
    default_style: str | None
    builder: Builder
    deadline: Deadline
    level_cache: dict[str, tuple[int | None, bool]] = field(default_factory=dict)
    para: int = 0  # body paragraph counter
    hidden: int = 0
    hidden_loc: Location | None = None
    changes_loc: Location | None = None
    change_evidence: str | None = None
    comment_loc: Location | None = None
    tables: list[tuple[Table, int]] = field(default_factory=list)  # table, builder index before it
    numbering: Numbering | None = None
    style_num: dict[str, tuple[str, int] | None] = field(default_factory=dict)
    last_text: str = ""


def read(doc: Document, data: bytes, limits: Limits, deadline: Deadline) -> None:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ValueError("DOCX 文件已损坏（压缩结构不完整）") from exc
    with zf:
        reason = safezip.check_archive(zf, limits)
        if reason:
            raise safezip.ZipBombError(reason)
        budget = safezip.MemberBudget(limits)
        names = {n.lower(): n for n in zf.namelist()}
        main = _main_part(zf, names, budget)
        if main is None:
            raise ValueError("DOCX 文件缺少正文部分（word/document.xml）")
        doc_xml = budget.read(zf, zf.getinfo(main))
        styles_xml = budget.read(zf, zf.getinfo(names["word/styles.xml"])) if "word/styles.xml" in names else None
        comments_xml = budget.read(zf, zf.getinfo(names["word/comments.xml"])) if "word/comments.xml" in names else None
        numbering_xml = budget.read(zf, zf.getinfo(names["word/numbering.xml"])) if "word/numbering.xml" in names else None
    root = xmlsafe.parse(doc_xml)
    ns = root.tag[1:].split("}")[0] if root.tag.startswith("{") else W_MAIN
    tags = _Tags(ns if ns in (W_MAIN, W_STRICT) else W_MAIN)
    styles, default = _styles(styles_xml, tags) if styles_xml else ({}, None)
    body = root.find(tags.body)
    if body is None:
        raise ValueError("DOCX 正文结构异常（缺少 w:body）")
    ctx = _Ctx(tags, styles, default, Builder(doc), deadline)
    if numbering_xml:
        try:
            ctx.numbering = Numbering(xmlsafe.parse(numbering_xml), "{" + tags.ns + "}")
        except Exception:  # numbers are a nicety: a broken numbering part must not cost the text
            doc.meta["numbering_error"] = True
    hit: LimitHit | None = None
    try:
        _walk(body, ctx, toc=False)
    except LimitHit as h:
        hit = h
    # counted over the whole part, so a limit hit mid-walk still reports them
    changes = sum(1 for _ in root.iter(tags.ins, tags.dele, tags.moveFrom, tags.moveTo))
    ctx.builder.finish()
    for table, anchor in ctx.tables:
        path = heading_path_at(doc, anchor)
        if path:
            _set_heading(table, path)
        doc.tables.append(table)
    doc.meta["paragraphs"] = ctx.para
    if changes:
        doc.issues.append(ReadIssue("tracked-changes", {"count": changes}, ctx.changes_loc, ctx.change_evidence))
    if ctx.hidden:
        doc.issues.append(ReadIssue("hidden-text", {"count": ctx.hidden}, ctx.hidden_loc))
    if comments_xml:
        croot = xmlsafe.parse(comments_xml)
        comments = list(croot.iter(tags.comment))
        if comments:
            first = "".join(t.text or "" for t in comments[0].iter(tags.t)).strip()[:80] or None
            doc.issues.append(ReadIssue("comments", {"count": len(comments)}, ctx.comment_loc, first))
    if hit is not None:
        raise hit


def _set_heading(table: Table, path: tuple[str, ...]) -> None:
    table.loc = table.loc.with_heading(path)
    for row in table.rows:
        for cell in row:
            cell.loc = cell.loc.with_heading(path)


def _main_part(zf: zipfile.ZipFile, names: dict[str, str], budget: safezip.MemberBudget) -> str | None:
    if "word/document.xml" in names:
        return names["word/document.xml"]
    # a renamed main part: find it through [Content_Types].xml
    ct = names.get("[content_types].xml")
    if ct:
        # through the budget: zf.read would inflate a bomb whose header lies about its size
        m = re.search(rb'PartName="/([^"]+)"\s+ContentType="application/vnd\.openxmlformats-officedocument\.wordprocessingml\.document\.main\+xml"', budget.read(zf, zf.getinfo(ct))[:200000])
        if m and m.group(1).decode("utf-8", "replace").lower() in names:
            return names[m.group(1).decode("utf-8", "replace").lower()]
    return None


def _styles(data: bytes, tags: _Tags) -> tuple[dict[str, _Style], str | None]:
    root = xmlsafe.parse(data)
    out: dict[str, _Style] = {}
    default = None
    for st in root.iter(tags.style):
        if st.get(tags.type) not in (None, "paragraph"):
            continue
        sid = st.get(tags.styleId)
        if sid is None:
            continue
        name_el = st.find(tags.name)
        based = st.find(tags.basedOn)
        ppr = st.find(tags.pPr)
        outline = None
        if ppr is not None:
            ol = ppr.find(tags.outlineLvl)
            if ol is not None and (ol.get(tags.val) or "").isdigit():
                outline = int(ol.get(tags.val))
        num_id, num_lvl = _num_pr(ppr, tags) if ppr is not None else (None, None)
        out[sid] = _Style(
            (name_el.get(tags.val) or "") if name_el is not None else "",
            based.get(tags.val) if based is not None else None,
            outline,
            num_id,
            num_lvl,
        )
        if st.get("{" + tags.ns + "}default") in ("1", "true"):
            default = sid
    return out, default


def _num_pr(ppr: Any, t: _Tags) -> tuple[str | None, int | None]:
    npr = ppr.find(t.numPr)
    if npr is None:
        return None, None
    nid = npr.find(t.numId)
    lvl = npr.find(t.ilvl)
    num_id = nid.get(t.val) if nid is not None else None
    ilvl = lvl.get(t.val) if lvl is not None else None
    return num_id, (int(ilvl) if ilvl is not None and ilvl.isdigit() else None)


def _numbering_label(p: Any, ctx: _Ctx) -> str:
    """The automatic number Word draws before this paragraph (advancing the counters)."""
    if ctx.numbering is None:
        return ""
    t = ctx.tags
    ppr = p.find(t.pPr)
    num_id: str | None = None
    ilvl: int | None = None
    sid: str | None = None
    if ppr is not None:
        num_id, ilvl = _num_pr(ppr, t)
        ps = ppr.find(t.pStyle)
        sid = ps.get(t.val) if ps is not None else None
    if num_id is None:
        key = sid or ctx.default_style or ""
        if key not in ctx.style_num:
            ctx.style_num[key] = _style_numbering(ctx, key)
        found = ctx.style_num[key]
        if found is None:
            return ""
        num_id = found[0]
        if ilvl is None:
            ilvl = found[1]
    return ctx.numbering.label(num_id, ilvl or 0)


def _style_numbering(ctx: _Ctx, sid: str) -> tuple[str, int] | None:
    """(numId, ilvl) a paragraph style brings, inherited through basedOn."""
    assert ctx.numbering is not None
    cur: str | None = sid
    for _ in range(12):
        st = ctx.styles.get(cur) if cur else None
        if st is None:
            return None
        if st.num_id is not None:
            lvl = st.num_lvl if st.num_lvl is not None else ctx.numbering.style_level(st.num_id, cur)
            return st.num_id, lvl
        cur = st.based_on
    return None


def _style_level(ctx: _Ctx, sid: str | None) -> tuple[int | None, bool]:
    """(heading level or None, is a TOC style) for a paragraph style id, following basedOn."""
    if sid is None:
        sid = ctx.default_style
    if sid is None:
        return None, False
    cached = ctx.level_cache.get(sid)
    if cached is not None:
        return cached
    level: int | None = None
    toc = False
    cur: str | None = sid
    for _ in range(12):  # basedOn chains are short; a cycle must not hang us
        st = ctx.styles.get(cur) if cur else None
        if st is None:
            break
        name = st.name.strip()
        if _TOC_NAME.match(name):
            toc = True
            break
        m = _HEADING_NAME.match(name)
        if m:
            level = int(m.group(1))
            break
        if _TITLE_NAME.match(name):
            level = 1
            break
        if st.outline is not None:
            level = st.outline + 1 if st.outline < 9 else None
            break
        cur = st.based_on
    ctx.level_cache[sid] = (level, toc)
    return level, toc


def _walk(container: Any, ctx: _Ctx, toc: bool) -> None:
    t = ctx.tags
    for el in container:
        tag = el.tag
        if tag == t.p:
            _paragraph(el, ctx, toc)
        elif tag == t.tbl:
            _table(el, ctx)
        elif tag == t.sdt:
            gallery = el.find(f"{t.sdtPr}/{t.docPartGallery}")
            is_toc = toc or (gallery is not None and "contents" in (gallery.get(t.val) or "").lower())
            content = el.find(t.sdtContent)
            if content is not None:
                _walk(content, ctx, is_toc)
        elif tag in (t.customXml, t.ins, t.moveTo):
            _walk(el, ctx, toc)
        elif tag == t.alt:
            choice = el.find(t.choice)
            if choice is not None:
                _walk(choice, ctx, toc)


def _paragraph(p: Any, ctx: _Ctx, toc: bool, index: int | None = None, detect: bool = True) -> None:
    t = ctx.tags
    body = index is None
    if body:
        index = ctx.para
        ctx.para += 1
        if index % 500 == 0:
            ctx.deadline.check(f"第 {index + 1} 段")
    loc = Location(paragraph=index)
    text, boxes = _para_text(p, ctx, loc)
    label = _numbering_label(p, ctx)
    if label and text.strip():
        text = label + text.lstrip()
    level, toc_style = _para_level(p, ctx)
    if ctx.changes_loc is None and next(p.iter(t.ins, t.dele, t.moveFrom, t.moveTo), None) is not None:
        ctx.changes_loc = loc
        ctx.change_evidence = _change_text(p, t)
    if ctx.comment_loc is None and next(p.iter(t.commentRangeStart, t.commentReference), None) is not None:
        ctx.comment_loc = loc
    if text.strip():
        ctx.builder.add(text, loc, level=level, toc=toc or toc_style, detect=detect)
        ctx.last_text = text.strip()
    for box in boxes:  # text boxes anchored in this paragraph, located at it
        lines: list[str] = []
        _container_lines(box, ctx, loc, lines)
        for line in lines:
            ctx.builder.add(line, loc, detect=False)


def _para_level(p: Any, ctx: _Ctx) -> tuple[int | None, bool]:
    t = ctx.tags
    ppr = p.find(t.pPr)
    sid = None
    if ppr is not None:
        ps = ppr.find(t.pStyle)
        if ps is not None:
            sid = ps.get(t.val)
        ol = ppr.find(t.outlineLvl)
        if ol is not None and (ol.get(t.val) or "").isdigit():
            v = int(ol.get(t.val))
            return (v + 1 if v < 9 else None), False
    return _style_level(ctx, sid)


def _para_text(p: Any, ctx: _Ctx, loc: Location) -> tuple[str, list[Any]]:
    """Visible text of a paragraph, and the text-box contents anchored in it."""
    t = ctx.tags
    special = next(p.iter(t.txbxContent, t.vanish, t.alt, t.moveFrom), None)
    if special is None:  # fast path: C-level iteration over text-bearing elements
        return "".join(_piece(el, t) for el in p.iter(t.t, t.tab, t.br, t.cr, t.noBreakHyphen, t.ptab)), []
    parts: list[str] = []
    boxes: list[Any] = []
    _runs(p, ctx, parts, boxes, loc)
    return "".join(parts), boxes


def _runs(el: Any, ctx: _Ctx, parts: list[str], boxes: list[Any], loc: Location) -> None:
    t = ctx.tags
    for ch in el:
        tag = ch.tag
        if tag == t.r:
            rpr = ch.find(t.rPr)
            if rpr is not None:
                v = rpr.find(t.vanish)
                if v is not None and (v.get(t.val) or "true").lower() not in _FALSE:
                    if any((x.text or "").strip() for x in ch.iter(t.t)):
                        ctx.hidden += 1
                        if ctx.hidden_loc is None:
                            ctx.hidden_loc = loc
                    continue
            for x in ch:
                xt = x.tag
                if xt in (t.t, t.tab, t.br, t.cr, t.noBreakHyphen, t.ptab):
                    parts.append(_piece(x, t))
                elif xt in (t.drawing, t.pict, t.alt):
                    boxes.extend(_text_boxes(x, t))
        elif tag in ctx.tags.run_containers:
            _runs(ch, ctx, parts, boxes, loc)
        elif tag == t.sdt:
            content = ch.find(t.sdtContent)
            if content is not None:
                _runs(content, ctx, parts, boxes, loc)
        elif tag == t.alt:
            choice = ch.find(t.choice)
            if choice is not None:
                _runs(choice, ctx, parts, boxes, loc)
        # w:del / w:moveFrom: deleted text, left out


def _text_boxes(el: Any, t: _Tags) -> list[Any]:
    """txbxContent elements under a drawing, skipping mc:Fallback (a VML copy of the same box)."""
    out: list[Any] = []
    stack = [el]
    while stack:
        cur = stack.pop()
        for ch in cur:
            if ch.tag == t.fallback:
                continue
            if ch.tag == t.txbxContent:
                out.append(ch)
            else:
                stack.append(ch)
    return out


def _piece(el: Any, t: _Tags) -> str:
    tag = el.tag
    if tag == t.t:
        return el.text or ""
    if tag in (t.tab, t.ptab):
        return "\t"
    if tag == t.br:
        return "" if el.get("{" + t.ns + "}type") in ("page", "column") else "\n"
    if tag == t.cr:
        return "\n"
    if tag == t.noBreakHyphen:
        return "-"
    return ""


def _change_text(p: Any, t: _Tags) -> str | None:
    for ch in p.iter(t.ins, t.dele, t.moveFrom, t.moveTo):
        text = "".join((x.text or "") for x in ch.iter(t.t, t.delText)).strip()
        if text:
            return text[:80]
    return None


def _table(tbl: Any, ctx: _Ctx) -> None:
    t = ctx.tags
    index = ctx.para
    loc = Location(paragraph=index)
    grid = _table_grid(tbl, ctx, loc)
    if not grid:
        return
    width = max(len(r) for r in grid)
    number = len(ctx.tables) + 1  # tables are numbered in document order, as reviewers cite them
    rows = [
        [Cell(text, loc.with_cell(number, r + 1, c + 1), r, c) for c, text in enumerate(row + [""] * (width - len(row)))]
        for r, row in enumerate(grid)
    ]
    title = ctx.last_text if 0 < len(ctx.last_text) <= 60 else ""
    ctx.tables.append((Table(rows, loc, title), len(ctx.builder)))
    _ = t


def _rows(tbl: Any, t: _Tags) -> list[Any]:
    out = []
    for ch in tbl:
        if ch.tag == t.tr:
            out.append(ch)
        elif ch.tag in (t.sdt, t.customXml):
            content = ch.find(t.sdtContent) if ch.tag == t.sdt else ch
            if content is not None:
                out.extend(_rows(content, t))
    return out


def _cells(tr: Any, t: _Tags) -> list[Any]:
    out = []
    for ch in tr:
        if ch.tag == t.tc:
            out.append(ch)
        elif ch.tag in (t.sdt, t.customXml):
            content = ch.find(t.sdtContent) if ch.tag == t.sdt else ch
            if content is not None:
                out.extend(_cells(content, t))
    return out


def _int_val(el: Any, t: _Tags, default: int) -> int:
    if el is None:
        return default
    v = el.get(t.val) or ""
    return int(v) if v.isdigit() and 0 < int(v) < 1000 else default


def _table_grid(tbl: Any, ctx: _Ctx, loc: Location) -> list[list[str]]:
    """Cell texts on the table grid: a gridSpan copies its text across, a vMerge continuation down."""
    t = ctx.tags
    grid: list[list[str]] = []
    for tr in _rows(tbl, t):
        row: list[str] = []
        trpr = tr.find(t.trPr)
        before = _int_val(trpr.find(t.gridBefore), t, 0) if trpr is not None else 0
        row.extend([""] * before)
        for tc in _cells(tr, t):
            tcpr = tc.find(t.tcPr)
            span, vm = 1, None
            if tcpr is not None:
                span = _int_val(tcpr.find(t.gridSpan), t, 1)
                vme = tcpr.find(t.vMerge)
                if vme is not None:
                    vm = vme.get(t.val) or "continue"
            col = len(row)
            if vm == "continue" and grid and col < len(grid[-1]):
                text = grid[-1][col]
            else:
                text = _cell_text(tc, ctx, loc)
            row.extend([text] * span)
        grid.append(row)
    return grid


def _cell_text(tc: Any, ctx: _Ctx, loc: Location) -> str:
    lines: list[str] = []
    _container_lines(tc, ctx, loc, lines)
    return "\n".join(lines)


def _container_lines(el: Any, ctx: _Ctx, loc: Location, lines: list[str]) -> None:
    """Text of a cell's paragraphs, nested tables (a row per line) and text boxes, in order."""
    t = ctx.tags
    for ch in el:
        tag = ch.tag
        if tag == t.p:
            text, boxes = _para_text(ch, ctx, loc)
            label = _numbering_label(ch, ctx)
            if text.strip():
                lines.append((label + text.lstrip()).strip())
            for box in boxes:
                _container_lines(box, ctx, loc, lines)
        elif tag == t.tbl:
            for row in _table_grid(ch, ctx, loc):
                cells = [c for i, c in enumerate(row) if c and (i == 0 or c != row[i - 1])]
                if cells:
                    lines.append(" ".join(cells))
        elif tag == t.sdt:
            content = ch.find(t.sdtContent)
            if content is not None:
                _container_lines(content, ctx, loc, lines)
        elif tag in (t.customXml, t.ins, t.moveTo):
            _container_lines(ch, ctx, loc, lines)
