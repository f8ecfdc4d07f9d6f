"""Waivers (match, reason required, stale DL901, expired DL902, --prune-waivers) and the baseline
(count-aware new / unchanged / fixed), as units and through the CLI on a copy of a corpus case."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import pytest

from dossier_lint import baseline, waivers
from dossier_lint.config import ConfigError
from dossier_lint.model import Document, Location, Package
from dossier_lint.packs import load_pack
from helpers import CORPUS, run_cli

CASES = CORPUS / "cases" / "structure"
PACK = load_pack("nanchong")
R203, R201, R901, R902 = (PACK.rules[i] for i in ("DL203", "DL201", "DL901", "DL902"))
RULES = {r.id: r for r in PACK.rules.values()}


def pkg() -> Package:
    return Package(path="p", name="智慧停车", documents=[Document(path="可研.md", format="md"),
                                                        Document(path="初设.md", format="md")])


def d203(file: str = "可研.md"):
    return R203.diag(file=file, key="系统集成、集约化建设和信息资源共享分析", section="系统集成", found="")


def d201(heading: str, file: str = "可研.md"):
    return R201.diag(file=file, loc=Location(line=3, heading=(heading,)), evidence=heading, key=heading, heading=heading)


def waiver_file(tmp: Path, body: str) -> Path:
    p = tmp / "dossier-lint-waivers.toml"
    p.write_text(body, encoding="utf-8")
    return p


# ---------------------------------------------------------------------------------------------
# waivers, unit


def test_waiver_matches_rule_file_and_fingerprint(tmp_path: Path) -> None:
    a, b = d201("第三章 建设方案"), d201("第五章 投资")
    wf = waiver_file(tmp_path, f"""
[[waiver]]
rule = "DL201"
file = "可研.md"
fingerprint = "{a.fingerprint}"
reason = "该章内容见附件2"
""")
    kept, waived, tool = waivers.apply([a, b, d203()], wf, pkg(), rules=RULES)
    assert [d.evidence for d in waived] == ["第三章 建设方案"]
    assert waived[0].waived == "该章内容见附件2"
    assert [d.rule for d in kept] == ["DL201", "DL203"]
    assert tool == []


def test_waiver_without_fingerprint_covers_the_rule_in_that_file(tmp_path: Path) -> None:
    wf = waiver_file(tmp_path, '[[waiver]]\nrule = "DL201"\nfile = "可研.md"\nreason = "模板章节"\n')
    kept, waived, _ = waivers.apply([d201("一"), d201("二"), d201("三", file="初设.md")], wf, pkg(), rules=RULES)
    assert [d.evidence for d in waived] == ["一", "二"] and [d.file for d in kept] == ["初设.md"]


def test_stale_waiver_is_dl901_and_expired_waiver_is_dl902(tmp_path: Path) -> None:
    a = d201("第三章 建设方案")
    wf = waiver_file(tmp_path, f"""
[[waiver]]
rule = "DL203"
file = "可研.md"
fingerprint = "0000000000000000"
reason = "已删除的问题"

[[waiver]]
rule = "DL201"
file = "可研.md"
fingerprint = "{a.fingerprint}"
reason = "临时豁免"
expires = 2024-01-31
""")
    kept, waived, tool = waivers.apply([a], wf, pkg(), rules=RULES, today=dt.date(2024, 3, 1))
    assert waived == [] and kept == [a]  # expired: the finding is back
    assert [(d.rule, d.severity) for d in tool] == [("DL901", "warning"), ("DL902", "warning")]
    assert tool[0].message.startswith("豁免条目未匹配任何问题（规则 DL203，文件 可研.md）")
    assert tool[0].data["waiver_line"] == 2 and tool[0].data["waiver_index"] == 0
    assert "已于 2024-01-31 过期" in tool[1].message
    # before the date it still waives
    _, waived, tool = waivers.apply([a], wf, pkg(), rules=RULES, today=dt.date(2024, 1, 31))
    assert len(waived) == 1 and [d.rule for d in tool] == ["DL901"]
    # tool rules switched off: no tool findings
    assert waivers.apply([a], wf, pkg(), rules={"DL201": R201})[2] == []


def test_waivers_scoped_to_another_package_or_file_are_not_stale(tmp_path: Path) -> None:
    wf = waiver_file(tmp_path, """
[[waiver]]
rule = "DL203"
file = "可研.md"
reason = "别的包"
package = "另一个项目"

[[waiver]]
rule = "DL203"
file = "不在本包.md"
reason = "别的包的文件"
""")
    kept, waived, tool = waivers.apply([d203()], wf, pkg(), rules=RULES)
    assert len(kept) == 1 and waived == [] and tool == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # the line of the entry's [[waiver]] header
        ('[[waiver]]\nrule = "DL203"\nfile = "a.md"\n', ":1: 豁免 DL203 缺少 reason"),
        ('[[waiver]]\nrule = "DL203"\nreason = "  "\n', ":1: 豁免 DL203 缺少 reason"),
        ('[[waiver]]\nrule = "203"\nreason = "x"\n', ":1: rule 必须是规则 ID"),
        ('\n[[waiver]]\nrule = "DL203"\nreason = "x"\nexpires = "明年"\n', ":2: expires 必须是日期"),
        ('[[waiver]]\nrule = "DL203"\nreason = "x"\nfingerprnt = "x"\n', ":1: 未知的键 fingerprnt"),
        ('[waiver]\nrule = "DL203"\n', "豁免条目应写成 [[waiver]]"),
        ('[[waiver]]\nrule = "DL203\n', ":2: TOML 语法错误"),
    ],
)
def test_bad_waiver_file(tmp_path: Path, body: str, expected: str) -> None:
    wf = waiver_file(tmp_path, body)
    with pytest.raises(ConfigError) as exc:
        waivers.apply([d203()], wf, pkg(), rules=RULES)
    assert expected in str(exc.value)


def test_prune_removes_only_the_given_entries_and_keeps_comments(tmp_path: Path) -> None:
    wf = waiver_file(tmp_path, """# 豁免清单（评审会 2024-03-01 确认）

# 专篇单独成册
[[waiver]]
rule = "DL203"
file = "可研.md"
reason = "专篇见附件3"

# 已修正
[[waiver]]
rule = "DL201"
file = "可研.md"
reason = "旧的"

[[waiver]]
rule = "DL105"
reason = "密码方案另行报送"
""")
    assert waivers.prune(wf, [1]) == 1
    text = wf.read_text(encoding="utf-8")
    assert "# 已修正" not in text and 'rule = "DL201"' not in text
    assert "# 专篇单独成册" in text and 'rule = "DL203"' in text and 'rule = "DL105"' in text
    assert [w.rule for w in waivers.load(wf)] == ["DL203", "DL105"]
    assert waivers.prune(wf, []) == 0


# ---------------------------------------------------------------------------------------------
# baseline, unit


def test_baseline_is_count_aware(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    first = [d201("一"), d201("一"), d203()]
    assert baseline.write(path, {"智慧停车": first}) == 3
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["tool"] == "dossier-lint" and data["version"] == 1
    assert sorted(e["count"] for e in data["entries"]) == [1, 2]

    # same findings: all unchanged
    marked, fixed = baseline.apply([d201("一"), d201("一"), d203()], path, package="智慧停车")
    assert [d.state for d in marked] == ["unchanged"] * 3 and fixed == []
    # one more of the same fingerprint: that one is new
    marked, fixed = baseline.apply([d201("一"), d201("一"), d201("一")], path, package="智慧停车")
    assert sorted(d.state for d in marked) == ["new", "unchanged", "unchanged"]
    assert [(f["rule"], f["count"]) for f in fixed] == [("DL203", 1)]
    # one occurrence gone, and a new heading
    marked, fixed = baseline.apply([d201("一"), d201("二")], path, package="智慧停车")
    assert {d.evidence: d.state for d in marked} == {"一": "unchanged", "二": "new"}
    assert sorted((f["rule"], f["count"]) for f in fixed) == [("DL201", 1), ("DL203", 1)]
    # another package's entries do not count
    marked, _ = baseline.apply([d203()], path, package="别的项目")
    assert [d.state for d in marked] == ["new"]


def test_fingerprint_ignores_page_numbers() -> None:
    a = R201.diag(file="可研.pdf", loc=Location(page=3, heading=("第三章",)), evidence="第三章", heading="第三章")
    b = R201.diag(file="可研.pdf", loc=Location(page=9, heading=("第三章",)), evidence="第三章", heading="第三章")
    assert a.fingerprint == b.fingerprint


@pytest.mark.parametrize(
    ("text", "expected"),
    [("{", "不是有效的 JSON"), ('{"tool": "x"}', "不是 dossier-lint 的基线文件"),
     ('{"tool": "dossier-lint", "version": 9, "entries": []}', "版本 9 不受支持")],
)
def test_bad_baseline_file(tmp_path: Path, text: str, expected: str) -> None:
    p = tmp_path / "b.json"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=expected):
        baseline.apply([], p)


# ---------------------------------------------------------------------------------------------
# end to end


def copy_case(tmp: Path, name: str) -> Path:
    dst = tmp / "work" / name
    shutil.copytree(CASES / name, dst)
    return dst


def tree_hash(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(root)).encode() + p.read_bytes())
    return h.hexdigest()


def run_json(pkg_dir: Path, *args: str) -> tuple[int, dict]:
    code, out, err = run_cli("check", pkg_dir, "--format", "json", "--no-cache", "--profile", "nanchong", *args)
    assert code in (0, 1), err
    return code, json.loads(out)


def test_waivers_end_to_end_with_stale_and_prune(tmp_path: Path) -> None:
    pkg_dir = copy_case(tmp_path, "nc-no-integration")
    before = tree_hash(pkg_dir)
    code, rep = run_json(pkg_dir, "--select", "DL203,DL9")
    (d,) = rep["packages"][0]["diagnostics"]
    assert (d["rule"], d["file"], code) == ("DL203", "可行性研究报告.md", 1)
    wf = pkg_dir.parent / "dossier-lint-waivers.toml"  # beside the package, not inside it
    wf.write_text(f"""# 评审组同意
[[waiver]]
rule = "DL203"
file = "可行性研究报告.md"
fingerprint = "{d['fingerprint']}"
reason = "专篇内容在第四章信息共享分析中"

# 早已修正
[[waiver]]
rule = "DL201"
file = "可行性研究报告.md"
fingerprint = "ffffffffffffffff"
reason = "旧问题"
""", encoding="utf-8")
    code, rep = run_json(pkg_dir, "--select", "DL203,DL9")
    p = rep["packages"][0]
    assert [(x["rule"], x["file"]) for x in p["waived"]] == [("DL203", "可行性研究报告.md")]
    assert p["waived"][0]["waived"] == "专篇内容在第四章信息共享分析中"
    assert [(x["rule"], x["severity"], x["file"]) for x in p["diagnostics"]] == [("DL901", "warning", None)]
    assert code == 0  # a warning does not fail at fail-on = error

    code, out, err = run_cli("check", pkg_dir, "--no-cache", "--profile", "nanchong", "--select", "DL203,DL9",
                             "--show-waived")
    assert "（已豁免：专篇内容在第四章信息共享分析中）" in out

    code, rep = run_json(pkg_dir, "--select", "DL203,DL9", "--prune-waivers")
    assert rep["packages"][0]["diagnostics"] == []
    text = wf.read_text(encoding="utf-8")
    assert "ffffffffffffffff" not in text and "# 早已修正" not in text
    assert d["fingerprint"] in text and "# 评审组同意" in text
    assert tree_hash(pkg_dir) == before  # the user's documents are never touched


def test_waiver_file_errors_exit_2(tmp_path: Path) -> None:
    pkg_dir = copy_case(tmp_path, "nc-no-integration")
    wf = pkg_dir.parent / "dossier-lint-waivers.toml"
    wf.write_text('[[waiver]]\nrule = "DL203"\nfile = "可行性研究报告.md"\n', encoding="utf-8")
    code, out, err = run_cli("check", pkg_dir, "--no-cache", "--profile", "nanchong")
    assert code == 2 and f"{wf}:1: 豁免 DL203 缺少 reason" in err and "Traceback" not in err
    code, out, err = run_cli("check", pkg_dir, "--no-cache", "--waivers", tmp_path / "none.toml")
    assert code == 2 and "豁免文件不存在" in err


def test_baseline_end_to_end(tmp_path: Path) -> None:
    pkg_dir = copy_case(tmp_path, "nc-sections")
    bl = tmp_path / "baseline.json"
    code, rep = run_json(pkg_dir, "--select", "DL2", "--write-baseline", str(bl))
    old = {(d["rule"], d["file"]) for d in rep["packages"][0]["diagnostics"]}
    assert code == 1 and ("DL201", "可行性研究报告.md") in old and bl.is_file()

    code, rep = run_json(pkg_dir, "--select", "DL2", "--baseline", str(bl))
    assert code == 0 and rep["packages"][0]["diagnostics"] == [] and rep["packages"][0]["fixed"] == []

    # a new problem: the 初设 loses its 专篇; the old ones stay quiet
    design = pkg_dir / "初步设计方案.md"
    design.write_text(design.read_text(encoding="utf-8").replace(
        "## 第三章 系统集成、集约化建设和信息资源共享分析", "## 第三章 共享分析"), encoding="utf-8")
    code, rep = run_json(pkg_dir, "--select", "DL2", "--baseline", str(bl))
    new = [(d["rule"], d["file"], d["baseline"]) for d in rep["packages"][0]["diagnostics"]]
    assert code == 1 and new == [("DL203", "初步设计方案.md", "new")]

    # an old problem fixed: the empty heading gets text
    feas = pkg_dir / "可行性研究报告.md"
    feas.write_text(feas.read_text(encoding="utf-8").replace("### 二、部署方案\n", "### 二、部署方案\n部署于政务云。\n"),
                    encoding="utf-8")
    code, rep = run_json(pkg_dir, "--select", "DL2", "--baseline", str(bl))
    fixed = [(f["rule"], f["file"]) for f in rep["packages"][0]["fixed"]]
    assert fixed == [("DL201", "可行性研究报告.md")]


def test_missing_baseline_file_exit_2(tmp_path: Path) -> None:
    code, out, err = run_cli("check", CASES / "nc-complete", "--no-cache", "--baseline", tmp_path / "none.json")
    assert code == 2 and "基线文件不存在" in err
