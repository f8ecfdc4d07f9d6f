"""The `protection_level` fact (等保级别) is read by the one careful reader (dossier_lint.levels) and is the
level the security checks use: the JSON `facts` never show a level the checks ignore."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import CONTENT_B_CASES, lint_json

PLAN = "网络安全等级保护方案.md"
CRYPTO = "商用密码应用方案.md"
RULE_QUOTE = "根据《网络安全等级保护条例》，第三级以上网络运营者应当每年至少开展一次等级测评。"
DECLARED_2 = "本系统安全保护等级定级为第二级。"


def _package(tmp_path: Path, plan: list[str], crypto: str | None = None, extra: dict[str, str] | None = None) -> Path:
    d = tmp_path / "pkg"
    d.mkdir()
    (d / PLAN).write_text("\n".join(["# 网络安全等级保护方案", *plan]) + "\n", encoding="utf-8")
    if crypto is not None:
        (d / CRYPTO).write_text(f"# 商用密码应用方案\n## 一、概述\n{crypto}\n", encoding="utf-8")
    for name, text in (extra or {}).items():
        (d / name).write_text(text, encoding="utf-8")
    return d


def _level_fact(report: dict) -> dict | None:
    return report["packages"][0]["facts"].get("protection_level")


def _rules(report: dict) -> list[str]:
    return [d["rule"] for d in report["packages"][0]["diagnostics"]]


def test_quoted_rule_about_level_three_is_not_the_fact(tmp_path: Path) -> None:
    # the old fact reader took "等级保护条例》，第三级" for the system's level
    pkg = _package(tmp_path, ["## 一、定级依据", RULE_QUOTE, "## 二、定级结果", DECLARED_2],
                   crypto="本系统密码应用按照GB/T 39786-2021第二级要求进行设计。")
    report = lint_json(pkg, "--profile", "nanchong")
    fact = _level_fact(report)
    assert fact is not None
    assert fact["value"] == 2
    assert [(s["value"], s["file"], s["location"]["line"], s["evidence"]) for s in fact["sources"]] == [
        (2, PLAN, 5, DECLARED_2)
    ]
    # the checks agree with the fact: a level is stated, the crypto plan's 第二级 matches it
    rules = _rules(report)
    assert "DL601" not in rules and "DL611" not in rules and "DL804" not in rules


def test_checks_use_the_fact_level(tmp_path: Path) -> None:
    # near miss of the above: the crypto plan aims at 第三级, the level only the quoted rule names
    pkg = _package(tmp_path, ["## 一、定级依据", RULE_QUOTE, "## 二、定级结果", DECLARED_2],
                   crypto="本系统密码应用按照GB/T 39786-2021第三级要求进行设计。")
    report = lint_json(pkg, "--profile", "nanchong")
    assert _level_fact(report)["value"] == 2
    by = {d["rule"]: d for d in report["packages"][0]["diagnostics"]}
    assert by["DL611"]["data"] == {"crypto_level": 3, "protection_level": 2}
    assert by["DL611"]["message"] == (
        f"密码应用方案的目标等级为第三级（{CRYPTO} 第3行），与等级保护等级第二级（{PLAN} 第5行）不一致"
    )


@pytest.mark.parametrize(
    ("plan", "level", "line"),
    [
        # a statement of the system's level that looks like the rule: still the fact
        (["## 一、总体要求", "本系统按照等保三级要求进行安全建设。"], 3, 3),
        # 定级 beats an earlier build statement; the components are not the level
        (["## 一、设计原则", "本系统按照等保三级要求进行设计。", "## 二、定级",
          "业务信息安全保护等级为第二级，系统服务安全保护等级为第二级。", "综合确定本系统安全保护等级为第三级。"], 3, 6),
        # the 政务云's level is not the system's, and the 定级 that follows is
        (["## 一、系统概况", "本系统部署于已通过等保三级测评的市级政务云平台。", "## 二、定级结果", DECLARED_2], 2, 5),
    ],
)
def test_fact_is_the_system_statement(tmp_path: Path, plan: list[str], level: int, line: int) -> None:
    report = lint_json(_package(tmp_path, plan), "--profile", "nanchong")
    fact = _level_fact(report)
    assert fact is not None and fact["value"] == level
    assert [(s["value"], s["location"]["line"]) for s in fact["sources"]] == [(level, line)]
    assert "DL601" not in _rules(report)


def test_only_other_levels_give_no_fact(tmp_path: Path) -> None:
    # the plan names a rule's level and the cloud's level, never its own: no fact, and DL601 says so
    pkg = _package(tmp_path, ["## 一、系统概况", "本系统部署于已通过等保三级测评的市级政务云平台。", RULE_QUOTE])
    report = lint_json(pkg, "--profile", "nanchong")
    assert _level_fact(report) is None
    assert _rules(report).count("DL601") == 1


def test_plan_outranks_other_documents(tmp_path: Path) -> None:
    # the 可研 says 第二级, the 等级保护方案 第三级: the plan gives the fact, and DL804 names the 可研
    feas = "南充市测试平台项目可行性研究报告.md"
    pkg = _package(
        tmp_path, ["## 一、定级结果", "本系统安全保护等级定级为第三级。"],
        extra={feas: "# 南充市测试平台项目可行性研究报告\n## 第五章 信息安全\n本系统按照等保二级要求进行安全建设。\n"},
    )
    report = lint_json(pkg, "--profile", "nanchong")
    fact = _level_fact(report)
    assert fact["value"] == 3
    assert [(s["value"], s["file"]) for s in fact["sources"]] == [(3, PLAN)]
    dl804 = [(d["file"], d["data"]["level"], d["data"]["other"]) for d in report["packages"][0]["diagnostics"]
             if d["rule"] == "DL804"]
    assert dl804 == [(feas, 2, 3)]


def test_without_plan_fact_comes_from_any_document(tmp_path: Path) -> None:
    d = tmp_path / "pkg"
    d.mkdir()
    feas = "南充市测试平台项目可行性研究报告.md"
    (d / feas).write_text(
        "# 南充市测试平台项目可行性研究报告\n## 第五章 信息安全\n" + RULE_QUOTE + "\n本系统按照等保二级要求进行安全建设。\n",
        encoding="utf-8",
    )
    fact = _level_fact(lint_json(d, "--profile", "nanchong"))
    assert fact is not None
    assert [(s["value"], s["file"], s["location"]["line"]) for s in fact["sources"]] == [(2, feas, 4)]


def test_corpus_fact_is_the_level_statement_not_the_cloud() -> None:
    # nc-security's plan opens with the 政务云's 等保三级; the fact points at the 定级 sentence
    fact = _level_fact(lint_json(CONTENT_B_CASES / "nc-security", "--profile", "nanchong"))
    assert [(s["value"], s["file"], s["location"]["line"], s["evidence"]) for s in fact["sources"]] == [
        (3, PLAN, 5, "本系统安全保护等级定级为第三级。")
    ]
