"""Odd text never makes the pipeline quadratic: a 10 MB line without a full stop, long runs of spaces
after the words the checks look for, text dense with what the content checks match. Each is timed in a
child process with a timeout (a regression fails the test instead of hanging the suite), and where the
cost is not absolute, its growth is: four times the input may take at most ~six times as long.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from helpers import ROOT, run_isolated

MB = 1024 * 1024


def _child(code: str, timeout: float = 60) -> str:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT / "tests")])}
    try:
        r = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                           timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        pytest.fail(f"still running after {timeout} s: quadratic (or worse) on this input")
    assert r.returncode == 0, r.stderr[-3000:]
    return r.stdout


def _seconds(code: str, timeout: float = 60) -> float:
    out = _child("import time\nt0 = time.perf_counter()\n" + textwrap.dedent(code)
                 + "\nprint('SECONDS', time.perf_counter() - t0)\n", timeout)
    return float(out.rsplit("SECONDS", 1)[1])


# --- the regexes, one by one (200,000 spaces: a quadratic pattern needs hours) -------------------------

SPACES = 200_000


@pytest.mark.parametrize("call", [
    # money: `\s*` on both sides of an optional currency / bracket
    f"money.find_amounts('项目总投资' + ' ' * {SPACES} + 'x')",
    f"money.find_amounts('总投资1' + ' ' * {SPACES} + 'x')",
    f"money.find_amounts('¥1' + ' ' * {SPACES} + 'x')",
    f"money.find_amounts('1' + ' ' * {SPACES} + '（' + ' ' * {SPACES} + 'x')",
    f"money.find_amounts('人民币' + '\u3000' * {SPACES} + '1')",
    # form fields: "标签 (注) ：值" with gaps
    f"fields._inline_value('项目名称' + ' ' * {SPACES} + 'x', '项目名称', ['联系电话'])",
    f"fields._inline_value('项目名称：张三' + ' ' * {SPACES} + '联系电话x', '项目名称', ['联系电话'])",
    f"fields._inline_value('项目名称：' + '，' * {SPACES} + 'x', '项目名称', ['联系电话', '项目单位'])",
    # headings / TOC lines and sentence splitting
    f"headings.match_numbering('（一）' + ' ' * {SPACES} + '\\nx')",
    f"headings.is_toc_line('第一章 总论' + '.' * {SPACES} + 'x')",
    f"sentences.split_sentences('建设平台' * {SPACES * 10})",
])
def test_regex_is_linear_on_long_runs(call):
    seconds = _seconds(f"""
        from dossier_lint import money, headings, sentences
        from dossier_lint.kinds import fields
        {call}
    """, timeout=60)
    assert seconds < 3, f"{call}: {seconds:.1f} s"


def test_long_sentences_are_cut_at_commas():
    from dossier_lint.sentences import MAX_SENTENCE_CHARS, split_sentences

    parts = split_sentences("甲" * 2500 + "，" + "乙" * 10 + "。丙")
    assert [len(p) for p in parts] == [1000, 1000, 512, 1]
    parts = split_sentences("一二三四五六七八九，" * 300)
    assert all(p.endswith("，") and len(p) <= MAX_SENTENCE_CHARS for p in parts)
    assert "".join(parts) == "一二三四五六七八九，" * 300
    # near miss: ordinary sentences are untouched
    assert split_sentences("本项目依托政务云建设。不新建机房；不采购服务器！") == ["本项目依托政务云建设。", "不新建机房；", "不采购服务器！"]


# --- the whole CLI --------------------------------------------------------------------------------------


def _package(tmp_path: Path, name: str, data: bytes) -> Path:
    d = tmp_path / name
    d.mkdir(parents=True)
    for kind in ("可行性研究报告", "政务云需求方案", "备案审查表"):
        (d / f"{kind}.txt").write_bytes(data)
    return d


def test_10mb_single_line_txt_through_the_cli(tmp_path):
    words = "本项目依托市级政务云建设城市管理综合指挥平台实现部门数据共享和业务协同提升城市治理水平"
    line = (words * (10 * MB // len(words.encode()) + 1)).encode()[: 10 * MB].decode("utf-8", "ignore")
    d = tmp_path / "pkg"
    d.mkdir()
    (d / "可行性研究报告.txt").write_text(line, encoding="utf-8")
    res = run_isolated("check", d, "--format", "json", "--no-cache", timeout=240)
    assert res.code == 1 and "Traceback" not in res.stderr, res.stderr[-2000:]
    assert res.seconds < 60, res.seconds
    [doc] = res.json()["packages"][0]["documents"]
    assert doc["status"] == "ok" and doc["size"] == len(line.encode())


def test_dense_text_cost_grows_linearly():
    """The worst text for the content checks (forbidden construction, money, dates, levels and algorithms
    back to back, no full stop) through the whole pipeline, at 96 KB and 384 KB per file."""
    code = """
        import sys, time, tempfile
        from pathlib import Path
        from dossier_lint import batch, config
        from hostile import make_hostile as mh
        out = []
        for size in (96 * 1024, 384 * 1024):
            d = Path(tempfile.mkdtemp()) / "pkg"
            d.mkdir()
            for kind in ("可行性研究报告", "备案审查表", "密码应用方案"):
                (d / f"{kind}.txt").write_bytes(mh.dense_line(size))
            s = config.resolve_settings([d], {"profile": "nanchong"})
            t = time.perf_counter()
            batch.run([d], s, {"no_cache": True, "jobs": 1})
            out.append(time.perf_counter() - t)
        print("TIMES", out[0], out[1])
    """
    small, big = map(float, _child(code, timeout=300).rsplit("TIMES", 1)[1].split())
    assert big < 6 * max(small, 0.2), (small, big)
    assert big < 60, big


def test_whitespace_runs_after_trigger_words(tmp_path):
    triggers = ("项目名称", "联系电话", "项目单位", "总投资1", "¥1", "内存", "硬盘", "2024", "2024年", "服务期限",
                "运维经费", "（一）", "第一章", "1.1", "依托")
    runs = "".join(f"{w}{ws * 50_000}x{w}：{ws * 50_000}y\n" for w in triggers for ws in (" ", "\u3000", "\t"))
    d = _package(tmp_path, "pkg", ("第一章 总论\n" + runs).encode())
    t = time.monotonic()
    res = run_isolated("check", d, "--format", "json", "--no-cache", timeout=180)
    assert res.code == 1 and "Traceback" not in res.stderr, res.stderr[-2000:]
    assert time.monotonic() - t < 60
