"""Run the readers on real-world test files: the PDF/DOCX/XLSX fixtures that PDF and Office libraries
ship in their source distributions (broken, encrypted, odd and huge files collected over years).

    python scripts/realworld_readers.py                 # pip download the sdists into a temp dir, run, clean up
    python scripts/realworld_readers.py --keep DIR      # download/extract into DIR and keep it
    python scripts/realworld_readers.py --from DIR      # use files already under DIR (no download)

Each file is read by `dossier_lint.readers.read_document` in a subprocess of its own, with a timeout
and an address-space cap, so a crash (segfault, abort, OOM) or a hang is counted instead of stopping
the run. Prints how many files were read cleanly, read with an input issue (partial, unreadable,
encrypted, ...), crashed or hung, and the slowest ones. Nothing is committed: the files stay in the
temp dir. pdf.js is not on PyPI and is not included.
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

SDISTS = ["pdfplumber", "pypdf", "python-docx", "openpyxl"]
SUFFIXES = {".pdf", ".docx", ".xlsx", ".docm", ".xlsm"}
ROOT = Path(__file__).resolve().parents[1]

_CHILD = r"""
import json, resource, sys, time
cap = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
from dossier_lint.readers import read_document
path = sys.argv[1]
data = open(path, "rb").read()
t = time.monotonic()
doc = read_document(path.rsplit("/", 1)[-1], data)
print(json.dumps({"status": doc.status, "reason": doc.reason, "format": doc.format, "pages": doc.pages,
                  "blocks": len(doc.blocks), "tables": len(doc.tables), "seconds": time.monotonic() - t,
                  "issues": sorted({i.code for i in doc.issues}),
                  "limits": sorted({str(i.args.get("limit")) for i in doc.issues if i.code == "limit-hit"})},
                 ensure_ascii=False))
"""


def download(dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "-d", str(dest), *SDISTS]
    print("$", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True)


def extract(dest: Path) -> Path:
    """Unpack every sdist under dest/src (tar members filtered as data: no links out, no devices)."""
    out = dest / "src"
    out.mkdir(exist_ok=True)
    for archive in sorted(dest.iterdir()):
        if archive.name.endswith((".tar.gz", ".tgz")):
            with tarfile.open(archive) as tf:
                tf.extractall(out, filter="data")
        elif archive.suffix == ".zip":
            with zipfile.ZipFile(archive) as zf:
                for info in zf.infolist():
                    target = (out / info.filename).resolve()
                    if out.resolve() in target.parents and not info.is_dir():
                        target.parent.mkdir(parents=True, exist_ok=True)
                        target.write_bytes(zf.read(info))
    return out


def run_one(path: Path, timeout: float, mem_gb: float) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    start = time.monotonic()
    try:
        r = subprocess.run([sys.executable, "-c", _CHILD, str(path), str(int(mem_gb * 1024**3))],
                           capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {"outcome": "hang", "seconds": timeout}
    wall = time.monotonic() - start
    if r.returncode != 0:
        last = (r.stderr.strip().splitlines() or [""])[-1]
        return {"outcome": "crash", "returncode": r.returncode, "error": last[:200], "seconds": wall}
    res = json.loads(r.stdout.strip().splitlines()[-1])
    res["outcome"] = "clean" if res["status"] == "ok" and not res["issues"] else "input-issue"
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--keep", type=Path, help="download and extract here, and keep it")
    ap.add_argument("--from", dest="src", type=Path, help="use the files already under this directory")
    ap.add_argument("--timeout", type=float, default=120, help="seconds per file (default 120)")
    ap.add_argument("--mem-gb", type=float, default=4, help="address-space cap per file (default 4 GB)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--json", type=Path, help="write every file's result here")
    args = ap.parse_args(argv)

    tmp = None
    if args.src:
        root = args.src
    else:
        base = args.keep or Path(tempfile.mkdtemp(prefix="dl-realworld-"))
        tmp = None if args.keep else base
        download(base)
        root = extract(base)
    try:
        files = sorted(p for p in root.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file() and not p.is_symlink())
        print(f"{len(files)} files under {root}", flush=True)
        results: dict[str, dict] = {}
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            futs = {pool.submit(run_one, f, args.timeout, args.mem_gb): f for f in files}
            for fut in concurrent.futures.as_completed(futs):
                results[str(futs[fut].relative_to(root))] = fut.result()
        report(results)
        if args.json:
            args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
        return 0 if not any(r["outcome"] in ("crash", "hang") for r in results.values()) else 1
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def report(results: dict[str, dict]) -> None:
    by_ext: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    issues: collections.Counter = collections.Counter()
    for name, r in results.items():
        ext = Path(name).suffix.lower()
        by_ext[ext][r["outcome"]] += 1
        by_ext[ext]["total"] += 1
        if r["outcome"] == "input-issue":
            by_ext[ext][r["status"]] += 1
            issues.update(r["issues"])
    cols = ["total", "clean", "input-issue", "partial", "unreadable", "crash", "hang"]
    print("\n" + "ext".ljust(7) + "".join(c.rjust(13) for c in cols))
    total: collections.Counter = collections.Counter()
    for ext in sorted(by_ext):
        total.update(by_ext[ext])
        print(ext.ljust(7) + "".join(str(by_ext[ext][c]).rjust(13) for c in cols))
    print("all".ljust(7) + "".join(str(total[c]).rjust(13) for c in cols))
    print("\n(read = clean + input-issue; input-issue includes ok documents with a finding such as "
          "no-embedded-fonts or comments)")
    print("input issue codes:", ", ".join(f"{k} {v}" for k, v in issues.most_common()))
    bad = {k: v for k, v in results.items() if v["outcome"] in ("crash", "hang")}
    for name, r in sorted(bad.items()):
        print(f"  {r['outcome'].upper()}: {name} {r.get('returncode', '')} {r.get('error', '')}")
    slow = sorted(results.items(), key=lambda kv: -kv[1].get("seconds", 0))[:8]
    print("slowest:", "; ".join(f"{Path(k).name} {v.get('seconds', 0):.1f}s ({v['outcome']})" for k, v in slow))
    reasons = collections.Counter(
        (r.get("reason") or "").split("（")[0][:40] for r in results.values() if r.get("status") == "unreadable"
    )
    print("unreadable reasons:", "; ".join(f"{k} ×{v}" for k, v in reasons.most_common(12)))


if __name__ == "__main__":
    sys.exit(main())
