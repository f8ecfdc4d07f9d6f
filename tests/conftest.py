"""Test-wide settings: never touch the user's real cache."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

# tests import helpers.py and the corpus builder by plain name
sys.path.insert(0, str(Path(__file__).parent))

_CACHE = tempfile.mkdtemp(prefix="dossier-lint-test-cache-")
os.environ.setdefault("DOSSIER_LINT_CACHE_DIR", _CACHE)
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)  # a test run leaves nothing behind
