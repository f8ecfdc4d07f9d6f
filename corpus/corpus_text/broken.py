"""Package 7: broken-inputs — every kind of bad file a reader must report, plus one good 备案审查表 so the
package is still linted.

- 02 encrypted PDF (AES-128, user password "nc2023"): cannot be opened without the password;
- 03 image-only (scanned) PDF of 3 pages: no text layer;
- 04 legacy Word .doc (OLE2 compound-file header + padding, sniffable but not a real document);
- 05 .wps (WPS Office 2003 format; also an OLE2 header + padding);
- 06 truncated .docx (first 60 % of a valid file: the ZIP central directory is missing);
- 07 .xlsx whose 合计 cell 概算表!G12 caches the error #REF! (formula =SUM(G4:G11)+#REF!G5, as Excel leaves it after
  the referenced sheet was deleted);
- 08 .docx with tracked changes (one w:del and one w:ins in paragraph index 2, 0-based) and a comment
  anchored on that paragraph.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import build
from build import F

from corpus_text.common import Proj, crypto_plan_spec, nanchong_form, paras

PKG = "broken-inputs"
PASSWORD = "nc2023"

P = Proj(
    name="南充市数字档案馆（二期）",
    system="南充市数字档案馆",
    unit="南充市档案馆",
    unit_short="市档案馆",
    contact="吴静",
    phone="0817-2000958",
    leader="谢永红",
    leader_phone="13800007314",
    total=Decimal("268.00"),
    om=Decimal("21.00"),
    funding="市本级财政资金268.00万元。",
    editor="南充嘉信工程咨询有限公司",
    date="2023年8月",
    start="2024年3月",
    end="2024年12月",
    goal="2024年12月底前建成覆盖全市党政机关的电子档案接收和利用平台，实现电子档案“应收尽收”。",
    tasks="建设电子档案接收、长期保存、档案利用服务和数据共享接口4个子系统，数字化馆藏档案120万页。",
    basis="依据《中华人民共和国档案法》和《“十四五”全国档案事业发展规划》。一期数字档案馆于2020年通过验收，电子档案接收"
          "能力不足，需建设二期。",
    perf=[
        ("产出指标", "数量指标", "馆藏档案数字化", "≥120万页"),
        ("产出指标", "数量指标", "接入电子档案移交单位", "≥60家"),
        ("产出指标", "时效指标", "上线试运行时间", "≤2024年12月31日"),
        ("效益指标", "社会效益指标", "档案网上查阅办结率", "≥95%"),
        ("满意度指标", "服务对象满意度指标", "查档群众满意度", "≥90%"),
    ],
    mode_reason="主要原因：档案管理业务专业性强，系统需与一期数字档案馆深度融合。",
    business="平台接收全市党政机关移交的电子档案，进行长期保存，并向社会提供档案查阅利用服务。",
    data_kinds="电子档案及其元数据、查档人身份信息",
)

REF_CELL = "G12"


def _budget_with_ref_error() -> bytes:
    rows = [
        [f"{P.name}项目概算表", None, None, None, None, None, None, None],
        [f"编制单位：{P.unit}", None, None, None, None, None, "单位：万元", None],
        ["序号", "费用名称", "建设内容及规格", "单位", "数量", "单价（万元）", "金额（万元）", "备注"],
        [1, "电子档案接收子系统", "在线接收、格式检测、四性检测", "套", 1, 48.0, F("=E4*F4", 48.0), ""],
        [2, "长期保存子系统", "OFD转换、备份、迁移", "套", 1, 42.0, F("=E5*F5", 42.0), ""],
        [3, "档案利用服务子系统", "网上查档、跨馆出具", "套", 1, 36.0, F("=E6*F6", 36.0), ""],
        [4, "数据共享接口", "对接数据共享交换平台", "套", 1, 18.0, F("=E7*F7", 18.0), ""],
        [5, "馆藏档案数字化", "120万页", "万页", 120, 0.6, F("=E8*F8", 72.0), ""],
        [6, "政务云资源租用费", "建设期", "年", 1, 16.0, F("=E9*F9", 16.0), ""],
        [7, "等保测评及密评", "第二级", "项", 1, 18.0, F("=E10*F10", 18.0), ""],
        [8, "其他费用及预备费", "监理、招标、培训、预备费", "项", 1, 18.0, F("=E11*F11", 18.0), ""],
        ["合计", None, None, None, None, None, F("=SUM(G4:G11)+#REF!G5", "#REF!", error=True), ""],
    ]
    return build.xlsx_bytes({"概算表": rows}, {"概算表": ["A1:H1", "A2:F2", "G2:H2", "A12:F12"]},
                            title_rows={"概算表": [1]}, header_rows={"概算表": [3]},
                            table_ranges={"概算表": "A3:H12"})


def _tracked_spec() -> list[tuple]:
    return [
        ("title", f"{P.name}建设依据和必要性说明（修订稿）"),
        ("h1", "一、建设依据"),
        ("p", "《中华人民共和国档案法》第五章规定，档案馆应当推进档案信息化建设，加强电子档案管理。",
         {"del": "根据省档案局要求，", "ins": "根据《四川省档案条例》，", "author": "吴静",
          "comment": "请核实条例名称和条款，并补充文号。"}),
        ("h1", "二、建设必要性"),
        *paras(
            "一期数字档案馆年接收电子档案能力约20万件，2023年全市党政机关形成电子文件约65万件，接收能力严重不足。",
            "馆藏纸质档案尚有120万页未数字化，群众查档需到馆办理，无法实现“网上查、跨馆办”。",
        ),
    ]


def _scanned_pages() -> list[str]:
    return [
        f"{P.name}\n初步设计方案\n\n{P.unit}\n2023年9月",
        "第一章 概述\n\n本初步设计方案依据可行性研究报告编制，\n建设内容和总投资与可行性研究报告一致。\n\n第二章 应用系统设计\n\n"
        "电子档案接收子系统支持在线接收和离线接收，\n对接收的电子档案进行真实性、完整性、\n可用性和安全性检测。",
        "第三章 投资概算\n\n项目概算总投资268.00万元。\n\n（扫描件，第3页）",
    ]


def make(out: Path) -> list[str]:
    d = out / PKG
    build.write_docx(d / "01_南充市市级政务信息化项目备案审查表.docx", nanchong_form(P))
    feas = [("title", f"{P.name}可行性研究报告"), ("h1", "第一章 项目概况"),
            *paras(f"项目总投资{P.total}万元，由市本级财政资金安排。"),
            ("h1", "第二章 系统集成、集约化建设和信息资源共享分析"),
            *paras("平台部署在市级政务云，接入市级数据共享交换平台。")]
    build.write_pdf(d / "02_南充市数字档案馆（二期）可行性研究报告.pdf", feas, encrypt_user=PASSWORD,
                    encrypt_owner="owner-" + PASSWORD)
    build.write_image_pdf(d / "03_初步设计方案（扫描件）.pdf", _scanned_pages())
    build.write_bytes(d / "04_政务云需求方案.doc", build.ole2_bytes("政务云需求方案（Word 97-2003 文档）"))
    build.write_bytes(d / "05_网络安全等级保护方案.wps", build.ole2_bytes("网络安全等级保护方案（WPS文字文档）"))
    build.write_bytes(d / "06_商用密码应用方案.docx", build.truncated(build.docx_bytes(crypto_plan_spec(P)), 0.6))
    build.write_bytes(d / "07_项目概算表.xlsx", _budget_with_ref_error())
    build.write_docx(d / "08_建设依据和必要性说明（修订稿）.docx", _tracked_spec())
    return []
