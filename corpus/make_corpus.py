"""Regenerate the sample corpus under corpus/packages/ (deterministic): ``python corpus/make_corpus.py``.

Every name, person and phone number in these packages is fictitious. Planted faults are listed in
corpus/README.md. ``--check`` re-reads every generated file (PDF text layer with pypdfium2, DOCX
headings with python-docx) and verifies that a second build gives identical bytes.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_text import (  # noqa: E402
    broken,
    chenzhou,
    nanchong_forbidden,
    nanchong_missing,
    nanchong_money,
    nanchong_zhcg,
    taixing,
)

HERE = Path(__file__).resolve().parent
OUT = HERE / "packages"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=OUT, help="output folder (default corpus/packages)")
    ap.add_argument("--check", action="store_true", help="verify text layers, headings and determinism")
    args = ap.parse_args(argv)
    report = generate(args.out)
    total = sum(f.stat().st_size for f in args.out.rglob("*") if f.is_file())
    for line in report:
        print(line)
    print(f"total {total / 1024:.0f} KiB in {sum(1 for f in args.out.rglob('*') if f.is_file())} files")
    if args.check:
        from corpus_text.verify import verify

        return verify(args.out, generate)
    return 0


def generate(out: Path) -> list[str]:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    report: list[str] = []
    for mod in (nanchong_zhcg, nanchong_missing, nanchong_forbidden, nanchong_money, taixing, chenzhou, broken):
        report += mod.make(out)
    return report

if __name__ == "__main__":
    raise SystemExit(main())
