"""OFD reader (GB/T 33190-2016 版式文档): the text of every page, laid out as the PDF reader lays out PDFium's.

An OFD is a zip: OFD.xml -> DocBody/DocRoot -> Document.xml -> Pages/Page@BaseLoc -> each page's Content.xml,
whose Layers hold TextObjects (Boundary "x y w h" in mm, optional CTM, Size) with TextCode elements (X, Y,
DeltaX/DeltaY with the "g N v" repeat syntax, the text), also nested in PageBlocks and in CompositeObjects
(whose content lives in a resource file). Every glyph's origin is placed on the page (y pointing down),
glyphs become runs, runs on one baseline become a line, and the lines go through the PDF reader's own
running-header / page-number removal and paragraph assembly (`layout.drop_running_lines`, `layout.assemble`,
shared so both formats read alike). Ruled tables (PathObject grids) go through pdfplumber's
table finder as PDF tables do (`pdftables`). Templates (TemplatePage: running headers, 版头 artwork),
signatures, seals, annotations, invisible objects and slanted text (watermarks) are not read.

Every zip member goes through `safezip` (bomb guards, a budget over the whole archive) and every XML part
through `xmlsafe`. Paths (BaseLoc, DocRoot) are resolved inside the package only: a leading "/" is the
package root (as the standard says), a path that climbs out with "../" or names a drive or a URL is refused.
A page that cannot be read is skipped and reported; an OFD without any text (scanned images, or text
converted to outlines) is unreadable with the `ofd` issue.
"""

from __future__ import annotations

import io
import logging
import math
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field, replace
from typing import Any

from ..limits import Limits
from ..model import Cell, Document, Location, ReadIssue, Table
from . import Deadline, LimitHit, mark_partial, safezip, xmlsafe
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
    table_rows_from,
)

log = logging.getLogger(__name__)

MM = 72 / 25.4  # OFD measures in millimetres; the layout thresholds shared with the PDF reader are in points
A4 = (0.0, 0.0, 210.0, 297.0)
DEFAULT_SIZE = 3.7  # 五号 (10.5 pt), when a TextObject gives no Size
MAX_DOC_BODIES = 8  # documents in one package (real files have one)
MAX_OBJECTS = 200_000  # graphic objects walked on one page, composite expansions included
MAX_COMPOSITE_DEPTH = 8  # CompositeObject -> unit -> CompositeObject ...
MAX_CODE_GLYPHS = 4096  # a longer TextCode is taken as one run (no per-glyph geometry)
DEADLINE_EVERY = 2048  # objects between deadline checks
GLYPH_WORK = 32  # glyphs that count as much work as one object
SLANT = 0.18  # tan(10°): text turned further from an axis is decoration

_Aff = tuple[float, float, float, float, float, float]  # x' = a x + c y + e, y' = b x + d y + f
_IDENTITY: _Aff = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_URL_OR_DRIVE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_WIDE = re.compile(r"[\u1100-\u11ff\u2e80-\ua4cf\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]")


class OfdError(ValueError):
    """The package cannot be read; str() is a Chinese reason (shown as is by readers.__init__)."""


class _BadNumber(Exception):
    """A malformed or non-finite number in an object's geometry."""


@dataclass(slots=True)
class _Run:
    text: str
    x0: float  # page mm, from the PhysicalBox's left
    x1: float
    y: float  # baseline, page mm down from the PhysicalBox's top
    size: float  # font size on the page, mm
    spaced: tuple[bool, bool] = (False, False)  # a drawn space was trimmed before / after the text
    bold: bool = False  # the TextObject's Weight is bold (headings told apart by font: layout.font_headings)


@dataclass(slots=True)
class _Page:
    info: PageInfo
    runs: list[_Run] = field(default_factory=list)
    texts: list[tuple[Any, _Aff]] = field(default_factory=list)  # TextObjects, for table chars
    paths: list[tuple[Any, _Aff]] = field(default_factory=list)
    bad: int = 0  # text objects skipped for malformed numbers
    truncated: str = ""  # why only part of the page was read (object cap, composite cycle or depth)
    missing: int = 0  # composite objects whose unit is not in the resources


# --- package access --------------------------------------------------------------------------------------


def _local(tag: Any) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _child(el: Any, name: str) -> Any:
    for c in el:
        if _local(c.tag) == name:
            return c
    return None


def _children(el: Any, name: str) -> list[Any]:
    return [c for c in el if _local(c.tag) == name]


def _text_of(el: Any) -> str:
    return (el.text or "").strip() if el is not None else ""


def resolve(base_dir: str, loc: str | None) -> str:
    """A package path from a reference in a part under `base_dir`; OfdError when it leaves the package."""
    raw = (loc or "").strip()
    if not raw:
        raise OfdError("OFD 文件内部引用的路径为空，文件结构不完整")
    s = raw.replace("\\", "/")
    if "\x00" in s or _URL_OR_DRIVE.match(s):
        raise OfdError(f"OFD 文件内部路径“{raw[:80]}”指向文件包以外，出于安全原因拒绝读取")
    joined = s.lstrip("/") if s.startswith("/") else posixpath.join(base_dir, s)
    norm = posixpath.normpath(joined) if joined else "."
    if norm in (".", "..") or norm.startswith("../"):
        raise OfdError(f"OFD 文件内部路径“{raw[:80]}”指向文件包以外，出于安全原因拒绝读取")
    return norm


class _Package:
    def __init__(self, zf: zipfile.ZipFile, limits: Limits) -> None:
        self.zf = zf
        self.budget = safezip.MemberBudget(limits)
        self.members: dict[str, zipfile.ZipInfo] = {}
        self.folded: dict[str, str] = {}
        for info in zf.infolist():
            if info.is_dir():
                continue
            name = safezip.safe_name(safezip.decode_name(info))
            if name.unsafe or not name.relpath:
                continue  # a member named out of the package can never be the target of a resolved path
            self.members.setdefault(name.relpath, info)
            self.folded.setdefault(name.relpath.lower(), name.relpath)
    def has(self, path: str) -> bool:
        return path in self.members or path.lower() in self.folded

    def locate(self, base: str, loc: str | None) -> str:
        """`resolve`, falling back to the package root for writers that give a relative path from there
        ("Doc_0/Pages/Page_0/Content.xml" in Doc_0/Document.xml)."""
        path = resolve(base, loc)
        if base and not self.has(path):
            root = resolve("", loc)
            if self.has(root):
                return root
        return path

    def xml(self, path: str, what: str) -> Any:
        """The parsed part at `path` (`what` names it for the user); OfdError when missing or broken."""
        info = self.members.get(path) or self.members.get(self.folded.get(path.lower(), ""))
        if info is None:
            raise OfdError(f"OFD 文件缺少{what}（{path}），文件不完整")
        try:
            data = self.budget.read(self.zf, info)
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:  # a bad CRC, a truncated stream
            raise OfdError(f"OFD 文件的{what}（{path}）已损坏，无法解压") from exc
        return _parse(data, f"{what}（{path}）")


def _parse(data: bytes, what: str) -> Any:
    from lxml import etree

    try:
        return xmlsafe.parse(data)
    except xmlsafe.UnsafeXmlError:
        raise
    except etree.XMLSyntaxError as exc:
        raise OfdError(f"OFD 文件的{what}不是有效的 XML，文件已损坏") from exc


# --- numbers ----------------------------------------------------------------------------------------------


def _num(s: str | None, default: float | None = None) -> float:
    if s is None or not s.strip():
        if default is None:
            raise _BadNumber(s)
        return default
    try:
        v = float(s)
    except ValueError:
        raise _BadNumber(s) from None
    if not math.isfinite(v) or abs(v) > 1e7:
        raise _BadNumber(s)
    return v


def _nums(s: str | None, n: int, default: tuple[float, ...] | None) -> tuple[float, ...]:
    if s is None or not s.strip():
        if default is None:
            raise _BadNumber(s)
        return default
    parts = s.split()
    if len(parts) != n:
        raise _BadNumber(s)
    return tuple(_num(p) for p in parts)


def deltas(s: str | None, need: int) -> list[float] | None:
    """An ST_Array of offsets, "g N v" meaning N times v (as 数科/福昕 write it); at most `need` values are
    expanded, so "g 1000000000 5" costs nothing. None when absent; _BadNumber when malformed."""
    if s is None or not s.strip():
        return None
    toks = s.split()
    out: list[float] = []
    i = 0
    while i < len(toks) and len(out) < need:
        t = toks[i]
        if t == "g":
            if i + 2 >= len(toks):
                raise _BadNumber(s)
            if not toks[i + 1].isdigit():
                raise _BadNumber(s)
            v = _num(toks[i + 2])
            out.extend([v] * min(int(toks[i + 1]), need - len(out)))
            i += 3
        else:
            out.append(_num(t))
            i += 1
    return out


def _then(m: _Aff, n: _Aff) -> _Aff:
    """Apply m, then n."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n  # noqa: N806
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _placement(el: Any, outer: _Aff) -> _Aff:
    """Object space -> page: the CTM, then the Boundary's origin, then whatever encloses the object.
    A missing Boundary (some invoice writers omit it) is the origin."""
    x, y, _w, _h = _nums(el.get("Boundary"), 4, (0.0, 0.0, 0.0, 0.0))
    ctm = _nums(el.get("CTM"), 6, _IDENTITY)
    return _then(_then(ctm, (1.0, 0.0, 0.0, 1.0, x, y)), outer)  # type: ignore[arg-type]


def _visible(el: Any) -> bool:
    return (el.get("Visible") or "true").strip().lower() not in ("false", "0")


def _wide(ch: str) -> bool:
    return bool(_WIDE.match(ch))


# --- reading ----------------------------------------------------------------------------------------------


def read(doc: Document, data: bytes, limits: Limits, deadline: Deadline) -> None:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise OfdError("OFD 文件已损坏（压缩结构不完整）") from exc
    with zf:
        reason = safezip.check_archive(zf, limits)
        if reason:
            raise safezip.ZipBombError(reason)
        pkg = _Package(zf, limits)
        try:
            _read(doc, pkg, limits, deadline)
        except safezip.EncryptedMemberError:
            doc.issues.append(ReadIssue("encrypted", {}))
            doc.status, doc.reason = "unreadable", "OFD 文件已加密，无法读取，请取消加密后重新提交"


_PageRef = tuple[str, str | None, tuple[float, ...]]


def _page_list(doc: Document, pkg: _Package) -> tuple[list[_PageRef], list[str]]:
    """Every page of every document in the package, (document folder, BaseLoc, default box), and the
    documents' resource files. BaseLocs are resolved only for the pages read (max_pages)."""
    root = pkg.xml("OFD.xml", "入口文件 OFD.xml") if pkg.has("OFD.xml") else None
    if root is None:
        raise OfdError("OFD 文件缺少入口文件 OFD.xml")
    if _local(root.tag) != "OFD":
        raise OfdError("OFD 文件的入口文件 OFD.xml 结构异常（根元素不是 OFD）")
    if root.get("Version"):
        doc.meta["ofd_version"] = root.get("Version")[:20]
    roots: list[str] = []
    for body in _children(root, "DocBody")[:MAX_DOC_BODIES]:
        loc = _text_of(_child(body, "DocRoot"))
        if loc:
            path = resolve("", loc)
            if path not in roots:
                roots.append(path)
    if not roots:
        raise OfdError("OFD 文件的 OFD.xml 中没有文档入口（DocRoot），文件不完整")
    pages: list[_PageRef] = []
    res: list[str] = []
    for path in roots:
        droot = pkg.xml(path, "文档主体 Document.xml")
        if _local(droot.tag) != "Document":
            raise OfdError(f"OFD 文件的文档主体（{path}）结构异常（根元素不是 Document）")
        base = posixpath.dirname(path)
        common = _child(droot, "CommonData")
        box = A4
        if common is not None:
            box = _box_of(_child(common, "PageArea")) or A4
        holder = _child(droot, "Pages")
        if holder is not None:
            pages.extend((base, page.get("BaseLoc"), box) for page in _children(holder, "Page"))
        res.extend(_res_paths(pkg, common, base))
    return pages, res


def _res_paths(pkg: _Package, common: Any, base: str) -> list[str]:
    out = []
    if common is None:
        return out
    for name in ("PublicRes", "DocumentRes"):
        for el in _children(common, name):
            try:
                out.append(pkg.locate(base, el.text))
            except OfdError:
                continue  # resources are only needed for composite objects: an unsafe one is ignored
    return out


def _box_of(area: Any) -> tuple[float, ...] | None:
    if area is None:
        return None
    try:
        box = _nums(_text_of(_child(area, "PhysicalBox")), 4, None)
    except _BadNumber:
        return None
    return box if box[2] > 1 and box[3] > 1 else None


def _read(doc: Document, pkg: _Package, limits: Limits, deadline: Deadline) -> None:
    page_list, res_paths = _page_list(doc, pkg)
    units = _Units(pkg, res_paths)
    n = len(page_list)
    doc.pages = n
    hit: LimitHit | None = None
    pages: list[_Page] = []
    failed: dict[int, str] = {}
    done: dict[str, _Page] = {}  # pages drawing the same content part are read once
    for i, (base, loc, box) in enumerate(page_list):
        if i >= limits.max_pages:
            hit = LimitHit("max_pages", limits.max_pages, f"OFD 共 {n} 页，超过上限 {limits.max_pages} 页，仅读取了前 {limits.max_pages} 页")
            break
        try:
            deadline.check(f"第 {i + 1} 页")
            path = pkg.locate(base, loc)
            if path in done:
                pages.append(_again(done[path], i + 1))
                continue
            page = _read_page(pkg, path, box, i + 1, units, deadline)
            done[path] = page
            pages.append(page)
        except LimitHit as h:
            hit = h
            break
        except (safezip.ZipBombError, safezip.EncryptedMemberError, xmlsafe.UnsafeXmlError, MemoryError):
            raise  # the whole package is suspect, not one page
        except OfdError as exc:  # one damaged page must not cost the others
            failed[i + 1] = str(exc)
        except Exception:  # not foreseen: still only this page
            log.debug("OFD page %d failed", i + 1, exc_info=True)
            failed[i + 1] = "页面内容已损坏"
    if failed and not pages:
        raise OfdError(next(iter(failed.values())))
    infos = [p.info for p in pages]
    garbled = set(garbled_pages(infos))
    for p in infos:
        if p.number in garbled:
            p.lines, p.tables = [], []
    drop_running_lines(infos)
    assemble(doc, infos)
    _issues(doc, pages, garbled)
    if failed:
        first = next(iter(failed.values()))
        doc.issues.append(ReadIssue("unreadable", {"reason": f"第 {ranges(list(failed))} 页无法读取（{first}），已跳过；请重新导出后提交"}))
        mark_partial(doc, f"第 {ranges(list(failed))} 页无法读取")
    bad = [p for p in pages if p.bad]
    if bad:
        count = sum(p.bad for p in bad)
        where = ranges([p.info.number for p in bad])
        doc.issues.append(ReadIssue("unreadable", {"reason": f"第 {where} 页有 {count} 个文字对象的坐标或字号数值无效，其文字未读取；请重新导出后提交"}))
        mark_partial(doc, f"第 {where} 页有文字对象数值无效，未读取")
    cut = [p for p in pages if p.truncated]
    if cut:
        where = ranges([p.info.number for p in cut])
        doc.issues.append(ReadIssue("unreadable", {"reason": f"第 {where} 页{cut[0].truncated}，只读取了部分内容"}))
        mark_partial(doc, f"第 {where} 页只读取了部分内容")
    if any(p.missing for p in pages):  # a unit missing from the resources: nothing to read, nothing to report
        doc.meta["ofd_composites_missing"] = sum(p.missing for p in pages)
    if hit is not None:
        raise hit


def _again(page: _Page, number: int) -> _Page:
    """A page whose content part was already read for another page."""
    old = page.info
    info = PageInfo(number, old.width, old.height)
    info.lines = [replace(ln, page=number) for ln in old.lines]
    info.chars, info.paths, info.segments, info.image_area, info.bad_chars = old.chars, old.paths, old.segments, old.image_area, old.bad_chars
    for table, bbox in old.tables:
        loc = Location(page=number)
        rows = [[Cell(c.text, replace(c.loc, page=number), c.row, c.col) for c in row] for row in table.rows]
        info.tables.append((Table(rows, loc, table.title), bbox))
    return _Page(info, bad=page.bad, truncated=page.truncated, missing=page.missing)


class _Units:
    """CompositeGraphicUnits of the document's resource files, loaded on first use."""

    def __init__(self, pkg: _Package, paths: list[str]) -> None:
        self.pkg = pkg
        self.paths = paths
        self.units: dict[str, Any] | None = None

    def get(self, rid: str | None) -> Any:
        if self.units is None:
            self.units = {}
            for path in self.paths:
                try:
                    root = self.pkg.xml(path, "资源文件")
                except OfdError:
                    continue  # a missing resource file costs only its composite objects
                for holder in _children(root, "CompositeGraphicUnits"):
                    for unit in _children(holder, "CompositeGraphicUnit"):
                        if unit.get("ID"):
                            self.units.setdefault(unit.get("ID"), unit)
        return self.units.get((rid or "").strip())


def _read_page(pkg: _Package, path: str, box: tuple[float, ...], number: int, units: _Units, deadline: Deadline) -> _Page:
    root = pkg.xml(path, "页面内容")
    if _local(root.tag) != "Page":
        raise OfdError("页面内容结构异常（根元素不是 Page）")
    bx, by, bw, bh = _box_of(_child(root, "Area")) or box
    info = PageInfo(number, bw * MM, bh * MM)
    page = _Page(info)
    origin: _Aff = (1.0, 0.0, 0.0, 1.0, -bx, -by)  # positions relative to the PhysicalBox
    content = _child(root, "Content")
    stack: list[tuple[Any, _Aff, tuple[str, ...]]] = []
    for layer in reversed(_children(content, "Layer") if content is not None else []):
        stack.extend((el, origin, ()) for el in reversed(layer))
    work = 0  # objects, and glyphs / GLYPH_WORK
    next_check = DEADLINE_EVERY
    while stack:
        el, outer, chain = stack.pop()
        work += 1
        if work > MAX_OBJECTS:
            page.truncated = f"图形对象超过 {MAX_OBJECTS} 个"
            break
        if work >= next_check:
            deadline.check(f"第 {number} 页")
            next_check = work + DEADLINE_EVERY
        name = _local(el.tag)
        if name == "PageBlock":
            stack.extend((c, outer, chain) for c in reversed(el))
        elif not _visible(el):
            continue
        elif name == "TextObject":
            try:
                work += _text_object(el, outer, page) // GLYPH_WORK
            except _BadNumber:
                page.bad += 1
        elif name == "PathObject":
            info.paths += 1
            page.paths.append((el, outer))
        elif name == "ImageObject":
            _image(el, outer, info, bw * bh)
        elif name == "CompositeObject":
            rid = (el.get("ResourceID") or "").strip()
            unit = units.get(rid)
            if unit is None:
                page.missing += 1
                continue
            if rid in chain or len(chain) >= MAX_COMPOSITE_DEPTH:
                page.truncated = page.truncated or "组合对象循环引用或嵌套过深"
                continue
            try:
                inner = _placement(el, outer)
            except _BadNumber:
                continue
            body = _child(unit, "Content")
            if body is not None:
                stack.extend((c, inner, (*chain, rid)) for c in reversed(body))
    _lines(page)
    _tables(page, deadline)
    page.runs, page.texts, page.paths = [], [], []  # let the page's XML tree go
    return page


def _image(el: Any, outer: _Aff, info: PageInfo, page_area: float) -> None:
    try:
        _x, _y, w, h = _nums(el.get("Boundary"), 4, None)
    except _BadNumber:
        return
    a, b, c, d, _e, _f = outer
    scale = abs(a * d - b * c)
    if page_area > 0:
        info.image_area = min(1.0, info.image_area + max(0.0, w) * max(0.0, h) * scale / page_area)


# --- text -------------------------------------------------------------------------------------------------


_Glyph = tuple[str, float, float, float]  # char, x, y (page mm, origin on the baseline), its width along x


@dataclass(slots=True)
class _Code:
    glyphs: list[_Glyph]
    size: float  # on the page, mm
    horizontal: bool  # the reading direction runs along the page's x axis
    sign: float  # +1 when reading runs to the right, -1 to the left


def _glyphs(el: Any, outer: _Aff) -> list[_Code]:
    """The glyphs of each TextCode of a TextObject, placed on the page.

    Glyph origins are X/Y plus the running sum of DeltaX/DeltaY in object space, mapped through the CTM
    and the Boundary; a missing delta advances by the glyph's nominal width along the reading direction.
    A TextCode without X or Y takes the previous TextCode's, as the standard says.
    """
    m = _placement(el, outer)
    size = _num(el.get("Size"), DEFAULT_SIZE)
    if size <= 0:
        raise _BadNumber(el.get("Size"))
    a, b, c, d, e, f = m
    scale = math.sqrt(abs(a * d - b * c)) or 1.0
    page_size = size * scale
    rd = (el.get("ReadDirection") or "0").strip()
    ux, uy = {"90": (0.0, 1.0), "180": (-1.0, 0.0), "270": (0.0, -1.0)}.get(rd, (1.0, 0.0))
    along_x, along_y = a * ux + c * uy, b * ux + d * uy
    if min(abs(along_x), abs(along_y)) > SLANT * max(abs(along_x), abs(along_y)):
        return []  # slanted text (a watermark across the page, a seal's ring) is not body text
    horizontal = abs(along_x) >= abs(along_y)
    sign = 1.0 if along_x >= 0 else -1.0
    out: list[_Code] = []
    last_x = last_y = 0.0
    for code in el:
        if _local(code.tag) != "TextCode":
            continue
        text = code.text or ""
        if "\n" in text or "\t" in text:
            text = text.strip()  # pretty-printed XML, not drawn characters
        x = _num(code.get("X"), last_x)
        y = _num(code.get("Y"), last_y)
        last_x, last_y = x, y
        if not text:
            continue
        if len(text) > MAX_CODE_GLYPHS:
            out.append(_Code([(text, a * x + c * y + e, b * x + d * y + f, page_size)], page_size, False, sign))
            continue
        need = len(text) - 1
        dxs = deltas(code.get("DeltaX"), need)
        dys = deltas(code.get("DeltaY"), need)
        glyphs: list[_Glyph] = []
        for i, ch in enumerate(text):
            nominal = size if _wide(ch) else size * 0.5
            if i < need and (dxs is not None or dys is not None):
                sx = dxs[i] if dxs is not None and i < len(dxs) else nominal * ux
                sy = dys[i] if dys is not None and i < len(dys) else nominal * uy
            else:
                sx, sy = nominal * ux, nominal * uy
            glyphs.append((ch, a * x + c * y + e, b * x + d * y + f, nominal * scale))
            x += sx
            y += sy
        out.append(_Code(glyphs, page_size, horizontal, sign))
    return out


def _text_object(el: Any, outer: _Aff, page: _Page) -> int:
    """Runs of the object's text on the page; the number of glyphs placed."""
    codes = _glyphs(el, outer)
    if codes:
        page.texts.append((el, outer))
    first_run = len(page.runs)
    for code in codes:
        glyphs, size = code.glyphs, code.size
        if not code.horizontal:
            # vertical writing (or an over-long code): one run, in reading order, at its first glyph
            t = "".join(g[0] for g in glyphs).strip()
            if t:
                xs = [g[1] for g in glyphs]
                page.runs.append(_Run(t, min(xs), max(xs) + size, glyphs[0][2], size))
            continue
        run: list[_Glyph] = []
        for g in glyphs:
            if run:
                p = run[-1]
                step = (g[1] - p[1]) * code.sign
                if (
                    abs(g[2] - p[2]) > 0.5 * size  # DeltaY moved to another line
                    or step < -0.3 * size  # jumped back to start another line
                    or step > p[3] + 1.0 * size  # a gap wider than a character: another column
                ):
                    _add_run(page, run, size)
                    run = []
            run.append(g)
        _add_run(page, run, size)
    if _weight(el.get("Weight")) >= 600:  # CT_Text Weight, 400 normal, 700 bold
        for r in page.runs[first_run:]:
            r.bold = True
    return sum(len(g[0]) for code in codes for g in code.glyphs)


def _weight(s: str | None) -> float:
    try:
        return _num(s, 400)
    except _BadNumber:  # a malformed weight costs only the weight, not the text
        return 400


def _add_run(page: _Page, glyphs: list[_Glyph], size: float) -> None:
    i, j = 0, len(glyphs)
    while i < j and glyphs[i][0].isspace():
        i += 1
    while j > i and glyphs[j - 1][0].isspace():
        j -= 1
    if i >= j:
        return
    kept = glyphs[i:j]
    x0 = min(g[1] for g in kept)
    x1 = max(g[1] + g[3] for g in kept)
    page.runs.append(_Run("".join(g[0] for g in kept), x0, x1, kept[0][2], size, (i > 0, j < len(glyphs))))


def _ascii(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "%./-_:")


def _lines(page: _Page) -> None:
    """Runs on one baseline (within a third of the font size) make a line, read left to right."""
    info = page.info
    runs = sorted(page.runs, key=lambda r: (r.y, r.x0))
    groups: list[list[_Run]] = []
    line_y = line_size = 0.0
    for r in runs:
        if groups and abs(r.y - line_y) <= 0.35 * max(r.size, line_size):
            groups[-1].append(r)
            line_size = max(line_size, r.size)
        else:
            groups.append([r])
            line_y, line_size = r.y, r.size
    for group in groups:
        group.sort(key=lambda r: r.x0)
        parts: list[str] = []
        prev: _Run | None = None
        right = group[0].x1
        for r in group:
            if prev is not None:
                if r.text == prev.text and abs(r.x0 - prev.x0) < 0.5 * r.size:
                    continue  # the same text drawn twice, slightly offset: faux bold
                gap = r.x0 - right
                a, b = parts[-1][-1], r.text[0]
                limit = 0.2 if _ascii(a) and _ascii(b) else 0.6 if _wide(a) and _wide(b) else 1.0
                drawn = (prev.spaced[1] or r.spaced[0]) and gap > -0.2 * r.size  # a space glyph at a font change
                if drawn or gap > limit * max(r.size, prev.size):
                    parts.append(" ")
            parts.append(r.text)
            prev = r
            right = max(right, r.x1)
        text = "".join(parts).strip()
        if not text:
            continue
        x0 = group[0].x0
        info.chars += sum(1 for ch in text if not ch.isspace())
        info.bad_chars += len(BAD_CHARS.findall(text))
        # the size and weight most of the line's characters have (for headings told apart by font)
        size = max(group, key=lambda r: len(r.text)).size
        bold = sum(len(r.text) for r in group if r.bold) * 2 > sum(len(r.text) for r in group)
        info.lines.append(
            Line(text, info.number, x0 * MM, right * MM, info.height - group[0].y * MM, info.width, size * MM, bold)
        )


# --- tables -----------------------------------------------------------------------------------------------


def _tables(page: _Page, deadline: Deadline) -> None:
    """Ruled tables of a page that draws enough paths, through pdfplumber's table finder."""
    info = page.info
    if info.paths < TABLE_MIN_PATHS or not info.chars or not page.texts:
        return
    deadline.check(f"第 {info.number} 页的表格")
    try:
        edges = _edges(page)
        if not edges or grid_size(edges) > TABLE_MAX_GRID:
            return  # no rules, or a dense grid (a drawing, or crafted): its text stays as paragraphs
        from . import pdftables

        chars = _chars(page)
        for t in pdftables.find(edges, chars, info.width, info.height):
            add_table(info, t, table_rows_from(t, pdftables.cell_texts(t, chars)))
    except Exception:  # odd geometry: keep the text, lose the tables
        log.debug("OFD tables failed on page %d", info.number, exc_info=True)
        info.tables = []


def _edges(page: _Page) -> list[dict]:
    out: list[dict] = []
    budget = TABLE_MAX_SEGMENTS
    h = page.info.height
    for el, outer in page.paths:
        try:
            m = _placement(el, outer)
            subpaths = _path_points(_text_of(_child(el, "AbbreviatedData")))
        except _BadNumber:
            continue
        a, b, c, d, e, f = m
        for pts, closed in subpaths:
            budget -= len(pts)
            if budget < 0:
                return []  # more is a vector drawing, not a table
            mapped = [((a * x + c * y + e) * MM, (b * x + d * y + f) * MM) for x, y in pts]
            if closed and mapped and mapped[-1] != mapped[0]:
                mapped.append(mapped[0])
            for (x0, y0), (x1, y1) in zip(mapped, mapped[1:], strict=False):
                if abs(x0 - x1) < 0.01:
                    orientation = "v"
                elif abs(y0 - y1) < 0.01:
                    orientation = "h"
                else:
                    continue  # a slanted segment bounds no cell
                left, right = min(x0, x1), max(x0, x1)
                top, bottom = min(y0, y1), max(y0, y1)  # OFD's y already points down, as pdfplumber's top
                if top < -1 or bottom > h + 1:
                    continue
                out.append({
                    "object_type": "curve_edge", "orientation": orientation,
                    "x0": left, "x1": right, "top": top, "bottom": bottom, "doctop": top,
                    "width": right - left, "height": bottom - top,
                })  # fmt: skip
    return out


_PATH_ARGS = {"S": 2, "M": 2, "L": 2, "Q": 4, "B": 6, "A": 7, "C": 0}


def _path_points(data: str) -> list[tuple[list[tuple[float, float]], bool]]:
    """AbbreviatedData ("M 0 0 L 10 0 B ... C") as subpaths of points; curves keep only their end point."""
    toks = data.split()
    subpaths: list[tuple[list[tuple[float, float]], bool]] = []
    pts: list[tuple[float, float]] = []
    i = 0
    while i < len(toks):
        op = toks[i]
        n = _PATH_ARGS.get(op)
        if n is None:
            raise _BadNumber(op)
        args = [_num(t) for t in toks[i + 1 : i + 1 + n]]
        if len(args) != n:
            raise _BadNumber(data[:40])
        i += 1 + n
        if op == "C":
            if pts:
                subpaths.append((pts, True))
                pts = [pts[0]]
            continue
        end = (args[-2], args[-1])
        if op in ("M", "S"):
            if len(pts) > 1:
                subpaths.append((pts, False))
            pts = [end]
        else:
            pts.append(end)
    if len(pts) > 1:
        subpaths.append((pts, False))
    return subpaths


def _chars(page: _Page) -> list[dict]:
    """pdfplumber-style chars (points, top measured down) of every glyph of the page's text objects."""
    out: list[dict] = []
    for el, outer in page.texts:
        try:
            codes = _glyphs(el, outer)
        except _BadNumber:
            continue
        for code in codes:
            size = code.size
            for ch, x, y, adv in code.glyphs:
                if len(ch) != 1:
                    continue
                top, bottom = (y - 0.88 * size) * MM, (y + 0.12 * size) * MM
                out.append({
                    "text": ch, "x0": x * MM, "x1": (x + adv) * MM, "top": top, "bottom": bottom, "doctop": top,
                    "height": bottom - top, "width": adv * MM, "upright": True, "inferred": False,
                })  # fmt: skip
    return out


# --- issues -----------------------------------------------------------------------------------------------


def _issues(doc: Document, pages: list[_Page], garbled: set[int]) -> None:
    infos = [p.info for p in pages]
    if not infos:
        return
    text_pages = [p for p in infos if p.chars and p.number not in garbled]
    drawn = any(p.image_area > 0 or p.paths > 0 for p in infos)
    if not any(p.chars for p in infos):
        if drawn:  # pages with images or outlines and not one character: a scan, or text turned to curves
            scans = any(p.image_area >= SCAN_MIN_IMAGE_AREA for p in infos)
            what = "页面为扫描图像" if scans else "文字已转为曲线或图形"
            doc.issues.append(ReadIssue("ofd", {}))
            doc.status = "unreadable"
            doc.reason = f"OFD 文件中没有可读取的文字（{what}），无法检查内容（请提供可复制文字的 OFD、PDF 或 Word 版本）"
        return
    scanned = [p.number for p in infos if p.chars < SCAN_MAX_CHARS and p.image_area >= SCAN_MIN_IMAGE_AREA]
    if scanned:
        doc.issues.append(ReadIssue("scanned-pages", {"pages": ranges(scanned), "count": len(scanned)}, _loc(scanned[0])))
        mark_partial(doc, f"第 {ranges(scanned)} 页为扫描图像，没有文字")
    if garbled:
        nums = sorted(garbled)
        doc.issues.append(ReadIssue("garbled-text", {"pages": ranges(nums), "count": len(nums)}, _loc(nums[0])))
        if not text_pages:
            doc.status = "unreadable"
            doc.reason = "OFD 文件的文字无法正确识别（乱码，多为字体私有编码），无法检查内容（请从原文件重新导出）"
        else:
            mark_partial(doc, f"第 {ranges(nums)} 页的文字无法正确识别（乱码），未检查其内容")


def _loc(page: int) -> Location:
    return Location(page=page)
