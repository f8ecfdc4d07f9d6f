"""Find the header of a table and read its rows by field, whatever the layout.

Real tables have title rows above the header (`XX项目投资概算表`, `单位：万元`), headers of two or three
rows with merged cells (`共享属性` over `共享类型 | 共享条件 | 共享方式`; readers copy a merged value into
every cell it covers), group rows spanning the width (`一、基础信息资源`), notes below (`注：…`), and
headers repeated where a PDF table runs over a page. `read_table` finds the header by how many known
field names (and their synonyms) a row holds, and returns a `TableView` whose rows are read by field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from .model import Cell, Document, Location, Table
from .money import norm, parse_number, unit_from_header

Vocab = Mapping[str, Sequence[str]]  # field -> synonyms (the field's own name need not be listed)

# cell values that say nothing
PLACEHOLDERS = {
    "", "/", "-", "--", "—", "——", "－", "无", "暂无", "待定", "待补充", "待填", "待完善", "略", "x", "xx", "xxx",
    "n/a", "na", "null", "none", "空", "未知", "…", "...", "?", "？",
}
_NOTE = re.compile(r"^(?:注|备注|说明|填表说明|填报说明|附注|数据来源|资料来源)\s*[:：\d１-９、.]")
_SPACE = re.compile(r"\s+")
_BRACKETS = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]")


@lru_cache(maxsize=65536)  # catalogs repeat the same few values (有条件共享, 接口 …) thousands of times
def clean(text: str) -> str:
    """Cell text for matching: half-width, no spaces, no required-field stars."""
    return _SPACE.sub("", norm(text or "")).strip("*＊")


@lru_cache(maxsize=65536)
def is_blank(text: str | None) -> bool:
    """Empty or a placeholder (`/`, `无`, `待定`, `XXX` ...)."""
    t = clean(text or "").lower()
    return t in PLACEHOLDERS or bool(re.fullmatch(r"[x×*]+", t))


def _name_key(text: str) -> str:
    """Header text without bracketed units/notes: `内存（GB）` -> `内存`."""
    return _BRACKETS.sub("", clean(text))


# vocab (by identity) -> (the vocab, its cleaned (field, synonym) pairs in order, memo of match_field)
_PREPARED: dict[int, tuple[Vocab, tuple[tuple[str, str], ...], dict[str, tuple[str | None, int]]]] = {}


def _prepared(vocab: Vocab) -> tuple[Vocab, tuple[tuple[str, str], ...], dict[str, tuple[str | None, int]]]:
    """Synonyms cleaned once per vocabulary, not once per header cell (a 2,000-row catalog has many)."""
    hit = _PREPARED.get(id(vocab))
    if hit is None or hit[0] is not vocab:  # holding the vocab keeps its id from being reused
        if len(_PREPARED) >= 64:
            _PREPARED.clear()
        pairs = tuple(
            (fname, s) for fname, syns in vocab.items() for syn in (fname, *syns) if (s := clean(syn).lower())
        )
        hit = (vocab, pairs, {})
        _PREPARED[id(vocab)] = hit
    return hit


def match_field(text: str, vocab: Vocab) -> tuple[str | None, int]:
    """The field a header cell names, and how sure: 3 exact, 2 starts with a synonym, 1 contains one."""
    _, pairs, memo = _prepared(vocab)
    found = memo.get(text)
    if found is not None:
        return found
    key = _name_key(text).lower()
    if not key or len(key) > 24:
        found = (None, 0)
    else:
        best: tuple[str | None, int, int] = (None, 0, 0)  # field, score, synonym length
        for fname, s in pairs:
            if key == s:
                score = 3
            elif key.startswith(s):
                score = 2
            elif s in key:
                score = 1
            else:
                continue
            if (score, len(s)) > (best[1], best[2]):
                best = (fname, score, len(s))
        found = (best[0], best[1])
    if len(memo) < 100_000:
        memo[text] = found
    return found


@dataclass(slots=True)
class Column:
    index: int
    names: list[str]  # header texts top to bottom (merged duplicates removed)
    field: str | None = None
    score: int = 0
    unit: str | None = None  # unit its header declares (金额（万元）)

    @property
    def name(self) -> str:
        return "/".join(self.names)

    @property
    def label(self) -> str:
        """The most specific header text (bottom row)."""
        return self.names[-1] if self.names else ""


@dataclass(slots=True)
class Row:
    index: int  # row index in the table
    cells: list[Cell]
    kind: str = "data"  # data | group | note | repeat (a repeated header)

    def texts(self) -> list[str]:
        return [c.text for c in self.cells]

    def nonblank(self) -> list[Cell]:
        return [c for c in self.cells if not is_blank(c.text)]


@dataclass(slots=True)
class TableView:
    table: Table
    header: tuple[int, int]  # header rows [start, end)
    columns: list[Column]
    fields: dict[str, list[int]]  # field -> column indexes, best match first
    rows: list[Row]  # every row after the header, classified (data / group / note / repeat)
    preamble: list[str] = field(default_factory=list)  # texts of title rows above the header
    unit: str | None = None  # table-wide unit (title, 单位：万元 row, table title)
    score: int = 0

    @property
    def data(self) -> list[Row]:
        return [r for r in self.rows if r.kind == "data"]

    def has(self, fname: str) -> bool:
        return fname in self.fields

    def cell(self, row: Row, fname: str) -> Cell | None:
        """The row's cell for a field: the first non-blank among the field's columns, else the first."""
        cols = self.fields.get(fname)
        if not cols:
            return None
        first = None
        for c in cols:
            if c < len(row.cells):
                if first is None:
                    first = row.cells[c]
                if not is_blank(row.cells[c].text):
                    return row.cells[c]
        return first

    def cells(self, row: Row, fname: str) -> list[Cell]:
        return [row.cells[c] for c in self.fields.get(fname, []) if c < len(row.cells)]

    def value(self, row: Row, fname: str) -> str:
        c = self.cell(row, fname)
        return c.text.strip() if c is not None else ""

    def column_unit(self, col: int) -> str | None:
        return self.columns[col].unit if 0 <= col < len(self.columns) else None

    def header_loc(self) -> Location:
        """Where the header starts (its first non-empty cell)."""
        for c in self.table.rows[self.header[0]]:
            if c.text.strip():
                return c.loc
        return self.table.loc

    def column_loc(self, fname: str) -> Location:
        cols = self.fields.get(fname)
        if cols:
            return self.table.rows[self.header[1] - 1][cols[0]].loc
        return self.header_loc()


def _row_texts(row: list[Cell]) -> list[str]:
    return [clean(c.text) for c in row]


def _is_title_row(texts: list[str]) -> bool:
    """One value across the whole row (a merged title) or a single non-empty cell."""
    vals = [t for t in texts if t]
    return len(set(vals)) <= 1


def _numeric_share(texts: list[str]) -> float:
    vals = [t for t in texts if t]
    if not vals:
        return 0.0
    return sum(1 for t in vals if parse_number(t) is not None) / len(vals)


def _row_matches(texts: list[str], vocab: Vocab) -> dict[str, int]:
    """field -> best score in this row."""
    out: dict[str, int] = {}
    seen: set[str] = set()
    for t in texts:
        if not t or t in seen:  # merged cells repeat a value: count it once
            continue
        seen.add(t)
        f, s = match_field(t, vocab)
        if f is not None and s > out.get(f, 0):
            out[f] = s
    return out


def _score(m: dict[str, int]) -> int:
    return sum(m.values())


def read_table(table: Table, vocab: Vocab, *, min_fields: int = 2, scan_rows: int = 15) -> TableView | None:
    """The header of `table` by `vocab`, or None when no row names at least `min_fields` fields
    (with at least one exact or leading match)."""
    rows = table.rows
    if not rows:
        return None
    texts = [_row_texts(r) for r in rows]
    best_i, best_m = -1, {}
    for i in range(min(scan_rows, len(rows))):
        if _is_title_row(texts[i]) or _numeric_share(texts[i]) > 0.5:
            continue
        m = _row_matches(texts[i], vocab)
        strong = sum(1 for s in m.values() if s >= 2)
        if len(m) >= min_fields and strong >= 1 and _score(m) > _score(best_m):
            best_i, best_m = i, m
    if best_i < 0:
        return None
    start, end = best_i, best_i + 1
    # upward: a group row whose merged cells sit over distinct names below (共享属性 over 共享类型 ...)
    while start > 0 and _continues_header(texts[start - 1], texts[start], vocab, above=True):
        start -= 1
    # downward: sub-headers under merged group cells, or further named fields
    while end < len(rows) and end - start < 4 and _continues_header(texts[end], texts[end - 1], vocab, above=False):
        end += 1
    ncols = max(len(r) for r in rows)
    columns: list[Column] = []
    for c in range(ncols):
        names: list[str] = []
        for r in range(start, end):
            t = rows[r][c].text.strip() if c < len(rows[r]) else ""
            t = _SPACE.sub("", t)
            if t and (not names or names[-1] != t):
                names.append(t)
        col = Column(c, names)
        for name in reversed(names):  # the most specific (lowest) header text decides
            f, s = match_field(name, vocab)
            if f is not None:
                col.field, col.score = f, s
                break
        for name in reversed(names):
            u = unit_from_header(name)
            if u:
                col.unit = u
                break
        columns.append(col)
    fields: dict[str, list[int]] = {}
    for col in sorted(columns, key=lambda c: (-c.score, c.index)):
        if col.field is not None:
            fields.setdefault(col.field, []).append(col.index)
    preamble = [" ".join(t for t in _dedupe(r.text.strip() for r in rows[i]) if t) for i in range(start)]
    preamble = [p for p in preamble if p]
    unit = None
    for t in [table.title, *preamble]:
        if t and (re.search(r"单位|金额|币种|计量", t) or len(t) < 40):
            unit = unit_from_header(t) or unit
    header_texts = [texts[r] for r in range(start, end)]
    labels = _header_labels(columns)
    body: list[Row] = []
    in_notes = False
    for i in range(end, len(rows)):
        t = texts[i]
        if not any(t):
            continue
        row = Row(i, rows[i])
        first = next((x for x in t if x), "")
        if in_notes or _NOTE.match(first):
            row.kind = "note"
            in_notes = True
        elif any(t == h for h in header_texts) or _matches_header(t, columns, labels):
            row.kind = "repeat"
        elif ncols >= 3 and _is_title_row(t):
            row.kind = "group"
        body.append(row)
    return TableView(table, (start, end), columns, fields, body, preamble, unit, _score(best_m))


def _dedupe(items: Iterable[str]) -> list[str]:
    out: list[str] = []
    for x in items:
        if x not in out:
            out.append(x)
    return out


def _matches_header(texts: list[str], columns: list[Column], labels: list[str | None] | None = None) -> bool:
    """A header repeated on a new page: most cells equal the column's bottom header text.
    `labels` is `_header_labels(columns)` when the caller tests many rows (a 2,000-row catalog)."""
    if labels is None:
        labels = _header_labels(columns)
    named = [(t, label) for t, label in zip(texts, labels, strict=False) if label is not None]
    if len(named) < 2:
        return False
    same = sum(1 for t, label in named if t and t == label)
    return same >= max(2, int(len(named) * 0.6))


def _header_labels(columns: list[Column]) -> list[str | None]:
    """Each column's bottom header text, cleaned; None where the column has none."""
    return [clean(c.label) if c.label else None for c in columns]


def _continues_header(row: list[str], neighbour: list[str], vocab: Vocab, *, above: bool) -> bool:
    """Whether `row` (just above or below the header block) belongs to the header."""
    if not any(row) or _numeric_share(row) > 0.2:
        return False
    if _is_title_row(row):
        return False
    pairs = [(a, b) for a, b in zip(row, neighbour, strict=False) if a]
    if not pairs:
        return False
    vertical = sum(1 for a, b in pairs if a == b)  # merged vertically with the neighbour
    if above:
        # a group row: some value spans several columns where the row below has distinct names
        spans = _spans(row)
        grouped = any(
            hi - lo >= 1 and len({neighbour[k] for k in range(lo, hi + 1) if k < len(neighbour)}) > 1
            for lo, hi in spans
        )
        return grouped and vertical + sum(hi - lo + 1 for lo, hi in spans if hi > lo) >= len(pairs) * 0.6
    m = _row_matches(row, vocab)
    new_strong = [f for f, s in m.items() if s >= 2]
    if vertical >= len(pairs) * 0.5 and (new_strong or vertical < len(pairs)):
        return True
    # sub-header cells under a group cell that spans several columns in the row above
    spans = _spans(neighbour)
    under = any(hi > lo and len({row[k] for k in range(lo, hi + 1) if k < len(row) and row[k]}) > 1 for lo, hi in spans)
    return under and len(new_strong) >= 1


def _spans(row: list[str]) -> list[tuple[int, int]]:
    """Runs of equal non-empty values (merged cells): [(first, last), ...]."""
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(row):
        if not row[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(row) and row[j + 1] == row[i]:
            j += 1
        out.append((i, j))
        i = j + 1
    return out


def find_tables(doc: Document, vocab: Vocab, *, min_fields: int = 2) -> list[TableView]:
    """Every table of `doc` with a header by `vocab`. A headerless table right after a found one with
    the same number of columns is its continuation (a PDF table over a page break) and is appended."""
    out: list[TableView] = []
    prev: TableView | None = None
    for t in doc.tables:
        view = read_table(t, vocab, min_fields=min_fields)
        if view is not None:
            out.append(view)
            prev = view
            continue
        if prev is not None and t.rows and len(t.rows[0]) == len(prev.columns):
            for i, r in enumerate(t.rows):
                tx = _row_texts(r)
                if not any(tx):
                    continue
                row = Row(i, r)
                if _NOTE.match(next((x for x in tx if x), "")):
                    row.kind = "note"
                elif _matches_header(tx, prev.columns):
                    row.kind = "repeat"
                elif len(prev.columns) >= 3 and _is_title_row(tx):
                    row.kind = "group"
                prev.rows.append(row)
            continue
        prev = None
    return out
