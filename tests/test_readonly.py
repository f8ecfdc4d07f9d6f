"""Linting never changes the user's files: every input (contents, size, mtime, mode, links) is the same
after a full run over the sample corpus and over the hostile round, no file appears in or next to the
packages, and no temporary file is left behind (the run gets a private TMPDIR, listed afterwards)."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from helpers import PACKAGES, hostile_round, run_isolated


def snapshot(root: Path) -> dict[str, tuple]:
    """Every entry under `root` without opening anything but regular files (fifos would block)."""
    out: dict[str, tuple] = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            st = p.lstat()
            rel = str(p.relative_to(root))
            if stat.S_ISREG(st.st_mode):
                digest = hashlib.sha256(p.read_bytes()).hexdigest()
                out[rel] = ("file", digest, st.st_size, st.st_mtime_ns, st.st_mode)
            elif stat.S_ISLNK(st.st_mode):
                out[rel] = ("link", os.readlink(p), st.st_mtime_ns)
            elif stat.S_ISDIR(st.st_mode):
                out[rel] = ("dir", st.st_mode)  # a dir's mtime changes when an entry is added: compared below
            else:
                out[rel] = ("special", stat.S_IFMT(st.st_mode), st.st_mtime_ns, st.st_mode)
    return out


def _check_untouched(root: Path, *args: str) -> None:
    before = snapshot(root)
    parent_before = sorted(os.listdir(root.parent))
    dir_mtimes = {d: (root / d).stat().st_mtime_ns for d, v in before.items() if v[0] == "dir"}
    res = run_isolated("check", root, "--format", "json", "--jobs", "2", *args, timeout=300)
    assert res.code in (0, 1), res.stderr[-3000:]
    after = snapshot(root)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert changed == [], changed
    assert {d: (root / d).stat().st_mtime_ns for d in dir_mtimes} == dir_mtimes  # nothing created and removed
    assert sorted(os.listdir(root.parent)) == parent_before
    assert res.tmp_left == [], f"left in TMPDIR: {res.tmp_left}"


def test_corpus_is_untouched_and_no_temp_file_is_left():
    _check_untouched(PACKAGES, "--profile", "nanchong")


def test_hostile_round_is_untouched_and_no_temp_file_is_left():
    m = hostile_round()
    outside = snapshot(Path(m.outside))  # what the XML attacks aim at (a secret file, a fifo)
    _check_untouched(Path(m.round))
    assert snapshot(Path(m.outside)) == outside


def test_every_output_format_leaves_inputs_alone(tmp_path):
    """Writing reports (-o) and a baseline goes where the user says, never into the package."""
    root = PACKAGES / "broken-inputs"
    before = snapshot(root)
    for fmt in ("json", "sarif", "html", "xlsx", "junit"):
        res = run_isolated("check", root, "--format", fmt, "-o", tmp_path / f"out.{fmt}", "--profile", "nanchong",
                           timeout=120)
        assert res.code in (0, 1), (fmt, res.stderr[-2000:])
        assert res.tmp_left == [], (fmt, res.tmp_left)
    res = run_isolated("check", root, "--write-baseline", tmp_path / "baseline.json", "--profile", "nanchong", timeout=120)
    assert res.code in (0, 1) and (tmp_path / "baseline.json").is_file()
    assert snapshot(root) == before
