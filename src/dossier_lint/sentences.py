"""Sentences, clauses and the scope of negation and context: reading what a plan says it WILL do.

Content checks must not fire on words. "本项目不新建机房" mentions a machine room and is fine;
"现有机房已于2020年建成" describes the past; "根据第八条，不得新建机房" quotes a rule. This module
splits documents into sentences and clauses, binds an action ("新建", "采购") to its object ("机房",
"服务器") inside a clause, and tells, for every such binding, whether it is *affirmed* (the plan will
do it) or why not (negated, past, background section, citation, quotation, hypothetical, 涉密).

All term lists are data (`Terms`), read from the pack's `[settings.reading]` so a city can tune them
without code; `Terms()` holds the defaults that `checks/base.toml` repeats.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from .model import Document, Location

# ---------------------------------------------------------------------------------------------
# terms

# Why an action-object binding is not an affirmed plan (None = affirmed).
NEGATED = "negated"  # 不新建机房 / 无需租用专线 / 服务器采购：无
PAST = "past"  # 已于2020年建成 / 原系统采购了服务器
BACKGROUND = "background"  # under a 现状 / 建设基础 / 政策依据 heading
CITATION = "citation"  # 根据第八条… / “…的项目原则上不予立项”
QUOTED = "quoted"  # inside “…” or 《…》
HYPOTHETICAL = "hypothetical"  # 如需新建… / 若…
EXEMPT = "exempt"  # 涉密机房 (the rules cover 非涉密 only)

STATUSES = (NEGATED, PAST, BACKGROUND, CITATION, QUOTED, HYPOTHETICAL, EXEMPT)


def _t(*items: str) -> tuple[str, ...]:
    return tuple(items)


@dataclass(frozen=True, slots=True)
class Terms:
    """Word lists that decide scope. Defaults are repeated in checks/base.toml [settings.reading]."""

    # words that negate the clause they stand in
    negators: tuple[str, ...] = _t(
        "不", "无需", "无须", "毋需", "毋须", "不必", "没有", "未", "禁止", "严禁", "杜绝", "避免",
        "取消", "停止", "不再", "不予", "不得", "不涉及", "不包含", "不包括", "无新增", "无新建",
        "无采购", "免于", "否",
    )
    # strings that contain a negator character but do not negate anything (不断, 不少于, 未来 …)
    false_negators: tuple[str, ...] = _t(
        "不断", "不仅", "不但", "不光", "不同", "不足", "不少于", "不低于", "不小于", "不超过",
        "不高于", "不大于", "不多于", "不良", "不稳定", "不便", "不够", "不满足", "不能满足",
        "不适应", "不匹配", "不统一", "不规范", "不完善", "不畅", "不一致", "不一", "不等",
        "不间断", "不定期", "不安全", "不可", "不到位", "不充分", "不高", "不强", "不明", "不利",
        "不合理", "未来", "未成年", "不动产", "否则", "是否", "与否",
    )
    # "无" alone negates only when it stands as a value: "服务器采购：无" / "（无）"
    bare_none: tuple[str, ...] = _t("：无", ":无", "（无）", "(无)", "为无", "均无", "：否", ":否")
    # adverbs before an action that put it in the past (已建成, 曾采购); window in characters
    past_markers: tuple[str, ...] = _t("已经", "已", "曾经", "曾", "早已", "均已", "此前", "先前", "原来", "原")
    past_window: int = 12
    # after an action: 采购了 / 建设过 / 建于2015年
    past_suffixes: tuple[str, ...] = _t("了", "过", "于19", "于20", "完成", "完毕")
    # markers that make a past marker in the window void (将, 拟: future)
    future_markers: tuple[str, ...] = _t("将", "拟", "计划", "预计", "本期", "需要", "需")
    # heading words of sections that describe what exists or what the rules say
    background_headings: tuple[str, ...] = _t(
        "现状", "建设基础", "基础条件", "已有", "已建", "现有", "既有", "背景", "存在问题",
        "存在的问题", "问题分析", "政策依据", "编制依据", "建设依据", "法律法规", "相关政策",
        "政策要求", "相关规定", "规范依据", "设计依据", "参考文献", "引用文件", "术语",
    )
    # heading words that mark the plan itself: they win over an outer background heading
    plan_headings: tuple[str, ...] = _t(
        "建设内容", "建设方案", "本期", "拟建", "设计方案", "技术方案", "采购清单", "设备清单",
        "实施方案", "部署方案", "概算", "预算", "投资估算", "主要任务", "服务内容",
    )
    # a sentence that cites a rule (with none of `self_markers`) is a citation, not a plan
    citation_markers: tuple[str, ...] = _t(
        "第[一二三四五六七八九十百]+条", "《[^》]{2,60}》", "(?:根据|按照|依据|依照|遵照|参照)[^，。]{0,40}(?:规定|要求|办法|通知|文件|精神|制度)",
    )
    # words that make a cited sentence about this project again (本项目将…)
    self_markers: tuple[str, ...] = _t("本项目", "本期", "本系统", "本平台", "我单位", "我局", "我委", "拟", "将")
    # generic class of projects, as rules phrase them: "新建机房的项目"
    generic_suffixes: tuple[str, ...] = _t("的项目", "类项目", "等项目", "项目原则上", "的除外")
    # phrases of the rules themselves: a sentence holding one lists forbidden classes, it is no plan
    rule_phrases: tuple[str, ...] = _t(
        "不予立项", "不予审批", "不予批准", "不再批准", "原则上不予", "不予受理", "不予安排", "不得申报",
        "原则上不得", "严格控制",
    )
    hypothetical_markers: tuple[str, ...] = _t("如需", "如果", "若需", "若", "倘若", "假如", "一旦", "如有")
    # 涉密 exemption: "涉密" not preceded by "非"
    secret_markers: tuple[str, ...] = _t("涉密",)
    # clause splitters inside a sentence, besides commas
    clause_connectors: tuple[str, ...] = _t("而是", "但是", "但需", "但将", "但", "改为", "转而", "同时")
    # action followed by these is a noun compound (建设内容, 采购方式), not an action
    noun_compounds: tuple[str, ...] = _t(
        "内容", "单位", "方案", "目标", "依据", "原则", "模式", "方式", "周期", "期限", "地点", "规模",
        "任务", "背景", "必要性", "管理", "程序", "流程", "标准", "规范", "过程", "情况", "主体", "需求",
        "要求", "工作", "计划", "进度", "资金", "经费", "成本", "年代", "时间", "年限", "领域", "经验",
        "水平", "能力", "理念", "思路", "阶段",
    )

    @classmethod
    def from_settings(cls, data: Mapping[str, Any] | None) -> Terms:
        """Build from a `[settings.reading]` table (keys kebab-case); unknown keys are ignored."""
        if not data:
            return cls()
        kwargs: dict[str, Any] = {}
        for name in cls.__slots__:  # type: ignore[attr-defined]
            key = name.replace("_", "-")
            if key in data:
                v = data[key]
                kwargs[name] = int(v) if name == "past_window" else tuple(str(x) for x in v)
        return replace(cls(), **kwargs)


_DEFAULT = Terms()


def terms_of(settings: Any) -> Terms:
    """Terms from a run's settings (pack `[settings.reading]`), cached on the settings object."""
    cache_key = "_content_b_terms"
    cached = getattr(settings, cache_key, None) if settings is not None else None
    if isinstance(cached, Terms):
        return cached
    terms = Terms.from_settings(pack_setting(settings, "reading", None))
    try:
        object.__setattr__(settings, cache_key, terms)
    except (AttributeError, TypeError):
        pass
    return terms


def pack_setting(settings: Any, key: str, default: Any = None) -> Any:
    """A `[settings]` value of the run's pack, tolerant of how the pack object stores it."""
    if settings is None:
        return default
    for holder in (getattr(settings, "pack", None), settings):
        if holder is None:
            continue
        table = getattr(holder, "settings", None)
        if isinstance(table, Mapping) and key in table:
            return table[key]
        getter = getattr(holder, "setting", None)
        if callable(getter):
            try:
                v = getter(key)
            except (KeyError, TypeError):
                v = None
            if v is not None:
                return v
    return default


# ---------------------------------------------------------------------------------------------
# text units


_WS = re.compile(r"\s+")


@lru_cache(maxsize=65536)
def norm(text: str) -> str:
    """NFKC (full-width ASCII -> half-width) and no whitespace: the form all matching uses.

    Chinese punctuation (，。；：“”《》) is left alone by NFKC except the full-width colon and
    brackets, which become ':' '(' ')': patterns below accept both.
    """
    return _WS.sub("", unicodedata.normalize("NFKC", text))


_SENT_END = re.compile(r"(?<=[。！？!?；;])|\n")
# A text holding none of these is one sentence (split_sentences' fast path: most blocks and cells)
_SENT_DELIMS = re.compile(r"[。！？!?；;\n]")
_CLAUSE_PUNCT = re.compile(r"[，,]")


# The clause analysis (find_matches) is quadratic in a sentence's length: a 10 MB line without a full stop
# is cut into pieces of at most this many characters, at a comma where there is one.
MAX_SENTENCE_CHARS = 1000


def split_sentences(text: str) -> list[str]:
    """Split on 。！？；and newlines, keeping the delimiter with its sentence; drop empties."""
    if len(text) <= MAX_SENTENCE_CHARS and not _SENT_DELIMS.search(text):
        s = text.strip()  # what the loop below makes of a text without delimiters
        return [s] if s else []
    out = []
    for s in _SENT_END.split(text):
        s = s.strip() if s else ""
        if len(s) > MAX_SENTENCE_CHARS:
            out.extend(_cut_long(s))
        elif s:
            out.append(s)
    return out


def _cut_long(s: str) -> list[str]:
    out = []
    start = 0
    while len(s) - start > MAX_SENTENCE_CHARS:  # offsets, not `s = s[cut:]`: that copy made it quadratic
        end = start + MAX_SENTENCE_CHARS
        cut = max(s.rfind("，", start, end), s.rfind(",", start, end)) + 1
        if cut <= start + MAX_SENTENCE_CHARS // 2:
            cut = end
        piece = s[start:cut].strip()
        if piece:
            out.append(piece)
        start = cut
    rest = s[start:].strip()
    return out + [rest] if rest else out


@dataclass(frozen=True, slots=True)
class Clause:
    text: str  # normalised clause text
    start: int  # offset in the normalised sentence


def split_clauses(sentence_norm: str, terms: Terms | None = None) -> list[Clause]:
    """Split a normalised sentence into clauses at commas and at connectors (但, 而是, 改为 …).

    Colons and 、 do not split: "不涉及以下内容：新建机房、采购服务器" is one negated clause.
    """
    terms = terms or _DEFAULT
    cuts = {0, len(sentence_norm)}
    for m in _CLAUSE_PUNCT.finditer(sentence_norm):
        cuts.add(m.start())
        cuts.add(m.end())
    conn = _lit(terms.clause_connectors)
    if conn is not None:
        for m in conn.finditer(sentence_norm):
            # "不但" is a false negator, not a connector
            if m.group(0) == "但" and m.start() > 0 and sentence_norm[m.start() - 1] in "不非":
                continue
            cuts.add(m.start())
    points = sorted(cuts)
    out: list[Clause] = []
    for a, b in zip(points, points[1:], strict=False):
        seg = sentence_norm[a:b]
        if seg and not _CLAUSE_PUNCT.fullmatch(seg):
            out.append(Clause(seg, a))
    return out


# Not frozen: a frozen dataclass's __init__ costs four times as much, and a big package makes ~50k
# sentences. Hashable all the same; nothing assigns to a sentence (they are shared through the cache).
@dataclass(slots=True, unsafe_hash=True)
class Sentence:
    text: str  # as written (whitespace collapsed)
    norm: str  # normalised for matching
    file: str
    loc: Location
    heading: tuple[str, ...]
    source: str  # para | heading | cell
    block_index: int = -1  # index in Document.blocks; -1 for DOCX table cells


def heading_path_at(doc: Document, loc: Location) -> tuple[str, ...]:
    """Heading path in force at `loc` (for table cells, which carry no heading path)."""
    if loc.heading:
        return loc.heading
    key = loc.paragraph if loc.paragraph is not None else None
    if key is None and loc.page is not None:
        best: tuple[str, ...] = ()
        for b in doc.blocks:
            if b.loc.page is not None and b.loc.page <= loc.page:
                best = b.loc.heading
        return best
    if key is None:
        return ()
    best = ()
    for b in doc.blocks:
        if b.loc.paragraph is not None and b.loc.paragraph <= key:
            best = b.loc.heading
        elif b.loc.paragraph is not None and b.loc.paragraph > key:
            break
    return best


def _all_sentences(doc: Document) -> list[Sentence]:
    """Every sentence of a document (see `sentences_of`), built in one loop: a 380-page package has
    ~50k sentences, and a generator per block cost a third of the time."""
    out: list[Sentence] = []
    append = out.append
    path = doc.path
    for i, b in enumerate(doc.blocks):
        kind = b.kind
        if kind == "toc":
            continue
        source = "heading" if kind == "heading" else ("cell" if kind == "cell" else "para")
        loc = b.loc
        for s in split_sentences(b.text):
            text = " ".join(s.split())
            append(Sentence(text, norm(text), path, loc, loc.heading, source, i))
    if doc.format != "docx":
        return out
    for t in doc.tables:
        hpath = heading_path_at(doc, t.loc)
        for row in t.rows:
            seen: set[str] = set()
            for c in row:
                if not c.text.strip() or c.text in seen:
                    continue
                seen.add(c.text)
                cloc = c.loc if c.loc.heading else c.loc.with_heading(hpath)
                for s in split_sentences(c.text):
                    text = " ".join(s.split())
                    append(Sentence(text, norm(text), path, cloc, hpath, "cell", -1))
    return out


# Per-document memos, keyed (id(doc), what): (doc, len(doc.blocks), value). The document and its block
# count guard against a recycled id; `forget_documents` drops a checked package's entries.
_SENT_CACHE: dict[tuple[Any, ...], tuple[Document, int, Any]] = {}


def _memo(doc: Document, what: Any, make: Any) -> Any:
    key = (id(doc), what)
    hit = _SENT_CACHE.get(key)
    if hit is None or hit[0] is not doc or hit[1] != len(doc.blocks):
        if len(_SENT_CACHE) > 1024:
            _SENT_CACHE.clear()
        hit = (doc, len(doc.blocks), make())
        _SENT_CACHE[key] = hit
    return hit[2]


def _sentence_list(doc: Document, headings: bool = True, tables: bool = True) -> list[Sentence]:
    if headings and tables:
        return _memo(doc, "sentences", lambda: _all_sentences(doc))
    # the narrower lists are the full one filtered (the same objects): one split per document
    full = _sentence_list(doc)
    return _memo(
        doc,
        ("sentences", headings, tables),
        lambda: [s for s in full if (headings or s.source != "heading") and (tables or s.block_index >= 0)],
    )


def iter_sentences(doc: Document, *, headings: bool = True, tables: bool = True) -> Iterator[Sentence]:
    """`sentences_of` as an iterator (cached: twenty rules read the same document)."""
    return iter(_sentence_list(doc, headings, tables))


def forget_documents(docs: Sequence[Document]) -> None:
    """Drop the cached sentences of these documents (the engine calls it when a package is checked)."""
    ids = {id(d) for d in docs}
    for key in [k for k in _SENT_CACHE if k[0] in ids]:
        del _SENT_CACHE[key]


def sentences_of(doc: Document, *, headings: bool = True, tables: bool = True) -> Iterator[Sentence]:
    """Every sentence of a document in order: paragraphs (and headings), then DOCX table cells.

    XLSX cells are blocks already; PDF tables are also in the page text, so only DOCX tables
    (whose text is not duplicated as blocks) are walked separately. A merged DOCX cell repeats
    in every grid position: each distinct text is yielded once per row. `headings=False` leaves out
    heading blocks, `tables=False` the DOCX table cells (the only sentences without a block).
    """
    for s in _all_sentences(doc):
        if (headings or s.source != "heading") and (tables or s.block_index >= 0):
            yield s


def iter_package_sentences(docs: Iterable[Document], **kw: Any) -> Iterator[Sentence]:
    for d in docs:
        if d.readable:
            yield from iter_sentences(d, **kw)


# ---------------------------------------------------------------------------------------------
# matching action + object inside a clause


@dataclass(frozen=True, slots=True)
class Pattern:
    """What a construction rule looks for. Strings are regular expressions over normalised text."""

    actions: tuple[str, ...]  # 新建 / 扩建 / 采购 …
    objects: tuple[str, ...]  # 机房 / 服务器 …
    object_prefix_excludes: tuple[str, ...] = ()  # 云服务器: "云" before the object
    object_suffix_excludes: tuple[str, ...] = ()  # 电子证照对接: "对接" after the object
    max_gap: int = 14  # characters allowed between action and object (modifiers, lists)
    backward_gap: int = 3  # "服务器采购", "机房的新建": object then action within this gap
    gap_breakers: tuple[str, ...] = (
        "包括", "用于", "对接", "接入", "调用", "依托", "利用", "使用", "基于", "替代", "迁移", "整合",
        "通过", "实现", "与", "提供", "承载", "支撑",
    )

    @staticmethod
    def from_params(params: Mapping[str, Any]) -> Pattern:
        def tup(key: str) -> tuple[str, ...]:
            return tuple(str(x) for x in params.get(key, ()) or ())

        p = Pattern(actions=tup("actions"), objects=tup("objects"))
        kw: dict[str, Any] = {}
        if "object-prefix-excludes" in params:
            kw["object_prefix_excludes"] = tup("object-prefix-excludes")
        if "object-suffix-excludes" in params:
            kw["object_suffix_excludes"] = tup("object-suffix-excludes")
        if "max-gap" in params:
            kw["max_gap"] = int(params["max-gap"])
        if "backward-gap" in params:
            kw["backward_gap"] = int(params["backward-gap"])
        if "gap-breakers" in params:
            kw["gap_breakers"] = tup("gap-breakers")
        return replace(p, **kw) if kw else p


@dataclass(frozen=True, slots=True)
class Match:
    action: str
    object: str
    clause: str
    status: str | None  # None = affirmed; else the strongest of `flags`
    why: str = ""  # the marker that decided the status
    flags: tuple[str, ...] = ()  # every reason it is not affirmed (NEGATED, PAST, …)

    @property
    def affirmed(self) -> bool:
        return self.status is None

    @property
    def refused(self) -> bool:
        """The plan itself says it will NOT do this (negated, and nothing else: not past, not a
        quote of the rules, not a background section). For required constructions this is a finding."""
        return self.flags == (NEGATED,)


_REGEXES: dict[tuple[str, int], re.Pattern[str]] = {}


def regex(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile`, once per process for each (pattern, flags). A pack's regexes are compiled when it is
    loaded (validation) and then by every rule on every package; `re`'s own cache holds 512 patterns, fewer
    than the packs and term lists have, so it evicted them and they were compiled again and again."""
    if not isinstance(pattern, str):
        return re.compile(pattern, flags)  # whatever re makes of it (and its error, for pack validation)
    key = (pattern, flags)
    rx = _REGEXES.get(key)
    if rx is None:
        if len(_REGEXES) >= 20_000:  # only a generated pack could get here
            _REGEXES.clear()
        rx = _REGEXES[key] = re.compile(pattern, flags)
    return rx


# Every character that `re.IGNORECASE` matches to an ASCII letter: the letters and four others (İ ı ſ K).
# tests/test_check_fast_paths.py checks the list against every code point.
ANYCASE_ASCII_LETTER = re.compile("[A-Za-z\u0130\u0131\u017f\u212a]")
_PREFILTERS: dict[tuple[tuple[str, ...], int], re.Pattern[str] | None] = {}


def prefilter(patterns: Sequence[str], flags: int = 0) -> re.Pattern[str] | None:
    """A regex that finds something in every text in which one of `patterns` (compiled with `flags`) finds
    a match, or None when that cannot be told. Built from literal strings that every match must hold
    ("MD5" in `(?<![A-Za-z0-9])MD5(?![0-9])`), it is a plain literal scan, where a pattern that starts
    with a lookbehind or an optional group is tried at every position: rules that read every sentence
    test it first and skip the (nearly all) sentences it does not find."""
    key = (tuple(patterns), flags)
    if key not in _PREFILTERS:
        if len(_PREFILTERS) >= 4096:
            _PREFILTERS.clear()
        _PREFILTERS[key] = _make_prefilter(key[0], flags)
    return _PREFILTERS[key]


def _make_prefilter(patterns: tuple[str, ...], flags: int) -> re.Pattern[str] | None:
    if not patterns:
        return None
    try:
        from re import _parser  # the parser re itself uses; private, so any surprise means "no prefilter"

        literals: set[str] = set()
        anycase = False
        for p in patterns:
            parsed = _parser.parse(p, flags)
            found = _required_literals(parsed, _parser)
            if not found:
                return None
            pflags = parsed.state.flags
            if pflags & re.LOCALE:
                return None
            if pflags & re.IGNORECASE:
                # a literal with an ASCII letter matches only texts holding one of ANYCASE_ASCII_LETTER
                if not all(any("a" <= ch <= "z" or "A" <= ch <= "Z" for ch in lit) for lit in found):
                    return None
                anycase = True
            else:
                literals.update(found)
        alts = [re.escape(x) for x in sorted(literals, key=lambda x: (-len(x), x))]
        if anycase:
            alts.append(ANYCASE_ASCII_LETTER.pattern)
        return re.compile("|".join(alts))
    except Exception:  # noqa: BLE001 - an unexpected parse tree: test every sentence, as before
        return None


def _required_literals(items: Any, sre: Any) -> list[str] | None:
    """Literal strings one of which every match of the parsed sequence `items` holds (None: unknown).
    Runs of literal characters count, and what a group, a repeat of at least one, a branch (every
    alternative) or a class of single characters requires; all else (classes, anchors, lookarounds,
    back-references, groups with flags of their own) requires nothing that is known."""
    best: list[str] | None = None

    def consider(cand: list[str] | None) -> None:
        nonlocal best
        if not cand:
            return
        if best is None or (min(map(len, cand)), -len(cand)) > (min(map(len, best)), -len(best)):
            best = cand

    run: list[str] = []
    for op, av in items:
        if op is sre.LITERAL:
            run.append(chr(av))
            continue
        if run:
            consider(["".join(run)])
            run = []
        if op is sre.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            if not add_flags and not del_flags:
                consider(_required_literals(sub, sre))
        elif op is sre.ATOMIC_GROUP:
            consider(_required_literals(av, sre))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            lo, _hi, sub = av
            if lo >= 1:
                consider(_required_literals(sub, sre))
        elif op is sre.BRANCH:
            parts = [_required_literals(alt, sre) for alt in av[1]]
            if parts and all(parts):
                consider(sorted({x for part in parts for x in part}))
        elif op is sre.IN and av and all(o is sre.LITERAL for o, _ in av):
            consider(sorted({chr(c) for _, c in av}))
    if run:
        consider(["".join(run)])
    return best


def _alt(items: Sequence[str]) -> re.Pattern[str] | None:
    items = [i for i in items if i]
    if not items:
        return None
    return regex("|".join(f"(?:{i})" for i in sorted(items, key=len, reverse=True)))


_PAT_CACHE: dict[int, tuple[Sequence[str], re.Pattern[str] | None]] = {}
_LIT_CACHE: dict[int, tuple[Sequence[str], re.Pattern[str] | None]] = {}
_NORM_CACHE: dict[int, tuple[Sequence[str], tuple[str, ...]]] = {}


# Anchors, lookarounds, word boundaries, back-references and conditionals: what can make a regex match
# inside a piece of a text and not in the whole text.
_CONTEXT_SYNTAX = re.compile(r"[\^$]|\(\?(?:[=!<(]|P=)|\\[bBAZ1-9]")


def context_free(pattern: str) -> bool:
    """Whether a match of `pattern` in a substring (a clause) is also a match in the whole text (its
    sentence): true when the pattern holds none of `^ $ \\b \\B \\A \\Z`, lookarounds, back-references
    or conditionals (checked on the source text, conservatively: `[^…]` counts too). A check may then
    test the sentence once and skip its clauses when nothing matches."""
    return not _CONTEXT_SYNTAX.search(pattern)


def _compiled(items: Sequence[str]) -> re.Pattern[str] | None:
    """Alternation of regexes, compiled once per list object (term lists live as long as the run)."""
    hit = _PAT_CACHE.get(id(items))
    if hit is None or hit[0] is not items:
        hit = (items, _alt(items))
        _PAT_CACHE[id(items)] = hit
    return hit[1]


def _lit(items: Sequence[str]) -> re.Pattern[str] | None:
    """Alternation of literal strings (normalised), compiled once per list object."""
    hit = _LIT_CACHE.get(id(items))
    if hit is None or hit[0] is not items:
        hit = (items, _alt([re.escape(norm(i)) for i in items]))
        _LIT_CACHE[id(items)] = hit
    return hit[1]


_RX_CACHE: dict[tuple[int, int], tuple[Sequence[str], list[re.Pattern[str]]]] = {}


def compiled_list(items: Sequence[str], flags: int = 0) -> list[re.Pattern[str]]:
    """Each regex of a pack list compiled, once per list object."""
    key = (id(items), flags)
    hit = _RX_CACHE.get(key)
    if hit is None or hit[0] is not items:
        hit = (items, [regex(p, flags) for p in items])
        _RX_CACHE[key] = hit
    return hit[1]


def _normed(items: Sequence[str]) -> tuple[str, ...]:
    hit = _NORM_CACHE.get(id(items))
    if hit is None or hit[0] is not items:
        hit = (items, tuple(norm(i) for i in items))
        _NORM_CACHE[id(items)] = hit
    return hit[1]


def negator_in(text: str, terms: Terms) -> str | None:
    """The first real negator in `text` (false negators such as 不断, 不少于, 未来 removed)."""
    masked = text
    fn = _lit(terms.false_negators)
    if fn is not None:
        masked = fn.sub(lambda m: "＿" * len(m.group(0)), masked)
    neg = _lit(terms.negators)
    if neg is not None:
        m = neg.search(masked)
        if m:
            return m.group(0)
    for bn in _normed(terms.bare_none):
        if bn in masked or (masked.endswith(bn.lstrip(":：")) and bn.lstrip(":：") in ("无", "否")):
            return bn
    stripped = masked.rstrip("。；;.!！")
    if _BARE_NONE_END.search(stripped):
        return "无"
    return None


_BARE_NONE_END = re.compile(r"(?:^|[:：（(])\s*[无否]\s*[)）]?$")
_LINKING_GAP = re.compile(r"[的及和与、已均将拟需不无未再予得]*")
_VERBISH = re.compile(r"[建购置设装租]|开发|部署|搭建|申请|列入|纳入|安排")


def _past(prefix: str, suffix: str, terms: Terms) -> str | None:
    """A past marker governing the action: 已于2020年建设 / 原系统采购 / 采购了.

    The marker must govern *this* action: in "已建机房基础上扩建机房" 已 belongs to 建, so a verb
    between marker and action voids it; so does a future word (已申请资金，将采购).
    """
    window = prefix[-terms.past_window :]
    fut = _lit(terms.future_markers)
    pm = _lit(terms.past_markers)
    if pm is not None:
        found = list(pm.finditer(window))
        m = found[-1] if found else None
        if m is not None:
            between = window[m.end() :]
            word_like = m.group(0) == "原" and between[:1] in ("则", "因", "始", "材", "型", "本")
            if not word_like and not _VERBISH.search(between) and (fut is None or not fut.search(between)):
                return m.group(0)
    for s, sn in zip(terms.past_suffixes, _normed(terms.past_suffixes), strict=True):
        if suffix.startswith(sn):
            return s
    return None


_HEADING_CACHE: dict[tuple[tuple[str, ...], int], tuple[Terms, str | None]] = {}


def _heading_status(heading: Sequence[str], terms: Terms) -> str | None:
    if not heading:
        return None
    key = (tuple(heading), id(terms))
    hit = _HEADING_CACHE.get(key)
    if hit is not None and hit[0] is terms:
        return hit[1]
    out = _heading_status_uncached(heading, terms)
    if len(_HEADING_CACHE) > 20000:
        _HEADING_CACHE.clear()
    _HEADING_CACHE[key] = (terms, out)
    return out


def _heading_status_uncached(heading: Sequence[str], terms: Terms) -> str | None:
    inner = norm(heading[-1])
    if any(p in inner for p in _normed(terms.plan_headings)):
        return None
    for h in heading:
        hn = norm(h)
        for mk, mkn in zip(terms.background_headings, _normed(terms.background_headings), strict=True):
            if mkn in hn:
                return mk
    return None


def heading_is_background(heading: Sequence[str], terms: Terms | None = None) -> bool:
    """Is a place under a 现状 / 建设基础 / 政策依据 heading (and not under a plan heading)?"""
    return _heading_status(tuple(heading), terms or _DEFAULT) is not None


def _in_quotes(sentence: str, pos: int) -> bool:
    """Whether offset `pos` lies inside “…”, 「…」 or 《…》 (quotes of rules, titles of documents)."""
    for open_, close in (("“", "”"), ("「", "」"), ("《", "》"), ("‘", "’")):
        if sentence.rfind(open_, 0, pos) > sentence.rfind(close, 0, pos):
            return True
    return sentence.count('"', 0, pos) % 2 == 1


def _citation(sentence: str, terms: Terms) -> str | None:
    for pat in terms.citation_markers:
        m = regex(pat).search(sentence)
        if m:
            if any(x in sentence for x in _normed(terms.self_markers)):
                return None
            return m.group(0)
    return None


def _exempt(clause: str, terms: Terms) -> str | None:
    for mk in terms.secret_markers:
        for m in regex(re.escape(mk)).finditer(clause):
            if m.start() == 0 or clause[m.start() - 1] != "非":
                return mk
    return None


def match_regexes(pattern: Pattern) -> tuple[re.Pattern[str], re.Pattern[str]] | None:
    """(actions, objects) alternations of a pattern; None when either list is empty (nothing matches)."""
    act = _compiled(pattern.actions)
    obj = _compiled(pattern.objects)
    return None if act is None or obj is None else (act, obj)


def may_match(sentences: Iterable[Sentence], pattern: Pattern) -> Iterator[tuple[bool, Sentence]]:
    """(False, s) for each sentence in which `find_matches(s.text, pattern)` is surely empty (it names no
    object or no action: most sentences), else (True, s). The same test find_matches starts with, made
    once per sentence and rule without the call: the construction rules read every plan sentence."""
    rx = match_regexes(pattern)
    if rx is None:
        for s in sentences:
            yield False, s
        return
    # actions first: they are short literal lists that the regex engine scans fast, and few sentences
    # hold one; object lists with a leading optional group ("(?:手机|移动)?APP") are slow to scan
    act, obj = rx[0].search, rx[1].search
    for s in sentences:
        n = s.norm
        yield (act(n) is not None and obj(n) is not None), s


def find_matches(
    sentence: str,
    pattern: Pattern,
    terms: Terms | None = None,
    *,
    heading: Sequence[str] = (),
) -> list[Match]:
    """Every action-object binding in a sentence, with its status.

    `sentence` may be raw; it is normalised here. A binding is *forward* (action, then at most
    `max_gap` characters without a breaker, then object: "新建一个非涉密机房") or *backward*
    (object, then the action within `backward_gap`: "服务器采购", "机房的新建").
    """
    terms = terms or _DEFAULT
    s = norm(sentence)
    act = _compiled(pattern.actions)
    obj = _compiled(pattern.objects)
    if act is None or obj is None or not act.search(s) or not obj.search(s):
        return []  # most sentences name neither: skip the clause work
    out: list[Match] = []
    for clause in split_clauses(s, terms):
        c = clause.text
        for om in obj.finditer(c):
            if _excluded(c, om, pattern):
                continue
            bound = _bind(c, om, act, pattern, terms)
            if bound is None:
                continue
            am, a_start, a_end = bound
            flags = _status(s, clause, c, om, a_start, a_end, terms, heading)
            status, why = flags[0] if flags else (None, "")
            out.append(Match(am, om.group(0), c, status, why, tuple(f for f, _ in flags)))
    return out


def _excluded(c: str, om: re.Match[str], pattern: Pattern) -> bool:
    before = c[: om.start()]
    after = c[om.end() :]
    if any(before.endswith(x) for x in _normed(pattern.object_prefix_excludes)):
        return True
    return any(after.startswith(x) for x in _normed(pattern.object_suffix_excludes))


def _bind(
    c: str, om: re.Match[str], act: re.Pattern[str], pattern: Pattern, terms: Terms
) -> tuple[str, int, int] | None:
    """The action governing the object `om` in clause `c`: nearest before it, else right after."""
    breakers = _lit(pattern.gap_breakers)
    nouns = _lit(terms.noun_compounds)
    best: tuple[str, int, int] | None = None
    for am in act.finditer(c, 0, om.start()):
        gap = c[am.end() : om.start()]
        if len(gap) > pattern.max_gap:
            continue
        if breakers is not None and breakers.search(gap):
            continue
        nm = nouns.match(c, am.end()) if nouns is not None else None
        if nm and am.end() != om.start() and c[nm.end() : nm.end() + 1] != "化":
            continue  # 建设内容包括… : "建设" is a noun here (but 建设标准化机房 builds one)
        best = (am.group(0), am.start(), am.end())  # keep the nearest
    if best is not None:
        return best
    tail = c[om.end() : om.end() + pattern.backward_gap + 8]
    for am in act.finditer(tail):
        if am.start() > pattern.backward_gap:
            break
        gap = tail[: am.start()]
        if gap and not _LINKING_GAP.fullmatch(gap):
            continue
        if nouns is not None and nouns.match(tail, am.end()):
            continue  # 机房建设标准 / 机房建设年代: a noun phrase, not "build the room"
        return (am.group(0), om.end() + am.start(), om.end() + am.end())
    return None


def _status(
    s: str,
    clause: Clause,
    c: str,
    om: re.Match[str],
    a_start: int,
    a_end: int,
    terms: Terms,
    heading: Sequence[str],
) -> list[tuple[str, str]]:
    """Every reason the binding is not an affirmed plan, strongest first (empty = affirmed)."""
    out: list[tuple[str, str]] = []
    first = min(a_start, om.start())
    last = max(a_end, om.end())
    neg = negator_in(c, terms)
    if neg:
        out.append((NEGATED, neg))
    past = _past(c[:a_start], c[a_end:], terms)
    if past:
        out.append((PAST, past))
    ex = _exempt(c, terms)
    if ex:
        out.append((EXEMPT, ex))
    hyp = _lit(terms.hypothetical_markers)
    if hyp is not None:
        m = hyp.search(c[:first].replace("若干", "＿＿"))
        if m and m.start() <= 2:
            out.append((HYPOTHETICAL, m.group(0)))
    if _in_quotes(s, clause.start + first):
        out.append((QUOTED, "“…”"))
    after = c[last:]
    for g, gn in zip(terms.generic_suffixes, _normed(terms.generic_suffixes), strict=True):
        if gn in after:
            out.append((CITATION, g))
            break
    else:
        rp = _lit(terms.rule_phrases)
        m = rp.search(s) if rp is not None else None
        if m:
            out.append((CITATION, m.group(0)))
        else:
            cit = _citation(s, terms)
            if cit:
                out.append((CITATION, cit))
    hs = _heading_status(heading, terms)
    if hs:
        out.append((BACKGROUND, hs))
    return out


def affirmed(sentence: str, pattern: Pattern, terms: Terms | None = None, heading: Sequence[str] = ()) -> list[Match]:
    return [m for m in find_matches(sentence, pattern, terms, heading=heading) if m.affirmed]


# ---------------------------------------------------------------------------------------------
# small helpers shared by the content kinds

_CN_DIGIT = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5}


def cn_level(ch: str) -> int | None:
    return _CN_DIGIT.get(ch)


def contains_any(text: str, words: Iterable[str]) -> str | None:
    t = norm(text)
    for w in words:
        if norm(w) in t:
            return w
    return None


@dataclass(slots=True)
class Located:
    """A finding's place: file, location and the sentence quoted as evidence."""

    file: str
    loc: Location
    evidence: str
    extra: dict[str, Any] = field(default_factory=dict)


_SECRET_VALUES = re.compile(r"秘密|机密|绝密|^涉密")


def is_secret_project(package: Any) -> bool:
    """A 涉密 project (form field 项目密级): the municipal rules cover 非涉密 projects only."""
    for f in package.facts.all("secrecy"):
        v = norm(str(f.value))
        if v and "非涉密" not in v and "不涉密" not in v and _SECRET_VALUES.search(v):
            return True
    return False


def where(file: str | None, loc: Location | None) -> str:
    """'可研.docx 第12页' / '申报表.xlsx 基本情况!B3' / 'a.docx 表1第3行第4列': for messages naming a place."""
    if not file:
        return "申报包"
    if loc is None:
        return file
    if loc.sheet is not None:
        return f"{file} {loc.sheet}!{loc.cell}" if loc.cell else f"{file} {loc.sheet}"
    cell = ""
    table = getattr(loc, "table", None)
    if table is not None:
        cell = f"表{table}"
        if getattr(loc, "row", None) is not None:
            cell += f"第{loc.row}行"
            if getattr(loc, "col", None) is not None:
                cell += f"第{loc.col}列"
    if loc.page is not None:
        return f"{file} 第{loc.page}页" + cell
    if loc.line is not None:
        return f"{file} 第{loc.line}行"
    if cell:
        return f"{file} {cell}"
    if loc.paragraph is not None:
        return f"{file} 第{loc.paragraph + 1}段"
    return file


def part_titles(kind: str) -> tuple[str, ...]:
    """Chapter titles that make a chapter a document of `kind` (classify's part titles)."""
    from . import classify

    for k, words in getattr(classify, "_PART_TITLES", []):
        if k == kind:
            return tuple(words)
    return ()


def scoped_sentences(doc: Document, kind: str, **kw: Any) -> Iterator[Sentence]:
    """Sentences of `doc` that belong to `kind`: all of them when it is the document's kind, else
    those under a chapter holding that part (a 可研's 密码应用方案 chapter)."""
    if doc.kind == kind:
        yield from iter_sentences(doc, **kw)
        return
    titles = [norm(t).lower() for t in part_titles(kind)]
    if not titles:
        return
    for s in iter_sentences(doc, **kw):
        if any(any(t in norm(h).lower() for t in titles) for h in s.heading):
            yield s


def docs_for(ctx: Any, kind: str) -> list[Document]:
    """Readable documents holding `kind`: the documents of that kind when there are any, else those
    holding it as a chapter. A 可研's 密码应用 chapter summarises a separate 密码应用方案 and is not
    held to the full plan's content when the plan itself is in the package."""
    docs = ctx.docs(kind)
    whole = [d for d in docs if d.kind == kind]
    return whole or docs
