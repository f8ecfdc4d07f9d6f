"""A catalog whose index is already on disk is not loaded up front: a warm round never needs it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from helpers import CORPUS, PACKAGES, run_cli


def test_a_warm_run_does_not_load_the_catalog_index(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    from dossier_lint.duplicates import index

    catalog = tmp_path / "systems.csv"
    shutil.copy(CORPUS / "catalog" / "nanchong-systems.csv", catalog)
    pkg = PACKAGES / "nanchong-zhcg-complete"
    monkeypatch.setenv("DOSSIER_LINT_CACHE_DIR", str(tmp_path / "cache"))
    args = ("check", pkg, "--profile", "nanchong", "--catalog", catalog, "--format", "json")
    index._MEMO.clear()  # an earlier test's index of the same catalog must not spare this run its disk write
    code, first, err = run_cli(*args)
    assert code in (0, 1), err
    index._MEMO.clear()  # as a new process would start

    def no_load(*a, **k):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("the index was loaded although every result is cached")

    monkeypatch.setattr(index, "load_index", no_load)
    code, second, err = run_cli(*args)
    assert code in (0, 1), err
    assert json.loads(second) == json.loads(first)


def test_a_changed_catalog_is_validated_again(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    catalog = tmp_path / "systems.csv"
    shutil.copy(CORPUS / "catalog" / "nanchong-systems.csv", catalog)
    monkeypatch.setenv("DOSSIER_LINT_CACHE_DIR", str(tmp_path / "cache"))
    args = ("check", PACKAGES / "nanchong-zhcg-complete", "--profile", "nanchong", "--catalog", catalog)
    assert run_cli(*args)[0] in (0, 1)
    catalog.write_text("部门,备注\n市城管局,没有系统名称列\n", encoding="utf-8")
    code, _, err = run_cli(*args)
    assert code == 2 and "系统名称" in err
