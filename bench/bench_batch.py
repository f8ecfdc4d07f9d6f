"""Batch throughput: packages per second with 1 and 2 jobs, cold and warm cache, over a generated round.

    python bench/bench_batch.py [--packages 60] [--source corpus/packages] [--repeat 1]

The round is the corpus packages copied (round-robin) into a temp dir until it holds N packages, each copy
with its own name. Every figure is a fresh `dossier-lint check` process (start-up included), timed wall
clock, with its own cache dir: "cold" starts from an empty cache, "warm" reruns over the cache the cold
run left, "warm-docs" reruns with a changed rule selection (package results miss, document reads hit).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def make_round(source: Path, n: int, dest: Path) -> list[Path]:
    pkgs = sorted(p for p in source.iterdir() if not p.name.startswith(".") and (p.is_dir() or p.suffix == ".zip"))
    if not pkgs:
        raise SystemExit(f"no packages under {source}")
    out = []
    for i in range(n):
        src = pkgs[i % len(pkgs)]
        name = f"{i:03d}-{src.stem}项目" + (".zip" if src.suffix == ".zip" else "")
        target = dest / name
        if src.is_dir():
            shutil.copytree(src, target)
        else:
            shutil.copy2(src, target)
        out.append(target)
    return out


def snapshot(dest: Path) -> Path:
    """A frozen copy of the code and packs: the cache keys hash the code, so edits made in the tree
    while the benchmark runs would turn warm runs cold."""
    shutil.copytree(ROOT / "src", dest / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "checks", dest / "checks")
    return dest / "src"


def timed(args: list[str], cache: Path, pythonpath: Path | None = None) -> tuple[float, int, str]:
    env = dict(os.environ, DOSSIER_LINT_CACHE_DIR=str(cache), CI="1")
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath) + os.pathsep + env.get("PYTHONPATH", "")
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "dossier_lint", *args], capture_output=True, text=True, env=env)
    return time.perf_counter() - t, proc.returncode, proc.stdout.strip().splitlines()[-1] if proc.stdout else proc.stderr


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--packages", type=int, default=60)
    ap.add_argument("--source", type=Path, default=ROOT / "corpus" / "packages")
    ap.add_argument("--profile", default="nanchong")
    ap.add_argument("--jobs", default="1,2")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="dl-bench-") as tmp:
        tmp_path = Path(tmp)
        round_dir = tmp_path / "round"
        round_dir.mkdir()
        code = snapshot(tmp_path / "code")
        make_round(args.source, args.packages, round_dir)
        size = sum(f.stat().st_size for f in round_dir.rglob("*") if f.is_file())
        print(f"round: {args.packages} packages, {size / 1e6:.1f} MB, cpus={os.cpu_count()}")
        print(f"{'jobs':>4} {'cache':>10} {'seconds':>8} {'pkg/s':>7}  exit  summary")
        for jobs in [int(j) for j in args.jobs.split(",")]:
            cache = tmp_path / f"cache-{jobs}"
            base = ["check", str(round_dir), "--profile", args.profile, "--jobs", str(jobs), "--format", "text"]
            for label, extra in (("cold", []), ("warm", []), ("warm-docs", ["--ignore", "DL212"])):
                secs, rc, last = timed(base + extra, cache, code)
                print(f"{jobs:>4} {label:>10} {secs:>8.2f} {args.packages / secs:>7.1f}  {rc:>4}  {last[:60]}")
            nc_secs, rc, _ = timed(base + ["--no-cache"], cache, code)
            print(f"{jobs:>4} {'no-cache':>10} {nc_secs:>8.2f} {args.packages / nc_secs:>7.1f}  {rc:>4}")


if __name__ == "__main__":
    main()
