"""The one document model every reader produces and every check reads.

Readers know formats; checks know only this module. Data flows one way:
discover -> read -> classify -> extract facts -> check -> report.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

# Document statuses (part of the JSON schema: never rename).
OK = "ok"
PARTIAL = "partial"
UNREADABLE = "unreadable"

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True, slots=True)
class Location:
    """Where a block sits. Only the fields that apply to the format are set."""

    page: int | None = None  # PDF, 1-based
    paragraph: int | None = None  # DOCX body paragraph index, 0-based
    heading: tuple[str, ...] = ()  # heading path, outermost first
    sheet: str | None = None  # XLSX
    cell: str | None = None  # XLSX, e.g. "B7"
    line: int | None = None  # plain text, 1-based
    # DOCX / PDF table cells (1-based); XLSX cells use `cell` instead
    table: int | None = None
    row: int | None = None
    col: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.page is not None:
            out["page"] = self.page
        if self.paragraph is not None:
            out["paragraph"] = self.paragraph
        if self.heading:
            out["heading"] = " > ".join(self.heading)
        if self.sheet is not None:
            out["sheet"] = self.sheet
        if self.cell is not None:
            out["cell"] = self.cell
        if self.line is not None:
            out["line"] = self.line
        for key in ("table", "row", "col"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out

    def short(self) -> str:
        """Compact form for one-line text output: p12, ¶34, 'Sheet1'!B3, L5."""
        if self.sheet is not None:
            return f"{self.sheet}!{self.cell}" if self.cell else self.sheet
        cell = ""
        if self.table is not None:
            cell = f"表{self.table}"
            if self.row is not None:
                cell += f"第{self.row}行" + (f"第{self.col}列" if self.col is not None else "")
        if self.page is not None:
            return f"p{self.page}" + (f":{cell}" if cell else "")
        if self.line is not None:
            return f"L{self.line}"
        if self.paragraph is not None:
            return f"¶{self.paragraph + 1}" + (f":{cell}" if cell else "")
        return cell

    def with_heading(self, path: tuple[str, ...]) -> Location:
        return replace(self, heading=path)

    def with_cell(self, table: int, row: int, col: int) -> Location:
        """The location of one cell of a DOCX/PDF table (all 1-based)."""
        return replace(self, table=table, row=row, col=col)


@dataclass(slots=True)
class Block:
    """A run of text: a paragraph, a heading, a PDF line group or a sheet cell."""

    text: str
    loc: Location
    kind: str = "para"  # para | heading | cell | toc
    level: int = 0  # heading level, 1 = top; 0 for non-headings


@dataclass(slots=True)
class Cell:
    text: str
    loc: Location
    row: int  # 0-based within the table
    col: int


@dataclass(slots=True)
class Table:
    rows: list[list[Cell]]
    loc: Location  # where the table starts
    title: str = ""  # sheet name, or the paragraph just above the table

    def text_rows(self) -> list[list[str]]:
        return [[c.text for c in row] for row in self.rows]


@dataclass(slots=True)
class Heading:
    text: str  # as written, numbering included
    title: str  # numbering stripped
    number: str  # e.g. "第五章", "1.2", "（三）"; "" for style-only headings
    level: int
    block_index: int  # index of its block in Document.blocks
    loc: Location
    children: list[Heading] = field(default_factory=list)


@dataclass(slots=True)
class ReadIssue:
    """Something a reader noticed about the file itself; becomes an `input` diagnostic.

    `code` selects the rule (see the `input` rules in checks/base.toml); `args` fill its message.
    """

    code: str
    args: dict[str, Any] = field(default_factory=dict)
    loc: Location | None = None
    evidence: str | None = None


@dataclass(slots=True)
class Document:
    path: str  # relative to the package root, POSIX separators
    format: str  # pdf | docx | xlsx | txt | md | csv | doc | xls | wps | et | ofd | zip | unknown
    size: int = 0
    status: str = OK
    reason: str | None = None  # why partial / unreadable, in Chinese
    pages: int | None = None
    blocks: list[Block] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)  # flat, document order
    issues: list[ReadIssue] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    sha256: str = ""
    # Set by classify:
    kind: str = "unknown"
    parts: list[str] = field(default_factory=list)  # further kinds held inside (e.g. a catalog chapter)
    kind_reason: str = ""

    @property
    def readable(self) -> bool:
        return self.status != UNREADABLE

    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)

    def roots(self) -> list[Heading]:
        """Top of the heading tree (children are filled by `build_heading_tree`)."""
        return [h for h in self.headings if not _has_parent(self, h)]

    def section_blocks(self, heading: Heading) -> list[Block]:
        """Blocks under `heading` up to the next heading of the same or a higher level."""
        start = heading.block_index + 1
        out: list[Block] = []
        for b in self.blocks[start:]:
            if b.kind == "heading" and b.level <= heading.level:
                break
            out.append(b)
        return out

    def section_text(self, heading: Heading) -> str:
        return "\n".join(b.text for b in self.section_blocks(heading))


def _has_parent(doc: Document, h: Heading) -> bool:
    return any(h in other.children for other in doc.headings)


def build_heading_tree(doc: Document) -> None:
    """Fill `Heading.children` from levels and give each block its heading path."""
    stack: list[Heading] = []
    for h in doc.headings:
        h.children = []
    for h in doc.headings:
        while stack and stack[-1].level >= h.level:
            stack.pop()
        if stack:
            stack[-1].children.append(h)
        stack.append(h)
    # heading paths on blocks
    path: list[Heading] = []
    by_index = {h.block_index: h for h in doc.headings}
    for i, b in enumerate(doc.blocks):
        h = by_index.get(i)
        if h is not None:
            while path and path[-1].level >= h.level:
                path.pop()
            path.append(h)
        titles = tuple(x.text for x in path)
        if b.loc.heading != titles:
            b.loc = b.loc.with_heading(titles)
        if h is not None:
            h.loc = b.loc


@dataclass(slots=True)
class Fact:
    value: Any
    file: str
    loc: Location | None = None
    evidence: str = ""

    def to_dict(self) -> dict[str, Any]:
        v = self.value
        if isinstance(v, Decimal):
            v = format(v.normalize(), "f") if v == v.to_integral() else str(v)
        return {
            "value": v,
            "file": self.file,
            "location": self.loc.to_dict() if self.loc else {},
            "evidence": self.evidence,
        }


@dataclass(slots=True)
class Facts:
    """Project facts, each with every place it was found (form first, then reports)."""

    values: dict[str, list[Fact]] = field(default_factory=dict)

    def add(self, key: str, fact: Fact) -> None:
        self.values.setdefault(key, []).append(fact)

    def get(self, key: str, default: Any = None) -> Any:
        found = self.values.get(key)
        return found[0].value if found else default

    def all(self, key: str) -> list[Fact]:
        return self.values.get(key, [])

    def to_dict(self) -> dict[str, Any]:
        return {
            k: {"value": v[0].to_dict()["value"], "sources": [f.to_dict() for f in v]}
            for k, v in self.values.items()
            if v
        }


@dataclass(slots=True)
class Package:
    path: str  # as given / found, for display
    name: str
    documents: list[Document] = field(default_factory=list)
    facts: Facts = field(default_factory=Facts)
    issues: list[ReadIssue] = field(default_factory=list)  # package-level (bad zip, ...)

    def of_kind(self, *kinds: str) -> list[Document]:
        """Documents whose main kind or one of whose parts is any of `kinds`."""
        return [d for d in self.documents if d.kind in kinds or any(p in kinds for p in d.parts)]

    def readable(self) -> Iterator[Document]:
        return (d for d in self.documents if d.readable)


@dataclass(frozen=True, slots=True)
class Basis:
    source: str  # document number, e.g. 南府办发〔2023〕14号
    article: str  # e.g. 第十六条

    def to_dict(self) -> dict[str, str]:
        return {"source": self.source, "article": self.article}

    def __str__(self) -> str:
        return f"{self.source} {self.article}".strip()


_WS = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """NFKC (full-width -> half-width), no whitespace: for matching and fingerprints."""
    return _WS.sub("", unicodedata.normalize("NFKC", text))


@dataclass(slots=True)
class Diagnostic:
    rule: str
    name: str
    severity: str
    category: str
    message: str
    file: str | None = None  # relative to the package; None = the package as a whole
    loc: Location | None = None
    basis: tuple[Basis, ...] = ()
    evidence: str | None = None
    data: dict[str, Any] = field(default_factory=dict)  # rule-specific detail (e.g. matches)
    key: str = ""  # stable discriminator when there is no evidence (e.g. the missing kind)
    state: str | None = None  # baseline: new | unchanged ; None when no baseline
    waived: str | None = None  # waiver reason when waived

    @property
    def fingerprint(self) -> str:
        """Survives edits: rule + file + heading path + normalised evidence; never page numbers."""
        heading = " > ".join(self.loc.heading) if self.loc else ""
        where = self.loc.sheet or "" if self.loc else ""
        payload = "\x1f".join(
            [
                self.rule,
                self.file or "",
                where,
                normalise_text(heading),
                normalise_text(self.evidence or self.key or self.message),
            ]
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]

    def sort_key(self) -> tuple:
        loc = self.loc or Location()
        return (
            self.file or "",
            loc.sheet or "",
            loc.page or 0,
            loc.paragraph or 0,
            loc.line or 0,
            _cell_order(loc.cell),
            self.rule,
            self.message,
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule,
            "name": self.name,
            "severity": self.severity,
            "category": self.category,
            "message": self.message,
            "file": self.file,
            "location": self.loc.to_dict() if self.loc else {},
            "basis": [b.to_dict() for b in self.basis],
            "evidence": self.evidence,
            "fingerprint": self.fingerprint,
        }
        if self.data:
            out["data"] = self.data
        if self.state is not None:
            out["baseline"] = self.state
        if self.waived is not None:
            out["waived"] = self.waived
        return out


_CELL = re.compile(r"([A-Z]+)(\d+)")


def _cell_order(cell: str | None) -> tuple[int, int]:
    if not cell:
        return (0, 0)
    m = _CELL.fullmatch(cell)
    if not m:
        return (0, 0)
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return (int(m.group(2)), col)


# --- pickling ------------------------------------------------------------------------------------------


def _pickle_as_call(cls: type) -> None:
    """Pickle instances as `cls(*fields)`. A slots dataclass otherwise pickles through dataclasses'
    Python-level __getstate__/__setstate__ (a fields() call per object), and a 380-page package is
    ~100k objects that the cache and the batch workers pickle: this is ~40 % faster both ways and
    20 % smaller. The model holds no reference cycles (a cycle would not survive constructor calls)."""
    import operator
    from dataclasses import fields

    names = tuple(f.name for f in fields(cls))
    get = operator.attrgetter(*names)
    if len(names) == 1:
        cls.__reduce__ = lambda self: (cls, (get(self),))  # type: ignore[method-assign]
    else:
        cls.__reduce__ = lambda self: (cls, get(self))  # type: ignore[method-assign]


for _cls in (Location, Block, Cell, Table, Heading, ReadIssue, Document, Fact, Facts, Package, Basis, Diagnostic):
    _pickle_as_call(_cls)
del _cls
