"""The bundled sample packages, each under its own city's rule pack: the exact findings, in order.

Every finding below was checked by hand against the faults planted in the package (corpus/README.md);
a change here is a change in what users are told, so it must be deliberate.
"""

from __future__ import annotations

import pytest

from helpers import PACKAGES, lint_json

FORM_NC = "南充市市级政务信息化项目备案审查表.docx"
PLAN_FB = "南充市公交智能调度与出行服务系统项目实施方案.docx"
PLAN_MM = "南充市智慧市场监管平台项目实施方案.docx"
FS_MD = "南充市智慧养老服务平台可行性研究报告.docx"
SKIPPED = ("DL704", None, {})  # no catalog given: the duplicate check says it was skipped

EXPECTED: dict[tuple[str, str], list[tuple[str, str | None, dict]]] = {
    ("nanchong-zhcg-complete", "nanchong"): [SKIPPED],
    ("nanchong-missing-docs", "nanchong"): [
        ("DL104", None, {}),
        ("DL105", None, {}),
        SKIPPED,
        ("DL202", FORM_NC, {"paragraph": 2, "table": 1, "row": 3, "col": 4}),
        ("DL203", FS_MD, {}),
        ("DL201", FS_MD, {"paragraph": 37}),
    ],
    ("nanchong-forbidden", "nanchong"): [
        SKIPPED,
        ("DL509", PLAN_FB, {"paragraph": 29}),
        ("DL506", PLAN_FB, {"paragraph": 37}),
        ("DL501", PLAN_FB, {"paragraph": 41}),
        ("DL502", PLAN_FB, {"paragraph": 44}),
        ("DL503", PLAN_FB, {"paragraph": 49}),
        ("DL608", "商用密码应用方案.docx", {"paragraph": 26}),
        ("DL502", "项目概算表.xlsx", {"sheet": "概算表", "cell": "B10"}),
        ("DL502", "项目概算表.xlsx", {"sheet": "概算表", "cell": "B11"}),
        ("DL502", "项目概算表.xlsx", {"sheet": "概算表", "cell": "B12"}),
        ("DL501", "项目概算表.xlsx", {"sheet": "概算表", "cell": "B13"}),
        ("DL503", "项目概算表.xlsx", {"sheet": "概算表", "cell": "B20"}),
    ],
    ("nanchong-money-mismatch", "nanchong"): [
        ("DL113", None, {}),
        ("DL113", None, {}),
        SKIPPED,
        ("DL406", FORM_NC, {"paragraph": 2, "table": 1, "row": 10, "col": 2}),
        ("DL406", PLAN_MM, {"paragraph": 12}),
        ("DL402", PLAN_MM, {"paragraph": 13}),
        ("DL401", "项目概算表.xlsx", {"sheet": "概算表", "cell": "G36"}),
        ("DL403", "项目概算表.xlsx", {"sheet": "概算表", "cell": "G36"}),
    ],
    ("taixing-service-purchase", "taixing"): [("DL120", None, {}), SKIPPED],
    ("chenzhou-new-build.zip", "chenzhou"): [
        SKIPPED,
        (
            "DL564",
            "郴州市智慧应急指挥平台建设项目申报材料/2.郴州市智慧应急指挥平台建设方案.docx",
            {"paragraph": 34, "table": 2, "row": 7, "col": 4},
        ),
    ],
    ("broken-inputs", "nanchong"): [
        ("DL104", None, {}),
        SKIPPED,
        ("DL003", "02_南充市数字档案馆（二期）可行性研究报告.pdf", {}),
        ("DL004", "03_初步设计方案（扫描件）.pdf", {"page": 1}),
        ("DL002", "04_政务云需求方案.doc", {}),
        ("DL002", "05_网络安全等级保护方案.wps", {}),
        ("DL001", "06_商用密码应用方案.docx", {}),
        ("DL008", "07_项目概算表.xlsx", {"sheet": "概算表", "cell": "G12"}),
        ("DL019", "08_建设依据和必要性说明（修订稿）.docx", {}),
        ("DL005", "08_建设依据和必要性说明（修订稿）.docx", {"paragraph": 2}),
        ("DL006", "08_建设依据和必要性说明（修订稿）.docx", {"paragraph": 2}),
    ],
}


@pytest.mark.parametrize(("package", "profile"), list(EXPECTED))
def test_exact_findings(package: str, profile: str) -> None:
    report = lint_json(PACKAGES / package, "--profile", profile)
    got = [
        (d["rule"], d["file"], {k: v for k, v in d["location"].items() if k != "heading"})
        for d in report["packages"][0]["diagnostics"]
    ]
    assert got == EXPECTED[(package, profile)]


def test_messages_quote_what_was_found() -> None:
    report = lint_json(PACKAGES / "nanchong-money-mismatch", "--profile", "nanchong")
    msgs = {d["rule"]: d["message"] for d in report["packages"][0]["diagnostics"]}
    assert msgs["DL403"] == "“合计”的金额（万元）为1250，与各项之和1240不一致（相差10）"
    assert msgs["DL402"].startswith("每年运维经费为95万元，与申报表")
    forbidden = lint_json(PACKAGES / "nanchong-forbidden", "--profile", "nanchong")
    diags = forbidden["packages"][0]["diagnostics"]
    crypto = next(d for d in diags if d["rule"] == "DL608")
    assert "MD5、SHA-1" in crypto["message"]
    assert crypto["evidence"].startswith("重要数据存储机密性：用户口令采用MD5算法加盐后存储")
    # the near misses planted beside the faults are in the documents, and stay silent
    from dossier_lint.readers import read_document

    pkg = PACKAGES / "nanchong-forbidden"
    text = "".join(
        read_document(p.name, p.read_bytes()).text().replace("\n", "") for p in sorted(pkg.iterdir())
    )
    evidence = " ".join(d["evidence"] or "" for d in diags)
    for near_miss in ("不新建机房", "不采购服务器", "整合至全市统一移动门户", "无需租用专线", "将替换为SM3"):
        assert near_miss in text
        assert near_miss not in evidence
