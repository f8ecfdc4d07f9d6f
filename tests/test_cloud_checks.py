"""政务云需求方案 checks (DL440–DL445): resource fields, zones, sizing basis, internet-facing parts,
agreement with the budget sheet, 自建机房/私有云 — unit level, then end to end."""

from __future__ import annotations

import sys
from decimal import Decimal

import pytest

from dossier_lint.kinds.cloud import DEFAULT_ZONES, _spec_values, read_plan, zone_matches
from dossier_lint.model import Cell, Document, Location, Table
from helpers import CORPUS, PACKAGES, lint_json

sys.path.insert(0, str(CORPUS / "cases"))
import make_content_a as ca  # noqa: E402

CASES = CORPUS / "cases" / "content-a"
CLOUD_RULES = {f"DL4{n}" for n in range(40, 60)}


def table(rows: list[list[str]], heading: tuple[str, ...] = ()) -> Table:
    out = []
    for r, row in enumerate(rows):
        out.append([Cell(t, Location(paragraph=3, table=1, row=r + 1, col=c + 1, heading=heading), r, c)
                    for c, t in enumerate(row)])
    return Table(out, Location(paragraph=3, heading=heading), "")


@pytest.mark.parametrize(
    "value, zones",
    [("电子政务外网区", ["电子政务外网区"]), ("政务外网区", ["电子政务外网区"]), ("政务外网", ["电子政务外网区"]),
     ("互联网区", ["互联网区"]), ("电子政务外网区/互联网区", ["电子政务外网区", "互联网区"]), ("DMZ区", []),
     ("专有云区", []), ("", [])],
)
def test_zone_matches(value: str, zones: list[str]) -> None:
    assert zone_matches(value, DEFAULT_ZONES) == zones


@pytest.mark.parametrize(
    "spec, cpu, mem, disk",
    [("8核16G，系统盘100G，数据盘500G", 8, 16, 100), ("4C8G 存储200G", 4, 8, 200), ("vCPU 16核 / 内存64GB", 16, 64, None),
     ("云防火墙 按实例", None, None, None)],
)
def test_spec_values(spec: str, cpu, mem, disk) -> None:
    got = _spec_values(spec)
    assert got == tuple(None if v is None else Decimal(v) for v in (cpu, mem, disk))


def test_read_plan_spec_column_group_zone_and_total_row() -> None:
    rows = [["序号", "资源名称", "配置", "数量"],
            ["电子政务外网区"] * 4,
            ["1", "应用服务器", "8核16G，数据盘200G", "2"],
            ["2", "数据库服务器", "16核64G，数据盘1000G", "2"],
            ["合计", "合计", "", "4"]]
    doc = Document(path="云.docx", format="docx", tables=[table(rows)], kind="cloud_plan")
    plan = read_plan(doc)
    assert [(r.name, r.zone, r.vcpu, r.mem, r.storage, r.qty) for r in plan.resources] == [
        ("应用服务器", "电子政务外网区", 8, 16, 200, 2), ("数据库服务器", "电子政务外网区", 16, 64, 1000, 2)]


def test_zone_from_the_heading_of_the_table() -> None:
    rows = [["序号", "服务器用途", "vCPU", "内存（GB）", "存储（GB）", "数量"], ["1", "前置服务器", "4", "8", "100", "1"]]
    doc = Document(path="云.docx", format="docx", tables=[table(rows, ("三、互联网区资源需求",))], kind="cloud_plan")
    (r,) = read_plan(doc).resources
    assert r.zone == "互联网区" and r.zone_cell is None


def _mine(report: dict) -> list[tuple[str, str, dict, str]]:
    return [(d["rule"], d["file"], {k: v for k, v in d["location"].items() if k != "heading"}, d["message"])
            for d in report["packages"][0]["diagnostics"] if d["rule"] in CLOUD_RULES]


def test_cloud_case() -> None:
    got = _mine(lint_json(CASES / "ca-cloud", "--profile", "nanchong"))
    f = "03_政务云需求方案.docx"

    def at(vm: str, col: int) -> dict:
        row = next(i for i, r in enumerate(ca.CLOUD_VMS) if r[1] == vm) + 2  # 1-based, after the header
        return {"paragraph": 4, "table": 1, "row": row, "col": col}

    header = {"paragraph": 4, "table": 1, "row": 1, "col": 1}
    assert sorted(got, key=str) == sorted([
        ("DL440", f, at("数据库服务器", 2), "政务云资源“数据库服务器”未写明存储"),
        ("DL440", f, at("缓存服务器", 2), "政务云资源“缓存服务器”未写明部署区域"),
        ("DL441", f, at("消息队列服务器", 3),
         "政务云资源“消息队列服务器”的部署区域“DMZ区”不是本地政务云的区域（电子政务外网区、互联网区）"),
        ("DL442", f, header, "政务云需求方案未给出资源测算依据（用户数、并发量、数据量等）"),
        ("DL443", f, at("公众档案查询门户服务器", 3),
         "政务云资源“公众档案查询门户服务器”面向公众（“公众”），却部署在“电子政务外网区”，应部署在互联网区"),
        ("DL444", f, header,
         f"政务云需求方案中云主机数量为{ca.CLOUD_VM_COUNT}台，与04_项目概算表.xlsx（政务云资源租用费）中的10台不一致"),
        ("DL445", f, at("私有云平台扩容", 2), "政务云资源清单中列有“私有云平台扩容”（私有云），非涉密项目应部署在政务云上"),
    ], key=str)
    # near misses: 政务外网区 is the 电子政务外网区; the 互联网前置服务器 sits in the 互联网区; bandwidth is in the
    # network table; 对象存储 and the security services are no servers; 全部区域; 私有云 line is not a server


def test_cloud_zones_are_pack_data(tmp_path) -> None:
    pack = tmp_path / "city.toml"
    pack.write_text(
        '[pack]\nname = "city"\ntitle = "某市"\nextends = "nanchong"\n'
        '[settings]\ncloud-zones = ["电子政务外网区", "互联网区", "DMZ区"]\n', encoding="utf-8")
    rules = {r for r, *_ in _mine(lint_json(CASES / "ca-cloud", "--profile", str(pack)))}
    assert "DL441" not in rules and "DL440" in rules


@pytest.mark.parametrize(
    "package, profile",
    [("nanchong-zhcg-complete", "nanchong"), ("nanchong-money-mismatch", "nanchong"),
     ("nanchong-forbidden", "nanchong"), ("chenzhou-new-build.zip", "chenzhou")],
)
def test_corpus_cloud_plans_are_clean(package: str, profile: str) -> None:
    # the zhcg plan has a 测算依据 chapter, 12 云主机 = the budget's “12台云主机”, the 前置服务器 in the 互联网区
    assert _mine(lint_json(PACKAGES / package, "--profile", profile)) == []


def test_a_report_chapter_only_reads_tables_under_cloud_headings() -> None:
    rows = [["序号", "资源名称", "配置", "数量"], ["1", "应用服务器", "8核16G，数据盘200G", "2"]]
    inside = table(rows, ("第五章 本期项目建设方案", "5.8 政务云资源需求"))
    outside = table(rows, ("第二章 现状", "2.3 现有设备"))
    doc = Document(path="可研.docx", format="docx", tables=[outside, inside], kind="feasibility_report",
                   parts=["cloud_plan"])
    plan = read_plan(doc)
    assert [v.table for v in plan.views] == [inside]


def test_plan_without_resource_list() -> None:
    got = _mine(lint_json(CASES / "ca-cloud-prose", "--profile", "nanchong"))
    # the bare plan lists nothing it could size; the other gives 8核16G-style specifications in prose
    assert got == [("DL446", "政务云需求方案.md", {},
                    "政务云需求方案未列出所需资源及其规格（部署区域、vCPU、内存、存储、带宽）")]
