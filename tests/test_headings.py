"""Heading numbering recognition and level ranking (headings.py + the readers' Builder)."""

from __future__ import annotations

import pytest

from dossier_lint.headings import LevelRanker, is_toc_line, match_numbering, strip_numbering
from dossier_lint.readers import read_document


@pytest.mark.parametrize(
    ("text", "style", "number", "title"),
    [
        ("第一章 总论", "chapter", "第一章", "总论"),
        ("第十二章　附件", "chapter", "第十二章", "附件"),
        ("第3章 需求分析", "chapter", "第3章", "需求分析"),
        ("第二节 建设目标", "section", "第二节", "建设目标"),
        ("第一部分 项目概况", "part", "第一部分", "项目概况"),
        ("一、项目概况", "cn", "一", "项目概况"),
        ("十一、其他", "cn", "十一", "其他"),
        ("（一）建设背景", "paren-cn", "（一）", "建设背景"),
        ("(三) 建设内容", "paren-cn", "(三)", "建设内容"),
        ("1. 范围", "dec1", "1", "范围"),
        ("2、网络安全", "dec1", "2", "网络安全"),
        ("1.1 项目目标", "dec2", "1.1", "项目目标"),
        ("1.1项目目标", "dec2", "1.1", "项目目标"),
        ("１．１ 全角编号", "dec2", "１．１", "全角编号"),
        ("3.2.1 数据库", "dec3", "3.2.1", "数据库"),
        ("3.2.1.4 备份", "dec4", "3.2.1.4", "备份"),
        ("（1）日志审计", "paren-dec", "（1）", "日志审计"),
        ("（１）全角数字", "paren-dec", "（１）", "全角数字"),
        ("1）访问控制", "dec-paren", "1）", "访问控制"),
        ("①身份鉴别", "circled", "①", "身份鉴别"),
    ],
)
def test_numbering_styles(text: str, style: str, number: str, title: str) -> None:
    n = match_numbering(text)
    assert n is not None, text
    assert (n.style, n.number, n.title) == (style, number, title)


@pytest.mark.parametrize(
    "text",
    [
        "本项目总投资1200万元。",
        "1.5亿元用于平台建设",  # a quantity, not section 1.5
        "1.2万平方米机房",
        "3.5%的年增长",
        "2024年完成建设",
        "一、本项目依据《政务信息化项目管理办法》开展建设，主要内容包括数据中心、共享平台和安全体系等多个子系统的建设。",
        "（一）项目背景。",  # a sentence ending in 。 is body text
        "二、",  # numbering without a title
        "",
    ],
)
def test_not_headings(text: str) -> None:
    assert match_numbering(text) is None


@pytest.mark.parametrize(
    ("text", "toc"),
    [
        ("第一章 总论……………………3", True),
        ("第一章 总论 ........ 3", True),
        ("1.1 项目背景......12", True),
        ("前言..........1", True),  # leader dots make any line a TOC entry
        ("一、项目概况 3", True),  # numbered heading + bare page number
        ("第一章 总论", False),
        ("项目总投资 300", False),  # not numbered, no leader: a line of text
        ("本章说明见第 3", False),
    ],
)
def test_toc_lines(text: str, toc: bool) -> None:
    assert is_toc_line(text) is toc


def test_strip_numbering() -> None:
    assert strip_numbering("（二）建设目标") == "建设目标"
    assert strip_numbering("建设目标") == "建设目标"


def test_ranker_first_appearance_and_decimal_nesting() -> None:
    r = LevelRanker()
    assert r.level("chapter") == 1
    assert r.level("cn") == 2
    assert r.level("paren-cn") == 3
    assert r.level("chapter") == 1
    r2 = LevelRanker()
    assert r2.level("dec2") == 2  # 1.1 nests inside 1. even when seen first
    assert r2.level("dec1") == 1
    assert r2.level("dec3") == 3
    assert r2.level("paren-dec") == 5  # after the decimal family's four levels


def test_levels_without_gaps_when_all_numbered() -> None:
    doc = read_document("a.txt", "第一章 总论\n1.1 背景\n1.1.1 政策\n第二章 方案\n2.1 架构\n".encode())
    assert [(h.number, h.level) for h in doc.headings] == [
        ("第一章", 1), ("1.1", 2), ("1.1.1", 3), ("第二章", 1), ("2.1", 2),
    ]  # fmt: skip
    assert [c.number for c in doc.roots()[0].children] == ["1.1"]


def test_contract_articles() -> None:
    doc = read_document("合同.txt", "第一条 服务内容\n乙方提供热线运维服务。\n第二条 服务期限\n".encode())
    assert [(h.number, h.title, h.level) for h in doc.headings] == [("第一条", "服务内容", 1), ("第二条", "服务期限", 1)]


def test_text_document_heading_tree() -> None:
    text = "\n".join(
        [
            "目录",
            "第一章 总论……………………1",
            "第二章 建设内容……………5",
            "第一章 总论",
            "一、项目概况",
            "（一）项目名称",
            "智慧城管平台。",
            "（二）建设单位",
            "二、编制依据",
            "第二章 建设内容",
            "一、总体架构",
        ]
    )
    doc = read_document("报告.txt", text.encode("utf-8"))
    assert [b.kind for b in doc.blocks] == [
        "para", "toc", "toc", "heading", "heading", "heading", "para", "heading", "heading", "heading", "heading",
    ]  # fmt: skip
    assert [(h.number, h.level) for h in doc.headings] == [
        ("第一章", 1), ("一", 2), ("（一）", 3), ("（二）", 3), ("二", 2), ("第二章", 1), ("一", 2),
    ]  # fmt: skip
    roots = doc.roots()
    assert [r.title for r in roots] == ["总论", "建设内容"]
    assert [c.title for c in roots[0].children] == ["项目概况", "编制依据"]
    body = doc.blocks[6]
    assert body.text == "智慧城管平台。"
    assert body.loc.heading == ("第一章 总论", "一、项目概况", "（一）项目名称")
    assert body.loc.line == 7
