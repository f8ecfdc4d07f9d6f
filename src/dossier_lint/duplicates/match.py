"""Score a proposal against catalog systems (and against other proposals of the same round).

One calibrated score in [0, 1] per pair: a logistic function of five similarity features (see
lexicon.toml [model]), fitted on the labelled set's dev split by scripts/eval_duplicates.py --fit.
Candidates come from the BM25 index; RapidFuzz and weighted token overlap re-score them.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .catalog import CatalogSystem
from .index import BIGRAM, CatalogIndex
from .proposal import FunctionItem, Proposal
from .text import W_CONTENT, W_WEAK, Lexicon, Segmenter, bigrams

FEATURES = ("name", "name_fuzz", "desc", "cover", "fuzz", "sys_name_in", "name_in_sys")
DEFAULT_THRESHOLDS = {"error": 0.8, "warning": 0.5}
CANDIDATES = 200

# verdicts
DUPLICATE = "duplicate"  # DL701
COMMON = "common"  # DL702: a 统建通用系统 of another unit covers it
PREDECESSOR = "predecessor"  # the system this 续建 / 运维 / 二期 project continues: not a duplicate
REUSED = "reused"  # the package says it builds on this system: not a duplicate
IGNORED = "ignored"  # one listed function resembles a common system of the package's own unit


@dataclass(slots=True)
class Bag:
    """Canonical tokens of one side of a pair (sets and strings computed once, on first use)."""

    name: list[str]
    desc: list[str]
    _name_set: frozenset[str] | None = None
    _all_set: frozenset[str] | None = None
    _content: dict[str, str] = field(default_factory=dict)
    _sums: dict[tuple, float] = field(default_factory=dict)

    @property
    def name_set(self) -> frozenset[str]:
        if self._name_set is None:
            self._name_set = frozenset(self.name)
        return self._name_set

    @property
    def all_set(self) -> frozenset[str]:
        if self._all_set is None:
            self._all_set = self.name_set | frozenset(self.desc)
        return self._all_set

    def wsum(self, which: str, w: Weight) -> float:
        """`_wsum` of the name set or of all tokens, once per weight function: a proposal's bag meets
        every other proposal of a round (and a catalog's candidates). The same frozenset summed in the
        same order gives the same float as summing it again."""
        key = (which, w)  # a bound method hashes and compares by its object and function
        got = self._sums.get(key)
        if got is None:
            got = self._sums[key] = _wsum(self.name_set if which == "name" else self.all_set, w)
        return got

    def content(self, which: str, lex: Lexicon) -> str:
        """Content tokens (weight >= weak), sorted and space-joined: RapidFuzz input."""
        got = self._content.get(which)
        if got is None:
            toks = self.name_set if which == "name" else self.all_set
            got = self._content[which] = _content(toks, lex)
        return got


@dataclass(slots=True)
class Match:
    score: float
    verdict: str
    features: dict[str, float]
    shared: list[str]  # key terms both sides share, most telling first
    system: CatalogSystem | None = None  # catalog matches
    other_path: str | None = None  # round matches: the other package
    other_package: str = ""  # its folder / zip name
    other_name: str = ""
    other_department: str = ""
    via: FunctionItem | None = None  # matched through one listed function rather than the whole project
    reason: str = ""  # why excluded (predecessor / reused)

    @property
    def name(self) -> str:
        return self.system.name if self.system is not None else self.other_name

    @property
    def department(self) -> str:
        return self.system.department if self.system is not None else self.other_department

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "score": round(self.score, 3),
            "verdict": self.verdict,
            "shared_terms": self.shared,
            "features": {k: round(v, 3) for k, v in self.features.items()},
        }
        if self.system is not None:
            out["system"] = self.system.to_dict()
            out["catalog_row"] = self.system.ref
        else:
            out["package"] = self.other_path
            out["name"] = self.other_name
            if self.other_department:
                out["department"] = self.other_department
        if self.via is not None:
            out["via_function"] = self.via.text
        if self.reason:
            out["reason"] = self.reason
        return out


# ---------------------------------------------------------------- features


Weight = Callable[[str], float]


def _wsum(tokens: Iterable[str], w: Weight) -> float:
    # fsum: exactly rounded, so the same set gives the same float whatever order it iterates in (a set's
    # order follows the hash seed: with `sum`, a pair's score could differ in its last bit between runs)
    return math.fsum(map(w, tokens))


def _dice(a: frozenset[str], b: frozenset[str], w: Weight) -> float:
    den = _wsum(a, w) + _wsum(b, w)
    return 2 * _wsum(a & b, w) / den if den > 0 else 0.0


def _cover(a: frozenset[str], b: frozenset[str], w: Weight) -> float:
    """Share of b's weight that a holds."""
    den = _wsum(b, w)
    return _wsum(a & b, w) / den if den > 0 else 0.0


def _content(tokens: Iterable[str], lex: Lexicon) -> str:
    return " ".join(sorted({t for t in tokens if lex.weight(t) >= W_WEAK}))


def features(a: Bag, b: Bag, lex: Lexicon, w: Weight) -> dict[str, float]:
    """The pair's features with `b` as the system (catalog row, or the other proposal)."""
    return pair_features(a, b, lex, w)[0]


def pair_features(a: Bag, b: Bag, lex: Lexicon, w: Weight) -> tuple[dict[str, float], dict[str, float]]:
    """`features(a, b)` and `features(b, a)` at once: a round scores each pair both ways, and all but the
    denominators of `cover`, `sys_name_in` and `name_in_sys` are the same both ways (sums are exact, so
    each is the same float whichever way round it is computed)."""
    from rapidfuzz import fuzz

    an, bn = a.name_set, b.name_set
    aa, ba = a.all_set, b.all_set
    acn, bcn = a.content("name", lex), b.content("name", lex)
    aca, bca = a.content("all", lex), b.content("all", lex)
    lw = lex.weight
    # _dice / _cover with each whole set's sum memoised on its bag: only the intersections are summed
    den_n = a.wsum("name", w) + b.wsum("name", w)
    den_a = a.wsum("all", w) + b.wsum("all", w)
    shared_a = _wsum(aa & ba, w)
    name = 2 * _wsum(an & bn, w) / den_n if den_n > 0 else 0.0
    name_fuzz = fuzz.token_set_ratio(acn, bcn) / 100 if acn and bcn else 0.0
    desc = 2 * shared_a / den_a if den_a > 0 else 0.0
    fz = fuzz.token_set_ratio(aca, bca) / 100 if aca and bca else 0.0
    # what the system is (its name) found anywhere in the proposal, and the other way round. Without
    # IDF: in a name, frequent words such as 资金 / 追溯 / 考核 say what kind of system it is.
    b_name_in_a, a_name_in_b = _wsum(aa & bn, lw), _wsum(ba & an, lw)
    den_bn, den_an = b.wsum("name", lw), a.wsum("name", lw)
    den_ba, den_aa = b.wsum("all", w), a.wsum("all", w)
    b_in_a = b_name_in_a / den_bn if den_bn > 0 else 0.0
    a_in_b = a_name_in_b / den_an if den_an > 0 else 0.0
    # keys in FEATURES order (the JSON output lists them so)
    return ({"name": name, "name_fuzz": name_fuzz, "desc": desc, "cover": shared_a / den_ba if den_ba > 0 else 0.0,
             "fuzz": fz, "sys_name_in": b_in_a, "name_in_sys": a_in_b},
            {"name": name, "name_fuzz": name_fuzz, "desc": desc, "cover": shared_a / den_aa if den_aa > 0 else 0.0,
             "fuzz": fz, "sys_name_in": a_in_b, "name_in_sys": b_in_a})


def calibrated(feats: dict[str, float], model: dict[str, float]) -> float:
    z = model.get("bias", 0.0) + sum(model.get(k, 0.0) * feats.get(k, 0.0) for k in FEATURES)
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def shared_terms(a: Bag, b: Bag, lex: Lexicon, w: Weight, limit: int = 6) -> list[str]:
    common = [t for t in a.all_set & b.all_set if lex.weight(t) >= W_WEAK]
    common.sort(key=lambda t: (-w(t), -len(t), t))
    return common[:limit]


# ---------------------------------------------------------------- units and names


_UNIT_PREFIX = re.compile(r"^(?:中共)?(?:[\u4e00-\u9fff]{2,3}(?:省|市|县|区))+")
_UNIT_NOISE = re.compile(r"人民政府|办公室$|\s|（.*?）|\(.*?\)")


def _unit_core(unit: str) -> str:
    u = unicodedata.normalize("NFKC", unit or "")
    u = _UNIT_NOISE.sub("", u)
    u = _UNIT_PREFIX.sub("", u) or u
    return u.lstrip("市县区")


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def same_unit(a: str, b: str) -> bool:
    """Same department, allowing region prefixes and abbreviations (市城管执法局 ~ 南充市城市管理行政执法局)."""
    ca, cb = _unit_core(a), _unit_core(b)
    if not ca or not cb:
        return False
    if ca == cb:
        return True
    short, long = sorted((ca, cb), key=len)
    if len(short) >= 3 and short[-1] == long[-1] and _subsequence(short, long):
        return True
    from rapidfuzz import fuzz

    return fuzz.ratio(ca, cb) >= 90


SAME_SYSTEM = 0.75  # name similarity at which two names denote the same system


def reuse_covers(reuse: list[str], system_name: list[str], lex: Lexicon) -> bool:
    """The reused platform named in the package ("市公安局视频共享平台") holds the system's name words."""
    content = [t for t in system_name if lex.weight(t) >= W_WEAK]
    return bool(content) and _cover(frozenset(reuse), frozenset(system_name), lex.weight) >= 0.8


def name_similarity(a: list[str], b: list[str], lex: Lexicon) -> float:
    """Weighted overlap of two names' canonical tokens (no catalog statistics: for exclusions)."""
    return _dice(frozenset(a), frozenset(b), lex.weight)


# ---------------------------------------------------------------- the matcher


@dataclass(slots=True)
class Matcher:
    seg: Segmenter
    index: CatalogIndex | None = None
    thresholds: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_THRESHOLDS))
    model: dict[str, float] = field(default_factory=dict)

    _weights: dict[str, float] = field(default_factory=dict)
    _common: dict[str, list[int]] | None = None  # core name token -> common systems naming it

    def __post_init__(self) -> None:
        if not self.model:
            self.model = dict(self.seg.lex.model)

    @property
    def lex(self) -> Lexicon:
        return self.seg.lex

    @property
    def report_at(self) -> float:
        return min(self.thresholds.values()) if self.thresholds else DEFAULT_THRESHOLDS["warning"]

    def weight(self, token: str) -> float:
        w = self._weights.get(token)
        if w is None:
            lw = self.lex.weight(token)
            w = lw * self.index.idf_factor(token) if self.index is not None else lw
            if len(self._weights) < 1_000_000:
                self._weights[token] = w
        return w

    def common_by_token(self) -> dict[str, list[int]]:
        """Common (统建通用) systems by the content words of their names, for function-level matching."""
        if self._common is None:
            out: dict[str, list[int]] = {}
            if self.index is not None:
                lex = self.lex
                for s in self.index.catalog.systems:
                    if s.common:
                        for t in {t for t in self.index.name_tokens(s.index) if lex.weight(t) >= W_CONTENT}:
                            out.setdefault(t, []).append(s.index)
            self._common = out
        return self._common

    def proposal_bag(self, p: Proposal) -> Bag:
        desc = self.seg.tokens(p.tasks)
        for f in p.functions:
            desc.extend(self.seg.tokens(f.text))
        name = self.seg.tokens(p.name)
        if p.department:
            # "南充市卫生健康委员会移动办公系统": words of the unit's own name that nothing else in the
            # proposal repeats label who builds it, not what it does.
            unit = set(self.seg.tokens(p.department))
            seen = set(desc)
            name = [t for t in name if t not in unit or t in seen] or name
        return Bag(name, desc)

    def system_bag(self, i: int) -> Bag:
        assert self.index is not None
        return Bag(self.index.name_tokens(i), self.index.desc_tokens(i))

    def score(self, a: Bag, b: Bag) -> tuple[float, dict[str, float]]:
        f = features(a, b, self.lex, self.weight)
        return calibrated(f, self.model), f

    def query_terms(self, bag: Bag, name_weight: float = 2.0) -> dict[str, float]:
        lex = self.lex
        terms: dict[str, float] = {}
        for t in bag.desc:
            terms[t] = terms.get(t, 0.0) + lex.weight(t)
        for t in bag.name:
            terms[t] = terms.get(t, 0.0) + name_weight * lex.weight(t)
        for bg in bigrams(t for t in bag.name if lex.weight(t) >= W_WEAK):
            terms[BIGRAM + bg] = terms.get(BIGRAM + bg, 0.0) + 0.5
        return terms

    # -- catalog

    def match(self, p: Proposal, *, keep_excluded: bool = True) -> list[Match]:
        """Catalog systems the proposal duplicates (or is excluded from duplicating), best first,
        those scoring at least the lowest threshold only."""
        if self.index is None or p.empty:
            return []
        idx = self.index
        bag = self.proposal_bag(p)
        found: dict[int, Match] = {}
        for i, _ in idx.candidates(self.query_terms(bag), CANDIDATES):
            sb = self.system_bag(i)
            s, f = self.score(bag, sb)
            if s >= self.report_at:
                found[i] = Match(s, DUPLICATE, f, shared_terms(bag, sb, self.lex, self.weight), system=idx.catalog.systems[i])
        # A listed function that a 统建通用系统 already provides (统一身份认证, 电子签章, ...).
        by_token = self.common_by_token()
        for item in p.functions if by_token else ():
            it = self.seg.tokens(item.text)
            ib = Bag(it, it + self.seg.tokens(item.detail))
            for i in sorted({i for t in ib.all_set for i in by_token.get(t, ())}):
                sys_ = idx.catalog.systems[i]
                sb = self.system_bag(i)
                if not self._names_system(ib, sb):
                    continue
                s, f = self.score(ib, sb)
                if s >= self.report_at and (i not in found or found[i].score < s):
                    found[i] = Match(s, DUPLICATE, f, shared_terms(ib, sb, self.lex, self.weight), system=sys_, via=item)
        out = []
        name_toks = bag.name
        pred_toks = self.seg.tokens(p.predecessor) if p.predecessor else []
        # A "reused" name that is the proposal's own name ("通过智慧城管综合平台实现…") is not a reuse.
        reuse_toks = [(r, t) for r in p.reuses if (t := self.seg.tokens(r))
                      and name_similarity(t, name_toks, self.lex) < SAME_SYSTEM]
        for m in found.values():
            self._classify(p, m, name_toks, pred_toks, reuse_toks)
            if keep_excluded or m.verdict in (DUPLICATE, COMMON):
                out.append(m)
        out.sort(key=lambda m: (-m.score, m.system.index if m.system else 0))
        return out

    def _names_system(self, item: Bag, system: Bag) -> bool:
        """A listed function counts against a common system only when it names what the system is: every
        content word of the system's name (身份认证, 电子签章, 12345) appears in the function."""
        lex = self.lex
        core = {t for t in system.name if lex.weight(t) >= W_CONTENT}
        return bool(core) and core <= item.all_set

    def _classify(
        self,
        p: Proposal,
        m: Match,
        name_toks: list[str],
        pred_toks: list[str],
        reuse_toks: list[tuple[str, list[str]]],
    ) -> None:
        s = m.system
        assert s is not None
        lex = self.lex
        sys_name = self.seg.tokens(s.name)
        for raw, toks in reuse_toks:
            if reuse_covers(toks, sys_name, lex):
                m.verdict, m.reason = REUSED, f"申报材料称依托/接入“{raw}”"
                return
        unit = same_unit(p.department, s.department)
        # The named predecessor is the unit's own system; a same-named system of another unit is not it.
        own = unit or not p.department or not s.department
        if pred_toks and own and name_similarity(pred_toks, sys_name, lex) >= SAME_SYSTEM:
            m.verdict, m.reason = PREDECESSOR, f"本项目延续的系统（前期系统：{p.predecessor}）"
            return
        if unit and p.continues_something and name_similarity(name_toks, sys_name, lex) >= SAME_SYSTEM:
            m.verdict, m.reason = PREDECESSOR, "同一单位的同一系统，本项目为其续建/改建/升级/运维"
            return
        if s.common and not unit:
            m.verdict = COMMON
            return
        if m.via is not None:
            # a single listed function only counts against another unit's 统建通用系统
            m.verdict, m.reason = IGNORED, "仅单项功能与本单位的统建系统相近"
            return
        m.verdict = DUPLICATE

    # -- round

    def pair_score(self, a: Proposal, b: Proposal, bags: dict[str, Bag]) -> tuple[float, dict[str, float], Bag, Bag]:
        """The pair scored both ways round (each as the other's "system"); the higher way counts."""
        ba, bb = bags[a.path], bags[b.path]
        f1, f2 = pair_features(ba, bb, self.lex, self.weight)
        s1, s2 = calibrated(f1, self.model), calibrated(f2, self.model)
        return (s1, f1, ba, bb) if s1 >= s2 else (s2, f2, bb, ba)


def band(score: float, thresholds: dict[str, float]) -> str | None:
    """The severity whose threshold the score reaches (highest first); None below all of them."""
    order = {"error": 2, "warning": 1, "info": 0}
    for sev, t in sorted(thresholds.items(), key=lambda kv: -order.get(kv[0], -1)):
        if score >= t:
            return sev
    return None


def round_matches(
    proposals: list[Proposal], matcher: Matcher
) -> dict[str, list[Match]]:
    """Proposals of one review round that duplicate each other; every pair reported on both sides."""
    out: dict[str, list[Match]] = {p.path: [] for p in proposals}
    live = [p for p in proposals if not p.empty]
    bags = {p.path: matcher.proposal_bag(p) for p in live}
    seg, lex = matcher.seg, matcher.lex
    for i, a in enumerate(live):
        for b in live[i + 1 :]:
            if a.path == b.path:
                continue
            s, f, x, y = matcher.pair_score(a, b, bags)
            if s < matcher.report_at or _continues(a, b, seg, lex) or _continues(b, a, seg, lex):
                continue
            terms = shared_terms(x, y, lex, matcher.weight)
            out[a.path].append(Match(s, DUPLICATE, f, terms, other_path=b.path, other_package=b.package or b.path,
                                     other_name=b.name, other_department=b.department))
            out[b.path].append(Match(s, DUPLICATE, f, terms, other_path=a.path, other_package=a.package or a.path,
                                     other_name=a.name, other_department=a.department))
    for v in out.values():
        v.sort(key=lambda m: (-m.score, m.other_path or ""))
    return out


def _continues(a: Proposal, b: Proposal, seg: Segmenter, lex: Lexicon) -> bool:
    """a says it builds on b ("依托市统一身份认证平台" while b builds that platform). A predecessor is an
    existing system, never another proposal of the same round, so `predecessor` plays no part here."""
    bt = seg.tokens(b.name)
    return any(reuse_covers(seg.tokens(r), bt, lex) for r in a.reuses)
