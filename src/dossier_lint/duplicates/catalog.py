"""The catalog of existing systems (已建政务信息系统目录): .xlsx, .csv (UTF-8 / GBK, BOM, UTF-16), .json.

Columns are found by their header text, whatever their order or the rows above the header. A catalog
that cannot be used raises `CatalogError` (a `ConfigError`: the CLI prints it and exits 2): a zip bomb,
DTD, oversized sheet, damaged or encrypted workbook, a legacy .xls/.et (saved as .xlsx it is read), an
undecodable text file. It is read under the run's limits (config [limits]) like any package document:
its size is checked before it is read, and a workbook passes readers/xlsx's guards (`xlsx.precheck`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import attrgetter
from pathlib import Path
from typing import Any

from ..config import ConfigError
from ..limits import MB, Limits
from ..readers.sniff import LEGACY_FORMATS, sniff

HEADER_SCAN_ROWS = 20

# field -> header synonyms, most specific first. Exact matches beat containment; longer beats shorter.
HEADERS: dict[str, tuple[str, ...]] = {
    "name": (
        "系统名称", "信息系统名称", "政务信息系统名称", "应用系统名称", "系统(平台)名称", "平台名称",
        "系统全称", "系统名", "名称",
    ),
    "department": (
        "所属部门", "建设单位", "主管部门", "使用部门", "所属单位", "责任单位", "建设部门", "管理单位",
        "部门名称", "单位名称", "部门", "单位",
    ),
    "functions": (
        "主要功能", "建设内容", "系统简介", "功能描述", "系统功能", "功能简介", "主要内容", "系统描述",
        "功能说明", "简介", "功能", "描述", "说明",
    ),
    "year": ("建设年份", "建成年份", "建设年度", "上线时间", "建成时间", "上线年份", "建设时间", "年份", "年度"),
    "status": ("运行状态", "使用状态", "系统状态", "状态"),
    "location": ("部署位置", "部署地点", "部署方式", "部署环境", "部署"),
    "code": ("系统编号", "系统编码", "系统代码", "目录编号", "编号", "编码", "代码", "序号"),
    "common": ("是否统建", "统建通用", "是否统建通用", "是否统建通用系统", "统建通用系统", "统建", "建设方式", "系统类型"),
}
FIELD_LABELS = {
    "name": "系统名称",
    "department": "所属部门/建设单位",
    "functions": "主要功能/建设内容/系统简介",
    "year": "建设年份",
    "status": "运行状态",
    "location": "部署位置",
    "code": "系统编号",
    "common": "是否统建",
}
_BRACKETS = re.compile(r"[（(\[【][^）)\]】]*[）)\]】]")
_HEADER_JUNK = re.compile(r"[\s*＊:：※]+")
_TRUE = re.compile(r"^(是|y|yes|true|1|√|✓|✔|统建|通用|统建通用.*)$", re.I)
_NEG = re.compile(r"非|否|不是|自建")
# characters NFKC maps onto CJK unified ideographs (radicals, enclosed and compatibility ideographs)
_FOLDS_TO_CJK = re.compile(
    "[\u2e80-\u2fdf\u3038-\u303a\u3190-\u319f\u3200-\u33ff\uf900-\ufaff\U0001f200-\U0001f2ff"
    "\U0002f800-\U0002fa1f]"
)
_ROW_FIELDS = ("name", "department", "functions", "year", "status", "location", "code", "common")


class CatalogError(ConfigError):
    """The catalog cannot be used; the message (Chinese) names the file and what is wrong."""


@dataclass(slots=True)  # not frozen: frozen dataclasses are slow to build 100k of
class CatalogSystem:
    index: int  # position in Catalog.systems
    row: int  # spreadsheet / CSV row number (header row counted), or JSON item number, 1-based
    name: str
    department: str = ""
    functions: str = ""
    year: str = ""
    status: str = ""
    location: str = ""
    code: str = ""
    common: bool = False  # 统建通用系统
    sheet: str | None = None
    json_item: bool = False  # row counts JSON items, not lines

    @property
    def ref(self) -> str:
        """Where a human finds the row: “Sheet1”第 12 行 / 第 12 行 / 第 12 条."""
        if self.sheet is not None:
            return f"“{self.sheet}”第 {self.row} 行"
        return f"第 {self.row} 条" if self.json_item else f"第 {self.row} 行"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "row": self.row}
        if self.sheet is not None:
            out["sheet"] = self.sheet
        for k in ("department", "code", "year", "status", "location"):
            v = getattr(self, k)
            if v:
                out[k] = v
        if self.common:
            out["common"] = True
        return out


@dataclass(slots=True)
class Catalog:
    path: str
    sha256: str
    systems: list[CatalogSystem] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # field -> header as written
    format: str = ""

    # Pickled (in the index cache) as one tuple per system rather than 100k objects with their slot
    # names: ≈ 7× faster to write, 2× faster to read.
    def __getstate__(self) -> tuple[Any, ...]:
        rows = list(map(_PACKED_GET, self.systems))
        return (self.path, self.sha256, self.columns, self.format, rows)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        self.path, self.sha256, self.columns, self.format, rows = state
        self.systems = [CatalogSystem(i, *r) for i, r in enumerate(rows)]


_PACKED = ("row", "name", "department", "functions", "year", "status", "location", "code", "common", "sheet",
           "json_item")  # CatalogSystem's fields after `index`, in order
_PACKED_GET = attrgetter(*_PACKED)

def load_catalog(path: Path | str, limits: Limits | None = None) -> Catalog:
    """Read and validate a catalog file. Raises CatalogError with a Chinese message."""
    limits = limits or Limits()
    return parse_catalog(read_catalog(path, limits), str(path), limits)


def read_catalog(path: Path | str, limits: Limits | None = None) -> bytes:
    """The catalog file's bytes, read once, for the callers that parse or hash it (load_catalog, the index).

    Everything that can be told without reading comes first: the path exists, is a regular file (a fifo
    or a device is never opened: reading it could block forever), and its size on disk (stat) is within
    `limits.max_file_bytes` — a 2 GB file is refused before a byte of it is in memory. A file that grows
    after the stat is read no further than the limit and refused all the same."""
    limits = limits or Limits()
    p = Path(path)
    shown = str(path)
    if not p.exists():
        raise CatalogError(f"找不到系统目录文件：{shown}")
    if p.is_dir():
        raise CatalogError(f"系统目录应为文件，而 {shown} 是一个文件夹")
    if not p.is_file():
        raise CatalogError(f"系统目录 {shown} 不是普通文件")
    cap = limits.max_file_bytes
    try:
        size = p.stat().st_size
        if size > cap:
            raise CatalogError(_too_large(shown, size, cap))
        with p.open("rb") as fh:  # read only; the user's file is never opened for writing
            data = fh.read(cap + 1)
    except OSError as e:
        raise CatalogError(f"无法读取系统目录 {shown}：{e.strerror or e}") from e
    if len(data) > cap:
        raise CatalogError(_too_large(shown, len(data), cap, grew=True))
    return data


def _too_large(shown: str, size: int, cap: int, grew: bool = False) -> str:
    got, limit = _amount(size), _amount(cap)
    if got == limit:  # 3.2 KB over 3.2 KB says nothing: in bytes
        got, limit = f"{size} 字节", f"{cap} 字节"
    return (
        f"系统目录 {shown} 过大（{'超过 ' + limit if grew else got}），上限 {limit}；"
        "请删去无关的工作表、行或列后再试，或在配置 [limits] 中调高 max_file_bytes"
    )


def _amount(n: int) -> str:
    """A byte count as people read it: 2048 MB, 1.5 MB, 200 KB, 100 字节."""
    for unit, size in (("MB", MB), ("KB", 1024)):
        if n >= size:
            return f"{n / size:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} 字节"


def parse_catalog(data: bytes, shown: str, limits: Limits | None = None) -> Catalog:
    """A catalog from its bytes. A workbook goes through the guards package documents get (readers/safezip,
    readers/xmlsafe, the used-range and cell limits of `limits`, default `Limits()`)."""
    limits = limits or Limits()
    if not data.strip():
        raise CatalogError(f"系统目录 {shown} 是空文件")
    if len(data) > limits.max_file_bytes:
        raise CatalogError(_too_large(shown, len(data), limits.max_file_bytes))
    ext = Path(shown).suffix.lower()
    fmt = sniff(shown, data)  # the bytes decide, the extension is only a hint
    if fmt == "xlsx":
        return _from_rows(_read_workbook(data, shown, limits), shown, "xlsx", hashlib.sha256(data).hexdigest())
    _refuse_binary(fmt, ext, shown)
    if ext in (".csv", ".txt", ".tsv", ""):
        sheets = [(None, _read_csv(data, shown, limits), 0)]
        return _from_rows(sheets, shown, "csv", hashlib.sha256(data).hexdigest())
    if ext == ".json":
        return _from_json(data, shown, limits)
    raise CatalogError(f"不支持的系统目录格式“{ext}”（{shown}）：请提供 .xlsx、.csv 或 .json 文件")


_SAVE_AS = "请用 Excel 或 WPS 打开后另存为 .xlsx（或 UTF-8 / GBK 编码的 .csv）再试"
_WORKBOOK_EXTS = (".xlsx", ".xlsm", ".xls", ".et")
_OTHER_FORMATS = {
    "docx": "Word 文档", "pptx": "PowerPoint 演示文稿", "pdf": "PDF 文件", "ofd": "OFD 版式文件",
    "zip": "ZIP 压缩包", "rar": "RAR 压缩包", "7z": "7z 压缩包", "gz": "gzip 压缩文件", "rtf": "RTF 文档",
}


def _refuse_binary(fmt: str, ext: str, shown: str) -> None:
    """Raise for anything that is not a readable workbook yet is no text either (or claims to be a workbook)."""
    if fmt == "encrypted-ooxml":
        raise CatalogError(f"无法读取系统目录 {shown}：工作簿已设置打开密码（加密）；请取消密码后重新保存再试")
    if fmt in LEGACY_FORMATS:
        name, target = LEGACY_FORMATS[fmt]
        raise CatalogError(
            f"无法读取系统目录 {shown}：{name}为旧格式，不能直接读取；请用 Excel 或 WPS 另存为 {target}"
            "（或 UTF-8 / GBK 编码的 .csv）再试"
        )
    if fmt == "bad-zip":
        raise CatalogError(f"无法读取系统目录 {shown}：文件已损坏（压缩结构不完整或被截断），不是有效的 Excel 工作簿；{_SAVE_AS}")
    if fmt in _OTHER_FORMATS:
        raise CatalogError(f"系统目录 {shown} 是 {_OTHER_FORMATS[fmt]}，不是 Excel 工作簿、CSV 或 JSON 文件")
    if ext in _WORKBOOK_EXTS:
        raise CatalogError(f"无法读取系统目录 {shown}：文件已损坏或不是 Excel 工作簿；{_SAVE_AS}")


# ---------------------------------------------------------------- readers


def _read_workbook(data: bytes, shown: str, limits: Limits) -> list[tuple[str | None, list[list[str]], int]]:
    """(sheet, rows, first row's index) per worksheet, read by python-calamine behind readers/xlsx's guards."""
    import python_calamine as pc

    from ..readers import safezip, xmlsafe
    from ..readers.xlsx import precheck

    broken = f"无法读取系统目录 {shown}：文件已损坏或不是 Excel 工作簿"
    try:
        # every part inflated with a cap (a bomb or a lying size is stopped), no DTD, each sheet's extent
        scans = precheck(data, limits)
    except safezip.ZipBombError as e:
        raise CatalogError(f"无法读取系统目录 {shown}：疑似压缩炸弹，已拒绝读取（{e}）；{_SAVE_AS}") from e
    except safezip.EncryptedMemberError as e:
        raise CatalogError(f"无法读取系统目录 {shown}：工作簿已设置打开密码（加密）；请取消密码后重新保存再试") from e
    except xmlsafe.UnsafeXmlError as e:
        raise CatalogError(f"无法读取系统目录 {shown}：{e}；{_SAVE_AS}") from e
    except NotImplementedError as e:  # a bzip2 / LZMA member: its inflation could not be capped
        raise CatalogError(f"无法读取系统目录 {shown}：{e}") from e
    except Exception as e:  # zipfile / zlib / lxml on a damaged file
        raise CatalogError(f"{broken}（{_detail(e)}）；{_SAVE_AS}") from e
    deadline = time.monotonic() + limits.max_seconds
    budget = limits.max_cells
    out: list[tuple[str | None, list[list[str]], int]] = []
    try:
        wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except pc.PasswordError as e:
        raise CatalogError(f"无法读取系统目录 {shown}：工作簿已设置打开密码（加密）；请取消密码后重新保存再试") from e
    except Exception as e:  # calamine raises its own types for damaged files
        raise CatalogError(f"{broken}（{_detail(e)}）；{_SAVE_AS}") from e
    try:
        for meta in wb.sheets_metadata:
            if not str(meta.typ).endswith("WorkSheet"):
                continue  # chart and macro sheets hold no rows
            name = meta.name
            info = scans.get(name)
            # calamine allocates the used range densely (A1 and XFD1048576: 17 billion cells): checked
            # from the XML before the sheet is opened, with the bound readers/xlsx uses
            if info is not None and info.extent > limits.max_cells * 10:
                raise CatalogError(_too_many(shown, name, info.extent, limits))
            sheet = wb.get_sheet_by_name(name)
            cells = sheet.height * sheet.width
            if cells > budget:
                raise CatalogError(_too_many(shown, name, cells, limits))
            budget -= cells
            rows = sheet.to_python(skip_empty_area=True)
            first = sheet.start[0] if sheet.start else 0
            out.append((name, [[_cell_text(v) for v in r] for r in rows], first))
            if time.monotonic() > deadline:
                raise CatalogError(f"读取系统目录 {shown} 超过时间上限 {limits.max_seconds:g} 秒")
    except CatalogError:
        raise
    except Exception as e:
        raise CatalogError(f"{broken}（{_detail(e)}）；{_SAVE_AS}") from e
    finally:
        wb.close()
    return out


def _too_many(shown: str, sheet: str, cells: int, limits: Limits) -> str:
    return (
        f"系统目录 {shown} 的工作表“{sheet}”数据区域过大（{cells} 个单元格），超过上限 {limits.max_cells}；"
        "请删去无关的工作表、行或列后再试"
    )


def _detail(e: BaseException) -> str:
    msg = str(e).strip().splitlines()[0][:120] if str(e).strip() else ""
    return f"{type(e).__name__}：{msg}" if msg else type(e).__name__


def _cell_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d") if (v.hour, v.minute, v.second) == (0, 0, 0) else v.isoformat(" ")
    if isinstance(v, date):
        return v.isoformat()
    return str(v).strip()


def decode_text(data: bytes, shown: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GBK/GB18030; anything else is refused."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
        raise CatalogError(
            f"无法识别系统目录 {shown} 的文字编码：看起来是二进制文件或无 BOM 的 UTF-16；请另存为 UTF-8 或 GBK 编码的 CSV"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as e:
        raise CatalogError(
            f"无法识别系统目录 {shown} 的文字编码（已尝试 UTF-8、GBK/GB18030，第 {e.start} 字节处出错）；"
            "请另存为 UTF-8 或 GBK 编码的 CSV"
        ) from e


def _read_csv(data: bytes, shown: str, limits: Limits) -> list[list[str]]:
    text = decode_text(data, shown)
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    delims = {d: first.count(d) for d in (",", "\t", ";", "|", "，")}
    delim = max(delims, key=lambda d: delims[d]) if any(delims.values()) else ","
    # a description may be as long as the file (the default field limit, 128 KB, would refuse it)
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    too_many = (f"系统目录 {shown} 的单元格过多（超过上限 {limits.max_cells}）；请删去无关的行或列后再试")
    # A file of commas or of blank lines is millions of cells: refused, not held in memory. csv yields a
    # row only once it is whole, so one line must not hold more cells than the whole budget either.
    if text.count(delim) + text.count("\n") > limits.max_cells and any(
        line.count(delim) > limits.max_cells for line in text.splitlines()
    ):
        raise CatalogError(too_many)
    rows: list[list[str]] = []
    budget = limits.max_cells
    try:
        # cells are not stripped here: every value's whitespace is normalised once, in _from_rows
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delim):
            budget -= max(len(row), 1)  # a blank line is a row too
            if budget < 0:
                raise CatalogError(too_many)
            rows.append(row)
    except csv.Error as e:
        raise CatalogError(f"系统目录 {shown} 不是有效的 CSV（第 {len(rows) + 1} 行：{e}）") from e
    return rows


# ---------------------------------------------------------------- columns


def _norm_header(h: str) -> str:
    h = unicodedata.normalize("NFKC", h or "")
    h = _HEADER_JUNK.sub("", h)
    stripped = _BRACKETS.sub("", h)
    return (stripped or h).lower()


def detect_columns(header: list[str]) -> dict[str, int]:
    """field -> column index, by header synonyms. Each column serves one field at most."""
    scored: list[tuple[int, int, str, int]] = []  # (-score, -len(syn), field, col)
    for col, raw in enumerate(header):
        h = _norm_header(raw)
        if not h:
            continue
        for fld, syns in HEADERS.items():
            for rank, syn in enumerate(syns):
                s = syn.lower()
                if h == s:
                    scored.append((-(3000 - rank), -len(s), fld, col))
                elif len(h) <= 16 and s in h and len(s) >= 2:
                    scored.append((-(2000 - rank), -len(s), fld, col))
    scored.sort()
    out: dict[str, int] = {}
    used: set[int] = set()
    for _, _, fld, col in scored:
        if fld not in out and col not in used:
            out[fld] = col
            used.add(col)
    return out


def _from_rows(
    sheets: list[tuple[str | None, list[list[str]], int]], shown: str, fmt: str, sha: str
) -> Catalog:
    """`sheets`: (sheet name or None, rows, index of the first row in the sheet)."""
    seen_headers: list[str] = []
    for sheet, rows, first_row in sheets:
        for hi, row in enumerate(rows[:HEADER_SCAN_ROWS]):
            cols = detect_columns(row)
            if "name" not in cols or len(cols) < 2 and not _is_name_only(row, cols):
                if any(c.strip() for c in row) and not seen_headers:
                    seen_headers = [c.strip() for c in row if c.strip()][:12]
                continue
            cat = Catalog(path=shown, sha256=sha, format=fmt,
                          columns={f: row[c].strip() for f, c in cols.items()})
            header_norm = _norm_header(row[cols["name"]])
            # A repeated header row's name cell holds the header's CJK characters (or characters NFKC
            # folds into CJK ones): only such cells need the costly normalisation.
            need = [ch for ch in header_norm if "\u4e00" <= ch <= "\u9fff"]
            sheet_v = sheet if len(sheets) > 1 or fmt != "csv" else None
            where = [cols.get(f) for f in _ROW_FIELDS]
            pool: dict[str, str] = {}  # one object per repeated value (department, year, ...): less memory, smaller cache
            share = pool.setdefault
            truthy: dict[str, bool] = {}
            systems = cat.systems
            for ri in range(hi + 1, len(rows)):
                r = rows[ri]
                nr = len(r)
                name, dept, funcs, year, status, loc, code, common = [
                    " ".join(r[c].split()) if c is not None and c < nr else "" for c in where
                ]
                if not name or (
                    (all(ch in name for ch in need) or _FOLDS_TO_CJK.search(name))
                    and _norm_header(name) == header_norm
                ):
                    continue  # blank or a repeated header row
                t = truthy.get(common)
                if t is None:
                    t = truthy[common] = _truthy(common)
                systems.append(
                    CatalogSystem(
                        index=len(systems),
                        row=first_row + ri + 1,
                        name=name,
                        department=share(dept, dept),
                        functions=funcs,
                        year=share(year, year),
                        status=share(status, status),
                        location=share(loc, loc),
                        code=code,
                        common=t,
                        sheet=sheet_v,
                    )
                )
            if not cat.systems:
                raise CatalogError(f"系统目录 {shown} 只有表头，没有任何系统记录")
            return cat
    if not any(any(c.strip() for c in r) for _, rows, _ in sheets for r in rows):
        raise CatalogError(f"系统目录 {shown} 没有任何内容")
    got = "、".join(seen_headers) if seen_headers else "（无）"
    raise CatalogError(
        f"系统目录 {shown} 中找不到“系统名称”列（表头应含 系统名称/信息系统名称/名称 之一）；读到的表头：{got}"
    )


def _is_name_only(row: list[str], cols: dict[str, int]) -> bool:
    # A one-column list of names is a usable (if poor) catalog.
    return sum(1 for c in row if c.strip()) == 1


def _truthy(v: str) -> bool:
    v = unicodedata.normalize("NFKC", v).strip()
    if not v:
        return False
    if _TRUE.match(v):
        return True
    return ("统建" in v or "通用" in v) and not _NEG.search(v)


def _from_json(data: bytes, shown: str, limits: Limits) -> Catalog:
    text = decode_text(data, shown)
    # every value is an object in memory: "[{},{},…]" of 200 MB would take gigabytes. Counted before parsing.
    values = text.count(",") + text.count("{") + text.count("[")
    if values > limits.max_cells * 2:
        raise CatalogError(f"系统目录 {shown} 的记录或字段过多（约 {values} 个值），超过上限；请拆分或删去无关字段后再试")
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        raise CatalogError(f"系统目录 {shown} 不是有效的 JSON（第 {e.lineno} 行：{e.msg}）") from e
    except RecursionError as e:
        raise CatalogError(f"系统目录 {shown} 不是可用的 JSON：嵌套层数过深") from e
    items: Any = obj
    if isinstance(obj, dict):
        for key in ("systems", "items", "data", "records", "系统", "目录"):
            if isinstance(obj.get(key), list):
                items = obj[key]
                break
    if not isinstance(items, list) or not all(isinstance(x, dict) for x in items):
        raise CatalogError(f"系统目录 {shown}：JSON 应为对象数组（或含 systems 数组的对象），每个对象是一个系统")
    if not items:
        raise CatalogError(f"系统目录 {shown} 没有任何系统记录")
    keys: list[str] = []
    for it in items:
        for k in it:
            if k not in keys:
                keys.append(str(k))
    cols = detect_columns(keys)
    if "name" not in cols:
        raise CatalogError(
            f"系统目录 {shown} 中找不到“系统名称”字段（应含 系统名称/名称 之一）；读到的字段：{'、'.join(keys[:12])}"
        )
    fieldkey = {f: keys[c] for f, c in cols.items()}
    cat = Catalog(path=shown, sha256=hashlib.sha256(data).hexdigest(), format="json", columns=fieldkey)
    for i, it in enumerate(items, start=1):
        def g(f: str, it: dict = it) -> str:
            k = fieldkey.get(f)
            v = it.get(k) if k is not None else None
            if isinstance(v, bool):
                return "是" if v else "否"
            if isinstance(v, list):
                return "、".join(_cell_text(x) for x in v)
            return " ".join(_cell_text(v).split())

        name = g("name")
        if not name:
            continue
        cat.systems.append(
            CatalogSystem(
                index=len(cat.systems), row=i, name=name, department=g("department"), functions=g("functions"),
                year=g("year"), status=g("status"), location=g("location"), code=g("code"),
                common=_truthy(g("common")), json_item=True,
            )
        )
    if not cat.systems:
        raise CatalogError(f"系统目录 {shown} 中所有记录的系统名称都为空")
    return cat
