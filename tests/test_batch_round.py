"""A review round with `--jobs 2` reports exactly what `--jobs 1` and the in-process path report, DL703
round findings included, now that the workers tokenise each proposal and the parent only matches pairs
(duplicates.tokens): the shipped tokens give the same scores, bit for bit, as tokenising in the parent."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from dossier_lint import batch, duplicates, engine
from dossier_lint.duplicates import match as M
from dossier_lint.duplicates.tokens import table_matcher
from helpers import CORPUS, PACKAGES, ROOT, copy_round, diag_tuples, round_settings, run_cli

ZHCG = PACKAGES / "nanchong-zhcg-complete"
FORM = "01_南充市市级政务信息化项目备案审查表.docx"

# Two proposals of other units that resemble 智慧城管 in part (a near duplicate and a weaker one), and one
# that resembles nothing: the round's scores spread over the bands, not only identical copies.
ZJJ = """# 南充市城市综合管理服务平台可行性研究报告

## 第一章 项目概况

项目名称：南充市城市综合管理服务平台
建设单位：南充市住房和城乡建设局

## 第五章 建设内容

### 5.1 城市运行感知子系统

接入传感器和感知设备，监测城市运行。

### 5.2 案件受理子系统

受理上报问题并立案，督查督办。

### 5.3 共享交换接口

与一网通办和共享交换平台对接。
"""

PARKING = """# 南充市智慧停车服务平台可行性研究报告

## 第一章 项目概况

项目名称：南充市智慧停车服务平台
建设单位：南充市公安局交通警察支队

## 第五章 建设内容

### 5.1 泊位感知子系统

依托市城市运行感知设备建设路侧泊位检测。

### 5.2 停车诱导子系统

发布停车诱导信息。
"""

ARCHIVE = """# 南充市数字档案馆可行性研究报告

## 第一章 项目概况

项目名称：南充市数字档案馆
建设单位：南充市档案馆

## 第五章 建设内容

### 5.1 档案数字化加工

馆藏纸质档案扫描著录。

### 5.2 电子档案长期保存

建设电子档案长期保存库。
"""


def _write(root: Path, name: str, text: str) -> None:
    pkg = root / name
    pkg.mkdir(parents=True)
    title = text.splitlines()[0].lstrip("# ").strip()
    (pkg / f"{title}.md").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def round_dir(tmp_path_factory) -> Path:
    rnd = tmp_path_factory.mktemp("round") / "round"
    copy_round(rnd, [ZHCG, ZHCG, PACKAGES / "nanchong-forbidden", PACKAGES / "chenzhou-new-build.zip",
                     PACKAGES / "taixing-service-purchase"],
               ["城管局-智慧城管二期", "数字城管中心-智慧城管", "nanchong-forbidden", "chenzhou-new-build.zip",
                "taixing-service-purchase"])
    _write(rnd, "zjj-ccgl", ZJJ)
    _write(rnd, "gaj-parking", PARKING)
    _write(rnd, "daj-archive", ARCHIVE)
    return rnd


def _rows(out: str) -> dict[str, list[tuple]]:
    return {p["name"]: [(d["rule"], d["severity"], d["file"], json.dumps(d["location"], sort_keys=True),
                         d["message"], d["fingerprint"], json.dumps(d.get("data"), sort_keys=True, ensure_ascii=False))
                        for d in p["diagnostics"]]
            for p in json.loads(out)["packages"]}


def _cli(round_dir: Path, *args: str) -> dict[str, list[tuple]]:
    code, out, err = run_cli("check", round_dir, "--profile", "nanchong", "--format", "json", *args)
    assert code == 1, err
    assert "Traceback" not in err and "内部错误" not in err, err
    return _rows(out)


def test_jobs_2_equals_jobs_1_with_round_findings(round_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("DOSSIER_LINT_CACHE_DIR", str(tmp_path / "cache"))
    one = _cli(round_dir, "--jobs", "1", "--no-cache")
    two = _cli(round_dir, "--jobs", "2", "--no-cache")
    cold = _cli(round_dir, "--jobs", "2")  # through the cache: results (and their tokens) stored
    warm = _cli(round_dir, "--jobs", "2")  # packages and the round answered from the cache
    assert two == one
    assert cold == one and warm == one
    dl703 = {name: [(r[2], r[4]) for r in rows if r[0] == "DL703"] for name, rows in one.items()}
    # the two copies match each other, the near duplicate of another unit matches both; the others none
    assert (FORM, "与同批次申报包“数字城管中心-智慧城管”的“南充市智慧城管综合平台（二期）”（南充市城市管理局）拟建内容"
                  "疑似重复（相似度 0.99，共同关键词：一网通办、共享交换、城市运行、感知设备、督查督办、传感器）"
            ) in dl703["城管局-智慧城管二期"]
    assert [m.split("”", 1)[1] for _, m in dl703["城管局-智慧城管二期"]] == \
        [m.split("”", 1)[1] for _, m in dl703["数字城管中心-智慧城管"]]
    assert [f for f, _ in dl703["zjj-ccgl"]] == ["南充市城市综合管理服务平台可行性研究报告.md"] * 2
    assert all("拟建内容疑似重复（相似度 0.97" in m for _, m in dl703["zjj-ccgl"])
    for name in ("gaj-parking", "daj-archive", "nanchong-forbidden", "taixing-service-purchase", "chenzhou-new-build"):
        assert dl703[name] == [], name


def test_parent_tokenising_gives_the_same_findings(round_dir, monkeypatch):
    """The reference: workers ship no tokens, so the parent tokenises with jieba itself (the path every
    round took before, and still takes for results cached without tokens)."""
    settings = round_settings([round_dir])
    shipped = batch.run([round_dir], settings, {"jobs": 2, "no_cache": True})
    assert all(r.proposal.tokens is not None for r in shipped.packages)
    monkeypatch.setattr(duplicates, "attach_tokens", lambda p, *a, **k: p)
    local = batch.run([round_dir], settings, {"jobs": 1, "no_cache": True, "in_process": True})
    assert all(r.proposal.tokens is None for r in local.packages)
    assert diag_tuples(shipped) == diag_tuples(local)
    assert [[d.data for d in r.diagnostics] for r in shipped.packages] == [[d.data for d in r.diagnostics] for r in local.packages]
    assert sum(d.rule == "DL703" for r in shipped.packages for d in r.diagnostics) >= 6


def test_a_result_cached_without_tokens_falls_back_to_tokenising(round_dir, tmp_path, monkeypatch):
    """A package first linted alone (no round, so no tokens) and then answered from the cache in a
    round: the parent tokenises the round itself, with the same findings."""
    monkeypatch.setenv("DOSSIER_LINT_CACHE_DIR", str(tmp_path / "cache"))
    reference = _cli(round_dir, "--jobs", "2", "--no-cache")
    code, _, err = run_cli("check", round_dir / "zjj-ccgl", "--profile", "nanchong", "--format", "json")
    assert code in (0, 1), err
    assert _cli(round_dir, "--jobs", "2") == reference


def _proposals(root: Path, settings) -> list:
    out = []
    for src in batch.discover.find_packages(root):
        res = engine.slim(engine.lint_package(src, settings, {}, finish=False))
        out.append(res.proposal)
    return out


@pytest.mark.parametrize("with_catalog", [False, True])
def test_table_matcher_scores_are_exact(round_dir, with_catalog):
    """Every Match of the round — score, features, shared terms — equal as floats, with the lexicon's
    weights and with a catalog's IDF-weighted ones."""
    settings = round_settings([round_dir])
    if with_catalog:
        settings = replace(settings, catalog=CORPUS / "catalog" / "nanchong-systems.csv")
    props = _proposals(round_dir, settings)
    ref = M.round_matches(props, duplicates.round_matcher(settings))
    shared: dict = {}
    for p in props:
        duplicates.attach_tokens(p, settings, shared)
    tm = table_matcher(props, duplicates.thresholds_from(settings))
    assert tm is not None and tm.index is None  # nothing loaded: the weights came with the tokens
    got = M.round_matches(props, tm)

    def flat(found):
        return {k: [(m.score, m.features, m.shared, m.other_path, m.other_name, m.other_department) for m in v]
                for k, v in found.items()}

    assert flat(got) == flat(ref)
    assert sum(len(v) for v in ref.values()) >= 6
    # tables of another segmenter or catalog are never mixed: the parent then tokenises itself
    props[0].tokens.signature += "-other"
    assert table_matcher(props, duplicates.thresholds_from(settings)) is None


def test_the_parent_of_a_round_never_loads_jieba(round_dir):
    code = (
        "import sys; from pathlib import Path; from dossier_lint import batch, config\n"
        f"p = Path({str(round_dir)!r})\n"
        "s = config.resolve_settings([p], {'profile': 'nanchong'})\n"
        "run = batch.run([p], s, {'jobs': 2, 'no_cache': True})\n"
        "n = sum(d.rule == 'DL703' for r in run.packages for d in r.diagnostics)\n"
        "print(n, 'jieba' in sys.modules, 'pkg_resources' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert out.returncode == 0, out.stderr
    n, jieba_loaded, pkg_resources_loaded = out.stdout.split()
    assert int(n) >= 6 and jieba_loaded == "False" and pkg_resources_loaded == "False"


def test_jieba_loads_without_pkg_resources_and_leaves_it_importable():
    code = (
        "import sys\n"
        "from dossier_lint.duplicates.text import import_jieba, segmenter\n"
        "import_jieba()\n"
        "a = 'pkg_resources' in sys.modules\n"
        "toks = segmenter().tokens('南充市智慧城管综合平台建设事件受理子系统')\n"
        "import warnings; warnings.simplefilter('ignore')\n"
        "import pkg_resources\n"
        "print(a, bool(pkg_resources.__name__), ' '.join(toks))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    hidden, importable, *toks = out.stdout.split()
    assert hidden == "False" and importable == "True"
    assert toks[:3] == ["城管", "综合", "系统"]


def test_results_keep_the_packages_order_whatever_order_they_are_linted_in(round_dir, tmp_path):
    # the biggest package is linted first; the report keeps the discovery order
    rnd = tmp_path / "r"
    shutil.copytree(round_dir, rnd)
    settings = round_settings([rnd])
    run = batch.run([rnd], settings, {"jobs": 2, "no_cache": True})
    names = [s.name for s in batch.discover.find_packages(rnd)]
    assert [r.package.name for r in run.packages] == names
    rounds = batch._Round(batch.discover.find_packages(rnd), settings, None)
    costs = [rounds.cost(i) for i in range(len(names))]
    assert costs[names.index("城管局-智慧城管二期")] > costs[names.index("zjj-ccgl")] > 0
