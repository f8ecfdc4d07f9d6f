"""Shared templates: the Nanchong 备案审查表, 政务信息资源目录, 项目概算表, 政务云需求方案, 等级保护方案 and
密码应用方案. Each takes a ``Proj`` so the amounts, names and levels agree across a package."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from build import UP, F

CN_LEVEL = {1: "第一级", 2: "第二级", 3: "第三级", 4: "第四级"}


def money(v: Decimal | float | str) -> str:
    """1,234.56 (万元 figures as printed in reports)."""
    return f"{Decimal(str(v)):,.2f}"


def paras(*texts: str) -> list[tuple]:
    return [("p", t) for t in texts]


@dataclass
class VM:
    role: str
    zone: str
    vcpu: int
    mem: int
    sysdisk: int
    datadisk: int
    os: str
    qty: int


@dataclass
class Proj:
    name: str
    system: str
    unit: str
    unit_short: str
    contact: str
    phone: str
    leader: str
    leader_phone: str
    total: Decimal
    om: Decimal
    funding: str
    editor: str
    date: str
    start: str
    end: str
    tasks: str
    basis: str
    perf: list[tuple[str, str, str, str]]
    mode_reason: str
    mode: str = "自行建设"
    ptype: str = "新建"
    level: int = 3
    city: str = "南充市"
    local_rule: str = "《南充市市级政务信息化项目管理办法（试行）》（南府办发〔2023〕14号）"
    vms: list[VM] = field(default_factory=list)
    bw_gov: int = 100
    bw_net: int = 20
    object_storage_tb: int = 0
    cloud_fee: Decimal = Decimal("0")
    users_total: int = 1000
    users_concurrent: int = 200
    data_gb_year: int = 500
    protection_fee: Decimal = Decimal("15")
    crypto_eval_fee: Decimal = Decimal("18")
    crypto_service_fee: Decimal = Decimal("12")
    security_service_fee: Decimal = Decimal("20")
    internet_facing: bool = True
    goal: str = ""  # 总体目标 sentence for the form
    business: str = ""  # one sentence: what the system does, used in security documents
    data_kinds: str = ""  # important data handled, used in security documents


# ---------------------------------------------------------------------------------------------
# 南充市市级政务信息化项目备案审查表 (南信办〔2023〕2号 附件)

def perf_text(p: Proj) -> str:
    lines = [f"总体目标：{p.goal}"]
    groups: dict[str, list[str]] = {}
    for first, second, name, value in p.perf:
        groups.setdefault(f"{first}—{second}", []).append(f"{name}{value}")
    for n, (k, items) in enumerate(groups.items(), start=1):
        lines.append(f"{n}.{k}：" + "；".join(items) + "。")
    return "\n".join(lines)


def nanchong_form(p: Proj, *, phone: bool = True, om_text: str | None = None,
                  channel: str | None = None, total_text: str | None = None,
                  mode_text: str | None = None) -> list[tuple]:
    rows = [
        ["项目名称", p.name, None, None],
        ["项目单位", p.unit, None, None],
        ["项目联系人", p.contact, "联系电话", p.phone if phone else ""],
        ["主要任务", p.tasks, None, None],
        ["建设依据和必要性", p.basis, None, None],
        ["项目绩效目标", perf_text(p), None, None],
        ["拟采用实施方式", mode_text or f"{p.mode}。{p.mode_reason}", None, None],
        ["投资额度", total_text or f"{money(p.total)}万元", None, None],
        ["运维经费", om_text or f"{money(p.om)}万元/年（建成后质保期满起，纳入部门预算）", None, None],
        ["经费渠道", channel or p.funding, None, None],
        ["信息安全审查意见", "市委网信办初审意见：", None, None],
        [UP, "市密码管理局初审意见：", None, None],
        [UP, "市公安局初审意见：", None, None],
        ["技术审查意见", "市政府办公室初审意见：", None, None],
        ["资金审查意见", "市财政局初审意见：", None, None],
        ["领导小组办公室初审意见", "", None, None],
        ["领导小组集中审查意见", "", None, None],
    ]
    return [
        ("title", "南充市市级政务信息化项目备案审查表"),
        ("p", f"填报单位（盖章）：{p.unit}　　　　填报日期：{p.date}"),
        ("table", rows),
        ("p", "备注：如审查意见较多可另附页。"),
    ]


# ---------------------------------------------------------------------------------------------
# 政务信息资源目录 (.xlsx): title row, two-row merged header, notes below

CATALOG_HEADER_1 = ["序号", "信息资源分类", "信息资源名称", "责任方", "信息资源格式", None, "属性", "信息项",
                    "更新周期", "共享属性", None, None, "使用要求", "开放属性", None]
CATALOG_HEADER_2 = [None, None, None, None, "格式分类", "格式类型", None, None, None, "共享类型", "共享条件",
                    "共享方式", None, "开放类型", "开放条件"]
CATALOG_MERGES = ["A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:F2", "G2:G3", "H2:H3", "I2:I3", "J2:L2", "M2:M3",
                  "N2:O2"]


def catalog_sheets(p: Proj, entries: list[tuple], *, sheet: str = "信息资源目录",
                   title: str | None = None) -> tuple[dict, dict, dict]:
    """entries: (分类, 名称, 责任方, 格式分类, 格式类型, 属性, 信息项, 更新周期, 共享类型, 共享条件, 共享方式,
    使用要求, 开放类型, 开放条件)."""
    rows: list[list] = [[title or f"{p.name}政务信息资源目录"] + [None] * 14,
                        list(CATALOG_HEADER_1), list(CATALOG_HEADER_2)]
    for n, e in enumerate(entries, start=1):
        rows.append([n, *e])
    rows.append([])
    rows.append(["填报说明：1.共享类型分为无条件共享、有条件共享、不予共享，有条件共享须填写共享条件，不予共享须注明法律法规或"
                 "国家政策依据；2.共享方式分为共享平台方式（接口、数据库、文件）和其他方式；3.更新周期填写实时、每日、每周、"
                 "每月、每季度、每半年、每年或不定期。"])
    rows.append([f"填报单位（盖章）：{p.unit}", None, None, None, None, None, None, f"填报人：{p.contact}", None,
                 None, f"联系电话：{p.phone}"])
    last = 3 + len(entries)
    merges = {sheet: ["A1:O1", *CATALOG_MERGES, f"A{last + 2}:O{last + 2}"]}
    extras = {"title_rows": {sheet: [1]}, "header_rows": {sheet: [2, 3]},
              "table_ranges": {sheet: f"A2:O{last}"},
              "col_widths": {sheet: [6, 16, 20, 16, 10, 10, 12, 40, 9, 11, 30, 18, 26, 10, 24]}}
    return {sheet: rows}, merges, extras


# ---------------------------------------------------------------------------------------------
# 项目概算表 (.xlsx)

@dataclass
class Line:
    name: str
    spec: str
    unit: str
    qty: float
    price: Decimal
    note: str = ""

    @property
    def amount(self) -> Decimal:
        return (Decimal(str(self.qty)) * self.price).quantize(Decimal("0.01"))


@dataclass
class Category:
    no: str
    name: str
    lines: list[Line]
    note: str = ""

    @property
    def amount(self) -> Decimal:
        return sum((ln.amount for ln in self.lines), Decimal("0"))


def budget_subtotal(cats: list[Category]) -> Decimal:
    return sum((c.amount for c in cats), Decimal("0"))


def budget_sheets(p: Proj, cats: list[Category], reserve: Decimal | None, *,
                  hard_total: Decimal | None = None, funding_rows: list[tuple[str, Decimal, str]] | None = None,
                  title: str | None = None, province: str = "四川省") -> tuple[dict, dict, dict]:
    """概算表 with category rows carrying SUM formulas (with cached values, as Excel saves them).

    ``hard_total`` replaces the final 合计/总计 formula by a typed number (a planted fault)."""
    sheet = "概算表"
    rows: list[list] = [[title or f"{p.name}项目概算表"] + [None] * 7,
                        [f"编制单位：{p.unit}", None, None, None, None, None, "单位：万元", None],
                        ["序号", "费用名称", "建设内容及规格", "单位", "数量", "单价（万元）", "金额（万元）",
                         "计算依据及备注"]]
    cat_rows: list[int] = []
    for c in cats:
        r0 = len(rows) + 1
        cat_rows.append(r0)
        first, last = r0 + 1, r0 + len(c.lines)
        rows.append([c.no, c.name, None, None, None, None, F(f"=SUM(G{first}:G{last})", float(c.amount)),
                     c.note])
        for i, ln in enumerate(c.lines, start=1):
            r = len(rows) + 1
            rows.append([i, ln.name, ln.spec, ln.unit, ln.qty, float(ln.price),
                         F(f"=E{r}*F{r}", float(ln.amount)), ln.note])
    sub = budget_subtotal(cats)
    sum_formula = "=" + "+".join(f"G{r}" for r in cat_rows)
    merges = ["A1:H1", "A2:F2", "G2:H2"]
    if reserve is None:
        r = len(rows) + 1
        rows.append(["合计", None, None, None, None, None,
                     float(hard_total) if hard_total is not None else F(sum_formula, float(sub)), ""])
        merges.append(f"A{r}:F{r}")
    else:
        r_sub = len(rows) + 1
        rows.append(["合计", None, None, None, None, None, F(sum_formula, float(sub)), "一至各项费用之和"])
        r_res = r_sub + 1
        rows.append(["预备费", None, None, None, None, None, float(reserve),
                     f"按合计的{(reserve / sub * 100):.1f}%计取"])
        r_tot = r_res + 1
        total = sub + reserve
        rows.append(["总计", None, None, None, None, None,
                     float(hard_total) if hard_total is not None else F(f"=G{r_sub}+G{r_res}", float(total)),
                     "项目总投资"])
        merges += [f"A{r_sub}:F{r_sub}", f"A{r_res}:F{r_res}", f"A{r_tot}:F{r_tot}"]
    last_table = len(rows)
    rows.append([])
    rows.append([f"注：1.应用软件开发费按功能点法测算，人月单价参照{province}软件开发造价行业指导价；2.政务云资源租用费按"
                 "市级政务云服务目录单价计算建设期费用，运行期费用纳入运维经费；3.本表金额均为含税价。"])
    merges.append(f"A{len(rows)}:H{len(rows)}")
    sheets = {sheet: rows}
    all_merges = {sheet: merges}
    extras = {"title_rows": {sheet: [1]}, "header_rows": {sheet: [3]},
              "table_ranges": {sheet: f"A3:H{last_table}"},
              "col_widths": {sheet: [7, 30, 40, 7, 7, 12, 13, 34]}}
    if funding_rows:
        fs = "资金来源"
        total = sum((a for _, a, _ in funding_rows), Decimal("0"))
        frows: list[list] = [[f"{p.name}资金来源表"] + [None] * 4,
                             ["序号", "资金来源", "金额（万元）", "占比", "说明"]]
        for i, (src, amt, note) in enumerate(funding_rows, start=1):
            frows.append([i, src, float(amt), f"{(amt / total * 100):.1f}%" if total else "", note])
        n = len(frows)
        frows.append(["合计", None, F(f"=SUM(C3:C{n})", float(total)), "100.0%", ""])
        sheets[fs] = frows
        all_merges[fs] = ["A1:E1", f"A{n + 1}:B{n + 1}"]
        extras["title_rows"][fs] = [1]
        extras["col_widths"][fs] = [7, 20, 14, 9, 46]
    return sheets, all_merges, extras


# ---------------------------------------------------------------------------------------------
# 政务云需求方案 (.docx)

def cloud_totals(p: Proj) -> dict[str, int]:
    t = {"vcpu": 0, "mem": 0, "sys": 0, "data": 0, "n": 0}
    for v in p.vms:
        t["vcpu"] += v.vcpu * v.qty
        t["mem"] += v.mem * v.qty
        t["sys"] += v.sysdisk * v.qty
        t["data"] += v.datadisk * v.qty
        t["n"] += v.qty
    return t


def cloud_plan_spec(p: Proj, *, sizing: bool = True, extra_intro: list[tuple] | None = None,
                    deploy_text: str | None = None) -> list[tuple]:
    t = cloud_totals(p)
    table = [["序号", "服务器用途", "部署区域", "vCPU（核）", "内存（GB）", "系统盘（GB）", "数据盘（GB）", "操作系统",
              "数量（台）"]]
    for i, v in enumerate(p.vms, start=1):
        table.append([str(i), v.role, v.zone, str(v.vcpu), str(v.mem), str(v.sysdisk), str(v.datadisk), v.os,
                      str(v.qty)])
    table.append(["合计", None, None, str(t["vcpu"]), str(t["mem"]), str(t["sys"]), str(t["data"]), "—",
                  str(t["n"])])
    net = [["序号", "资源类型", "部署区域", "规格", "数量", "用途"],
           ["1", "电子政务外网带宽", "电子政务外网区", f"{p.bw_gov}Mbps", "1", "与市级部门、区县及数据共享交换平台互联"]]
    if p.internet_facing:
        net += [["2", "互联网带宽", "互联网区", f"{p.bw_net}Mbps", "1", "面向公众的查询、上报服务"],
                ["3", "互联网公网IP", "互联网区", "IPv4/IPv6双栈", "2", "对外服务地址"]]
    if p.object_storage_tb:
        net.append([str(len(net)), "对象存储", "电子政务外网区", f"{p.object_storage_tb}TB", "1",
                    "图片、视频片段等非结构化数据存储"])
    sec = [["序号", "安全服务", "规格", "部署区域", "说明"],
           ["1", "云防火墙", "按实例", "电子政务外网区/互联网区", "区域边界访问控制"],
           ["2", "云WAF", "1个域名", "互联网区", "Web应用攻击防护"],
           ["3", "主机安全", f"{t['n']}个实例", "全部区域", "主机入侵检测、漏洞与基线核查"],
           ["4", "云数据库审计", "2个实例", "电子政务外网区", "数据库操作审计"],
           ["5", "日志审计", "1套", "全部区域", "日志集中留存不少于6个月"],
           ["6", "云堡垒机", "1套", "电子政务外网区", "运维操作统一入口与审计"],
           ["7", "云密码服务", "1套", "电子政务外网区", "由政务云密码资源池提供SM2/SM3/SM4密码服务"]]
    spec: list[tuple] = [
        ("title", f"{p.name}政务云需求方案"),
        ("p", f"编制单位：{p.unit}　　编制日期：{p.date}"),
        ("h1", "一、项目概况"),
        *paras(
            f"{p.name}（以下简称“本项目”）由{p.unit}负责建设，建设方式为{p.mode}，项目类型为{p.ptype}，"
            f"总投资{money(p.total)}万元，建设周期为{p.start}至{p.end}。项目联系人：{p.contact}，联系电话：{p.phone}。",
            p.business + (deploy_text or "本项目按照《南充市市级政务信息化项目管理办法（试行）》第六条“依托市级政务云"
                          "开展集约化建设”的要求，全部应用和数据部署于市级政务云，计算、存储、网络和安全资源向市级政务云"
                          "申请，不新建机房，不采购服务器、存储设备等硬件设施。"),
        ),
        *(extra_intro or []),
        ("h1", "二、部署架构"),
        *paras(
            "本项目采用“外网区处理业务、互联网区只做前置”的部署架构。业务应用、数据库、数据共享接口等核心组件部署在市级"
            "政务云电子政务外网区，通过电子政务外网与市级数据共享交换平台、一体化政务服务平台和各协同部门互联；面向公众"
            "的查询、上报等前置服务部署在互联网区，只保存必要的缓存数据，经网闸单向摆渡或安全隔离交换后进入外网区。",
            "应用层采用微服务架构，按子系统划分服务，服务实例无状态化部署，支持横向扩展；数据库采用国产数据库主备部署，"
            "主库承担读写，备库实时同步并承担报表查询；非结构化数据使用政务云对象存储，避免在云主机数据盘中存放大量文件。",
            "全部云主机使用国产操作系统镜像，中间件、数据库均选用列入安全可靠测评结果的国产产品，由政务云运营方统一提供"
            "镜像和基础运维，项目单位负责应用层运维。",
        ),
        ("h1", "三、计算与存储资源需求"),
        *paras("本项目申请的云主机资源如下表所示，数量和规格按第五部分的测算依据确定，试运行期间根据实际负载可进行一次调整。"),
        ("table", table),
        *paras(
            f"合计申请云主机{t['n']}台，vCPU共{t['vcpu']}核，内存共{t['mem']}GB，系统盘共{t['sys']}GB，数据盘共"
            f"{t['data']}GB。" + (f"另申请对象存储{p.object_storage_tb}TB。" if p.object_storage_tb else ""),
        ),
        ("h1", "四、网络与安全服务需求"),
        *paras("网络资源需求如下表。电子政务外网区与互联网区之间的访问通过政务云提供的安全隔离交换服务实现，不单独开通互联网出口。"),
        ("table", net),
        *paras(f"按照网络安全等级保护{CN_LEVEL[p.level]}要求，本项目向政务云申请以下安全服务，与政务云平台已有的安全能力"
               "共同构成“一个中心、三重防护”的安全体系。"),
        ("table", sec),
    ]
    if sizing:
        spec += cloud_sizing(p)
    spec += [
        ("h1", "六、资源使用与管理承诺"),
        *paras(
            "项目单位承诺：本项目不在政务云上处理、存储涉及国家秘密的信息；按照“谁使用、谁负责”的原则落实云上应用的"
            "安全责任；按季度核查云资源使用率，CPU平均使用率连续三个月低于15%的资源主动申请缩减，项目终止或系统下线时"
            "及时申请释放资源。",
            "运行期云资源费用按照市级政务云服务目录单价计算，纳入本项目运维经费，由市本级财政在部门预算中统筹安排。",
        ),
    ]
    return spec


def cloud_sizing(p: Proj) -> list[tuple]:
    t = cloud_totals(p)
    per_user_tpm = 6
    peak = Decimal("1.5")
    tpmc = int(p.users_concurrent * per_user_tpm * 4 * peak / Decimal("0.7"))
    mem_db = 16 + p.users_concurrent * 2 // 64
    storage = p.data_gb_year * 5 * 2
    return [
        ("h1", "五、资源测算依据"),
        *paras(
            f"（一）用户规模。本项目注册用户约{p.users_total}人，按业务高峰时段在线率及操作频度估算，峰值并发用户数取"
            f"{p.users_concurrent}个。",
            f"（二）计算资源。参照通用的tpmC估算方法：tpmC＝并发用户数×每用户每分钟请求数×每请求平均事务数×峰值系数÷"
            f"（1－CPU冗余30%）。取每用户每分钟请求{per_user_tpm}次、每请求平均事务4个、峰值系数{peak}，得到"
            f"tpmC≈{tpmc:,}。按政务云通用型云主机单核约{max(tpmc // max(t['vcpu'], 1), 1):,}tpmC的折算能力并考虑"
            f"应用、数据库分离部署，共需vCPU约{t['vcpu']}核。",
            f"（三）内存资源。内存＝（操作系统＋中间件或数据库＋并发连接数×单连接内存）÷（1－15%）。数据库节点按"
            f"{mem_db}GB基础需求放大后取整，应用节点每台按32GB以内配置，合计内存{t['mem']}GB。",
            f"（四）存储资源。结构化数据年增量约{p.data_gb_year}GB，按保存5年、主备两份计算，约需{storage:,}GB；加上"
            f"日志、索引和临时文件余量，数据盘合计{t['data']}GB。"
            + (f"图片、视频片段等非结构化数据按年增量约4TB、保存5年测算，申请对象存储{p.object_storage_tb}TB。"
               if p.object_storage_tb else ""),
            f"（五）网络带宽。电子政务外网带宽按并发用户数×单用户平均流量（约0.4Mbps）估算为{p.bw_gov}Mbps；"
            + (f"互联网带宽按公众服务峰值访问量估算为{p.bw_net}Mbps。" if p.internet_facing else "本项目不开放互联网访问。"),
        ),
    ]


# ---------------------------------------------------------------------------------------------
# 等级保护方案 (.docx)

def protection_plan_spec(p: Proj, *, level_override: int | None = None, filing: bool = True,
                         yearly_test: bool = True, deploy_text: str | None = None,
                         physical_text: str | None = None) -> list[tuple]:
    lv = level_override or p.level
    L = CN_LEVEL[lv]
    t = cloud_totals(p)
    spec: list[tuple] = [
        ("title", f"{p.name}网络安全等级保护方案"),
        ("p", f"编制单位：{p.unit}　　编制日期：{p.date}"),
        ("h1", "1. 项目概述"),
        ("h2", "1.1 系统概况"),
        *paras(
            f"{p.system}（以下简称“本系统”）由{p.unit}负责建设和运营。{p.business}",
            deploy_text or (
                f"本系统部署于市级政务云，共使用云主机{t['n']}台，核心业务和数据位于电子政务外网区"
                + ("，面向公众的前置服务位于互联网区。" if p.internet_facing else "，不提供互联网访问。")
                + "物理机房、云平台基础设施由政务云运营方负责，本方案覆盖本系统在云上的租户侧安全。"),
            f"本系统处理的数据主要包括{p.data_kinds}。其中涉及个人信息的字段在存储和传输中采取加密保护，对外共享时"
            "按照最小必要原则脱敏。",
        ),
        ("h2", "1.2 编制依据"),
        *paras(
            "《中华人民共和国网络安全法》《中华人民共和国数据安全法》《中华人民共和国个人信息保护法》；",
            "《信息安全等级保护管理办法》（公通字〔2007〕43号）；",
            "GB/T 22239-2019《信息安全技术 网络安全等级保护基本要求》、GB/T 22240-2020《信息安全技术 网络安全等级"
            "保护定级指南》、GB/T 25070-2019《信息安全技术 网络安全等级保护安全设计技术要求》、GB/T 28448-2019"
            "《信息安全技术 网络安全等级保护测评要求》；",
            f"{p.local_rule}。",
        ),
        ("h1", "2. 定级对象与定级结果"),
        ("h2", "2.1 定级对象"),
        *paras(f"本次定级对象为{p.system}，包括其应用系统、数据库、数据共享接口及运行所依托的云上租户资源。定级对象"
               "具有确定的主要安全责任主体，承载相对独立的业务应用，由多个资源通过网络互联组成，符合定级对象的确定条件。"),
        ("h2", "2.2 定级依据"),
        *paras(
            "依据GB/T 22240-2020，分别确定业务信息安全保护等级和系统服务安全保护等级，取二者中的较高者为定级对象的"
            "安全保护等级。",
            f"业务信息安全：本系统存储{p.data_kinds}，一旦被篡改或泄露，受侵害的客体为社会秩序和公共利益，侵害程度为"
            f"{'严重损害' if lv >= 3 else '一般损害'}，业务信息安全保护等级为{L}。",
            f"系统服务安全：本系统中断将影响全市相关业务的正常开展，受侵害的客体为社会秩序和公共利益，侵害程度为"
            f"{'严重损害' if lv >= 3 else '一般损害'}，系统服务安全保护等级为{L}。",
        ),
        ("table", [["定级对象", "业务信息安全保护等级", "系统服务安全保护等级", "安全保护等级"],
                   [p.system, L, L, L]]),
        ("h2", "2.3 定级结果"),
        *paras(f"综合以上分析，本系统安全保护等级确定为{L}。定级结果将组织专家评审，经主管部门审核后报公安机关备案。"),
    ]
    if filing:
        spec += [
            ("h1", "3. 备案"),
            *paras(
                f"本系统新建完成、投入运行之日起30日内，由{p.unit}持《信息系统安全等级保护备案表》及系统拓扑结构及说明、"
                f"安全组织机构和管理制度、安全保护设施设计实施方案、安全产品清单、定级专家评审意见等材料，向{p.city}公安局"
                "网络安全保卫部门办理备案，取得备案证明后将备案编号报项目主管部门备查。",
            ),
        ]
    else:
        spec += [("h1", "3. 定级评审"), *paras("定级结果将组织专家评审，并报主管部门审核。")]
    spec += [
        ("h1", "4. 安全技术方案"),
        ("h2", "4.1 安全物理环境"),
        *paras(physical_text or ("本系统部署于市级政务云，安全物理环境由政务云运营方负责建设和运维，本系统不涉及"
                                 "自建机房，直接继承政务云平台的物理安全测评结论。")),
        ("h2", "4.2 安全通信网络"),
        *paras("电子政务外网区与互联网区之间通过政务云安全隔离交换服务连接；系统内部按应用、数据库、管理划分安全组；"
               "用户访问和接口调用全部采用基于SM2/SM4的国密SSL通道，保证通信过程中数据的完整性和保密性。"),
        ("h2", "4.3 安全区域边界"),
        *paras("在区域边界部署云防火墙和云WAF，仅开放业务必需的端口；启用入侵防范和恶意代码防范策略；边界访问日志接入"
               "日志审计，集中留存不少于6个月。"),
        ("h2", "4.4 安全计算环境"),
        *paras("云主机统一使用国产操作系统安全基线镜像，关闭不必要的服务和端口；启用主机安全服务进行入侵检测、漏洞扫描和"
               "基线核查；数据库开启审计，对重要数据实施存储加密；应用系统采用“用户名口令＋数字证书”双因素身份鉴别，"
               "管理员权限与审计员权限分离。"),
        ("h2", "4.5 安全管理中心"),
        *paras("依托政务云安全运营中心，结合本项目申请的日志审计、云堡垒机服务，实现系统管理、审计管理和安全管理的集中"
               "管控，安全事件统一告警、统一处置。"),
        ("h1", "5. 安全管理方案"),
        *paras(
            f"{p.unit}成立由分管负责人任组长的网络安全工作领导小组，明确网络安全管理员、系统管理员、审计管理员岗位，"
            "关键岗位人员签订保密协议。",
            "制定网络安全管理制度、数据安全管理制度、运维操作规程、应急预案等制度文件，每年至少组织一次应急演练；"
            "对第三方运维服务商实施准入、过程监督和离场管理，运维操作全部经堡垒机进行并留存记录。",
        ),
        ("h1", "6. 等级测评与整改"),
    ]
    if yearly_test:
        spec += paras(
            f"系统上线试运行前，委托具备资质的等级测评机构按照{L}要求开展首次等级测评，对测评发现的问题限期整改；"
            f"运行期间每年至少开展一次等级测评，测评报告报公安机关备案。",
            f"等级测评费用{money(p.protection_fee)}万元已列入项目概算，后续年度测评费用纳入运维经费。",
        )
    else:
        spec += paras("系统上线前委托测评机构开展等级测评，测评发现的问题限期整改。")
    spec += [
        ("h1", "7. 安全产品与服务清单"),
        ("table", [["序号", "名称", "来源", "说明"],
                   ["1", "云防火墙、云WAF", "政务云安全服务", "按年订购"],
                   ["2", "主机安全、云数据库审计", "政务云安全服务", "按实例订购"],
                   ["3", "日志审计、云堡垒机", "政务云安全服务", "按年订购"],
                   ["4", "云密码服务（签名验签、密钥管理）", "政务云密码资源池", "商用密码产品认证"],
                   ["5", "等级测评服务", "公开采购", f"{L}测评"]]),
    ]
    return spec


# ---------------------------------------------------------------------------------------------
# 密码应用方案 (PDF or DOCX)

def crypto_plan_spec(p: Proj, *, weak: bool = False, with_eval: bool = True,
                     management: bool = True) -> list[tuple]:
    L = CN_LEVEL[p.level]
    app_data = [
        "身份鉴别：用户登录采用基于SM2数字证书的身份鉴别，证书由依法设立的电子认证服务机构签发；移动端通过统一移动"
        "门户的统一身份认证获取令牌，令牌采用SM2签名、SM3杂凑保护其真实性和完整性。",
        "重要数据传输机密性和完整性：应用与数据库、应用与数据共享交换平台之间的数据传输采用国密SSL协议（SM2密钥交换、"
        "SM4加密、SM3完整性校验）。",
        "重要数据存储机密性：个人身份证件号码、联系电话、住址等个人信息字段采用SM4算法加密存储，密钥由云密码服务的"
        "密钥管理系统统一管理，应用只持有密钥标识。",
        "重要数据存储完整性：审批结果、案件处置记录等重要业务数据采用HMAC-SM3计算校验值，读取时验证完整性。",
        "不可否认性：对需要留痕的审批、签收操作使用SM2数字签名，签名值与业务数据一并存储。",
    ]
    if weak:
        app_data[2] = ("重要数据存储机密性：用户口令采用MD5算法加盐后存储，历史移动端接口的报文完整性校验沿用SHA-1算法；"
                       "个人身份证件号码等字段采用SM4算法加密存储。")
    spec: list[tuple] = [
        ("title", f"{p.name}商用密码应用方案"),
        ("center", p.unit),
        ("center", p.date),
        ("pagebreak",),
        ("h1", "第一章 项目概述"),
        ("h2", "1.1 系统基本情况"),
        *paras(
            f"{p.system}由{p.unit}建设，总投资{money(p.total)}万元，部署于市级政务云。{p.business}",
            f"本系统网络安全保护等级为{L}，依据GB/T 39786-2021《信息安全技术 信息系统密码应用基本要求》，密码应用"
            f"等级同样确定为{L}。",
        ),
        ("h2", "1.2 编制依据"),
        *paras(
            "《中华人民共和国密码法》《商用密码管理条例》；GB/T 39786-2021《信息安全技术 信息系统密码应用基本要求》；"
            "GB/T 43207-2023《信息安全技术 信息系统密码应用设计指南》；《商用密码应用安全性评估管理办法》；"
            f"{p.local_rule}。",
        ),
        ("h1", "第二章 密码应用需求分析"),
    ]
    if weak:
        spec += paras(
            "现状方面，原系统使用的MD5算法将替换为SM3，原有基于国外算法的传输加密将统一改造为国密SSL。",
        )
    spec += paras(
        f"本系统承载的重要数据包括{p.data_kinds}。这些数据一旦泄露或被篡改，将损害公民合法权益和政府公信力，"
        "需要在传输、存储和使用环节采用商用密码技术保障其机密性、完整性，并对关键操作实现不可否认。",
        "风险分析表明，本系统面临的主要密码相关风险包括：用户身份被冒用、通信数据被窃听或篡改、数据库中个人信息泄露、"
        "运维通道被劫持、日志被篡改以掩盖攻击行为等，均需在方案中逐项采取密码保护措施。",
    )
    spec += [
        ("h1", "第三章 密码应用技术方案"),
        ("h2", "3.1 总体架构"),
        *paras("本系统不单独采购密码设备，统一调用市级政务云密码资源池提供的云服务器密码机、签名验签、密钥管理、"
               "SSL VPN等服务，密码服务均使用SM2、SM3、SM4算法，相关产品均取得商用密码产品认证证书。"),
        ("h2", "3.2 物理和环境安全"),
        *paras("本系统运行于市级政务云机房，物理和环境层面的身份鉴别、电子门禁记录和视频监控记录完整性保护由政务云"
               "运营方负责，本方案直接引用政务云平台密码应用安全性评估结论。"),
        ("h2", "3.3 网络和通信安全"),
        *paras("用户与系统之间、系统与外部平台之间的通信采用国密SSL协议，通信双方基于SM2证书进行身份鉴别，通信数据采用"
               "SM4加密、SM3校验；运维人员通过政务云SSL VPN接入，实现安全接入认证。"),
        ("h2", "3.4 设备和计算安全"),
        *paras("云主机和数据库的管理员登录采用“口令＋SM2数字证书”方式鉴别身份，远程管理通道经云堡垒机和SSL VPN建立；"
               "系统资源访问控制信息、日志记录和重要可执行程序采用SM3进行完整性保护。"),
        ("h2", "3.5 应用和数据安全"),
        *paras(*app_data),
        ("h2", "3.6 密钥管理"),
        *paras("密钥的生成、存储、分发、导入导出、使用、备份恢复、归档和销毁全部在云密码资源池的密钥管理系统中完成；"
               "数据加密密钥按年更换，更换时对存量数据进行重加密；应用配置文件中不出现明文密钥。"),
    ]
    if management:
        spec += [
            ("h1", "第四章 密码应用管理方案"),
            ("h2", "4.1 管理制度"),
            *paras("制定密码应用安全管理制度、密钥管理规则和密码设备（服务）操作规程，明确制度的发布、修订和执行记录留存要求。"),
            ("h2", "4.2 人员管理"),
            *paras("设立密钥管理员、密码操作员、密码安全审计员岗位，三者互相分离；相关人员上岗前接受密码法律法规和操作培训，"
                   "每年进行考核，调离时办理交接并签署保密承诺。"),
            ("h2", "4.3 建设运行"),
            *paras("按照本方案同步规划、同步建设、同步运行密码保障措施；系统投入运行前开展密码应用安全性评估，运行后每年"
                   "至少开展一次密评。"),
            ("h2", "4.4 应急处置"),
            *paras("制定密码应用应急预案，发生密钥泄露、密码服务中断等事件时立即启动预案，及时处置并向市密码管理局报告。"),
        ]
    spec += [("h1", "第五章 实施保障与密码应用安全性评估")]
    if with_eval:
        spec += paras(
            f"密码应用建设与应用系统开发同步实施，在系统上线前完成密码功能联调。上线试运行期间委托具有商用密码检测"
            f"机构资质的单位开展密码应用安全性评估（密评），评估结果在30日内报市密码管理局备案。密评费用"
            f"{money(p.crypto_eval_fee)}万元"
            + (f"、云密码服务费用{money(p.crypto_service_fee)}万元" if p.crypto_service_fee else "")
            + "已列入项目概算。",
        )
    else:
        spec += paras("密码应用建设与应用系统开发同步实施，在系统上线前完成密码功能联调。")
    spec += [
        ("h1", "第六章 安全与合规性分析"),
        *paras(f"对照GB/T 39786-2021{L}要求，本方案各层面的措施及符合情况如下表。"),
        ("table", [["层面", "测评指标", "要求", "采取的措施", "符合情况"],
                   ["物理和环境", "身份鉴别", "宜", "政务云门禁系统", "符合（继承）"],
                   ["网络和通信", "身份鉴别", "应", "国密SSL双向认证", "符合"],
                   ["网络和通信", "重要数据机密性", "应", "SM4加密", "符合"],
                   ["设备和计算", "身份鉴别", "应", "口令＋SM2证书", "符合"],
                   ["设备和计算", "远程管理通道安全", "应", "SSL VPN＋堡垒机", "符合"],
                   ["应用和数据", "身份鉴别", "应", "SM2数字证书", "符合"],
                   ["应用和数据", "重要数据传输机密性", "应", "国密SSL", "符合"],
                   ["应用和数据", "重要数据存储机密性", "应", "SM4字段加密", "符合" if not weak else "部分符合"],
                   ["应用和数据", "不可否认性", "宜", "SM2数字签名", "符合"]]),
        ("h2", "附表 密码产品与服务清单"),
        ("table", [["序号", "名称", "提供方式", "商用密码产品认证证书编号", "安全等级"],
                   ["1", "云服务器密码机", "政务云密码资源池", "GM003312220230517", "第二级"],
                   ["2", "签名验签服务器", "政务云密码资源池", "GM003312220220933", "第二级"],
                   ["3", "SSL VPN安全网关", "政务云密码资源池", "GM003312220211208", "第二级"],
                   ["4", "密钥管理系统", "政务云密码资源池", "GM003312220230241", "第二级"]]),
    ]
    return spec
