"""Project facts (name, unit, contact, type, money, ...) with every place each was found.

The form is read first (its labelled cells are the most reliable source), then the reports' titles and
prose. Checks compare the sources of one fact with each other; nothing here judges.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from .classify import KINDS
from .levels import protection_statements
from .model import Block, Document, Fact, Location, Package
from .money import find_amounts, parse_amount, unit_from_header

# fact key -> form labels (compared after normalisation; longest label tried first)
FIELD_LABELS: dict[str, tuple[str, ...]] = {
    "name": ("项目名称",),
    "unit": ("项目单位", "申报单位名称", "申报单位", "项目建设单位", "建设单位", "项目申报单位"),
    "contact": ("项目联系人", "联系人"),
    "phone": ("联系电话", "联系人电话", "联系方式"),
    "leader": ("项目负责人", "负责人"),
    "project_type": ("项目性质", "项目类型", "建设性质", "新建/续建"),
    "mode": ("拟采用实施方式", "实施方式", "建设方式", "拟采用建设方式"),
    "total_investment": ("投资额度", "项目估算", "项目总投资", "总投资", "投资估算", "项目投资"),
    "om_funding": ("运维经费", "运行维护经费", "年度运维经费", "运维费用"),
    "funding_channels": ("经费渠道", "拟采用资金来源", "资金来源"),
    "period": ("项目周期", "项目起止时间", "建设周期", "建设工期", "起止时间"),
    "secrecy": ("项目密级", "密级"),
    "tasks": ("主要任务", "项目建设目的和内容", "建设目的和内容", "建设内容"),
    "goals": ("项目绩效目标", "绩效目标"),
    "basis": ("建设依据和必要性", "项目建设依据和必要性"),
}
_LABEL_TO_KEY = sorted(
    ((lab, key) for key, labs in FIELD_LABELS.items() for lab in labs), key=lambda x: -len(x[0])
)

PROJECT_TYPES = ("新建", "续建", "改建", "运维", "购买服务")
FUNDING_CHANNELS = (
    "中省补助", "本级财政", "单位自筹", "财政拨款", "自筹经费", "上级补助", "市级财政", "财政资金",
    "专项资金", "专项债券", "其他",
)
_CHECKED = "☑■√✓✔●▣"
_PLACEHOLDERS = {"", "无", "/", "-", "—", "xxx", "待定", "暂无", "空"}

REPORT_KINDS = (
    "feasibility_report", "implementation_plan", "preliminary_design", "service_requirement_plan",
    "app_implementation_plan",
)


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _label_key(text: str) -> tuple[str, str] | None:
    """(key, label) when the cell IS a label ("项目名称", "投资额度（万元）", "联系电话：")."""
    t = _norm(text).rstrip(":：")
    t = re.sub(r"[(（](万元|元|盖章|签字)[)）]$", "", t)
    for lab, key in _LABEL_TO_KEY:
        if t == lab:
            return key, lab
    if t == "电话":
        return "phone?", "电话"
    return None


# What follows a label in '标签：值': the value runs to a wide gap, the next '标签：' or the end. One
# pattern for every label (matched where the literal label ends), not one compiled per label per process.
_INLINE_VALUE = re.compile(r"\s*[:：]\s*([^:：\n]*?)(?=\s{2,}|\s*[\u4e00-\u9fa5]{2,8}[:：]|$)")


def _inline(text: str) -> Iterator[tuple[str, str, str]]:
    """'标签：值' pairs inside one cell or paragraph (several per line allowed)."""
    t = unicodedata.normalize("NFKC", text)
    for lab, key in _LABEL_TO_KEY:
        # the matches `re.finditer(label + value)` gives: left to right, none overlapping
        pos = t.find(lab)
        while pos >= 0:
            m = _INLINE_VALUE.match(t, pos + len(lab))
            if m is None:
                pos = t.find(lab, pos + 1)
                continue
            yield key, lab, m.group(1).strip()
            pos = t.find(lab, m.end())


def _meaningful(value: str) -> bool:
    return _norm(value).lower() not in _PLACEHOLDERS and not re.fullmatch(r"[x×X*_]+", _norm(value))


def extract(pkg: Package) -> None:
    forms = [d for d in pkg.documents if d.kind == "application_form" and d.readable]
    for doc in forms:
        _from_form(pkg, doc)
    for doc in pkg.documents:
        if doc.readable and (doc.kind in REPORT_KINDS or doc.kind == "application_form"):
            _from_prose(pkg, doc)
    for doc in pkg.documents:
        if doc.readable and doc.kind in REPORT_KINDS:
            _name_from_title(pkg, doc)
    _derive(pkg)


def _add(
    pkg: Package, key: str, raw: str, doc: Document, loc: Location | None, evidence: str, unit_hint: str = ""
) -> None:
    value = _convert(key, raw, unit_hint or evidence)
    if value is None:
        return
    for existing in pkg.facts.all(key):
        if existing.file == doc.path and existing.value == value:
            return
    pkg.facts.add(key, Fact(value, doc.path, loc, evidence.strip()[:200]))


def _convert(key: str, raw: str, context: str):
    raw = raw.strip()
    if not _meaningful(raw):
        return None
    if key == "om_funding":
        # O&M is budgeted per year: "68.00万元/年" is the amount
        yearly = [a for a in find_amounts(raw, rates=True) if a.per in ("", "年", "年度")]
        if yearly:
            return yearly[0].wan
    if key in ("total_investment", "om_funding"):
        unit = unit_from_header(context) or "万元"  # forms state 单位：万元
        amount = parse_amount(raw, default_unit=unit)
        return amount.wan if amount else None
    if key == "project_type":
        return _project_type(raw)
    if key == "mode":
        for m in ("购买服务", "自行建设"):
            if m in raw:
                return m
        return None
    if key == "funding_channels":
        # longest names first, without overlaps: "市本级财政资金" is 本级财政, not also 财政资金
        pattern = "|".join(sorted(map(re.escape, FUNDING_CHANNELS), key=len, reverse=True))
        found = list(dict.fromkeys(m.group(0) for m in re.finditer(pattern, raw)))
        return found or None
    return raw


def _project_type(raw: str) -> str | None:
    t = _norm(raw)
    # a ticked box on a printed form: "☑新建项目 □续建项目"
    # boxes stand before their labels on most forms ("☑新建项目"); only if none does, try after ("新建√")
    ticked = [p for p in PROJECT_TYPES if re.search(rf"[{_CHECKED}]\s*{p}", t)]
    if not ticked and not re.search(rf"[{_CHECKED}]\s*其他", t):
        ticked = [p for p in PROJECT_TYPES if re.search(rf"{p}(项目)?\s*[{_CHECKED}]", t)]
    # the printed Taixing form has no 运维/购买服务 box: "☑其他（购买服务）"
    m = re.search(rf"[{_CHECKED}]\s*其他\s*[(（]([^)）]*)[)）]", t)
    if m:
        ticked += [p for p in PROJECT_TYPES if p in m.group(1) and p not in ticked]
    if len(ticked) == 1:
        return ticked[0]
    present = [p for p in PROJECT_TYPES if p in t]
    if len(present) == 1 and not re.search("[□☐]", t):
        return present[0]
    return None


def _from_form(pkg: Package, doc: Document) -> None:
    header_unit = ""
    for b in doc.blocks[:8]:
        if unit_from_header(b.text) and "单位" in b.text:
            header_unit = b.text
    for table in doc.tables:
        for row in table.rows:
            last_person = ""
            cells = row
            for i, cell in enumerate(cells):
                hit = _label_key(cell.text)
                if hit is None:
                    for key, _lab, value in _inline(cell.text):
                        key = _phone_key(key, last_person)
                        _add(pkg, key, value, doc, cell.loc, cell.text)
                        if key in ("leader", "contact"):
                            last_person = key
                    continue
                key, lab = hit
                key = _phone_key(key, last_person)
                if key in ("leader", "contact"):
                    last_person = key
                value_cell = next(
                    (c for c in cells[i + 1 :] if _norm(c.text) and _norm(c.text) != _norm(cell.text)), None
                )
                if value_cell is None or _label_key(value_cell.text):
                    continue
                # the unit sits in the label ("投资额度（元）"), the row ("860 | 万元") or the form header
                row_text = " ".join(c.text for c in cells if c is not value_cell)
                hint = next((t for t in (cell.text, row_text, header_unit) if unit_from_header(t)), "")
                _add(pkg, key, value_cell.text, doc, value_cell.loc, f"{lab}：{value_cell.text}", hint)
    for b in doc.blocks:
        for key, _lab, value in _inline(b.text):
            if key == "phone?":
                key = "phone"
            _add(pkg, key, value, doc, b.loc, b.text)


def _phone_key(key: str, last_person: str) -> str:
    """A phone cell belongs to the person named before it in the same row (负责人 or 联系人)."""
    if key not in ("phone?", "phone"):
        return key
    return "leader_phone" if last_person == "leader" else "phone"


_TOTAL = re.compile(r"(项目)?总投资(额)?(为|约为|约|估算为|概算为|共计|合计)?")
_OM = re.compile(r"(运维经费|运行维护经费|运维费用|运维费)")
_TYPE_SENT = re.compile(r"本项目(为|属于|系)(新建|续建|改建|运维|购买服务)(类)?项目")
_MANDATED = re.compile(r"(党中央国务院|省委省政府|市委市政府|上级)[^。；]{0,12}(明确要求|部署要求|交办)")
_URGENT = re.compile(r"(涉及国家安全|情况紧急|紧急建设)")
_PREDECESSOR = re.compile(r"(?:在|依托|基于)(?:原有?|已建|现有)?“?([^，。；“”]{2,30}?(?:一期|系统|平台))”?(?:的)?基础上")


def _sentences(doc: Document) -> Iterator[tuple[Block, str]]:
    for b in doc.blocks:
        for s in re.split(r"(?<=[。；！？])", b.text):
            if s.strip():
                yield b, s


def _from_prose(pkg: Package, doc: Document) -> None:
    for b, s in _sentences(doc):
        if b.kind == "toc":
            continue
        m = _TOTAL.search(s)
        if m:
            after = s[m.end() :]
            amounts = find_amounts(after)
            if amounts and amounts[0].start < 12:
                pkg.facts.add("total_investment", Fact(amounts[0].wan, doc.path, b.loc, s.strip()[:200]))
        m = _OM.search(s)
        if m and doc.kind != "application_form":
            amounts = [a for a in find_amounts(s[m.end() :], rates=True) if a.per in ("", "年", "年度")]
            if amounts and amounts[0].start < 16:
                pkg.facts.add("om_funding", Fact(amounts[0].wan, doc.path, b.loc, s.strip()[:200]))
        m = _TYPE_SENT.search(s)
        if m:
            pkg.facts.add("project_type", Fact(m.group(2), doc.path, b.loc, s.strip()[:200]))
        if _MANDATED.search(s) and re.search("本项目|该项目", s):
            pkg.facts.add("mandated", Fact(True, doc.path, b.loc, s.strip()[:200]))
        if _URGENT.search(s) and re.search("本项目|该项目", s):
            pkg.facts.add("urgent", Fact(True, doc.path, b.loc, s.strip()[:200]))
        m = _PREDECESSOR.search(s)
        if m and not pkg.facts.all("predecessor"):
            pkg.facts.add("predecessor", Fact(m.group(1), doc.path, b.loc, s.strip()[:200]))


_KIND_WORDS = sorted({w for _, _, words in KINDS for w in words} | {"可行性研究报告", "初步设计方案", "项目实施方案"}, key=len, reverse=True)


def _name_from_title(pkg: Package, doc: Document) -> None:
    """'南充市智慧城管综合平台（二期）项目可行性研究报告' -> the project name."""
    for b in doc.blocks[:6]:
        t = b.text.strip()
        if not (6 <= len(t) <= 60):
            continue
        for w in ("可行性研究报告", "初步设计方案", "项目实施方案", "实施方案", "服务需求方案", "建设方案"):
            if t.endswith(w):
                name = t[: -len(w)].rstrip("：: ")
                if len(name) >= 4:
                    if not name.endswith("项目") and any(f.value.endswith("项目") for f in pkg.facts.all("name")):
                        name += "项目"
                    pkg.facts.add("name", Fact(name, doc.path, b.loc, t))
                return


def _derive(pkg: Package) -> None:
    """Facts that follow from others: mode from type, filing from type, protection level."""
    f = pkg.facts
    if f.get("mode") is None and f.get("project_type") == "购买服务":
        src = f.all("project_type")[0]
        f.add("mode", Fact("购买服务", src.file, src.loc, src.evidence))
    if f.get("project_type") is None:
        name = str(f.get("name") or "")
        for word, ptype in (("运维", "运维"), ("购买服务", "购买服务")):
            if word in name:
                src = f.all("name")[0]
                f.add("project_type", Fact(ptype, src.file, src.loc, src.evidence))
                break
    if f.get("filing") is None:
        for doc in pkg.documents:
            if doc.kind != "application_form" or not doc.readable:
                continue
            text = doc.text()
            for word in ("已建", "在建"):
                if re.search(rf"{word}项目", text):
                    f.add("filing", Fact(word, doc.path, None, f"{word}项目"))
                    break
        if f.get("filing") is None and f.get("project_type") in ("新建",):
            src = f.all("project_type")[0]
            f.add("filing", Fact("新建", src.file, src.loc, src.evidence))
    # the careful reader (not a rule quoted, not the 政务云's level): the checks use this very fact
    for m in protection_statements(pkg):
        f.add("protection_level", Fact(m.level, m.file, m.loc, m.evidence.strip()[:200]))
