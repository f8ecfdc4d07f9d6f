"""A rule as loaded from a rule pack, and the registry of check kinds (code) that rules use (data)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .model import Basis, Diagnostic, Document, Location, Package

CATEGORIES = (
    "input",
    "completeness",
    "structure",
    "catalog",
    "funding",
    "policy",
    "security",
    "duplicate",
    "consistency",
    "tool",  # DL9xx: the tool's own findings (stale waiver, expired waiver)
)


@dataclass(slots=True)
class Condition:
    """When a rule applies. Every given key must hold; unknown facts make a condition false
    except where noted, so a rule never fires on a guess."""

    project_type: tuple[str, ...] = ()  # 新建 / 续建 / 改建 / 运维 / 购买服务
    filing: tuple[str, ...] = ()  # 新建 / 在建 / 已建 (南信办〔2023〕1号 三)
    mode: tuple[str, ...] = ()  # 自行建设 / 购买服务
    investment_min: Decimal | None = None  # 万元, inclusive
    investment_max: Decimal | None = None  # 万元, inclusive
    has_kind: tuple[str, ...] = ()  # package holds a document of one of these kinds
    lacks_kind: tuple[str, ...] = ()  # package holds none of these kinds
    facts_true: tuple[str, ...] = ()  # boolean facts that must be true (e.g. "urgent")
    facts_false: tuple[str, ...] = ()  # boolean facts that must not be true
    investment_above: Decimal | None = None  # 万元, exclusive ("超过1000万元")
    investment_below: Decimal | None = None  # 万元, exclusive ("50万元以下（不包含50万元）")
    fact_in: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (fact key, values): the fact (or one
    # element of a list fact) is one of the values, e.g. funding_channels contains 其他

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k in self.__slots__:
            v = getattr(self, k)
            if v not in ((), None):
                out[k.replace("_", "-")] = list(v) if isinstance(v, tuple) else str(v)
        return out


@dataclass(slots=True)
class Rule:
    id: str
    slug: str
    category: str
    severity: str
    kind: str
    message: str  # Chinese template, str.format-style fields filled by the check kind
    title: str = ""  # short Chinese title for listings
    basis: tuple[Basis, ...] = ()
    rationale: str = ""
    fix: str = ""
    example: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    when: Condition = field(default_factory=Condition)
    pack: str = ""  # the pack that defined (or last overrode) it
    source_file: str = ""
    source_line: int = 0

    def diag(
        self,
        *,
        file: str | None = None,
        loc: Location | None = None,
        evidence: str | None = None,
        key: str = "",
        data: dict[str, Any] | None = None,
        **fields: Any,
    ) -> Diagnostic:
        """Make a diagnostic of this rule, filling the message template with `fields`."""
        try:
            message = self.message.format(**fields)
        except (KeyError, IndexError, ValueError):
            message = self.message
        return Diagnostic(
            rule=self.id,
            name=self.slug,
            severity=self.severity,
            category=self.category,
            message=message,
            file=file,
            loc=loc,
            basis=self.basis,
            evidence=_clip(evidence) if evidence else None,
            data=data or {},
            key=key,
        )


def _clip(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(slots=True)
class Context:
    """What a check sees: the package, its pack's settings, and shared services."""

    package: Package
    settings: Any  # dossier_lint.config.Settings
    shared: dict[str, Any] = field(default_factory=dict)  # per-run services (e.g. duplicate index)

    def docs(self, *kinds: str) -> list[Document]:
        return [d for d in self.package.of_kind(*kinds) if d.readable]


CheckFn = Callable[[Rule, Context], Iterable[Diagnostic]]
_KINDS: dict[str, CheckFn] = {}
_KIND_PARAMS: dict[str, tuple[set[str], set[str]]] = {}


def check_kind(name: str, *, required: Iterable[str] = (), optional: Iterable[str] = ()):
    """Register a generic check kind. Packs refer to it by `name` and give its params.

    `required` / `optional` name the params, so a pack with a typo fails on load, not silently.
    """

    def deco(fn: CheckFn) -> CheckFn:
        _KINDS[name] = fn
        _KIND_PARAMS[name] = (set(required), set(optional))
        return fn

    return deco


def kinds() -> dict[str, CheckFn]:
    from . import kinds as _k  # noqa: F401  (imports register the kinds)

    return _KINDS


def kind_params(name: str) -> tuple[set[str], set[str]] | None:
    kinds()
    return _KIND_PARAMS.get(name)
