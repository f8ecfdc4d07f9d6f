"""Rule packs: load `checks/*.toml`, follow `extends`, apply `[[override]]` and `[drop]`, validate.

A pack is data (see checks/README.md). Everything a pack author can get wrong is reported as a
`PackError` whose message names the file and line ("checks/nanchong.toml:42: ..."), never a traceback.
Semantic errors point at the line of the offending rule's `id = "..."` (or the offending key inside it).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from .model import SEVERITIES, Basis, Package
from .rule import CATEGORIES, Condition, Rule, kind_params, kinds

BUILTIN_DIR_NAME = "checks"

TOP_KEYS = {"pack", "settings", "rules", "override", "drop"}
PACK_KEYS = {"name", "title", "extends", "sources", "description", "detect"}
RULE_KEYS = {
    "id", "slug", "title", "category", "severity", "kind", "message", "basis", "rationale", "fix",
    "example", "when", "params",
}
REQUIRED_RULE_KEYS = ("id", "slug", "category", "severity", "kind", "message")
# An override may change anything but what makes the rule the rule: id, slug and kind.
OVERRIDE_KEYS = RULE_KEYS - {"slug", "kind"}
DROP_KEYS = {"ids"}

ID_RE = re.compile(r"^DL\d{3}$")
SLUG_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
NAME_RE = re.compile(r"^[a-z][a-z0-9_-]*$")

# The first digit of a rule ID is its category (docs/ARCHITECTURE.md).
ID_CATEGORY = {
    "0": "input", "1": "completeness", "2": "structure", "3": "catalog", "4": "funding", "5": "policy",
    "6": "security", "7": "duplicate", "8": "consistency", "9": "tool",
}

# IDs allotted before the category rule was settled: the 政务云需求方案 rules (DL440–DL459, by the lead's
# allotment) are structure / policy / consistency findings numbered in the funding block.
ID_CATEGORY_EXTRA = {"DL44": ("structure", "policy", "consistency"), "DL45": ("structure", "policy", "consistency")}

PROJECT_TYPES = ("新建", "续建", "改建", "运维", "购买服务")
FILINGS = ("新建", "在建", "已建")
MODES = ("自行建设", "购买服务")

# when-key -> (Condition attribute, value type)
WHEN_KEYS: dict[str, tuple[str, str]] = {
    "project-type": ("project_type", "project-type"),
    "filing": ("filing", "filing"),
    "mode": ("mode", "mode"),
    "investment-min": ("investment_min", "amount"),
    "investment-max": ("investment_max", "amount"),
    "investment-above": ("investment_above", "amount"),
    "investment-below": ("investment_below", "amount"),
    "has-kind": ("has_kind", "kinds"),
    "lacks-kind": ("lacks_kind", "kinds"),
    "facts-true": ("facts_true", "facts"),
    "facts-false": ("facts_false", "facts"),
    "fact-in": ("fact_in", "fact-in"),
}

# Fact keys (docs/ARCHITECTURE.md, facts.py); a `when` naming another key is a typo.
KNOWN_FACTS = {
    "name", "unit", "contact", "phone", "leader", "leader_phone", "project_type", "filing", "mode",
    "total_investment", "om_funding", "funding_channels", "period", "secrecy", "tasks", "urgent",
    "mandated", "protection_level", "predecessor", "goals", "basis",
}


class PackError(Exception):
    """A rule pack cannot be used; the message names file and line. The CLI exits 2."""


@dataclass
class Pack:
    name: str
    title: str
    chain: list[str]  # pack names, root first: ["base", "nanchong"]
    rules: dict[str, Rule]  # in ID order
    settings: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # document number -> full title
    files: list[Path] = field(default_factory=list)  # root first
    version_hash: str = ""
    detect: list[str] = field(default_factory=list)  # place names that mark a package as this pack's (`--profile auto`)

    def rule(self, rule_id: str) -> Rule | None:
        return self.rules.get(rule_id)


# ---------------------------------------------------------------------------------------------
# finding pack files


def pack_dirs() -> list[Path]:
    """Where built-in packs live: the installed package (wheel) or the source checkout."""
    here = Path(__file__).resolve().parent
    candidates = [here / BUILTIN_DIR_NAME, here.parents[1] / BUILTIN_DIR_NAME]
    return [d for d in candidates if d.is_dir() and any(d.glob("*.toml"))]


def available() -> list[str]:
    """Built-in profile names, `base` first."""
    names: set[str] = set()
    for d in pack_dirs():
        names.update(p.stem for p in d.glob("*.toml"))
    return sorted(names, key=lambda n: (n != "base", n))


def resolve(name_or_path: str | Path, relative_to: Path | None = None) -> Path:
    """A profile name ("nanchong") or a path to a .toml pack -> the pack file."""
    s = str(name_or_path).strip()
    looks_like_path = s.endswith(".toml") or "/" in s or "\\" in s
    if looks_like_path:
        p = Path(s).expanduser()
        if not p.is_absolute() and relative_to is not None and (relative_to / p).is_file():
            p = relative_to / p
        if p.is_file():
            return p.resolve()
        raise PackError(f"找不到规则包文件：{s}")
    if relative_to is not None:
        # a user's city pack may extend a sibling pack by name
        sibling = relative_to / f"{s}.toml"
        if sibling.is_file() and not _is_builtin_dir(relative_to):
            return sibling.resolve()
    for d in pack_dirs():
        p = d / f"{s}.toml"
        if p.is_file():
            return p.resolve()
    known = "、".join(available()) or "（无）"
    raise PackError(f"未知的规则包（地区）“{s}”；可用：{known}，或给出 .toml 文件路径")


def _is_builtin_dir(d: Path) -> bool:
    return any(d.resolve() == b.resolve() for b in pack_dirs())


def display_path(p: Path) -> str:
    """Short path for messages: relative to the current directory when possible."""
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


# ---------------------------------------------------------------------------------------------
# loading


def load_pack(name_or_path: str | Path) -> Pack:
    """Load a pack and its `extends` chain; raise PackError (file:line: what) on any problem."""
    return _load(resolve(name_or_path), ())


class _Errors:
    """Collects every problem of one file so the author sees them all at once."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.items: list[tuple[int, str]] = []
        self._blocks: dict[tuple[str, int], tuple[int, int]] = {}  # every rule asks for its block

    def add(self, line: int, msg: str) -> None:
        self.items.append((line, msg))

    def raise_if_any(self) -> None:
        if self.items:
            shown = display_path(self.path)
            msgs = [f"{shown}:{line}: {msg}" for line, msg in sorted(self.items)]
            raise PackError("\n".join(msgs))

    # -- locating lines ------------------------------------------------------------------------

    def block(self, array: str, index: int) -> tuple[int, int]:
        """(first, last) 1-based lines of the index-th `[[array]]` block, sub-tables included."""
        if (array, 0) not in self._blocks:
            self._index_blocks(array)
        return self._blocks.get((array, index)) or (1, max(1, len(self.lines)))

    def _index_blocks(self, array: str) -> None:
        """Every `[[array]]` block's span in one pass over the file (not one pass per rule)."""
        header = re.compile(rf"^\s*\[\[\s*{re.escape(array)}\s*\]\]")
        sub = re.compile(rf"^\s*\[\[?\s*{re.escape(array)}\.")
        starts = [i for i, ln in enumerate(self.lines) if header.match(ln)]
        for index, start in enumerate(starts):
            end = len(self.lines) - 1
            for j in range(start + 1, len(self.lines)):
                ln = self.lines[j]
                if _is_table_header(ln) and not sub.match(ln):
                    end = j - 1
                    break
            self._blocks[(array, index)] = (start + 1, end + 1)
        self._blocks.setdefault((array, 0), (1, max(1, len(self.lines))))

    def table(self, name: str) -> tuple[int, int]:
        header = re.compile(rf"^\s*\[\s*{re.escape(name)}\s*\]")
        for i, ln in enumerate(self.lines):
            if header.match(ln):
                end = len(self.lines) - 1
                for j in range(i + 1, len(self.lines)):
                    if _is_table_header(self.lines[j]) and not re.match(
                        rf"^\s*\[\s*{re.escape(name)}\.", self.lines[j]
                    ):
                        end = j - 1
                        break
                return (i + 1, end + 1)
        return (1, 1)

    def key_line(self, span: tuple[int, int], key: str | None) -> int:
        """Line of `key = ...` inside span (inline tables included); the span's first line if absent."""
        first, last = span
        if key:
            pat = re.compile(rf"(^|[\s{{,])\"?{re.escape(key)}\"?\s*=")
            for n in range(first, last + 1):
                ln = self.lines[n - 1] if n - 1 < len(self.lines) else ""
                if pat.search(_strip_comment(ln)):
                    return n
        return first

    def id_line(self, array: str, index: int, rule_id: str | None, key: str | None = None) -> int:
        span = self.block(array, index)
        if key and key.startswith("params"):
            # look inside the [rules.params] / [override.params] sub-table first
            sub = re.compile(rf"^\s*\[\s*{re.escape(array)}\.params\s*\]")
            for n in range(span[0], span[1] + 1):
                if n - 1 < len(self.lines) and sub.match(self.lines[n - 1]):
                    name = key.partition(".")[2]
                    return self.key_line((n + 1, span[1]), name) if name else n
            key = key.partition(".")[2] or "params"
        if key:
            n = self.key_line(span, key)
            if n != span[0] or key == "id":
                return n
        if rule_id:
            # `id = "DL123"`: one pattern for every rule (a pattern per rule cost 150 compiles a load)
            for n in range(span[0], span[1] + 1):
                if n - 1 < len(self.lines) and _is_id_line(self.lines[n - 1], rule_id):
                    return n
        return span[0]


_ID_LINE = re.compile(r"^\s*id\s*=\s*[\"']")


def _is_id_line(line: str, rule_id: str) -> bool:
    """`re.match(rf"^\\s*id\\s*=\\s*[\"']{re.escape(rule_id)}[\"']", line)`, without a pattern per ID."""
    m = _ID_LINE.match(line)
    if m is None or not line.startswith(rule_id, m.end()):
        return False
    end = m.end() + len(rule_id)
    return line[end : end + 1] in ("\"", "'")


_HEADER_RE = re.compile(r"^\s*\[\[?\s*[A-Za-z0-9_-]+(\s*\.\s*[A-Za-z0-9_-]+)*\s*\]\]?\s*(#.*)?$")


def _is_table_header(line: str) -> bool:
    return bool(_HEADER_RE.match(line))


def _strip_comment(line: str) -> str:
    # good enough for locating keys: a '#' outside quotes starts a comment
    out, quote = [], ""
    for ch in line:
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            break
        out.append(ch)
    return "".join(out)


def _read_toml(path: Path) -> tuple[str, dict[str, Any]]:
    shown = display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise PackError(f"{shown}: 无法读取规则包：{e.strerror or e}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PackError(f"{shown}:1: 规则包必须是 UTF-8 编码") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(e))
        line = m.group(1) if m else "1"
        what = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(e))
        raise PackError(f"{shown}:{line}: TOML 语法错误：{what}") from None
    return text, data


def _load(path: Path, stack: tuple[Path, ...]) -> Pack:
    if path in stack:
        chain = " -> ".join(display_path(p) for p in (*stack, path))
        raise PackError(f"{display_path(path)}:1: 规则包 extends 形成循环：{chain}")
    text, data = _read_toml(path)
    errs = _Errors(path, text)

    for key in data:
        if key not in TOP_KEYS:
            errs.add(_top_line(errs, key), f"未知的顶层表“{key}”；允许：{', '.join(sorted(TOP_KEYS))}")
    meta = data.get("pack")
    if not isinstance(meta, dict):
        errs.add(1, "缺少 [pack] 表（name、title、extends）")
        errs.raise_if_any()
        raise AssertionError  # unreachable
    span = errs.table("pack")
    for key in meta:
        if key not in PACK_KEYS:
            errs.add(errs.key_line(span, key), f"[pack] 中未知的键“{key}”；允许：{', '.join(sorted(PACK_KEYS))}")
    name = meta.get("name")
    if not isinstance(name, str) or not NAME_RE.match(name):
        errs.add(errs.key_line(span, "name"), "[pack] name 必须是小写英文名（如 nanchong）")
        name = path.stem
    title = meta.get("title", name)
    if not isinstance(title, str):
        errs.add(errs.key_line(span, "title"), "[pack] title 必须是字符串")
        title = name
    extends = meta.get("extends")
    if extends is not None and not isinstance(extends, str):
        errs.add(errs.key_line(span, "extends"), "[pack] extends 必须是规则包名或 .toml 路径")
        extends = None
    sources = meta.get("sources", {})
    if not isinstance(sources, dict) or not all(isinstance(v, str) for v in sources.values()):
        errs.add(errs.key_line(span, "sources"), "[pack] sources 必须是 {文号 = \"文件全称\"} 表")
        sources = {}
    detect = meta.get("detect", [])
    if not isinstance(detect, list) or not all(isinstance(t, str) and t.strip() for t in detect):
        errs.add(errs.key_line(span, "detect"), "[pack] detect 必须是非空字符串列表，如 [\"南充市\", \"南充\"]")
        detect = []
    errs.raise_if_any()

    parent: Pack | None = None
    if extends:
        try:
            parent_path = resolve(extends, relative_to=path.parent)
        except PackError as e:
            raise PackError(f"{display_path(path)}:{errs.key_line(span, 'extends')}: {e}") from None
        parent = _load(parent_path, (*stack, path))

    rules: dict[str, Rule] = {k: dataclasses.replace(r) for k, r in (parent.rules if parent else {}).items()}
    settings = dict(parent.settings) if parent else {}
    all_sources = dict(parent.sources) if parent else {}
    all_sources.update(sources)

    raw_settings = data.get("settings", {})
    if not isinstance(raw_settings, dict):
        errs.add(errs.table("settings")[0], "[settings] 必须是表")
    else:
        settings.update(raw_settings)

    shown = display_path(path)
    new_ids: dict[str, int] = {}
    raw_rules = data.get("rules", [])
    if not isinstance(raw_rules, list):
        errs.add(_top_line(errs, "rules"), "rules 必须写成 [[rules]] 表数组")
        raw_rules = []
    slugs = {r.slug: r.id for r in rules.values()}
    for i, raw in enumerate(raw_rules):
        rid = raw.get("id") if isinstance(raw, dict) else None
        rid_s = rid if isinstance(rid, str) else None
        line = errs.id_line("rules", i, rid_s)
        if not isinstance(raw, dict):
            errs.add(line, "[[rules]] 的每一项必须是表")
            continue
        rule = _parse_rule(raw, errs, "rules", i, name, shown, all_sources, full=True)
        if rule is None:
            continue
        if rule.id in new_ids:
            errs.add(line, f"规则 {rule.id} 重复定义（第 {new_ids[rule.id]} 行已定义）")
            continue
        if rule.id in rules:
            errs.add(
                line,
                f"规则 {rule.id} 已在上级规则包“{rules[rule.id].pack}”中定义；修改请用 [[override]]，"
                "不适用请用 [drop]",
            )
            continue
        if rule.slug in slugs:
            errs.add(errs.id_line("rules", i, rule.id, "slug"), f"slug“{rule.slug}”已被 {slugs[rule.slug]} 使用")
            continue
        new_ids[rule.id] = line
        slugs[rule.slug] = rule.id
        rule.source_line = line
        rules[rule.id] = rule

    raw_over = data.get("override", [])
    if not isinstance(raw_over, list):
        errs.add(_top_line(errs, "override"), "override 必须写成 [[override]] 表数组")
        raw_over = []
    for i, raw in enumerate(raw_over):
        if not isinstance(raw, dict):
            errs.add(errs.id_line("override", i, None), "[[override]] 的每一项必须是表")
            continue
        rid = raw.get("id")
        line = errs.id_line("override", i, rid if isinstance(rid, str) else None)
        if not isinstance(rid, str) or rid not in rules:
            where = "上级规则包" if parent else "本规则包"
            errs.add(line, f"[[override]] 的 id“{rid}”不是{where}中已有的规则")
            continue
        if rid in new_ids:
            errs.add(line, f"{rid} 在本文件中定义，直接修改其定义即可，不能再 override")
            continue
        for key in raw:
            if key not in OVERRIDE_KEYS:
                errs.add(
                    errs.id_line("override", i, rid, key),
                    f"[[override]] {rid} 不能修改“{key}”"
                    + ("（id、slug、kind 不可改；改用 [drop] 再新增规则）" if key in RULE_KEYS else "（未知的键）"),
                )
        merged = _rule_to_raw(rules[rid])
        for key, value in raw.items():
            if key == "params" and isinstance(value, dict):
                merged["params"] = {**merged.get("params", {}), **value}  # shallow merge
            elif key in OVERRIDE_KEYS:
                merged[key] = value
        rule = _parse_rule(merged, errs, "override", i, name, shown, all_sources, full=False)
        if rule is None:
            continue
        rule.source_line = line
        rules[rid] = rule

    raw_drop = data.get("drop", {})
    if raw_drop:
        dspan = errs.table("drop")
        if not isinstance(raw_drop, dict):
            errs.add(dspan[0], "[drop] 必须是表：ids = [\"DL105\"]")
        else:
            for key in raw_drop:
                if key not in DROP_KEYS:
                    errs.add(errs.key_line(dspan, key), f"[drop] 中未知的键“{key}”；只允许 ids")
            ids = raw_drop.get("ids", [])
            if not isinstance(ids, list) or not all(isinstance(x, str) for x in ids):
                errs.add(errs.key_line(dspan, "ids"), "[drop] ids 必须是规则 ID 列表")
                ids = []
            for rid in ids:
                if rid in new_ids:
                    errs.add(errs.key_line(dspan, "ids"), f"[drop] 不能删除本文件自己定义的规则 {rid}")
                elif rid not in rules:
                    errs.add(errs.key_line(dspan, "ids"), f"[drop] 中的 {rid} 不是上级规则包中的规则")
                else:
                    del rules[rid]
    errs.raise_if_any()

    files = [*(parent.files if parent else []), path]
    h = hashlib.sha256()
    for f in files:
        h.update(f.read_bytes())
    return Pack(
        name=name,
        title=title,
        chain=[*(parent.chain if parent else []), name],
        rules=dict(sorted(rules.items())),
        settings=settings,
        sources=all_sources,
        files=files,
        version_hash=h.hexdigest()[:16],
        detect=[t.strip() for t in detect],  # a pack's own: a county pack extending a city's names its own places
    )


def _top_line(errs: _Errors, key: str) -> int:
    pat = re.compile(rf"^\s*(\[\[?\s*{re.escape(key)}\b|{re.escape(key)}\s*=)")
    for n, ln in enumerate(errs.lines, 1):
        if pat.match(ln):
            return n
    return 1


def _rule_to_raw(rule: Rule) -> dict[str, Any]:
    """A loaded rule back to pack form, so an override can be re-validated as a whole."""
    raw: dict[str, Any] = {
        "id": rule.id, "slug": rule.slug, "title": rule.title, "category": rule.category,
        "severity": rule.severity, "kind": rule.kind, "message": rule.message,
        "basis": [{"source": b.source, "article": b.article} for b in rule.basis],
        "rationale": rule.rationale, "fix": rule.fix, "example": rule.example,
        "params": dict(rule.params), "when": _when_to_raw(rule.when),
    }
    return raw


def _when_to_raw(c: Condition) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, (attr, typ) in WHEN_KEYS.items():
        v = getattr(c, attr)
        if v in ((), None):
            continue
        if typ == "fact-in":
            out[key] = {k: list(vals) for k, vals in v}
        elif isinstance(v, tuple):
            out[key] = list(v)
        else:
            out[key] = v
    return out


def _parse_rule(
    raw: dict[str, Any],
    errs: _Errors,
    array: str,
    index: int,
    pack_name: str,
    shown: str,
    sources: dict[str, str],
    *,
    full: bool,
) -> Rule | None:
    rid = raw.get("id")
    rid_s = rid if isinstance(rid, str) else None
    n_before = len(errs.items)

    def err(key: str | None, msg: str) -> None:
        errs.add(errs.id_line(array, index, rid_s, key), msg)

    if full:
        for key in raw:
            if key not in RULE_KEYS:
                err(key, f"规则 {rid_s or ''} 中未知的键“{key}”；允许：{', '.join(sorted(RULE_KEYS))}")
        for key in REQUIRED_RULE_KEYS:
            if key not in raw:
                err(None, f"规则 {rid_s or '（无 id）'} 缺少必填键“{key}”")
    if n_before != len(errs.items):
        return None
    if not isinstance(rid, str) or not ID_RE.match(rid):
        err("id", f"规则 ID“{rid}”格式错误：应为 DL 加三位数字，如 DL203")
        return None
    for key in ("slug", "title", "category", "severity", "kind", "message", "rationale", "fix", "example"):
        if key in raw and not isinstance(raw[key], str):
            err(key, f"{rid} 的 {key} 必须是字符串")
    if n_before != len(errs.items):
        return None
    slug = raw["slug"]
    if not SLUG_RE.match(slug):
        err("slug", f"{rid} 的 slug“{slug}”必须是小写短横线格式，如 missing-integration-chapter")
    category = raw["category"]
    if category not in CATEGORIES:
        err("category", f"{rid} 的类别“{category}”无效；允许：{', '.join(CATEGORIES)}")
    elif ID_CATEGORY.get(rid[2]) != category and category not in ID_CATEGORY_EXTRA.get(rid[:4], ()):
        err("category", f"{rid} 的类别应为“{ID_CATEGORY.get(rid[2])}”（DL{rid[2]}xx），而不是“{category}”")
    severity = raw["severity"]
    if severity not in SEVERITIES:
        err("severity", f"{rid} 的级别“{severity}”无效；允许：{', '.join(SEVERITIES)}")
    kind = raw["kind"]
    spec = kind_params(kind)
    params = raw.get("params", {})
    if not isinstance(params, dict):
        err("params", f"{rid} 的 params 必须是表")
        params = {}
    if spec is None:
        err("kind", f"{rid} 的检查类型“{kind}”不存在；可用：{', '.join(sorted(kinds()))}")
    else:
        required, optional = spec
        for p in sorted(set(params) - required - optional):
            allowed = "、".join(sorted(required | optional)) or "（无）"
            err(f"params.{p}", f"{rid} 的检查类型“{kind}”没有参数“{p}”；可用参数：{allowed}")
        for p in sorted(required - set(params)):
            err("params", f"{rid} 缺少检查类型“{kind}”的必填参数“{p}”")
        if not (set(params) - required - optional) and not (required - set(params)):
            from .kinds.common import validate_params

            for p, msg in validate_params(kind, params):
                err(f"params.{p}", f"{rid} 参数 {p}：{msg}")
    basis = _parse_basis(raw.get("basis", []), rid, err, sources)
    when = _parse_when(raw.get("when", {}), rid, err)
    try:
        raw["message"].format_map(_AnyFields())
    except (ValueError, IndexError) as e:
        err("message", f"{rid} 的 message 模板有误：{e}")
    if n_before != len(errs.items):
        return None
    return Rule(
        id=rid,
        slug=slug,
        category=category,
        severity=severity,
        kind=kind,
        message=raw["message"],
        title=raw.get("title") or slug,
        basis=basis,
        rationale=raw.get("rationale", ""),
        fix=raw.get("fix", ""),
        example=raw.get("example", ""),
        params=params,
        when=when,
        pack=pack_name,
        source_file=shown,
    )


class _AnyFields(dict):
    def __missing__(self, key: str) -> str:
        return ""


def _parse_basis(raw: Any, rid: str, err, sources: dict[str, str]) -> tuple[Basis, ...]:
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list):
        err("basis", f"{rid} 的 basis 必须是 [{{ source = ..., article = ... }}] 列表")
        return ()
    out = []
    for b in raw:
        if not isinstance(b, dict) or not isinstance(b.get("source"), str) or not isinstance(b.get("article", ""), str):
            err("basis", f"{rid} 的 basis 每项必须是 {{ source = \"文号\", article = \"第几条\" }}")
            continue
        extra = set(b) - {"source", "article"}
        if extra:
            err("basis", f"{rid} 的 basis 中未知的键：{', '.join(sorted(extra))}")
        if sources and b["source"] not in sources:
            err("basis", f"{rid} 的依据“{b['source']}”未在 [pack] sources 中列出（检查文号是否写错）")
        out.append(Basis(b["source"], b.get("article", "")))
    return tuple(out)


def _parse_when(raw: Any, rid: str, err) -> Condition:
    cond = Condition()
    if not isinstance(raw, dict):
        err("when", f"{rid} 的 when 必须是表")
        return cond
    from .kinds.common import DOCUMENT_KINDS

    for key, value in raw.items():
        if key not in WHEN_KEYS:
            err(key, f"{rid} 的 when 中未知的条件“{key}”；允许：{', '.join(WHEN_KEYS)}")
            continue
        attr, typ = WHEN_KEYS[key]
        if typ == "amount":
            if isinstance(value, bool) or not isinstance(value, int | float | str):
                err(key, f"{rid} 的 when.{key} 必须是金额（万元）")
                continue
            try:
                setattr(cond, attr, Decimal(str(value)))
            except InvalidOperation:
                err(key, f"{rid} 的 when.{key} 必须是金额（万元）")
            continue
        if typ == "fact-in":
            if not isinstance(value, dict):
                err(key, f"{rid} 的 when.fact-in 必须是 {{ 事实名 = [取值...] }}")
                continue
            items = []
            for fk, vals in value.items():
                if fk not in KNOWN_FACTS:
                    err(key, f"{rid} 的 when.fact-in 中未知的事实“{fk}”")
                if isinstance(vals, str):
                    vals = [vals]
                if not isinstance(vals, list) or not all(isinstance(v, str) for v in vals):
                    err(key, f"{rid} 的 when.fact-in.{fk} 必须是字符串列表")
                    continue
                items.append((fk, tuple(vals)))
            setattr(cond, attr, tuple(items))
            continue
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            err(key, f"{rid} 的 when.{key} 必须是字符串列表")
            continue
        allowed: tuple[str, ...] | set[str] | None = {
            "project-type": PROJECT_TYPES, "filing": FILINGS, "mode": MODES, "kinds": DOCUMENT_KINDS,
            "facts": KNOWN_FACTS,
        }.get(typ)
        if allowed is not None:
            bad = [v for v in value if v not in allowed]
            if bad:
                err(key, f"{rid} 的 when.{key} 取值无效：{', '.join(bad)}；允许：{', '.join(sorted(allowed))}")
                continue
        setattr(cond, attr, tuple(value))
    return cond


# ---------------------------------------------------------------------------------------------
# conditions


def condition_holds(cond: Condition, package: Package) -> bool:
    """Does `when` hold for this package? Every key must hold; an unknown fact makes the key false
    (so no rule fires on a guess), except `facts-false`, which holds unless the fact is true."""
    facts = package.facts
    for attr, fact in (("project_type", "project_type"), ("filing", "filing"), ("mode", "mode")):
        wanted = getattr(cond, attr)
        if wanted and facts.get(fact) not in wanted:
            return False
    bounds = (cond.investment_min, cond.investment_max, cond.investment_above, cond.investment_below)
    if any(b is not None for b in bounds):
        amount = _as_decimal(facts.get("total_investment"))
        if amount is None:
            return False
        if cond.investment_min is not None and amount < cond.investment_min:
            return False
        if cond.investment_max is not None and amount > cond.investment_max:
            return False
        if cond.investment_above is not None and amount <= cond.investment_above:
            return False
        if cond.investment_below is not None and amount >= cond.investment_below:
            return False
    if cond.has_kind and not package.of_kind(*cond.has_kind):
        return False
    if cond.lacks_kind and package.of_kind(*cond.lacks_kind):
        return False
    if any(facts.get(k) is not True for k in cond.facts_true):
        return False
    if any(facts.get(k) is True for k in cond.facts_false):
        return False
    for key, values in cond.fact_in:
        value = facts.get(key)
        items = value if isinstance(value, list | tuple | set) else [value]
        if not any(v is not None and str(v) in values for v in items):
            return False
    return True


def _as_decimal(v: Any) -> Decimal | None:
    if v is None or isinstance(v, bool):
        return None
    try:
        return v if isinstance(v, Decimal) else Decimal(str(v))
    except InvalidOperation:
        return None
