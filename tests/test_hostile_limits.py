"""Resource guards at their defaults: bombs are refused before anything big is inflated, limits give a
partial document that says which limit, and the limits are tunable from the config and the rule pack.

Memory and time are measured in a child process (capped address space, timeout), so a guard that fails
makes the test fail instead of taking the machine down.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from dossier_lint.limits import Limits
from dossier_lint.readers import read_document
from helpers import ROOT, run_isolated
from hostile import make_hostile as mh

LINUX = sys.platform.startswith("linux")


def _child(code: str, timeout: float = 60, mem_gb: float = 4) -> str:
    """Run `code` in a fresh interpreter with a capped address space and a timeout; its stdout."""
    prog = (
        "import resource, sys\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({int(mem_gb * 1024**3)}, {int(mem_gb * 1024**3)}))\n"
        + textwrap.dedent(code)
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT / "tests")])}
    p = subprocess.Popen([sys.executable, "-c", prog], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        pytest.fail(f"no answer within {timeout} s (a hang)")
    assert p.returncode == 0, err.decode(errors="replace")[-3000:]
    return out.decode()


def _read_in_child(data_expr: str, name: str, limits: str = "Limits()") -> dict:
    """read_document in a child; the document's status, reason, issues and peak RSS of that child."""
    code = f"""
        import json, time
        from dossier_lint.limits import Limits

        def peak_mb():  # VmHWM: this process since its exec (ru_maxrss would include the parent's at fork)
            try:
                for line in open("/proc/self/status"):
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) / 1024
            except OSError:
                pass
            return 0.0

        from dossier_lint.readers import read_document
        from hostile import make_hostile as mh
        data = {data_expr}
        t = time.monotonic()
        doc = read_document({name!r}, data, {limits})
        print(json.dumps({{"status": doc.status, "reason": doc.reason, "blocks": len(doc.blocks),
                          "issues": [[i.code, {{k: str(v) for k, v in i.args.items()}}] for i in doc.issues],
                          "seconds": time.monotonic() - t, "rss": peak_mb()}}))
    """
    out = _child(code)
    return json.loads(out.strip().splitlines()[-1])


def _codes(d: dict) -> dict[str, dict]:
    return {c: a for c, a in d["issues"]}


# --- PDF streams --------------------------------------------------------------------------------


def test_content_stream_bomb_is_refused_before_pdfium_inflates_it():
    # 1 MB of PDF, 1 GiB of page content: PDFium alone took 2 GB and 14 s for it
    d = _read_in_child("mh.one_page_pdf(mh.flate_bomb(1024))", "bomb.pdf")
    assert d["status"] == "unreadable" and d["blocks"] == 0
    assert _codes(d)["limit-hit"] == {"limit": "max_pdf_stream_bytes", "value": str(64 * 1024 * 1024)}
    assert "压缩炸弹" in d["reason"] and "max_pdf_stream_bytes" in d["reason"]
    assert d["seconds"] < 5
    if LINUX:
        assert d["rss"] < 400, d["rss"]


def test_double_flate_bomb():
    # FlateDecode twice: ~2 KB of file would be 2 GiB of content
    data = mh.one_page_pdf(mh.flate_bomb(2048, layers=2))
    assert len(data) < 20_000
    doc = read_document("b.pdf", data)
    assert doc.status == "unreadable"
    assert [i.args["limit"] for i in doc.issues if i.code == "limit-hit"] == ["max_pdf_stream_bytes"]


def test_many_streams_under_the_per_stream_cap_hit_the_total():
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>", mh._CID, mh._HELV,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents [6 0 R 7 0 R 8 0 R] >>",
            *[mh.flate_bomb(3) for _ in range(3)]]
    data = mh.pdf_file(objs)
    lim = Limits(max_pdf_stream_bytes=4 * 1024 * 1024, max_decompressed_bytes=8 * 1024 * 1024)
    doc = read_document("s.pdf", data, lim)
    assert [i.args["limit"] for i in doc.issues if i.code == "limit-hit"] == ["max_decompressed_bytes"]
    # near miss: the same file with room for it is read
    ok = read_document("s.pdf", data, Limits(max_pdf_stream_bytes=4 * 1024 * 1024))
    assert ok.status == "ok" and "bomb" in ok.text()


def test_stream_guard_ignores_images_and_reads_normal_pdfs():
    # a large but honest image (it compresses 1000:1) is not a bomb: text extraction never decodes it
    import zlib

    raw = b"\xff" * (20 * 1024 * 1024)
    img = zlib.compress(raw)
    image = (b"<< /Type /XObject /Subtype /Image /Width 5120 /Height 4096 /ColorSpace /DeviceGray "
             b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n" % len(img) + img + b"\nendstream")
    content = mh.stream(b"q 100 0 0 100 0 0 cm /Im1 Do Q\n" + mh._show("第一章 总论", 700) + mh._show("正文内容。", 680))
    data = mh.one_page_pdf(content, extra_objs=[image])
    doc = read_document("img.pdf", data, Limits(max_pdf_stream_bytes=1024 * 1024, max_decompressed_bytes=2 * 1024 * 1024))
    assert doc.status == "ok", doc.reason
    assert [b.text for b in doc.blocks] == ["第一章 总论", "正文内容。"]
    for pdf in sorted((ROOT / "corpus" / "packages").rglob("*.pdf")):
        doc = read_document(pdf.name, pdf.read_bytes())
        assert not any(i.code == "limit-hit" for i in doc.issues), pdf


def test_encrypted_pdf_streams_are_scanned_too(tmp_path):
    """An owner-password PDF opens without a password; its streams are ciphertext to a byte scan, so
    pdfminer decrypts them for the count."""
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.set_font("helvetica", size=12)
    pdf.add_page()
    for i in range(400):
        pdf.cell(0, 5, f"line {i} " + "x" * 60, new_x="LMARGIN", new_y="NEXT")
    pdf.set_encryption(owner_password="owner", user_password="")
    data = bytes(pdf.output())
    assert b"/Encrypt" in data
    small = Limits(max_pdf_stream_bytes=4096)
    doc = read_document("e.pdf", data, small)
    assert [i.args["limit"] for i in doc.issues if i.code == "limit-hit"] == ["max_pdf_stream_bytes"]
    assert read_document("e.pdf", data).status == "ok"


def test_form_xobject_fanout_is_refused_before_pdfium_expands_it():
    # 15 levels of forms each drawing the next 3 times: 4.8 million objects, ~10 GB, from 3 KB
    d = _read_in_child("mh.form_fanout_pdf(15)", "forms.pdf")
    assert d["status"] == "unreadable" and "表单对象" in d["reason"], d
    assert d["seconds"] < 5
    if LINUX:
        assert d["rss"] < 400, d["rss"]
    # near misses: modest reuse (3**8 = 6561 instances) and a form drawing itself are read
    doc = read_document("ok.pdf", mh.form_fanout_pdf(9))
    assert doc.status == "ok" and "forms" in doc.text()
    selfref = mh.form_fanout_pdf(1).replace(b"/F 7 0 R", b"/F 6 0 R").replace(b"(leaf) Tj", b"(leaf) Tj /F Do")
    doc = read_document("self.pdf", selfref)
    assert doc.status == "ok"


def test_dense_grid_and_a_page_of_150000_objects_do_not_stall_table_extraction():
    m_grid = mh.one_page_pdf(mh.stream(b"".join(
        b"%.1f 20 m %.1f 1220 l S 20 %.1f m 1220 %.1f l S\n" % (20 + i * 4.0, 20 + i * 4.0, 20 + i * 4.0, 20 + i * 4.0)
        for i in range(301)) + mh._show("grid page", 10)), media=b"0 0 1300 1300")
    t = time.monotonic()
    doc = read_document("g.pdf", m_grid)
    assert time.monotonic() - t < 5 and doc.status == "ok" and doc.tables == []  # 90,000 cells: skipped
    rects = b"".join(b"%d %d 2 2 re f\n" % (20 + (i * 7) % 560, 20 + (i * 13) % 800) for i in range(150_000))
    t = time.monotonic()
    doc = read_document("r.pdf", mh.one_page_pdf(mh.stream(rects + mh._show("many objects", 10))))
    assert time.monotonic() - t < 10 and doc.text() == "many objects"
    # near miss: an ordinary ruled table is still extracted
    rows = [[f"r{r}c{c}" for c in range(4)] for r in range(5)]
    ops = b""
    for i in range(6):
        ops += b"50 %d m 450 %d l S\n" % (700 - i * 30, 700 - i * 30)
    for j in range(5):
        ops += b"%d 700 m %d 550 l S\n" % (50 + j * 100, 50 + j * 100)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            ops += b"BT /FA 10 Tf %d %d Td (%s) Tj ET\n" % (60 + c * 100, 680 - r * 30, text.encode())
    doc = read_document("t.pdf", mh.one_page_pdf(mh.stream(ops)))
    assert [[c.text for c in row] for row in doc.tables[0].rows] == rows


# --- pages and time --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ten_thousand_pages() -> bytes:
    w = "城市管理综合指挥平台数据共享交换业务协同网格化监督考核视频汇聚分析应急调度"
    return mh.text_pdf([[f"{w[n % 37:n % 37 + 4]}{w[n * 7 % 37:n * 7 % 37 + 3]}的建设内容",
                         f"本页说明{w[n * 3 % 37:n * 3 % 37 + 5]}和{w[n * 11 % 37:n * 11 % 37 + 4]}。"]
                        for n in range(1, 10_001)])


def test_10000_pages_stop_at_max_pages_and_are_partial(ten_thousand_pages):
    t = time.monotonic()
    doc = read_document("many.pdf", ten_thousand_pages)  # default max_pages = 3000
    seconds = time.monotonic() - t
    assert doc.status == "partial" and doc.pages == 10_000
    assert [(i.args["limit"], i.args["value"]) for i in doc.issues if i.code == "limit-hit"] == [("max_pages", 3000)]
    assert max(b.loc.page for b in doc.blocks) == 3000
    assert "3000" in doc.reason
    assert seconds < 60, seconds


def test_time_limit_gives_partial_with_the_pages_read(ten_thousand_pages):
    doc = read_document("many.pdf", ten_thousand_pages, Limits(max_pages=10_000, max_seconds=0.5))
    assert doc.status == "partial"
    assert [i.args["limit"] for i in doc.issues if i.code == "limit-hit"] == ["max_seconds"]
    assert 0 < max(b.loc.page for b in doc.blocks) < 10_000


# --- zips ----------------------------------------------------------------------------------------------


def test_bzip2_member_is_refused_without_inflating():
    # 785 bytes of bzip2 inflate to 1 GiB, and zipfile inflates bzip2 without an output bound
    member = "mh.RawMember(b'word/document.xml', (mh.HERE / 'files' / 'zeros-1gib.bz2').read_bytes(), 12, 0, 1000, 0)"
    d = _read_in_child(f"mh.raw_zip([{member}])", "a.docx")
    assert d["status"] == "unreadable" and "压缩方式不受支持" in d["reason"]
    if LINUX:
        assert d["rss"] < 300, d["rss"]


def test_bzip2_member_of_a_package_zip(tmp_path):
    bz = (mh.HERE / "files" / "zeros-1gib.bz2").read_bytes()
    pkg = tmp_path / "pkg.zip"
    pkg.write_bytes(mh.raw_zip([mh.RawMember("可行性研究报告.txt".encode(), bz, 12, 0, 1000, 0x800),
                                mh.member("项目概算表.csv", "序号,名称\n1,平台\n".encode())]))
    res = run_isolated("check", pkg, "--format", "json", "--no-cache", timeout=120)
    assert res.code == 1 and "Traceback" not in res.stderr
    docs = {d["path"]: d for d in res.json()["packages"][0]["documents"]}
    assert docs["可行性研究报告.txt"]["status"] == "unreadable" and docs["项目概算表.csv"]["status"] == "ok"
    if res.max_rss_mb is not None:
        assert res.max_rss_mb < 400, res.max_rss_mb


def test_zip_guards_at_default_limits(tmp_path):
    zeros = b"\0" * (8 * 1024 * 1024)
    cases = {
        "ratio.zip": (mh.raw_zip([mh.member("a.txt", zeros)]), "zip-bomb"),  # 8 MB at ~1000:1
        "lying.zip": (mh.raw_zip([mh.member("a.txt", zeros, declared=100)]), "unreadable"),
        "total.zip": (mh.raw_zip([mh.member(f"{i}.txt", b"x", declared=300 * 1024 * 1024) for i in range(2)]), "zip-bomb"),
    }
    root = tmp_path / "pkg"
    root.mkdir()
    (root / "申报表.csv").write_bytes("项目名称,测试\n".encode())
    for name, (data, _) in cases.items():
        (root / name).write_bytes(data)
    res = run_isolated("check", root, "--format", "json", "--no-cache", timeout=120)
    pkg = res.json()["packages"][0]
    for name, (_, code) in cases.items():
        found = {d["data"]["code"] for d in pkg["diagnostics"] if (d["file"] or "").startswith(name) and d.get("data")}
        assert code in found, (name, found)
    if res.max_rss_mb is not None:
        assert res.max_rss_mb < 400


def test_docx_main_part_lookup_cannot_inflate_a_bomb():
    # no word/document.xml: the reader looks the main part up in [Content_Types].xml, which lies about
    # its size; it used to be read with zf.read (no cap)
    parts = mh.docx_parts(["正文"])
    data = mh.raw_zip([mh.member("word/other.xml", parts["word/document.xml"].encode()),
                       mh.member("[Content_Types].xml", b" " * (64 * 1024 * 1024), declared=500)])
    doc = read_document("x.docx", data, Limits(max_decompressed_bytes=8 * 1024 * 1024))
    assert doc.status == "unreadable"


# --- text ----------------------------------------------------------------------------------------------


def test_csv_cell_longer_than_the_csv_module_default():
    text = "很长的说明" * 100_000  # 500,000 characters in one cell: csv's default limit is 131,072
    doc = read_document("a.csv", f"名称,说明\n平台,\"{text}\"\n".encode())
    assert doc.status == "ok" and doc.tables[0].rows[1][1].text == text


def test_utf16_without_bom_is_decoded():
    txt = "第一章 总论\n项目总投资１２０．００万元，全角与半角混排：ＡＢＣabc　１２３。\n"
    for enc in ("utf-16-le", "utf-16-be"):
        doc = read_document("a.txt", txt.encode(enc))
        assert [b.text for b in doc.blocks] == ["第一章 总论", "项目总投资１２０．００万元，全角与半角混排：ＡＢＣabc\u3000１２３。"]
        assert doc.meta["encoding"] == enc
    # near miss: UTF-8 with a few NUL bytes stays UTF-8 (the NULs are dropped)
    doc = read_document("b.txt", "第一章\x00 总论\n正\x00文".encode())
    assert doc.meta["encoding"] == "utf-8" and [b.text for b in doc.blocks] == ["第一章 总论", "正文"]


# --- configuration --------------------------------------------------------------------------------------


def _round_of_two(tmp_path: Path) -> Path:
    w = "城市管理综合指挥平台数据共享交换业务协同网格化监督考核视频汇聚分析应急调度"
    pages = [[f"{w[n % 30:n % 30 + 5]}的建设内容", f"第{n}页正文，{w[n * 7 % 30:n * 7 % 30 + 6]}。"] for n in range(1, 13)]
    for name in ("南充市甲系统建设项目", "南充市乙系统建设项目"):
        d = tmp_path / "round" / name
        d.mkdir(parents=True)
        (d / "可行性研究报告.pdf").write_bytes(mh.text_pdf(pages))
    return tmp_path / "round"


def _limit_hits(report: dict) -> list[tuple[str, str]]:
    return [(p["name"], d["data"]["limit"]) for p in report["packages"] for d in p["diagnostics"]
            if d.get("data", {}).get("code") == "limit-hit"]


def test_limits_from_the_config_reach_the_pool_workers(tmp_path):
    rnd = _round_of_two(tmp_path)
    (rnd / "dossier-lint.toml").write_text("[limits]\nmax-pages = 5\n", encoding="utf-8")
    res = run_isolated("check", rnd, "--format", "json", "--jobs", "2", "--no-cache", timeout=120)
    assert res.code == 1, res.stderr
    assert sorted(_limit_hits(res.json())) == [("南充市乙系统建设项目", "max_pages"), ("南充市甲系统建设项目", "max_pages")]
    # near miss: without the config the 12 pages are read whole
    (rnd / "dossier-lint.toml").unlink()
    res = run_isolated("check", rnd, "--format", "json", "--jobs", "2", "--no-cache", timeout=120)
    assert _limit_hits(res.json()) == []


def test_limits_from_a_rule_pack_and_config_overrides_per_key(tmp_path):
    rnd = _round_of_two(tmp_path)
    pack = tmp_path / "mypack.toml"
    pack.write_text('[pack]\nname = "mypack"\ntitle = "测试规则包"\nextends = "nanchong"\n\n'
                    "[settings.limits]\nmax_pages = 4\nmax_cells = 1000\n", encoding="utf-8")
    res = run_isolated("check", rnd, "--format", "json", "--profile", pack, "--no-cache", timeout=120)
    assert res.code == 1, res.stderr
    assert {x[1] for x in _limit_hits(res.json())} == {"max_pages"}
    res = run_isolated("show-settings", rnd, "--profile", pack, "--format", "json", timeout=60)
    shown = json.loads(res.stdout)
    assert shown["limits"]["max_pages"] == 4 and shown["limits"]["max_cells"] == 1000
    assert "mypack" in shown["sources"]["limits"]
    (rnd / "dossier-lint.toml").write_text("[limits]\nmax_pages = 50\n", encoding="utf-8")
    res = run_isolated("show-settings", rnd, "--profile", pack, "--format", "json", timeout=60)
    shown = json.loads(res.stdout)
    assert shown["limits"]["max_pages"] == 50 and shown["limits"]["max_cells"] == 1000  # merged per key


@pytest.mark.parametrize("table", ["max_pages = 0", 'max_pages = "many"', "max_pagez = 3"])
def test_bad_limits_are_a_configuration_error_exit_2(tmp_path, table):
    rnd = _round_of_two(tmp_path)
    (rnd / "dossier-lint.toml").write_text(f"[limits]\n{table}\n", encoding="utf-8")
    res = run_isolated("check", rnd, "--no-cache", timeout=60)
    assert res.code == 2 and "配置错误" in res.stderr and "limits" in res.stderr and "Traceback" not in res.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a fifo")
def test_a_fifo_or_device_named_on_the_command_line_is_a_usage_error(tmp_path):
    fifo = tmp_path / "申报材料.zip"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        if not path.exists():
            continue
        res = run_isolated("check", path, timeout=30)  # must not open it: a fifo would block forever
        assert not res.timed_out and res.code == 2 and "不是文件或文件夹" in res.stderr, res.stderr


def test_a_thousand_nested_folders_cost_only_themselves(tmp_path):
    """The folder walk recursed once per level: 1,100 levels were a RecursionError that lost the whole
    package (and printed a traceback). Now folders below MAX_FOLDER_DEPTH are reported, the rest is read."""
    from dossier_lint.discover import MAX_FOLDER_DEPTH

    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "项目概算表.csv").write_bytes("序号,费用名称,金额（万元）\n1,软件开发费,120.00\n".encode())
    fds = [os.open(pkg, os.O_RDONLY)]
    try:
        for _ in range(1100):  # relative to a directory fd: no path grows past PATH_MAX
            os.mkdir("a", dir_fd=fds[-1])
            fds.append(os.open("a", os.O_RDONLY, dir_fd=fds[-1]))
        fd = os.open("深.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fds[-1])
        os.write(fd, "深层文字".encode())
        os.close(fd)
        res = run_isolated("check", pkg, "--format", "json", "--no-cache", timeout=120)
        assert res.code == 1 and "Traceback" not in res.stderr, res.stderr[-2000:]
        [p] = res.json()["packages"]
        docs = {d["path"]: d for d in p["documents"]}
        assert docs["项目概算表.csv"]["status"] == "ok"
        deep = "/".join(["a"] * (MAX_FOLDER_DEPTH + 1))
        assert docs[deep]["status"] == "unreadable" and "层级" in docs[deep]["reason"]
        assert [d["rule"] for d in p["diagnostics"] if d["file"] == deep] == ["DL001"]
    finally:  # iteratively, deepest first: shutil.rmtree recurses too
        os.unlink("深.txt", dir_fd=fds[-1])
        for parent, child in zip(reversed(fds[:-1]), reversed(fds[1:]), strict=True):
            os.close(child)
            os.rmdir("a", dir_fd=parent)
        os.close(fds[0])
