"""GitHub Actions workflow commands: one annotation per finding, escaped per the command rules."""

from __future__ import annotations

import json
import re
from pathlib import Path

from dossier_lint.report import github
from helpers import check_round, synthetic_run

CMD = re.compile(r"^::(error|warning|notice) ((?:[a-z]+=[^,:]*,?)+)::(.*)$")


def _unescape(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def _parse(line: str) -> tuple[str, dict[str, str], str]:
    m = CMD.match(line)
    assert m, line
    props = dict(kv.split("=", 1) for kv in m.group(2).split(","))
    return m.group(1), {k: _unescape(v) for k, v in props.items()}, _unescape(m.group(3))


def test_round_annotations_match_json():
    code, out, _ = check_round("--format", "github")
    _, text, _ = check_round("--format", "json")
    report = json.loads(text)
    lines = [ln for ln in out.splitlines() if ln.startswith("::")]
    diags = [d for p in report["packages"] for d in p["diagnostics"]]
    assert len(lines) == len(diags) > 0
    level = {"error": "error", "warning": "warning", "info": "notice"}
    for line, d in zip(lines, diags, strict=True):
        cmd, props, msg = _parse(line)
        assert cmd == level[d["severity"]]
        assert props["title"].startswith(d["rule"] + " ")
        assert int(props["line"]) >= 1
        assert (Path.cwd() / props["file"]).exists(), props["file"]
        assert msg.startswith(d["message"]) or d["message"] in msg
    assert out.splitlines()[-1].startswith("dossier-lint：共检查")
    assert code == (1 if any(d["severity"] == "error" for d in diags) else 0)


def test_escaping():
    run, settings = synthetic_run()
    out = github.render(run, settings, {})
    line = next(ln for ln in out.splitlines() if "356.5" in ln)
    assert "\n" not in line
    cmd, props, msg = _parse(line)
    assert cmd == "warning" and props["file"] == "round/项目0/可研/可研报告.pdf" and props["line"] == "1"
    assert props["title"] == "DL401 投资额度前后不一致"
    assert "50% 逗号,冒号:" in msg and "\n原文：" in msg
    assert "%25" in line  # the literal percent sign was encoded
    assert github.escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    assert github.escape_data("a:b,c%\r\n") == "a:b,c%25%0D%0A"
