"""Security content: 等级保护 level and what follows from it, the 密码应用方案, weak algorithms, 安全可靠.

Kinds (params in each function's docstring):
  protection-level       a 等级保护方案 states the system's protection level (第一级…第五级)
  required-mention       documents of given kinds say something (定级依据, 备案, 测评, 密评, 国密,
                         安全可靠); optionally only from a protection level up; a negated clause
                         ("不进行备案") does not count
  required-topics        a document covers every listed topic (the four technical layers of
                         GB/T 39786-2021; its management parts) — one diagnostic names all missing
  forbidden-mention      the plan relies on something (MD5, DES …); mentions that say it is replaced,
                         forbidden, risky, or describe the old system are not findings
  crypto-level-match     the 密码应用方案's target level equals the 等保 level
  foreign-stack          only foreign OS / database / middleware named, no domestic alternative

Level statements are read by `level_mentions`: a level token (第三级, 等保三级, 三级等保) counts for the
system only in a sentence about 等保 (or 密码), not when it is a rule ("第二级以上"), a grading
matrix (three or more levels), or the level of something else ("已通过等保三级测评的政务云平台").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..model import Diagnostic, Document, Location, Package, normalise_text
from ..rule import Context, Rule, check_kind
from ..sentences import (
    Sentence,
    compiled_list,
    docs_for,
    heading_is_background,
    iter_sentences,
    negator_in,
    norm,
    scoped_sentences,
    split_clauses,
    terms_of,
    where,
)
from .common import check_regex, check_str_list, check_type, fill, param_validator

_CN = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5}
_CN_OUT = {1: "一", 2: "二", 3: "三", 4: "四", 5: "五"}
_LV = "[一二三四五1-5]"
_TOKEN = re.compile(
    rf"第(?P<a>{_LV})级"
    rf"|(?:等保|等级保护)(?:2\.0)?(?:第)?(?P<b>{_LV})级"
    rf"|(?<![第\d])(?P<c>{_LV})级(?=等保|等级保护|安全保护|保护|系统|信息系统)"
)
_PROT_KEYS = re.compile(r"等保|等级保护|保护等级|安全保护|定级|GB/T22240|22239")
_CRYPTO_KEYS = re.compile(r"密码|39786|密评")
_GENERIC_AFTER = re.compile(r"^(?:及以上|以上|或以上|及以下|以下|至第)")
_ATTRIBUTIVE_AFTER = re.compile(r"^[^，。；]{0,6}?(?:测评的|认证的|备案的|的政务云|的云平台|的机房|的数据中心)")
_OTHER_SUBJECT = re.compile(r"政务云|云平台|云服务商|机房|数据中心|云服务")
_SELF = re.compile(r"本系统|本项目|本平台|本期|该系统|拟建系统|项目系统")
_ASSIGN = re.compile(r"定级为|定为|确定为|等级为|级别为|拟定为|评定为|最终|综合确定|定级结果")
_FINAL = re.compile(r"最终|综合|确定为|定为|定级为|拟定为")
_BUILD = re.compile(r"(?:按照?|参照|依据|满足|达到|符合)[^，。；]{0,16}(?:要求|标准|进行|建设|设计)|建设|设计|防护")


@dataclass(frozen=True, slots=True)
class LevelMention:
    kind: str  # "protection" | "crypto"
    level: int
    strength: str  # "assign" (定级为第三级) | "build" (按等保三级要求建设) | "mention"
    file: str
    loc: Location
    evidence: str


def level_mentions(text: str) -> list[tuple[str, int, str]]:
    """(kind, level, strength) for each level this sentence gives a system (see module docstring)."""
    s = norm(text)
    tokens = []
    for m in _TOKEN.finditer(s):
        lv = _CN[m.group("a") or m.group("b") or m.group("c")]
        after = s[m.end() :]
        if _GENERIC_AFTER.match(after) or _ATTRIBUTIVE_AFTER.match(after):
            continue
        if re.search(r"(?:对于|凡是?|其中)$", s[max(0, m.start() - 3) : m.start()]):
            continue
        tokens.append((m, lv))
    if not tokens or len({lv for _, lv in tokens}) >= 3:
        return []  # a grading matrix or a list of the levels, not a statement
    out: list[tuple[str, int, str]] = []
    for kind in ("protection", "crypto"):
        mine = []
        for m, lv in tokens:
            k = _token_kind(s, m)
            if k == kind:
                mine.append((m, lv))
        if not mine:
            continue
        # the level belongs to something else: "政务云平台已通过等保三级测评",
        # "安全物理环境由政务云运营方按等级保护第三级要求建设"
        mine = [(m, lv) for m, lv in mine if not _other_subject(s, m)]
        # "系统服务安全保护等级为第二级" is one of the two components, not the system's level,
        # unless the same sentence concludes (综合确定为第三级)
        finals_here = [(m, lv) for m, lv in mine if _FINAL.search(s[max(0, m.start() - 12) : m.start()])]
        if not finals_here:
            mine = [(m, lv) for m, lv in mine if not _component(s, m)]
        if not mine:
            continue
        strength = "assign" if _ASSIGN.search(s) else ("build" if _BUILD.search(s) or _SELF.search(s) else "mention")
        if len(mine) > 1:
            finals = [(m, lv) for m, lv in mine if _FINAL.search(s[max(0, m.start() - 12) : m.start()])]
            level = finals[-1][1] if finals else max(lv for _, lv in mine)
        else:
            level = mine[0][1]
        out.append((kind, level, strength))
    return out


_COMPONENT = re.compile(r"业务信息(?:安全)?(?:保护)?等级|系统服务(?:安全)?(?:保护)?等级")


def _component(s: str, m: re.Match[str]) -> bool:
    clause_start = max(s.rfind(p, 0, m.start()) for p in "，。；,;")
    return bool(_COMPONENT.search(s[clause_start + 1 : m.start()]))


def _other_subject(s: str, m: re.Match[str]) -> bool:
    clause_start = max(s.rfind(p, 0, m.start()) for p in "，。；,;")
    before = s[clause_start + 1 : m.start()]
    o = _OTHER_SUBJECT.search(before)
    if o is None:
        return False
    return not _SELF.search(before) or "由" in before[: o.start()]


def _token_kind(s: str, m: re.Match[str]) -> str | None:
    if m.group("b"):
        return "protection"
    if m.group("c") and re.match(r"等保|等级保护|安全保护|保护", s[m.end() :]):
        return "protection"
    # nearest keyword before the token, within its clause
    clause_start = max(s.rfind(p, 0, m.start()) for p in "，。；,;")
    window = s[clause_start + 1 : m.start()]
    last_p = max((x.end() for x in _PROT_KEYS.finditer(window)), default=-1)
    last_c = max((x.end() for x in _CRYPTO_KEYS.finditer(window)), default=-1)
    if last_p > last_c:
        return "protection"
    if last_c > last_p:
        return "crypto"
    has_p, has_c = bool(_PROT_KEYS.search(s)), bool(_CRYPTO_KEYS.search(s))
    if has_p and not has_c:
        return "protection"
    if has_c and not has_p:
        return "crypto"
    return None


def _mentions_in(sentences: Iterable[Sentence], kind: str, min_strength: str = "build") -> list[LevelMention]:
    order = {"mention": 0, "build": 1, "assign": 2}
    out = []
    for s in sentences:
        for k, lv, strength in level_mentions(s.text):
            if k == kind and order[strength] >= order[min_strength]:
                out.append(LevelMention(k, lv, strength, s.file, s.loc, s.text))
    return out


def protection_level_mentions(pkg: Package) -> list[LevelMention]:
    """Every statement of the system's 等保 level, in every readable document (strength >= build)."""
    out: list[LevelMention] = []
    for d in pkg.readable():
        out.extend(_mentions_in(iter_sentences(d), "protection"))
    return out


def fact_levels(pkg: Package) -> list[tuple[int, Any]]:
    """facts.py's `protection_level` sources this module agrees with: a form field, or a sentence
    that `level_mentions` reads as the system's level (not the 政务云's, not a rule)."""
    forms = {d.path for d in pkg.documents if d.kind == "application_form"}
    out = []
    for f in pkg.facts.all("protection_level"):
        try:
            lv = int(f.value)
        except (TypeError, ValueError):
            continue
        if not 1 <= lv <= 5:
            continue
        if f.file in forms or ("protection", lv) in {(k, x) for k, x, _ in level_mentions(f.evidence or "")}:
            out.append((lv, f))
    return out


def stated_protection_level(pkg: Package) -> LevelMention | None:
    """The level the package gives its system: the 等级保护方案's 定级 statement first, then any."""
    plans = [d for d in pkg.of_kind("protection_plan") if d.readable]
    whole = [d for d in plans if d.kind == "protection_plan"]
    plans = whole or plans
    cands: list[LevelMention] = []
    for d in plans:
        cands.extend(_mentions_in(scoped_sentences(d, "protection_plan"), "protection"))
    cands.sort(key=lambda m: m.strength != "assign")
    if cands:
        return cands[0]
    for lv, f in fact_levels(pkg):
        return LevelMention("protection", lv, "assign", f.file, f.loc or Location(), f.evidence)
    every = protection_level_mentions(pkg)
    every.sort(key=lambda m: m.strength != "assign")
    return every[0] if every else None


def level_name(lv: int) -> str:
    return f"第{_CN_OUT.get(lv, str(lv))}级"


# ---------------------------------------------------------------------------------------------
# protection-level


@param_validator("protection-level")
def _v_level(params: dict[str, Any]) -> list[tuple[str, str]]:
    return check_str_list(params, "documents", kinds_only=True)


@check_kind("protection-level", optional=["documents"])
def protection_level(rule: Rule, ctx: Context) -> Iterator[Diagnostic]:
    """params: documents (default ["protection_plan"]). One diagnostic per document stating no level."""
    for kind in rule.params.get("documents", ["protection_plan"]):
        for doc in docs_for(ctx, kind):
            sentences = list(scoped_sentences(doc, kind))
            if not sentences or _mentions_in(sentences, "protection"):
                continue
            first = sentences[0]
            yield rule.diag(file=doc.path, loc=_doc_loc(doc, kind), key=kind, **fill(rule, document=first.file))


def _doc_loc(doc: Document, kind: str) -> Location | None:
    if doc.kind == kind:
        return None
    from ..sentences import part_titles

    titles = [norm(t) for t in part_titles(kind)]
    for h in doc.headings:
        if any(t in norm(h.title) for t in titles):
            return h.loc
    return None


# ---------------------------------------------------------------------------------------------
# required-mention


@param_validator("required-mention")
def _v_mention(params: dict[str, Any]) -> list[tuple[str, str]]:
    errs = check_str_list(params, "any-of", required=True) + check_regex(params, "any-of")
    errs += check_str_list(params, "documents", kinds_only=True, required=True)
    errs += check_type(params, "min-level", (int,), "整数 1–5")
    errs += check_type(params, "label", (str,), "字符串")
    if params.get("scope", "document") not in ("document", "package"):
        errs.append(("scope", "只能是 document 或 package"))
    return errs


@check_kind("required-mention", required=["any-of", "documents"], optional=["min-level", "label", "scope"])
def required_mention(rule: Rule, ctx: Context) -> Iterator[Diagnostic]:
    """params:
    any-of      regexes (normalised text); one must occur in an affirmed (not negated) clause
    documents   kinds read; with scope "document" every such document must mention it (its part
                chapter only, for a document holding the kind as a part), with "package" one will do
    min-level   applies only when the package's 等保 level is at least this (unknown level: no finding)
    label       Chinese name of what is missing, for the message
    Message fields: {label}, {level} (第三级), {document}.
    """
    pats = [re.compile(p) for p in rule.params["any-of"]]
    level = None
    min_level = rule.params.get("min-level")
    if min_level is not None:
        stated = stated_protection_level(ctx.package)
        if stated is None or stated.level < int(min_level):
            return
        level = stated.level
    terms = terms_of(ctx.settings)
    kinds = rule.params["documents"]
    scope = rule.params.get("scope", "document")
    label = rule.params.get("label", "")
    lvl = level_name(level) if level else ""
    checked: list[Document] = []
    found_any = False
    for kind in kinds:
        for doc in docs_for(ctx, kind) if scope == "document" else ctx.docs(kind):
            if doc in checked:
                continue
            checked.append(doc)
            sentences = list(scoped_sentences(doc, kind))
            if not sentences:
                continue
            hit = _affirmed_hit(sentences, pats, terms)
            found_any = found_any or hit
            if scope == "document" and not hit:
                yield rule.diag(
                    file=doc.path, loc=_doc_loc(doc, kind), key=kind,
                    **fill(rule, label=label, level=lvl, document=doc.path),
                )
    if scope == "package" and checked and not found_any:
        yield rule.diag(
            key=rule.id,
            data={"documents": [d.path for d in checked]},
            **fill(rule, label=label, level=lvl, document="、".join(d.path for d in checked[:3])),
        )


def _affirmed_hit(sentences: list[Sentence], pats: list[re.Pattern[str]], terms: Any) -> bool:
    for s in sentences:
        for c in split_clauses(s.norm, terms):
            if any(p.search(c.text) for p in pats) and not negator_in(c.text, terms):
                return True
    return False


# ---------------------------------------------------------------------------------------------
# required-topics


@param_validator("required-topics")
def _v_topics(params: dict[str, Any]) -> list[tuple[str, str]]:
    errs = check_str_list(params, "documents", kinds_only=True, required=True)
    topics = params.get("topics")
    if not isinstance(topics, dict) or not topics:
        return [*errs, ("topics", "必须是 { 名称 = [正则, ...] } 表")]
    for name, pats in topics.items():
        if not isinstance(pats, list) or not all(isinstance(p, str) for p in pats) or not pats:
            errs.append(("topics", f"{name} 必须是非空字符串列表"))
            continue
        errs += check_regex({"topics": pats}, "topics")
    return errs


@check_kind("required-topics", required=["documents", "topics"], optional=["label"])
def required_topics(rule: Rule, ctx: Context) -> Iterator[Diagnostic]:
    """params: documents, topics ({名称 = [regex, …]}), label. Message fields: {missing} (、-joined),
    {count}, {label}. A topic counts when a heading or an affirmed clause matches one of its regexes."""
    topics: dict[str, list[str]] = rule.params["topics"]
    terms = terms_of(ctx.settings)
    seen: set[str] = set()
    for kind in rule.params["documents"]:
        for doc in docs_for(ctx, kind):
            if doc.path in seen:
                continue
            seen.add(doc.path)
            sentences = list(scoped_sentences(doc, kind))
            if not sentences:
                continue
            missing = [
                name for name, pats in topics.items()
                if not _affirmed_hit(sentences, [re.compile(p) for p in pats], terms)
            ]
            if missing:
                yield rule.diag(
                    file=doc.path, loc=_doc_loc(doc, kind), key="|".join(missing),
                    data={"missing": missing},
                    **fill(rule, missing="、".join(missing), count=len(missing), label=rule.params.get("label", "")),
                )


# ---------------------------------------------------------------------------------------------
# forbidden-mention


@param_validator("forbidden-mention")
def _v_forbidden_mention(params: dict[str, Any]) -> list[tuple[str, str]]:
    errs = check_str_list(params, "patterns", required=True) + check_regex(params, "patterns")
    errs += check_str_list(params, "ignore-if", nonempty=False) + check_regex(params, "ignore-if")
    errs += check_str_list(params, "documents", kinds_only=True)
    errs += check_type(params, "case-sensitive", (bool,), "true 或 false")
    return errs


@check_kind("forbidden-mention", required=["patterns"], optional=["ignore-if", "documents", "case-sensitive"])
def forbidden_mention(rule: Rule, ctx: Context) -> Iterator[Diagnostic]:
    """params:
    patterns    regexes (normalised text; case-insensitive unless case-sensitive = true)
    ignore-if   regexes; a sentence holding one is not reliance: it replaces, forbids, warns about
                or describes the old system ("替换为SM3", "存在安全隐患", "原系统")
    documents   kinds read (default: the plan documents)
    Message fields: {term} (as written). Negated clauses, background sections and quotes are skipped.
    """
    from .policy import PLAN_KINDS

    terms = terms_of(ctx.settings)
    for doc in ctx.docs(*(rule.params.get("documents") or PLAN_KINDS)):
        for s in iter_sentences(doc):
            heading = s.heading if s.source != "heading" else s.heading[:-1]
            term = mention_hit(rule, s.text, heading, terms)
            if term:
                yield rule.diag(
                    file=doc.path, loc=s.loc, evidence=s.text, key=normalise_text(s.text),
                    data={"term": term}, **fill(rule, term=term),
                )


def mention_hit(rule: Rule, text: str, heading: tuple[str, ...], terms: Any) -> str | None:
    """The forbidden terms a sentence relies on ("MD5、SHA-1"), or None (also used by
    scripts/eval_content_b.py). Every term is named: a reviewer fixes them all at once."""
    flags = 0 if rule.params.get("case-sensitive") else re.IGNORECASE
    pats = compiled_list(rule.params["patterns"], flags)
    ignore = compiled_list(rule.params.get("ignore-if", ()), flags)
    s = norm(text)
    if not any(p.search(s) for p in pats):
        return None
    if heading_is_background(heading, terms) or any(p.search(s) for p in ignore):
        return None
    found: list[str] = []
    for c in split_clauses(s, terms):
        if negator_in(c.text, terms):
            continue
        for p in pats:
            for m in p.finditer(c.text):
                if not _quoted(s, c.start + m.start()) and m.group(0) not in found:
                    found.append(m.group(0))
    return "、".join(found) or None


def _quoted(s: str, pos: int) -> bool:
    return s.rfind("《", 0, pos) > s.rfind("》", 0, pos)


# ---------------------------------------------------------------------------------------------
# crypto-level-match


@param_validator("crypto-level-match")
def _v_crypto(params: dict[str, Any]) -> list[tuple[str, str]]:
    return []


@check_kind("crypto-level-match")
def crypto_level_match(rule: Rule, ctx: Context) -> Iterator[Diagnostic]:
    """No params. Message fields: {crypto_level}, {protection_level}, {crypto_where}, {protection_where}.
    Reported at the 密码应用方案's level statement. Nothing when either level is unknown."""
    prot = stated_protection_level(ctx.package)
    if prot is None:
        return
    for doc in docs_for(ctx, "crypto_plan"):
        mentions = _mentions_in(scoped_sentences(doc, "crypto_plan"), "crypto", "mention")
        if not mentions:
            continue
        m = sorted(mentions, key=lambda x: x.strength != "assign")[0]
        if m.level == prot.level:
            continue
        yield rule.diag(
            file=doc.path, loc=m.loc, evidence=m.evidence, key=f"{m.level}|{prot.level}",
            data={"crypto_level": m.level, "protection_level": prot.level},
            **fill(
                rule,
                crypto_level=level_name(m.level),
                protection_level=level_name(prot.level),
                crypto_where=where(m.file, m.loc),
                protection_where=where(prot.file, prot.loc),
            ),
        )


# ---------------------------------------------------------------------------------------------
# foreign-stack


@param_validator("foreign-stack")
def _v_foreign(params: dict[str, Any]) -> list[tuple[str, str]]:
    errs = check_str_list(params, "foreign", required=True) + check_regex(params, "foreign")
    errs += check_str_list(params, "domestic", required=True) + check_regex(params, "domestic")
    errs += check_str_list(params, "documents", kinds_only=True)
    return errs


@check_kind("foreign-stack", required=["foreign", "domestic"], optional=["documents"])
def foreign_stack(rule: Rule, ctx: Context) -> Iterator[Diagnostic]:
    """params: foreign, domestic (regexes, case-insensitive), documents. One diagnostic per package,
    at the first affirmed foreign product, when the plan names no domestic (安全可靠) product at all.
    Message fields: {product}."""
    from .policy import PLAN_KINDS

    foreign = [re.compile(p, re.IGNORECASE) for p in rule.params["foreign"]]
    domestic = [re.compile(p, re.IGNORECASE) for p in rule.params["domestic"]]
    terms = terms_of(ctx.settings)
    first: tuple[Document, Sentence, str] | None = None
    for doc in ctx.docs(*(rule.params.get("documents") or PLAN_KINDS)):
        for s in iter_sentences(doc):
            if any(p.search(s.norm) for p in domestic):
                return
            if first is not None or heading_is_background(s.heading, terms):
                continue
            for c in split_clauses(s.norm, terms):
                m = next((x for p in foreign if (x := p.search(c.text))), None)
                if m and not negator_in(c.text, terms):
                    first = (doc, s, m.group(0))
                    break
    if first is not None:
        doc, s, product = first
        yield rule.diag(
            file=doc.path, loc=s.loc, evidence=s.text, key=product.lower(),
            data={"product": product}, **fill(rule, product=product),
        )
