"""等级保护 / 密码应用 levels: the one reader of level statements, and the system's protection level.

A level token (第三级, 等保三级, 三级等保) counts for the system only in a sentence about 等保 (or 密码),
not when it is a rule ("第二级以上信息系统应…"), a grading matrix (three or more levels), one of the two
components ("业务信息安全保护等级为第二级") or the level of something else ("已通过等保三级测评的政务云
平台").

facts.py makes the `protection_level` fact from `protection_statements`; the checks (kinds/security.py,
kinds/consistency.py) take the system's level from that fact (`stated_protection_level`), so the JSON
`facts` never show a level the checks ignore.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .model import Fact, Location, Package
from .sentences import Sentence, iter_sentences, norm, scoped_sentences

_CN = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5}
_CN_OUT = {1: "一", 2: "二", 3: "三", 4: "四", 5: "五"}
_LV = "[一二三四五1-5]"
_TOKEN = re.compile(
    rf"第(?P<a>{_LV})级"
    rf"|(?:等保|等级保护)(?:2\.0)?(?:第)?(?P<b>{_LV})级"
    rf"|(?<![第\d])(?P<c>{_LV})级(?=等保|等级保护|安全保护|保护|系统|信息系统)"
)
_PROT_KEYS = re.compile(r"等保|等级保护|保护等级|安全保护|定级|GB/T22240|22239")
_CRYPTO_KEYS = re.compile(r"密码|39786|密评")
_GENERIC_AFTER = re.compile(r"^(?:及以上|以上|或以上|及以下|以下|至第)")
_ATTRIBUTIVE_AFTER = re.compile(r"^[^，。；]{0,6}?(?:测评的|认证的|备案的|的政务云|的云平台|的机房|的数据中心)")
_OTHER_SUBJECT = re.compile(r"政务云|云平台|云服务商|机房|数据中心|云服务")
_SELF = re.compile(r"本系统|本项目|本平台|本期|该系统|拟建系统|项目系统")
_ASSIGN = re.compile(r"定级为|定为|确定为|等级为|级别为|拟定为|评定为|最终|综合确定|定级结果")
_FINAL = re.compile(r"最终|综合|确定为|定为|定级为|拟定为")
_BUILD = re.compile(r"(?:按照?|参照|依据|满足|达到|符合)[^，。；]{0,16}(?:要求|标准|进行|建设|设计)|建设|设计|防护")


@dataclass(frozen=True, slots=True)
class LevelMention:
    kind: str  # "protection" | "crypto"
    level: int
    strength: str  # "assign" (定级为第三级) | "build" (按等保三级要求建设) | "mention"
    file: str
    loc: Location
    evidence: str


def level_mentions(text: str) -> list[tuple[str, int, str]]:
    """(kind, level, strength) for each level this sentence gives a system (see module docstring)."""
    s = norm(text)
    if "级" not in s:
        return []  # every _TOKEN match holds 级; most sentences have none (the scan is slow: a lookbehind leads)
    tokens = []
    for m in _TOKEN.finditer(s):
        lv = _CN[m.group("a") or m.group("b") or m.group("c")]
        after = s[m.end() :]
        if _GENERIC_AFTER.match(after) or _ATTRIBUTIVE_AFTER.match(after):
            continue
        if re.search(r"(?:对于|凡是?|其中)$", s[max(0, m.start() - 3) : m.start()]):
            continue
        tokens.append((m, lv))
    if not tokens or len({lv for _, lv in tokens}) >= 3:
        return []  # a grading matrix or a list of the levels, not a statement
    out: list[tuple[str, int, str]] = []
    for kind in ("protection", "crypto"):
        mine = []
        for m, lv in tokens:
            k = _token_kind(s, m)
            if k == kind:
                mine.append((m, lv))
        if not mine:
            continue
        # the level belongs to something else: "政务云平台已通过等保三级测评",
        # "安全物理环境由政务云运营方按等级保护第三级要求建设"
        mine = [(m, lv) for m, lv in mine if not _other_subject(s, m)]
        # "系统服务安全保护等级为第二级" is one of the two components, not the system's level,
        # unless the same sentence concludes (综合确定为第三级)
        finals_here = [(m, lv) for m, lv in mine if _FINAL.search(s[max(0, m.start() - 12) : m.start()])]
        if not finals_here:
            mine = [(m, lv) for m, lv in mine if not _component(s, m)]
        if not mine:
            continue
        strength = "assign" if _ASSIGN.search(s) else ("build" if _BUILD.search(s) or _SELF.search(s) else "mention")
        if len(mine) > 1:
            finals = [(m, lv) for m, lv in mine if _FINAL.search(s[max(0, m.start() - 12) : m.start()])]
            level = finals[-1][1] if finals else max(lv for _, lv in mine)
        else:
            level = mine[0][1]
        out.append((kind, level, strength))
    return out


_COMPONENT = re.compile(r"业务信息(?:安全)?(?:保护)?等级|系统服务(?:安全)?(?:保护)?等级")


def _component(s: str, m: re.Match[str]) -> bool:
    clause_start = max(s.rfind(p, 0, m.start()) for p in "，。；,;")
    return bool(_COMPONENT.search(s[clause_start + 1 : m.start()]))


def _other_subject(s: str, m: re.Match[str]) -> bool:
    clause_start = max(s.rfind(p, 0, m.start()) for p in "，。；,;")
    before = s[clause_start + 1 : m.start()]
    o = _OTHER_SUBJECT.search(before)
    if o is None:
        return False
    return not _SELF.search(before) or "由" in before[: o.start()]


def _token_kind(s: str, m: re.Match[str]) -> str | None:
    if m.group("b"):
        return "protection"
    if m.group("c") and re.match(r"等保|等级保护|安全保护|保护", s[m.end() :]):
        return "protection"
    # nearest keyword before the token, within its clause
    clause_start = max(s.rfind(p, 0, m.start()) for p in "，。；,;")
    window = s[clause_start + 1 : m.start()]
    last_p = max((x.end() for x in _PROT_KEYS.finditer(window)), default=-1)
    last_c = max((x.end() for x in _CRYPTO_KEYS.finditer(window)), default=-1)
    if last_p > last_c:
        return "protection"
    if last_c > last_p:
        return "crypto"
    has_p, has_c = bool(_PROT_KEYS.search(s)), bool(_CRYPTO_KEYS.search(s))
    if has_p and not has_c:
        return "protection"
    if has_c and not has_p:
        return "crypto"
    return None


_RANK = {"assign": 0, "build": 1, "mention": 2}


def mentions_in(sentences: Iterable[Sentence], kind: str, min_strength: str = "build") -> list[LevelMention]:
    """Level statements of `kind` ("protection" | "crypto") at least as strong as `min_strength`."""
    out = []
    for s in sentences:
        for k, lv, strength in level_mentions(s.text):
            if k == kind and _RANK[strength] <= _RANK[min_strength]:
                out.append(LevelMention(k, lv, strength, s.file, s.loc, s.text))
    return out


def protection_level_mentions(pkg: Package) -> list[LevelMention]:
    """Every statement of the system's 等保 level, in every readable document (strength >= build)."""
    out: list[LevelMention] = []
    for d in pkg.readable():
        out.extend(mentions_in(iter_sentences(d), "protection"))
    return out


def protection_statements(pkg: Package) -> list[LevelMention]:
    """The sources of the `protection_level` fact, the most authoritative first.

    Each 等级保护方案 (a whole document, or a chapter of another) gives its strongest statement
    (定级为 > 按…建设 > a bare mention; the first of equals): whole plans before chapters, then by
    strength, then in package order. A package without any gives the strongest statement (strength
    >= build) found in any document, or nothing.
    """
    plans = [d for d in pkg.of_kind("protection_plan") if d.readable]
    best: list[tuple[bool, int, int, LevelMention]] = []
    for i, d in enumerate(plans):
        found = mentions_in(scoped_sentences(d, "protection_plan"), "protection", "mention")
        if found:
            m = min(found, key=lambda x: _RANK[x.strength])
            best.append((d.kind != "protection_plan", _RANK[m.strength], i, m))
    if best:
        return [m for *_, m in sorted(best, key=lambda b: b[:3])]
    every = protection_level_mentions(pkg)
    every.sort(key=lambda m: m.strength != "assign")
    return every[:1]


def fact_levels(pkg: Package) -> list[tuple[int, Fact]]:
    """The `protection_level` fact's sources as (level, fact), the reference first."""
    return [(int(f.value), f) for f in pkg.facts.all("protection_level")]


def stated_protection_level(pkg: Package) -> LevelMention | None:
    """The level the package gives its system: the `protection_level` fact (see protection_statements)."""
    for lv, f in fact_levels(pkg):
        return LevelMention("protection", lv, "assign", f.file, f.loc or Location(), f.evidence)
    return None


def level_name(lv: int) -> str:
    return f"第{_CN_OUT.get(lv, str(lv))}级"
