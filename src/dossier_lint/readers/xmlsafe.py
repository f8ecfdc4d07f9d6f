"""A hardened XML parser for untrusted OOXML parts: no DTD, no entities, no network, no huge trees."""

from __future__ import annotations

from typing import Any


class UnsafeXmlError(ValueError):
    """The part declares a DTD or entities (billion laughs, XXE): refused outright."""


_MESSAGE = "文件内部 XML 含有 DTD/实体声明，出于安全原因拒绝读取"
_FORBIDDEN = tuple(
    word.encode(enc) for word in ("<!DOCTYPE", "<!ENTITY") for enc in ("ascii", "utf-16-le", "utf-16-be")
)


def _parser() -> Any:
    from lxml import etree

    class _Refuse(etree.Resolver):
        # libxml2 still loads an external *parameter* entity (`<!ENTITY % p SYSTEM "file:///...">`)
        # with load_dtd=False when collect_ids=False: a local file read, or a hang on a fifo or
        # /dev/zero. Every external fetch gets an empty document instead.
        def resolve(self, url: str | None, pubid: str | None, context: Any) -> Any:
            return self.resolve_string("", context)

    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )
    parser.resolvers.add(_Refuse())
    return parser


def check(data: bytes) -> None:
    # OOXML parts never have a DTD. Search the whole part, not just its head: the prolog may hold
    # any amount of comments before a DOCTYPE. (A raw "<!" cannot occur in text, which is escaped.)
    if any(f in data for f in _FORBIDDEN):
        raise UnsafeXmlError(_MESSAGE)


def parse(data: bytes) -> Any:
    """Parse bytes into an lxml element; raises UnsafeXmlError or lxml's XMLSyntaxError."""
    from lxml import etree

    check(data)
    root = etree.fromstring(data, _parser())
    # an encoding the byte search cannot see (UTF-32, EBCDIC, ...) still declared a DTD
    if root.getroottree().docinfo.internalDTD is not None:
        raise UnsafeXmlError(_MESSAGE)
    return root
