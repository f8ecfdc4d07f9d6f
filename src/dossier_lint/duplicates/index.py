"""A BM25 inverted index over a catalog's tokens and name character bigrams, cached on disk.

Candidates come from the index (cheap, recall-oriented); `match.py` re-scores the top few hundred with
set overlaps and RapidFuzz. Tokenising a large catalog is the expensive part, so the built index is
pickled in the user cache dir, keyed by the catalog's content hash, the tool version and the
segmenter's signature (jieba version, dictionary, lexicon) — editing the catalog or the lexicon
rebuilds it, nothing is ever written next to the catalog.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import pickle
import threading
from array import array
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from .cache import cache_dir, write_atomic
from .catalog import Catalog, CatalogError, load_catalog, parse_catalog
from .text import W_WEAK, Lexicon, Segmenter, bigrams, lexicon, segmenter

INDEX_FORMAT = 1
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
    import time

    t0 = time.perf_counter()
    weight = seg.lex.weight
    texts = segment_all(catalog, seg)
    # token ids: dict.setdefault hands out the next id in C, and the dict keeps insertion order
    vocab: dict[str, int] = {}
    put = vocab.setdefault
    names, descs = TokenSeq(), TokenSeq()
    ids: list[tuple[list[int], list[int]]] = []
    for nt, dt in texts:
        nids = [put(t, len(vocab)) for t in nt]
        dids = [put(t, len(vocab)) for t in dt]
        names.append(nids)
        descs.append(dids)
        ids.append((nids, dids))
    indexable = [weight(w) >= W_WEAK for w in vocab]  # generic words stay out of the index
    df_tok = [0] * len(vocab)
    doc_terms: list[dict[int, float]] = []
    for (nt, _), (nids, dids) in zip(texts, ids, strict=True):
        tf: dict[int, float] = {}
        tget = tf.get
        for i in nids:
            if indexable[i]:
                tf[i] = tget(i, 0.0) + NAME_BOOST
        for i in dids:
            if indexable[i]:
                tf[i] = tget(i, 0.0) + 1.0
        for i in set(nids).union(dids):
            df_tok[i] += 1
        for bg in bigrams(t for t, i in zip(nt, nids, strict=True) if indexable[i]):
            i = put(BIGRAM + bg, len(vocab))
            tf[i] = tget(i, 0.0) + BIGRAM_WEIGHT
        doc_terms.append(tf)
    words = list(vocab)
    df_tok.extend([0] * (len(words) - len(df_tok)))  # bigram terms: df comes from their postings
    n = len(doc_terms)
    lengths = [sum(tf.values()) for tf in doc_terms]
    avgdl = (sum(lengths) / n) if n else 1.0
    cls = [1.0 if w.startswith(BIGRAM) else weight(w) for w in words]
    # postings grouped by term
    buckets_d: list[list[int]] = [[] for _ in words]
    buckets_w: list[list[float]] = [[] for _ in words]
    k1p = K1 + 1
    for d, tf in enumerate(doc_terms):
        norm = K1 * (1 - B + B * lengths[d] / (avgdl or 1.0))
        for i, f in tf.items():
            buckets_d[i].append(d)
            buckets_w[i].append(f * k1p / (f + norm) * cls[i])
    post_off = array("i", [0])
    post_docs, post_w = array("i"), array("f")
    for bd, bw in zip(buckets_d, buckets_w, strict=True):
        post_docs.extend(bd)
        post_w.extend(bw)
        post_off.append(len(post_docs))
    return CatalogIndex(
        catalog=catalog,
        signature=seg.signature,
        vocab=vocab,
        words=words,
        df=array("i", df_tok),
        names=names,
        descs=descs,
        post_off=post_off,
        post_docs=post_docs,
        post_w=post_w,
        build_seconds=time.perf_counter() - t0,
    )


def segment_all(catalog: Catalog, seg: Segmenter) -> list[tuple[list[str], list[str]]]:
    """(name tokens, description tokens) of every system. (A process pool was tried: on 2 cores the
    spawn and the lost clause memo ate the gain.)"""
    tokens = seg.tokens
    return [(tokens(s.name), tokens(s.functions) if s.functions else []) for s in catalog.systems]


# ---------------------------------------------------------------- loading with caches

_MEMO: dict[str, CatalogIndex] = {}
_MEMO_LOCK = threading.Lock()


def index_key(sha256: str, seg: Segmenter) -> str:
    h = hashlib.sha256(f"{INDEX_FORMAT}|{__version__}|{seg.signature}|{sha256}".encode()).hexdigest()
    return h[:32]


def load_index(
    path: Path | str, lex: Lexicon | None = None, *, use_cache: bool = True
) -> CatalogIndex:
    """The index of the catalog at `path`: from this process, the disk cache, or built (then cached).

    Raises CatalogError for a catalog that cannot be used.
    """
    p = Path(path)
    shown = str(path)
    seg = segmenter(lex or lexicon())
    if not p.is_file():
        load_catalog(p)  # raises the right CatalogError (missing / a folder)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise CatalogError(f"无法读取系统目录 {shown}：{e.strerror or e}") from e
    sha = hashlib.sha256(data).hexdigest()
    key = index_key(sha, seg)
    with _MEMO_LOCK:
        hit = _MEMO.get(key)
    if hit is not None:
        return hit
    idx = _read_cached(key) if use_cache else None
    if idx is None:
        catalog = parse_catalog(data, shown)
        idx = build_index(catalog, seg)
        if use_cache:
            _write_cached(key, idx)
    idx.catalog.path = shown  # the same content may sit at another path
    with _MEMO_LOCK:
        _MEMO[key] = idx
    return idx


def _cache_file(key: str) -> Path | None:
    d = cache_dir("duplicates")
    return d / f"index-{key}.pickle" if d is not None else None


def _read_cached(key: str) -> CatalogIndex | None:
    f = _cache_file(key)
    if f is None or not f.is_file():
        return None
    try:
        with f.open("rb") as fh:
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
