"""`required-document`: the package must hold documents of given kinds.

params:
  kinds   document kinds (classify.py); a document counts when its kind or one of its `parts` matches
  match   "any-of" (default: one diagnostic when none is present) or "all-of" (one per missing kind)
  label   Chinese name for the message instead of the kinds' names (e.g. "招采建资料")
  names   { kind = "中文名" } per kind, for all-of messages ("立项会议纪要" for meeting_minutes)
  when-field  { documents = [...], labels = [...], layout = "below" }: apply only when that form
          field carries a non-zero value (泰兴申报表 资金来源“其他” -> 资金来源证明)

Message fields: {document} (the missing document(s) in Chinese), {investment} (total investment,
万元), {project_type}, {filing}, {mode}. Package-level diagnostics (no file); key = the kind(s).
An unreadable document still counts as present: the input rules report it, not this one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..model import Diagnostic
from ..rule import Context, Rule, check_kind
from .common import check_str_list, check_type, fill, fmt_amount, kind_label, kinds_label, param_validator


@param_validator("required-document")
def _validate(params: dict[str, Any]) -> list[tuple[str, str]]:
    errs = check_str_list(params, "kinds", kinds_only=True, required=True)
    if params.get("match", "any-of") not in ("any-of", "all-of"):
        errs.append(("match", "只能是 any-of 或 all-of"))
    errs += check_type(params, "label", (str,), "字符串")
    names = params.get("names", {})
    if not isinstance(names, dict) or not all(isinstance(v, str) for v in names.values()):
        errs.append(("names", "必须是 { 文件类型 = \"中文名\" } 表"))
    wf = params.get("when-field")
    if wf is not None:
        if not isinstance(wf, dict) or not isinstance(wf.get("labels"), list) or set(wf) - {"documents", "labels", "layout"}:
            errs.append(("when-field", "必须是 { documents = [...], labels = [...], layout = \"below\" }"))
        else:
            errs += [("when-field", m) for _, m in check_str_list(wf, "documents", kinds_only=True)]
    return errs


@check_kind("required-document", required=["kinds"], optional=["match", "label", "names", "when-field"])
def required_document(rule: Rule, ctx: Context) -> Iterator[Diagnostic]:
    kinds: list[str] = rule.params["kinds"]
    pkg = ctx.package
    wf = rule.params.get("when-field")
    if wf is not None and not _field_has_value(ctx, wf):
        return
    names = rule.params.get("names", {})
    facts = {
        "investment": fmt_amount(pkg.facts.get("total_investment")),
        "project_type": pkg.facts.get("project_type") or "",
        "filing": pkg.facts.get("filing") or "",
        "mode": pkg.facts.get("mode") or "",
    }
    label = rule.params.get("label")
    if rule.params.get("match", "any-of") == "all-of":
        for kind in kinds:
            if not pkg.of_kind(kind):
                yield rule.diag(
                    key=kind,
                    data={"missing": [kind]},
                    **fill(rule, document=names.get(kind) or label or kind_label(kind), **facts),
                )
        return
    if not pkg.of_kind(*kinds):
        yield rule.diag(
            key="|".join(kinds),
            data={"missing": list(kinds)},
            **fill(rule, document=label or kinds_label(kinds), **facts),
        )


def _field_has_value(ctx: Context, wf: dict[str, Any]) -> bool:
    from .fields import FieldSpec, FormIndex, _locate, _zero_or_empty

    spec = FieldSpec(name=wf["labels"][0], labels=list(wf["labels"]), layout=wf.get("layout", "auto"))
    for doc in ctx.docs(*wf.get("documents", ["application_form"])):
        got = _locate(FormIndex(doc, set(spec.labels)), spec)
        if got is not None and not _zero_or_empty(got.value):
            return True
    return False
