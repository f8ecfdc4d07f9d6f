"""Duplicate construction (重复建设): match each proposal against a catalog of existing systems, and the
proposals of one review round against each other.

    catalog.py   load a catalog (.xlsx / .csv UTF-8 or GBK / .json), columns by header synonyms
    text.py      jieba segmentation + domain dictionary, synonym folding, stop-word weights
    index.py     BM25 candidates over tokens + name bigrams, cached in the user cache dir
    match.py     re-scoring (RapidFuzz + weighted overlap) to one calibrated score; exclusions
    proposal.py  what a package proposes (name, tasks, listed functions, reused platforms)
    tokens.py    a proposal's tokens and weights, made in the batch worker, for the round check

Importing this package is cheap: jieba and RapidFuzz load on first match.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .catalog import Catalog, CatalogError, CatalogSystem, load_catalog
from .match import (
    COMMON,
    DEFAULT_THRESHOLDS,
    DUPLICATE,
    PREDECESSOR,
    REUSED,
    Match,
    Matcher,
    band,
    round_matches,
)
from .proposal import Proposal, proposal_from_facts, proposal_from_package

__all__ = [
    "COMMON", "DUPLICATE", "PREDECESSOR", "REUSED", "Catalog", "CatalogError", "CatalogSystem", "Match",
    "Matcher", "Proposal", "attach_tokens", "band", "cross_package", "limits_of", "load_catalog", "load_index",
    "matcher_for", "pack_settings", "package_settings", "proposal_from_facts", "proposal_from_package",
    "round_matcher", "round_matches", "thresholds_from", "validate_catalog",
]

ROUND_RULE_FINDING = "round"


def load_index(path: Path | str, settings: Any = None):
    """The (cached) index of a catalog file; raises CatalogError when the catalog cannot be used."""
    from .index import load_index as _load
    from .text import lexicon

    return _load(path, lexicon(lexicon_extra(settings)), use_cache=use_disk_cache(settings),
                 limits=limits_of(settings))


def limits_of(settings: Any) -> Any:
    """The run's `limits.Limits` (config [limits]), which the catalog is read under like any document."""
    from ..limits import Limits

    got = getattr(settings, "limits", None)
    return got if isinstance(got, Limits) else Limits()


def use_disk_cache(settings: Any) -> bool:
    """False under --no-cache: the index is then built in memory, never read from or written to disk."""
    return not getattr(settings, "no_cache", False)


def validate_catalog(path: Path | str, settings: Any = None) -> None:
    """Load (and index) the catalog once up front, so a bad one stops the run with exit 2 before any
    package is read. Call from the CLI / config when `--catalog` is given. A catalog whose index is already
    on disk was valid when it was indexed: it is loaded only when a package needs it (a warm round of cached
    results never does)."""
    if use_disk_cache(settings):
        from .index import index_is_cached
        from .text import lexicon

        if index_is_cached(path, lexicon(lexicon_extra(settings)), limits_of(settings)):
            return
    load_index(path, settings)


def pack_settings(settings: Any) -> dict[str, Any]:
    """The active rule pack's [settings] table ({} when there is none)."""
    pack = getattr(settings, "pack", None)
    s = getattr(pack, "settings", None)
    return s if isinstance(s, dict) else {}


def lexicon_extra(settings: Any) -> dict[str, Any] | None:
    ps = pack_settings(settings)
    extra = {k: ps[k] for k in ("duplicate-synonyms", "duplicate-stopwords", "duplicate-dictionary") if k in ps}
    return extra or None


def thresholds_from(settings: Any) -> dict[str, float]:
    """`duplicate-thresholds = { error = 0.85, warning = 0.6 }` from the pack; defaults otherwise."""
    raw = pack_settings(settings).get("duplicate-thresholds")
    if not isinstance(raw, dict) or not raw:
        return dict(DEFAULT_THRESHOLDS)
    out: dict[str, float] = {}
    for k, v in raw.items():
        if k in ("error", "warning", "info"):
            try:
                out[k] = float(v)
            except (TypeError, ValueError):
                continue
    return out or dict(DEFAULT_THRESHOLDS)


def matcher_for(settings: Any, shared: dict[str, Any] | None = None, *, with_catalog: bool = True) -> Matcher:
    """A Matcher for these settings, memoised in `shared` (one per worker / run)."""
    from .text import lexicon, segmenter

    catalog = getattr(settings, "catalog", None) if with_catalog else None
    key = ("duplicates.matcher", str(catalog) if catalog else None, id(settings))
    if shared is not None and key in shared:
        return shared[key]
    lex = lexicon(lexicon_extra(settings))
    idx = None
    if catalog:
        from .index import load_index as _load

        idx = _load(catalog, lex, use_cache=use_disk_cache(settings), limits=limits_of(settings))
    m = Matcher(segmenter(lex), idx, thresholds_from(settings))
    if shared is not None:
        shared[key] = m
    return m


def round_matcher(settings: Any, shared: dict[str, Any] | None = None) -> Matcher:
    """The matcher of the round check. It needs no catalog; the catalog's statistics only sharpen token
    weights when one is given."""
    return matcher_for(settings, shared, with_catalog=bool(getattr(settings, "catalog", None)))


def attach_tokens(proposal: Proposal, settings: Any, shared: dict[str, Any] | None = None) -> Proposal:
    """Give `proposal` the tokens and weights the round check will need (`tokens.TokenTable`). A batch
    worker calls this for each package it lints, so tokenising runs in parallel and the parent, which
    matches the round's pairs, never loads jieba."""
    from .tokens import make_table

    proposal.tokens = make_table(proposal, round_matcher(settings, shared))
    return proposal


def cross_package(run_or_packages: Any, settings: Any = None) -> dict[str, list[Match]]:
    """Proposals of one review round that duplicate each other.

    - `cross_package(packages)`: packages are `model.Package` objects or `(path, name, facts)` tuples;
      returns {package path: [Match]} (both packages of a pair list each other).
    - `cross_package(run_result, settings)`: the batch hook. Also appends the DL703 findings (through the
      rule of kind `duplicate` with `finding = "round"`) to each PackageResult.diagnostics. Each package
      gets them from the pack it was linted with (`package_settings`: under `--profile auto`, its city's):
      that pack's rule (severity, basis, message; waivers then apply by it), thresholds and lexicon, so a
      package's findings are what `--profile <its city>` gives. Returns each package's own matches.
    """
    results = getattr(run_or_packages, "packages", None)
    if results is not None and settings is None:
        settings = getattr(run_or_packages, "settings", None)
    # a slimmed result carries its proposal; its documents' content is gone
    items = [getattr(r, "proposal", None) or r.package for r in results] if results is not None else list(run_or_packages)
    proposals = [_as_proposal(x) for x in items]
    if len(proposals) < 2:
        return {p.path: [] for p in proposals}
    if results is None or settings is None:
        return round_matches(proposals, _round_pair_matcher(proposals, settings, settings))
    from ..kinds.duplicate import round_diagnostics

    # one matching of the round per distinct (lexicon, thresholds): usually one for the whole round
    by_sig: dict[str, tuple[dict[str, list[Match]], Matcher]] = {}
    out: dict[str, list[Match]] = {}
    for res, prop in zip(results, proposals, strict=True):
        own = package_settings(settings, res)
        sig = _matching_signature(own)
        if sig not in by_sig:
            matcher = _round_pair_matcher(proposals, own, settings)
            by_sig[sig] = (round_matches(proposals, matcher), matcher)
        found, matcher = by_sig[sig]
        mine = out[prop.path] = found.get(prop.path, [])
        rules = [r for r in own.rules() if r.kind == "duplicate" and r.params.get("finding") == ROUND_RULE_FINDING]
        ids = {r.id for r in rules}
        if any(d.rule in ids for d in res.diagnostics):
            continue  # the kind already reported the round (engine passed ctx.shared["round"])
        for rule in rules:
            res.diagnostics.extend(round_diagnostics(rule, prop, mine, matcher))
    return out


def package_settings(settings: Any, result: Any) -> Any:
    """The settings a package was linted with: under `--profile auto` those of its city's pack
    (`PackageResult.profile`), as `config.Settings.finish` chooses them for its waivers."""
    profile = getattr(result, "profile", "") or ""
    if getattr(settings, "auto", False) and profile and profile != getattr(settings, "profile", None):
        return settings.for_profile(profile)
    return settings


def _matching_signature(settings: Any) -> str:
    """What decides a round's matches under these settings besides the proposals and the catalog (which
    every pack of a run shares): the pack's lexicon additions and duplicate thresholds."""
    import json

    return json.dumps([lexicon_extra(settings), thresholds_from(settings)], sort_keys=True, default=str)


def _round_pair_matcher(proposals: list[Proposal], settings: Any, run_settings: Any) -> Matcher:
    """The matcher for a round matched under `settings`. The tokens the batch workers shipped were cut with
    `run_settings`' lexicon: used when `settings` has that lexicon too (and every proposal has them), else
    the proposals are tokenised here."""
    from .tokens import table_matcher

    shipped = None
    if settings is run_settings or lexicon_extra(settings) == lexicon_extra(run_settings):
        shipped = table_matcher(proposals, thresholds_from(settings))
    return shipped or round_matcher(settings)


def _as_proposal(x: Any) -> Proposal:
    from ..model import Package

    if isinstance(x, Proposal):
        return x
    if isinstance(x, Package):
        return proposal_from_package(x)
    if isinstance(x, dict):
        return proposal_from_facts(str(x.get("path", x.get("name", ""))), str(x.get("name", "")), x.get("facts"))
    if isinstance(x, tuple | list):
        if len(x) == 3:
            return proposal_from_facts(str(x[0]), str(x[1]), x[2])
        if len(x) == 2:
            return proposal_from_facts(str(x[0]), str(x[0]), x[1])
    raise TypeError(f"cannot make a proposal of {type(x).__name__}")
