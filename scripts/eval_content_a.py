"""Precision and recall of the content-a checks (目录 DL3xx, 资金 DL4xx, 政务云 DL440–DL459) over
corpus/labelled/content_a.jsonl.

    python scripts/eval_content_a.py [--verbose] [--strict] [--file PATH] [--profile nanchong]

Each line is one labelled case: a catalog table (`"case": "catalog"`, header + rows, optionally the
project's name and tasks), a sentence of a plan (`"text"`, with the project's total and O&M funding), a
budget table (`"budget"`) or a 政务云 resource table with the plan's paragraphs (`"cloud"`), and the rule
IDs a careful reviewer expects (often none: near misses); `"split": "holdout"` marks cases written
after the checks and first run unseen (their first-run result is in the content-a report). The script builds a one-case package and runs
every content-a rule of the profile through the registered check kinds — the same code the CLI runs —
then prints per-rule precision and recall; with --verbose, every miss and false alarm. Exit status 1
with --strict when any case is judged wrongly.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dossier_lint.config import resolve_settings  # noqa: E402
from dossier_lint.model import Block, Cell, Document, Fact, Location, Package, Table  # noqa: E402
from dossier_lint.rule import Context, kinds  # noqa: E402

DEFAULT = ROOT / "corpus" / "labelled" / "content_a.jsonl"


def mine(rule_id: str) -> bool:
    n = int(rule_id[2:])
    return 300 <= n < 330 or 400 <= n < 460


def load(path: Path) -> list[dict[str, Any]]:
    items = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            item = json.loads(line)
            item["line"] = n
            items.append(item)
    return items


def _table(rows: list[list[str]], *, sheet: str | None) -> Table:
    out = []
    for r, row in enumerate(rows):
        cells = []
        for c, t in enumerate(row):
            loc = (Location(sheet=sheet, cell=f"{chr(65 + c)}{r + 1}") if sheet
                   else Location(paragraph=1, table=1, row=r + 1, col=c + 1))
            cells.append(Cell(t or "", loc, r, c))
        out.append(cells)
    return Table(out, Location(sheet=sheet) if sheet else Location(paragraph=1), sheet or "")


def package(case: dict[str, Any]) -> Package:
    """The smallest package that holds the case."""
    pkg = Package(path="eval", name=f"case-{case['line']}")
    kind = case["case"]
    if kind == "catalog":
        pkg.documents.append(Document(path="目录.xlsx", format="xlsx", kind="resource_catalog",
                                      tables=[_table(case["header"] and [case["header"], *case["rows"]], sheet="目录")]))
        for key in ("project", "tasks"):
            if case.get(key):
                pkg.facts.add("name" if key == "project" else "tasks", Fact(case[key], "表.docx"))
    elif kind == "text":
        form = Document(path="表.docx", format="docx", kind="application_form")
        doc = Document(path="方案.docx", format="docx", kind=case.get("kind", "implementation_plan"),
                       blocks=[Block(case["text"], Location(paragraph=0))])
        pkg.documents += [form, doc]
        pkg.facts.add("total_investment", Fact(Decimal(case["total"]), form.path, None, f"投资额度：{case['total']}万元"))
    elif kind == "budget":
        pkg.documents.append(Document(path="概算表.xlsx", format="xlsx", kind="budget_sheet",
                                      tables=[_table(case["rows"], sheet="概算表")]))
    elif kind == "cloud":
        blocks = [Block(t, Location(paragraph=i)) for i, t in enumerate(case.get("paragraphs", []))]
        pkg.documents.append(Document(path="政务云需求方案.docx", format="docx", kind="cloud_plan", blocks=blocks,
                                      tables=[_table(case["rows"], sheet=None)]))
    else:
        raise ValueError(f"line {case['line']}: unknown case {kind!r}")
    return pkg


def fired(case: dict[str, Any], settings: Any) -> list[str]:
    pkg = package(case)
    ctx = Context(package=pkg, settings=settings, shared={})
    registry = kinds()
    out: list[str] = []
    for rule in settings.rules():
        if mine(rule.id):
            out += [d.rule for d in registry[rule.kind](rule, ctx)]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--file", type=Path, default=DEFAULT)
    ap.add_argument("--profile", default="nanchong")
    ap.add_argument("--verbose", "-v", action="store_true")
    ap.add_argument("--strict", action="store_true", help="exit 1 when any case is judged wrongly")
    args = ap.parse_args(argv)
    settings = resolve_settings([], {"profile": args.profile})
    cases = load(args.file)
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    wrong: list[tuple[dict[str, Any], list[str]]] = []
    by_case: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for case in cases:
        got = Counter(fired(case, settings))
        want = Counter(case["expect"])
        for r in set(got) | set(want):
            tp[r] += min(got[r], want[r])
            fp[r] += max(0, got[r] - want[r])
            fn[r] += max(0, want[r] - got[r])
        ok = got == want
        by_case[case["case"]][0 if ok else 1] += 1
        by_case["split:" + case.get("split", "dev")][0 if ok else 1] += 1
        if not ok:
            wrong.append((case, sorted(got.elements())))
    print(f"{len(cases)} labelled cases ({args.file.relative_to(ROOT) if args.file.is_relative_to(ROOT) else args.file}),"
          f" profile {args.profile}")
    print(f"{'rule':<7}{'TP':>4}{'FP':>4}{'FN':>4}  precision  recall")
    for r in sorted(set(tp) | set(fp) | set(fn)):
        p = tp[r] / (tp[r] + fp[r]) if tp[r] + fp[r] else 1.0
        rc = tp[r] / (tp[r] + fn[r]) if tp[r] + fn[r] else 1.0
        print(f"{r:<7}{tp[r]:>4}{fp[r]:>4}{fn[r]:>4}  {p:9.2f}  {rc:6.2f}")
    T, F, N = sum(tp.values()), sum(fp.values()), sum(fn.values())
    print(f"{'all':<7}{T:>4}{F:>4}{N:>4}  {T / (T + F) if T + F else 1:9.2f}  {T / (T + N) if T + N else 1:6.2f}")
    print("cases judged right / wrong: " + ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in sorted(by_case.items())))
    if args.verbose:
        for case, got in wrong:
            print(f"  line {case['line']}: expected {case['expect']}, got {got} — {case['note']}")
    return 1 if args.strict and wrong else 0


if __name__ == "__main__":
    raise SystemExit(main())
