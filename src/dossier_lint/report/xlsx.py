"""The Nanchong reviewer's workbook (南信办〔2023〕2号 第八条 and its two forms), drafted by the tool.

- Sheet 1 "集中审查清单表": one row per package, the form's columns filled from the extracted facts, the
  findings summarised as the draft 初审意见.
- One "备案审查表" sheet per package: the form's fields, each department's 初审意见 pre-filled with the
  findings in its remit (第六条: 网信办 网络安全, 密码管理局 密码, 公安局 等级保护, 市政府办公室 必要性 / 政务云 /
  信息资源目录 / 应用系统实施方案, 财政局 绩效目标 / 投资额度 / 运维经费 / 经费渠道 / 实施方式), then the
  findings in full.
- "问题明细": every finding of the round, one a row, with filters.

Everything is set up to print: A4, widths, wrap, borders, repeated title rows, page numbers.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from datetime import datetime
from decimal import Decimal
from typing import Any

from ..model import Diagnostic
from .common import CATEGORY_ZH, SEV_ZH, STATUS_ZH, basis_text, kind_zh, location_zh

LIST_TITLE = "南充市市级政务信息化项目集中审查清单表"
FORM_TITLE = "南充市市级政务信息化项目备案审查表"
LIST_SHEET = "集中审查清单表"
DETAIL_SHEET = "问题明细"
DRAFT_NOTE = "（dossier-lint 工具初筛草稿，供初审人员核对后使用）"
LIST_HEADERS = (
    ("序号", 6),
    ("项目单位", 16),
    ("项目名称", 22),
    ("建设内容", 36),
    ("投资额度（万元）", 11),
    ("运维经费（万元）", 11),
    ("经费渠道", 12),
    ("自行建设/购买服务", 10),
    ("新建/续建", 8),
    ("项目周期", 12),
    ("初审意见", 46),
)
FONT = "宋体"
MAX_OPINION_ITEMS = 8

# 第六条: who reviews what. First matching department wins; the rest goes to 市政府办公室.
DEPARTMENTS = ("市委网信办", "市密码管理局", "市公安局", "市政府办公室", "市财政局")
_ROUTES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("市密码管理局", re.compile(r"密码|商用密码|crypto|39786", re.I)),
    ("市公安局", re.compile(r"等级保护|等保|分级保护|定级|备案证明|protection", re.I)),
    ("市委网信办", re.compile(r"网络安全|安全建设方案|网信|network.security|security", re.I)),
    ("市财政局", re.compile(r"投资|经费|资金|预算|概算|估算|绩效|实施方式|购买服务|funding|budget|money", re.I)),
)
_DOC_ROUTES = {
    "crypto_plan": "市密码管理局",
    "protection_plan": "市公安局",
    "network_security_plan": "市委网信办",
    "budget_sheet": "市财政局",
    "funding_proof": "市财政局",
}


def department(d: Diagnostic, kind_of: dict[str, str]) -> str:
    """The reviewing department whose 初审意见 a finding belongs to."""
    if d.category == "funding":
        return "市财政局"
    text = " ".join(str(x) for x in (d.name, d.key, d.message))
    for dept, pat in _ROUTES:
        if pat.search(text):
            return dept
    by_doc = _DOC_ROUTES.get(kind_of.get(d.file or "", ""))
    if by_doc:
        return by_doc
    return "市政府办公室"


# --- formatting helpers ---------------------------------------------------------------------------------


def _width(text: str) -> int:
    """Display width in Excel column units: CJK and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _lines(text: str, col_width: float) -> int:
    usable = max(1.0, col_width - 1)
    return sum(max(1, math.ceil(_width(part) / usable)) for part in (text or "").split("\n"))


def _fit_row(ws: Any, row: int, widths: dict[int, float], line_pt: float = 14.0) -> None:
    """Row height for wrapped text (openpyxl writes no automatic heights; Excel would print one line)."""
    from openpyxl.cell import MergedCell

    need = 1
    for cell in ws[row]:
        if isinstance(cell, MergedCell) or cell.value is None:
            continue
        width = widths.get(cell.column, 10.0)
        for rng in ws.merged_cells.ranges:
            if rng.min_row == row == rng.max_row and rng.min_col == cell.column:
                width = sum(widths.get(c, 10.0) for c in range(rng.min_col, rng.max_col + 1))
                break
        need = max(need, _lines(str(cell.value), width))
    ws.row_dimensions[row].height = min(409.0, max(20.0, need * line_pt + 6))


def _money(value: Any) -> Any:
    """万元 amounts as numbers, so the sheet can sum them."""
    return float(value) if isinstance(value, Decimal) else value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _clip(text: str, limit: int) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _sheet_title(index: int, name: str, taken: set[str]) -> str:
    clean = re.sub(r"[\[\]:*?/\\']", "", name).strip() or "申报包"
    base = f"{index:02d} {clean}"[:31]
    title, n = base, 2
    while title.lower() in taken:
        suffix = f"~{n}"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(title.lower())
    return title


def _finding_line(d: Diagnostic, with_file: bool = True) -> str:
    text = d.message
    if with_file and d.file:
        place = location_zh(d.loc)
        text += f"（{d.file}{'，' + place if place else ''}）"
    basis = basis_text(d)
    if basis:
        text += f"〔{basis}〕"
    return text


def opinion(diags: list[Diagnostic], limit: int = MAX_OPINION_ITEMS) -> str:
    """The draft 初审意见: counts, then the most serious findings, numbered."""
    if not diags:
        return "工具初筛未发现问题，请人工复核。"
    counts = {s: sum(1 for d in diags if d.severity == s) for s in SEV_ZH}
    head = "，".join(f"{n} 个{SEV_ZH[s]}" for s, n in counts.items() if n)
    order = {"error": 0, "warning": 1, "info": 2}
    ranked = sorted(diags, key=lambda d: (order.get(d.severity, 3), d.rule))
    lines = [f"工具初筛发现 {head}："]
    for i, d in enumerate(ranked[:limit], 1):
        lines.append(f"{i}. [{SEV_ZH.get(d.severity, d.severity)}] {_finding_line(d, with_file=False)}")
    if len(ranked) > limit:
        lines.append(f"……另有 {len(ranked) - limit} 项，见“备案审查表”附列问题。")
    return "\n".join(lines)


# --- the workbook -------------------------------------------------------------------------------------


class _Style:
    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        thin = Side(style="thin", color="000000")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.title = Font(name=FONT, size=16, bold=True)
        self.note = Font(name=FONT, size=9, italic=True, color="666666")
        self.head = Font(name=FONT, size=11, bold=True)
        self.body = Font(name=FONT, size=10.5)
        self.link = Font(name=FONT, size=10.5, color="0563C1", underline="single")
        self.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.left = Alignment(horizontal="left", vertical="top", wrap_text=True)
        self.head_fill = PatternFill("solid", fgColor="D9E1F2")
        self.sev_fill = {
            "error": PatternFill("solid", fgColor="F8CBAD"),
            "warning": PatternFill("solid", fgColor="FFE699"),
            "info": PatternFill("solid", fgColor="DDEBF7"),
        }


def _print_setup(ws: Any, landscape: bool, title_rows: str) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _cell(ws: Any, row: int, col: int, value: Any, font: Any, align: Any, border: Any = None,
          fill: Any = None) -> Any:
    c = ws.cell(row=row, column=col, value=value)
    c.font = font
    c.alignment = align
    if border is not None:
        c.border = border
    if fill is not None:
        c.fill = fill
    return c


def _box(ws: Any, rng: str, st: _Style) -> None:
    for row in ws[rng]:
        for c in row:
            c.border = st.border


def _list_sheet(ws: Any, run: Any, st: _Style, sheet_names: list[str]) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.hyperlink import Hyperlink

    ncol = len(LIST_HEADERS)
    last = get_column_letter(ncol)
    ws.title = LIST_SHEET
    ws.merge_cells(f"A1:{last}1")
    _cell(ws, 1, 1, LIST_TITLE, st.title, st.center)
    ws.row_dimensions[1].height = 30
    ws.merge_cells(f"A2:{last}2")
    made = datetime.now().strftime("%Y-%m-%d %H:%M")
    _cell(ws, 2, 1, f"{DRAFT_NOTE}  生成时间：{made}  共 {len(run.packages)} 个项目", st.note, st.center)
    widths = {i: w for i, (_, w) in enumerate(LIST_HEADERS, 1)}
    for i, (name, w) in enumerate(LIST_HEADERS, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
        _cell(ws, 3, i, name, st.head, st.center, st.border, st.head_fill)
    ws.row_dimensions[3].height = 32
    for n, res in enumerate(run.packages, 1):
        row = 3 + n
        f = res.package.facts
        values = [
            n,
            _text(f.get("unit")),
            _text(f.get("name")) or res.package.name,
            _clip(_text(f.get("tasks")), 300),
            _money(f.get("total_investment")),
            _money(f.get("om_funding")),
            _text(f.get("funding_channels")),
            _text(f.get("mode")),
            _text(f.get("project_type")),
            _text(f.get("period")),
            opinion(res.diagnostics),
        ]
        for col, value in enumerate(values, 1):
            align = st.center if col in (1, 5, 6, 8, 9) else st.left
            c = _cell(ws, row, col, value if value != "" else None, st.body, align, st.border)
            if col in (5, 6) and isinstance(value, float):
                c.number_format = "#,##0.00##"
        link = ws.cell(row=row, column=3)
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{sheet_names[n - 1]}'!A1",
                                   tooltip="打开该项目的备案审查表")
        link.font = st.link
        errors = res.counts().get("error", 0)
        if errors:
            ws.cell(row=row, column=ncol).fill = st.sev_fill["error"]
        _fit_row(ws, row, widths)
    ws.freeze_panes = "A4"
    _print_setup(ws, landscape=True, title_rows="1:3")


def _form_sheet(ws: Any, n: int, res: Any, st: _Style) -> None:
    pkg = res.package
    f = pkg.facts
    widths = {1: 16, 2: 30, 3: 14, 4: 30}
    for col, w in widths.items():
        ws.column_dimensions[chr(64 + col)].width = w
    ws.merge_cells("A1:D1")
    _cell(ws, 1, 1, FORM_TITLE, st.title, st.center)
    ws.row_dimensions[1].height = 32
    ws.merge_cells("A2:D2")
    _cell(ws, 2, 1, f"{DRAFT_NOTE}  清单序号 {n} · 申报包：{pkg.name}", st.note, st.center)
    kind_of = {d.path: d.kind for d in pkg.documents}
    by_dept: dict[str, list[Diagnostic]] = {k: [] for k in DEPARTMENTS}
    for d in res.diagnostics:
        by_dept[department(d, kind_of)].append(d)

    def dept_text(name: str) -> str:
        items = by_dept[name]
        if not items:
            return f"{name}初审意见：工具初筛未发现问题。"
        lines = [f"{name}初审意见："]
        lines += [f"{i}. [{SEV_ZH.get(d.severity, d.severity)}] {_finding_line(d)}" for i, d in enumerate(items, 1)]
        return "\n".join(lines)

    inv = f.get("total_investment")
    om = f.get("om_funding")
    row = 3

    def field(label: str, value: str) -> None:
        nonlocal row
        _cell(ws, row, 1, label, st.head, st.center, st.border)
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
        _cell(ws, row, 2, value or None, st.body, st.left, st.border)
        _box(ws, f"A{row}:D{row}", st)
        _fit_row(ws, row, widths)
        row += 1

    field("项目名称", _text(f.get("name")) or pkg.name)
    field("项目单位", _text(f.get("unit")))
    _cell(ws, row, 1, "项目联系人", st.head, st.center, st.border)
    _cell(ws, row, 2, _text(f.get("contact")) or None, st.body, st.left, st.border)
    _cell(ws, row, 3, "联系电话", st.head, st.center, st.border)
    _cell(ws, row, 4, _text(f.get("phone")) or None, st.body, st.left, st.border)
    ws.row_dimensions[row].height = 22
    row += 1
    field("主要任务", _clip(_text(f.get("tasks")), 600))
    field("建设依据\n和必要性", _clip(_text(f.get("basis")), 600))
    field("项目绩效目标", _clip(_text(f.get("goals")), 600))
    field("拟采用实施方式", _text(f.get("mode")))
    field("投资额度", f"{_text(inv)} 万元" if inv is not None else "        万元")
    field("运维经费", f"{_text(om)} 万元" if om is not None else "        万元")
    field("经费渠道", _text(f.get("funding_channels")))
    # 信息安全审查意见: three departments, label merged over their rows
    start = row
    for name in ("市委网信办", "市密码管理局", "市公安局"):
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
        _cell(ws, row, 2, dept_text(name), st.body, st.left, st.border)
        _box(ws, f"A{row}:D{row}", st)
        _fit_row(ws, row, widths)
        row += 1
    ws.merge_cells(start_row=start, start_column=1, end_row=row - 1, end_column=1)
    _cell(ws, start, 1, "信息安全\n审查意见", st.head, st.center, st.border)
    field("技术审查意见", dept_text("市政府办公室"))
    field("资金审查意见", dept_text("市财政局"))
    field("领导小组办公室\n初审意见", opinion(res.diagnostics))
    field("领导小组集中\n审查意见", "")
    ws.row_dimensions[row - 1].height = 60
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
    _cell(ws, row, 1, "备注：如审查意见较多可另附页。", st.body, st.left)
    row += 2
    # the findings in full ("另附页")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
    _cell(ws, row, 1, f"附：工具检查问题清单（{len(res.diagnostics)} 项）", st.head, st.left)
    row += 1
    for col, name in enumerate(("级别 / 规则", "问题及依据", "文件与位置", "原文摘录"), 1):
        _cell(ws, row, col, name, st.head, st.center, st.border, st.head_fill)
    row += 1
    for d in res.diagnostics:
        _cell(ws, row, 1, f"{SEV_ZH.get(d.severity, d.severity)}\n{d.rule}", st.body, st.center, st.border,
              st.sev_fill.get(d.severity))
        basis = basis_text(d)
        _cell(ws, row, 2, d.message + (f"\n依据：{basis}" if basis else ""), st.body, st.left, st.border)
        place = location_zh(d.loc)
        _cell(ws, row, 3, (d.file or "（整个申报包）") + (f"\n{place}" if place else ""), st.body, st.left,
              st.border)
        _cell(ws, row, 4, d.evidence or None, st.body, st.left, st.border)
        _fit_row(ws, row, widths)
        row += 1
    if not res.diagnostics:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
        _cell(ws, row, 1, "工具初筛未发现问题。", st.body, st.center, st.border)
        row += 1
    # the documents the tool read, so a reviewer sees what each finding rests on
    row += 1
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
    _cell(ws, row, 1, f"附：申报材料（{len(pkg.documents)} 个文件）", st.head, st.left)
    row += 1
    for col, name in enumerate(("文件类型", "文件", "读取状态", "说明"), 1):
        _cell(ws, row, col, name, st.head, st.center, st.border, st.head_fill)
    row += 1
    for doc in pkg.documents:
        _cell(ws, row, 1, kind_zh(doc.kind), st.body, st.left, st.border)
        _cell(ws, row, 2, doc.path, st.body, st.left, st.border)
        _cell(ws, row, 3, STATUS_ZH.get(doc.status, doc.status), st.body, st.center, st.border)
        _cell(ws, row, 4, doc.reason or (f"{doc.pages} 页" if doc.pages else None), st.body, st.left, st.border)
        _fit_row(ws, row, widths)
        row += 1
    _print_setup(ws, landscape=False, title_rows="1:1")


def _detail_sheet(ws: Any, run: Any, st: _Style) -> None:
    from openpyxl.utils import get_column_letter

    headers = (("序号", 6), ("项目", 22), ("级别", 7), ("规则", 8), ("类别", 11), ("问题", 44),
               ("文件", 24), ("位置", 22), ("原文摘录", 36), ("依据", 26), ("状态", 12))
    widths = {i: w for i, (_, w) in enumerate(headers, 1)}
    for i, (name, w) in enumerate(headers, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
        _cell(ws, 1, i, name, st.head, st.center, st.border, st.head_fill)
    row = 2
    for n, res in enumerate(run.packages, 1):
        for d in list(res.diagnostics) + list(res.waived):
            status = f"已豁免：{d.waived}" if d.waived is not None else {"new": "新增", "unchanged": "未变"}.get(
                d.state or "", ""
            )
            values = (n, res.package.name, SEV_ZH.get(d.severity, d.severity), d.rule,
                      CATEGORY_ZH.get(d.category, d.category), d.message, d.file or "（整个申报包）",
                      location_zh(d.loc), d.evidence or "", basis_text(d), status)
            for col, v in enumerate(values, 1):
                align = st.center if col in (1, 3, 4) else st.left
                fill = st.sev_fill.get(d.severity) if col == 3 else None
                _cell(ws, row, col, v if v != "" else None, st.body, align, st.border, fill)
            _fit_row(ws, row, widths)
            row += 1
    last = get_column_letter(len(headers))
    ws.auto_filter.ref = f"A1:{last}{max(row - 1, 1)}"
    ws.freeze_panes = "A2"
    _print_setup(ws, landscape=True, title_rows="1:1")


def build(run: Any, settings: Any, opts: dict[str, Any]) -> Any:
    from openpyxl import Workbook

    st = _Style()
    wb = Workbook()
    taken = {LIST_SHEET.lower(), DETAIL_SHEET.lower()}
    names = [_sheet_title(n, _text(r.package.facts.get("name")) or r.package.name, taken)
             for n, r in enumerate(run.packages, 1)]
    _list_sheet(wb.active, run, st, names)
    for n, res in enumerate(run.packages, 1):
        _form_sheet(wb.create_sheet(names[n - 1]), n, res, st)
    _detail_sheet(wb.create_sheet(DETAIL_SHEET), run, st)
    wb.properties.title = LIST_TITLE
    wb.properties.creator = "dossier-lint"
    return wb


def render(run: Any, settings: Any, opts: dict[str, Any]) -> bytes:
    buf = io.BytesIO()
    build(run, settings, opts).save(buf)
    return buf.getvalue()
