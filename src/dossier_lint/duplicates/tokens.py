"""A proposal's tokens and token weights, computed where its package was linted (a batch worker), so the
round check in the batch parent runs `match.round_matches` without jieba, the lexicon or the catalog
index: only the pairwise arithmetic is left to the one serial process.

The table maps every text the round check cuts (name, 主要任务, unit, listed functions, reused platforms)
to its tokens, and every token to its two weights (the lexicon's, and the matcher's: the lexicon's times
the catalog IDF when a catalog is given). A `TableSegmenter` / `TableLexicon` answer from it exactly
what `Segmenter.tokens` / `Lexicon.weight` / `Matcher.weight` answered in the worker, so the round's
findings are those of the parent tokenising itself, bit for bit. The signature says which segmenter
and catalog made a table; tables of different signatures are never mixed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .proposal import Proposal


@dataclass(slots=True)
class TokenTable:
    signature: str
    texts: dict[str, tuple[str, ...]] = field(default_factory=dict)  # text -> Segmenter.tokens(text)
    lex: dict[str, float] = field(default_factory=dict)  # token -> Lexicon.weight
    weight: dict[str, float] = field(default_factory=dict)  # token -> Matcher.weight
    model: dict[str, float] = field(default_factory=dict)  # the lexicon's [model]


def round_texts(p: Proposal) -> Iterable[str]:
    """Every text `round_matches` tokenises for `p` (Matcher.proposal_bag and match._continues)."""
    yield p.name
    yield p.tasks
    if p.department:
        yield p.department
    for f in p.functions:
        yield f.text
    yield from p.reuses


def signature(matcher: Any) -> str:
    idx = matcher.index
    return f"{matcher.seg.signature}|{idx.catalog.sha256 if idx is not None else '-'}"


def make_table(p: Proposal, matcher: Any) -> TokenTable:
    """`p`'s table, from the matcher the round check would use (same lexicon, same catalog)."""
    seg, lex = matcher.seg, matcher.lex
    table = TokenTable(signature(matcher), model=dict(matcher.model))
    for text in round_texts(p):
        if text and text not in table.texts:
            toks = table.texts[text] = tuple(seg.tokens(text))
            for t in toks:
                if t not in table.lex:
                    table.lex[t] = lex.weight(t)
                    table.weight[t] = matcher.weight(t)
    return table


class TableLexicon:
    """What the round check asks of a Lexicon: `weight` (a plain dict lookup) and `model`."""

    def __init__(self, weights: dict[str, float], model: dict[str, float]) -> None:
        self.weight = weights.__getitem__
        self.model = model


class TableSegmenter:
    """What the round check asks of a Segmenter: `tokens(text)` (a fresh list: callers extend it)."""

    def __init__(self, texts: dict[str, tuple[str, ...]], lex: TableLexicon) -> None:
        self._texts = texts
        self.lex = lex

    def tokens(self, text: str) -> list[str]:
        return list(self._texts[text]) if text else []


def table_matcher(proposals: list[Proposal], thresholds: dict[str, float]) -> Any:
    """A Matcher answering from the proposals' tables, or None when a live proposal has none (a result
    cached by a run that did not tokenise it) or the tables disagree on how they were made: the caller
    then tokenises in this process, as before."""
    from .match import Matcher

    live = [p for p in proposals if not p.empty]
    tables = [p.tokens for p in live]
    if not tables or any(t is None for t in tables):
        return None
    sig, model = tables[0].signature, tables[0].model
    if any(t.signature != sig or t.model != model for t in tables):
        return None
    texts: dict[str, tuple[str, ...]] = {}
    lexw: dict[str, float] = {}
    weight: dict[str, float] = {}
    for p, t in zip(live, tables, strict=True):
        if any(x and x not in t.texts for x in round_texts(p)):
            return None  # the proposal changed after its table was made
        texts.update(t.texts)
        lexw.update(t.lex)
        weight.update(t.weight)
    m = Matcher(TableSegmenter(texts, TableLexicon(lexw, model)), None, dict(thresholds), dict(model))  # type: ignore[arg-type]
    m._weights.update(weight)  # Matcher.weight's memo: every token the round meets is in it
    return m
