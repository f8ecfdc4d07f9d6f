"""sentences.py: splitting, clause scope, negation and context of action-object bindings."""

from __future__ import annotations

import pytest

from dossier_lint.model import Block, Cell, Document, Heading, Location, Table, build_heading_tree
from dossier_lint.sentences import (
    BACKGROUND,
    CITATION,
    EXEMPT,
    HYPOTHETICAL,
    NEGATED,
    PAST,
    QUOTED,
    Pattern,
    Terms,
    find_matches,
    iter_sentences,
    negator_in,
    split_clauses,
    split_sentences,
)

ROOM = Pattern(
    actions=("新建", "扩建", "建设", "搭建", "新增", "改扩建"),
    objects=("机房", "数据中心", "私有云(?:平台)?"),
)
HW = Pattern(
    actions=("采购", "购置", "购买", "新增", "添置", "购入"),
    objects=("服务器", "存储设备", "磁盘阵列", "交换机"),
    object_prefix_excludes=("云", "虚拟"),
)
LINE = Pattern(actions=("租用", "租赁", "开通", "新增"), objects=("专线", "互联网出口", "互联网线路"))
APP = Pattern(
    actions=("开发", "建设", "新建", "搭建", "上线"),
    objects=("移动端APP", "APP", "小程序", "移动客户端"),
)
CLOUD = Pattern(
    actions=("部署", "迁移", "运行", "上云"),
    objects=("政务云",),
    gap_breakers=("包括",),
)


def statuses(text: str, pattern: Pattern, heading: tuple[str, ...] = ()) -> list[str | None]:
    return [m.status for m in find_matches(text, pattern, heading=heading)]


def test_split_sentences_keeps_delimiters_and_lines() -> None:
    assert split_sentences("第一句。第二句；第三句\n第四句！") == ["第一句。", "第二句；", "第三句", "第四句！"]
    assert split_sentences("  \n\n") == []


def test_split_clauses_commas_and_connectors_but_not_lists_or_colons() -> None:
    got = [c.text for c in split_clauses("本项目不新建机房而是依托政务云,采购终端")]
    assert got == ["本项目不新建机房", "而是依托政务云", "采购终端"]
    # 、 and ： keep a list under one negation
    assert [c.text for c in split_clauses("不涉及以下内容:新建机房、采购服务器")] == ["不涉及以下内容:新建机房、采购服务器"]
    # 不但 is not the connector 但
    assert len(split_clauses("不但新建机房")) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("不新建机房", "不"),
        ("无需租用专线", "无需"),
        ("服务器采购：无", "：无"),
        ("不断完善服务器采购", None),
        ("采购服务器不少于10台", None),
        ("未来三年扩建机房", None),
        ("是否新建机房", None),
        ("新建机房（无）", "（无）"),
    ],
)
def test_negator_in(text: str, expected: str | None) -> None:
    from dossier_lint.sentences import norm

    got = negator_in(norm(text), Terms())
    assert (got is not None) == (expected is not None), (text, got)


@pytest.mark.parametrize(
    ("text", "pattern", "expected"),
    [
        # affirmed: the plan will do it
        ("本项目新建非涉密机房一间。", ROOM, [None]),
        ("本期拟采购高性能服务器8台。", HW, [None]),
        ("采购服务器10台、存储设备2台。", HW, [None, None]),
        ("服务器采购费用共计50万元。", HW, [None]),
        ("采购服务器不少于10台。", HW, [None]),
        ("在已建机房基础上扩建机房。", ROOM, [None]),
        ("原系统于2018年采购服务器5台，本期新增服务器3台。", HW, [PAST, None]),
        ("本项目不采购服务器，而是采购存储设备2台。", HW, [NEGATED, None]),
        ("需租用运营商互联网专线2条。", LINE, [None]),
        ("单独开发移动端APP一套。", APP, [None]),
        # negated
        ("本项目依托市级政务云部署，不新建机房。", ROOM, [NEGATED]),
        ("不采购服务器。", HW, [NEGATED]),
        ("无需租用专线。", LINE, [NEGATED]),
        ("服务器采购：无", HW, [NEGATED]),
        ("本项目不涉及新建机房、采购服务器等内容。", ROOM, [NEGATED]),
        ("本项目不涉及新建机房、采购服务器等内容。", HW, [NEGATED]),
        # past / existing
        ("原系统采购了服务器5台。", HW, [PAST]),
        ("单位已于2019年建设数据中心。", ROOM, [PAST]),
        # rules quoted / cited
        ("根据第八条，不得新建机房。", ROOM, [NEGATED]),
        ("新建或扩建非涉密机房、数据中心的项目原则上不予立项。", ROOM, [NEGATED, NEGATED]),
        ("新建或扩建非涉密机房、数据中心，新增服务器的项目原则上不予立项。", ROOM, [CITATION, CITATION]),
        ("依据《南充市市级政务信息化项目管理办法（试行）》规定，新建私有云平台须经审批。", ROOM, [CITATION]),
        ("印发《关于新建数据中心的通知》。", ROOM, [QUOTED]),
        ("《数据中心建设规范》", ROOM, []),  # 建设规范 is a noun phrase
        ("现有机房建设年代久远。", ROOM, []),
        ("办法要求“不再新建机房”。", ROOM, [NEGATED]),
        # exemptions and hypotheticals
        ("本项目拟新建涉密机房一间。", ROOM, [EXEMPT]),
        ("如需新建机房，应报领导小组审批。", ROOM, [HYPOTHETICAL]),
        # not bound at all: cloud resources, noun compounds, other verbs
        ("申请云服务器资源8台。", HW, []),
        ("建设内容包括机房改造和数据中心升级。", ROOM, []),
        ("现有机房已于2020年建成。", ROOM, []),
        ("原有APP整合至全市统一移动门户。", APP, []),
        ("将原有服务器迁移至政务云。", HW, []),
    ],
)
def test_bindings_and_status(text: str, pattern: Pattern, expected: list[str | None]) -> None:
    assert statuses(text, pattern) == expected


def test_background_heading_and_plan_heading_wins() -> None:
    assert statuses("新建机房一间。", ROOM, ("第二章 建设现状", "2.1 机房")) == [BACKGROUND]
    assert statuses("新建机房一间。", ROOM, ("第二章 建设现状", "2.3 本期建设内容")) == [None]
    assert statuses("新建机房一间。", ROOM, ("第一章 概述", "1.3 编制依据")) == [BACKGROUND]


def test_refused_is_negation_of_the_plan_only() -> None:
    [m] = find_matches("本系统暂不部署到市级政务云。", CLOUD)
    assert m.refused
    [m] = find_matches("原系统未部署到市级政务云，本期将迁移。", CLOUD)
    assert not m.refused and NEGATED in m.flags and PAST in m.flags
    [m] = find_matches("本系统依托市级政务云部署。", CLOUD)
    assert m.affirmed


def test_terms_from_settings_replaces_only_given_lists() -> None:
    t = Terms.from_settings({"negators": ["不"], "past-window": 4})
    assert t.negators == ("不",) and t.past_window == 4
    assert t.false_negators == Terms().false_negators


def test_iter_sentences_walks_paragraphs_headings_and_docx_cells() -> None:
    doc = Document(path="a.docx", format="docx")
    doc.blocks = [
        Block("第三章 建设内容", Location(paragraph=0), "heading", 1),
        Block("本期新建机房。采购终端。", Location(paragraph=1)),
        Block("目录 ...... 3", Location(paragraph=2), "toc"),
    ]
    doc.headings = [Heading("第三章 建设内容", "建设内容", "第三章", 1, 0, Location(paragraph=0))]
    build_heading_tree(doc)
    doc.tables = [
        Table(
            rows=[[Cell("设备", Location(paragraph=3), 0, 0), Cell("服务器", Location(paragraph=3), 0, 1),
                   Cell("服务器", Location(paragraph=3), 0, 2)]],
            loc=Location(paragraph=3),
        )
    ]
    got = [(s.text, s.source, s.heading) for s in iter_sentences(doc)]
    assert got == [
        ("第三章 建设内容", "heading", ("第三章 建设内容",)),
        ("本期新建机房。", "para", ("第三章 建设内容",)),
        ("采购终端。", "para", ("第三章 建设内容",)),
        ("设备", "cell", ("第三章 建设内容",)),
        ("服务器", "cell", ("第三章 建设内容",)),  # merged duplicate yielded once
    ]


def test_base_pack_reading_terms_equal_code_defaults() -> None:
    """A city pack's [settings.reading] may replace single lists; the rest fall back to the code
    defaults, so base.toml and Terms() must say the same."""
    from dossier_lint import packs

    base = packs.load_pack("base")
    assert Terms.from_settings(base.settings["reading"]) == Terms()
