"""Command line: `dossier-lint check|rules|explain|show-settings`.

Exit codes (public contract): 0 no finding at or above the fail level, 1 findings, 2 usage or
configuration error. Heavy modules are imported inside commands so `--version` and `rules` start fast.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__

FORMATS = ["text", "json", "jsonl", "sarif", "junit", "github", "html", "xlsx"]


def _force_utf8() -> None:
    # Windows consoles and pipes default to a legacy code page; Chinese must print.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[attr-defined]
        except (AttributeError, ValueError):
            pass


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dossier-lint")
def main() -> None:
    """dossier-lint：政务信息化项目申报材料检查工具。"""
    _force_utf8()


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="输出格式。")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="写入文件而不是标准输出。")
@click.option("--profile", help="规则包（地区）：base / nanchong / taixing / chenzhou / auto（按申报材料所属地区自动选择）或 .toml 路径。")
@click.option("--config", "config_file", type=click.Path(path_type=Path), help="配置文件（覆盖自动发现）。")
@click.option("--select", multiple=True, help="只启用这些规则（ID、前缀或类别，可多次或逗号分隔）。")
@click.option("--extend-select", multiple=True, help="在已启用规则之外再启用。")
@click.option("--ignore", multiple=True, help="停用这些规则（ID、前缀或类别）。")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), help="达到此级别即以 1 退出。")
@click.option("--max-warnings", type=int, help="警告超过此数即以 1 退出。")
@click.option("--exit-zero", is_flag=True, help="总是以 0 退出（除用法或配置错误）。")
@click.option("--catalog", type=click.Path(path_type=Path), help="已建系统目录（xlsx/csv/json），用于重复建设检查。")
@click.option("--jobs", "-j", type=int, help="并行处理的申报包数（默认：CPU 核数）。")
@click.option("--no-cache", is_flag=True, help="不使用读取缓存。")
@click.option("--statistics", is_flag=True, help="按规则统计问题数。")
@click.option("--waivers", "waivers_file", type=click.Path(path_type=Path), help="豁免文件。")
@click.option("--show-waived", is_flag=True, help="同时列出已豁免的问题。")
@click.option("--prune-waivers", is_flag=True, help="从豁免文件中删除不再匹配的豁免。")
@click.option("--baseline", type=click.Path(path_type=Path), help="与上次提交的基线比较，只报新问题。")
@click.option("--write-baseline", type=click.Path(path_type=Path), help="把本次结果写成基线文件。")
@click.option("--no-progress", is_flag=True, help="不显示进度条。")
@click.option("--color/--no-color", default=None, help="彩色输出（默认：仅终端）。")
@click.option("--verbose", "-v", count=True, help="显示文件类型识别结果及依据。")
@click.option("--quiet", "-q", is_flag=True, help="只输出问题，不输出摘要。")
@click.option("--from-files", is_flag=True, hidden=True,
              help="PATHS 是改动的文件：检查包含它们的申报包（pre-commit 钩子用）。")
def check(paths: tuple[Path, ...], fmt: str, output: Path | None, exit_zero: bool, **opts) -> None:
    """检查一个或多个申报包（文件夹或 .zip），或包含多个申报包的目录。"""
    from . import config, engine, report

    if opts.pop("from_files", False):
        from . import precommit

        paths = tuple(precommit.package_roots(paths))
        if not paths:
            click.echo("dossier-lint: 改动的文件不属于任何申报包，无需检查。", err=True)
            sys.exit(0)
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise click.UsageError(f"路径不存在：{', '.join(str(p) for p in missing)}")
    special = [p for p in paths if not (p.is_file() or p.is_dir())]  # a fifo, a device: never opened
    if special:
        raise click.UsageError(f"不是文件或文件夹：{', '.join(str(p) for p in special)}")
    cli_opts = {k: v for k, v in opts.items() if v is not None and v is not False and v != ()}  # keep 0
    try:
        settings = config.resolve_settings(list(paths), cli_opts)
        from . import batch

        run = batch.run(list(paths), settings, opts)
        finish_run = getattr(settings, "finish_run", None)
        if finish_run is not None:  # --write-baseline
            finish_run(run)
    except config.ConfigError as e:
        click.echo(f"dossier-lint: 配置错误：{e}", err=True)
        sys.exit(2)
    code = engine.exit_code(run, settings)
    try:
        report.emit(fmt, run, settings, output, opts)
    except report.OutputError as e:
        click.echo(f"dossier-lint: 无法写出结果：{e}", err=True)
        sys.exit(2)
    sys.exit(0 if exit_zero else code)


@main.command("rules")
@click.option("--profile", help="规则包（地区）或 .toml 路径；默认取配置文件中的 profile，否则 base。")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules_cmd(profile: str | None, fmt: str) -> None:
    """列出规则包中的全部规则。"""
    from .commands import cmd_rules

    sys.exit(cmd_rules(profile, fmt, sys.stdout))


@main.command("explain")
@click.argument("rule_id")
@click.option("--profile", help="按此规则包说明（默认：定义该规则的规则包）。")
def explain_cmd(rule_id: str, profile: str | None) -> None:
    """说明一条规则：作用、理由、依据条文、修改方法和示例。"""
    from .commands import cmd_explain

    sys.exit(cmd_explain(rule_id, profile, sys.stdout))


@main.command("show-settings")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--profile", help="规则包（地区）或 .toml 路径。")
@click.option("--config", "config_file", type=click.Path(path_type=Path), help="配置文件（覆盖自动发现）。")
@click.option("--select", multiple=True)
@click.option("--extend-select", multiple=True)
@click.option("--ignore", multiple=True)
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def show_settings_cmd(paths: tuple[Path, ...], fmt: str, **opts) -> None:
    """显示对申报包生效的配置及每项的来源。"""
    from .commands import cmd_show_settings

    cli_opts = {k: v for k, v in opts.items() if v is not None and v is not False and v != ()}
    sys.exit(cmd_show_settings(list(paths) or [Path(".")], cli_opts, sys.stdout, fmt))
