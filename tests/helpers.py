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


# --- batch / report helpers (batch-and-outputs engineer) ----------------------------------------


def corpus_packages() -> list[Path]:
    """The corpus packages (folders and zips), sorted; fails loudly when the corpus is missing."""
    pkgs = sorted(p for p in PACKAGES.iterdir() if not p.name.startswith(".")) if PACKAGES.is_dir() else []
    assert pkgs, f"no corpus packages under {PACKAGES}: run python corpus/make_corpus.py"
    return pkgs


def copy_round(dest: Path, packages: list[Path], names: list[str] | None = None) -> list[Path]:
    """Copy packages into `dest` as one review round (optionally renamed); returns the copies."""
    import shutil

    dest.mkdir(parents=True, exist_ok=True)
    out = []
    for i, src in enumerate(packages):
        target = dest / (names[i] if names else src.name)
        if src.is_dir():
            shutil.copytree(src, target)
        else:
            shutil.copy2(src, target)
        out.append(target)
    return out


def round_settings(paths: list[Path], profile: str = "nanchong", **cli: Any) -> Any:
    from dossier_lint import config

    return config.resolve_settings(list(paths), {"profile": profile, **cli})


def diag_tuples(run: Any) -> list[list[tuple]]:
    """Per package: (rule, file, location, message, severity) of each finding, for comparing runs."""
    return [
        [(d.rule, d.file, tuple(sorted(d.to_dict()["location"].items())), d.message, d.severity)
         for d in res.diagnostics]
        for res in run.packages
    ]


_ROUND_CACHE: list[Path] = []


def round_cache_dir() -> Path:
    """One cache dir for the whole test session (removed at exit), so only the first corpus-round run
    of the session is cold."""
    if not _ROUND_CACHE:
        import atexit
        import shutil
        import tempfile

        d = Path(tempfile.mkdtemp(prefix="dl-test-cache-"))
        atexit.register(shutil.rmtree, d, True)
        _ROUND_CACHE.append(d)
    return _ROUND_CACHE[0]


def check_round(*args: str | Path, profile: str = "nanchong") -> tuple[int, str, str]:
    """`dossier-lint check corpus/packages --profile PROFILE ARGS` with the session's round cache."""
    corpus_packages()
    env = {"DOSSIER_LINT_CACHE_DIR": str(round_cache_dir()), "CI": "true"}
    return run_cli("check", PACKAGES, "--profile", profile, *args, env=env)


def synthetic_run() -> tuple[Any, Any]:
    """A small hand-made round (3 packages) with every kind of place, a waived and a baselined finding,
    and text that needs escaping: for unit tests of the output formats."""
    from decimal import Decimal

    from dossier_lint.config import Settings
    from dossier_lint.engine import PackageResult, RunResult
    from dossier_lint.model import Basis, Document, Fact, Location, Package
    from dossier_lint.rule import Rule

    basis = (Basis("南府办发〔2023〕14号", "第十六条"),)
    rules = [
        Rule(id="DL105", slug="missing-crypto-plan", category="completeness", severity="error",
             kind="required-kinds", message="缺少密码应用方案", title="缺少密码应用方案", basis=basis,
             rationale="须同步规划密码应用", fix="补充密码应用方案"),
        Rule(id="DL401", slug="investment-mismatch", category="funding", severity="warning", kind="x",
             message="投资额度前后不一致：{detail}", title="投资额度前后不一致", basis=basis),
        Rule(id="DL203", slug="missing-section", category="structure", severity="info", kind="x",
             message="缺少章节", title="缺少专篇"),
    ]

    class _Pack:
        def __init__(self) -> None:
            self.rules = {r.id: r for r in rules}
            self.version_hash = "synthetic"

    settings = Settings(profile="nanchong", pack=_Pack())
    results = []
    for n in range(3):
        pkg = Package(path=f"round/项目{n}" + (".zip" if n == 2 else ""), name=f"南充市智慧城管系统建设项目{n}")
        pkg.documents = [
            Document(path="申报表.xlsx", format="xlsx", kind="application_form", size=1000, sha256="ab" * 32),
            Document(path="可研/可研报告.pdf", format="pdf", kind="feasibility_report", pages=40, size=2000),
            Document(path="旧.doc", format="doc", status="unreadable", reason="旧格式"),
        ]
        for key, value in (("name", pkg.name), ("unit", "南充市城市管理局"), ("total_investment", Decimal("356.5")),
                           ("om_funding", Decimal("20")), ("funding_channels", ["本级财政", "中省补助"]),
                           ("tasks", "建设城市管理综合指挥平台。"), ("mode", "自行建设"), ("project_type", "新建"),
                           ("period", "2024年1月至2024年12月"), ("contact", "张三"), ("phone", "0817-1234567")):
            pkg.facts.add(key, Fact(value, "申报表.xlsx"))
        diags = [
            rules[0].diag(key="crypto_plan"),
            rules[1].diag(file="可研/可研报告.pdf", loc=Location(page=12, heading=("第五章 投资估算", "5.1 总投资")),
                          evidence='项目总投资 356.5 万元，"引号" <b>标签</b> 50% 逗号,冒号:\x0b', detail="356.5≠360"),
            rules[1].diag(file="申报表.xlsx", loc=Location(sheet="基本情况", cell="C7"), evidence="投资额度 360",
                          detail="表内"),
            rules[2].diag(file="可研/可研报告.pdf", loc=Location(page=3)),
        ][: 4 - n]
        if n == 1:
            for d in diags:
                d.state = "new"
        waived = rules[2].diag(file="申报表.xlsx", loc=Location(sheet="基本情况", cell="B2"))
        waived.waived = "专家组同意：续建项目沿用原章节"
        results.append(PackageResult(package=pkg, profile="nanchong", diagnostics=diags, waived=[waived],
                                     timings={"read": 0.5}))
    return RunResult(packages=results, settings=settings), settings


def findings_of(
    report: dict[str, Any], rules: set[str] | tuple[str, ...], package: int = 0
) -> list[tuple[str, str | None, dict[str, Any]]]:
    """(rule, file, location) of the diagnostics of the given rules only, in report order."""
    return [
        (d["rule"], d["file"], d["location"])
        for d in report["packages"][package]["diagnostics"]
        if d["rule"] in rules
    ]


CONTENT_B_CASES = CORPUS / "cases" / "content-b"


# --- hostile input (hostile-input engineer) ------------------------------------------------------


_HOSTILE: list[Any] = []


def hostile_round() -> Any:
    """The hostile-input round of tests/hostile/make_hostile.py, built once per test session in a temp
    dir removed at exit. Returns its Manifest (`.round`, `.outside`, `.expect`, ...)."""
    if not _HOSTILE:
        import atexit
        import shutil
        import tempfile

        from hostile.make_hostile import build

        d = Path(tempfile.mkdtemp(prefix="dl-hostile-"))
        atexit.register(shutil.rmtree, d, True)
        _HOSTILE.append(build(d / "h"))
    return _HOSTILE[0]


class Isolated:
    """The outcome of `run_isolated`."""

    def __init__(self, code: int, stdout: str, stderr: str, seconds: float, max_rss_mb: float | None,
                 timed_out: bool, tmp_left: list[str], home: Path) -> None:
        self.code, self.stdout, self.stderr, self.seconds = code, stdout, stderr, seconds
        self.max_rss_mb, self.timed_out, self.tmp_left, self.home = max_rss_mb, timed_out, tmp_left, home

    def json(self) -> dict[str, Any]:
        return json.loads(self.stdout)


def _group_peak_mb(pgid: int) -> float:
    """Largest VmHWM (the peak RSS of a process since its exec) among the processes of a process group."""
    import os

    peak = 0.0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
            if int(fields[2]) != pgid:  # fields after the name: state, ppid, pgrp, ...
                continue
            with open(f"/proc/{entry.name}/status", "rb") as f:
                for line in f:
                    if line.startswith(b"VmHWM:"):
                        peak = max(peak, int(line.split()[1]) / 1024)
        except (OSError, ValueError, IndexError):
            continue
    return peak


def run_isolated(*args: str | Path, env: dict[str, str] | None = None, timeout: float = 300,
                 mem_limit_gb: float = 6, cwd: Path | None = None) -> Isolated:
    """`python -m dossier_lint ARGS` in a subprocess of its own session, with a private TMPDIR (listed
    afterwards: `tmp_left`), cache dir and HOME, an address-space cap (so a failed guard cannot take the
    machine down) and a timeout after which the whole process group is killed. On Linux, reports the
    largest peak RSS of the process and its pool workers (polled from /proc every 20 ms)."""
    import atexit
    import os
    import shutil
    import signal
    import subprocess
    import sys
    import tempfile
    import time

    home = Path(tempfile.mkdtemp(prefix="dl-iso-"))
    atexit.register(shutil.rmtree, home, True)  # kept for the test to inspect, removed at exit
    private_tmp = home / "tmp"
    private_tmp.mkdir()
    full_env = {**os.environ, "TMPDIR": str(private_tmp), "TEMP": str(private_tmp), "TMP": str(private_tmp),
                "DOSSIER_LINT_CACHE_DIR": str(home / "cache"), "HOME": str(home / "home"), "CI": "true",
                "PYTHONPATH": str(ROOT / "src"), **(env or {})}

    def limit() -> None:
        import resource

        cap = int(mem_limit_gb * 1024**3)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    posix = os.name == "posix"
    linux = sys.platform.startswith("linux")
    with open(home / "stdout", "wb") as so, open(home / "stderr", "wb") as se:
        start = time.monotonic()
        p = subprocess.Popen([sys.executable, "-m", "dossier_lint", *map(str, args)], stdout=so, stderr=se,
                             env=full_env, cwd=cwd or home, start_new_session=posix,
                             preexec_fn=limit if posix else None)
        timed_out, rss = False, None
        if posix:
            peak = 0.0
            while True:
                if linux:  # ru_maxrss would include this (pytest) process's RSS, inherited at fork
                    peak = max(peak, _group_peak_mb(p.pid))
                pid, status, _ = os.wait4(p.pid, os.WNOHANG)
                if pid:
                    break
                if time.monotonic() - start > timeout:
                    timed_out = True
                    os.killpg(p.pid, signal.SIGKILL)
                    os.wait4(p.pid, 0)
                    break
                time.sleep(0.02)
            p.returncode = code = os.waitstatus_to_exitcode(status) if not timed_out else -9
            rss = peak if linux else None
        else:
            try:
                code = p.wait(timeout)
            except subprocess.TimeoutExpired:
                timed_out = True
                p.kill()
                code = p.wait()
        seconds = time.monotonic() - start
    left = sorted(str(x.relative_to(private_tmp)) for x in private_tmp.rglob("*"))
    out = (home / "stdout").read_text(encoding="utf-8", errors="replace")
    err = (home / "stderr").read_text(encoding="utf-8", errors="replace")
    return Isolated(code, out, err, seconds, rss, timed_out, left, home)


def write_duplicating_report(dest: Path) -> Path:
    """A one-report package (folder `dest`, created) whose project duplicates 南充市河长制管理信息系统: a
    usable catalog listing that system gives exactly one DL701 (tests of the catalog guards and limits)."""
    dest.mkdir(parents=True)
    (dest / "南充市河长制管理信息系统建设项目可行性研究报告.md").write_text(
        "# 南充市河长制管理信息系统建设项目可行性研究报告\n## 一、项目概况\n项目名称：南充市河长制管理信息系统建设项目\n"
        "项目单位：南充市农业农村局\n## 二、建设内容\n本项目建设河长制管理信息系统，包括河湖名录管理、巡河管理、"
        "事件处置、考核评价等功能。\n",
        encoding="utf-8",
    )
    return dest
