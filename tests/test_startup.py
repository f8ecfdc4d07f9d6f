"""Start-up stays light: a heavy library is imported only when a document that needs it is read.

Behavioural, not timed (timings live in bench/bench.py): each case runs the real CLI in a fresh
interpreter and looks at `sys.modules` afterwards. `--version`, `rules`, `explain` and `show-settings`
must load none of the reading / matching libraries; `check` loads lxml for a .docx, pypdfium2 for a
.pdf (pdfplumber only when a page holds a ruled table), python-calamine for a .xlsx, and nothing else.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from helpers import PACKAGES
from readers_helpers import PdfPage, make_pdf

HEAVY = {"pdfplumber", "pdfminer", "pypdfium2", "openpyxl", "python_calamine", "docx", "lxml", "jieba", "rapidfuzz",
         "numpy", "PIL"}

# Runs the CLI in-process in a fresh interpreter, then prints what got imported as the last line.
_PROBE = r"""
import contextlib, io, json, sys
sys.argv = ["dossier-lint", *json.loads(sys.argv[1])]
from dossier_lint.cli import main
out = io.StringIO()
code = None
try:
    with contextlib.redirect_stdout(out):
        main()
except SystemExit as e:
    code = e.code
report = {"code": code, "out": out.getvalue(),
          "top": sorted({m.split(".")[0] for m in sys.modules}),
          "ours": sorted(m for m in sys.modules if m.startswith("dossier_lint"))}
sys.__stdout__.write("\n" + json.dumps(report, ensure_ascii=False) + "\n")
"""


def probe(tmp_path: Path, *args: str | Path) -> dict[str, Any]:
    env = dict(os.environ, DOSSIER_LINT_CACHE_DIR=str(tmp_path / "cache"), CI="1")
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps([str(a) for a in args])],
        capture_output=True, text=True, encoding="utf-8", env=env, cwd=tmp_path, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    report["heavy"] = sorted(HEAVY & set(report["top"]))
    return report


@pytest.mark.parametrize(
    "argv",
    [
        ["--version"],
        ["--help"],
        ["rules"],
        ["rules", "--format", "json"],
        ["rules", "--profile", "nanchong"],
        ["explain", "DL101"],
        ["show-settings"],
        ["check", "--help"],
    ],
)
def test_commands_that_read_no_document_import_no_heavy_library(tmp_path: Path, argv: list[str]) -> None:
    r = probe(tmp_path, *argv)
    assert r["code"] == 0, r["out"]
    assert r["out"].strip()  # the command did its job (and still imported nothing heavy)
    assert r["heavy"] == []


def test_version_does_not_even_load_the_rules_or_the_pipeline(tmp_path: Path) -> None:
    r = probe(tmp_path, "--version")
    assert "0." in r["out"] or "1." in r["out"]
    loaded = set(r["ours"])
    for module in ("dossier_lint.engine", "dossier_lint.kinds", "dossier_lint.packs", "dossier_lint.readers",
                   "dossier_lint.config", "dossier_lint.batch"):
        assert module not in loaded


def test_rules_lists_every_rule_without_reading_libraries(tmp_path: Path) -> None:
    r = probe(tmp_path, "rules", "--format", "json")
    data = json.loads(r["out"])
    assert len(data["rules"]) > 50 and any(rule["id"] == "DL101" for rule in data["rules"])
    assert r["heavy"] == []


def _package(tmp_path: Path, files: dict[str, bytes | Path]) -> Path:
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    for name, content in files.items():
        if isinstance(content, Path):
            shutil.copyfile(content, pkg / name)
        else:
            (pkg / name).write_bytes(content)
    return pkg


def _check(tmp_path: Path, pkg: Path) -> dict[str, Any]:
    r = probe(tmp_path, "check", pkg, "--format", "json", "--no-cache")
    assert r["code"] in (0, 1), r["out"]
    r["report"] = json.loads(r["out"])
    return r


def test_docx_package_loads_lxml_only(tmp_path: Path) -> None:
    src = PACKAGES / "nanchong-zhcg-complete"
    pkg = _package(tmp_path, {
        "政务云需求方案.docx": src / "05_政务云需求方案.docx",
        "南充市市级政务信息化项目备案审查表.docx": src / "01_南充市市级政务信息化项目备案审查表.docx",
    })
    r = _check(tmp_path, pkg)
    docs = r["report"]["packages"][0]["documents"]
    assert sorted((d["format"], d["status"]) for d in docs) == [("docx", "ok"), ("docx", "ok")]
    assert {d["kind"] for d in docs} == {"cloud_plan", "application_form"}
    # the docx reader is a raw lxml walk: no python-docx, and nothing a PDF or a sheet would need
    assert "lxml" in r["heavy"]
    assert not {"docx", "pdfplumber", "pdfminer", "pypdfium2", "python_calamine", "openpyxl", "jieba"} & set(r["heavy"])


def test_xlsx_package_loads_calamine_not_openpyxl(tmp_path: Path) -> None:
    src = PACKAGES / "nanchong-zhcg-complete"
    pkg = _package(tmp_path, {"项目概算表.xlsx": src / "08_项目概算表.xlsx"})
    r = _check(tmp_path, pkg)
    docs = r["report"]["packages"][0]["documents"]
    assert [(d["format"], d["status"], d["kind"]) for d in docs] == [("xlsx", "ok", "budget_sheet")]
    assert "python_calamine" in r["heavy"]
    assert not {"openpyxl", "numpy", "pdfplumber", "pypdfium2", "docx", "jieba"} & set(r["heavy"])


def test_pdf_without_ruled_tables_never_starts_pdfplumber(tmp_path: Path) -> None:
    pdf = make_pdf([
        PdfPage(lines=["南充市某某系统项目实施方案", "第一章 项目概况", "本项目建设内容为数据共享交换与业务协同。"]),
        PdfPage(lines=["第二章 建设内容", "建设统一的数据共享交换平台，实现与市级平台对接。"]),
    ])
    r = _check(tmp_path, _package(tmp_path, {"项目实施方案.pdf": pdf}))
    docs = r["report"]["packages"][0]["documents"]
    assert [(d["format"], d["status"], d["pages"]) for d in docs] == [("pdf", "ok", 2)]
    assert "pypdfium2" in r["heavy"]
    assert not {"pdfplumber", "pdfminer", "openpyxl", "python_calamine", "docx", "jieba"} & set(r["heavy"])


def test_pdf_with_a_ruled_table_starts_pdfplumber(tmp_path: Path) -> None:
    # near miss of the case above: a ruled table is exactly what pdfplumber is for
    pdf = make_pdf([
        PdfPage(lines=["南充市某某系统项目实施方案", "第一章 投资估算"],
                table=[["序号", "费用名称", "金额（万元）"], ["1", "软件开发费", "120.00"], ["2", "硬件购置费", "80.00"]]),
    ])
    r = _check(tmp_path, _package(tmp_path, {"项目实施方案.pdf": pdf}))
    docs = r["report"]["packages"][0]["documents"]
    assert [(d["format"], d["status"]) for d in docs] == [("pdf", "ok")]
    assert {"pypdfium2", "pdfplumber"} <= set(r["heavy"])
    assert not {"openpyxl", "python_calamine", "docx", "jieba"} & set(r["heavy"])
