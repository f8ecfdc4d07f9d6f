"""The pipeline: discover -> read -> classify -> facts -> check -> config/waivers/baseline."""

from __future__ import annotations

import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import classify, discover, facts, readers
from .config import Settings
from .model import (
    SEVERITY_RANK,
    UNREADABLE,
    Diagnostic,
    Document,
    Package,
)
from .rule import Context, kinds


@dataclass
class PackageResult:
    package: Package
    profile: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    waived: list[Diagnostic] = field(default_factory=list)
    fixed: list[dict[str, Any]] = field(default_factory=list)  # baseline entries no longer found
    # With a baseline, `diagnostics` holds only what is new (it gates the exit code); findings already
    # in the baseline are kept here, marked `unchanged`, so every format can still show them.
    unchanged: list[Diagnostic] = field(default_factory=list)
    all_findings: list[Diagnostic] = field(default_factory=list)
    proposal: Any = None  # duplicates.Proposal, set by `slim` for the round check
    timings: dict[str, float] = field(default_factory=dict)
    profile_reason: str = ""  # with `--profile auto`: why this package got its pack (Chinese)

    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in SEVERITY_RANK}
        for d in self.diagnostics:
            out[d.severity] += 1
        return out


@dataclass
class RunResult:
    packages: list[PackageResult] = field(default_factory=list)
    settings: Settings | None = None

    def diagnostics(self) -> list[Diagnostic]:
        return [d for p in self.packages for d in p.diagnostics]

    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in SEVERITY_RANK}
        for p in self.packages:
            for k, v in p.counts().items():
                out[k] += v
        return out


# Why discover refused a member whose issue carries no reason of its own (the document list shows it).
_MEMBER_REASONS = {
    "too-large": "文件过大，未读取（可在配置 [limits] 中调高 max_file_bytes）",
    "encrypted": "压缩包中该文件设有密码，无法读取，请去除密码后重新压缩",
    "nested-archive": "压缩包嵌套层数过多，未展开，请解开后重新压缩",
}


def read_package(src: discover.PackageSource, settings: Settings, read: Any = None) -> Package:
    """`read` replaces `readers.read_document` (batch passes the caching reader)."""
    read = read or readers.read_document
    pkg = Package(path=str(src.path), name=src.name)
    for member in discover.iter_members(src, settings.limits):
        if member.data is None:
            # discover refused the member (bomb, unsafe name, ...): it is still a document.
            fmt = Path(member.relpath).suffix.lower().lstrip(".") or "unknown"
            doc = Document(path=member.relpath, format=fmt, size=member.size, status=UNREADABLE)
            if member.issue is not None:
                doc.issues.append(member.issue)
                doc.reason = str(member.issue.args.get("reason", "")) or _MEMBER_REASONS.get(member.issue.code)
            pkg.documents.append(doc)
            continue
        doc = read(member.relpath, member.data, settings.limits)
        if member.issue is not None:
            doc.issues.append(member.issue)
        pkg.documents.append(doc)
    pkg.issues.extend(getattr(src, "issues", []) or [])
    return pkg


def lint_package(
    src: discover.PackageSource,
    settings: Settings,
    shared: dict[str, Any] | None = None,
    *,
    read: Any = None,
    finish: bool = True,
) -> PackageResult:
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    pkg = read_package(src, settings, read)
    t1 = time.perf_counter()
    classify.classify_package(pkg, settings.kinds)
    t2 = time.perf_counter()
    facts.extract(pkg)
    reason = ""
    if getattr(settings, "auto", False):
        from .config import DEFAULT_PROFILE
        from .jurisdiction import detect

        found = detect(pkg)
        settings, reason = settings.for_profile(found.profile or DEFAULT_PROFILE), found.reason
    t3 = time.perf_counter()
    timings.update(read=t1 - t0, classify=t2 - t1, facts=t3 - t2)
    result = check_package(pkg, settings, shared if shared is not None else {}, timings, finish=finish)
    result.profile_reason = reason
    return result


def check_package(
    pkg: Package,
    settings: Settings,
    shared: dict[str, Any],
    timings: dict[str, float] | None = None,
    *,
    finish: bool = True,
) -> PackageResult:
    """`finish=False` leaves waivers / baseline to the caller (batch applies them after the
    cross-package checks, to results that may come from the cache)."""
    from .packs import condition_holds

    timings = timings if timings is not None else {}
    ctx = Context(package=pkg, settings=settings, shared=shared)
    registry = kinds()
    diags: list[Diagnostic] = []
    for rule in settings.rules():
        if not condition_holds(rule.when, pkg):
            continue
        fn = registry.get(rule.kind)
        if fn is None:  # packs.load_pack validates kinds; this is a safety net
            continue
        t = time.perf_counter()
        try:
            diags.extend(fn(rule, ctx))
        except Exception:  # a bug in one check must not hide the others' findings
            print(
                f"dossier-lint: 内部错误：规则 {rule.id} 在检查 {pkg.name} 时出错，已跳过该规则。\n"
                + traceback.format_exc(limit=3),
                file=sys.stderr,
            )
        key = f"check:{rule.category}"
        timings[key] = timings.get(key, 0.0) + time.perf_counter() - t
    diags = _dedupe(diags)
    _forget(pkg, shared)
    result = PackageResult(package=pkg, profile=settings.profile, timings=timings)
    if finish:
        finish_result(result, diags, settings)
    else:
        result.diagnostics = sorted(diags, key=Diagnostic.sort_key)
    return result


def _forget(pkg: Package, shared: dict[str, Any]) -> None:
    """Drop what the checks memoised for this package. A batch worker's `shared` and the sentence cache
    live for the whole round: kept, every package a worker has checked would stay in its memory."""
    for key in [k for k, v in shared.items() if isinstance(v, tuple) and v and v[0] is pkg]:
        del shared[key]  # the kinds' per-package memos are `(package, value)`
    from .sentences import forget_documents

    forget_documents(pkg.documents)


def slim(result: PackageResult) -> PackageResult:
    """Keep what outlives checking — document metadata, facts, findings and the round-duplicate
    proposal — and drop the documents' content. A batch's parent and the cache then hold kilobytes per
    package, not every page of the round."""
    from .duplicates.proposal import proposal_from_package

    if result.proposal is None:
        result.proposal = proposal_from_package(result.package)
    for doc in result.package.documents:
        doc.blocks, doc.tables, doc.headings = [], [], []
    return result


def finish_result(result: PackageResult, diags: list[Diagnostic], settings: Settings) -> None:
    """Apply config's per-path ignores, waivers and baseline, then sort."""
    finish = getattr(settings, "finish", None)
    if finish is not None:
        diags = finish(result, diags)
    result.diagnostics = sorted(diags, key=Diagnostic.sort_key)


def _dedupe(diags: list[Diagnostic]) -> list[Diagnostic]:
    seen: set[tuple] = set()
    out = []
    for d in diags:
        k = (d.rule, d.file, d.loc, d.message)
        if k not in seen:
            seen.add(k)
            out.append(d)
    return out


def lint_paths(paths: list[Path], settings: Settings) -> RunResult:
    run = RunResult(settings=settings)
    sources = [s for p in paths for s in discover.find_packages(p)]
    for src in sources:
        run.packages.append(lint_package(src, settings))
    return run


def exit_code(run: RunResult, settings: Settings) -> int:
    threshold = SEVERITY_RANK[settings.fail_on]
    failing = any(SEVERITY_RANK[d.severity] >= threshold for d in run.diagnostics())
    if failing:
        return 1
    if settings.max_warnings is not None and run.counts()["warning"] > settings.max_warnings:
        return 1
    return 0
