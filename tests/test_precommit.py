"""The pre-commit hook: changed files -> their packages; the real `pre-commit` tool running our manifest."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from dossier_lint.precommit import package_roots
from helpers import ROOT, check_round, copy_round

MANIFEST = ROOT / ".pre-commit-hooks.yaml"


def _touch(root: Path, *names: str) -> None:
    for n in names:
        p = root / n
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(b"%PDF-1.4\n")


def test_files_map_to_their_packages_once(tmp_path):
    _touch(
        tmp_path,
        "2024-04/南充市智慧城管系统建设项目/申报表.xlsx",
        "2024-04/南充市智慧城管系统建设项目/01 可研报告/可研报告.pdf",
        "2024-04/南充市智慧城管系统建设项目/01 可研报告/附件/批复.pdf",
        "2024-04/南充市政务云运维服务项目/申报表.xlsx",
        "2024-04/南充市数据共享平台升级项目.zip",
        "README.md",
    )
    files = [
        Path("2024-04/南充市智慧城管系统建设项目/01 可研报告/可研报告.pdf"),
        Path("2024-04/南充市智慧城管系统建设项目/01 可研报告/附件/批复.pdf"),
        Path("2024-04/南充市智慧城管系统建设项目/申报表.xlsx"),
        Path("2024-04/南充市政务云运维服务项目/申报表.xlsx"),
        Path("2024-04/南充市数据共享平台升级项目.zip"),
        Path("2024-04/不存在.pdf"),  # deleted: nothing to lint
    ]
    assert package_roots(files, tmp_path) == [
        Path("2024-04/南充市政务云运维服务项目"),
        Path("2024-04/南充市数据共享平台升级项目.zip"),
        Path("2024-04/南充市智慧城管系统建设项目"),
    ]


def test_zip_inside_a_package_is_part_of_it(tmp_path):
    _touch(tmp_path, "项目甲/申报表.pdf", "项目甲/附件.zip", "项目乙/申报表.pdf")
    assert package_roots([Path("项目甲/附件.zip")], tmp_path) == [Path("项目甲")]


def test_documents_at_the_repository_root_make_it_the_package(tmp_path):
    _touch(tmp_path, "申报表.pdf", "可研报告.pdf", "附件/批复.pdf")
    assert package_roots([Path("申报表.pdf"), Path("附件/批复.pdf")], tmp_path) == [Path(".")]


def test_hidden_folders_are_not_packages(tmp_path):
    _touch(tmp_path, "项目甲/申报表.pdf", "项目乙/申报表.pdf", ".trash/项目丙/申报表.pdf")
    assert package_roots([Path(".trash/项目丙/申报表.pdf")], tmp_path) == []


def test_manifest_is_valid_for_pre_commit():
    proc = subprocess.run([sys.executable, "-m", "pre_commit", "validate-manifest", str(MANIFEST)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    hook = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))[0]
    assert hook["id"] == "dossier-lint"
    assert hook["verbose"] is True and hook["require_serial"] is True
    assert "--from-files" in hook["entry"]


def _sample_round(dest: Path) -> tuple[Path, Path, list[str]]:
    """Copy two corpus folder packages, one to pass and one to fail: the one with the fewest errors
    passes once its error rules are ignored (none, when it has no error), the other keeps an error."""
    code, text, err = check_round("--format", "json")
    assert code in (0, 1), err
    folders = [p for p in json.loads(text)["packages"] if Path(p["path"]).is_dir()]

    def errors(p: dict) -> set[str]:
        return {d["rule"] for d in p["diagnostics"] if d["severity"] == "error"}

    good = min((p for p in folders if any(d["severity"] == "warning" for d in p["diagnostics"])),
               key=lambda p: (len(errors(p)), p["name"]))
    ignore = sorted(errors(good))
    bad = next(p for p in folders if p is not good and errors(p) - set(ignore))
    bad_copy, good_copy = copy_round(dest, [Path(bad["path"]), Path(good["path"])])
    return bad_copy, good_copy, ignore


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_real_pre_commit_run_lints_changed_packages(tmp_path):
    """`pre-commit run` in a fresh git repository, with our manifest's hook as a local hook (`language:
    system`: the python language would pip-install the project and its dependencies from the network)."""
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    _git(repo, "config", "user.email", "t@example.com")
    _git(repo, "config", "user.name", "t")
    bad, good, ignore = _sample_round(repo / "round")
    hook = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))[0]
    hook["language"] = "system"
    # as a Nanchong project's config would say (and, while the corpus has no error-free package, the
    # passing package's error rules switched off)
    hook["args"] = ["--profile", "nanchong"] + [a for r in ignore for a in ("--ignore", r)]
    config = {"repos": [{"repo": "local", "hooks": [hook]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    env = dict(os.environ)
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pc-home")
    env["DOSSIER_LINT_CACHE_DIR"] = str(tmp_path / "cache")
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env.pop("CI", None)
    _git(repo, "add", "-A")
    proc = subprocess.run([sys.executable, "-m", "pre_commit", "run", "--color", "never"], cwd=repo,
                          capture_output=True, text=True, env=env, timeout=300)
    out = proc.stdout + proc.stderr
    assert "dossier-lint（政务信息化项目申报材料检查）" in out
    # each package linted once, as a whole
    assert out.count(f"== {bad.name}") == 1, out
    assert out.count(f"== {good.name}") == 1, out
    assert "共检查 2 个申报包" in out
    assert proc.returncode == 1, out  # the bad package has errors
    # only the good package changes: the hook lints it alone, passes, and still shows its warnings
    _git(repo, "commit", "-q", "--no-verify", "-m", "x")
    target = next(p for p in sorted(good.rglob("*")) if p.is_file())
    target.write_bytes(target.read_bytes())  # touch only
    os.utime(target)
    _git(repo, "add", "-A")
    proc = subprocess.run([sys.executable, "-m", "pre_commit", "run", "--files", str(target.relative_to(repo)),
                           "--color", "never"], cwd=repo, capture_output=True, text=True, env=env, timeout=300)
    out = proc.stdout + proc.stderr
    assert "共检查 1 个申报包" in out, out
    assert f"== {good.name}" in out and bad.name not in out
    assert proc.returncode == 0, out
    assert "Passed" in out and " warning " in out, out  # verbose: the warnings show on a pass
