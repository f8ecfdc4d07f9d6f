"""The Nanchong reviewer workbook: 集中审查清单表 + one 备案审查表 per package + 问题明细, ready to print."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from dossier_lint.model import Diagnostic
from dossier_lint.report import xlsx
from helpers import check_round, synthetic_run


@pytest.fixture(scope="module")
def round_book(tmp_path_factory):
    out = tmp_path_factory.mktemp("xlsx") / "审查表.xlsx"
    code, _, err = check_round("--format", "xlsx", "--output", out)
    assert code in (0, 1), err
    _, text, _ = check_round("--format", "json")
    return load_workbook(out), json.loads(text)


def _fact(pkg: dict, key: str):
    f = pkg["facts"].get(key)
    return f["value"] if f else None


def test_list_sheet_is_filled_from_the_facts(round_book):
    wb, report = round_book
    ws = wb.worksheets[0]
    assert ws.title == "集中审查清单表"
    assert ws["A1"].value == "南充市市级政务信息化项目集中审查清单表"
    assert [c.value for c in ws[3]][:4] == ["序号", "项目单位", "项目名称", "建设内容"]
    assert ws.cell(3, 11).value == "初审意见"
    for n, pkg in enumerate(report["packages"], 1):
        row = 3 + n
        assert ws.cell(row, 1).value == n
        assert ws.cell(row, 2).value == (_fact(pkg, "unit") or None)
        assert ws.cell(row, 3).value == (_fact(pkg, "name") or pkg["name"])
        inv = _fact(pkg, "total_investment")
        assert (ws.cell(row, 5).value is None) == (inv is None)
        if inv is not None:
            assert Decimal(str(ws.cell(row, 5).value)) == Decimal(str(inv))
        channels = _fact(pkg, "funding_channels")
        if channels:
            assert ws.cell(row, 7).value == "、".join(channels)
        opinion = ws.cell(row, 11).value
        errors = sum(1 for d in pkg["diagnostics"] if d["severity"] == "error")
        if pkg["diagnostics"]:
            assert opinion.startswith("工具初筛发现") and (f"{errors} 个错误" in opinion) == bool(errors)
        else:
            assert opinion.startswith("工具初筛未发现问题")
        # the project name links to its 备案审查表
        assert ws.cell(row, 3).hyperlink.location.endswith("!A1")
    assert ws.max_row == 3 + len(report["packages"])
    assert any(pkg["facts"] for pkg in report["packages"]), "the corpus forms should yield facts"


def test_one_form_sheet_per_package(round_book):
    wb, report = round_book
    forms = wb.worksheets[1:-1]
    assert len(forms) == len(report["packages"])
    for ws, pkg in zip(forms, report["packages"], strict=True):
        assert ws["A1"].value == "南充市市级政务信息化项目备案审查表"
        labels = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
        for label in ("项目名称", "项目单位", "项目联系人", "主要任务", "拟采用实施方式", "投资额度", "运维经费",
                      "经费渠道", "技术审查意见", "资金审查意见"):
            assert label in labels, label
        row = labels.index("项目名称") + 1
        assert ws.cell(row, 2).value == (_fact(pkg, "name") or pkg["name"])
        # every finding is listed in the annex table, each department block names its department
        text = "\n".join(str(c.value) for r in ws.iter_rows() for c in r if c.value is not None)
        for d in pkg["diagnostics"]:
            assert d["message"] in text
        for dept in ("市委网信办初审意见", "市密码管理局初审意见", "市公安局初审意见", "市政府办公室初审意见",
                     "市财政局初审意见"):
            assert dept in text
        assert ws.page_setup.orientation == "portrait" and ws.print_title_rows == "$1:$1"


def test_detail_sheet_and_printing(round_book):
    wb, report = round_book
    ws = wb["问题明细"]
    n = sum(len(p["diagnostics"]) + len(p["waived"]) for p in report["packages"])
    assert ws.max_row == 1 + n
    assert ws.auto_filter.ref.startswith("A1:K")
    first = wb.worksheets[0]
    assert first.page_setup.orientation == "landscape"
    assert first.print_title_rows == "$1:$3"
    assert first.page_setup.fitToWidth == 1 and first.sheet_properties.pageSetUpPr.fitToPage
    assert first.column_dimensions["D"].width > first.column_dimensions["A"].width
    assert first.cell(4, 11).alignment.wrap_text and first.cell(4, 11).border.left.style == "thin"


def test_department_routing():
    def d(category, message, file=None):
        return Diagnostic(rule="DL1", name="x", severity="error", category=category, message=message, file=file)

    kinds = {"密码方案.pdf": "crypto_plan", "可研.pdf": "feasibility_report"}
    assert xlsx.department(d("completeness", "缺少密码应用方案"), kinds) == "市密码管理局"
    assert xlsx.department(d("security", "未说明等级保护定级"), kinds) == "市公安局"
    assert xlsx.department(d("security", "缺少网络安全建设方案"), kinds) == "市委网信办"
    assert xlsx.department(d("funding", "投资额度不一致"), kinds) == "市财政局"
    assert xlsx.department(d("structure", "缺少章节", "密码方案.pdf"), kinds) == "市密码管理局"
    assert xlsx.department(d("catalog", "信息资源目录缺少共享属性", "可研.pdf"), kinds) == "市政府办公室"


def test_synthetic_book_waived_and_zip():
    run, settings = synthetic_run()
    wb = load_workbook(io.BytesIO(xlsx.render(run, settings, {})))
    detail = wb["问题明细"]
    statuses = [detail.cell(r, 11).value for r in range(2, detail.max_row + 1)]
    assert statuses.count("已豁免：专家组同意：续建项目沿用原章节") == 3
    assert "新增" in statuses
    assert [ws.title for ws in wb.worksheets][1] == "01 南充市智慧城管系统建设项目0"
    assert wb.worksheets[0].cell(4, 5).value == 356.5
