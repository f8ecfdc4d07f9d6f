"""XML inside OOXML: no DTD is honoured, no entity expanded, no external file read (nor a fifo opened,
which would block forever), whichever part carries it and however it is encoded. Also what the other
XML parsers in the dependency tree do with the same attacks: python-calamine (sheets, and the --catalog
workbook) and openpyxl, with and without defusedxml.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dossier_lint.readers import read_document, xmlsafe
from helpers import ROOT
from hostile import make_hostile as mh

SECRET = mh.SECRET


@pytest.fixture()
def secret(tmp_path: Path) -> Path:
    p = tmp_path / "secret.txt"
    p.write_text(SECRET + "\n", encoding="utf-8")
    return p


def _all_text(doc) -> str:  # noqa: ANN001
    cells = " ".join(c.text for t in doc.tables for r in t.rows for c in r)
    return " ".join([doc.text(), cells, doc.reason or "", repr(doc.issues), repr(doc.meta)])


DOCX_PARTS = ["word/document.xml", "word/styles.xml", "word/comments.xml", "word/numbering.xml"]
XLSX_PARTS = ["xl/sharedStrings.xml", "xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/styles.xml"]


@pytest.mark.parametrize("pad", [False, True], ids=["at-start", "after-70KB-comment"])
@pytest.mark.parametrize("part", DOCX_PARTS)
@pytest.mark.parametrize("attack", ["laughs", "xxe", "param"])
def test_docx_entities_are_refused(secret, part, attack, pad):
    dtd, ref = {"laughs": (mh.LAUGHS, "&lol9;"), "xxe": (mh.xxe(secret.as_uri()), "&xxe;"),
                "param": (mh.param_entity(secret.as_uri()), "")}[attack]
    data = mh.ooxml(mh.docx_parts(["第一章 总论", "正文。"], dtd={part: dtd}, ref=ref,
                                  pad="<!--" + "x" * 70_000 + "-->" if pad else ""))
    doc = read_document("a.docx", data)
    assert SECRET not in _all_text(doc) and "lollol" not in _all_text(doc)
    if part == "word/numbering.xml":  # numbering is optional: dropped, the text is read
        assert doc.status == "ok" and doc.meta.get("numbering_error")
    else:
        assert doc.status in ("unreadable", "partial")
        assert "DTD" in doc.reason
        assert [i.code for i in doc.issues if i.code == "unreadable"] == ["unreadable"]


@pytest.mark.parametrize("part", XLSX_PARTS)
@pytest.mark.parametrize("attack", ["laughs", "xxe"])
def test_xlsx_entities_are_refused(secret, part, attack):
    dtd, ref = (mh.LAUGHS, "&lol9;") if attack == "laughs" else (mh.xxe(secret.as_uri()), "&xxe;")
    data = mh.ooxml(mh.xlsx_parts([["名称", "金额"], ["平台", "1"]], dtd={part: dtd}, ref=ref))
    doc = read_document("a.xlsx", data)
    assert SECRET not in _all_text(doc) and "lollol" not in _all_text(doc)
    assert doc.status == "unreadable" and "DTD" in doc.reason


def test_clean_parts_still_parse():
    # near miss: the same builders without a DTD read normally
    doc = read_document("a.docx", mh.ooxml(mh.docx_parts(["第一章 总论", "正文。"])))
    assert [(b.kind, b.text) for b in doc.blocks] == [("heading", "第一章 总论"), ("para", "正文。")]
    doc = read_document("a.xlsx", mh.ooxml(mh.xlsx_parts([["名称", "金额"], ["平台", "1"]])))
    assert [b.text for b in doc.blocks] == ["名称", "金额", "平台", "1"]


def _child(code: str, timeout: float = 30) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT / "tests")])}
    try:
        return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                              timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        pytest.fail(f"blocked for {timeout} s: an external entity was opened")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a fifo")
@pytest.mark.parametrize("encoding", ["UTF-8", "UTF-16", "UTF-32"])
def test_external_parameter_entity_never_opens_a_fifo(tmp_path, encoding):
    """libxml2 loads an external parameter entity even with load_dtd=False (when collect_ids=False):
    a fifo blocks forever, /dev/zero never ends. The byte search for "<!DOCTYPE" cannot see UTF-32;
    the parser's refusing resolver must."""
    fifo = tmp_path / "never-written.fifo"
    os.mkfifo(fifo)
    parts = mh.docx_parts(["第一章 总论", "正文。"], dtd={"word/document.xml": mh.param_entity(str(fifo))},
                          pad="<!--" + "x" * 70_000 + "-->")
    xml = parts["word/document.xml"].replace('encoding="UTF-8"', f'encoding="{encoding}"')
    enc = {"UTF-8": "utf-8", "UTF-16": "utf-16", "UTF-32": "utf-32"}[encoding]
    path = tmp_path / "a.docx"
    path.write_bytes(mh.ooxml({**parts, "word/document.xml": xml.encode(enc)}))
    r = _child(f"""
        from dossier_lint.readers import read_document
        doc = read_document("a.docx", open({str(path)!r}, "rb").read())
        print(doc.status, doc.reason)
    """)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("unreadable") and "DTD" in r.stdout


def test_parser_refuses_external_fetches_itself(secret):
    # below the byte check: the parser alone must not fetch anything, and must refuse a declared DTD
    from lxml import etree

    data = f'<?xml version="1.0" encoding="UTF-32"?><!DOCTYPE r [<!ENTITY x SYSTEM "{secret.as_uri()}">]><r>&x;</r>'
    raw = data.encode("utf-32")
    xmlsafe.check(raw)  # invisible to the byte search
    with pytest.raises((xmlsafe.UnsafeXmlError, etree.XMLSyntaxError)):
        xmlsafe.parse(raw)
    assert xmlsafe.parse(b"<r>ok</r>").text == "ok"


def test_calamine_does_not_expand_entities(secret):
    """python-calamine (quick-xml) is what reads the cells, and what reads a --catalog workbook without
    our pre-check: it must neither expand nor fetch."""
    import io

    import python_calamine as pc

    for part in XLSX_PARTS:
        for dtd, ref in ((mh.LAUGHS, "&lol9;"), (mh.xxe(secret.as_uri()), "&xxe;")):
            data = mh.ooxml(mh.xlsx_parts([["名称", "金额"], ["平台", "1"]], dtd={part: dtd}, ref=ref))
            try:
                wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
                got = repr([wb.get_sheet_by_name(n).to_python() for n in wb.sheet_names]) + repr(wb.sheet_names)
            except Exception as e:  # refusing is fine
                got = str(e)
            assert SECRET not in got and "lollol" not in got, (part, got[:200])


@pytest.mark.parametrize("defused", [True, False], ids=["with-defusedxml", "stdlib-expat"])
def test_openpyxl_is_safe_either_way(tmp_path, secret, defused):
    """openpyxl parses XML itself, through defusedxml when it is installed, else the standard library's
    expat (which resolves no external entity and caps entity amplification since 2.4)."""
    if defused:
        pytest.importorskip("defusedxml")
    files = []
    for i, (dtd, ref) in enumerate(((mh.LAUGHS, "&lol9;"), (mh.xxe(secret.as_uri()), "&xxe;"))):
        for part in ("xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"):
            p = tmp_path / f"{i}-{part.rsplit('/', 1)[1]}.xlsx"
            p.write_bytes(mh.ooxml(mh.xlsx_parts([["名称", "金额"], ["平台", "1"]], dtd={part: dtd}, ref=ref)))
            files.append(str(p))
    block = "" if defused else "        import sys; sys.modules['defusedxml'] = None\n"
    r = _child(block + f"""
        import openpyxl, openpyxl.xml
        print("DEFUSEDXML", openpyxl.xml.DEFUSEDXML)
        for f in {files!r}:
            try:
                wb = openpyxl.load_workbook(f, read_only=True, data_only=True)
                print([[c for c in r] for ws in wb for r in ws.iter_rows(values_only=True)])
            except Exception as e:
                print("refused", type(e).__name__)
    """)
    assert r.returncode == 0, r.stderr
    assert f"DEFUSEDXML {defused}" in r.stdout
    assert SECRET not in r.stdout + r.stderr and "lollol" not in r.stdout
