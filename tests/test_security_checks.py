"""等保 level and what follows from it, the 密码应用方案, weak algorithms, foreign-only stacks (DL601–DL613)
and the cross-document protection level (DL804)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from helpers import CONTENT_B_CASES, CORPUS, PACKAGES, findings_of, lint_json

sys.path.insert(0, str(CORPUS))
sys.path.insert(0, str(CORPUS / "cases"))

import build  # noqa: E402
import make_content_b as mk  # noqa: E402

from dossier_lint.levels import level_mentions  # noqa: E402

SECURITY = {f"DL6{n:02d}" for n in range(1, 50)} | {"DL804"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("本系统安全保护等级定级为第三级。", [("protection", 3, "assign")]),
        ("业务信息安全保护等级为第二级，系统服务安全保护等级为第三级，最终确定为第三级。", [("protection", 3, "assign")]),
        ("本系统按照等保三级要求进行建设。", [("protection", 3, "build")]),
        ("本项目为二级等保系统。", [("protection", 2, "build")]),
        ("本系统等保定级为第三级，密码应用按照GB/T 39786-2021第三级要求设计。",
         [("protection", 3, "assign"), ("crypto", 3, "assign")]),
        ("密码应用等级为第二级。", [("crypto", 2, "assign")]),
        # not the system's own level
        ("第二级以上信息系统应在30日内到公安机关备案。", []),
        ("本系统部署在已通过等保三级测评的政务云平台上。", []),
        ("政务云平台已通过等保三级测评。", []),
        ("安全物理环境由政务云运营方按等级保护第三级要求建设和运维。", []),
        ("| 社会秩序 | 第二级 | 第三级 | 第四级 |", []),
        ("系统服务安全保护等级为第二级；", []),
        ("三级指标", []),
    ],
)
def test_level_mentions(text: str, expected: list) -> None:
    assert level_mentions(text) == expected


def test_security_findings() -> None:
    report = lint_json(CONTENT_B_CASES / "nc-security", "--profile", "nanchong")
    feas = f"{mk.SEC_NAME}可行性研究报告.docx"
    crypto, prot = "商用密码应用方案.md", "网络安全等级保护方案.md"
    h3 = "商用密码应用方案 > 第三章 密码应用技术方案 > 3.2 应用和数据安全"
    assert findings_of(report, SECURITY) == [
        ("DL804", feas, {"paragraph": 4, "heading": "第五章 信息安全"}),
        ("DL605", crypto, {}),
        ("DL606", crypto, {}),
        ("DL610", crypto, {}),
        ("DL611", crypto, {"heading": "商用密码应用方案 > 第一章 概述", "line": 3}),
        ("DL608", crypto, {"heading": h3, "line": 11}),
        ("DL609", crypto, {"heading": h3, "line": 12}),
        ("DL602", prot, {}),
        ("DL603", prot, {}),
        ("DL604", prot, {}),
    ]
    by = {d["rule"]: d for d in report["packages"][0]["diagnostics"]}
    assert by["DL608"]["evidence"] == mk.CRY_MD5 and by["DL609"]["evidence"] == mk.CRY_3DES
    assert by["DL605"]["message"] == "密码应用方案缺少2个技术层面：物理和环境安全、设备和计算安全"
    # both places are named
    assert by["DL804"]["message"] == (
        f"等级保护等级不一致：{feas} 第5段为第二级，{prot} 第5行为第三级")
    assert by["DL611"]["message"] == (
        f"密码应用方案的目标等级为第二级（{crypto} 第3行），与等级保护等级第三级（{prot} 第5行）不一致")
    assert by["DL603"]["message"] == "系统安全保护等级为第三级，等级保护方案未说明向公安机关备案"
    # [P] points are warnings at most
    for rid in ("DL602", "DL603", "DL604", "DL605", "DL606", "DL609", "DL611"):
        assert by[rid]["severity"] == "warning", rid
    assert by["DL608"]["severity"] == "error"
    # near misses: the replaced MD5, the forbidden SHA-1/DES, the cloud's level, the rule sentence
    evidence = [d["evidence"] for d in report["packages"][0]["diagnostics"] if d["rule"] in SECURITY]
    for near in (mk.CRY_MD5_NEAR, mk.CRY_SHA1_NEAR, mk.SEC_CLOUD_NEAR, mk.SEC_RULE_NEAR):
        assert near not in evidence


def test_complete_plans_have_no_security_finding() -> None:
    report = lint_json(CONTENT_B_CASES / "nc-security-clean", "--profile", "nanchong")
    assert findings_of(report, SECURITY) == []


def test_sample_corpus_crypto_plan() -> None:
    """nanchong-forbidden's 密码应用方案 relies on MD5 (§3.5) and replaces it elsewhere (第二章)."""
    report = lint_json(PACKAGES / "nanchong-forbidden", "--profile", "nanchong")
    got = [(d["rule"], d["file"], d["evidence"]) for d in report["packages"][0]["diagnostics"] if d["rule"] == "DL608"]
    assert len(got) == 1
    rule, file, evidence = got[0]
    assert file == "商用密码应用方案.docx" and "MD5" in evidence and "替换" not in evidence
    clean = lint_json(PACKAGES / "nanchong-zhcg-complete", "--profile", "nanchong")
    assert findings_of(clean, SECURITY) == []


def _pkg(tmp: Path, files: dict[str, str]) -> Path:
    build.write_xlsx(tmp / "备案审查表.xlsx", mk.form("南充市测试平台项目", "南充市测试局", "新建", "自行建设",
                                                  goals="2024年底前上线，接入部门≥10个，满意度≥90%，效率提升30%。"))
    for name, text in files.items():
        build.write_md(tmp / name, text)
    return tmp


def test_protection_plan_without_level(tmp_path: Path) -> None:
    plan = "# 网络安全等级保护方案\n## 一、概述\n本系统按照等级保护要求建设。\n第三级信息系统应每年测评。\n"
    report = lint_json(_pkg(tmp_path, {"网络安全等级保护方案.md": plan}), "--profile", "nanchong")
    assert findings_of(report, {"DL601"}) == [("DL601", "网络安全等级保护方案.md", {})]
    # without a known level, the level-dependent rules stay silent (no guess)
    assert findings_of(report, {"DL603", "DL604", "DL611"}) == []


def test_level_one_needs_no_filing(tmp_path: Path) -> None:
    plan = "# 网络安全等级保护方案\n## 定级\n本系统定级为第一级，定级依据为受侵害的客体和侵害程度。\n"
    report = lint_json(_pkg(tmp_path, {"网络安全等级保护方案.md": plan}), "--profile", "nanchong")
    assert findings_of(report, {"DL601", "DL602", "DL603", "DL604"}) == []


def test_negated_filing_does_not_count(tmp_path: Path) -> None:
    plan = ("# 网络安全等级保护方案\n## 定级\n本系统定级为第二级，定级依据为侵害程度。\n"
            "本系统暂不到公安机关办理备案。\n")
    report = lint_json(_pkg(tmp_path, {"网络安全等级保护方案.md": plan}), "--profile", "nanchong")
    assert findings_of(report, {"DL603"}) == [("DL603", "网络安全等级保护方案.md", {})]


def test_foreign_only_stack(tmp_path: Path) -> None:
    foreign = "# 实施方案\n## 软硬件选型\n数据库采用Oracle 19c，操作系统采用CentOS 7。\n"
    report = lint_json(_pkg(tmp_path / "a", {"南充市测试平台项目实施方案.md": foreign}), "--profile", "nanchong")
    assert findings_of(report, {"DL613"}) == [
        ("DL613", "南充市测试平台项目实施方案.md", {"heading": "实施方案 > 软硬件选型", "line": 3})]
    mixed = foreign + "应用服务器操作系统采用银河麒麟V10。\n"
    report = lint_json(_pkg(tmp_path / "b", {"南充市测试平台项目实施方案.md": mixed}), "--profile", "nanchong")
    assert findings_of(report, {"DL613"}) == []


def test_cloud_level_is_not_the_system_level(tmp_path: Path) -> None:
    """The 政务云 is 第三级, the system 第二级: one level, no mismatch (facts.py's first-match level is
    checked against the sentence before it is trusted)."""
    plan = ("# 网络安全等级保护方案\n## 一、概述\n本系统部署于已通过等保三级测评的市级政务云平台。\n"
            "## 二、定级\n本系统安全保护等级定级为第二级，定级依据为受侵害的客体和侵害程度。\n"
            "系统上线后30日内向公安机关办理备案。\n")
    feas = "# 可行性研究报告\n## 安全\n本系统按照等保二级要求建设。\n"
    report = lint_json(_pkg(tmp_path, {"网络安全等级保护方案.md": plan, "南充市测试平台项目可行性研究报告.md": feas}),
                       "--profile", "nanchong")
    assert findings_of(report, {"DL601", "DL602", "DL603", "DL604", "DL804"}) == []
