"""Headings told apart by font alone (no numbering) in PDF and OFD: `layout.font_headings`.

Layout-level cases on positioned lines (each rule: a heading it finds and a near miss it leaves alone),
the PDF reader on the fixtures of corpus/pdf-headings (made by make_pdf_headings.py) and on hand-made
PDFs as other producers write them (size set by the text matrix, bold by the font's name, 黑体), the
OFD reader, the guarantee that documents whose headings are numbered read exactly as before (every PDF
and OFD in corpus/ read with and without font information gives the same blocks), and the CLI end to
end on a 南充 package whose 可研 is such a PDF.
"""

from __future__ import annotations

import io
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from dossier_lint.model import Document, build_heading_tree
from dossier_lint.readers import layout, read_document
from dossier_lint.readers import pdf as pdf_reader
from helpers import CORPUS, ROOT, run_cli

HERE = CORPUS / "pdf-headings"
PACKAGE = HERE / "nc-pdf-unnumbered"
sys.path.insert(0, str(CORPUS))
import ofdbuild as ob  # noqa: E402  (corpus/ofdbuild.py)

# --- positioned lines -----------------------------------------------------------------------------------

PAGE_W, PAGE_H, LEFT, RIGHT = 595.0, 842.0, 72.0, 523.0
FILLER = "平台统一部署在市级政务云依托市级数据共享交换平台与公安交管城管执法等部门共享停车数据并提供诱导服务"


@dataclass
class L:
    """A line as a reader hands it over: `at` is where it sits (full: runs to the right edge; para: the
    indented first line of a paragraph, also full; short: from the left margin; center; right)."""

    text: str
    size: float = 12.0
    bold: bool = False
    at: str = "short"
    font: str = "SimSun"
    page: int = 1
    colour: bool = False


def body(n: int = 2) -> list[L]:
    """A 12 pt paragraph of n lines: an indented first line, full lines, a short last line."""
    per = int((RIGHT - LEFT) // 12)
    return [L(FILLER[: per - 2], at="para"), *(L(FILLER[:per], at="full") for _ in range(n - 2)), L(FILLER[:10] + "。")]


def on(page: int, lines: list[L]) -> list[L]:
    for ln in lines:
        ln.page = page
    return lines


def pages_of(lines: list[L]) -> list[layout.PageInfo]:
    pages: dict[int, layout.PageInfo] = {}
    ys: dict[int, float] = {}
    for ln in lines:
        info = pages.setdefault(ln.page, layout.PageInfo(ln.page, PAGE_W, PAGE_H))
        y = ys.get(ln.page, PAGE_H - 90)
        ys[ln.page] = y - ln.size * 1.8
        width = len(ln.text) * ln.size
        x0, x1 = {
            "full": (LEFT, RIGHT),
            "para": (LEFT + 2 * ln.size, RIGHT),
            "short": (LEFT, LEFT + width),
            "center": ((PAGE_W - width) / 2, (PAGE_W + width) / 2),
            "right": (RIGHT - width, RIGHT),
            "top": ((PAGE_W - width) / 2, (PAGE_W + width) / 2),
        }[ln.at]
        if ln.at == "top":
            y = PAGE_H - 20  # a running header in the top margin
        info.lines.append(layout.Line(ln.text, ln.page, x0, x1, y, PAGE_W, ln.size, ln.bold, ln.font, ln.colour))
    return [pages[n] for n in sorted(pages)]


def assembled(lines: list[L], *, fonts: bool = True) -> Document:
    pages = pages_of(lines)
    if not fonts:
        for p in pages:
            for ln in p.lines:
                ln.size, ln.bold, ln.font, ln.colour = None, False, "", False
    doc = Document(path="可行性研究报告.pdf", format="pdf")
    layout.assemble(doc, pages)
    build_heading_tree(doc)  # as the readers do last
    return doc


def heads(doc: Document) -> list[tuple[str, int]]:
    return [(h.text, h.level) for h in doc.headings]


def blocks(doc: Document) -> list[tuple]:
    return [(b.kind, b.level, b.text, b.loc.page, b.loc.heading) for b in doc.blocks]


REPORT = [
    L("项目概述", 16, True), *body(3),
    L("项目背景", 14, True), *body(2),
    L("建设内容", 12, True), *body(2),
    L("建设方案", 16, True), *body(2),
    L("总体架构", 14, True), *body(3),
]
REPORT_HEADS = [("项目概述", 1), ("项目背景", 2), ("建设内容", 3), ("建设方案", 1), ("总体架构", 2)]


def test_unnumbered_headings_by_size_and_bold_ranked_largest_first() -> None:
    doc = assembled(REPORT)
    assert heads(doc) == REPORT_HEADS
    assert doc.headings[2].number == "" and doc.headings[2].title == "建设内容"
    # the text under a heading is its section; the paragraphs read as without fonts
    assert doc.blocks[1].loc.heading == ("项目概述",)
    assert doc.blocks[-1].loc.heading == ("建设方案", "总体架构")
    plain = assembled(REPORT, fonts=False)
    assert plain.headings == [] and [b.text for b in plain.blocks] == [b.text for b in doc.blocks]


def test_regular_weight_large_lines_and_bold_body_size_lines_alone() -> None:
    """Size alone makes a level; bold at the body size makes the level below the sizes."""
    lines = [L("项目概述", 15), *body(2), L("建设内容", bold=True), *body(2), L("建设方案", 15), *body(2)]
    assert heads(assembled(lines)) == [("项目概述", 1), ("建设内容", 2), ("建设方案", 1)]


NEAR_MISSES = [
    # a cover page: title, unit, date
    L("南充市智慧停车管理平台", 22, True, "center"), L("可行性研究报告", 22, True, "center"),
    L("南充市住房和城乡建设局", 16, False, "center"), L("二〇二三年八月", 16, False, "center"),
    # a 目录 page: its title and entries (with and without leader dots)
    L("目  录", 18, True, "center", page=2), L("项目概述 1", page=2), L("建设方案.............2", page=2),
    # the body: a title at the top of its first page, the unit's name just above the first chapter
    L("南充市智慧停车管理平台可行性研究报告", 20, True, "center", page=3),
    L("南充市住房和城乡建设局", 14, False, "center", page=3),
    L("项目概述", 16, True, page=3), *on(3, body(3)),
    # a bold line running through a paragraph, a bold last line of one, a large sentence
    L(FILLER[:35], at="para", page=3), L(FILLER[:37], bold=True, at="full", page=3), L("平台对接接口", bold=True, page=3),
    L("请各有关单位于9月30日前反馈意见。", 14, True, "center", page=3),
    *on(3, body(2)),
    # captions, a spaced table header, diagram labels, a date; then the second chapter
    L("表1 投资估算表", 14, True, "center", page=3), L("序号  费用名称  金额", 12, True, "center", page=3),
    *on(3, body(2)),
    L("展示层", 14, True, "center", page=3), L("应用层", 14, True, "center", page=3),
    L("图1 总体架构图", 12, True, "center", page=3),
    *on(3, body(2)),
    L("建设方案", 16, True, page=4), *on(4, body(2)),
    # a large running header in the top margin, a signature block at the end
    L("建设方案专篇", 16, True, "top", page=5), *on(5, body(2)),
    L("南充市住房和城乡建设局", 12, True, "right", page=5), L("2023年8月", 12, True, "right", page=5),
]


def test_near_misses_around_real_headings_stay_text() -> None:
    doc = assembled(NEAR_MISSES)
    assert heads(doc) == [("项目概述", 1), ("建设方案", 1)]
    texts = [b.text for b in doc.blocks if b.kind == "para"]
    for near in ("南充市智慧停车管理平台", "目  录", "南充市智慧停车管理平台可行性研究报告",
                 "平台对接接口", "表1投资估算表", "展示层", "应用层", "图1总体架构图", "2023年8月"):
        assert any(near in t for t in texts), near
    assert [b.kind for b in doc.blocks if b.text in ("项目概述1", "建设方案.............2")] == ["para", "toc"]


@pytest.mark.parametrize(
    ("text", "near", "control"),
    [
        # in the top margin (a running header) / in the body
        ("建设方案专篇", [L("建设方案专篇", 14, True, "top"), *body(2)], [L("建设方案专篇", 14, True), *body(2)]),
        # the last line of a paragraph whose line before runs to the edge / after a finished paragraph
        ("平台对接接口", [L(FILLER[:35], at="para"), L(FILLER[:37], at="full"), L("平台对接接口", bold=True), *body(2)],
         [*body(2), L("平台对接接口", bold=True), *body(2)]),
        # one of two diagram labels set alike in a row / a lone one
        ("展示层", [L("展示层", 14, True, "center"), L("应用层", 14, True, "center"), L("图1 总体架构图", bold=True),
                 *body(2)], [L("展示层", 14, True, "center"), L("图1 总体架构图", bold=True), *body(2)]),
        # just above a larger heading / above text
        ("南充市住房和城乡建设局", [L("南充市住房和城乡建设局", 14, at="center"), L("投资估算", 16, True), *body(2)],
         [L("南充市住房和城乡建设局", 14, at="center"), *body(2)]),
        # followed by a date (a signature) / by text
        ("数据中心", [L("数据中心", 14, True), L("2023年8月", bold=True, at="right")], [L("数据中心", 14, True), *body(2)]),
    ],
)
def test_each_near_miss_against_the_same_line_as_a_heading(text: str, near: list[L], control: list[L]) -> None:
    """Each rule keeps one line out, and the same line where that rule does not hold is taken: the
    near misses stay text for the reason named, not for how they look."""
    assert text not in [h for h, _lv in heads(assembled([*REPORT[:4], *near, *REPORT[4:]]))]
    assert text in [h for h, _lv in heads(assembled([*REPORT[:4], *control, *REPORT[4:]]))]


def test_heading_opened_by_a_figure_and_wrapped_heading() -> None:
    lines = [
        *REPORT,
        L("系统集成、集约化建设和信息资源共享分析（含与一期", 16, True, "full"), L("系统的对接）", 16, True),
        L("集成架构", 14, True), L("图2 集成架构图", 12, True, "center"), *body(2),
    ]
    assert heads(assembled(lines))[-2:] == [("系统集成、集约化建设和信息资源共享分析（含与一期系统的对接）", 1), ("集成架构", 2)]


def test_a_section_left_empty_and_a_figure_with_a_plain_caption() -> None:
    lines = [
        *REPORT,
        L("运行维护", 16, True), L("效益分析", 16, True), *body(2),  # 运行维护 left empty, at the margin
        L("社会效益", 14, True), L("图3 效益构成", at="center"), *body(2),  # a figure opens the section
    ]
    assert heads(assembled(lines))[-3:] == [("运行维护", 1), ("效益分析", 1), ("社会效益", 2)]
    centred = [*REPORT, L("运行维护", 16, True, "center"), L("效益分析", 16, True, "center"), *body(2)]
    assert heads(assembled(centred)) == REPORT_HEADS  # centred lines in a row: a title block, not two


def test_numbered_headings_keep_their_own_levels_under_font_chapters() -> None:
    lines = [
        L("项目概述", 16, True), *body(2),
        L("一、项目背景", 14, True), *body(2),
        L("（一）政策依据"), *body(2),
        L("二、建设目标", 14, True), *body(2),
        L("建设方案", 16, True), *body(2),
    ]
    doc = assembled(lines)
    assert heads(doc) == [("项目概述", 1), ("一、项目背景", 2), ("（一）政策依据", 3), ("二、建设目标", 2), ("建设方案", 1)]
    assert [(h.number, h.title) for h in doc.headings][1:3] == [("一", "项目背景"), ("（一）", "政策依据")]


def test_numbered_documents_read_exactly_as_by_numbering_alone() -> None:
    """Headings in large bold type that are numbered, with a lone unnumbered large line (前言): the font
    path stays off and every block is what numbering alone gives."""
    lines = [
        L("前言", 16, True), *body(2),
        L("第一章 项目概述", 16, True), *body(2), L("一、项目背景", 14, True), *body(2),
        L("第二章 建设方案", 16, True), *body(2), L("一、总体架构", 14, True), *body(2),
        L("数据共享", 14, True), *body(2),  # a second unnumbered line, but of a size mostly numbered
        L("第三章 投资估算", 16, True), *body(2),
    ]
    doc = assembled(lines)
    plain = assembled(lines, fonts=False)
    assert blocks(doc) == blocks(plain)
    assert [h.text for h in doc.headings] == [
        "第一章 项目概述", "一、项目背景", "第二章 建设方案", "一、总体架构", "第三章 投资估算"]
    # a single unnumbered heading is not enough to call the headings unnumbered
    one = [L("项目概述", 16, True), *body(3), L("建设方案", 15), *body(3)]
    assert heads(assembled(one)) == []


def test_bold_is_no_mark_when_everything_is_bold_and_heavy_faces_are() -> None:
    all_bold = [L(x.text, x.size, True, x.at, x.font) for x in REPORT]
    assert heads(assembled(all_bold)) == [("项目概述", 1), ("项目背景", 2), ("建设方案", 1), ("总体架构", 2)]
    hei = [L("项目概述", 16, font="SimHei"), *body(2), L("建设内容", font="SimHei"), *body(2),
           L("建设方案", 16, font="SimHei"), *body(2)]
    assert heads(assembled(hei)) == [("项目概述", 1), ("建设内容", 2), ("建设方案", 1)]
    # a body set in a heavy face itself: heaviness marks nothing
    hei_body = [L(x.text, x.size, False, x.at, "SimHei") for x in hei]
    assert heads(assembled(hei_body)) == [("项目概述", 1), ("建设方案", 1)]
    # a colour at the body size (Word's blue heading styles), unless the body text is coloured too
    blue = [L("项目概述", 16), *body(2), L("建设内容", colour=True), *body(2), L("建设方案", 16), *body(2)]
    assert heads(assembled(blue)) == [("项目概述", 1), ("建设内容", 2), ("建设方案", 1)]
    all_blue = [L(x.text, x.size, x.bold, x.at, colour=True) for x in blue]
    assert heads(assembled(all_blue)) == [("项目概述", 1), ("建设方案", 1)]


# --- the PDF reader ---------------------------------------------------------------------------------------


def read(path: Path) -> Document:
    return read_document(path.name, path.read_bytes())


def test_pdf_report_with_unnumbered_headings() -> None:
    doc = read(HERE / "unnumbered-report.pdf")
    assert doc.status == "ok" and doc.pages == 5
    assert [(h.text, h.level, h.loc.page) for h in doc.headings] == [
        ("项目概述", 1, 3), ("项目基本情况", 2, 3), ("建设目标和主要内容", 2, 3),
        ("需求分析与建设必要性", 1, 3), ("一、业务现状", 2, 3), ("二、建设必要性", 2, 3),
        ("建设方案", 1, 3), ("总体架构", 2, 3), ("安全可靠情况说明", 2, 4),
        ("服务器与操作系统", 3, 4), ("数据库与中间件", 3, 4),
        ("系统集成、集约化建设和信息资源共享分析（含与一期系统及市级共性平台的对接）", 1, 4),  # wrapped over two lines
        ("投资估算与资金来源", 1, 4),
    ]
    kinds = {b.text: b.kind for b in doc.blocks}
    # cover, 目录, diagram labels, captions, the bold line inside a paragraph, the signature: text
    for text in ("南充市智慧停车管理平台", "可行性研究报告", "南充市住房和城乡建设局", "二〇二三年八月", "目 录",
                 "展示层", "基础设施层", "图1总体架构图", "表1投资估算表"):
        assert kinds.get(text) == "para", text
    assert sum(1 for b in doc.blocks if b.kind == "toc") == 5
    para = next(b for b in doc.blocks if b.text.startswith("本项目建设停车资源普查"))
    assert "泊位数据平台建成后实现泊位状态实时感知" in para.text  # the bold line stays in its paragraph
    assert para.loc.heading == ("项目概述", "建设目标和主要内容")
    (table,) = doc.tables
    assert table.title == "表1投资估算表" and table.loc.heading == ("投资估算与资金来源",)
    assert not any("应用软件开发费" in b.text for b in doc.blocks)  # table cells are no headings (nor text)


def test_libreoffice_export_of_unnumbered_heading_styles() -> None:
    """A real exporter: Heading 1 14 pt, Heading 2 13 pt, Heading 3 at the 12 pt body size in the style's
    blue, no weight (the face has no bold), a title over two lines on the cover."""
    doc = read(HERE / "libreoffice-export.pdf")
    assert [(h.text, h.level, h.loc.page) for h in doc.headings] == [
        ("项目概述", 1, 2), ("项目基本情况", 2, 2), ("建设目标", 2, 2), ("需求分析与建设必要性", 1, 2),
        ("业务需求", 3, 2), ("系统集成、集约化建设和信息资源共享分析", 1, 2), ("投资估算与资金来源", 1, 2)]
    assert [b.kind for b in doc.blocks[:4]] == ["para"] * 4  # the cover


@pytest.mark.parametrize("name", ["numbered-near-miss.pdf", "plain-near-miss.pdf"])
def test_pdf_near_misses_read_as_without_fonts(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = read(HERE / name)
    monkeypatch.setattr(pdf_reader._Fonts, "measure", lambda self, spans, info: None)
    plain = read(HERE / name)
    assert blocks(doc) == blocks(plain) and doc.tables and repr(doc.tables) == repr(plain.tables)
    expected = ["第一章 项目概况", "一、基本情况", "二、建设目标", "第二章 投资估算"] if name.startswith("numbered") else []
    assert [h.text for h in doc.headings] == expected


def test_the_reader_measures_the_lines_that_matter() -> None:
    """Sizes from the char's matrix, bold from fill+stroke, table cells and long sentences unmeasured."""
    seen: list[list[layout.Line]] = []
    real = layout.assemble

    def spy(doc: Document, pages: list[layout.PageInfo]) -> None:
        seen.append([ln for p in pages for ln in p.lines])
        real(doc, pages)

    pdf_reader.assemble = spy  # type: ignore[assignment]
    try:
        read(HERE / "plain-near-miss.pdf")
    finally:
        pdf_reader.assemble = real  # type: ignore[assignment]
    lines = {ln.text: ln for ln in seen[0]}
    assert (lines["关于南充市智慧停车管理平台"].size, lines["平台对接接口"].size) == (22.0, 12.0)
    assert lines["平台对接接口"].bold and lines["平台对接接口"].font == "DroidSansFallback"
    assert lines["停车诱导屏"].size == 14.0
    assert lines["1 应用软件开发费 600"].size is None  # a table cell
    long = [ln for ln in seen[0] if "。" in ln.text and len(ln.text) > 30]
    assert long and sum(ln.size is not None for ln in long) <= 4 * 3  # a sample per page


def test_a_failure_reading_fonts_costs_the_fonts_not_the_page(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: object, i: int) -> float:
        raise OSError("PDFium said no")

    monkeypatch.setattr(pdf_reader._Fonts, "size", broken)
    doc = read(HERE / "unnumbered-report.pdf")
    assert doc.status == "ok" and doc.issues == [] and doc.pages == 5
    assert [h.text for h in doc.headings] == ["一、业务现状", "二、建设必要性"]  # numbering alone
    assert any(b.text.startswith("本项目建设停车资源普查") for b in doc.blocks)


def raw_pdf(lines: list[tuple[str, float, str, float, float]]) -> bytes:
    """One A4 page; each line (text, size, font, x, y) drawn with "1 Tf" and scaled by the text matrix
    (as Chrome, Skia and others write). Fonts are non-embedded STSong-Light CIDFonts named `font`
    ("STSong-Light,Bold" is how Word names a face it makes bold)."""
    objs: list[bytes] = []

    def add(body: bytes) -> int:
        objs.append(body)
        return len(objs)

    res: dict[str, int] = {}
    ops = []
    for text, size, font, x, y in lines:
        if font not in res:
            desc = add(
                f"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /{font} /CIDSystemInfo << /Registry (Adobe) "
                f"/Ordering (GB1) /Supplement 2 >> /FontDescriptor << /Type /FontDescriptor /FontName /{font} "
                "/Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 "
                "/StemV 93 >> /DW 1000 >>".encode()
            )
            res[font] = add(f"<< /Type /Font /Subtype /Type0 /BaseFont /{font} /Encoding /UniGB-UCS2-H "
                            f"/DescendantFonts [{desc} 0 R] >>".encode())
        name = f"F{list(res).index(font)}"
        ops.append(f"BT /{name} 1 Tf {size} 0 0 {size} {x} {y} Tm <{text.encode('utf-16-be').hex()}> Tj ET")
    stream = "\n".join(ops).encode()
    content = add(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream")
    fonts = " ".join(f"/F{i} {n} 0 R" for i, n in enumerate(res.values()))
    pages = len(objs) + 2
    page = add(f"<< /Type /Page /Parent {pages} 0 R /MediaBox [0 0 595 842] /Resources << /Font << {fonts} >> >> "
               f"/Contents {content} 0 R >>".encode())
    add(f"<< /Type /Pages /Kids [{page} 0 R] /Count 1 >>".encode())
    catalog = add(f"<< /Type /Catalog /Pages {pages} 0 R >>".encode())
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for i, b in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n".encode() + b + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode())
    out.write(b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets))
    out.write(f"trailer\n<< /Size {len(objs) + 1} /Root {catalog} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _raw_report(head: str, sub: str, head_size: float) -> bytes:
    per = int((RIGHT - LEFT) // 12)
    rows: list[tuple[str, float, str]] = []
    for title in CHAPTERS:
        rows += [(title, head_size, head), (FILLER[: per - 2], 12, "STSong-Light"), (FILLER[:per], 12, "STSong-Light"),
                 (FILLER[:9] + "。", 12, "STSong-Light"), ("主要内容", 12, sub), (FILLER[:9] + "。", 12, "STSong-Light")]
    y, out = 780.0, []
    for text, size, font in rows:
        x = LEFT + 24 if text == FILLER[: per - 2] else LEFT
        out.append((text, size, font, x, y))
        y -= size * 1.9
    return raw_pdf(out)


CHAPTERS = ("项目概述", "建设方案", "投资估算")


@pytest.mark.parametrize(
    ("head", "sub", "size", "expected"),
    [
        # sizes set by the text matrix ("1 Tf"), bold by a ",Bold" face name
        ("STSong-Light,Bold", "STSong-Light,Bold", 16, [x for c in CHAPTERS for x in ((c, 1), ("主要内容", 2))]),
        # 黑体 headings over 宋体 body text, all in the body's size: one level
        ("SimHei", "SimHei", 12, [x for c in CHAPTERS for x in ((c, 1), ("主要内容", 1))]),
        # plain 宋体 everywhere: nothing sets the sub-headings apart, the larger chapters only
        ("STSong-Light", "STSong-Light", 16, [(c, 1) for c in CHAPTERS]),
    ],
)
def test_pdf_producer_variants(head: str, sub: str, size: float, expected: list[tuple[str, int]]) -> None:
    assert heads(read_document("可行性研究报告.pdf", _raw_report(head, sub, size))) == expected


# --- the OFD reader ---------------------------------------------------------------------------------------


def _ofd(rows: list[tuple[str, float, bool]]) -> bytes:
    """One A4 page of lines (text, size in mm, bold Weight), each line one TextObject."""
    objs, y = [], ob.TOP
    for i, (text, size, bold) in enumerate(rows):
        x = ob.LEFT + (2 * size if len(text) == int(ob.WIDTH // size) - 2 else 0)  # a paragraph's first line
        adv = [size] * len(text)
        objs.append(ob.text_object(10 + i, (x, y, size * len(text), size * 1.2),
                                   ob.text_code(text, 0, size * 0.88, dx=ob.deltax(adv[:-1])),
                                   size=size, attrs=' Weight="700"' if bold else ""))
        y += size * 1.8
    return ob.package([ob.page_xml(objs)])


def test_ofd_unnumbered_headings_by_size_and_weight() -> None:
    body_mm = 4.2333  # 12 pt
    per = int(ob.WIDTH // body_mm)
    para = [(FILLER[: per - 2], body_mm, False), (FILLER[:per], body_mm, False), (FILLER[:9] + "。", body_mm, False)]
    rows = [("项目概述", 5.6444, True), *para, ("项目背景", body_mm, True), *para,
            ("建设方案", 5.6444, False), *para, ("总体架构", body_mm, True), *para]
    doc = read_document("可行性研究报告.ofd", _ofd(rows))
    assert doc.status == "ok"
    assert heads(doc) == [("项目概述", 1), ("项目背景", 2), ("建设方案", 1), ("总体架构", 2)]
    # the same page with every line in one size and weight: paragraphs only, as before
    flat = read_document("可行性研究报告.ofd", _ofd([(t, body_mm, False) for t, _s, _b in rows]))
    assert flat.headings == [] and [b.text for b in flat.blocks] == [b.text for b in doc.blocks]


# --- documents with numbered headings read exactly as before ------------------------------------------------


def test_every_corpus_pdf_and_ofd_reads_the_same_without_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    """The font path changes nothing for the corpus's documents (numbered headings, cover titles, 目录 in
    large type, LibreOffice exports): their blocks, headings and tables are those read with no font
    information at all, i.e. by numbering alone, as before this reader read fonts."""
    files = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".pdf", ".ofd") and HERE not in p.parents)
    files += sorted((ROOT / "tests" / "fixtures").rglob("*.pdf"))
    assert len(files) >= 20
    with_fonts = {f: read(f) for f in files}
    monkeypatch.setattr(pdf_reader._Fonts, "measure", lambda self, spans, info: None)
    monkeypatch.setattr(layout, "font_headings", lambda *a: ({}, set()))
    for f in files:
        doc, plain = with_fonts[f], read(f)
        assert (blocks(doc), repr(doc.headings), repr(doc.tables)) == (
            blocks(plain), repr(plain.headings), repr(plain.tables)), f


# --- end to end -------------------------------------------------------------------------------------------


def lint_sections(path: Path) -> list[tuple[str, str | None, dict, str]]:
    code, out, err = run_cli("check", path, "--format", "json", "--no-cache", "--profile", "nanchong",
                             "--select", "DL2")
    assert code in (0, 1), err
    (pkg,) = json.loads(out)["packages"]
    return [(d["rule"], d["file"], d["location"], d["message"]) for d in pkg["diagnostics"]]


def test_e2e_required_sections_found_in_a_pdf_with_unnumbered_headings() -> None:
    """The 可研 (PDF, unnumbered headings) has 项目概述, 需求分析与建设必要性, 建设方案, the 专篇 and
    投资估算与资金来源, and no benefits chapter: only that one is reported."""
    assert lint_sections(PACKAGE) == [
        ("DL215", "可行性研究报告.pdf", {}, "可行性研究报告缺少“效益分析”相关章节"),
    ]


def test_e2e_without_fonts_the_sections_were_reported_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the reader gave before it read fonts: the two numbered sections were the only headings, so
    the chapters present were reported missing (the false errors this fixes)."""
    monkeypatch.setattr(pdf_reader._Fonts, "measure", lambda self, spans, info: None)
    assert lint_sections(PACKAGE) == [
        ("DL203", "可行性研究报告.pdf", {}, "缺少“系统集成、集约化建设和信息资源共享分析”专篇"),
        ("DL215", "可行性研究报告.pdf", {}, "可行性研究报告缺少“建设方案”相关章节"),
        ("DL215", "可行性研究报告.pdf", {}, "可行性研究报告缺少“投资估算”相关章节"),
        ("DL215", "可行性研究报告.pdf", {}, "可行性研究报告缺少“效益分析”相关章节"),
        ("DL215", "可行性研究报告.pdf", {}, "可行性研究报告缺少“项目概述”相关章节"),
    ]


def test_fixture_package_holds_the_report() -> None:
    assert (PACKAGE / "可行性研究报告.pdf").read_bytes() == (HERE / "unnumbered-report.pdf").read_bytes()
