"""Duplicate construction (重复建设, DL7xx): one kind, four findings chosen by `params.finding`:

- `existing`: the proposal duplicates systems in the catalog (`--catalog`); severity by score band
  (pack [settings] `duplicate-thresholds`), never above the rule's own severity.
- `common`: a 统建通用系统 of another unit already provides it -> 应使用统建通用系统替代.
- `round`: proposals of one review round duplicate each other (reported on both packages; the batch
  calls `duplicates.cross_package` once per round; `ctx.shared["round"]` works too).
- `skipped`: say that no catalog comparison was made (no catalog, or nothing recognisable to compare).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..model import SEVERITY_RANK, Diagnostic
from ..rule import Context, Rule, check_kind

FINDINGS = ("existing", "common", "round", "skipped")
DEFAULT_TOP = 3


def _cap(severity: str | None, rule: Rule) -> str | None:
    """The band's severity, never above what the pack (or the user's config) set for the rule."""
    if severity is None:
        return None
    return severity if SEVERITY_RANK[severity] <= SEVERITY_RANK[rule.severity] else rule.severity


def _fmt(score: float) -> str:
    return f"{score:.2f}"


def _describe(m: Any) -> str:
    dept = m.department or "部门未填"
    where = m.system.ref if m.system is not None else (m.other_path or "")
    terms = "、".join(m.shared) if m.shared else "无"
    return f"“{m.name}”（{dept}，{where}，相似度 {_fmt(m.score)}，共同关键词：{terms}）"


def _state(ctx: Context) -> dict[str, Any]:
    """Per-package memo so the `existing` and `common` rules share one matching run."""
    from .. import duplicates as dup

    key = "duplicates.package"
    memo = ctx.shared.get(key)
    if memo is not None and memo.get("pkg") is ctx.package:
        return memo
    proposal = dup.proposal_from_package(ctx.package)
    matcher = dup.matcher_for(ctx.settings, ctx.shared)
    matches = matcher.match(proposal) if matcher.index is not None else []
    memo = {"pkg": ctx.package, "proposal": proposal, "matcher": matcher, "matches": matches}
    ctx.shared[key] = memo
    return memo


@check_kind("duplicate", required=["finding"], optional=["top"])
def duplicate(rule: Rule, ctx: Context) -> Iterable[Diagnostic]:
    finding = rule.params["finding"]
    if finding not in FINDINGS:
        raise ValueError(f"{rule.id}: params.finding must be one of {FINDINGS}")
    top = int(rule.params.get("top", DEFAULT_TOP))
    catalog = getattr(ctx.settings, "catalog", None)
    if finding == "round":
        yield from _round_from_shared(rule, ctx)
        return
    if finding == "skipped":
        if not catalog:
            yield rule.diag(key="no-catalog", reason="未提供已建系统目录（命令行 --catalog 或配置项 catalog）")
            return
        st = _state(ctx)
        if st["proposal"].empty:
            yield rule.diag(key="no-proposal", reason="申报材料中未识别出项目名称、主要任务或功能清单，无从比对")
        return
    if not catalog:
        return
    st = _state(ctx)
    p, matcher = st["proposal"], st["matcher"]
    from ..duplicates import COMMON, DUPLICATE, band

    if finding == "existing":
        hits = [m for m in st["matches"] if m.verdict == DUPLICATE]
        if not hits:
            return
        graded = band(hits[0].score, matcher.thresholds)
        severity = _cap(graded, rule)
        if severity is None:
            return
        shown = hits[:top]
        d = rule.diag(
            file=p.name_file,
            loc=p.name_loc,
            evidence=p.name or None,
            key=hits[0].name,
            data={
                "project": p.name,
                "severity_band": graded,
                "thresholds": matcher.thresholds,
                "matches": [m.to_dict() for m in shown],
                "excluded": [m.to_dict() for m in st["matches"] if m.verdict not in (DUPLICATE, COMMON)][:top],
            },
            project=p.name or "本项目",
            score=_fmt(hits[0].score),
            system=hits[0].name,
            department=hits[0].department or "部门未填",
            row=hits[0].system.ref if hits[0].system else "",
            terms="、".join(hits[0].shared) or "无",
            count=len(hits),
            matches="；".join(_describe(m) for m in shown),
        )
        d.severity = severity
        yield d
    elif finding == "common":
        for m in [m for m in st["matches"] if m.verdict == COMMON][:top]:
            graded = band(m.score, matcher.thresholds)
            severity = _cap(graded, rule)
            if severity is None:
                continue
            what = m.via.text if m.via is not None else (p.name or "本项目")
            d = rule.diag(
                file=(m.via.file if m.via is not None else p.name_file),
                loc=(m.via.loc if m.via is not None else p.name_loc),
                evidence=what,
                key=m.name,
                data={"project": p.name, "severity_band": graded, "match": m.to_dict()},
                function=what,
                system=m.name,
                department=m.department or "部门未填",
                row=m.system.ref if m.system else "",
                score=_fmt(m.score),
                terms="、".join(m.shared) or "无",
            )
            d.severity = severity
            yield d


def round_diagnostics(rule: Rule, proposal: Any, matches: list[Any], matcher: Any) -> list[Diagnostic]:
    """DL703 findings of one package from its round matches (used by the batch hook and the kind)."""
    from ..duplicates import band

    out: list[Diagnostic] = []
    top = int(rule.params.get("top", DEFAULT_TOP))
    for m in matches[:top]:
        graded = band(m.score, matcher.thresholds)
        severity = _cap(graded, rule)
        if severity is None:
            continue
        d = rule.diag(
            file=proposal.name_file,
            loc=proposal.name_loc,
            # one finding per other package: the pair names keep fingerprints apart
            evidence=f"{proposal.name or proposal.package} ~ {m.other_name or m.other_package}",
            key=m.other_path or m.other_name,
            data={"project": proposal.name, "severity_band": graded, "match": m.to_dict()},
            project=proposal.name or "本项目",
            other=m.other_package or m.other_path or "",
            other_name=m.other_name or "名称未识别",
            department=m.other_department or "单位未识别",
            score=_fmt(m.score),
            terms="、".join(m.shared) or "无",
        )
        d.severity = severity
        out.append(d)
    return out


def _round_from_shared(rule: Rule, ctx: Context) -> Iterable[Diagnostic]:
    """When the engine hands the whole round to the kind (ctx.shared["round"]), report this package."""
    rnd = ctx.shared.get("round")
    if not rnd:
        return []
    from .. import duplicates as dup

    # matched under this package's settings (its pack's thresholds and lexicon, as its rule is)
    key = ("duplicates.round", id(rnd), id(ctx.settings))
    found = ctx.shared.get(key)
    if found is None:
        found = ctx.shared[key] = dup.cross_package(rnd, ctx.settings)
    me = dup.proposal_from_package(ctx.package)
    matcher = dup.matcher_for(ctx.settings, ctx.shared, with_catalog=False)
    mine = found.get(ctx.package.path)
    if mine is None:  # round entries keyed by name
        mine = found.get(ctx.package.name, [])
    return round_diagnostics(rule, me, mine, matcher)
