"""Tell a file's real format from its bytes (magic numbers, zip part names, OLE stream names).

The suffix is only a hint: a .doc renamed from .docx is read as .docx, a .docx that is really a
legacy Word file is reported as legacy.
"""

from __future__ import annotations

import io
import posixpath
import zipfile

# Legacy binary formats we recognise but do not read: (name shown to users, what to save as)
LEGACY_FORMATS: dict[str, tuple[str, str]] = {
    "doc": ("Word 97-2003 文档（.doc）", ".docx"),
    "wps": ("WPS 文字文档（.wps）", ".docx"),
    "xls": ("Excel 97-2003 工作簿（.xls）", ".xlsx"),
    "et": ("WPS 表格文档（.et）", ".xlsx"),
    "ppt": ("PowerPoint 97-2003 演示文稿（.ppt）", ".pptx"),
    "dps": ("WPS 演示文档（.dps）", ".pptx"),
}

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
TEXT_SUFFIXES = {".txt": "txt", ".md": "md", ".markdown": "md", ".csv": "csv"}
LEGACY_SUFFIXES = {".doc": "doc", ".xls": "xls", ".wps": "wps", ".et": "et", ".ppt": "ppt", ".dps": "dps"}
OOXML_SUFFIXES = {".docx": "docx", ".docm": "docx", ".xlsx": "xlsx", ".xlsm": "xlsx", ".pptx": "pptx"}

_IMAGE_MAGICS = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpg"),
    (b"GIF8", "gif"),
    (b"II*\x00", "tif"),
    (b"MM\x00*", "tif"),
    (b"BM", "bmp"),
)
_OTHER_MAGICS = (
    (b"{\\rtf", "rtf"),
    (b"Rar!\x1a\x07", "rar"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x1f\x8b", "gz"),
)


def suffix_of(relpath: str) -> str:
    return posixpath.splitext(relpath)[1].lower()


def sniff(relpath: str, data: bytes) -> str:
    """One of: pdf docx xlsx pptx ofd zip encrypted-ooxml doc xls wps et ppt dps txt md csv
    png jpg ... rtf rar 7z gz, 'bad-zip' (zip magic, broken archive), 'empty' or 'unknown'."""
    if not data:
        return "empty"
    suffix = suffix_of(relpath)
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(OLE_MAGIC):
        return _sniff_ole(suffix, data)
    if data.startswith(ZIP_MAGICS):
        return _sniff_zip(suffix, data)
    for magic, fmt in _IMAGE_MAGICS + _OTHER_MAGICS:
        if data.startswith(magic):
            return fmt
    if suffix in TEXT_SUFFIXES:
        return TEXT_SUFFIXES[suffix]
    if suffix == ".pdf" and data.lstrip()[:5] != b"%PDF-":
        return "unknown"
    return "unknown"


def _sniff_ole(suffix: str, data: bytes) -> str:
    # Directory entries store stream names in UTF-16LE; a byte search is enough to tell them apart.
    if "EncryptedPackage".encode("utf-16-le") in data:
        return "encrypted-ooxml"  # a password-protected .docx/.xlsx is an OLE2 container
    if suffix in LEGACY_SUFFIXES:
        return LEGACY_SUFFIXES[suffix]
    if "WordDocument".encode("utf-16-le") in data:
        return "doc"
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return "xls"
    if "PowerPoint Document".encode("utf-16-le") in data:
        return "ppt"
    return {".docx": "doc", ".xlsx": "xls", ".pptx": "ppt"}.get(suffix, "ole")


def _sniff_zip(suffix: str, data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = {n.lower() for n in zf.namelist()}
    except Exception:
        return "bad-zip"
    if "word/document.xml" in names or any(n.startswith("word/") and n.endswith(".xml") for n in names):
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    if "ofd.xml" in names:
        return "ofd"
    if "[content_types].xml" in names and suffix in OOXML_SUFFIXES:
        return OOXML_SUFFIXES[suffix]
    return "zip"
