"""Turn a reader's paragraphs into blocks and headings, deciding heading levels once all are seen.

Readers add paragraphs in document order with whatever they know (a Word style level, a TOC style, a
markdown level); `finish()` then classifies unstyled lines by their numbering (headings.py) and ranks
numbering styles consistently with the styled headings of the same document.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..headings import LevelRanker, is_toc_line, match_numbering, normalise
from ..model import Block, Document, Heading, Location


@dataclass(slots=True)
class _Item:
    text: str
    loc: Location
    level: int | None  # explicit heading level (style / outline / markdown), None = unknown
    toc: bool  # explicitly a table-of-contents entry (TOC style)
    detect: bool  # may be promoted to a heading by its numbering


class Builder:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.items: list[_Item] = []

    def add(
        self, text: str, loc: Location, *, level: int | None = None, toc: bool = False, detect: bool = True
    ) -> None:
        text = text.strip()
        if text:
            self.items.append(_Item(text, loc, level, toc, detect))

    def __len__(self) -> int:
        return len(self.items)

    def finish(self) -> None:
        """Append blocks and headings to the document (call once)."""
        styled_levels: dict[str, int] = {}  # numbering style -> level, learnt from styled headings
        for it in self.items:
            if it.level is not None:
                n = match_numbering(it.text)
                if n is not None:
                    styled_levels.setdefault(n.style, it.level)
        _fill_decimal(styled_levels)
        # Unstyled numbered lines nest under the styled heading in force: 一、 after a Heading 1 "第一章"
        # is level 2. Their relative order is ranked afresh under each styled heading (one ranker for
        # the whole document when nothing is styled).
        ranker = LevelRanker(base=0)
        current = 0
        doc = self.doc
        for it in self.items:
            if it.toc or (it.level is None and is_toc_line(it.text)):
                doc.blocks.append(Block(it.text, it.loc, "toc", 0))
                continue
            n = match_numbering(it.text)
            if it.level is not None:
                level = current = it.level
                ranker = LevelRanker(base=0)
            elif it.detect and n is not None:
                level = styled_levels.get(n.style) or current + ranker.level(n.style)
            else:
                doc.blocks.append(Block(it.text, it.loc, "para", 0))
                continue
            index = len(doc.blocks)
            doc.blocks.append(Block(it.text, it.loc, "heading", level))
            title = n.title if n is not None and n.title else normalise(it.text)
            number = n.number if n is not None else ""
            doc.headings.append(Heading(it.text, title, number, level, index, it.loc))
        if not any(it.level is not None for it in self.items):
            _dense_levels(doc)
        self.items = []


def _dense_levels(doc: Document) -> None:
    """Close the gaps the ranker leaves (1.1 under 第一章 with no 1. in between is level 2, not 3).

    Only for documents whose levels all come from numbering: styled levels mean what they say.
    """
    used = sorted({h.level for h in doc.headings})
    remap = {lv: i for i, lv in enumerate(used, start=1)}
    if all(k == v for k, v in remap.items()):
        return
    for h in doc.headings:
        h.level = remap[h.level]
        doc.blocks[h.block_index].level = h.level


_DEC = ("dec1", "dec2", "dec3", "dec4")


def _fill_decimal(styled: dict[str, int]) -> None:
    """1.1 sits one level below 1. whatever styles say about either: extend a known decimal level."""
    known = [(i, styled[s]) for i, s in enumerate(_DEC) if s in styled]
    if not known:
        return
    i0, l0 = known[0]
    for i, s in enumerate(_DEC):
        styled.setdefault(s, max(1, l0 + i - i0))


def heading_path_at(doc: Document, index: int) -> tuple[str, ...]:
    """Heading path in force just before block `index` (for tables placed between blocks)."""
    path: list[Heading] = []
    for h in doc.headings:
        if h.block_index >= index:
            break
        while path and path[-1].level >= h.level:
            path.pop()
        path.append(h)
    return tuple(h.text for h in path)
