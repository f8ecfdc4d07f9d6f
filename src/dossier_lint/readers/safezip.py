"""Zip handling for untrusted archives: name decoding, safe relative paths, bomb guards.

Guards are checked from the central directory before anything is inflated (entry count, declared
sizes, compression ratio, declared total) and again while inflating (a streamed read with a cap), so a
member whose header lies about its size cannot blow up memory either.
"""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass

from ..limits import Limits

# Members smaller than this cannot hurt whatever their ratio (a page of spaces compresses 300:1).
RATIO_MIN_BYTES = 1024 * 1024
_CHUNK = 1 << 16
_UTF8_FLAG = 0x800
_UNICODE_PATH_EXTRA = 0x7075  # Info-ZIP Unicode Path Extra Field
_DRIVE = re.compile(r"^[A-Za-z]:")


class ZipBombError(Exception):
    """An archive or member exceeds the decompression guards; str() is a Chinese reason."""


class EncryptedMemberError(Exception):
    """A member needs a password."""


@dataclass(frozen=True, slots=True)
class SafeName:
    relpath: str  # normalised, POSIX, never absolute, no '..'; "" when nothing is left
    original: str  # the decoded name as stored
    unsafe: bool  # it was absolute or climbed out with '..'


def decode_name(info: zipfile.ZipInfo) -> str:
    """The member name as its author wrote it.

    Windows' built-in zip (and WinRAR / 360压缩 by default) stores names in the ANSI code page, GBK/CP936
    on Chinese systems, without the UTF-8 flag; zipfile then decodes them as CP437 (mojibake). Recover
    the raw bytes and try, in order: the Info-ZIP Unicode Path extra field, UTF-8 (many tools write it
    without setting the flag), GB18030 (a superset of GBK), and CP437 as the standard says.
    """
    if info.flag_bits & _UTF8_FLAG:
        return info.orig_filename
    try:
        raw = info.orig_filename.encode("cp437")
    except UnicodeEncodeError:  # decoded with a metadata_encoding already
        return info.orig_filename
    unicode_path = _unicode_path_extra(info.extra, raw)
    if unicode_path is not None:
        return unicode_path
    if raw.isascii():
        return raw.decode("ascii")
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return info.orig_filename


def _unicode_path_extra(extra: bytes, raw_name: bytes) -> str | None:
    i = 0
    while i + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, i)
        body = extra[i + 4 : i + 4 + size]
        if tag == _UNICODE_PATH_EXTRA and len(body) >= 5 and body[0] == 1:
            (crc,) = struct.unpack_from("<I", body, 1)
            if crc == zlib.crc32(raw_name) & 0xFFFFFFFF:  # only valid for the name it was made for
                try:
                    return body[5:].decode("utf-8")
                except UnicodeDecodeError:
                    return None
        i += 4 + size
    return None


def safe_name(name: str) -> SafeName:
    """Normalise a member name into a relative POSIX path that cannot leave its root.

    '..' components are dropped (not resolved, so 'a/../../b' cannot reach above 'a'), as are
    drive letters and leading slashes. Nothing is ever written to disk with it; it only names a file
    in reports.
    """
    s = name.replace("\\", "/")
    unsafe = False
    if _DRIVE.match(s):
        s = s[2:]
        unsafe = True
    if s.startswith("/"):
        unsafe = True
    parts: list[str] = []
    for part in s.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            unsafe = True
            continue
        # control characters have no business in a file name shown in a report
        parts.append("".join(ch for ch in part if ch >= " " and ch != "\x7f"))
    return SafeName(posixpath.join(*parts) if parts else "", name, unsafe)


def check_archive(zf: zipfile.ZipFile, limits: Limits) -> str | None:
    """Archive-wide guards from the central directory; a Chinese reason when one is exceeded."""
    infos = zf.infolist()
    if len(infos) > limits.max_members:
        return f"压缩包含 {len(infos)} 个条目，超过上限 {limits.max_members}"
    total = sum(i.file_size for i in infos)
    if total > limits.max_decompressed_bytes:
        return f"解压后总大小声明为 {_mb(total)}，超过上限 {_mb(limits.max_decompressed_bytes)}"
    return None


def check_member(info: zipfile.ZipInfo, limits: Limits, max_bytes: int | None = None) -> str | None:
    """Per-member guards from the central directory; a Chinese reason when a bomb is suspected."""
    cap = limits.max_decompressed_bytes if max_bytes is None else max_bytes
    if info.file_size > cap:
        return f"条目 {decode_name(info)} 解压后大小声明为 {_mb(info.file_size)}，超过上限 {_mb(cap)}"
    if info.file_size > RATIO_MIN_BYTES:
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > limits.max_ratio:
            return f"条目 {decode_name(info)} 压缩比 {ratio:.0f}:1，超过上限 {limits.max_ratio}:1"
    return None


def read_capped(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    """Inflate one member in chunks, stopping as soon as more than `cap` or its declared size comes out."""
    if info.flag_bits & 0x1:
        raise EncryptedMemberError(decode_name(info))
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        # zipfile inflates bzip2 / LZMA chunks without an output bound (200 bytes of bzip2 hold 200 MB
        # of zeros), so the cap below could not stop a bomb. Office and Windows zips never use them.
        raise NotImplementedError(f"压缩方式不受支持（方式 {info.compress_type}），请用标准 ZIP（Deflate）重新压缩")
    limit = min(cap, info.file_size)
    out = bytearray()
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(_CHUNK)
            if not chunk:
                break
            out += chunk
            if len(out) > limit:
                raise ZipBombError(f"条目 {decode_name(info)} 解压后超过声明大小或上限 {_mb(limit)}")
    return bytes(out)


class MemberBudget:
    """Counts bytes inflated across one archive against max_decompressed_bytes."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.used = 0

    def read(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
        reason = check_member(info, self.limits)
        if reason:
            raise ZipBombError(reason)
        left = self.limits.max_decompressed_bytes - self.used
        if info.file_size > left:
            raise ZipBombError(f"解压总量超过上限 {_mb(self.limits.max_decompressed_bytes)}")
        data = read_capped(zf, info, left)
        self.used += len(data)
        return data


def _mb(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.0f} MB"
    return f"{n / 1024:.0f} KB"
