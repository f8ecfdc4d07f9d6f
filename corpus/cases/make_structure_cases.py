"""Generate the small fixture packages for the rule-pack tests (tests/test_rules_e2e.py, test_profiles.py).

    python corpus/cases/make_structure_cases.py      # rewrites corpus/cases/structure/

Each package isolates a few rules: a "complete" package per city (every rule's near miss) and variants
that break one thing each. Reports are Markdown (headings by '#', tiny), forms are XLSX (exact cell
locations) or DOCX (the Taixing form, to cover DOCX tables), catalogs and budget sheets CSV. Input
cases use the builders' broken-file helpers. Everything is deterministic.
"""

from __future__ import annotations

import shutil
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "structure"
sys.path.insert(0, str(HERE.parent))

import build  # noqa: E402  (corpus/build.py)
import ofdbuild  # noqa: E402  (corpus/ofdbuild.py)

CASES: dict[str, Callable[[Path], None]] = {}


def case(name: str) -> Callable[[Callable[[Path], None]], Callable[[Path], None]]:
    def deco(fn: Callable[[Path], None]) -> Callable[[Path], None]:
        CASES[name] = fn
        return fn

    return deco


def md(path: Path, *lines: str) -> None:
    build.write_md(path, "\n".join(lines) + "\n")


def csv(path: Path, rows: list[list[str]]) -> None:
    build.write_md(path, "\n".join(",".join(r) for r in rows) + "\n")


# ---------------------------------------------------------------------------------------------
# 南充

NC_NAME = "南充市智慧停车管理平台"
NC_UNIT = "南充市住房和城乡建设局"


def nc_form(path: Path, **over: str) -> None:
    """南信办〔2023〕2号 附件 备案审查表, filled in; `over` replaces values ("" = blank)."""
    v = {
        "项目名称": NC_NAME,
        "项目单位": NC_UNIT,
        "项目联系人": "李明",
        "联系电话": "0817-2345678",
        "主要任务": "建设停车资源普查、泊位监测、停车诱导和综合监管4个子系统，接入路内泊位3000个。",
        "建设依据和必要性": "依据《南充市“十四五”新型智慧城市建设规划》，解决中心城区停车难、泊位信息不共享的问题。",
        "项目绩效目标": "2024年12月底前上线；接入泊位≥3000个；泊位信息共享率≥90%；群众满意度≥90%。",
        "拟采用实施方式": "自行建设。主要原因：业务规则由我局主导，需与一期系统深度融合。",
        "投资额度": "860万元",
        "运维经费": "50万元/年",
        "经费渠道": "市本级财政资金",
        "备注": "",
    }
    v.update(over)
    rows = [
        ["南充市市级政务信息化项目备案审查表", "", "", ""],
        ["项目名称", v["项目名称"], "", ""],
        ["项目单位", v["项目单位"], "", ""],
        ["项目联系人", v["项目联系人"], "联系电话", v["联系电话"]],
        ["主要任务", v["主要任务"], "", ""],
        ["建设依据和必要性", v["建设依据和必要性"], "", ""],
        ["项目绩效目标", v["项目绩效目标"], "", ""],
        ["拟采用实施方式", v["拟采用实施方式"], "", ""],
        ["投资额度", v["投资额度"], "", ""],
        ["运维经费", v["运维经费"], "", ""],
        ["经费渠道", v["经费渠道"], "", ""],
        ["信息安全审查意见", "市委网信办初审意见：", "", ""],
        ["备注", v["备注"], "", ""],
    ]
    build.write_xlsx(path, {"备案审查表": rows}, {"备案审查表": ["A1:D1"]})


def nc_feasibility(path: Path, *, drop: tuple[str, ...] = (), integration: str | None = None,
                   total: str = "860", extra: tuple[str, ...] = (), empty: str | None = None) -> None:
    """A 可研 with the NDRC outline, the 专篇 and the 安全可靠 statement; `drop` removes chapters by key."""
    parts: list[tuple[str, list[str]]] = [
        ("概述", ["## 第一章 项目概述", f"本项目名称为{NC_NAME}，建设单位为{NC_UNIT}。本项目为新建项目。"]),
        ("必要性", ["## 第二章 需求分析与建设必要性", "中心城区停车泊位信息分散在各停车场，群众找车位难。"]),
        ("建设方案", ["## 第三章 建设方案", "### 一、总体架构", "平台部署在市级政务云，依托数据共享交换平台。"]),
        ("安全可靠", ["### 二、安全可靠情况说明", "服务器、操作系统和数据库均采用通过安全可靠测评的产品。"]),
        ("专篇", [f"## 第四章 {integration or '系统集成、集约化建设和信息资源共享分析专篇'}",
                 "平台与一期系统集成，利用市级政务云和共享交换平台集约化建设，共享泊位数据22类。"]),
        ("投资", ["## 第五章 投资估算和资金来源", f"本项目总投资为{total}万元，资金来源为市本级财政资金。"]),
        ("效益", ["## 第六章 效益与风险分析", "项目建成后泊位周转率提高20%。"]),
    ]
    lines = [f"# {NC_NAME}可行性研究报告"]
    for key, body in parts:
        if key in drop:
            continue
        if key == "专篇" and integration == "":
            continue
        lines += body
        if empty and key == "建设方案":
            lines += [f"### {empty}"]
    lines += list(extra)
    md(path, *lines)


def nc_design(path: Path, *, total: str = "860", chapter: str | None = None, text: str = "",
              reliable: bool = True) -> None:
    lines = [
        f"# {NC_NAME}初步设计方案",
        "## 第一章 项目概述",
        text or "本初步设计方案依据可行性研究报告编制，总投资与可行性研究报告一致，未对建设内容进行调整。",
        "## 第二章 应用系统设计",
        "建设泊位监测、停车诱导和综合监管子系统。",
        *(["### 一、安全可靠情况说明", "服务器、操作系统和数据库均采用通过安全可靠测评的产品。"] if reliable else []),
        "## 第三章 系统集成、集约化建设和信息资源共享分析",
        "利用市级政务云和共享交换平台，共享泊位数据22类。",
        "## 第四章 投资概算",
        f"本项目总投资为{total}万元。",
    ]
    if chapter:
        lines += [f"## 第五章 {chapter}", "可研批复总投资860万元，本初设增加视频识别子系统，概算调整为920万元。"]
    md(path, *lines)


def nc_support(d: Path, *, skip: tuple[str, ...] = ()) -> None:
    """The technical-plan documents of 第十四条（二） plus the budget sheet."""
    if "catalog" not in skip:
        csv(d / "政务信息资源目录.csv", [["信息资源名称", "共享类型", "共享方式"], ["泊位信息", "无条件共享", "接口"]])
    if "cloud" not in skip:
        md(d / "政务云需求方案.md", "# 政务云需求方案", "## 一、资源需求", "云主机4台，部署于电子政务外网区。")
    if "protection" not in skip:
        md(d / "网络安全等级保护方案.md", "# 网络安全等级保护方案", "## 一、定级", "本系统定为第二级。")
    if "crypto" not in skip:
        md(d / "密码应用方案.md", "# 商用密码应用方案", "## 一、密码应用需求", "采用SM2、SM3、SM4算法。")
    if "budget" not in skip:
        csv(d / "项目概算表.csv", [["序号", "费用名称", "金额（万元）"], ["1", "应用软件开发费", "860"]])


@case("nc-complete")
def _nc_complete(d: Path) -> None:
    nc_form(d / "备案审查表.xlsx")
    nc_feasibility(d / "可行性研究报告.md")
    nc_design(d / "初步设计方案.md")
    nc_support(d)


@case("nc-missing-docs")
def _nc_missing_docs(d: Path) -> None:
    nc_form(d / "备案审查表.xlsx")
    nc_feasibility(d / "可行性研究报告.md")


@case("nc-design-only")
def _nc_design_only(d: Path) -> None:
    nc_form(d / "备案审查表.xlsx")
    nc_design(d / "初步设计方案.md")
    nc_support(d)


@case("nc-form-only")
def _nc_form_only(d: Path) -> None:
    nc_form(d / "备案审查表.xlsx")
    nc_support(d)


@case("nc-no-form")
def _nc_no_form(d: Path) -> None:
    nc_feasibility(d / "可行性研究报告.md")
    nc_design(d / "初步设计方案.md")
    nc_support(d)


@case("nc-impl-over")
def _nc_impl_over(d: Path) -> None:
    nc_form(d / "备案审查表.xlsx", 投资额度="1500万元")
    md(d / "项目实施方案.md", f"# {NC_NAME}项目实施方案", "## 第一章 项目概述", "本项目总投资为1500万元。",
       "## 第二章 系统集成、集约化建设和信息资源共享分析", "依托政务云建设。",
       "## 第三章 安全可靠情况说明", "采用通过安全可靠测评的产品。")
    nc_support(d)


@case("nc-impl-small")
def _nc_impl_small(d: Path) -> None:
    nc_form(d / "备案审查表.xlsx", 投资额度="800万元")
    md(d / "项目实施方案.md", f"# {NC_NAME}项目实施方案", "## 第一章 项目概述", "本项目总投资为800万元。",
       "## 第二章 系统集成、集约化建设和信息资源共享分析", "依托政务云建设。",
       "## 第三章 安全可靠情况说明", "采用通过安全可靠测评的产品。")
    nc_support(d)


@case("nc-impl-mandated")
def _nc_impl_mandated(d: Path) -> None:
    nc_form(d / "备案审查表.xlsx", 投资额度="1500万元")
    md(d / "项目实施方案.md", f"# {NC_NAME}项目实施方案", "## 第一章 项目概述",
       "本项目总投资为1500万元。本项目是市委市政府明确要求于2024年建成的民生项目。",
       "## 第二章 系统集成、集约化建设和信息资源共享分析", "依托政务云建设。",
       "## 第三章 安全可靠情况说明", "采用通过安全可靠测评的产品。")
    nc_support(d)


@case("nc-purchase")
def _nc_purchase(d: Path) -> None:
    nc_form(d / "备案审查表.xlsx", 拟采用实施方式="购买服务。主要原因：市场上有成熟的云服务。")
    nc_feasibility(d / "可行性研究报告.md")
    nc_support(d)


SERVICE_SECTIONS = [
    ("项目必要性", "停车数据分散，需统一服务。"),
    ("技术性和经济性分析", "采用成熟的SaaS服务，技术风险低。"),
    ("信息资源共享分析", "泊位数据通过共享交换平台共享。"),
    ("信息安全要求", "服务商须通过等保二级测评。"),
    ("自建和购买服务方式经济性比较分析", "五年购买服务费用低于自建与运维费用之和。"),
    ("经费需求调查和采购方案", "调查三家服务商报价后公开招标。"),
    ("主要目标和服务需求", "提供泊位监测和诱导服务。"),
]


def nc_service_plan(path: Path, drop: tuple[str, ...] = ()) -> None:
    lines = [f"# {NC_NAME}服务需求方案"]
    n = 0
    for title, body in SERVICE_SECTIONS:
        if title in drop:
            continue
        n += 1
        lines += [f"## {'一二三四五六七八九'[n - 1]}、{title}", body]
    md(path, *lines)


@case("nc-purchase-ok")
def _nc_purchase_ok(d: Path) -> None:
    nc_form(d / "备案审查表.xlsx", 拟采用实施方式="购买服务。主要原因：市场上有成熟的云服务。")
    nc_service_plan(d / "服务需求方案.md")
    nc_support(d)


@case("nc-purchase-partial")
def _nc_purchase_partial(d: Path) -> None:
    nc_form(d / "备案审查表.xlsx", 拟采用实施方式="购买服务。主要原因：市场上有成熟的云服务。")
    nc_service_plan(d / "服务需求方案.md", drop=("自建和购买服务方式经济性比较分析", "经费需求调查和采购方案"))
    nc_support(d)


@case("nc-in-progress")
def _nc_in_progress(d: Path) -> None:
    nc_form(d / "备案审查表.xlsx", 备注="本项目为在建项目，已于2023年3月开工。")
    nc_feasibility(d / "可行性研究报告.md")
    nc_design(d / "初步设计方案.md")
    nc_support(d)


@case("nc-in-progress-ok")
def _nc_in_progress_ok(d: Path) -> None:
    _nc_in_progress(d)
    md(d / "立项会议纪要.md", "# 市政府常务会议纪要", "会议同意智慧停车管理平台立项。")
    md(d / "立项批复.md", "# 关于南充市智慧停车管理平台项目立项的批复", "同意立项，总投资860万元。")


@case("nc-built")
def _nc_built(d: Path) -> None:
    nc_form(d / "备案审查表.xlsx", 备注="本项目为已建项目，已于2022年通过竣工验收。")
    nc_feasibility(d / "可行性研究报告.md")
    nc_design(d / "初步设计方案.md")
    nc_support(d)
    md(d / "立项会议纪要.md", "# 市政府常务会议纪要", "会议同意智慧停车管理平台立项。")
    md(d / "立项批复.md", "# 关于南充市智慧停车管理平台项目立项的批复", "同意立项，总投资860万元。")


@case("nc-built-ok")
def _nc_built_ok(d: Path) -> None:
    _nc_built(d)
    md(d / "招标文件及中标通知书.md", "# 招标文件", "采用公开招标方式采购。")
    md(d / "竣工验收报告.md", "# 竣工验收报告", "项目于2022年12月通过竣工验收。")


@case("nc-no-integration")
def _nc_no_integration(d: Path) -> None:
    nc_form(d / "备案审查表.xlsx")
    nc_feasibility(d / "可行性研究报告.md", integration="信息共享分析")
    nc_design(d / "初步设计方案.md")
    nc_support(d)


@case("nc-integration-typo")
def _nc_integration_typo(d: Path) -> None:
    nc_form(d / "备案审查表.xlsx")
    # 与 for 和, 共亨 for 共享: a typo the fuzzy match accepts
    nc_feasibility(d / "可行性研究报告.md", integration="系统集成、集约化建设与信息资源共亨分析")
    nc_design(d / "初步设计方案.md")
    nc_support(d)


@case("nc-integration-standalone")
def _nc_integration_standalone(d: Path) -> None:
    nc_form(d / "备案审查表.xlsx")
    nc_feasibility(d / "可行性研究报告.md", integration="")
    md(d / "系统集成、集约化建设和信息资源共享分析专篇.md", "# 系统集成、集约化建设和信息资源共享分析专篇",
       "本专篇分析与已建系统的集成和信息资源共享。")
    nc_design(d / "初步设计方案.md")
    nc_support(d)


@case("nc-form-gaps")
def _nc_form_gaps(d: Path) -> None:
    nc_form(
        d / "备案审查表.xlsx",
        项目联系人="",
        联系电话="见附件",
        建设依据和必要性="",
        项目绩效目标="待定",
        拟采用实施方式="委托开发",
        运维经费="万元",
        经费渠道="XXX",
    )
    nc_feasibility(d / "可行性研究报告.md")
    nc_design(d / "初步设计方案.md")
    nc_support(d)


@case("nc-sections")
def _nc_sections(d: Path) -> None:
    """可研 without 安全可靠 statement and 效益 chapter, with an empty heading."""
    nc_form(d / "备案审查表.xlsx")
    nc_feasibility(d / "可行性研究报告.md", drop=("安全可靠", "效益"), empty="二、部署方案")
    nc_design(d / "初步设计方案.md", reliable=False)
    nc_support(d)


@case("nc-reliable-in-design")
def _nc_reliable_in_design(d: Path) -> None:
    """The 安全可靠 statement only in the 初设: one statement in the package is enough."""
    nc_form(d / "备案审查表.xlsx")
    nc_feasibility(d / "可行性研究报告.md", drop=("安全可靠",))
    nc_design(d / "初步设计方案.md")
    nc_support(d)


@case("nc-deviation")
def _nc_deviation(d: Path) -> None:
    nc_form(d / "备案审查表.xlsx")
    nc_feasibility(d / "可行性研究报告.md")
    nc_design(d / "初步设计方案.md", total="920",
              text="本初步设计方案依据可行性研究报告批复编制，增加了视频识别子系统。")
    nc_support(d)


@case("nc-deviation-ok")
def _nc_deviation_ok(d: Path) -> None:
    nc_form(d / "备案审查表.xlsx")
    nc_feasibility(d / "可行性研究报告.md")
    nc_design(d / "初步设计方案.md", total="920", chapter="调整内容及理由",
              text="本初步设计方案依据可行性研究报告批复编制，增加了视频识别子系统。")
    nc_support(d)


@case("nc-deviation-text")
def _nc_deviation_text(d: Path) -> None:
    nc_form(d / "备案审查表.xlsx")
    nc_feasibility(d / "可行性研究报告.md")
    nc_design(d / "初步设计方案.md",
              text="本初步设计在可行性研究报告批复的基础上调整了建设内容，增加视频识别子系统，总投资不变。")
    nc_support(d)


@case("nc-docx-table")
def _nc_docx_table(d: Path) -> None:
    """A DOCX 初设 whose 投资概算 chapter holds only a table: not an empty section."""
    nc_form(d / "备案审查表.xlsx")
    nc_feasibility(d / "可行性研究报告.md")
    build.write_docx(d / "初步设计方案.docx", [
        ("title", f"{NC_NAME}初步设计方案"),
        ("h1", "第一章 项目概述"),
        ("p", "本项目为新建项目。"),
        ("h1", "第二章 系统集成、集约化建设和信息资源共享分析"),
        ("p", "利用市级政务云和共享交换平台。"),
        ("h2", "一、安全可靠情况说明"),
        ("p", "采用通过安全可靠测评的产品。"),
        ("h1", "第三章 投资概算"),
        ("table", [["序号", "费用名称", "金额（万元）"], ["1", "应用软件开发费", "860"]]),
        ("h1", "第四章 运行维护"),
    ])
    nc_support(d)


@case("nc-no-headings")
def _nc_no_headings(d: Path) -> None:
    """Reports without any heading structure: sections are looked for in the text."""
    nc_form(d / "备案审查表.xlsx")
    md(d / "可行性研究报告.txt", f"{NC_NAME}可行性研究报告",
       "本报告分析建设必要性，并对系统集成、集约化建设和信息资源共享分析作出说明：平台依托市级政务云建设。",
       "服务器等均采用通过安全可靠测评的产品。")
    md(d / "初步设计方案.txt", f"{NC_NAME}初步设计方案", "本设计包括应用系统设计和投资概算，总投资860万元。",
       "服务器等均采用通过安全可靠测评的产品。")
    nc_support(d)


@case("catalog-values")
def _catalog_values(d: Path) -> None:
    """A resource catalog with an off-list 共享类型 and no 更新周期 column (generic table kinds)."""
    csv(d / "政务信息资源目录.csv", [
        ["序号", "信息资源名称", "共享类型", "共享方式"],
        ["1", "泊位信息", "无条件共享", "接口"],
        ["2", "车主信息", "部分共享", "接口"],
        ["3", "收费记录", "", "库表"],
        ["4", "违停记录", "有条件共享、不予共享", "接口"],
    ])
    csv(d / "政务信息资源需求清单.csv", [["序号", "信息资源名称", "共享类型", "更新周期"], ["1", "户籍人口", "有条件共享", "每日"]])


# ---------------------------------------------------------------------------------------------
# 泰兴

TX_NAME = "泰兴市智慧社区综合服务平台"


def tx_form_rows(**over: str) -> list[list[str]]:
    """泰兴 申报表 (附件) as a grid: labels and values the way the template lays them out."""
    v = {
        "单位": "泰兴市民政局",
        "项目名称": TX_NAME,
        "密级": "非涉密",
        "负责人": "项目负责人：王强",
        "负责人电话": "电话：13800001111",
        "联系人": "项目联系人：赵丽",
        "联系人电话": "电话：0523-87650000",
        "性质": "☑新建项目\u3000□续建项目\u3000□改建项目\u3000□其他",
        "内容": "建设社区服务、网格管理和数据共享3个子系统。",
        "启动": "启动时间：2024年3月",
        "完成": "完成时间：2024年12月",
        "财政": "120",
        "自筹": "0",
        "上级": "0",
        "其他": "0",
        "估算": "120",
        "意见": "主管部门意见（盖章）：\n同意申报。\n负责人：孙伟\n2023年8月1日",
    }
    v.update(over)
    return [
        ["泰兴市政务信息化项目申报表", "", "", "", ""],
        [f"申报单位名称（盖章）：{v['单位']}", "", "", "", "单位：万元"],
        ["项目名称", v["项目名称"], "", "项目密级", v["密级"]],
        [v["负责人"], v["负责人电话"], "", v["联系人"], v["联系人电话"]],
        ["项目性质", v["性质"], "", "", ""],
        ["项目建设目的和内容", v["内容"], "", "", ""],
        ["项目起止时间", v["启动"], "", v["完成"], ""],
        ["拟采用资金来源（万元）", "财政拨款", "自筹经费", "上级补助", "其他（需提供资金来源证明）"],
        ["", v["财政"], v["自筹"], v["上级"], v["其他"]],
        ["项目估算（万元）", v["估算"], "", "", ""],
        [v["意见"], "", "", "", ""],
    ]


def tx_form(path: Path, **over: str) -> None:
    if path.suffix == ".docx":
        rows = tx_form_rows(**over)
        spec: list[tuple] = [("title", rows[0][0]), ("p", rows[1][0] + "\u3000\u3000" + rows[1][4])]
        table = [[c if c else None for c in r] for r in rows[2:]]
        for r in table:  # merge the empty cells into their left neighbour, as the template does
            if r[0] is None:
                r[0] = build.UP
        spec.append(("table", table))
        build.write_docx(path, spec)
    else:
        build.write_xlsx(path, {"申报表": tx_form_rows(**over)}, {"申报表": ["A1:E1", "A8:A9"]})


def tx_feasibility(path: Path, name: str = TX_NAME, total: str = "120") -> None:
    md(path, f"# {name}可行性研究报告", "## 第一章 项目概述", f"本项目为新建项目，总投资为{total}万元。",
       "## 第二章 需求分析与建设必要性", "社区服务事项分散。", "## 第三章 建设方案", "平台部署在市级政务云。",
       "### 一、安全可靠情况说明", "采用通过安全可靠测评的国产服务器和操作系统。",
       "## 第四章 投资估算", f"总投资{total}万元。", "## 第五章 效益分析", "提高办事效率。")


def tx_support(d: Path, skip: tuple[str, ...] = ()) -> None:
    if "budget" not in skip:
        csv(d / "项目概算表.csv", [["序号", "费用名称", "金额（万元）"], ["1", "软件开发费", "120"]])
    if "catalog" not in skip:
        csv(d / "政务信息资源目录及共享方式.csv", [["信息资源名称", "共享类型", "共享方式"], ["社区人口", "有条件共享", "接口"]])
    if "needs" not in skip:
        md(d / "政务信息资源需求清单.md", "# 政务信息资源需求清单", "需要共享户籍人口数据。")
    if "uua" not in skip:
        md(d / "统一用户认证体系接入方案.md", "# 统一用户认证体系接入方案", "接入全市统一身份认证平台。")
    if "security" not in skip:
        md(d / "网络安全建设方案.md", "# 网络安全建设方案", "## 一、安全域划分", "按等保二级建设。")
    if "planning" not in skip:
        md(d / "泰兴市数字政府建设规划（摘录）.md", "# 泰兴市数字政府建设规划（摘录）", "建设智慧社区平台。")


@case("tx-complete")
def _tx_complete(d: Path) -> None:
    tx_form(d / "申报表.docx")
    tx_feasibility(d / "可行性研究报告.md")
    tx_support(d)


@case("tx-complete-xlsx")
def _tx_complete_xlsx(d: Path) -> None:
    tx_form(d / "申报表.xlsx")
    tx_feasibility(d / "可行性研究报告.md")
    tx_support(d)
    md(d / "立项批复.md", "# 关于泰兴市智慧社区综合服务平台立项的批复", "同意立项。")


@case("tx-missing-docs")
def _tx_missing_docs(d: Path) -> None:
    tx_form(d / "申报表.xlsx")
    tx_feasibility(d / "可行性研究报告.md")


@case("tx-no-feasibility")
def _tx_no_feasibility(d: Path) -> None:
    tx_form(d / "申报表.xlsx")
    tx_support(d)


@case("tx-ops")
def _tx_ops(d: Path) -> None:
    name = "泰兴市社区服务平台运维服务项目"
    tx_form(d / "申报表.xlsx", 项目名称=name, 性质="□新建项目\u3000□续建项目\u3000□改建项目\u3000☑其他（运维）",
            内容="平台运行维护。", 财政="30", 估算="30")
    tx_support(d, skip=("budget", "catalog", "needs", "uua", "security"))


@case("tx-ops-ok")
def _tx_ops_ok(d: Path) -> None:
    _tx_ops(d)
    md(d / "上一期合同.md", "# 泰兴市社区服务平台运维服务合同（2023年度）", "甲方：泰兴市民政局。")


@case("tx-funding-other")
def _tx_funding_other(d: Path) -> None:
    tx_form(d / "申报表.xlsx", 财政="90", 其他="30")
    tx_feasibility(d / "可行性研究报告.md")
    tx_support(d)


@case("tx-funding-other-ok")
def _tx_funding_other_ok(d: Path) -> None:
    _tx_funding_other(d)
    md(d / "资金来源证明.md", "# 资金来源证明", "社区发展基金安排30万元。")


@case("tx-small")
def _tx_small(d: Path) -> None:
    tx_form(d / "申报表.xlsx", 财政="40", 估算="40")
    tx_feasibility(d / "可行性研究报告.md", total="40")
    tx_support(d)


@case("tx-form-gaps")
def _tx_form_gaps(d: Path) -> None:
    tx_form(
        d / "申报表.xlsx",
        负责人电话="电话：无",
        联系人电话="电话：123",
        性质="□新建项目\u3000□续建项目\u3000□改建项目\u3000□其他",
        启动="启动时间：",
        财政="",
        自筹="",
        上级="",
        其他="",
        估算="待定",
        意见="主管部门意见（盖章）：\n\n负责人：\n年  月  日",
    )
    tx_feasibility(d / "可行性研究报告.md")
    tx_support(d)


# ---------------------------------------------------------------------------------------------
# 郴州

CZ_NAME = "郴州市城市运行管理服务平台"


def cz_form(path: Path) -> None:
    rows = [
        ["郴州市本级财政投资类信息化项目申报审批表", ""],
        ["项目名称", CZ_NAME],
        ["项目建设单位", "郴州市城市管理和综合执法局"],
        ["联系人", "陈刚"],
        ["联系电话", "0735-2888888"],
        ["总投资", "450万元"],
    ]
    build.write_xlsx(path, {"申报审批表": rows}, {"申报审批表": ["A1:B1"]})


def cz_plan(path: Path, chapters: bool = True) -> None:
    lines = [f"# {CZ_NAME}建设方案", "## 第一章 项目概述", "本项目为新建项目，总投资为450万元。",
             "## 第二章 需求分析", "城市运行数据分散。", "## 第三章 建设方案", "部署在市政务云。"]
    if chapters:
        lines += [
            "## 第四章 网络安全设计", "按等保三级设计安全区域边界和安全计算环境。",
            "## 第五章 商用密码应用", "采用SM2/SM3/SM4，建设密码服务平台。",
            "## 第六章 安全可靠情况说明", "服务器和操作系统采用通过安全可靠测评的产品。",
            "## 第七章 电子文件管理", "办件形成的电子文件按规范归档至市电子档案系统。",
        ]
    lines += ["## 第八章 投资估算", "总投资450万元。", "## 第九章 效益分析", "提升城市运行管理效率。"]
    md(path, *lines)


@case("cz-complete")
def _cz_complete(d: Path) -> None:
    cz_form(d / "申报审批表.xlsx")
    cz_plan(d / "建设方案.md")
    csv(d / "项目预算表.csv", [["序号", "费用名称", "金额（万元）"], ["1", "软件开发费", "450"]])
    csv(d / "政务信息资源目录.csv", [["信息资源名称", "共享类型", "共享方式"], ["部件数据", "无条件共享", "接口"]])


@case("cz-missing")
def _cz_missing(d: Path) -> None:
    cz_form(d / "申报审批表.xlsx")
    cz_plan(d / "建设方案.md", chapters=False)


@case("cz-separate-docs")
def _cz_separate_docs(d: Path) -> None:
    cz_form(d / "申报审批表.xlsx")
    cz_plan(d / "建设方案.md", chapters=False)
    csv(d / "项目预算表.csv", [["序号", "费用名称", "金额（万元）"], ["1", "软件开发费", "450"]])
    md(d / "密码应用方案.md", "# 密码应用方案", "采用SM2/SM3/SM4。")
    md(d / "网络安全方案.md", "# 网络安全方案", "按等保三级建设。")
    md(d / "安全可靠情况说明.md", "# 安全可靠情况说明", "采用通过安全可靠测评的产品。")
    md(d / "电子文件管理方案.md", "# 电子文件管理方案", "电子文件按规范归档。")


@case("cz-no-plan")
def _cz_no_plan(d: Path) -> None:
    cz_form(d / "申报审批表.xlsx")
    csv(d / "项目预算表.csv", [["序号", "费用名称", "金额（万元）"], ["1", "软件开发费", "450"]])


# ---------------------------------------------------------------------------------------------
# the same package under every profile (test_profiles.py)


@case("profile-probe")
def _profile_probe(d: Path) -> None:
    """A 新建 project of 120万元 with a form, a 可研 (no 专篇, no 初设), a budget and a catalog; no crypto,
    cloud, protection or network-security plan."""
    tx_form(d / "申报表.xlsx")
    nc_feasibility(d / "可行性研究报告.md", integration="", total="120")
    csv(d / "项目概算表.csv", [["序号", "费用名称", "金额（万元）"], ["1", "软件开发费", "120"]])
    csv(d / "政务信息资源目录.csv", [["信息资源名称", "共享类型", "共享方式"], ["泊位信息", "无条件共享", "接口"]])


# ---------------------------------------------------------------------------------------------
# input (DL0xx)


def _docx(spec: list[tuple]) -> bytes:
    return build.docx_bytes(spec)


def _hidden(data: bytes) -> bytes:
    """Mark the second paragraph's run as hidden text (<w:vanish/>)."""
    def edit(xml: bytes) -> bytes:
        marker = "这段文字被隐藏".encode()
        i = xml.find(marker)
        run = xml.rfind(b"<w:r>", 0, i)
        run2 = xml.rfind(b"<w:r ", 0, i)
        start = max(run, run2)
        head_end = xml.find(b">", start) + 1
        rpr = xml.find(b"<w:rPr>", head_end, i)
        if rpr != -1:
            return xml[: rpr + 7] + b"<w:vanish/>" + xml[rpr + 7 :]
        return xml[:head_end] + b"<w:rPr><w:vanish/></w:rPr>" + xml[head_end:]

    return build.post_edit_zip(data, {"word/document.xml": edit})


def _unembedded_font_pdf() -> bytes:
    """A one-page PDF whose text font (SimSun) is referenced but not embedded, as some tools write."""
    content = b"BT /F1 12 Tf 72 720 Td (Data interface specification, version 1.0) Tj ET"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >>"
        b" /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /TrueType /BaseFont /SimSun /FirstChar 32 /LastChar 126"
        b" /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


@case("in-broken")
def _in_broken(d: Path) -> None:
    plan = [("h1", "第一章 项目概述"), ("p", "本项目建设内容。")]
    build.write_bytes(d / "密码应用方案.docx", build.truncated(_docx(plan)))  # DL001
    build.write_bytes(d / "政务云需求方案.doc", build.ole2_bytes("政务云需求"))  # DL002
    build.write_pdf(d / "可行性研究报告.pdf", [("h1", "第一章 项目概述"), ("p", "内容")],
                    encrypt_user="secret")  # DL003
    build.write_image_pdf(d / "项目实施方案（扫描件）.pdf", ["项目实施方案", "第一章 项目概述"])  # DL004
    build.write_docx(d / "初步设计方案.docx", [
        ("h1", "第一章 项目概述"),
        ("p", "本项目总投资为860万元。", {"ins": "（含运维）", "comment": "金额再核对一下", "author": "张三"}),
    ])  # DL005, DL006
    build.write_bytes(d / "项目实施方案.docx", _hidden(_docx([
        ("h1", "第一章 项目概述"), ("p", "正文内容。"), ("p", "这段文字被隐藏"),
    ])))  # DL007
    build.write_xlsx(d / "项目概算表.xlsx", {"概算表": [
        ["序号", "费用名称", "金额（万元）"], ["1", "软件开发费", 100], ["", "合计", build.F("=C9", "#REF!", error=True)],
    ]})  # DL008
    build.write_bytes(d / "网络安全方案.txt", b"\x80\x81\x82\x83 \xfe\xff" * 20)  # DL012
    build.write_bytes(d / "项目建设方案.ofd", ofdbuild.scanned(1))  # DL013: an OFD with no text, only a scan
    build.write_bytes(d / "系统架构图.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)  # DL014
    build.write_bytes(d / "等级保护方案.pdf", b"")  # DL018
    build.write_bytes(d / "应用系统实施方案.pdf", _unembedded_font_pdf())  # DL009
    md(d / "附件3.md", "# 附件3", "其他说明材料。")  # DL019


@case("in-clean")
def _in_clean(d: Path) -> None:
    """Near misses for the input rules: the same kinds of files, sound."""
    build.write_docx(d / "密码应用方案.docx", [("h1", "第一章 项目概述"), ("p", "本项目建设内容。")])
    build.write_pdf(d / "可行性研究报告.pdf", [("h1", "第一章 项目概述"), ("p", "本项目建设内容。"), ("pagebreak",),
                                          ("h1", "第二章 建设方案"), ("p", "部署在政务云。")])
    build.write_xlsx(d / "项目概算表.xlsx", {"概算表": [
        ["序号", "费用名称", "金额（万元）"], ["1", "软件开发费", 100], ["", "合计", build.F("=C2", 100)],
    ]})
    md(d / "附件3 网络安全方案.md", "# 网络安全方案", "按等保二级建设。")
    build.write_image_pdf(d / "立项批复.pdf", ["关于项目立项的批复", "同意立项"])  # stamped: a scan is normal
    build.write_bytes(d / "立项会议纪要.ofd", ofdbuild.scanned(1))  # likewise as OFD: DL013 stays silent


@case("in-archive.zip")
def _in_archive(d: Path) -> None:
    """A zip package: a nested zip (DL017), an unsafe name (DL016), a bomb-like member (DL015)."""
    deepest = build.zip_bytes({"说明.md": "说明".encode()}, gbk_names=False)
    deeper = build.zip_bytes({"更深.zip": deepest}, gbk_names=False)
    inner = build.zip_bytes({"附件/系统接口说明.md": "说明".encode(), "附件/内层.zip": deeper}, gbk_names=False)
    data = build.zip_bytes({
        "申报材料/可行性研究报告.md": "# 可行性研究报告\n## 第一章 项目概述\n内容。\n".encode(),
        "申报材料/附件.zip": inner,
    }, gbk_names=False)
    buf = __import__("io").BytesIO(data)
    with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("../逃逸.md", date_time=build.ZIP_DATE), "x")
        zi = zipfile.ZipInfo("申报材料/大文件.txt", date_time=build.ZIP_DATE)
        zi.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(zi, b"0" * 4_000_000)  # ratio ~ 1000:1
    d.parent.mkdir(parents=True, exist_ok=True)
    d.write_bytes(buf.getvalue())


def main() -> None:
    names = sys.argv[1:] or list(CASES)
    OUT.mkdir(parents=True, exist_ok=True)
    for name in names:
        target = OUT / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
        if not name.endswith(".zip"):
            target.mkdir(parents=True)
        CASES[name](target)
    total = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file())
    print(f"{len(names)} cases in {OUT} ({total / 1024:.0f} KB)")


if __name__ == "__main__":
    main()
