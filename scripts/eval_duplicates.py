"""Evaluate duplicate matching on the labelled set: precision / recall / F1 at the shipped thresholds,
and the curve around them.

    python scripts/eval_duplicates.py                 # figures at the shipped thresholds + curve
    python scripts/eval_duplicates.py --split test    # one split only
    python scripts/eval_duplicates.py --pool 8        # top candidates per proposal, for annotation
    python scripts/eval_duplicates.py --fit [--write] # fit the score model on the dev split

Labelled set: corpus/duplicates/labelled.jsonl, against the sample catalog corpus/catalog/nanchong-systems.xlsx.
Records:
    {"type": "proposal", "id", "split", "name", "department", "project_type", "predecessor", "tasks",
     "functions": [...], "reuses": [...]}
    {"type": "pair", "proposal", "system" (catalog name), "label": duplicate|common|related|not, "kind", "via"?,
     "note"}
    {"type": "round", "a", "b", "label": duplicate|not, "split", "note"}   (two proposals of one round)

A pair counts as reported when the full pipeline (index candidates, re-scoring, exclusions) lists the
system with verdict duplicate (DL701) or common (DL702) at or above the threshold.

Graded labels (see corpus/duplicates/README.md): `duplicate` / `common` must be reported (recall counts
them); `related` — another system of the same business object (its database, app, evaluation system) —
may be reported without being an error and need not be (it counts for neither precision nor recall);
`not` must not be reported. P = tp / (tp + fp). strictP also counts reported `related` pairs and reports
of systems the set does not judge ("unjudged") as false positives.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dossier_lint.duplicates import COMMON, DUPLICATE, Matcher, Proposal  # noqa: E402
from dossier_lint.duplicates.index import load_index  # noqa: E402
from dossier_lint.duplicates.match import FEATURES, Bag, features, round_matches  # noqa: E402
from dossier_lint.duplicates.proposal import FunctionItem  # noqa: E402
from dossier_lint.duplicates.text import LEXICON_PATH, segmenter  # noqa: E402

LABELLED = ROOT / "corpus" / "duplicates" / "labelled.jsonl"
CATALOG = ROOT / "corpus" / "catalog" / "nanchong-systems.xlsx"
POSITIVE = {"duplicate", "common"}
TOLERATED = {"related"}
EXCLUSION_KINDS = {"predecessor", "reuse"}  # negatives decided by rules, not by similarity


@dataclass
class LabelSet:
    proposals: dict[str, dict] = field(default_factory=dict)
    pairs: list[dict] = field(default_factory=list)
    rounds: list[dict] = field(default_factory=list)


def load_labels(path: Path = LABELLED) -> LabelSet:
    ls = LabelSet()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        rec = json.loads(line)
        t = rec.get("type")
        if t == "proposal":
            ls.proposals[rec["id"]] = rec
        elif t == "pair":
            ls.pairs.append(rec)
        elif t == "round":
            ls.rounds.append(rec)
        else:
            raise SystemExit(f"{path}:{n}: unknown record type {t!r}")
    return ls


def to_proposal(rec: dict) -> Proposal:
    return Proposal(
        path=rec["id"], name=rec["name"], department=rec.get("department", ""),
        project_type=rec.get("project_type", ""), predecessor=rec.get("predecessor", ""),
        tasks=rec.get("tasks", ""), functions=[FunctionItem(f) for f in rec.get("functions", [])],
        reuses=list(rec.get("reuses", [])),
    )


def matcher(model: dict[str, float] | None = None, threshold: float | None = None) -> Matcher:
    idx = load_index(CATALOG)
    m = Matcher(segmenter(), idx)
    if model:
        m.model.update(model)
    if threshold is not None:
        m.thresholds = {"warning": threshold}
    return m


# ---------------------------------------------------------------- evaluation


@dataclass
class Figures:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    related: int = 0  # reported `related` pairs (tolerated)
    unjudged: list[tuple[str, str, float, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    verdict_mismatch: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def strict_precision(self) -> float:
        d = self.tp + self.fp + self.related + len(self.unjudged)
        return self.tp / d if d else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def evaluate(ls: LabelSet, m: Matcher, split: str | None) -> Figures:
    fig = Figures()
    props = {k: v for k, v in ls.proposals.items() if split in (None, v["split"])}
    reported: dict[str, dict[str, tuple[float, str]]] = {}
    for pid, rec in props.items():
        out = {}
        for x in m.match(to_proposal(rec)):
            if x.verdict in (DUPLICATE, COMMON):
                out[x.system.name] = (x.score, x.verdict)
        reported[pid] = out
    judged: dict[str, set[str]] = {}
    for pair in ls.pairs:
        pid = pair["proposal"]
        if pid not in props:
            continue
        judged.setdefault(pid, set()).add(pair["system"])
        hit = reported[pid].get(pair["system"])
        pos = pair["label"] in POSITIVE
        tag = f"{pid} {props[pid]['name']} ~ {pair['system']} [{pair['label']}/{pair.get('kind', '')}]"
        if pair["label"] in TOLERATED:
            fig.related += int(bool(hit))
        elif hit and pos:
            fig.tp += 1
            if hit[1] != pair["label"]:
                fig.verdict_mismatch.append(f"{tag}: reported as {hit[1]}")
        elif hit and not pos:
            fig.fp += 1
            fig.errors.append(f"FP {hit[0]:.2f} {tag}")
        elif pos:
            fig.fn += 1
            fig.errors.append(f"FN      {tag}")
        else:
            fig.tn += 1
    for pid, out in reported.items():
        for name, (score, verdict) in out.items():
            if name not in judged.get(pid, set()):
                fig.unjudged.append((pid, name, score, verdict))
    # round pairs: all labelled proposals form one review round; a round pair belongs to its own split
    found = round_matches([to_proposal(v) for v in ls.proposals.values()], m)
    judged_r: set[frozenset[str]] = set()
    for r in ls.rounds:
        judged_r.add(frozenset((r["a"], r["b"])))
        if split not in (None, r["split"]):
            continue
        hit = next((x for x in found[r["a"]] if x.other_path == r["b"]), None)
        pos = r["label"] in POSITIVE
        tag = f"round {r['a']} ~ {r['b']} [{r['label']}]"
        if hit and pos:
            fig.tp += 1
        elif hit:
            fig.fp += 1
            fig.errors.append(f"FP {hit.score:.2f} {tag}")
        elif pos:
            fig.fn += 1
            fig.errors.append(f"FN      {tag}")
        else:
            fig.tn += 1
    if split is None:
        for a, lst in found.items():
            for x in lst:
                other = x.other_path or ""
                if frozenset((a, other)) not in judged_r and a < other:
                    fig.unjudged.append((a, f"round:{other} {ls.proposals[other]['name']}", x.score, "round"))
    return fig


# ---------------------------------------------------------------- fitting


def pair_features(ls: LabelSet, m: Matcher, split: str) -> list[tuple[dict[str, float], int]]:
    seg = m.seg
    idx = m.index
    assert idx is not None
    by_name = {s.name: s.index for s in idx.catalog.systems}
    rows = []
    for pair in ls.pairs:
        rec = ls.proposals[pair["proposal"]]
        if rec["split"] != split or pair.get("kind") in EXCLUSION_KINDS or pair["label"] in TOLERATED:
            continue
        i = by_name.get(pair["system"])
        if i is None:
            raise SystemExit(f"labelled system not in catalog: {pair['system']}")
        if pair.get("via"):
            a = Bag(seg.tokens(pair["via"]), [])
        else:
            a = m.proposal_bag(to_proposal(rec))
        rows.append((features(a, m.system_bag(i), m.lex, m.weight), int(pair["label"] in POSITIVE)))
    props = {k: to_proposal(v) for k, v in ls.proposals.items()}
    for r in ls.rounds:
        if r["split"] != split:
            continue
        ba, bb = m.proposal_bag(props[r["a"]]), m.proposal_bag(props[r["b"]])
        rows.append((features(ba, bb, m.lex, m.weight), int(r["label"] in POSITIVE)))
    return rows


def fit(rows: list[tuple[dict[str, float], int]], l2: float = 0.01, steps: int = 20000, lr: float = 0.5) -> dict[str, float]:
    """Plain logistic regression by batch gradient descent (a handful of features, a few hundred rows)."""
    w = {k: 0.0 for k in FEATURES}
    b = 0.0
    n = len(rows)
    pos = sum(y for _, y in rows)
    # balance the classes so the 0.5 point sits between them
    cw = {1: n / (2 * pos) if pos else 1.0, 0: n / (2 * (n - pos)) if n - pos else 1.0}
    for _ in range(steps):
        gw = {k: 0.0 for k in FEATURES}
        gb = 0.0
        for x, y in rows:
            z = b + sum(w[k] * x[k] for k in FEATURES)
            p = 1 / (1 + math.exp(-max(-50, min(50, z))))
            g = (p - y) * cw[y]
            gb += g
            for k in FEATURES:
                gw[k] += g * x[k]
        b -= lr * gb / n
        for k in FEATURES:
            w[k] -= lr * (gw[k] / n + l2 * w[k])
    return {"bias": round(b, 3), **{k: round(v, 3) for k, v in w.items()}}


def write_model(model: dict[str, float]) -> None:
    text = LEXICON_PATH.read_text(encoding="utf-8")
    for k, v in model.items():
        text, n = re.subn(rf"(?m)^{k} = .*$", f"{k} = {v}", text)
        if n != 1:
            raise SystemExit(f"cannot find `{k} = ` in {LEXICON_PATH}")
    LEXICON_PATH.write_text(text, encoding="utf-8")


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=["dev", "test"], help="evaluate one split only")
    ap.add_argument("--pool", type=int, metavar="N", help="print the top N candidates per proposal")
    ap.add_argument("--fit", action="store_true", help="fit the score model on the dev split")
    ap.add_argument("--write", action="store_true", help="with --fit: write the model into lexicon.toml")
    ap.add_argument("--verbose", "-v", action="store_true", help="list errors and unjudged reports")
    args = ap.parse_args(argv)
    ls = load_labels()
    if args.pool:
        m = matcher(threshold=0.0)
        for pid, rec in ls.proposals.items():
            judged = {p["system"]: p["label"] for p in ls.pairs if p["proposal"] == pid}
            print(f"== {pid} {rec['name']} | {rec['department']}")
            for x in m.match(to_proposal(rec))[: args.pool]:
                lab = judged.get(x.system.name, "?")
                via = f" via {x.via.text}" if x.via else ""
                print(f"   {x.score:.2f} {x.verdict:<11} [{lab}] {x.system.name} | {x.system.department}{via}")
        return 0
    if args.fit:
        m = matcher()
        rows = pair_features(ls, m, "dev")
        model = fit(rows)
        print(f"fitted on {len(rows)} dev pairs ({sum(y for _, y in rows)} positive):")
        print("  " + ", ".join(f"{k} = {v}" for k, v in model.items()))
        if args.write:
            write_model(model)
            print(f"written to {LEXICON_PATH.relative_to(ROOT)}")
        return 0
    m = matcher()
    thresholds = dict(m.thresholds)
    report_at = min(thresholds.values())
    splits = [args.split] if args.split else ["dev", "test", None]
    print(f"catalog: {CATALOG.relative_to(ROOT)} ({m.index.size} systems); "
          f"labelled: {len(ls.proposals)} proposals, {len(ls.pairs)} pairs, {len(ls.rounds)} round pairs")
    print(f"shipped thresholds: {thresholds} (reported at >= {report_at})\n")
    print(f"{'split':<6} {'P':>6} {'R':>6} {'F1':>6} {'strictP':>8}  tp  fp  fn   tn  related unjudged")
    last = None
    for sp in splits:
        f = evaluate(ls, m, sp)
        last = f
        print(f"{sp or 'all':<6} {f.precision:6.3f} {f.recall:6.3f} {f.f1:6.3f} {f.strict_precision:8.3f} "
              f"{f.tp:3d} {f.fp:3d} {f.fn:3d} {f.tn:4d} {f.related:5d} {len(f.unjudged):6d}")
    print(f"\ncurve ({args.split or 'all splits'}): threshold -> P / R / F1")
    for t in [0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9]:
        f = evaluate(ls, matcher(threshold=t), args.split)
        mark = " <- shipped" if abs(t - report_at) < 1e-9 else ""
        print(f"  {t:.2f}: {f.precision:.3f} / {f.recall:.3f} / {f.f1:.3f}  (unjudged {len(f.unjudged)}){mark}")
    if args.verbose and last is not None:
        print("\nerrors:")
        for e in last.errors:
            print("  " + e)
        print("unjudged reports:")
        for pid, name, score, verdict in last.unjudged:
            print(f"  {score:.2f} {verdict:<9} {pid} {ls.proposals[pid]['name']} ~ {name}")
        if last.verdict_mismatch:
            print("verdict mismatches (detected, but as the other rule):")
            for v in last.verdict_mismatch:
                print("  " + v)
    return 0


if __name__ == "__main__":
    sys.exit(main())
