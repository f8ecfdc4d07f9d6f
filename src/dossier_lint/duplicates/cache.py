"""Where derived data (the reduced jieba dictionary, catalog indexes) is cached: under the tool's one cache
root (`dossier_lint.cache.cache_root`: DOSSIER_LINT_CACHE_DIR, else $XDG_CACHE_HOME/dossier-lint, else
~/.cache/dossier-lint). Never next to the user's catalog.
"""

from __future__ import annotations

import os
import tempfile
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


def write_atomic(path: Path, data: bytes) -> bool:
    """Write `data` to `path` through a temp file + rename, so a concurrent reader never sees half a file."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    except OSError:
        return False
    return True
