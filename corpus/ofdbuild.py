"""Write OFD files (GB/T 33190-2016 版式文档) for tests and fixture packages. Stdlib only, deterministic.

Low level: `text_object`, `text_code`, `path_object`, `image_object`, `page_xml` and `package` write the
parts as 数科 / 福昕 / WPS do (the `ofd:` prefix, mm units, DeltaX with the "g N v" repeat syntax, one
TextObject per run of one font, digits and Latin in a font of their own). High level: `layout(spec)`
lays a document spec out on A4 pages — the spec items of corpus/build.py: ("title", t), ("center", t),
("h1"|"h2"|"h3", t), ("p", t), ("table", rows), ("pagebreak",) — wrapping and justifying paragraphs with
a two-character first-line indent, with page numbers ("— 3 —") at the foot of each page. `scanned(n)`
writes image-only pages and `outlined(lines)` text drawn as curves (no TextCode at all).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

NS = "http://www.ofdspec.org/2016"
DATE = (2023, 6, 1, 9, 0, 0)
A4_W, A4_H = 210.0, 297.0
# 公文 page (GB/T 9704): 版心 156 x 225 mm, 28 mm from the left edge, 37 mm from the top
LEFT, TOP, WIDTH, HEIGHT = 28.0, 37.0, 156.0, 225.0
FONT_CJK, FONT_BOLD, FONT_LATIN = 3, 4, 5
# a 1x1 grey PNG: an image resource for scanned pages
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010800000000"
    "3a7e9b550000000a49444154789c6360000000020001e221bc330000000049454e44ae426082"
)


def _n(v: float) -> str:
    return f"{v:.4f}".rstrip("0").rstrip(".") if v != int(v) else str(int(v))


def deltax(advances: Sequence[float], *, style: str = "g") -> str:
    """Advances as DeltaX: style "g" compresses repeats ("g 5 4.2333 2.1167"), "list" writes each value."""
    vals = [_n(a) for a in advances]
    if style != "g":
        return " ".join(vals)
    out: list[str] = []
    i = 0
    while i < len(vals):
        j = i
        while j < len(vals) and vals[j] == vals[i]:
            j += 1
        out.append(f"g {j - i} {vals[i]}" if j - i > 1 else vals[i])
        i = j
    return " ".join(out)


def text_code(text: str, x: float | None = 0, y: float | None = None, *, dx: str | None = None,
              dy: str | None = None, p: str = "ofd:") -> str:
    attrs = ""
    if x is not None:
        attrs += f' X="{_n(x)}"'
    if y is not None:
        attrs += f' Y="{_n(y)}"'
    if dx:
        attrs += f' DeltaX="{dx}"'
    if dy:
        attrs += f' DeltaY="{dy}"'
    return f"<{p}TextCode{attrs}>{escape(text)}</{p}TextCode>"


def text_object(oid: int, boundary: Sequence[float] | str, codes: str | Sequence[str], *, size: float,
                font: int = FONT_CJK, ctm: str | None = None, attrs: str = "", p: str = "ofd:") -> str:
    box = boundary if isinstance(boundary, str) else " ".join(_n(v) for v in boundary)
    extra = f' CTM="{ctm}"' if ctm else ""
    body = codes if isinstance(codes, str) else "".join(codes)
    return (f'<{p}TextObject ID="{oid}" Boundary="{box}" Font="{font}" Size="{_n(size)}"{extra}{attrs}>'
            f'<{p}FillColor Value="0 0 0"/>{body}</{p}TextObject>')


def path_object(oid: int, boundary: Sequence[float], data: str, *, width: float = 0.25, p: str = "ofd:") -> str:
    box = " ".join(_n(v) for v in boundary)
    return (f'<{p}PathObject ID="{oid}" Boundary="{box}" LineWidth="{_n(width)}">'
            f'<{p}StrokeColor Value="0 0 0"/><{p}AbbreviatedData>{data}</{p}AbbreviatedData></{p}PathObject>')


def image_object(oid: int, boundary: Sequence[float], resource: int, *, p: str = "ofd:") -> str:
    box = " ".join(_n(v) for v in boundary)
    return f'<{p}ImageObject ID="{oid}" Boundary="{box}" CTM="{_n(boundary[2])} 0 0 {_n(boundary[3])} 0 0" ResourceID="{resource}"/>'


def page_xml(objects: Sequence[str], *, area: Sequence[float] | None = None, template: int | None = None,
             p: str = "ofd:", ns: str = NS, layer_id: int = 2) -> str:
    decl = f'xmlns:{p[:-1]}="{ns}"' if p else f'xmlns="{ns}"'
    head = f"<{p}Area><{p}PhysicalBox>{' '.join(_n(v) for v in area)}</{p}PhysicalBox></{p}Area>" if area else ""
    tpl = f'<{p}Template TemplateID="{template}" ZOrder="Background"/>' if template is not None else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<{p}Page {decl}>{head}{tpl}<{p}Content>'
            f'<{p}Layer ID="{layer_id}" Type="Body">{"".join(objects)}</{p}Layer></{p}Content></{p}Page>')


def document_xml(page_locs: Sequence[str], *, templates: Sequence[tuple[int, str]] = (), public_res: bool = True,
                 document_res: bool = False, area: Sequence[float] = (0, 0, A4_W, A4_H), p: str = "ofd:",
                 ns: str = NS) -> str:
    tpl = "".join(f'<{p}TemplatePage ID="{i}" BaseLoc="{loc}"/>' for i, loc in templates)
    res = (f"<{p}PublicRes>PublicRes.xml</{p}PublicRes>" if public_res else "") + (
        f"<{p}DocumentRes>DocumentRes.xml</{p}DocumentRes>" if document_res else "")
    pages = "".join(f'<{p}Page ID="{100 + i}" BaseLoc={quoteattr(loc)}/>' for i, loc in enumerate(page_locs))
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<{p}Document xmlns:{p[:-1]}="{ns}"><{p}CommonData>'
            f"<{p}MaxUnitID>9999</{p}MaxUnitID><{p}PageArea><{p}PhysicalBox>{' '.join(_n(v) for v in area)}"
            f"</{p}PhysicalBox></{p}PageArea>{res}{tpl}</{p}CommonData><{p}Pages>{pages}</{p}Pages></{p}Document>")


def ofd_xml(doc_roots: Sequence[str] = ("Doc_0/Document.xml",), *, title: str = "", p: str = "ofd:", ns: str = NS) -> str:
    bodies = "".join(
        f"<{p}DocBody><{p}DocInfo><{p}DocID>00000000000000000000000000000000</{p}DocID>"
        f"<{p}Title>{escape(title)}</{p}Title><{p}Creator>dossier-lint corpus</{p}Creator>"
        f"<{p}CreationDate>2023-06-01</{p}CreationDate></{p}DocInfo><{p}DocRoot>{root}</{p}DocRoot></{p}DocBody>"
        for root in doc_roots
    )
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<{p}OFD xmlns:{p[:-1]}="{ns}" Version="1.0" DocType="OFD">{bodies}</{p}OFD>'


PUBLIC_RES = (
    f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Res xmlns:ofd="{NS}" BaseLoc="Res"><ofd:Fonts>'
    f'<ofd:Font ID="{FONT_CJK}" FontName="仿宋_GB2312" FamilyName="仿宋_GB2312"/>'
    f'<ofd:Font ID="{FONT_BOLD}" FontName="黑体" FamilyName="黑体"/>'
    f'<ofd:Font ID="{FONT_LATIN}" FontName="Times New Roman" FamilyName="Times New Roman"/>'
    "</ofd:Fonts></ofd:Res>"
)


def zip_parts(parts: dict[str, str | bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)
    return buf.getvalue()


def package(pages: Sequence[str], *, templates: dict[int, str] | None = None, document_res: str | None = None,
            extra: dict[str, str | bytes] | None = None, area: Sequence[float] = (0, 0, A4_W, A4_H),
            title: str = "") -> bytes:
    """An OFD of these page contents (Doc_0/Pages/Page_N/Content.xml), with optional templates
    (Doc_0/Tpls/Tpl_ID/Content.xml), a DocumentRes.xml and any `extra` members (which win)."""
    locs = [f"Pages/Page_{i}/Content.xml" for i in range(len(pages))]
    tpl = sorted((templates or {}).items())
    parts: dict[str, str | bytes] = {
        "OFD.xml": ofd_xml(title=title),
        "Doc_0/Document.xml": document_xml(locs, templates=[(i, f"Tpls/Tpl_{i}/Content.xml") for i, _ in tpl],
                                           document_res=document_res is not None, area=area),
        "Doc_0/PublicRes.xml": PUBLIC_RES,
    }
    if document_res is not None:
        parts["Doc_0/DocumentRes.xml"] = document_res
    for i, xml in tpl:
        parts[f"Doc_0/Tpls/Tpl_{i}/Content.xml"] = xml
    for loc, xml in zip(locs, pages, strict=True):
        parts[f"Doc_0/{loc}"] = xml
    parts.update(extra or {})
    return zip_parts(parts)


# --- layout ---------------------------------------------------------------------------------------------


def _width(ch: str, size: float) -> float:
    return size * 0.5 if ch.isascii() else size


def _segments(text: str) -> list[tuple[str, bool]]:
    """Runs of one font: CJK text, and Latin letters / digits (written in a Latin font of their own)."""
    out: list[tuple[str, bool]] = []
    for ch in text:
        latin = ch.isascii() and ch != " "
        if out and out[-1][1] == latin:
            out[-1] = (out[-1][0] + ch, latin)
        else:
            out.append((ch, latin))
    return out


def _wrap(text: str, size: float, avail: float) -> list[str]:
    lines: list[str] = []
    cur, width = "", 0.0
    for ch in text:
        w = _width(ch, size)
        if cur and width + w > avail + 1e-6 and ch not in "，。、；：？！）》”":
            lines.append(cur)
            cur, width = "", 0.0
        cur += ch
        width += w
    return [*lines, cur] if cur else lines


class _Writer:
    def __init__(self, size: float, pitch: float, style: str, split_fonts: bool) -> None:
        self.size, self.pitch, self.style, self.split_fonts = size, pitch, style, split_fonts
        self.pages: list[list[str]] = [[]]
        self.y = TOP
        self.oid = 1000

    def next_id(self) -> int:
        self.oid += 1
        return self.oid

    def break_page(self) -> None:
        self.pages.append([])
        self.y = TOP

    def line(self, text: str, x: float, *, size: float | None = None, bold: bool = False,
             justify_to: float | None = None) -> None:
        """One line at the current y; `justify_to` stretches the advances to end at that x."""
        size = size or self.size
        if self.y + size > TOP + HEIGHT:
            self.break_page()
        advances = [_width(ch, size) for ch in text]
        if justify_to is not None and len(text) > 1:
            extra = (justify_to - x - sum(advances)) / (len(text) - 1)
            advances = [a + extra for a in advances[:-1]] + advances[-1:]
        baseline = size * 0.88
        pos = x
        parts = _segments(text) if self.split_fonts else [(text, False)]
        k = 0
        for seg, latin in parts:
            adv = advances[k : k + len(seg)]
            k += len(seg)
            width = sum(adv)
            dx = deltax(adv[:-1], style=self.style) if len(seg) > 1 and self.style != "none" else None
            font = FONT_LATIN if latin else FONT_BOLD if bold else FONT_CJK
            self.pages[-1].append(text_object(
                self.next_id(), (pos, self.y, max(width, 0.1), size * 1.2),
                text_code(seg, 0, baseline, dx=dx), size=size, font=font))
            pos += width
        self.y += self.pitch if size <= self.size else size * 1.8

    def paragraph(self, text: str) -> None:
        indent = 2 * self.size
        first = _wrap(text, self.size, WIDTH - indent)[:1]
        lines = first + _wrap(text[len(first[0]):], self.size, WIDTH) if first else []
        for i, ln in enumerate(lines):
            x = LEFT + (indent if i == 0 else 0)
            self.line(ln, x, justify_to=LEFT + WIDTH if i < len(lines) - 1 else None)

    def table(self, rows: Sequence[Sequence[str]]) -> None:
        cols = max(len(r) for r in rows)
        cw, rh = WIDTH / cols, self.size * 2
        if self.y + rh * len(rows) > TOP + HEIGHT:
            self.break_page()
        top = self.y
        objs = self.pages[-1]
        for r in range(len(rows) + 1):
            objs.append(path_object(self.next_id(), (LEFT, top + r * rh, WIDTH, 0.3), f"M 0 0.15 L {_n(WIDTH)} 0.15"))
        for c in range(cols + 1):
            objs.append(path_object(self.next_id(), (LEFT + c * cw, top, 0.3, rh * len(rows)),
                                    f"M 0.15 0 L 0.15 {_n(rh * len(rows))}"))
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                if cell:
                    size = self.size * 0.8
                    adv = [_width(ch, size) for ch in cell]
                    dx = deltax(adv[:-1], style=self.style) if len(cell) > 1 else None
                    objs.append(text_object(self.next_id(), (LEFT + c * cw + 1.5, top + r * rh + 1.5, cw - 3, rh - 3),
                                            text_code(cell, 0, size * 0.88 + (rh - 3 - size) / 2, dx=dx), size=size))
        self.y = top + rh * len(rows) + self.pitch * 0.5


def layout(spec: Sequence[tuple], *, size: float = 4.2333, pitch: float | None = None, style: str = "g",
           page_numbers: bool = True, split_fonts: bool = True, running_header: str | None = None,
           title: str = "") -> bytes:
    """An A4 OFD of a document spec (see the module docstring). `style`: DeltaX as "g" (compressed), "list"
    or "none" (no DeltaX: advances implied). `running_header` goes into a page template, as some writers
    put the 版头 or a running header."""
    w = _Writer(size, pitch or size * 1.75, style, split_fonts)
    for item in spec:
        kind = item[0]
        if kind == "pagebreak":
            w.break_page()
        elif kind in ("title", "center"):
            big = size * 1.5 if kind == "title" else size
            for part in _wrap(item[1], big, WIDTH):
                width = sum(_width(ch, big) for ch in part)
                w.line(part, LEFT + (WIDTH - width) / 2, size=big, bold=kind == "title")
        elif kind in ("h1", "h2", "h3"):
            w.line(item[1], LEFT, bold=True)
        elif kind == "p":
            w.paragraph(item[1])
        elif kind == "table":
            w.table(item[1])
        else:
            raise ValueError(f"unknown spec item {kind!r}")
    pages = []
    for n, objs in enumerate(w.pages, start=1):
        if page_numbers:
            label = f"— {n} —"
            width = sum(_width(ch, size) for ch in label)
            objs = [*objs, text_object(w.next_id(), (LEFT + (WIDTH - width) / 2, A4_H - 28, width, size * 1.2),
                                       text_code(label, 0, size * 0.88, dx=deltax([_width(c, size) for c in label[:-1]])),
                                       size=size, font=FONT_LATIN)]
        pages.append(page_xml(objs, template=1 if running_header else None))
    templates = None
    if running_header:
        hw = sum(_width(ch, size) for ch in running_header)
        templates = {1: page_xml([text_object(1, (LEFT + (WIDTH - hw) / 2, 15, hw, size * 1.2),
                                              text_code(running_header, 0, size * 0.88), size=size)])}
    return package(pages, templates=templates, title=title)


def scanned(pages: int = 1) -> bytes:
    """Image-only pages (a scan): no TextObject anywhere."""
    res = (f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Res xmlns:ofd="{NS}" BaseLoc="Res"><ofd:MultiMedias>'
           '<ofd:MultiMedia ID="50" Type="Image"><ofd:MediaFile>scan.png</ofd:MediaFile></ofd:MultiMedia>'
           "</ofd:MultiMedias></ofd:Res>")
    body = [page_xml([image_object(60 + i, (0, 0, A4_W, A4_H), 50)]) for i in range(pages)]
    return package(body, document_res=res, extra={"Doc_0/Res/scan.png": PNG})


def outlined(lines: Sequence[str], size: float = 4.2333) -> bytes:
    """Text converted to curves ("转曲"): every glyph a small closed path, not one TextCode."""
    objs = []
    oid = 10
    for i, line in enumerate(lines):
        y = TOP + i * size * 1.75
        for j, _ch in enumerate(line):
            oid += 1
            s = _n(size * 0.8)
            objs.append(path_object(oid, (LEFT + j * size, y, size, size), f"M 0 0 L {s} 0 L {s} {s} L 0 {s} C"))
    return package([page_xml(objs)])
