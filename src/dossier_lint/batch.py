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

A worker stuck inside a library call (a page pdfplumber never finishes, a regex that backtracks forever)
cannot be stopped from within: the readers' per-document deadline (`limits.max_seconds`) is only looked
at between pages, and a C call holding the GIL starves any watchdog thread. So each worker tells the
parent, over a pipe, when it starts a package, each document and the checks; a package whose current
step has run `STALL_FACTOR` times `max_seconds` without finishing is stuck: the parent kills that
worker, reports the package with the tool's timeout rule (`kind = "tool"`, `code = "package-timeout"`,
DL903, naming the file being read), and lints the packages that were in flight beside it again in a
fresh pool. (A run of one package is linted in this process, with no pool and so no such deadline.)

Throughput (the parent is the one serial process of a round, so it does as little as it can): the biggest
packages go first (the round does not end on one worker while the other idles); one package more than
there are workers is queued, so a worker finishing never waits for the parent to hand it the next; each
package is looked up in the cache as its turn comes, so the pool forks at the first miss and the parent
hashes the rest while the workers lint (a warm round forks nothing); workers tokenise each package's
proposal for the round check (`duplicates.attach_tokens`), so the parent only matches pairs and never
loads jieba; results come back slimmed (`engine.slim`); what the parent holds when the workers fork is
frozen for the collector (`gc.freeze`).

The cross-package hook contract: `dossier_lint.duplicates.cross_package(run: engine.RunResult, settings)`
adds findings to `run.packages[i].diagnostics` in place (before waivers and baseline apply).
"""

from __future__ import annotations

import gc
import hashlib
import os
import signal
import sys
import threading
import time
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
# rule for that code); this arg marks the issue as the tool's, not the files'.
CRASH_ARG = "worker_crash"

# A package whose current step (one document's reading, or the checks) has run this many times
# `limits.max_seconds` is stuck: the reader's own deadline would have stopped it long before.
STALL_FACTOR = 2.0
# The tool rule (`kind = "tool"`, `params.code`) that reports a package stopped for being stuck.
TIMEOUT_CODE = "package-timeout"
# Packages queued in the pool beyond one per worker (so a worker never waits for the parent).
PREFETCH = 1

Progress = Callable[[int], None]


# --- worker side -------------------------------------------------------------------------------------

_STATE: dict[str, Any] = {}


def _init_worker(settings: Any, cache_dir: str | None, board: Any = None, round_tokens: bool = False) -> None:
    """`board`: where the worker says what it is doing (the writing end of a pipe the parent reads);
    `round_tokens`: the run is a round, so tokenise each proposal here for the parent's round check."""
    _STATE["settings"] = settings
    _STATE["cache"] = cache = Cache(Path(cache_dir)) if cache_dir else None
    _STATE["read"] = CachingReader(cache) if cache is not None else None
    _STATE["shared"] = {}  # per-process services (e.g. the duplicate index), built once per worker
    _STATE["board"] = board
    _STATE["round_tokens"] = round_tokens
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


# What a worker is doing, as posted on the board: (package tag, pid, time.monotonic(), step, file).
STEP_PACKAGE, STEP_READ, STEP_CHECK = "package", "read", "check"


def _post(tag: int | None, step: str, file: str | None = None) -> None:
    board = _STATE.get("board")
    if board is not None and tag is not None:
        # written in this thread before the step starts (a step that never returns has been announced),
        # in one write of less than PIPE_BUF bytes: atomic among the workers, no lock a killed one could hold
        board.send((tag, os.getpid(), time.monotonic(), step, file[:400] if file else file))


def _announcing_reader(read: Any, tag: int | None) -> Callable[..., Any]:
    def announced_read(relpath: str, data: bytes, limits: Any) -> Any:
        _post(tag, STEP_READ, relpath)
        from . import readers

        doc = (read or readers.read_document)(relpath, data, limits)
        _post(tag, STEP_CHECK)  # until the next document: classify, facts, checks come after the last
        return doc

    return announced_read


def _lint_one(src: discover.PackageSource, key: str | None = None, tag: int | None = None
              ) -> engine.PackageResult | str:
    """Lint one package and cache its raw result under `key` (in the worker, so the pickling runs in
    parallel); a Python exception comes back as its traceback text, never kills the worker. `tag`: the
    package's number in the parent, for the board."""
    settings, shared = _STATE["settings"], _STATE["shared"]
    read = _STATE["read"]
    if _STATE.get("board") is not None:
        _post(tag, STEP_PACKAGE)
        read = _announcing_reader(read, tag)
    try:
        res = engine.lint_package(src, settings, shared, read=read, finish=False)
    except Exception:
        return traceback.format_exc(limit=8)
    engine.slim(res)
    if _STATE.get("round_tokens") and res.proposal is not None:
        try:
            from . import duplicates

            duplicates.attach_tokens(res.proposal, settings, shared)
        except Exception:  # the parent tokenises what has no tokens (and reports it if it fails there)
            res.proposal.tokens = None
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
    rnd = _Round(sources, settings, str(cache_root()) if use_cache else None, opts.get("mp_context"),
                 round_tokens=len(sources) > 1)

    bar = None
    if show_progress(opts) and len(sources) > 1:
        import click

        bar = click.progressbar(length=len(sources), label="检查申报包", file=sys.stderr, show_pos=True)
        bar.__enter__()

    def advance(n: int = 1) -> None:
        if bar is not None:
            bar.update(n)

    rnd.advance = advance
    try:
        if cache is not None:
            rnd.cache, rnd.settings_fp = cache, settings_fingerprint(settings)
        if len(sources) == 1 or (jobs == 1 and opts.get("in_process")):
            todo = [i for i in range(len(sources)) if rnd.claim(i)]
            if todo:
                _run_here(rnd, todo)  # one package: no pool to start (what pre-commit on one package pays)
        elif sources:
            # each package is looked up in the cache as its turn comes, so the pool starts (forks) at the
            # first miss and the rest are hashed while the workers lint; a warm round starts no pool at all
            _run_pool(rnd, list(range(len(sources))), min(jobs, len(sources)))
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    if cache is not None and len(rnd.cached) < len(sources):
        cache.prune()  # something new was written: keep the cache within its size

    run_result = engine.RunResult(packages=[r for r in rnd.results if r is not None], settings=settings)
    round_key = None
    if cache is not None and all(rnd.keys) and not rnd.failed:
        round_key = hashlib.sha256("\x1f".join(["round", *rnd.keys]).encode()).hexdigest()  # type: ignore[list-item]
    _cross_package(run_result, settings, cache, round_key)
    for res in run_result.packages:
        engine.finish_result(res, res.diagnostics, settings)
    return run_result


class _Round:
    """What the passes of one run share: the packages, their cache keys and results so far."""

    def __init__(self, sources: list[discover.PackageSource], settings: Any, cache_dir: str | None,
                 mp_context: Any = None, round_tokens: bool = False) -> None:
        self.sources = sources
        self.settings = settings
        self.cache_dir = cache_dir
        self.mp_context = mp_context
        self.round_tokens = round_tokens
        self.keys: list[str | None] = [None] * len(sources)
        self.results: list[engine.PackageResult | None] = [None] * len(sources)
        self.failed: set[int] = set()  # crashed or stopped: never part of a cached round
        self.advance: Progress = lambda n=1: None
        self.cache: Cache | None = None  # the package cache, when the run uses one
        self.settings_fp = ""
        self.pool_started = False
        self.cached: set[int] = set()  # answered by the cache

    def claim(self, i: int) -> bool:
        """Whether package `i` is still to be linted: False once it has a result, or when its result
        is in the cache (then taken from there). Computes its cache key on first sight."""
        if self.results[i] is not None:
            return False
        if self.cache is None:
            return True
        if self.keys[i] is None:
            self.keys[i] = package_key(self.sources[i], self.settings, self.settings_fp)
            hit = self.cache.get("pkg", self.keys[i], engine.PackageResult)  # type: ignore[arg-type]
            if hit is not None:
                self.cached.add(i)
                self.done(i, hit)
                return False
        return True

    def done(self, i: int, res: engine.PackageResult, failed: bool = False) -> None:
        self.results[i] = res
        if failed:
            self.failed.add(i)
        self.advance()

    def cost(self, i: int) -> int:
        """Bytes on disk: a cheap guess at how long a package takes, to start the long ones first."""
        path = Path(self.sources[i].path)
        try:
            if path.is_file():
                return path.stat().st_size
            return sum(e.stat().st_size for e in path.rglob("*") if e.is_file())
        except OSError:
            return 0


def _run_here(rnd: _Round, todo: list[int]) -> None:
    """Lint in this process (no pool, so no deadline either: one package, or `in_process` in tests)."""
    _init_worker(rnd.settings, rnd.cache_dir, None, rnd.round_tokens)
    try:
        for i in todo:
            out = _lint_one(rnd.sources[i], rnd.keys[i])
            if isinstance(out, engine.PackageResult):
                rnd.done(i, out)
            else:
                rnd.done(i, crash_result(rnd.sources[i], rnd.settings, out), failed=True)
    finally:
        _STATE.clear()


def _before_fork(rnd: _Round) -> None:
    """Once, just before a pool's workers fork (at its first submit)."""
    if rnd.pool_started:
        return
    rnd.pool_started = True
    if rnd.round_tokens:
        # what this process needs for the round check anyway, imported before the workers fork, so they
        # inherit it instead of each importing it again
        from rapidfuzz import fuzz  # noqa: F401

        from . import duplicates  # noqa: F401
        from .duplicates import tokens  # noqa: F401


def _run_pool(rnd: _Round, todo: list[int], jobs: int) -> None:
    # biggest first (longest processing time first): the round then ends on small packages, both
    # workers busy to the end; results keep the packages' order whatever order they are linted in
    costs = {i: rnd.cost(i) for i in todo}
    queue = sorted(todo, key=lambda i: (-costs[i], i))
    while queue:
        suspects = _pool_pass(rnd, queue, jobs)
        # the packages that were in flight when the pool broke: re-run each alone to find the culprit
        for i in suspects:
            if rnd.results[i] is not None:
                continue
            left = _pool_pass(rnd, [i], 1)
            if left and rnd.results[i] is None:
                rnd.done(i, crash_result(rnd.sources[i], rnd.settings, None), failed=True)
        queue = [i for i in queue if rnd.results[i] is None]


def _mp_context(ctx: Any) -> Any:
    import multiprocessing

    if isinstance(ctx, str):
        return multiprocessing.get_context(ctx)
    return ctx or multiprocessing.get_context()


def _stall_seconds(settings: Any) -> float:
    limits = getattr(settings, "limits", None)
    return STALL_FACTOR * float(getattr(limits, "max_seconds", 60.0))


def _pool_pass(rnd: _Round, queue: list[int], jobs: int) -> list[int]:
    """Lint `queue` with at most `jobs` + PREFETCH packages in flight. Returns the packages that were in
    flight when the pool broke by itself ([] when it did not), so the caller knows exactly which ones
    may have killed it. A package stuck past its deadline is reported here; its worker is killed, which
    breaks the pool: the packages in flight beside it are innocent, left for the caller's next pass."""
    pending = list(queue)
    running: dict[Future, int] = {}
    ctx = _mp_context(rnd.mp_context)
    board = _Board(ctx)
    stuck: dict[int, tuple[str, str | None]] = {}  # package -> (step, file) when its worker was killed
    stall = _stall_seconds(rnd.settings)
    poll = max(0.05, min(1.0, stall / 8))
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_init_worker,
                                 initargs=(rnd.settings, rnd.cache_dir, board.writer, rnd.round_tokens)) as pool:
            try:
                # the workers fork at the first submit: what this process holds then is theirs for good,
                # so their collector need not walk it (nor touch, hence copy, its pages) — gc.freeze()
                gc.freeze()
                while pending or running:
                    # the in-flight set is exactly the suspects when a worker dies: only the pool's
                    # workers plus PREFETCH queued ones
                    while pending and len(running) < jobs + PREFETCH:
                        i = pending.pop(0)
                        if not rnd.claim(i):  # answered by the cache
                            continue
                        _before_fork(rnd)
                        running[pool.submit(_lint_one, rnd.sources[i], rnd.keys[i], i)] = i
                    gc.unfreeze()
                    done, _ = wait(list(running), timeout=poll, return_when=FIRST_COMPLETED)
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
                        if isinstance(out, engine.PackageResult):  # (a stuck one may finish as it is killed)
                            rnd.done(i, out)
                        else:
                            rnd.done(i, crash_result(rnd.sources[i], rnd.settings, out), failed=True)
                    if broken:
                        return _after_break(rnd, running, stuck, stall)
                    _kill_stuck(running, board.doing(), stuck, stall)
            except BrokenProcessPool:  # raised by submit() on an already broken pool
                return _after_break(rnd, running, stuck, stall)
    finally:
        gc.unfreeze()
        board.close()
    return []


class _Board:
    """What each worker of a pool is doing now: the workers write to a pipe, a thread of the parent reads
    it as messages come (so a worker never waits on a full pipe, whatever the parent is doing)."""

    def __init__(self, ctx: Any) -> None:
        self.reader, self.writer = ctx.Pipe(duplex=False)
        self._doing: dict[int, tuple[int, float, str, str | None]] = {}  # pid -> (package, since, step, file)
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._read, name="dossier-lint-board", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        while True:
            try:
                msg = self.reader.recv()
            except (EOFError, OSError):
                return
            if msg is None:
                return
            tag, pid, since, step, file = msg
            with self._lock:
                self._doing[pid] = (tag, since, step, file)

    def doing(self) -> dict[int, tuple[int, float, str, str | None]]:
        with self._lock:
            return dict(self._doing)

    def close(self) -> None:
        try:
            self.writer.send(None)  # the parent's own end: wakes the reading thread at once
        except OSError:
            pass
        self._thread.join(timeout=10)
        self.writer.close()
        self.reader.close()


def _kill_stuck(running: dict[Future, int], doing: dict[int, tuple[int, float, str, str | None]],
                stuck: dict[int, tuple[str, str | None]], stall: float) -> None:
    """Kill each worker whose current step, on a package still in flight, began more than `stall` ago."""
    live = set(running.values())
    now = time.monotonic()
    for pid, (i, since, step, file) in doing.items():
        if i in live and i not in stuck and now - since > stall:
            stuck[i] = (step, file)
            try:
                os.kill(pid, getattr(signal, "SIGKILL", signal.SIGTERM))
            except OSError:  # gone already
                pass


def _after_break(rnd: _Round, running: dict[Future, int], stuck: dict[int, tuple[str, str | None]],
                 stall: float) -> list[int]:
    """The pool broke: report what we stopped; the rest are suspects only when we did not break it."""
    for i, (step, file) in stuck.items():
        if rnd.results[i] is None:
            rnd.done(i, timeout_result(rnd.sources[i], rnd.settings, step, file, stall), failed=True)
    if stuck:
        return []
    return sorted(running.values())


def timeout_result(src: discover.PackageSource, settings: Any, step: str, file: str | None,
                   seconds: float) -> engine.PackageResult:
    """The result of a package stopped because one step of it ran past its deadline: the tool rule for
    `package-timeout` only (the other rules would report an unchecked package's gaps)."""
    pkg = Package(path=str(src.path), name=src.name)
    result = engine.PackageResult(package=pkg, profile=getattr(settings, "profile", ""))
    if step == STEP_READ and file:
        activity = f"读取“{file}”"
    elif step == STEP_CHECK:
        activity = "规则检查"
    else:
        activity = "读取申报包"
    for rule in settings.rules():
        if rule.kind == "tool" and rule.params.get("code") == TIMEOUT_CODE:
            result.diagnostics.append(rule.diag(
                file=file if step == STEP_READ else None, key=TIMEOUT_CODE, evidence=activity,
                data={"step": step, "seconds": seconds}, activity=activity, seconds=f"{seconds:g}"))
    print(f"dossier-lint: {src.name}：{activity}超过 {seconds:g} 秒未结束，已终止该申报包的检查。", file=sys.stderr)
    return result


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
