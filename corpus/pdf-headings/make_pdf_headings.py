"""Generate the fixtures for headings told apart by font alone (tests/test_pdf_headings.py).

    python corpus/pdf-headings/make_pdf_headings.py      # rewrites the files listed below
    python corpus/pdf-headings/make_pdf_headings.py --libreoffice   # and remakes the LibreOffice export

- `unnumbered-report.pdf`: a 可研 laid out as a Word export of a report whose chapter and section titles
  carry no numbering ("项目概述" in 16 pt faux bold, sections 14 pt, sub-sections bold at the 12 pt body
  size), with what real reports also set large or bold around them: a cover page (title, unit, date),
  a 目录 page, running headers and page numbers, a diagram whose box labels are 14 pt bold, figure and
  table captions ("图1 …" 12 pt bold, "表1 …" 14 pt bold), a ruled table, a bold line inside a paragraph,
  a chapter title long enough to wrap, two numbered sections ("一、…") and a signature block. The
  benefits chapter (效益分析) is left out on purpose.
- `numbered-near-miss.pdf`: a report whose headings ARE numbered (第一章 / 一、, large and bold) with one
  unnumbered large line (前言), a cover, a large table caption and a bold sentence in a paragraph: it
  must read exactly as by numbering alone.
- `plain-near-miss.pdf`: a note with no headings at all but lines set large or bold that a reader could
  take for some (cover, bold lines in paragraphs, a 14 pt bold sentence, captions, diagram labels, a
  signature): none may become one.
- `libreoffice-export.pdf` (only with --libreoffice; see `libreoffice_export`).
- `nc-pdf-unnumbered/`: a 南充 package (备案审查表, the report above as its 可研, 初设, the technical plans)
  for the end-to-end test; its other files come from corpus/cases/make_structure_cases.py.

fpdf2 with the corpus CJK font (fonts-droid-fallback, as corpus/build.py). It has no bold face, so bold is
drawn as Word draws bold for such a face: fill + stroke. Deterministic (fixed creation date).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "cases"))

import build  # noqa: E402  (corpus/build.py)

BODY = 12.0
H1, H2, H3 = 16.0, 14.0, 12.0  # H3: bold at the body size
MARGIN = 25.0  # mm
HEADER = "南充市智慧停车管理平台可行性研究报告"

Item = tuple[Any, ...]


class Report:
    """A small page-layout engine over fpdf2: wrapped, indented paragraphs; headings; captions; tables."""

    def __init__(self, header: str | None = None) -> None:
        from fpdf import FPDF

        header_text = header

        class _Pdf(FPDF):
            def header(self) -> None:
                if header_text and self.page_no() > 2:
                    self.set_font("cjk", size=9)
                    self.set_y(12)
                    self.cell(0, 5, header_text, align="C")
                    self.set_y(MARGIN)

            def footer(self) -> None:
                if self.page_no() > 2:
                    self.set_y(-18)
                    self.set_font("latin", size=10.5)
                    self.cell(0, 8, f"\u2014 {self.page_no() - 2} \u2014", align="C")

        pdf = _Pdf(format="A4")
        pdf.set_creation_date(build.FIXED_DATE)
        pdf.set_creator("dossier-lint corpus")
        pdf.set_producer("dossier-lint corpus")
        pdf.add_font("cjk", fname=build.FONT_PATH)
        pdf.add_font("latin", fname=build.LATIN_FONT_PATH)
        pdf.set_fallback_fonts(["latin"], exact_match=False)
        pdf.set_margins(MARGIN, MARGIN, MARGIN)
        pdf.set_auto_page_break(True, margin=MARGIN)
        pdf.c_margin = 0
        self.pdf = pdf
        self.width = pdf.w - 2 * MARGIN

    # --- text ------------------------------------------------------------------------------------

    def _wrap(self, text: str, size: float, indent: float = 0.0) -> list[str]:
        pdf = self.pdf
        pdf.set_font("cjk", size=size)
        lines: list[str] = []
        cur, limit = "", self.width - indent
        for ch in text:
            if cur and pdf.get_string_width(cur + ch) > limit and ch not in "，。、；：？！）》”":
                lines.append(cur)
                cur, limit = "", self.width
            cur += ch
        if cur:
            lines.append(cur)
        return lines

    def _line(self, text: str, size: float, *, bold: bool = False, align: str = "L", indent: float = 0.0,
              height: float | None = None) -> None:
        from fpdf.enums import TextMode

        pdf = self.pdf
        pdf.set_font("cjk", size=size)
        pdf.set_x(MARGIN + indent)
        h = height or size * 0.55
        if bold:
            with pdf.local_context(text_mode=TextMode.FILL_STROKE, line_width=0.3):
                pdf.cell(self.width - indent, h, text, align=align, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.cell(self.width - indent, h, text, align=align, new_x="LMARGIN", new_y="NEXT")

    def heading(self, text: str, size: float, *, bold: bool = True) -> None:
        pdf = self.pdf
        if pdf.get_y() > pdf.h - MARGIN - 40:
            pdf.add_page()
        pdf.ln(3)
        for line in self._wrap(text, size):
            self._line(line, size, bold=bold)
        pdf.ln(2)

    def para(self, text: str, *, bold_line: int | None = None) -> None:
        """A paragraph, first line indented two characters; `bold_line`: that wrapped line in bold."""
        indent = 2 * self.pdf.get_string_width("\u4e00") if self._set(BODY) else 0.0
        lines = self._wrap(text, BODY, indent)
        if bold_line is not None:
            assert not any(p in lines[bold_line] for p in "。；，：！？"), lines[bold_line]  # a real near miss
        for i, line in enumerate(lines):
            self._line(line, BODY, bold=i == bold_line, indent=indent if i == 0 else 0.0, height=7.4)
        self.pdf.ln(1.5)

    def _set(self, size: float) -> bool:
        self.pdf.set_font("cjk", size=size)
        return True

    def center(self, text: str, size: float, *, bold: bool = False, gap: float = 4.0) -> None:
        self._line(text, size, bold=bold, align="C")
        self.pdf.ln(gap)

    def right(self, text: str, size: float, *, bold: bool = False) -> None:
        self._line(text, size, bold=bold, align="R", height=8)

    def figure(self, labels: list[str]) -> None:
        """Stacked boxes (an architecture diagram), each label 14 pt bold, centred in its box."""
        pdf = self.pdf
        if pdf.get_y() + 12 * len(labels) + 20 > pdf.h - MARGIN:
            pdf.add_page()  # a figure is not split over pages
        pdf.ln(2)
        pdf.set_line_width(0.3)
        for label in labels:
            y = pdf.get_y()
            pdf.rect(MARGIN + 20, y, self.width - 40, 10)
            pdf.set_y(y + 2)
            self._line(label, 14, bold=True, align="C", height=6)
            pdf.set_y(y + 12)

    def table(self, rows: list[list[str]]) -> None:
        from fpdf.fonts import FontFace

        pdf = self.pdf
        pdf.set_font("cjk", size=10.5)
        pdf.set_line_width(0.3)
        with pdf.table(width=self.width, line_height=6.5, first_row_as_headings=True, text_align="CENTER",
                       headings_style=FontFace(emphasis="", fill_color=(225, 225, 225))) as t:
            for row in rows:
                r = t.row()
                for cell in row:
                    r.cell(cell)
        pdf.ln(2)

    def toc(self, entries: list[tuple[str, int]]) -> None:
        pdf = self.pdf
        self.center("目  录", 18, bold=True, gap=6)
        pdf.set_font("cjk", size=BODY)
        for title, page in entries:
            label_w = pdf.get_string_width(title)
            num = str(page)
            dots = "." * int((self.width - label_w - pdf.get_string_width(num) - 2) / pdf.get_string_width("."))
            pdf.cell(self.width, 9, f"{title}{dots}{num}", new_x="LMARGIN", new_y="NEXT")

    def bytes(self) -> bytes:
        return bytes(self.pdf.output())


# --- the unnumbered report ---------------------------------------------------------------------------

NAME = "南充市智慧停车管理平台"
UNIT = "南充市住房和城乡建设局"
INTEGRATION = "系统集成、集约化建设和信息资源共享分析（含与一期系统及市级共性平台的对接）"


def unnumbered_report() -> bytes:
    r = Report(HEADER)
    pdf = r.pdf
    pdf.add_page()  # cover
    pdf.ln(45)
    r.center(NAME, 22, bold=True, gap=3)
    r.center("可行性研究报告", 22, bold=True, gap=60)
    r.center(UNIT, 16)
    r.center("二〇二三年八月", 16)
    pdf.add_page()  # 目录
    r.toc([("项目概述", 1), ("需求分析与建设必要性", 1), ("建设方案", 1), ("系统集成、集约化建设和信息资源共享分析", 2),
           ("投资估算与资金来源", 2)])
    pdf.add_page()

    r.heading("项目概述", H1)
    r.heading("项目基本情况", H2)
    r.para(f"项目名称为{NAME}，建设单位为{UNIT}，项目负责人为局分管负责人，本项目为新建项目，建设方式为自行建设，"
           "建设周期为2024年1月至2024年12月。")
    r.heading("建设目标和主要内容", H2)
    r.para("本项目建设停车资源普查、泊位监测、停车诱导和综合监管四个子系统，接入中心城区路内泊位3000个、"
           "公共停车场42个全部泊位数据平台建成后实现泊位状态实时感知与动态诱导服务群众出行，"
           "提升城市停车资源的利用效率。", bold_line=1)
    r.para("平台统一部署在市级政务云，依托市级数据共享交换平台与公安交管、城管执法等部门共享停车数据。")

    r.heading("需求分析与建设必要性", H1)
    r.heading("一、业务现状", H2)
    r.para("中心城区停车泊位信息分散在各停车场经营单位，缺少统一的数据汇聚与发布渠道，群众找车位难、"
           "路内停车收费监管难的问题较为突出。")
    r.heading("二、建设必要性", H2)
    r.para("建设全市统一的智慧停车管理平台，是落实新型智慧城市建设规划、缓解中心城区停车难问题的需要。")

    r.heading("建设方案", H1)
    r.heading("总体架构", H2)
    r.para("平台采用分层架构，自上而下分为展示层、应用层、数据层和基础设施层，各层之间通过标准接口交互。")
    r.figure(["展示层", "应用层", "数据层", "基础设施层"])
    r.center("图1 总体架构图", BODY, bold=True, gap=3)
    r.para("展示层面向群众提供停车诱导服务，面向管理部门提供综合监管驾驶舱。")
    r.heading("安全可靠情况说明", H2)
    r.para("服务器、操作系统、数据库和中间件均采用通过安全可靠测评的产品，满足信创适配要求。")
    r.heading("服务器与操作系统", H3)
    r.para("应用服务器采用国产处理器服务器，操作系统采用麒麟V10。")
    r.heading("数据库与中间件", H3)
    r.para("数据库采用达梦DM8，中间件采用东方通TongWeb。")

    r.heading(INTEGRATION, H1)
    r.para("平台与一期停车收费系统集成，利用市级政务云和数据共享交换平台集约化建设，不新建机房，"
           "向市级共享平台提供泊位数据22类。")

    r.heading("投资估算与资金来源", H1)
    r.para("本项目总投资为860万元，资金来源为市本级财政资金，投资构成见下表。")
    r.center("表1 投资估算表", 14, bold=True, gap=2)
    r.table([["序号", "费用名称", "金额（万元）"], ["1", "应用软件开发费", "520"], ["2", "感知设备购置费", "260"],
             ["3", "其他费用", "80"], ["", "合计", "860"]])
    r.para("以上投资估算依据市级政务信息化项目建设投资编制规定测算。")
    pdf.ln(12)
    r.right(UNIT, BODY, bold=True)
    r.right("二〇二三年八月", BODY, bold=True)
    return r.bytes()


def numbered_near_miss() -> bytes:
    r = Report("南充市智慧停车管理平台实施方案")
    pdf = r.pdf
    pdf.add_page()
    pdf.ln(45)
    r.center(NAME, 22, bold=True, gap=3)
    r.center("项目实施方案", 22, bold=True, gap=60)
    r.center(UNIT, 16)
    r.center("二〇二三年八月", 16)
    pdf.add_page()
    r.heading("前言", H1)
    r.para("本方案依据南充市市级政务信息化项目管理办法编制，说明项目建设内容和实施安排。")
    pdf.add_page()
    r.heading("第一章 项目概况", H1)
    r.heading("一、基本情况", H2)
    r.para("本项目建设停车资源普查、泊位监测、停车诱导和综合监管四个子系统，接入中心城区路内泊位3000个、"
           "公共停车场42个全部泊位数据平台建成后实现泊位状态实时感知与动态诱导服务群众出行，"
           "提升城市停车资源的利用效率。", bold_line=1)
    r.heading("二、建设目标", H2)
    r.para("2024年底前建成全市统一的智慧停车管理平台。")
    r.heading("第二章 投资估算", H1)
    r.para("本项目总投资为860万元。")
    r.center("表1 投资估算表", 14, bold=True, gap=2)
    r.table([["序号", "费用名称", "金额（万元）"], ["1", "应用软件开发费", "600"], ["2", "其他费用", "260"]])
    r.para("以上投资估算依据市级政务信息化项目建设投资编制规定测算。")
    return r.bytes()


def plain_near_miss() -> bytes:
    """No headings at all, but what a reader could take for some: a cover, a bold sentence inside a
    paragraph, a bold last line of a paragraph, a large table caption, a figure caption, a note, a
    large-font sentence and a signature block."""
    r = Report("关于南充市智慧停车管理平台建设情况的说明")
    pdf = r.pdf
    pdf.add_page()
    pdf.ln(45)
    r.center("关于南充市智慧停车管理平台", 22, bold=True, gap=3)
    r.center("建设情况的说明", 22, bold=True, gap=60)
    r.center(UNIT, 16)
    pdf.add_page()
    pdf.add_page()
    r.para("本项目建设停车资源普查、泊位监测、停车诱导和综合监管四个子系统，接入中心城区路内泊位3000个、"
           "公共停车场42个全部泊位数据平台建成后实现泊位状态实时感知与动态诱导服务群众出行，"
           "提升城市停车资源的利用效率。", bold_line=1)
    r.para("平台统一部署在市级政务云，依托市级数据共享交换平台与公安交管、城管执法等部门共享停车数据，"
           "并同步建设泊位数据共享接口和停车诱导屏发布接口以及市级平台对接接口", bold_line=2)
    r.center("请各有关单位于2023年9月30日前反馈意见。", 14, bold=True, gap=3)
    r.para("项目总投资为860万元，投资构成见下表，均由市本级财政资金安排。")
    r.center("表1 投资估算表", 14, bold=True, gap=2)
    r.table([["序号", "费用名称", "金额（万元）"], ["1", "应用软件开发费", "600"], ["2", "其他费用", "260"]])
    r.para("注：以上金额含税，依据市级政务信息化项目建设投资编制规定测算。")
    r.figure(["停车诱导屏", "综合监管驾驶舱"])
    r.center("图1 平台应用示意图", 14, bold=True, gap=3)
    r.para("平台建成后由市住房和城乡建设局负责运行维护。")
    pdf.ln(12)
    r.right(UNIT, 14, bold=True)
    r.right("二〇二三年八月", 14, bold=True)
    return r.bytes()


LIBREOFFICE_SPEC: list[Item] = [
    ("title", f"{NAME}可行性研究报告"),
    ("center", UNIT),
    ("center", "二〇二三年八月"),
    ("pagebreak",),
    ("h1", "项目概述"),
    ("h2", "项目基本情况"),
    ("p", f"项目名称为{NAME}，建设单位为{UNIT}，本项目为新建项目，建设方式为自行建设，建设周期为2024年1月至2024年12月。"),
    ("h2", "建设目标"),
    ("p", "本项目建设停车资源普查、泊位监测、停车诱导和综合监管四个子系统，接入中心城区路内泊位3000个、公共停车场42个。"),
    ("h1", "需求分析与建设必要性"),
    ("p", "中心城区停车泊位信息分散在各停车场经营单位，缺少统一的数据汇聚与发布渠道，群众找车位难。"),
    ("h3", "业务需求"),
    ("p", "需要汇聚全市停车泊位数据并实时发布。"),
    ("h1", "系统集成、集约化建设和信息资源共享分析"),
    ("p", "平台与一期停车收费系统集成，利用市级政务云和数据共享交换平台集约化建设。"),
    ("h1", "投资估算与资金来源"),
    ("p", "本项目总投资为860万元，资金来源为市本级财政资金。"),
    ("table", [["序号", "费用名称", "金额（万元）"], ["1", "应用软件开发费", "600"], ["2", "其他费用", "260"]]),
]


def libreoffice_export(dest: Path) -> None:
    """`libreoffice-export.pdf`: a DOCX with unnumbered Heading 1-3 styles (corpus/build.py) exported by
    LibreOffice (`soffice --headless --convert-to pdf`), as a real exporter writes headings: sizes from the
    styles, Heading 3 at the body size told apart only by the style's blue. Made once and committed (an
    export carries its date, so it is not byte-stable); rerun with --libreoffice to remake it."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        docx = Path(tmp) / "libreoffice-export.docx"
        build.write_docx(docx, LIBREOFFICE_SPEC)
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", tmp, str(docx)], check=True,
                       capture_output=True, timeout=300)
        shutil.copyfile(Path(tmp) / "libreoffice-export.pdf", dest)


def package(dest: Path, report: bytes) -> None:
    import make_structure_cases as cases  # noqa: PLC0415  (corpus/cases: the 南充 fixture writers)

    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    cases.nc_form(dest / "备案审查表.xlsx")
    (dest / "可行性研究报告.pdf").write_bytes(report)
    cases.nc_design(dest / "初步设计方案.md")
    cases.nc_support(dest)


def main() -> None:
    report = unnumbered_report()
    (HERE / "unnumbered-report.pdf").write_bytes(report)
    (HERE / "numbered-near-miss.pdf").write_bytes(numbered_near_miss())
    (HERE / "plain-near-miss.pdf").write_bytes(plain_near_miss())
    package(HERE / "nc-pdf-unnumbered", report)
    if "--libreoffice" in sys.argv:
        libreoffice_export(HERE / "libreoffice-export.pdf")


if __name__ == "__main__":
    main()
