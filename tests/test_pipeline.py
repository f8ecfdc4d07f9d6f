"""The foundation end to end: discover -> read -> classify -> facts, through the real CLI on corpus/."""

from __future__ import annotations

import json

import pytest

from dossier_lint import __version__
from dossier_lint.classify import _by_name
from dossier_lint.facts import _project_type
from helpers import PACKAGES, lint_json, run_cli


def _docs(report: dict) -> dict[str, tuple[str, list[str], str]]:
    return {d["path"]: (d["kind"], d["parts"], d["status"]) for d in report["packages"][0]["documents"]}


def _facts(report: dict) -> dict:
    return {k: v["value"] for k, v in report["packages"][0]["facts"].items()}


@pytest.fixture(scope="module")
def complete() -> dict:
    return lint_json(PACKAGES / "nanchong-zhcg-complete", "--profile", "nanchong")


def test_every_document_of_the_complete_package_is_classified(complete: dict) -> None:
    assert _docs(complete) == {
        "01_南充市市级政务信息化项目备案审查表.docx": ("application_form", [], "ok"),
        "02_南充市智慧城管综合平台（二期）可行性研究报告.pdf": ("feasibility_report", ["budget_sheet"], "ok"),
        "03_南充市智慧城管综合平台（二期）初步设计方案.docx": ("preliminary_design", ["budget_sheet"], "ok"),
        "04_政务信息资源目录.xlsx": ("resource_catalog", [], "ok"),
        "05_政务云需求方案.docx": ("cloud_plan", [], "ok"),
        "06_网络安全等级保护方案.docx": ("protection_plan", [], "ok"),
        "07_商用密码应用方案.pdf": ("crypto_plan", [], "ok"),
        "08_项目概算表.xlsx": ("budget_sheet", [], "ok"),
    }
    pdf = next(d for d in complete["packages"][0]["documents"] if d["format"] == "pdf")
    assert pdf["pages"] == 10


def test_facts_of_the_complete_package_with_their_sources(complete: dict) -> None:
    facts = _facts(complete)
    assert facts["name"] == "南充市智慧城管综合平台（二期）"
    assert facts["unit"] == "南充市城市管理局"
    assert facts["contact"] == "何俊峰"
    assert facts["phone"] == "0817-2000516"
    assert facts["mode"] == "自行建设"
    assert facts["total_investment"] == "860"
    assert facts["om_funding"] == "68"
    assert facts["funding_channels"] == ["本级财政"]
    assert facts["protection_level"] == 3
    sources = complete["packages"][0]["facts"]["total_investment"]["sources"]
    # the form's cell first, then every place the report states it
    assert sources[0]["file"] == "01_南充市市级政务信息化项目备案审查表.docx"
    assert sources[0]["location"]["row"] == 8 and sources[0]["location"]["col"] == 2
    assert any(s["file"].endswith("可行性研究报告.pdf") and s["location"]["page"] == 4 for s in sources)


def test_zip_package_with_gbk_member_names_and_nested_folders() -> None:
    report = lint_json(PACKAGES / "chenzhou-new-build.zip", "--profile", "chenzhou")
    docs = _docs(report)
    prefix = "郴州市智慧应急指挥平台建设项目申报材料/"
    assert docs[prefix + "2.郴州市智慧应急指挥平台建设方案.docx"][0] == "implementation_plan"
    assert docs[prefix + "前置审查材料/密码应用方案.pdf"][0] == "crypto_plan"
    assert docs[prefix + "前置审查材料/电子文件管理情况说明.docx"][0] == "records_plan"
    facts = _facts(report)
    # the phone in the 负责人 row is the leader's, the one in the 联系人 row the contact's
    assert facts["leader"] == "邓志勇" and facts["leader_phone"] == "13800006027"
    assert facts["contact"] == "罗丽华" and facts["phone"] == "0735-2000418"


def test_taixing_form_ticked_other_box_gives_the_project_type() -> None:
    facts = _facts(lint_json(PACKAGES / "taixing-service-purchase", "--profile", "taixing"))
    assert facts["project_type"] == "购买服务"
    assert facts["mode"] == "购买服务"


def test_unreadable_files_are_still_documents_with_a_reason() -> None:
    report = lint_json(PACKAGES / "broken-inputs", "--profile", "nanchong")
    docs = {d["path"]: d for d in report["packages"][0]["documents"]}
    assert docs["04_政务云需求方案.doc"]["status"] == "unreadable"
    assert docs["04_政务云需求方案.doc"]["kind"] == "cloud_plan"  # known by name though unreadable
    assert "docx" in docs["04_政务云需求方案.doc"]["reason"] or ".doc" in docs["04_政务云需求方案.doc"]["reason"]
    assert docs["01_南充市市级政务信息化项目备案审查表.docx"]["status"] == "ok"
    # the readable form was still linted: its facts are there
    assert _facts(report)["unit"] == "南充市档案馆"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("南充市数据资源目录管理系统建设项目可行性研究报告", "feasibility_report"),  # system name holds a kind word
        ("初步设计方案（含投资概算）", "preliminary_design"),
        ("应用系统实施方案", "app_implementation_plan"),
        ("项目实施方案", "implementation_plan"),
        ("网络安全等级保护方案", "protection_plan"),
        ("可研批复", "approval"),
        ("附件1：项目申报表", "application_form"),
        ("智慧城管政务云需求方案", "cloud_plan"),
    ],
)
def test_kind_from_name(name: str, kind: str) -> None:
    hit = _by_name(name)
    assert hit is not None and hit[0] == kind


def test_unnamed_file_is_classified_by_its_title(tmp_path) -> None:
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "附件3.md").write_text("# 南充市某某系统密码应用方案\n\n## 一、概述\n\n本方案依据GB/T 39786-2021编制。\n", "utf-8")
    report = lint_json(pkg)
    doc = report["packages"][0]["documents"][0]
    assert doc["kind"] == "crypto_plan"
    assert "标题" in doc["kind_reason"]


def test_kind_override_from_config(tmp_path) -> None:
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "附件3.md").write_text("# 说明\n\n正文。\n", "utf-8")
    (tmp_path / "dossier-lint.toml").write_text('[kinds]\n"附件3.md" = "funding_proof"\n', "utf-8")
    doc = lint_json(pkg)["packages"][0]["documents"][0]
    assert doc["kind"] == "funding_proof"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("☑新建项目 □续建项目 □改建项目 □其他", "新建"),
        ("□新建项目 □续建项目 □改建项目 ☑其他（购买服务）", "购买服务"),
        ("新建项目 续建项目 改建项目 其他", None),  # a blank printed form says nothing
        ("续建", "续建"),
    ],
)
def test_project_type_from_form(raw: str, expected: str | None) -> None:
    assert _project_type(raw) == expected


def test_version_and_usage_errors() -> None:
    code, out, _ = run_cli("--version")
    assert code == 0 and __version__ in out
    code, _, err = run_cli("check", "/nonexistent/package")
    assert code == 2 and "路径不存在" in err


def test_text_output_is_one_finding_a_line_with_basis_and_summary() -> None:
    code, out, _ = run_cli("check", PACKAGES / "nanchong-missing-docs", "--profile", "nanchong", "--no-cache")
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "== nanchong-missing-docs（规则包：nanchong）"
    assert (
        "nanchong-missing-docs/南充市智慧养老服务平台可行性研究报告.docx: DL203 error "
        "缺少“系统集成、集约化建设和信息资源共享分析”专篇（找到的最接近标题：第五章 信息共享分析） [南府办发〔2023〕14号 第十六条]"
    ) in lines
    assert lines[-1].startswith("共检查 1 个申报包：")


def test_verbose_shows_kind_and_why() -> None:
    _, out, _ = run_cli("check", "-v", PACKAGES / "nanchong-zhcg-complete", "--profile", "nanchong", "--no-cache")
    assert "07_商用密码应用方案.pdf: crypto_plan（文件名含“密码应用方案”）" in out


def test_exit_codes_follow_fail_level() -> None:
    pkg = PACKAGES / "nanchong-missing-docs"
    assert run_cli("check", pkg, "--profile", "nanchong", "--no-cache")[0] == 1
    assert run_cli("check", pkg, "--profile", "nanchong", "--no-cache", "--exit-zero")[0] == 0
    clean = PACKAGES / "nanchong-zhcg-complete"
    assert run_cli("check", clean, "--profile", "nanchong", "--no-cache")[0] == 0


def test_json_schema_v1_fields(complete: dict) -> None:
    assert complete["version"] == 1
    pkg = complete["packages"][0]
    assert set(pkg) >= {"path", "profile", "facts", "documents", "diagnostics", "summary"}
    assert set(pkg["documents"][0]) >= {"path", "kind", "format", "status", "pages"}
    report = lint_json(PACKAGES / "nanchong-missing-docs", "--profile", "nanchong")
    d = report["packages"][0]["diagnostics"][0]
    assert set(d) >= {"rule", "name", "severity", "category", "message", "file", "location", "basis", "evidence"}
    assert d["basis"] and set(d["basis"][0]) == {"source", "article"}
    json.dumps(report, ensure_ascii=False)  # serialisable as is
