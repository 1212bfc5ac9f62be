"""The dashboard end to end in headless Chromium (Debian's chromium + chromium-driver).

Skips with a message when Chromium is not installed (``scripts/install-chromium.sh``).
Screenshots go to ``build/screenshots/`` (or ``$SITREP_SCREENSHOTS``) for people to look at.
The WebDriver protocol is spoken directly over HTTP (httpx), so no extra Python package.
"""

from __future__ import annotations

import base64
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from web_helpers import HOSTILE_NAME, seed_store  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SHOTS = Path(os.environ.get("SITREP_SCREENSHOTS", ROOT / "build" / "screenshots"))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"

pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER),
    reason="headless Chromium not installed: run scripts/install-chromium.sh "
    "(apt-get install chromium chromium-driver) to run the dashboard browser tests",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(check, what: str, tries: int = 300, pause: float = 0.1) -> Any:  # type: ignore[no-untyped-def]
    """Poll ``check`` until it returns something truthy (bounded; not a timing assertion)."""
    for _ in range(tries):
        value = check()
        if value:
            return value
        time.sleep(pause)
    raise AssertionError(f"gave up waiting for {what}")


class Browser:
    """A minimal W3C WebDriver client for chromedriver."""

    def __init__(self, driver_url: str) -> None:
        self.http = httpx.Client(base_url=driver_url, timeout=60)
        caps = {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--window-size=1400,1900",
                    "--no-first-run",
                    "--no-default-browser-check",
                ],  # fmt: skip
            },
            "goog:loggingPrefs": {"browser": "ALL"},
        }
        r = self.http.post("/session", json={"capabilities": {"alwaysMatch": caps}})
        r.raise_for_status()
        self.sid = r.json()["value"]["sessionId"]

    def _cmd(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        r = self.http.request(method, f"/session/{self.sid}{path}", json=body)
        value = r.json().get("value")
        if r.status_code >= 400:
            raise AssertionError(f"webdriver {path}: {value}")
        return value

    def get(self, url: str) -> None:
        self._cmd("POST", "/url", {"url": url})

    def js(self, script: str, *args: Any) -> Any:
        return self._cmd("POST", "/execute/sync", {"script": script, "args": list(args)})

    def click(self, css: str) -> None:
        el = self._cmd("POST", "/element", {"using": "css selector", "value": css})
        self._cmd("POST", f"/element/{el[ELEMENT]}/click", {})

    def screenshot(self, name: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        path.write_bytes(base64.b64decode(self._cmd("GET", "/screenshot")))
        return path

    def console(self) -> list[dict[str, Any]]:
        return self._cmd("POST", "/se/log", {"type": "browser"}) or []

    def quit(self) -> None:
        try:
            self._cmd("DELETE", "")
        finally:
            self.http.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, int]]]:
    import uvicorn

    from sitrep.web import WebSettings, create_app

    url = f"sqlite:///{tmp_path_factory.mktemp('dash') / 'dash.db'}"
    ids = seed_store(url)
    port = _free_port()
    app = create_app(WebSettings.for_bind(url, "127.0.0.1", port, None))
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    _wait(lambda: srv.started, "the web server to start")
    yield f"http://127.0.0.1:{port}", ids
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    port = _free_port()
    proc = subprocess.Popen([DRIVER, f"--port={port}"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip
    base = f"http://127.0.0.1:{port}"

    def ready() -> bool:
        try:
            return bool(httpx.get(base + "/status", timeout=2).json()["value"]["ready"])
        except (httpx.HTTPError, ValueError, KeyError):
            return False

    try:
        _wait(ready, "chromedriver")
        b = Browser(base)
        yield b
        b.quit()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _problems(browser: Browser) -> list[str]:
    """Console errors: CSP violations, script errors, failed loads."""
    return [e["message"] for e in browser.console() if e.get("level") == "SEVERE"]


def test_dashboard_renders_every_panel(server: tuple, browser: Browser) -> None:
    base, _ = server
    browser.get(base + "/")
    _wait(lambda: browser.js("return document.body.dataset.ready === '1'"), "dashboard data")
    _wait(
        lambda: browser.js("return document.querySelectorAll('#map path').length > 100"), "basemap"
    )
    counts = browser.js("""return {
        bars: document.querySelectorAll('#timeline rect.bar').length,
        land: document.querySelectorAll('#map .land path').length,
        dots: document.querySelectorAll('#map circle.dot').length,
        nodes: document.querySelectorAll('#network g.node').length,
        edges: document.querySelectorAll('#network line.edge').length,
        rows: document.querySelectorAll('#events tbody tr').length};""")
    browser.screenshot("dashboard")
    assert counts["bars"] >= 5 and counts["land"] > 100
    assert counts["dots"] == 2  # Kharkiv and Istanbul
    assert counts["nodes"] >= 5 and counts["edges"] >= 5
    assert counts["rows"] == 6
    assert not _problems(browser)


def test_filters_apply_and_live_in_the_url(server: tuple, browser: Browser) -> None:
    base, _ = server
    browser.get(base + "/?type=ASSAULT")
    _wait(lambda: browser.js("return document.body.dataset.ready === '1'"), "filtered dashboard")
    types = browser.js(
        "return [...document.querySelectorAll('#events tbody .type')].map(e => e.textContent)"
    )
    assert types == ["ASSAULT", "ASSAULT"]
    assert browser.js("return document.querySelector('select[name=type]').value") == "ASSAULT"
    assert browser.js("return document.querySelectorAll('#map circle.dot').length") == 1


def test_hostile_article_stays_text(server: tuple, browser: Browser) -> None:
    base, ids = server
    browser.get(f"{base}/articles/{ids['hostile']}")
    _wait(lambda: browser.js("return !!document.querySelector('#article-text')"), "article text")
    browser.get(base + "/")  # the hostile actor name is also in the dashboard's table and network
    _wait(lambda: browser.js("return document.body.dataset.ready === '1'"), "dashboard")
    assert browser.js("return window.__pwned === undefined")
    browser.get(f"{base}/articles/{ids['hostile']}")
    _wait(lambda: browser.js("return !!document.querySelector('#article-text')"), "article text")
    state = browser.js("""return {
        pwned: window.__pwned === undefined ? null : window.__pwned,
        imgs: document.querySelectorAll('main img, main iframe').length,
        scripts: document.querySelectorAll('main script').length,
        text: document.querySelector('#article-text').textContent,
        title: document.querySelector('#article-title').textContent,
        side: document.querySelector('.article-side').textContent};""")
    browser.screenshot("article-hostile")
    assert state["pwned"] is None and state["imgs"] == 0 and state["scripts"] == 0
    assert HOSTILE_NAME in state["text"] and HOSTILE_NAME in state["side"]
    assert state["title"].startswith("<script>")
    assert not _problems(browser)


def test_article_view_links_facts(server: tuple, browser: Browser) -> None:
    base, ids = server
    browser.get(f"{base}/articles/{ids['kharkiv']}")
    _wait(lambda: browser.js("return !!document.querySelector('.article-side .item')"), "side list")
    kinds = browser.js("return [...new Set([...document.querySelectorAll('#article-text .ann')]"
                       ".flatMap(s => [...s.classList].filter(c => c.startsWith('k-'))))].sort()")  # fmt: skip
    assert kinds == ["k-actor", "k-event", "k-place", "k-quote", "k-time"]
    browser.click(".article-side .item.k-event")  # the ASSAULT event
    lit = browser.js(
        "return [...document.querySelectorAll('#article-text .ann.hl')].map(s => s.textContent)"
    )
    assert "Russia" in lit and "Kharkiv" in lit  # its source actor and its place light up
    side = browser.js(
        "return [...document.querySelectorAll('.article-side .item.hl')].map(b => b.textContent)"
    )
    assert any(t.startswith("Russia") for t in side) and any(t.startswith("Kharkiv") for t in side)
    browser.screenshot("article-linked")
    browser.click(".article-side .item.k-quote")  # a quote lights up its speaker
    lit = browser.js(
        "return [...document.querySelectorAll('#article-text .ann.hl')].map(s => s.textContent)"
    )
    assert "Ukraine" in lit


def test_paste_box_analyses_an_article(server: tuple, browser: Browser, example_text: str) -> None:
    base, _ = server
    browser.get(base + "/")
    _wait(lambda: browser.js("return document.body.dataset.ready === '1'"), "dashboard")
    browser.js("document.querySelector('#analyze-form textarea').value = arguments[0];"
               "document.querySelector('#analyze-form input[name=published]').value = '2025-06-02';",
               example_text)  # fmt: skip
    browser.click("#analyze-form button[type=submit]")
    _wait(lambda: browser.js("return !!document.querySelector('#analyzed-view .article-text')"),
          "analysis result", tries=1200)  # fmt: skip
    status = browser.js("return document.getElementById('analyze-status').textContent")
    assert "event(s)" in status and "stored" in status
    assert browser.js("return document.querySelectorAll('#analyzed-view .ann.k-event').length") > 0
    browser.js("document.getElementById('analyze-panel').scrollIntoView()")
    browser.screenshot("analyze")
    assert not _problems(browser)


def test_api_docs_work_offline(server: tuple, browser: Browser) -> None:
    base, _ = server
    browser.get(base + "/docs")
    _wait(lambda: browser.js("return document.querySelectorAll('.opblock').length"), "Swagger UI")
    paths = browser.js(
        "return [...document.querySelectorAll('.opblock-summary-path')].map(e => e.textContent)"
    )
    browser.screenshot("docs")
    assert any("/api/events" in p for p in paths)
    assert not [m for m in _problems(browser) if "Content Security Policy" in m]
