"""`--profile auto` and the round check (DL703, cross-package duplicates): each package's DL703 comes
from the pack it was linted with — its city's rule (severity, basis, message, waivers), thresholds and
lexicon — exactly as under `--profile <that city>`, never the base pack's for every package."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from dossier_lint import batch, packs
from helpers import PACKAGES, diag_tuples, round_settings, run_cli

TAIXING = PACKAGES / "taixing-service-purchase"

# One proposal in two cities: a Nanchong unit and a Taixing unit both build a 12345 hotline platform.
HOTLINE = """# {city}市民热线智能服务平台可行性研究报告

## 第一章 项目概况

项目名称：{city}市民热线智能服务平台
项目单位：{city}{unit}

## 第五章 建设内容

### 5.1 热线受理子系统

话务接入、工单受理、智能派单、督查督办。

### 5.2 知识库子系统

建设热线知识库，支撑智能问答和坐席辅助。

### 5.3 数据分析子系统

热点诉求分析、满意度回访统计。
"""
NC, TX = "nc-hotline", "tx-hotline"


def _basis(profile: str) -> list[dict[str, str]]:
    """DL703's basis in a pack, as the JSON report shows it."""
    return [{"source": b.source, "article": b.article} for b in packs.load_pack(profile).rules["DL703"].basis]


def _check(round_dir: Path, profile: str, *args: str, env: dict[str, str] | None = None) -> dict[str, dict]:
    """Package name -> its JSON report; the exit code under "exit"."""
    code, out, err = run_cli("check", round_dir, "--profile", profile, "--format", "json", "--show-waived",
                             *args, env=env)
    assert code in (0, 1), err
    assert "Traceback" not in err and "内部错误" not in err, err
    return {"exit": code, **{p["name"]: p for p in json.loads(out)["packages"]}}


def _dl703(pkg: dict, where: str = "diagnostics") -> list[dict]:
    return [d for d in pkg[where] if d["rule"] == "DL703"]


@pytest.fixture(scope="module")
def taixing_round(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two copies of a Taixing package (two units proposing the same thing); b's DL703 is waived."""
    rnd = tmp_path_factory.mktemp("tx-round") / "round"
    rnd.mkdir()
    for name in ("a-tx", "b-tx"):
        shutil.copytree(TAIXING, rnd / name)
    (rnd / "dossier-lint-waivers.toml").write_text(
        '[[waiver]]\nrule = "DL703"\npackage = "b-tx"\nreason = "两单位已约定合并申报"\n', encoding="utf-8"
    )
    return rnd


@pytest.fixture(scope="module")
def mixed_round(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rnd = tmp_path_factory.mktemp("mixed-round") / "round"
    for name, city, unit in ((NC, "南充市", "政务服务和公共资源交易服务中心"), (TX, "泰兴市", "行政审批局")):
        pkg = rnd / name
        pkg.mkdir(parents=True)
        (pkg / f"{city}市民热线智能服务平台可行性研究报告.md").write_text(
            HOTLINE.format(city=city, unit=unit), encoding="utf-8"
        )
    return rnd


def test_the_packs_cite_different_articles_for_dl703() -> None:
    # what the tests below tell apart: Taixing overrides DL703's basis, Nanchong keeps base's
    assert _basis("taixing") != _basis("base") == _basis("nanchong")
    assert _basis("taixing") and _basis("base")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_one_city_round_under_auto_equals_that_citys_pack(taixing_round: Path, jobs: str) -> None:
    auto = _check(taixing_round, "auto", "--no-cache", "--jobs", jobs)
    own = _check(taixing_round, "taixing", "--no-cache", "--jobs", jobs)
    assert sorted(auto) == sorted(own) == ["a-tx", "b-tx", "exit"]
    assert auto["exit"] == own["exit"]
    for name in ("a-tx", "b-tx"):
        assert auto[name]["profile"] == "taixing"
        # every finding, DL703 included (rule, severity, message, basis, place, fingerprint, data), and
        # every waived one: the same as under --profile taixing
        assert auto[name]["diagnostics"] == own[name]["diagnostics"], name
        assert auto[name]["waived"] == own[name]["waived"], name
    (a,) = _dl703(auto["a-tx"])
    assert (a["severity"], a["basis"]) == ("warning", _basis("taixing"))
    assert a["message"].startswith("与同批次申报包“b-tx”的“泰兴市12345政务服务热线运维服务项目”")
    # the waiver beside the round applies to b's finding, which also rests on Taixing's article
    assert _dl703(auto["b-tx"]) == []
    (waived,) = _dl703(auto["b-tx"], "waived")
    assert waived["basis"] == _basis("taixing")


def test_a_mixed_round_gives_each_side_its_own_citys_rule(mixed_round: Path, tmp_path: Path) -> None:
    env = {"DOSSIER_LINT_CACHE_DIR": str(tmp_path / "cache")}
    cold = _check(mixed_round, "auto", env=env)
    warm = _check(mixed_round, "auto", env=env)  # packages and the round's findings from the cache
    assert warm == cold
    nanchong = _check(mixed_round, "nanchong", "--no-cache")
    taixing = _check(mixed_round, "taixing", "--no-cache")
    assert (cold[NC]["profile"], cold[TX]["profile"]) == ("nanchong", "taixing")
    assert cold["exit"] == nanchong["exit"] == taixing["exit"]
    # each package: what its own city's pack reports for it in the same round
    assert cold[NC]["diagnostics"] == nanchong[NC]["diagnostics"]
    assert cold[TX]["diagnostics"] == taixing[TX]["diagnostics"]
    (nc,) = _dl703(cold[NC])
    (tx,) = _dl703(cold[TX])
    assert nc["basis"] == _basis("nanchong") and tx["basis"] == _basis("taixing")
    assert nc["message"].startswith("与同批次申报包“tx-hotline”的“泰兴市市民热线智能服务平台”")
    assert tx["message"].startswith("与同批次申报包“nc-hotline”的“南充市市民热线智能服务平台”")
    assert nc["data"]["match"]["score"] == tx["data"]["match"]["score"] >= 0.5


# ---------------------------------------------------------------- a city pack that matches differently


def _with_city_settings(settings: Any, city: str, **pack_settings: Any) -> Any:
    """`settings` whose pack for `city` (its own, or the one `--profile auto` switches to) has extra
    [settings] keys; the built-in pack itself is not touched."""
    target = settings.for_profile(city) if settings.auto else settings
    target.pack = dataclasses.replace(target.pack, settings={**target.pack.settings, **pack_settings})
    return settings


def _run(round_dir: Path, settings: Any, jobs: int) -> Any:
    return batch.run([round_dir], settings, {"jobs": jobs, "no_cache": True, "in_process": jobs == 1})


def _dl703_of(run: Any) -> dict[str, list[tuple]]:
    return {Path(r.package.path).name: [(d.severity, d.message, tuple(d.basis), json.dumps(d.data, sort_keys=True))
                                        for d in r.diagnostics if d.rule == "DL703"] for r in run.packages}


def test_the_round_is_matched_with_each_packs_thresholds(mixed_round: Path) -> None:
    # Taixing's thresholds set above any score: its side reports nothing; Nanchong's side, on base's
    # thresholds, still reports the pair
    strict = {"duplicate-thresholds": {"error": 1.5, "warning": 1.2}}
    got = _dl703_of(_run(mixed_round, _with_city_settings(round_settings([mixed_round], "auto"), "taixing",
                                                          **strict), 1))
    assert got[TX] == [] and len(got[NC]) == 1
    # near miss: the same settings without the change report both sides
    plain = _dl703_of(_run(mixed_round, round_settings([mixed_round], "auto"), 1))
    assert len(plain[TX]) == 1 and plain[NC] == got[NC]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_city_lexicon_is_used_for_its_packages_not_the_tokens_cut_with_base(mixed_round: Path, jobs: int) -> None:
    # With --jobs 2 the workers cut every proposal with the run's (base) lexicon; a city whose pack adds
    # stop words must not reuse those tokens: its side scores as under --profile <city> with that pack.
    stop = {"duplicate-stopwords": ["热线", "知识库", "工单", "派单"]}
    auto = _run(mixed_round, _with_city_settings(round_settings([mixed_round], "auto"), "taixing", **stop), jobs)
    own = _run(mixed_round, _with_city_settings(round_settings([mixed_round], "taixing"), "taixing", **stop), jobs)
    plain = _run(mixed_round, round_settings([mixed_round], "taixing"), jobs)
    got, want, before = _dl703_of(auto), _dl703_of(own), _dl703_of(plain)
    assert got[TX] == want[TX]
    assert got[TX] != before[TX]  # the stop words change Taixing's score (or drop the finding)
    # Nanchong's side is matched with base's lexicon, as under --profile nanchong
    nanchong = _run(mixed_round, round_settings([mixed_round], "nanchong"), jobs)
    assert got[NC] == _dl703_of(nanchong)[NC]
    assert diag_tuples(auto)[0] == diag_tuples(nanchong)[0]  # NC sorts first
