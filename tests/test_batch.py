"""Batch runs over a review round: parallel = serial, spawn-safe, hard worker crashes, cache, progress."""

from __future__ import annotations

import io
import os
import pickle
import sys
from dataclasses import replace

import pytest

from dossier_lint import batch, engine
from dossier_lint.rule import Rule, check_kind
from helpers import copy_round, corpus_packages, diag_tuples, round_settings, run_cli

CRASH_MARK = "CRASHME"


@check_kind("test-hard-crash")
def _hard_crash(rule, ctx):
    """A check that kills its process like a segfault would (only on a marked package)."""
    if CRASH_MARK in ctx.package.name:
        os._exit(3)
    return []


class CrashPack:
    """The real pack plus one rule of the crashing kind. Defined in this module so a spawned worker,
    unpickling the settings, imports this module and so registers the kind."""

    def __init__(self, pack):
        self.pack = pack
        crash = Rule(id="DL998", slug="test-hard-crash", category="tool", severity="info",
                     kind="test-hard-crash", message="不会出现")
        self.rules = {**pack.rules, "DL998": crash}
        self.version_hash = pack.version_hash + "-crash"
        self.settings = pack.settings

    def __getattr__(self, name):
        if name.startswith("__") or name == "pack":  # unpickling looks these up before __dict__ is set
            raise AttributeError(name)
        return getattr(self.pack, name)


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    d = tmp_path / "cache"
    monkeypatch.setenv("DOSSIER_LINT_CACHE_DIR", str(d))
    return d


@pytest.fixture(scope="module")
def serial_round():
    """The corpus round linted package by package in this process: the reference results."""
    pkgs = corpus_packages()
    root = pkgs[0].parent
    settings = round_settings([root])
    return root, settings, engine.lint_paths([root], settings)


def test_settings_pickle(serial_round):
    _, settings, _ = serial_round
    again = pickle.loads(pickle.dumps(settings))
    assert [r.id for r in again.rules()] == [r.id for r in settings.rules()]


def test_parallel_equals_serial(serial_round):
    root, settings, serial = serial_round
    run = batch.run([root], settings, {"jobs": 2, "no_cache": True})
    assert [p.package.name for p in run.packages] == [p.package.name for p in serial.packages]
    assert len(run.packages) == len(corpus_packages())
    assert diag_tuples(run) == diag_tuples(serial)


def test_spawn_context(serial_round, tmp_path):
    root, settings, serial = serial_round
    two = corpus_packages()[:2]
    copy_round(tmp_path / "round", two)
    run = batch.run([tmp_path / "round"], settings, {"jobs": 2, "no_cache": True, "mp_context": "spawn"})
    ref = {p.package.name: p for p in serial.packages}
    expected = engine.RunResult(packages=[ref[p.name.removesuffix(".zip")] for p in two])
    assert [p.package.name for p in run.packages] == [p.package.name for p in expected.packages]
    assert [[d[0] for d in ps] for ps in diag_tuples(run)] == [[d[0] for d in ps] for ps in diag_tuples(expected)]


@pytest.mark.parametrize("context", ["spawn", "fork"])
def test_hard_crash_is_reported_and_the_batch_goes_on(serial_round, tmp_path, context, monkeypatch):
    root, settings, serial = serial_round
    pkgs = corpus_packages()[:3]
    names = [pkgs[0].name, f"{CRASH_MARK}-{pkgs[1].name}", pkgs[2].name]
    copy_round(tmp_path / "round", pkgs, names)
    crashing = replace(settings, pack=CrashPack(settings.pack))
    cache = tmp_path / "cache"
    monkeypatch.setenv("DOSSIER_LINT_CACHE_DIR", str(cache))
    run = batch.run([tmp_path / "round"], crashing, {"jobs": 2, "mp_context": context})
    # the two sound packages are cached, the crashed one is not (a rerun tries it again)
    assert len(list(cache.rglob("pkg/*/*"))) == 2
    by_name = {p.package.name: p for p in run.packages}
    assert len(run.packages) == 3
    crashed = by_name[f"{CRASH_MARK}-{pkgs[1].name}".removesuffix(".zip")]
    assert [(d.category, d.file) for d in crashed.diagnostics] == [("input", None)]
    assert "意外终止" in crashed.diagnostics[0].message
    ref = {p.package.name: p for p in serial.packages}
    for src in (pkgs[0], pkgs[2]):
        name = src.name.removesuffix(".zip")
        assert diag_tuples(engine.RunResult(packages=[by_name[name]])) == diag_tuples(
            engine.RunResult(packages=[ref[name]])
        )


def test_python_error_in_one_package_is_reported(serial_round, tmp_path, monkeypatch):
    _, settings, _ = serial_round
    copy_round(tmp_path / "round", corpus_packages()[:1])

    def boom(*a, **k):
        raise RuntimeError("分类器出错")

    monkeypatch.setattr(engine, "lint_package", boom)
    stderr = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stderr)
    run = batch.run([tmp_path / "round"], settings, {"no_cache": True})
    [res] = run.packages
    assert [d.category for d in res.diagnostics] == ["input"]
    assert "RuntimeError" in res.diagnostics[0].message and "分类器出错" in res.diagnostics[0].message
    assert "Traceback" in stderr.getvalue()


def test_warm_cache_lints_nothing_and_sees_edits(serial_round, tmp_path, cache_dir, monkeypatch):
    _, settings, _ = serial_round
    copies = copy_round(tmp_path / "round", [p for p in corpus_packages() if p.is_dir()][:2])
    cold = batch.run([tmp_path / "round"], settings, {"jobs": 2})
    assert any(cache_dir.rglob("pkg/*/*")) and any(cache_dir.rglob("doc/*/*"))
    calls: list[str] = []
    real = engine.lint_package

    def counting(src, *a, **k):
        calls.append(src.name)
        return real(src, *a, **k)

    monkeypatch.setattr(engine, "lint_package", counting)
    warm = batch.run([tmp_path / "round"], settings, {"jobs": 1, "in_process": True})
    assert calls == []
    assert diag_tuples(warm) == diag_tuples(cold)
    # edit one document of the first package: only that package is linted again
    doc = next(f for f in sorted(copies[0].rglob("*")) if f.is_file())
    doc.write_bytes(doc.read_bytes() + b"\n")
    batch.run([tmp_path / "round"], settings, {"jobs": 1, "in_process": True})
    assert calls == [copies[0].name]


def test_a_pool_starts_only_for_what_the_cache_misses(serial_round, tmp_path, cache_dir, monkeypatch):
    """With 2 jobs each package is looked up as its turn comes: a warm round forks no worker, an edited
    package is the only one a worker lints, and the results equal the cold run's."""
    _, settings, _ = serial_round
    copies = copy_round(tmp_path / "round", [p for p in corpus_packages() if p.is_dir()][:3])
    submitted: list[str] = []

    class Recording(batch.ProcessPoolExecutor):
        def submit(self, fn, *args, **kwargs):
            submitted.append(args[0].name)
            return super().submit(fn, *args, **kwargs)

    monkeypatch.setattr(batch, "ProcessPoolExecutor", Recording)
    cold = batch.run([tmp_path / "round"], settings, {"jobs": 2})
    assert sorted(submitted) == sorted(c.name for c in copies)
    submitted.clear()
    warm = batch.run([tmp_path / "round"], settings, {"jobs": 2})
    assert submitted == []
    assert diag_tuples(warm) == diag_tuples(cold)
    doc = next(f for f in sorted(copies[1].rglob("*")) if f.is_file())
    doc.write_bytes(doc.read_bytes() + b"\n")
    batch.run([tmp_path / "round"], settings, {"jobs": 2})
    assert submitted == [copies[1].name]


def test_no_cache_writes_nothing(serial_round, tmp_path, cache_dir):
    _, settings, _ = serial_round
    copy_round(tmp_path / "round", corpus_packages()[:1])
    batch.run([tmp_path / "round"], settings, {"no_cache": True})
    assert not cache_dir.exists()


def test_corrupt_cache_entries_are_ignored(serial_round, tmp_path, cache_dir):
    _, settings, _ = serial_round
    copy_round(tmp_path / "round", corpus_packages()[:1])
    first = batch.run([tmp_path / "round"], settings, {})
    for entry in cache_dir.rglob("*"):
        if entry.is_file():
            entry.write_bytes(entry.read_bytes()[:20])
    again = batch.run([tmp_path / "round"], settings, {})
    assert diag_tuples(again) == diag_tuples(first)


def test_cross_package_hook_runs_before_waivers(serial_round, tmp_path, monkeypatch):
    import dossier_lint.duplicates as dup

    _, settings, _ = serial_round
    copy_round(tmp_path / "round", corpus_packages()[:2])
    seen = []

    def hook(run, s):
        seen.append([p.package.name for p in run.packages])
        first = run.packages[0]
        d = Rule(id="DL799", slug="cross", category="duplicate", severity="warning", kind="x",
                 message="与其他申报包重复").diag(key="x")
        first.diagnostics.append(d)

    monkeypatch.setattr(dup, "cross_package", hook, raising=False)
    finished = []
    monkeypatch.setattr(engine, "finish_result",
                        lambda res, diags, s: finished.append([d.rule for d in diags]) or setattr(res, "diagnostics", diags))
    run = batch.run([tmp_path / "round"], settings, {"no_cache": True, "jobs": 2})
    assert len(seen) == 1 and len(seen[0]) == 2
    assert "DL799" in finished[0]
    assert "DL799" in [d.rule for d in run.packages[0].diagnostics]


def test_progress_only_on_a_terminal(monkeypatch):
    class Tty(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(sys, "stderr", Tty())
    assert batch.show_progress({}) is True
    assert batch.show_progress({"no_progress": True}) is False
    monkeypatch.setenv("CI", "true")
    assert batch.show_progress({}) is False
    monkeypatch.delenv("CI")
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert batch.show_progress({}) is False


def test_cli_round_jobs_and_statistics(tmp_path, cache_dir):
    copy_round(tmp_path / "round", corpus_packages()[:3])
    code, out, err = run_cli("check", tmp_path / "round", "--profile", "nanchong", "--jobs", "2", "--statistics")
    assert code in (0, 1), err
    assert "共检查 3 个申报包" in out
    assert "检查申报包" not in err  # no progress bar in a pipe
    assert [ln.split("\t")[1] for ln in out.splitlines() if ln.count("\t") == 3]  # statistics table


@pytest.mark.parametrize("jobs", [0, -3])
def test_jobs_below_one_mean_one_per_cpu(serial_round, tmp_path, jobs):
    _, settings, _ = serial_round
    copy_round(tmp_path / "round", corpus_packages()[:2])
    run = batch.run([tmp_path / "round"], settings, {"jobs": jobs, "no_cache": True})
    assert len(run.packages) == 2


def test_exit_code_levels():
    from helpers import synthetic_run

    run, settings = synthetic_run()  # 3 errors, 5 warnings, 1 info (+3 waived)
    assert engine.exit_code(run, settings) == 1
    for res in run.packages:
        res.diagnostics = [d for d in res.diagnostics if d.severity != "error"]
    assert engine.exit_code(run, replace(settings, fail_on="error")) == 0
    assert engine.exit_code(run, replace(settings, fail_on="warning")) == 1
    assert engine.exit_code(run, replace(settings, max_warnings=5)) == 0
    assert engine.exit_code(run, replace(settings, max_warnings=4)) == 1
    for res in run.packages:
        res.diagnostics = [d for d in res.diagnostics if d.severity == "info"]
    assert engine.exit_code(run, replace(settings, fail_on="warning")) == 0
    assert engine.exit_code(run, replace(settings, fail_on="info")) == 1


def test_cli_exit_options(cache_dir):
    import json

    pkg = next(p for p in corpus_packages() if p.is_dir())
    code, out, err = run_cli("check", pkg, "--profile", "nanchong", "--format", "json")
    report = json.loads(out)
    diags = report["packages"][0]["diagnostics"]
    assert code == (1 if any(d["severity"] == "error" for d in diags) else 0), err
    assert run_cli("check", pkg, "--profile", "nanchong", "--exit-zero")[0] == 0
    warn_rules = sorted({d["rule"] for d in diags if d["severity"] == "warning"})
    if not warn_rules:  # pick a package that has warnings
        pytest.fail(f"{pkg.name} has no warning to test --max-warnings with")
    rule = warn_rules[0]
    n = sum(1 for d in diags if d["rule"] == rule)
    only = ("check", pkg, "--profile", "nanchong", "--select", rule)
    assert run_cli(*only)[0] == 0
    assert run_cli(*only, "--fail-on", "warning")[0] == 1
    assert run_cli(*only, "--max-warnings", str(n))[0] == 0
    assert run_cli(*only, "--max-warnings", str(n - 1))[0] == 1
    assert run_cli(*only, "--fail-on", "warning", "--exit-zero")[0] == 0
    # a usage error is not hidden by --exit-zero
    assert run_cli("check", pkg, "--profile", "no-such-pack", "--exit-zero")[0] == 2
