"""Helpers shared by the check kinds: document-kind names, text normalisation, heading matching,
message filling and per-kind parameter validation (run by packs.py when a pack is loaded)."""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from ..classify import LABELS
from ..headings import strip_numbering
from ..model import Document, Heading
from ..rule import Context, Rule
from ..sentences import regex

# Every document kind classify.py can set (docs/ARCHITECTURE.md), with its Chinese name.
KIND_LABELS: dict[str, str] = dict(LABELS)
DOCUMENT_KINDS: tuple[str, ...] = tuple(KIND_LABELS)

DEFAULT_PLACEHOLDERS = (
    "xxx", "×××", "待定", "待补充", "待填", "待填写", "无", "略", "暂无", "tbd", "空", "某某", "...", "……",
    "/", "-", "—", "——",
)
# "XXX", "***", "____" and the like
_FILLER_RE = re.compile(r"^[xX×*_＿.·…/\\\-—－~～?？]+$")
_SPACES = re.compile(r"\s+")
_PUNCT_RE = re.compile(r"[\s\u3000、，,。.；;：:“”\"'‘’（）()《》<>〈〉【】\[\]{}·•\-—－_/\\|!！?？]+")


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


def kinds_label(kinds: Iterable[str], joiner: str = "或") -> str:
    return joiner.join(f"{kind_label(k)}" for k in kinds)


@lru_cache(maxsize=16384)  # the field checks normalise the same paragraph once per label they look for
def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "")


def norm(text: str) -> str:
    """NFKC, lower case, no whitespace: for exact-ish comparisons."""
    return _SPACES.sub("", nfkc(text)).lower()


def norm_title(text: str) -> str:
    """A heading title for matching: numbering, punctuation and whitespace removed."""
    t = strip_numbering(text or "")
    return _PUNCT_RE.sub("", nfkc(t)).lower()


def is_placeholder(value: str, placeholders: Iterable[str] = DEFAULT_PLACEHOLDERS) -> bool:
    v = norm(value)
    if not v:
        return True
    if _FILLER_RE.match(v):
        return True
    if isinstance(placeholders, tuple):
        return v in _normed_set(placeholders)
    return v in {norm(p) for p in placeholders}


@lru_cache(maxsize=64)
def _normed_set(placeholders: tuple[str, ...]) -> frozenset[str]:
    # a pack's placeholder list, normalised once instead of for every value tested
    return frozenset(norm(p) for p in placeholders)


def placeholders_for(rule: Rule, ctx: Context) -> tuple[str, ...]:
    own = rule.params.get("placeholders")
    if own is not None:
        return tuple(own)
    return tuple(pack_setting(ctx, "placeholders", DEFAULT_PLACEHOLDERS))


def pack_setting(ctx: Context, key: str, default: Any = None) -> Any:
    pack = getattr(ctx.settings, "pack", None)
    settings = getattr(pack, "settings", None) or {}
    return settings.get(key, default)


def fill(rule: Rule, **fields: Any) -> dict[str, Any]:
    """Every field the message template names, so a missing one prints as empty, not as '{x}'."""
    out = dict(fields)
    for _, name, _, _ in string.Formatter().parse(rule.message):
        if name and name.split(".")[0].split("[")[0] not in out:
            out[name.split(".")[0].split("[")[0]] = ""
    return out


def fmt_amount(v: Any) -> str:
    if v is None:
        return ""
    try:
        from decimal import Decimal

        d = v if isinstance(v, Decimal) else Decimal(str(v))
        d = d.normalize()
        return format(d, "f") if d == d.to_integral() else format(d, "f")
    except Exception:
        return str(v)


# ---------------------------------------------------------------------------------------------
# heading matching


def best_heading(
    doc: Document, titles: list[str], accept: float = 90, near: float = 70
) -> tuple[Heading | None, Heading | None, float]:
    """(matched heading, nearest non-matching heading, its score).

    A heading matches when its normalised title equals or contains one of `titles` ("第八章 系统集成…
    专篇"), or scores >= `accept` by fuzzy ratio (typos, 和/与). A heading that covers only part of a
    title ("信息资源共享分析") does not match: list accepted alternatives as synonyms. The nearest
    heading by RapidFuzz WRatio (which rewards a heading covering part of the title), if it scores
    >= `near`, is returned for the message when nothing matches.
    """
    wanted = [norm_title(t) for t in titles if norm_title(t)]
    if not wanted or not doc.headings:
        return None, None, 0.0
    from rapidfuzz import fuzz

    best: tuple[float, Heading | None] = (0.0, None)
    for h in doc.headings:
        ht = norm_title(h.title or h.text)
        if not ht:
            continue
        for w in wanted:
            if ht == w or w in ht:
                return h, None, 100.0
            if fuzz.ratio(ht, w) >= accept:  # the whole title, with a typo or 和/与
                return h, None, fuzz.ratio(ht, w)
            score = fuzz.WRatio(ht, w)  # near: shares a good part of the title
            if score > best[0]:
                best = (score, h)
    if best[1] is not None and best[0] >= near:
        return None, best[1], best[0]
    return None, None, best[0]


def text_contains(doc: Document, phrases: Iterable[str]) -> tuple[bool, Any]:
    """Does any text block (TOC lines excluded) contain one of the phrases? Returns (hit, block)."""
    wanted = [norm(p) for p in phrases if norm(p)]
    for b in doc.blocks:
        if b.kind == "toc":
            continue
        t = norm(b.text)
        if any(w in t for w in wanted):
            return True, b
    for table in doc.tables:
        for row in table.rows:
            for c in row:
                t = norm(c.text)
                if any(w in t for w in wanted):
                    return True, c
    return False, None


# ---------------------------------------------------------------------------------------------
# parameter validation (per kind; packs.py reports the messages with file and line)

Validator = Callable[[dict[str, Any]], list[tuple[str, str]]]
_VALIDATORS: dict[str, Validator] = {}


def param_validator(kind: str) -> Callable[[Validator], Validator]:
    def deco(fn: Validator) -> Validator:
        _VALIDATORS[kind] = fn
        return fn

    return deco


def validate_params(kind: str, params: dict[str, Any]) -> list[tuple[str, str]]:
    """[(param, Chinese message)] for every bad parameter value of a rule of `kind`."""
    from ..rule import kinds

    kinds()  # registers every kind (and its validator)
    fn = _VALIDATORS.get(kind)
    return fn(params) if fn else []


def check_str_list(params: dict[str, Any], key: str, *, kinds_only: bool = False, required: bool = False,
                   nonempty: bool = True) -> list[tuple[str, str]]:
    if key not in params:
        return [(key, "必须给出")] if required else []
    v = params[key]
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        return [(key, "必须是字符串列表")]
    if nonempty and not v:
        return [(key, "不能为空列表")]
    if kinds_only:
        bad = [x for x in v if x not in DOCUMENT_KINDS]
        if bad:
            return [(key, f"未知的文件类型 {', '.join(bad)}；可用：{', '.join(DOCUMENT_KINDS)}")]
    return []


def check_type(params: dict[str, Any], key: str, types: tuple[type, ...], what: str) -> list[tuple[str, str]]:
    if key in params and (not isinstance(params[key], types) or isinstance(params[key], bool) and bool not in types):
        return [(key, f"必须是{what}")]
    return []


def check_regex(params: dict[str, Any], key: str) -> list[tuple[str, str]]:
    v = params.get(key)
    items = v if isinstance(v, list) else [v] if isinstance(v, str) else []
    for pat in items:
        try:
            regex(pat)  # compiled once: the rules use this very object (sentences.regex)
        except re.error as e:
            return [(key, f"正则表达式“{pat}”有误：{e}")]
    return []
