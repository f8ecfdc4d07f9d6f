"""Behaviour that speed and memory rest on (never timed: timings live in bench/bench.py).

- A batch worker checks package after package with one long-lived `shared` dict and one sentence cache:
  once a package is checked, neither may still hold it, or a worker's memory grows with the round.
- Results and documents cross process boundaries and the cache as pickles: a round trip must give back
  exactly what was linted.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

from dossier_lint import config, discover, engine, sentences
from helpers import PACKAGES


def _lint(path: Path, shared: dict[str, Any]) -> engine.PackageResult:
    settings = config.resolve_settings([path], {"profile": "nanchong"})
    src = discover.find_packages(path)[0]
    return engine.lint_package(src, settings, shared, finish=False)


def _holds(shared: dict[str, Any], pkg: Any) -> list[Any]:
    return [k for k, v in shared.items() if isinstance(v, tuple) and v and v[0] is pkg]


def test_a_worker_keeps_nothing_of_a_checked_package(monkeypatch) -> None:  # noqa: ANN001
    shared: dict[str, Any] = {}
    # record what the checks memoise while they run, to prove the memos exist before they are dropped
    seen: list[Any] = []
    real = engine._forget

    def spy(pkg: Any, sh: dict[str, Any]) -> None:
        seen.extend(_holds(sh, pkg))
        seen.append(sum(1 for k in sentences._SENT_CACHE if k[0] in {id(d) for d in pkg.documents}))
        real(pkg, sh)

    monkeypatch.setattr(engine, "_forget", spy)
    first = _lint(PACKAGES / "nanchong-money-mismatch", shared)
    assert len(seen) >= 3 and seen[-1] > 0  # budget / catalog / cloud memos and cached sentences existed
    second = _lint(PACKAGES / "nanchong-zhcg-complete", shared)
    for res in (first, second):
        assert _holds(shared, res.package) == []
        ids = {id(d) for d in res.package.documents}
        assert not [k for k in sentences._SENT_CACHE if k[0] in ids]
    assert first.diagnostics  # the package was really checked (money-mismatch has planted faults)


def test_results_survive_a_pickle_round_trip_exactly() -> None:
    res = _lint(PACKAGES / "nanchong-zhcg-complete", {})
    for protocol in (2, pickle.HIGHEST_PROTOCOL):
        back = pickle.loads(pickle.dumps(res, protocol=protocol))
        assert back.package == res.package
        assert back.diagnostics == res.diagnostics
        assert [d.fingerprint for d in back.diagnostics] == [d.fingerprint for d in res.diagnostics]
        doc, orig = back.package.documents[1], res.package.documents[1]
        assert [h.children for h in doc.headings] == [h.children for h in orig.headings]
        assert type(doc.blocks[0].loc) is type(orig.blocks[0].loc) and doc.blocks[0].loc == orig.blocks[0].loc


def test_batch_results_are_slim_and_still_carry_the_round_proposal(tmp_path: Path) -> None:
    """The parent of a round holds metadata, facts and findings — not every page of every package."""
    import shutil

    from dossier_lint import batch

    for name in ("nanchong-zhcg-complete", "nanchong-missing-docs"):
        shutil.copytree(PACKAGES / name, tmp_path / name)
    settings = config.resolve_settings([tmp_path], {"profile": "nanchong", "no_cache": True})
    run = batch.run([tmp_path], settings, {"jobs": 2, "no_cache": True, "no_progress": True})
    assert len(run.packages) == 2
    for res in run.packages:
        docs = res.package.documents
        assert docs and all(d.kind != "unknown" and d.sha256 for d in docs)  # metadata stays
        assert all(not d.blocks and not d.tables and not d.headings for d in docs)  # content is gone
        assert res.proposal is not None and res.proposal.path == res.package.path
        assert res.package.facts.get("name")
    assert len(pickle.dumps(run.packages[0])) < 100_000
