"""The check stage's fast paths answer exactly what the slow paths answer (issue #7).

Each shortcut skips work only where the skipped work provably finds nothing: a prefilter built from
literals every match must hold, a sentence-level test standing in for a clause-level one, a cheap
character test before NFKC, one compiled regex per process. These tests hold each shortcut to that
claim against the slow path itself, on the shipped packs' own patterns and on generated text; the
corpus end-to-end tests (exact findings of every sample package) hold the whole.
"""

from __future__ import annotations

import random
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dossier_lint import config
from dossier_lint.kinds.funding import _MAY_TERM, service_terms
from dossier_lint.model import Block, Cell, Document, Location, Table, build_heading_tree
from dossier_lint.packs import _is_id_line
from dossier_lint.sentences import (
    ANYCASE_ASCII_LETTER,
    Pattern,
    context_free,
    find_matches,
    iter_sentences,
    may_match,
    prefilter,
    regex,
    sentences_of,
    split_clauses,
    split_sentences,
)

ROOT = Path(__file__).resolve().parents[1]


def _pack_regex_lists() -> list[tuple[str, ...]]:
    """Every list of regexes a rule of the shipped packs gives (patterns, objects, ignore-if …)."""
    out: set[tuple[str, ...]] = set()
    for profile in ("nanchong", "taixing", "chenzhou"):
        s = config.resolve_settings([ROOT / "corpus" / "packages" / "nanchong-zhcg-complete"], {"profile": profile})
        for rule in s.rules():
            for value in rule.params.values():
                if isinstance(value, list) and value and all(isinstance(x, str) for x in value):
                    try:
                        for x in value:
                            re.compile(x)
                    except re.error:
                        continue  # a word list, not regexes
                    out.add(tuple(value))
    return sorted(out)


PACK_LISTS = _pack_regex_lists()
TRICKY = [
    ("(?<![A-Za-z0-9])MD5(?![0-9])", "(?<![A-Za-z0-9])SHA-?1(?![0-9])"),
    ("(?:手机|移动端|移动)?(?<![A-Za-z])[Aa][Pp][Pp](?![A-Za-z])", "(?:微信|支付宝)?小程序"),
    ("(?i)md5",), ("a(?i:b)c",), ("(?:x|y)+z",), ("foo|bar",), (r"\bword\b",), (r"(ab)\1",), ("a{2,3}b",),
    ("(?:ab)?c",), ("[^a]b",), ("(?=ab)a",), ("a.c",), ("k",), ("s",), ("i",), ("x*",), ("ab|",),
]


def test_anycase_ascii_letter_is_every_character_ignorecase_matches_to_a_letter() -> None:
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    matched = set(re.findall("[a-z]", everything, re.IGNORECASE))
    assert set(ANYCASE_ASCII_LETTER.findall(everything)) == matched


def _texts(patterns: tuple[str, ...], extra: str, n: int, seed: int) -> list[str]:
    """Short random texts over the patterns' own characters (so that they do match now and then)."""
    rnd = random.Random(seed)
    alphabet = sorted(set("".join(patterns)) | set(extra))
    return ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 14))) for _ in range(n)]


def test_a_prefilter_never_misses_a_match() -> None:
    made = 0
    for i, patterns in enumerate(PACK_LISTS + TRICKY):
        for flags in (0, re.IGNORECASE):
            pre = prefilter(patterns, flags)
            if pre is None:
                continue  # nothing known: the rule tests every sentence, as before
            made += 1
            compiled = [re.compile(p, flags) for p in patterns]
            for text in _texts(patterns, "İıſKkKsSiIaA1 -中。，", 400, i):
                if any(c.search(text) for c in compiled):
                    assert pre.search(text), (patterns, flags, text)
    assert made > len(PACK_LISTS)  # most pack lists do get one


def test_prefilters_are_literal_scans_where_they_can_be() -> None:
    crypto = prefilter(("(?<![A-Za-z0-9])MD5(?![0-9])", "Triple-?DES"), re.IGNORECASE)
    assert crypto is not None and crypto.pattern == ANYCASE_ASCII_LETTER.pattern
    assert prefilter(("机房", "数据中心", "私有云(?:平台)?")).pattern == "数据中心|私有云|机房"
    assert prefilter(("x*",)) is None  # matches the empty string: nothing is required
    assert prefilter(("机房|",)) is None
    assert prefilter(("(?i)机房",)) is None  # a case-insensitive literal without a Latin letter: unknown
    assert prefilter(()) is None


@pytest.mark.parametrize(
    ("pattern", "free"),
    [
        ("(?:采用|拟采用)(自行建设)(?:的)?方式", True), ("(?P<n>a)", True), ("(?i:vcpu)", True), (r"\d+", True),
        ("^abc", False), ("a$", False), ("[^，]x", False), ("(?<!a)b", False), ("(?=x)", False), ("(?!x)", False),
        (r"\bx", False), (r"\Bx", False), (r"(a)\1", False), ("(?P<n>a)(?P=n)", False), ("(?(1)a|b)", False),
        (r"\Ax", False), (r"x\Z", False),
    ],
)
def test_context_free(pattern: str, free: bool) -> None:
    assert context_free(pattern) is free


def test_a_context_free_pattern_matching_a_clause_matches_its_sentence() -> None:
    lists = [p for p in PACK_LISTS if all(context_free(x) for x in p)]
    assert lists
    for i, patterns in enumerate(lists):
        compiled = [re.compile(p) for p in patterns]
        for sentence in _texts(patterns, "，,但而是不。", 200, i):
            for clause in split_clauses(sentence):
                if any(c.search(clause.text) for c in compiled):
                    assert any(c.search(sentence) for c in compiled), (patterns, sentence)


ROOM = Pattern(actions=("新建", "扩建", "建设"), objects=("机房", "数据中心"))
APP = Pattern(actions=("开发", "上线"), objects=("(?:手机|移动)?(?<![A-Za-z])[Aa][Pp][Pp](?![A-Za-z])",))


@pytest.mark.parametrize("pattern", [ROOM, APP, Pattern(actions=(), objects=("机房",))])
def test_may_match_is_false_only_where_find_matches_is_empty(pattern: Pattern) -> None:
    texts = ["本项目新建机房一间。", "本项目不新建机房。", "现有数据中心运行良好。", "开发手机APP一个", "上线了",
             "机房建设标准", "无", ""]
    doc = _doc([Block(t, Location(paragraph=i)) for i, t in enumerate(texts)])
    for may, s in may_match(iter_sentences(doc), pattern):
        if not may:
            assert find_matches(s.text, pattern) == []


def _doc(blocks: list[Block], tables: list[Table] | None = None, fmt: str = "docx") -> Document:
    doc = Document(path="a.docx", format=fmt, blocks=blocks, tables=tables or [])
    build_heading_tree(doc)
    return doc


def test_cached_sentence_lists_are_the_generator_filtered() -> None:
    blocks = [
        Block("第一章 现状", Location(paragraph=0), "heading", 1),
        Block("目录 1", Location(paragraph=1), "toc"),
        Block("现有机房一间；服务器十台。\n将新建机房！", Location(paragraph=2)),
        Block("  ", Location(paragraph=3)),
        Block("x" * 2500, Location(paragraph=4)),
    ]
    cell = lambda t, r, c: Cell(t, Location(paragraph=5).with_cell(1, r + 1, c + 1), r, c)  # noqa: E731
    table = Table([[cell("名称", 0, 0), cell("名称", 0, 1)], [cell("机房；两间", 1, 0), cell("", 1, 1)]],
                  Location(paragraph=5))
    doc = _doc(blocks, [table])
    for kw in ({}, {"headings": False}, {"tables": False}, {"headings": False, "tables": False}):
        want = list(sentences_of(doc, **kw))
        assert list(iter_sentences(doc, **kw)) == want
        assert [s.text for s in want if s.source != "cell"] == [
            t for t in ["第一章 现状", "现有机房一间；", "服务器十台。", "将新建机房！", *split_sentences("x" * 2500)]
            if kw.get("headings", True) or t != "第一章 现状"
        ]
    assert [s.text for s in iter_sentences(doc) if s.block_index < 0] == ["名称", "机房；", "两间"]


@pytest.mark.parametrize("text", ["", "   ", "无分隔的一句话", " 前后有空格 ", "a" * 1000, "a" * 1001 + "，" + "b" * 10,
                                  "句一。句二", "行一\n行二", "问？答！", "半角;分号"])
def test_split_sentences_fast_path_agrees_with_the_split(text: str) -> None:
    slow = []
    for s in re.split(r"(?<=[。！？!?；;])|\n", text):
        s = s.strip() if s else ""
        if len(s) > 1000:
            return  # long pieces are cut (covered in test_sentences.py)
        if s:
            slow.append(s)
    assert split_sentences(text) == slow


def test_regex_is_compiled_once_and_reports_what_re_reports() -> None:
    assert regex("机房|数据中心") is regex("机房|数据中心")
    assert regex("a", re.I) is not regex("a")
    with pytest.raises(re.error):
        regex("(unclosed")
    for bad in (["not", "a", "pattern"], 5):
        with pytest.raises(TypeError) as ours:
            regex(bad)  # type: ignore[arg-type]
        with pytest.raises(TypeError) as theirs:
            re.compile(bad)  # type: ignore[call-overload]
        assert str(ours.value) == str(theirs.value)  # pack validation shows re's own message


@settings(max_examples=400, deadline=None, database=None)
@given(st.lists(st.sampled_from(["运维", "服务", "维护", "合同期限", "履行期限", "期", "采购", "为", "3", "五", "年",
                                 "个月", "2021", "至", "2025", "，", "质保", "本项目"]), max_size=10).map("".join))
def test_service_term_prefilter_never_hides_a_term(sentence: str) -> None:
    if service_terms(sentence):
        assert ("年" in sentence or "月" in sentence) and _MAY_TERM.search(sentence)


@settings(max_examples=400, deadline=None, database=None)
@given(st.lists(st.sampled_from(["项目单位", "：", ":", "，", ",", "。", "；", ";", " ", "南充市", "城管局", "Ａ"]),
                max_size=8).map("".join))
def test_a_label_line_never_holds_a_stop_character(text: str) -> None:
    """kinds/consistency.py skips NFKC for blocks holding ， , 。 ； ; : its label-line pattern cannot match them."""
    labels = ["项目单位", "建设单位"]
    line = re.compile(rf"^(?:{'|'.join(re.escape(x) for x in labels)})\s*[:：]\s*([^，,。；;：:\s]{{2,40}})\s*$")
    if any(ch in text for ch in "，,。；;"):
        assert not line.match(unicodedata.normalize("NFKC", text).strip())


@settings(max_examples=500, deadline=None, database=None)
@given(
    st.lists(st.sampled_from([" ", "\t", "\u3000", "id", "ID", "=", '"', "'", "DL101", "DL10", "x", "#"]), max_size=8),
    st.sampled_from(["DL101", "DL1011", 'a"b', "x"]),
)
def test_id_line_matches_as_the_per_rule_pattern_did(parts: list[str], rule_id: str) -> None:
    line = "".join(parts)
    assert _is_id_line(line, rule_id) == bool(re.match(rf"^\s*id\s*=\s*[\"']{re.escape(rule_id)}[\"']", line))


_LABEL_BITS = ["项目名称", "项目", "名称", "申报单位", "单位", "联系电话", "电话", "投资额度", "（万元）", "(万元)",
               "：", ":", "，", "；", "。", " ", "  ", "\u3000", "\n", "张三", "智慧城管", "12", "项 目", "名 称"]


@settings(max_examples=600, deadline=None, database=None)
@given(st.lists(st.sampled_from(_LABEL_BITS), max_size=14).map("".join))
def test_inline_facts_are_what_one_regex_per_label_found(text: str) -> None:
    """facts._inline finds each literal label and matches one shared value pattern where it ends."""
    from dossier_lint.facts import _LABEL_TO_KEY, _inline

    t = unicodedata.normalize("NFKC", text)
    slow = [(key, lab, m.group(1).strip()) for lab, key in _LABEL_TO_KEY for m in re.finditer(
        rf"{re.escape(lab)}\s*[:：]\s*([^:：\n]*?)(?=\s{{2,}}|\s*[\u4e00-\u9fa5]{{2,8}}[:：]|$)", t)]
    assert list(_inline(text)) == slow


@settings(max_examples=800, deadline=None, database=None)
@given(st.lists(st.sampled_from(_LABEL_BITS), max_size=14).map("".join),
       st.sampled_from(["项目名称", "名称", "单位", "申报单位", "联系电话", "投资额度", "投资额度（万元）"]))
@example("张三，投资额度（万元）：12", "投资额度（万元）")  # its own name matches first; 投资额度 too, same place
@example("项 目名称：智慧城管", "项目名称")  # a spelling of its own name: not a stop
def test_next_label_is_where_the_other_labels_alternation_matched(rest: str, label: str) -> None:
    """kinds/fields._next_label (one pattern of every label, compiled once) against the pattern it
    replaced: an alternation of every label except this one."""
    from dossier_lint.kinds.common import norm
    from dossier_lint.kinds.fields import _label_re, _next_label

    stops = sorted(["项目名称", "名称", "项目", "单位", "申报单位", "联系电话", "电话", "投资额度", "投资额度（万元）",
                    "项 目名称"], key=len, reverse=True)
    rest = unicodedata.normalize("NFKC", rest)
    alts = "|".join(_label_re(x) for x in stops if norm(x) != norm(label))
    m = re.search(rf"(?:[，,；;。]\s*)?(?:{alts})\s*(?:[（(][^（()）\n]{{0,20}}[)）]\s*)?[:：]", rest)
    assert _next_label(rest, label, stops) == (m.start() if m else None)


@settings(max_examples=1500, deadline=None, database=None)
@given(st.lists(st.sampled_from([*_LABEL_BITS, "*", "★", "、", "\t", "a", "值 ", "（说明）"]), max_size=14).map("".join),
       st.sampled_from(["项目名称", "名称", "单位", "申报单位", "投资额度", "项 目", " "]), st.booleans())
@example("*项目名称：智慧城管", "项目名称", False)
@example("甲*项目名称：智慧城管，项 目 名称:乙", "项目名称", False)
@example("  项 目名称  智慧城管", "项目名称", True)
@example("张三\t项目名称：智慧城管", "项目名称", False)
@example("张三项目名称：甲、名称：乙", "名称", False)
def test_label_head_is_what_the_per_label_patterns_found(text: str, label: str, spaced: bool) -> None:
    """kinds/fields._head (a string search in the text without whitespace, two shared patterns) against
    the two patterns it replaced, compiled per label."""
    from dossier_lint.kinds.fields import _head, _label_re

    t = unicodedata.normalize("NFKC", text)
    lab = _label_re(label)
    if not lab:
        assert _head(t, label, spaced) is None
        return
    if spaced:
        ref = re.match(rf"^\s*{lab}\s+(\S.*)$", t)
    else:
        ref = re.search(rf"(?:^|(?<=[\s，,；;。、]))[*★※]?{lab}\s*(?:[（(][^（()）\n]{{0,20}}[)）]\s*)?[:：]\s*(.*)", t, re.S)
    got = _head(t, label, spaced)
    assert (got.group(1) if got else None) == (ref.group(1) if ref else None)
