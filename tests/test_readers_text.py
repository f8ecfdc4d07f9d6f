"""Plain text and Markdown: encodings, NULs, markdown heading levels, numbered headings, lines."""

from __future__ import annotations

import codecs

import pytest

from dossier_lint.model import Location
from dossier_lint.readers import read_document

TEXT = "第一章 总论\n一、项目概况\n本项目总投资1200万元。\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
        (TEXT.encode("gbk"), "gb18030"),
        (TEXT.encode("gb18030"), "gb18030"),
    ],
)
def test_encodings(data: bytes, encoding: str) -> None:
    doc = read_document("说明.txt", data)
    assert doc.meta["encoding"] == encoding
    assert [b.text for b in doc.blocks] == ["第一章 总论", "一、项目概况", "本项目总投资1200万元。"]
    assert doc.issues == [] and doc.status == "ok"


def test_nuls_stripped_and_lines_located() -> None:
    doc = read_document("a.txt", "第一\x00章 总论\r\n\r\n正文\x00。\r\n".encode())
    assert [(b.text, b.loc.line, b.kind) for b in doc.blocks] == [("第一章 总论", 1, "heading"), ("正文。", 3, "para")]


def test_markdown_headings_and_fences() -> None:
    md = "\n".join(
        [
            "# 项目实施方案",
            "",
            "## 建设内容",
            "一、数据平台",
            "```",
            "# 这是代码里的注释",
            "1. 不是标题",
            "```",
            "### 安全 ###",
            "正文。",
        ]
    )
    doc = read_document("方案.md", md.encode())
    assert doc.format == "md"
    assert [(h.text, h.level, h.loc.line) for h in doc.headings] == [
        ("项目实施方案", 1, 1),
        ("建设内容", 2, 3),
        ("一、数据平台", 3, 4),  # numbered line below the markdown heading in force
        ("安全", 3, 9),
    ]
    assert [b.kind for b in doc.blocks if b.loc.line in (6, 7)] == ["para", "para"]
    assert doc.blocks[-1].loc == Location(line=10, heading=("项目实施方案", "建设内容", "安全"))


def test_undecodable_text_is_flagged() -> None:
    doc = read_document("乱码.txt", bytes(range(0x80, 0xFF)) * 3)  # neither UTF-8 nor GB18030
    assert doc.status == "partial" and doc.meta["encoding"] == "utf-8?"
    assert [(i.code, i.args) for i in doc.issues] == [("garbled-text", {"pages": ""})]
    ok = read_document("正常.txt", "正常文字".encode("gbk"))
    assert ok.issues == []


def test_empty_text_file() -> None:
    doc = read_document("空.txt", b"")
    assert doc.status == "unreadable" and [i.code for i in doc.issues] == ["empty-document"]
    blank = read_document("空白.txt", b"  \n\n \r\n")
    assert blank.status == "ok" and [i.code for i in blank.issues] == ["empty-document"]
