"""Fixture packages for the content-a checks (信息资源目录, 资金, 政务云需求方案):
``python corpus/cases/make_content_a.py`` writes corpus/cases/content-a/ (deterministic).

Every package plants faults and, next to them, near misses a careful reviewer reads past (a synonym
column name, a 元 column beside a 万元 column, an unnumbered 预备费 row, a 其中 row, a zone spelt
政务外网区, a 质保期 of five years …). Texts and values the tests name are module constants. All names,
units and numbers are fictitious.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import build  # noqa: E402
from build import UP, F  # noqa: E402

OUT = HERE / "content-a"

FORM_TITLE = "南充市市级政务信息化项目备案审查表"


def nanchong_form(name: str, unit: str, tasks: str, total: str, om: str, channel: str) -> list[tuple]:
    rows = [
        ["项目名称", name, None, None],
        ["项目单位", unit, None, None],
        ["项目联系人", "王晓东", "联系电话", "0817-2000123"],
        ["主要任务", tasks, None, None],
        ["建设依据和必要性", "依据《南充市市级政务信息化项目管理办法（试行）》和本市“十四五”规划。", None, None],
        ["项目绩效目标", "2024年底前建成并上线运行，系统可用性≥99.5%。", None, None],
        ["拟采用实施方式", "自行建设", None, None],
        ["投资额度", total, None, None],
        ["运维经费", om, None, None],
        ["经费渠道", channel, None, None],
    ]
    return [("title", FORM_TITLE), ("p", f"填报单位（盖章）：{unit}"), ("table", rows)]


def plan(name: str, paragraphs: list[str], title: str = "项目实施方案") -> list[tuple]:
    spec: list[tuple] = [("title", f"{name}{title}"), ("h1", "第一章 项目概况")]
    spec += [("p", t) for t in paragraphs]
    return spec


# ---------------------------------------------------------------------------------------------
# 1. ca-catalog-rows: one catalog sheet, a fault and a near miss for every row rule (Nanchong)

ROWS_NAME = "南充市智慧停车管理平台项目"
ROWS_UNIT = "南充市交通运输局"
ROWS_TASKS = "建设停车资源管理、停车诱导、停车收费监管和泊位预约4个子系统，接入公共停车场120个、路内泊位6000个。"
CAT_SHEET = "信息资源目录"
CAT_HEADER = ["序号", "资源名称", "资源分类", "信息资源提供方", "资源格式", "资源属性", "信息项", "更新频率",
              "共享类型", "共享条件", "共享方式", "使用要求"]
# (名称, 分类, 提供方, 格式, 属性, 信息项, 更新频率, 共享类型, 共享条件, 共享方式, 使用要求); row in the sheet
CAT_ROWS: list[tuple] = [
    ("停车场基本信息", "部门信息资源/交通/停车", "南充市交通运输局", "数据库", "非涉密",
     "停车场编码；名称；地址；泊位数", "每月", "无条件共享", "", "共享平台方式（接口）", "用于停车诱导"),
    ("停车泊位实时状态信息", "部门信息资源/交通/停车", "南充市交通运输局", "数据库", "非涉密",
     "泊位编码；状态；更新时间", "实时", "有条件共享", "", "共享平台方式（接口）", ""),
    ("停车收费记录", "部门信息资源/交通/停车", "南充市交通运输局", "数据库", "非涉密",
     "订单号；泊位编码；金额；支付时间", "每日", "有条件共享", "", "共享平台方式（数据库）",
     "仅向市财政局、市发展改革委共享，用于收费监管"),
    ("车主身份信息", "部门信息资源/交通/停车", "南充市交通运输局", "数据库", "非涉密",
     "姓名；身份证号；手机号", "不定期", "不予共享", "涉及个人隐私", "共享平台方式（接口）", ""),
    ("停车欠费人员信息", "部门信息资源/交通/停车", "南充市交通运输局", "数据库", "非涉密",
     "姓名；车牌号；欠费金额", "每日", "不予共享",
     "依据《中华人民共和国个人信息保护法》第十三条、第二十三条", "", ""),
    ("停车诱导屏发布信息", "部门信息资源/交通/停车", "南充市交通运输局", "数据库", "非涉密",
     "诱导屏编码；发布内容；发布时间", "实时", "部分共享", "", "共享平台方式（接口）", "用于出行服务"),
    ("公共停车场收费标准", "部门信息资源/交通/停车", "南充市发展和改革委员会", "电子文件", "非涉密",
     "停车场编码；收费标准；执行日期", "及时更新", "有条件", "仅向市市场监管局共享，用于价格监管",
     "共享平台方式（文件）", "不得对外公开"),
    ("泊位预约信息", "部门信息资源/交通/停车", "南充市交通运输局", "数据库", "非涉密",
     "预约号；泊位编码；预约时段", "每天", "无条件共享", "", "可以共享", "用于泊位调度"),
    ("路内停车巡检记录", "部门信息资源/交通/停车", "", "数据库", "非涉密",
     "巡检员；泊位编码；巡检时间", "实时", "无条件共享", "", "共享平台方式（接口）", "用于巡检考核"),
]
CAT_FIRST_ROW = 4  # title row 1, group row 3 below the header row 2


def catalog_rows(out: Path) -> None:
    d = out / "ca-catalog-rows"
    build.write_docx(d / "01_南充市市级政务信息化项目备案审查表.docx", nanchong_form(
        ROWS_NAME, ROWS_UNIT, ROWS_TASKS, "360.00万元", "30.00万元/年", "市本级财政资金360.00万元"))
    build.write_docx(d / "02_南充市智慧停车管理平台项目实施方案.docx", plan(ROWS_NAME, [
        f"本项目由{ROWS_UNIT}建设，{ROWS_TASKS}",
        "本项目总投资360.00万元，资金来源：市本级财政资金360.00万元。",
    ]))
    rows: list[list] = [[f"{ROWS_NAME}政务信息资源目录"] + [None] * 11, list(CAT_HEADER),
                        ["一、停车设施与运营类"] + [None] * 11]
    for i, r in enumerate(CAT_ROWS, start=1):
        rows.append([i, *r])
    rows.append([len(CAT_ROWS) + 1] + [None] * 11)  # a template row left empty: not a resource
    rows.append(["填报说明：共享类型填写无条件共享、有条件共享或不予共享；不予共享须注明法律法规或国家政策依据。"]
                + [None] * 11)
    rows.append(["填报单位（盖章）：南充市交通运输局", None, None, None, None, None, "填报人：王晓东", None, None,
                 "联系电话：0817-2000123", None, None])
    n = len(rows)
    build.write_xlsx(d / "03_政务信息资源目录.xlsx", {CAT_SHEET: rows},
                     {CAT_SHEET: ["A1:L1", "A3:L3", f"A{n - 1}:L{n - 1}"]},
                     title_rows={CAT_SHEET: [1]}, header_rows={CAT_SHEET: [2]},
                     table_ranges={CAT_SHEET: f"A2:L{n - 2}"})


# ---------------------------------------------------------------------------------------------
# 2. ca-catalog-columns: a catalog table in a .docx lacking columns, copied from another project

COLS_NAME = "南充市城市排水管网监测预警平台项目"
COLS_UNIT = "南充市水务局"
COLS_TASKS = "建设排水管网液位流量监测点120个，建设管网运行监测、内涝预警和应急调度3个子系统。"
COLS_HEADER = ["序号", "信息资源名称", "信息资源分类", "提供方", "信息资源格式", "涉密属性", "共享类型", "共享方式"]
COLS_ROWS = [
    ["1", "婚姻登记信息", "部门信息资源/民政", "南充市民政局", "数据库", "非涉密", "有条件共享", "共享平台方式（接口）"],
    ["2", "收养登记信息", "部门信息资源/民政", "南充市民政局", "数据库", "非涉密", "有条件共享", "共享平台方式（接口）"],
    ["3", "殡葬服务机构信息", "部门信息资源/民政", "南充市民政局", "数据库", "非涉密", "无条件共享", "共享平台方式（接口）"],
]


def catalog_columns(out: Path) -> None:
    d = out / "ca-catalog-columns"
    build.write_docx(d / "01_南充市市级政务信息化项目备案审查表.docx", nanchong_form(
        COLS_NAME, COLS_UNIT, COLS_TASKS, "280.00万元", "25.00万元/年", "市本级财政资金280.00万元"))
    build.write_docx(d / "02_政务信息资源目录.docx", [
        ("title", f"{COLS_NAME}政务信息资源目录"),
        ("p", "本项目产生和使用的政务信息资源如下表。"),
        ("table", [COLS_HEADER, *COLS_ROWS]),
    ])


# ---------------------------------------------------------------------------------------------
# 3. ca-catalog-empty: a catalog sheet with only a header, and a "catalog" that is prose

EMPTY_NAME = "南充市农村集体资产监管平台项目"
EMPTY_PROSE = "本项目产生的信息资源将在系统建成后另行梳理并编制目录。"


def catalog_empty(out: Path) -> None:
    d = out / "ca-catalog-empty"
    header = ["序号", "信息资源名称", "信息资源分类", "责任方", "信息资源格式", "属性", "更新周期", "共享类型",
              "共享方式", "使用要求"]
    rows: list[list] = [[f"{EMPTY_NAME}政务信息资源目录"] + [None] * 9, header]
    rows += [[i] + [None] * 9 for i in range(1, 6)]
    rows.append(["注：请逐条填写本项目产生的信息资源。"] + [None] * 9)
    build.write_xlsx(d / "02_政务信息资源目录.xlsx", {"目录": rows}, {"目录": ["A1:J1", "A8:J8"]},
                     title_rows={"目录": [1]}, header_rows={"目录": [2]}, table_ranges={"目录": "A2:J7"})
    build.write_docx(d / "03_政务信息资源目录编制说明.docx", [
        ("title", "政务信息资源目录编制说明"), ("p", EMPTY_PROSE)])


# ---------------------------------------------------------------------------------------------
# 4. ca-money: Nanchong, 总投资 500 万元 — sums, unit prices, sources, 大写, 运维服务期限

MONEY_NAME = "南充市公共资源交易智慧监管平台项目"
MONEY_UNIT = "南充市公共资源交易中心"
MONEY_CHANNEL = "中省补助资金300.00万元，市本级财政150.00万元"  # 450 ≠ 500
MONEY_TOTAL_OK = "本项目总投资500.00万元（人民币伍佰万元整），其中建设费用482.00万元，预备费18.00万元。"
MONEY_CAPITAL_BAD = "应用软件开发合同暂定价人民币肆佰捌拾万元整（¥4,900,000.00），按合同约定分期支付。"
MONEY_SOURCES_OK = "资金来源：申请中省补助资金300.00万元，市本级财政资金200.00万元。"
MONEY_OM = "项目建成后每年运维经费40.00万元，运维服务期限为5年（2025年至2029年），分年签订合同。"
MONEY_NEAR_TERMS = "系统质保期5年，质保期内免费维保；建设周期为2024年1月至2024年12月。"
MONEY_PREDECESSOR = "本项目一期项目总投资320.00万元，已于2022年通过竣工验收。"
MONEY_REPORT_TOTAL = "本项目估算总投资520.00万元，建设周期12个月。"
BUDGET_SHEET = "概算表"


def _line(no, name, spec, unit, qty, price_yuan, amount, note=""):
    return [no, name, spec, unit, qty, price_yuan, amount, note]


def money(out: Path) -> None:
    d = out / "ca-money"
    build.write_docx(d / "01_南充市市级政务信息化项目备案审查表.docx", nanchong_form(
        MONEY_NAME, MONEY_UNIT, "建设交易全流程监管、专家管理、信用评价3个子系统。", "500.00万元", "40.00万元/年",
        MONEY_CHANNEL))
    build.write_docx(d / "02_南充市公共资源交易智慧监管平台项目实施方案.docx", plan(MONEY_NAME, [
        MONEY_TOTAL_OK, MONEY_SOURCES_OK, MONEY_CAPITAL_BAD, MONEY_OM, MONEY_NEAR_TERMS, MONEY_PREDECESSOR,
    ]))
    build.write_pdf(d / "03_南充市公共资源交易智慧监管平台项目可行性研究报告.pdf", [
        ("title", f"{MONEY_NAME}可行性研究报告"), ("h1", "第一章 项目概述"), ("p", MONEY_REPORT_TOTAL)])
    s = BUDGET_SHEET
    rows: list[list] = [
        [f"{MONEY_NAME}概算表"] + [None] * 7,
        [f"编制单位：{MONEY_UNIT}", None, None, None, None, None, "单位：万元", None],
        ["序号", "费用名称", "规格及参数", "单位", "数量", "单价（元）", "金额（万元）", "备注"],
        ["一", "感知设备购置费", None, None, None, None, F("=SUM(G5:G6)", 84.0), None],           # 4
        _line(1, "地磁车位检测器", "NB-IoT", "个", 400, 1500, 60.0),                                # 5
        _line(2, "高位视频桩", "双目识别", "套", 20, 12000, 24.0),                                  # 6
        ["二", "应用软件开发费", None, None, None, None, 300.0, "功能点法测算"],                     # 7: items sum 310
        _line(1, "交易全流程监管子系统", "", "套", 1, 1200000, 120.0),                              # 8
        _line(2, "专家管理子系统", "", "套", 1, 1000000, 100.0),                                    # 9
        _line(3, "信用评价子系统", "", "套", 1, 900000, 90.0),                                      # 10
        ["三", "系统集成费", None, None, None, None, F("=G12", 8.0), None],                          # 11
        _line(1, "系统集成与部署", "", "项", 1, 80000, 8.0),                                        # 12
        ["四", "其他费用", None, None, None, None, F("=SUM(G14:G18)", 90.0), None],                 # 13
        _line(1, "工程监理费", "", "项", 1, 150000, 15.0),                                          # 14
        _line(2, "培训费", "业务培训", "期", 2, 30000, 8.0),                                        # 15: 2×3万≠8
        _line(3, "第三方测评费", "", "项", 1, 120000, 12.0),                                        # 16
        _line(4, "前期咨询费", "", "项", 1, 250000, 25.0),                                          # 17
        _line(5, "建设管理费", "", "项", 1, 300000, 30.0),                                          # 18
        ["合计", None, None, None, None, None, F("=G4+G7+G11+G13", 482.0), None],                  # 19
        ["预备费", None, None, None, None, None, 18.0, "按合计的3.7%计取"],                          # 20
        ["总计", None, None, None, None, None, F("=G19+G20", 500.0), "项目总投资"],                 # 21
        ["其中：中省补助资金", None, None, None, None, None, 300.0, None],                          # 22
        ["市本级财政资金", None, None, None, None, None, 200.0, None],                              # 23
    ]
    build.write_xlsx(d / "04_项目概算表.xlsx", {s: rows},
                     {s: ["A1:H1", "A2:F2", "G2:H2", "A19:F19", "A20:F20", "A21:F21", "A22:F22", "A23:F23"]},
                     title_rows={s: [1]}, header_rows={s: [3]}, table_ranges={s: "A3:H23"})


# ---------------------------------------------------------------------------------------------
# 5. ca-money-taixing: the Taixing 申报表 matrix, a budget in 元, a budget without any unit

TX_NAME = "泰兴市智慧社区综合服务平台项目"
TX_REPORT = ["项目估算总投资300万元。资金来源：财政拨款200万元，上级补助100万元。",
             "应用软件开发合同金额人民币叁佰万元整（¥3,000,000.00）。",
             "运维服务期限为5年，分年签订合同。"]


def money_taixing(out: Path) -> None:
    d = out / "ca-money-taixing"
    form = [
        ("title", "泰兴市政务信息化项目申报表"),
        ("p", "申报单位名称（盖章）：泰兴市民政局　　　　单位：万元"),
        ("table", [
            ["项目名称", TX_NAME, None, None, None],
            ["项目密级", "非涉密", None, None, None],
            ["项目负责人：", "张海", "电话：", "0523-87000001", None],
            ["项目联系人：", "李青", "电话：", "0523-87000002", None],
            ["项目性质", "☑新建项目 □续建项目 □改建项目 □其他", None, None, None],
            ["项目建设目的和内容", "建设社区事务受理、网格服务和居民服务3个子系统。", None, None, None],
            ["项目起止时间", "启动时间：2024年3月", None, "完成时间：2024年12月", None],
            ["拟采用资金来源（万元）", "财政拨款", "自筹经费", "上级补助", "其他（需提供资金来源证明）"],
            [UP, "200", "", "100", ""],
            ["项目估算（万元）", "300", None, None, None],
        ]),
    ]
    build.write_docx(d / "附件 泰兴市政务信息化项目申报表.docx", form)
    build.write_docx(d / "泰兴市智慧社区综合服务平台项目可行性研究报告.docx", plan(TX_NAME, TX_REPORT, "可行性研究报告"))
    s = "概算表"
    rows: list[list] = [
        [f"{TX_NAME}概算表"] + [None] * 5,
        ["单位：元"] + [None] * 5,
        ["序号", "费用名称", "数量", "单价", "金额", "备注"],
        ["一", "应用软件开发费", None, None, F("=SUM(E5:E7)", 2400000.0), None],
        [1, "社区事务受理子系统", 1, 1000000, 1000000.0, None],
        [2, "网格服务子系统", 1, 800000, 800000.0, None],
        [3, "居民服务子系统", 1, 600000, 600000.0, None],
        ["二", "其他费用", None, None, F("=SUM(E9:E10)", 600000.0), None],
        [1, "监理费", 1, 200000, 200000.0, None],
        [2, "测评费", 1, 400000, 400000.0, None],
        ["合计", None, None, None, F("=E4+E8", 3000000.0), None],
    ]
    build.write_xlsx(d / "项目概算表.xlsx", {s: rows}, {s: ["A1:F1", "A2:F2", "A11:D11"]},
                     title_rows={s: [1, 2]}, header_rows={s: [3]}, table_ranges={s: "A3:F11"})
    rows2: list[list] = [
        ["序号", "名称", "数量", "单价", "金额"],
        [1, "社区事务受理子系统", 1, 1000000, 1000000],
        [2, "网格服务子系统", 1, 800000, 800000],
        [3, "居民服务子系统", 1, 600000, 600000],
        [4, "监理费", 1, 200000, 200000],
        [5, "测评费", 1, 400000, 400000],
        ["合计", None, None, None, 3000000],
    ]
    build.write_xlsx(d / "概算明细表.xlsx", {"明细": rows2}, {"明细": ["A7:D7"]})


# ---------------------------------------------------------------------------------------------
# 6. ca-cloud: a 政务云需求方案 with gaps, a public portal in the wrong zone, a 私有云 line

CLOUD_NAME = "南充市数字档案馆建设项目"
CLOUD_UNIT = "南充市档案馆"
CLOUD_OM_PLAN = "项目建成后每年运维经费36.00万元，运维服务期限3年（2025年1月至2027年12月）。"
CLOUD_UNSECURED = "资金来源：部分资金尚未落实。"
CLOUD_VMS = [
    ["1", "应用服务器", "电子政务外网区", "8", "16", "200", "2"],
    ["2", "数据库服务器", "政务外网区", "16", "64", "", "2"],
    ["3", "公众档案查询门户服务器", "电子政务外网区", "4", "8", "100", "2"],
    ["4", "互联网前置服务器", "互联网区", "4", "8", "100", "1"],
    ["5", "缓存服务器", "", "4", "16", "100", "1"],
    ["6", "消息队列服务器", "DMZ区", "4", "8", "100", "1"],
    ["7", "私有云平台扩容", "电子政务外网区", "", "", "", "1"],
]
CLOUD_VM_COUNT = 9  # rows 1–6


def cloud(out: Path) -> None:
    d = out / "ca-cloud"
    build.write_docx(d / "01_南充市市级政务信息化项目备案审查表.docx", nanchong_form(
        CLOUD_NAME, CLOUD_UNIT, "建设档案接收、管理、利用和长期保存4个子系统，实现馆藏档案数字化利用。",
        "200.00万元", "30.00万元/年", "市本级财政资金200.00万元"))
    build.write_docx(d / "02_南充市数字档案馆建设项目实施方案.docx", plan(CLOUD_NAME, [
        "本项目总投资200.00万元，全部由市本级财政资金安排。", CLOUD_OM_PLAN, CLOUD_UNSECURED,
    ]))
    build.write_docx(d / "03_政务云需求方案.docx", [
        ("title", f"{CLOUD_NAME}政务云需求方案"),
        ("h1", "一、项目概况"),
        ("p", "本项目全部应用部署于市级政务云。"),
        ("h1", "二、计算资源需求"),
        ("table", [["序号", "服务器用途", "部署区域", "vCPU（核）", "内存（GB）", "数据盘（GB）", "数量（台）"],
                   *CLOUD_VMS, ["合计", None, None, None, None, None, str(CLOUD_VM_COUNT)]]),
        ("h1", "三、网络与存储资源需求"),
        ("table", [["序号", "资源类型", "部署区域", "规格", "数量"],
                   ["1", "互联网带宽", "互联网区", "20Mbps", "1"],
                   ["2", "对象存储", "电子政务外网区", "10TB", "1"]]),
        ("h1", "四、安全服务需求"),
        ("table", [["序号", "安全服务", "部署区域", "说明"],
                   ["1", "云WAF", "互联网区", "Web应用防护"],
                   ["2", "日志审计", "全部区域", "日志留存不少于6个月"]]),
    ])
    s = "概算表"
    rows: list[list] = [
        [f"{CLOUD_NAME}概算表"] + [None] * 5,
        ["单位：万元"] + [None] * 5,
        ["序号", "费用名称", "建设内容及规格", "数量", "金额", "备注"],
        ["一", "应用软件开发费", None, None, 150.0, None],
        [1, "档案管理子系统", "", 1, 150.0, None],
        ["二", "政务云资源租用费", None, None, 30.0, None],
        [1, "市级政务云计算、存储资源", "10台云主机、10TB对象存储", 1, 30.0, "按政务云服务目录单价"],
        ["三", "其他费用", None, None, 20.0, None],
        [1, "监理及测评费", "", 1, 20.0, None],
        ["合计", None, None, None, 200.0, None],
    ]
    build.write_xlsx(d / "04_项目概算表.xlsx", {s: rows}, {s: ["A1:F1", "A2:F2", "A10:D10"]},
                     title_rows={s: [1, 2]}, header_rows={s: [3]}, table_ranges={s: "A3:F10"})


# ---------------------------------------------------------------------------------------------
# 7. ca-cloud-prose: a plan without a resource table — one without specifications, one with them

PROSE_BARE = "本项目申请云主机4台，部署于电子政务外网区。"
PROSE_SPECS = ("本项目申请云主机4台，部署于电子政务外网区：应用服务器2台，每台8核16G、数据盘200G；数据库服务器2台，"
               "每台16核64G、数据盘1000G。电子政务外网带宽50Mbps。")


def cloud_prose(out: Path) -> None:
    d = out / "ca-cloud-prose"
    build.write_md(d / "政务云需求方案.md", f"# 南充市社区矫正管理平台政务云需求方案\n\n## 一、资源需求\n\n{PROSE_BARE}\n")
    build.write_md(d / "政务云资源需求补充说明.md",
                   f"# 南充市社区矫正管理平台政务云资源需求补充说明\n\n## 一、资源需求\n\n{PROSE_SPECS}\n")


def main() -> int:
    if OUT.exists():
        shutil.rmtree(OUT)
    for make in (catalog_rows, catalog_columns, catalog_empty, money, money_taixing, cloud, cloud_prose):
        make(OUT)
    total = sum(f.stat().st_size for f in OUT.rglob("*") if f.is_file())
    print(f"wrote {sum(1 for f in OUT.rglob('*') if f.is_file())} files, {total / 1024:.0f} KiB, in {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
