"""Format sniffing by content, and the documents read_document makes for what it cannot read."""

from __future__ import annotations

import io
import zipfile

import pytest

from dossier_lint.limits import Limits
from dossier_lint.readers import read_document
from dossier_lint.readers.sniff import OLE_MAGIC, sniff
from readers_helpers import PdfPage, make_docx, make_pdf, p

OLE_PAD = b"\x00" * 504


def ole(*streams: str) -> bytes:
    """Just enough of an OLE2 compound file for sniffing: the magic and directory names."""
    return OLE_MAGIC + OLE_PAD + b"".join(s.encode("utf-16-le") + b"\x00\x00" for s in streams)


def zip_of(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for k, v in files.items():
            zf.writestr(k, v)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "fmt"),
    [
        ("a.doc", ole("WordDocument"), "doc"),
        ("a.xls", ole("Workbook"), "xls"),
        ("a.wps", ole("WordDocument"), "wps"),  # WPS 文字: Word-like streams, told by suffix
        ("a.et", ole("Workbook"), "et"),
        ("noext", ole("WordDocument"), "doc"),  # no suffix: told by stream names
        ("noext", ole("Book"), "xls"),
        ("伪装.docx", ole("WordDocument"), "doc"),  # a legacy file renamed .docx is still legacy
    ],
)
def test_legacy_formats(name: str, data: bytes, fmt: str) -> None:
    assert sniff(name, data) == fmt
    doc = read_document(name, data)
    assert doc.format == fmt and doc.status == "unreadable"
    assert [(i.code, i.args) for i in doc.issues] == [("legacy-format", {"fmt": fmt})]
    assert "另存为" in doc.reason


def test_password_protected_ooxml_is_encrypted() -> None:
    data = ole("EncryptionInfo", "EncryptedPackage")
    doc = read_document("加密.docx", data)
    assert doc.status == "unreadable" and [i.code for i in doc.issues] == ["encrypted"]
    assert doc.format == "docx"


def test_ofd() -> None:
    # OFD is read (readers/ofd.py, tests/test_readers_ofd.py); a broken one says what is wrong
    data = zip_of({"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<x/>"})
    doc = read_document("批复.ofd", data)
    assert doc.format == "ofd" and doc.status == "unreadable"
    assert [i.code for i in doc.issues] == ["unreadable"] and "OFD.xml" in doc.reason


@pytest.mark.parametrize(
    ("name", "data", "shown"),
    [
        ("图.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "png"),
        ("扫描.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "jpg"),
        ("a.rar", b"Rar!\x1a\x07\x00" + b"\x00" * 20, "rar"),
        ("说明.rtf", b"{\\rtf1\\ansi hello}", "rtf"),
        ("a.bin", b"\x01\x02\x03\x04", "bin"),
        ("a.pptx", zip_of({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"}), "pptx"),
    ],
)
def test_unsupported_formats(name: str, data: bytes, shown: str) -> None:
    doc = read_document(name, data)
    assert doc.status == "unreadable"
    assert [(i.code, i.args) for i in doc.issues] == [("unsupported-format", {"fmt": shown})]


def test_content_wins_over_suffix() -> None:
    pdf = make_pdf([PdfPage(["第一章 总论", "正文内容。"])])
    doc = read_document("其实是PDF.docx", pdf)
    assert doc.format == "pdf" and doc.headings[0].text == "第一章 总论"
    as_txt = read_document("a.txt", make_docx(p("第一章 总论")))
    assert as_txt.format == "docx" and as_txt.status == "ok"


def test_empty_and_damaged() -> None:
    empty = read_document("空.pdf", b"")
    assert empty.status == "unreadable" and [i.code for i in empty.issues] == ["empty-document"]
    broken_zip = read_document("坏.docx", b"PK\x03\x04" + b"\x00" * 40)
    assert broken_zip.status == "unreadable" and broken_zip.format == "docx"
    assert [i.code for i in broken_zip.issues] == ["unreadable"]


def test_too_large_is_not_read() -> None:
    data = make_pdf([PdfPage(["第一章 总论"])])
    doc = read_document("大.pdf", data, Limits(max_file_bytes=100))
    assert doc.status == "unreadable" and doc.blocks == []
    assert [(i.code, i.args) for i in doc.issues] == [("too-large", {"size": len(data), "limit": 100})]


def test_document_without_text_is_empty() -> None:
    doc = read_document("空白.docx", make_docx(p("") + p("")))
    assert doc.status == "ok" and [i.code for i in doc.issues] == ["empty-document"]


def test_reader_crash_becomes_an_issue(monkeypatch: pytest.MonkeyPatch) -> None:
    from dossier_lint.readers import text

    def boom(*a: object, **k: object) -> None:
        raise RuntimeError("reader bug")

    monkeypatch.setattr(text, "read", boom)
    doc = read_document("a.txt", "正文".encode())
    assert doc.status == "unreadable" and [i.code for i in doc.issues] == ["unreadable"]
    assert "RuntimeError" in doc.issues[0].args["reason"]
