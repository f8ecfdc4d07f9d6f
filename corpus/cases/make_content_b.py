"""Fixture packages for the content-b checks (policy, security, goals, consistency):
``python corpus/cases/make_content_b.py`` writes corpus/cases/content-b/ (deterministic).

Every package plants sentences that must fire and, next to them, near misses that must not — the
negated, past, background, quoted, hypothetical and 涉密 forms a careful reviewer reads past.
The sentences are module constants so tests can name them. All names and numbers are fictitious.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import build  # noqa: E402

OUT = HERE / "content-b"


def form(name: str, unit: str, ptype: str, mode: str, goals: str | None = None, secrecy: str = "非涉密",
         title: str = "南充市市级政务信息化项目备案审查表") -> dict[str, list[list]]:
    rows: list[list] = [[title], ["项目名称", name], ["项目单位", unit], ["项目联系人", "李明"],
                        ["联系电话", "0817-2000000"], ["项目性质", ptype], ["拟采用实施方式", mode],
                        ["项目密级", secrecy]]
    if goals is not None:
        rows.append(["项目绩效目标", goals])
    return {"备案审查表": rows}


# ---------------------------------------------------------------------------------------------
# 1. nc-policy: Nanchong 第八条 — fires and near misses in one 可研

NC_NAME = "南充市城市内涝监测预警平台项目"
NC_UNIT = "南充市水务局"

CITE = ("根据《南充市市级政务信息化项目管理办法（试行）》第八条，新建或扩建非涉密机房、数据中心、私有云平台，"
        "新增非涉密服务器、存储设备的项目原则上不予立项。")
BG_ROOM = "现有机房已于2020年建成，面积约40平方米。"
BG_SERVERS = "原系统于2018年采购服务器6台，目前已过保。"
BG_DEPLOY = "原系统部署于本单位机房，本期整体迁移至市级政务云。"
NEAR_ROOM = "本项目依托市级政务云部署，不新建机房。"
NEAR_SERVERS = "所需计算和存储资源全部向市级政务云申请，不采购服务器。"
NEAR_LINE = "监测数据经电子政务外网回传，无需租用专线。"
NEAR_APP = "移动端功能集成至全市统一移动门户，不单独开发APP。"
NEAR_SECRET = "涉密数据处理部分另行建设涉密机房，按保密规定单独报批。"
NEAR_HYPO = "如需扩建数据中心，应另行报领导小组审批。"
NEAR_CERT = "对接全市统一电子签章系统，实现预警通知文书在线签章。"
NEAR_SHARE = "本平台通过市数据共享交换平台共享雨量、水位监测数据。"
NEAR_BIGDATA = "依托市大数据平台开展内涝风险分析。"
FIRE_CERT = "建设电子签章系统，实现预警通知文书在线签章。"
FIRE_SITE = "新建内涝预警门户网站系统，发布预警信息。"
FIRE_BIGDATA = "搭建内涝大数据分析平台，开展积水成因分析。"
FIRE_ENFORCE = "开发移动执法检查模块，支撑排水设施巡查执法。"
FIRE_DEPLOY = "预警发布服务部署在本单位机房。"
FIRE_LINE = "为保障视频回传，租用运营商互联网专线1条（100Mbps）。"
FIRE_MINIPROG = "开发微信小程序“南充积水通”，向市民推送积水点位信息。"


def nc_policy(out: Path) -> None:
    d = out / "nc-policy"
    build.write_xlsx(d / "备案审查表.xlsx", form(NC_NAME, NC_UNIT, "新建", "自行建设",
                                              goals="2024年12月底前建成平台，接入积水监测点≥120个，预警信息发布时间≤10分钟，"
                                                    "市民满意度≥90%，内涝处置效率提升30%（效益）。产出：监测点覆盖率≥95%。"))
    build.write_docx(d / f"{NC_NAME}可行性研究报告.docx", [
        ("title", f"{NC_NAME}可行性研究报告"),
        ("h1", "第一章 项目概况"),
        ("h2", "1.1 编制依据"),
        ("p", CITE),
        ("h1", "第二章 建设现状"),
        ("p", BG_ROOM),
        ("p", BG_SERVERS),
        ("p", BG_DEPLOY),
        ("h1", "第三章 本期建设内容"),
        ("h2", "3.1 部署方式"),
        ("p", NEAR_ROOM),
        ("p", NEAR_SERVERS),
        ("p", NEAR_SECRET),
        ("p", NEAR_HYPO),
        ("p", FIRE_DEPLOY),
        ("h2", "3.2 网络"),
        ("p", NEAR_LINE),
        ("p", FIRE_LINE),
        ("h2", "3.3 应用系统"),
        ("p", NEAR_APP),
        ("p", FIRE_MINIPROG),
        ("p", NEAR_CERT),
        ("p", FIRE_CERT),
        ("p", FIRE_SITE),
        ("p", FIRE_BIGDATA),
        ("p", NEAR_BIGDATA),
        ("p", FIRE_ENFORCE),
        ("h2", "3.4 数据共享"),
        ("p", NEAR_SHARE),
        ("h2", "3.5 安全可靠"),
        ("p", "操作系统采用银河麒麟V10，数据库采用达梦DM8，均为安全可靠产品。"),
        ("h1", "第四章 投资估算"),
        ("table", [["序号", "名称", "单位", "数量", "单价（万元）", "合价（万元）"],
                   ["1", "政务云服务器租用费", "年", "1", "12.00", "12.00"],
                   ["2", "东方通TongWeb应用服务器软件", "套", "2", "2.00", "4.00"],
                   ["3", "磁盘阵列", "套", "1", "18.00", "18.00"],
                   ["4", "现有服务器利旧", "台", "6", "0", "0"]]),
    ])


# ---------------------------------------------------------------------------------------------
# 2. nc-security: 等保 / 密码 / 一致性

SEC_NAME = "南充市不动产登记信息平台项目"
SEC_UNIT = "南充市自然资源和规划局"
SEC_LEVEL = "本系统安全保护等级定级为第三级。"
SEC_CLOUD_NEAR = "本系统部署于已通过等保三级测评的市级政务云平台。"
SEC_RULE_NEAR = "第二级以上信息系统应当在定级后30日内办理备案。"  # a rule, not a plan: does not count
SEC_FEAS_LEVEL = "本系统按照等保二级要求进行安全建设。"
CRY_LEVEL = "本系统密码应用按照GB/T 39786-2021第二级要求进行设计。"
CRY_MD5 = "用户口令采用MD5算法摘要后存储。"
CRY_MD5_NEAR = "原系统使用的MD5算法将替换为SM3算法。"
CRY_SHA1_NEAR = "禁止使用SHA-1、DES等不安全算法。"
CRY_3DES = "接口报文采用3DES加密传输。"


def nc_security(out: Path) -> None:
    d = out / "nc-security"
    build.write_xlsx(d / "备案审查表.xlsx", form(SEC_NAME, SEC_UNIT, "新建", "自行建设",
                                              goals="2024年底前上线，登记办理时限压缩至3个工作日，群众满意度≥95%，"
                                                    "产出：接入部门≥6个；效益：减少跑动次数50%。"))
    build.write_docx(d / f"{SEC_NAME}可行性研究报告.docx", [
        ("title", f"{SEC_NAME}可行性研究报告"),
        ("h1", "第一章 项目概况"),
        ("p", "本项目依托市级政务云部署，通过市数据共享交换平台共享登记数据。软硬件均采用安全可靠产品。"),
        ("h1", "第五章 信息安全"),
        ("p", SEC_FEAS_LEVEL),
        ("p", SEC_CLOUD_NEAR),
    ])
    build.write_md(d / "网络安全等级保护方案.md", "\n".join([
        "# 网络安全等级保护方案",
        "## 一、系统概况",
        SEC_CLOUD_NEAR,
        "## 二、定级结果",
        SEC_LEVEL,
        "## 三、安全技术方案",
        "安全计算环境采用主机加固、入侵防范和恶意代码防范措施。",
        SEC_RULE_NEAR,
        "",
    ]))
    build.write_md(d / "商用密码应用方案.md", "\n".join([
        "# 商用密码应用方案",
        "## 第一章 概述",
        CRY_LEVEL,
        "## 第二章 现状",
        CRY_MD5_NEAR,
        "## 第三章 密码应用技术方案",
        "### 3.1 网络和通信安全",
        "采用SSL VPN建立安全通道。",
        CRY_SHA1_NEAR,
        "### 3.2 应用和数据安全",
        CRY_MD5,
        CRY_3DES,
        "",
    ]))


# ---------------------------------------------------------------------------------------------
# 3. nc-security-clean: complete 等保 and 密码 plans, every near miss, no finding

def nc_security_clean(out: Path) -> None:
    d = out / "nc-security-clean"
    build.write_xlsx(d / "备案审查表.xlsx", form(SEC_NAME, SEC_UNIT, "新建", "自行建设",
                                              goals="2024年底前上线，登记办理时限压缩至3个工作日，群众满意度≥95%，"
                                                    "产出：接入部门≥6个；效益：减少跑动次数50%。"))
    build.write_md(d / f"{SEC_NAME}可行性研究报告.md", "\n".join([
        f"# {SEC_NAME}可行性研究报告",
        "## 第一章 项目概况",
        "本项目依托市级政务云部署，通过市数据共享交换平台共享登记数据。",
        "操作系统采用银河麒麟V10，数据库采用达梦DM8，均为安全可靠产品。",
        "## 第五章 信息安全",
        "本系统按照等保三级要求进行安全建设。",
        SEC_CLOUD_NEAR,
        "",
    ]))
    build.write_md(d / "网络安全等级保护方案.md", "\n".join([
        "# 网络安全等级保护方案",
        "## 一、系统概况",
        SEC_CLOUD_NEAR,
        "## 二、定级结果与定级依据",
        "业务信息遭到破坏后对社会秩序、公共利益造成严重损害，业务信息安全保护等级为第三级；"
        "系统服务安全保护等级为第二级；综合确定本系统安全保护等级为第三级。",
        "| 受侵害的客体 | 一般损害 | 严重损害 | 特别严重损害 |",
        "| 社会秩序、公共利益 | 第二级 | 第三级 | 第四级 |",
        "## 三、备案与测评",
        "系统上线后30日内向南充市公安局办理等级保护备案。",
        "系统上线前完成等级测评，此后每年至少开展一次等级测评。",
        "",
    ]))
    build.write_md(d / "商用密码应用方案.md", "\n".join([
        "# 商用密码应用方案",
        "## 第一章 概述",
        "本系统等级保护定级为第三级，密码应用按照GB/T 39786-2021第三级要求进行设计。",
        "## 第二章 现状",
        CRY_MD5_NEAR,
        "原系统接口采用3DES加密，存在安全隐患。",
        "## 第三章 密码应用技术方案",
        "### 3.1 物理和环境安全",
        "依托政务云机房的电子门禁系统，采用SM4保护门禁记录。",
        "### 3.2 网络和通信安全",
        "采用SM2/SM3/SM4国密SSL VPN建立安全通道。",
        CRY_SHA1_NEAR,
        "### 3.3 设备和计算安全",
        "服务器远程管理采用国密SSH，日志完整性采用SM3-HMAC保护。",
        "### 3.4 应用和数据安全",
        "用户口令采用SM3加盐摘要存储，重要数据采用SM4加密存储。",
        "## 第四章 密码应用管理方案",
        "建立密码应用安全管理制度；配备密钥管理员、密码操作员和密码安全审计员；",
        "制定建设运行规程；制定密码应用应急预案并定期演练。",
        "## 第五章 密码应用安全性评估",
        "系统投入运行前委托商用密码检测机构开展商用密码应用安全性评估，此后每年至少开展一次密评。",
        "",
    ]))


# ---------------------------------------------------------------------------------------------
# 4–7. goals

GOALS_VAGUE = "显著提升城市管理效率，进一步完善监管体系，有力支撑城市治理现代化。"
TABLE_VAGUE = ("社区服务效率", "进一步提升")
GOALS_RATES = ("2024年12月底前上线；接入部门≥12个；视频覆盖率达到120%；"
               "平台访问量同比增长150%；社会效益：案件处置时长缩短30%。")


def nc_goals(out: Path) -> None:
    build.write_xlsx(out / "nc-goals-vague" / "备案审查表.xlsx",
                     form("南充市智慧社区平台项目", "南充市民政局", "新建", "自行建设", goals=GOALS_VAGUE))
    build.write_xlsx(out / "nc-goals-rates" / "备案审查表.xlsx",
                     form("南充市智慧社区平台项目", "南充市民政局", "新建", "自行建设", goals=GOALS_RATES))
    build.write_xlsx(out / "nc-goals-missing" / "备案审查表.xlsx",
                     form("南充市智慧社区平台项目", "南充市民政局", "新建", "自行建设"))
    # goals in a report section with an indicator table: one vague row among quantified ones
    build.write_docx(out / "nc-goals-table" / "南充市智慧社区平台项目实施方案.docx", [
        ("title", "南充市智慧社区平台项目实施方案"),
        ("h1", "第九章 绩效目标"),
        ("p", "2024年12月底前建成智慧社区平台。"),
        ("table", [["一级指标", "二级指标", "三级指标", "指标值"],
                   ["产出指标", "数量指标", "接入社区数", "≥120个"],
                   ["效益指标", "社会效益指标", TABLE_VAGUE[0], TABLE_VAGUE[1]],
                   ["效益指标", "社会效益指标", "群众办事便利度", "达到预期"],
                   ["满意度指标", "服务对象满意度指标", "居民满意度", "≥90%"]]),
    ])


# ---------------------------------------------------------------------------------------------
# 8–11. 购买服务 economics

SV_NAME = "南充市政务服务热线运营服务项目"
SV_UNIT = "南充市政务服务管理局"
SV_NOFIG = "经比较，购买服务方式相比自行建设更加经济，可有效节约财政资金。"
SV_SELF = "自行建设需建设经费600万元、5年运维经费300万元，合计900万元。"
SV_SERVICE = "购买服务5年服务费合计1100万元。"
SV_CHEAP_SERVICE = "购买服务5年服务费合计700万元。"
SV_GOALS = "2024年起提供服务，接通率≥95%，满意度≥90%，产出：话务受理≥30万件；效益：办结率≥98%。"
SV_TABLE = [["方式", "建设费", "运维费", "合计"], ["自行建设", "600", "300", "900"], ["购买服务", "0", "1100", "1100"]]


def _service_plan(path: Path, comparison: list[str] | None, table: list[list[str]] | None = None) -> None:
    lines = ["# 南充市政务服务热线运营服务项目服务需求方案", "## 一、项目必要性", "热线话务量逐年增长，需专业运营。",
             "## 二、服务内容", "提供7×24小时话务受理服务。"]
    if comparison is not None:
        lines.append("## 三、自建和购买服务方式经济性比较")
        lines.extend(comparison)
        if table:
            lines.extend("| " + " | ".join(r) + " |" for r in table)
    lines.append("")
    build.write_md(path, "\n".join(lines))


def nc_service(out: Path) -> None:
    for name, comparison, table in (
        ("nc-service-missing", None, None),
        ("nc-service-nofigures", [SV_NOFIG], None),
        ("nc-service-dearer", [SV_SELF, SV_SERVICE], None),
        ("nc-service-ok", ["本项目采用购买服务方式。", SV_SELF, SV_CHEAP_SERVICE, "购买服务比自行建设节约200万元。"], None),
    ):
        d = out / name
        build.write_xlsx(d / "备案审查表.xlsx", form(SV_NAME, SV_UNIT, "购买服务", "购买服务", goals=SV_GOALS))
        _service_plan(d / f"{SV_NAME}服务需求方案.md", comparison, table)
    # the comparison as a table (a column per cost, a row per way)
    d = out / "nc-service-dearer-table"
    build.write_xlsx(d / "备案审查表.xlsx", form(SV_NAME, SV_UNIT, "购买服务", "购买服务", goals=SV_GOALS))
    build.write_docx(d / f"{SV_NAME}服务需求方案.docx", [
        ("title", f"{SV_NAME}服务需求方案"),
        ("h1", "一、服务内容"),
        ("p", "提供7×24小时话务受理服务。"),
        ("h1", "二、自建和购买服务方式经济性比较"),
        ("p", "两种方式5年费用测算如下（单位：万元）："),
        ("table", SV_TABLE),
    ])


# ---------------------------------------------------------------------------------------------
# 12. nc-consistency

CON_FEAS_TITLE = "南充市数字城管平台建设项目可行性研究报告"
CON_TYPE = "本项目为续建项目，在一期基础上扩展功能。"
CON_UNIT_LINE = "项目单位：南充市住房和城乡建设局"


def nc_consistency(out: Path) -> None:
    d = out / "nc-consistency"
    build.write_xlsx(d / "备案审查表.xlsx", form("南充市智慧城管综合平台（二期）项目", "南充市城市管理行政执法局", "新建",
                                              "自行建设", goals="2024年底前上线，案件处置时长缩短30%，满意度≥90%，产出：接入部门≥10个。"))
    build.write_md(d / "南充市数字城管平台建设项目可行性研究报告.md", "\n".join([
        f"# {CON_FEAS_TITLE}",
        "## 第一章 项目概况",
        CON_UNIT_LINE,
        CON_TYPE,
        "本项目依托市级政务云部署，通过市数据共享交换平台共享城管案件数据。",
        "",
    ]))
    # near misses: abbreviation of the unit, the name without 南充市 and 项目
    build.write_md(d / "南充市智慧城管综合平台（二期）项目初步设计方案.md", "\n".join([
        "# 智慧城管综合平台（二期）初步设计方案",
        "## 第一章 概况",
        "项目单位：市城管执法局",
        "",
    ]))


# ---------------------------------------------------------------------------------------------
# 13–14. Taixing and Chenzhou

TX_NAME = "泰兴市社区视频监控联网项目"
TX_APP = "开发微信小程序“泰兴邻里”，供居民查看社区监控告警。"
TX_APP_NEAR = "移动端功能集成至全市基础移动门户，不单独开发APP。"
TX_AUTH = "建设本局统一身份认证系统，实现单点登录。"
TX_AUTH_NEAR = "对接全市统一身份认证平台的接口。"
TX_BIGDATA = "本系统数据暂不接入市大数据平台。"
TX_CLOUD = "系统统一部署到市级政务云上。"


def taixing_case(out: Path) -> None:
    d = out / "tx-video"
    build.write_xlsx(d / "泰兴市政务信息化项目申报表.xlsx", form(TX_NAME, "泰兴市公安局", "新建", "自行建设",
                                                          title="泰兴市政务信息化项目申报表"))
    build.write_md(d / f"{TX_NAME}可行性研究报告.md", "\n".join([
        f"# {TX_NAME}可行性研究报告",
        "## 第三章 建设内容",
        TX_CLOUD,
        TX_APP,
        TX_APP_NEAR,
        TX_AUTH,
        TX_AUTH_NEAR,
        TX_BIGDATA,
        "",
    ]))


CZ_NAME = "郴州市智慧水利平台建设项目"


def chenzhou_case(out: Path) -> None:
    d = out / "cz-network"
    build.write_xlsx(d / "郴州市本级财政投资类信息化项目申报审批表.xlsx",
                     form(CZ_NAME, "郴州市水利局", "新建", "自行建设", title="郴州市本级财政投资类信息化项目申报审批表",
                          goals="2023年底前建成，接入监测站点≥200个，预警发布时间≤10分钟，满意度≥90%，效益：灾害损失减少20%。"))
    build.write_md(d / f"{CZ_NAME}建设方案.md", "\n".join([
        f"# {CZ_NAME}建设方案",
        "## 第三章 建设内容",
        "计算和存储资源统一使用市政务云平台。",
        "监测数据汇聚至市政务信息资源交换共享平台与大数据中心。",
        "",
    ]))


def chenzhou_ok(out: Path) -> None:
    d = out / "cz-network-ok"
    build.write_xlsx(d / "郴州市本级财政投资类信息化项目申报审批表.xlsx",
                     form(CZ_NAME, "郴州市水利局", "新建", "自行建设", title="郴州市本级财政投资类信息化项目申报审批表",
                          goals="2023年底前建成，接入监测站点≥200个，预警发布时间≤10分钟，满意度≥90%，效益：灾害损失减少20%。"))
    build.write_md(d / f"{CZ_NAME}建设方案.md", "\n".join([
        f"# {CZ_NAME}建设方案",
        "## 第三章 建设内容",
        "计算和存储资源统一使用市政务云平台，系统部署于电子政务外网区。",
        "监测数据汇聚至市政务信息资源交换共享平台与大数据中心。",
        "平台通过标准接口接入城市大脑中枢平台，推送预警事件。",
        "",
    ]))


# ---------------------------------------------------------------------------------------------
# 16–. one rule each: fires, and its near miss

def _simple(d: Path, name: str, unit: str, ptype: str, mode: str, files: dict[str, str], *, city: str = "nc",
            goals: str = "2024年底前上线，接入部门≥10个，满意度≥90%，办理时限缩短30%。") -> None:
    title = {"nc": "南充市市级政务信息化项目备案审查表", "tx": "泰兴市政务信息化项目申报表",
             "cz": "郴州市本级财政投资类信息化项目申报审批表"}[city]
    build.write_xlsx(d / f"{title}.xlsx", form(name, unit, ptype, mode, goals=goals, title=title))
    for fname, lines in files.items():
        build.write_md(d / fname, "\n".join(lines) + "\n")


OFFICE_NAME = "南充市协同办公系统升级项目"
OFFICE_OK = "本系统以微应用方式集成至全市统一协同办公平台。"
TX_UUA_REFUSED = "系统自建用户账号体系，暂不接入统一用户认证平台。"
MODE_SELF = "本项目采用自行建设方式。"
FOREIGN = "数据库采用Oracle 19c，操作系统采用CentOS 7。"
SILENT = "建设内涝监测预警应用，提供监测、预警和统计功能。"
BASE_OK = ["本项目依托市级政务云部署，通过市数据共享交换平台共享数据。", "操作系统采用银河麒麟V10，均为安全可靠产品。"]


def single_rule_cases(out: Path) -> None:
    _simple(out / "nc-office", OFFICE_NAME, "南充市人民政府办公室", "改建", "自行建设",
            {f"{OFFICE_NAME}实施方案.md": [f"# {OFFICE_NAME}实施方案", "## 第三章 建设内容", *BASE_OK,
                                         "升级公文流转和督查督办功能。"]})
    _simple(out / "nc-office-ok", OFFICE_NAME, "南充市人民政府办公室", "改建", "自行建设",
            {f"{OFFICE_NAME}实施方案.md": [f"# {OFFICE_NAME}实施方案", "## 第三章 建设内容", *BASE_OK, OFFICE_OK]})
    _simple(out / "nc-silent", "南充市城市内涝监测平台项目", "南充市水务局", "新建", "自行建设",
            {"南充市城市内涝监测平台项目实施方案.md": ["# 南充市城市内涝监测平台项目实施方案", "## 第三章 建设内容", SILENT,
                                                "操作系统采用银河麒麟V10，均为安全可靠产品。"]})
    _simple(out / "nc-mode", SV_NAME, SV_UNIT, "购买服务", "购买服务",
            {f"{SV_NAME}服务需求方案.md": [f"# {SV_NAME}服务需求方案", "## 一、项目概况", MODE_SELF,
                                        "## 二、自建和购买服务方式经济性比较", SV_SELF, SV_CHEAP_SERVICE]})
    _simple(out / "nc-foreign", "南充市测试平台项目", "南充市测试局", "新建", "自行建设",
            {"南充市测试平台项目实施方案.md": ["# 南充市测试平台项目实施方案", "## 第四章 软硬件选型", BASE_OK[0], FOREIGN,
                                          "软硬件产品安全可靠情况见附件。"]})
    _simple(out / "nc-thin-plans", "南充市测试平台项目", "南充市测试局", "新建", "自行建设", {
        "网络安全等级保护方案.md": ["# 网络安全等级保护方案", "## 一、概述", "本系统按照等级保护要求建设。"],
        "商用密码应用方案.md": ["# 商用密码应用方案", "## 一、技术方案", "物理和环境、网络和通信、设备和计算、应用和数据四个层面"
                              "均采用加密措施。", "## 二、管理", "建立管理制度，明确人员管理、建设运行和应急处置要求。",
                              "系统上线前开展密评。"],
    })
    _simple(out / "tx-video-ok", TX_NAME, "泰兴市公安局", "新建", "自行建设", {
        f"{TX_NAME}可行性研究报告.md": [f"# {TX_NAME}可行性研究报告", "## 第三章 建设内容", TX_CLOUD,
                                     "前端视频通过GB/T 28181协议接入市视联网平台，实现“一机一档”。",
                                     "系统同步接入市大数据平台，实时对接。", "系统用户统一通过市统一用户认证平台单点登录。",
                                     TX_APP_NEAR, "操作系统采用银河麒麟V10，均为安全可靠产品。",
                                     "## 第九章 绩效目标", "2024年底前接入监控点位≥500路，满意度≥90%，案件发现时间缩短30%。"]},
            city="tx")
    _simple(out / "tx-uua-refused", "泰兴市社区服务平台项目", "泰兴市民政局", "新建", "自行建设", {
        "泰兴市社区服务平台项目可行性研究报告.md": ["# 泰兴市社区服务平台项目可行性研究报告", "## 第三章 建设内容", TX_CLOUD,
                                             "系统同步接入市大数据平台。", TX_UUA_REFUSED]}, city="tx")


def generate(out: Path = OUT) -> list[Path]:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for fn in (nc_policy, nc_security, nc_security_clean, nc_goals, nc_service, nc_consistency, taixing_case,
               chenzhou_case, chenzhou_ok, single_rule_cases):
        fn(out)
    return sorted(p for p in out.iterdir() if p.is_dir())


if __name__ == "__main__":
    for p in generate():
        size = sum(f.stat().st_size for f in p.rglob("*") if f.is_file())
        print(f"{p.name}: {size / 1024:.0f} KiB")
