"""The HTML report in a real headless Chromium, driven over the DevTools protocol on a pipe
(`--remote-debugging-pipe`: no websocket client, no selenium / playwright needed).

Skips only when no Chromium binary is installed (CI's .ci/run installs it).
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from helpers import check_round

BROWSER = next((b for b in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser"),
                            shutil.which("google-chrome")) if b and os.path.exists(b)), None)

pytestmark = pytest.mark.skipif(BROWSER is None, reason="no Chromium binary installed")


class Chromium:
    """Just enough of the DevTools protocol: one page, evaluate, screenshot."""

    def __init__(self, profile: Path) -> None:
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def fds() -> None:  # the protocol pipe is fd 3 (commands in) and fd 4 (replies out)
            os.dup2(to_child_r, 3)
            os.dup2(from_child_w, 4)

        self.proc = subprocess.Popen(
            [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", "--remote-debugging-pipe", "--window-size=1280,1600",
             "--hide-scrollbars", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=fds, pass_fds=(3, 4),
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._buf = b""
        self._id = 0
        self.session: str | None = None

    def send(self, method: str, params: dict | None = None, session: bool = True, timeout: float = 30) -> dict:
        self._id += 1
        msg: dict = {"id": self._id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        os.write(self._to_child, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            while b"\0" in self._buf:
                raw, self._buf = self._buf.split(b"\0", 1)
                reply = json.loads(raw)
                if reply.get("id") == self._id:
                    if "error" in reply:
                        raise RuntimeError(f"{method}: {reply['error']}")
                    return reply["result"]
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(method)
            ready, _, _ = select.select([self._from_child], [], [], left)
            if ready:
                chunk = os.read(self._from_child, 1 << 20)
                if not chunk:
                    raise RuntimeError("Chromium closed the pipe")
                self._buf += chunk

    def open(self, url: str) -> None:
        target = self.send("Target.createTarget", {"url": url}, session=False)["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True},
                                 session=False)["sessionId"]
        deadline = time.monotonic() + 30
        while self.js("document.body && document.body.dataset.ready") != "1":
            assert time.monotonic() < deadline, "the page's script never ran"
            time.sleep(0.1)

    def js(self, expression: str):
        res = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in res:
            raise RuntimeError(res["exceptionDetails"])
        return res["result"].get("value")

    def screenshot(self, path: Path) -> None:
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        try:
            self.send("Browser.close", session=False, timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_child)
        os.close(self._from_child)


VISIBLE = "document.querySelectorAll('.finding:not(.filtered-out)')"


def test_report_in_chromium(tmp_path):
    page = tmp_path / "report.html"
    code, _, err = check_round("--format", "html", "--output", page)
    assert code in (0, 1), err
    _, text, _ = check_round("--format", "json")
    report = json.loads(text)
    diags = [d for p in report["packages"] for d in p["diagnostics"]]
    assert diags, "the corpus round should have findings"
    browser = Chromium(tmp_path / "profile")
    try:
        browser.open(page.as_uri())
        assert browser.js("document.title").startswith("申报材料检查报告")
        assert browser.js(f"{VISIBLE}.length") == len(diags)
        assert browser.js("document.getElementById('shown-n').textContent") == str(len(diags))
        assert browser.js("document.querySelectorAll('details.pkg').length") == len(report["packages"])
        browser.screenshot(tmp_path / "report.png")

        # severity filter: errors only
        browser.js("document.querySelector('input[name=sev][value=warning]').click();"
                   "document.querySelector('input[name=sev][value=info]').click();")
        errors = [d for d in diags if d["severity"] == "error"]
        assert browser.js(f"{VISIBLE}.length") == len(errors)
        assert browser.js(f"Array.from({VISIBLE}).every(f => f.dataset.sev === 'error')") is True
        shown_pkgs = browser.js("Array.from(document.querySelectorAll('details.pkg:not(.filtered-out)')).length")
        assert shown_pkgs == sum(1 for p in report["packages"] if any(d["severity"] == "error" for d in p["diagnostics"]))
        browser.screenshot(tmp_path / "errors-only.png")

        # back to all severities, then a rule filter through the select
        browser.js("document.querySelectorAll('input[name=sev]').forEach(b => { if (!b.checked) b.click(); })")
        rule = max({d["rule"] for d in diags}, key=lambda r: sum(1 for d in diags if d["rule"] == r))
        browser.js(f"const s = document.getElementById('f-rule'); s.value = {json.dumps(rule)};"
                   "s.dispatchEvent(new Event('change'));")
        assert browser.js(f"{VISIBLE}.length") == sum(1 for d in diags if d["rule"] == rule)
        assert browser.js("document.getElementById('shown-n').textContent") == str(
            sum(1 for d in diags if d["rule"] == rule))

        # category chip toggles the category filter
        browser.js("document.getElementById('f-rule').value = ''; document.getElementById('f-rule')"
                   ".dispatchEvent(new Event('change'));")
        cat = diags[0]["category"]
        browser.js(f"document.querySelector('.cat[data-cat={json.dumps(cat)}]').click()")
        assert browser.js("document.getElementById('f-cat').value") == cat
        assert browser.js(f"{VISIBLE}.length") == sum(1 for d in diags if d["category"] == cat)

        # free-text search
        browser.js("document.querySelector('.cat[data-cat=" + json.dumps(cat) + "]').click()")
        word = diags[0]["message"][:6]
        browser.js(f"const q = document.getElementById('f-q'); q.value = {json.dumps(word)};"
                   "q.dispatchEvent(new Event('input'));")
        assert browser.js(f"{VISIBLE}.length") >= 1
        # shown exactly when the finding's text holds the word (waived ones stay hidden)
        assert browser.js(
            "Array.from(document.querySelectorAll('.finding[data-waived=\"0\"]')).every(f => "
            f"f.classList.contains('filtered-out') !== f.textContent.toLowerCase().includes({json.dumps(word.lower())}))"
        ) is True

        # filters from the address
        browser.open(page.as_uri() + "#sev=error&only=1")
        assert browser.js(f"{VISIBLE}.length") == len(errors)
    finally:
        browser.close()
    shot = tmp_path / "report.png"
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
