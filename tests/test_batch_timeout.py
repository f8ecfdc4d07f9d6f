"""A package whose worker is stuck inside a library call is stopped by the batch parent (DL903, the
stuck worker killed) and the rest of the round is linted exactly as without it.

The hang is real: a test-only check kind (registered by this module, like test_batch.py's crash kind)
runs a regular expression that backtracks for ever on a marked package. `re` holds the GIL in C the
whole time, so nothing inside the worker could interrupt it — a watchdog thread would never run.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from dossier_lint import batch
from dossier_lint.limits import Limits
from dossier_lint.rule import Rule, check_kind
from helpers import PACKAGES, copy_round, diag_tuples, round_settings, run_cli

HANG_MARK = "HANGME"
SLOW_MARK = "SLOWME"
MAX_SECONDS = 2.0  # limits.max_seconds for these rounds: a step is stuck after 2 × 2 s
STALL = batch.STALL_FACTOR * MAX_SECONDS
USED = [PACKAGES / "nanchong-forbidden", PACKAGES / "taixing-service-purchase", PACKAGES / "chenzhou-new-build.zip",
        PACKAGES / "nanchong-money-mismatch"]


@check_kind("test-hang", optional=["pidfile"])
def _hang(rule, ctx):
    """Backtracks for ever on a package named HANGME…; sleeps well within the deadline on SLOWME…."""
    if HANG_MARK in ctx.package.name:
        if rule.params.get("pidfile"):
            Path(rule.params["pidfile"]).write_text(str(os.getpid()))
        re.fullmatch(r"(a|aa)+c", "a" * 80)  # ≈ 10^16 steps
    elif SLOW_MARK in ctx.package.name:
        time.sleep(STALL * 0.4)
    return []


class HangPack:
    """The real pack plus one rule of the hanging kind (picklable by reference, so a spawned worker
    imports this module and registers the kind)."""

    def __init__(self, pack, pidfile: str = ""):
        self.pack = pack
        hang = Rule(id="DL997", slug="test-hang", category="tool", severity="info", kind="test-hang",
                    message="不会出现", params={"pidfile": pidfile} if pidfile else {})
        self.rules = {**pack.rules, "DL997": hang}
        self.version_hash = pack.version_hash + "-hang"
        self.settings = pack.settings

    def __getattr__(self, name):
        if name.startswith("__") or name == "pack":
            raise AttributeError(name)
        return getattr(self.pack, name)


def _isolated(code: str, timeout: float = 120) -> tuple[int, str, str]:
    """Run `code` in a fresh interpreter (its own session) that has imported this module, so the hanging
    kind is registered; the whole process group is killed after `timeout`, so a regression fails the
    test instead of hanging the suite."""
    prelude = f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import {__name__.rsplit('.', 1)[-1]}\n"
    p = subprocess.Popen([sys.executable, "-c", prelude + code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, start_new_session=os.name == "posix")
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        if os.name == "posix":
            os.killpg(p.pid, signal.SIGKILL)
        else:
            p.kill()
        p.communicate()
        pytest.fail(f"no answer within {timeout} s: the stuck package was not stopped")
    return p.returncode, out, err


def _message(activity: str) -> str:
    return (f"申报包检查超时：{activity}超过 {STALL:g} 秒仍未结束，已终止该申报包的检查，本包材料未检查"
            "（同批次其他申报包照常检查）")


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The round without the hanging package, same limits: what the others must report."""
    d = tmp_path_factory.mktemp("ref") / "round"
    copy_round(d, USED)
    settings = replace(round_settings([d]), limits=Limits(max_seconds=MAX_SECONDS))
    run = batch.run([d], settings, {"jobs": 2, "no_cache": True})
    return {r.package.name: diag_tuples(batch.engine.RunResult(packages=[r]))[0] for r in run.packages}


RUN_ROUND = """
import json, sys
from dataclasses import replace
from pathlib import Path
from dossier_lint import batch, engine
from dossier_lint.limits import Limits
from helpers import diag_tuples, round_settings
from test_batch_timeout import HangPack, MAX_SECONDS
rnd, pidfile, context = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
base = replace(round_settings([rnd]), limits=Limits(max_seconds=MAX_SECONDS))
settings = replace(base, pack=HangPack(base.pack, pidfile))
run = batch.run([rnd], settings, {"jobs": 2, "mp_context": context})
print(json.dumps({r.package.name: diag_tuples(engine.RunResult(packages=[r]))[0] for r in run.packages}))
"""


@pytest.mark.skipif(os.name != "posix", reason="process groups")
@pytest.mark.parametrize("context", ["fork", "spawn"])
def test_a_stuck_package_is_stopped_and_the_round_goes_on(tmp_path, reference, context):
    rnd = tmp_path / "round"
    hung = f"{HANG_MARK}-nanchong-zhcg-complete"
    copy_round(rnd, [*USED, PACKAGES / "nanchong-zhcg-complete"], [p.name for p in USED] + [hung])
    pidfile = tmp_path / "hung.pid"
    cache = tmp_path / "cache"
    code = (f"import os; os.environ['DOSSIER_LINT_CACHE_DIR'] = {str(cache)!r}; sys.argv[1:] = "
            f"[{str(rnd)!r}, {str(pidfile)!r}, {context!r}]\n" + RUN_ROUND)
    t = time.monotonic()
    rc, out, err = _isolated(code)
    took = time.monotonic() - t
    assert rc == 0, err
    assert took < 60, f"the round took {took:.0f} s"
    got = {k: [tuple(json.loads(json.dumps(x))) for x in v] for k, v in json.loads(out).items()}
    assert sorted(got) == sorted([p.name.removesuffix(".zip") for p in USED] + [hung])
    [d] = got.pop(hung)
    assert (d[0], d[1], d[3], d[4]) == ("DL903", None, _message("规则检查"), "error")
    ref = {k: [tuple(json.loads(json.dumps(x))) for x in v] for k, v in reference.items()}
    assert got == ref
    assert "Traceback" not in err and f"{hung}：规则检查超过 {STALL:g} 秒未结束" in err
    # the stuck worker is gone, and nothing was cached for the stopped package (the others were)
    pid = int(pidfile.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    assert len(list(cache.rglob("pkg/*/*"))) == len(USED)
    assert not list(cache.rglob("round/*/*"))  # a round with a stopped package is not kept


def test_a_slow_step_within_the_deadline_is_not_stopped(tmp_path, reference):
    # near miss: a check that takes 0.4 × the deadline finishes and is reported normally
    rnd = tmp_path / "round"
    slow = f"{SLOW_MARK}-{USED[0].name}"
    copy_round(rnd, USED, [slow] + [p.name for p in USED[1:]])
    base = replace(round_settings([rnd]), limits=Limits(max_seconds=MAX_SECONDS))
    settings = replace(base, pack=HangPack(base.pack))
    run = batch.run([rnd], settings, {"jobs": 2, "no_cache": True})
    got = {r.package.name: diag_tuples(batch.engine.RunResult(packages=[r]))[0] for r in run.packages}
    assert got[slow] == reference[USED[0].name]
    assert not [d for r in run.packages for d in r.diagnostics if d.rule == "DL903"]


@pytest.mark.skipif(os.name != "posix", reason="process groups")
def test_cli_reports_the_stuck_package_and_exits_1(tmp_path):
    """Through the CLI (in a fresh process that registered the hanging kind): a pack extending nanchong
    with the hanging rule, limits from the config file. JSON output, exit 1, a one-line note on stderr,
    no traceback, the other package linted as usual."""
    rnd = tmp_path / "round"
    hung = f"{HANG_MARK}-nanchong-forbidden"
    copy_round(rnd, [PACKAGES / "taixing-service-purchase", PACKAGES / "nanchong-forbidden"],
               ["taixing-service-purchase", hung])
    pack = tmp_path / "hangpack.toml"
    pack.write_text(
        '[pack]\nname = "hangpack"\ntitle = "测试"\nextends = "nanchong"\n\n'
        '[[rules]]\nid = "DL997"\nslug = "test-hang"\ncategory = "tool"\nseverity = "info"\nkind = "test-hang"\n'
        'message = "不会出现"\n', encoding="utf-8")
    cfg = tmp_path / "dossier-lint.toml"
    cfg.write_text(f"limits = {{ max_seconds = {MAX_SECONDS} }}\n", encoding="utf-8")
    args = ["check", str(rnd), "--profile", str(pack), "--config", str(cfg), "--jobs", "2", "--no-cache",
            "--format", "json"]
    rc, out, err = _isolated(f"from dossier_lint.cli import main; sys.argv = ['dossier-lint', *{args!r}]; main()")
    assert rc == 1, err
    assert "Traceback" not in err
    assert f"{hung}：规则检查超过 {STALL:g} 秒未结束，已终止该申报包的检查。" in err
    report = {p["name"]: p for p in json.loads(out)["packages"]}
    assert [(d["rule"], d["severity"], d["file"], d["message"]) for d in report[hung]["diagnostics"]] == [
        ("DL903", "error", None, _message("规则检查"))]
    assert report["taixing-service-purchase"]["diagnostics"]  # linted as usual
    assert not [d for d in report["taixing-service-purchase"]["diagnostics"] if d["rule"] == "DL903"]


def test_dl903_is_selectable_and_explained():
    code, out, _ = run_cli("explain", "DL903")
    assert code == 0 and "申报包检查超时" in out and "max_seconds" in out
    code, out, _ = run_cli("rules", "--profile", "taixing")
    assert code == 0 and re.search(r"DL903\s+error\s+package-timeout", out)
