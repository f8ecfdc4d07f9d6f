"""Rule packs: the built-in packs' content, `extends` / override / drop, validation errors with file and
line, and `when` conditions."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from dossier_lint import packs
from dossier_lint.model import Document, Fact, Package
from dossier_lint.packs import PackError, condition_holds, load_pack
from dossier_lint.rule import Condition
from helpers import run_cli

CITY_SOURCES = {
    "nanchong": {"南府办发〔2023〕14号", "南信办〔2023〕1号", "南信办〔2023〕2号"},
    "taixing": {"泰兴市市级政务信息化项目建设管理制度"},
    "chenzhou": {"郴政办发〔2022〕31号"},
}
# Rules this pack engineer owns (content engineers add DL3xx–DL8xx to the same files).
OWN = re.compile(r"^DL(0\d\d|1\d\d|2\d\d|9\d\d)$")


# ---------------------------------------------------------------------------------------------
# the built-in packs


def test_available_lists_the_four_profiles_base_first() -> None:
    names = packs.available()
    assert names[0] == "base"
    assert {"base", "nanchong", "taixing", "chenzhou"} <= set(names)


@pytest.mark.parametrize("name", ["base", "nanchong", "taixing", "chenzhou"])
def test_builtin_pack_loads_with_complete_rule_texts(name: str) -> None:
    pack = load_pack(name)
    assert pack.name == name
    assert pack.chain == (["base"] if name == "base" else ["base", name])
    assert list(pack.rules) == sorted(pack.rules)
    assert len(pack.version_hash) == 16
    for rule in pack.rules.values():
        if not OWN.match(rule.id):
            continue
        assert rule.title and rule.rationale and rule.fix and rule.example, rule.id
        if not rule.id.startswith(("DL0", "DL9")):
            assert rule.basis, f"{rule.id} has no basis in {name}"
            for b in rule.basis:
                assert b.source in pack.sources, (rule.id, b.source)


@pytest.mark.parametrize("city", ["nanchong", "taixing", "chenzhou"])
def test_city_rules_cite_the_city_own_regulation(city: str) -> None:
    pack = load_pack(city)
    checked = 0
    for rule in pack.rules.values():
        if not OWN.match(rule.id) or rule.pack != city or not rule.basis:
            continue
        checked += 1
        sources = {b.source for b in rule.basis}
        assert sources <= CITY_SOURCES[city], (rule.id, sources)
    assert checked >= 8


def test_same_id_means_same_rule_in_every_pack() -> None:
    seen: dict[str, tuple[str, str]] = {}
    for name in ("base", "nanchong", "taixing", "chenzhou"):
        for rule in load_pack(name).rules.values():
            key = (rule.slug, rule.kind)
            assert seen.setdefault(rule.id, key) == key, rule.id
    slugs: dict[str, str] = {}
    for rid, (slug, _) in seen.items():
        assert slugs.setdefault(slug, rid) == rid, slug


def test_dl203_is_the_integration_chapter_of_article_16() -> None:
    rule = load_pack("nanchong").rules["DL203"]
    assert rule.message.startswith("缺少“{section}”专篇")
    assert rule.params["section"] == "系统集成、集约化建设和信息资源共享分析"
    assert [str(b) for b in rule.basis] == ["南府办发〔2023〕14号 第十六条"]


def test_city_packs_override_and_drop_what_the_regulations_imply() -> None:
    base, nc, tx, cz = (load_pack(n) for n in ("base", "nanchong", "taixing", "chenzhou"))
    assert base.rules["DL105"].severity == "warning" and nc.rules["DL105"].severity == "error"
    assert "DL105" not in cz.rules and "DL211" in cz.rules  # 郴州: chapter or plan
    assert "DL109" not in nc.rules and tx.rules["DL109"].severity == "error"
    assert tx.rules["DL102"].when.project_type == ("新建", "续建", "改建")
    assert tx.rules["DL102"].params["kinds"] == ["feasibility_report"]
    assert nc.rules["DL113"].when.investment_above == Decimal("1000")
    assert tx.rules["DL119"].when.investment_min == Decimal("50")
    # the override merged params key by key: the kinds stayed, the label changed
    assert nc.rules["DL101"].params["kinds"] == ["application_form"]
    assert nc.rules["DL101"].params["label"] != base.rules["DL101"].params["label"]
    assert nc.rules["DL101"].pack == "nanchong" and base.rules["DL101"].pack == "base"
    assert nc.rules["DL203"].source_file.endswith("nanchong.toml")
    assert nc.rules["DL203"].source_line > 0


def test_every_pack_ends_with_the_content_marker() -> None:
    root = Path(packs.pack_dirs()[0])
    for name in ("base", "nanchong", "taixing", "chenzhou"):
        text = (root / f"{name}.toml").read_text(encoding="utf-8")
        assert "# ---- content checks (catalog/funding/policy/security/goals) ----" in text


# ---------------------------------------------------------------------------------------------
# extends / override / drop on user packs

PARENT = """\
[pack]
name = "parent"
title = "上级"
[pack.sources]
"文一" = "文件一"
[settings]
a = 1
b = 2

[[rules]]
id = "DL101"
slug = "missing-form"
title = "缺表"
category = "completeness"
severity = "error"
kind = "required-document"
message = "缺少{document}"
basis = [{ source = "文一", article = "第一条" }]
[rules.params]
kinds = ["application_form"]
label = "申报表"

[[rules]]
id = "DL102"
slug = "missing-plan"
category = "completeness"
severity = "warning"
kind = "required-document"
message = "缺少{document}"
when = { project-type = ["新建"] }
[rules.params]
kinds = ["feasibility_report"]
"""


def write(tmp: Path, name: str, text: str) -> Path:
    p = tmp / name
    p.write_text(text, encoding="utf-8")
    return p


def test_child_pack_extends_overrides_and_drops(tmp_path: Path) -> None:
    write(tmp_path, "parent.toml", PARENT)
    child = write(tmp_path, "child.toml", """\
[pack]
name = "child"
title = "下级"
extends = "parent.toml"
[pack.sources]
"文二" = "文件二"
[settings]
b = 3

[[override]]
id = "DL101"
severity = "warning"
basis = [{ source = "文二", article = "第九条" }]
[override.params]
label = "泰兴申报表"

[drop]
ids = ["DL102"]

[[rules]]
id = "DL110"
slug = "missing-uua"
category = "completeness"
severity = "error"
kind = "required-document"
message = "缺少{document}"
[rules.params]
kinds = ["uua_plan"]
""")
    pack = load_pack(str(child))
    assert pack.chain == ["parent", "child"]
    assert list(pack.rules) == ["DL101", "DL110"]
    r = pack.rules["DL101"]
    assert r.severity == "warning" and r.pack == "child"
    assert [str(b) for b in r.basis] == ["文二 第九条"]
    assert r.params == {"kinds": ["application_form"], "label": "泰兴申报表"}
    assert r.title == "缺表" and r.slug == "missing-form"
    assert pack.settings == {"a": 1, "b": 3}
    assert pack.sources == {"文一": "文件一", "文二": "文件二"}
    assert pack.files == [tmp_path / "parent.toml", child.resolve()]
    # the parent itself is unchanged
    assert load_pack(str(tmp_path / "parent.toml")).rules["DL101"].severity == "error"


def test_override_when_replaces_the_inherited_condition(tmp_path: Path) -> None:
    write(tmp_path, "parent.toml", PARENT)
    child = write(tmp_path, "child.toml", """\
[pack]
name = "child"
extends = "parent.toml"
[[override]]
id = "DL102"
when = { filing = ["在建"] }
""")
    r = load_pack(str(child)).rules["DL102"]
    assert r.when.filing == ("在建",) and r.when.project_type == ()


def test_user_pack_extends_a_builtin_pack_by_name(tmp_path: Path) -> None:
    p = write(tmp_path, "mycity.toml", """\
[pack]
name = "mycity"
title = "某市"
extends = "nanchong"
[pack.sources]
"某办发〔2024〕1号" = "某市办法"
[[override]]
id = "DL203"
severity = "warning"
basis = [{ source = "某办发〔2024〕1号", article = "第八条" }]
""")
    pack = load_pack(str(p))
    assert pack.chain == ["base", "nanchong", "mycity"]
    assert pack.rules["DL203"].severity == "warning"
    assert pack.rules["DL106"].pack == "nanchong"


# ---------------------------------------------------------------------------------------------
# validation: file, line, what


def error_of(tmp: Path, text: str, name: str = "bad.toml") -> str:
    p = write(tmp, name, text)
    with pytest.raises(PackError) as exc:
        load_pack(str(p))
    return str(exc.value)


def one_rule(**over: str) -> str:
    fields = {
        "id": '"DL101"', "slug": '"missing-form"', "category": '"completeness"', "severity": '"error"',
        "kind": '"required-document"', "message": '"缺少{document}"',
    }
    fields.update(over)
    body = "\n".join(f"{k} = {v}" for k, v in fields.items() if v is not None)
    return f'[pack]\nname = "bad"\n\n[[rules]]\n{body}\n[rules.params]\nkinds = ["application_form"]\n'


def line_of(text: str, needle: str) -> int:
    return next(n for n, ln in enumerate(text.splitlines(), 1) if needle in ln)


def test_bad_toml_names_file_and_line(tmp_path: Path) -> None:
    text = '[pack]\nname = "bad"\n\n[[rules]]\nid = "DL101"\nslug = missing-form\n'
    msg = error_of(tmp_path, text)
    assert re.match(r"^bad\.toml:6: TOML 语法错误", msg.split("/")[-1]) or ":6: TOML 语法错误" in msg


@pytest.mark.parametrize(
    ("over", "needle", "expected"),
    [
        ({"kind": '"required-documnet"'}, "kind =", "检查类型“required-documnet”不存在"),
        ({"severity": '"fatal"'}, "severity =", "级别“fatal”无效"),
        ({"category": '"paperwork"'}, "category =", "类别“paperwork”无效"),
        ({"category": '"structure"'}, "category =", "DL101 的类别应为“completeness”"),
        ({"id": '"DL1011"'}, "id =", "规则 ID“DL1011”格式错误"),
        ({"slug": '"Missing_Form"'}, "slug =", "slug“Missing_Form”必须是小写短横线格式"),
        ({"colour": '"red"'}, "colour =", "未知的键“colour”"),
        ({"message": None}, "id =", "缺少必填键“message”"),
        ({"message": '"缺少{document"'}, "message =", "message 模板有误"),
    ],
)
def test_semantic_errors_point_at_the_offending_line(
    tmp_path: Path, over: dict[str, str], needle: str, expected: str
) -> None:
    text = one_rule(**over)
    msg = error_of(tmp_path, text)
    assert f"bad.toml:{line_of(text, needle)}: " in msg, msg
    assert expected in msg, msg


def test_unknown_param_and_missing_param(tmp_path: Path) -> None:
    text = one_rule().replace('kinds = ["application_form"]', 'kind = ["application_form"]')
    msg = error_of(tmp_path, text)
    assert f"bad.toml:{line_of(text, 'kind = [')}: DL101 的检查类型“required-document”没有参数“kind”" in msg
    assert "可用参数：kinds、label、match、names、when-field" in msg
    assert "缺少检查类型“required-document”的必填参数“kinds”" in msg


def test_bad_param_value_unknown_document_kind(tmp_path: Path) -> None:
    text = one_rule().replace('kinds = ["application_form"]', 'kinds = ["feasability_report"]')
    msg = error_of(tmp_path, text)
    assert f"bad.toml:{line_of(text, 'kinds = [')}: DL101 参数 kinds：未知的文件类型 feasability_report" in msg


def test_duplicate_id_and_slug(tmp_path: Path) -> None:
    rule = one_rule().split("[[rules]]", 1)[1]
    text = '[pack]\nname = "bad"\n\n[[rules]]' + rule + "\n[[rules]]" + rule.replace('"missing-form"', '"other"')
    msg = error_of(tmp_path, text)
    second = [n for n, ln in enumerate(text.splitlines(), 1) if ln.startswith('id = "DL101"')][1]
    assert f"bad.toml:{second}: 规则 DL101 重复定义（第 5 行已定义）" in msg
    text2 = '[pack]\nname = "bad"\n\n[[rules]]' + rule + "\n[[rules]]" + rule.replace('"DL101"', '"DL102"')
    msg2 = error_of(tmp_path, text2, "bad2.toml")
    assert "slug“missing-form”已被 DL101 使用" in msg2


def test_child_redefining_a_parent_rule_must_use_override(tmp_path: Path) -> None:
    write(tmp_path, "parent.toml", PARENT)
    text = one_rule().replace('name = "bad"', 'name = "bad"\nextends = "parent.toml"')
    msg = error_of(tmp_path, text)
    assert f"bad.toml:{line_of(text, 'id =')}: 规则 DL101 已在上级规则包“parent”中定义；修改请用 [[override]]" in msg


@pytest.mark.parametrize(
    ("body", "needle", "expected"),
    [
        ('[[override]]\nid = "DL999"\nseverity = "info"\n', 'id = "DL999"', "[[override]] 的 id“DL999”不是上级规则包中已有的规则"),
        ('[[override]]\nid = "DL101"\nkind = "input"\n', "kind =", "[[override]] DL101 不能修改“kind”"),
        ('[[override]]\nid = "DL101"\nseverity = "fatal"\n', "severity =", "级别“fatal”无效"),
        ('[drop]\nids = ["DL105"]\n', "ids =", "[drop] 中的 DL105 不是上级规则包中的规则"),
        ('[[override]]\nid = "DL102"\nwhen = { project-typ = ["新建"] }\n', "when =", "when 中未知的条件“project-typ”"),
        ('[[override]]\nid = "DL102"\nwhen = { project-type = ["新造"] }\n', "when =", "when.project-type 取值无效：新造"),
        ('[[override]]\nid = "DL101"\nbasis = [{ source = "文三", article = "第一条" }]\n', "basis =",
         "依据“文三”未在 [pack] sources 中列出"),
        ('[[override]]\nid = "DL101"\n[override.params]\nlabl = "x"\n', "labl =", "没有参数“labl”"),
    ],
)
def test_override_and_drop_errors(tmp_path: Path, body: str, needle: str, expected: str) -> None:
    write(tmp_path, "parent.toml", PARENT)
    text = '[pack]\nname = "bad"\nextends = "parent.toml"\n\n' + body
    msg = error_of(tmp_path, text)
    assert f"bad.toml:{line_of(text, needle)}: " in msg, msg
    assert expected in msg, msg


def test_all_errors_of_a_file_are_reported_together(tmp_path: Path) -> None:
    text = one_rule(severity='"fatal"', category='"paperwork"')
    msg = error_of(tmp_path, text)
    assert len(msg.splitlines()) == 2


def test_extends_cycle_and_missing_parent(tmp_path: Path) -> None:
    write(tmp_path, "a.toml", '[pack]\nname = "a"\nextends = "b.toml"\n')
    write(tmp_path, "b.toml", '[pack]\nname = "b"\nextends = "a.toml"\n')
    with pytest.raises(PackError, match="extends 形成循环"):
        load_pack(str(tmp_path / "a.toml"))
    msg = error_of(tmp_path, '[pack]\nname = "c"\nextends = "nowhere"\n', "c.toml")
    assert "c.toml:3: 未知的规则包（地区）“nowhere”" in msg


def test_unknown_top_level_table_and_missing_pack_table(tmp_path: Path) -> None:
    msg = error_of(tmp_path, '[pack]\nname = "x"\n\n[[rule]]\nid = "DL101"\n')
    assert "bad.toml:4: 未知的顶层表“rule”" in msg
    assert "缺少 [pack] 表" in error_of(tmp_path, 'x = 1\n', "nopack.toml")


def test_unknown_profile_name() -> None:
    with pytest.raises(PackError, match="未知的规则包（地区）“shanghai”；可用：base、"):
        load_pack("shanghai")


@pytest.mark.parametrize("command", ["check", "rules"])
def test_cli_reports_a_bad_pack_with_exit_2_and_no_traceback(tmp_path: Path, command: str) -> None:
    pack = write(tmp_path, "bad.toml", one_rule(kind='"required-sectoin"'))
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "可行性研究报告.md").write_text("# 可研\n", encoding="utf-8")
    args = ["check", str(pkg), "--no-cache", "--profile", str(pack)] if command == "check" else [
        "rules", "--profile", str(pack)]
    code, out, err = run_cli(*args)
    assert code == 2
    assert "Traceback" not in err
    assert f"bad.toml:{line_of(pack.read_text(encoding='utf-8'), 'kind =')}: DL101 的检查类型“required-sectoin”不存在" in err


# ---------------------------------------------------------------------------------------------
# conditions


def pkg_with(facts: dict[str, object] | None = None, kinds: tuple[str, ...] = ()) -> Package:
    pkg = Package(path="p", name="p")
    for i, k in enumerate(kinds):
        pkg.documents.append(Document(path=f"d{i}.md", format="md", kind=k))
    for key, value in (facts or {}).items():
        pkg.facts.add(key, Fact(value, "d0.md"))
    return pkg


def test_condition_holds_and_unknown_facts_are_false() -> None:
    c = Condition(project_type=("新建", "续建"))
    assert condition_holds(c, pkg_with({"project_type": "新建"}))
    assert not condition_holds(c, pkg_with({"project_type": "运维"}))
    assert not condition_holds(c, pkg_with())  # unknown -> no guess
    assert condition_holds(Condition(), pkg_with())


def test_investment_bounds_inclusive_and_exclusive() -> None:
    def holds(c: Condition, amount: str | None) -> bool:
        return condition_holds(c, pkg_with({"total_investment": Decimal(amount)} if amount else {}))

    above = Condition(investment_above=Decimal("1000"))
    assert holds(above, "1000.01") and not holds(above, "1000") and not holds(above, None)
    assert holds(Condition(investment_min=Decimal("50")), "50")
    assert not holds(Condition(investment_min=Decimal("50")), "49.99")
    assert holds(Condition(investment_max=Decimal("1000")), "1000")
    assert not holds(Condition(investment_below=Decimal("50")), "50")


def test_kinds_booleans_and_fact_in() -> None:
    p = pkg_with({"urgent": True, "funding_channels": ["财政拨款", "其他"]}, kinds=("implementation_plan",))
    assert condition_holds(Condition(has_kind=("implementation_plan",)), p)
    assert not condition_holds(Condition(lacks_kind=("implementation_plan",)), p)
    assert condition_holds(Condition(lacks_kind=("feasibility_report",)), p)
    assert condition_holds(Condition(facts_true=("urgent",)), p)
    assert not condition_holds(Condition(facts_false=("urgent",)), p)
    assert condition_holds(Condition(facts_false=("mandated",)), p)  # unknown is "not true"
    assert condition_holds(Condition(fact_in=(("funding_channels", ("其他",)),)), p)
    assert not condition_holds(Condition(fact_in=(("funding_channels", ("上级补助",)),)), p)


def test_when_table_parses_all_keys(tmp_path: Path) -> None:
    text = one_rule().replace(
        "[rules.params]",
        'when = { project-type = ["新建"], filing = ["在建"], mode = ["自行建设"], investment-min = 50, '
        'investment-max = 1000, investment-above = 10, investment-below = 2000.5, has-kind = ["approval"], '
        'lacks-kind = ["crypto_plan"], facts-true = ["urgent"], facts-false = ["mandated"], '
        'fact-in = { funding_channels = ["其他"] } }\n[rules.params]',
    )
    r = load_pack(str(write(tmp_path, "w.toml", text))).rules["DL101"]
    w = r.when
    assert (w.project_type, w.filing, w.mode) == (("新建",), ("在建",), ("自行建设",))
    assert (w.investment_min, w.investment_max) == (Decimal(50), Decimal(1000))
    assert (w.investment_above, w.investment_below) == (Decimal(10), Decimal("2000.5"))
    assert w.fact_in == (("funding_channels", ("其他",)),)
    assert r.when.to_dict()["facts-true"] == ["urgent"]
