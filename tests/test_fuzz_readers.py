"""Property-based: mutated bytes of the real corpus files, fed to every reader and to the whole CLI.

The only allowed outcomes are a clean read or a document that says, with an `input` issue and a Chinese
reason, what went wrong — within the limits (time, and a partial document names its limit). Mutations
are structure-aware where it matters: inside a zip member of a .docx/.xlsx (so the container opens and
the XML is what breaks), on the numbers of a PDF (counts, lengths, offsets, boxes), and plain byte
damage (flips, cuts, repeats) for everything.

`FUZZ_EXAMPLES` sets the examples per test (default 50; the CLI test runs a third of that).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import time
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dossier_lint.kinds.input import CODES
from dossier_lint.limits import Limits
from dossier_lint.model import OK, PARTIAL, UNREADABLE
from dossier_lint.readers import read_document
from helpers import CORPUS, PACKAGES, lint_json

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "50"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                print_blob=True)
LIMITS = Limits(max_seconds=10, max_pages=50, max_cells=50_000, max_decompressed_bytes=64 * 1024 * 1024,
                max_pdf_stream_bytes=32 * 1024 * 1024)
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Issues that explain why a document is not fully read (the others - comments, tracked changes, hidden
# text - are findings about a readable document).
_EXPLAINING = set(CODES) - {"comments", "tracked-changes", "hidden-text", "unknown-kind", "no-embedded-fonts",
                            "formula-error"}


def _seeds(*suffixes: str) -> list[Path]:
    files = sorted(p for p in PACKAGES.rglob("*") if p.suffix.lower() in suffixes and p.is_file())
    cases = sorted(p for p in (CORPUS / "cases").rglob("*") if p.suffix.lower() in suffixes and p.is_file())
    picked = files + cases[:: max(1, len(cases) // 12)]
    assert picked, suffixes
    return picked


SEEDS = {
    "pdf": _seeds(".pdf"),
    "docx": _seeds(".docx"),
    "xlsx": _seeds(".xlsx"),
    "text": _seeds(".md", ".csv", ".txt"),
}
_BYTES: dict[Path, bytes] = {}


def _data(p: Path) -> bytes:
    if p not in _BYTES:
        _BYTES[p] = p.read_bytes()
    return _BYTES[p]


# --- mutations ---------------------------------------------------------------------------------------

flips = st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=16)
spans = st.tuples(st.floats(0, 1, exclude_max=True), st.floats(0, 1, exclude_max=True))


@st.composite
def byte_damage(draw: st.DrawFn, data: bytes) -> bytes:
    buf = bytearray(data)
    kind = draw(st.sampled_from(["flip", "cut", "repeat", "delete", "insert"]))
    n = len(buf)
    if kind == "flip" or n < 4:
        for pos, byte in draw(flips):
            if buf:
                buf[int(pos * len(buf))] = byte
    elif kind == "cut":
        buf = buf[: int(n * draw(st.floats(0, 1, exclude_max=True)))]
    else:
        a, b = sorted(int(x * n) for x in draw(spans))
        if kind == "repeat":
            buf[b:b] = buf[a : a + min(b - a, 1 << 16)] * draw(st.integers(1, 8))
        elif kind == "delete":
            del buf[a:b]
        else:
            buf[a:a] = draw(st.binary(min_size=1, max_size=64))
    return bytes(buf)


_NUMBER = re.compile(rb"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])")
_ODD_NUMBERS = [b"0", b"-1", b"1", b"2147483648", b"99999999999999999999", b"1e999", b"nan", b"3.4e38", b"7"]


@st.composite
def pdf_numbers(draw: st.DrawFn, data: bytes) -> bytes:
    """Replace a few numbers (object numbers, /Count, /Length, xref offsets, MediaBox) with odd ones."""
    found = [m.span() for m in _NUMBER.finditer(data[:400_000])]
    if not found:
        return data
    out = bytearray(data)
    for i in sorted({draw(st.integers(0, len(found) - 1)) for _ in range(draw(st.integers(1, 6)))}, reverse=True):
        a, b = found[i]
        out[a:b] = draw(st.sampled_from(_ODD_NUMBERS))
    return bytes(out)


@st.composite
def zip_member_damage(draw: st.DrawFn, data: bytes) -> bytes:
    """Damage one member's uncompressed bytes (or drop / rename it) and zip it up again."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = [(i.filename, zf.read(i)) for i in zf.infolist()]
    except zipfile.BadZipFile:  # a seed that is damaged already (broken-inputs)
        return draw(byte_damage(data))
    if not members:
        return data
    idx = draw(st.integers(0, len(members) - 1))
    action = draw(st.sampled_from(["damage", "damage", "damage", "drop", "rename", "truncate-xml"]))
    name, body = members[idx]
    if action == "drop":
        del members[idx]
    elif action == "rename":
        members[idx] = (draw(st.sampled_from(["../" + name, "/" + name, name.upper(), name + "\\x"])), body)
    elif action == "truncate-xml":
        members[idx] = (name, body[: int(len(body) * draw(st.floats(0, 1)))])
    else:
        members[idx] = (name, draw(byte_damage(body)))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for n, b in members:
            out.writestr(n, b)
    return buf.getvalue()


def mutated(fmt: str) -> st.SearchStrategy[tuple[str, bytes]]:
    @st.composite
    def strat(draw: st.DrawFn) -> tuple[str, bytes]:
        seed = draw(st.sampled_from(SEEDS[fmt]))
        data = _data(seed)
        options = [byte_damage(data)]
        if fmt == "pdf":
            options.append(pdf_numbers(data))
        if fmt in ("docx", "xlsx"):
            options += [zip_member_damage(data)] * 2
        return seed.name, draw(st.one_of(options))

    return strat()


# --- the property ------------------------------------------------------------------------------------


def check_document(name: str, data: bytes) -> None:
    t = time.monotonic()
    doc = read_document(name, data, LIMITS)
    seconds = time.monotonic() - t
    assert seconds < LIMITS.max_seconds + 10, f"{name}: {seconds:.1f} s"
    assert doc.path == name and doc.size == len(data)
    assert doc.status in (OK, PARTIAL, UNREADABLE)
    codes = {i.code for i in doc.issues}
    assert codes <= set(CODES), codes - set(CODES)  # every issue has an input rule to report it
    if doc.status != OK:
        assert doc.reason and _CJK.search(doc.reason), doc.reason
    if doc.status == PARTIAL:
        assert codes & _EXPLAINING, (doc.reason, codes)  # a partial read is reported, not silent
    for i in doc.issues:
        if i.code == "limit-hit":
            assert i.args["limit"] in {f for f in LIMITS.to_dict()}
    for h in doc.headings:
        assert doc.blocks[h.block_index].kind == "heading" and doc.blocks[h.block_index].text == h.text
    for table in doc.tables:
        assert all(isinstance(c.text, str) for row in table.rows for c in row)


@FUZZ
@given(case=mutated("pdf"))
def test_pdf_reader(case: tuple[str, bytes]) -> None:
    check_document(*case)


@FUZZ
@given(case=mutated("docx"))
def test_docx_reader(case: tuple[str, bytes]) -> None:
    check_document(*case)


@FUZZ
@given(case=mutated("xlsx"))
def test_xlsx_reader(case: tuple[str, bytes]) -> None:
    check_document(*case)


@FUZZ
@given(case=mutated("text"))
def test_text_and_csv_readers(case: tuple[str, bytes]) -> None:
    check_document(*case)


@FUZZ
@given(case=st.one_of(mutated("pdf"), mutated("docx"), mutated("xlsx")),
       name=st.sampled_from(["x.pdf", "x.docx", "x.xlsx", "x.doc", "x.txt", "x.csv", "x.zip", "x"]))
def test_any_bytes_under_any_name(case: tuple[str, bytes], name: str) -> None:
    check_document(name, case[1])


# --- the whole CLI -----------------------------------------------------------------------------------

_PKG_FILES = [
    PACKAGES / "taixing-service-purchase" / "附件 泰兴市政务信息化项目申报表.docx",
    next((PACKAGES / "nanchong-zhcg-complete").glob("08_*.xlsx")),
    next((PACKAGES / "nanchong-zhcg-complete").glob("07_*.pdf")),
]


@settings(max_examples=max(5, EXAMPLES // 3), deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                                     HealthCheck.function_scoped_fixture])
@given(which=st.integers(0, len(_PKG_FILES) - 1), data=st.data())
def test_cli_on_a_package_with_one_damaged_file(tmp_path_factory, which: int, data: st.DataObject) -> None:
    target = _PKG_FILES[which]
    fmt = target.suffix.lstrip(".")
    options = [byte_damage(_data(target))]
    if fmt == "pdf":
        options.append(pdf_numbers(_data(target)))
    if fmt in ("docx", "xlsx"):
        options.append(zip_member_damage(_data(target)))
    damaged = data.draw(st.one_of(options), label="damage")
    root = tmp_path_factory.mktemp("fuzzpkg") / "泰兴市测试项目"
    root.mkdir()
    for f in _PKG_FILES:
        shutil.copy2(f, root / f.name)
    (root / target.name).write_bytes(damaged)
    t = time.monotonic()
    report = lint_json(root, "--profile", "taixing")  # exit 0/1 asserted, a traceback fails the test
    assert time.monotonic() - t < 60
    [pkg] = report["packages"]
    docs = {d["path"]: d for d in pkg["documents"]}
    assert set(docs) == {f.name for f in _PKG_FILES}
    for f in _PKG_FILES:
        d = docs[f.name]
        if f.name != target.name:
            assert d["status"] == "ok", d  # the neighbours are read as always
        elif d["status"] != "ok":
            inputs = [x for x in pkg["diagnostics"] if x["file"] == f.name and x["category"] == "input"]
            assert inputs, f"{f.name} is {d['status']} ({d['reason']}) without an input finding"
            assert all(_CJK.search(x["message"]) for x in inputs)
