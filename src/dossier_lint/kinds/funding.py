"""Money: budget-sheet arithmetic, totals that agree across documents, funding sources and channels,
大写/小写, the length of procured O&M service.

Amounts are compared in 万元 (exact decimals, `money.py`) with a tolerance of 0.01万元. A check that cannot
tell what a number means (a rate against a total, an approximate 约500万元, a figure of another project)
stays silent: a wrong finding about money costs more trust than a missed one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from ..model import Cell, Diagnostic, Document, Location
from ..money import (
    TOLERANCE,
    Amount,
    capital_mismatches,
    find_amounts,
    fmt_num,
    fmt_wan,
    parse_amount,
    same_amount,
    to_wan,
    unit_from_header,
)
from ..rule import Context, Rule, check_kind
from ..tables import clean, is_blank
from .budget import CHANNELS, Budget, Line, budgets, main_budget, quantity, unit_declared
from .budget import _num as cell_number
from .common import (
    check_str_list,
    check_type,
    fill,
    is_placeholder,
    kind_label,
    param_validator,
    placeholders_for,
)

FORM_KINDS = ("application_form",)
REPORT_KINDS = (
    "feasibility_report", "implementation_plan", "preliminary_design", "service_requirement_plan",
    "app_implementation_plan",
)
_APPROX = re.compile(r"约|左右|不超过|不高于|不低于|以内|以上|以下|上限|≤|≥|<|>|大约|预计不")
def _approximate(evidence: str, value: Decimal) -> bool:
    """约500万元 / 500万元左右 / 不超过500万元 / ≤500万元: an estimate or a cap, not the figure."""
    for a in find_amounts(evidence):
        if a.wan == value:
            around = evidence[max(0, a.start - 5) : a.start] + "|" + evidence[a.end : a.end + 3]
            return bool(_APPROX.search(around))
    return bool(_APPROX.search(evidence))


_OTHER_PROJECT = re.compile(r"上一期|前期项目|原项目|一期项目|已建项目|累计|以往|历年|去年|上年|上一年|全省|全国|省级项目")
# O&M funding that changes over the years (第一年10万元，以后每年20万元): no single figure to compare
_STAGED = re.compile(r"第[一二三四五\d]年|首年|前[一二三两\d]年|以后每年|此后每年|逐年|分年度")
# sections describing what exists: an amount there is a predecessor's
_BACKGROUND = re.compile(r"现状|建设基础|已建|已有|既有|背景|存在问题|基础条件|前期工作")
_PHASE = re.compile(r"[一二三四五六七八九]期")
_PER_YEAR = re.compile(r"/\s*年|每年|年均|每年度|/\s*年度|年度运维|运维费用（年）|万元/年")


def _docs_by_path(ctx: Context) -> dict[str, Document]:
    return {d.path: d for d in ctx.package.documents}


def _short(text: str, n: int = 40) -> str:
    t = " ".join(str(text).split())
    return t if len(t) <= n else t[: n - 1] + "…"


def _tol(rule: Rule) -> Decimal:
    return Decimal(str(rule.params.get("tolerance", TOLERANCE)))


# ---------------------------------------------------------------------------------------------
# budget arithmetic


def _close(a: Decimal, b: Decimal, tol: Decimal) -> bool:
    return abs(a - b) <= tol


def _raw_tol(b: Budget, col: int, tol_wan: Decimal) -> Decimal:
    """The tolerance in the table's own unit (0.01万元 is 100 in a table of 元)."""
    unit = b.col_unit(col)
    if unit is None or unit == "万元":
        return tol_wan
    return tol_wan / to_wan(Decimal(1), unit)


def _sum(values) -> Decimal | None:
    vals = [v for v in values if v is not None]
    return sum(vals, Decimal(0)) if vals else None


def _total_candidates(b: Budget, idx: int, col: int) -> tuple[list[Decimal], Decimal | None]:
    """What the total row `b.totals[idx]` may add up: each open section's children (all, or numbered
    only), the rows since the previous total, every item so far. Returns (candidates, the expected one)."""
    t = b.totals[idx]
    line = t.line
    cands: list[Decimal] = []
    expected: Decimal | None = None
    upto = b.lines.index(line)
    seen = set(id(x) for x in b.lines[:upto])
    for node in t.open_nodes:
        kids = [c for c in node.children if id(c) in seen]
        if not kids:
            continue
        s = _sum(c.value(col) for c in kids)
        n = _sum(c.value(col) for c in kids if c.style is not None)
        for v in (s, n):
            if v is not None:
                cands.append(v)
        if expected is None and s is not None and (line.kind == "subtotal" or node.parent is None):
            expected = s
    block_leaves = _sum(x.amount(col) for x in t.block if not [c for c in x.children if id(c) in seen])
    block_top = _sum(x.value(col) for x in t.block if x.parent is None or all(x.parent is not y for y in t.block))
    all_leaves = _sum(x.amount(col) for x in b.lines[:upto] if x.kind == "item"
                      and not [c for c in x.children if id(c) in seen])
    # the subtotals as written (合计 = 小计 + 小计 even when a 小计 itself is wrong: report the 小计 only)
    subs = []
    for prev in b.totals[:idx]:
        if prev.line.kind == "total":
            subs = []
        elif prev.line.amount(col) is not None:
            subs.append(prev.line.amount(col))
    written = sum(subs, Decimal(0)) + (block_top or Decimal(0)) if subs else None
    for v in (block_leaves, block_top, all_leaves, written):
        if v is not None:
            cands.append(v)
    if expected is None:
        expected = block_top if line.kind == "subtotal" and block_top is not None else (cands[0] if cands else None)
    return cands, expected


@check_kind("budget-arithmetic", optional=["tolerance"])
def budget_arithmetic(rule: Rule, ctx: Context) -> Iterator[Diagnostic]:
    """Sections equal the sum of their items; 小计 / 合计 / 总计 rows equal what they total."""
    tol = _tol(rule)
    for b in budgets(ctx):
        for col in b.amount_cols:
            rt = _raw_tol(b, col, tol)
            label = b.view.columns[col].label or "金额"
            for ln in b.lines:
                if ln.kind != "item" or not ln.children:
                    continue
                own = ln.amount(col)
                s = _sum(c.value(col) for c in ln.children)
                if own is None or s is None or _close(own, s, rt):
                    continue
                leaves = _sum(x.amount(col) for x in ln.leaves())
                numbered = _sum(c.value(col) for c in ln.children if c.style is not None)
                if any(v is not None and _close(own, v, rt) for v in (leaves, numbered)):
                    continue  # an unnumbered row after the last item may belong one level up
                if all(c.style is None for c in ln.children):
                    continue  # unnumbered rows under a section: the nesting is a guess, stay silent
                yield _arith_diag(rule, b, ln, col, own, s, label, "其下各项之和")
            for i, t in enumerate(b.totals):
                v = t.line.amount(col)
                if v is None:
                    continue
                cands, expected = _total_candidates(b, i, col)
                if not cands or any(_close(v, c, rt) for c in cands) or expected is None:
                    continue
                what = "本部分各项之和" if t.line.kind == "subtotal" else "各项之和"
                owner = next((n.name for n in t.open_nodes if n.children and n.parent is not None), "")
                yield _arith_diag(rule, b, t.line, col, v, expected, label, what, owner)


def _arith_diag(rule: Rule, b: Budget, ln: Line, col: int, value: Decimal, expected: Decimal, label: str,
                what: str, owner: str = "") -> Diagnostic:
    cell = ln.row.cells[col]
    where = f"{owner}·" if owner else ""  # which 小计: the part it closes (fingerprints of two 小计 differ)
    return rule.diag(
        file=b.doc.path, loc=cell.loc, evidence=f"{where}{ln.name} {label} {cell.text}".strip(),
        key=f"{where}{ln.name}:{label}",
        data={"value": fmt_num(value), "expected": fmt_num(expected)},
        **fill(rule, item=_short(ln.name or "（未命名行）", 30), column=label, value=fmt_num(value),
               expected=fmt_num(expected), what=what, diff=fmt_num(value - expected)),
    )


@check_kind("budget-unit-price", optional=["tolerance"])
def budget_unit_price(rule: Rule, ctx: Context) -> Iterator[Diagnostic]:
    """单价 × 数量 = 金额 on every line that states all three."""
    tol = _tol(rule)
    for b in budgets(ctx):
        v = b.view
        if not (v.has("单价") and v.has("数量")) or b.funding_table:
            continue
        pcol = v.fields["单价"][0]
        for ln in b.lines:
            if ln.kind != "item" or ln.children:
                continue
            a = ln.amount(b.main_col)
            p = cell_number(v.value(ln.row, "单价"))
            q = quantity(v.value(ln.row, "数量"))
            if a is None or p is None or q is None:
                continue
            pu = v.column_unit(pcol) or b.unit
            au = b.col_unit(b.main_col)
            exp = p.as_tuple().exponent
            half_ulp = Decimal(1).scaleb(exp if isinstance(exp, int) else 0) / 2 * abs(q)
            product = p * q
            if pu and au:
                ok = _close(to_wan(product, pu), to_wan(a, au), tol + to_wan(half_ulp, pu))
            else:  # no unit stated: same unit, or 单价 in 元 and 金额 in 万元
                rt = tol if au in (None, "万元") else _raw_tol(b, b.main_col, tol)
                ok = _close(product, a, rt + half_ulp) or _close(product / 10000, a, rt + half_ulp / 10000)
            if ok:
                continue
            cell = ln.row.cells[b.main_col]
            if pu and au:  # the product in the amount's unit
                expected = to_wan(product, pu) / to_wan(Decimal(1), au)
            else:
                expected = product
            yield rule.diag(
                file=b.doc.path, loc=cell.loc, evidence=f"{ln.name} {cell.text}".strip(), key=ln.name,
                data={"price": fmt_num(p), "quantity": fmt_num(q), "value": fmt_num(a), "expected": fmt_num(expected)},
                **fill(rule, item=_short(ln.name, 30), price=fmt_num(p) + (pu or ""), quantity=fmt_num(q),
                       value=fmt_num(a) + (au or ""), expected=fmt_num(expected) + (au or "")),
            )


@check_kind("budget-unit-missing")
def budget_unit_missing(rule: Rule, ctx: Context) -> Iterator[Diagnostic]:
    """A budget table that never says whether its amounts are 元 or 万元."""
    seen: set[str] = set()
    for b in budgets(ctx):
        if b.doc.path in seen or b.funding_table or b.doc.kind != "budget_sheet":
            continue
        if unit_declared(b):
            continue
        seen.add(b.doc.path)
        yield rule.diag(file=b.doc.path, loc=b.view.header_loc(), key="unit", **fill(rule))


# ---------------------------------------------------------------------------------------------
# form fields (label cell -> value cell)

_BRACKET_UNIT = re.compile(r"[(（](?:万元|元|亿元|单位[:：]?万元)[)）]$")


def _label(text: str) -> str:
    return _BRACKET_UNIT.sub("", clean(text).rstrip(":："))


@dataclass(slots=True)
class FormField:
    doc: Document
    label: Cell
    value: Cell | None
    row: list[Cell]
    next_row: list[Cell] | None


def form_fields(doc: Document, labels: tuple[str, ...]) -> list[FormField]:
    """Cells whose text is one of `labels` (brackets with a unit allowed), with the value cell right of
    them (the first cell with a different text) and the row below (for matrix forms)."""
    wanted = {clean(x) for x in labels}
    out: list[FormField] = []
    for table in doc.tables:
        for r, row in enumerate(table.rows):
            for i, cell in enumerate(row):
                if _label(cell.text) not in wanted:
                    continue
                if i > 0 and row[i - 1].text == cell.text:
                    continue  # a merged label counted once
                if r > 0 and i < len(table.rows[r - 1]) and table.rows[r - 1][i].text == cell.text:
                    continue  # ... also when merged downwards (拟采用资金来源 over two rows)
                value = next((c for c in row[i + 1 :] if c.text != cell.text), None)
                nxt = table.rows[r + 1] if r + 1 < len(table.rows) else None
                out.append(FormField(doc, cell, value, row, nxt))
    return out


# ---------------------------------------------------------------------------------------------
# where each document states the total investment / O&M funding


@dataclass(slots=True)
class Stated:
    file: str
    kind: str
    value: Decimal  # 万元
    loc: Location | None
    evidence: str
    unit_known: bool = True
    per_year: bool = False


_INVEST_LABELS = ("投资额度", "项目估算", "项目总投资", "总投资", "投资估算", "项目投资", "概算总投资")
_OM_LABELS = ("运维经费", "运行维护经费", "年度运维经费", "运维费用")


def _form_amounts(ctx: Context, labels: tuple[str, ...]) -> list[Stated]:
    out: list[Stated] = []
    for doc in ctx.docs(*FORM_KINDS):
        header_unit = next((unit_from_header(b.text) for b in doc.blocks[:8]
                            if "单位" in b.text and unit_from_header(b.text)), None)
        for f in form_fields(doc, labels):
            if f.value is None or is_blank(f.value.text):
                continue
            text = f.value.text
            amounts = find_amounts(text, rates=True)
            unit = unit_from_header(f.label.text) or header_unit
            if amounts:
                a = amounts[0]
            else:
                a = parse_amount(text.strip(), default_unit=unit or "万元")
                if a is None:
                    continue
            per = bool(a.per) or bool(_PER_YEAR.search(text))
            out.append(Stated(doc.path, doc.kind, a.wan, f.value.loc, f"{_label(f.label.text)}：{_short(text, 60)}",
                              True, per))
    return out


def stated(ctx: Context, fact: str, include_budget: bool = True) -> list[Stated]:
    """Every place a document states `fact` (total_investment / om_funding), one per file and value."""
    docs = _docs_by_path(ctx)
    allowed = set(FORM_KINDS) | set(REPORT_KINDS) | {"budget_sheet"}
    out: list[Stated] = []
    labels = _INVEST_LABELS if fact == "total_investment" else _OM_LABELS
    out += _form_amounts(ctx, labels)
    project = " ".join(str(f.value) for f in ctx.package.facts.all("name"))
    for f in ctx.package.facts.all(fact):
        if not isinstance(f.value, Decimal):
            continue
        doc = docs.get(f.file)
        if doc is None or doc.kind not in allowed:
            continue
        ev = f.evidence or ""
        if _approximate(ev, f.value) or _OTHER_PROJECT.search(ev) or (fact == "om_funding" and _STAGED.search(ev)):
            continue
        if f.loc is not None and any(_BACKGROUND.search(h) for h in f.loc.heading):
            continue
        if any(ph not in project for ph in _PHASE.findall(ev)):
            continue  # 一期总投资300万元 in a 二期 project
        if doc.kind in FORM_KINDS and any(s.file == f.file for s in out):
            continue  # the form's labelled cell (read above) is the better source
        out.append(Stated(f.file, doc.kind, f.value, f.loc, ev, True, bool(_PER_YEAR.search(ev))))
    if include_budget and fact == "total_investment":
        bs = budgets(ctx)
        for doc in ctx.docs("budget_sheet"):
            b = main_budget(bs, doc)
            if b is None:
                continue
            g = b.grand_total()
            if g is None:
                continue
            raw = g.amount(b.main_col)
            if raw is None:
                continue
            v, known = b.to_wan(raw)
            cell = g.row.cells[b.main_col]
            out.append(Stated(doc.path, "budget_sheet", v, cell.loc, f"{g.name} {cell.text}".strip(), known))
    uniq: list[Stated] = []
    for s in out:
        if not any(u.file == s.file and same_amount(u.value, s.value, Decimal("0.000001")) and u.per_year == s.per_year
                   for u in uniq):
            uniq.append(s)
    return uniq


def _agree(a: Stated, b: Stated, tol: Decimal) -> bool:
    if same_amount(a.value, b.value, tol):
        return True
    # a table without a stated unit may be in 元
    for x, y in ((a, b), (b, a)):
        if not x.unit_known and same_amount(x.value / 10000, y.value, tol):
            return True
    return False


def reference(sources: list[Stated], tol: Decimal) -> Stated | None:
    """The value most documents state; ties go to the form, then the budget sheet, then the first."""
    if not sources:
        return None
    rank = {k: i for i, k in enumerate((*FORM_KINDS, "budget_sheet", *REPORT_KINDS))}

    def score(s: Stated) -> tuple[int, int]:
        files = {o.file for o in sources if _agree(o, s, tol)}
        return (len(files), -rank.get(s.kind, 99))

    return max(sources, key=score)


def investment_reference(ctx: Context, tol: Decimal = TOLERANCE) -> Stated | None:
    return reference([s for s in stated(ctx, "total_investment") if not s.per_year], tol)


@check_kind("money-consistency", required=["fact"], optional=["what", "tolerance", "include-budget"])
def money_consistency(rule: Rule, ctx: Context) -> Iterator[Diagnostic]:
    """The same amount (总投资 / 运维经费) stated differently by the form, the reports and the budget sheet."""
    fact = rule.params["fact"]
    what = rule.params.get("what") or {"total_investment": "总投资", "om_funding": "运维经费"}.get(fact, fact)
    tol = _tol(rule)
    sources = stated(ctx, fact, bool(rule.params.get("include-budget", True)))
    for per_year in (False, True):
        group = [s for s in sources if s.per_year == per_year]
        if len({s.file for s in group}) < 2:
            continue
        ref = reference(group, tol)
        if ref is None:
            continue
        agreeing = sorted({s.file for s in group if _agree(s, ref, tol)})
        reported: set[tuple[str, Decimal]] = set()
        for s in group:
            if _agree(s, ref, tol) or (s.file, s.value) in reported:
                continue
            if _explained_adjustment(ctx, s, ref, tol):
                continue  # 初设 "可研批复总投资860万元……调整为920万元": the deviation rules judge that
            reported.add((s.file, s.value))
            where = "、".join(_doc_label(ctx, f) for f in agreeing)
            yield rule.diag(
                file=s.file, loc=s.loc, evidence=s.evidence, key=f"{fact}:{fmt_num(s.value)}",
                data={"value": fmt_num(s.value), "reference": fmt_num(ref.value), "reference_files": agreeing},
                **fill(rule, what=what, value=fmt_wan(s.value), reference=fmt_wan(ref.value), where=where,
                       basis="每年" if per_year else ""),
            )


_ADJUST = re.compile(r"调整|调增|调减|变更|增加至|减少至|核减|核增")


def _explained_adjustment(ctx: Context, s: Stated, ref: Stated, tol: Decimal) -> bool:
    """The document itself says its figure replaces the reference one (a sentence with 调整 naming both)."""
    doc = next((d for d in ctx.package.documents if d.path == s.file), None)
    if doc is None:
        return False
    for b in doc.blocks:
        for sent in _sentences(b.text):
            if not _ADJUST.search(sent):
                continue
            vals = [a.wan for a in find_amounts(sent)]
            if any(same_amount(v, s.value, tol) for v in vals) and any(same_amount(v, ref.value, tol) for v in vals):
                return True
    return False


def _doc_label(ctx: Context, path: str) -> str:
    for d in ctx.package.documents:
        if d.path == path:
            return f"{kind_label(d.kind)}（{path.rsplit('/', 1)[-1]}）"
    return path


# ---------------------------------------------------------------------------------------------
# funding sources

_SOURCE_WORDS = re.compile(r"资金来源|经费来源|经费渠道|资金渠道|资金筹措|筹资方案|资金构成|资金安排方式")
_TEXT_CHANNELS = tuple(c for c in CHANNELS if c != "其他") + ("其他资金", "其他经费", "其他来源", "市财政", "区财政",
                                                              "县财政", "财政")
_TEXT_CHANNEL_RX = re.compile("|".join(sorted(set(_TEXT_CHANNELS), key=len, reverse=True)))
_TOTAL_WORDS = re.compile(r"(?:总投资|总额|合计|共计|总计|投资额度|概算|估算|总预算)[^，,；;、]{0,6}$")
_UNSECURED = re.compile(
    r"待定|待落实|未落实|尚未(?:落实|明确|确定)|暂未(?:落实|明确|确定)|未明确|不明确|未确定|另行(?:研究|解决|安排|筹措)"
    r"|视情况|待研究|待协调|待申请|暂无"
)
# "其他" (资金/经费/来源) right before an amount, with what it is in brackets when the writer says so
_OTHER = re.compile(r"其他(?:资金|经费|来源|渠道)?(?:[(（]([^)）]{2,40})[)）])?[\s:：为是]*$")
_PROOF_NOTE = re.compile(r"证明|待|另附")
_FUNDING_LABELS = ("经费渠道", "资金来源", "拟采用资金来源", "资金渠道", "经费来源", "资金来源及渠道")


@dataclass(slots=True)
class Part:
    channel: str | None  # None = an amount whose channel is not named
    amount: Decimal  # 万元
    raw: str


@dataclass(slots=True)
class SourceStatement:
    doc: Document
    loc: Location | None
    evidence: str
    parts: list[Part]
    total: Decimal | None  # a total stated in the same statement
    complete: bool  # every channel named has an amount
    origin: str  # form | matrix | text | table
    cells: dict[str, Cell] | None = None  # matrix: channel -> value cell

    def named(self) -> list[Part]:
        return [p for p in self.parts if p.channel]


def parse_statement(text: str) -> tuple[list[Part], Decimal | None, bool]:
    """(channel amounts, a total stated alongside, complete) of one funding statement."""
    amounts = [a for a in find_amounts(text) if a.unit != "大写"]
    parts: list[Part] = []
    total: Decimal | None = None
    prev_end = 0
    channels_with_amount = 0
    for a in amounts:
        before = text[prev_end : a.start]
        prev_end = a.end
        if _TOTAL_WORDS.search(before):
            total = a.wan if total is None else total
            continue
        found = list(_TEXT_CHANNEL_RX.finditer(before))
        other = _OTHER.search(before)
        if other and (not found or found[-1].start() <= other.start()):
            named = other.group(1)
            parts.append(Part(f"其他（{named}）" if named and not _PROOF_NOTE.search(named) else "其他", a.wan, a.raw))
            channels_with_amount += 1
        elif found:
            parts.append(Part(found[-1].group(0), a.wan, a.raw))
            channels_with_amount += 1
        else:
            parts.append(Part(None, a.wan, a.raw))
    mentions = len(_TEXT_CHANNEL_RX.findall(text))
    # a channel mentioned after the last amount ("…300万元，其余由本级财政解决") has no amount
    tail_channel = bool(_TEXT_CHANNEL_RX.search(text[prev_end:])) if amounts else mentions > 0
    complete = not tail_channel and channels_with_amount >= 1
    return parts, total, complete


_SENTENCE_END = re.compile(r"(?<=[。；;！？!?\n])")
_SENTENCE_DELIMS = re.compile(r"[。；;！？!?\n]")


def _sentences(text: str) -> list[str]:
    if not _SENTENCE_DELIMS.search(text):  # one sentence (most blocks): what the split would give
        return [text] if text.strip() else []
    return [s for s in _SENTENCE_END.split(text) if s.strip()]


def source_statements(ctx: Context) -> list[SourceStatement]:
    key = ("content-a:sources", id(ctx.package))
    hit = ctx.shared.get(key)
    if hit is not None and hit[0] is ctx.package:
        return hit[1]
    out: list[SourceStatement] = []
    for doc in ctx.docs(*FORM_KINDS):
        for f in form_fields(doc, _FUNDING_LABELS):
            m = _matrix(doc, f)
            if m is not None:
                out.append(m)
                continue
            if f.value is None:
                continue
            parts, total, complete = parse_statement(f.value.text)
            out.append(SourceStatement(doc, f.value.loc, f"{_label(f.label.text)}：{_short(f.value.text, 80)}",
                                       parts, total, complete, "form"))
    for doc in ctx.docs(*REPORT_KINDS, *FORM_KINDS):
        for b in doc.blocks:
            if b.kind == "toc":
                continue
            for s in _sentences(b.text):
                if "运维" in s or "运行维护" in s:
                    continue
                named_source = _SOURCE_WORDS.search(s) is not None
                if not named_source and "其中" not in s:
                    continue  # no statement (decided before parsing: most sentences)
                parts, total, complete = parse_statement(s)
                if not named_source and not (total is not None and parts and all(p.channel for p in parts)):
                    continue  # "总投资500万元，其中中省补助300万元、本级财政200万元" is a statement too
                if not parts and not _UNSECURED.search(s):
                    continue
                out.append(SourceStatement(doc, b.loc, _short(s.strip(), 120), parts, total, complete, "text"))
    for b in budgets(ctx):
        if not b.funding_table:
            continue
        parts = []
        for ln in b.lines:
            if ln.kind != "item" or ln.children:
                continue
            v = ln.amount(b.main_col)
            if v is None:
                continue
            wan, _ = b.to_wan(v)
            ch = _TEXT_CHANNEL_RX.search(clean(ln.name)) or re.search("其他", ln.name)
            parts.append(Part(ch.group(0) if ch else None, wan, ln.row.cells[b.main_col].text))
        if parts:
            out.append(SourceStatement(b.doc, b.view.header_loc(), f"{b.view.table.title or '资金来源表'}",
                                       parts, None, all(p.channel for p in parts), "table"))
    ctx.shared[key] = (ctx.package, out)
    return out


def _matrix(doc: Document, f: FormField) -> SourceStatement | None:
    """Taixing form: 拟采用资金来源（万元）| 财政拨款 | 自筹经费 | 上级补助 | 其他 — amounts in the row below."""
    row, nxt = f.row, f.next_row
    heads = [(i, c) for i, c in enumerate(row) if c is not f.label and c.text != f.label.text
             and (i == 0 or c.text != row[i - 1].text)  # a merged cell once
             and len(clean(c.text)) <= 20 and re.match(r"^(?:" + "|".join(CHANNELS) + r")", clean(c.text))]
    if len({clean(c.text) for _, c in heads}) < 2 or nxt is None:
        return None
    unit = unit_from_header(f.label.text) or "万元"
    parts: list[Part] = []
    cells: dict[str, Cell] = {}
    for i, c in heads:
        if i >= len(nxt):
            continue
        vc = nxt[i]
        name = re.match(r"^(?:" + "|".join(sorted(CHANNELS, key=len, reverse=True)) + r")", clean(c.text)).group(0)
        cells[name] = vc
        if is_blank(vc.text):
            continue
        a = parse_amount(vc.text.strip(), default_unit=unit)
        if a is not None:
            parts.append(Part(name, a.wan, vc.text.strip()))
    ev = " | ".join(f"{n}：{cells[n].text.strip() or '（空）'}" for n in cells)
    return SourceStatement(doc, f.label.loc, f"{_label(f.label.text)}（{ev}）", parts, None, True, "matrix", cells)


@check_kind("funding-sources-sum", optional=["tolerance"])
def funding_sources_sum(rule: Rule, ctx: Context) -> Iterator[Diagnostic]:
    """The amounts of the funding channels add up to the total investment."""
    tol = _tol(rule)
    ref = investment_reference(ctx, tol)
    for st in source_statements(ctx):
        named = st.named()
        if not named or not st.complete:
            continue
        if st.origin in ("form", "text") and len(st.parts) != len(named):
            continue  # an amount of something else in the sentence: not a clean statement
        total = st.total if st.total is not None else (ref.value if ref else None)
        if total is None:
            continue
        s = sum((p.amount for p in st.parts), Decimal(0))
        if same_amount(s, total, tol):
            continue
        detail = "＋".join(f"{p.channel or '未写明渠道'}{fmt_num(p.amount)}" for p in st.parts)
        yield rule.diag(
            file=st.doc.path, loc=st.loc, evidence=st.evidence, key=f"sources:{fmt_num(s)}",
            data={"sum": fmt_num(s), "total": fmt_num(total)},
            **fill(rule, sum=fmt_wan(s), detail=detail, total=fmt_wan(total)),
        )


@check_kind("funding-channel", optional=["placeholders"])
def funding_channel(rule: Rule, ctx: Context) -> Iterator[Diagnostic]:
    """Money whose channel is not named: an amount alone in the form's 经费渠道 (经费渠道：860万元), a
    bare “其他” (其他234.56万元) in the form or a report, or a source not secured (资金来源：待落实). An
    empty form field is the form rules' business (required-field); Taixing's 其他 column is DL118's."""
    placeholders = placeholders_for(rule, ctx)
    for st in source_statements(ctx):
        if st.origin not in ("form", "text"):
            continue
        text = st.evidence.split("：", 1)[-1] if st.origin == "form" else st.evidence
        if st.origin == "form" and (is_blank(text) or is_placeholder(text, placeholders)):
            continue  # not filled in: reported by the form's required-field rule
        vague = [p for p in st.parts if p.channel == "其他"]
        unnamed = [p for p in st.parts if p.channel is None] if st.origin == "form" else []
        if vague or unnamed:
            shown = "、".join(f"{'“其他”' if p.channel else '未写渠道的'}{fmt_wan(p.amount)}" for p in vague + unnamed)
            yield rule.diag(file=st.doc.path, loc=st.loc, evidence=st.evidence, key=f"unnamed:{shown}",
                            **fill(rule, problem=f"{shown}未写明资金渠道", value=_short(text)))
            continue
        if st.named() or _TEXT_CHANNEL_RX.search(text):
            continue  # a channel is named (an amount may follow elsewhere)
        m = _UNSECURED.search(text)
        if m:
            yield rule.diag(file=st.doc.path, loc=st.loc, evidence=st.evidence, key=f"unsecured:{_short(text, 30)}",
                            **fill(rule, problem=f"资金来源写的是“{m.group(0)}”", value=_short(text)))


# ---------------------------------------------------------------------------------------------
# 大写 / 小写


def _texts(doc: Document) -> Iterator[tuple[str, Location]]:
    for b in doc.blocks:
        if b.kind != "toc":
            yield b.text, b.loc
    if doc.format != "xlsx":  # xlsx cells are blocks already
        for t in doc.tables:
            for row in t.rows:
                for i, c in enumerate(row):
                    if i == 0 or c.text != row[i - 1].text:
                        yield c.text, c.loc


_CAPITAL_DIGIT = re.compile("[壹贰叁肆伍陆柒捌玖]")


@check_kind("capital-amount", optional=["documents"])
def capital_amount(rule: Rule, ctx: Context) -> Iterator[Diagnostic]:
    """A 大写 amount that differs from the 小写 amount written next to it."""
    kinds = tuple(rule.params.get("documents") or ())
    docs = ctx.docs(*kinds) if kinds else [d for d in ctx.package.documents if d.readable]
    for doc in docs:
        for text, loc in _texts(doc):
            if not _CAPITAL_DIGIT.search(text):
                continue
            for cap, num in capital_mismatches(text):
                yield rule.diag(
                    file=doc.path, loc=loc, evidence=text[min(cap.start, num.start) : max(cap.end, num.end)],
                    key=f"{cap.raw}|{num.raw}",
                    **fill(rule, capital=cap.raw, capital_value=fmt_wan(cap.wan), number=num.raw,
                           number_value=fmt_wan(num.wan)),
                )


# ---------------------------------------------------------------------------------------------
# O&M service term (南府办发〔2023〕14号 第四十条: 不超过三年)

_CN_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_SERVICE = r"(?:运维|运行维护|维保|维护|托管|购买服务|服务)"
_TERM = re.compile(
    _SERVICE + r"[^。；;，,]{0,10}?(?:期限|服务期|周期|年限|履行期|合同期|期|采购|购买)[^。；;\d一二三四五六七八九十两]{0,6}?"
    r"(?<![\d.])(\d{1,3}|[一二三四五六七八九十两]+)\s*(个月|个?年|周年)(?!度|级|\d)"
)
_RANGE = re.compile(
    r"(20\d\d)\s*年?(?:\s*(\d{1,2})\s*月)?(?:\s*\d{1,2}\s*日)?\s*(?:至|到|—|–|-|~|～|－)\s*(20\d\d)\s*年"
    r"(?:\s*(\d{1,2})\s*月)?"
)
_RANGE_CONTEXT = re.compile(r"(?:运维|运行维护|维保)(?:服务)?[^。；;，,]{0,8}?(?:期|期限|周期|时间|采购|购买)|服务(?:期|期限|周期|年限)|购买服务期|履行期限|合同期限")
_TERM_EXCLUDE = re.compile(r"质保|保修|免费|建设期|建设周期|建设工期|规划期|十四五|使用年限|设计寿命|电池|试运行")
# Every _TERM match starts with a _SERVICE word and every _RANGE_CONTEXT match with one of these, and
# every _TERM / _RANGE match holds 年 or 月: a sentence without both states no term (most sentences;
# service_term tests this first).
_MAY_TERM = re.compile(_SERVICE + r"|履行期限|合同期限")
_RESTATES_LIMIT = re.compile(r"不(?:得)?超过|不大于|以内|最长")
_CLAUSE_SPLIT = re.compile(r"[，,；;]")


def _cn_int(s: str) -> int | None:
    if s.isdigit():
        return int(s)
    if s in _CN_NUM:
        return _CN_NUM[s]
    if len(s) == 2 and s[0] == "十":
        return 10 + _CN_NUM.get(s[1], 0)
    return None


def service_terms(text: str) -> list[tuple[int, str]]:
    """(months, matched text) of every O&M / service term stated in `text` (one sentence)."""
    out: list[tuple[int, str]] = []
    for clause in _CLAUSE_SPLIT.split(text):
        if _TERM_EXCLUDE.search(clause):
            continue  # 质保期 / 建设期 …: not a procured O&M term
        out += _clause_terms(clause)
    return out


def _clause_terms(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for m in _TERM.finditer(text):
        n = _cn_int(m.group(1))
        if n is not None and (m.group(2) == "个月" or n <= 30):
            out.append((n if m.group(2) == "个月" else n * 12, m.group(0)))
    if _RANGE_CONTEXT.search(text):
        for m in _RANGE.finditer(text):
            y1, mo1, y2, mo2 = int(m.group(1)), m.group(2), int(m.group(3)), m.group(4)
            if y2 < y1:
                continue
            months = (y2 - y1) * 12 + (int(mo2) - int(mo1)) if mo1 and mo2 else (y2 - y1 + 1) * 12
            out.append((months, m.group(0)))
    return out


@check_kind("service-term", optional=["max-years", "documents"])
def service_term(rule: Rule, ctx: Context) -> Iterator[Diagnostic]:
    """Procured O&M service whose term is longer than `max-years` (default 3)."""
    max_months = int(rule.params.get("max-years", 3)) * 12
    kinds = tuple(rule.params.get("documents") or (*FORM_KINDS, *REPORT_KINDS))
    for doc in ctx.docs(*kinds):
        for text, loc in _texts(doc):
            for s in _sentences(text):
                if ("年" not in s and "月" not in s) or not _MAY_TERM.search(s):
                    continue  # no service or contract term named
                if _RESTATES_LIMIT.search(s):
                    continue  # restating the limit, not a term
                terms = [t for t in service_terms(s) if t[0] > max_months]
                if not terms:
                    continue
                months, raw = max(terms)
                years = fmt_num((Decimal(months + 1 if months % 12 == 11 else months) / 12).quantize(Decimal("0.1")))
                yield rule.diag(file=doc.path, loc=loc, evidence=_short(s.strip(), 120), key=raw,
                                **fill(rule, term=raw, years=years, max_years=str(rule.params.get("max-years", 3))))


# ---------------------------------------------------------------------------------------------
# parameter validation


@param_validator("money-consistency")
def _v_consistency(p: dict) -> list[tuple[str, str]]:
    errs = check_type(p, "fact", (str,), "字符串")
    if p.get("fact") not in ("total_investment", "om_funding"):
        errs.append(("fact", "只能是 total_investment 或 om_funding"))
    return errs + check_type(p, "what", (str,), "字符串") + _v_tol(p) + check_type(p, "include-budget", (bool,), "true/false")


def _v_tol(p: dict) -> list[tuple[str, str]]:
    return check_type(p, "tolerance", (int, float, str), "数字（万元）")


for _k in ("budget-arithmetic", "budget-unit-price", "funding-sources-sum"):
    param_validator(_k)(_v_tol)


@param_validator("capital-amount")
def _v_capital(p: dict) -> list[tuple[str, str]]:
    return check_str_list(p, "documents", kinds_only=True)


@param_validator("service-term")
def _v_term(p: dict) -> list[tuple[str, str]]:
    return check_type(p, "max-years", (int,), "整数") + check_str_list(p, "documents", kinds_only=True)


__all__ = ["Amount", "stated", "investment_reference", "source_statements", "service_terms", "parse_statement"]
