"""Precision and recall of the sentence-level content checks over corpus/labelled/content_b.jsonl.

    python scripts/eval_content_b.py [--verbose] [--file PATH]

Each line of the labelled file is one sentence with its heading path, the profile (rule pack) and the
rule IDs a careful reviewer expects to fire on it (often none: negated, past, background, quoted and
涉密 near misses). The script runs the very functions the check kinds use on one sentence
(policy.forbidden_hits, policy.refusal_hits, security.mention_hit) for every rule of those kinds in
the profile, and prints per-rule precision and recall; with --verbose, every miss and false alarm.
Exit status 1 when any labelled sentence is judged wrongly, so CI can run it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dossier_lint import packs  # noqa: E402
from dossier_lint.kinds.policy import forbidden_hits, refusal_hits  # noqa: E402
from dossier_lint.kinds.security import mention_hit  # noqa: E402
from dossier_lint.rule import Rule  # noqa: E402
from dossier_lint.sentences import Pattern, Terms  # noqa: E402

DEFAULT = ROOT / "corpus" / "labelled" / "content_b.jsonl"
KINDS = ("forbidden-construction", "required-construction", "forbidden-mention")


def load(path: Path) -> list[dict[str, Any]]:
    items = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            item = json.loads(line)
            item["line"] = n
            items.append(item)
    return items


def fired(rules: list[Rule], by_id: dict[str, Rule], text: str, heading: tuple[str, ...], terms: Terms) -> set[str]:
    """Rule IDs that fire on one sentence, exactly as the check kinds decide."""
    out: set[str] = set()
    for r in rules:
        if r.kind == "forbidden-construction":
            if forbidden_hits(r, text, heading, terms):
                out.add(r.id)
        elif r.kind == "forbidden-mention":
            if mention_hit(r, text, heading, terms):
                out.add(r.id)
        elif r.kind == "required-construction":
            if refusal_hits(r, text, heading, terms):
                deferred = [by_id[i] for i in r.params.get("unless-rules", ()) if i in by_id]
                if not any(forbidden_hits(d, text, heading, terms, Pattern.from_params(d.params)) for d in deferred):
                    out.add(r.id)
    return out


def evaluate(items: list[dict[str, Any]]) -> tuple[dict[str, dict[str, int]], list[str]]:
    stats: dict[str, dict[str, int]] = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0, "tn": 0})
    errors: list[str] = []
    cache: dict[str, tuple[list[Rule], dict[str, Rule], Terms]] = {}
    for it in items:
        prof = it.get("profile", "nanchong")
        if prof not in cache:
            pack = packs.load_pack(prof)
            rules = [r for r in pack.rules.values() if r.kind in KINDS]
            cache[prof] = (rules, pack.rules, Terms.from_settings(pack.settings.get("reading")))
        rules, by_id, terms = cache[prof]
        got = fired(rules, by_id, it["text"], tuple(it.get("heading", ())), terms)
        want = set(it.get("expect", ()))
        for r in rules:
            key = f"{r.id} {r.slug}"
            if r.id in got and r.id in want:
                stats[key]["tp"] += 1
            elif r.id in got:
                stats[key]["fp"] += 1
                errors.append(f"FP {r.id} line {it['line']}: {it['text']}  ({it.get('note', '')})")
            elif r.id in want:
                stats[key]["fn"] += 1
                errors.append(f"FN {r.id} line {it['line']}: {it['text']}  ({it.get('note', '')})")
            else:
                stats[key]["tn"] += 1
        unknown = want - {r.id for r in rules}
        for u in sorted(unknown):
            errors.append(f"?? {u} line {it['line']}: not a sentence-level rule of profile {prof}")
    return dict(stats), errors


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "  -  "


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--file", type=Path, default=DEFAULT)
    ap.add_argument("--verbose", "-v", action="store_true")
    args = ap.parse_args(argv)
    items = load(args.file)
    stats, errors = evaluate(items)
    near = sum(1 for it in items if not it.get("expect"))
    print(f"{len(items)} labelled sentences ({near} near misses that must not fire) from {args.file.name}")
    print(f"{'rule':40} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>10} {'recall':>8}")
    tot = {"tp": 0, "fp": 0, "fn": 0}
    for key in sorted(stats):
        s = stats[key]
        if not (s["tp"] or s["fp"] or s["fn"]):
            continue
        for k in tot:
            tot[k] += s[k]
        print(f"{key:40} {s['tp']:4} {s['fp']:4} {s['fn']:4} {_ratio(s['tp'], s['tp'] + s['fp']):>10} "
              f"{_ratio(s['tp'], s['tp'] + s['fn']):>8}")
    print(f"{'all':40} {tot['tp']:4} {tot['fp']:4} {tot['fn']:4} {_ratio(tot['tp'], tot['tp'] + tot['fp']):>10} "
          f"{_ratio(tot['tp'], tot['tp'] + tot['fn']):>8}")
    if errors and args.verbose:
        print("\n".join(errors))
    elif errors:
        print(f"{len(errors)} wrong judgements (use --verbose to list them)")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
