"""Where derived data (the reduced jieba dictionary, catalog indexes) is cached: under the tool's one cache
root (`dossier_lint.cache.cache_root`: DOSSIER_LINT_CACHE_DIR, else $XDG_CACHE_HOME/dossier-lint, else
~/.cache/dossier-lint). Never next to the user's catalog.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..cache import cache_root


def cache_dir(sub: str = "duplicates") -> Path | None:
    """The cache directory, created if needed; None when it cannot be used (read-only home, ...)."""
    path = cache_root() / sub
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return path if os.access(path, os.W_OK) else None
