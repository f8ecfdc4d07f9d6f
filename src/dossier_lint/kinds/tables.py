"""Generic table kinds: `table-columns` (a table must have these columns) and `enumerated-values`
(a column's values must come from a list). For catalogs, budget sheets, cloud resource lists.

A table is a candidate when its header (one of its first `header-rows` rows) names at least
`min-identify` of the `identify` words (default: the columns themselves, at least 2). Headers are
compared after normalisation (spaces, width, a trailing bracket such as "（万元）" ignored); a
column spec is a name or a list whose first item is the name and the rest synonyms.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..model import Cell, Diagnostic, Document, Table
from ..rule import Context, Rule, check_kind
from .common import check_str_list, check_type, fill, kind_label, norm, param_validator
from .fields import clean_label


def _names(spec: Any) -> list[str]:
    return [spec] if isinstance(spec, str) else list(spec)


def _validate_columns(params: dict[str, Any], key: str) -> list[tuple[str, str]]:
    v = params.get(key)
    if v is None:
        return []
    ok = isinstance(v, list) and v and all(
        isinstance(x, str) or isinstance(x, list) and x and all(isinstance(y, str) for y in x) for x in v
    )
    return [] if ok else [(key, "必须是列名列表（每项为列名，或 [列名, 同义词...]）")]


def _common(params: dict[str, Any]) -> list[tuple[str, str]]:
    errs = check_str_list(params, "documents", kinds_only=True, required=True)
    errs += check_str_list(params, "identify", nonempty=False)
    for k in ("min-identify", "header-rows"):
        errs += check_type(params, k, (int,), "整数")
    errs += check_type(params, "label", (str,), "字符串")
    return errs


def _header_match(text: str, names: list[str]) -> bool:
    t = clean_label(text)
    return any(t == norm(n) or t == clean_label(n) for n in names)


def candidate_tables(doc: Document, params: dict[str, Any], columns: list[Any]) -> Iterator[tuple[Table, int]]:
    """(table, header row index) for tables that look like the ones the rule is about."""
    identify = [[w] for w in params.get("identify", [])] or [_names(c) for c in columns]
    need = int(params.get("min-identify", min(2, len(identify))))
    depth = int(params.get("header-rows", 5))
    for table in doc.tables:
        best = (-1, 0)
        for ri, row in enumerate(table.rows[:depth]):
            hits = sum(any(_header_match(c.text, names) for c in row) for names in identify)
            if hits > best[1]:
                best = (ri, hits)
        if best[0] >= 0 and best[1] >= need:
            yield table, best[0]


@param_validator("table-columns")
def _validate_table_columns(params: dict[str, Any]) -> list[tuple[str, str]]:
    errs = _common(params)
    if "columns" not in params:
        errs.append(("columns", "必须给出"))
    errs += _validate_columns(params, "columns")
    errs += check_type(params, "require-table", (bool,), "true 或 false")
    return errs


@check_kind(
    "table-columns",
    required=["documents", "columns"],
    optional=["identify", "min-identify", "header-rows", "require-table", "label"],
)
def table_columns(rule: Rule, ctx: Context) -> Iterator[Diagnostic]:
    p = rule.params
    columns = p["columns"]
    label = p.get("label", "")
    for doc in ctx.docs(*p["documents"]):
        found = False
        for table, hi in candidate_tables(doc, p, columns):
            found = True
            header_cells: list[Cell] = []
            for row in table.rows[: hi + 1]:
                header_cells.extend(row)
            header_text = " | ".join(dict.fromkeys(c.text.strip() for c in table.rows[hi] if c.text.strip()))
            for col in columns:
                names = _names(col)
                if not any(_header_match(c.text, names) for c in header_cells):
                    yield rule.diag(
                        file=doc.path,
                        loc=table.loc,
                        evidence=header_text,
                        key=f"{table.title}:{names[0]}",
                        **fill(rule, column=names[0], table=table.title or label, document=kind_label(doc.kind)),
                    )
        if not found and p.get("require-table"):
            yield rule.diag(
                file=doc.path,
                key="table-missing",
                **fill(rule, column="、".join(_names(c)[0] for c in columns), table=label or "表格",
                       document=kind_label(doc.kind)),
            )


@param_validator("enumerated-values")
def _validate_enum(params: dict[str, Any]) -> list[tuple[str, str]]:
    errs = _common(params)
    col = params.get("column")
    if not (isinstance(col, str) or isinstance(col, list) and col and all(isinstance(x, str) for x in col)):
        errs.append(("column", "必须是列名或 [列名, 同义词...]"))
    errs += check_str_list(params, "values", required=True)
    al = params.get("aliases", {})
    if not isinstance(al, dict) or not all(isinstance(v, str) for v in al.values()):
        errs.append(("aliases", "必须是 { 写法 = \"规范值\" } 表"))
    errs += check_type(params, "allow-empty", (bool,), "true 或 false")
    errs += check_type(params, "split", (str,), "分隔符字符串")
    return errs


@check_kind(
    "enumerated-values",
    required=["documents", "column", "values"],
    optional=["identify", "min-identify", "header-rows", "aliases", "allow-empty", "split", "label"],
)
def enumerated_values(rule: Rule, ctx: Context) -> Iterator[Diagnostic]:
    p = rule.params
    names = _names(p["column"])
    allowed = {norm(v): v for v in p["values"]}
    aliases = {norm(k): v for k, v in p.get("aliases", {}).items()}
    allow_empty = p.get("allow-empty", True)
    split = p.get("split", "")
    columns = [names, *([w] for w in p.get("identify", []))]
    params = dict(p)
    params.setdefault("min-identify", 1)
    for doc in ctx.docs(*p["documents"]):
        for table, hi in candidate_tables(doc, params, columns):
            header = table.rows[hi]
            cols = [i for i, c in enumerate(header) if _header_match(c.text, names)]
            if not cols:
                continue
            ci = cols[0]
            for row in table.rows[hi + 1 :]:
                if ci >= len(row):
                    continue
                cell = row[ci]
                raw = cell.text.strip()
                if _header_match(raw, names):
                    continue  # a repeated header row
                if not raw:
                    if allow_empty:
                        continue
                    bad = "（空）"
                else:
                    parts = [x for x in _split(raw, split) if x.strip()]
                    wrong = [x for x in parts if norm(x) not in allowed and norm(x) not in aliases]
                    if not wrong:
                        continue
                    bad = "、".join(w.strip() for w in wrong)
                yield rule.diag(
                    file=doc.path,
                    loc=cell.loc,
                    evidence=raw or None,
                    key=f"{names[0]}:{raw}",
                    **fill(rule, column=names[0], value=bad, allowed="、".join(p["values"]),
                           table=table.title, document=kind_label(doc.kind)),
                )


def _split(text: str, seps: str) -> list[str]:
    if not seps:
        return [text]
    import re

    return re.split("[" + re.escape(seps) + "]", text)
