"""Changed files -> the packages that hold them, so a pre-commit hook lints whole packages, once each.

A document is checked with its package (completeness and consistency need every file), so the hook maps
each file to its package root the way `dossier-lint check` would discover it: climbing from the file, a
folder whose parent `discover.find_packages` reports as one package of several is a package root; a
parent that is itself one package ("absorbs" the child: it holds documents, or its subfolders look like
document categories such as "01 可研报告") is climbed into. The repository root (the working directory) is
a package only for documents lying directly in it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from . import discover


def package_root(file: Path, top: Path) -> Path | None:
    """The package that holds `file` (absolute paths), or None when discovery ignores it."""
    inside = top in file.parents
    if inside and any(discover.is_ignored(part) for part in file.relative_to(top).parts[:-1]):
        return None  # under a hidden / tool folder: discovery never takes it
    cand = file
    while True:
        parent = cand.parent
        if parent == cand:  # the file system's root
            return cand
        if inside and parent == top:
            return top if cand == file else cand
        found = {s.path for s in discover.find_packages(parent)}
        if found == {parent}:  # the parent is one package holding cand: climb
            cand = parent
            continue
        return cand if cand in found else None


def package_roots(files: Iterable[Path], top: Path | None = None) -> list[Path]:
    """Distinct package roots of `files` (paths relative to `top` when under it), in a stable order;
    a root inside another root is dropped (the outer package holds it)."""
    top = (top or Path.cwd()).absolute()
    roots: set[Path] = set()
    for f in files:
        path = (top / f) if not Path(f).is_absolute() else Path(f)
        if not path.exists():
            continue
        root = package_root(path.absolute(), top)
        if root is not None:
            roots.add(root)
    kept = [r for r in roots if not any(o != r and o in r.parents for o in roots)]
    out = []
    for r in sorted(kept):
        try:
            out.append(r.relative_to(top) if r != top else Path("."))
        except ValueError:
            out.append(r)
    return out
