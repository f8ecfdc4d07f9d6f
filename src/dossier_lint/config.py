"""Resolved settings for a run: profile (rule pack), rule selection, severities, per-path ignores,
kinds, limits, waivers and baseline.

Configuration is discovered upward from the first package path: the nearest directory holding a
`dossier-lint.toml` (keys at top level) or a `pyproject.toml` with a `[tool.dossier-lint]` table wins;
`--config FILE` replaces discovery. Command-line values override the file; `--select` replaces the
file's `select`, while `--ignore` and `--extend-select` add to the file's lists (as in ruff).

Names the engine relies on: `Settings`, `resolve_settings(paths, cli)`, `ConfigError`,
`Settings.rules()`, `.profile`, `.pack`, `.limits`, `.kinds`, `.fail_on`, `.max_warnings`, `.catalog`,
`Settings.finish(result, diags)` (per-path ignores, waivers, baseline) and `Settings.finish_run(run)`
(writes `--write-baseline`).
"""

from __future__ import annotations

import dataclasses
import re
import sys
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .limits import Limits
from .model import SEVERITIES, SEVERITY_RANK, Diagnostic

CONFIG_FILE = "dossier-lint.toml"
PYPROJECT = "pyproject.toml"
WAIVER_FILE = "dossier-lint-waivers.toml"
DEFAULT_PROFILE = "base"
AUTO_PROFILE = "auto"  # each package on the built-in pack of the city it names (jurisdiction.py)

KEYS = (
    "profile", "select", "extend-select", "ignore", "severity", "per-path-ignores", "kinds", "fail-on",
    "max-warnings", "catalog", "limits", "waivers", "baseline",
)
_SELECTOR_RE = re.compile(r"^DL\d{0,3}$")


class ConfigError(Exception):
    """Bad configuration: the CLI prints the message and exits 2."""


@dataclass
class Settings:
    profile: str = DEFAULT_PROFILE
    pack: Any = None  # packs.Pack
    select: list[str] = field(default_factory=lambda: ["ALL"])
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)  # selector -> severity
    per_path_ignores: dict[str, list[str]] = field(default_factory=dict)  # glob -> selectors
    fail_on: str = "error"
    max_warnings: int | None = None
    catalog: Path | None = None
    limits: Limits = field(default_factory=Limits)
    kinds: dict[str, str] = field(default_factory=dict)  # glob -> document kind
    waivers: Path | None = None  # None: dossier-lint-waivers.toml beside each package
    baseline: Path | None = None
    write_baseline: Path | None = None
    prune_waivers: bool = False
    show_waived: bool = False
    no_cache: bool = False  # --no-cache: no on-disk caches at all (the duplicate index is built in memory)
    config_file: Path | None = None
    sources: dict[str, str] = field(default_factory=dict)  # key -> "默认" / file path / "命令行"
    auto: bool = False  # profile "auto": `pack` is base until a package's city is known (`for_profile`)

    def for_profile(self, name: str) -> Settings:
        """These settings on another built-in pack (`--profile auto`, once a package's city is known).
        Limits stay the run's: the documents were read before the city was known."""
        if not self.auto or name == self.profile:
            return self
        memo = self.__dict__.setdefault("_profiles", {})
        if name not in memo:
            from . import packs

            memo[name] = dataclasses.replace(self, profile=name, pack=packs.load_pack(name), auto=False)
        return memo[name]

    # -- rules -------------------------------------------------------------------------------------

    def rules(self) -> list:
        """The enabled rules of the pack, in ID order, with configured severities applied."""
        cached = self.__dict__.get("_rules_cache")
        if cached is not None:
            return cached
        out = []
        if self.pack is not None:
            for rule in self.pack.rules.values():
                if not self.is_enabled(rule):
                    continue
                sev = self.severity_for(rule)
                out.append(rule if sev == rule.severity else dataclasses.replace(rule, severity=sev))
        self.__dict__["_rules_cache"] = out
        return out

    def rule(self, rule_id: str) -> Any:
        return next((r for r in self.rules() if r.id == rule_id), None)

    def is_enabled(self, rule: Any) -> bool:
        pos = _best([*self.select, *self.extend_select], rule)
        neg = _best(self.ignore, rule)
        if pos is None:
            return False
        return neg is None or pos > neg  # the more specific selector wins; a tie ignores

    def severity_for(self, rule: Any) -> str:
        best: tuple[int, str] | None = None
        for sel, sev in self.severity.items():
            s = _specificity(sel, rule)
            if s is not None and (best is None or s >= best[0]):
                best = (s, sev)
        return best[1] if best else rule.severity

    def ignored_at(self, rule: Any, file: str | None) -> bool:
        if not file:
            return False
        for pattern, selectors in self.per_path_ignores.items():
            if glob_match(pattern, file) and _best(selectors, rule) is not None:
                return True
        return False

    # -- after checking ----------------------------------------------------------------------------

    def waiver_file_for(self, package_path: str | Path) -> Path:
        """The configured waiver file, else `dossier-lint-waivers.toml` beside the package (in the
        directory that holds the package folder or zip; never inside the user's package)."""
        if self.waivers is not None:
            return self.waivers
        p = Path(package_path)
        return (p.resolve().parent if p.exists() else p.parent) / WAIVER_FILE

    def finish(self, result: Any, diags: list[Diagnostic]) -> list[Diagnostic]:
        """Per-path ignores and severities, then waivers, then baseline. Sets `result.waived`,
        `result.unchanged` (baseline findings not reported again) and `result.fixed`."""
        from . import baseline, waivers

        if self.auto and result.profile not in ("", self.profile):
            return self.for_profile(result.profile).finish(result, diags)  # the package's own pack

        by_id = {r.id: r for r in self.rules()}
        kept: list[Diagnostic] = []
        for d in diags:
            rule = by_id.get(d.rule)
            if rule is None:
                continue  # not selected (a kind may report for a sibling rule)
            if self.ignored_at(rule, d.file):
                continue
            # the rule's severity, with the user's [severity]; a kind may grade a finding lower on purpose
            # (a duplicate by the band its similarity falls in), never higher
            sev = rule.severity
            band = d.data.get("severity_band") if d.data else None
            if band in SEVERITY_RANK and SEVERITY_RANK[band] < SEVERITY_RANK[sev]:
                sev = band
            if d.severity != sev:
                d.severity = sev
            kept.append(d)
        pkg = result.package
        wfile = self.waiver_file_for(pkg.path)
        if self.waivers is not None and not wfile.is_file():
            raise ConfigError(f"豁免文件不存在：{wfile}")
        if wfile.is_file():
            kept, waived, tool = waivers.apply(kept, wfile, pkg, rules=by_id)
            result.waived = waived
            if self.prune_waivers:
                removed = waivers.prune(wfile, [d.data["waiver_index"] for d in tool if d.rule == "DL901"])
                if removed:
                    print(f"dossier-lint: 已从 {wfile} 删除 {removed} 条未匹配的豁免", file=sys.stderr)
                tool = [d for d in tool if d.rule != "DL901"]
            kept.extend(tool)
        result.all_findings = list(kept)
        if self.baseline is not None:
            marked, fixed = baseline.apply(kept, self.baseline, package=pkg.name)
            result.unchanged = [d for d in marked if d.state == "unchanged"]
            result.fixed = fixed
            kept = [d for d in marked if d.state == "new"]
        return kept

    def finish_run(self, run: Any) -> None:
        """After every package: write `--write-baseline`."""
        if self.write_baseline is not None:
            from . import baseline

            baseline.write(self.write_baseline, run)

    # -- display -----------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "profile": self.profile,
            "pack-files": [str(p) for p in (self.pack.files if self.pack else [])],
            "select": self.select,
            "extend-select": self.extend_select,
            "ignore": self.ignore,
            "severity": self.severity,
            "per-path-ignores": self.per_path_ignores,
            "kinds": self.kinds,
            "fail-on": self.fail_on,
            "max-warnings": self.max_warnings,
            "catalog": str(self.catalog) if self.catalog else None,
            "limits": self.limits.to_dict(),
            "waivers": str(self.waivers) if self.waivers else None,
            "baseline": str(self.baseline) if self.baseline else None,
            "config-file": str(self.config_file) if self.config_file else None,
        }


# ---------------------------------------------------------------------------------------------
# selectors: "ALL", an ID ("DL203"), an ID prefix ("DL2", "DL20"), a category ("security") or a slug


def _specificity(sel: str, rule: Any) -> int | None:
    s = sel.strip()
    if s.upper() == "ALL":
        return 0
    if _SELECTOR_RE.match(s.upper()):
        return len(s) if rule.id.startswith(s.upper()) else None
    if s == rule.category:
        return 3  # as broad as a one-digit prefix ("DL2")
    if s == rule.slug:
        return 5
    return None


def _best(selectors: list[str], rule: Any) -> int | None:
    scores = [x for x in (_specificity(s, rule) for s in selectors) if x is not None]
    return max(scores) if scores else None


def valid_selector(sel: str, pack: Any) -> bool:
    from .rule import CATEGORIES

    s = sel.strip()
    if s.upper() == "ALL" or _SELECTOR_RE.match(s.upper()) or s in CATEGORIES:
        return True
    return pack is not None and any(r.slug == s for r in pack.rules.values())


def glob_match(pattern: str, path: str) -> bool:
    """Glob on POSIX paths relative to the package: `*` within a name, `**` across folders."""
    return re.fullmatch(_glob_re(pattern), path.replace("\\", "/")) is not None


def _glob_re(pattern: str) -> str:
    out = []
    i = 0
    p = pattern.replace("\\", "/")
    while i < len(p):
        if p.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif p.startswith("**", i):
            out.append(".*")
            i += 2
        elif p[i] == "*":
            out.append("[^/]*")
            i += 1
        elif p[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(p[i]))
            i += 1
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# discovery and resolution


def discover_config(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """The nearest config upward from `start`: (file, its dossier-lint table)."""
    here = start.resolve()
    if not here.is_dir():
        here = here.parent
    for d in (here, *here.parents):
        f = d / CONFIG_FILE
        if f.is_file():
            return f, _read(f)
        f = d / PYPROJECT
        if f.is_file():
            data = _read(f, pyproject=True)
            if data is not None:
                return f, data
    return None


def _read(path: Path, pyproject: bool = False) -> Any:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as e:
        raise ConfigError(f"无法读取配置文件 {path}：{e.strerror or e}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}:1: 配置文件必须是 UTF-8 编码") from None
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"\(at line (\d+), column \d+\)", str(e))
        what = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(e))
        raise ConfigError(f"{path}:{m.group(1) if m else 1}: TOML 语法错误：{what}") from None
    if pyproject:
        tool = data.get("tool", {})
        table = tool.get("dossier-lint") if isinstance(tool, dict) else None
        if table is None:
            return None
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.dossier-lint] 必须是表")
        return table
    return data


def _cli_list(value: Any) -> list[str]:
    """CLI list options come as tuples and may hold comma-separated items."""
    if value is None:
        return []
    items = [value] if isinstance(value, str) else list(value)
    return [x.strip() for item in items for x in str(item).split(",") if x.strip()]


def resolve_settings(paths: list[Path], cli: dict[str, Any]) -> Settings:
    """Config file (discovered or `--config`) + command line -> Settings. Raises ConfigError."""
    from . import packs

    cfg_path: Path | None = None
    cfg: dict[str, Any] = {}
    explicit = cli.get("config_file") or cli.get("config")
    if explicit:
        cfg_path = Path(explicit)
        if not cfg_path.is_file():
            raise ConfigError(f"配置文件不存在：{cfg_path}")
        data = _read(cfg_path, pyproject=cfg_path.name == PYPROJECT)
        cfg = data or {}
    elif paths:
        found = discover_config(Path(paths[0]))
        if found:
            cfg_path, cfg = found
    where = str(cfg_path) if cfg_path else ""
    base_dir = cfg_path.resolve().parent if cfg_path else Path.cwd()

    unknown = [k for k in cfg if k not in KEYS]
    if unknown:
        raise ConfigError(f"{where}: 未知的配置项 {', '.join(unknown)}；允许：{', '.join(KEYS)}")

    s = Settings(config_file=cfg_path)
    src = s.sources
    for k in KEYS:
        src[k] = "默认"

    def from_cfg(key: str) -> Any:
        if key in cfg:
            src[key] = where
            return cfg[key]
        return None

    def from_cli(key: str, cli_key: str) -> Any:
        v = cli.get(cli_key)
        if v is None or v is False or v == () or v == []:  # 0 is a value (--max-warnings 0)
            return None
        src[key] = "命令行"
        return v

    # profile -> pack
    profile = from_cli("profile", "profile") or from_cfg("profile") or DEFAULT_PROFILE
    if not isinstance(profile, str):
        raise ConfigError(f"{where}: profile 必须是规则包名或 .toml 路径")
    if src["profile"] == where and profile.endswith(".toml") and not Path(profile).is_absolute():
        profile = str(base_dir / profile)
    s.auto = profile == AUTO_PROFILE
    try:
        s.pack = packs.load_pack(DEFAULT_PROFILE if s.auto else profile)
        # selectors may name any rule of the packs this run can use
        known = [s.pack]
        if s.auto:
            from .jurisdiction import candidates

            known += [packs.load_pack(name) for name, _ in candidates()]
    except packs.PackError as e:
        raise ConfigError(str(e)) from None
    s.profile = AUTO_PROFILE if s.auto else s.pack.name

    def valid(sel: str) -> bool:
        return any(valid_selector(sel, p) for p in known)

    # selection
    def selectors(key: str, value: Any, origin: str) -> list[str]:
        items = _cli_list(value) if origin == "命令行" else value
        if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
            raise ConfigError(f"{origin}: {key} 必须是规则选择器列表（如 [\"DL2\", \"security\"]）")
        bad = [x for x in items if not valid(x)]
        if bad:
            raise ConfigError(
                f"{origin}: {key} 中未知的规则选择器 {', '.join(bad)}（应为 ALL、规则 ID 如 DL203、前缀如 DL2、"
                "类别如 security 或规则名）"
            )
        return [x.strip() for x in items]

    v = from_cli("select", "select")
    if v is not None:
        s.select = selectors("select", v, "命令行")
    else:
        v = from_cfg("select")
        if v is not None:
            s.select = selectors("select", v, where)
    for key, attr, cli_key in (("extend-select", "extend_select", "extend_select"), ("ignore", "ignore", "ignore")):
        items: list[str] = []
        v = from_cfg(key)
        if v is not None:
            items += selectors(key, v, where)
        v = cli.get(cli_key)
        if v:
            items += selectors(key, v, "命令行")
            src[key] = f"{where} + 命令行" if src[key] == where else "命令行"
        setattr(s, attr, items)

    v = from_cfg("severity")
    if v is not None:
        if not isinstance(v, dict):
            raise ConfigError(f"{where}: severity 必须是表，如 severity = {{ DL203 = \"warning\" }}")
        for sel, sev in v.items():
            if not valid(sel):
                raise ConfigError(f"{where}: severity 中未知的规则选择器 {sel}")
            if sev not in SEVERITIES:
                raise ConfigError(f"{where}: severity.{sel} 的级别“{sev}”无效；允许：{', '.join(SEVERITIES)}")
        s.severity = dict(v)

    v = from_cfg("per-path-ignores")
    if v is not None:
        if not isinstance(v, dict) or not all(isinstance(x, list) for x in v.values()):
            raise ConfigError(f"{where}: per-path-ignores 必须是表，如 {{ \"**/附件/*\" = [\"DL0\"] }}")
        s.per_path_ignores = {k: selectors(f"per-path-ignores.\"{k}\"", x, where) for k, x in v.items()}

    v = from_cfg("kinds")
    if v is not None:
        from .kinds.common import DOCUMENT_KINDS

        if not isinstance(v, dict) or not all(isinstance(x, str) for x in v.values()):
            raise ConfigError(f"{where}: kinds 必须是表，如 {{ \"**/附件3.pdf\" = \"crypto_plan\" }}")
        bad = [x for x in v.values() if x not in DOCUMENT_KINDS]
        if bad:
            raise ConfigError(f"{where}: kinds 中未知的文件类型 {', '.join(bad)}；可用：{', '.join(DOCUMENT_KINDS)}")
        s.kinds = dict(v)

    fail_on = from_cli("fail-on", "fail_on") or from_cfg("fail-on")
    if fail_on is not None:
        if fail_on not in SEVERITY_RANK:
            raise ConfigError(f"{src['fail-on']}: fail-on 的取值“{fail_on}”无效；允许：error、warning、info")
        s.fail_on = fail_on

    mw = from_cli("max-warnings", "max_warnings")
    if mw is None:
        mw = from_cfg("max-warnings")
    if mw is not None:
        if isinstance(mw, bool) or not isinstance(mw, int) or mw < 0:
            raise ConfigError(f"{src['max-warnings']}: max-warnings 必须是不小于 0 的整数")
        s.max_warnings = mw

    # limits: the pack's [settings.limits] (a jurisdiction's defaults), then the config's [limits], key by key
    merged: dict[str, Any] = {}
    pack_limits = (getattr(s.pack, "settings", None) or {}).get("limits")
    pack_origin = f"规则包 {s.pack.name} [settings.limits]"
    cfg_limits = from_cfg("limits")
    if pack_limits is not None and cfg_limits is None:
        src["limits"] = pack_origin
    for origin, v in ((pack_origin, pack_limits), (where, cfg_limits)):
        if v is None:
            continue
        if not isinstance(v, dict):
            raise ConfigError(f"{origin}: limits 必须是表")
        names = {f.name for f in fields(Limits)}
        table = {k.replace("-", "_"): x for k, x in v.items()}
        bad = [k for k in table if k not in names]
        if bad:
            raise ConfigError(f"{origin}: limits 中未知的键 {', '.join(bad)}；允许：{', '.join(sorted(names))}")
        try:
            Limits.from_dict(table)
        except ValueError as e:
            raise ConfigError(f"{origin}: {e}") from None
        merged.update(table)
    if merged:
        s.limits = Limits.from_dict(merged)

    for key, attr, cli_key in (
        ("catalog", "catalog", "catalog"),
        ("waivers", "waivers", "waivers_file"),
        ("baseline", "baseline", "baseline"),
    ):
        v = from_cli(key, cli_key)
        if v is not None:
            setattr(s, attr, Path(v))
            continue
        v = from_cfg(key)
        if v is not None:
            if not isinstance(v, str):
                raise ConfigError(f"{where}: {key} 必须是文件路径")
            p = Path(v).expanduser()
            setattr(s, attr, p if p.is_absolute() else base_dir / p)
    if s.catalog is not None and not s.catalog.exists():
        raise ConfigError(f"{src['catalog']}: 已建系统目录文件不存在：{s.catalog}")
    s.no_cache = bool(cli.get("no_cache"))  # before the catalog is indexed below
    if s.catalog is not None:
        # Read and index the catalog once, here: a bad one stops the run with exit 2 (CatalogError is a
        # ConfigError) instead of failing inside every package's check; workers then hit the index cache.
        from .duplicates import validate_catalog

        validate_catalog(s.catalog, s)
    if s.baseline is not None and not s.baseline.is_file():
        raise ConfigError(f"{src['baseline']}: 基线文件不存在：{s.baseline}（先用 --write-baseline 生成）")

    wb = cli.get("write_baseline")
    if wb:
        s.write_baseline = Path(wb)
    s.prune_waivers = bool(cli.get("prune_waivers"))
    s.show_waived = bool(cli.get("show_waived"))
    return s
