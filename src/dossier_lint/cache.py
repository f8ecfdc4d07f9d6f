"""Content-hash cache of what a run read and found, in the user's cache directory.

Two levels, both keyed by content (never by path or mtime), so an edit always misses:

- `doc`: the `Document` a reader made from one file's bytes, keyed by the bytes' sha256, the limits and
  a hash of the reader code. Survives rule, profile and config changes (reading is the slow part).
- `pkg`: a whole package's result before waivers / baseline, keyed by every member's hash, the package's
  place, a fingerprint of the settings (rules, kinds, limits, catalog content) and a hash of all the code.
  A warm rerun of an unchanged round reads no document and runs no check.

Entries are pickles written through a temp file + `os.replace` (atomic, safe with concurrent workers);
an entry that fails to load for any reason is ignored and overwritten. Nothing is written outside
`cache_root()`. The cache holds text of the user's documents: it lives in their own cache dir only.

Size: least recently used entries go once the cache passes its budget (`prune`). Listing a cache of tens
of thousands of entries takes a tenth of a second, too much for every pre-commit run that wrote one
entry, so a ledger (`usage`) keeps the size the last listing found plus what each write added since
(one appended line per entry, atomic with O_APPEND among concurrent writers); the cache is listed again
only when that sum passes the budget, or a day after the last listing (entries removed by hand, writes
a crash never recorded).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import time
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

from . import __version__

APP = "dossier-lint"
FORMAT = 1  # bump when the layout of entries changes
MAX_BYTES = 1 << 30  # least recently used entries go beyond this (DOSSIER_LINT_CACHE_MAX_MB)
RELIST_SECONDS = 24 * 3600  # the ledger's estimate is checked against a listing at least this often
LEDGER = "usage"
_LEDGER_COMPACT = 4096  # lines of writes after which prune folds them into one
_PKG_ROOT = Path(__file__).resolve().parent


def cache_root() -> Path:
    """`DOSSIER_LINT_CACHE_DIR`, else `$XDG_CACHE_HOME/dossier-lint`, else ~/.cache/dossier-lint."""
    override = os.environ.get("DOSSIER_LINT_CACHE_DIR")
    if override:
        return Path(override)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        return Path(xdg) / APP
    return Path.home() / ".cache" / APP


# --- code fingerprints -------------------------------------------------------------------------------

# Modules that cannot change what a reader makes of a file's bytes.
_NOT_READING = ("report", "kinds", "duplicates", "checks", "cli.py", "commands.py", "batch.py", "cache.py",
                "precommit.py",
                "classify.py", "facts.py", "packs.py", "config.py", "engine.py", "waivers.py", "baseline.py")
_code_hashes: dict[bool, str] = {}


def code_hash(readers_only: bool = False) -> str:
    """sha256 of the installed package's source (and rule packs): a code edit invalidates the cache even
    when `__version__` stays the same, as in an editable install. Both hashes (all the code, the readers'
    code) come from one pass over the files, once per process: a batch's workers inherit them."""
    if readers_only not in _code_hashes:
        everything = hashlib.sha256(f"{__version__}\x00{FORMAT}".encode())
        reading = everything.copy()
        files = sorted(p for p in _PKG_ROOT.rglob("*") if p.suffix in (".py", ".toml") and p.is_file())
        for p in files:
            rel = p.relative_to(_PKG_ROOT).as_posix()
            try:
                chunk = rel.encode() + b"\x00" + p.read_bytes() + b"\x00"
            except OSError:
                continue
            everything.update(chunk)
            if rel.split("/")[0] not in _NOT_READING:
                reading.update(chunk)
        _code_hashes[False], _code_hashes[True] = everything.hexdigest(), reading.hexdigest()
    return _code_hashes[readers_only]


def _stable(value: Any, depth: int = 0) -> Any:
    """A deterministic, picklable-free rendering of settings values for hashing."""
    if depth > 6:
        return repr(type(value))
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, Path):
        return ("path", str(value), file_digest(value))
    if isinstance(value, dict):
        return sorted(((str(k), _stable(v, depth + 1)) for k, v in value.items()), key=lambda kv: kv[0])
    if isinstance(value, (list, tuple)):
        return [_stable(v, depth + 1) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(repr(_stable(v, depth + 1)) for v in value)
    if is_dataclass(value) and not isinstance(value, type):
        return [type(value).__name__] + [
            (f.name, _stable(getattr(value, f.name, None), depth + 1)) for f in fields(value)
        ]
    if hasattr(value, "pattern") and hasattr(value, "flags"):  # compiled regex
        return ("re", value.pattern, value.flags)
    return str(value) if type(value).__repr__ is object.__repr__ else repr(value)


def file_digest(path: Path) -> str:
    """Content hash of a settings file (the catalog, say); '' when it cannot be read."""
    try:
        if not path.is_file():
            return ""
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()
    except OSError:
        return ""


# Settings fields that only steer waivers, baseline, exit code and output: applied after the cache.
_AFTER_CACHE = {"fail_on", "max_warnings", "waivers", "baseline", "write_baseline", "prune_waivers",
                "show_waived", "per_path_ignores", "config_file", "sources"}


def settings_fingerprint(settings: Any) -> str:
    """What in the settings can change a package's raw findings: the active rules (ids, severities,
    params, conditions), the pack's version hash, kinds, limits, the catalog's content and any other
    field not known to act only after checking."""
    h = hashlib.sha256()
    pack = getattr(settings, "pack", None)
    h.update(repr(getattr(pack, "version_hash", "")).encode())
    try:
        rules = settings.rules()
    except Exception:
        rules = []
    for rule in rules:
        h.update(repr(_stable(rule)).encode("utf-8", "replace"))
    if getattr(settings, "auto", False):  # any built-in city pack may end up checking the package
        from .jurisdiction import candidates

        for name, terms in candidates():
            sub = settings.for_profile(name)
            h.update(repr((name, terms, sub.pack.version_hash, [_stable(r) for r in sub.rules()])).encode())
    if is_dataclass(settings):
        for f in fields(settings):
            if f.name in _AFTER_CACHE or f.name == "pack":
                continue
            h.update(f.name.encode() + b"=" + repr(_stable(getattr(settings, f.name, None))).encode())
    return h.hexdigest()


# --- the store ----------------------------------------------------------------------------------------


class Cache:
    """A directory of pickled entries, `<root>/v<FORMAT>/<kind>/<key[:2]>/<key>`."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = (root or cache_root()) / f"v{FORMAT}"
        self.hits = 0
        self.misses = 0

    def _path(self, kind: str, key: str) -> Path:
        return self.root / kind / key[:2] / key

    def get(self, kind: str, key: str, expect: type | tuple[type, ...] | None = None) -> Any:
        path = self._path(kind, key)
        try:
            with open(path, "rb") as fh:
                value = pickle.load(fh)
        except FileNotFoundError:
            self.misses += 1
            return None
        except Exception:  # truncated, from another Python, unpickling a renamed class...: ignore it
            self.misses += 1
            return None
        if expect is not None and not isinstance(value, expect):
            self.misses += 1
            return None
        self.hits += 1
        try:
            os.utime(path)  # mtime = last use, for prune()
        except OSError:
            pass
        return value

    def prune(self, max_bytes: int | None = None, *, relist: bool = False) -> int:
        """Delete least recently used entries until the cache is under `max_bytes`; returns how many.
        Lists the cache only when the ledger says it may be over (or the ledger is missing, damaged or a
        day old), or when `relist`."""
        if max_bytes is None:
            try:
                max_bytes = int(os.environ.get("DOSSIER_LINT_CACHE_MAX_MB", "")) << 20
            except ValueError:
                max_bytes = MAX_BYTES
        ledger = self.root / LEDGER
        listed_at, estimate, lines = _read_ledger(ledger)
        now = time.time()
        if not relist and listed_at is not None and estimate <= max_bytes and 0 <= now - listed_at < RELIST_SECONDS:
            if lines > _LEDGER_COMPACT:
                write_atomic(ledger, f"listed {int(listed_at)} {estimate}\n".encode())
            return 0
        entries = []
        total = 0
        for path in self.root.glob("*/*/*"):
            try:
                st = path.stat()
            except OSError:
                continue
            entries.append((st.st_mtime, st.st_size, path))
            total += st.st_size
        removed = 0
        for _, size, path in sorted(entries):
            if total <= max_bytes:
                break
            try:
                path.unlink()
            except OSError:
                continue
            total -= size
            removed += 1
        # writes made while listing are not in `total`: the next listing (a day on at most) counts them
        write_atomic(ledger, f"listed {int(now)} {total}\n".encode())
        return removed

    def put(self, kind: str, key: str, value: Any) -> bool:
        """Store `value`; False (and nothing left behind) when the cache dir cannot be written."""
        path = self._path(kind, key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:
            return False
        if not write_atomic(path, data):
            return False
        _append(self.root / LEDGER, f"+{len(data)}\n".encode())
        return True


def _read_ledger(path: Path) -> tuple[float | None, int, int]:
    """(time of the last listing, its total plus the writes since, lines): (None, 0, 0) when there is
    no usable ledger, so the caller lists the cache."""
    try:
        text = path.read_text("ascii")
    except (OSError, ValueError):
        return None, 0, 0
    lines = text.splitlines()
    try:
        tag, at, total = lines[0].split()
        if tag != "listed":
            return None, 0, 0
        # a line cut short by a crash is skipped; it can only make the estimate low until the next listing
        added = sum(int(ln[1:]) for ln in lines[1:] if ln.startswith("+") and ln[1:].isdigit())
        return float(at), int(total) + added, len(lines)
    except (IndexError, ValueError):
        return None, 0, 0


def _append(path: Path, line: bytes) -> None:
    """One write with O_APPEND: concurrent writers' lines never interleave (each is far below PIPE_BUF)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    except OSError:
        return
    try:
        os.write(fd, line)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes) -> bool:
    """Write `data` to `path` through a temp file + rename: a concurrent reader sees the old file or the
    new one, never half of one. False (and no temp file left) when it cannot be written."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
        return True
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, Exception):
            return False
        raise


def doc_key(sha256: str, relpath_suffix: str, limits: Any) -> str:
    """Key of one file's reading: its bytes, its suffix (readers use it as a format hint), the limits."""
    payload = "\x1f".join([sha256, relpath_suffix.lower(), repr(_stable(limits)), code_hash(readers_only=True)])
    return hashlib.sha256(payload.encode()).hexdigest()


class CachingReader:
    """Wraps `readers.read_document` with the `doc` cache (a read that hit a time limit is not stored:
    the next run, on a quieter machine, may read it whole)."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache

    def __call__(self, relpath: str, data: bytes, limits: Any) -> Any:
        from . import readers
        from .model import Document

        sha = hashlib.sha256(data).hexdigest()
        key = doc_key(sha, Path(relpath).suffix, limits)
        doc = self.cache.get("doc", key, Document)
        if doc is not None:
            doc.path = relpath  # same bytes under another name
            return doc
        doc = readers.read_document(relpath, data, limits)
        if not transient(doc):
            self.cache.put("doc", key, doc)
        return doc


def transient(doc: Any) -> bool:
    """A reading cut short by the clock or by memory: another run may do better, so never cache it."""
    for issue in doc.issues:
        if issue.code == "limit-hit" and issue.args.get("limit") == "max_seconds":
            return True
        if issue.code == "unreadable" and "内存不足" in str(issue.args.get("reason", "")):
            return True
    return False
