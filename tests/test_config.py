"""Configuration: discovery (dossier-lint.toml, pyproject.toml), --config, CLI precedence, rule selection,
severities, per-path ignores, kinds, limits, and clear errors (exit 2, no traceback)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dossier_lint.config import ConfigError, Settings, glob_match, resolve_settings
from helpers import run_cli


def make_pkg(root: Path, name: str = "pkg") -> Path:
    """A tiny package: a 可研 (markdown) and an unclassifiable attachment in a sub-folder."""
    pkg = root / name
    (pkg / "附件").mkdir(parents=True, exist_ok=True)
    (pkg / "可行性研究报告.md").write_text("# 可行性研究报告\n## 第一章 项目概述\n内容。\n", encoding="utf-8")
    (pkg / "附件" / "附件3.md").write_text("# 附件3\n说明。\n", encoding="utf-8")
    (pkg / "附件4.md").write_text("# 附件4\n说明。\n", encoding="utf-8")
    return pkg


def ids(s: Settings) -> set[str]:
    return {r.id for r in s.rules()}


# ---------------------------------------------------------------------------------------------
# discovery and precedence


def test_defaults_without_config(tmp_path: Path) -> None:
    s = resolve_settings([make_pkg(tmp_path)], {})
    assert s.profile == "base" and s.config_file is None
    assert s.sources["profile"] == "默认"
    assert ids(s) == set(s.pack.rules)
    assert s.fail_on == "error" and s.max_warnings is None


def test_config_is_discovered_upward_from_the_package(tmp_path: Path) -> None:
    (tmp_path / "dossier-lint.toml").write_text('profile = "nanchong"\nfail-on = "warning"\n', encoding="utf-8")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    s = resolve_settings([make_pkg(deep)], {})
    assert s.profile == "nanchong"
    assert s.config_file == tmp_path / "dossier-lint.toml"
    assert s.sources["profile"] == str(tmp_path / "dossier-lint.toml")
    assert s.fail_on == "warning"


def test_pyproject_table_is_used_and_a_pyproject_without_it_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.dossier-lint]\nprofile = "taixing"\n', encoding="utf-8")
    mid = tmp_path / "mid"
    mid.mkdir()
    (mid / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    s = resolve_settings([make_pkg(mid)], {})
    assert s.profile == "taixing"
    assert s.config_file == tmp_path / "pyproject.toml"


def test_nearest_config_wins(tmp_path: Path) -> None:
    (tmp_path / "dossier-lint.toml").write_text('profile = "taixing"\n', encoding="utf-8")
    mid = tmp_path / "mid"
    mid.mkdir()
    (mid / "dossier-lint.toml").write_text('profile = "chenzhou"\n', encoding="utf-8")
    assert resolve_settings([make_pkg(mid)], {}).profile == "chenzhou"


def test_explicit_config_replaces_discovery(tmp_path: Path) -> None:
    (tmp_path / "dossier-lint.toml").write_text('profile = "taixing"\n', encoding="utf-8")
    other = tmp_path / "elsewhere.toml"
    other.write_text('profile = "chenzhou"\n', encoding="utf-8")
    s = resolve_settings([make_pkg(tmp_path)], {"config_file": other})
    assert s.profile == "chenzhou" and s.config_file == other


def test_cli_values_override_the_file(tmp_path: Path) -> None:
    (tmp_path / "dossier-lint.toml").write_text(
        'profile = "taixing"\nfail-on = "warning"\nselect = ["DL1"]\nignore = ["DL105"]\nmax-warnings = 3\n',
        encoding="utf-8",
    )
    s = resolve_settings(
        [make_pkg(tmp_path)],
        {"profile": "nanchong", "fail_on": "info", "select": ("DL2",), "ignore": ("DL203,DL204",), "max_warnings": 0},
    )
    assert s.profile == "nanchong" and s.sources["profile"] == "命令行"
    assert s.fail_on == "info" and s.max_warnings == 0
    assert s.select == ["DL2"]  # --select replaces the file's select
    assert s.ignore == ["DL105", "DL203", "DL204"]  # --ignore adds to the file's ignore
    assert all(r.id.startswith("DL2") for r in s.rules())
    assert "DL203" not in ids(s) and "DL205" in ids(s)


def test_profile_path_in_config_is_relative_to_the_config_file(tmp_path: Path) -> None:
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "mycity.toml").write_text(
        '[pack]\nname = "mycity"\nextends = "chenzhou"\n', encoding="utf-8")
    (tmp_path / "dossier-lint.toml").write_text('profile = "packs/mycity.toml"\n', encoding="utf-8")
    s = resolve_settings([make_pkg(tmp_path)], {})
    assert s.profile == "mycity" and s.pack.chain == ["base", "chenzhou", "mycity"]


# ---------------------------------------------------------------------------------------------
# selection and severities


def settings_with(tmp_path: Path, text: str, cli: dict | None = None) -> Settings:
    (tmp_path / "dossier-lint.toml").write_text(text, encoding="utf-8")
    return resolve_settings([make_pkg(tmp_path)], cli or {})


def test_select_by_id_prefix_category_and_slug(tmp_path: Path) -> None:
    s = settings_with(tmp_path, 'profile = "nanchong"\nselect = ["DL203", "DL11", "security", "empty-section"]\n')
    got = ids(s)
    assert "DL203" in got and "DL201" in got
    assert {"DL112", "DL113", "DL114", "DL115", "DL116"} <= got and "DL101" not in got
    assert any(r.category == "security" for r in s.rules())
    assert all(r.id in ("DL203", "DL201") or r.id.startswith("DL11") or r.category == "security" for r in s.rules())


def test_more_specific_selector_wins_and_ties_ignore(tmp_path: Path) -> None:
    s = settings_with(tmp_path, 'profile = "nanchong"\nselect = ["DL203"]\nignore = ["DL2"]\n')
    assert ids(s) == {"DL203"}  # the ID is more specific than the ignored prefix
    s = settings_with(tmp_path, 'profile = "nanchong"\nignore = ["structure"]\nextend-select = ["DL2"]\n')
    assert not any(r.id.startswith("DL2") for r in s.rules())  # category == one-digit prefix: ignore wins
    s = settings_with(tmp_path, 'profile = "nanchong"\nignore = ["DL2"]\nextend-select = ["DL20"]\n')
    assert {r.id for r in s.rules() if r.id.startswith("DL2")} == {"DL201", "DL202", "DL203", "DL204", "DL205",
                                                                   "DL206", "DL207"}


def test_severity_overrides_by_id_and_prefix(tmp_path: Path) -> None:
    s = settings_with(tmp_path, 'profile = "nanchong"\nseverity = { "DL1" = "info", DL105 = "warning" }\n')
    by = {r.id: r.severity for r in s.rules()}
    assert by["DL105"] == "warning"  # the ID is more specific than the prefix
    assert by["DL101"] == "info" and by["DL203"] == "error"
    assert s.pack.rules["DL101"].severity == "error"  # the pack is not modified


def test_glob_matching() -> None:
    assert glob_match("**/附件/*", "附件/a.pdf")
    assert glob_match("**/附件/*", "x/y/附件/a.pdf")
    assert not glob_match("**/附件/*", "附件/sub/a.pdf")
    assert glob_match("附件/**", "附件/sub/a.pdf")
    assert glob_match("*.pdf", "立项批复.pdf") and not glob_match("*.pdf", "a/立项批复.pdf")


def test_finish_applies_per_path_ignores_and_severities(tmp_path: Path) -> None:
    s = settings_with(
        tmp_path,
        'per-path-ignores = { "**/附件/*" = ["DL0"] }\nseverity = { DL019 = "warning" }\n',
    )

    class Result:
        package = type("P", (), {"path": str(tmp_path / "pkg"), "name": "pkg"})()

    rule = s.pack.rules["DL019"]
    diags = [rule.diag(file="附件/附件3.md"), rule.diag(file="附件4.md"), rule.diag(file=None)]
    kept = s.finish(Result(), diags)
    assert [(d.file, d.severity) for d in kept] == [("附件4.md", "warning"), (None, "warning")]


def test_per_path_ignores_end_to_end(tmp_path: Path) -> None:
    pkg = make_pkg(tmp_path)
    (tmp_path / "dossier-lint.toml").write_text('per-path-ignores = { "**/附件/*" = ["DL019"] }\n', encoding="utf-8")
    code, out, err = run_cli("check", pkg, "--format", "json", "--no-cache", "--select", "DL019")
    got = [(d["rule"], d["file"]) for d in json.loads(out)["packages"][0]["diagnostics"]]
    assert got == [("DL019", "附件4.md")]
    (tmp_path / "dossier-lint.toml").unlink()
    code, out, err = run_cli("check", pkg, "--format", "json", "--no-cache", "--select", "DL019")
    got = [(d["rule"], d["file"]) for d in json.loads(out)["packages"][0]["diagnostics"]]
    assert got == [("DL019", "附件/附件3.md"), ("DL019", "附件4.md")]


def test_kinds_in_config_classify_a_file(tmp_path: Path) -> None:
    pkg = make_pkg(tmp_path)
    (tmp_path / "dossier-lint.toml").write_text('kinds = { "附件4.md" = "crypto_plan" }\n', encoding="utf-8")
    code, out, _ = run_cli("check", pkg, "--format", "json", "--no-cache", "--select", "DL019,DL105")
    got = [(d["rule"], d["file"]) for d in json.loads(out)["packages"][0]["diagnostics"]]
    assert got == [("DL019", "附件/附件3.md")]  # 附件4 is now a 密码应用方案: no DL019, no DL105


def test_fail_on_and_max_warnings_decide_the_exit_code(tmp_path: Path) -> None:
    pkg = make_pkg(tmp_path)
    # base on this package: DL101 error (no form) among others
    assert run_cli("check", pkg, "--no-cache", "--select", "DL019")[0] == 0  # infos only
    assert run_cli("check", pkg, "--no-cache", "--select", "DL019", "--fail-on", "info")[0] == 1
    (tmp_path / "dossier-lint.toml").write_text('severity = { DL019 = "warning" }\nmax-warnings = 1\n', encoding="utf-8")
    assert run_cli("check", pkg, "--no-cache", "--select", "DL019")[0] == 1  # 2 warnings > 1
    assert run_cli("check", pkg, "--no-cache", "--select", "DL019", "--max-warnings", "2")[0] == 0


# ---------------------------------------------------------------------------------------------
# errors


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('profil = "nanchong"\n', "未知的配置项 profil"),
        ('profile = "shanghai"\n', "未知的规则包（地区）“shanghai”"),
        ('select = ["DL2", "typo-rule"]\n', "select 中未知的规则选择器 typo-rule"),
        ('select = "DL2"\n', "select 必须是规则选择器列表"),
        ('severity = { DL203 = "fatal" }\n', "severity.DL203 的级别“fatal”无效"),
        ('per-path-ignores = { "附件/*" = "DL0" }\n', "per-path-ignores 必须是表"),
        ('kinds = { "a.pdf" = "crypto" }\n', "kinds 中未知的文件类型 crypto"),
        ('fail-on = "fatal"\n', "fail-on 的取值“fatal”无效"),
        ('max-warnings = -1\n', "max-warnings 必须是不小于 0 的整数"),
        ('limits = { max_pagez = 3 }\n', "limits 中未知的键 max_pagez"),
        ('limits = { max_pages = 0 }\n', "limits.max_pages must be positive"),
        ('baseline = "nope.json"\n', "基线文件不存在"),
        ('catalog = "nope.xlsx"\n', "已建系统目录文件不存在"),
        ('profile = "nanchong\n', "dossier-lint.toml:1: TOML 语法错误"),
    ],
)
def test_bad_config_is_a_clear_error(tmp_path: Path, text: str, expected: str) -> None:
    pkg = make_pkg(tmp_path)
    (tmp_path / "dossier-lint.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=None) as exc:
        resolve_settings([pkg], {})
    assert expected in str(exc.value)
    code, out, err = run_cli("check", pkg, "--no-cache")
    assert code == 2 and out == ""
    assert "配置错误" in err and expected in err and "Traceback" not in err


def test_unknown_selector_on_the_command_line(tmp_path: Path) -> None:
    code, _, err = run_cli("check", make_pkg(tmp_path), "--no-cache", "--ignore", "DL2,bogus")
    assert code == 2 and "ignore 中未知的规则选择器 bogus" in err


def test_missing_explicit_config(tmp_path: Path) -> None:
    code, _, err = run_cli("check", make_pkg(tmp_path), "--no-cache", "--config", tmp_path / "none.toml")
    assert code == 2 and "配置文件不存在" in err


# ---------------------------------------------------------------------------------------------
# show-settings


def test_show_settings_names_each_value_source(tmp_path: Path) -> None:
    pkg = make_pkg(tmp_path)
    cfg = tmp_path / "dossier-lint.toml"
    cfg.write_text('profile = "nanchong"\nignore = ["DL215"]\nseverity = { DL207 = "error" }\n', encoding="utf-8")
    code, out, err = run_cli("show-settings", pkg, "--fail-on", "warning")
    assert code == 0, err
    assert f"配置文件：{cfg}" in out
    assert "规则包：nanchong" in out
    assert f'ignore            = ["DL215"]    # 来源：{cfg}' in out
    assert "fail-on           = warning    # 来源：命令行" in out
    assert "停用：DL215" in out
    assert "级别调整：DL207 warning -> error" in out
    code, out, _ = run_cli("show-settings", pkg, "--format", "json")
    data = json.loads(out)
    assert data["profile"] == "nanchong" and data["sources"]["profile"] == str(cfg)
    assert "DL215" in data["rules"]["disabled"]


def test_show_settings_bad_config_exit_2(tmp_path: Path) -> None:
    pkg = make_pkg(tmp_path)
    (tmp_path / "dossier-lint.toml").write_text('select = ["nonsense"]\n', encoding="utf-8")
    code, out, err = run_cli("show-settings", pkg)
    assert code == 2 and "未知的规则选择器 nonsense" in err
