"""Every DL0xx/DL1xx/DL2xx/DL9xx rule end to end: the CLI on a package from corpus/cases/structure
(made by corpus/cases/make_structure_cases.py), exact diagnostics (rule, file, location, message) where it
fires, and none on a near miss."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from dossier_lint.packs import load_pack
from helpers import CORPUS, run_cli

CASES = CORPUS / "cases" / "structure"
OWN = re.compile(r"^DL(0\d\d|1\d\d|2\d\d|9\d\d)$")
Row = tuple[str, str | None, str, str]


def short(loc: dict) -> str:
    if "sheet" in loc:
        return f"{loc['sheet']}!{loc.get('cell', '')}"
    if "page" in loc:
        return f"p{loc['page']}"
    if "line" in loc:
        return f"L{loc['line']}"
    if "paragraph" in loc:
        return f"¶{loc['paragraph'] + 1}"
    return ""


def lint(path: Path, profile: str, select: str, *extra: str | Path) -> list[Row]:
    code, out, err = run_cli("check", path, "--format", "json", "--no-cache", "--profile", profile,
                             "--select", select, *extra)
    assert code in (0, 1), err
    pkgs = json.loads(out)["packages"]
    assert len(pkgs) == 1
    return [(d["rule"], d["file"], short(d["location"]), d["message"]) for d in pkgs[0]["diagnostics"]]


def config(tmp: Path, text: str) -> Path:
    p = tmp / "dossier-lint.toml"
    p.write_text(text, encoding="utf-8")
    return p


UNKNOWN = "无法识别文件类型（文件名和内容均未能识别文件类型），未按文件类型检查；请按“可行性研究报告”“申报表”等规范命名，或在配置 kinds 中指定"

# (case, profile, select) -> exact diagnostics of the selected rules
FIRES: list[tuple[str, str, str, list[Row]]] = [
    ("in-broken", "base", "DL0", [
        ("DL005", "初步设计方案.docx", "¶2", "文件含未接受或拒绝的修订（1 处），提交前应处理全部修订"),
        ("DL006", "初步设计方案.docx", "¶2", "文件含批注（1 处），提交前应删除"),
        ("DL003", "可行性研究报告.pdf", "", "文件已加密或设有打开密码，无法读取内容；请提交未加密版本"),
        ("DL001", "密码应用方案.docx", "", "文件无法读取：文件已损坏（压缩结构不完整或被截断），请重新保存或重新下载后提交"),
        ("DL009", "应用系统实施方案.pdf", "", "PDF 未嵌入字体（SimSun），在审查人电脑上可能显示为乱码或错字"),
        ("DL002", "政务云需求方案.doc", "", "文件为Word 97-2003 文档（.doc），无法可靠检查其内容；请另存为 .docx 后提交"),
        ("DL018", "等级保护方案.pdf", "", "文件没有任何内容（空文件或空白文档）"),
        ("DL014", "系统架构图.png", "", "不支持的文件格式（png），未检查其内容"),
        ("DL012", "网络安全方案.txt", "", "全文的文字提取结果为乱码，内容无法检查"),
        ("DL019", "附件3.md", "", UNKNOWN),
        ("DL007", "项目实施方案.docx", "¶3", "文件含隐藏文字（1 处），审查人看不到，但可能被当作正文内容"),
        ("DL004", "项目实施方案（扫描件）.pdf", "p1", "第 1–2 页为扫描图像，没有可提取的文字，内容无法检查"),
        ("DL013", "项目建设方案.ofd", "", "OFD 文件中没有可读取的文字（扫描图像或文字已转为曲线），内容未检查；请提交可复制文字的版本"),
        ("DL008", "项目概算表.xlsx", "概算表!C3", "单元格公式结果为错误值#REF!，金额无法核对"),
    ]),
    ("in-archive.zip", "base", "DL015,DL016,DL017", [
        ("DL015", "申报材料/大文件.txt", "", "压缩包异常（条目 申报材料/大文件.txt 压缩比 1027:1，超过上限 200:1），为安全起见未解压"),
        ("DL017", "申报材料/附件.zip/附件/内层.zip/更深.zip", "",
         "压缩包中的压缩包“申报材料/附件.zip/附件/内层.zip/更深.zip”未展开，其中的材料未检查"),
        ("DL016", "逃逸.md", "", "压缩包内的文件名不安全（../逃逸.md），已跳过"),
    ]),
    # 南充
    ("nc-no-form", "nanchong", "DL1", [("DL101", None, "", "缺少项目备案审查表（基本情况表）")]),
    ("nc-form-only", "nanchong", "DL1", [
        ("DL102", None, "", "缺少项目可行性研究报告、初步设计方案、项目实施方案或服务需求方案"),
        ("DL108", None, "", "缺少应用系统实施方案（可单独成册，或包含在项目实施方案、初步设计方案中）"),
    ]),
    ("nc-missing-docs", "nanchong", "DL1", [
        ("DL103", None, "", "缺少项目概算（估算、预算）表"),
        ("DL104", None, "", "缺少政务信息资源目录"),
        ("DL105", None, "", "缺少密码应用方案"),
        ("DL106", None, "", "缺少等级保护或分级保护方案"),
        ("DL107", None, "", "缺少政务云需求方案"),
        ("DL108", None, "", "缺少应用系统实施方案（可单独成册，或包含在项目实施方案、初步设计方案中）"),
        ("DL112", None, "", "已提交可行性研究报告，但缺少初步设计方案（含投资概算）（符合第十六条情形的可合并编报项目实施方案）"),
    ]),
    ("nc-design-only", "nanchong", "DL121", [
        ("DL121", None, "", "已提交初步设计方案，但缺少可行性研究报告（代项目建议书）"),
    ]),
    ("nc-impl-over", "nanchong", "DL1", [
        ("DL113", None, "", "项目总投资1500万元，超过1000万元，且未说明属于上级明确要求或情况紧急的情形，不能以项目实施方案代替初步设计方案"),
        ("DL113", None, "", "项目总投资1500万元，超过1000万元，且未说明属于上级明确要求或情况紧急的情形，不能以项目实施方案代替可行性研究报告"),
    ]),
    ("nc-purchase", "nanchong", "DL114", [("DL114", None, "", "采用购买服务方式的项目缺少服务需求方案")]),
    ("nc-in-progress", "nanchong", "DL115,DL116", [
        ("DL115", None, "", "在建项目备案缺少立项会议纪要"),
        ("DL115", None, "", "在建项目备案缺少立项批复"),
    ]),
    ("nc-built", "nanchong", "DL115,DL116", [
        ("DL116", None, "", "已建项目备案缺少招采建资料（招标、采购、合同等）"),
        ("DL116", None, "", "已建项目备案缺少验收资料"),
    ]),
    ("nc-no-integration", "nanchong", "DL203", [
        ("DL203", "可行性研究报告.md", "",
         "缺少“系统集成、集约化建设和信息资源共享分析”专篇（找到的最接近标题：第四章 信息共享分析）"),
    ]),
    ("nc-form-gaps", "nanchong", "DL202,DL204,DL205", [
        ("DL202", "备案审查表.xlsx", "备案审查表!B4", "备案审查表“项目联系人”未填写"),
        ("DL202", "备案审查表.xlsx", "备案审查表!D4", "备案审查表“联系电话”格式不正确（应为电话号码）：“见附件”"),
        ("DL204", "备案审查表.xlsx", "备案审查表!B6", "备案审查表“建设依据和必要性”未填写"),
        ("DL204", "备案审查表.xlsx", "备案审查表!B7", "备案审查表“项目绩效目标”填写的是占位内容“待定”"),
        ("DL204", "备案审查表.xlsx", "备案审查表!B8", "备案审查表“拟采用实施方式”应为自行建设、购买服务之一，而填写的是“委托开发”"),
        ("DL205", "备案审查表.xlsx", "备案审查表!B10", "备案审查表“运维经费”未填写"),
        ("DL205", "备案审查表.xlsx", "备案审查表!B11", "备案审查表“经费渠道”填写的是占位内容“XXX”"),
    ]),
    ("nc-purchase-partial", "nanchong", "DL206", [
        ("DL206", "服务需求方案.md", "", "服务需求方案缺少“经费需求调查”内容"),
        ("DL206", "服务需求方案.md", "", "服务需求方案缺少“自建和购买服务方式经济性比较分析”内容"),
        ("DL206", "服务需求方案.md", "", "服务需求方案缺少“采购方案”内容"),
    ]),
    ("nc-deviation", "nanchong", "DL207", [
        ("DL207", "初步设计方案.md", "L11", "初步设计方案总投资920万元与可行性研究报告的860万元不一致，但没有以独立章节说明调整内容及理由"),
    ]),
    ("nc-deviation-text", "nanchong", "DL207", [
        ("DL207", "初步设计方案.md", "L3", "初步设计方案正文提到对可行性研究报告（批复）内容的调整，但没有以独立章节说明调整内容及理由"),
    ]),
    ("nc-docx-table", "nanchong", "DL201", [("DL201", "初步设计方案.docx", "¶10", "章节“第四章 运行维护”下没有内容")]),
    ("nc-no-headings", "nanchong", "DL203", [
        ("DL203", "初步设计方案.txt", "", "缺少“系统集成、集约化建设和信息资源共享分析”专篇（文档未识别出章节标题，已按全文检索）"),
    ]),
    ("nc-sections", "nanchong", "DL201,DL212,DL215", [
        ("DL212", "可行性研究报告.md", "", "方案未说明软硬件产品的安全可靠情况"),
        ("DL215", "可行性研究报告.md", "", "可行性研究报告缺少“效益分析”相关章节"),
        ("DL201", "可行性研究报告.md", "L9", "章节“二、部署方案”下没有内容"),
    ]),
    # 泰兴
    ("tx-missing-docs", "taixing", "DL1", [
        ("DL103", None, "", "新建、续建、改建类项目缺少项目概算表"),
        ("DL104", None, "", "新建、续建、改建类项目缺少政务信息资源目录及共享方式"),
        ("DL105", None, "", "缺少密码应用方案"),
        ("DL109", None, "", "新建、续建、改建类项目缺少网络安全建设方案"),
        ("DL110", None, "", "新建、续建、改建类项目缺少统一用户认证体系接入方案"),
        ("DL111", None, "", "新建、续建、改建类项目缺少政务信息资源需求"),
        ("DL119", None, "", "项目总投资120万元（50万元及以上），列入年度建设计划后须向市发展改革委申请立项；包中未见立项批复"),
        ("DL120", None, "", "未附与项目有关的规划、批示、批复、会议纪要等文件资料；如有，应一并报送"),
    ]),
    ("tx-no-feasibility", "taixing", "DL102", [("DL102", None, "", "新建、续建、改建类项目缺少可行性研究报告")]),
    ("tx-ops", "taixing", "DL1", [("DL117", None, "", "运维、购买服务类项目缺少上一期合同或服务需求报告")]),
    ("tx-funding-other", "taixing", "DL118", [("DL118", None, "", "申报表资金来源含“其他”，但缺少资金来源证明")]),
    ("tx-form-gaps", "taixing", "DL2", [
        ("DL208", "申报表.xlsx", "申报表!B4", "申报表“项目负责人电话”填写的是占位内容“无”"),
        ("DL202", "申报表.xlsx", "申报表!E4", "申报表“项目联系人电话”格式不正确（应为电话号码）：“123”"),
        ("DL208", "申报表.xlsx", "申报表!B5", "申报表“项目性质”未勾选（新建、续建、改建、其他）"),
        ("DL208", "申报表.xlsx", "申报表!B7", "申报表“启动时间”未填写"),
        ("DL209", "申报表.xlsx", "申报表!B9", "申报表“拟采用资金来源”未填写"),
        ("DL208", "申报表.xlsx", "申报表!B10", "申报表“项目估算”填写的是占位内容“待定”"),
        ("DL210", "申报表.xlsx", "申报表!A11", "申报表“主管部门意见”未填写"),
    ]),
    # 郴州
    ("cz-no-plan", "chenzhou", "DL102", [("DL102", None, "", "缺少项目方案主文件（可行性研究报告或建设方案）")]),
    ("cz-missing", "chenzhou", "DL1,DL2", [
        ("DL103", None, "", "缺少项目预算表"),
        ("DL104", None, "", "缺少政务信息资源目录"),
        ("DL211", "建设方案.md", "", "方案没有密码应用章节，也未提交密码应用方案"),
        ("DL212", "建设方案.md", "", "方案未说明软硬件产品的安全可靠情况"),
        ("DL213", "建设方案.md", "", "方案未说明国家电子文件管理政策的落实情况"),
        ("DL214", "建设方案.md", "", "方案没有网络安全章节，也未提交网络安全方案"),
    ]),
    # base (the national layer, on the same packages)
    ("nc-missing-docs", "base", "DL1", [
        ("DL103", None, "", "缺少项目概算（估算、预算）表"),
        ("DL104", None, "", "缺少政务信息资源目录"),
        ("DL105", None, "", "缺少密码应用方案"),
        ("DL109", None, "", "缺少网络安全建设方案（或等级保护方案）"),
    ]),
    ("nc-form-only", "base", "DL102", [
        ("DL102", None, "", "缺少项目方案主文件（可行性研究报告、初步设计方案、项目实施方案（建设方案）或服务需求方案等）"),
    ]),
    ("nc-no-form", "base", "DL101", [("DL101", None, "", "缺少项目申报表（备案审查表、申报审批表）")]),
]

# rule -> packages (case, profile) where it must not fire
NEAR: dict[str, list[tuple[str, str]]] = {
    **{f"DL0{n:02d}": [("in-clean", "base")] for n in range(1, 20)},
    "DL101": [("nc-complete", "nanchong"), ("tx-complete", "taixing"), ("cz-complete", "chenzhou"), ("nc-complete", "base")],
    "DL102": [("nc-complete", "nanchong"), ("tx-ops", "taixing"), ("cz-complete", "chenzhou"), ("tx-ops-ok", "base")],
    "DL103": [("nc-complete", "nanchong"), ("tx-ops", "taixing"), ("cz-complete", "chenzhou")],
    "DL104": [("nc-complete", "nanchong"), ("tx-complete", "taixing"), ("cz-complete", "chenzhou")],
    "DL105": [("nc-complete", "nanchong"), ("nc-complete", "base"), ("tx-ops", "taixing")],
    "DL106": [("nc-complete", "nanchong")],
    "DL107": [("nc-complete", "nanchong")],
    "DL108": [("nc-complete", "nanchong"), ("nc-impl-small", "nanchong"), ("nc-purchase-ok", "nanchong")],
    "DL109": [("tx-complete", "taixing"), ("nc-complete", "base")],
    "DL110": [("tx-complete", "taixing"), ("tx-ops", "taixing")],
    "DL111": [("tx-complete", "taixing"), ("tx-ops", "taixing")],
    "DL112": [("nc-complete", "nanchong"), ("nc-impl-small", "nanchong")],
    "DL121": [("nc-complete", "nanchong"), ("nc-impl-small", "nanchong")],
    "DL113": [("nc-impl-small", "nanchong"), ("nc-impl-mandated", "nanchong")],
    "DL114": [("nc-purchase-ok", "nanchong"), ("nc-complete", "nanchong")],
    "DL115": [("nc-in-progress-ok", "nanchong"), ("nc-built", "nanchong"), ("nc-complete", "nanchong")],
    "DL116": [("nc-built-ok", "nanchong"), ("nc-in-progress", "nanchong")],
    "DL117": [("tx-ops-ok", "taixing"), ("tx-complete", "taixing")],
    "DL118": [("tx-funding-other-ok", "taixing"), ("tx-complete", "taixing")],
    "DL119": [("tx-small", "taixing"), ("tx-complete-xlsx", "taixing")],
    "DL120": [("tx-complete", "taixing")],
    "DL201": [("nc-complete", "nanchong"), ("tx-complete", "taixing"), ("cz-complete", "chenzhou")],
    "DL202": [("nc-complete", "nanchong"), ("tx-complete", "taixing"), ("cz-complete", "chenzhou"),
              ("nc-complete", "base")],
    "DL203": [("nc-complete", "nanchong"), ("nc-integration-typo", "nanchong"),
              ("nc-integration-standalone", "nanchong"), ("nc-docx-table", "nanchong")],
    "DL204": [("nc-complete", "nanchong")],
    "DL205": [("nc-complete", "nanchong")],
    "DL206": [("nc-purchase-ok", "nanchong")],
    "DL207": [("nc-complete", "nanchong"), ("nc-deviation-ok", "nanchong")],
    "DL208": [("tx-complete", "taixing"), ("tx-complete-xlsx", "taixing")],
    "DL209": [("tx-complete", "taixing"), ("tx-complete-xlsx", "taixing")],
    "DL210": [("tx-complete", "taixing"), ("tx-complete-xlsx", "taixing")],
    "DL211": [("cz-complete", "chenzhou"), ("cz-separate-docs", "chenzhou")],
    "DL212": [("nc-complete", "nanchong"), ("cz-complete", "chenzhou"), ("cz-separate-docs", "chenzhou"),
              ("nc-no-headings", "nanchong"), ("nc-reliable-in-design", "nanchong")],
    "DL213": [("cz-complete", "chenzhou"), ("cz-separate-docs", "chenzhou")],
    "DL214": [("cz-complete", "chenzhou"), ("cz-separate-docs", "chenzhou")],
    "DL215": [("nc-complete", "nanchong"), ("tx-complete", "taixing")],
}


@pytest.mark.parametrize(("case", "profile", "select", "expected"), FIRES, ids=[f"{c}-{p}-{s}" for c, p, s, _ in FIRES])
def test_rule_fires(case: str, profile: str, select: str, expected: list[Row]) -> None:
    assert lint(CASES / case, profile, select) == expected


NEAR_CASES = [(rule, case, profile) for rule, cases in NEAR.items() for case, profile in cases]


@pytest.mark.parametrize(("rule", "case", "profile"), NEAR_CASES, ids=[f"{r}-{c}-{p}" for r, c, p in NEAR_CASES])
def test_rule_near_miss(rule: str, case: str, profile: str) -> None:
    assert lint(CASES / case, profile, rule) == []


TABLE_PACK = """\
[pack]
name = "tables"
extends = "base"

[[rules]]
id = "DL398"
slug = "catalog-columns"
title = "目录缺列"
category = "catalog"
severity = "error"
kind = "table-columns"
message = "{table}缺少“{column}”列"
[rules.params]
documents = ["resource_catalog", "resource_needs"]
columns = ["信息资源名称", "共享类型", ["更新周期", "更新时限"]]

[[rules]]
id = "DL399"
slug = "share-type-values"
title = "共享类型取值"
category = "catalog"
severity = "warning"
kind = "enumerated-values"
message = "“{column}”的取值“{value}”不在规定范围（{allowed}）内"
[rules.params]
documents = ["resource_catalog", "resource_needs"]
column = "共享类型"
values = ["无条件共享", "有条件共享", "不予共享"]
split = "、"
"""


def test_generic_table_kinds_in_a_user_pack(tmp_path: Path) -> None:
    """table-columns and enumerated-values (for the catalog rules): the catalog lacks 更新周期 and has
    an off-list 共享类型; the needs list in the same package (near miss) has both right."""
    pack = tmp_path / "tables.toml"
    pack.write_text(TABLE_PACK, encoding="utf-8")
    assert lint(CASES / "catalog-values", str(pack), "DL398,DL399") == [
        ("DL398", "政务信息资源目录.csv", "政务信息资源目录!A1", "政务信息资源目录缺少“更新周期”列"),
        ("DL399", "政务信息资源目录.csv", "政务信息资源目录!C3", "“共享类型”的取值“部分共享”不在规定范围（无条件共享、有条件共享、不予共享）内"),
    ]
    assert lint(CASES / "nc-complete", str(pack), "DL399") == []


def test_limits_from_config_make_dl010_and_dl011(tmp_path: Path) -> None:
    cfg = config(tmp_path, "limits = { max_file_bytes = 16000 }\n")
    assert lint(CASES / "in-clean", "base", "DL010", "--config", cfg) == [
        ("DL010", "密码应用方案.docx", "", "文件大小 21 KB 超过上限 16 KB，未读取（可用配置 limits.max_file_bytes 调整）"),
    ]
    cfg = config(tmp_path, "limits = { max_pages = 1 }\n")
    assert lint(CASES / "in-clean", "base", "DL011", "--config", cfg) == [
        ("DL011", "可行性研究报告.pdf", "", "读取时达到页数上限 1 页，只检查了部分内容"),
        ("DL011", "立项批复.pdf", "", "读取时达到页数上限 1 页，只检查了部分内容"),
    ]


def test_tool_rules_dl901_and_dl902(tmp_path: Path) -> None:
    pkg = tmp_path / "nc-no-integration"
    shutil.copytree(CASES / "nc-no-integration", pkg)
    (fp,) = [d["fingerprint"] for d in json.loads(run_cli(
        "check", pkg, "--format", "json", "--no-cache", "--profile", "nanchong", "--select", "DL203")[1]
    )["packages"][0]["diagnostics"]]
    wf = tmp_path / "dossier-lint-waivers.toml"

    def entry(fingerprint: str, expires: str = "") -> str:
        exp = f"expires = {expires}\n" if expires else ""
        return (f'[[waiver]]\nrule = "DL203"\nfile = "可行性研究报告.md"\nfingerprint = "{fingerprint}"\n'
                f'reason = "专篇单独成册"\n{exp}\n')

    wf.write_text(entry(fp, "2099-12-31"), encoding="utf-8")  # near miss for both
    assert lint(pkg, "nanchong", "DL203,DL9") == []
    wf.write_text(entry(fp, "2020-01-01") + entry("0123456789abcdef"), encoding="utf-8")
    assert lint(pkg, "nanchong", "DL203,DL9") == [
        ("DL901", None, "", "豁免条目未匹配任何问题（规则 DL203，文件 可行性研究报告.md）：问题可能已修正，请用 --prune-waivers 删除该条目"),
        ("DL902", None, "", "豁免已于 2020-01-01 过期（规则 DL203，文件 可行性研究报告.md），对应问题重新报告"),
        ("DL203", "可行性研究报告.md", "",
         "缺少“系统集成、集约化建设和信息资源共享分析”专篇（找到的最接近标题：第四章 信息共享分析）"),
    ]


def test_every_own_rule_has_a_firing_case_and_a_near_miss() -> None:
    fired = {row[0] for _, _, _, rows in FIRES for row in rows} | {"DL010", "DL011", "DL901", "DL902"}
    near = set(NEAR) | {"DL901", "DL902"}
    fired.add("DL903")  # stuck package, fires and near miss: tests/test_batch_timeout.py
    near.add("DL903")
    own = {rid for name in ("base", "nanchong", "taixing", "chenzhou") for rid in load_pack(name).rules if OWN.match(rid)}
    assert own - fired == set()
    assert own - near == set()


def test_structure_cases_are_generated_and_small() -> None:
    import subprocess
    import sys

    assert (CASES / "nc-complete" / "备案审查表.xlsx").is_file()
    total = sum(p.stat().st_size for p in CASES.rglob("*") if p.is_file())
    assert total < 600_000
    # the generator is deterministic: regenerating one case gives the same bytes
    before = {p.name: p.read_bytes() for p in (CASES / "nc-form-gaps").iterdir()}
    out = Path(subprocess.run([sys.executable, str(CORPUS / "cases" / "make_structure_cases.py"), "nc-form-gaps"],
                              capture_output=True, text=True, check=True).stdout)
    assert out
    after = {p.name: p.read_bytes() for p in (CASES / "nc-form-gaps").iterdir()}
    assert before == after
