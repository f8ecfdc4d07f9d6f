"""Which city's rule pack fits a package, for `--profile auto`.

Each built-in pack may name its places (`[pack] detect = ["南充市", "南充"]`). A package is scored on where
those names appear: the project's name and unit as the documents state them (the strongest evidence), the
package's own name, its file names, and the opening blocks of each document (titles, form headers). The pack
with the highest score wins; no place named, or two cities tied, leaves the package on the base pack, and
the reason says so: a guess would apply one city's rules to another city's project.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from .model import Package

OPENING_BLOCKS = 40  # a document's title page, form header and first chapter heading lie in these
PER_DOCUMENT_CAP = 5  # one long report mentioning its city on every page must not outvote the rest
WEIGHTS = {"fact": 5, "package": 3, "file": 2, "text": 1}


@dataclass
class Detection:
    profile: str | None  # None: no city recognised (or a tie)
    reason: str  # Chinese, for the report: what decided it
    scores: dict[str, int] = field(default_factory=dict)


@cache
def candidates() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(pack name, place names) of every built-in pack that declares `detect`."""
    from . import packs

    out = []
    for name in packs.available():
        try:
            pack = packs.load_pack(name)
        except packs.PackError:
            continue  # a broken built-in pack is reported when it is used, not here
        if pack.detect:
            out.append((name, tuple(sorted(pack.detect, key=len, reverse=True))))
    return tuple(out)


def detect(pkg: Package, choices: tuple[tuple[str, tuple[str, ...]], ...] | None = None) -> Detection:
    choices = candidates() if choices is None else choices
    scores = {name: 0 for name, _ in choices}
    first_seen: dict[str, str] = {}

    def seen(text: str, weight: int, where: str) -> bool:
        hit = False
        for name, terms in choices:
            term = next((t for t in terms if t in text), None)
            if term is not None:
                scores[name] += weight
                first_seen.setdefault(name, f"{where}含“{term}”")
                hit = True
        return hit

    for key, label in (("name", "项目名称"), ("unit", "项目单位")):
        for fact in pkg.facts.all(key) if pkg.facts else []:
            seen(str(fact.value), WEIGHTS["fact"], f"{label}“{fact.value}”")
    seen(pkg.name, WEIGHTS["package"], f"申报包名“{pkg.name}”")
    for doc in pkg.documents:
        seen(doc.path, WEIGHTS["file"], f"文件名“{doc.path}”")
        hits = 0
        for block in doc.blocks[:OPENING_BLOCKS]:
            if hits >= PER_DOCUMENT_CAP:
                break
            if seen(block.text, WEIGHTS["text"], f"{doc.path} 的“{block.text[:30]}”"):
                hits += 1
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] == 0:
        return Detection(
            None, "未在申报材料中识别出所属地区，按通用规则包 base 检查；可用 --profile 指定", scores
        )
    if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        tied = "、".join(n for n, s in ranked if s == ranked[0][1])
        return Detection(
            None, f"申报材料同时指向多个地区（{tied}），按通用规则包 base 检查；请用 --profile 指定", scores
        )
    name = ranked[0][0]
    return Detection(name, f"自动识别：{first_seen[name]}", scores)
