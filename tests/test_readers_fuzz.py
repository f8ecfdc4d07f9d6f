"""Damaged input never raises: random bytes and randomly corrupted real files always give a Document."""

from __future__ import annotations

import io
import os
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dossier_lint.model import OK, PARTIAL, UNREADABLE
from dossier_lint.readers import read_document
from readers_helpers import PdfPage, make_docx, make_pdf, p


def _xlsx() -> bytes:
    wb = openpyxl.Workbook()
    wb.active.append(["名称", "金额"])
    wb.active.append(["平台", 100])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


SEEDS = {
    "a.pdf": make_pdf([PdfPage(["第一章 总论", "正文内容。"], table=[["序号", "名称"], ["01", "平台"]])]),
    "b.docx": make_docx(p("第一章 总论") + p("正文内容。")),
    "c.xlsx": _xlsx(),
    "d.pdf": (Path(__file__).parent / "fixtures" / "readers" / "report_embedded.pdf").read_bytes(),
}
# FUZZ_EXAMPLES=1000 for a deeper local run; 40 keeps the suite fast
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "40")), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def _valid(doc, name: str, data: bytes) -> None:  # noqa: ANN001
    assert doc.path == name and doc.size == len(data)
    assert doc.status in (OK, PARTIAL, UNREADABLE)
    assert doc.status == OK or doc.reason
    for h in doc.headings:
        assert doc.blocks[h.block_index].kind == "heading"


@FUZZ
@given(name=st.sampled_from(["x.pdf", "x.docx", "x.xlsx", "x.txt", "x.csv", "x.doc", "x"]), data=st.binary(max_size=600))
def test_random_bytes(name: str, data: bytes) -> None:
    _valid(read_document(name, data), name, data)


@FUZZ
@given(
    seed=st.sampled_from(sorted(SEEDS)),
    edits=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=12),
    cut=st.one_of(st.none(), st.floats(0.05, 1)),
)
def test_corrupted_files(seed: str, edits: list[tuple[float, int]], cut: float | None) -> None:
    data = bytearray(SEEDS[seed])
    for pos, byte in edits:
        data[int(pos * len(data))] = byte
    if cut is not None:
        data = data[: max(1, int(len(data) * cut))]
    _valid(read_document(seed, bytes(data)), seed, bytes(data))
