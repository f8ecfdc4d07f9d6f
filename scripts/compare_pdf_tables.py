"""Compare the reader's PDFium-based table path with pdfplumber's own parse, page by page.

    python scripts/compare_pdf_tables.py DIR_OR_PDF [...]      # every *.pdf under each argument

For every page the PDF reader treats as a table page (enough path objects, a text layer whose chars have
boxes), the tables from `readers/pdftables.py` (PDFium's paths and char boxes through pdfplumber's
`TableFinder`) are compared with pdfplumber's `page.find_tables()` on its own parse, both through the
reader's merged-cell resolution. Prints one line per file with table pages (pages, identical pages, tables,
time of each way) and the first differing rows of each differing page, then totals. Files PDFium cannot
open (encrypted, broken) are skipped. Use it on real submissions before changing the table path.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def tables_both_ways(data: bytes) -> tuple[dict[int, list], dict[int, list], float, float]:
    """({page: [(rows, bbox)]} from the PDFium path, the same from pdfplumber, seconds of each), for every
    page the reader treats as a table page. Raises pypdfium2's PdfiumError on a file PDFium cannot open."""
    import pdfplumber
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    from dossier_lint.readers import layout, pdftables
    from dossier_lint.readers import pdf as reader

    ours: dict[int, list] = {}
    t0 = time.perf_counter()
    doc = pdfium.PdfDocument(data)
    try:
        for i in range(len(doc)):
            page = doc[i]
            w, h = page.get_size()
            info = layout.PageInfo(i + 1, w, h)
            reader._scan_objects(raw, page.raw, info, None, w * h)
            if info.paths >= layout.TABLE_MIN_PATHS and info.segments <= layout.TABLE_MAX_SEGMENTS:
                tp = page.get_textpage()
                text = tp.get_text_range()
                if len(text) == tp.count_chars():
                    edges = pdftables.edges(raw, page.raw, h, layout.TABLE_MAX_SEGMENTS)
                    chars = pdftables.chars(raw, tp, text, h)
                    ours[i + 1] = [
                        (
                            layout.table_rows_from(t, pdftables.cell_texts(t, chars)),
                            tuple(round(v) for v in t.bbox),
                        )
                        for t in pdftables.find(edges, chars, w, h)
                    ]
                tp.close()
            page.close()
    finally:
        doc.close()
    t_ours = time.perf_counter() - t0
    theirs: dict[int, list] = {}
    t0 = time.perf_counter()
    if ours:
        with pdfplumber.open(io.BytesIO(data), pages=sorted(ours)) as pl:
            for page in pl.pages:
                theirs[page.page_number] = [
                    (layout.table_rows(t), tuple(round(v) for v in t.bbox)) for t in page.find_tables()
                ]
                page.flush_cache()
    return ours, theirs, t_ours, time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="+", type=Path)
    ap.add_argument("--show", type=int, default=3, help="differing rows shown per page (default 3)")
    args = ap.parse_args(argv)

    import logging

    import pypdfium2 as pdfium

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    files = sorted({f for p in args.paths for f in ([p] if p.is_file() else p.rglob("*.pdf"))})
    totals = {"files": 0, "pages": 0, "same": 0, "tables": 0, "ours_s": 0.0, "plumber_s": 0.0}
    for f in files:
        try:
            ours, theirs, t_ours, t_plumber = tables_both_ways(f.read_bytes())
        except pdfium.PdfiumError:
            continue
        except Exception as exc:  # pdfminer may fail where PDFium did not
            print(f"{f}: pdfplumber failed: {exc!r}")
            continue
        if not ours:
            continue
        diff = [p for p in ours if ours[p] != theirs.get(p)]
        n_tables = sum(len(v) for v in theirs.values())
        totals["files"] += 1
        totals["pages"] += len(ours)
        totals["same"] += len(ours) - len(diff)
        totals["tables"] += n_tables
        totals["ours_s"] += t_ours
        totals["plumber_s"] += t_plumber
        print(
            f"{f}: {len(ours)} table pages, {len(ours) - len(diff)} identical, {n_tables} tables; "
            f"PDFium path {t_ours:.3f} s (all pages), pdfplumber {t_plumber:.3f} s (table pages)"
        )
        for p in diff:
            print(f"  page {p}: {len(ours[p])} tables here, {len(theirs.get(p, []))} from pdfplumber")
            shown = 0
            for (ra, _), (rb, _) in zip(ours[p], theirs.get(p, []), strict=False):
                for x, y in zip(ra, rb, strict=False):
                    if x != y and shown < args.show:
                        print(f"    ours:       {x}\n    pdfplumber: {y}")
                        shown += 1
    print(
        f"total: {totals['files']} files, {totals['pages']} table pages, {totals['same']} identical, "
        f"{totals['tables']} tables; PDFium path {totals['ours_s']:.2f} s, pdfplumber {totals['plumber_s']:.2f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
