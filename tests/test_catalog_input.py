"""The user's own catalog (`--catalog`) passes the guards package documents get: a zip bomb, a crafted
DTD, a used range of billions of cells, a damaged, encrypted or legacy workbook, a text file in an
encoding we cannot read, all end in a Chinese "配置错误" naming the file and exit 2 (README: usage or
configuration error, bad catalog) — never a traceback, a hang or an aborted process. The near misses:
every encoding we do read, and a workbook whose table starts below and right of A1."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import CORPUS, run_cli, run_isolated, write_duplicating_report
from hostile import make_hostile as mh

sys.path.insert(0, str(CORPUS))
import build  # noqa: E402

HEADER = ["系统名称", "所属部门", "主要功能"]
TARGET = ["南充市河长制管理信息系统", "南充市水务局", "河湖名录管理、巡河管理、事件处置、考核评价"]
OTHER = ["南充市公交一卡通系统", "南充市交通运输局", "公交刷卡、线路查询"]
ROWS = [HEADER, TARGET, OTHER]
MB = 1024 * 1024


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-report package that duplicates TARGET: a usable catalog gives exactly one DL701."""
    return write_duplicating_report(tmp_path_factory.mktemp("catalog-input") / "pkg")


def _check(pkg: Path, catalog: Path) -> tuple[int, str, str]:
    return run_cli("check", pkg, "--catalog", catalog, "--no-cache", "--profile", "nanchong", "--format", "json")


def _refused(pkg: Path, catalog: Path) -> str:
    code, out, err = _check(pkg, catalog)
    assert code == 2, (code, err)
    assert out == ""  # no report from a run that could not start
    assert err.startswith("dossier-lint: 配置错误："), err
    assert "Traceback" not in err and catalog.name in err
    return err


def _dl701(pkg: Path, catalog: Path) -> dict:
    code, out, err = _check(pkg, catalog)
    assert code in (0, 1), err
    found = [d for d in json.loads(out)["packages"][0]["diagnostics"] if d["rule"] == "DL701"]
    assert len(found) == 1
    return found[0]["data"]["matches"][0]


def _xlsx(rows: list[list[str]] = ROWS, **kw) -> dict[str, str]:  # noqa: ANN003
    return mh.xlsx_parts(rows, **kw)


def _raw(parts: dict[str, str], **overrides) -> bytes:  # noqa: ANN003
    """The parts as a zip written byte by byte; `overrides` maps a part to member() keyword arguments."""
    return mh.raw_zip([mh.member(name, body.encode(), **overrides.get(name, {})) for name, body in parts.items()])


def _padded_sheet() -> dict[str, str]:
    parts = _xlsx()
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = parts[sheet].replace("</sheetData>", "</sheetData>" + " " * (4 * MB))
    return parts


SHEET = "xl/worksheets/sheet1.xml"

REFUSED: dict[str, tuple[str, Callable[[Path], bytes], list[str]]] = {
    # zip bombs, caught from the central directory or while inflating
    "ratio-bomb": ("目录.xlsx", lambda d: mh.ooxml(_padded_sheet()), ["压缩炸弹", "压缩比"]),
    # a member inflating past its declared size: zipfile stops at that size and fails the CRC
    "lying-size": ("目录.xlsx", lambda d: _raw(_padded_sheet(), **{SHEET: {"declared": 2000}}),
                   ["已损坏", "Excel"]),
    "declared-total": ("目录.xlsx", lambda d: _raw(_xlsx(), **{SHEET: {"declared": 600 * MB}}),
                       ["压缩炸弹", "超过上限"]),
    "bzip2-member": ("目录.xlsx", lambda d: _raw(_xlsx(), **{SHEET: {"method": 12}}), ["压缩方式不受支持"]),
    # XML attacks: refused, the secret never read
    "billion-laughs": ("目录.xlsx", lambda d: mh.ooxml(_xlsx(dtd={"xl/sharedStrings.xml": mh.LAUGHS}, ref="&lol9;")),
                       ["DTD"]),
    "xxe": ("目录.xlsx", lambda d: mh.ooxml(_xlsx(dtd={SHEET: mh.xxe((d / "secret.txt").as_uri())}, ref="&xxe;")),
            ["DTD"]),
    # damaged, encrypted, legacy, not a workbook at all
    "truncated": ("目录.xlsx", lambda d: build.truncated(mh.ooxml(_xlsx()), 0.5), ["已损坏", "Excel"]),
    "not-a-zip": ("目录.xlsx", lambda d: "系统名称\n河长制".encode(), ["已损坏", "Excel"]),
    "encrypted-ooxml": ("目录.xlsx", lambda d: build.ole2_bytes("EncryptedPackage"), ["加密", "取消密码"]),
    "encrypted-member": ("目录.xlsx", lambda d: _raw(_xlsx(), **{SHEET: {"flags": 0x1, "method": 0}}), ["加密"]),
    "legacy-xls": ("目录.xls", lambda d: build.ole2_bytes("Workbook"), ["Excel 97-2003", "旧格式", "另存为 .xlsx"]),
    "legacy-et": ("目录.et", lambda d: build.ole2_bytes("Workbook"), ["WPS 表格", "旧格式", "另存为 .xlsx"]),
    "docx": ("目录.xlsx", lambda d: mh.ooxml(mh.docx_parts(["系统名称"])), ["Word 文档"]),
    # text we cannot decode, or that would not fit in memory
    "undecodable": ("目录.csv", lambda d: "系统名称\n".encode() + b"\x81\xff\xfe\x80" * 4, ["编码", "UTF-8", "GBK"]),
    "utf16-no-bom": ("目录.csv", lambda d: "系统名称,所属部门\n河长制,水务局\n".encode("utf-16-le"), ["编码", "UTF-16"]),
    "comma-row": ("目录.csv", lambda d: ("系统名称" + "," * (2_000_001)).encode(), ["单元格过多"]),
    "blank-lines": ("目录.csv", lambda d: ("系统名称,所属部门\n" + "\n" * 2_000_001).encode(), ["单元格过多"]),
    "deep-json": ("目录.json", lambda d: b"[" * 200_000, ["JSON", "嵌套"]),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_hostile_catalog_is_a_chinese_config_error(pkg: Path, tmp_path: Path, case: str) -> None:
    name, make, wanted = REFUSED[case]
    (tmp_path / "secret.txt").write_text(mh.SECRET, encoding="utf-8")
    catalog = tmp_path / name
    catalog.write_bytes(make(tmp_path))
    before = catalog.read_bytes()
    err = _refused(pkg, catalog)
    for w in wanted:
        assert w in err, (w, err)
    assert mh.SECRET not in err
    assert catalog.read_bytes() == before  # never written to


def _sparse_sheet(row_numbers: bool) -> str:
    """A1 and XFD1048576: calamine would allocate 17 billion cells (and abort the process)."""
    r1, r2 = (' r="1"', ' r="1048576"') if row_numbers else ("", "")
    return (f'<worksheet xmlns="{mh.S_NS}"><sheetData><row{r1}><c r="A1" t="s"><v>0</v></c><c r="B1" t="s">'
            f'<v>1</v></c></row><row{r2}><c r="XFD1048576" t="s"><v>3</v></c></row></sheetData></worksheet>')


@pytest.mark.parametrize("row_numbers", [True, False], ids=["rows-numbered", "rows-without-r"])
def test_sparse_used_range_is_refused_before_it_is_allocated(pkg: Path, tmp_path: Path, row_numbers: bool) -> None:
    # in a child process with an address-space cap: a failed guard aborts that process, not the test run
    catalog = tmp_path / "目录.xlsx"
    catalog.write_bytes(mh.ooxml(_xlsx(sheet_xml=_sparse_sheet(row_numbers))))
    res = run_isolated("check", pkg, "--catalog", catalog, "--no-cache", "--profile", "nanchong",
                       timeout=120, mem_limit_gb=3)
    assert not res.timed_out
    assert res.code == 2, res.stderr[-2000:]
    assert res.stderr.startswith("dossier-lint: 配置错误：") and "Traceback" not in res.stderr
    assert "数据区域过大" in res.stderr and "目录.xlsx" in res.stderr


def test_sparse_sheet_without_row_numbers_in_a_package_is_skipped_not_fatal(tmp_path: Path) -> None:
    # the same guard (readers/xlsx) protects package documents: the sheet is not read, the run goes on
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "项目概算表.xlsx").write_bytes(mh.ooxml(_xlsx(sheet_xml=_sparse_sheet(False))))
    res = run_isolated("check", pkg, "--no-cache", "--profile", "nanchong", "--format", "json",
                       timeout=120, mem_limit_gb=3)
    assert not res.timed_out and res.code in (0, 1), res.stderr[-2000:]
    (doc,) = res.json()["packages"][0]["documents"]
    assert doc["status"] == "unreadable" and "数据区域过大" in doc["reason"]


# ---------------------------------------------------------------- near misses: read, and used


def _csv(rows: list[list[str]]) -> str:
    return "".join(",".join(r) + "\r\n" for r in rows)


ROWS_18030 = [*ROWS, ["南充市𠮷祥社区服务系统", "南充市民政局", "社区服务"]]  # 𠮷 is not in GBK


@pytest.mark.parametrize(
    ("encoding", "rows"),
    [("utf-8", ROWS), ("utf-8-sig", ROWS), ("gbk", ROWS), ("gb18030", ROWS_18030), ("utf-16", ROWS),
     ("utf-16-be-bom", ROWS)],
)
def test_csv_in_every_encoding_we_read(pkg: Path, tmp_path: Path, encoding: str, rows: list[list[str]]) -> None:
    text = _csv(rows)
    data = b"\xfe\xff" + text.encode("utf-16-be") if encoding == "utf-16-be-bom" else text.encode(encoding)
    catalog = tmp_path / "目录.csv"
    catalog.write_bytes(data)
    top = _dl701(pkg, catalog)
    assert (top["system"]["name"], top["system"]["department"], top["catalog_row"]) == (
        TARGET[0], TARGET[1], "第 2 行")


def test_workbook_is_read_where_its_table_starts(pkg: Path, tmp_path: Path) -> None:
    # the header at C5: rows are numbered as in Excel, not from the first filled row
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "已建系统"
    for i, row in enumerate(ROWS):
        for j, v in enumerate(row):
            ws.cell(row=5 + i, column=3 + j, value=v)
    catalog = tmp_path / "目录.xlsx"
    wb.save(catalog)
    top = _dl701(pkg, catalog)
    assert (top["system"]["name"], top["catalog_row"]) == (TARGET[0], "“已建系统”第 6 行")


def test_workbook_saved_as_xls_is_read_by_its_content(pkg: Path, tmp_path: Path) -> None:
    catalog = tmp_path / "目录.xls"  # really .xlsx: the bytes decide, not the extension
    catalog.write_bytes(mh.ooxml(_xlsx()))
    assert _dl701(pkg, catalog)["system"]["name"] == TARGET[0]


def test_catalog_guards_follow_limits() -> None:
    # parse_catalog takes the run's limits (the default Limits() when none are given)
    from dossier_lint.duplicates.catalog import CatalogError, parse_catalog
    from dossier_lint.limits import Limits

    data = mh.ooxml(_xlsx())
    assert [s.name for s in parse_catalog(data, "c.xlsx").systems] == [TARGET[0], OTHER[0]]
    with pytest.raises(CatalogError, match="数据区域过大|单元格"):
        parse_catalog(data, "c.xlsx", Limits(max_cells=5))
    with pytest.raises(CatalogError, match="过大"):
        parse_catalog(data, "c.xlsx", Limits(max_file_bytes=100))
    buf = io.StringIO()
    buf.write(_csv(ROWS))
    with pytest.raises(CatalogError, match="单元格过多"):
        parse_catalog(buf.getvalue().encode(), "c.csv", Limits(max_cells=5))
