"""A BM25 inverted index over a catalog's tokens and name character bigrams, cached on disk.

Candidates come from the index (cheap, recall-oriented); `match.py` re-scores the top few hundred with
set overlaps and RapidFuzz. Tokenising a large catalog is the expensive part, so the built index is
pickled in the user cache dir, keyed by the catalog's content hash, the tool version, the
segmenter's signature (jieba version, dictionary, lexicon) and the limits a catalog must pass —
editing the catalog, the lexicon or those [limits] rebuilds it; nothing is ever written next to the
catalog. With `use_cache=False` (--no-cache) the index is built in memory only: the cache dir is
neither read nor written.
"""

from __future__ import annotations

import gc
import hashlib
import heapq
import math
import pickle
import threading
from array import array
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..cache import write_atomic
from ..limits import Limits
from .cache import cache_dir
from .catalog import Catalog, CatalogError, parse_catalog, read_catalog
from .text import W_WEAK, Lexicon, Segmenter, lexicon, segmenter

INDEX_FORMAT = 2  # 2: Catalog pickled as rows
BIGRAM = "\x01"  # namespace prefix of name-bigram terms
K1, B = 1.2, 0.75
NAME_BOOST = 2.0
BIGRAM_WEIGHT = 0.5
MAX_QUERY_TERMS = 48
KEEP_CACHED = 8  # index files kept in the cache dir


@dataclass(slots=True)
class TokenSeq:
    """Token-id sequences of many docs in two flat arrays (compact to pickle, fast to slice)."""

    flat: array = field(default_factory=lambda: array("i"))
    off: array = field(default_factory=lambda: array("i", [0]))

    def append(self, ids: list[int]) -> None:
        self.flat.extend(ids)
        self.off.append(len(self.flat))

    def __getitem__(self, i: int) -> array:
        return self.flat[self.off[i] : self.off[i + 1]]

    def __len__(self) -> int:
        return len(self.off) - 1


@dataclass(slots=True)
class CatalogIndex:
    catalog: Catalog
    signature: str
    vocab: dict[str, int]  # token (or BIGRAM+bigram) -> id
    words: list[str]  # id -> token
    df: array  # id -> number of systems holding it (name or description)
    names: TokenSeq  # per system, name token ids in order
    descs: TokenSeq  # per system, description token ids in order
    post_off: array  # term id -> slice of post_docs / post_w
    post_docs: array
    post_w: array
    build_seconds: float = 0.0
    from_cache: bool = False

    @property
    def size(self) -> int:
        return len(self.catalog.systems)

    def idf_factor(self, token: str) -> float:
        """IDF normalised by its maximum: 1 for a token in one system (or none), down to 0.2 for tokens
        in a large share of the catalog (boilerplate such as 数据上报、视频会商)."""
        n = self.size
        if n < 50:
            return 1.0
        tid = self.vocab.get(token)
        df = self.df[tid] if tid is not None else 0
        if df <= 1:
            return 1.0
        return min(1.0, max(0.2, math.log(n / df) / math.log(n)))

    def name_tokens(self, i: int) -> list[str]:
        return [self.words[t] for t in self.names[i]]

    def desc_tokens(self, i: int) -> list[str]:
        return [self.words[t] for t in self.descs[i]]

    def candidates(self, terms: dict[str, float], k: int = 200) -> list[tuple[int, float]]:
        """Top-k systems by BM25 for weighted query terms (canonical tokens; BIGRAM-prefixed bigrams)."""
        n = self.size
        if not n:
            return []
        cap = max(500, n // 10)  # terms in more than 10 % of systems rank nothing; skip their postings
        chosen: list[tuple[float, int]] = []
        for t, qw in terms.items():
            tid = self.vocab.get(t)
            if tid is None or qw <= 0:
                continue
            df = self.df[tid] if not t.startswith(BIGRAM) else self.post_off[tid + 1] - self.post_off[tid]
            if df == 0 or df > cap:
                continue
            chosen.append((qw * math.log(1 + (n - df + 0.5) / (df + 0.5)), tid))
        chosen = heapq.nlargest(MAX_QUERY_TERMS, chosen)
        acc: dict[int, float] = {}
        get = acc.get
        for qw, tid in chosen:
            lo, hi = self.post_off[tid], self.post_off[tid + 1]
            for d, w in zip(self.post_docs[lo:hi], self.post_w[lo:hi], strict=True):
                acc[d] = get(d, 0.0) + qw * w
        return heapq.nlargest(k, acc.items(), key=lambda kv: kv[1])


def build_index(catalog: Catalog, seg: Segmenter) -> CatalogIndex:
    """Tokenise every system once and lay out BM25 postings. The work is per distinct clause (cut and
    mapped to token ids once) and per document (C-level Counter updates), not per token occurrence:
    a 100k catalog has ≈ 2 M token occurrences but only ≈ 90 k distinct clauses."""
    import time

    t0 = time.perf_counter()
    with _gc_paused():
        idx = _build(catalog, seg)
    idx.build_seconds = time.perf_counter() - t0
    return idx


@dataclass(slots=True)
class _Clause:
    """One distinct clause: its token ids, the indexable ones, and those joined (for name bigrams)."""

    ids: list[int]
    idx: list[int]
    joined: str


def _build(catalog: Catalog, seg: Segmenter) -> CatalogIndex:
    weight = seg.lex.weight
    vocab: dict[str, int] = {}  # dict keeps insertion order: id -> token is list(vocab)
    indexable: list[bool] = []  # generic words stay out of the postings
    memo: dict[str, _Clause] = {}
    cut = seg.cut_clause  # not memoised there: each distinct clause comes here once
    phrases = seg.phrases  # the clauses of a text, normalised

    def clause(c: str) -> _Clause:
        ids, keep, joined = [], [], []
        for t in cut(c):
            i = vocab.get(t)
            if i is None:
                i = vocab[t] = len(vocab)
                indexable.append(weight(t) >= W_WEAK)
            ids.append(i)
            if indexable[i]:
                keep.append(i)
                joined.append(t)
        got = memo[c] = _Clause(ids, keep, "".join(joined))
        return got

    def parts(text: str) -> list[_Clause]:
        get = memo.get
        return [get(c) or clause(c) for c in phrases(text)] if text else []

    names, descs = TokenSeq(), TokenSeq()
    n = len(catalog.systems)
    name_bg: list[str] = []
    doc_idx: list[tuple[list[int], list[int]]] = []
    dfc: Counter[int] = Counter()
    for s in catalog.systems:
        nid: list[int] = []
        nkeep: list[int] = []
        nj: list[str] = []
        for c in parts(s.name):
            nid += c.ids
            nkeep += c.idx
            nj.append(c.joined)
        did: list[int] = []
        dkeep: list[int] = []
        for c in parts(s.functions):
            did += c.ids
            dkeep += c.idx
        names.append(nid)
        descs.append(did)
        dfc.update(set(nid).union(did))
        name_bg.append("".join(nj))
        doc_idx.append((nkeep, dkeep))
    ntok = len(vocab)
    # name bigrams: their own terms, after the tokens (df of a bigram term = its postings' length)
    bg_ids: list[list[int]] = []
    for j in name_bg:
        ids = []
        for bg in {j[k : k + 2] for k in range(len(j) - 1)}:
            t = BIGRAM + bg
            i = vocab.get(t)
            if i is None:
                i = vocab[t] = len(vocab)
            ids.append(i)
        bg_ids.append(ids)
    words = list(vocab)
    df = array("i", bytes(4 * len(words)))
    for i, c in dfc.items():
        df[i] = c
    cls = array("d", [weight(w) for w in words[:ntok]] + [1.0] * (len(words) - ntok))
    # BM25 term frequencies: a name token counts NAME_BOOST (2), a description token 1, a name bigram 0.5
    lengths = [len(dk) + NAME_BOOST * len(nk) + BIGRAM_WEIGHT * len(bg)
               for (nk, dk), bg in zip(doc_idx, bg_ids, strict=True)]
    avgdl = (sum(lengths) / n) if n else 1.0
    buckets_d = [array("i") for _ in words]
    buckets_w = [array("f") for _ in words]
    k1p = K1 + 1
    for d, ((nkeep, dkeep), bgs, length) in enumerate(zip(doc_idx, bg_ids, lengths, strict=True)):
        norm = K1 * (1 - B + B * length / (avgdl or 1.0))
        tf = Counter(dkeep)  # counting runs in C
        tf.update(nkeep)
        tf.update(nkeep)
        for i, f in tf.items():
            buckets_d[i].append(d)
            buckets_w[i].append(f * k1p / (f + norm) * cls[i])
        wb = BIGRAM_WEIGHT * k1p / (BIGRAM_WEIGHT + norm)
        for i in bgs:
            buckets_d[i].append(d)
            buckets_w[i].append(wb)
    post_off = array("i", [0])
    post_docs, post_w = array("i"), array("f")
    for bd, bw in zip(buckets_d, buckets_w, strict=True):
        post_docs += bd
        post_w += bw
        post_off.append(len(post_docs))
    return CatalogIndex(
        catalog=catalog,
        signature=seg.signature,
        vocab=vocab,
        words=words,
        df=df,
        names=names,
        descs=descs,
        post_off=post_off,
        post_docs=post_docs,
        post_w=post_w,
    )


@contextmanager
def _gc_paused() -> Iterator[None]:
    """A build or a cache load allocates millions of lists, strings and records, none in a reference
    cycle, and the cyclic GC rescans them again and again: pausing it saved ≈ 1 s of CPU on a 100k
    build and ≈ 0.4 s on loading its cached index."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


# ---------------------------------------------------------------- loading with caches

_MEMO: dict[str, CatalogIndex] = {}
_MEMO_LOCK = threading.Lock()


# The limits that decide whether a catalog is accepted: an index built under looser ones must not let a
# run with stricter ones skip its checks (a cached index is taken as proof the catalog was valid).
CATALOG_LIMITS = ("max_file_bytes", "max_cells", "max_decompressed_bytes", "max_ratio", "max_members")


def index_key(sha256: str, seg: Segmenter, limits: Limits | None = None) -> str:
    lim = limits or Limits()
    guards = ",".join(f"{k}={getattr(lim, k)}" for k in CATALOG_LIMITS)
    h = hashlib.sha256(f"{INDEX_FORMAT}|{__version__}|{seg.signature}|{sha256}|{guards}".encode()).hexdigest()
    return h[:32]


def load_index(
    path: Path | str, lex: Lexicon | None = None, *, use_cache: bool = True, limits: Limits | None = None
) -> CatalogIndex:
    """The index of the catalog at `path`: from this process, the disk cache, or built (then cached).
    `use_cache=False` skips the disk cache both ways (this process's memo still serves repeat calls).
    `limits`: the run's (config [limits]); the file's size is checked before it is read, a workbook goes
    through readers/xlsx's guards (catalog.parse_catalog).

    Raises CatalogError for a catalog that cannot be used.
    """
    limits = limits or Limits()
    shown = str(path)
    seg = segmenter(lex or lexicon())
    data = read_catalog(path, limits)
    sha = hashlib.sha256(data).hexdigest()
    key = index_key(sha, seg, limits)
    with _MEMO_LOCK:
        hit = _MEMO.get(key)
    if hit is not None:
        return hit
    idx = _read_cached(key) if use_cache else None
    if idx is None:
        with _gc_paused():
            catalog = parse_catalog(data, shown, limits)
            idx = build_index(catalog, seg)
            if use_cache:
                _write_cached(key, idx)
    idx.catalog.path = shown  # the same content may sit at another path
    with _MEMO_LOCK:
        _MEMO[key] = idx
    return idx


def index_is_cached(path: Path | str, lex: Lexicon | None = None, limits: Limits | None = None) -> bool:
    """True when this exact catalog content already has an index on disk, made under the same limits: it
    parsed and indexed once, so it is valid, and a run whose packages all come from the result cache need
    not load it. A file over the size limit is not even read (load_index then says why it is refused)."""
    try:
        data = read_catalog(path, limits)
    except CatalogError:
        return False
    f = _cache_file(index_key(hashlib.sha256(data).hexdigest(), segmenter(lex or lexicon()), limits))
    return f is not None and f.is_file() and f.stat().st_size > 0


def _cache_file(key: str) -> Path | None:
    d = cache_dir("duplicates")
    return d / f"index-{key}.pickle" if d is not None else None


def _read_cached(key: str) -> CatalogIndex | None:
    f = _cache_file(key)
    if f is None or not f.is_file():
        return None
    try:
        with f.open("rb") as fh, _gc_paused():
            obj = pickle.load(fh)
    except Exception:  # truncated, from another Python, ...: rebuild
        return None
    if not isinstance(obj, CatalogIndex):
        return None
    obj.from_cache = True
    return obj


def _write_cached(key: str, idx: CatalogIndex) -> None:
    f = _cache_file(key)
    if f is None:
        return
    write_atomic(f, pickle.dumps(idx, protocol=pickle.HIGHEST_PROTOCOL))
    try:
        old = sorted(f.parent.glob("index-*.pickle"), key=lambda q: q.stat().st_mtime, reverse=True)
        for q in old[KEEP_CACHED:]:
            q.unlink(missing_ok=True)
    except OSError:
        pass


def clear_memo() -> None:
    with _MEMO_LOCK:
        _MEMO.clear()
