"""Forbidden and required construction (DL501–DL531), end to end through the CLI.

Fixtures: corpus/cases/content-b/ (python corpus/cases/make_content_b.py) and the sample corpus
(corpus/packages). Near misses — negated, past, background, cited, quoted, hypothetical, 涉密 — are
asserted absent by their sentences.
"""

from __future__ import annotations

import functools
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import CONTENT_B_CASES, CORPUS, PACKAGES, ROOT, findings_of, lint_json

sys.path.insert(0, str(CORPUS))
sys.path.insert(0, str(CORPUS / "cases"))

import build  # noqa: E402
import make_content_b as mk  # noqa: E402

POLICY = {f"DL5{n:02d}" for n in range(1, 60)}
CONTENT_B = POLICY | {f"DL5{n}" for n in range(60, 80)} | {f"DL6{n:02d}" for n in range(1, 50)} | {
    f"DL8{n:02d}" for n in range(1, 30)
}


def _evidence(report: dict, rules: set[str]) -> list[tuple[str, str]]:
    return [(d["rule"], d["evidence"]) for d in report["packages"][0]["diagnostics"] if d["rule"] in rules]


def test_nc_policy_fires_on_plans_only() -> None:
    report = lint_json(CONTENT_B_CASES / "nc-policy", "--profile", "nanchong")
    feas = f"{mk.NC_NAME}可行性研究报告.docx"
    h = "第三章 本期建设内容"
    assert findings_of(report, POLICY) == [
        ("DL509", feas, {"paragraph": 14, "heading": f"{h} > 3.1 部署方式"}),
        ("DL503", feas, {"paragraph": 17, "heading": f"{h} > 3.2 网络"}),
        ("DL506", feas, {"paragraph": 20, "heading": f"{h} > 3.3 应用系统"}),
        ("DL504", feas, {"paragraph": 22, "heading": f"{h} > 3.3 应用系统"}),
        ("DL505", feas, {"paragraph": 23, "heading": f"{h} > 3.3 应用系统"}),
        ("DL507", feas, {"paragraph": 24, "heading": f"{h} > 3.3 应用系统"}),
        ("DL508", feas, {"paragraph": 26, "heading": f"{h} > 3.3 应用系统"}),
        ("DL502", feas, {"paragraph": 32, "heading": "第四章 投资估算", "table": 1, "row": 4, "col": 2}),
    ]
    ev = dict(_evidence(report, POLICY))
    assert ev["DL509"] == mk.FIRE_DEPLOY
    assert ev["DL503"] == mk.FIRE_LINE
    assert ev["DL506"] == mk.FIRE_MINIPROG
    assert ev["DL504"] == mk.FIRE_CERT
    assert ev["DL505"] == mk.FIRE_SITE
    assert ev["DL507"] == mk.FIRE_BIGDATA
    assert ev["DL508"] == mk.FIRE_ENFORCE
    # the budget row: disk array fires; cloud rental, middleware licence and reused servers do not
    assert ev["DL502"] == "3 | 磁盘阵列 | 套 | 1 | 18.00 | 18.00"
    by_rule = {d["rule"]: d for d in report["packages"][0]["diagnostics"]}
    assert by_rule["DL504"]["message"].startswith("方案拟建设电子签章系统：")
    assert by_rule["DL504"]["basis"] == [{"source": "南府办发〔2023〕14号", "article": "第八条（四）"}]
    assert by_rule["DL504"]["severity"] == "error" and by_rule["DL507"]["severity"] == "warning"


def test_nc_policy_near_misses_absent() -> None:
    report = lint_json(CONTENT_B_CASES / "nc-policy", "--profile", "nanchong")
    evidence = " ".join(e or "" for _, e in _evidence(report, CONTENT_B))
    for near in (mk.CITE, mk.BG_ROOM, mk.BG_SERVERS, mk.BG_DEPLOY, mk.NEAR_ROOM, mk.NEAR_SERVERS, mk.NEAR_LINE,
                 mk.NEAR_APP, mk.NEAR_SECRET, mk.NEAR_HYPO, mk.NEAR_CERT, mk.NEAR_SHARE, mk.NEAR_BIGDATA):
        assert near not in evidence, near
    # deployment on the cloud and data sharing are affirmed: no required-construction finding
    fired = {r for r, _ in _evidence(report, CONTENT_B)}
    assert not fired & {"DL510", "DL511", "DL501"}


def test_sample_corpus_forbidden_package() -> None:
    """corpus/packages/nanchong-forbidden: the planted sentences fire, its near misses do not."""
    import corpus_text.nanchong_forbidden as nf

    report = lint_json(PACKAGES / "nanchong-forbidden", "--profile", "nanchong")
    plan = "南充市公交智能调度与出行服务系统项目实施方案.docx"
    got = _evidence(report, CONTENT_B)
    assert ("DL501", nf.FIRE_ROOM) in got
    assert ("DL502", nf.FIRE_SERVERS) in got
    assert ("DL506", nf.FIRE_APP) in got
    assert ("DL503", nf.FIRE_LINE) in got
    assert ("DL509", nf.FIRE_NOCLOUD) in got
    # the same refusal is not reported twice (DL510 defers to DL509)
    assert [r for r, e in got if e == nf.FIRE_NOCLOUD] == ["DL509"]
    for near in (nf.NEAR_ROOM, nf.NEAR_SERVERS, nf.NEAR_APP, nf.NEAR_LINE):
        assert all(e != near for _, e in got), near
    plan_rules = [(r, f) for r, f, _ in findings_of(report, POLICY) if f == plan]
    assert sorted(plan_rules) == sorted([("DL509", plan), ("DL506", plan), ("DL501", plan), ("DL502", plan),
                                         ("DL503", plan)])
    # the 概算表 rows buy the same hardware and rent the line
    sheet = [(r, loc.get("cell")) for r, f, loc in findings_of(report, POLICY) if f == "项目概算表.xlsx"]
    assert {r for r, _ in sheet} == {"DL501", "DL502", "DL503"}


def test_sample_corpus_clean_package_has_no_content_finding() -> None:
    report = lint_json(PACKAGES / "nanchong-zhcg-complete", "--profile", "nanchong")
    assert findings_of(report, CONTENT_B) == []


def _pkg(tmp: Path, plan: str, *, ptype: str = "新建", secrecy: str = "非涉密") -> Path:
    build.write_xlsx(tmp / "备案审查表.xlsx", mk.form("南充市测试平台项目", "南充市测试局", ptype, "自行建设",
                                                  goals="2024年底前上线，接入部门≥10个，满意度≥90%，效率提升30%。",
                                                  secrecy=secrecy))
    build.write_md(tmp / "南充市测试平台项目实施方案.md", plan)
    return tmp


def test_secret_project_is_not_held_to_non_secret_rules(tmp_path: Path) -> None:
    plan = "# 实施方案\n## 第三章 建设内容\n本项目新建机房一间。\n采购服务器4台。\n"
    fired = {r for r, _, _ in findings_of(lint_json(_pkg(tmp_path / "a", plan), "--profile", "nanchong"), POLICY)}
    assert {"DL501", "DL502"} <= fired
    secret = _pkg(tmp_path / "b", plan, secrecy="机密")
    assert findings_of(lint_json(secret, "--profile", "nanchong"), {"DL501", "DL502"}) == []


def test_heading_repeated_by_its_section_is_one_finding(tmp_path: Path) -> None:
    plan = ("# 实施方案\n## 第三章 建设内容\n### 3.2 新建机房\n本项目新建机房一间，面积60平方米。\n"
            "## 第八章 实施计划\n4月至6月完成机房建设。\n")
    report = lint_json(_pkg(tmp_path, plan), "--profile", "nanchong")
    got = findings_of(report, {"DL501"})
    assert got == [("DL501", "南充市测试平台项目实施方案.md",
                    {"heading": "实施方案 > 第三章 建设内容 > 3.2 新建机房", "line": 4})]
    [d] = [d for d in report["packages"][0]["diagnostics"] if d["rule"] == "DL501"]
    assert d["data"]["also"] == [{"heading": "实施方案 > 第八章 实施计划", "line": 6}]


@pytest.mark.parametrize(
    ("ptype", "expected"),
    [("新建", {"DL510", "DL511"}), ("运维", set()), (None, set())],
)
def test_silence_is_a_finding_only_for_known_build_types(tmp_path: Path, ptype: str | None, expected: set) -> None:
    plan = "# 实施方案\n## 第三章 建设内容\n建设内涝监测预警应用，提供监测和预警功能。\n"
    pkg = _pkg(tmp_path, plan, ptype=ptype or "")
    report = lint_json(pkg, "--profile", "nanchong")
    got = findings_of(report, {"DL510", "DL511"})
    assert {r for r, _, _ in got} == expected
    assert all(f is None for _, f, _ in got)  # package-level: nothing to point at


def test_refusal_is_reported_whatever_the_type(tmp_path: Path) -> None:
    plan = "# 实施方案\n## 第三章 建设内容\n本系统暂不部署到市级政务云。\n本系统数据暂不接入数据共享交换平台。\n"
    report = lint_json(_pkg(tmp_path, plan, ptype="运维"), "--profile", "nanchong")
    assert findings_of(report, {"DL510", "DL511"}) == [
        ("DL510", "南充市测试平台项目实施方案.md", {"heading": "实施方案 > 第三章 建设内容", "line": 3}),
        ("DL511", "南充市测试平台项目实施方案.md", {"heading": "实施方案 > 第三章 建设内容", "line": 4}),
    ]


def test_taixing_rules() -> None:
    report = lint_json(CONTENT_B_CASES / "tx-video", "--profile", "taixing")
    feas = f"{mk.TX_NAME}可行性研究报告.md"
    h = f"{mk.TX_NAME}可行性研究报告 > 第三章 建设内容"
    assert findings_of(report, POLICY) == [
        ("DL523", None, {}),  # a video system with no word of 视联网
        ("DL520", feas, {"heading": h, "line": 4}),
        ("DL521", feas, {"heading": h, "line": 6}),
        ("DL511", feas, {"heading": h, "line": 8}),
    ]
    ev = dict(_evidence(report, POLICY))
    assert ev["DL520"] == mk.TX_APP and ev["DL521"] == mk.TX_AUTH and ev["DL511"] == mk.TX_BIGDATA
    d511 = next(d for d in report["packages"][0]["diagnostics"] if d["rule"] == "DL511")
    assert d511["basis"] == [{"source": "泰兴市市级政务信息化项目建设管理制度", "article": "第十八条"}]
    assert "市大数据平台" in d511["message"]
    # the Nanchong-only 第八条 rules are not in the Taixing pack
    assert not {r for r, _, _ in findings_of(report, POLICY)} & {"DL503", "DL504", "DL506"}


def test_chenzhou_rules_fire_on_silence_and_not_when_stated() -> None:
    report = lint_json(CONTENT_B_CASES / "cz-network", "--profile", "chenzhou")
    assert findings_of(report, POLICY) == [("DL530", None, {}), ("DL531", None, {})]
    d = report["packages"][0]["diagnostics"]
    assert next(x for x in d if x["rule"] == "DL530")["basis"] == [
        {"source": "郴政办发〔2022〕31号", "article": "第四条（三）"}]
    ok = lint_json(CONTENT_B_CASES / "cz-network-ok", "--profile", "chenzhou")
    assert findings_of(ok, CONTENT_B) == []


def test_labelled_sentences_are_all_judged_right() -> None:
    """scripts/eval_content_b.py over corpus/labelled/content_b.jsonl: no miss, no false alarm."""
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "eval_content_b.py")], capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    last = out.stdout.strip().splitlines()[-1].split()
    assert last[0] == "all" and last[2] == "0" and last[3] == "0"  # fp, fn


def test_fixtures_are_up_to_date(tmp_path: Path) -> None:
    """The committed fixture packages are what make_content_b.py writes (same files, same text)."""
    mk.generate(tmp_path / "content-b")
    fresh = sorted(p.relative_to(tmp_path / "content-b") for p in (tmp_path / "content-b").rglob("*") if p.is_file())
    committed = sorted(p.relative_to(CONTENT_B_CASES) for p in CONTENT_B_CASES.rglob("*") if p.is_file())
    assert fresh == committed
    for rel in fresh:
        assert (tmp_path / "content-b" / rel).read_bytes() == (CONTENT_B_CASES / rel).read_bytes(), rel


# ---------------------------------------------------------------------------------------------
# every content-b rule: a package where it fires and one where it must not (near miss)

C, P = CONTENT_B_CASES, PACKAGES
NC, TX, CZ = "nanchong", "taixing", "chenzhou"
FIRE_NEAR: dict[str, tuple[tuple[Path, str], tuple[Path, str]]] = {
    "DL501": ((P / "nanchong-forbidden", NC), (C / "nc-policy", NC)),
    "DL502": ((C / "nc-policy", NC), (P / "nanchong-zhcg-complete", NC)),
    "DL503": ((C / "nc-policy", NC), (C / "nc-silent", NC)),
    "DL504": ((C / "nc-policy", NC), (P / "nanchong-zhcg-complete", NC)),
    "DL505": ((C / "nc-policy", NC), (P / "nanchong-zhcg-complete", NC)),
    "DL506": ((C / "nc-policy", NC), (P / "nanchong-zhcg-complete", NC)),
    "DL507": ((C / "nc-policy", NC), (P / "nanchong-zhcg-complete", NC)),
    "DL508": ((C / "nc-policy", NC), (P / "nanchong-zhcg-complete", NC)),
    "DL509": ((C / "nc-policy", NC), (C / "nc-security-clean", NC)),
    "DL510": ((C / "nc-silent", NC), (C / "nc-policy", NC)),
    "DL511": ((C / "nc-silent", NC), (C / "nc-policy", NC)),
    "DL512": ((C / "nc-office", NC), (C / "nc-office-ok", NC)),
    "DL520": ((C / "tx-video", TX), (C / "tx-video-ok", TX)),
    "DL521": ((C / "tx-video", TX), (C / "tx-video-ok", TX)),
    "DL522": ((C / "tx-uua-refused", TX), (C / "tx-video-ok", TX)),
    "DL523": ((C / "tx-video", TX), (C / "tx-video-ok", TX)),
    "DL530": ((C / "cz-network", CZ), (C / "cz-network-ok", CZ)),
    "DL531": ((C / "cz-network", CZ), (C / "cz-network-ok", CZ)),
    "DL560": ((C / "nc-goals-missing", NC), (C / "nc-goals-vague", NC)),
    "DL561": ((C / "nc-goals-vague", NC), (C / "nc-goals-rates", NC)),
    "DL562": ((C / "nc-goals-rates", NC), (C / "nc-policy", NC)),
    "DL563": ((C / "nc-goals-rates", NC), (C / "nc-policy", NC)),
    "DL564": ((C / "nc-goals-table", NC), (P / "nanchong-zhcg-complete", NC)),
    "DL570": ((C / "nc-service-missing", NC), (C / "nc-service-ok", NC)),
    "DL571": ((C / "nc-service-nofigures", NC), (C / "nc-service-ok", NC)),
    "DL572": ((C / "nc-service-dearer", NC), (C / "nc-service-ok", NC)),
    "DL601": ((C / "nc-thin-plans", NC), (C / "nc-security", NC)),
    "DL602": ((C / "nc-security", NC), (C / "nc-security-clean", NC)),
    "DL603": ((C / "nc-security", NC), (C / "nc-security-clean", NC)),
    "DL604": ((C / "nc-security", NC), (C / "nc-security-clean", NC)),
    "DL605": ((C / "nc-security", NC), (C / "nc-security-clean", NC)),
    "DL606": ((C / "nc-security", NC), (C / "nc-security-clean", NC)),
    "DL607": ((C / "nc-thin-plans", NC), (C / "nc-security-clean", NC)),
    "DL608": ((C / "nc-security", NC), (C / "nc-security-clean", NC)),
    "DL609": ((C / "nc-security", NC), (C / "nc-security-clean", NC)),
    "DL610": ((C / "nc-security", NC), (C / "nc-security-clean", NC)),
    "DL611": ((C / "nc-security", NC), (C / "nc-security-clean", NC)),
    "DL613": ((C / "nc-foreign", NC), (C / "nc-security-clean", NC)),
    "DL801": ((C / "nc-consistency", NC), (P / "nanchong-zhcg-complete", NC)),
    "DL802": ((C / "nc-consistency", NC), (P / "nanchong-zhcg-complete", NC)),
    "DL803": ((C / "nc-consistency", NC), (P / "nanchong-zhcg-complete", NC)),
    "DL804": ((C / "nc-security", NC), (C / "nc-security-clean", NC)),
    "DL805": ((C / "nc-mode", NC), (C / "nc-service-ok", NC)),
}


@functools.cache
def _report(path: Path, profile: str) -> dict:
    return lint_json(path, "--profile", profile)


@pytest.mark.parametrize("rule", sorted(FIRE_NEAR))
def test_rule_fires_and_near_miss_is_silent(rule: str) -> None:
    (fire, fprof), (near, nprof) = FIRE_NEAR[rule]
    assert findings_of(_report(fire, fprof), {rule}), f"{rule} does not fire on {fire.name}"
    assert findings_of(_report(near, nprof), {rule}) == [], near.name


def test_every_content_b_rule_has_a_case() -> None:
    from dossier_lint.packs import load_pack

    own = {rid for name in ("base", NC, TX, CZ) for rid in load_pack(name).rules if rid in CONTENT_B}
    assert own == set(FIRE_NEAR)
