"""make_corpus.py --check: regenerate with verification on, compare bytes, report heading-like stray lines."""

from __future__ import annotations

import hashlib
import io
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import build


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _pdfs(folder: Path) -> list[tuple[str, bytes]]:
    out: list[tuple[str, bytes]] = []
    for p in sorted(folder.rglob("*")):
        if p.suffix == ".pdf":
            out.append((str(p.relative_to(folder)), p.read_bytes()))
        elif p.suffix == ".zip":
            z = zipfile.ZipFile(io.BytesIO(p.read_bytes()))
            for info in z.infolist():
                name = info.filename.encode("cp437").decode("cp936") if not info.flag_bits & 0x800 else info.filename
                if name.endswith(".pdf"):
                    out.append((f"{p.name}!{name}", z.read(info)))
    return out


def verify(out: Path, generate: Callable[[Path], list[str]]) -> int:
    failures = 0
    build.VERIFY = True
    with tempfile.TemporaryDirectory() as tmp:
        second = Path(tmp) / "packages"
        try:
            generate(second)
        except AssertionError as exc:
            print(f"FAIL verification: {exc}")
            return 1
        a, b = _digest(out), _digest(second)
        diff = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
        if diff:
            failures += 1
            print("FAIL not deterministic:", *diff, sep="\n  ")
        else:
            print(f"ok: {len(a)} files regenerate byte-identically; text layers and headings verified")
    try:
        from dossier_lint.headings import is_toc_line, match_numbering
    except ImportError:  # the package is optional for corpus generation
        return 1 if failures else 0
    for name, data in _pdfs(out):
        try:
            pages = build.pdf_text(data)
        except Exception as exc:  # encrypted / scanned files are expected to fail or be empty
            print(f"note: {name}: {exc}")
            continue
        if not "".join(pages).strip():
            print(f"note: {name}: no text layer")
            continue
        stray = []
        for n, text in enumerate(pages, start=1):
            for line in text.splitlines():
                num = match_numbering(line)
                if num and not is_toc_line(line) and len(line) > 30:
                    stray.append(f"p{n}: {line.strip()}")
        if stray:
            print(f"note: {name}: long numbered lines (check they are headings):", *stray[:5], sep="\n  ")
    return 1 if failures else 0
