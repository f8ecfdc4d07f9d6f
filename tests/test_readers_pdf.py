"""PDF reader: text, paragraphs, headings, tables, scanned/garbled pages, fonts, encryption, limits."""

from __future__ import annotations

import time
from pathlib import Path

from dossier_lint.limits import Limits
from dossier_lint.model import Location
from dossier_lint.readers import read_document
from readers_helpers import PdfPage, make_pdf

FIX = Path(__file__).parent / "fixtures" / "readers"


def codes(doc) -> list[str]:  # noqa: ANN001
    return [i.code for i in doc.issues]


def test_embedded_font_report_paragraphs_headings_tables() -> None:
    data = (FIX / "report_embedded.pdf").read_bytes()
    doc = read_document("可研报告.pdf", data)
    assert doc.status == "ok" and doc.format == "pdf" and doc.pages == 4
    assert doc.size == len(data) and len(doc.sha256) == 64
    assert codes(doc) == []  # fonts embedded, text layer fine: no issue (near miss of the font check)
    kinds = [(b.kind, b.loc.page, b.text) for b in doc.blocks]
    assert kinds[:5] == [
        ("para", 1, "目录"),
        ("toc", 1, "第一章 总论 ………………………… 2"),
        ("toc", 1, "第二章 投资估算 ……………………… 3"),
        ("heading", 2, "第一章 总论"),
        ("heading", 2, "一、项目概况"),
    ]
    # wrapped, justified lines are joined into one paragraph, with no space inside Chinese text
    para = doc.blocks[5]
    assert para.text.startswith("本项目为某市政务信息化建设项目，主要建设内容包括政务数据共享交换平台")
    assert para.text.endswith("为企业和群众提供一网通办服务。")
    assert " " not in para.text and "\n" not in para.text
    assert doc.blocks[6].text.startswith("项目总投资为1200万元")  # indented line starts a new paragraph
    assert para.loc == Location(page=2, heading=("第一章 总论", "一、项目概况"))
    # "— 2 —" footers are gone
    assert not any("—" in b.text and b.text.strip("— 0123456789") == "" for b in doc.blocks)
    assert [(h.number, h.title, h.level) for h in doc.headings] == [
        ("第一章", "总论", 1),
        ("一", "项目概况", 2),
        ("二", "建设原则", 2),
        ("第二章", "投资估算", 1),
    ]
    # one ruled table over a page break, stitched, its repeated header row dropped
    assert len(doc.tables) == 1
    t = doc.tables[0]
    rows = t.text_rows()
    assert rows[0] == ["序号", "费用名称", "金额（万元）"]
    assert rows[1:] == [[str(i), f"子项费用{i}", str(i * 10)] for i in range(1, 13)]
    assert t.loc.page == 3 and t.loc.heading == ("第二章 投资估算",)
    assert t.title == "表1投资估算表"
    assert t.rows[-1][2].loc.page == 4 and t.rows[-1][2].row == 12
    # cells are cited as on their page: p3 表1第2行第2列; the continuation on p4 counts its repeated header
    assert (t.rows[1][1].loc.table, t.rows[1][1].loc.row, t.rows[1][1].loc.col) == (1, 2, 2)
    assert (t.rows[-1][2].loc.table, t.rows[-1][2].loc.row, t.rows[-1][2].loc.col) == (1, 5, 3)
    # table text is in the table, not repeated as paragraphs
    assert not any("子项费用" in b.text for b in doc.blocks)


def test_generated_numbered_headings_and_table() -> None:
    pages = [
        PdfPage(["第一章 总论", "一、项目概况", "（一）项目名称", "智慧城管平台建设项目", "1.1 建设背景", "— 1 —"]),
        PdfPage(
            ["第二章 建设内容", "一、总体架构"],
            footer="12",
            table=[["序号", "系统名称", "金额"], ["01", "数据共享平台", "300"], ["02", "统一认证系统", "120"]],
        ),
    ]
    doc = read_document("a.pdf", make_pdf(pages))
    assert doc.status == "ok"
    assert [(h.text, h.level, h.loc.page) for h in doc.headings] == [
        ("第一章 总论", 1, 1),
        ("一、项目概况", 2, 1),
        ("（一）项目名称", 3, 1),
        ("1.1 建设背景", 4, 1),  # decimal family ranked after （一）; no "1." in use, so no gap
        ("第二章 建设内容", 1, 2),
        ("一、总体架构", 2, 2),
    ]
    assert [b.text for b in doc.blocks if b.kind == "para"] == ["智慧城管平台建设项目"]  # "12", "— 1 —" dropped
    (t,) = doc.tables
    assert t.text_rows()[1] == ["01", "数据共享平台", "300"]
    assert t.loc == Location(page=2, heading=("第二章 建设内容", "一、总体架构"))
    # STSong-Light is referenced, not embedded
    (fonts,) = [i for i in doc.issues if i.code == "no-embedded-fonts"]
    assert fonts.args == {"fonts": "STSong-Light"}


def test_scanned_pages_reported_as_ranges() -> None:
    text = PdfPage(["第一章 总论", "本页有文字层，可以检查。"])
    scan = PdfPage(image=True)
    doc = read_document("扫描件.pdf", make_pdf([text, text, scan, scan, text, scan]))
    (issue,) = [i for i in doc.issues if i.code == "scanned-pages"]
    assert issue.args == {"pages": "3–4, 6", "count": 3} and issue.loc == Location(page=3)
    assert doc.status == "partial" and "扫描" in (doc.reason or "")
    assert "empty-document" not in codes(doc)


def test_all_pages_scanned_is_unreadable() -> None:
    doc = read_document("批复.pdf", make_pdf([PdfPage(image=True), PdfPage(image=True)]))
    assert doc.status == "unreadable"
    assert [i for i in doc.issues if i.code == "scanned-pages"][0].args == {"pages": "1–2", "count": 2}
    assert "empty-document" not in codes(doc)


def test_blank_page_is_not_a_scan() -> None:
    doc = read_document("a.pdf", make_pdf([PdfPage(["第一章 总论", "正文内容在这里。"]), PdfPage([])]))
    assert "scanned-pages" not in codes(doc)


_IDENTITY_FONT = (
    "<< /Type /Font /Subtype /Type0 /BaseFont /FakeSong /Encoding /Identity-H /DescendantFonts [<< /Type /Font "
    "/Subtype /CIDFontType2 /BaseFont /FakeSong /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) "
    "/Supplement 0 >> /FontDescriptor << /Type /FontDescriptor /FontName /FakeSong /Flags 4 "
    "/FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 80 >> /DW 1000 >>] >>"
)


def test_font_without_tounicode_is_garbled() -> None:
    # Identity-H glyph ids with no ToUnicode map: the text layer reads as nonsense
    raw = [bytes(range(i * 16 + 1, i * 16 + 17)) + bytes(range(100 + i, 116 + i)) for i in range(4)]
    bad = PdfPage(lines=["x"] * 4, raw_font="/F9", raw_text=raw)
    good = PdfPage(["第一章 总论", "本页文字正常，可以复制。"])
    doc = read_document("a.pdf", make_pdf([good, bad, good], extra_fonts={"/F9": _IDENTITY_FONT}))
    (issue,) = [i for i in doc.issues if i.code == "garbled-text"]
    assert issue.args["pages"] == "2" and issue.loc == Location(page=2)
    assert doc.status == "partial"
    # near miss: the same document without the bad page
    clean = read_document("a.pdf", make_pdf([good, good], extra_fonts={"/F9": _IDENTITY_FONT}))
    assert "garbled-text" not in codes(clean)


def test_private_use_characters_are_garbled() -> None:
    pua = "".join(chr(0xE000 + i) for i in range(30))
    doc = read_document("a.pdf", make_pdf([PdfPage([pua[:15], pua[15:]])]))
    assert [i.args["pages"] for i in doc.issues if i.code == "garbled-text"] == ["1"]


def test_encrypted_pdf() -> None:
    doc = read_document("加密.pdf", (FIX / "encrypted.pdf").read_bytes())
    assert doc.status == "unreadable"
    assert codes(doc) == ["encrypted"]
    assert "密码" in (doc.reason or "")


def test_corrupt_and_truncated_pdf() -> None:
    doc = read_document("坏.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage")
    assert doc.status == "unreadable" and codes(doc) == ["unreadable"]
    assert "损坏" in doc.issues[0].args["reason"]
    data = (FIX / "report_embedded.pdf").read_bytes()
    cut = read_document("截断.pdf", data[: len(data) // 3])
    assert cut.status in ("ok", "partial", "unreadable")  # PDFium may repair it; it must not raise
    assert cut.sha256 and cut.size == len(data) // 3
    not_pdf = read_document("假.pdf", b"this is not a pdf at all")
    assert not_pdf.status == "unreadable" and codes(not_pdf) == ["unreadable"]


def test_max_pages_limit_gives_partial() -> None:
    pages = [PdfPage([f"第{n}章 标题", "正文内容。"]) for n in "一二三四五"]
    doc = read_document("a.pdf", make_pdf(pages), Limits(max_pages=2))
    assert doc.status == "partial" and doc.pages == 5
    (hit,) = [i for i in doc.issues if i.code == "limit-hit"]
    assert hit.args == {"limit": "max_pages", "value": 2}
    assert [h.text for h in doc.headings] == ["第一章 标题", "第二章 标题"]


def test_time_limit_is_enforced_between_pages() -> None:
    doc = read_document("a.pdf", make_pdf([PdfPage(["第一章 标题", "正文。"])] * 3), Limits(max_seconds=1e-9))
    (hit,) = [i for i in doc.issues if i.code == "limit-hit"]
    assert hit.args["limit"] == "max_seconds"
    assert doc.status in ("partial", "unreadable") and "时间" in (doc.reason or "")


def test_timing_100_pages(capsys) -> None:  # noqa: ANN001
    body = "本项目建设内容包括数据共享交换平台统一身份认证系统电子证照库等共计若干子系统"
    pages = []
    for n in range(100):
        lines = [f"{n % 50 + 1}.{n // 50 + 1} 第{n + 1}节标题"] + [body] * 30
        table = [["序号", "名称", "金额"]] + [[f"{r:02d}", "平台建设", "100"] for r in range(8)] if n % 10 == 0 else None
        pages.append(PdfPage(lines, table=table))
    data = make_pdf(pages, font_size=10)
    t0 = time.perf_counter()
    doc = read_document("big.pdf", data)
    elapsed = time.perf_counter() - t0
    with capsys.disabled():
        print(f"\n[timing] 100-page PDF ({len(data) // 1024} KB, 10 table pages): {elapsed:.2f} s")
    assert doc.pages == 100 and len(doc.tables) == 10 and len(doc.headings) == 100


def test_a_damaged_page_is_skipped_not_fatal(monkeypatch) -> None:  # noqa: ANN001
    from dossier_lint.readers import pdf as pdf_reader

    real = pdf_reader._read_page

    def flaky(pdf, index, fonts):  # noqa: ANN001, ANN202
        if index == 1:
            raise RuntimeError("bad content stream")
        return real(pdf, index, fonts)

    monkeypatch.setattr(pdf_reader, "_read_page", flaky)
    pages = [PdfPage([f"第{n}章 标题", "正文内容。"]) for n in "一二三"]
    doc = read_document("a.pdf", make_pdf(pages))
    assert doc.status == "partial"
    assert [i.args for i in doc.issues if i.code == "unreadable"] == [{"reason": "第 2 页已损坏，无法解析，已跳过；请重新导出 PDF 后提交"}]
    assert [h.text for h in doc.headings] == ["第一章 标题", "第三章 标题"]


def test_table_extraction_failure_keeps_the_text(monkeypatch) -> None:  # noqa: ANN001
    import pdfplumber

    from dossier_lint.readers import pdftables

    def broken(*a, **k):  # noqa: ANN002, ANN003, ANN202
        raise ValueError("table finder failed")

    # PDFium's geometry fails, so the page goes to pdfplumber's own parse, which fails too
    monkeypatch.setattr(pdftables, "find", broken)
    monkeypatch.setattr(pdfplumber, "open", broken)
    page = PdfPage(["第一章 总论"], table=[["序号", "名称"], ["01", "平台"]])
    doc = read_document("a.pdf", make_pdf([page]))
    assert doc.status == "ok" and doc.tables == [] and doc.meta["tables_failed"] is True
    assert doc.headings[0].text == "第一章 总论"


def test_pdfplumber_parses_a_table_page_when_pdfium_geometry_fails(monkeypatch) -> None:  # noqa: ANN001
    from dossier_lint.readers import pdftables

    rows = [["序号", "系统名称", "金额（万元）"], ["1", "智慧城管平台", "120.5"], ["2", "GB/T 22239 测评", "30"]]
    data = make_pdf([PdfPage(["第一章 总论"], table=rows)])
    direct = read_document("a.pdf", data)

    def broken(*a, **k):  # noqa: ANN002, ANN003, ANN202
        raise ValueError("odd geometry")

    monkeypatch.setattr(pdftables, "find", broken)
    fallback = read_document("a.pdf", data)
    # the reader drops the space between CJK and Latin text in every PDF path (PDFium adds ones nobody typed)
    expected = [*rows[:2], ["2", "GB/T 22239测评", "30"]]
    assert [[c.text for c in r] for r in direct.tables[0].rows] == expected
    assert [[c.text for c in r] for r in fallback.tables[0].rows] == expected
    assert "tables_failed" not in fallback.meta


def test_a_line_on_two_short_pages_is_not_a_running_header() -> None:
    # one-line pages (a 批复's body split over pages, a signature page): their lines are the first two and the
    # last two at once, and must count once per page, not twice; a real footer on every page still goes
    pages = [PdfPage(["同意立项。"], footer="南充市发展和改革委员会"), PdfPage(["同意立项。"], footer="南充市发展和改革委员会"),
             PdfPage(["第二章 建设方案"], footer="南充市发展和改革委员会")]
    doc = read_document("a.pdf", make_pdf(pages))
    texts = [b.text for b in doc.blocks]
    assert texts.count("同意立项。") == 2
    assert "南充市发展和改革委员会" not in texts
