"""Resolved settings for a run (stub by the lead; the rule-pack engineer owns and extends it).

Names the engine relies on: `Settings`, `resolve_settings(paths, cli)`, `ConfigError`,
`Settings.rules()`, `.profile`, `.pack`, `.limits`, `.kinds`, `.fail_on`, `.max_warnings`, `.catalog`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .limits import Limits


class ConfigError(Exception):
    """Bad configuration: the CLI prints the message and exits 2."""


@dataclass
class Settings:
    profile: str = "base"
    pack: Any = None  # packs.Pack
    fail_on: str = "error"
    max_warnings: int | None = None
    catalog: Path | None = None
    limits: Limits = field(default_factory=Limits)
    kinds: dict[str, str] = field(default_factory=dict)  # glob -> document kind
    sources: dict[str, str] = field(default_factory=dict)

    def rules(self) -> list:
        return list(self.pack.rules.values()) if self.pack is not None else []


def resolve_settings(paths: list[Path], cli: dict[str, Any]) -> Settings:
    from . import packs

    profile = cli.get("profile") or "base"
    try:
        pack = packs.load_pack(profile)
    except packs.PackError as e:
        raise ConfigError(str(e)) from e
    s = Settings(profile=profile, pack=pack)
    if cli.get("catalog"):
        s.catalog = Path(cli["catalog"])
    if cli.get("fail_on"):
        s.fail_on = cli["fail_on"]
    return s
