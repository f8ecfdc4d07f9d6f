"""政务信息资源目录: read the catalog table(s) and check columns, rows and values.

The catalog is usually an .xlsx (one sheet per table, sometimes a sheet of 信息项 and a sheet of 填表说明),
sometimes a table inside a .docx / .pdf (a 可研 chapter: `resource_catalog` in `doc.parts`), sometimes
one small key-value table per resource (表单式). Column names vary (责任方 / 提供方 / 信息资源提供方 …);
`CATALOG_VOCAB` maps them. Every row finding names the resource and points at its cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from ..model import Cell, Document, Location, Table
from ..rule import Context, Rule, check_kind
from ..sentences import regex
from ..tables import TableView, clean, find_tables, is_blank, read_table
from .common import check_str_list, check_type, fill, pack_setting, param_validator

# canonical field -> header synonyms. Decoy fields (开放属性, 备注, 序号 …) exist so that their headers
# are not taken for a required field by a looser match ("开放属性" is not 属性).
CATALOG_VOCAB: dict[str, tuple[str, ...]] = {
    "资源名称": ("信息资源名称", "资源名称", "数据资源名称", "目录名称", "信息资源目录名称", "数据目录名称",
             "资源目录名称", "名称"),
    "信息项": ("信息项", "信息项名称", "数据项", "数据项名称", "字段名称", "信息项信息", "数据元", "字段"),
    "分类": ("信息资源分类", "资源分类", "所属分类", "目录分类", "资源类别", "类别"),
    "责任方": ("提供方", "责任部门", "信息资源提供方", "资源提供方", "提供单位", "提供部门", "责任单位",
            "数据提供方", "数源部门", "来源部门", "数据来源部门", "责任处室"),
    "格式": ("信息资源格式", "资源格式", "数据格式", "格式类型", "资源格式类型"),
    "属性": ("资源属性", "涉密属性", "信息资源属性", "数据属性", "密级"),
    "更新时限": ("更新周期", "更新频率", "更新频次", "更新时间"),
    "共享类型": ("共享属性", "共享级别"),
    "共享方式": ("共享途径", "共享渠道"),
    "使用要求": ("共享条件", "使用条件", "共享使用要求", "共享条件或依据", "使用要求及共享条件"),
    "不予共享依据": ("不共享依据", "不予共享理由", "共享依据"),
    "开放属性": ("开放类型", "是否向社会开放", "开放条件", "是否开放", "开放方式"),
    "所属系统": ("所属系统", "来源系统", "关联信息系统", "所属信息系统", "系统名称", "来源信息系统"),
    "备注": ("说明",),
    "序号": ("编号",),
    "资源代码": ("信息资源代码", "目录代码", "资源编码", "编码", "代码"),
    "摘要": ("信息资源摘要", "资源摘要", "描述", "资源描述", "内容描述"),
    "数据类型": ("数据类型", "字段类型"),
}
# fields whose presence makes a table a catalog (a sheet of 信息项 alone is not the catalog)
_MAIN_FIELDS = ("分类", "责任方", "格式", "属性", "更新时限", "共享类型", "共享方式", "使用要求")
_MIN_MAIN = 3

DEFAULT_SHARE_TYPES = ("无条件共享", "有条件共享", "不予共享")
DEFAULT_SHARE_ALIASES = {"无条件": "无条件共享", "有条件": "有条件共享", "不共享": "不予共享", "不予": "不予共享"}
DEFAULT_UPDATE_CYCLES = ("实时", "每日", "每周", "每月", "每季度", "每半年", "每年", "不定期")
# spelling variants of the update cycles (after 更新/一次/按 are stripped)
_CYCLE_ALIASES = {
    "即时": "实时", "实时同步": "实时", "准实时": "实时", "日": "每日", "天": "每日", "每天": "每日", "t+1": "每日",
    "周": "每周", "每星期": "每周", "月": "每月", "季": "每季度", "季度": "每季度", "每季": "每季度",
    "半年": "每半年", "年": "每年", "年度": "每年", "每年度": "每年", "不定时": "不定期", "按需": "不定期",
    "随时": "不定期", "不更新": "不定期", "静态": "不定期", "一次性": "不定期",
}
DEFAULT_SHARE_METHODS = (
    "共享平台", "交换平台", "数据共享", "数据交换", "接口", "数据库", "库表", "文件", "文件夹", "邮件", "拷盘",
    "光盘", "介质", "前置机", "服务", "api", "ftp", "在线", "下载", "查询", "推送", "订阅", "批量", "外网", "内网",
    "专网", "webservice", "restful", "核验", "报送", "线下", "纸质", "人工",
)
# ---------------------------------------------------------------------------------------------
# reading


@dataclass(slots=True)
class CatalogRow:
    view: TableView
    row: Any  # tables.Row

    def cell(self, fname: str) -> Cell | None:
        return self.view.cell(self.row, fname)

    def value(self, fname: str) -> str:
        return self.view.value(self.row, fname)

    def name(self) -> str:
        """The resource's name for messages: its 资源名称, else the first meaningful cell."""
        v = self.value("资源名称")
        if v and not is_blank(v):
            return _short(v)
        skip = set(self.view.fields.get("序号", []))
        for i, c in enumerate(self.row.cells):
            if i not in skip and not is_blank(c.text) and not re.fullmatch(r"[\d.]+", clean(c.text)):
                return _short(c.text)
        return f"第{self.row.index + 1}行"

    def loc(self) -> Location:
        c = self.cell("资源名称") or next((c for c in self.row.cells if c.text.strip()), self.row.cells[0])
        return c.loc


@dataclass(slots=True)
class Catalog:
    doc: Document
    views: list[TableView] = field(default_factory=list)  # catalog tables
    records: bool = False  # views are one-resource key-value tables (表单式)
    has_items: bool = False  # some table lists 信息项
    _rows: list[CatalogRow] | None = None

    def rows(self) -> list[CatalogRow]:
        if self._rows is None:
            self._rows = [CatalogRow(v, r) for v in self.views for r in v.data if _is_content_row(v, r)]
        return self._rows


def _short(text: str, n: int = 30) -> str:
    t = " ".join(text.split())
    return t if len(t) <= n else t[: n - 1] + "…"


def _is_content_row(view: TableView, row: Any) -> bool:
    """A row that says something besides its 序号 (template rows "1 | | | " are not resources)."""
    skip = set(view.fields.get("序号", []))
    return any(not is_blank(c.text) for i, c in enumerate(row.cells) if i not in skip)


def catalog_vocab(extra: dict[str, list[str]] | None = None) -> dict[str, tuple[str, ...]]:
    """CATALOG_VOCAB plus a pack's own header words (`[settings] catalog-synonyms`)."""
    if not extra:
        return CATALOG_VOCAB
    out = dict(CATALOG_VOCAB)
    for k, v in extra.items():
        out[k] = tuple(out.get(k, ())) + tuple(v)
    return out


def _is_catalog_view(v: TableView) -> bool:
    return sum(1 for f in _MAIN_FIELDS if f in v.fields) >= _MIN_MAIN


def read_catalog(doc: Document, vocab: dict[str, tuple[str, ...]] = CATALOG_VOCAB) -> Catalog:
    cat = Catalog(doc)
    views = find_tables(doc, vocab, min_fields=2)
    for v in views:
        if _is_catalog_view(v):
            cat.views.append(v)
        if "信息项" in v.fields:
            cat.has_items = True
    if not cat.views:
        for t in doc.tables:
            rv = read_record(t, vocab)
            if rv is not None:
                cat.views.append(rv)
                cat.records = True
                cat.has_items = cat.has_items or "信息项" in rv.fields
    if not cat.views and doc.kind == "resource_catalog":
        # the document IS the catalog: a table naming resources with only a few of the columns is the
        # catalog (catalog-columns then says what it lacks), not "no catalog"
        cat.views = [v for v in views
                     if sum(1 for f in _MAIN_FIELDS if f in v.fields) >= (1 if "资源名称" in v.fields else 2)]
    return cat


def read_record(table: Table, vocab: dict[str, tuple[str, ...]] = CATALOG_VOCAB) -> TableView | None:
    """A one-resource form (表单式): label | value (| label | value) rows -> a one-row table."""
    labels: list[Cell] = []
    values: list[Cell] = []
    for row in table.rows:
        cells = [c for i, c in enumerate(row) if i == 0 or c.text != row[i - 1].text]  # merged values once
        for i in range(0, len(cells) - 1, 2):
            labels.append(cells[i])
            values.append(cells[i + 1])
    if len(labels) < _MIN_MAIN:
        return None
    synthetic = Table([[Cell(c.text, c.loc, 0, i) for i, c in enumerate(labels)],
                       [Cell(c.text, c.loc, 1, i) for i, c in enumerate(values)]], table.loc, table.title)
    view = read_table(synthetic, vocab, min_fields=_MIN_MAIN)
    if view is None or not _is_catalog_view(view):
        return None
    return view


def catalogs(ctx: Context) -> list[Catalog]:
    """Every readable catalog document of the package, read once per run."""
    key = ("content-a:catalogs", id(ctx.package))
    hit = ctx.shared.get(key)
    if hit is not None and hit[0] is ctx.package:
        return hit[1]
    vocab = catalog_vocab(pack_setting(ctx, "catalog-synonyms", None))
    out = [read_catalog(d, vocab) for d in ctx.docs("resource_catalog")]
    ctx.shared[key] = (ctx.package, out)
    return out


# ---------------------------------------------------------------------------------------------
# value helpers


def share_types(rule: Rule, ctx: Context) -> tuple[tuple[str, ...], dict[str, str]]:
    allowed = tuple(rule.params.get("values") or pack_setting(ctx, "catalog-share-types", DEFAULT_SHARE_TYPES))
    aliases = dict(pack_setting(ctx, "catalog-share-type-aliases", DEFAULT_SHARE_ALIASES))
    return allowed, aliases


def canonical_share_type(value: str, allowed: tuple[str, ...], aliases: dict[str, str]) -> str | None:
    """The enum value a cell states: exact, with trailing words (`有条件共享（仅限…）`), or an alias."""
    try:  # a catalog repeats a handful of values over thousands of rows
        return _canonical_share_type(value, tuple(allowed), tuple(aliases.items()))
    except TypeError:  # unhashable pack values: no memo
        return _canonical_share_type.__wrapped__(value, tuple(allowed), tuple(aliases.items()))


@lru_cache(maxsize=4096)
def _canonical_share_type(value: str, allowed: tuple[str, ...], alias_items: tuple[tuple[str, str], ...]) -> str | None:
    aliases = dict(alias_items)
    t = clean(value)
    t = _BOXES.sub("", t)
    for a in sorted(allowed, key=len, reverse=True):
        if t == clean(a) or t.startswith(clean(a)):
            return a
    for alias, target in sorted(aliases.items(), key=lambda x: -len(x[0])):
        if (t == clean(alias) or t.startswith(clean(alias))) and target in allowed:
            return target
    return None


_BOXES = re.compile(r"^[□☐]+")


def _row_share_type(r: CatalogRow, types: tuple[tuple[str, ...], dict[str, str]]) -> str | None:
    """The row's share type; `types` is `share_types(rule, ctx)` (read once per rule, not per row)."""
    return canonical_share_type(r.value("共享类型"), *types)


def canonical_cycle(value: str, allowed: tuple[str, ...]) -> str | None:
    """The update cycle a cell states (每天 -> 每日, 实时更新 -> 实时, 按需 -> 不定期), or None."""
    try:  # memo: a catalog repeats a handful of values over thousands of rows
        return _canonical_cycle(value, tuple(allowed))
    except TypeError:
        return _canonical_cycle.__wrapped__(value, tuple(allowed))


@lru_cache(maxsize=4096)
def _canonical_cycle(value: str, allowed: tuple[str, ...]) -> str | None:
    raw = clean(value).lower()
    t = re.sub(r"(更新|一次|1次|同步)$", "", raw)
    for cand in dict.fromkeys((raw, t, re.sub(r"^(按|每一|每个)", lambda m: "" if m.group(0) == "按" else "每", t))):
        for a in allowed:
            if cand == clean(a).lower():
                return a
        if cand in _CYCLE_ALIASES and _CYCLE_ALIASES[cand] in allowed:
            return _CYCLE_ALIASES[cand]
        if re.fullmatch(r"每?\d*(分钟|小时|秒)", cand) and "实时" in allowed:
            return "实时"
        if re.fullmatch(r"每\d+(天|日)", cand) and "每日" in allowed:
            return "每日"
        # other regular periods (每两周, 半月, 每旬, 每3个月): a cycle, if not one of the list's words
        m = re.fullmatch(r"(?:每|按)(?:[两二三四五六\d]{1,2}个?)?(周|月|季度|季|年|旬)|半月|双周|旬", cand)
        if m:
            unit = {"周": "每周", "旬": "每月", "月": "每月", "季": "每季度", "季度": "每季度", "年": "每年"}.get(
                m.group(1) or ("周" if "周" in cand else "月"), "")
            if unit in allowed:
                return unit
    return None


# ---------------------------------------------------------------------------------------------
# kinds


@check_kind("catalog-columns", required=["columns"])
def catalog_columns(rule: Rule, ctx: Context):
    """Columns the catalog must have (南信办〔2023〕1号 二(五); the national guide's 资源名称 / 信息项)."""
    wanted = list(rule.params["columns"])
    for cat in catalogs(ctx):
        if not cat.views:
            continue
        views = cat.views[:1] if cat.records else cat.views  # a form per resource: report once
        for v in views:
            for col in wanted:
                if col in v.fields:
                    continue
                if col == "信息项" and cat.has_items:  # items listed on a sheet of their own
                    continue
                if cat.records and any(col in o.fields for o in cat.views):
                    continue
                yield rule.diag(
                    file=cat.doc.path, loc=v.header_loc(), key=f"{v.table.title}|{col}",
                    **fill(rule, column=col, sheet=v.table.title),
                )


@check_kind("catalog-no-rows")
def catalog_no_rows(rule: Rule, ctx: Context):
    """A catalog with a header and no resource under it."""
    for cat in catalogs(ctx):
        if cat.views and not cat.rows():
            v = cat.views[0]
            yield rule.diag(file=cat.doc.path, loc=v.header_loc(), key="no-rows", **fill(rule))


@check_kind("catalog-no-table")
def catalog_no_table(rule: Rule, ctx: Context):
    """A document filed as the catalog in which no catalog table can be found."""
    for cat in catalogs(ctx):
        doc = cat.doc
        if cat.views or doc.kind != "resource_catalog":
            continue
        if any(i.code in ("scanned-pages", "empty-document") for i in doc.issues):
            continue  # the input rules already say why nothing could be read
        yield rule.diag(file=doc.path, key="no-table", **fill(rule, tables=len(doc.tables)))


def _optional_for(rule: Rule, column: str) -> tuple[str, ...]:
    return tuple((rule.params.get("optional-when") or {}).get(column, ()))


@check_kind("catalog-empty-cells", required=["columns"], optional=["optional-when"])
def catalog_empty_cells(rule: Rule, ctx: Context):
    """Required cells left empty (or `/`, `待定`, `XXX`). A column empty in every row is one finding."""
    columns = list(rule.params["columns"])
    types = cache(lambda: share_types(rule, ctx))  # read when first needed, then once per rule
    for cat in catalogs(ctx):
        rows = cat.rows()
        if not rows:
            continue
        for col in columns:
            present = [r for r in rows if col in r.view.fields]
            if not present:
                continue  # the column itself is missing: catalog-columns says so
            exempt = _optional_for(rule, col)
            needed = [r for r in present if not exempt or _row_share_type(r, types()) not in exempt]
            empty = [r for r in needed if is_blank(r.value(col))]
            if not empty:
                continue
            if len(empty) == len(present) and len(present) > 1:
                v = empty[0].view
                yield rule.diag(
                    file=cat.doc.path, loc=v.column_loc(col), key=f"{col}:all",
                    **fill(rule, column=col, resource=f"全部{len(empty)}条资源"),
                )
                continue
            for r in empty:
                c = r.cell(col)
                yield rule.diag(
                    file=cat.doc.path, loc=c.loc if c else r.loc(), key=f"{col}:{r.name()}",
                    evidence=f"{r.name()}｜{col}", **fill(rule, column=col, resource=r.name()),
                )


@check_kind("catalog-share-type", optional=["values"])
def catalog_share_type(rule: Rule, ctx: Context):
    """共享类型 outside the enum (无条件共享 / 有条件共享 / 不予共享; pack setting `catalog-share-types`)."""
    allowed, aliases = share_types(rule, ctx)
    for cat in catalogs(ctx):
        for r in cat.rows():
            value = r.value("共享类型")
            if is_blank(value) or canonical_share_type(value, allowed, aliases):
                continue
            c = r.cell("共享类型")
            yield rule.diag(
                file=cat.doc.path, loc=c.loc if c else r.loc(), evidence=f"{r.name()}：{value}", key=r.name(),
                **fill(rule, resource=r.name(), value=_short(value), allowed="、".join(allowed)),
            )


@check_kind(
    "catalog-conditional",
    required=["share-type"],
    optional=["need", "need-pattern", "must-be-empty", "empty-values", "values"],
)
def catalog_conditional(rule: Rule, ctx: Context):
    """Per-row rule on rows of one share type: `need` columns must say something (matching
    `need-pattern` when given), or `must-be-empty` columns must be empty."""
    target = rule.params["share-type"]
    need = list(rule.params.get("need") or [])
    must_empty = list(rule.params.get("must-be-empty") or [])
    pattern = rule.params.get("need-pattern")
    rx = regex(pattern) if pattern else None
    empty_values = {clean(x) for x in rule.params.get("empty-values") or ()}
    types = cache(lambda: share_types(rule, ctx))  # read when first needed, then once per rule
    for cat in catalogs(ctx):
        for r in cat.rows():
            if _row_share_type(r, types()) != target:
                continue
            if need:
                cols = [c for c in need if c in r.view.fields]
                if not cols:
                    continue  # none of the columns exists: catalog-columns reports it
                texts = [r.value(c) for c in cols]
                texts = [t for t in texts if not is_blank(t) and clean(t) not in empty_values]
                ok = bool(texts) if rx is None else any(rx.search(clean(t)) for t in texts)
                if not ok:
                    c = r.cell(cols[0])
                    shown = next((r.value(x) for x in cols if r.value(x)), "")
                    yield rule.diag(
                        file=cat.doc.path, loc=c.loc if c else r.loc(), evidence=f"{r.name()}：{shown}",
                        key=r.name(), **fill(rule, resource=r.name(), value=_short(shown) or "（空）",
                                             share_type=target, column=cols[0]),
                    )
            for col in must_empty:
                if col not in r.view.fields:
                    continue
                value = r.value(col)
                if is_blank(value):
                    continue
                c = r.cell(col)
                yield rule.diag(
                    file=cat.doc.path, loc=c.loc if c else r.loc(), evidence=f"{r.name()}：{value}", key=r.name(),
                    **fill(rule, resource=r.name(), value=_short(value), share_type=target, column=col),
                )


@check_kind("catalog-update-cycle", optional=["values"])
def catalog_update_cycle(rule: Rule, ctx: Context):
    """更新周期 outside the guide's list (实时 … 每年, 不定期; pack setting `catalog-update-cycles`)."""
    allowed = tuple(rule.params.get("values") or pack_setting(ctx, "catalog-update-cycles", DEFAULT_UPDATE_CYCLES))
    for cat in catalogs(ctx):
        for r in cat.rows():
            value = r.value("更新时限")
            if is_blank(value) or canonical_cycle(value, allowed):
                continue
            c = r.cell("更新时限")
            yield rule.diag(
                file=cat.doc.path, loc=c.loc if c else r.loc(), evidence=f"{r.name()}：{value}", key=r.name(),
                **fill(rule, resource=r.name(), value=_short(value), allowed="、".join(allowed)),
            )


@check_kind("catalog-share-method", optional=["values", "skip-share-types"])
def catalog_share_method(rule: Rule, ctx: Context):
    """共享方式 that names no known way (共享平台/接口/数据库/文件 …, 邮件/拷盘/介质 …)."""
    words = [clean(w).lower() for w in rule.params.get("values")
             or pack_setting(ctx, "catalog-share-methods", DEFAULT_SHARE_METHODS)]
    skip = tuple(rule.params.get("skip-share-types") or ("不予共享",))
    types = cache(lambda: share_types(rule, ctx))  # read when first needed, then once per rule
    for cat in catalogs(ctx):
        for r in cat.rows():
            value = r.value("共享方式")
            if is_blank(value) or any(w in clean(value).lower() for w in words):
                continue
            if _row_share_type(r, types()) in skip:
                continue
            c = r.cell("共享方式")
            yield rule.diag(
                file=cat.doc.path, loc=c.loc if c else r.loc(), evidence=f"{r.name()}：{value}", key=r.name(),
                **fill(rule, resource=r.name(), value=_short(value)),
            )


# words that say nothing about a project's business: left out when comparing names
_GENERIC = (
    "南充市", "泰兴市", "郴州市", "南充", "泰兴", "郴州", "市级", "市本级", "全市", "政务信息化", "信息化", "信息资源",
    "信息系统", "政务", "信息", "系统", "平台", "项目", "建设", "数据库", "数据", "资源", "管理", "服务", "综合",
    "应用", "工程", "一期", "二期", "三期", "升级", "改造", "运维", "运行维护", "购买", "智慧", "数字", "中心",
    "基础", "共享", "目录", "清单", "名称", "记录", "台账", "统计", "业务", "办公", "工作", "相关", "基本", "及",
    "和", "与", "的", "等", "类",
)
_CJK = re.compile(r"[\u4e00-\u9fff]+")


def _bigrams(text: str) -> set[str]:
    t = clean(text)
    for w in sorted(_GENERIC, key=len, reverse=True):
        t = t.replace(w, "|")
    out: set[str] = set()
    for run in _CJK.findall(t):
        out.update(run[i : i + 2] for i in range(len(run) - 1))
    return out


@check_kind("catalog-relevance", optional=["min-project-terms"])
def catalog_relevance(rule: Rule, ctx: Context):
    """No resource of the catalog relates to the project (a catalog copied from another project).

    Compared by distinctive character pairs of the resource names (and their 所属系统) against the
    project's name and main tasks; generic words (系统, 平台, 数据, 管理 …) are left out.
    """
    facts = ctx.package.facts
    project = " ".join(str(f.value) for key in ("name", "tasks") for f in facts.all(key))
    terms = _bigrams(project)
    if len(terms) < int(rule.params.get("min-project-terms", 6)):
        return  # a bare name ("城市运行管理服务平台") says too little about the business to judge by
    for cat in catalogs(ctx):
        rows = cat.rows()
        if not rows:
            continue
        names = [r.value("资源名称") or r.name() for r in rows]
        systems = [r.value("所属系统") for r in rows]
        if any(_bigrams(n) & terms for n in names + systems if n):
            continue
        v = rows[0].view
        shown = "、".join(dict.fromkeys(_short(n, 16) for n in names if n))
        yield rule.diag(
            file=cat.doc.path, loc=v.header_loc(), evidence=_short(shown, 120), key="unrelated",
            **fill(rule, resources=_short(shown, 60), project=_short(str(facts.get("name") or ""), 40)),
        )


# ---------------------------------------------------------------------------------------------
# parameter validation


@param_validator("catalog-columns")
def _v_columns(p: dict[str, Any]) -> list[tuple[str, str]]:
    errs = check_str_list(p, "columns", required=True)
    bad = [c for c in p.get("columns") or [] if isinstance(c, str) and c not in CATALOG_VOCAB]
    if bad:
        errs.append(("columns", f"未知的目录列 {', '.join(bad)}；可用：{', '.join(CATALOG_VOCAB)}"))
    return errs


@param_validator("catalog-empty-cells")
def _v_empty(p: dict[str, Any]) -> list[tuple[str, str]]:
    errs = check_str_list(p, "columns", required=True)
    bad = [c for c in p.get("columns") or [] if isinstance(c, str) and c not in CATALOG_VOCAB]
    if bad:
        errs.append(("columns", f"未知的目录列 {', '.join(bad)}"))
    if "optional-when" in p and not isinstance(p["optional-when"], dict):
        errs.append(("optional-when", "必须是表：列名 = [共享类型, …]"))
    return errs


@param_validator("catalog-conditional")
def _v_conditional(p: dict[str, Any]) -> list[tuple[str, str]]:
    errs = check_type(p, "share-type", (str,), "字符串")
    for key in ("need", "must-be-empty", "empty-values"):
        errs += check_str_list(p, key, nonempty=False)
    if "need-pattern" in p:
        try:
            regex(p["need-pattern"])
        except (re.error, TypeError) as e:
            errs.append(("need-pattern", f"正则表达式有误：{e}"))
    if not p.get("need") and not p.get("must-be-empty"):
        errs.append(("need", "need 与 must-be-empty 至少给出一个"))
    return errs


@param_validator("catalog-share-type")
def _v_share_type(p: dict[str, Any]) -> list[tuple[str, str]]:
    return check_str_list(p, "values")


@param_validator("catalog-update-cycle")
def _v_cycle(p: dict[str, Any]) -> list[tuple[str, str]]:
    return check_str_list(p, "values")


@param_validator("catalog-share-method")
def _v_method(p: dict[str, Any]) -> list[tuple[str, str]]:
    return check_str_list(p, "values") + check_str_list(p, "skip-share-types")


@param_validator("catalog-relevance")
def _v_relevance(p: dict[str, Any]) -> list[tuple[str, str]]:
    return check_type(p, "min-project-terms", (int,), "整数")
