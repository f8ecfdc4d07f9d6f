"""The HTML report: one self-contained page (no network) with everything a reviewer needs."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from dossier_lint.report import html
from helpers import check_round, synthetic_run


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _classes(tags, cls):
    return [a for t, a in tags if cls in (a.get("class") or "").split()]


def test_round_page_is_self_contained_and_complete(tmp_path):
    out = tmp_path / "report.html"
    code, _, err = check_round("--format", "html", "--output", out)
    assert code in (0, 1), err
    _, text, _ = check_round("--format", "json")
    report = json.loads(text)
    page = out.read_text(encoding="utf-8")
    # nothing fetched from anywhere: no external scripts, styles, images, fonts
    p = _Collect()
    p.feed(page)
    for tag, attrs in p.tags:
        for attr in ("src", "href"):
            value = attrs.get(attr) or ""
            assert not re.match(r"^(https?:)?//", value), (tag, value)
    assert "@import" not in page and "url(" not in page
    assert '<html lang="zh-CN">' in page
    findings = _classes(p.tags, "finding")
    n_active = sum(len(pkg["diagnostics"]) for pkg in report["packages"])
    n_waived = sum(len(pkg["waived"]) for pkg in report["packages"])
    assert len(findings) == n_active + n_waived
    assert sorted(f["data-fp"] for f in findings) == sorted(
        d["fingerprint"] for pkg in report["packages"] for d in pkg["diagnostics"] + pkg["waived"]
    )
    assert len(_classes(p.tags, "pkg")) == len(report["packages"])
    for pkg in report["packages"]:
        for doc in pkg["documents"]:
            assert html._e(doc["path"]) in page
        for d in pkg["diagnostics"]:
            assert html._e(d["message"]) in page
            for b in d["basis"]:
                assert html._e(f"{b['source']} {b['article']}".strip()) in page


def test_escaping_and_ranking():
    run, settings = synthetic_run()
    page = html.render(run, settings, {})
    assert "<b>标签</b>" not in page and "&lt;b&gt;标签&lt;/b&gt;" in page
    assert "&quot;引号&quot;" in page
    rank = re.findall(r'<tr data-pkg="(pkg-\d+)"', page)
    assert rank == ["pkg-0", "pkg-1", "pkg-2"]  # 1 error each; then by warnings: 2, 2, 1
    assert page.count('class="finding') == 4 + 3 + 2 + 3
    assert "已豁免：专家组同意" in page
