"""Find packages under a path and list their files' bytes, read once and read-only.

A package is a folder or a .zip of one project's documents. A review round (a folder of package
folders / zips) yields one package per child. Zips are read in memory, never extracted; member names
are decoded (GBK/CP936 from Windows, UTF-8), normalised to safe relative paths, and checked against the
zip-bomb guards before and while inflating. Nested zips are read as sub-folders up to
`Limits.max_nesting`.
"""

from __future__ import annotations

import io
import os
import re
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .limits import Limits
from .model import ReadIssue

# Files that belong to the tool or the OS, never to the package.
TOOL_FILES = {
    "dossier-lint.toml",
    "dossier-lint-waivers.toml",
    "dossier-lint-baseline.json",
    "waivers.toml",
    "baseline.json",
    "thumbs.db",
    "desktop.ini",
}
_TOOL_PREFIX = "dossier-lint"
_TOOL_SUFFIXES = (".waivers.toml", ".baseline.json")
_ARCHIVE_SUFFIX = ".zip"
# A child folder named like a document category ("01 可研报告", "附件") belongs to one package; named
# like a project ("XX市智慧城管系统建设项目") it is a package of a review round.
_CATEGORY = re.compile(
    r"申报表|审查表|审批表|基本情况|可研|可行性|初步设计|初设|实施方案|需求方案|方案|附件|附表|批复|批示|"
    r"概算|预算|估算|合同|纪要|证明|目录|图纸|佐证|其他|其它|正文|扫描|前置"
)  # not 材料/资料/文件/申报: "XX局申报材料" names a whole package in a round
_PROJECT = re.compile(r"项目|系统|平台|工程|建设|升级|改造|运维|服务")


@dataclass(slots=True, unsafe_hash=True)
class PackageSource:
    path: Path
    name: str
    is_zip: bool
    # package-level problems found by iter_members (the package zip itself is bad): Package.issues
    issues: list[ReadIssue] = field(default_factory=list, compare=False, hash=False)


@dataclass(slots=True)
class Member:
    """One file of a package.

    - `data` set, `issue` None: read it.
    - `data` None, `issue` set: the file could not be taken (too large, zip bomb, encrypted member, nested
      too deep, I/O error); report `issue` for it as an unreadable document.
    - `data` and `issue` both set: read it and also report `issue` (e.g. an unsafe name was normalised).
    Problems with the package as a whole (a bad or bomb package zip) go to `PackageSource.issues`.
    """

    relpath: str
    data: bytes | None
    size: int
    issue: ReadIssue | None = None


def is_ignored(name: str) -> bool:
    """Hidden files, Office lock files, OS litter and the tool's own files."""
    low = name.lower()
    return (
        name.startswith((".", "~$", "__MACOSX"))
        or low in TOOL_FILES
        or (low.startswith(_TOOL_PREFIX) and low.endswith((".toml", ".json", ".yaml", ".yml")))
        or low.endswith(_TOOL_SUFFIXES)
    )


def _visible_entries(folder: Path) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as it:
            entries = [e for e in it if not is_ignored(e.name)]
    except OSError:
        return []
    return sorted(entries, key=lambda e: e.name)


def _is_file(e: os.DirEntry[str]) -> bool:
    try:
        return e.is_file(follow_symlinks=False)
    except OSError:
        return False


def _is_dir(e: os.DirEntry[str]) -> bool:
    try:
        return e.is_dir(follow_symlinks=False)
    except OSError:
        return False


def find_packages(root: Path) -> list[PackageSource]:
    """Packages under `root`: the zip or folder itself, or each package of a review-round folder."""
    root = Path(root)
    if root.is_symlink():
        root = root.resolve()  # the user named it explicitly; only links found inside are not followed
    if root.is_file():
        is_zip = root.suffix.lower() == _ARCHIVE_SUFFIX
        return [PackageSource(root, root.stem if is_zip else root.name, is_zip)]
    if not root.is_dir():
        return []
    entries = _visible_entries(root)
    files = [e for e in entries if _is_file(e)]
    dirs = [e for e in entries if _is_dir(e)]
    zips = [e for e in files if e.name.lower().endswith(_ARCHIVE_SUFFIX)]
    docs = [e for e in files if e not in zips]
    here = [PackageSource(root, root.name or root.resolve().name or str(root), False)]
    if docs or not (dirs or zips):
        return here
    if not zips and _looks_like_categories([d.name for d in dirs]):
        return here  # "01 申报表/", "02 可研报告/", "附件/": one package sorted into folders
    if len(dirs) + len(zips) == 1:
        only = (dirs or zips)[0]  # a round of one, or a folder around an unzipped package
        return [PackageSource(Path(only.path), _name(only), bool(zips))]
    out = [PackageSource(Path(e.path), _name(e), e in zips) for e in sorted(dirs + zips, key=lambda e: e.name)]
    return out


def _name(e: os.DirEntry[str]) -> str:
    return e.name[: -len(_ARCHIVE_SUFFIX)] if e.name.lower().endswith(_ARCHIVE_SUFFIX) else e.name


def _looks_like_categories(names: list[str]) -> bool:
    category = sum(1 for n in names if _CATEGORY.search(n) and not _PROJECT.search(n))
    project = sum(1 for n in names if _PROJECT.search(n))
    return category > project and category * 2 >= len(names)


# --- members -------------------------------------------------------------------------------------


def iter_members(src: PackageSource, limits: Limits | None = None) -> Iterator[Member]:
    """Every file of the package, in a stable order, with its bytes (never raises)."""
    limits = limits or Limits()
    seen: set[str] = set()
    src.issues.clear()  # derived afresh on every iteration
    if src.is_zip:
        raw = _read_file(src.path, limits, src.path.name, package=True)
        if isinstance(raw, Member):
            if raw.issue is not None:
                src.issues.append(raw.issue)
            return
        for m in _unique(_zip_members(raw, "", limits, depth=0, package=True), seen):
            if m.relpath:
                yield m
            elif m.issue is not None:
                src.issues.append(m.issue)
    elif src.path.is_file():
        yield from _unique(iter([_file_member(src.path, src.path.name, limits)]), seen)
    else:
        yield from _unique(_folder_members(src.path, "", limits), seen)


def _unique(members: Iterator[Member], seen: set[str]) -> Iterator[Member]:
    """Two zip entries can normalise to one path ('a.pdf', '../a.pdf', or a name stored twice)."""
    for m in members:
        if m.relpath:
            base, n = m.relpath, 2
            while m.relpath in seen:
                stem, dot, ext = base.rpartition(".")
                m.relpath = f"{stem} ({n}).{ext}" if dot and "/" not in ext else f"{base} ({n})"
                n += 1
            seen.add(m.relpath)
        yield m


# Sub-folders of a package deeper than this are not walked: no filing plan has them, and the walk
# recurses (1,000 levels were a RecursionError that cost the whole package).
MAX_FOLDER_DEPTH = 32


def _folder_members(folder: Path, prefix: str, limits: Limits, depth: int = 0) -> Iterator[Member]:
    for e in _visible_entries(folder):
        rel = f"{prefix}{e.name}"
        if _is_dir(e):
            if depth >= MAX_FOLDER_DEPTH:
                reason = f"文件夹层级超过 {MAX_FOLDER_DEPTH} 层，其中的文件未检查，请整理目录层级后重新提交"
                yield Member(rel, None, 0, ReadIssue("unreadable", {"reason": reason}))
                continue
            yield from _folder_members(Path(e.path), rel + "/", limits, depth + 1)
        elif _is_file(e):  # symlinks, fifos, devices and sockets are skipped
            m = _file_member(Path(e.path), rel, limits)
            if m.data is not None and rel.lower().endswith(_ARCHIVE_SUFFIX):
                yield from _nested(m, limits, depth=0)
            else:
                yield m


def _file_member(path: Path, rel: str, limits: Limits) -> Member:
    raw = _read_file(path, limits, rel)
    if isinstance(raw, Member):
        return raw
    return Member(rel, raw, len(raw))


def _read_file(path: Path, limits: Limits, rel: str, package: bool = False) -> bytes | Member:
    """Read a regular file read-only, without following a link or blocking on a fifo."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        return Member(rel, None, 0, ReadIssue("unreadable", {"reason": _os_reason(exc)}))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return Member(rel, None, 0, ReadIssue("unreadable", {"reason": "不是普通文件"}))
        cap = limits.max_decompressed_bytes if package else limits.max_file_bytes
        cap = max(cap, limits.max_file_bytes)
        if st.st_size > cap:
            return Member(rel, None, st.st_size, ReadIssue("too-large", {"size": st.st_size, "limit": cap}))
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(cap + 1)
        if len(data) > cap:  # grew while we read it
            return Member(rel, None, len(data), ReadIssue("too-large", {"size": len(data), "limit": cap}))
        return data
    except OSError as exc:
        return Member(rel, None, 0, ReadIssue("unreadable", {"reason": _os_reason(exc)}))
    finally:
        os.close(fd)


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "无权限读取该文件"
    return f"读取文件失败（{exc.strerror or type(exc).__name__}）"


def _nested(m: Member, limits: Limits, depth: int, budget: object = None) -> Iterator[Member]:
    """A zip inside a package: a sub-folder named after it. `depth` counts the archives it is inside
    (0 for a zip lying in a package folder, 1 for a zip inside the package zip, ...)."""
    assert m.data is not None
    from .readers.sniff import sniff

    fmt = sniff(m.relpath, m.data)
    if fmt not in ("zip", "bad-zip"):  # a .docx renamed .zip, say: let the reader tell
        yield m
        return
    if depth > limits.max_nesting:
        yield Member(m.relpath, None, m.size, ReadIssue("nested-archive", {"name": m.relpath}))
        return
    yield from _zip_members(m.data, m.relpath + "/", limits, depth=depth, package=False, budget=budget)


def _zip_members(
    data: bytes, prefix: str, limits: Limits, depth: int, package: bool, budget: object = None
) -> Iterator[Member]:
    from .readers import safezip

    where = prefix.rstrip("/")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except Exception:
        reason = "压缩包已损坏或被截断（可能未下载完整），无法打开，请重新下载或重新压缩后提交"
        yield Member(where if not package else "", None, len(data), ReadIssue("unreadable", {"reason": reason}))
        return
    with zf:
        reason = safezip.check_archive(zf, limits)
        if reason:
            yield Member(where if not package else "", None, len(data), ReadIssue("zip-bomb", {"reason": reason}))
            return
        # one budget for an archive and every archive inside it
        if not isinstance(budget, safezip.MemberBudget):
            budget = safezip.MemberBudget(limits)
        entries = []
        for info in zf.infolist():
            if info.is_dir():
                continue
            name = safezip.safe_name(safezip.decode_name(info))
            if not name.relpath or any(is_ignored(p) for p in name.relpath.split("/")):
                continue
            entries.append((name, info))
        entries.sort(key=lambda x: x[0].relpath)
        for name, info in entries:
            rel = prefix + name.relpath
            issue = ReadIssue("unsafe-member", {"name": name.original}) if name.unsafe else None
            try:
                if info.file_size > limits.max_file_bytes:
                    yield Member(rel, None, info.file_size, ReadIssue("too-large", {"size": info.file_size, "limit": limits.max_file_bytes}))
                    continue
                content = budget.read(zf, info)
            except safezip.ZipBombError as exc:
                yield Member(rel, None, info.file_size, ReadIssue("zip-bomb", {"reason": str(exc)}))
                continue
            except safezip.EncryptedMemberError:
                yield Member(rel, None, info.file_size, ReadIssue("encrypted", {}))
                continue
            except NotImplementedError:
                reason = f"压缩方式不受支持（方式 {info.compress_type}），请用标准 ZIP 重新压缩"
                yield Member(rel, None, info.file_size, ReadIssue("unreadable", {"reason": reason}))
                continue
            except Exception:
                reason = "压缩包中该文件已损坏（校验失败或数据被截断），请重新压缩后提交"
                yield Member(rel, None, info.file_size, ReadIssue("unreadable", {"reason": reason}))
                continue
            m = Member(rel, content, len(content), issue)
            if rel.lower().endswith(_ARCHIVE_SUFFIX):
                inner = list(_nested(m, limits, depth + 1, budget))
                if issue is not None and inner and inner[0].issue is None:
                    inner[0].issue = issue
                yield from inner
            else:
                yield m
