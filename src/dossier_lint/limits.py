"""Resource limits for reading untrusted input: size, pages, time, cells and zip guards.

One `Limits` per run, from the pack's [settings.limits] and the configuration's [limits] (config.py). They
guard the package documents (discover, readers) and the duplicate catalog given with `--catalog` alike
(duplicates/catalog.py: file size, cells, the zip guards of a workbook, reading time)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    max_file_bytes: int = 200 * MB  # one document, one package zip or the --catalog file, as stored
    max_pages: int = 3000  # pages read per PDF or OFD document (readers/pdf.py, ofd.py); later ones are not
    max_seconds: float = 60.0  # wall time spent reading one document (or the catalog's workbook)
    max_cells: int = 2_000_000  # spreadsheet cells read per workbook (or CSV / JSON catalog)
    max_decompressed_bytes: int = 500 * MB  # total inflated bytes per archive (per OOXML part set, per PDF)
    max_ratio: int = 200  # uncompressed / compressed size of one zip member
    max_members: int = 10_000  # entries in one archive
    max_nesting: int = 2  # archives inside archives
    max_pdf_stream_bytes: int = 64 * MB  # one decoded non-image PDF stream (a page's content, a font)

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> Limits:
        """Build from a config table; unknown keys are ignored, values coerced to the field's type."""
        if not d:
            return cls()
        kwargs: dict[str, Any] = {}
        for f in fields(cls):
            if f.name in d and d[f.name] is not None:
                default = getattr(cls(), f.name)
                try:
                    value = type(default)(d[f.name])
                except (TypeError, ValueError) as exc:
                    raise ValueError(f"limits.{f.name}: {d[f.name]!r} is not a number") from exc
                if value < 0 or (value == 0 and f.name != "max_nesting"):
                    raise ValueError(f"limits.{f.name} must be positive, got {d[f.name]!r}")
                kwargs[f.name] = value
        return cls(**kwargs)

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}
