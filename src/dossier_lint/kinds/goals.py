"""绩效目标 that can be checked, and the 自建 vs 购买服务 economics of a 购买服务 project.

`performance-goals` — reads the goals from the form's 绩效目标 field (facts `goals`), from report
sections titled 绩效目标 / 绩效指标, and from indicator tables (一级指标 / 三级指标 / 指标值) and reports,
per rule `check`:
  check = "present"     no goals anywhere                                    (message: {documents})
  check = "quantified"  goals made of adjectives only: no number with a unit, percentage, comparator
                        or date                                             ({vague}: phrases found)
  check = "dimensions"  quantified goals that lack a first-level dimension (产出, 效益, 满意度)
                                                                            ({missing})
  check = "rates"       a rate / 满意度 / 覆盖率 target above 100 %          ({value})
  check = "indicators"  an indicator-table row whose target value is only an adjective phrase
                        ("应急指挥调度效率 | 进一步提升"); graded values (达到预期) are fine
                                                                            ({indicator} {value})
  params: check (required); documents (kinds whose sections are read; default the reports and the
  form); dimensions ({名称 = [regex…]}, for "dimensions"); vague (phrases quoted back for "quantified").

`service-economics` — the 服务需求方案 of a 购买服务 project compares 自建 with 购买服务 (第十七条):
  check = "present"     no comparison at all
  check = "figures"     a comparison without amounts
  check = "cheaper"     the amounts show the service costing at least as much as building
                        ({service_cost} {self_cost} {service_where} {self_where})
  params: check (required); documents (default ["service_requirement_plan"]); headings (regexes of
  comparison section titles); self-words / service-words / total-words (regexes).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..model import Block, Diagnostic, Document, Location, Table
from ..money import find_amounts, fmt_wan, parse_number, unit_from_header
from ..rule import Context, Rule, check_kind
from ..sentences import norm, regex, split_clauses, split_sentences, terms_of, where
from .common import check_regex, check_str_list, check_type, fill, is_placeholder, param_validator

GOAL_DOC_KINDS = (
    "application_form", "feasibility_report", "implementation_plan", "preliminary_design",
    "service_requirement_plan", "app_implementation_plan",
)
_GOAL_HEADING = re.compile(r"绩效目标|绩效指标|绩效目标表")
_INDICATOR_HEAD = re.compile(r"一级指标|二级指标|三级指标|指标值|指标名称|目标值")
_UNITS = (
    r"%|‰|个|项|家|人次|万人|人|次|台|套|条|件|份|户|天|日|小时|分钟|秒|ms|毫秒|年|月|周|元|GB|TB|PB|"
    r"Mbps|Gbps|M|G|km|公里|平方米|平方|类|张|路|倍|分|笔|宗|所|座|部|篇|万|亿|个工作日|工作日"
)
_QUANT = [
    re.compile(rf"\d+(?:\.\d+)?\s*(?:{_UNITS})"),
    re.compile(r"[≥≤><]=?\s*\d"),
    re.compile(r"(?:不低于|不少于|不超过|不高于|不小于|不大于|达到|提高到|缩短至|缩短到|控制在|少于|低于|高于|以内)\s*\d"),
    re.compile(r"\d{4}年\d{1,2}月|\d{4}年(?:底|末|年底|上半年|下半年)"),
]
DEFAULT_VAGUE = (
    "显著提升", "显著提高", "进一步完善", "进一步提高", "进一步提升", "大幅提高", "大幅提升", "有效提升",
    "有效提高", "明显改善", "明显提高", "全面提升", "不断优化", "持续优化", "显著增强", "有效解决",
    "逐步实现", "大大提高", "切实提高", "稳步提升", "更加完善", "不断完善", "明显增强", "有力支撑",
)
# A dimension counts when it is named or when a goal of its sort is there: "接入部门≥12个" is an
# output, "处置时长缩短30%" a benefit; satisfaction is always named.
DEFAULT_DIMENSIONS = {
    "产出指标": [r"产出", r"数量指标", r"质量指标", r"时效指标", r"成本指标", r"建成", r"上线", r"接入", r"覆盖",
                 r"开发", r"部署", r"完成", r"汇聚"],
    "效益指标": [r"效益", r"效率", r"缩短", r"减少", r"降低", r"节约", r"节省", r"提高到", r"提升至"],
    "满意度指标": [r"满意"],
}
_RATE = re.compile(
    r"([\u4e00-\u9fa5A-Za-z]{0,12}?(?:率|满意度|占比|比例|比率))[^，。；,;\d]{0,10}?"
    r"(?:[≥≤><]=?|不低于|达到|提高到|为|:)?\s*(\d+(?:\.\d+)?)\s*[%％]"
)


def is_quantified(text: str) -> bool:
    t = norm(text)
    return any(p.search(t) for p in _QUANT)


@dataclass(slots=True)
class GoalUnit:
    text: str
    file: str
    loc: Location | None


@dataclass(slots=True)
class GoalSource:
    file: str
    loc: Location | None
    origin: str  # "字段" | "章节" | "指标表"
    units: list[GoalUnit] = field(default_factory=list)

    def text(self) -> str:
        return "\n".join(u.text for u in self.units)


def goal_sources(ctx: Context, kinds: tuple[str, ...] | list[str] = GOAL_DOC_KINDS) -> list[GoalSource]:
    pkg = ctx.package
    out: list[GoalSource] = []
    for f in pkg.facts.all("goals"):
        v = str(f.value or "")
        if is_placeholder(v):
            continue
        src = GoalSource(f.file, f.loc, "字段")
        src.units = [GoalUnit(s, f.file, f.loc) for s in split_sentences(v)] or [GoalUnit(v, f.file, f.loc)]
        out.append(src)
    seen_tables: set[int] = set()
    for doc in ctx.docs(*kinds):
        for h in doc.headings:
            if not _GOAL_HEADING.search(norm(h.title or h.text)):
                continue
            src = GoalSource(doc.path, h.loc, "章节")
            for b in doc.section_blocks(h):
                if b.kind == "toc":
                    continue
                src.units.extend(GoalUnit(s, doc.path, b.loc) for s in split_sentences(b.text))
            for t in _tables_under(doc, h):
                seen_tables.add(id(t))
                src.units.extend(_row_units(doc, t))
            if src.units:
                out.append(src)
        for t in doc.tables:
            if id(t) in seen_tables or not _is_indicator_table(t):
                continue
            seen_tables.add(id(t))
            src = GoalSource(doc.path, t.loc, "指标表", _row_units(doc, t))
            if src.units:
                out.append(src)
    return out


def _tables_under(doc: Document, h: Any) -> list[Table]:
    path = h.loc.heading
    return [t for t in doc.tables if path and t.loc.heading[: len(path)] == path]


def _is_indicator_table(t: Table) -> bool:
    head = "|".join(norm(c.text) for row in t.rows[:3] for c in row)
    return bool(_INDICATOR_HEAD.search(head))


def _row_units(doc: Document, t: Table) -> list[GoalUnit]:
    units = []
    for row in t.rows:
        seen: list[str] = []
        for c in row:
            if c.text.strip() and c.text not in seen:
                seen.append(c.text.strip())
        if seen:
            units.append(GoalUnit(" ".join(seen), doc.path, row[0].loc if row else t.loc))
    return units


def _is_header_unit(u: GoalUnit) -> bool:
    return bool(_INDICATOR_HEAD.search(norm(u.text))) and not is_quantified(u.text)


# ---------------------------------------------------------------------------------------------
# performance-goals


@param_validator("performance-goals")
def _v_goals(params: dict[str, Any]) -> list[tuple[str, str]]:
    errs: list[tuple[str, str]] = []
    if params.get("check") not in ("present", "quantified", "dimensions", "rates", "indicators"):
        errs.append(("check", "只能是 present、quantified、dimensions、rates 或 indicators"))
    errs += check_str_list(params, "documents", kinds_only=True)
    errs += check_str_list(params, "vague", nonempty=False)
    dims = params.get("dimensions")
    if dims is not None:
        if not isinstance(dims, dict) or not all(isinstance(v, list) and v for v in dims.values()):
            errs.append(("dimensions", "必须是 { 名称 = [正则, ...] } 表"))
        else:
            for v in dims.values():
                errs += check_regex({"dimensions": v}, "dimensions")
    return errs


@check_kind("performance-goals", required=["check"], optional=["documents", "dimensions", "vague"])
def performance_goals(rule: Rule, ctx: Context) -> Iterator[Diagnostic]:
    check = rule.params["check"]
    kinds = rule.params.get("documents") or GOAL_DOC_KINDS
    docs = ctx.docs(*kinds)
    if not docs:
        return  # nothing that should carry goals was read
    sources = goal_sources(ctx, kinds)
    if check == "present":
        if not sources:
            names = "、".join(d.path for d in docs[:3]) + ("等" if len(docs) > 3 else "")
            yield rule.diag(key=rule.id, data={"documents": [d.path for d in docs]}, **fill(rule, documents=names))
        return
    if check == "quantified":
        if not sources or any(is_quantified(s.text()) for s in sources):
            return
        vague_words = tuple(rule.params.get("vague") or DEFAULT_VAGUE)
        src = sources[0]
        found = [w for w in vague_words if any(norm(w) in norm(u.text) for s in sources for u in s.units)]
        unit = next((u for s in sources for u in s.units if any(norm(w) in norm(u.text) for w in found)),
                    src.units[0])
        yield rule.diag(
            file=unit.file, loc=unit.loc, evidence=unit.text, key=rule.id,
            data={"vague": found, "sources": [where(s.file, s.loc) for s in sources]},
            **fill(rule, vague="、".join(found[:4]) or "（无量化指标）", where=where(src.file, src.loc)),
        )
        return
    if check == "dimensions":
        quantified = [s for s in sources if is_quantified(s.text())]
        if not quantified:
            return  # "quantified" reports it
        dims: dict[str, list[str]] = rule.params.get("dimensions") or DEFAULT_DIMENSIONS
        text = norm("\n".join(s.text() for s in sources))
        missing = [name for name, pats in dims.items() if not any(regex(p).search(text) for p in pats)]
        if missing:
            src = quantified[0]
            yield rule.diag(
                file=src.file, loc=src.loc, key="|".join(missing), data={"missing": missing},
                **fill(rule, missing="、".join(missing), where=where(src.file, src.loc)),
            )
        return
    if check == "indicators":
        vague_words = tuple(rule.params.get("vague") or DEFAULT_VAGUE)
        for doc in docs:
            for t in doc.tables:
                yield from _vague_rows(rule, doc, t, vague_words)
        return
    if check == "rates":
        for s in sources:
            for u in s.units:
                for m in _RATE.finditer(norm(u.text)):
                    value = Decimal(m.group(2))
                    if value > 100 and not re.search(r"增长|增加|提高了|提升了|同比|环比|增幅", m.group(0)):
                        yield rule.diag(
                            file=u.file, loc=u.loc, evidence=u.text, key=norm(m.group(0)),
                            data={"value": str(value)}, **fill(rule, value=f"{value}%", indicator=m.group(1)),
                        )


_VALUE_HEAD = re.compile(r"指标值|目标值|预期值|年度指标值|预期目标|指标目标")
_NAME_HEAD = re.compile(r"三级指标|指标名称|绩效指标")
_VAGUE_VERB = re.compile(r"提升|提高|完善|加强|优化|改善|增强|强化|推进|促进|显著|明显|有效|大幅|进一步")
_GRADED = re.compile(r"达到预期|部分达到|未达到|达标|合格|符合|^是$|^否$|^[优良好高中低]$|^有$")


def _vague_rows(rule: Rule, doc: Document, t: Table, vague_words: tuple[str, ...]) -> Iterator[Diagnostic]:
    """Rows of an indicator table whose value is an adjective phrase and no target."""
    if not t.rows:
        return
    head_i = next((i for i, row in enumerate(t.rows[:3]) if any(_VALUE_HEAD.search(norm(c.text)) for c in row)), None)
    if head_i is None:
        return
    head = [norm(c.text) for c in t.rows[head_i]]
    vcol = next(i for i, h in enumerate(head) if _VALUE_HEAD.search(h))
    ncol = next((i for i, h in enumerate(head) if _NAME_HEAD.search(h) and i != vcol), max(0, vcol - 1))
    for row in t.rows[head_i + 1 :]:
        if vcol >= len(row):
            continue
        value = row[vcol].text.strip()
        v = norm(value)
        if not v or is_quantified(v) or _GRADED.search(v):
            continue
        if not (_VAGUE_VERB.search(v) or any(norm(w) in v for w in vague_words)):
            continue
        name = row[ncol].text.strip() if ncol < len(row) else ""
        yield rule.diag(
            file=doc.path, loc=row[vcol].loc, evidence=" | ".join(c.text.strip() for c in row if c.text.strip()),
            key=norm(name + "|" + value), data={"indicator": name, "value": value},
            **fill(rule, indicator=name, value=value),
        )


# ---------------------------------------------------------------------------------------------
# service-economics

DEFAULT_COMPARISON_HEADINGS = (
    r"(?:自建|自行建设|自主建设).{0,12}购买服务", r"购买服务.{0,12}(?:自建|自行建设)", r"经济性比较",
    r"经济性对比", r"经济性分析", r"成本比较", r"费用比较", r"成本对比",
)
DEFAULT_SELF = (r"自建", r"自行建设", r"自主建设", r"自建自维", r"建设方式")
DEFAULT_SERVICE = (r"购买服务", r"服务费", r"服务方式", r"租用服务")
DEFAULT_TOTAL = (r"合计", r"总计", r"总额", r"共计", r"累计", r"总费用", r"总成本", r"总投入", r"总共")
_COMPARE_WORDS = re.compile(r"比较|对比|相比|低于|高于|小于|大于|节约|节省|优于|经济性")


@param_validator("service-economics")
def _v_service(params: dict[str, Any]) -> list[tuple[str, str]]:
    errs: list[tuple[str, str]] = []
    if params.get("check") not in ("present", "figures", "cheaper"):
        errs.append(("check", "只能是 present、figures 或 cheaper"))
    errs += check_str_list(params, "documents", kinds_only=True)
    for key in ("headings", "self-words", "service-words", "total-words"):
        errs += check_str_list(params, key) + check_regex(params, key)
    errs += check_type(params, "label", (str,), "字符串")
    return errs


@dataclass(slots=True)
class Comparison:
    doc: Document
    loc: Location | None
    blocks: list[Block]
    tables: list[Table]
    title: str


def find_comparison(doc: Document, headings: list[str], self_w: list[str], svc_w: list[str]) -> Comparison | None:
    for h in doc.headings:
        t = norm(h.title or h.text)
        if any(regex(p).search(t) for p in headings):
            return Comparison(doc, h.loc, doc.section_blocks(h), _tables_under(doc, h), h.text)
    # no such chapter: paragraphs that compare the two ways in so many words
    hits = [
        b for b in doc.blocks
        if b.kind in ("para", "cell")
        and any(regex(p).search(norm(b.text)) for p in self_w)
        and any(regex(p).search(norm(b.text)) for p in svc_w)
        and _COMPARE_WORDS.search(b.text)
    ]
    if hits:
        return Comparison(doc, hits[0].loc, hits, [], "")
    return None


@check_kind(
    "service-economics",
    required=["check"],
    optional=["documents", "headings", "self-words", "service-words", "total-words", "label"],
)
def service_economics(rule: Rule, ctx: Context) -> Iterator[Diagnostic]:
    p = rule.params
    check = p["check"]
    headings = list(p.get("headings") or DEFAULT_COMPARISON_HEADINGS)
    self_w = list(p.get("self-words") or DEFAULT_SELF)
    svc_w = list(p.get("service-words") or DEFAULT_SERVICE)
    total_w = list(p.get("total-words") or DEFAULT_TOTAL)
    terms = terms_of(ctx.settings)
    for doc in ctx.docs(*(p.get("documents") or ["service_requirement_plan"])):
        comp = find_comparison(doc, headings, self_w, svc_w)
        if check == "present":
            if comp is None:
                yield rule.diag(file=doc.path, key=rule.id, **fill(rule, document=doc.path))
            continue
        if comp is None:
            continue
        text_amounts = [a for b in comp.blocks for a in find_amounts(b.text)]
        table_numbers = [
            n for t in comp.tables for row in t.rows[1:] for c in row if (n := parse_number(c.text)) is not None and n > 0
        ]
        if check == "figures":
            if not text_amounts and not table_numbers:
                yield rule.diag(
                    file=doc.path, loc=comp.loc, evidence=comp.title or (comp.blocks[0].text if comp.blocks else None),
                    key=rule.id, **fill(rule, document=doc.path, section=f"“{comp.title}”" if comp.title else ""),
                )
            continue
        # cheaper
        self_total = _side_total(comp, self_w, svc_w, total_w, terms) or _table_total(comp, self_w, svc_w, total_w)
        svc_total = _side_total(comp, svc_w, self_w, total_w, terms) or _table_total(comp, svc_w, self_w, total_w)
        if self_total is None or svc_total is None:
            continue
        (sv, s_loc, _), (cv, c_loc, c_ev) = self_total, svc_total
        if cv >= sv:
            yield rule.diag(
                file=doc.path, loc=c_loc, evidence=c_ev, key=f"{cv}|{sv}",
                data={"service_wan": str(cv), "self_wan": str(sv)},
                **fill(rule, service_cost=fmt_wan(cv), self_cost=fmt_wan(sv),
                       service_where=where(doc.path, c_loc), self_where=where(doc.path, s_loc)),
            )


def _side_total(
    comp: Comparison, mine: list[str], other: list[str], total_w: list[str], terms: Any
) -> tuple[Decimal, Location, str] | None:
    """The total cost the prose gives one side: an amount in a clause about that side (and not the
    other), preferring clauses that say 合计/总额; a side with several untotalled amounts is unknown."""
    totals: list[tuple[Decimal, Location, str]] = []
    plain: list[tuple[Decimal, Location, str]] = []
    for b in comp.blocks:
        for s in split_sentences(b.text):
            side = None
            for c in split_clauses(norm(s), terms):
                is_mine = any(regex(x).search(c.text) for x in mine)
                is_other = any(regex(x).search(c.text) for x in other)
                if is_mine and not is_other:
                    side = "mine"
                elif is_other and not is_mine:
                    side = "other"
                elif is_mine and is_other:
                    side = None
                if side != "mine":
                    continue
                amounts = find_amounts(c.text)
                if not amounts:
                    continue
                if any(regex(t).search(c.text) for t in total_w):
                    totals.append((amounts[-1].wan, b.loc, s.strip()))
                elif len(amounts) == 1:
                    plain.append((amounts[0].wan, b.loc, s.strip()))
                else:
                    plain.extend([(a.wan, b.loc, s.strip()) for a in amounts] * 2)  # several parts: no total
    if totals:
        return max(totals, key=lambda x: x[0])
    if len(plain) == 1:
        return plain[0]
    return None


def _table_total(
    comp: Comparison, mine: list[str], other: list[str], total_w: list[str]
) -> tuple[Decimal, Location, str] | None:
    """A comparison table: a row per way (自建 | 建设费 | 运维费 | 合计) or a column per way."""
    for t in comp.tables:
        if not t.rows:
            continue
        head = [norm(c.text) for c in t.rows[0]]
        unit = unit_from_header(t.title + " " + " ".join(head)) or "万元"
        factor = {"元": Decimal("0.0001"), "千元": Decimal("0.1"), "亿元": Decimal(10000)}.get(unit, Decimal(1))
        total_col = next((i for i, h in enumerate(head) if any(regex(x).search(h) for x in total_w)), None)
        for row in t.rows[1:]:
            label = norm(row[0].text) if row else ""
            if any(regex(x).search(label) for x in mine) and not any(regex(x).search(label) for x in other):
                cells = row[total_col:total_col + 1] if total_col is not None and total_col < len(row) else row[1:]
                nums = [(parse_number(c.text), c) for c in cells]
                nums = [(n, c) for n, c in nums if n is not None]
                if nums:
                    n, c = nums[-1]
                    return n * factor, c.loc, " | ".join(x.text for x in row)
        col = next((i for i, h in enumerate(head) if any(regex(x).search(h) for x in mine)
                    and not any(regex(x).search(h) for x in other)), None)
        if col is not None:
            for row in t.rows[1:]:
                if row and any(regex(x).search(norm(row[0].text)) for x in total_w) and col < len(row):
                    n = parse_number(row[col].text)
                    if n is not None:
                        return n * factor, row[col].loc, " | ".join(x.text for x in row)
    return None
