"""The segmenter's jieba dictionary comes from our own marshal of jieba's prefix table (issue #7: jieba
reads its cache piece by piece, ≈ 50 ms per process against ≈ 13 ms read in one go). What is loaded must
be exactly what jieba builds, and a missing or damaged file must only cost the time to build it again."""

from __future__ import annotations

import json
import marshal
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEXT = "南充市智慧城管综合平台建设事件受理子系统，统一身份认证与电子证照共享"

# In a fresh process (the tokenizer is built once per process): jieba's own table, ours, the tokens.
_CODE = """
import json, sys
from dossier_lint.duplicates import text
jieba = text.import_jieba()
built, initialize = [], jieba.Tokenizer.initialize
jieba.Tokenizer.initialize = lambda self, *a: (built.append(1), initialize(self, *a))[1]
seg = text.segmenter()
tok = seg._tokenizer
jieba.Tokenizer.initialize = initialize
ref = text.import_jieba().Tokenizer(dictionary=tok.dictionary)
ref.tmp_dir = tok.tmp_dir
ref.initialize()  # jieba's own path: its cache, or the dictionary file
for w in sorted(seg.lex.words | seg.lex.places):  # as the segmenter does after initialising
    ref.add_word(w, text.DOMAIN_FREQ)
ours = sorted(p.name for p in text.cache_dir("jieba").glob("prefix-*.marshal"))
same = tok.FREQ == ref.FREQ and tok.total == ref.total
print(json.dumps({"ours": ours, "same": same, "built": bool(built), "tokens": seg.tokens(sys.argv[1])}))
"""


def _run(cache: Path) -> dict:
    env = {**os.environ, "DOSSIER_LINT_CACHE_DIR": str(cache)}
    out = subprocess.run([sys.executable, "-c", _CODE, TEXT], capture_output=True, text=True, cwd=ROOT, timeout=180,
                         env=env)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def first(tmp_path_factory):
    cache = tmp_path_factory.mktemp("segcache")
    return cache, _run(cache)


def test_a_fresh_cache_builds_the_table_with_jieba_and_keeps_our_copy(first):
    cache, got = first
    assert got["ours"] == ["prefix-top50000-0.42.1.marshal"]
    assert got["same"] and got["built"]


def test_the_table_read_back_cuts_exactly_as_the_one_jieba_built(first):
    cache, got = first
    again = _run(cache)  # now read from our marshal
    assert not again["built"]
    assert again["same"] and again["tokens"] == got["tokens"]
    assert "城管" in again["tokens"]


@pytest.mark.parametrize("damage", [b"", b"\x00garbage", marshal.dumps(["not", "a", "table"]), marshal.dumps(({}, 0))])
def test_a_damaged_table_is_built_again(first, tmp_path, damage):
    cache, got = first
    shutil.copytree(cache, tmp_path / "c")
    target = next((tmp_path / "c" / "jieba").glob("prefix-*.marshal"))
    target.write_bytes(damage)
    again = _run(tmp_path / "c")
    assert again["built"]
    assert again["same"] and again["tokens"] == got["tokens"]
    assert marshal.loads(target.read_bytes())[0]  # written again, whole
