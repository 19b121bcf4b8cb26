"""Browser tests: the real app served by uvicorn, driven in Debian's headless Chromium with
Playwright (``executable_path=/usr/bin/chromium``; Playwright downloads no browser).

Skipped when Chromium is not installed, unless ``TRUCEWATCH_REQUIRE_BROWSER=1`` (``.ci/run`` sets
it after installing Chromium, so CI fails rather than skips).  Screenshots of each page go to
``TRUCEWATCH_SCREENSHOTS`` when set (the README's images come from
``TRUCEWATCH_SCREENSHOTS=docs/screenshots``), else to a temporary folder.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from trucewatch import api

CHROMIUM = os.environ.get("TRUCEWATCH_CHROMIUM", "/usr/bin/chromium")
FIX = Path(__file__).parent / "fixtures"
EXAMPLES = Path(__file__).parent.parent / "examples"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
    if os.environ.get("TRUCEWATCH_REQUIRE_BROWSER") == "1":
        raise RuntimeError(f"browser tests required but {CHROMIUM} is missing (apt-get install chromium)")
    pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium to run the browser tests)",
                allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")
TOKEN = "browser-test-token"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory, extractor):
    import uvicorn

    from trucewatch.web import create_app

    db = str(tmp_path_factory.mktemp("browser") / "demo.db")
    api.ingest([str(EXAMPLES)], db=db, extractor=extractor)  # the demo ledger
    for sub in ("incidents", "xss", "pause2023"):
        api.ingest([], db=db, meta=FIX / sub / "meta.jsonl", extractor=extractor)
    app = create_app(db, token=TOKEN)
    app.state.extractor = extractor
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = ctx.new_page()
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.dialogs = dialogs
    yield pg
    ctx.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    target = os.environ.get("TRUCEWATCH_SCREENSHOTS")
    path = Path(target) if target else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def test_incidents_timeline_filters_and_conflicts(server, page, shots):
    page.goto(f"{server}/incidents")
    assert page.locator("li.incident").count() >= 5
    page.fill("input[name=place]", "Shujayea")
    page.select_option("select[name=type]", "attack")
    page.click("button[type=submit]")
    page.wait_for_url("**/incidents?*")
    items = page.locator("li.incident")
    assert items.count() >= 1
    first = items.first
    assert "Shujaiyya" in first.inner_text()
    assert first.locator("tr.conflict").count() >= 1  # the civil defence's 9 against the ministry's 15
    assert "conflict: count" in first.inner_text()
    page.screenshot(path=str(shots / "incidents.png"), full_page=True)
    first.locator("a.title").click()
    page.wait_for_url("**/incidents/inc-*")
    assert "Latest figure per source" in page.content()
    page.screenshot(path=str(shots / "incident.png"), full_page=True)


def test_article_view_highlights(server, page, shots):
    page.goto(f"{server}/articles/i-2")
    claims = page.locator("article.text span.claim")
    assert claims.count() >= 1
    assert "speaker:" in claims.first.get_attribute("title")
    figure = page.locator("article.text span.figure").first
    assert "figure: killed 9" in figure.get_attribute("title")
    link = page.locator("article.text a[href^='/incidents/inc-']").first
    assert link.count() == 1
    page.screenshot(path=str(shots / "article.png"), full_page=True)
    link.click()
    page.wait_for_url("**/incidents/inc-*")
    assert "i-2" in page.content()


def test_ceasefire_board_map_and_search(server, page, shots):
    page.goto(f"{server}/ceasefire/GAZA-2023-11-PAUSE")
    assert page.locator("svg.chart").count() == 2
    assert "2023-12-01" in page.content()
    page.screenshot(path=str(shots / "ceasefire.png"), full_page=True)
    page.goto(f"{server}/map")
    assert page.locator("svg.map circle.dot").count() >= 2
    page.screenshot(path=str(shots / "map.png"), full_page=True)
    page.goto(f"{server}/search")
    page.fill("input[name=speaker]", "civil defence")
    page.click("button[type=submit]")
    page.wait_for_url("**/search?*")
    rows = page.locator("table.list tbody tr")
    assert rows.count() >= 1 and "civil defence" in rows.first.inner_text().lower()
    page.screenshot(path=str(shots / "search.png"), full_page=True)


def test_hostile_markup_never_runs(server, page):
    for aid in ("x-1", "x-2"):
        page.goto(f"{server}/articles/{aid}")
        assert page.evaluate("document.querySelectorAll('script, [onerror], [onload], [onclick], "
                             "[onmouseover]').length") == 0
        assert page.evaluate("[...document.querySelectorAll('a')].filter(a => "
                             "a.href.startsWith('javascript:')).length") == 0
        page.locator("article.text").hover()
    assert "<script>alert('typed')</script>" in page.locator("article.text").inner_text()
    assert page.dialogs == []


def test_upload_needs_the_token(server, page, shots, tmp_path):
    note = tmp_path / "nuseirat.txt"
    note.write_text("Strike hits Nuseirat camp\n\nAn air strike hit a home in Nuseirat camp on Thursday, killing "
                    "three people, medics said.\n")
    page.goto(f"{server}/upload")
    page.set_input_files("input[name=files]", str(note))
    page.click("button[type=submit]")
    assert "valid token" in page.locator("#upload-error").inner_text()
    page.goto(f"{server}/upload")
    page.set_input_files("input[name=files]", str(note))
    page.fill("input[name=token]", TOKEN)
    page.click("button[type=submit]")
    assert "1 stored" in page.locator("#upload-result").inner_text()
    page.screenshot(path=str(shots / "upload.png"), full_page=True)
    page.goto(f"{server}/articles")
    assert "Strike hits Nuseirat camp" in page.content()
