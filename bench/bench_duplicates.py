"""Benchmark duplicate matching: index build, cached load and per-proposal query time at 1k / 10k / 100k
generated systems, and memory.

    python bench/bench_duplicates.py                 # 1k, 10k, 100k
    python bench/bench_duplicates.py --sizes 1000 20000
    python bench/bench_duplicates.py --repeat 3      # medians of 3 fresh processes per size

Each size runs in a fresh process (so memory and jieba's start-up are measured honestly) with a private
cache dir. Queries are the 52 proposals of corpus/duplicates/labelled.jsonl. Times are wall-clock on
this machine; "query" is Matcher.match (candidates + re-scoring + exclusions) with the index in memory.
"build" is load_index on an uncached catalog: read, parse, tokenise, postings, write the cache file;
build_cpu_s is the same in process CPU time (what the build costs when other jobs share the machine).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def one(n: int, workdir: Path) -> dict:
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT / "corpus" / "catalog"))
    sys.path.insert(0, str(ROOT / "scripts"))
    import make_catalog

    t0 = time.perf_counter()
    systems = make_catalog.generate(n, seed=11)
    path = workdir / f"catalog-{n}.csv"
    make_catalog.write_csv(systems, path, encoding="gbk")
    gen = time.perf_counter() - t0

    from eval_duplicates import load_labels, to_proposal

    from dossier_lint.duplicates import Matcher
    from dossier_lint.duplicates.index import clear_memo, load_index
    from dossier_lint.duplicates.text import segmenter

    t0 = time.perf_counter()
    _ = segmenter()._tokenizer  # jieba start-up, reported apart
    jieba_init = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    idx = load_index(path)
    build = time.perf_counter() - t0
    build_cpu = time.process_time() - c0
    assert not idx.from_cache
    rss_built = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    clear_memo()
    t0 = time.perf_counter()
    idx = load_index(path)
    cached = time.perf_counter() - t0
    assert idx.from_cache
    m = Matcher(segmenter(), idx)
    props = [to_proposal(p) for p in load_labels().proposals.values()]
    for p in props[:3]:
        m.match(p)  # warm the clause memo as a real run would after its first package
    times = []
    for _ in range(3):
        for p in props:
            t = time.perf_counter()
            m.match(p)
            times.append(time.perf_counter() - t)
    times.sort()
    cache_file = next((workdir / "cache").rglob("index-*.pickle"))
    return {
        "systems": n,
        "generate_s": round(gen, 2),
        "jieba_init_s": round(jieba_init, 3),
        "build_s": round(build, 2),
        "build_cpu_s": round(build_cpu, 2),
        "cached_load_s": round(cached, 3),
        "query_median_ms": round(statistics.median(times) * 1000, 1),
        "query_p95_ms": round(times[int(len(times) * 0.95)] * 1000, 1),
        "query_max_ms": round(times[-1] * 1000, 1),
        "max_rss_mb": round(rss_built),
        "cache_file_mb": round(cache_file.stat().st_size / 1e6, 1),
        "terms": len(idx.words),
    }


def _median(vals: list) -> int | float:
    if all(isinstance(v, int) for v in vals):
        return statistics.median_low(vals)
    return round(statistics.median(vals), 3)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    ap.add_argument("--repeat", type=int, default=1, help="fresh processes per size; the table shows medians")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--workdir", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(one(args.one, Path(args.workdir))))
        return 0
    rows = []
    for n in args.sizes:
        runs = []
        for _ in range(max(1, args.repeat)):
            with tempfile.TemporaryDirectory() as wd:
                env = dict(os.environ, XDG_CACHE_HOME=str(Path(wd) / "cache"))
                env.pop("DOSSIER_LINT_CACHE_DIR", None)
                out = subprocess.run([sys.executable, __file__, "--one", str(n), "--workdir", wd],
                                     env=env, capture_output=True, text=True, check=True)
                runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
                print(json.dumps(runs[-1]), flush=True)
        rows.append({k: _median([r[k] for r in runs]) for k in runs[0]})
    print()
    cols = ["systems", "build_s", "build_cpu_s", "cached_load_s", "query_median_ms", "query_p95_ms", "query_max_ms",
            "max_rss_mb", "cache_file_mb", "jieba_init_s"]
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for r in rows:
        print("| " + " | ".join(str(r[c]) for c in cols) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
