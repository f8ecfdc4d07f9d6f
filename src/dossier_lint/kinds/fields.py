"""`required-field`: a form's labelled fields must be filled.

A field's label is found in a table cell ("项目联系人" with the value in the next cell to the right, or
below when the right neighbour is itself a label), inside a cell or paragraph as "标签：值", or at the
start of a paragraph as "标签 值". A value that is empty, only a unit ("万元"), or a placeholder ("XXX",
"待定", "无") is a finding located at the value's cell / paragraph. A label that is nowhere in the
documents is a finding too ("缺少栏目"), unless `missing = "ignore"`.

params:
  documents     document kinds to search (usually ["application_form"])
  fields        list of field specs; a spec is a label string or a table:
                  name       the field as named in messages (required)
                  labels     labels that mark it (default [name]); numbering, spaces, a trailing colon
                             and a trailing bracket ("（万元）", "（盖章）") are ignored
                  after      label(s): take the first occurrence after it ("电话" after "项目联系人"),
                             else the first occurrence
                  layout     auto (default) | right | below | row (all cells to the right, joined)
                  choices    options of a tick-box field; one must be ticked or left alone
                  strict     with choices: the value must name one of them
                  accept     values that are fine although they look like placeholders (密级 "无")
                  template   regexes removed from the value first ("负责人[:：]", "年\\s*月\\s*日")
                  pattern    regex the value must match (NFKC, stripped); pattern-hint explains it
                  any        sub-labels of which at least one must carry a non-zero value (资金来源)
                  or-sections  heading titles that also satisfy the field when its label is absent
  placeholders  override the pack's `placeholders` setting
  missing       "report" (default) or "ignore" a label that is absent altogether

Message fields: {field}, {problem} (未填写 / 填写的是占位内容“XXX” / 未勾选… / 格式不正确… /
缺少该栏目), {value}, {document}. Key = the field name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..model import Diagnostic, Document, Location
from ..rule import Context, Rule, check_kind
from ..sentences import regex
from .common import (
    best_heading,
    check_str_list,
    fill,
    is_placeholder,
    kind_label,
    nfkc,
    norm,
    param_validator,
    placeholders_for,
)

FIELD_KEYS = {"name", "labels", "after", "layout", "choices", "strict", "accept", "template", "pattern",
              "pattern-hint", "any", "or-sections"}
LAYOUTS = ("auto", "right", "below", "row")
MARKS = "☑✓✔√■●▣☒⊠✗✘"
_UNIT_RE = re.compile(r"[（(]?\s*(万元|元|人民币)\s*[)）]?")
_TRAILING_BRACKET = re.compile(r"[（(][^（()）]*[)）]$")
_LEAD_MARKS = re.compile(r"^[*★※]+")
_NUMBER_RE = re.compile(r"^[0-9.,，]+$")


@dataclass
class FieldSpec:
    name: str
    labels: list[str]
    after: str | list[str] | None = None
    layout: str = "auto"
    choices: list[str] | None = None
    strict: bool = False
    accept: list[str] | None = None
    template: list[str] | None = None
    pattern: str | None = None
    pattern_hint: str = ""
    any: list[str] | None = None
    or_sections: list[str] | None = None


def _spec(raw: Any) -> FieldSpec:
    if isinstance(raw, str):
        return FieldSpec(name=raw, labels=[raw])
    return FieldSpec(
        name=raw["name"],
        labels=list(raw.get("labels") or [raw["name"]]),
        after=raw.get("after"),
        layout=raw.get("layout", "auto"),
        choices=raw.get("choices"),
        strict=bool(raw.get("strict", False)),
        accept=raw.get("accept"),
        template=raw.get("template"),
        pattern=raw.get("pattern"),
        pattern_hint=raw.get("pattern-hint", ""),
        any=raw.get("any"),
        or_sections=raw.get("or-sections"),
    )


@param_validator("required-field")
def _validate(params: dict[str, Any]) -> list[tuple[str, str]]:
    errs = check_str_list(params, "documents", kinds_only=True, required=True)
    errs += check_str_list(params, "placeholders", nonempty=False)
    if params.get("missing", "report") not in ("report", "ignore"):
        errs.append(("missing", "只能是 report 或 ignore"))
    fields = params.get("fields")
    if not isinstance(fields, list) or not fields:
        return errs + [("fields", "必须是非空列表")]
    for f in fields:
        if isinstance(f, str):
            continue
        if not isinstance(f, dict) or not isinstance(f.get("name"), str):
            errs.append(("fields", "每项必须是标签字符串或 { name = ..., labels = [...], ... }"))
            continue
        extra = set(f) - FIELD_KEYS
        if extra:
            errs.append(("fields", f"“{f['name']}”中未知的键：{', '.join(sorted(extra))}；允许：{', '.join(sorted(FIELD_KEYS))}"))
        if "after" in f and not (isinstance(f["after"], str) or isinstance(f["after"], list)
                                 and all(isinstance(x, str) for x in f["after"])):
            errs.append(("fields", f"“{f['name']}”的 after 必须是标签或标签列表"))
        for k in ("labels", "choices", "accept", "template", "any", "or-sections"):
            if k in f and (not isinstance(f[k], list) or not all(isinstance(x, str) for x in f[k])):
                errs.append(("fields", f"“{f['name']}”的 {k} 必须是字符串列表"))
        if f.get("layout", "auto") not in LAYOUTS:
            errs.append(("fields", f"“{f['name']}”的 layout 只能是 {' / '.join(LAYOUTS)}"))
        for k in ("pattern", *f.get("template", [])):
            pat = f.get("pattern") if k == "pattern" else k
            if isinstance(pat, str):
                try:
                    regex(pat)
                except re.error as e:
                    errs.append(("fields", f"“{f['name']}”的正则表达式“{pat}”有误：{e}"))
    return errs


@dataclass
class Found:
    value: str
    loc: Location | None
    label_text: str
    value_loc: Location | None = None
    colon: bool = False  # a label cell written "标签：" keeps its value in the same row
    where: tuple[int, int, int] | None = None  # (table, row, col) of a label cell


def clean_label(text: str) -> str:
    t = norm(text)
    t = _LEAD_MARKS.sub("", t).rstrip(":：")
    t = _TRAILING_BRACKET.sub("", t).rstrip(":：")
    return t


class FormIndex:
    """The label-bearing places of one document, in reading order (tables first, then paragraphs)."""

    def __init__(self, doc: Document, all_labels: set[str]) -> None:
        self.doc = doc
        self.all_labels = {norm(x) for x in all_labels}
        self.cells: list[tuple[int, int, int]] = []  # (table, row, col), merged duplicates skipped
        for ti, table in enumerate(doc.tables):
            for ri, row in enumerate(table.rows):
                for ci, cell in enumerate(row):
                    if ci > 0 and row[ci - 1].text == cell.text and cell.text.strip():
                        continue  # the same merged cell again
                    self.cells.append((ti, ri, ci))
        self.paras = [b for b in doc.blocks if b.kind in ("para", "heading") and b.text.strip()]
        from ..facts import FIELD_LABELS

        self.stops = sorted(all_labels | {x for labs in FIELD_LABELS.values() for x in labs}, key=len, reverse=True)
        self.known = self.all_labels | {norm(x) for x in self.stops}

    def label_like(self, text: str) -> bool:
        c = clean_label(text)
        if not c:
            return False

        return c in self.known or norm(text).endswith(("：", ":")) and len(c) <= 10

    def occurrences(self, labels: list[str], cut_gaps: bool = True) -> Iterator[tuple[int, Found]]:
        """(position, found) for each occurrence of any of the labels."""
        wanted = [norm(x) for x in labels]
        pos = 0
        for ti, ri, ci in self.cells:
            pos += 1
            table = self.doc.tables[ti]
            cell = table.rows[ri][ci]
            c = clean_label(cell.text)
            if c in wanted:
                colon = norm(cell.text).endswith((":", "："))
                yield pos, Found("", cell.loc, cell.text, None, colon, (ti, ri, ci))  # value per layout
                continue
            for lab in labels:
                v = _inline_value(cell.text, lab, self.stops, cut_gaps=cut_gaps)
                if v is not None:
                    yield pos, Found(v, cell.loc, lab, cell.loc)
                    break
        for b in self.paras:
            pos += 1
            for lab in labels:
                v = _inline_value(b.text, lab, self.stops, allow_space=True, cut_gaps=cut_gaps)
                if v is not None:
                    yield pos, Found(v, b.loc, lab, b.loc)
                    break

    def value_for(self, where: tuple[int, int, int], layout: str, colon: bool = False) -> tuple[str, Location | None]:
        ti, ri, ci = where
        table = self.doc.tables[ti]
        row = table.rows[ri]
        label_text = row[ci].text
        right = [c for c in row[ci + 1 :] if c.text != label_text]
        below = None
        if ri + 1 < len(table.rows) and ci < len(table.rows[ri + 1]):
            cand = table.rows[ri + 1][ci]
            if cand.text != label_text:
                below = cand
        if layout == "row":
            seen: list[str] = []
            for c in right:
                if not seen or seen[-1] != c.text:
                    seen.append(c.text)
            return " ".join(seen), right[0].loc if right else row[ci].loc
        if layout == "right":
            return (right[0].text, right[0].loc) if right else ("", row[ci].loc)
        if layout == "below":
            return (below.text, below.loc) if below is not None else ("", row[ci].loc)
        # auto
        if colon:  # "启动时间：": the value is in the next cell or nowhere
            if right and right[0].text.strip() and not self.label_like(right[0].text):
                return right[0].text, right[0].loc
            return "", row[ci].loc
        if right and not self.label_like(right[0].text):
            return right[0].text, right[0].loc
        if below is not None and not self.label_like(below.text):
            return below.text, below.loc
        if right:
            return "", right[0].loc if not self.label_like(right[0].text) else row[ci].loc
        return "", row[ci].loc


def _inline_value(text: str, label: str, stops: list[str], *, allow_space: bool = False,
                  cut_gaps: bool = True) -> str | None:
    """Value of "标签：值" inside text (or "标签 值" at the start of a paragraph), else None.

    The value ends at the next known label followed by a colon ("张三  联系电话：…"), or at a wide gap
    when `cut_gaps` (tick-box rows keep their gaps)."""
    t = nfkc(text)
    m = _head(t, label)
    if m:
        rest = m.group(1)
        cuts = [c] if (c := _next_label(rest, label, stops)) is not None else []
        if cut_gaps and (mm := regex(r"[ \t\u3000]{2,}").search(rest)):
            cuts.append(mm.start())
        return (rest[: min(cuts)] if cuts else rest).strip()
    if allow_space:
        m = _head(t, label, spaced=True)
        if m and len(t) <= 80:
            return m.group(1).strip()
    return None


# What follows a label: "（万元）：值" (no `\s*` next to another across an optional group: long runs of
# spaces would backtrack quadratically), or at the start of a paragraph "标签 值".
_AFTER_LABEL = re.compile(r"\s*(?:[（(][^（()）\n]{0,20}[)）]\s*)?[:：]\s*(.*)", re.S)
_AFTER_LABEL_SPACED = re.compile(r"\s+(\S.*)$")
_BEFORE_LABEL = frozenset("，,；;。、")  # or whitespace, or the start of the text
_LABEL_MARKS = frozenset("*★※")


@lru_cache(maxsize=4)  # the caller tries every label on one text
def _squeeze(t: str) -> tuple[str, list[int]]:
    """`t` without whitespace, and where in `t` each of its characters stands."""
    where = [i for i, ch in enumerate(t) if not ch.isspace()]
    return "".join(t[i] for i in where), where


@lru_cache(maxsize=1024)
def _squeezed_label(label: str) -> str:
    return "".join(ch for ch in nfkc(label) if not ch.isspace())


def _head(t: str, label: str, spaced: bool = False) -> re.Match[str] | None:
    r"""The value after `label` in `t` (NFKC), as the patterns
    `(?:^|(?<=[\s，,；;。、]))[*★※]?LABEL` + _AFTER_LABEL (searched, re.S) and, with `spaced`,
    `^\s*LABEL` + _AFTER_LABEL_SPACED found it, LABEL being the label's characters with any whitespace
    between them. The label is found by a plain string search in the text without whitespace instead of
    two patterns compiled per label in every process (the forms' labels are many); the groups are the
    patterns' own."""
    want = _squeezed_label(label)
    if not want:
        return None
    squeezed, where = _squeeze(t)
    n = len(want)
    if spaced:
        return _AFTER_LABEL_SPACED.match(t, where[n - 1] + 1) if squeezed.startswith(want) else None
    i = squeezed.find(want)
    while i >= 0:
        start, end = where[i], where[i + n - 1] + 1
        if start > 0 and t[start - 1] in _LABEL_MARKS:
            start -= 1  # "*项目名称："
        if start == 0 or t[start - 1].isspace() or t[start - 1] in _BEFORE_LABEL:
            m = _AFTER_LABEL.match(t, end)
            if m:
                return m
        i = squeezed.find(want, i + 1)
    return None


# A known label followed by a colon ("，联系电话：") ends the value before it.
_STOP = r"(?:[，,；;。]\s*)?(?P<lab>{})\s*(?:[（(][^（()）\n]{{0,20}}[)）]\s*)?[:：]"


def _next_label(rest: str, label: str, stops: list[str]) -> int | None:
    """Where in `rest` the first of `stops` other than `label` itself begins, followed by a colon.

    One pattern of every stop, compiled once per process, instead of one per label without that label
    (each a long alternation, costly to compile in every process). Where the match found is the label's
    own name, the others are tried at that very place, so the answer is the same."""
    every, norms = _stop_pattern(tuple(stops))
    own = norm(label)
    others = [x for x, n in zip(stops, norms, strict=True) if n != own]
    if not others:
        return None
    pos = 0
    while (m := every.search(rest, pos)) is not None:
        if norm(m.group("lab")) != own:
            return m.start()
        if any(regex(_STOP.format(_label_re(x))).match(rest, m.start()) for x in others):
            return m.start()
        pos = m.start() + 1
    return None


@lru_cache(maxsize=64)
def _stop_pattern(stops: tuple[str, ...]) -> tuple[re.Pattern[str], tuple[str, ...]]:
    """The pattern of every stop and each stop's `norm`, made once per stop list (a hot path: every value)."""
    return regex(_STOP.format("|".join(_label_re(x) for x in stops))), tuple(norm(x) for x in stops)


def _label_re(label: str) -> str:
    return r"\s*".join(re.escape(ch) for ch in nfkc(label) if not ch.isspace())


@check_kind("required-field", required=["documents", "fields"], optional=["placeholders", "missing"])
def required_field(rule: Rule, ctx: Context) -> Iterator[Diagnostic]:
    p = rule.params
    docs = ctx.docs(*p["documents"])
    if not docs:
        return  # the required-document rules report a missing form
    specs = [_spec(f) for f in p["fields"]]
    holders = placeholders_for(rule, ctx)
    all_labels = {lab for s in specs for lab in (*s.labels, *(s.any or []), *_as_list(s.after))}
    indexes = [FormIndex(d, all_labels) for d in docs]
    for spec in specs:
        found_any = False
        problems: list[tuple[Document, Found, str]] = []
        for idx in indexes:
            got = _locate(idx, spec)
            if got is None:
                continue
            found_any = True
            problem = _judge(spec, got.value, holders)
            if problem:
                problems.append((idx.doc, got, problem))
        if not found_any:
            if p.get("missing", "report") == "ignore" or _in_sections(ctx, spec):
                continue
            yield rule.diag(
                file=docs[0].path,
                key=spec.name,
                **fill(rule, field=spec.name, problem="缺少该栏目", value="", document=kind_label(docs[0].kind)),
            )
            continue
        for doc, got, problem in problems:
            shown = got.value.strip()
            yield rule.diag(
                file=doc.path,
                loc=got.value_loc or got.loc,
                evidence=f"{spec.name}：{shown}" if shown else spec.name,
                key=spec.name,
                **fill(rule, field=spec.name, problem=problem, value=shown, document=kind_label(doc.kind)),
            )


def _as_list(v: str | list[str] | None) -> list[str]:
    return [] if v is None else [v] if isinstance(v, str) else list(v)


def _in_sections(ctx: Context, spec: FieldSpec) -> bool:
    if not spec.or_sections:
        return False
    for d in ctx.package.readable():
        if best_heading(d, spec.or_sections, 90, 100)[0] is not None:
            return True
    return False


def _locate(idx: FormIndex, spec: FieldSpec) -> Found | None:
    if spec.any:
        return _locate_any(idx, spec)
    hits = list(idx.occurrences(spec.labels, cut_gaps=not spec.choices))
    if not hits:
        return None
    pos, found = hits[0]
    if spec.after:
        # the first occurrence after the anchor label ("电话" after "项目联系人"), else the first one
        anchors = [spec.after] if isinstance(spec.after, str) else list(spec.after)
        start = next((p for p, _ in idx.occurrences(anchors)), None)
        if start is not None:
            pos, found = next(((p, f) for p, f in hits if p > start), hits[0])
    if found.where is not None:  # a label cell: take the value per layout
        value, vloc = idx.value_for(found.where, spec.layout, found.colon)
        return Found(value, found.loc, found.label_text, vloc)
    return found


def _locate_any(idx: FormIndex, spec: FieldSpec) -> Found | None:
    """At least one of the sub-labels carries a value; returns the best evidence."""
    values: list[tuple[str, str, Location | None]] = []
    first_loc: Location | None = None
    for lab in spec.any or []:
        got = None
        for _pos, found in idx.occurrences([lab]):
            got = found
            break
        if got is None:
            continue
        if got.where is not None:
            value, vloc = idx.value_for(got.where, spec.layout, got.colon)
        else:
            value, vloc = got.value, got.value_loc
        first_loc = first_loc or vloc
        values.append((lab, value, vloc))
    if not values:
        # the group's own label may still be there ("资金来源：财政拨款 100 万元")
        for _pos, found in idx.occurrences(spec.labels):
            if found.where is None:
                return found
        return None
    filled = [(lab, v, loc) for lab, v, loc in values if not _zero_or_empty(v)]
    if filled:
        lab, v, loc = filled[0]
        return Found(f"{lab} {v}", loc, lab, loc)
    return Found("", first_loc, spec.name, first_loc)


def _zero_or_empty(v: str) -> bool:
    t = _UNIT_RE.sub("", norm(v))
    if not t or is_placeholder(t):
        return True
    return bool(_NUMBER_RE.match(t)) and float(t.replace(",", "").replace("，", "") or 0) == 0


def _judge(spec: FieldSpec, value: str, holders: tuple[str, ...]) -> str:
    v = nfkc(value)
    for pat in spec.template or []:
        v = regex(pat).sub("", v)
    if spec.accept and norm(v) in {norm(a) for a in spec.accept}:
        return ""
    bare = _UNIT_RE.sub("", v).strip()
    if not norm(bare):
        return "未填写"
    if spec.choices:
        return _judge_choices(spec, bare)
    if is_placeholder(bare, holders):
        return f"填写的是占位内容“{bare.strip()}”"
    if spec.pattern and not regex(spec.pattern).fullmatch(bare.strip()):
        hint = f"（{spec.pattern_hint}）" if spec.pattern_hint else ""
        return f"格式不正确{hint}：“{bare.strip()[:30]}”"
    return ""


def _judge_choices(spec: FieldSpec, value: str) -> str:
    choices = spec.choices or []
    t = norm(value)
    present = [c for c in choices if norm(c) in t]
    # "☑新建项目 □续建项目": the mark precedes its option; only if no mark does, read "新建项目☑"
    marked = [c for c in present if re.search(rf"[{MARKS}]\s*{re.escape(norm(c))}", t)] or [
        c for c in present if re.search(rf"{re.escape(norm(c))}(项目)?\s*[{MARKS}]", t)
    ]
    options = "、".join(choices)
    if marked:
        return "" if len(marked) == 1 else f"勾选了多个选项（{'、'.join(marked)}）"
    if len(present) == 1 and not re.search("[□☐]", t):
        return ""
    if len(present) > 1:
        return f"未勾选（{options}）"
    if spec.strict:
        return f"应为{options}之一，而填写的是“{value.strip()[:20]}”"
    return ""
