"""The PDFium-based table path gives exactly the tables pdfplumber finds from its own parse.

`readers/pdftables.py` feeds pdfplumber's table finder with PDFium's path segments and char boxes instead
of pdfminer's objects (6x faster). These tests hold it to pdfplumber's own result, page by page, on every
PDF in the corpus (office-suite exports in corpus/pdf-tables included) and on geometry that only a matrix
or a form XObject gives.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest

from dossier_lint.readers import pdftables

sys.path.insert(0, str(Path(__file__).parent / "hostile"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import compare_pdf_tables  # noqa: E402
import make_hostile as mh  # noqa: E402

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def _tables_both_ways(data: bytes) -> tuple[dict[int, list], dict[int, list]]:
    ours, theirs, _, _ = compare_pdf_tables.tables_both_ways(data)
    return ours, theirs


def _readable_corpus_pdfs() -> list[Path]:
    out = []
    for path in sorted(CORPUS.rglob("*.pdf")):
        try:
            pdfium.PdfDocument(path.read_bytes()).close()
        except pdfium.PdfiumError:
            continue  # the broken and encrypted samples
        out.append(path)
    return out


@pytest.mark.parametrize("path", _readable_corpus_pdfs(), ids=lambda p: str(p.relative_to(CORPUS)))
def test_corpus_pdf_tables_equal_pdfplumbers(path: Path) -> None:
    ours, theirs = _tables_both_ways(path.read_bytes())
    assert ours == theirs


def test_office_exports_are_in_the_comparison() -> None:
    ours, _ = _tables_both_ways((CORPUS / "pdf-tables" / "taixing-application-form.pdf").read_bytes())
    cells = [c for tables in ours.values() for rows, _ in tables for row in rows for c in row]
    # the checkbox glyphs come from a fallback font and PDFium infers spaces around them
    assert "□新建项目 □续建项目 □改建项目 ☑其他（购买服务）" in cells


def _grid_content(x0: float, y0: float, cols: list[float], rows: list[float], *, as_rects: bool) -> bytes:
    """Ruling lines of a grid whose lower-left corner is (x0, y0), as stroked lines or as thin filled rects."""
    xs = [x0 + sum(cols[:i]) for i in range(len(cols) + 1)]
    ys = [y0 + sum(rows[:i]) for i in range(len(rows) + 1)]
    ops = []
    for x in xs:
        ops.append(
            f"{x - 0.25} {ys[0]} 0.5 {ys[-1] - ys[0]} re f" if as_rects else f"{x} {ys[0]} m {x} {ys[-1]} l S"
        )
    for y in ys:
        ops.append(
            f"{xs[0]} {y - 0.25} {xs[-1] - xs[0]} 0.5 re f" if as_rects else f"{xs[0]} {y} m {xs[-1]} {y} l S"
        )
    return ("\n".join(ops) + "\n").encode()


def _cell_text(x: float, y: float, text: str, size: float = 10) -> bytes:
    return f"BT /FA {size} Tf {x} {y} Td ({text}) Tj ET\n".encode()


@pytest.mark.parametrize("as_rects", [False, True], ids=["stroked-lines", "filled-rects"])
def test_grid_under_a_matrix_and_inside_a_form(as_rects: bool) -> None:
    grid = _grid_content(0, 0, [120, 160], [30, 30, 30], as_rects=as_rects)
    # the form is placed scaled by 0.8 at (100, 400): its rules land on x 100/196/324, y 400/424/448/472
    form = mh.stream(grid, extra=b"/Type /XObject /Subtype /Form /BBox [0 0 400 200] ")
    texts = [
        ("Name", 104, 458),
        ("Amount", 200, 458),
        ("Platform", 104, 434),
        ("120.5", 200, 434),
        ("Cloud", 104, 410),
        ("30", 200, 410),
    ]
    content = b"q 0.8 0 0 0.8 100 400 cm /Im1 Do Q\n" + b"".join(_cell_text(x, y, t) for t, x, y in texts)
    # and a second grid drawn straight on the page under a cm that scales and shifts it
    content += (
        b"q 0.5 0 0 0.5 100 100 cm\n" + _grid_content(0, 0, [200, 200], [40, 40], as_rects=as_rects) + b"Q\n"
    )
    content += _cell_text(104, 126, "Total") + _cell_text(204, 126, "150.5")
    content += _cell_text(104, 106, "Year") + _cell_text(204, 106, "2025")
    data = mh.one_page_pdf(mh.stream(content), extra_objs=[form])
    ours, theirs = _tables_both_ways(data)
    assert ours == theirs
    assert sorted(rows for rows, _ in ours[1]) == [
        [["Name", "Amount"], ["Platform", "120.5"], ["Cloud", "30"]],
        [["Total", "150.5"], ["Year", "2025"]],
    ]


def test_slanted_segments_make_no_edges() -> None:
    content = b"100 100 m 300 300 l S\n100 300 m 300 100 l S\n" * 4
    data = mh.one_page_pdf(mh.stream(content))
    doc = pdfium.PdfDocument(data)
    page = doc[0]
    assert pdftables.edges(raw, page.raw, page.get_size()[1], 1000) == []
    page.close()
    doc.close()


def test_segment_budget_gives_no_edges() -> None:
    data = mh.one_page_pdf(mh.stream(_grid_content(50, 50, [10] * 40, [10] * 40, as_rects=False)))
    doc = pdfium.PdfDocument(data)
    page = doc[0]
    height = page.get_size()[1]
    assert len(pdftables.edges(raw, page.raw, height, 1000)) == 82
    assert pdftables.edges(raw, page.raw, height, 100) == []  # past the budget: a drawing, not a table
    page.close()
    doc.close()
