"""One package, four profiles: the differences the three cities' regulations imply.

corpus/cases/structure/profile-probe is a 新建 project of 120万元 with a 申报表 (泰兴 layout), a 可研 without
the 专篇 and no 初设, a budget sheet and a resource catalog, but no crypto, cloud, protection or
network-security plan and no 统一认证/资源需求 documents."""

from __future__ import annotations

import json
from functools import cache

import pytest

from helpers import CORPUS, run_cli

PROBE = CORPUS / "cases" / "structure" / "profile-probe"
CITY_SOURCES = {
    "base": {"国办发〔2019〕57号", "南府办发〔2023〕14号", "南信办〔2023〕1号", "南信办〔2023〕2号",
             "泰兴市市级政务信息化项目建设管理制度", "郴政办发〔2022〕31号"},
    "nanchong": {"南府办发〔2023〕14号", "南信办〔2023〕1号", "南信办〔2023〕2号", "国办发〔2019〕57号"},
    "taixing": {"泰兴市市级政务信息化项目建设管理制度", "国办发〔2019〕57号"},
    "chenzhou": {"郴政办发〔2022〕31号", "国办发〔2019〕57号"},
}


@cache
def findings(profile: str) -> dict[str, list[dict]]:
    code, out, err = run_cli("check", PROBE, "--format", "json", "--no-cache", "--profile", profile,
                             "--select", "DL1,DL2")
    # base finds only warnings here (the national layer is partly verified): exit 0
    assert code == (0 if profile == "base" else 1), err
    by: dict[str, list[dict]] = {}
    for d in json.loads(out)["packages"][0]["diagnostics"]:
        by.setdefault(d["rule"], []).append(d)
    return by


def basis(d: dict) -> list[str]:
    return [f"{b['source']} {b['article']}" for b in d["basis"]]


def test_rules_fired_per_profile() -> None:
    assert set(findings("base")) == {"DL105", "DL109"}
    assert set(findings("nanchong")) == {"DL105", "DL106", "DL107", "DL108", "DL112", "DL203", "DL204", "DL205"}
    assert set(findings("taixing")) == {"DL105", "DL109", "DL110", "DL111", "DL119", "DL120"}
    assert set(findings("chenzhou")) == {"DL211", "DL213", "DL214"}


def test_crypto_requirement_differs_by_city() -> None:
    (b,), (nc,), (tx,) = findings("base")["DL105"], findings("nanchong")["DL105"], findings("taixing")["DL105"]
    assert (b["severity"], basis(b)) == ("warning", ["国办发〔2019〕57号 密码保障系统同步规划、同步建设、同步运行"])
    assert nc["severity"] == "error"
    assert basis(nc) == ["南府办发〔2023〕14号 第十四条（二）、第四十七条", "南信办〔2023〕2号 第六条（三）"]
    assert (tx["severity"], basis(tx)) == ("warning", ["泰兴市市级政务信息化项目建设管理制度 第七条"])
    # 郴州 accepts a 密码应用 chapter or a separate plan: a different rule, on the 可研
    (cz,) = findings("chenzhou")["DL211"]
    assert (cz["severity"], cz["file"]) == ("error", "可行性研究报告.md")
    assert basis(cz) == ["郴政办发〔2022〕31号 第九条、第十四条"]
    assert "DL105" not in findings("chenzhou")


def test_nanchong_only_requirements() -> None:
    nc = findings("nanchong")
    (d203,) = nc["DL203"]
    assert d203["message"] == "缺少“系统集成、集约化建设和信息资源共享分析”专篇"
    assert basis(d203) == ["南府办发〔2023〕14号 第十六条"]
    assert basis(nc["DL112"][0]) == ["南府办发〔2023〕14号 第十六条"]
    assert nc["DL107"][0]["message"] == "缺少政务云需求方案"
    # the 泰兴-style form lacks the 备案审查表's 基本情况 and 资金来源 rows
    assert sorted(d["message"] for d in nc["DL205"]) == [
        "备案审查表“投资额度”缺少该栏目", "备案审查表“经费渠道”缺少该栏目", "备案审查表“运维经费”缺少该栏目"]
    for other in ("base", "taixing", "chenzhou"):
        assert not {"DL203", "DL106", "DL107", "DL112", "DL204", "DL205"} & set(findings(other))


def test_taixing_only_requirements() -> None:
    tx = findings("taixing")
    assert [d["message"] for d in tx["DL110"]] == ["新建、续建、改建类项目缺少统一用户认证体系接入方案"]
    assert [d["message"] for d in tx["DL111"]] == ["新建、续建、改建类项目缺少政务信息资源需求"]
    assert [d["severity"] for d in tx["DL109"]] == ["error"]
    assert [d["severity"] for d in findings("base")["DL109"]] == ["warning"]
    assert [d["severity"] for d in tx["DL119"]] == ["info"]  # ≥50万元: 立项 later, a reminder
    for other in ("base", "nanchong", "chenzhou"):
        assert not {"DL110", "DL111", "DL119", "DL120"} & set(findings(other))


def test_chenzhou_front_reviews() -> None:
    cz = findings("chenzhou")
    assert [d["severity"] for d in cz["DL213"]] == ["warning"]
    assert [d["severity"] for d in cz["DL214"]] == ["error"]
    # the 可研 states 安全可靠: no DL212 anywhere; nanchong would make it an error
    assert all("DL212" not in findings(p) for p in ("base", "nanchong", "taixing", "chenzhou"))


@pytest.mark.parametrize("profile", ["base", "nanchong", "taixing", "chenzhou"])
def test_each_profile_cites_its_own_regulations(profile: str) -> None:
    for diags in findings(profile).values():
        for d in diags:
            assert d["basis"], d["rule"]
            assert {b["source"] for b in d["basis"]} <= CITY_SOURCES[profile], (profile, d["rule"], d["basis"])


def test_explain_shows_the_rule_per_profile() -> None:
    code, out, err = run_cli("explain", "DL105")
    assert code == 0, err
    assert "DL105 missing-crypto-plan：缺少密码应用方案" in out
    assert "国办发〔2019〕57号（国务院办公厅关于印发国家政务信息化项目建设管理办法的通知）" in out
    assert "nanchong：error（南府办发〔2023〕14号 第十四条（二）、第四十七条；南信办〔2023〕2号 第六条（三））" in out
    assert "taixing：warning（泰兴市市级政务信息化项目建设管理制度 第七条）" in out
    assert "chenzhou：不适用" in out
    code, out, _ = run_cli("explain", "DL105", "--profile", "nanchong")
    assert "默认级别：error" in out and "南府办发〔2023〕14号（南充市市级政务信息化项目管理办法（试行）） 第十四条（二）、第四十七条" in out


def test_explain_by_slug_and_unknown_rule() -> None:
    code, out, _ = run_cli("explain", "missing-integration-chapter")
    assert code == 0 and out.startswith("DL203 missing-integration-chapter：")
    for part in ("作用", "为什么", "依据", "如何修改", "示例", "各规则包"):
        assert f"\n{part}\n" in out
    code, out, err = run_cli("explain", "DL999")
    assert code == 2 and "没有规则“DL999”" in err


def test_rules_command_lists_a_profile() -> None:
    code, out, _ = run_cli("rules", "--profile", "taixing")
    assert code == 0
    assert out.startswith("规则包 taixing（泰兴市市级政务信息化项目）")
    assert "  DL110  error    missing-uua-plan" in out and "DL203" not in out
    code, out, _ = run_cli("rules", "--profile", "chenzhou", "--format", "json")
    data = json.loads(out)
    assert data["chain"] == ["base", "chenzhou"]
    by = {r["id"]: r for r in data["rules"]}
    assert "DL105" not in by and by["DL211"]["basis"] == [{"source": "郴政办发〔2022〕31号", "article": "第九条、第十四条"}]
    assert by["DL211"]["source"].endswith("chenzhou.toml:" + by["DL211"]["source"].rsplit(":", 1)[1])
