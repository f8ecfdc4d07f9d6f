"""DOCX reader: styles by name (localised ids), numbering, tables with merges, sdt, text boxes,
tracked changes, comments, hidden text, hostile XML and zips."""

from __future__ import annotations

import io
import zipfile

import docx as python_docx

from dossier_lint.model import Location
from dossier_lint.readers import read_document
from readers_helpers import make_docx, p, tbl, tc

# Chinese Word/WPS store localised style ids; only the names tell what a style is.
LOCALISED_STYLES = [
    ("1", "heading 1", None, None),
    ("2", "heading 2", None, None),
    ("a3", "Title", None, None),
    ("10", "标题 3", None, None),  # WPS writes Chinese names
    ("myhead", "我的二级标题", None, "2"),  # inherits heading 2 through basedOn
    ("outline", "自定义大纲", 0, None),  # outline level 0 -> level 1
    ("toc1", "toc 1", None, None),
    ("a", "Normal", None, None),
]


def codes(doc) -> list[str]:  # noqa: ANN001
    return [i.code for i in doc.issues]


def test_headings_from_localised_style_names_and_numbering() -> None:
    body = "".join(
        [
            p("某市智慧城管项目可行性研究报告", "a3"),
            p("目录", "a"),
            p("第一章 总论\t3", "toc1"),
            p(""),  # an empty paragraph still counts for paragraph indices
            p("第一章 总论", "1"),
            p("一、项目概况"),  # unstyled but numbered: below the styled heading in force
            p("本项目总投资1200万元。", "a"),
            p("1.1 建设背景", "2"),
            p("（一）政策依据"),
            p("1.1.1 国家政策", "10"),
            p("继承样式的标题", "myhead"),
            p("大纲级别标题", "outline"),
            p("直接大纲级别", extra_ppr='<w:outlineLvl w:val="1"/>'),
            p("正文文字", extra_ppr='<w:outlineLvl w:val="9"/>'),  # 9 = body text
        ]
    )
    doc = read_document("可研.docx", make_docx(body, LOCALISED_STYLES))
    assert doc.status == "ok" and doc.format == "docx"
    assert codes(doc) == []
    assert [(b.kind, b.level, b.loc.paragraph, b.text) for b in doc.blocks] == [
        ("heading", 1, 0, "某市智慧城管项目可行性研究报告"),
        ("para", 0, 1, "目录"),
        ("toc", 0, 2, "第一章 总论\t3"),
        ("heading", 1, 4, "第一章 总论"),
        ("heading", 2, 5, "一、项目概况"),
        ("para", 0, 6, "本项目总投资1200万元。"),
        ("heading", 2, 7, "1.1 建设背景"),
        ("heading", 3, 8, "（一）政策依据"),
        ("heading", 3, 9, "1.1.1 国家政策"),
        ("heading", 2, 10, "继承样式的标题"),
        ("heading", 1, 11, "大纲级别标题"),
        ("heading", 2, 12, "直接大纲级别"),
        ("para", 0, 13, "正文文字"),
    ]
    h = {x.text: x for x in doc.headings}
    assert h["1.1 建设背景"].number == "1.1" and h["1.1 建设背景"].title == "建设背景"
    assert h["继承样式的标题"].number == ""
    assert doc.blocks[5].loc.heading == ("第一章 总论", "一、项目概况")  # Title is a level-1 sibling
    assert [c.text for c in h["第一章 总论"].children] == ["一、项目概况", "1.1 建设背景", "继承样式的标题"]


def test_python_docx_document_and_merged_table() -> None:
    d = python_docx.Document()
    d.add_heading("第一章 总论", 1)
    d.add_paragraph("表1 投资估算表")
    t = d.add_table(rows=3, cols=3)
    t.cell(0, 0).merge(t.cell(0, 1)).text = "费用名称"
    t.cell(0, 2).text = "金额"
    t.cell(1, 0).merge(t.cell(2, 0)).text = "建设费"
    for r, (a, b) in enumerate([("硬件", "320"), ("软件", "680")], start=1):
        t.cell(r, 1).text, t.cell(r, 2).text = a, b
    d.add_paragraph("以上为估算。")
    buf = io.BytesIO()
    d.save(buf)
    doc = read_document("a.docx", buf.getvalue())
    assert [(b.kind, b.loc.paragraph, b.text) for b in doc.blocks] == [
        ("heading", 0, "第一章 总论"),
        ("para", 1, "表1 投资估算表"),
        ("para", 2, "以上为估算。"),  # the table sits at index 2; its text is not repeated as blocks
    ]
    (table,) = doc.tables
    assert table.text_rows() == [["费用名称", "费用名称", "金额"], ["建设费", "硬件", "320"], ["建设费", "软件", "680"]]
    assert table.title == "表1 投资估算表"
    assert table.loc == Location(paragraph=2, heading=("第一章 总论",))
    # cells are cited as 表N第r行第c列 (1-based), tables numbered in document order
    assert table.rows[2][0].loc == Location(paragraph=2, heading=("第一章 总论",), table=1, row=3, col=1)
    assert (table.rows[2][0].row, table.rows[2][0].col) == (2, 0)


def test_raw_table_gridspan_vmerge_gridbefore_and_sdt() -> None:
    rows = [
        [tc("序号"), tc("系统", span=2), tc("金额")],
        [tc("1"), tc("共享平台", vmerge="restart"), tc("一期"), tc("100")],
        [tc("2"), tc("", vmerge="continue"), tc("二期"), tc("50")],
    ]
    gb = '<w:tr><w:trPr><w:gridBefore w:val="2"/></w:trPr>' + tc("合计") + tc("150") + "</w:tr>"
    table = tbl(rows).replace("</w:tbl>", gb + "</w:tbl>")
    sdt = f"<w:sdt><w:sdtPr/><w:sdtContent>{p('控件中的段落')}{table}</w:sdtContent></w:sdt>"
    doc = read_document("a.docx", make_docx(p("前文") + sdt + p("后文")))
    assert [(b.text, b.loc.paragraph) for b in doc.blocks] == [("前文", 0), ("控件中的段落", 1), ("后文", 2)]
    (t,) = doc.tables
    assert t.text_rows() == [
        ["序号", "系统", "系统", "金额"],
        ["1", "共享平台", "一期", "100"],
        ["2", "共享平台", "二期", "50"],
        ["", "", "合计", "150"],
    ]
    assert t.loc.paragraph == 2


def test_text_boxes_tabs_breaks_and_fallback_not_duplicated() -> None:
    box = (
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData>'
        "<wps:wsp><wps:txbx><w:txbxContent>" + p("文本框中的文字") + "</w:txbxContent></wps:txbx></wps:wsp>"
        "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>"
        "<w:txbxContent>" + p("文本框中的文字") + "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>"
    )
    runs = "<w:r><w:t>项目名称</w:t><w:tab/><w:t>智慧城管</w:t><w:br/><w:t>第二行</w:t></w:r>" + box
    doc = read_document("a.docx", make_docx(p(runs=runs) + p("下一段")))
    assert [(b.text, b.loc.paragraph) for b in doc.blocks] == [
        ("项目名称\t智慧城管\n第二行", 0),
        ("文本框中的文字", 0),
        ("下一段", 1),
    ]


def test_tracked_changes_comments_hidden_text() -> None:
    changed = (
        '<w:r><w:t xml:space="preserve">总投资</w:t></w:r>'
        '<w:del w:id="1" w:author="a"><w:r><w:delText>1000</w:delText></w:r></w:del>'
        '<w:ins w:id="2" w:author="a"><w:r><w:t>1200</w:t></w:r></w:ins>'
        "<w:r><w:t>万元。</w:t></w:r>"
    )
    hidden = '<w:r><w:t>可见</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏的文字</w:t></w:r>'
    commented = '<w:commentRangeStart w:id="0"/><w:r><w:t>有批注的段落</w:t></w:r><w:commentRangeEnd w:id="0"/>'
    body = p("无修订") + p(runs=changed) + p(runs=hidden) + p(runs=commented)
    doc = read_document("a.docx", make_docx(body, comments=["请核实金额", "补充依据"]))
    assert [b.text for b in doc.blocks] == ["无修订", "总投资1200万元。", "可见", "有批注的段落"]
    issues = {i.code: i for i in doc.issues}
    assert set(issues) == {"tracked-changes", "hidden-text", "comments"}
    assert issues["tracked-changes"].args == {"count": 2}
    assert issues["tracked-changes"].loc.paragraph == 1
    assert issues["tracked-changes"].evidence == "1000"
    assert issues["hidden-text"].args == {"count": 1} and issues["hidden-text"].loc.paragraph == 2
    assert issues["comments"].args == {"count": 2} and issues["comments"].evidence == "请核实金额"
    assert issues["comments"].loc.paragraph == 3
    # near misses: vanish switched off, an empty comments part
    off = '<w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>不隐藏</w:t></w:r>'
    clean = read_document("b.docx", make_docx(p(runs=off), comments=[]))
    assert codes(clean) == [] and clean.blocks[0].text == "不隐藏"


def test_billion_laughs_is_refused() -> None:
    evil = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
        b"<w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>"
    )
    doc = read_document("a.docx", make_docx("", document_xml=evil))
    assert doc.status == "unreadable" and codes(doc) == ["unreadable"]
    assert "DTD" in doc.issues[0].args["reason"]


def test_corrupt_truncated_and_partless_docx() -> None:
    data = make_docx(p("第一章 总论"))
    cut = read_document("截断.docx", data[: len(data) // 2])
    assert cut.status == "unreadable" and codes(cut) == ["unreadable"]
    assert "损坏" in cut.reason
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/styles.xml", "<x/>")
    partless = read_document("缺正文.docx", buf.getvalue())
    assert partless.status == "unreadable" and "document.xml" in partless.reason
    bad_xml = read_document("坏.docx", make_docx("", document_xml=b"<w:document><unclosed"))
    assert bad_xml.status == "unreadable" and codes(bad_xml) == ["unreadable"]


def test_docx_zip_bomb_checked_before_inflating() -> None:
    huge = b"<w:document>" + b" " * (8 * 1024 * 1024) + b"</w:document>"  # ~8 MB of spaces, ratio ~1000:1
    doc = read_document("炸弹.docx", make_docx("", document_xml=huge))
    assert doc.status == "unreadable"
    assert codes(doc) == ["zip-bomb"]
    assert "压缩比" in doc.issues[0].args["reason"]


def test_renamed_docx_is_read_by_content() -> None:
    doc = read_document("旧名.doc", make_docx(p("第一章 总论")))
    assert doc.format == "docx" and doc.status == "ok" and doc.headings[0].number == "第一章"


def _numbering_xml() -> bytes:
    def lvl(i: int, fmt: str, text: str, suff: str = "space", extra: str = "") -> str:
        return (
            f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
            f'<w:suff w:val="{suff}"/>{extra}</w:lvl>'
        )

    chapters = (
        '<w:abstractNum w:abstractNumId="0">'
        + lvl(0, "chineseCounting", "第%1章", extra='<w:pStyle w:val="1"/>')
        + lvl(1, "decimal", "%1.%2", extra='<w:pStyle w:val="2"/><w:isLgl/>')
        + "</w:abstractNum>"
    )
    lists = (
        '<w:abstractNum w:abstractNumId="1">'
        + lvl(0, "chineseCounting", "%1、", "nothing")
        + lvl(1, "chineseCounting", "（%1）", "nothing")
        + "</w:abstractNum>"
    )
    bullets = '<w:abstractNum w:abstractNumId="2">' + lvl(0, "bullet", "\uf0b7") + "</w:abstractNum>"
    nums = (
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
        '<w:num w:numId="3"><w:abstractNumId w:val="2"/></w:num>'
        '<w:num w:numId="4"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/>'
        "</w:lvlOverride></w:num>"
    )
    return (
        f'<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"{chapters}{lists}{bullets}{nums}</w:numbering>"
    ).encode()


def numpr(num: int, ilvl: int = 0) -> str:
    return f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/></w:numPr>'


def test_automatic_numbering_is_rendered() -> None:
    styles = [("1", "heading 1", None, None), ("2", "heading 2", None, None)]
    style_ppr = {"1": '<w:numPr><w:numId w:val="1"/></w:numPr>', "2": numpr(1, 1)}
    body = "".join(
        [
            p("总论", "1"),  # 第一章, from the style's numbering
            p("建设背景", "2"),  # 1.1
            p("项目概况", extra_ppr=numpr(2)),  # 一、 (unstyled list: a heading by its number)
            p("项目名称", extra_ppr=numpr(2, 1)),  # （一）
            p("要点", extra_ppr=numpr(3)),  # bullet: no label
            p("建设单位", extra_ppr=numpr(2)),  # 二、
            p("建设目标", "2"),  # 1.2
            p("需求分析", "1"),  # 第二章
            p("业务需求", "2"),  # 2.1 (restarts under a new chapter)
            p("重新编号", extra_ppr=numpr(4)),  # num 4 restarts list 1 at 一
        ]
    )
    data = make_docx(body, styles, extra_parts={"word/numbering.xml": _numbering_xml()}, style_ppr=style_ppr)
    doc = read_document("a.docx", data)
    assert [b.text for b in doc.blocks] == [
        "第一章 总论",
        "1.1 建设背景",
        "一、项目概况",
        "（一）项目名称",
        "要点",
        "二、建设单位",
        "1.2 建设目标",
        "第二章 需求分析",
        "2.1 业务需求",
        "一、重新编号",
    ]
    # unstyled numbered paragraphs nest under the styled heading in force
    assert [(h.number, h.level) for h in doc.headings] == [
        ("第一章", 1), ("1.1", 2), ("一", 3), ("（一）", 4), ("二", 3), ("1.2", 2), ("第二章", 1), ("2.1", 2),
        ("一", 3),
    ]  # fmt: skip


def test_broken_numbering_part_keeps_the_text() -> None:
    data = make_docx(p("总论", extra_ppr=numpr(1)), extra_parts={"word/numbering.xml": b"<w:numbering"})
    doc = read_document("a.docx", data)
    assert doc.status == "ok" and [b.text for b in doc.blocks] == ["总论"]
