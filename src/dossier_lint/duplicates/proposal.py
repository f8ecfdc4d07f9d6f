"""What a package proposes to build: its name, unit, type, predecessor, 主要任务, the function names its
reports list under 建设内容 / 功能设计 / 主要功能, and the existing systems it says it reuses."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..model import Document, Facts, Heading, Location, Package

REPORT_KINDS = (
    "feasibility_report", "preliminary_design", "implementation_plan", "app_implementation_plan",
    "service_requirement_plan",
)
MAX_FUNCTIONS = 80

# A section that lists what will be built.
_FUNC_SECTION = re.compile(
    r"建设内容|建设任务|主要任务|功能设计|主要功能|系统功能|功能模块|功能需求|业务功能|应用功能|功能架构"
    r"|应用系统(?:建设|设计)?|应用建设|软件建设|系统建设|功能清单"
)
# ... unless it is about something other than functions.
_NOT_FUNC = re.compile(
    r"硬件|网络|安全|机房|运维|培训|部署|投资|概算|估算|进度|组织|风险|效益|原则|依据|目标|必要性|现状"
    r"|环境|密码|等级保护|等保|云资源|存储|服务器|验收|采购|招标|人员|保障|节能|社会评价|结论"
)
# A heading below such a section that is not a function.
_GENERIC_TITLE = re.compile(
    r"^(概述|综述|总体|总体设计|总体架构|系统架构|技术架构|逻辑架构|架构设计|设计原则|建设原则|建设目标|"
    r"功能概述|概况|简介|接口|接口设计|性能|性能要求|性能指标|数据库设计|数据设计|数据架构|非功能.*|其他|其它|"
    r"小结|说明|用户|用户角色|角色|业务流程|流程设计|界面设计|建设规模|建设范围|主要内容|建设内容|功能设计|"
    r"功能模块|系统功能|主要功能|应用系统|其他.*|其它.*|附件.*)$"
)
_ENUM_LABEL = re.compile(
    r"^\s*(?:[（(]?\d{1,2}[)）.、．]|[①-⑳]|[一二三四五六七八九十]{1,3}[、.]|[（(][一二三四五六七八九十]{1,3}[)）]|[-•·▪◆●])"
    r"\s*([^：:。，,；;（(]{2,24}?)\s*[：:。]"
)
_LABEL_SUFFIX = re.compile(r"^\s*([^：:。，,；;]{2,20}?(?:子系统|模块|系统|平台|功能|中心|驾驶舱|大屏|小程序|app|APP))[：:。，,；;]")
_LIST_SENT = re.compile(
    r"(?:建设|包括|包含|分为|涵盖|开发|新建|打造|提供|具备|实现)(?:了)?([^。；;]{4,200}?)等?(?:[\d一二三四五六七八九十]+[个项类])?"
    r"(?:子系统|模块|应用|功能模块|业务系统|功能)"
)
# "综合指挥调度子系统、数据治理与共享交换接口、领导驾驶舱子系统分别提供…"
_LEADING_LIST = re.compile(
    r"^((?:[^，。；：:、]{2,20}?(?:子系统|模块|系统|平台|接口)、)+[^，。；：:、]{2,20}?(?:子系统|模块|系统|平台|接口))"
)
_LIST_SPLIT = re.compile(r"、|，|,|；|以及|及|和|与|或")

# "依托 / 复用 / 接入 市统一身份认证平台" — systems the package says it uses instead of building.
_REUSE_VERB = re.compile(r"(?<![不未无非])(?:依托|复用|接入|利用|对接|共用|调用|借助|共享使用|统一使用|整合进|整合至|纳入|迁移至|迁入|通过)")
_REUSE_TAIL = re.compile(r"^[^，。；;,:：]{2,80}")
_REUSE_ITEM = re.compile(
    r"((?:全市|本市|市级|省级|全省|国家)?[\w+“”\"]{0,24}?(?:平台|系统|中心|库|工程|网|热线|云))"
)
_ETC = re.compile(r"等[\w]{0,8}?(?:平台|系统|设施|资源|能力|服务|支撑)")
_UPGRADE = re.compile(r"[二三四五六七八九2-9]期|升级|改造|续建|改建|扩建|迭代|运维|运行维护|延续|延期")
CONTINUING_TYPES = frozenset({"续建", "改建", "运维", "升级", "扩建", "升级改造"})


@dataclass(slots=True)
class FunctionItem:
    text: str  # the function / module name as written
    detail: str = ""  # the start of its section text, if any
    file: str | None = None
    loc: Location | None = None


@dataclass(slots=True)
class Proposal:
    path: str  # the package path (key of cross-package results)
    name: str
    package: str = ""  # the package's own name (folder / zip), for messages
    department: str = ""
    project_type: str = ""
    predecessor: str = ""
    tasks: str = ""
    functions: list[FunctionItem] = field(default_factory=list)
    reuses: list[str] = field(default_factory=list)
    name_file: str | None = None  # where the name was found (diagnostics point there)
    name_loc: Location | None = None
    name_evidence: str = ""
    # tokens.TokenTable: the round check's tokens and weights, made by the batch worker that linted the
    # package (duplicates.attach_tokens), so the batch parent need not tokenise
    tokens: Any = None

    @property
    def continues_something(self) -> bool:
        """A 续建 / 改建 / 运维 / 升级 project, by its type or by its wording (二期, 升级改造)."""
        if self.project_type in CONTINUING_TYPES:
            return True
        return bool(_UPGRADE.search(self.name))

    @property
    def empty(self) -> bool:
        return not (self.name.strip() or self.tasks.strip() or self.functions)


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, list | tuple):
        return "、".join(str(x) for x in v)
    return str(v)


def proposal_from_facts(path: str, name: str, facts: Facts | None) -> Proposal:
    """A proposal from facts only (what a round entry carries): name, unit, type, predecessor, tasks."""
    f = facts or Facts()
    pname = _text(f.get("name")) or ""
    p = Proposal(
        path=path,
        name=pname,
        department=_text(f.get("unit")),
        project_type=_text(f.get("project_type")),
        predecessor=_text(f.get("predecessor")),
        tasks="\n".join(dict.fromkeys(_text(x.value) for x in f.all("tasks"))),
    )
    src = f.all("name")
    if src:
        p.name_file, p.name_loc, p.name_evidence = src[0].file, src[0].loc, src[0].evidence
    if not p.name:
        p.name = name if name and not name.lower().endswith(".zip") else ""
    return p


def proposal_from_package(pkg: Package) -> Proposal:
    p = proposal_from_facts(pkg.path, "", pkg.facts)
    p.package = pkg.name
    if not p.name:
        p.name = _name_from_package_name(pkg.name)
    p.functions = extract_functions(pkg)
    p.reuses = extract_reuses(pkg)
    return p


def _name_from_package_name(name: str) -> str:
    # A folder name like "nanchong-zhcg-complete" says nothing; a Chinese one may be the project name.
    return name if re.search(r"[\u4e00-\u9fff]{4,}", name or "") else ""


# ---------------------------------------------------------------- functions


_SPACE = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text or ""))


def _clean_item(text: str) -> str:
    t = _norm(text).strip("：:。.，,；;、 “”\"'‘’")
    t = re.sub(r"^(?:建设|新建|开发|搭建|构建|打造|完善|升级|提供)", "", t)
    return t


def _usable(title: str) -> bool:
    return 2 <= len(title) <= 30 and not _GENERIC_TITLE.match(title) and not _NOT_FUNC.search(title)


def extract_functions(pkg: Package) -> list[FunctionItem]:
    """Function / module names listed by the reports under 建设内容 / 功能设计 / 主要功能 sections."""
    out: list[FunctionItem] = []
    seen: set[str] = set()

    def add(text: str, detail: str, doc: Document, loc: Location | None) -> None:
        t = _clean_item(text)
        if not _usable(t) or t in seen or len(out) >= MAX_FUNCTIONS:
            return
        seen.add(t)
        out.append(FunctionItem(t, detail[:300], doc.path, loc))

    docs = [d for d in pkg.of_kind(*REPORT_KINDS) if d.readable]
    for doc in docs:
        used: set[int] = set()
        for h in doc.headings:
            if id(h) in used or not _FUNC_SECTION.search(h.title or h.text) or _NOT_FUNC.search(h.title or h.text):
                continue
            below = list(_descendants(h))
            for d in below:
                used.add(id(d))
            if below:
                for d in below:
                    add(d.title or d.text, doc.section_text(d), doc, d.loc)
            for text, loc in _labels_in_section(doc, h):
                add(text, "", doc, loc)
            for text, loc in _table_items(doc, h):
                add(text, "", doc, loc)
    return out


def _descendants(h: Heading) -> Iterable[Heading]:
    for c in h.children:
        yield c
        yield from _descendants(c)


def _labels_in_section(doc: Document, h: Heading) -> Iterable[tuple[str, Location]]:
    """Enumerated labels ("（1）事件受理：…", "1. 案件派遣子系统。") and lists in sentences
    ("建设事件受理、案件派遣、综合评价等3个子系统")."""
    for b in doc.section_blocks(h):
        if b.kind not in ("para", "cell"):
            continue
        t = _norm(b.text)
        m = _LEADING_LIST.match(t)
        if m:
            for part in m.group(1).split("、"):
                yield part, b.loc
        else:
            m = _ENUM_LABEL.match(t) or _LABEL_SUFFIX.match(t)
            if m:
                yield m.group(1), b.loc
        for m in _LIST_SENT.finditer(t):
            for part in _LIST_SPLIT.split(m.group(1)):
                if 2 <= len(part) <= 20:
                    yield part, b.loc


def _table_items(doc: Document, h: Heading) -> Iterable[tuple[str, Location]]:
    """The function column of a table that sits in the section (功能清单, 模块表)."""
    for table in doc.tables:
        if not table.rows or h.text not in table.loc.heading:
            continue
        header = [_norm(c.text) for c in table.rows[0]]
        col = next(
            (i for i, x in enumerate(header) if re.search(r"功能|模块|子系统|应用名称|系统名称", x) and "描述" not in x
             and "说明" not in x),
            None,
        )
        if col is None:
            continue
        for row in table.rows[1:]:
            if col < len(row) and row[col].text.strip():
                yield row[col].text, row[col].loc


# ---------------------------------------------------------------- reuse


def extract_reuses(pkg: Package) -> list[str]:
    """Names of existing platforms the package says it builds on ("依托市统一身份认证平台")."""
    found: list[str] = []
    seen: set[str] = set()  # a text met again adds nothing: the result keeps first occurrences only
    for doc in pkg.documents:
        if not doc.readable:
            continue
        texts = [b.text for b in doc.blocks] + [c.text for t in doc.tables for r in t.rows for c in r]
        for text in texts:
            if text in seen:
                continue  # a sheet's cells are blocks and table cells both, and catalogs repeat values
            seen.add(text)
            t = _norm(text)
            for m in _REUSE_VERB.finditer(t):
                tail = _REUSE_TAIL.match(t[m.end() : m.end() + 80])  # the tail is <= 80 chars: no O(n) copy per verb
                if not tail:
                    continue
                text_tail = tail.group(0)
                # "复用市统一身份认证、电子印章、统一消息等共性平台": every item before 等 is a platform
                etc = _ETC.search(text_tail)
                if etc:
                    for part in _LIST_SPLIT.split(text_tail[: etc.start()]):
                        if 2 <= len(part) <= 24:
                            found.append(part.strip("“”\""))
                    continue
                for part in _LIST_SPLIT.split(text_tail):
                    im = _REUSE_ITEM.match(part)
                    if im and len(im.group(1)) >= 4:
                        found.append(im.group(1).strip("“”\""))
    return list(dict.fromkeys(found))[:100]
