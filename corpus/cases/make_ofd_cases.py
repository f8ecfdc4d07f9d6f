"""Generate the OFD fixture packages (tests/test_readers_ofd.py, end to end through the CLI).

    python corpus/cases/make_ofd_cases.py      # rewrites corpus/cases/ofd/

A 南充 project under construction (在建) must file its 立项批复 and 立项会议纪要 (DL115). Here both come as
OFD files with names that say nothing (附件1.ofd, 附件2.ofd), as they do when downloaded from an OA system:
only their text tells what they are. `nc-in-progress-ofd` has them with text (classified from their titles,
DL115 silent); `nc-in-progress-ofd-scanned` has the same two as a scan and as text turned to curves (DL013
on each, and DL115 because neither can be told apart). The rest of the package is the structure cases'
nc-in-progress package (corpus/cases/make_structure_cases.py). Everything is deterministic.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "ofd"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import make_structure_cases as msc  # noqa: E402
import ofdbuild as ob  # noqa: E402

# 公文 layout (GB/T 9704): 三号 text, 28 characters a line
SIZE = 5.57

APPROVAL = [
    ("title", "南充市发展和改革委员会关于南充市智慧停车管理平台项目立项的批复"),
    ("center", "南发改〔2023〕88号"),
    ("p", f"{msc.NC_UNIT}："),
    ("p", "你局《关于南充市智慧停车管理平台项目立项的请示》（南住建〔2023〕12号）收悉。经研究，现批复如下："),
    ("h1", "一、同意南充市智慧停车管理平台项目立项"),
    ("p", "项目建设内容包括停车资源普查、泊位监测、停车诱导和综合监管4个子系统，接入路内泊位3000个，"
          "部署于市级政务云，建设周期12个月。"),
    ("h1", "二、项目投资及资金来源"),
    ("p", "项目总投资860万元，资金来源为市本级财政资金。"),
    ("pagebreak",),
    ("h1", "三、有关要求"),
    ("p", "请严格按照政务信息化项目管理有关规定组织实施，落实网络安全等级保护和商用密码应用要求，"
          "项目建成后及时组织验收。"),
    ("p", "特此批复。"),
    ("p", "南充市发展和改革委员会"),
    ("p", "2023年3月1日"),
]

MINUTES = [
    ("title", "南充市人民政府常务会议纪要"),
    ("center", "〔2023〕5号"),
    ("p", "2023年2月20日，市长主持召开市政府第十二次常务会议，研究智慧停车管理平台建设等事项。纪要如下："),
    ("h1", "一、关于南充市智慧停车管理平台项目"),
    ("p", "会议同意市住房和城乡建设局建设南充市智慧停车管理平台，项目总投资860万元，由市本级财政资金安排。"),
    ("h1", "二、其他事项"),
    ("p", "会议要求各相关部门按职责分工做好数据共享和配合工作。"),
]


def _nc_in_progress_ofd(d: Path) -> None:
    msc._nc_in_progress(d)
    (d / "附件1.ofd").write_bytes(ob.layout(APPROVAL, size=SIZE, title="立项批复"))
    (d / "附件2.ofd").write_bytes(ob.layout(MINUTES, size=SIZE, title="会议纪要"))


def _nc_in_progress_ofd_scanned(d: Path) -> None:
    msc._nc_in_progress(d)
    (d / "附件1.ofd").write_bytes(ob.scanned(2))
    (d / "附件2.ofd").write_bytes(ob.outlined(["南充市人民政府常务会议纪要", "一、关于南充市智慧停车管理平台项目"]))


CASES = {
    "nc-in-progress-ofd": _nc_in_progress_ofd,
    "nc-in-progress-ofd-scanned": _nc_in_progress_ofd_scanned,
}


def main() -> None:
    names = sys.argv[1:] or list(CASES)
    OUT.mkdir(parents=True, exist_ok=True)
    for name in names:
        target = OUT / name
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        CASES[name](target)
    total = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file())
    print(f"{len(names)} cases in {OUT} ({total / 1024:.0f} KB)")


if __name__ == "__main__":
    main()
