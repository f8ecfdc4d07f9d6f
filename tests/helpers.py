"""Shared test helpers: run the real CLI (in-process, through click) on files in corpus/."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
PACKAGES = CORPUS / "packages"
SHARED = ROOT.parent / "shared"


def run_cli(*args: str | Path, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Run `dossier-lint ARGS`; returns (exit code, stdout, stderr). Never swallows a traceback."""
    from dossier_lint.cli import main

    runner = CliRunner()
    result = runner.invoke(main, [str(a) for a in args], env=env, catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        tb = "".join(traceback.format_exception(result.exception))
        raise AssertionError(f"dossier-lint raised instead of reporting:\n{tb}")
    return result.exit_code, result.stdout, result.stderr


def lint_json(path: str | Path, *args: str | Path) -> dict[str, Any]:
    """`dossier-lint check PATH --format json ARGS` parsed; asserts the exit code is 0 or 1."""
    code, out, err = run_cli("check", path, "--format", "json", "--no-cache", *args)
    assert code in (0, 1), f"exit {code}: {err}"
    return json.loads(out)


def findings(report: dict[str, Any], package: int = 0) -> list[tuple[str, str | None, dict[str, Any]]]:
    """(rule, file, location) of every diagnostic of one package, in report order."""
    return [(d["rule"], d["file"], d["location"]) for d in report["packages"][package]["diagnostics"]]


def rules_fired(report: dict[str, Any], package: int = 0) -> set[str]:
    return {d["rule"] for d in report["packages"][package]["diagnostics"]}
