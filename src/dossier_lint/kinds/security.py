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

Level statements are read by `dossier_lint.levels` (the one reader); the system's 等保 level is the
`protection_level` fact facts.py makes with it (`stated_protection_level`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..levels import level_name, mentions_in, stated_protection_level
from ..model import Diagnostic, Document, Location, normalise_text
from ..rule import Context, Rule, check_kind
from ..sentences import (
    Sentence,
    compiled_list,
    docs_for,
    heading_is_background,
    iter_sentences,
    negator_in,
    norm,
    prefilter,
    regex,
    scoped_sentences,
    split_clauses,
    terms_of,
    where,
)
from .common import check_regex, check_str_list, check_type, fill, param_validator

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
            if not sentences or mentions_in(sentences, "protection"):
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
    pats = [regex(p) for p in rule.params["any-of"]]
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
                if not _affirmed_hit(sentences, [regex(p) for p in pats], terms)
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
    flags = 0 if rule.params.get("case-sensitive") else re.I
    pats = [p.search for p in compiled_list(rule.params["patterns"], flags)]
    pre = prefilter(rule.params["patterns"], flags)  # e.g. "a Latin letter" for MD5 / SHA-1 / DES
    for doc in ctx.docs(*(rule.params.get("documents") or PLAN_KINDS)):
        for s in iter_sentences(doc):
            n = s.norm
            if (pre is not None and not pre.search(n)) or not any(search(n) for search in pats):
                continue  # mention_hit's first test, made here: it names no term (nearly every sentence)
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
        mentions = mentions_in(scoped_sentences(doc, "crypto_plan"), "crypto", "mention")
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

    foreign = [regex(p, re.IGNORECASE) for p in rule.params["foreign"]]
    domestic = [regex(p, re.IGNORECASE) for p in rule.params["domestic"]]
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
