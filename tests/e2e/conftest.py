"""Browser tests: the real app on a loopback port, driven in Debian's Chromium by Playwright, every
page scanned with axe-core. Under CI=true a Chromium that cannot start fails the run."""

import json
import os
import socket
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app import create_app
from config import TestingConfig

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_COUNTS = {}


def _fail_or_skip(message):
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import Error, sync_playwright

    if not Path(CHROMIUM).exists():
        _fail_or_skip(f"{CHROMIUM} is missing: apt-get install chromium")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except Error as error:
        playwright.stop()
        _fail_or_skip(f"Chromium could not start: {error}")
    yield browser
    browser.close()
    playwright.stop()


def pytest_terminal_summary(terminalreporter):
    if AXE_COUNTS:
        terminalreporter.write_line(
            f"axe-core (WCAG 2.2 A/AA) violations by impact on {len(AXE_COUNTS)} pages scanned:"
        )
        for page_name, counts in AXE_COUNTS.items():
            terminalreporter.write_line(f"  {page_name}: {json.dumps(counts) if counts else 'none'}")


@pytest.fixture(scope="session")
def live_url(database_url):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    live = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=database_url,
        WTF_CSRF_ENABLED=True,
        S26_REQUIRE_2FA=True,
        S26_BASE_URL=url,
    )
    server = make_server("127.0.0.1", port, live, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url
    server.shutdown()


@pytest.fixture
def page(browser, live_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_url, accept_downloads=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def axe_check(page, name):
    """Scan the page with axe-core for WCAG 2.2 A/AA; no serious or critical violation is allowed."""
    page.evaluate(AXE.read_text())
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    counts = {}
    for violation in result["violations"]:
        counts[violation["impact"]] = counts.get(violation["impact"], 0) + len(violation["nodes"])
    AXE_COUNTS[name] = counts
    serious = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])})"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], f"{name}: {serious}"


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def visit(page, name):
    """Check the page the browser is on, as a person would: accessibility and a screenshot."""
    axe_check(page, name)
    shot(page, name)


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
