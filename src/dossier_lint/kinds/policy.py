"""Forbidden and required construction, read as statements of the plan, not as words.

`forbidden-construction` — the plan says it WILL build/buy/lease something the rules forbid
(南府办发〔2023〕14号 第八条: 新建机房、采购服务器、租用专线、新建共性系统 …).
  params:
    actions, objects          regular expressions (normalised text); an action must govern the
                              object inside one clause (see sentences.find_matches)
    object-prefix-excludes    text right before the object that makes it something else ("云" 服务器)
    object-suffix-excludes    text right after the object that makes it a use, not a build (电子证照"对接")
    max-gap, backward-gap, gap-breakers   binding tuning (sentences.Pattern)
    compliant-if              regexes: a sentence holding one says the thing is done the compliant way
                              ("集成至全市基础移动门户")
    documents                 document kinds read (default: the plan documents, PLAN_KINDS)
    table-rows                also read budget/equipment table rows ("服务器 | 台 | 10 | 50.00")
    label                     Chinese name of what is forbidden, for the message
  Message fields: {action} {object} {label}. One diagnostic per sentence (or table row), quoting it.
  Not reported: negated ("不新建机房"), past or existing ("已于2020年建成"), background sections
  (现状, 政策依据), quotes/citations of the rules, hypotheticals ("如需"), 涉密 exceptions; and
  nothing at all for a 涉密 project (facts `secrecy`), which these rules do not cover.

`required-construction` — the plan must say it WILL do something (部署到市级政务云, 接入数据共享交换
平台 …). A sentence in which the plan refuses it ("本系统暂不接入…") is reported with the sentence;
a package whose plan documents never affirm it gets one package-level diagnostic.
  params: actions, objects, documents, gap tuning as above, plus
    satisfied-by    document kinds whose presence is itself the affirmation (cloud_plan)
    absence-types   project types for which silence is reported (refusals are reported for any
                    type; with an unknown type silence is never reported)
    unless-rules    forbidden-construction rules (IDs) that report a refusal sentence better: a sentence
                    they would report ("不部署在政务云，而是部署在本地服务器上") is left to them
    applies-if      words; the rule applies only when the project name or tasks contain one
                    (办公类 projects: "办公", "OA", "公文"; video systems: "视频", "监控")
    label           Chinese name of what is required
  Message fields: {label}, {detail} (what was found or that nothing was), {action}, {object}.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from ..model import Diagnostic, Document, Location, normalise_text
from ..money import parse_number
from ..rule import Context, Rule, check_kind
from ..sentences import (
    Match,
    Pattern,
    Sentence,
    find_matches,
    heading_is_background,
    is_secret_project,
    iter_sentences,
    may_match,
    norm,
    regex,
    terms_of,
)
from .common import check_regex, check_str_list, check_type, fill, param_validator

# Documents in which the unit states its plan. Minutes, approvals, contracts and acceptance papers
# describe other things (or other projects) and are not read.
PLAN_KINDS = (
    "application_form", "feasibility_report", "preliminary_design", "implementation_plan",
    "service_requirement_plan", "app_implementation_plan", "cloud_plan", "protection_plan",
    "network_security_plan", "crypto_plan", "uua_plan", "budget_sheet", "reliability_statement",
)

_PATTERN_PARAMS = [
    "object-prefix-excludes", "object-suffix-excludes", "max-gap", "backward-gap", "gap-breakers",
]


def _validate_common(params: dict[str, Any]) -> list[tuple[str, str]]:
    errs = check_str_list(params, "actions", required=True)
    errs += check_str_list(params, "objects", required=True)
    for key in ("actions", "objects", "compliant-if", "object-prefix-excludes", "object-suffix-excludes"):
        errs += check_regex(params, key)
    for key in ("object-prefix-excludes", "object-suffix-excludes", "gap-breakers", "compliant-if", "applies-if"):
        errs += check_str_list(params, key, nonempty=False)
    errs += check_str_list(params, "documents", kinds_only=True)
    errs += check_str_list(params, "satisfied-by", kinds_only=True)
    errs += check_str_list(params, "absence-types")
    errs += check_str_list(params, "unless-rules")
    for key in ("max-gap", "backward-gap"):
        errs += check_type(params, key, (int,), "整数")
    errs += check_type(params, "label", (str,), "字符串")
    errs += check_type(params, "table-rows", (bool,), "true 或 false")
    return errs


param_validator("forbidden-construction")(_validate_common)
param_validator("required-construction")(_validate_common)


def _docs(rule: Rule, ctx: Context) -> list[Document]:
    kinds = rule.params.get("documents") or PLAN_KINDS
    return ctx.docs(*kinds)


def _compliant(sentence: str, rule: Rule) -> bool:
    pats = rule.params.get("compliant-if")
    return bool(pats) and any(p.search(sentence) for p in _compiled(tuple(pats)))


@lru_cache(maxsize=512)
def _compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    # compiled once, not looked up in re's cache for every sentence of every rule
    return tuple(regex(p) for p in patterns)


# ---------------------------------------------------------------------------------------------
# forbidden


@check_kind(
    "forbidden-construction",
    required=["actions", "objects"],
    optional=[*_PATTERN_PARAMS, "compliant-if", "documents", "table-rows", "label"],
)
def forbidden_construction(rule: Rule, ctx: Context) -> Iterator[Diagnostic]:
    if is_secret_project(ctx.package):
        return
    terms = terms_of(ctx.settings)
    pattern = Pattern.from_params(rule.params)
    label = rule.params.get("label", "")
    for doc in _docs(rule, ctx):
        heading_hits: list[tuple[Sentence, Match]] = []
        body_paths: list[tuple[str, ...]] = []
        found: list[tuple[Sentence, Match]] = []
        for may, s in may_match(iter_sentences(doc), pattern):
            if not may:
                continue  # forbidden_hits would find nothing
            hits = forbidden_hits(rule, s.text, _context_path(s), terms, pattern)
            if not hits:
                continue
            if s.source == "heading":
                heading_hits.append((s, hits[0]))
            else:
                found.append((s, hits[0]))
                body_paths.append(s.heading)
        # a heading ("3.2 新建机房") that its own section repeats is reported once, at the sentence
        for s, m in heading_hits:
            if not any(p[: len(s.heading)] == s.heading for p in body_paths):
                found.append((s, m))
        # one planned thing is one finding per document: "新建机房" in 建设内容, 实施计划 and 投资估算
        # is reported at its first statement, the others listed in data
        first: dict[str, tuple[Sentence, Match, list[dict[str, Any]]]] = {}
        for s, m in sorted(found, key=lambda x: x[0].block_index if x[0].block_index >= 0 else 1 << 30):
            k = norm(m.object)
            if k in first:
                first[k][2].append(s.loc.to_dict())
            else:
                first[k] = (s, m, [])
        for s, m, more in first.values():
            d = _diag(rule, doc, s.loc, s.text, m.action, m.object, label, normalise_text(s.text))
            if more:
                d.data["also"] = more
            yield d
        if rule.params.get("table-rows"):
            yield from _table_rows(rule, ctx, doc, pattern, label)


def forbidden_hits(
    rule: Rule, text: str, heading: tuple[str, ...], terms: Any, pattern: Pattern | None = None
) -> list[Match]:
    """What a forbidden-construction rule reports in one sentence: affirmed bindings (also used by
    scripts/eval_content_b.py, so the evaluation measures this very logic)."""
    pattern = pattern or Pattern.from_params(rule.params)
    hits = [m for m in find_matches(text, pattern, terms, heading=heading) if m.affirmed]
    # compliance only matters for a sentence that hits (most hit nothing): test it second
    if not hits or _compliant(norm(text), rule):
        return []
    return hits


def refusal_hits(
    rule: Rule, text: str, heading: tuple[str, ...], terms: Any, pattern: Pattern | None = None
) -> list[Match]:
    """Sentences in which the plan refuses what a required-construction rule demands."""
    pattern = pattern or Pattern.from_params(rule.params)
    return [m for m in find_matches(text, pattern, terms, heading=heading) if m.refused]


def _context_path(s: Sentence) -> tuple[str, ...]:
    # a heading's own text is not its context: "第二章 现状" is background, its parent is not
    return s.heading[:-1] if s.source == "heading" else s.heading


def _diag(
    rule: Rule, doc: Document, loc: Location, evidence: str, action: str, obj: str, label: str, key: str
) -> Diagnostic:
    return rule.diag(
        file=doc.path,
        loc=loc,
        evidence=evidence,
        key=key,
        data={"action": action, "object": obj},
        **fill(rule, action=action, object=obj, label=label or obj),
    )


_QTY_HEAD = ("数量", "单价", "金额", "合价", "小计", "台数", "预算", "投资")
# rows that are not hardware purchases: cloud resources, software licences (东方通TongWeb应用服务器),
# reused equipment
_ROW_SKIP = re.compile(r"云|虚拟|vCPU|vcpu|租用|租赁|资源|利旧|现有|已有|原有|软件|中间件|授权|许可|license", re.I)


def _table_rows(rule: Rule, ctx: Context, doc: Document, pattern: Pattern, label: str) -> Iterator[Diagnostic]:
    """Budget / equipment list rows buying a forbidden item: the row is the plan's own statement.

    Only tables with a quantity or price header are read, and never cloud-resource tables (a
    cloud plan's "应用服务器 | 8核 | 16G" row is a virtual machine, not a purchase).
    """
    if doc.kind == "cloud_plan":
        return
    obj = regex("|".join(f"(?:{o})" for o in pattern.objects))
    terms = terms_of(ctx.settings)
    for table in doc.tables:
        rows = table.rows
        if not rows:
            continue
        head_i, head = _header(rows)
        if head is None or any(w in head for w in ("vcpu", "cpu", "内存", "核")):
            continue
        if _ROW_SKIP.search(norm(table.title)) or heading_is_background(table.loc.heading, terms):
            continue
        for row in rows[head_i + 1 :]:
            texts = [norm(c.text) for c in row]
            joined = "|".join(texts)
            if _ROW_SKIP.search(joined):
                continue
            item = next((t for t in texts if obj.search(t) and len(t) <= 30), None)
            if item is None:
                continue
            m = obj.search(item)
            assert m is not None
            before, after = item[: m.start()], item[m.end() :]
            if any(before.endswith(norm(x)) for x in pattern.object_prefix_excludes):
                continue
            if any(after.startswith(norm(x)) for x in pattern.object_suffix_excludes):
                continue
            numbers = [parse_number(t) for t in texts if t != item]
            if not any(n is not None and n > 0 for n in numbers):
                continue
            cell = next(c for c in row if norm(c.text) == item)
            evidence = " | ".join(c.text.strip() for c in row if c.text.strip())
            yield _diag(rule, doc, cell.loc, evidence, "采购", m.group(0), label, normalise_text(evidence))


def _header(rows: list[list[Any]]) -> tuple[int, str | None]:
    for i, row in enumerate(rows[:4]):
        head = "|".join(norm(c.text).lower() for c in row)
        if any(w in head for w in _QTY_HEAD):
            return i, head
    return 0, None


# ---------------------------------------------------------------------------------------------
# required


@check_kind(
    "required-construction",
    required=["actions", "objects"],
    optional=[
        *_PATTERN_PARAMS, "compliant-if", "documents", "applies-if", "label", "satisfied-by", "absence-types",
        "unless-rules",
    ],
)
def required_construction(rule: Rule, ctx: Context) -> Iterator[Diagnostic]:
    pkg = ctx.package
    if is_secret_project(pkg):
        return
    applies = rule.params.get("applies-if")
    if applies and not _project_mentions(ctx, applies):
        return
    docs = _docs(rule, ctx)
    if not docs:
        return  # the completeness rules report missing documents
    terms = terms_of(ctx.settings)
    pattern = Pattern.from_params(rule.params)
    label = rule.params.get("label", "")
    # a document of these kinds is itself the affirmation (a 政务云需求方案 plans the deployment)
    affirmed_somewhere = bool(rule.params.get("satisfied-by")) and bool(ctx.docs(*rule.params["satisfied-by"]))
    refusals: list[tuple[Document, Sentence, Match]] = []
    for doc in docs:
        for may, s in may_match(iter_sentences(doc), pattern):
            if not may:  # no binding here (find_matches would be empty): only compliance can affirm
                if not affirmed_somewhere and _compliant(s.norm, rule):
                    affirmed_somewhere = True
                continue
            matches = find_matches(s.text, pattern, terms, heading=_context_path(s))
            if any(m.affirmed for m in matches) or (_compliant(s.norm, rule) and not matches):
                affirmed_somewhere = True
            refusals.extend((doc, s, m) for m in matches if m.refused)
    deferred = _active_patterns(ctx, rule.params.get("unless-rules", ()))
    for doc, s, m in refusals:
        if any(x.affirmed for pat in deferred for x in find_matches(s.text, pat, terms, heading=_context_path(s))):
            continue  # "不部署在政务云，而是部署在本地服务器": the forbidden-construction rule reports it
        yield rule.diag(
            file=doc.path,
            loc=s.loc,
            evidence=s.text,
            key=normalise_text(s.text),
            data={"action": m.action, "object": m.object},
            **fill(rule, label=label or m.object, action=m.action, object=m.object,
                   detail=f"方案写明“{_clip(s.text)}”"),
        )
    absence_types = rule.params.get("absence-types")
    if absence_types is not None and pkg.facts.get("project_type") not in absence_types:
        return  # silence is a finding only for these project types (unknown type: never)
    plans = [d for d in docs if d.kind != "application_form"]
    if not affirmed_somewhere and not refusals and plans:  # a form alone cannot describe it
        names = "、".join(d.path for d in docs[:3]) + ("等" if len(docs) > 3 else "")
        yield rule.diag(
            key=rule.id,
            data={"documents": [d.path for d in docs]},
            **fill(rule, label=label, action="", object="", detail=f"{names}中均未说明"),
        )


def _active_patterns(ctx: Context, ids: list[str]) -> list[Pattern]:
    """Patterns of the named forbidden-construction rules that are enabled in this run."""
    if not ids:
        return []
    out = []
    for r in ctx.settings.rules():
        if r.id in ids and r.kind == "forbidden-construction":
            out.append(Pattern.from_params(r.params))
    return out


def _project_mentions(ctx: Context, words: list[str]) -> bool:
    f = ctx.package.facts
    texts = [str(x.value) for key in ("name", "tasks") for x in f.all(key)]
    for d in ctx.package.documents:
        texts.append(d.path.rsplit("/", 1)[-1])
    joined = norm(" ".join(texts))
    return any(norm(w) in joined for w in words)


def _clip(text: str, n: int = 60) -> str:
    t = " ".join(text.split())
    return t if len(t) <= n else t[: n - 1] + "…"
