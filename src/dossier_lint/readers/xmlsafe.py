"""A hardened XML parser for untrusted OOXML parts: no DTD, no entities, no network, no huge trees."""

from __future__ import annotations

from typing import Any


class UnsafeXmlError(ValueError):
    """The part declares a DTD or entities (billion laughs, XXE): refused outright."""


_FORBIDDEN = (b"<!DOCTYPE", b"<!ENTITY", "<!DOCTYPE".encode("utf-16-le"), "<!ENTITY".encode("utf-16-le"))


def _parser() -> Any:
    from lxml import etree

    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )


def check(data: bytes) -> None:
    # A DTD can only appear in the prolog, before the root element; OOXML parts never have one.
    head = data[:65536]
    if any(f in head for f in _FORBIDDEN):
        raise UnsafeXmlError("文件内部 XML 含有 DTD/实体声明，出于安全原因拒绝读取")


def parse(data: bytes) -> Any:
    """Parse bytes into an lxml element; raises UnsafeXmlError or lxml's XMLSyntaxError."""
    from lxml import etree

    check(data)
    return etree.fromstring(data, _parser())
