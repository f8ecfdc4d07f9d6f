"""XLSX (python-calamine for values) and CSV readers: one Table per sheet, a `cell` block per value.

calamine is ~10x faster than openpyxl but shows error cells (#REF!, #DIV/0!, ...) as empty, so the
sheet XML is searched for `t="e"` cells — a byte search first, parsed only when one is there. Merged
ranges come from calamine; a merged value is copied into every cell it covers (tables only: the cell
block is made once, at the merge's top-left cell).

Numbers read as the sheet shows them where it matters to a reader: calamine gives no number formats, so a
cell formatted as a percentage (`0%`, `0.00%`, a custom code with `%`) would read 0.35 where the sheet shows
35%. `xl/styles.xml` says which cell styles are percentages; only when a workbook has such a style are its
sheets searched for the cells that use it. Other formats (thousands separators, currency) keep the plain
number, which is what the checks parse.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from ..limits import Limits
from ..model import Block, Cell, Document, Location, ReadIssue, Table
from . import Deadline, LimitHit, safezip, xmlsafe

ERROR_VALUES = ("#REF!", "#DIV/0!", "#VALUE!", "#N/A", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA", "#SPILL!", "#CALC!")
_CELL_ERR = re.compile(rb"<(?:\w+:)?c\b([^>]*?)\bt=\"e\"([^>]*)>(.*?)</(?:\w+:)?c>", re.S)
_ATTR_R = re.compile(rb"\br=\"([A-Z]+[0-9]+)\"")
_V = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
# the row of every <row r="7"> and <c r="B7">: a <row> may omit r, its cells still place themselves
_ROW_OR_CELL_R = re.compile(rb"<(?:\w+:)?(?:row|c)\b[^>]*?\br=\"[A-Z]{0,3}(\d+)\"")
_WIDE_COL = re.compile(rb"\br=\"([A-Z]{2,3})\d")
_VALUE_CELL_COL = re.compile(rb"<(?:\w+:)?c\b[^>]*?\br=\"([A-Z]{1,3})\d+\"[^>]*?(?<!/)>")
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CELL_TAG = re.compile(rb"<(?:\w+:)?c\b([^>]*?)/?>")
_ATTR_S = re.compile(rb"\bs=\"(\d+)\"")
_ATTR_T = re.compile(rb"\bt=\"(\w+)\"")
# built-in number formats that are percentages: 9 = 0%, 10 = 0.00%
_BUILTIN_PERCENT = {9: 0, 10: 2}
# what a format code may hold that is not a placeholder: quoted text, \-escaped and _/* padded characters,
# [colour] / [condition] brackets
_FMT_LITERAL = re.compile(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]')


def col_letter(c: int) -> str:
    s = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        s = chr(65 + rem) + s
    return s


def cell_ref(r: int, c: int) -> str:
    return f"{col_letter(c)}{r + 1}"


def _ref_to_rc(ref: str) -> tuple[int, int]:
    m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    if not m:
        return -1, -1
    c = 0
    for ch in m.group(1):
        c = c * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, c - 1


def show(v: Any) -> str:
    """A value as the sheet shows it (as near as possible without number formats)."""
    if v is None or v == "":
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            return ""
        if v.is_integer() and abs(v) < 1e15:
            return str(int(v))
        return format(v, ".15g")  # Excel shows 15 significant digits: 0.1+0.2 -> 0.3
    if isinstance(v, int):
        return str(v)
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%d") if v.time() == dt.time() else v.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(v, dt.date):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, dt.time):
        return v.strftime("%H:%M:%S")
    if isinstance(v, dt.timedelta):
        return str(v)
    return str(v).replace("\x00", "").strip()


def read(doc: Document, data: bytes, limits: Limits, deadline: Deadline) -> None:
    import python_calamine as pc

    scan = precheck(data, limits)
    try:
        wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except pc.PasswordError:
        doc.issues.append(ReadIssue("encrypted", {}))
        doc.status, doc.reason = "unreadable", "工作簿已设置打开密码（加密），无法读取，请取消密码后重新提交"
        return
    hit: LimitHit | None = None
    budget = limits.max_cells
    try:
        sheets = [m for m in wb.sheets_metadata if str(m.typ).endswith("WorkSheet")]
        doc.meta["sheets"] = [m.name for m in sheets]
        hidden = [m.name for m in sheets if not str(m.visible).endswith(".Visible")]
        if hidden:
            doc.meta["hidden_sheets"] = hidden
        for m in sheets:
            deadline.check(f"工作表“{m.name}”")
            info = scan.get(m.name)
            if info is not None and info.extent > limits.max_cells * 10:  # same bound as _scan_sheet
                # calamine allocates the used range densely: two cells at A1 and XFD1048576 would
                # ask for 17 billion. Such a sheet is skipped, not read.
                hit = LimitHit("max_cells", limits.max_cells, f"工作表“{m.name}”的数据区域过大（{info.extent} 个单元格），未读取")
                continue
            sheet = wb.get_sheet_by_name(m.name)
            start = sheet.start or (0, 0)
            width = max(sheet.width, 1)
            nrows = budget // width
            rows = sheet.to_python(skip_empty_area=True, nrows=nrows) if nrows > 0 else []
            budget -= len(rows) * width
            merges = list(sheet.merged_cell_ranges or [])
            _add_sheet(doc, m.name, rows, start, merges, info.errors if info else {}, info.percent if info else None)
            if len(rows) < sheet.height:
                hit = LimitHit("max_cells", limits.max_cells, f"单元格数量超过上限 {limits.max_cells}，仅读取了部分内容")
                break
    finally:
        wb.close()
    if hit is not None:
        raise hit


def _add_sheet(
    doc: Document,
    name: str,
    rows: list[list[Any]],
    start: tuple[int, int],
    merges: list[tuple[tuple[int, int], tuple[int, int]]],
    errors: dict[str, str],
    percent: dict[str, int] | None = None,
) -> None:
    r0, c0 = start
    width = max((len(r) for r in rows), default=0)
    # error cells (calamine shows them empty) may lie outside the value area
    for ref in errors:
        r, c = _ref_to_rc(ref)
        if r >= 0:
            while r - r0 >= len(rows):
                rows.append([])
            width = max(width, c - c0 + 1)
    grid = [[v if type(v) is str else show(v) for v in row] + [""] * (width - len(row)) for row in rows]
    for ref, decimals in (percent or {}).items():
        r, c = _ref_to_rc(ref)
        r, c = r - r0, c - c0
        if 0 <= r < len(rows) and 0 <= c < len(rows[r]):
            v = rows[r][c]
            if isinstance(v, (int, float)) and not isinstance(v, bool) and v == v and abs(v) != float("inf"):
                grid[r][c] = show_percent(v, decimals)
    for ref, value in errors.items():
        r, c = _ref_to_rc(ref)
        if r - r0 >= 0 and c - c0 >= 0:
            grid[r - r0][c - c0] = value
    origin = [[True] * width for _ in grid]
    for (mr0, mc0), (mr1, mc1) in merges:
        src_r, src_c = mr0 - r0, mc0 - c0
        if not (0 <= src_r < len(grid) and 0 <= src_c < width):
            continue
        value = grid[src_r][src_c]
        for rr in range(max(mr0 - r0, 0), min(mr1 - r0 + 1, len(grid))):
            for cc in range(max(mc0 - c0, 0), min(mc1 - c0 + 1, width)):
                if (rr, cc) != (src_r, src_c):
                    grid[rr][cc] = value
                    origin[rr][cc] = False
    cells: list[list[Cell]] = []
    letters = [col_letter(c0 + c) for c in range(width)]
    blocks = doc.blocks
    for r, row in enumerate(grid):
        out_row = []
        num = str(r0 + r + 1)
        orow = origin[r]
        for c, text in enumerate(row):
            loc = Location(None, None, (), name, letters[c] + num)
            out_row.append(Cell(text, loc, r, c))
            if text and orow[c]:
                blocks.append(Block(text, loc, "cell", 0))
        cells.append(out_row)
    if cells:
        doc.tables.append(Table(cells, Location(sheet=name, cell=cell_ref(r0, c0)), name))
    for ref, value in errors.items():
        doc.issues.append(ReadIssue("formula-error", {"value": value}, Location(sheet=name, cell=ref), value))


@dataclass(slots=True)
class SheetScan:
    extent: int = 0  # cells in the used range (rows x columns holding a value)
    errors: dict[str, str] = field(default_factory=dict)  # cell ref -> error value shown
    percent: dict[str, int] = field(default_factory=dict)  # cell ref -> decimals of its percentage format


def percent_decimals(code: str) -> int | None:
    """Decimals shown by a number format code that is a percentage (`0.0%` -> 1), None when it is not
    one. Only the first section (positive numbers) counts; quoted text and escapes are not placeholders."""
    section = _FMT_LITERAL.sub("", code.split(";", 1)[0])
    if "%" not in section:
        return None
    digits = section.split("%", 1)[0]
    _, dot, frac = digits.partition(".")
    return sum(ch in "0#?" for ch in frac) if dot else 0


def percent_styles(styles_xml: bytes | None) -> dict[int, int]:
    """Cell style index (a cell's `s`) -> decimals, for the styles whose number format is a percentage."""
    if not styles_xml or b"cellXfs" not in styles_xml:
        return {}
    root = xmlsafe.parse(styles_xml)
    formats = dict(_BUILTIN_PERCENT)
    for el in root.iter():
        if el.tag.endswith("}numFmt") and el.get("numFmtId", "").isdigit():
            n = percent_decimals(el.get("formatCode") or "")
            if n is None:
                formats.pop(int(el.get("numFmtId")), None)  # a workbook may redefine a built-in id
            else:
                formats[int(el.get("numFmtId"))] = n
    out: dict[int, int] = {}
    for xfs in root.iter():
        if xfs.tag.endswith("}cellXfs"):
            for i, xf in enumerate(x for x in xfs if x.tag.endswith("}xf")):
                fid = xf.get("numFmtId", "0")
                if fid.isdigit() and int(fid) in formats:
                    out[i] = formats[int(fid)]
            break
    return out


def show_percent(v: float, decimals: int) -> str:
    """A number as a percentage format shows it: Excel's 15 significant digits, then halves rounded up."""
    x = decimal.Decimal(format(v * 100, ".15g"))
    q = x.quantize(decimal.Decimal(1).scaleb(-decimals), rounding=decimal.ROUND_HALF_UP)
    return f"{q:f}%"


def precheck(data: bytes, limits: Limits) -> dict[str, SheetScan]:
    """Zip guards on every part (streamed, so a lying header is caught too) and no DTD in any XML part;
    per sheet (by name) its used extent and error cells. Run before calamine opens the workbook — by this
    reader and by the duplicate catalog loader (duplicates/catalog.py), so both refuse the same files.

    Raises safezip.ZipBombError, safezip.EncryptedMemberError, xmlsafe.UnsafeXmlError, ValueError (not a
    zip), NotImplementedError (a member whose inflation cannot be capped)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ValueError("XLSX 文件已损坏（压缩结构不完整）") from exc
    with zf:
        reason = safezip.check_archive(zf, limits)
        if reason:
            raise safezip.ZipBombError(reason)
        budget = safezip.MemberBudget(limits)
        parts: dict[str, bytes] = {}
        scans: dict[str, SheetScan] = {}
        percent: dict[int, int] = {}
        # the styles first (zips usually store them after the sheets): the sheets' scan needs them
        for info in sorted(zf.infolist(), key=lambda i: i.filename.lower() != "xl/styles.xml"):
            if info.is_dir():
                continue
            content = budget.read(zf, info)
            low = info.filename.lower()
            if low.endswith((".xml", ".rels")):
                # calamine ignores a DTD in some parts and fails on others with "Cannot detect file
                # format": refuse every one alike, with the reason
                xmlsafe.check(content)
            if low in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
                parts[low] = content
            elif low == "xl/styles.xml":
                try:
                    percent = percent_styles(content)
                except Exception:  # styles calamine can live with: numbers just read unformatted
                    percent = {}
            elif low.startswith("xl/worksheets/") and low.endswith(".xml"):
                scans[low] = _scan_sheet(content, limits.max_cells * 10, percent)
    names = _sheet_part_names(parts)
    return {names[k]: v for k, v in scans.items() if k in names}


def _scan_sheet(content: bytes, max_extent: int, percent: dict[int, int] | None = None) -> SheetScan:
    scan = SheetScan()
    if percent and any(f's="{i}"'.encode() in content for i in percent):
        for m in _CELL_TAG.finditer(content):
            attrs = m.group(1)
            st, ref = _ATTR_S.search(attrs), _ATTR_R.search(attrs)
            if st and ref and int(st.group(1)) in percent:
                t = _ATTR_T.search(attrs)
                if t is None or t.group(1) == b"n":  # a number, not text or a formula's string
                    scan.percent[ref.group(1).decode()] = percent[int(st.group(1))]
    rows = [int(x) for x in _ROW_OR_CELL_R.findall(content)]
    if rows:
        # fast bound: columns past Z are the only ones with two or three letters
        wide = set(_WIDE_COL.findall(content))
        ncols = max((_col_num(c) for c in wide), default=26)
        scan.extent = (max(rows) - min(rows) + 1) * ncols
        if scan.extent > max_extent:
            # exact: only cells holding something count (formatting alone writes <c r=".." s=".."/>)
            cols = {x for x in _VALUE_CELL_COL.findall(content)}
            nums = [_col_num(c) for c in cols] or [1]
            scan.extent = (max(rows) - min(rows) + 1) * (max(nums) - min(nums) + 1)
    if b't="e"' in content:
        for m in _CELL_ERR.finditer(content):
            attrs = m.group(1) + m.group(2)
            ref = _ATTR_R.search(attrs)
            v = _V.search(m.group(3))
            if ref and v:
                value = v.group(1).decode("utf-8", "replace").strip()
                if value.startswith("#"):
                    scan.errors[ref.group(1).decode()] = value
    return scan


def _col_num(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _sheet_part_names(parts: dict[str, bytes]) -> dict[str, str]:
    """Lower-cased part path -> sheet name, through workbook.xml and its relationships."""
    wb, rels = parts.get("xl/workbook.xml"), parts.get("xl/_rels/workbook.xml.rels")
    if wb is None or rels is None:
        return {}
    targets: dict[str, str] = {}
    for el in xmlsafe.parse(rels).iter():
        if el.tag.endswith("Relationship") and el.get("Id") and el.get("Target"):
            target = el.get("Target")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            targets[el.get("Id")] = path.lower()
    out: dict[str, str] = {}
    for el in xmlsafe.parse(wb).iter():
        if el.tag.endswith("}sheet") and el.get("name"):
            rid = el.get(f"{{{_REL_NS}}}id") or el.get("{http://purl.oclc.org/ooxml/officeDocument/relationships}id")
            if rid in targets:
                out[targets[rid]] = el.get("name")
    return out


def read_csv(doc: Document, data: bytes, limits: Limits, deadline: Deadline) -> None:
    from .text import decode_into

    text = decode_into(doc, data)
    sample = text[:20000]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",\t;|，")
    except csv.Error:
        dialect = csv.excel
    rows: list[list[str]] = []
    budget = limits.max_cells
    hit = None
    # a cell may be as long as the file (the default limit, 128 KB, made a long description unreadable)
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    for i, row in enumerate(csv.reader(io.StringIO(text, newline=""), dialect)):
        budget -= len(row)
        if budget < 0:
            hit = LimitHit("max_cells", limits.max_cells, f"单元格数量超过上限 {limits.max_cells}，仅读取了部分内容")
            break
        if i % 5000 == 4999:
            try:
                deadline.check(f"第 {i + 1} 行")
            except LimitHit as h:
                hit = h
                break
        rows.append([c.strip() for c in row])
    name = posixpath.splitext(posixpath.basename(doc.path))[0] or "Sheet1"
    _add_sheet(doc, name, rows, (0, 0), [], {})
    if hit is not None:
        raise hit
