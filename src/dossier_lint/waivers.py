"""Waivers: accepted findings, kept in a TOML file next to the packages, each with a reason.

```toml
[[waiver]]
rule = "DL203"                       # required
file = "可行性研究报告.docx"          # the document, relative to the package ("" = the package itself)
fingerprint = "3f2a9c0d1e4b5a67"     # Diagnostic.fingerprint (`--format json` shows it)
reason = "专篇单独成册，见附件3"      # required
expires = 2025-12-31                 # optional (TOML date or "YYYY-MM-DD")
package = "智慧城管二期"              # optional: only this package (several packages share a file)
```

A waiver matches a finding of its rule, in its file, with its fingerprint (without `fingerprint`:
every finding of the rule in that file; without `file` and `fingerprint`: every finding of the rule in
the package). Waivers that match nothing are reported as DL901 and removed by `--prune-waivers`,
which rewrites only the waiver file (comments and other entries are kept). An expired waiver no longer
applies: its findings come back and DL902 says so.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .model import Basis, Diagnostic, Package

KEYS = {"rule", "file", "fingerprint", "reason", "expires", "package"}


@dataclass
class Waiver:
    index: int  # position among the file's [[waiver]] entries
    line: int
    rule: str
    file: str | None
    fingerprint: str | None
    reason: str
    expires: _dt.date | None
    package: str | None

    def matches(self, d: Diagnostic) -> bool:
        if d.rule != self.rule:
            return False
        if self.file is not None and (d.file or "") != self.file:
            return False
        return self.fingerprint is None or d.fingerprint == self.fingerprint

    def describe(self) -> str:
        return f"{self.rule} {self.file or '（整个申报包）'} {self.fingerprint or ''}".strip()


def load(path: Path) -> list[Waiver]:
    """Parse a waiver file; raises config.ConfigError with file and line for any bad entry."""
    from .config import ConfigError

    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as e:
        raise ConfigError(f"无法读取豁免文件 {path}：{e.strerror or e}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"\(at line (\d+), column \d+\)", str(e))
        what = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(e))
        raise ConfigError(f"{path}:{m.group(1) if m else 1}: TOML 语法错误：{what}") from None
    extra = set(data) - {"waiver"}
    if extra:
        raise ConfigError(f"{path}: 未知的顶层键 {', '.join(sorted(extra))}；豁免条目应写成 [[waiver]]")
    if not isinstance(data.get("waiver", []), list):
        raise ConfigError(f"{path}:1: 豁免条目应写成 [[waiver]]（每条一个表）")
    lines = _entry_lines(text)
    out: list[Waiver] = []
    for i, raw in enumerate(data.get("waiver", [])):
        line = lines[i] if i < len(lines) else 1
        where = f"{path}:{line}"
        if not isinstance(raw, dict):
            raise ConfigError(f"{where}: [[waiver]] 必须是表")
        bad = set(raw) - KEYS
        if bad:
            raise ConfigError(f"{where}: 未知的键 {', '.join(sorted(bad))}；允许：{', '.join(sorted(KEYS))}")
        rule = raw.get("rule")
        if not isinstance(rule, str) or not re.fullmatch(r"DL\d{3}", rule):
            raise ConfigError(f"{where}: rule 必须是规则 ID，如 \"DL203\"")
        reason = raw.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise ConfigError(f"{where}: 豁免 {rule} 缺少 reason（豁免理由为必填）")
        for k in ("file", "fingerprint", "package"):
            if k in raw and not isinstance(raw[k], str):
                raise ConfigError(f"{where}: {k} 必须是字符串")
        expires = raw.get("expires")
        if isinstance(expires, str):
            try:
                expires = _dt.date.fromisoformat(expires)
            except ValueError:
                raise ConfigError(f"{where}: expires 必须是日期，如 2025-12-31") from None
        elif isinstance(expires, _dt.datetime):
            expires = expires.date()
        elif expires is not None and not isinstance(expires, _dt.date):
            raise ConfigError(f"{where}: expires 必须是日期，如 2025-12-31")
        out.append(
            Waiver(
                index=i, line=line, rule=rule,
                file=raw.get("file"), fingerprint=raw.get("fingerprint") or None,
                reason=reason.strip(), expires=expires, package=raw.get("package") or None,
            )
        )
    return out


def _entry_lines(text: str) -> list[int]:
    return [n for n, ln in enumerate(text.splitlines(), 1) if re.match(r"^\s*\[\[\s*waiver\s*\]\]", ln)]


def apply(
    diags: list[Diagnostic],
    waiver_file: Path,
    package: Package | str,
    rules: dict[str, Any] | None = None,
    today: _dt.date | None = None,
) -> tuple[list[Diagnostic], list[Diagnostic], list[Diagnostic]]:
    """(kept, waived, tool findings). Tool findings are DL901 (unused waiver; `data.waiver_index`)
    and DL902 (expired waiver), made from the enabled rules in `rules` (absent = not reported)."""
    today = today or _dt.date.today()
    name = package.name if isinstance(package, Package) else str(package)
    doc_paths = {d.path for d in package.documents} if isinstance(package, Package) else None
    entries = [
        w for w in load(waiver_file)
        if (w.package is None or w.package == name)
        # an unscoped entry for a file this package does not have belongs to another package
        and (w.package is not None or doc_paths is None or not w.file or w.file in doc_paths)
    ]
    used: set[int] = set()
    expired_hits: dict[int, Waiver] = {}
    kept: list[Diagnostic] = []
    waived: list[Diagnostic] = []
    for d in diags:
        hit = None
        for w in entries:
            if w.matches(d):
                if w.expires is not None and w.expires < today:
                    expired_hits[w.index] = w
                    continue
                hit = w
                break
        if hit is None:
            kept.append(d)
        else:
            used.add(hit.index)
            d.waived = hit.reason
            waived.append(d)
    tool: list[Diagnostic] = []
    rules = rules or {}
    for w in entries:
        if w.index in used:
            continue
        if w.index in expired_hits:
            r = rules.get("DL902")
            if r is not None:
                tool.append(_tool_diag(r, w, waiver_file))
        else:
            r = rules.get("DL901")
            if r is not None:
                tool.append(_tool_diag(r, w, waiver_file))
    return kept, waived, tool


def _tool_diag(rule: Any, w: Waiver, waiver_file: Path) -> Diagnostic:
    message = rule.message.format_map(
        _Fields(rule=w.rule, file=w.file or "（整个申报包）", expires=w.expires.isoformat() if w.expires else "")
    )
    return Diagnostic(
        rule=rule.id,
        name=rule.slug,
        severity=rule.severity,
        category=rule.category,
        message=message,
        file=None,
        loc=None,
        basis=tuple(Basis(b.source, b.article) for b in rule.basis),
        evidence=f"{waiver_file.name}:{w.line} {w.describe()}",
        data={"waiver_file": str(waiver_file), "waiver_line": w.line, "waiver_index": w.index},
        key=f"waiver:{w.rule}:{w.file}:{w.fingerprint}",
    )


class _Fields(dict):
    def __missing__(self, key: str) -> str:
        return ""


def prune(waiver_file: Path, indices: list[int]) -> int:
    """Remove the [[waiver]] entries at `indices` from the file, keeping everything else as written.
    Rewrites the waiver file only (atomically); returns how many entries were removed."""
    if not indices:
        return 0
    text = waiver_file.read_text(encoding="utf-8-sig")
    lines = text.splitlines(keepends=True)
    heads = [n - 1 for n in _entry_lines(text)]
    # an entry owns the comment lines right above its header, up to the next entry's comments
    leads = []
    for h in heads:
        k = h
        while k > 0 and lines[k - 1].lstrip().startswith("#"):
            k -= 1
        leads.append(k)
    drop: set[int] = set()
    for i in sorted(set(indices)):
        if i >= len(heads):
            continue
        end = leads[i + 1] if i + 1 < len(heads) else len(lines)
        drop.update(range(leads[i], end))
    new = "".join(ln for k, ln in enumerate(lines) if k not in drop)
    new = re.sub(r"\n{3,}", "\n\n", new)
    fd, tmp = tempfile.mkstemp(prefix=".waivers-", suffix=".toml", dir=str(waiver_file.parent))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(new)
        os.replace(tmp, waiver_file)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return len([i for i in set(indices) if i < len(heads)])
