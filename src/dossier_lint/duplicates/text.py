"""Segmentation for matching: jieba with a reduced general dictionary plus the domain lexicon,
synonym folding, and token weights (place names dropped, generic words weighted down).

jieba is imported on first use only. Its full dictionary costs ≈ 0.6 s and 80 MB to initialise; the
top 50k words by frequency initialise in ≈ 0.05 s and cut finer, which suits matching better (compounds
such as 管理信息系统 stay apart). The reduced dictionary is written once to the user cache dir.
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import re
import sys
import threading
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ..cache import write_atomic
from .cache import cache_dir

LEXICON_PATH = Path(__file__).with_name("lexicon.toml")
REDUCED_WORDS = 50_000
DOMAIN_FREQ = 50_000  # frequency given to domain words: high enough to win over a split

W_PLACE = 0.0
W_GENERIC = 0.1
W_FRAGMENT = 0.25  # a single character jieba could not place in a word
W_WEAK = 0.4
W_CONTENT = 1.0

_SPACE = re.compile(r"\s+")
# Clause separators: segmenting clause by clause lets identical clauses share one cut (memo below).
_CLAUSE = re.compile(r"[，。；、：:,;!！?？（）()\[\]【】《》<>“”\"'‘’/\\|·\n]+")
_TOKEN_OK = re.compile(r"[\w+#]")  # a token must hold a letter, digit, CJK char or + / #
_DIGITS = re.compile(r"\d+")
_CJK = re.compile(r"[\u4e00-\u9fff]+")


def normalise(text: str) -> str:
    """NFKC (full-width -> half-width), lower case, no whitespace."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text or "")).lower()


@dataclass(slots=True)
class Lexicon:
    words: frozenset[str]
    generic: frozenset[str]
    weak: frozenset[str]
    places: frozenset[str]
    synonyms: dict[str, str]  # variant -> canonical
    model: dict[str, float]
    digest: str
    extra: dict[str, Any] | None = None  # what the rule pack added (worker processes rebuild from it)
    _composite: dict[str, float] = field(default_factory=dict)  # weight memo

    @classmethod
    def load(cls, extra: Mapping[str, Any] | None = None) -> Lexicon:
        """The packaged lexicon, plus `extra` from a rule pack's [settings] (duplicate-synonyms:
        {canonical: [variants]}, duplicate-stopwords: [..], duplicate-dictionary: [..])."""
        raw = LEXICON_PATH.read_bytes()
        data = tomllib.loads(raw.decode("utf-8"))
        words = {normalise(w) for w in data.get("dictionary", {}).get("words", [])}
        stop = data.get("stopwords", {})
        generic = {normalise(w) for w in stop.get("generic", [])}
        weak = {normalise(w) for w in stop.get("weak", [])}
        places = {normalise(w) for w in stop.get("places", [])}
        synonyms: dict[str, str] = {}
        groups: dict[str, list[str]] = dict(data.get("synonyms", {}))
        h = hashlib.sha256(raw)
        if extra:
            for canon, variants in dict(extra.get("duplicate-synonyms") or {}).items():
                groups[canon] = list(groups.get(canon, [])) + list(variants)
            generic |= {normalise(w) for w in extra.get("duplicate-stopwords") or []}
            words |= {normalise(w) for w in extra.get("duplicate-dictionary") or []}
            h.update(repr(sorted((k, sorted(v)) for k, v in groups.items())).encode())
            h.update(repr(sorted(generic | words)).encode())
        for canon, variants in groups.items():
            c = normalise(canon)
            words.add(c)
            for v in variants:
                nv = normalise(v)
                if nv and nv != c:
                    synonyms[nv] = c
                    words.add(nv)
        model = {k: float(v) for k, v in data.get("model", {}).items()}
        return cls(
            words=frozenset(words),
            generic=frozenset(generic),
            weak=frozenset(weak),
            places=frozenset(places),
            synonyms=synonyms,
            model=model,
            digest=h.hexdigest()[:16],
            extra=dict(extra) if extra else None,
        )

    def canonical(self, token: str) -> str:
        return self.synonyms.get(token, token)

    def weight(self, token: str) -> float:
        """How much a (canonical) token says about what a system does."""
        w = self._composite.get(token)
        if w is None:
            w = self._weight(token)
            if len(self._composite) < 1_000_000:
                self._composite[token] = w
        return w

    def _weight(self, token: str) -> float:
        if token in self.places or _DIGITS.fullmatch(token) and token not in self.words:
            return W_PLACE
        if token in self.generic:
            return W_GENERIC
        if token in self.weak:
            return W_WEAK
        if token in self.words:
            return W_CONTENT
        if len(token) == 1:
            return W_FRAGMENT
        return self._composite_weight(token)

    def _composite_weight(self, token: str) -> float:
        """A general-dictionary word made only of stop-words (管理系统, 信息管理, 服务中心) is one too."""
        n = len(token)
        best: list[float | None] = [None] * (n + 1)
        best[0] = 0.0
        for i in range(n):
            if best[i] is None:
                continue
            for j in range(i + 1, n + 1):
                piece = token[i:j]
                w = (
                    W_PLACE
                    if piece in self.places
                    else W_GENERIC
                    if piece in self.generic
                    else W_WEAK
                    if piece in self.weak
                    else None
                )
                if w is not None:
                    cand = max(best[i] or 0.0, w)
                    if best[j] is None or cand < best[j]:  # type: ignore[operator]
                        best[j] = cand
        return best[n] if best[n] is not None else W_CONTENT  # type: ignore[return-value]


_LEX_LOCK = threading.Lock()
_LEXICONS: dict[str, Lexicon] = {}


def import_jieba() -> Any:
    """jieba without setuptools' pkg_resources, which is most of `import jieba` (≈ 60–80 ms of 0.1 s, paid
    by every process that segments: each batch worker). jieba 0.42 imports it only to open its bundled
    files and opens them by path when it is missing (its own fallback), so it is hidden for the import
    (no other thread of this tool imports anything meanwhile) and importable again afterwards."""
    mod = sys.modules.get("jieba")
    if mod is not None:
        return mod
    hide = "pkg_resources" not in sys.modules
    if hide:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # `import pkg_resources` -> ImportError
    try:
        import jieba
    finally:
        if hide and "pkg_resources" in sys.modules and sys.modules["pkg_resources"] is None:
            del sys.modules["pkg_resources"]
    return jieba


def lexicon(extra: Mapping[str, Any] | None = None) -> Lexicon:
    key = repr(sorted((k, repr(v)) for k, v in (extra or {}).items()))
    with _LEX_LOCK:
        lex = _LEXICONS.get(key)
        if lex is None:
            lex = _LEXICONS[key] = Lexicon.load(extra)
        return lex


class Segmenter:
    """Cuts text into canonical tokens. One per lexicon; thread-safe for reading after init."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        self._memo: dict[str, tuple[str, ...]] = {}  # clause -> tokens
        self._expanded: dict[str, tuple[str, ...]] = {}  # jieba word -> tokens
        self._lock = threading.Lock()

    @cached_property
    def _tokenizer(self) -> Any:
        jieba = import_jieba()
        jieba.setLogLevel(logging.WARNING)
        path = _reduced_dictionary()
        tok = jieba.Tokenizer(dictionary=str(path)) if path else jieba.Tokenizer()
        where = cache_dir("jieba")
        if where is not None:
            tok.tmp_dir = str(where)
        _initialize(tok, where if path else None)
        for w in sorted(self.lex.words | self.lex.places):
            tok.add_word(w, DOMAIN_FREQ)
        return tok

    @property
    def signature(self) -> str:
        """Changes whenever the same text could be cut differently (goes into cache keys): jieba's
        version, the dictionary, the lexicon, and this code (an editable install keeps its version)."""
        jieba = import_jieba()
        return f"jieba{jieba.__version__}-r{REDUCED_WORDS}-{self.lex.digest}-{_code_digest()}"

    def clause_tokens(self, clause: str) -> tuple[str, ...]:
        hit = self._memo.get(clause)
        if hit is not None:
            return hit
        res = self.cut_clause(clause)
        if len(self._memo) < 500_000:
            self._memo[clause] = res
        return res

    def cut_clause(self, clause: str) -> tuple[str, ...]:
        """clause_tokens without the memo (an index build keeps its own, per distinct clause)."""
        with self._lock:
            tok = self._tokenizer
        expand = self._expanded
        out: list[str] = []
        # HMM=False: no guessing of out-of-dictionary words (≈ 12 % faster on a catalog)
        for t in tok.cut(clause, HMM=False):
            e = expand.get(t)
            if e is None:
                e = expand[t] = self._expand(t, tok.FREQ)
            out.extend(e)
        return tuple(out)

    def _expand(self, t: str, freq: dict[str, int]) -> tuple[str, ...]:
        """What one jieba word contributes: its canonical form (unless dropped) and, for a compound,
        its dictionary words (食品安全 -> 食品, 安全), as jieba's cut_for_search does, so that 食品追溯
        and 食品安全 share 食品. Not for a synonym variant: its canonical form says what it means."""
        if not _TOKEN_OK.search(t):
            return ()
        lex = self.lex
        c = lex.canonical(t)
        out = [c] if lex.weight(c) > 0 else []
        if c == t and len(t) >= 3 and _CJK.fullmatch(t):
            for n in (2, 3):
                for i in range(len(t) - n + 1):
                    part = t[i : i + n]
                    if part != t and freq.get(part):
                        pc = lex.canonical(part)
                        if pc != c and lex.weight(pc) > 0:
                            out.append(pc)
        return tuple(out)

    def tokens(self, text: str) -> list[str]:
        """Canonical tokens of `text` in order (place names and bare numbers dropped)."""
        out: list[str] = []
        for clause in _CLAUSE.split(normalise(text)):
            if clause:
                out.extend(self.clause_tokens(clause))
        return out

    def phrases(self, text: str) -> list[str]:
        """The clauses of `text` (normalised), e.g. the items of a comma-separated function list."""
        return [c for c in _CLAUSE.split(normalise(text)) if c]


_SEGMENTERS: dict[str, Segmenter] = {}
_CODE_DIGEST: list[str] = []


def _code_digest() -> str:
    if not _CODE_DIGEST:
        h = hashlib.sha256()
        for name in ("text.py", "index.py", "catalog.py"):
            h.update(Path(__file__).with_name(name).read_bytes())
        _CODE_DIGEST.append(h.hexdigest()[:12])
    return _CODE_DIGEST[0]


def segmenter(lex: Lexicon | None = None) -> Segmenter:
    lex = lex or lexicon()
    with _LEX_LOCK:
        seg = _SEGMENTERS.get(lex.digest)
        if seg is None:
            seg = _SEGMENTERS[lex.digest] = Segmenter(lex)
        return seg


def bigrams(tokens: Iterable[str]) -> set[str]:
    """Character bigrams of the joined content tokens: catch words cut differently on each side."""
    s = "".join(tokens)
    return {s[i : i + 2] for i in range(len(s) - 1)}


def _initialize(tok: Any, where: Path | None) -> None:
    """`tok.initialize()`, but from a marshal of the reduced dictionary's prefix table read in one go.
    jieba reads its own cache with `marshal.load` on the open file, which reads it piece by piece: ≈ 50 ms
    against ≈ 13 ms for `marshal.loads` of the same bytes, paid by every process that segments (each
    batch worker). The table is what `initialize` builds from the dictionary file; it is built by jieba
    (and its own cache written) whenever ours is missing or unreadable."""
    jieba = import_jieba()
    ours = where / f"prefix-top{REDUCED_WORDS}-{jieba.__version__}.marshal" if where is not None else None
    if ours is not None:
        try:
            freq, total = marshal.loads(ours.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            pass  # missing, cut short or not ours: build it again
        else:
            if isinstance(freq, dict) and isinstance(total, int) and freq:
                tok.FREQ, tok.total = freq, total
                tok.initialized = True
                return
    tok.initialize()
    if ours is not None:
        write_atomic(ours, marshal.dumps((tok.FREQ, tok.total)))


def _reduced_dictionary() -> Path | None:
    """jieba's dictionary cut to its REDUCED_WORDS most frequent words, cached; None -> use the full one."""
    jieba = import_jieba()

    where = cache_dir("jieba")
    if where is None:
        return None
    path = where / f"dict-top{REDUCED_WORDS}-{jieba.__version__}.txt"
    if path.is_file() and path.stat().st_size > 0:
        return path
    src = Path(jieba.__file__).with_name("dict.txt")
    try:
        rows = []
        with src.open(encoding="utf-8") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) >= 2 and parts[1].isdigit():
                    rows.append((int(parts[1]), line.rstrip("\n")))
    except OSError:
        return None
    rows.sort(key=lambda r: -r[0])
    data = "\n".join(line for _, line in rows[:REDUCED_WORDS]) + "\n"
    return path if write_atomic(path, data.encode("utf-8")) else None
