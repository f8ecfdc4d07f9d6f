"""The catalog of existing systems (已建政务信息系统目录): .xlsx/.xls, .csv (UTF-8 / GBK, BOM), .json.

Columns are found by their header text, whatever their order or the rows above the header. A catalog
that cannot be used raises `CatalogError` (a `ConfigError`: the CLI prints it and exits 2).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import attrgetter
from pathlib import Path
from typing import Any

from ..config import ConfigError

MAX_CATALOG_BYTES = 200 * 1024 * 1024
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

def load_catalog(path: Path | str) -> Catalog:
    """Read and validate a catalog file. Raises CatalogError with a Chinese message."""
    p = Path(path)
    shown = str(path)
    if not p.exists():
        raise CatalogError(f"找不到系统目录文件：{shown}")
    if not p.is_file():
        raise CatalogError(f"系统目录应为文件，而 {shown} 是一个文件夹")
    try:
        size = p.stat().st_size
        if size > MAX_CATALOG_BYTES:
            raise CatalogError(f"系统目录 {shown} 过大（{size // (1024 * 1024)} MB），上限 200 MB")
        data = p.read_bytes()  # read once; the user's file is never opened for writing
    except OSError as e:
        raise CatalogError(f"无法读取系统目录 {shown}：{e.strerror or e}") from e
    return parse_catalog(data, shown)


def parse_catalog(data: bytes, shown: str) -> Catalog:
    if not data.strip():
        raise CatalogError(f"系统目录 {shown} 是空文件")
    ext = Path(shown).suffix.lower()
    if data[:2] == b"PK" and ext not in (".xlsx", ".xlsm"):
        ext = ".xlsx"  # an Excel file saved with another extension
    if ext in (".xlsx", ".xlsm", ".xls", ".et"):
        sheets = _read_workbook(data, shown)
        fmt = "xlsx" if ext != ".xls" else "xls"
    elif ext in (".csv", ".txt", ".tsv", ""):
        sheets = [(None, _read_csv(data, shown))]
        fmt = "csv"
    elif ext == ".json":
        return _from_json(data, shown)
    else:
        raise CatalogError(f"不支持的系统目录格式“{ext}”（{shown}）：请提供 .xlsx、.csv 或 .json 文件")
    return _from_rows(sheets, shown, fmt, hashlib.sha256(data).hexdigest())


# ---------------------------------------------------------------- readers


def _read_workbook(data: bytes, shown: str) -> list[tuple[str | None, list[list[str]]]]:
    try:
        from python_calamine import CalamineWorkbook

        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        out = []
        for name in wb.sheet_names:
            rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            out.append((name, [[_cell_text(v) for v in r] for r in rows]))
        return out
    except ImportError:
        pass
    except Exception as e:  # calamine raises its own types for corrupt files
        raise CatalogError(f"无法读取系统目录 {shown}：文件已损坏或不是 Excel 工作簿（{type(e).__name__}）") from e
    try:
        import openpyxl

        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        out = [(ws.title, [[_cell_text(v) for v in r] for r in ws.iter_rows(values_only=True)]) for ws in wb]
        wb.close()
        return out
    except Exception as e:
        raise CatalogError(f"无法读取系统目录 {shown}：文件已损坏或不是 Excel 工作簿（{type(e).__name__}）") from e


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


def _read_csv(data: bytes, shown: str) -> list[list[str]]:
    text = decode_text(data, shown)
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    delims = {d: first.count(d) for d in (",", "\t", ";", "|", "，")}
    delim = max(delims, key=lambda d: delims[d]) if any(delims.values()) else ","
    try:
        # cells are not stripped here: every value's whitespace is normalised once, in _from_rows
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delim))
    except csv.Error as e:
        raise CatalogError(f"系统目录 {shown} 不是有效的 CSV：{e}") from e


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
    sheets: list[tuple[str | None, list[list[str]]]], shown: str, fmt: str, sha: str
) -> Catalog:
    seen_headers: list[str] = []
    for sheet, rows in sheets:
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
                        row=ri + 1,
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
    if not any(any(c.strip() for c in r) for _, rows in sheets for r in rows):
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


def _from_json(data: bytes, shown: str) -> Catalog:
    text = decode_text(data, shown)
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        raise CatalogError(f"系统目录 {shown} 不是有效的 JSON（第 {e.lineno} 行：{e.msg}）") from e
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
