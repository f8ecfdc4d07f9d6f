"""政务云需求方案: the resource list (zone, vCPU, memory, storage, bandwidth per line), the sizing basis,
internet-facing parts in the internet zone, totals that agree with the budget sheet, and no 自建机房 /
私有云 among the resources.

Zones are pack data (`[settings] cloud-zones`, `cloud-internet-zones`). A resource list is any table of
the plan whose header names at least two of 区域 / vCPU / 内存 / 存储 / 带宽 / 数量.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from ..model import Cell, Diagnostic, Document, Location
from ..money import find_amounts, fmt_num, fmt_wan, leading_number, same_amount
from ..rule import Context, Rule, check_kind
from ..sentences import regex
from ..tables import Row, TableView, clean, find_tables, is_blank
from .budget import budgets
from .common import check_regex, check_str_list, check_type, fill, pack_setting, param_validator

CLOUD_VOCAB: dict[str, tuple[str, ...]] = {
    "序号": ("编号",),
    "名称": ("资源名称", "服务器名称", "主机名称", "用途", "服务器用途", "部署内容", "应用名称", "节点名称", "云主机",
           "虚拟机", "资源项", "产品名称", "服务名称", "资源类型", "名称", "类型", "安全服务", "服务项", "角色"),
    "区域": ("部署区域", "部署区", "所属区域", "网络区域", "区域", "安全域", "部署网络", "网络环境", "所在区域", "部署位置",
           "所属网络", "部署域", "网络域"),
    "vCPU": ("vcpu", "cpu", "cpu核数", "处理器", "核数", "计算资源", "vcpu数", "cpu数"),
    "内存": ("内存", "ram", "内存容量"),
    "存储": ("存储", "数据盘", "系统盘", "磁盘", "云硬盘", "存储空间", "存储容量", "硬盘", "块存储", "存储资源"),
    "带宽": ("带宽", "网络带宽", "公网带宽", "互联网带宽", "出口带宽"),
    "数量": ("数量", "台数", "个数", "实例数"),
    "操作系统": ("操作系统", "os", "镜像"),
    "规格": ("规格", "配置", "配置要求", "规格配置", "规格型号", "资源规格"),
    "金额": ("金额", "费用", "价格", "合价", "总价", "年费用", "费用（万元）", "年租用费"),
    "备注": ("备注", "说明"),
}
_RESOURCE_FIELDS = ("区域", "vCPU", "内存", "存储", "带宽")
_COMPUTE_NAME = re.compile(r"服务器|虚拟机|云主机|ECS|主机|节点|实例|容器|集群|计算资源", re.I)
_TOTAL_ROW = re.compile(r"^(?:合计|总计|小计|共计)")
_INTERNET_USE = re.compile(
    r"门户|公众|互联网访问|互联网用户|对外服务|对外提供|面向社会|面向群众|面向企业|微信|小程序|公众号|移动端|APP|网上办事|"
    r"网站|外部用户|群众端|企业端", re.I
)
_CLOUD_HEADING = re.compile(r"政务云|云资源|上云|云需求|云服务|部署方案|资源需求")
_INTERNAL_USE = re.compile(r"OA|办公|内部|协同|内网|管理端|管理后台|运维", re.I)
_SELF_BUILT = re.compile(r"自建机房|机房建设|新建机房|扩建机房|私有云|自建数据中心|数据中心建设|物理服务器|服务器采购|采购服务器"
                         r"|托管服务器|服务器托管|自购服务器|存储设备采购|采购存储")
_ALL_ZONES = re.compile(r"^(?:全部|所有|各|全)(?:区域|区|网络)?$")
_SIZING_HEADING = re.compile(r"测算|计算依据|估算依据|配置依据|需求分析|资源估算|容量规划|依据")
_SIZING_TEXT = re.compile(r"tpmC|TPS|QPS|并发|用户数|用户规模|访问量|数据量|年增量|日均|峰值|在线用户|存储量", re.I)

DEFAULT_ZONES = ("电子政务外网区", "互联网区")
DEFAULT_INTERNET_ZONES = ("互联网区",)


def _zkey(text: str) -> str:
    """A zone name without the words that vary (电子, 区, 域, 专区): 政务外网区 ~ 电子政务外网区."""
    t = clean(text).lower()
    t = re.sub(r"^(?:市级)?(?:政务云)?", "", t)
    for w in ("电子", "专区", "区域", "安全域", "区", "域"):
        t = t.replace(w, "")
    return t


def zone_matches(value: str, zones: tuple[str, ...]) -> list[str]:
    """The pack zones a cell names (a cell may name several: 电子政务外网区/互联网区)."""
    out: list[str] = []
    for part in re.split(r"[/、，,；;和及与+＋]", clean(value)):
        k = _zkey(part)
        if not k:
            continue
        for z in zones:
            zk = _zkey(z)
            if zk and (k == zk or (len(k) >= 2 and (k in zk or zk in k))):
                out.append(z)
    return out


@dataclass(slots=True)
class Resource:
    view: TableView
    row: Row
    name: str
    zone: str  # as written (from the cell, a group row or the table title)
    zone_cell: Cell | None
    vcpu: Decimal | None
    mem: Decimal | None
    storage: Decimal | None
    bandwidth: str
    qty: Decimal
    compute: bool
    text: str  # the whole row, for keyword tests

    def loc(self) -> Location:
        c = self.view.cell(self.row, "名称") or next((c for c in self.row.cells if c.text.strip()), None)
        return c.loc if c is not None else self.view.table.loc


@dataclass(slots=True)
class CloudPlan:
    doc: Document
    views: list[TableView]
    resources: list[Resource]


_SPEC_CPU = re.compile(r"(\d+)\s*(?:核|c(?![a-z])|vcpu|cpu)", re.I)
_SPEC_MEM = re.compile(r"(?:内存\s*[:：]?\s*)?(\d+)\s*g(?:b|ib)?(?:\s*内存)?", re.I)
_SPEC_DISK = re.compile(r"(?:盘|存储|硬盘)\s*[:：]?\s*(\d+(?:\.\d+)?)\s*(g|t)", re.I)


def _num(text: str) -> Decimal | None:
    if is_blank(text):
        return None
    return leading_number(text)


def _spec_values(text: str) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """vCPU, memory, storage from a free spec: `8核16G，系统盘100G，数据盘500G`."""
    cpu = _SPEC_CPU.search(text)
    rest = text[cpu.end():] if cpu else text
    mem = _SPEC_MEM.search(rest)
    disk = _SPEC_DISK.search(text)
    return (Decimal(cpu.group(1)) if cpu else None, Decimal(mem.group(1)) if mem else None,
            Decimal(disk.group(1)) if disk else None)


def read_plan(doc: Document) -> CloudPlan:
    views = [v for v in find_tables(doc, CLOUD_VOCAB, min_fields=2) if _is_resource_list(v)]
    if doc.kind != "cloud_plan":  # a chapter of a report: only the tables under its 政务云 headings
        views = [v for v in views if any(_CLOUD_HEADING.search(h) for h in v.table.loc.heading)]
    resources: list[Resource] = []
    for v in views:
        title_zone = " ".join([v.table.title or "", *v.preamble, *v.table.loc.heading])
        group_zone = ""
        for row in v.rows:
            if row.kind == "group":
                group_zone = next((c.text for c in row.cells if c.text.strip()), "")
                continue
            if row.kind != "data":
                continue
            name = v.value(row, "名称") or next((c.text for c in row.cells if c.text.strip() and
                                                 _num(c.text) is None), "")
            labels = clean(v.value(row, "序号") + name)
            if _TOTAL_ROW.match(labels) or _TOTAL_ROW.match(clean(name)):
                continue
            zone_cell = v.cell(row, "区域")
            zone = zone_cell.text.strip() if zone_cell is not None and not is_blank(zone_cell.text) else ""
            if not zone:
                zone = group_zone if group_zone else ""
            spec = v.value(row, "规格")
            s_cpu, s_mem, s_disk = _spec_values(spec + " " + name) if spec or name else (None, None, None)
            vcpu = _num(v.value(row, "vCPU")) if v.has("vCPU") else None
            mem = _num(v.value(row, "内存")) if v.has("内存") else None
            storage = None
            if v.has("存储"):
                vals = [_num(c.text) for c in v.cells(row, "存储")]
                vals = [x for x in vals if x is not None]
                storage = sum(vals, Decimal(0)) if vals else None
            vcpu = vcpu if vcpu is not None else s_cpu
            mem = mem if mem is not None else s_mem
            storage = storage if storage is not None else s_disk
            qty = _num(v.value(row, "数量")) if v.has("数量") else None
            text = " ".join(c.text for c in row.cells)
            compute = vcpu is not None or mem is not None or bool(_COMPUTE_NAME.search(name))
            r = Resource(v, row, " ".join(name.split()), zone, zone_cell, vcpu, mem, storage,
                         v.value(row, "带宽"), qty if qty is not None else Decimal(1), compute, text)
            if not r.zone and title_zone:
                r.zone = _zone_in(title_zone)
            resources.append(r)
    return CloudPlan(doc, views, resources)


def _is_resource_list(v: TableView) -> bool:
    """A table of resources: named lines with two of zone/vCPU/memory/storage/bandwidth/count, or with a
    free spec column that states cores (`8核16G`)."""
    if sum(1 for f in ("vCPU", "内存", "存储") if f in v.fields) >= 2:
        return True
    if "名称" not in v.fields:
        return False
    if sum(1 for f in (*_RESOURCE_FIELDS, "数量") if f in v.fields) >= 2:
        return True
    return "规格" in v.fields and any(_SPEC_CPU.search(v.value(r, "规格")) for r in v.data)


def _zone_in(text: str) -> str:
    m = re.search(r"(电子政务外网区|政务外网区|互联网区|政务内网区|外网区|[\u4e00-\u9fa5]{2,6}区)(?=[^\u4e00-\u9fa5]|$|资源|部署)", text)
    return m.group(1) if m else ""


def plans(ctx: Context) -> list[CloudPlan]:
    key = ("content-a:cloud", id(ctx.package))
    hit = ctx.shared.get(key)
    if hit is not None and hit[0] is ctx.package:
        return hit[1]
    out = [read_plan(d) for d in ctx.docs("cloud_plan")]
    ctx.shared[key] = (ctx.package, out)
    return out


def _zones(ctx: Context, rule: Rule) -> tuple[tuple[str, ...], tuple[str, ...]]:
    zones = tuple(rule.params.get("zones") or pack_setting(ctx, "cloud-zones", DEFAULT_ZONES))
    internet = tuple(rule.params.get("internet-zones") or pack_setting(ctx, "cloud-internet-zones",
                                                                       DEFAULT_INTERNET_ZONES))
    return zones, internet


def _bandwidth_stated(plan: CloudPlan) -> bool:
    if any(not is_blank(r.bandwidth) for r in plan.resources):
        return True
    rx = re.compile(r"带宽[^。；\n]{0,30}?\d+(?:\.\d+)?\s*(?:M|G)(?:bps|b/s|bit)?|\d+\s*(?:M|G)bps", re.I)
    texts = [b.text for b in plan.doc.blocks] + [c.text for t in plan.doc.tables for row in t.rows for c in row]
    return any(rx.search(t) for t in texts)


@check_kind("cloud-resource-fields", optional=["fields"])
def cloud_resource_fields(rule: Rule, ctx: Context) -> Iterator[Diagnostic]:
    """Every compute line names its zone, vCPU, memory and storage; the plan states the bandwidth."""
    wanted = tuple(rule.params.get("fields") or ("区域", "vCPU", "内存", "存储", "带宽"))
    labels = {"区域": "部署区域", "vCPU": "vCPU", "内存": "内存", "存储": "存储", "带宽": "带宽"}
    for plan in plans(ctx):
        if not plan.views:
            continue
        for r in plan.resources:
            if not r.compute or _SELF_BUILT.search(clean(r.name)):
                continue  # 服务器托管 is no cloud resource: cloud-self-built reports it
            missing = []
            for f in wanted:
                if f == "区域" and not r.zone:
                    missing.append(labels[f])
                elif f == "vCPU" and r.vcpu is None:
                    missing.append(labels[f])
                elif f == "内存" and r.mem is None:
                    missing.append(labels[f])
                elif f == "存储" and r.storage is None:
                    missing.append(labels[f])
            if missing:
                yield rule.diag(file=plan.doc.path, loc=r.loc(), evidence=r.name or r.text, key=r.name,
                                **fill(rule, resource=r.name or "（未命名资源）", missing="、".join(missing)))
        if "带宽" in wanted and not _bandwidth_stated(plan):
            v = plan.views[0]
            yield rule.diag(file=plan.doc.path, loc=v.header_loc(), key="bandwidth",
                            **fill(rule, resource="资源需求清单", missing="网络带宽"))


_PROSE_SPEC = re.compile(r"\d+\s*(?:核|vCPU|C(?![a-z]))[^。；\n]{0,20}?\d+\s*G", re.I)


@check_kind("cloud-resource-list")
def cloud_resource_list(rule: Rule, ctx: Context) -> Iterator[Diagnostic]:
    """A 政务云需求方案 that lists no resource with its specification (no resource table, and no
    `8核16G`-style specification in the text either)."""
    for plan in plans(ctx):
        doc = plan.doc
        if plan.views or doc.kind != "cloud_plan":
            continue
        if any(i.code in ("scanned-pages", "empty-document") for i in doc.issues):
            continue  # nothing could be read: the input rules say so
        texts = [b.text for b in doc.blocks] + [c.text for t in doc.tables for row in t.rows for c in row]
        if any(_PROSE_SPEC.search(t) for t in texts):
            continue
        yield rule.diag(file=doc.path, key="no-resource-list", **fill(rule))


@check_kind("cloud-zone", optional=["zones"])
def cloud_zone(rule: Rule, ctx: Context) -> Iterator[Diagnostic]:
    """A zone that is not one of the pack's 政务云 zones."""
    zones, _ = _zones(ctx, rule)
    for plan in plans(ctx):
        for r in plan.resources:
            if r.zone_cell is None or not r.zone or _ALL_ZONES.match(clean(r.zone)):
                continue
            if zone_matches(r.zone, zones):
                continue
            yield rule.diag(file=plan.doc.path, loc=r.zone_cell.loc, evidence=f"{r.name}：{r.zone}",
                            key=f"{r.name}:{r.zone}",
                            **fill(rule, resource=r.name, zone=r.zone, zones="、".join(zones)))


@check_kind("cloud-sizing-basis", optional=["heading-pattern", "text-pattern"])
def cloud_sizing_basis(rule: Rule, ctx: Context) -> Iterator[Diagnostic]:
    """The plan gives a sizing basis (users, concurrency, data volume) for what it asks."""
    hp = regex(rule.params.get("heading-pattern") or _SIZING_HEADING.pattern)
    tp = regex(rule.params.get("text-pattern") or _SIZING_TEXT.pattern, re.I)
    for plan in plans(ctx):
        doc = plan.doc
        if not plan.views:
            continue  # no resource list: nothing to size (cloud-resource-list reports a plan without one)
        if any(hp.search(h.title or h.text) for h in doc.headings):
            continue
        if any(tp.search(b.text) and re.search(r"\d", b.text) for b in doc.blocks):
            continue
        if any(tp.search(c.text) and re.search(r"\d", c.text) for t in doc.tables for row in t.rows for c in row):
            continue
        loc = plan.views[0].header_loc() if plan.views else None
        yield rule.diag(file=doc.path, loc=loc, key="sizing", **fill(rule))


@check_kind("cloud-internet-zone", optional=["zones", "internet-zones", "pattern"])
def cloud_internet_zone(rule: Rule, ctx: Context) -> Iterator[Diagnostic]:
    """A line that serves the public (门户, 公众, 小程序 …) placed outside the internet-facing zone."""
    zones, internet = _zones(ctx, rule)
    rx = regex(rule.params["pattern"], re.I) if rule.params.get("pattern") else _INTERNET_USE
    for plan in plans(ctx):
        for r in plan.resources:
            if not r.zone or not r.compute:
                continue
            text = re.sub(r"互联网\s*[+＋]", "", f"{r.name} {r.text}")
            m = rx.search(text)
            if not m or _INTERNAL_USE.search(r.name):
                continue  # an OA 门户 or a 管理端 serves staff, not the public
            named = zone_matches(r.zone, zones + tuple(z for z in internet if z not in zones))
            if not named or any(z in internet for z in named):
                continue  # unknown zone: cloud-zone says so
            loc = r.zone_cell.loc if r.zone_cell is not None else r.loc()
            yield rule.diag(file=plan.doc.path, loc=loc, evidence=f"{r.name} {r.zone}", key=r.name,
                            **fill(rule, resource=r.name, zone=r.zone, word=m.group(0),
                                   internet="、".join(internet)))


@check_kind("cloud-self-built")
def cloud_self_built(rule: Rule, ctx: Context) -> Iterator[Diagnostic]:
    """自建机房 / 私有云 / 服务器采购 listed as a resource of the 政务云 plan."""
    for plan in plans(ctx):
        for v in plan.views:
            for row in v.data:
                for c in row.cells:
                    m = _SELF_BUILT.search(clean(c.text))
                    if m and not re.search(r"不|无需|禁止|不得|无", clean(c.text)[: m.start()][-4:]):
                        yield rule.diag(file=plan.doc.path, loc=c.loc, evidence=c.text, key=m.group(0),
                                        **fill(rule, item=" ".join(c.text.split())[:40], word=m.group(0)))
                        break


# ---------------------------------------------------------------------------------------------
# totals against the budget sheet

_CLOUD_LINE = re.compile(r"政务云|云资源|云服务(?!器)|云主机|云平台租用|云存储|云租用|上云")
_NOT_CLOUD = re.compile(r"安全|密码|防火墙|WAF|堡垒机|审计|测评", re.I)
_BUDGET_CPU = re.compile(r"(\d+)\s*(?:核|vCPU|vcpu|CPU)")
_BUDGET_VMS = re.compile(r"(\d+)\s*台\s*(?:云主机|虚拟机|云服务器|服务器)")
_PLAN_COST = re.compile(r"(?:云资源|政务云|云服务)[^。；]{0,12}(?:费用|费)[^。；]{0,8}?(?:合计|共计|总计|为|约)?")


@check_kind("cloud-budget-consistency", optional=["tolerance"])
def cloud_budget_consistency(rule: Rule, ctx: Context) -> Iterator[Diagnostic]:
    """The plan's totals (云主机 count, vCPU, cost) agree with the budget sheet's cloud-service lines."""
    tol = Decimal(str(rule.params.get("tolerance", "0.01")))
    bs = [b for b in budgets(ctx) if not b.funding_table]
    lines = []
    for b in bs:
        for ln in b.lines:
            if ln.kind != "item" or not _CLOUD_LINE.search(ln.name) or _NOT_CLOUD.search(ln.name):
                continue
            if ln.parent is not None and ln.parent.kind == "item" and _CLOUD_LINE.search(ln.parent.name) and \
                    ln.parent.amount(b.main_col) is not None:
                continue  # counted through its section
            lines.append((b, ln))
    if not lines:
        return
    by_doc: dict[str, list] = {}
    for b, ln in lines:
        by_doc.setdefault(b.doc.path, []).append((b, ln))
    for plan in plans(ctx):
        comp = [r for r in plan.resources if r.compute]
        if not comp:
            continue
        n_vms = sum((r.qty for r in comp), Decimal(0))
        cpu = sum((r.vcpu * r.qty for r in comp if r.vcpu is not None), Decimal(0))
        cost = _plan_cost(plan)
        for group in by_doc.values():  # each budget document on its own (a 可研 repeats the 概算表)
            texts = ""
            for _b, ln in group:
                rows = [ln, *[x for x in ln.leaves() if x is not ln]]
                texts += " " + " ".join(c.text for x in rows for c in x.row.cells)
            stated_vms = [Decimal(m.group(1)) for m in _BUDGET_VMS.finditer(texts)]
            stated_cpu = [Decimal(m.group(1)) for m in _BUDGET_CPU.finditer(texts)]
            b0, ln0 = group[0]
            where = f"{b0.doc.path}（{ln0.name}）"
            if stated_vms and sum(stated_vms) != n_vms:
                yield _mismatch(rule, plan, "云主机数量", f"{fmt_num(n_vms)}台", f"{fmt_num(sum(stated_vms))}台", where)
            if stated_cpu and cpu and sum(stated_cpu) != cpu:
                yield _mismatch(rule, plan, "vCPU", f"{fmt_num(cpu)}核", f"{fmt_num(sum(stated_cpu))}核", where)
            if cost is not None:
                budget_cost = Decimal(0)
                for b, ln in group:
                    v = ln.value(b.main_col)
                    if v is not None:
                        budget_cost += b.to_wan(v)[0]
                per_year = bool(re.search(r"/年|每年|年费", cost[1]))
                ok = same_amount(cost[0], budget_cost, tol) or (
                    per_year and any(same_amount(cost[0] * n, budget_cost, tol) for n in range(2, 6)))
                if budget_cost and not ok:
                    yield _mismatch(rule, plan, "政务云费用", fmt_wan(cost[0]), fmt_wan(budget_cost), where)


def _plan_cost(plan: CloudPlan) -> tuple[Decimal, str] | None:
    for b in plan.doc.blocks:
        m = _PLAN_COST.search(b.text)
        if not m:
            continue
        amounts = [a for a in find_amounts(b.text[m.end():], rates=True) if a.unit != "大写"]
        if amounts and amounts[0].start < 10:
            return amounts[0].wan, b.text
    return None


def _mismatch(rule: Rule, plan: CloudPlan, what: str, value: str, other: str, where: str) -> Diagnostic:
    loc = plan.views[0].header_loc() if plan.views else None
    return rule.diag(file=plan.doc.path, loc=loc, key=what, evidence=f"{what}：{value}",
                     **fill(rule, what=what, value=value, other=other, where=where))


@param_validator("cloud-resource-fields")
def _v_fields(p: dict) -> list[tuple[str, str]]:
    errs = check_str_list(p, "fields")
    bad = [f for f in p.get("fields") or [] if f not in _RESOURCE_FIELDS]
    if bad:
        errs.append(("fields", f"未知的资源字段 {', '.join(bad)}；可用：{', '.join(_RESOURCE_FIELDS)}"))
    return errs


@param_validator("cloud-zone")
def _v_zone(p: dict) -> list[tuple[str, str]]:
    return check_str_list(p, "zones")


@param_validator("cloud-internet-zone")
def _v_inet(p: dict) -> list[tuple[str, str]]:
    return check_str_list(p, "zones") + check_str_list(p, "internet-zones") + check_regex(p, "pattern")


@param_validator("cloud-sizing-basis")
def _v_sizing(p: dict) -> list[tuple[str, str]]:
    return check_regex(p, "heading-pattern") + check_regex(p, "text-pattern")


@param_validator("cloud-budget-consistency")
def _v_budget(p: dict) -> list[tuple[str, str]]:
    return check_type(p, "tolerance", (int, float, str), "数字（万元）")

