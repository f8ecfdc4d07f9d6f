"""dossier-lint performance benchmark (start-up, a big package, a review round, growth, duplicates).

Start-up; one big package cold / warm / against the libraries' own floor / by stage; a review round with
1 and 2 jobs and warm; growth with size; the duplicates engineer's catalog figures.

    python bench/bench.py [--quick] [--json out.json] [--repeat N] [--workdir DIR] [--only a,b]

Everything it needs is generated in a temp dir (or --workdir, kept and reused): a big package built with
corpus/build.py's writers (two PDFs of 300 + 80 pages with ruled tables, a form, two plans, a 2,000-row
resource catalog and a budget sheet: 7 documents, 380 PDF pages), the same package at 1/4 and 1/2 size,
and a 60-package round copied from corpus/packages (each copy's bytes made distinct, so the content-keyed
cache cannot share readings between copies). Every figure is a fresh process (start-up included),
repeated; the median is reported, with the fastest run where noise matters. CPU time (user + sys, the
process and its workers) and peak RSS (the largest single process) come from os.wait4 in a small
launcher. CPU time is the figure to compare on a shared machine: wall time moves with whatever else
runs (the load average is recorded, and the round section measures the machine's own 2-process ceiling).
The code under test is a frozen copy of src/ and checks/ (the cache keys hash the code; others editing
the tree must not turn warm runs cold), run with bytecode compiled to a private pycache (as an installed
wheel has it; this sandbox sets PYTHONDONTWRITEBYTECODE). Linux / macOS (fork, wait4).

The floor is what the libraries alone need to get the same text out of the same files, in one fresh
process: pypdfium2 text of every page + pdfplumber tables on exactly the pages that hold ruled tables
(found beforehand, not timed), python-calamine rows of every sheet, lxml over word/document.xml.
Alternative ways (openpyxl read-only, python-docx paragraphs) are timed too, for reference.

Sections (--only): startup, package, stages, round, growth, duplicates. A benchmark, not a test:
it prints what it measures and never fails on a figure.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
PROFILE = "nanchong"
HEAVY = ("pdfplumber", "pdfminer", "openpyxl", "jieba", "rapidfuzz", "pypdfium2", "lxml", "docx",
         "python_calamine", "numpy")


# ---------------------------------------------------------------------------------------------------
# running things


@dataclass
class Proc:
    wall: float
    cpu: float  # user + sys of the process and every child it waited for
    rss_mb: float  # peak RSS of the largest process of the tree
    rc: int
    out: str
    err: str


# Runs a command and reports its wall time, CPU time (with its waited-for children) and peak RSS. A small
# launcher of its own, because Linux carries the RSS high-water mark of the process that forks into the
# child's ru_maxrss across exec: forked straight from this (large) script, every child would report at
# least this script's size.
_LAUNCH = r"""
import json, os, sys, time
cmd, report = json.loads(sys.argv[1]), sys.argv[2]
t = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(cmd[0], cmd)
    finally:
        os._exit(127)
_, status, ru = os.wait4(pid, 0)
wall = time.perf_counter() - t
with open(report, "w") as fh:
    json.dump({"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "rss_kb": ru.ru_maxrss,
               "rc": os.waitstatus_to_exitcode(status)}, fh)
"""


class Runner:
    """Fresh processes of the frozen code, bytecode in a private pycache, caches where we say."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.code = work / "code"
        if self.code.exists():
            shutil.rmtree(self.code)
        shutil.copytree(ROOT / "src", self.code / "src", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copytree(ROOT / "checks", self.code / "checks")
        self.pycache = work / "pycache"
        self.env = dict(os.environ, CI="1", PYTHONPYCACHEPREFIX=str(self.pycache))
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.env["PYTHONPATH"] = str(self.code / "src") + os.pathsep + self.env.get("PYTHONPATH", "")
        self.env["DOSSIER_LINT_CACHE_DIR"] = str(work / "cache-default")
        # compile everything once, so the first timed run is not the one that writes bytecode
        self.run([sys.executable, "-c", "import dossier_lint.cli, dossier_lint.engine, dossier_lint.kinds, "
                  "dossier_lint.batch, dossier_lint.report, dossier_lint.readers.pdf, dossier_lint.readers.docx, "
                  "dossier_lint.readers.xlsx, dossier_lint.duplicates, pdfplumber, openpyxl, docx, jieba, rapidfuzz"])

    def run(self, cmd: list[str], cache: Path | None = None) -> Proc:
        env = dict(self.env)
        if cache is not None:
            env["DOSSIER_LINT_CACHE_DIR"] = str(cache)
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
                tempfile.NamedTemporaryFile("r", suffix=".json") as rep:
            p = subprocess.run([sys.executable, "-c", _LAUNCH, json.dumps(cmd), rep.name], stdout=out, stderr=err,
                               stdin=subprocess.DEVNULL, env=env, cwd=self.work)
            out.seek(0)
            err.seek(0)
            o, e = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
            try:
                m = json.load(rep)
            except ValueError:
                return Proc(0.0, 0.0, 0.0, p.returncode or 127, o, e)
            return Proc(m["wall"], m["cpu"], m["rss_kb"] / 1024, m["rc"], o, e)

    def lint(self, args: list[str], cache: Path | None = None) -> Proc:
        return self.run([sys.executable, "-m", "dossier_lint", *args], cache)

    def py(self, code: str, *args: str, cache: Path | None = None) -> Proc:
        return self.run([sys.executable, "-c", code, *args], cache)


def median_of(n: int, fn) -> dict[str, Any]:  # noqa: ANN001
    """Run fn() n times (each a Proc): median and fastest wall, median cpu, max rss, every wall."""
    return summarise([fn() for _ in range(n)])


def _spin(n: int) -> int:
    s = 0
    for i in range(n):
        s += i * i
    return s


def machine_parallelism(n: int = 4_000_000) -> float:
    """What two processes gain over one on a pure-Python CPU loop right now: the ceiling for any
    2-job speed-up on this machine at this moment (≈ 2.0 on two idle cores, ≈ 1.0 when another
    process holds a core)."""
    from concurrent.futures import ProcessPoolExecutor

    walls = {}
    for jobs in (1, 2):
        with ProcessPoolExecutor(jobs) as ex:
            list(ex.map(_spin, [1000] * jobs))  # start the workers before timing
            t = time.perf_counter()
            list(ex.map(_spin, [n] * 4))
            walls[jobs] = time.perf_counter() - t
    return round(walls[1] / walls[2], 2)


def load_avg() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


# ---------------------------------------------------------------------------------------------------
# inputs


def _build():  # noqa: ANN202
    sys.path.insert(0, str(CORPUS))
    import build  # noqa: E402  (corpus/build.py)

    return build


def font_ok() -> bool:
    build = _build()
    return Path(build.FONT_PATH).is_file() and Path(build.LATIN_FONT_PATH).is_file()


def _filler_paragraphs(specs: list[list[tuple]]) -> list[str]:
    seen: list[str] = []
    for spec in specs:
        for it in spec:
            if it[0] == "p" and len(it[1]) >= 40 and it[1] not in seen:
                seen.append(it[1])
    return seen


CHARS_PER_PAGE = 1150  # text layer characters per page of build.write_pdf's layout, tables included
# a ruled table every 14th subsection: about one page in five holds a table, as in the 308-page report of
# performance-notes.md (62 table pages)
TABLE_EVERY = 14


def _grow(spec: list[tuple], pages: int, paras: list[str], tag: str, factor: float = 1.0) -> list[tuple]:
    """Spread extra subsections over the chapters of `spec` until it holds about `pages` pages:
    prose drawn from the corpus and a ruled table every TABLE_EVERY-th one."""
    chapters = [i for i, it in enumerate(spec) if it[0] == "h1"] or [len(spec) - 1]
    need_chars = pages * CHARS_PER_PAGE
    have = sum(len(it[1]) for it in spec if it[0] == "p")
    per_sub = 3
    table_chars = 10 * 45 // TABLE_EVERY
    sub_chars = per_sub * statistics.mean(len(p) for p in paras) + 20 + table_chars
    subs_total = max(0, int((need_chars - have) / sub_chars * factor))
    per_chapter = subs_total // len(chapters) + 1
    out: list[tuple] = []
    k = 0
    bounds = chapters[1:] + [len(spec)]
    start = 0
    for ch_no, end in enumerate(bounds, start=1):
        out.extend(spec[start:end])
        start = end
        for s in range(per_chapter):
            if k >= subs_total:
                break
            out.append(("h2", f"{ch_no}.{90 + s} {tag}补充说明（{s + 1}）"))
            for j in range(per_sub):
                out.append(("p", paras[(k * per_sub + j) % len(paras)]))
            if k % TABLE_EVERY == 0:
                out.append(("table", [["序号", "事项", "内容", "责任单位", "完成时限"]]
                            + [[str(r), f"事项{r}", paras[(k + r) % len(paras)][:24], "项目建设单位",
                                f"2024年{r}月"] for r in range(1, 11)]))
            k += 1
    return out


def _pdf_of_pages(path: Path, spec: list[tuple], pages: int, paras: list[str], tag: str) -> int:
    """Write the grown spec; rebuild (at most twice) until the page count is within 3 % of `pages`."""
    build = _build()
    base = len(build.pdf_text(build.pdf_bytes(spec)))  # pages of the spec as the corpus has it
    factor = 1.0
    n = 0
    for _ in range(3):
        build.write_pdf(path, _grow(spec, pages, paras, tag, factor))
        n = len(build.pdf_text(path.read_bytes()))
        if abs(n - pages) <= max(1, pages * 0.03):
            break
        factor *= max(pages - base, 1) / max(n - base, 1)
    return n


def make_big_package(dest: Path, scale: float = 1.0) -> dict[str, Any]:
    """The 7-document package: 可研 PDF (300 pages × scale), 初设 PDF (80 × scale), 备案审查表, 政务云需求方案
    and 等级保护方案 (.docx), 信息资源目录 (2,000 × scale rows) and 项目概算表 (.xlsx)."""
    build = _build()
    from corpus_text import nanchong_zhcg as z
    from corpus_text.common import (
        budget_sheets,
        catalog_sheets,
        cloud_plan_spec,
        nanchong_form,
        protection_plan_spec,
    )

    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    fs, ds = z.feasibility_spec(), z.design_spec()
    paras = _filler_paragraphs([fs, ds, cloud_plan_spec(z.P), protection_plan_spec(z.P)])
    build.write_docx(dest / "01_南充市市级政务信息化项目备案审查表.docx", nanchong_form(z.P))
    _pdf_of_pages(dest / "02_南充市智慧城管综合平台（二期）可行性研究报告.pdf", fs, round(300 * scale), paras, "可研")
    _pdf_of_pages(dest / "03_南充市智慧城管综合平台（二期）初步设计方案.pdf", ds, round(80 * scale), paras, "设计")
    n_rows = round(2000 * scale)
    entries = [(e[0], f"{e[1]}（{i + 1}）", *e[2:]) for i, e in
               ((i, z.CATALOG[i % len(z.CATALOG)]) for i in range(n_rows))]
    sheets, merges, extra = catalog_sheets(z.P, entries)
    build.write_xlsx(dest / "04_政务信息资源目录.xlsx", sheets, merges, **extra)
    build.write_docx(dest / "05_政务云需求方案.docx", cloud_plan_spec(z.P), styled_headings=False)
    build.write_docx(dest / "06_网络安全等级保护方案.docx", protection_plan_spec(z.P), localised_style_ids=True)
    sheets, merges, extra = budget_sheets(z.P, z.CATS, z.RESERVE, funding_rows=[
        ("本级财政", z.P.total, "市本级财政资金，纳入2024年度市级政务信息化项目预算")])
    build.write_xlsx(dest / "07_项目概算表.xlsx", sheets, merges, **extra)
    return describe_package(dest)


def describe_package(pkg: Path) -> dict[str, Any]:
    import pypdfium2 as pdfium

    files = sorted(p for p in pkg.rglob("*") if p.is_file())
    pages = 0
    for f in files:
        if f.suffix == ".pdf":
            d = pdfium.PdfDocument(f.read_bytes())
            pages += len(d)
            d.close()
    return {"documents": len(files), "pdf_pages": pages, "bytes": sum(f.stat().st_size for f in files)}


def table_pages(pdf: Path) -> list[int]:
    """1-based pages where pdfplumber finds a table of ≥ 2 rows and ≥ 2 columns (the floor's oracle)."""
    import pdfplumber

    out = []
    with pdfplumber.open(pdf) as pl:
        for page in pl.pages:
            if any(len(t.rows) >= 2 for t in page.find_tables()):
                out.append(page.page_number)
            page.flush_cache()
    return out


def make_round(dest: Path, n: int) -> Path:
    """`n` packages copied round-robin from corpus/packages (bench_batch.py's make_round), each copy's
    files made byte-distinct (see _unique_bytes)."""
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_batch import make_round as _make_round

    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for pkg in _make_round(CORPUS / "packages", n, dest):
        _uniquify(pkg, pkg.name)
    return dest


def _SameName(info):  # noqa: ANN001, ANN202, N802
    """A copy of `info` that writes its name back as the bytes it was read from (GBK names of Windows
    zips carry no UTF-8 flag; zipfile would otherwise re-encode them as UTF-8)."""
    import zipfile

    class _Info(zipfile.ZipInfo):
        def _encodeFilenameFlags(self) -> tuple[bytes, int]:  # noqa: N802 (zipfile's private hook)
            if self.flag_bits & 0x800:
                return self.filename.encode("utf-8"), self.flag_bits
            return self.filename.encode("cp437"), self.flag_bits

    new = _Info(info.filename, info.date_time)
    for attr in ("compress_type", "comment", "extra", "create_system", "external_attr", "internal_attr", "flag_bits"):
        setattr(new, attr, getattr(info, attr))
    return new


def _unique_bytes(name: str, data: bytes, tag: str) -> bytes:
    """The same document with different bytes, so the content-keyed cache cannot share readings between
    the copies of a round (real packages do not share files): a comment after a PDF's %%EOF, a zip
    comment on OOXML files, members rewritten inside a package zip. Anything else is left as it is."""
    import io
    import zipfile

    low = name.lower()
    if low.endswith(".pdf") and data.startswith(b"%PDF"):
        return data + f"\n% {tag}\n".encode("utf-8", "replace")
    if low.endswith((".docx", ".xlsx", ".zip")) and data[:2] == b"PK":
        try:
            src = zipfile.ZipFile(io.BytesIO(data))
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w") as dst:
                for info in src.infolist():
                    body = src.read(info)
                    if low.endswith(".zip"):
                        body = _unique_bytes(info.filename, body, tag)
                    dst.writestr(_SameName(info), body)
                dst.comment = tag.encode("utf-8", "replace")[:60000]
            return out.getvalue()
        except Exception:  # a deliberately broken file stays broken, and identical
            return data
    return data


def _uniquify(path: Path, tag: str) -> None:
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    for f in files:
        f.write_bytes(_unique_bytes(f.name, f.read_bytes(), tag))


# ---------------------------------------------------------------------------------------------------
# child processes (run as `python bench/bench.py --_child WHAT ARGS`)


def child_floor(spec_json: str) -> dict[str, Any]:
    """The libraries alone on the package's files. Imports are timed apart from the work."""
    spec = json.loads(spec_json)
    t0 = time.perf_counter()
    import io
    import zipfile

    import pdfplumber
    import pypdfium2 as pdfium
    import python_calamine as pc
    from lxml import etree

    imports = time.perf_counter() - t0
    files: dict[str, float] = {}
    chars = 0
    w_t = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"
    w_p = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"
    for f in spec["files"]:
        t = time.perf_counter()
        data = Path(f["path"]).read_bytes()
        if f["path"].endswith(".pdf"):
            doc = pdfium.PdfDocument(data)
            for i in range(len(doc)):
                page = doc[i]
                tp = page.get_textpage()
                chars += len(tp.get_text_range())
                tp.close()
                page.close()
            doc.close()
            if f["table_pages"]:
                with pdfplumber.open(io.BytesIO(data), pages=f["table_pages"]) as pl:
                    for page in pl.pages:
                        for table in page.find_tables():
                            chars += sum(len(c or "") for row in table.extract() for c in row)
                        page.flush_cache()
        elif f["path"].endswith(".xlsx"):
            wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
            for name in wb.sheet_names:
                rows = wb.get_sheet_by_name(name).to_python()
                chars += sum(len(str(v)) for row in rows for v in row)
            wb.close()
        elif f["path"].endswith(".docx"):
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                xml = zf.read("word/document.xml")
            for _, el in etree.iterparse(io.BytesIO(xml), events=("end",), tag=w_p):
                chars += sum(len(t.text or "") for t in el.iter(w_t))
                el.clear()
        files[Path(f["path"]).name] = round(time.perf_counter() - t, 4)
    return {"imports": round(imports, 4), "work": round(sum(files.values()), 4), "files": files, "chars": chars}


def child_floor_alt(spec_json: str) -> dict[str, Any]:
    """The other obvious ways, for reference: openpyxl read-only rows, python-docx paragraphs + tables,
    pdfplumber text + tables on every page (the design card's way)."""
    spec = json.loads(spec_json)
    import io

    out: dict[str, float] = {}
    t = time.perf_counter()
    import docx
    import openpyxl
    import pdfplumber

    out["imports"] = round(time.perf_counter() - t, 4)
    for f in spec["files"]:
        data = Path(f["path"]).read_bytes()
        name = Path(f["path"]).name
        t = time.perf_counter()
        if name.endswith(".xlsx"):
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            for ws in wb.worksheets:
                for _row in ws.iter_rows(values_only=True):
                    pass
            wb.close()
            out[f"openpyxl read-only: {name}"] = round(time.perf_counter() - t, 4)
        elif name.endswith(".docx"):
            d = docx.Document(io.BytesIO(data))
            n = sum(len(p.text) for p in d.paragraphs)
            n += sum(len(c.text) for tb in d.tables for row in tb.rows for c in row.cells)
            out[f"python-docx: {name}"] = round(time.perf_counter() - t, 4)
        elif name.endswith(".pdf") and spec.get("pdfplumber_all"):
            with pdfplumber.open(io.BytesIO(data)) as pl:
                for page in pl.pages:
                    page.extract_text()
                    page.extract_tables()
                    page.flush_cache()
            out[f"pdfplumber text+tables, all pages: {name}"] = round(time.perf_counter() - t, 4)
    return out


def child_stages(pkg: str, profile: str, catalog: str, do_profile: str) -> dict[str, Any]:
    """One package through the engine in this process: engine timings (read / classify / facts /
    check:<category>), per-document read time, the round hook and the report renderers; optionally
    a cProfile of the whole, summarised by library."""
    import cProfile
    import pstats

    prof = cProfile.Profile() if do_profile == "1" else None
    t0 = time.perf_counter()
    if prof:
        prof.enable()
    from dossier_lint import config, discover, engine, report

    opts: dict[str, Any] = {"profile": profile}
    if catalog:
        opts["catalog"] = Path(catalog)
    settings = config.resolve_settings([Path(pkg)], opts)
    t1 = time.perf_counter()
    src = discover.find_packages(Path(pkg))[0]
    res = engine.lint_package(src, settings, {}, finish=False)
    t2 = time.perf_counter()
    run = engine.RunResult(packages=[res], settings=settings)
    try:
        from dossier_lint import duplicates

        duplicates.cross_package(run, settings)
    except Exception:
        pass
    t3 = time.perf_counter()
    engine.finish_result(res, res.diagnostics, settings)
    rendered: dict[str, float] = {}
    for fmt in ("text", "json", "sarif", "html"):
        t = time.perf_counter()
        try:
            mod = __import__("importlib").import_module(f"dossier_lint.report.{report.MODULES[fmt]}")
            render = getattr(mod, f"render_{fmt}", None) or mod.render
            render(run, settings, {"color": False})
        except Exception as exc:  # a renderer in progress must not stop the benchmark
            rendered[fmt] = -1.0
            print(f"report {fmt}: {exc!r}", file=sys.stderr)
            continue
        rendered[fmt] = round(time.perf_counter() - t, 4)
    if prof:
        prof.disable()
    out: dict[str, Any] = {
        "setup": round(t1 - t0, 4),
        "lint": round(t2 - t1, 4),
        "round_hook": round(t3 - t2, 4),
        "timings": {k: round(v, 4) for k, v in sorted(res.timings.items(), key=lambda kv: -kv[1])},
        "documents": [
            {"path": d.path, "format": d.format, "pages": d.pages, "blocks": len(d.blocks), "tables": len(d.tables),
             "status": d.status, "read_s": d.meta.get("read_seconds")}
            for d in res.package.documents
        ],
        "report": rendered,
        "diagnostics": len(res.diagnostics),
    }
    if prof:
        out["profile"] = summarise_profile(pstats.Stats(prof))
    return out


def summarise_profile(stats) -> dict[str, Any]:  # noqa: ANN001
    """Own time by library / our module, and the top functions by own time."""
    by: dict[str, float] = {}
    top = []
    for (filename, line, func), (_cc, _nc, tt, _ct, _callers) in stats.stats.items():
        if "dossier_lint" in filename:
            part = filename.split("dossier_lint/")[-1]
            group = "dossier_lint/" + (part.split("/")[0] if "/" in part else part)
        elif "site-packages/" in filename:
            group = filename.split("site-packages/")[-1].split("/")[0].removesuffix(".py")
        elif filename.startswith("<") or filename == "~":
            group = "builtins"
        else:
            group = "stdlib:" + Path(filename).stem
        by[group] = by.get(group, 0.0) + tt
        top.append((tt, f"{Path(filename).name}:{line}({func})"))
    total = sum(by.values()) or 1.0
    top.sort(reverse=True)
    return {
        "total_s": round(total, 3),
        "by_group": {k: round(v, 3) for k, v in sorted(by.items(), key=lambda kv: -kv[1])[:18]},
        "top_functions": [(name, round(tt, 3)) for tt, name in top[:20]],
    }


def child_imports(argv_json: str) -> dict[str, Any]:
    """Run the CLI in this process with argv; report which heavy modules got imported."""
    import contextlib
    import io

    argv = json.loads(argv_json)
    sys.argv = ["dossier-lint", *argv]
    from dossier_lint.cli import main

    code = 0
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            main()
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else 0
    heavy = sorted(m for m in sys.modules if m.split(".")[0] in HEAVY and "." not in m)
    ours = sorted(m for m in sys.modules if m.startswith("dossier_lint"))
    return {"exit": code, "heavy": heavy, "modules": len(sys.modules), "dossier_lint_modules": ours}


def child_round_memory(path: str, jobs: str) -> dict[str, Any]:
    """A round through batch.run in this process: the parent's own peak RSS apart from the workers'."""
    import resource

    from dossier_lint import batch, config

    settings = config.resolve_settings([Path(path)], {"profile": PROFILE})
    t = time.perf_counter()
    run = batch.run([Path(path)], settings, {"jobs": int(jobs), "no_cache": True})
    return {
        "packages": len(run.packages),
        "seconds": round(time.perf_counter() - t, 3),
        "parent_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "worker_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
    }


CHILDREN = {"round-memory": child_round_memory, "floor": child_floor, "floor-alt": child_floor_alt, "stages": child_stages, "imports": child_imports}


# ---------------------------------------------------------------------------------------------------
# measures


def child(r: Runner, what: str, *args: str, cache: Path | None = None) -> tuple[Proc, dict[str, Any]]:
    p = r.run([sys.executable, str(Path(__file__).resolve()), "--_child", what, *args], cache)
    try:
        data = json.loads(p.out.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        data = {"error": (p.err or p.out).strip()[-600:]}
    return p, data


def package_inputs(work: Path, scale: float) -> tuple[Path, dict[str, Any]]:
    """The big package at `scale`, generated once per work dir; its files and table pages."""
    pkg = work / f"package-x{scale:g}"
    meta_file = work / f"package-x{scale:g}.json"
    if meta_file.is_file() and pkg.is_dir():
        return pkg, json.loads(meta_file.read_text())
    t = time.perf_counter()
    meta = make_big_package(pkg, scale)
    files = []
    for f in sorted(pkg.iterdir()):
        files.append({"path": str(f), "table_pages": table_pages(f) if f.suffix == ".pdf" else []})
    meta["files"] = files
    meta["table_pages"] = sum(len(f["table_pages"]) for f in files)
    meta["generate_s"] = round(time.perf_counter() - t, 1)
    meta_file.write_text(json.dumps(meta, ensure_ascii=False))
    return pkg, meta


def lint_args(pkg: Path, work: Path, *extra: str) -> list[str]:
    return ["check", str(pkg), "--profile", PROFILE, "--format", "json", "-o", str(work / "out.json"), *extra]


def fresh_cache(work: Path, label: str, seed: Path | None = None) -> Path:
    """An empty cache dir; with `seed`, holding the tool's own derived data from it (the reduced jieba
    dictionary, catalog indexes) as any run after the very first has, but no document or package."""
    d = work / "caches" / label
    if d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True)
    if seed is not None:
        for sub in ("jieba", "duplicates"):
            if (seed / sub).is_dir():
                shutil.copytree(seed / sub, d / sub)
    return d


def tool_data_seed(r: Runner, work: Path) -> Path:
    """A cache dir in which a two-package round has run (so the round hook built its dictionary)."""
    seed = work / "caches" / "seed"
    if not (seed / "jieba").is_dir():
        rnd = make_round(work / "round-seed", 2)
        r.lint(["check", str(rnd), "--profile", PROFILE, "--format", "json", "-o", str(work / "out.json")],
               fresh_cache(work, "seed"))
    return seed


def measure_startup(r: Runner, n: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    out["python -c pass"] = median_of(n, lambda: r.py("pass"))
    out["--version"] = median_of(n, lambda: r.lint(["--version"]))
    out["rules"] = median_of(n, lambda: r.lint(["rules"]))
    out["rules --profile nanchong"] = median_of(n, lambda: r.lint(["rules", "--profile", "nanchong"]))
    out["explain DL101"] = median_of(n, lambda: r.lint(["explain", "DL101"]))
    for argv in (["--version"], ["rules"], ["explain", "DL101"]):
        _, data = child(r, "imports", json.dumps(argv))
        out[f"imports: {' '.join(argv)}"] = {"heavy": data.get("heavy"), "modules": data.get("modules")}
    p = r.run([sys.executable, "-X", "importtime", "-m", "dossier_lint", "rules"])
    selfs = []
    for line in p.err.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[0].startswith("import time:") and parts[0].split(":")[1].strip().isdigit():
            selfs.append((int(parts[0].split(":")[1]), parts[2].strip()))
    selfs.sort(reverse=True)
    out["importtime rules (self µs, top 12)"] = selfs[:12]
    out["importtime rules total ms"] = round(sum(x for x, _ in selfs) / 1000, 1)
    return out


def measure_package(r: Runner, work: Path, pkg: Path, meta: dict[str, Any], n: int) -> dict[str, Any]:
    spec = json.dumps({"files": meta["files"]})
    floors = []
    procs = []
    for _ in range(n):
        p, data = child(r, "floor", spec)
        procs.append(p)
        floors.append(data)
    floor = {
        "wall": round(statistics.median(p.wall for p in procs), 3),
        "cpu": round(statistics.median(p.cpu for p in procs), 3),
        "rss_mb": round(max(p.rss_mb for p in procs), 1),
        "work": round(statistics.median(f.get("work", 0) for f in floors), 3),
        "imports": round(statistics.median(f.get("imports", 0) for f in floors), 3),
        "files": floors[-1].get("files"),
    }
    if any("error" in f for f in floors):
        floor["error"] = next(f["error"] for f in floors if "error" in f)
    _, alt = child(r, "floor-alt", json.dumps({"files": meta["files"], "pdfplumber_all": False}))
    res: dict[str, Any] = {"package": {k: v for k, v in meta.items() if k != "files"}, "floor": floor,
                           "floor_alternatives": alt}

    def cold() -> Proc:
        return r.lint(lint_args(pkg, work), fresh_cache(work, "cold"))

    res["cold"] = median_of(n, cold)
    res["cold --no-cache"] = median_of(n, lambda: r.lint(lint_args(pkg, work, "--no-cache"),
                                                         fresh_cache(work, "nocache")))
    warm_cache = fresh_cache(work, "warm")
    r.lint(lint_args(pkg, work), warm_cache)
    res["warm"] = median_of(max(n, 3), lambda: r.lint(lint_args(pkg, work), warm_cache))
    # rules or settings changed: the package result misses, every document read hits (a cache holding the
    # document entries only, fresh for each repeat)
    def docs_only() -> Path:
        d = fresh_cache(work, "docs-only")
        for sub in warm_cache.glob("v*/doc"):
            shutil.copytree(sub, d / sub.parent.name / "doc")
        return d

    res["warm, documents cached only"] = median_of(n, lambda: r.lint(lint_args(pkg, work), docs_only()))
    floor["wall_min"] = round(min(p.wall for p in procs), 3)
    res["ratio cold/floor (wall)"] = round(res["cold"]["wall"] / floor["wall"], 2)
    res["ratio cold/floor (fastest walls)"] = round(res["cold"]["wall_min"] / floor["wall_min"], 2)
    res["ratio cold/floor (cpu)"] = round(res["cold"]["cpu"] / floor["cpu"], 2)
    return res


def measure_stages(r: Runner, work: Path, pkg: Path, n: int, catalog: Path | None) -> dict[str, Any]:
    runs = []
    for _ in range(n):
        _, data = child(r, "stages", str(pkg), PROFILE, str(catalog or ""), "0", cache=fresh_cache(work, "stages"))
        runs.append(data)
    if any("error" in d for d in runs):
        return {"error": next(d["error"] for d in runs if "error" in d)}
    keys = {k for d in runs for k in d["timings"]}
    timings = {k: round(statistics.median(d["timings"].get(k, 0.0) for d in runs), 3) for k in keys}
    out: dict[str, Any] = {
        "catalog": str(catalog) if catalog else None,
        "setup (config, packs, catalog index)": round(statistics.median(d["setup"] for d in runs), 3),
        "lint_package": round(statistics.median(d["lint"] for d in runs), 3),
        "round hook": round(statistics.median(d["round_hook"] for d in runs), 3),
        "timings": dict(sorted(timings.items(), key=lambda kv: -kv[1])),
        "report": runs[-1]["report"],
        "documents": runs[-1]["documents"],
    }
    _, prof = child(r, "stages", str(pkg), PROFILE, str(catalog or ""), "1", cache=fresh_cache(work, "stages"))
    out["profile (cProfile, inflates Python-heavy code)"] = prof.get("profile", prof.get("error"))
    return out


def summarise(runs: list[Proc]) -> dict[str, Any]:
    out = {
        "wall": round(statistics.median(r.wall for r in runs), 3),
        "wall_min": round(min(r.wall for r in runs), 3),
        "cpu": round(statistics.median(r.cpu for r in runs), 3),
        "rss_mb": round(max(r.rss_mb for r in runs), 1),
        "walls": [round(r.wall, 3) for r in runs],
    }
    bad = [r for r in runs if r.rc not in (0, 1)]
    if bad:
        out["error"] = (bad[0].err or bad[0].out).strip()[-400:]
    return out


def measure_round(r: Runner, work: Path, n_pkgs: int, n: int) -> dict[str, Any]:
    """1 and 2 jobs, cold (empty package / document cache, the tool's own dictionary cached) and
    --no-cache, interleaved so that both job counts meet the same machine load; the speed-up is given
    from the median and from the fastest run of each (the least disturbed by other processes)."""
    rnd = make_round(work / f"round-{n_pkgs}", n_pkgs)
    half = make_round(work / f"round-{n_pkgs // 2}", n_pkgs // 2)
    seed = tool_data_seed(r, work)
    out: dict[str, Any] = {"packages": n_pkgs, "load_avg_1min": load_avg()}
    runs: dict[str, list[Proc]] = {}
    ceilings = []
    for _ in range(n):
        ceilings.append(machine_parallelism())
        for jobs in (1, 2):
            args = ["check", str(rnd), "--profile", PROFILE, "--jobs", str(jobs), "--format", "json",
                    "-o", str(work / "out.json")]
            runs.setdefault(f"cold, {jobs} job(s)", []).append(r.lint(args, fresh_cache(work, "round", seed)))
            runs.setdefault(f"--no-cache, {jobs} job(s)", []).append(
                r.lint([*args, "--no-cache"], fresh_cache(work, "round-nc", seed)))
            # the same with half the packages: what one package more costs, start-up and the round's
            # fixed costs left out (the rate a long round runs at)
            args[1] = str(half)
            runs.setdefault(f"half round, --no-cache, {jobs} job(s)", []).append(
                r.lint([*args, "--no-cache"], fresh_cache(work, "round-nc", seed)))
    for label, rs in runs.items():
        m = summarise(rs)
        m["packages_per_s"] = round((n_pkgs // 2 if label.startswith("half") else n_pkgs) / m["wall"], 2)
        out[label] = m
    per_pkg = {}
    for jobs in (1, 2):
        full, part = out[f"--no-cache, {jobs} job(s)"], out[f"half round, --no-cache, {jobs} job(s)"]
        per_pkg[jobs] = (full["wall"] - part["wall"]) / (n_pkgs - n_pkgs // 2)
    out["per added package, --no-cache (ms, 1 job / 2 jobs)"] = [round(per_pkg[1] * 1000, 1), round(per_pkg[2] * 1000, 1)]
    out["speed-up 2 jobs / 1 job (per added package)"] = round(per_pkg[1] / per_pkg[2], 2) if per_pkg[2] > 0 else None
    args = ["check", str(rnd), "--profile", PROFILE, "--jobs", "2", "--format", "json", "-o", str(work / "out.json")]
    m = median_of(1, lambda: r.lint(args, fresh_cache(work, "round-first")))
    m["packages_per_s"] = round(n_pkgs / m["wall"], 2)
    out["first run ever (empty cache dir), 2 jobs"] = m
    ceilings.append(machine_parallelism())
    out["machine 2-process ceiling (each repeat)"] = ceilings
    for mode in ("cold", "--no-cache"):
        one, two = out[f"{mode}, 1 job(s)"], out[f"{mode}, 2 job(s)"]
        out[f"speed-up 2 jobs / 1 job ({mode})"] = {
            "median": round(one["wall"] / two["wall"], 2), "fastest": round(one["wall_min"] / two["wall_min"], 2)}
    warm = fresh_cache(work, "round-warm")
    r.lint(args, warm)
    out["warm rerun (unchanged round)"] = median_of(max(n, 3), lambda: r.lint(args, warm))
    _, mem = child(r, "round-memory", str(rnd), "2", cache=fresh_cache(work, "round-mem", seed))
    out["memory, 2 jobs --no-cache (parent / largest worker)"] = mem
    return out


def measure_growth(r: Runner, work: Path, scales: list[float], rounds: list[int], n: int) -> dict[str, Any]:
    out: dict[str, Any] = {"pages": [], "packages": []}
    for sc in scales:
        pkg, meta = package_inputs(work, sc)
        m = median_of(n, lambda p=pkg: r.lint(lint_args(p, work, "--no-cache"), fresh_cache(work, "growth")))
        spec = json.dumps({"files": meta["files"]})
        fl = [child(r, "floor", spec)[0] for _ in range(n)]
        out["pages"].append({
            "pdf_pages": meta["pdf_pages"], "table_pages": meta["table_pages"], "lint_wall": m["wall"],
            "lint_cpu": m["cpu"], "rss_mb": m["rss_mb"], "floor_wall": round(statistics.median(p.wall for p in fl), 3),
            "floor_cpu": round(statistics.median(p.cpu for p in fl), 3),
            "lint_cpu_ms_per_page": round(m["cpu"] / meta["pdf_pages"] * 1000, 1),
        })
    # what the batch parent holds: every result of the round (documents included) until the report
    out["memory with big packages"] = []
    for k in (2, 4, 8):
        rnd = work / f"round-big-{k}"
        if rnd.exists():
            shutil.rmtree(rnd)
        rnd.mkdir()
        src, _ = package_inputs(work, 0.25)
        for i in range(k):
            shutil.copytree(src, rnd / f"{i:02d}-{src.name}")
            _uniquify(rnd / f"{i:02d}-{src.name}", f"copy {i}")
        _, mem = child(r, "round-memory", str(rnd), "2", cache=fresh_cache(work, "round-mem", tool_data_seed(r, work)))
        out["memory with big packages"].append(mem)
    for k in rounds:
        rnd = make_round(work / f"round-{k}", k)
        args = ["check", str(rnd), "--profile", PROFILE, "--jobs", "2", "--no-cache", "--format", "json",
                "-o", str(work / "out.json")]
        m = median_of(n, lambda a=args: r.lint(a, fresh_cache(work, "growth", tool_data_seed(r, work))))
        out["packages"].append({"packages": k, "wall": m["wall"], "cpu": m["cpu"], "rss_mb": m["rss_mb"],
                                "wall_ms_per_package": round(m["wall"] / k * 1000)})
    return out


def measure_duplicates(r: Runner, work: Path, sizes: list[int], n: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    script = ROOT / "bench" / "bench_duplicates.py"
    if script.is_file():
        p = r.run([sys.executable, str(script), "--sizes", *map(str, sizes)])
        rows = []
        for line in p.out.splitlines():
            if line.startswith("{"):
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError:
                    pass
        out["bench_duplicates.py"] = rows or {"error": (p.err or p.out).strip()[-600:]}
    else:
        out["bench_duplicates.py"] = "not present"
    # end to end: one corpus package linted against a generated catalog
    sys.path.insert(0, str(CORPUS / "catalog"))
    import make_catalog

    pkg = CORPUS / "packages" / "nanchong-zhcg-complete"
    for size in sizes:
        cat = work / f"catalog-{size}.csv"
        if not cat.is_file():
            make_catalog.write_csv(make_catalog.generate(size, seed=11), cat, encoding="gbk")
        cache = fresh_cache(work, f"dup-{size}")
        args = lint_args(pkg, work, "--catalog", str(cat))
        first = r.lint(args, cache)
        row = {"cold (index built)": {"wall": round(first.wall, 3), "cpu": round(first.cpu, 3),
                                      "rss_mb": round(first.rss_mb, 1)}}
        # the index (and jieba's dictionary) cached, the package not: what linting a new package costs.
        # (--no-cache would not do: it skips the index cache too.)
        row["index cached, package new"] = median_of(
            n, lambda a=args, c=cache, z=size: r.lint(a, fresh_cache(work, f"dup-{z}-idx", seed=c)))
        row["all cached"] = median_of(n, lambda a=args, c=cache: r.lint(a, c))
        out[f"lint with a {size:,}-system catalog"] = row
    return out


# ---------------------------------------------------------------------------------------------------
# output


def env_info(work: Path) -> dict[str, Any]:
    from importlib import metadata

    versions = {}
    for dist in ("pdfplumber", "pypdfium2", "python-docx", "lxml", "openpyxl", "python-calamine", "jieba",
                 "rapidfuzz", "click"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = None
    # a virtualenv, as the README installs into, reads only its own site-packages; an interpreter's base
    # site-packages may hold .pth files that import things at every start (seen here: +40 ms a process)
    return {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
            "venv": sys.prefix != sys.base_prefix, "executable": sys.executable,
            "load_avg_1min": load_avg(), "font": font_ok(), "versions": versions, "workdir": str(work)}


def _row(label: str, m: dict[str, Any], extra: str = "") -> str:
    if not isinstance(m, dict) or "wall" not in m:
        return f"  {label:<44} {m}"
    err = f"  ERROR {m['error'][:80]}" if "error" in m else ""
    return f"  {label:<44} {m['wall']:>8.3f} {m['cpu']:>8.3f} {m.get('rss_mb', 0):>8.1f}  {extra}{err}"


def print_report(res: dict[str, Any]) -> None:
    head = f"  {'':<44} {'wall s':>8} {'cpu s':>8} {'peak MB':>8}"
    if "env" in res:
        e = res["env"]
        print(f"python {e['python']} ({'virtualenv' if e.get('venv') else 'not a virtualenv'}: {e.get('executable')}), "
              f"{e['cpus']} CPUs, load {e['load_avg_1min']} at start, CJK font: {e['font']}")
    if "startup" in res:
        s = res["startup"]
        print("\nStart-up (fresh process, median)")
        print(head)
        for k in ("python -c pass", "--version", "rules", "rules --profile nanchong", "explain DL101"):
            print(_row(k, s[k]))
        for k in ("imports: --version", "imports: rules", "imports: explain DL101"):
            print(f"  {k:<44} heavy modules imported: {s[k]['heavy'] or 'none'} ({s[k]['modules']} modules)")
        print(f"  importtime total for `rules`: {s['importtime rules total ms']} ms; top: "
              + ", ".join(f"{m} {us / 1000:.1f}" for us, m in s["importtime rules (self µs, top 12)"][:6]))
    if "package" in res:
        p = res["package"]
        pk = p["package"]
        print(f"\nOne package: {pk['documents']} documents, {pk['pdf_pages']} PDF pages "
              f"({pk['table_pages']} with ruled tables), {pk['bytes'] / 1e6:.1f} MB")
        print(head)
        print(_row("floor: the libraries alone", p["floor"], f"work {p['floor']['work']} s, imports {p['floor']['imports']} s"))
        for k in ("cold", "cold --no-cache", "warm", "warm, documents cached only"):
            print(_row(k, p[k]))
        print(f"  lint ÷ floor: {p['ratio cold/floor (cpu)']} (cpu), {p['ratio cold/floor (wall)']} (median walls), "
              f"{p['ratio cold/floor (fastest walls)']} (fastest walls)")
        print("  floor per file: " + ", ".join(f"{k[:14]} {v}" for k, v in (p["floor"]["files"] or {}).items()))
        print("  other ways: " + ", ".join(f"{k} {v}" for k, v in p["floor_alternatives"].items()))
    if "stages" in res:
        st = res["stages"]
        print("\nStages (in one process, median)")
        if "error" in st:
            print("  ERROR", st["error"])
        else:
            print(f"  setup {st['setup (config, packs, catalog index)']} s, lint_package {st['lint_package']} s, "
                  f"round hook {st['round hook']} s")
            print("  " + ", ".join(f"{k} {v}" for k, v in st["timings"].items()))
            print("  report: " + ", ".join(f"{k} {v}" for k, v in st["report"].items()))
            print("  read per document: " + ", ".join(f"{d['path'][:12]} {d['read_s']}" for d in st["documents"]))
            prof = st.get("profile (cProfile, inflates Python-heavy code)")
            if isinstance(prof, dict):
                print("  profile own time by library: " + ", ".join(
                    f"{k} {v}" for k, v in list(prof["by_group"].items())[:10]))
    if "round" in res:
        rd = res["round"]
        print(f"\nRound of {rd['packages']} packages (load {rd.get('load_avg_1min')} at start)")
        print(head)
        for k, v in rd.items():
            if isinstance(v, dict) and "wall" in v:
                print(_row(k, v, f"{v['packages_per_s']} pkg/s" if "packages_per_s" in v else ""))
        for mode in ("cold", "--no-cache"):
            sp = rd[f"speed-up 2 jobs / 1 job ({mode})"]
            print(f"  2 jobs ÷ 1 job, {mode}: {sp['median']}× (medians), {sp['fastest']}× (fastest runs)")
        if "per added package, --no-cache (ms, 1 job / 2 jobs)" in rd:
            one, two = rd["per added package, --no-cache (ms, 1 job / 2 jobs)"]
            print(f"  per added package (full round minus half round, --no-cache): {one} ms with 1 job, {two} ms "
                  f"with 2 = {rd['speed-up 2 jobs / 1 job (per added package)']}× (the rate of a long round)")
        print("  the machine's own 2-process ceiling (pure CPU loop) around the repeats: "
              + " / ".join(f"{c}×" for c in rd["machine 2-process ceiling (each repeat)"]))
        mem = rd.get("memory, 2 jobs --no-cache (parent / largest worker)", {})
        print(f"  peak RSS, 2 jobs: parent {mem.get('parent_mb')} MB, largest worker {mem.get('worker_mb')} MB")
    if "growth" in res:
        g = res["growth"]
        print("\nGrowth (--no-cache)")
        for row in g["pages"]:
            print(f"  {row['pdf_pages']:>5} pages: lint {row['lint_wall']} s wall / {row['lint_cpu']} s cpu "
                  f"({row['lint_cpu_ms_per_page']} ms cpu/page), floor {row['floor_wall']} / {row['floor_cpu']}, "
                  f"peak {row['rss_mb']} MB")
        for row in g.get("memory with big packages", []):
            print(f"  {row.get('packages')} × the 95-page package, 2 jobs: parent peak {row.get('parent_mb')} MB, "
                  f"largest worker {row.get('worker_mb')} MB")
        for row in g["packages"]:
            print(f"  {row['packages']:>5} packages, 2 jobs: {row['wall']} s wall ({row['wall_ms_per_package']} ms "
                  f"per package), peak {row['rss_mb']} MB")
    if "duplicates" in res:
        d = res["duplicates"]
        print("\nDuplicates")
        rows = d.get("bench_duplicates.py")
        if isinstance(rows, list):
            for row in rows:
                print(f"  {row.get('systems'):>7} systems: build {row.get('build_s')} s, cached load "
                      f"{row.get('cached_load_s')} s, query median {row.get('query_median_ms')} ms "
                      f"(p95 {row.get('query_p95_ms')}), peak {row.get('max_rss_mb')} MB")
        else:
            print(f"  bench_duplicates.py: {rows}")
        print(head)
        for k, v in d.items():
            if k.startswith("lint with"):
                for kk, m in v.items():
                    print(_row(f"{k[10:]}: {kk}", m))
    if "env" in res:
        print(f"\nload {res['env'].get('load_avg_1min_end')} at end")


# ---------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--_child"]:
        print(json.dumps(CHILDREN[argv[1]](*argv[2:]), ensure_ascii=False))
        return 0
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small inputs, one repeat: a smoke run of a few minutes")
    ap.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    ap.add_argument("--repeat", type=int,
                    help="fresh-process repeats per figure (default: 7 for start-up, 3 otherwise; --quick: 3 / 1)")
    ap.add_argument("--workdir", type=Path, help="keep generated inputs here and reuse them on the next run")
    ap.add_argument("--only", help="comma-separated sections: startup,package,stages,round,growth,duplicates")
    args = ap.parse_args(argv)
    sections = set((args.only or "startup,package,stages,round,growth,duplicates").split(","))
    n = args.repeat or (1 if args.quick else 3)
    n_start = args.repeat or (3 if args.quick else 7)
    tmp = None
    if args.workdir:
        work = args.workdir.resolve()
        work.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="dl-bench-")
        work = Path(tmp.name)
    try:
        res: dict[str, Any] = {"env": env_info(work)}
        if not res["env"]["font"]:
            print("note: the CJK font of corpus/build.py is missing (fonts-droid-fallback, dev only): PDFs cannot "
                  "be generated; the package measures fall back to the committed corpus packages.", file=sys.stderr)
        r = Runner(work)
        if "startup" in sections:
            res["startup"] = measure_startup(r, n_start)
        scale = 0.25 if args.quick else 1.0
        if sections & {"package", "stages"}:
            if res["env"]["font"]:
                pkg, meta = package_inputs(work, scale)
            else:
                pkg = CORPUS / "packages" / "nanchong-zhcg-complete"
                meta = describe_package(pkg)
                meta["files"] = [{"path": str(f), "table_pages": table_pages(f) if f.suffix == ".pdf" else []}
                                 for f in sorted(pkg.iterdir()) if f.is_file()]
                meta["table_pages"] = sum(len(f["table_pages"]) for f in meta["files"])
            if "package" in sections:
                res["package"] = measure_package(r, work, pkg, meta, n)
            if "stages" in sections:
                res["stages"] = measure_stages(r, work, pkg, n, CORPUS / "catalog" / "nanchong-systems.xlsx")
        if "round" in sections:
            res["round"] = measure_round(r, work, 12 if args.quick else 60, n)
        if "growth" in sections and not args.quick and res["env"]["font"]:
            res["growth"] = measure_growth(r, work, [0.25, 0.5, 1.0], [15, 30, 60], n)
        if "duplicates" in sections:
            res["duplicates"] = measure_duplicates(r, work, [1_000, 10_000] if args.quick else [1_000, 10_000, 100_000], n)
        res["env"]["load_avg_1min_end"] = load_avg()
        print_report(res)
        if args.json:
            args.json.write_text(json.dumps(res, ensure_ascii=False, indent=2), encoding="utf-8")
            print(f"\nwrote {args.json}")
    finally:
        if tmp is not None:
            tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
