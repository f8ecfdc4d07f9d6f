"""A reader that dies hard (a segfault in a C library) in one worker of `--jobs 2` costs that package
only: the CLI still reports every other package exactly as without the crash, and the crashed one with
an `input` finding, exit 1, no traceback.

The crash is real: `DOSSIER_LINT_TEST_CRASH_ON=<file name>` (a test hook in batch.py's worker set-up)
makes the worker reading that file send itself SIGSEGV.
"""

from __future__ import annotations

import json
import os
import shutil

import pytest

from helpers import PACKAGES, run_isolated

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGSEGV / process groups")

VICTIM = "04_政务信息资源目录.xlsx"  # only in nanchong-zhcg-complete
PACKAGES_USED = ["nanchong-forbidden", "nanchong-zhcg-complete", "taixing-service-purchase", "chenzhou-new-build.zip"]


@pytest.fixture(scope="module")
def round_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("crash") / "round"
    d.mkdir()
    for name in PACKAGES_USED:
        src = PACKAGES / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, d / name)
    return d


def _rows(report: dict) -> dict[str, list[tuple]]:
    return {p["name"]: sorted((d["rule"], d["file"], json.dumps(d["location"], sort_keys=True), d["message"])
                              for d in p["diagnostics"]) for p in report["packages"]}


@pytest.fixture(scope="module")
def reference(round_dir):
    res = run_isolated("check", round_dir, "--format", "json", "--jobs", "2", "--profile", "nanchong",
                       "--no-cache", timeout=300)
    assert res.code == 1, res.stderr
    return _rows(res.json())


def test_a_worker_segfault_costs_only_its_package(round_dir, reference):
    res = run_isolated("check", round_dir, "--format", "json", "--jobs", "2", "--profile", "nanchong",
                       "--no-cache", env={"DOSSIER_LINT_TEST_CRASH_ON": VICTIM}, timeout=300)
    assert not res.timed_out
    assert res.code == 1, (res.code, res.stderr[-3000:])
    assert "Traceback" not in res.stderr
    got = _rows(res.json())
    assert sorted(got) == sorted(reference)  # every package reported, in its place
    crashed = [p for p in res.json()["packages"] if p["name"] == "nanchong-zhcg-complete"][0]
    assert [(d["category"], d["file"]) for d in crashed["diagnostics"]] == [("input", None)]
    assert "意外终止" in crashed["diagnostics"][0]["message"]
    for name, rows in reference.items():
        if name != "nanchong-zhcg-complete":
            assert got[name] == rows, name


def test_the_hook_is_inert_without_a_match(round_dir, reference):
    # near miss: a name no package holds changes nothing
    res = run_isolated("check", round_dir, "--format", "json", "--jobs", "2", "--profile", "nanchong",
                       "--no-cache", env={"DOSSIER_LINT_TEST_CRASH_ON": "no-such-file.pdf"}, timeout=300)
    assert res.code == 1 and _rows(res.json()) == reference


def test_crashed_package_is_not_cached(round_dir, tmp_path):
    """A crash is not a property of the files: the next run (without the crash) lints the package."""
    cache = tmp_path / "cache"
    env = {"DOSSIER_LINT_CACHE_DIR": str(cache)}
    first = run_isolated("check", round_dir, "--format", "json", "--jobs", "2", "--profile", "nanchong",
                         env={**env, "DOSSIER_LINT_TEST_CRASH_ON": VICTIM}, timeout=300)
    assert first.code == 1
    second = run_isolated("check", round_dir, "--format", "json", "--jobs", "2", "--profile", "nanchong",
                          env=env, timeout=300)
    pkg = [p for p in second.json()["packages"] if p["name"] == "nanchong-zhcg-complete"][0]
    assert not any("意外终止" in d["message"] for d in pkg["diagnostics"])
    assert len(pkg["documents"]) == 8
