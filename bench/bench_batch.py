"""Batch throughput: packages per second with 1 and 2 jobs, cold and warm cache, over a generated round.

    python bench/bench_batch.py [--packages 60] [--source corpus/packages] [--jobs 1,2]
    python bench/bench_batch.py --baseline-rev HEAD [--repeat 5] [--packages 60]
    python bench/bench_batch.py --baseline-rev HEAD --baseline-files src/dossier_lint/batch.py ...
    python bench/bench_batch.py --tree DIR_A --baseline DIR_B

The round is the corpus packages copied (round-robin) into a temp dir until it holds N packages, each copy
with its own name. Every figure is a fresh `dossier-lint check` process (start-up included), timed wall
clock, with its own cache dir: "cold" starts from an empty cache, "warm" reruns over the cache the cold
run left, "warm-docs" reruns with a changed rule selection (package results miss, document reads hit).

`--baseline-rev REV` (or `--baseline DIR`, a tree holding `src/` and `checks/`) compares this tree's code
with another's on the same round; with `--baseline-files A B ...` the baseline is this tree with only
those files taken from REV (to measure one change while others are at work in the same tree). A and B
are interleaved block by block, so both meet the same machine load (the machine is shared: wall time
moves with whatever else runs, CPU time much less). Each repeat runs, for each tree in turn, a block of
`--no-cache` and cold (empty package / document cache, jieba's dictionary cached) with 1 and 2 jobs, and
measures the machine's own 2-process ceiling (bench.py's machine_parallelism) between blocks; a block
with a ceiling of at least 1.9× before and after it counts as quiet. Reported, for all blocks and for
the quiet ones: median and fastest wall, median CPU time (the process and its workers), the 2-job
speed-up from the medians, from the fastest runs and per block, and the load average.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUIET = 1.9  # the machine's 2-process ceiling from which a block of A/B runs counts as undisturbed


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


def snapshot(dest: Path, root: Path = ROOT) -> Path:
    """A frozen copy of the code and packs: the cache keys hash the code, so edits made in the tree
    while the benchmark runs would turn warm runs cold."""
    shutil.copytree(root / "src", dest / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(root / "checks", dest / "checks")
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
    ap.add_argument("--baseline-rev", help="compare with this git revision of the repository (git archive)")
    ap.add_argument("--baseline", type=Path, help="compare with the code in this directory (src/, checks/)")
    ap.add_argument("--baseline-files", nargs="+", metavar="PATH",
                    help="with --baseline-rev: the baseline is this tree with only these files as they are at "
                         "the revision (absent there: removed), to measure one change while others work in the tree")
    ap.add_argument("--repeat", type=int, default=5, help="A/B repeats (with --baseline / --baseline-rev)")
    ap.add_argument("--tree", type=Path, help="A/B: measure the code in this directory (src/, checks/) instead "
                                              "of this tree")
    args = ap.parse_args()
    if args.baseline or args.baseline_rev:
        compare(args)
        return
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


# --- A/B ----------------------------------------------------------------------------------------------


def _baseline_tree(args: argparse.Namespace, dest: Path) -> Path:
    if args.baseline:
        return Path(args.baseline)
    if args.baseline_files:
        snapshot(dest)
        for rel in args.baseline_files:
            shown = subprocess.run(["git", "-C", str(ROOT), "show", f"{args.baseline_rev}:{rel}"], capture_output=True)
            target = dest / rel
            if shown.returncode == 0:
                target.write_bytes(shown.stdout)
            else:
                target.unlink(missing_ok=True)
        return dest
    dest.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.baseline_rev, "src", "checks"],
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest


def compare(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    import bench  # the launcher (wall, CPU with workers, peak RSS), the round maker, the CPU ceiling

    work = Path(tempfile.mkdtemp(prefix="dl-ab-"))
    try:
        trees = {"this tree": snapshot(work / "new", args.tree or ROOT), "baseline": _baseline_tree(args, work / "old") / "src"}
        rnd = bench.make_round(work / "round", args.packages)
        runners = {}
        for label, src in trees.items():
            r = bench.Runner.__new__(bench.Runner)  # a Runner over a given tree (bench.Runner copies ROOT)
            r.work, r.code, r.pycache = work, src.parent, work / f"pycache-{label.replace(' ', '-')}"
            r.env = dict(os.environ, CI="1", PYTHONPYCACHEPREFIX=str(r.pycache),
                         PYTHONPATH=str(src) + os.pathsep + os.environ.get("PYTHONPATH", ""))
            r.env.pop("PYTHONDONTWRITEBYTECODE", None)
            r.run([sys.executable, "-c", "import dossier_lint.cli, dossier_lint.batch, dossier_lint.kinds, "
                   "dossier_lint.readers.pdf, dossier_lint.readers.docx, dossier_lint.readers.xlsx, "
                   "dossier_lint.duplicates, pdfplumber, openpyxl, docx, jieba, rapidfuzz"])
            runners[label] = r
        seed = bench.tool_data_seed(runners["this tree"], work)
        print(f"round: {args.packages} packages; {os.cpu_count()} CPUs; load {bench.load_avg()} at start")
        runs: dict[tuple[str, str, int], list] = {}
        quiet: dict[tuple[str, str, int], list] = {}  # runs of blocks the machine left alone
        ceilings = [bench.machine_parallelism()]
        for _ in range(args.repeat):
            for label, r in runners.items():
                block = []
                for mode in ("--no-cache", "cold"):
                    for jobs in (1, 2):
                        argv = ["check", str(rnd), "--profile", args.profile, "--jobs", str(jobs), "--format",
                                "json", "-o", str(work / "out.json")] + (["--no-cache"] if mode == "--no-cache" else [])
                        p = r.lint(argv, bench.fresh_cache(work, "ab", seed))
                        if p.rc not in (0, 1):
                            raise SystemExit(f"{label}: exit {p.rc}\n{p.err[-2000:]}")
                        runs.setdefault((label, mode, jobs), []).append(p)
                        block.append(((label, mode, jobs), p))
                # a block counts as quiet when the ceiling measured just before and just after it is ~2×
                ceilings.append(bench.machine_parallelism())
                if min(ceilings[-2:]) >= QUIET:
                    for k, p in block:
                        quiet.setdefault(k, []).append(p)
        print(f"machine 2-process ceiling between blocks: {' / '.join(f'{c}×' for c in ceilings)}; "
              f"load {bench.load_avg()} at end")
        for title, got in (("all runs", runs), (f"quiet blocks only (ceiling ≥ {QUIET}× before and after)", quiet)):
            print(f"\n{title}")
            print(f"{'code':>10} {'mode':>10} {'jobs':>4} {'n':>2} {'wall med':>8} {'wall min':>8} {'cpu med':>8}  pkg/s")
            for (label, mode, jobs), ps in sorted(got.items()):
                walls = [p.wall for p in ps]
                print(f"{label:>10} {mode:>10} {jobs:>4} {len(ps):>2} {statistics.median(walls):>8.3f} "
                      f"{min(walls):>8.3f} {statistics.median(p.cpu for p in ps):>8.3f}  "
                      f"{args.packages / statistics.median(walls):.2f}")
            print("2 jobs ÷ 1 job: medians, fastest runs, each block")
            for label in runners:
                for mode in ("--no-cache", "cold"):
                    one, two = got.get((label, mode, 1), []), got.get((label, mode, 2), [])
                    if not one or not two:
                        continue
                    med = statistics.median(p.wall for p in one) / statistics.median(p.wall for p in two)
                    fast = min(p.wall for p in one) / min(p.wall for p in two)
                    each = [round(a.wall / b.wall, 2) for a, b in zip(one, two, strict=True)]
                    print(f"  {label:>10} {mode:>10}: {med:.2f}×  {fast:.2f}×  {each}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
