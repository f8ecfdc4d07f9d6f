"""`--profile auto`: each package is linted with the built-in pack of the city it names.

The sample packages under auto must give exactly what they give under their own city's pack; a package
naming no city, or two cities equally, stays on base and says why.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from helpers import PACKAGES, lint_json, run_cli
from readers_helpers import make_docx, p

CITY = {
    "nanchong-zhcg-complete": "nanchong",
    "nanchong-missing-docs": "nanchong",
    "nanchong-forbidden": "nanchong",
    "nanchong-money-mismatch": "nanchong",
    "taixing-service-purchase": "taixing",
    "chenzhou-new-build.zip": "chenzhou",
    "broken-inputs": "nanchong",
}


def _diags(report: dict, i: int = 0) -> list[dict]:
    return report["packages"][i]["diagnostics"]


@pytest.mark.parametrize("package", sorted(CITY))
def test_auto_equals_the_citys_own_pack(package: str) -> None:
    auto = lint_json(PACKAGES / package, "--profile", "auto")
    own = lint_json(PACKAGES / package, "--profile", CITY[package])
    got = auto["packages"][0]
    assert got["profile"] == CITY[package]
    assert got["profile_reason"].startswith("自动识别：")
    assert _diags(auto) == _diags(own)
    assert "profile_reason" not in own["packages"][0]  # only auto explains its choice


def test_reason_names_the_evidence() -> None:
    got = lint_json(PACKAGES / "taixing-service-purchase", "--profile", "auto")["packages"][0]
    assert got["profile_reason"] == "自动识别：项目名称“泰兴市12345政务服务热线运维服务项目”含“泰兴市”"
    code, out, _ = run_cli("check", PACKAGES / "taixing-service-purchase", "--profile", "auto", "--no-cache")
    assert out.splitlines()[0] == (
        "== taixing-service-purchase（规则包：taixing；自动识别：项目名称“泰兴市12345政务服务热线运维服务项目”含“泰兴市”）"
    )


def _docx(path: Path, *paras: str) -> None:
    path.write_bytes(make_docx("".join(p(t) for t in paras)))


def test_no_city_named_stays_on_base(tmp_path: Path) -> None:
    pkg = tmp_path / "申报材料"
    pkg.mkdir()
    _docx(pkg / "政务云需求方案.docx", "智慧养老服务平台政务云需求方案", "本项目部署于政务云。")
    report = lint_json(pkg, "--profile", "auto")
    got = report["packages"][0]
    assert got["profile"] == "base"
    assert (
        got["profile_reason"] == "未在申报材料中识别出所属地区，按通用规则包 base 检查；可用 --profile 指定"
    )
    assert _diags(report) == _diags(lint_json(pkg, "--profile", "base"))


def test_two_cities_equally_named_stay_on_base(tmp_path: Path) -> None:
    pkg = tmp_path / "申报材料"
    pkg.mkdir()
    _docx(pkg / "a.docx", "南充市政务云需求方案")
    _docx(pkg / "b.docx", "泰兴市政务云需求方案")
    got = lint_json(pkg, "--profile", "auto")["packages"][0]
    assert got["profile"] == "base"
    assert (
        got["profile_reason"]
        == "申报材料同时指向多个地区（nanchong、taixing），按通用规则包 base 检查；请用 --profile 指定"
    )


def test_a_passing_mention_does_not_outvote_the_project(tmp_path: Path) -> None:
    # a Taixing plan that cites Nanchong's experience twice is still Taixing's
    pkg = tmp_path / "泰兴市智慧城管项目"
    pkg.mkdir()
    _docx(
        pkg / "实施方案.docx",
        "泰兴市智慧城管项目实施方案",
        "参照南充市智慧城管建设经验。",
        "南充市的做法值得借鉴。",
    )
    got = lint_json(pkg, "--profile", "auto")["packages"][0]
    assert got["profile"] == "taixing"
    assert got["profile_reason"] == "自动识别：项目名称“泰兴市智慧城管”含“泰兴市”"


def test_a_mixed_round_in_parallel_and_from_the_cache(tmp_path: Path) -> None:
    round_dir = tmp_path / "round"
    round_dir.mkdir()
    for name in ("nanchong-forbidden", "taixing-service-purchase", "chenzhou-new-build.zip"):
        src = PACKAGES / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, round_dir / name)
    env = {"DOSSIER_LINT_CACHE_DIR": str(tmp_path / "cache")}
    runs = []
    for _ in range(2):  # cold, then every package from the cache
        code, out, err = run_cli(
            "check", round_dir, "--profile", "auto", "--jobs", "2", "--format", "json", env=env
        )
        assert code == 1, err
        runs.append(json.loads(out))
    assert runs[0] == runs[1]
    by_name = {pkg["name"]: pkg for pkg in runs[0]["packages"]}
    assert sorted(by_name) == ["chenzhou-new-build", "nanchong-forbidden", "taixing-service-purchase"]
    for path in sorted(round_dir.iterdir()):
        pkg = by_name[path.name.removesuffix(".zip")]
        own = lint_json(path, "--profile", CITY[path.name])["packages"][0]
        assert pkg["profile"] == CITY[path.name]
        # the same findings as alone under the city's pack (a round adds no DL703 here: no duplicates)
        assert pkg["diagnostics"] == own["diagnostics"]


def test_selectors_may_name_any_city_packs_rules(tmp_path: Path) -> None:
    def slugs(profile: str) -> set[str]:
        return {
            r["slug"]
            for r in json.loads(run_cli("rules", "--profile", profile, "--format", "json")[1])["rules"]
        }

    taixing_only = slugs("taixing") - slugs("base")
    assert taixing_only, "taixing has rules of its own"
    slug = sorted(taixing_only)[0]
    code, _, err = run_cli(
        "check", PACKAGES / "taixing-service-purchase", "--profile", "auto", "--ignore", slug, "--no-cache"
    )
    assert code in (0, 1), err
    code, _, err = run_cli(
        "check", PACKAGES / "taixing-service-purchase", "--profile", "base", "--ignore", slug, "--no-cache"
    )
    assert code == 2 and "未知的规则选择器" in err


def test_sarif_describes_the_city_rules_an_auto_run_reports() -> None:
    code, out, err = run_cli(
        "check", PACKAGES / "nanchong-money-mismatch", "--profile", "auto", "--format", "sarif", "--no-cache"
    )
    assert code == 1, err
    run = json.loads(out)["runs"][0]
    described = {r["id"] for r in run["tool"]["driver"]["rules"]}
    reported = {r["ruleId"] for r in run["results"]}
    assert reported and reported <= described


def test_detect_must_be_a_list_of_place_names(tmp_path: Path) -> None:
    pack = tmp_path / "city.toml"
    pack.write_text(
        '[pack]\nname = "city"\ntitle = "某市"\nextends = "base"\ndetect = "某市"\n', encoding="utf-8"
    )
    code, _, err = run_cli("rules", "--profile", pack)
    assert code == 2
    assert "city.toml:5" in err and "detect 必须是非空字符串列表" in err


def test_config_file_auto_and_the_commands_that_show_it(tmp_path: Path) -> None:
    pkg = tmp_path / "taixing-service-purchase"
    shutil.copytree(PACKAGES / "taixing-service-purchase", pkg)
    (tmp_path / "dossier-lint.toml").write_text('profile = "auto"\n', encoding="utf-8")
    report = lint_json(pkg)
    assert report["packages"][0]["profile"] == "taixing"
    code, out, _ = run_cli("show-settings", pkg)
    assert code == 0
    assert out.splitlines()[1].startswith(
        "规则包：auto（按申报包所属地区选择：chenzhou、nanchong、taixing；识别不出时用 base）"
    )
    # rules/explain have no package to look at: rules lists base and says so, explain searches every pack
    code, out, err = run_cli("rules", "--profile", "auto")
    assert (
        code == 0 and out.startswith("规则包 base") and "auto 在检查时为每个申报包选择所属地区的规则包" in err
    )
    code, out, _ = run_cli("explain", "DL113", "--profile", "auto")
    assert code == 0 and out.startswith("DL113 implementation-plan-over-threshold")
