"""Baseline: the findings accepted at some point, so later runs report only what is new.

The file is JSON (stable order, one entry per package + fingerprint, with a count):

    {"tool": "dossier-lint", "version": 1, "entries": [
      {"package": "智慧城管二期", "rule": "DL203", "file": "可研.docx", "fingerprint": "3f2a…",
       "count": 1, "message": "缺少…"}]}

Matching is count-aware on fingerprints: if the baseline holds a fingerprint twice and the run finds
it three times, two findings are `unchanged` and one is `new`; a fingerprint found fewer times than
recorded is reported as `fixed`. Fingerprints never contain page numbers, so edits that move text
between pages do not turn old findings into new ones.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from .model import Diagnostic

VERSION = 1


def _package_findings(results: Any) -> list[tuple[str, list[Diagnostic]]]:
    """Accepts a RunResult, a list of PackageResults, {package name: [Diagnostic]} or a flat list."""
    if hasattr(results, "packages"):
        results = results.packages
    if isinstance(results, dict):
        return [(str(k), list(v)) for k, v in results.items()]
    out: list[tuple[str, list[Diagnostic]]] = []
    loose: list[Diagnostic] = []
    for r in results:
        if isinstance(r, Diagnostic):
            loose.append(r)
            continue
        name = r.package.name if hasattr(r, "package") else str(getattr(r, "name", ""))
        # what finish() saw before the baseline filtered it (all current findings)
        diags = getattr(r, "all_findings", None)
        if diags is None:
            diags = list(r.diagnostics) + list(getattr(r, "unchanged", []) or [])
        out.append((name, list(diags)))
    if loose:
        out.append(("", loose))
    return out


def write(path: Path, results: Any) -> int:
    """Write the baseline for `results`; returns the number of findings recorded."""
    entries: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    total = 0
    for name, diags in _package_findings(results):
        for d in diags:
            if d.category == "tool":
                continue  # stale-waiver notes are not findings about the documents
            key = (name, d.rule, d.file or "", d.fingerprint)
            e = entries.setdefault(
                key,
                {"package": name, "rule": d.rule, "file": d.file or "", "fingerprint": d.fingerprint,
                 "count": 0, "message": d.message},
            )
            e["count"] += 1
            total += 1
    data = {
        "tool": "dossier-lint",
        "version": VERSION,
        "entries": [entries[k] for k in sorted(entries)],
    }
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".baseline-", suffix=".json", dir=str(path.parent))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=1)
            fh.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return total


def load(path: Path) -> list[dict[str, Any]]:
    from .config import ConfigError

    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise ConfigError(f"无法读取基线文件 {path}：{e.strerror or e}") from None
    except json.JSONDecodeError as e:
        raise ConfigError(f"{path}:{e.lineno}: 基线文件不是有效的 JSON：{e.msg}") from None
    if not isinstance(data, dict) or data.get("tool") != "dossier-lint" or not isinstance(data.get("entries"), list):
        raise ConfigError(f"{path}: 不是 dossier-lint 的基线文件（用 --write-baseline 生成）")
    if data.get("version") != VERSION:
        raise ConfigError(f"{path}: 基线文件版本 {data.get('version')} 不受支持（当前为 {VERSION}），请重新生成")
    out = []
    for e in data["entries"]:
        if not isinstance(e, dict) or not {"rule", "fingerprint"} <= set(e):
            raise ConfigError(f"{path}: 基线条目缺少 rule 或 fingerprint")
        out.append(e)
    return out


def apply(
    diags: list[Diagnostic], path: Path, package: str | None = None
) -> tuple[list[Diagnostic], list[dict[str, Any]]]:
    """Mark each finding `new` or `unchanged` (count-aware); return (diags, fixed entries).

    With `package`, only that package's entries (and entries without a package) are compared."""
    entries = [
        e for e in load(path)
        if package is None or not e.get("package") or e.get("package") == package
    ]
    budget: Counter[str] = Counter()
    info: dict[str, dict[str, Any]] = {}
    for e in entries:
        budget[e["fingerprint"]] += int(e.get("count", 1))
        info.setdefault(e["fingerprint"], e)
    seen: Counter[str] = Counter()
    for d in sorted(diags, key=Diagnostic.sort_key):
        fp = d.fingerprint
        if seen[fp] < budget[fp]:
            d.state = "unchanged"
        else:
            d.state = "new"
        seen[fp] += 1
    fixed = []
    for fp, count in budget.items():
        gone = count - min(count, seen[fp])
        if gone > 0:
            e = info[fp]
            fixed.append(
                {"rule": e["rule"], "file": e.get("file") or None, "fingerprint": fp,
                 "message": e.get("message", ""), "count": gone}
            )
    fixed.sort(key=lambda x: (x["file"] or "", x["rule"], x["fingerprint"]))
    return diags, fixed
