"""The content-hash cache: keys, atomic writes, corrupt entries, concurrent writers, where it lives."""

from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from dossier_lint import cache
from dossier_lint.limits import Limits
from dossier_lint.model import Document, ReadIssue


def test_cache_root_env(monkeypatch, tmp_path):
    monkeypatch.setenv("DOSSIER_LINT_CACHE_DIR", str(tmp_path / "c"))
    assert cache.cache_root() == tmp_path / "c"
    monkeypatch.delenv("DOSSIER_LINT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_root() == tmp_path / "xdg" / "dossier-lint"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_root() == tmp_path / "home" / ".cache" / "dossier-lint"


def test_put_get_roundtrip_and_layout(tmp_path):
    c = cache.Cache(tmp_path)
    doc = Document(path="a.pdf", format="pdf", pages=3, issues=[ReadIssue("scanned-pages", {"pages": [1]})])
    assert c.put("doc", "ab" * 32, doc)
    got = c.get("doc", "ab" * 32, Document)
    assert got == doc and got is not doc
    # everything under the root, nothing else, no temp files left behind
    files = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    root = tmp_path / f"v{cache.FORMAT}"
    assert files == [root / "doc" / "ab" / ("ab" * 32), root / cache.LEDGER]
    assert c.hits == 1
    assert c.get("doc", "cd" * 32) is None and c.misses == 1


@pytest.mark.parametrize("garbage", [b"", b"not a pickle", b"\x80\x05\x95\xff\xff"])
def test_corrupt_entry_is_a_miss_and_is_overwritten(tmp_path, garbage):
    c = cache.Cache(tmp_path)
    key = "ef" * 32
    path = tmp_path / f"v{cache.FORMAT}" / "pkg" / key[:2] / key
    path.parent.mkdir(parents=True)
    path.write_bytes(garbage)
    assert c.get("pkg", key) is None
    assert c.put("pkg", key, {"x": 1})
    assert c.get("pkg", key) == {"x": 1}


def test_wrong_type_is_a_miss(tmp_path):
    c = cache.Cache(tmp_path)
    c.put("doc", "aa" * 32, ["not", "a", "document"])
    assert c.get("doc", "aa" * 32, Document) is None


def test_unwritable_cache_dir_is_harmless(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    c = cache.Cache(blocker)  # root below a regular file: mkdir fails
    assert c.put("doc", "aa" * 32, 1) is False
    assert c.get("doc", "aa" * 32) is None


def _hammer(root: str, n: int) -> None:
    c = cache.Cache(Path(root))
    for i in range(200):
        c.put("pkg", "ab" * 32, {"writer": n, "i": i, "pad": "x" * 5000})
        got = c.get("pkg", "ab" * 32)
        assert got is not None and got["pad"] == "x" * 5000  # never a torn read


def test_concurrent_writers_never_tear(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_hammer, args=(str(tmp_path), n)) for n in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert all(p.exitcode == 0 for p in procs)
    leftovers = [p.name for p in tmp_path.rglob(".tmp-*")]
    assert leftovers == []


def test_doc_key_depends_on_content_suffix_limits():
    base = cache.doc_key("a" * 64, ".pdf", Limits())
    assert base == cache.doc_key("a" * 64, ".PDF", Limits())
    assert base != cache.doc_key("b" * 64, ".pdf", Limits())
    assert base != cache.doc_key("a" * 64, ".docx", Limits())
    assert base != cache.doc_key("a" * 64, ".pdf", Limits(max_pages=10))


def test_caching_reader_reads_once(tmp_path, monkeypatch):
    from dossier_lint import readers

    calls = []
    real = readers.read_document

    def counting(relpath, data, limits=None):
        calls.append(relpath)
        return real(relpath, data, limits)

    monkeypatch.setattr(readers, "read_document", counting)
    reader = cache.CachingReader(cache.Cache(tmp_path))
    data = "第一章 总则\n项目名称：测试\n".encode()
    a = reader("a.txt", data, Limits())
    b = reader("sub/b.txt", data, Limits())  # same bytes, other name
    assert calls == ["a.txt"]
    assert b.path == "sub/b.txt" and [x.text for x in b.blocks] == [x.text for x in a.blocks]
    reader("a.txt", data + "改".encode(), Limits())
    assert calls == ["a.txt", "a.txt"]


def test_transient_reads_are_not_cached(tmp_path, monkeypatch):
    from dossier_lint import readers

    def slow(relpath, data, limits=None):
        return Document(path=relpath, format="pdf", status="partial",
                        issues=[ReadIssue("limit-hit", {"limit": "max_seconds", "value": 60})])

    monkeypatch.setattr(readers, "read_document", slow)
    c = cache.Cache(tmp_path)
    cache.CachingReader(c)("a.pdf", b"%PDF-1.4", Limits())
    assert not list(tmp_path.rglob("*/doc/*/*"))


@dataclass
class _FakeSettings:
    profile: str = "base"
    pack: object = None
    fail_on: str = "error"
    limits: Limits = field(default_factory=Limits)
    kinds: dict = field(default_factory=dict)
    catalog: Path | None = None

    def rules(self):
        return []


def test_settings_fingerprint(tmp_path):
    a = _FakeSettings()
    assert cache.settings_fingerprint(a) == cache.settings_fingerprint(_FakeSettings())
    # fail_on only steers the exit code: same raw findings, same key
    assert cache.settings_fingerprint(a) == cache.settings_fingerprint(_FakeSettings(fail_on="warning"))
    assert cache.settings_fingerprint(a) != cache.settings_fingerprint(_FakeSettings(profile="nanchong"))
    assert cache.settings_fingerprint(a) != cache.settings_fingerprint(_FakeSettings(kinds={"*.pdf": "approval"}))
    assert cache.settings_fingerprint(a) != cache.settings_fingerprint(_FakeSettings(limits=Limits(max_pages=5)))
    cat = tmp_path / "catalog.csv"
    cat.write_text("系统名称\n甲系统\n", encoding="utf-8")
    before = cache.settings_fingerprint(_FakeSettings(catalog=cat))
    cat.write_text("系统名称\n乙系统\n", encoding="utf-8")  # same path, new content
    assert cache.settings_fingerprint(_FakeSettings(catalog=cat)) != before


def test_code_hash_is_stable_and_covers_the_package():
    assert cache.code_hash() == cache.code_hash()
    assert cache.code_hash(readers_only=True) != cache.code_hash()
    assert len(cache.code_hash()) == 64
    assert os.path.isdir(cache._PKG_ROOT / "readers")


def test_both_code_hashes_cover_exactly_their_files(monkeypatch):
    """The one pass that makes both hashes gives each what hashing its own files alone gives."""
    import hashlib

    def alone(readers_only: bool) -> str:
        h = hashlib.sha256(f"{cache.__version__}\x00{cache.FORMAT}".encode())
        for p in sorted(p for p in cache._PKG_ROOT.rglob("*") if p.suffix in (".py", ".toml") and p.is_file()):
            rel = p.relative_to(cache._PKG_ROOT).as_posix()
            if readers_only and rel.split("/")[0] in cache._NOT_READING:
                continue
            h.update(rel.encode() + b"\x00" + p.read_bytes() + b"\x00")
        return h.hexdigest()

    monkeypatch.setattr(cache, "_code_hashes", {})
    assert cache.code_hash(readers_only=True) == alone(True)
    assert cache.code_hash() == alone(False)


def test_prune_drops_least_recently_used(tmp_path, monkeypatch):
    c = cache.Cache(tmp_path)
    for i in range(5):
        c.put("pkg", f"{i:02d}" * 32, "x" * 1000)
        path = c._path("pkg", f"{i:02d}" * 32)
        os.utime(path, (1000 + i, 1000 + i))
    c.get("pkg", "00" * 32)  # used now: the newest
    assert c.prune(max_bytes=3 * 1100) == 2
    left = sorted(p.name[:2] for p in tmp_path.rglob("pkg/*/*"))
    assert left == ["00", "03", "04"]
    monkeypatch.setenv("DOSSIER_LINT_CACHE_MAX_MB", "0")
    assert c.prune() == 3


def _listings(monkeypatch) -> list[int]:
    """Count the listings prune makes of the cache."""
    calls: list[int] = []
    real = Path.glob

    def counting(self, pattern):
        if pattern == "*/*/*":
            calls.append(1)
        return real(self, pattern)

    monkeypatch.setattr(Path, "glob", counting)
    return calls


def test_prune_lists_the_cache_only_when_the_ledger_says_it_may_be_over(tmp_path, monkeypatch):
    c = cache.Cache(tmp_path)
    listings = _listings(monkeypatch)
    c.put("pkg", "aa" * 32, "x" * 1000)
    assert c.prune(max_bytes=10_000) == 0 and len(listings) == 1  # no ledger line of a listing yet
    size = c._path("pkg", "aa" * 32).stat().st_size
    assert (c.root / cache.LEDGER).read_text().split()[2] == str(size)
    for i in range(3):
        c.put("pkg", f"b{i}" * 32, "x" * 1000)
    assert c.prune(max_bytes=10_000) == 0 and len(listings) == 1  # 4 entries, well under: not listed
    # the ledger's sum passes the budget: listed, and the least recently used entries go
    for i in range(3):
        os.utime(c._path("pkg", f"b{i}" * 32), (1000 + i, 1000 + i))
    assert c.prune(max_bytes=2 * size + 10) == 2 and len(listings) == 2
    left = sorted(p.name[:2] for p in tmp_path.rglob("pkg/*/*"))
    assert left == ["aa", "b2"]
    assert (c.root / cache.LEDGER).read_text().split()[2] == str(2 * size)


def test_prune_lists_again_when_the_ledger_is_old_damaged_or_gone(tmp_path, monkeypatch):
    c = cache.Cache(tmp_path)
    c.put("pkg", "aa" * 32, "x" * 1000)
    c.prune()
    listings = _listings(monkeypatch)
    ledger = c.root / cache.LEDGER
    c.prune()
    assert listings == []
    at = float(ledger.read_text().split()[1])
    monkeypatch.setattr(cache.time, "time", lambda: at + cache.RELIST_SECONDS + 1)
    c.prune()
    assert len(listings) == 1
    monkeypatch.undo()
    listings = _listings(monkeypatch)
    ledger.write_text("garbage\n+12\n")
    c.prune()
    ledger.unlink()
    c.prune()
    assert len(listings) == 2
    # a line cut short by a crash is skipped, not fatal
    ledger.write_text(ledger.read_text() + "+12\n+3")
    assert c.prune() == 0 and len(listings) == 2


def test_entries_removed_by_hand_are_found_by_the_next_listing(tmp_path, monkeypatch):
    c = cache.Cache(tmp_path)
    for i in range(3):
        c.put("doc", f"c{i}" * 32, "x" * 1000)
    c.prune()
    for p in list(tmp_path.rglob("doc/*/*"))[:2]:
        p.unlink()
    c.prune(relist=True)
    size = next(tmp_path.rglob("doc/*/*")).stat().st_size
    assert (c.root / cache.LEDGER).read_text().split()[2] == str(size)


def test_a_long_ledger_is_folded(tmp_path, monkeypatch):
    c = cache.Cache(tmp_path)
    c.put("doc", "dd" * 32, "x")
    c.prune()
    ledger = c.root / cache.LEDGER
    ledger.write_text(ledger.read_text() + "+1\n" * (cache._LEDGER_COMPACT + 5))
    before = cache._read_ledger(ledger)[1]
    listings = _listings(monkeypatch)
    c.prune()
    assert listings == []
    assert ledger.read_text().count("\n") == 1 and cache._read_ledger(ledger)[1] == before
