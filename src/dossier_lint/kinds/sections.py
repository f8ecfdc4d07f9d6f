"""Section kinds: `required-section`, `empty-section`, `deviation-chapter`.

Headings are matched by normalised title (numbering, punctuation, spaces and width ignored) with a
RapidFuzz fallback for typos; when a section is missing but a heading comes close, the message names
it. Documents that were read only in part (status `partial`) are skipped: the missing section may be
in the part that was not read, and DL011 already says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from ..model import PARTIAL, Diagnostic, Document, Heading
from ..rule import Context, Rule, check_kind
from ..sentences import regex
from .common import (
    best_heading,
    check_regex,
    check_str_list,
    check_type,
    fill,
    fmt_amount,
    is_placeholder,
    kind_label,
    kinds_label,
    norm,
    norm_title,
    pack_setting,
    param_validator,
    placeholders_for,
    text_contains,
)

FALLBACKS = ("no-headings", "always", "never")


def _section_specs(params: dict[str, Any]) -> list[dict[str, Any]]:
    """Normalise `section`/`synonyms`/`keywords` or `sections = [...]` to a list of specs."""
    if "sections" in params:
        out = []
        for s in params["sections"]:
            if isinstance(s, str):
                out.append({"title": s, "synonyms": [], "keywords": []})
            else:
                out.append(
                    {"title": s["title"], "synonyms": list(s.get("synonyms", [])),
                     "keywords": list(s.get("keywords", []))}
                )
        return out
    return [
        {
            "title": params["section"],
            "synonyms": list(params.get("synonyms", [])),
            "keywords": list(params.get("keywords", [])),
        }
    ]


def _validate_section_params(params: dict[str, Any]) -> list[tuple[str, str]]:
    errs: list[tuple[str, str]] = []
    if ("section" in params) == ("sections" in params):
        errs.append(("section", "必须给出 section（一个章节）或 sections（多个章节）之一"))
    errs += check_type(params, "section", (str,), "字符串")
    errs += check_str_list(params, "synonyms", nonempty=False)
    errs += check_str_list(params, "keywords", nonempty=False)
    if "sections" in params:
        secs = params["sections"]
        if not isinstance(secs, list) or not secs:
            errs.append(("sections", "必须是非空列表"))
        else:
            for s in secs:
                if isinstance(s, str):
                    continue
                if not isinstance(s, dict) or not isinstance(s.get("title"), str):
                    errs.append(("sections", "每项必须是字符串或 { title = ..., synonyms = [...], keywords = [...] }"))
                    break
                extra = set(s) - {"title", "synonyms", "keywords"}
                if extra:
                    errs.append(("sections", f"未知的键：{', '.join(sorted(extra))}"))
                    break
    return errs


@param_validator("required-section")
def _validate_required(params: dict[str, Any]) -> list[tuple[str, str]]:
    errs = check_str_list(params, "documents", kinds_only=True, required=True)
    errs += _validate_section_params(params)
    errs += check_str_list(params, "or-documents", kinds_only=True)
    if params.get("text-fallback", "no-headings") not in FALLBACKS:
        errs.append(("text-fallback", f"只能是 {' / '.join(FALLBACKS)}"))
    errs += check_type(params, "standalone", (bool,), "true 或 false")
    errs += check_type(params, "label", (str,), "字符串")
    if params.get("scope", "document") not in ("document", "package"):
        errs.append(("scope", "只能是 document（每份文件都要有）或 package（包中任一份有即可）"))
    for k in ("accept", "near"):
        errs += check_type(params, k, (int, float), "0–100 的数")
    return errs


@check_kind(
    "required-section",
    required=["documents"],
    optional=["section", "sections", "synonyms", "keywords", "or-documents", "text-fallback", "standalone",
              "label", "accept", "near", "scope"],
)
def required_section(rule: Rule, ctx: Context) -> Iterator[Diagnostic]:
    p = rule.params
    pkg = ctx.package
    if p.get("or-documents") and pkg.of_kind(*p["or-documents"]):
        return
    fallback = p.get("text-fallback", "no-headings")
    accept = float(p.get("accept", pack_setting(ctx, "fuzzy-accept", 90)))
    near = float(p.get("near", pack_setting(ctx, "fuzzy-near", 70)))
    specs = _section_specs(p)
    order = {k: i for i, k in enumerate(p["documents"])}
    docs = sorted((d for d in ctx.docs(*p["documents"]) if d.status != PARTIAL),
                  key=lambda d: (order.get(d.kind, len(order)), d.path))
    package_scope = p.get("scope", "document") == "package"
    for spec in specs:
        titles = [spec["title"], *spec["synonyms"]]
        if p.get("standalone") and _standalone(pkg.documents, titles):
            continue
        missing = _per_document(docs, titles, spec, fallback, accept, near)
        if package_scope:
            if len(missing) < len(docs):
                continue  # one document of the package has it
            missing = missing[:1]  # one finding, on the main document
        for doc, nearest, score in missing:
            found = ""
            if nearest is not None:
                found = f"（找到的最接近标题：{nearest.text.strip()}）"
            elif not doc.headings:
                found = "（文档未识别出章节标题，已按全文检索）"
            label = p.get("label") or spec["title"]
            yield rule.diag(
                file=doc.path,
                key=spec["title"],
                data={"section": spec["title"], "nearest": nearest.text if nearest else None,
                      "score": round(score, 1)},
                **fill(rule, section=label, document=kind_label(doc.kind), found=found,
                       documents=kinds_label(p["documents"], "、")),
            )


def _per_document(
    docs: list[Document], titles: list[str], spec: dict[str, Any], fallback: str, accept: float, near: float
) -> list[tuple[Document, Heading | None, float]]:
    out = []
    for doc in docs:
        hit, nearest, score = best_heading(doc, titles, accept, near)
        if hit is not None:
            continue
        use_text = fallback == "always" or (fallback == "no-headings" and not doc.headings)
        if use_text and text_contains(doc, [*titles, *spec["keywords"]])[0]:
            continue
        out.append((doc, nearest, score))
    return out


def _standalone(documents: list[Document], titles: list[str]) -> bool:
    """A chapter submitted as its own file ("…共享分析专篇.docx") counts as present."""
    wanted = [norm_title(t) for t in titles]
    for d in documents:
        stem = d.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        names = [norm_title(stem)]
        if d.headings:
            names.append(norm_title(d.headings[0].title or d.headings[0].text))
        if any(w and w in n for w in wanted for n in names):
            return True
    return False


# ---------------------------------------------------------------------------------------------


@param_validator("empty-section")
def _validate_empty(params: dict[str, Any]) -> list[tuple[str, str]]:
    errs = check_str_list(params, "documents", kinds_only=True)
    errs += check_type(params, "min-chars", (int,), "整数")
    errs += check_type(params, "max-level", (int,), "整数")
    errs += check_str_list(params, "placeholders", nonempty=False)
    return errs


@check_kind("empty-section", optional=["documents", "min-chars", "max-level", "placeholders"])
def empty_section(rule: Rule, ctx: Context) -> Iterator[Diagnostic]:
    p = rule.params
    docs = ctx.docs(*p["documents"]) if p.get("documents") else list(ctx.package.readable())
    min_chars = int(p.get("min-chars", 1))
    max_level = p.get("max-level")
    holders = placeholders_for(rule, ctx)
    for doc in docs:
        if doc.status == PARTIAL or not doc.headings:
            continue
        for i, h in enumerate(doc.headings):
            if max_level is not None and h.level > max_level:
                continue
            if _has_child(doc, i) or _is_title(doc, i):
                continue
            blocks = [b for b in doc.section_blocks(h) if b.kind != "toc"]
            text = "".join(b.text for b in blocks)
            if _table_under(doc, h):
                continue
            if len(norm(text)) >= min_chars and not is_placeholder(text, holders):
                continue
            detail = f"（只有“{text.strip()[:20]}”）" if norm(text) else ""
            yield rule.diag(
                file=doc.path,
                loc=h.loc,
                evidence=h.text,
                key=h.text,
                **fill(rule, heading=h.text.strip(), detail=detail, document=kind_label(doc.kind)),
            )


def _has_child(doc: Document, i: int) -> bool:
    h = doc.headings[i]
    nxt = doc.headings[i + 1] if i + 1 < len(doc.headings) else None
    return nxt is not None and nxt.level > h.level


def _is_title(doc: Document, i: int) -> bool:
    """The document's own title set as a heading (cover page), not a chapter."""
    if i != 0:
        return False
    h = doc.headings[0]
    before = [b for b in doc.blocks[: h.block_index] if b.text.strip()]
    return not before and bool(re.search(r"(报告|方案|申报表|审查表|目录|说明|书|清单|纪要|批复)$", norm(h.title or h.text)))


def _table_under(doc: Document, h: Heading) -> bool:
    """A table sits under the heading (DOCX tables are not blocks)."""
    path = h.loc.heading
    if path and any(t.loc.heading[: len(path)] == path for t in doc.tables if t.loc.heading):
        return True
    start = h.loc.paragraph
    if start is None:
        return False
    end = None
    for b in doc.blocks[h.block_index + 1 :]:
        if b.kind == "heading" and b.level <= h.level:
            end = b.loc.paragraph
            break
    return any(
        t.loc.paragraph is not None and t.loc.paragraph > start and (end is None or t.loc.paragraph < end)
        for t in doc.tables
    )


# ---------------------------------------------------------------------------------------------

_DEVIATION = re.compile(
    r"(?<![未无不没])(调整|变更|变化|超出|超过|增加|减少)[^。；\n]{0,15}(可行性研究报告|可研)(批复)?"
    r"|(可行性研究报告|可研)(批复)?[^。；\n]{0,15}(?<![未无不没有])(调整|变更|超出)"
)
_NEGATED = re.compile(r"(未|无|没有|不涉及|不存在|不作|不做|一致)")


@param_validator("deviation-chapter")
def _validate_deviation(params: dict[str, Any]) -> list[tuple[str, str]]:
    errs = check_str_list(params, "documents", kinds_only=True)
    errs += check_str_list(params, "reference", kinds_only=True)
    errs += _validate_section_params(params)
    errs += check_type(params, "tolerance", (int, float), "金额（万元）")
    errs += check_regex(params, "phrases")
    return errs


_SENTENCE_END = re.compile(r"(?<=[。；;！？])")
_CLAUSE_END = re.compile(r"[，,；;。]")


@check_kind(
    "deviation-chapter",
    required=["section"],
    optional=["documents", "reference", "synonyms", "keywords", "tolerance", "phrases"],
)
def deviation_chapter(rule: Rule, ctx: Context) -> Iterator[Diagnostic]:
    """A 初设 that departs from the approved 可研 must explain the change in its own chapter.

    A departure is seen when the design's total investment differs from the reference document's
    (可研 / 立项批复, per `facts`), or when the design says it adjusts / exceeds the 可研 (批复).
    """
    p = rule.params
    pkg = ctx.package
    designs = [d for d in ctx.docs(*p.get("documents", ["preliminary_design"])) if d.status != PARTIAL]
    refs = pkg.of_kind(*p.get("reference", ["feasibility_report", "approval"]))
    titles = [p["section"], *p.get("synonyms", [])]
    tolerance = Decimal(str(p.get("tolerance", 0)))
    phrases = [regex(x) for x in p.get("phrases", [])] or [_DEVIATION]
    ref_paths = {d.path for d in refs if d.kind != "preliminary_design"}
    ref_amount = next(
        (f for f in pkg.facts.all("total_investment") if f.file in ref_paths), None
    )
    for doc in designs:
        hit, _near, _score = best_heading(doc, titles, 90, 60)
        if hit is not None:
            continue
        reason = ""
        evidence = None
        loc = None
        own = next((f for f in pkg.facts.all("total_investment") if f.file == doc.path), None)
        if own is not None and ref_amount is not None:
            try:
                diff = abs(Decimal(str(own.value)) - Decimal(str(ref_amount.value)))
            except Exception:
                diff = Decimal(0)
            if diff > tolerance:
                ref_doc = next(d for d in refs if d.path == ref_amount.file)
                reason = (
                    f"总投资{fmt_amount(own.value)}万元与{kind_label(ref_doc.kind)}的"
                    f"{fmt_amount(ref_amount.value)}万元不一致"
                )
                evidence, loc = own.evidence, own.loc
        if not reason and refs:
            for b in doc.blocks:
                if b.kind in ("toc", "heading"):
                    continue
                for sentence in _SENTENCE_END.split(b.text):
                    # judge clause by clause: "…与可研一致，未对可研的建设内容进行调整" is no departure
                    clauses = _CLAUSE_END.split(sentence)
                    if any(any(rx.search(c) for rx in phrases) and not _NEGATED.search(c) for c in clauses):
                        reason = "正文提到对可行性研究报告（批复）内容的调整"
                        evidence, loc = sentence.strip(), b.loc
                        break
                if reason:
                    break
        if reason:
            yield rule.diag(
                file=doc.path,
                loc=loc,
                evidence=evidence,
                key=p["section"],
                **fill(rule, reason=reason, section=p["section"]),
            )
