"""Lint many packages — a reviewer's round — in parallel, with a cache, surviving broken workers.

`run(paths, settings, opts)` finds every package under `paths` (`discover.find_packages`), answers what it
can from the package cache, lints the rest in a `ProcessPoolExecutor` (spawn-safe: the worker is a
top-level function, settings go to each worker once through the initializer), then runs the duplicates
engineer's cross-package hook over the whole round, and only then applies waivers / baseline
(`engine.finish_result`), so findings across packages are waivable like any other.

A worker that dies hard (os._exit, a segfault in a C library, the OOM killer) breaks the pool. The packages
that were running then are suspects: each is re-run alone in a pool of its own, and one that kills that
pool too is reported with an `input` finding; the packages not started yet go on in a fresh pool. So one
broken package never stops the batch, and the others' results are exact.

The cross-package hook contract: `dossier_lint.duplicates.cross_package(run: engine.RunResult, settings)`
adds findings to `run.packages[i].diagnostics` in place (before waivers and baseline apply).
"""

from __future__ import annotations

import hashlib
import os
import sys
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from . import discover, engine
from .cache import Cache, CachingReader, cache_root, code_hash, settings_fingerprint, transient
from .model import Package, ReadIssue

# A package whose linting crashed becomes a package-level `unreadable` issue (reported by the pack's input
# rule for that code); this arg marks it so it is never cached.
CRASH_ARG = "worker_crash"

Progress = Callable[[int], None]


# --- worker side -------------------------------------------------------------------------------------

_STATE: dict[str, Any] = {}


def _init_worker(settings: Any, cache_dir: str | None) -> None:
    _STATE["settings"] = settings
    _STATE["cache"] = cache = Cache(Path(cache_dir)) if cache_dir else None
    _STATE["read"] = CachingReader(cache) if cache is not None else None
    _STATE["shared"] = {}  # per-process services (e.g. the duplicate index), built once per worker
    crash_on = os.environ.get(TEST_CRASH_ENV)
    if crash_on:
        _STATE["read"] = _crashing_reader(_STATE["read"], crash_on)


# Tests only: the worker reading a file of this name dies as if a C library segfaulted in it.
TEST_CRASH_ENV = "DOSSIER_LINT_TEST_CRASH_ON"


def _crashing_reader(read: Any, name: str) -> Callable[..., Any]:
    def crash_read(relpath: str, data: bytes, limits: Any) -> Any:
        if relpath.rsplit("/", 1)[-1] == name:
            import signal

            os.kill(os.getpid(), getattr(signal, "SIGSEGV", signal.SIGTERM))
        from . import readers

        return (read or readers.read_document)(relpath, data, limits)

    return crash_read


def _lint_one(src: discover.PackageSource, key: str | None = None) -> engine.PackageResult | str:
    """Lint one package and cache its raw result under `key` (in the worker, so the pickling runs in
    parallel); a Python exception comes back as its traceback text, never kills the worker."""
    try:
        res = engine.lint_package(src, _STATE["settings"], _STATE["shared"], read=_STATE["read"], finish=False)
    except Exception:
        return traceback.format_exc(limit=8)
    engine.slim(res)
    cache = _STATE.get("cache")
    if key and cache is not None and not any(transient(d) for d in res.package.documents):
        cache.put("pkg", key, res)
    return res


# --- parent side -------------------------------------------------------------------------------------


def package_key(src: discover.PackageSource, settings: Any, settings_fp: str) -> str:
    """Every member's path and content, the package's place, the settings and the code."""
    h = hashlib.sha256()
    h.update(f"{src.path}\x1f{src.name}\x1f{src.is_zip}\x1f{settings_fp}\x1f{code_hash()}\x1e".encode())
    for m in discover.iter_members(src, settings.limits):
        digest = hashlib.sha256(m.data).hexdigest() if m.data is not None else "-"
        issue = m.issue.code if m.issue is not None else ""
        h.update(f"{m.relpath}\x1f{m.size}\x1f{digest}\x1f{issue}\x1e".encode())
    return h.hexdigest()


def default_jobs() -> int:
    """The CPUs this process may run on (a container's or taskset's limit, not the host's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return max(1, os.cpu_count() or 1)


def show_progress(opts: dict[str, Any]) -> bool:
    """A bar on an interactive terminal only: never in pipes, CI or when asked not to."""
    if opts.get("no_progress") or os.environ.get("CI"):
        return False
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def run(paths: Iterable[Path], settings: Any, opts: dict[str, Any] | None = None) -> engine.RunResult:
    opts = dict(opts or {})
    sources: list[discover.PackageSource] = []
    for p in paths:
        sources.extend(discover.find_packages(Path(p)))
    jobs = opts.get("jobs") or 0
    jobs = jobs if jobs > 0 else default_jobs()  # --jobs 0 (or less): one per CPU
    use_cache = not opts.get("no_cache")
    cache = Cache() if use_cache else None
    results: list[engine.PackageResult | None] = [None] * len(sources)
    keys: list[str | None] = [None] * len(sources)
    todo: list[int] = []

    bar = None
    if show_progress(opts) and len(sources) > 1:
        import click

        bar = click.progressbar(length=len(sources), label="检查申报包", file=sys.stderr, show_pos=True)
        bar.__enter__()

    def advance(n: int = 1) -> None:
        if bar is not None:
            bar.update(n)

    try:
        if cache is not None:
            fp = settings_fingerprint(settings)
            for i, src in enumerate(sources):
                keys[i] = package_key(src, settings, fp)
                hit = cache.get("pkg", keys[i], engine.PackageResult)
                if hit is not None:
                    results[i] = hit
                    advance()
        todo = [i for i, r in enumerate(results) if r is None]
        cache_dir = str(cache_root()) if use_cache else None
        if len(todo) == 1 or (todo and jobs == 1 and opts.get("in_process")):
            _run_here(sources, keys, todo, results, settings, cache_dir, advance)
        elif todo:
            _run_pool(sources, keys, todo, results, settings, cache_dir, min(jobs, len(todo)), advance,
                      opts.get("mp_context"))
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    if cache is not None and todo:
        cache.prune()  # something new was written: keep the cache within its size

    run_result = engine.RunResult(packages=[r for r in results if r is not None], settings=settings)
    round_key = None
    if cache is not None and all(keys) and not any(_crashed(r) for r in run_result.packages):
        round_key = hashlib.sha256("\x1f".join(["round", *keys]).encode()).hexdigest()  # type: ignore[list-item]
    _cross_package(run_result, settings, cache, round_key)
    for res in run_result.packages:
        engine.finish_result(res, res.diagnostics, settings)
    return run_result


def _crashed(res: engine.PackageResult) -> bool:
    return any(i.args.get(CRASH_ARG) for i in res.package.issues)


def _run_here(
    sources: list[discover.PackageSource],
    keys: list[str | None],
    todo: list[int],
    results: list[engine.PackageResult | None],
    settings: Any,
    cache_dir: str | None,
    advance: Progress,
) -> None:
    """One package: no pool to start (what pre-commit on one package pays)."""
    _init_worker(settings, cache_dir)
    try:
        for i in todo:
            out = _lint_one(sources[i], keys[i])
            results[i] = out if isinstance(out, engine.PackageResult) else crash_result(sources[i], settings, out)
            advance()
    finally:
        _STATE.clear()


def _run_pool(
    sources: list[discover.PackageSource],
    keys: list[str | None],
    todo: list[int],
    results: list[engine.PackageResult | None],
    settings: Any,
    cache_dir: str | None,
    jobs: int,
    advance: Progress,
    mp_context: Any = None,
) -> None:
    queue = list(todo)
    while queue:
        suspects = _pool_pass(sources, keys, queue, results, settings, cache_dir, jobs, advance, mp_context)
        # the packages that were running when the pool broke: re-run each alone to find the culprit
        for i in suspects:
            if results[i] is not None:
                continue
            left = _pool_pass(sources, keys, [i], results, settings, cache_dir, 1, advance, mp_context)
            if left:
                results[i] = crash_result(sources[i], settings, None)
                advance()
        queue = [i for i in queue if results[i] is None]


def _pool_pass(
    sources: list[discover.PackageSource],
    keys: list[str | None],
    queue: list[int],
    results: list[engine.PackageResult | None],
    settings: Any,
    cache_dir: str | None,
    jobs: int,
    advance: Progress,
    mp_context: Any,
) -> list[int]:
    """Lint `queue` with at most `jobs` packages in flight. Returns the packages that were in flight when
    the pool broke ([] when it did not), so the caller knows exactly which ones may have killed it."""
    pending = list(queue)
    running: dict[Future, int] = {}
    ctx = mp_context
    if isinstance(ctx, str):
        import multiprocessing

        ctx = multiprocessing.get_context(ctx)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_init_worker,
                             initargs=(settings, cache_dir)) as pool:
        try:
            while pending or running:
                # submit no more than the pool can run at once: the in-flight set is then exactly the
                # suspects when a worker dies
                while pending and len(running) < jobs:
                    i = pending.pop(0)
                    running[pool.submit(_lint_one, sources[i], keys[i])] = i
                done, _ = wait(list(running), return_when=FIRST_COMPLETED)
                broken = False
                for fut in done:
                    i = running.pop(fut)
                    try:
                        out = fut.result()
                    except BrokenProcessPool:
                        broken = True
                        running[fut] = i  # still a suspect
                        continue
                    except Exception as exc:  # e.g. a result that cannot be pickled back
                        out = "".join(traceback.format_exception_only(type(exc), exc))
                    results[i] = out if isinstance(out, engine.PackageResult) else crash_result(
                        sources[i], settings, out
                    )
                    advance()
                if broken:
                    return sorted(running.values())
        except BrokenProcessPool:  # raised by submit() on an already broken pool
            return sorted(running.values())
    return []


def crash_result(src: discover.PackageSource, settings: Any, detail: str | None) -> engine.PackageResult:
    """The result of a package whose linting crashed: an `input` finding through the pack's rule for
    `unreadable` issues, so severity, basis and waivers work as for any finding."""
    if detail:
        last = [ln for ln in detail.strip().splitlines() if ln.strip()]
        reason = f"检查时程序内部出错（{last[-1].strip()[:160] if last else '未知错误'}）"
    else:
        reason = "检查进程意外终止（可能是文件触发了解析库崩溃或内存耗尽）"
    pkg = Package(path=str(src.path), name=src.name)
    pkg.issues.append(ReadIssue("unreadable", {"reason": reason, CRASH_ARG: True}))
    if detail:
        print(f"dossier-lint: 检查 {src.name} 时出错：\n{detail}", file=sys.stderr)
    result = engine.PackageResult(package=pkg, profile=getattr(settings, "profile", ""))
    # only the input rule for this issue: the other rules would report an empty package's gaps
    from .rule import Context, kinds

    registry = kinds()
    ctx = Context(package=pkg, settings=settings, shared={})
    for rule in settings.rules():
        if rule.kind == "input" and rule.params.get("code") == "unreadable" and rule.kind in registry:
            result.diagnostics.extend(registry[rule.kind](rule, ctx))
    return result


def _cross_package(run_result: engine.RunResult, settings: Any, cache: Cache | None = None,
                   round_key: str | None = None) -> None:
    """The duplicates engineer's round hook; what it adds is cached for the exact same round."""
    if len(run_result.packages) < 2:
        return
    try:
        from . import duplicates
    except ImportError:  # the duplicates package is not there yet
        return
    hook = getattr(duplicates, "cross_package", None)
    if hook is None:
        return
    if cache is not None and round_key is not None:
        added = cache.get("round", round_key, list)
        if added is not None and len(added) == len(run_result.packages):
            for res, extra in zip(run_result.packages, added, strict=True):
                res.diagnostics.extend(extra)
            return
    before = [len(r.diagnostics) for r in run_result.packages]
    try:
        hook(run_result, settings)
    except Exception:  # a bug there must not lose the round's per-package findings
        print("dossier-lint: 内部错误：跨申报包重复检查出错，已跳过。\n" + traceback.format_exc(limit=3),
              file=sys.stderr)
        return
    if cache is not None and round_key is not None:
        cache.put("round", round_key, [r.diagnostics[n:] for r, n in zip(run_result.packages, before, strict=True)])
