"""Package discovery and member listing: folders, zips, review rounds, encodings, hostile archives."""

from __future__ import annotations

import io
import os
import struct
import zipfile
from pathlib import Path

import pytest

from dossier_lint.discover import PackageSource, find_packages, iter_members
from dossier_lint.limits import Limits
from readers_helpers import gbk_zip

PDF = b"%PDF-1.7\n%fake but enough for discovery\n"


def write(root: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        f = root / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_bytes(data)


def zbytes(files: dict[str, bytes], flag_utf8: bool = True) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def members(src: PackageSource, limits: Limits | None = None) -> dict[str, tuple[bytes | None, str | None]]:
    return {m.relpath: (m.data, m.issue.code if m.issue else None) for m in iter_members(src, limits)}


# --- find_packages ---------------------------------------------------------------------------


def test_folder_with_documents_is_one_package(tmp_path: Path) -> None:
    pkg = tmp_path / "智慧城管项目"
    write(pkg, {"申报表.pdf": PDF, "附件/可研报告.docx": b"PK", "概算.zip": zbytes({"a.pdf": PDF})})
    assert find_packages(pkg) == [PackageSource(pkg, "智慧城管项目", False)]


def test_zip_file_is_one_package(tmp_path: Path) -> None:
    z = tmp_path / "项目A.zip"
    z.write_bytes(zbytes({"a.pdf": PDF}))
    assert find_packages(z) == [PackageSource(z, "项目A", True)]


def test_review_round_yields_each_child(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "01-数据共享平台建设项目/申报表.pdf": PDF,
            "02-智慧交通系统/申报表.pdf": PDF,
            ".hidden/x.pdf": PDF,
            "~$锁定.docx": b"lock",
            "dossier-lint.toml": b"",
            ".DS_Store": b"",
        },
    )
    (tmp_path / "03-电子政务外网改造项目.zip").write_bytes(zbytes({"申报表.pdf": PDF}))
    found = find_packages(tmp_path)
    assert [(s.name, s.is_zip) for s in found] == [
        ("01-数据共享平台建设项目", False),
        ("02-智慧交通系统", False),
        ("03-电子政务外网改造项目", True),
    ]


def test_category_subfolders_are_one_package(tmp_path: Path) -> None:
    write(tmp_path / "pkg", {"01申报表/申报表.pdf": PDF, "02可研报告/可研.pdf": PDF, "03附件/批复.pdf": PDF})
    assert [s.path for s in find_packages(tmp_path / "pkg")] == [tmp_path / "pkg"]


def test_single_child_folder_is_the_package(tmp_path: Path) -> None:
    write(tmp_path, {"某项目/申报表.pdf": PDF})
    assert find_packages(tmp_path) == [PackageSource(tmp_path / "某项目", "某项目", False)]
    # ... unless it is a category folder of the package itself
    write(tmp_path / "项目B", {"附件/批复.pdf": PDF})
    assert find_packages(tmp_path / "项目B") == [PackageSource(tmp_path / "项目B", "项目B", False)]


def test_missing_path_and_empty_folder(tmp_path: Path) -> None:
    assert find_packages(tmp_path / "nope") == []
    (tmp_path / "empty").mkdir()
    assert [s.name for s in find_packages(tmp_path / "empty")] == ["empty"]


# --- folder members --------------------------------------------------------------------------


def test_folder_members_skip_litter_links_and_fifos(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    write(
        pkg,
        {
            "申报表.pdf": PDF,
            "附件/二级/可研.pdf": PDF,
            "~$申报表.docx": b"lock",
            ".git/config": b"x",
            "dossier-lint.toml": b"",
            "dossier-lint-baseline.json": b"{}",
            "Thumbs.db": b"x",
        },
    )
    outside = tmp_path / "secret.pdf"
    outside.write_bytes(PDF)
    os.symlink(outside, pkg / "链接.pdf")
    os.symlink(tmp_path, pkg / "环")  # a loop, were links followed
    if hasattr(os, "mkfifo"):
        os.mkfifo(pkg / "管道.pdf")  # reading it would block forever
    got = members(PackageSource(pkg, "pkg", False))
    assert got == {"申报表.pdf": (PDF, None), "附件/二级/可研.pdf": (PDF, None)}


def test_reading_is_read_only(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    write(pkg, {"a.pdf": PDF, "b.zip": zbytes({"../../逃逸.pdf": PDF, "c.pdf": PDF})})
    (pkg / "a.pdf").chmod(0o444)
    before = {p: (p.stat().st_mtime_ns, p.stat().st_mode) for p in tmp_path.rglob("*")}
    got = members(PackageSource(pkg, "pkg", False))
    assert set(got) == {"a.pdf", "b.zip/逃逸.pdf", "b.zip/c.pdf"}
    after = {p: (p.stat().st_mtime_ns, p.stat().st_mode) for p in tmp_path.rglob("*")}
    assert before == after  # nothing written, extracted or touched


def test_too_large_file_is_not_read(tmp_path: Path) -> None:
    write(tmp_path, {"大.pdf": PDF * 100, "小.pdf": PDF})
    (m_big,) = [m for m in iter_members(PackageSource(tmp_path, "p", False), Limits(max_file_bytes=1000))
                if m.relpath == "大.pdf"]  # fmt: skip
    assert m_big.data is None and m_big.issue.code == "too-large"
    assert m_big.issue.args == {"size": len(PDF) * 100, "limit": 1000}


# --- zip members ------------------------------------------------------------------------------


def test_gbk_member_names_from_windows(tmp_path: Path) -> None:
    z = tmp_path / "p.zip"
    z.write_bytes(gbk_zip({"申报材料/项目申报表.pdf": PDF, "申报材料/可行性研究报告.docx": b"PK"}))
    info = zipfile.ZipFile(z).infolist()[0]
    assert not info.flag_bits & 0x800 and info.filename != "申报材料/项目申报表.pdf"  # zipfile alone: mojibake
    assert set(members(PackageSource(z, "p", True))) == {"申报材料/项目申报表.pdf", "申报材料/可行性研究报告.docx"}


def test_utf8_member_names_flagged_and_unflagged(tmp_path: Path) -> None:
    z = tmp_path / "p.zip"
    z.write_bytes(zbytes({"目录/文件.pdf": PDF}))  # zipfile sets the UTF-8 flag
    assert set(members(PackageSource(z, "p", True))) == {"目录/文件.pdf"}
    from readers_helpers import _rename_entries

    z.write_bytes(_rename_entries(zbytes({"目录/文件.pdf": PDF}), lambda n: n.encode("utf-8")))  # flag cleared
    assert set(members(PackageSource(z, "p", True))) == {"目录/文件.pdf"}


def test_path_traversal_names_are_normalised(tmp_path: Path) -> None:
    z = tmp_path / "p.zip"
    z.write_bytes(
        zbytes({"../../etc/申报表.pdf": PDF, "/abs/可研.pdf": PDF, "C:\\win\\概算.pdf": PDF, "ok.pdf": PDF, "dir/": b""})
    )
    got = {m.relpath: m for m in iter_members(PackageSource(z, "p", True))}
    assert set(got) == {"etc/申报表.pdf", "abs/可研.pdf", "win/概算.pdf", "ok.pdf"}
    assert got["etc/申报表.pdf"].issue.code == "unsafe-member"
    assert got["etc/申报表.pdf"].issue.args == {"name": "../../etc/申报表.pdf"}
    assert got["etc/申报表.pdf"].data == PDF  # still read, under its safe name
    assert got["win/概算.pdf"].issue.code == "unsafe-member"
    assert got["ok.pdf"].issue is None
    assert not (tmp_path.parent / "etc").exists()


def test_colliding_names_are_kept_apart(tmp_path: Path) -> None:
    z = tmp_path / "p.zip"
    z.write_bytes(zbytes({"a.pdf": b"%PDF-1 one", "../a.pdf": b"%PDF-1 two"}))
    got = members(PackageSource(z, "p", True))
    assert set(got) == {"a.pdf", "a (2).pdf"}


def test_zip_bomb_member_refused_from_declared_ratio(tmp_path: Path) -> None:
    z = tmp_path / "p.zip"
    z.write_bytes(zbytes({"炸弹.pdf": b"%PDF-" + b"\x00" * (5 * 1024 * 1024), "正常.pdf": PDF}))
    got = {m.relpath: m for m in iter_members(PackageSource(z, "p", True))}
    assert got["炸弹.pdf"].data is None and got["炸弹.pdf"].issue.code == "zip-bomb"
    assert "压缩比" in got["炸弹.pdf"].issue.args["reason"]
    assert got["正常.pdf"].data == PDF
    # near miss: a big but incompressible-enough member passes the ratio guard
    z.write_bytes(zbytes({"大.pdf": os.urandom(2 * 1024 * 1024)}))
    assert [m.issue for m in iter_members(PackageSource(z, "p", True))] == [None]


def test_declared_total_and_member_count_are_package_issues(tmp_path: Path) -> None:
    z = tmp_path / "p.zip"
    z.write_bytes(zbytes({f"{i}.pdf": PDF for i in range(5)}))
    src = PackageSource(z, "p", True)
    assert list(iter_members(src, Limits(max_members=3))) == []
    assert [(i.code, "条目" in i.args["reason"]) for i in src.issues] == [("zip-bomb", True)]
    assert list(iter_members(src, Limits(max_decompressed_bytes=100))) == []
    assert [i.code for i in src.issues] == ["zip-bomb"]  # issues are rebuilt on each pass
    assert len(list(iter_members(src))) == 5 and src.issues == []


def test_member_lying_about_its_size_is_caught_while_inflating(tmp_path: Path) -> None:
    data = bytearray(zbytes({"a.pdf": b"%PDF-" + b"A" * 50000}))
    # shrink the declared uncompressed size in the central directory: inflating must stop there
    cd = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, cd + 24, 100)
    z = tmp_path / "p.zip"
    z.write_bytes(bytes(data))
    (m,) = list(iter_members(PackageSource(z, "p", True)))
    assert m.data is None and m.issue.code in ("unreadable", "zip-bomb")


def test_bad_or_truncated_zip_is_a_package_issue(tmp_path: Path) -> None:
    z = tmp_path / "p.zip"
    good = zbytes({"a.pdf": PDF, "b.pdf": PDF})
    z.write_bytes(good[: len(good) // 2])
    src = PackageSource(z, "p", True)
    assert list(iter_members(src)) == []
    assert [i.code for i in src.issues] == ["unreadable"]
    assert "损坏" in src.issues[0].args["reason"]


def test_corrupt_member_data(tmp_path: Path) -> None:
    data = bytearray(zbytes({"a.pdf": b"%PDF-" + os.urandom(3000), "b.pdf": PDF}))
    data[60:90] = b"\xff" * 30  # damage a.pdf's compressed bytes
    z = tmp_path / "p.zip"
    z.write_bytes(bytes(data))
    got = members(PackageSource(z, "p", True))
    assert got["a.pdf"] == (None, "unreadable") and got["b.pdf"] == (PDF, None)


def test_encrypted_member(tmp_path: Path) -> None:
    data = bytearray(zbytes({"a.pdf": PDF}))
    for sig, off in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # set the 'encrypted' flag bit
        i = data.find(sig)
        struct.pack_into("<H", data, i + off, struct.unpack_from("<H", data, i + off)[0] | 1)
    z = tmp_path / "p.zip"
    z.write_bytes(bytes(data))
    assert members(PackageSource(z, "p", True)) == {"a.pdf": (None, "encrypted")}


def test_nested_zips_read_as_folders_up_to_max_nesting(tmp_path: Path) -> None:
    level4 = zbytes({"四层.pdf": PDF})
    level3 = zbytes({"三层.pdf": PDF, "四层.zip": level4})
    level2 = zbytes({"二层.pdf": PDF, "三层.zip": level3})
    z = tmp_path / "p.zip"
    z.write_bytes(zbytes({"一层.pdf": PDF, "附件.zip": level2}))
    # 附件.zip is an archive in an archive (1), 三层.zip (2) and 四层.zip (3): max_nesting=2 stops at 3
    assert members(PackageSource(z, "p", True)) == {
        "一层.pdf": (PDF, None),
        "附件.zip/二层.pdf": (PDF, None),
        "附件.zip/三层.zip/三层.pdf": (PDF, None),
        "附件.zip/三层.zip/四层.zip": (None, "nested-archive"),
    }
    assert members(PackageSource(z, "p", True), Limits(max_nesting=1)) == {
        "一层.pdf": (PDF, None),
        "附件.zip/二层.pdf": (PDF, None),
        "附件.zip/三层.zip": (None, "nested-archive"),
    }
    # a zip lying in a package folder is not inside an archive: same counting from there
    write(tmp_path / "pkg", {"a.pdf": PDF, "包.zip": level3})
    got = members(PackageSource(tmp_path / "pkg", "pkg", False), Limits(max_nesting=0))
    assert got == {"a.pdf": (PDF, None), "包.zip/三层.pdf": (PDF, None), "包.zip/四层.zip": (None, "nested-archive")}


def test_office_files_inside_a_zip_are_not_archives(tmp_path: Path) -> None:
    docx_like = zbytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
    z = tmp_path / "p.zip"
    z.write_bytes(zbytes({"报告.docx": docx_like, "__MACOSX/._报告.docx": b"x", "改名.zip": docx_like}))
    got = members(PackageSource(z, "p", True))
    assert got == {"报告.docx": (docx_like, None), "改名.zip": (docx_like, None)}


@pytest.mark.parametrize("name", ["a.pdf", "sub/a.pdf"])
def test_single_file_package(tmp_path: Path, name: str) -> None:
    write(tmp_path, {name: PDF})
    f = tmp_path / name
    (src,) = find_packages(f)
    assert src == PackageSource(f, "a.pdf", False)
    assert members(src) == {"a.pdf": (PDF, None)}


def test_round_of_packages_named_like_materials(tmp_path: Path) -> None:
    write(tmp_path, {"市城管局申报材料/申报表.pdf": PDF, "市公安局申报材料/申报表.pdf": PDF})
    assert sorted(s.name for s in find_packages(tmp_path)) == ["市公安局申报材料", "市城管局申报材料"]


def test_a_link_named_by_the_user_is_followed(tmp_path: Path) -> None:
    z = tmp_path / "真实.zip"
    z.write_bytes(zbytes({"a.pdf": PDF}))
    os.symlink(z, tmp_path / "链接.zip")
    (src,) = find_packages(tmp_path / "链接.zip")
    assert src.path == z and members(src) == {"a.pdf": (PDF, None)}
