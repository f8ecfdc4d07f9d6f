"""The catalog (`--catalog`) is read under the run's limits, as package documents are:

- its size is checked on disk (stat) before a byte of it is read: a 2 GB file is a Chinese "配置错误"
  with exit 2 at once, with or without the index cache;
- the configuration's [limits] (max_file_bytes, max_cells, the zip guards) apply to it, through the CLI,
  and an index cached under looser limits does not let a stricter run skip them;
- the batch workers load the index under the same limits (one index in the cache, not one per limits).
"""

from __future__ import annotations

import json
import pathlib
import shutil
from pathlib import Path

import pytest

from helpers import run_cli, write_duplicating_report
from hostile import make_hostile as mh

HEADER = ["系统名称", "所属部门", "主要功能"]
TARGET = ["南充市河长制管理信息系统", "南充市水务局", "河湖名录管理、巡河管理、事件处置、考核评价"]
OTHER = ["南充市公交一卡通系统", "南充市交通运输局", "公交刷卡、线路查询"]
ROWS = [HEADER, TARGET, OTHER]
MB = 1024 * 1024
GB = 1024 * MB
REFUSED_PREFIX = "dossier-lint: 配置错误："


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-report package that duplicates TARGET: a usable catalog gives exactly one DL701."""
    return write_duplicating_report(tmp_path_factory.mktemp("catalog-limits") / "河长制")


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from dossier_lint.duplicates.index import clear_memo

    clear_memo()  # as a new process starts: no index of an earlier test in memory
    cache = tmp_path / "cache"
    monkeypatch.setenv("DOSSIER_LINT_CACHE_DIR", str(cache))
    return cache


def _csv(path: Path, rows: list[list[str]] = ROWS) -> Path:
    path.write_text("".join(",".join(r) + "\r\n" for r in rows), encoding="utf-8")
    return path


def _config(tmp_path: Path, **limits: int) -> Path:
    cfg = tmp_path / "dossier-lint.toml"
    cfg.write_text("[limits]\n" + "".join(f"{k} = {v}\n" for k, v in limits.items()), encoding="utf-8")
    return cfg


def _check(pkg: Path, catalog: Path, *args: str | Path) -> tuple[int, str, str]:
    return run_cli("check", pkg, "--catalog", catalog, "--profile", "nanchong", "--format", "json", *args)


def _refused(pkg: Path, catalog: Path, *args: str | Path) -> str:
    code, out, err = _check(pkg, catalog, *args)
    assert code == 2, (code, err)
    assert out == ""
    assert err.startswith(REFUSED_PREFIX) and "Traceback" not in err, err
    assert catalog.name in err
    return err


def _dl701_system(pkg: Path, catalog: Path, *args: str | Path) -> str:
    code, out, err = _check(pkg, catalog, *args)
    assert code in (0, 1), err
    (d,) = [d for d in json.loads(out)["packages"][0]["diagnostics"] if d["rule"] == "DL701"]
    return d["data"]["matches"][0]["system"]["name"]


def _index_files(cache: Path) -> list[Path]:
    return sorted(cache.rglob("index-*.pickle"))


# ---------------------------------------------------------------- size: stat before read


@pytest.mark.parametrize("name", ["目录.csv", "目录.xlsx"])
@pytest.mark.parametrize("cache", [True, False], ids=["cache", "no-cache"])
def test_a_2gb_catalog_is_refused_before_it_is_read(pkg: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    name: str, cache: bool) -> None:
    catalog = tmp_path / name
    with catalog.open("wb") as fh:
        fh.truncate(2 * GB)  # sparse: 2 GB on stat, nothing on disk
    opened: list[str] = []
    real_open, real_read = pathlib.Path.open, pathlib.Path.read_bytes

    def spy_open(self: Path, *a, **k):  # noqa: ANN002, ANN003, ANN202
        if self.name == name:
            opened.append("open")
        return real_open(self, *a, **k)

    def spy_read(self: Path):  # noqa: ANN202
        if self.name == name:
            opened.append("read_bytes")
        return real_read(self)

    monkeypatch.setattr(pathlib.Path, "open", spy_open)
    monkeypatch.setattr(pathlib.Path, "read_bytes", spy_read)
    err = _refused(pkg, catalog, *([] if cache else ["--no-cache"]))
    assert "过大（2048 MB），上限 200 MB" in err and "max_file_bytes" in err
    assert opened == []  # the size alone decided: the file was never opened


def test_the_size_limit_follows_the_config(pkg: Path, tmp_path: Path) -> None:
    # a catalog larger than the package's report, whose limit the same [limits] sets
    filler = [[f"南充市第{i}号业务系统", "南充市某局", "业务办理、统计查询"] for i in range(40)]
    catalog = _csv(tmp_path / "目录.csv", [*ROWS, *filler])
    size = catalog.stat().st_size
    assert size > 2 * max(f.stat().st_size for f in pkg.iterdir())
    assert _dl701_system(pkg, catalog) == TARGET[0]  # near miss: the default 200 MB lets it through
    err = _refused(pkg, catalog, "--config", _config(tmp_path, max_file_bytes=size - 1))
    assert f"过大（{size} 字节），上限 {size - 1} 字节" in err
    # at the limit exactly: read and used
    assert _dl701_system(pkg, catalog, "--config", _config(tmp_path, max_file_bytes=size)) == TARGET[0]


# ---------------------------------------------------------------- the other [limits], for every format


def test_max_cells_of_the_config_applies_to_a_csv_catalog(pkg: Path, tmp_path: Path) -> None:
    catalog = _csv(tmp_path / "目录.csv")  # 9 cells
    err = _refused(pkg, catalog, "--no-cache", "--config", _config(tmp_path, max_cells=8))
    assert "单元格过多（超过上限 8）" in err
    assert _dl701_system(pkg, catalog, "--no-cache", "--config", _config(tmp_path, max_cells=9)) == TARGET[0]


def test_max_cells_of_the_config_applies_to_a_workbook_catalog(pkg: Path, tmp_path: Path) -> None:
    catalog = tmp_path / "目录.xlsx"
    catalog.write_bytes(mh.ooxml(mh.xlsx_parts(ROWS)))
    err = _refused(pkg, catalog, "--no-cache", "--config", _config(tmp_path, max_cells=8))
    assert "数据区域过大（9 个单元格），超过上限 8" in err
    assert _dl701_system(pkg, catalog, "--no-cache", "--config", _config(tmp_path, max_cells=9)) == TARGET[0]


def test_the_zip_guards_of_the_config_apply_to_a_workbook_catalog(pkg: Path, tmp_path: Path) -> None:
    # readers/xlsx's package guards, with the user's limits: fewer archive entries than an .xlsx has
    catalog = tmp_path / "目录.xlsx"
    parts = mh.xlsx_parts(ROWS)
    catalog.write_bytes(mh.ooxml(parts))
    err = _refused(pkg, catalog, "--config", _config(tmp_path, max_members=len(parts) - 1))
    assert "疑似压缩炸弹" in err and f"压缩包含 {len(parts)} 个条目，超过上限 {len(parts) - 1}" in err
    err = _refused(pkg, catalog, "--config", _config(tmp_path, max_decompressed_bytes=200))
    assert "疑似压缩炸弹" in err and "超过上限" in err
    assert _dl701_system(pkg, catalog, "--config", _config(tmp_path, max_members=len(parts))) == TARGET[0]


def test_a_zip_bomb_workbook_is_refused_with_the_index_cache_on(pkg: Path, tmp_path: Path,
                                                               _private_cache: Path) -> None:
    # test_catalog_input runs its hostile catalogs with --no-cache; the cached path guards alike
    parts = mh.xlsx_parts(ROWS)
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = parts[sheet].replace("</sheetData>", "</sheetData>" + " " * (4 * MB))
    catalog = tmp_path / "目录.xlsx"
    catalog.write_bytes(mh.ooxml(parts))
    err = _refused(pkg, catalog)
    assert "疑似压缩炸弹" in err and "压缩比" in err
    assert _index_files(_private_cache) == []


# ---------------------------------------------------------------- the index cache and the limits


def test_an_index_cached_under_looser_limits_does_not_spare_the_check(pkg: Path, tmp_path: Path,
                                                                    _private_cache: Path) -> None:
    catalog = _csv(tmp_path / "目录.csv")
    assert _dl701_system(pkg, catalog) == TARGET[0]  # default limits: indexed and cached
    assert len(_index_files(_private_cache)) == 1
    from dossier_lint.duplicates.index import clear_memo

    clear_memo()
    err = _refused(pkg, catalog, "--config", _config(tmp_path, max_cells=8))
    assert "单元格过多（超过上限 8）" in err


def test_workers_load_the_index_under_the_runs_limits(pkg: Path, tmp_path: Path, _private_cache: Path) -> None:
    # two packages on two workers, with non-default limits: the parent validates and caches the index,
    # the workers find that same index (had they used other limits, they would each build another)
    rnd = tmp_path / "round"
    for name in ("a", "b"):
        shutil.copytree(pkg, rnd / name)
    catalog = _csv(tmp_path / "目录.csv")
    cfg = _config(tmp_path, max_cells=100_000, max_file_bytes=10 * MB)
    code, out, err = run_cli("check", rnd, "--catalog", catalog, "--profile", "nanchong", "--format", "json",
                             "--jobs", "2", "--config", cfg)
    assert code in (0, 1), err
    report = json.loads(out)
    assert [sum(d["rule"] == "DL701" for d in p["diagnostics"]) for p in report["packages"]] == [1, 1]
    assert len(_index_files(_private_cache)) == 1

