"""`dossier-lint rules`, `explain` and `show-settings`: what the rule packs and the configuration say.

Each command writes to `out` (a text stream) and returns the exit code: 0, or 2 for a bad profile,
rule or configuration (the message goes to stderr, never a traceback).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, TextIO

from .config import AUTO_PROFILE, DEFAULT_PROFILE, ConfigError, discover_config, resolve_settings
from .packs import Pack, PackError, available, load_pack
from .rule import Rule

CATEGORY_ZH = {
    "input": "输入文件", "completeness": "材料完整性", "structure": "章节与字段", "catalog": "信息资源目录",
    "funding": "资金", "policy": "建设内容政策", "security": "安全", "duplicate": "重复建设",
    "consistency": "一致性", "tool": "工具",
}
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def _err(msg: str) -> int:
    print(f"dossier-lint: {msg}", file=sys.stderr)
    return 2


def _default_profile() -> str:
    """The profile of the configuration found from the current directory, else base."""
    try:
        found = discover_config(Path.cwd())
    except ConfigError:
        return "base"
    if found and isinstance(found[1].get("profile"), str):
        prof = found[1]["profile"]
        if prof.endswith(".toml") and not Path(prof).is_absolute():
            return str(found[0].parent / prof)
        return prof
    return "base"


def rule_to_dict(rule: Rule, pack: Pack | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": rule.id,
        "slug": rule.slug,
        "title": rule.title,
        "category": rule.category,
        "severity": rule.severity,
        "kind": rule.kind,
        "message": rule.message,
        "basis": [b.to_dict() for b in rule.basis],
        "rationale": rule.rationale,
        "fix": rule.fix,
        "example": rule.example,
        "when": rule.when.to_dict(),
        "params": rule.params,
        "pack": rule.pack,
        "source": f"{rule.source_file}:{rule.source_line}",
    }
    if pack is not None:
        out["basis_titles"] = {b.source: pack.sources.get(b.source, "") for b in rule.basis}
    return out


# ---------------------------------------------------------------------------------------------


def cmd_rules(profile: str | None, fmt: str, out: TextIO) -> int:
    profile = profile or _default_profile()
    auto = profile == AUTO_PROFILE
    try:
        pack = load_pack(DEFAULT_PROFILE if auto else profile)
    except PackError as e:
        return _err(f"规则包错误：{e}")
    if auto:  # not a pack: each package gets its city's; say so, then list what every package gets
        print(
            f"dossier-lint: auto 在检查时为每个申报包选择所属地区的规则包（{'、'.join(available()[1:])}），"
            f"识别不出时用 base；以下列出 base，各地规则见 rules --profile 地区",
            file=sys.stderr,
        )
    if fmt == "json":
        data = {
            "profile": pack.name,
            "title": pack.title,
            "chain": pack.chain,
            "version": pack.version_hash,
            "rules": [rule_to_dict(r, pack) for r in pack.rules.values()],
        }
        json.dump(data, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return 0
    out.write(f"规则包 {pack.name}（{pack.title}），共 {len(pack.rules)} 条规则\n")
    slug_w = max((len(r.slug) for r in pack.rules.values()), default=10)
    current = None
    for r in pack.rules.values():
        if r.category != current:
            current = r.category
            out.write(f"\n[{r.category}] {CATEGORY_ZH.get(r.category, '')}\n")
        out.write(f"  {r.id}  {r.severity:<7}  {r.slug:<{slug_w}}  {r.title}\n")
    return 0


def cmd_explain(rule_id: str, profile: str | None, out: TextIO) -> int:
    key = rule_id.strip()
    names = [profile] if profile and profile != AUTO_PROFILE else available()
    found: list[tuple[Pack, Rule]] = []
    loaded: dict[str, Pack] = {}  # each pack is loaded once, not again for the per-pack summary
    for name in names:
        try:
            pack = loaded[name] = load_pack(name)
        except PackError as e:
            return _err(f"规则包错误：{e}")
        rule = pack.rules.get(key.upper()) or next((r for r in pack.rules.values() if r.slug == key), None)
        if rule is not None:
            found.append((pack, rule))
    if not found:
        where = f"规则包 {profile} " if profile else "任何内置规则包"
        return _err(f"{where}中没有规则“{rule_id}”（可用 dossier-lint rules 查看全部规则）")
    # the rule as the chosen profile has it, else as its defining pack (base first) has it
    pack, rule = found[0]
    if not profile:
        pack, rule = next(((p, r) for p, r in found if p.name == r.pack), found[0])
    w = out.write
    w(f"{rule.id} {rule.slug}：{rule.title}\n\n")
    w(f"类别：{rule.category}（{CATEGORY_ZH.get(rule.category, '')}）  默认级别：{rule.severity}"
      f"（{SEVERITY_ZH.get(rule.severity, '')}）  检查类型：{rule.kind}\n")
    w(f"定义于：{rule.source_file}:{rule.source_line}（规则包 {rule.pack}）\n\n")
    w("作用\n")
    w(_indent(describe(rule)) + "\n")
    w(_indent(f"报告信息：{rule.message}") + "\n\n")
    w("为什么\n")
    w(_indent(rule.rationale or "—") + "\n\n")
    w("依据\n")
    if rule.basis:
        for b in rule.basis:
            title = pack.sources.get(b.source, "")
            shown = f"{b.source}（{title}）" if title and title != b.source else b.source
            w(_indent(f"{shown} {b.article}".rstrip()) + "\n")
    else:
        w(_indent("—（文件读取或工具本身的问题，不依据具体条文）") + "\n")
    w("\n如何修改\n")
    w(_indent(rule.fix or "—") + "\n\n")
    w("示例\n")
    w(_indent(rule.example or "—") + "\n")
    cond = rule.when.to_dict()
    if cond:
        w("\n适用条件\n")
        for k, v in cond.items():
            w(_indent(f"{k} = {v}") + "\n")
    w("\n各规则包\n")
    for name in available():
        try:
            p = loaded[name] if name in loaded else load_pack(name)
        except PackError:
            continue
        r = p.rules.get(rule.id)
        if r is None:
            w(_indent(f"{name}：不适用") + "\n")
        else:
            basis = "；".join(str(b) for b in r.basis) or "—"
            w(_indent(f"{name}：{r.severity}（{basis}）") + "\n")
    return 0


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines() or [""])


def describe(rule: Rule) -> str:
    """What the check does, in Chinese, from its kind and parameters."""
    from .kinds.common import kind_label, kinds_label

    p = rule.params
    k = rule.kind
    if k == "input":
        return f"读取文件时发现“{p.get('code')}”类问题即报告（由文件读取器识别）。"
    if k == "required-document":
        kinds = p.get("kinds", [])
        how = "每缺一种报告一次" if p.get("match") == "all-of" else "有其中任一种即可"
        return f"检查申报包中是否有：{kinds_label(kinds, '、')}（{how}）；文件类型按文件名、标题和内容识别。"
    if k == "required-section":
        docs = kinds_label(p.get("documents", []), "、")
        if "sections" in p:
            titles = "、".join(s if isinstance(s, str) else s["title"] for s in p["sections"])
        else:
            titles = p.get("section", "")
        extra = ""
        if p.get("or-documents"):
            extra = f"；提交了{kinds_label(p['or-documents'])}的视为满足"
        how = "正文写到即视为具备" if p.get("text-fallback") == "always" else "按章节标题匹配（忽略编号、标点，容许少量错字）"
        return f"检查{docs}中是否有以下章节：{titles}；{how}{extra}。"
    if k == "required-field":
        docs = kinds_label(p.get("documents", []), "、")
        names = "、".join(f if isinstance(f, str) else f["name"] for f in p.get("fields", []))
        return f"检查{docs}中以下栏目是否已填写（空白、只有单位、“XXX”“待定”“无”等占位内容均视为未填写）：{names}。"
    if k == "empty-section":
        return "检查方案类文件中是否有只有标题、下面没有任何文字或表格的章节（有下级章节的不算）。"
    if k == "deviation-chapter":
        return (f"当{kind_label('preliminary_design')}的总投资与可研（批复）不一致，或正文提到对可研批复的调整时，"
                f"检查是否有“{p.get('section')}”独立章节。")
    if k == "tool":
        return "由工具本身报告（例如豁免文件中的条目），不检查申报材料。"
    return f"检查类型 {k}，参数：{json.dumps(p, ensure_ascii=False)}"


# ---------------------------------------------------------------------------------------------


def cmd_show_settings(paths: list[Path], cli: dict[str, Any], out: TextIO, fmt: str = "text") -> int:
    try:
        s = resolve_settings(list(paths), cli)
    except ConfigError as e:
        return _err(f"配置错误：{e}")
    enabled = s.rules()
    enabled_ids = {r.id for r in enabled}
    disabled = [r.id for r in s.pack.rules.values() if r.id not in enabled_ids]
    changed = {r.id: r.severity for r in enabled if r.severity != s.pack.rules[r.id].severity}
    if fmt == "json":
        data = s.to_dict()
        data["sources"] = s.sources
        data["rules"] = {"enabled": [r.id for r in enabled], "disabled": disabled, "severity-changed": changed}
        json.dump(data, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return 0
    w = out.write
    w(f"配置文件：{s.config_file or '（未找到，使用默认值）'}\n")
    if s.auto:
        w(f"规则包：auto（按申报包所属地区选择：{'、'.join(available()[1:])}；识别不出时用 base）  来源：{s.sources.get('profile')}\n")
    else:
        w(f"规则包：{s.pack.name}（{s.pack.title}）  来源：{s.sources.get('profile')}\n")
    w(f"规则包文件：{', '.join(str(p) for p in s.pack.files)}\n\n")
    d = s.to_dict()
    for key in ("select", "extend-select", "ignore", "severity", "per-path-ignores", "kinds", "fail-on",
                "max-warnings", "catalog", "limits", "waivers", "baseline"):
        value = d.get(key)
        shown = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
        if key == "waivers" and value is None:
            shown = "（每个申报包旁的 dossier-lint-waivers.toml）"
        w(f"{key:<17} = {shown}    # 来源：{s.sources.get(key, '默认')}\n")
    w(f"\n启用规则 {len(enabled)} 条，停用 {len(disabled)} 条\n")
    if disabled:
        w(f"停用：{' '.join(disabled)}\n")
    for rid, sev in changed.items():
        w(f"级别调整：{rid} {s.pack.rules[rid].severity} -> {sev}\n")
    return 0
