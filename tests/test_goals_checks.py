"""绩效目标 (DL560–DL564) and the 自建 vs 购买服务 economics of 第十七条 (DL570–DL572)."""

from __future__ import annotations

import sys

import pytest

from helpers import CONTENT_B_CASES, CORPUS, PACKAGES, findings_of, lint_json

sys.path.insert(0, str(CORPUS))
sys.path.insert(0, str(CORPUS / "cases"))

import make_content_b as mk  # noqa: E402

from dossier_lint.kinds.goals import is_quantified  # noqa: E402

GOALS = {f"DL5{n}" for n in range(60, 70)}
SERVICE = {"DL570", "DL571", "DL572"}
FORM = "备案审查表.xlsx"
CELL = {"sheet": "备案审查表", "cell": "B9"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("接入部门≥12个", True),
        ("满意度达到90%", True),
        ("2024年12月底前上线", True),
        ("审批时限压缩至3个工作日", True),
        ("显著提升城市管理效率，进一步完善监管体系", False),
        ("有力支撑城市治理现代化", False),
    ],
)
def test_is_quantified(text: str, expected: bool) -> None:
    assert is_quantified(text) is expected


def test_vague_goals() -> None:
    report = lint_json(CONTENT_B_CASES / "nc-goals-vague", "--profile", "nanchong")
    assert findings_of(report, GOALS) == [("DL561", FORM, CELL)]
    [d] = [d for d in report["packages"][0]["diagnostics"] if d["rule"] == "DL561"]
    assert d["evidence"] == mk.GOALS_VAGUE
    assert d["message"] == "绩效目标只有定性描述，没有可量化的指标（显著提升、进一步完善、有力支撑）"


def test_missing_goals_is_an_error_in_nanchong() -> None:
    report = lint_json(CONTENT_B_CASES / "nc-goals-missing", "--profile", "nanchong")
    assert findings_of(report, GOALS) == [("DL560", None, {})]
    [d] = [d for d in report["packages"][0]["diagnostics"] if d["rule"] == "DL560"]
    assert d["severity"] == "error"


def test_rates_and_dimensions() -> None:
    report = lint_json(CONTENT_B_CASES / "nc-goals-rates", "--profile", "nanchong")
    assert findings_of(report, GOALS) == [("DL562", FORM, CELL), ("DL563", FORM, CELL)]
    by = {d["rule"]: d for d in report["packages"][0]["diagnostics"]}
    assert by["DL562"]["message"] == "绩效目标缺少满意度指标"  # 产出 and 效益 are there, unnamed
    assert by["DL563"]["message"] == "绩效指标“视频覆盖率”的目标值为120%，比率不能超过100%"
    # the same cell's "同比增长150%" is a growth rate, not a share: the exact list above has no second DL563
    assert "同比增长150%" in mk.GOALS_RATES


def test_vague_indicator_row_in_a_goals_table() -> None:
    report = lint_json(CONTENT_B_CASES / "nc-goals-table", "--profile", "nanchong")
    assert findings_of(report, GOALS) == [
        ("DL564", "南充市智慧社区平台项目实施方案.docx",
         {"paragraph": 3, "heading": "第九章 绩效目标", "table": 1, "row": 3, "col": 4})]
    [d] = [d for d in report["packages"][0]["diagnostics"] if d["rule"] == "DL564"]
    assert d["data"] == {"indicator": mk.TABLE_VAGUE[0], "value": mk.TABLE_VAGUE[1]}  # "达到预期" is graded: fine


def test_sample_corpus_goals() -> None:
    """chenzhou-new-build plants one vague indicator (应急指挥调度效率 | 进一步提升); the clean package has none."""
    report = lint_json(PACKAGES / "chenzhou-new-build.zip", "--profile", "chenzhou")
    got = [(d["rule"], d["data"].get("indicator")) for d in report["packages"][0]["diagnostics"] if d["rule"] in GOALS]
    assert got == [("DL564", "应急指挥调度效率")]
    clean = lint_json(PACKAGES / "nanchong-zhcg-complete", "--profile", "nanchong")
    assert findings_of(clean, GOALS) == []


PLAN = f"{mk.SV_NAME}服务需求方案.md"
SECTION = {"heading": f"{mk.SV_NAME}服务需求方案 > 三、自建和购买服务方式经济性比较", "line": 6}


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("nc-service-missing", [("DL570", PLAN, {})]),
        ("nc-service-nofigures", [("DL571", PLAN, SECTION)]),
        ("nc-service-dearer", [("DL572", PLAN, {"heading": SECTION["heading"], "line": 8})]),
        ("nc-service-dearer-table", [("DL572", f"{mk.SV_NAME}服务需求方案.docx",
                                      {"paragraph": 5, "heading": "二、自建和购买服务方式经济性比较", "table": 1, "row": 3,
                                       "col": 4})]),
        ("nc-service-ok", []),
    ],
)
def test_service_economics(case: str, expected: list) -> None:
    report = lint_json(CONTENT_B_CASES / case, "--profile", "nanchong")
    assert findings_of(report, SERVICE) == expected


def test_service_dearer_names_both_figures() -> None:
    report = lint_json(CONTENT_B_CASES / "nc-service-dearer", "--profile", "nanchong")
    [d] = [d for d in report["packages"][0]["diagnostics"] if d["rule"] == "DL572"]
    assert d["data"] == {"service_wan": "1100", "self_wan": "900"}
    assert d["message"] == (f"购买服务费用1100万元（{PLAN} 第8行）不低于自建费用900万元（{PLAN} 第7行），"
                            "不满足“明显小于”的要求")


def test_service_rules_need_a_service_project() -> None:
    """A self-built project is not asked for the comparison (when: mode = 购买服务)."""
    report = lint_json(CONTENT_B_CASES / "nc-policy", "--profile", "nanchong")
    assert findings_of(report, SERVICE) == []
