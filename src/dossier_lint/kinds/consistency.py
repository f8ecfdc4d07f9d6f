"""Cross-document consistency: one project, one name, one unit, one type, one protection level.

`fact-consistency` — every source of a fact (facts.py: the form first, then reports' titles and prose)
must give the same value. One diagnostic per disagreeing source, at that source, naming both places.
  params:
    fact      name | unit | project_type | mode | secrecy | period …  (a facts.py key)
    compare   "exact" (default), "name" (project names: punctuation, the city prefix and a trailing
              项目/建设项目 ignored, and a name that contains the other is the same project), or "org"
              (unit names: also accepts an abbreviation whose characters appear in order in the
              full name: 市城管执法局 ~ 南充市城市管理行政执法局)
    label     Chinese name of the fact for the message
    prefixes  words stripped from the front before comparing (default: 南充市, 泰兴市, 郴州市, 市)
    report-labels  labels read from the reports as further sources ("项目单位：南充市住房和城乡建设局" on
              a cover page or in 项目概况): facts.py reads them from the form only
    report-patterns  regexes whose first group is a further source in the reports' prose
              ("本项目采用(自行建设)方式"); background sections and negated clauses are skipped
  Message fields: {label} {value} {other} {where} {other_where}.

`protection-level-consistency` — every statement of the system's 等保 level (levels.level_mentions,
all documents, the form's field included) gives the same level; reported at each disagreeing
statement, naming the reference (the 等级保护方案's 定级 statement when there is one).
  Message fields: {level} {other} {where} {other_where}.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from ..levels import fact_levels, level_name, protection_level_mentions, stated_protection_level
from ..model import Diagnostic, Fact, Location
from ..rule import Context, Rule, check_kind
from ..sentences import regex, where
from .common import check_regex, check_str_list, check_type, fill, param_validator

DEFAULT_PREFIXES = ("南充市", "泰兴市", "郴州市", "市级", "市本级", "市")
_PUNCT = re.compile(r"[\s\u3000、，,。.；;：:“”\"'‘’（）()《》<>〈〉【】\[\]{}·•\-—－_/\\|]+")
_NAME_SUFFIXES = ("建设项目", "项目", "工程")


def _clean(value: Any) -> str:
    return _PUNCT.sub("", unicodedata.normalize("NFKC", str(value))).lower()


def _strip(v: str, prefixes: tuple[str, ...], suffixes: tuple[str, ...] = ()) -> str:
    changed = True
    while changed:
        changed = False
        for p in prefixes:
            if v.startswith(p) and len(v) > len(p) + 1:
                v = v[len(p) :]
                changed = True
    for s in suffixes:
        if v.endswith(s) and len(v) > len(s) + 1:
            v = v[: -len(s)]
            break
    return v


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def same(a: Any, b: Any, compare: str, prefixes: tuple[str, ...] = DEFAULT_PREFIXES) -> bool:
    if compare == "exact":
        return _clean(a) == _clean(b)
    x, y = _clean(a), _clean(b)
    if x == y:
        return True
    if compare == "name":
        x, y = _strip(x, prefixes, _NAME_SUFFIXES), _strip(y, prefixes, _NAME_SUFFIXES)
        return x == y or (len(x) >= 4 and len(y) >= 4 and (x in y or y in x))
    if compare == "org":
        x, y = _strip(x, prefixes), _strip(y, prefixes)
        short, long = sorted((x, y), key=len)
        return short == long or (len(short) >= 3 and _subsequence(short, long))
    return x == y


@param_validator("fact-consistency")
def _v_fact(params: dict[str, Any]) -> list[tuple[str, str]]:
    errs = check_type(params, "fact", (str,), "事实名（如 name、unit）")
    if params.get("compare", "exact") not in ("exact", "name", "org"):
        errs.append(("compare", "只能是 exact、name 或 org"))
    errs += check_type(params, "label", (str,), "字符串")
    errs += check_str_list(params, "prefixes", nonempty=False)
    errs += check_str_list(params, "report-labels")
    errs += check_str_list(params, "report-patterns") + check_regex(params, "report-patterns")
    return errs


@check_kind("fact-consistency", required=["fact"], optional=["compare", "label", "prefixes", "report-labels", "report-patterns"])
def fact_consistency(rule: Rule, ctx: Context) -> Iterator[Diagnostic]:
    key = rule.params["fact"]
    compare = rule.params.get("compare", "exact")
    label = rule.params.get("label", key)
    prefixes = tuple(rule.params.get("prefixes") or DEFAULT_PREFIXES)
    sources = [f for f in ctx.package.facts.all(key) if f.value not in (None, "") and not isinstance(f.value, bool)]
    labels = rule.params.get("report-labels")
    patterns = rule.params.get("report-patterns")
    if labels or patterns:
        known = {(f.file, f.loc) for f in sources}
        sources += [f for f in _labelled(ctx, labels or [], patterns or []) if (f.file, f.loc) not in known]
    if len(sources) < 2:
        return
    ref = sources[0]
    reported: set[tuple[str, str]] = set()
    for f in sources[1:]:
        if same(ref.value, f.value, compare, prefixes):
            continue
        if f.file == ref.file and (f.loc == ref.loc):
            continue
        k = (f.file, _clean(f.value))
        if k in reported:
            continue  # one document repeating the same variant is one finding
        reported.add(k)
        yield _diag(rule, label, ref, f)


def _labelled(ctx: Context, labels: list[str], patterns: list[str]) -> list[Fact]:
    """'标签：值' lines and pattern matches in the plan documents (the form is facts.py's)."""
    from ..sentences import (
        context_free,
        heading_is_background,
        iter_sentences,
        negator_in,
        split_clauses,
        terms_of,
    )
    from .policy import PLAN_KINDS

    terms = terms_of(ctx.settings)
    line = (regex(rf"^(?:{'|'.join(re.escape(x) for x in labels)})\s*[:：]\s*([^，,。；;：:\s]{{2,40}})\s*$")
            if labels else None)
    # `line` matches no text holding ， , 。 ； or ; (NFKC keeps them or makes them , 。 ;), unless a label
    # holds one: such a block (nearly every paragraph) needs no NFKC normalisation to be passed over
    stops = "，,。；;" if not any(ch in x for x in labels for ch in "，,。；;") else ""
    pats = [regex(p) for p in patterns]
    # a sentence none of them matches has no clause that does (only for patterns without anchors or
    # lookarounds): skip its clause split — nearly every sentence
    whole = pats if all(context_free(p) for p in patterns) else None
    out: list[Fact] = []
    for doc in ctx.docs(*PLAN_KINDS):
        if doc.kind == "application_form":
            continue
        if line is not None:
            for b in doc.blocks:
                if b.kind == "toc" or (stops and any(ch in b.text for ch in stops)):
                    continue
                m = line.match(unicodedata.normalize("NFKC", b.text).strip())
                if m:
                    out.append(Fact(m.group(1), doc.path, b.loc, b.text.strip()))
        if not pats:
            continue
        for s in iter_sentences(doc, headings=False):
            if whole is not None and not any(p.search(s.norm) for p in whole):
                continue
            if heading_is_background(s.heading, terms):
                continue
            for c in split_clauses(s.norm, terms):
                m = next((x for p in pats if (x := p.search(c.text))), None)
                if m and not negator_in(c.text, terms):
                    out.append(Fact(m.group(1), doc.path, s.loc, s.text))
                    break
    return out


def _diag(rule: Rule, label: str, ref: Fact, f: Fact) -> Diagnostic:
    return rule.diag(
        file=f.file,
        loc=f.loc,
        evidence=f.evidence or str(f.value),
        key=_clean(f.value),
        data={"value": str(f.value), "other": str(ref.value), "other_file": ref.file,
              "other_location": ref.loc.to_dict() if ref.loc else {}},
        **fill(rule, label=label, value=str(f.value), other=str(ref.value),
               where=where(f.file, f.loc), other_where=where(ref.file, ref.loc)),
    )


@param_validator("protection-level-consistency")
def _v_level(params: dict[str, Any]) -> list[tuple[str, str]]:
    return []


@check_kind("protection-level-consistency")
def protection_level_consistency(rule: Rule, ctx: Context) -> Iterator[Diagnostic]:
    pkg = ctx.package
    ref = stated_protection_level(pkg)
    if ref is None:
        return
    seen: set[tuple[str, int]] = set()
    others: list[tuple[str, Location | None, int, str]] = []
    for lv, f in fact_levels(pkg):
        others.append((f.file, f.loc, lv, f.evidence))
    others.extend((m.file, m.loc, m.level, m.evidence) for m in protection_level_mentions(pkg))
    for file, loc, lv, evidence in others:
        if lv == ref.level or (file, lv) in seen:
            continue
        seen.add((file, lv))
        yield rule.diag(
            file=file, loc=loc, evidence=evidence, key=f"{lv}|{ref.level}",
            data={"level": lv, "other": ref.level, "other_file": ref.file},
            **fill(rule, level=level_name(lv), other=level_name(ref.level),
                   where=where(file, loc), other_where=where(ref.file, ref.loc)),
        )
