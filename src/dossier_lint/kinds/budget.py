"""项目概算表 / 投资估算表: read a budget table into a tree of numbered lines and totals.

Layouts seen in practice: title and `单位：万元` rows above the header; sections `一、二、…` carrying the sum
of their items (often an Excel SUM with a cached value) or followed by a `小计` row; `合计` / `总计` /
`总投资` rows; `预备费` below the 合计; `其中：…` rows that split an amount (not added again); a sheet of
资金来源 next to the 概算. Numbering styles nest the conventional way (一 > （一） > 1 > 1.1 > （1） > ①).

This module only reads; the checks are in funding.py and cloud.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ..model import Cell, Document, Location
from ..money import leading_number, norm, parse_amount, parse_number, to_wan, unit_from_header
from ..rule import Context
from ..tables import Row, TableView, clean, find_tables, is_blank

BUDGET_VOCAB: dict[str, tuple[str, ...]] = {
    "序号": ("编号",),
    "名称": ("费用名称", "项目名称", "建设内容", "工程或费用名称", "费用项目", "支出项目", "明细", "设备名称", "品名",
           "分项名称", "服务内容", "项目", "内容", "资金来源", "经费来源", "资金渠道", "来源", "名称", "科目"),
    "规格": ("规格", "规格型号", "技术参数", "主要参数", "配置", "型号", "技术要求", "功能描述", "主要功能",
           "建设内容及规格", "规格及参数", "主要内容"),
    "计量单位": ("单位",),
    "数量": ("工作量",),
    "单价": ("综合单价", "预算单价", "单价"),
    "金额": ("合价", "总价", "投资额", "概算金额", "预算金额", "估算金额", "投资估算", "概算", "预算", "总金额",
           "合计金额", "投资", "金额合计", "估算", "预算总价", "费用", "概算投资", "估算投资", "投资金额"),
    "备注": ("说明", "计算依据", "依据", "测算依据", "计算方法", "计算依据及备注", "取费依据"),
    "占比": ("比例", "占总投资比例", "所占比例", "百分比"),
}

_TOTAL = re.compile(
    r"^(?:总计|合计|总合计|共计|总投资|项目总投资|投资总额|总概算|概算总投资|总预算|预算合计|估算合计|投资合计|费用合计"
    r"|项目合计|总价|总金额)|(?:合计|总计)(?:[(（][^)）]*[)）])?$"
)
_SUBTOTAL = re.compile(r"^小计|小计$")
_DETAIL = re.compile(r"^(?:其中|含|包括)[:：]?")
# unnumbered items that stand beside the numbered parts, never inside one
_TOP_LEVEL = re.compile(r"^(?:基本)?预备费|^不可预见费|^建设期利息")
_GRAND = re.compile(r"总计|总投资|投资总额|总概算|总预算|项目合计|总合计|总价|总金额|^合计$|^共计$")

CHANNELS = (
    "中省补助", "中央补助", "省级补助", "中央资金", "省级资金", "上级补助", "上级资金", "上级专项", "本级财政", "市级财政",
    "市本级财政", "县级财政", "区级财政", "财政拨款", "财政资金", "财政预算", "财政安排", "一般公共预算", "政府性基金",
    "专项资金", "专项债", "单位自筹", "自筹经费", "自筹资金", "自有资金", "自筹", "社会资本", "银行贷款", "其他资金", "其他",
)
_CHANNEL_RX = re.compile("|".join(sorted(CHANNELS, key=len, reverse=True)))

# numbering styles of the 序号 column (or a name's prefix)
_CN = "一二三四五六七八九十"
_STYLES: list[tuple[str, re.Pattern[str]]] = [
    ("pcn", re.compile(rf"^[(（][{_CN}]+[)）]")),
    ("cn", re.compile(rf"^[{_CN}]+(?:[、.．]|$)")),
    ("dec3", re.compile(r"^\d+\.\d+\.\d+(?:[、.．\s]|$)")),
    ("dec2", re.compile(r"^\d+\.\d+(?:[、.．\s]|$)")),
    ("pnum", re.compile(r"^[(（]\d+[)）]")),
    ("num", re.compile(r"^\d+(?:[、.．]|$)")),
    ("circ", re.compile(r"^[①-⑳]")),
    ("alpha", re.compile(r"^[A-Za-z](?:[、.．]|$)")),
]


# the conventional nesting of Chinese numbering: 一 > （一） > 1 > 1.1 > 1.1.1 > （1） > ① > A
_RANK = {"cn": 0, "pcn": 1, "num": 2, "dec2": 3, "dec3": 4, "pnum": 5, "circ": 6, "alpha": 7}


def numbering(text: str) -> str | None:
    t = clean(text)
    if not t:
        return None
    for style, rx in _STYLES:
        if rx.match(t):
            return style
    return None


@dataclass(slots=True)
class Line:
    """One row of the budget: an item, a section (an item with children), a total or a detail."""

    row: Row
    kind: str  # item | total | subtotal | detail
    name: str
    style: str | None  # numbering style, None when unnumbered
    level: int = 0
    amounts: dict[int, Decimal | None] = field(default_factory=dict)  # amount column -> value as written
    children: list[Line] = field(default_factory=list)
    details: list[Line] = field(default_factory=list)
    parent: Line | None = None

    def amount(self, col: int) -> Decimal | None:
        return self.amounts.get(col)

    def value(self, col: int) -> Decimal | None:
        """Own amount, else the sum of the children's values (None when nothing is known)."""
        own = self.amounts.get(col)
        if own is not None:
            return own
        vals = [c.value(col) for c in self.children]
        vals = [v for v in vals if v is not None]
        return sum(vals, Decimal(0)) if vals else None

    def leaves(self) -> list[Line]:
        if not self.children:
            return [self]
        return [x for c in self.children for x in c.leaves()]


@dataclass(slots=True)
class Total:
    line: Line
    open_nodes: list[Line]  # innermost first, root last, when the total row was read
    block: list[Line]  # items read since the previous total row


@dataclass(slots=True)
class Budget:
    doc: Document
    view: TableView
    root: Line
    lines: list[Line]
    totals: list[Total]
    amount_cols: list[int]  # the 金额 column(s); the first is the main one
    unit: str | None  # 万元 / 元 / None (not stated)
    funding_table: bool = False  # a 资金来源 table (rows are channels)

    @property
    def main_col(self) -> int:
        return self.amount_cols[0]

    def col_unit(self, col: int) -> str | None:
        return self.view.column_unit(col) or self.unit

    def cell(self, line: Line, col: int) -> Cell:
        return line.row.cells[col]

    def name_of(self, line: Line) -> str:
        return line.name

    def grand_total(self) -> Line | None:
        """The last total row whose name says it is the whole (总计 / 合计 / 总投资 …), with an amount."""
        best = None
        for t in self.totals:
            if t.line.kind == "total" and _GRAND.search(t.line.name) and t.line.amount(self.main_col) is not None:
                best = t.line
        return best

    def to_wan(self, value: Decimal, col: int | None = None) -> tuple[Decimal, bool]:
        """(value in 万元, unit known). An unknown unit is taken as 万元 (what budget sheets use)."""
        unit = self.col_unit(self.main_col if col is None else col)
        if unit is None:
            return value, False
        return to_wan(value, unit), True


def _line_name(view: TableView, row: Row, amount_cols: set[int]) -> str:
    name = view.value(row, "名称")
    if name:
        return " ".join(name.split())
    for i, c in enumerate(row.cells):
        if i in amount_cols:
            continue
        if i in view.fields.get("序号", []) and numbering(c.text):
            continue  # a 序号, not a name (but "预备费" / "其中：…" written in the 序号 column is one)
        if c.text.strip() and parse_number(c.text) is None:
            return " ".join(c.text.split())
    return ""


def _label_texts(view: TableView, row: Row, amount_cols: set[int]) -> list[str]:
    """序号 and 名称 cells (where 合计 / 小计 are written, often merged across both)."""
    cols = list(view.fields.get("序号", [])) + list(view.fields.get("名称", []))
    if not cols:
        cols = [i for i in range(len(row.cells)) if i not in amount_cols][:2]
    return [clean(row.cells[i].text) for i in cols if i < len(row.cells)]


def _amount_columns(view: TableView) -> list[int]:
    cols = list(view.fields.get("金额", []))
    # a channel split (财政资金 | 自筹) or a year split next to the 金额 column adds up the same way
    for c in view.columns:
        if c.index in cols or c.field not in (None,):
            continue
        label = clean(c.label)
        if _CHANNEL_RX.search(label) or re.fullmatch(r"20\d\d年?(度)?", label):
            cols.append(c.index)
    return cols


def read_budget(doc: Document, view: TableView) -> Budget | None:
    amount_cols = _amount_columns(view)
    if not amount_cols:
        return None
    acols = set(amount_cols)
    seq_cols = view.fields.get("序号", [])
    root = Line(Row(-1, []), "item", "（全表）", None, -1)
    lines: list[Line] = []
    totals: list[Total] = []
    stack: list[Line] = [root]
    block: list[Line] = []
    last_item: Line | None = None
    after_total = False
    in_detail = False
    unit = view.unit or next((view.column_unit(c) for c in amount_cols if view.column_unit(c)), None)
    for row in view.data:
        labels = _label_texts(view, row, acols)
        name = _line_name(view, row, acols)
        amounts = {c: _num(row.cells[c].text) if c < len(row.cells) else None for c in amount_cols}
        seq = clean(row.cells[seq_cols[0]].text) if seq_cols and seq_cols[0] < len(row.cells) else ""
        if any(_SUBTOTAL.search(t) for t in labels if t):
            kind = "subtotal"
        elif any(_TOTAL.search(t) for t in labels if t) and not (seq and numbering(seq)):
            kind = "total"
        elif _DETAIL.match(clean(name)) or (in_detail and _CHANNEL_RX.match(clean(name)) and not numbering(seq)):
            kind = "detail"
        else:
            kind = "item"
        if kind != "detail":
            in_detail = False
        if all(v is None for v in amounts.values()) and kind != "item":
            continue
        if kind == "item" and not name and all(v is None for v in amounts.values()):
            continue
        style = numbering(seq) if seq else None
        if style is None and not seq_cols:
            style = numbering(name)
        line = Line(row, kind, name, style, amounts=amounts)
        lines.append(line)
        if kind in ("total", "subtotal"):
            totals.append(Total(line, list(reversed(stack)), list(block)))
            block = []
            after_total = kind == "total"
            continue
        if kind == "detail":
            in_detail = True
            owner = last_item or root
            owner.details.append(line)
            line.parent = owner
            continue
        if style is not None:
            level = _RANK[style]
        elif after_total or last_item is None or _TOP_LEVEL.search(name):
            level = 0
        else:
            level = last_item.level
        line.level = level
        while len(stack) > 1 and stack[-1].level >= level:
            stack.pop()
        parent = stack[-1]
        parent.children.append(line)
        line.parent = parent
        stack.append(line)
        block.append(line)
        last_item = line
        after_total = False
    if not lines:
        return None
    b = Budget(doc, view, root, lines, totals, amount_cols, unit)
    name_cols = view.fields.get("名称", [])
    header_name = clean(view.columns[name_cols[0]].name) if name_cols else ""
    items = [ln for ln in lines if ln.kind == "item"]
    b.funding_table = bool(re.search(r"资金来源|经费来源|资金渠道|经费渠道", header_name)) or (
        bool(items) and sum(1 for ln in items if _CHANNEL_RX.search(clean(ln.name))) >= max(1, len(items) * 0.6)
    )
    return b


def _num(text: str) -> Decimal | None:
    t = norm(text or "").strip()
    if is_blank(t):
        return None
    v = parse_number(t)
    if v is not None:
        return v
    a = parse_amount(t)
    return a.wan if a is not None and a.unit == "万元" else None


def quantity(text: str) -> Decimal | None:
    return leading_number(text)


def budgets(ctx: Context, kinds: tuple[str, ...] = ("budget_sheet",)) -> list[Budget]:
    """Budget tables of the package's budget documents (read once per run)."""
    key = ("content-a:budgets", id(ctx.package), kinds)
    hit = ctx.shared.get(key)
    if hit is not None and hit[0] is ctx.package:
        return hit[1]
    out: list[Budget] = []
    for doc in ctx.docs(*kinds):
        for view in find_tables(doc, BUDGET_VOCAB, min_fields=2):
            if "金额" not in view.fields and "名称" not in view.fields:
                continue
            b = read_budget(doc, view)
            if b is not None:
                out.append(b)
    ctx.shared[key] = (ctx.package, out)
    return out


def main_budget(bs: list[Budget], doc: Document) -> Budget | None:
    """The document's overall table: the largest grand total that is not a 资金来源 table."""
    best: tuple[Decimal, Budget] | None = None
    for b in bs:
        if b.doc is not doc or b.funding_table:
            continue
        g = b.grand_total()
        if g is None:
            continue
        v, _ = b.to_wan(g.amount(b.main_col) or Decimal(0))
        if best is None or v > best[0]:
            best = (v, b)
    return best[1] if best else None


def unit_declared(b: Budget) -> bool:
    if b.unit or any(b.view.column_unit(c) for c in b.amount_cols):
        return True
    doc = b.doc
    head = [blk.text for blk in doc.blocks[:40] if "单位" in blk.text or "金额" in blk.text]
    heading = " ".join(b.view.table.loc.heading)
    return any(unit_from_header(t) for t in [*head, heading, b.view.table.title or ""])


def loc_of(cell: Cell | None, fallback: Location | None = None) -> Location | None:
    return cell.loc if cell is not None else fallback
