"""XLSX / CSV reader: sheets as tables, merged headers, shown values, formula errors, limits."""

from __future__ import annotations

import io
import zipfile

import openpyxl

from dossier_lint.limits import Limits
from dossier_lint.model import Location
from dossier_lint.readers import read_document


def _xlsx(wb: openpyxl.Workbook, patch: dict[str, list[tuple[bytes, bytes]]] | None = None) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    if not patch:
        return buf.getvalue()
    zin = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zo:
        for info in zin.infolist():
            data = zin.read(info)
            for old, new in (patch or {}).get(info.filename, []):
                assert old in data, (info.filename, old)
                data = data.replace(old, new)
            zo.writestr(info.filename, data)
    return out.getvalue()


def budget_workbook() -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "概算表"
    ws["A1"] = "项目投资概算表"
    ws.merge_cells("A1:D1")
    ws.append(["序号", "费用名称", "金额（万元）", None])
    ws["C2"] = "金额（万元）"
    ws.merge_cells("C2:D2")
    ws.append([1, "硬件购置费", 320.0, 0.1 + 0.2])
    ws.append([2, "软件开发费", 680.5, 5])
    ws2 = wb.create_sheet("说明")
    ws2["B3"] = "资金来源：市级财政"
    return wb


def test_sheets_tables_merged_headers_and_cells() -> None:
    doc = read_document("概算表.xlsx", _xlsx(budget_workbook()))
    assert doc.status == "ok" and doc.format == "xlsx" and doc.issues == []
    assert doc.meta["sheets"] == ["概算表", "说明"]
    t1, t2 = doc.tables
    assert t1.title == "概算表" and t1.loc == Location(sheet="概算表", cell="A1")
    assert t1.text_rows() == [
        ["项目投资概算表"] * 4,  # merged title copied into every covered cell
        ["序号", "费用名称", "金额（万元）", "金额（万元）"],
        ["1", "硬件购置费", "320", "0.3"],  # int-like floats as shown, 15 significant digits
        ["2", "软件开发费", "680.5", "5"],
    ]
    assert t1.rows[2][3].loc == Location(sheet="概算表", cell="D3")
    assert (t1.rows[3][1].row, t1.rows[3][1].col) == (3, 1)
    # the value area of the second sheet starts at B3: locations stay absolute
    assert t2.text_rows() == [["资金来源：市级财政"]] and t2.rows[0][0].loc.cell == "B3"
    cells = [(b.kind, b.loc.sheet, b.loc.cell, b.text) for b in doc.blocks]
    assert cells[0] == ("cell", "概算表", "A1", "项目投资概算表")
    assert ("cell", "概算表", "B1", "项目投资概算表") not in cells  # merged copies are not extra blocks
    assert ("cell", "概算表", "D2", "金额（万元）") not in cells
    assert ("cell", "说明", "B3", "资金来源：市级财政") in cells
    assert len(cells) == 1 + 3 + 4 + 4 + 1


def test_formula_errors_from_sheet_xml() -> None:
    wb = budget_workbook()
    wb["概算表"]["E3"] = 7
    wb["概算表"]["E4"] = 8
    patch = {
        "xl/worksheets/sheet1.xml": [
            (b'<c r="E3" t="n"><v>7</v></c>', b'<c r="E3" t="e"><f>C3/0</f><v>#DIV/0!</v></c>'),
            (b'<c r="E4" t="n"><v>8</v></c>', b'<c r="E4" t="e"><f>#REF!*2</f><v>#REF!</v></c>'),
        ]
    }
    doc = read_document("概算表.xlsx", _xlsx(wb, patch))
    errors = [(i.code, i.args, i.loc.sheet, i.loc.cell) for i in doc.issues]
    assert errors == [
        ("formula-error", {"value": "#DIV/0!"}, "概算表", "E3"),
        ("formula-error", {"value": "#REF!"}, "概算表", "E4"),
    ]
    assert doc.tables[0].rows[2][4].text == "#DIV/0!"  # shown as the sheet shows it
    # near miss: a text cell that merely mentions an error value is no formula error
    wb2 = budget_workbook()
    wb2["说明"]["A1"] = "#REF! 表示引用无效"
    assert [i.code for i in read_document("b.xlsx", _xlsx(wb2)).issues] == []


def test_percent_formats_read_as_the_sheet_shows_them() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "资金"
    ws.append(["来源", "金额（万元）", "占比", "说明"])
    ws.append(["市级财政", 650, 0.65, 0.65])  # D2 unformatted: stays a plain number
    ws.append(["自筹", 350, 0.35, "35%"])
    ws.append(["合计", 1000, 1, None])
    ws.append(["费率", 12.5, 0.285, 0.1234])
    for ref in ("C2", "C3", "C4"):
        ws[ref].number_format = "0%"
    ws["C5"].number_format = "0%"  # 28.5% rounds half up, after Excel's 15 significant digits
    ws["D5"].number_format = "0.00%"
    ws["B5"].number_format = "#,##0.00"  # not a percentage: the plain number the checks parse
    ws["E2"] = 0.5
    ws["E2"].number_format = '0.0"%"'  # a quoted % is text in the format: no scaling
    ws["E3"] = 0.05
    ws["E3"].number_format = "0.0%;[Red]-0.0%"
    ws.merge_cells("F2:F3")
    ws["F2"] = 0.2
    ws["F2"].number_format = "0%"
    doc = read_document("资金.xlsx", _xlsx(wb))
    assert doc.status == "ok" and doc.issues == []
    rows = doc.tables[0].text_rows()
    assert [r[2] for r in rows] == ["占比", "65%", "35%", "100%", "29%"]
    assert [r[3] for r in rows] == ["说明", "0.65", "35%", "", "12.34%"]
    assert rows[4][1] == "12.5"
    assert (rows[1][4], rows[2][4]) == ("0.5", "5.0%")
    assert (rows[1][5], rows[2][5]) == ("20%", "20%")  # a merged percentage is copied as shown
    assert ("cell", "资金", "C3", "35%") in [(b.kind, b.loc.sheet, b.loc.cell, b.text) for b in doc.blocks]


def test_percent_format_codes() -> None:
    from dossier_lint.readers.xlsx import percent_decimals, show_percent

    assert [percent_decimals(c) for c in ("0%", "0.00%", "#,##0.0%", "[Blue]0.000_)%", "0.0%;-0.0%")] == [0, 2, 1, 3, 1]
    assert [percent_decimals(c) for c in ("General", "0.00", '0.0"%"', "0\\%", '"%"0', "0;0%")] == [None] * 6
    assert [show_percent(v, d) for v, d in ((0.125, 0), (0.285, 0), (-0.5, 1), (1.0, 0), (0.0, 2))] == [
        "13%", "29%", "-50.0%", "100%", "0.00%"]


def test_cell_cap_gives_partial() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in range(100):
        ws.append([f"r{r}c{c}" for c in range(10)])
    doc = read_document("big.xlsx", _xlsx(wb), Limits(max_cells=250))
    assert doc.status == "partial"
    assert [i.args for i in doc.issues if i.code == "limit-hit"] == [{"limit": "max_cells", "value": 250}]
    assert len(doc.tables[0].rows) == 25


def test_absurd_used_range_is_not_allocated() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "左上"
    ws["B2"] = "占位"
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    data = _xlsx(wb, {"xl/worksheets/sheet1.xml": [(b"</sheetData>", far + b"</sheetData>")]})
    doc = read_document("远.xlsx", data)
    assert [i.args["limit"] for i in doc.issues if i.code == "limit-hit"] == ["max_cells"]
    assert "过大" in doc.reason


def test_corrupt_xlsx() -> None:
    data = _xlsx(budget_workbook())
    doc = read_document("坏.xlsx", data[: len(data) // 2])
    assert doc.status == "unreadable" and [i.code for i in doc.issues] == ["unreadable"]


def test_csv_gbk_as_one_sheet() -> None:
    data = "序号,系统名称,金额\n1,共享平台,300\n2,认证系统,120.50\n".encode("gbk")
    doc = read_document("清单.csv", data)
    assert doc.format == "csv" and doc.status == "ok" and doc.meta["encoding"] == "gb18030"
    (t,) = doc.tables
    assert t.title == "清单" and t.text_rows()[2] == ["2", "认证系统", "120.50"]
    assert t.rows[2][2].loc == Location(sheet="清单", cell="C3")
    assert doc.blocks[4].text == "共享平台" and doc.blocks[4].loc.cell == "B2"
