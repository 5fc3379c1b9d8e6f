"""Browser tests: the real app on a loopback port, driven in Debian's Chromium by Playwright, every
page scanned with axe-core. Under CI=true a Chromium that cannot start fails the run."""

import json
import os
import re
import socket
import threading
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

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
    if REFLOWED:
        terminalreporter.write_line(
            f"reflow at {NARROW} px: {len(REFLOWED)} kinds of page drawn again at {NARROW} px, "
            + (f"{len(WIDE)} wider: {WIDE}" if WIDE else "none wider")
            + (f"; not kept: {sorted(SEEN - REFLOWED)}" if SEEN - REFLOWED else "")
        )
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


HTML_DIR = ARTIFACTS / "html"  # every page the suite checks, as served: `make html-check` runs the Nu HTML Checker
NARROW = 320


@pytest.fixture(scope="session", autouse=True)
def _fresh_html_dir():
    if HTML_DIR.exists():
        for old in HTML_DIR.glob("*.html"):
            old.unlink()
    HTML_DIR.mkdir(parents=True, exist_ok=True)


# Reflow (WCAG 1.4.10) on every page the suite is shown, not only those it scans: the first page of each kind (ids and
# query values aside: the template is what scrolls sideways or not) is kept as the server sent it and, when the test
# is over, drawn again at 320 px in a browser of its own (no session: the page is served from what was kept, so
# nothing is asked of the server twice and nothing a GET might do happens again).
REFLOWED, SEEN, SHOWN, WIDE = set(), set(), [], []


def _page_kind(address):
    parts = urlsplit(address)
    return re.sub(r"/\d+", "/N", parts.path), tuple(sorted(key for key, _ in parse_qsl(parts.query)))


def _remember_document(page, response):
    request = response.request
    if request.resource_type != "document" or request.frame != page.main_frame:
        return
    page.s26_document = response
    kind = _page_kind(response.url)
    html = "text/html" in (response.headers.get("content-type") or "")
    if request.method == "GET" and response.status == 200 and html and kind not in SEEN:
        SEEN.add(kind)
        try:
            SHOWN.append((kind, response.url, response.text()))
        except Exception:  # noqa: BLE001 - a page the browser dropped before its body arrived: seen, not kept
            return


def _serve(body):
    # (a closure, not a default argument: Playwright passes the request as a route handler's second argument)
    return lambda route: route.fulfill(status=200, content_type="text/html", body=body)


def reflow_check(browser):
    """Draw every kept page at 320 px: none may scroll sideways."""
    if not SHOWN:
        return
    context = browser.new_context(viewport={"width": NARROW, "height": 800})
    page = context.new_page()
    wide = []
    try:
        while SHOWN:
            kind, address, body = SHOWN.pop(0)
            page.route(address, _serve(body))
            page.goto(address)
            page.unroute(address)
            REFLOWED.add(kind)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > NARROW:
                wide.append(f"{address}: {width} px wide")
    finally:
        context.close()
    WIDE.extend(wide)
    assert wide == [], f"pages scroll sideways at {NARROW} px: {wide}"


@pytest.fixture(autouse=True)
def _reflow_after_each_test(request):
    yield
    if SHOWN:
        reflow_check(request.getfixturevalue("browser"))


def new_page(browser, live_url, width=1280):
    """A browser page of its own (one person's session), remembering each document the server sends."""
    context = browser.new_context(viewport={"width": width, "height": 900}, base_url=live_url, accept_downloads=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.s26_document = None
    page.on("response", lambda response: _remember_document(page, response))
    return page


@pytest.fixture
def page(browser, live_url):
    page = new_page(browser, live_url)
    yield page
    page.context.close()


def narrow_check(page, name):
    """At 320 px (WCAG 1.4.10 reflow) no page scrolls sideways; the page is put back at its width after."""
    wide = page.viewport_size
    page.set_viewport_size({"width": NARROW, "height": 800})
    try:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= NARROW, f"{name}: {width} px wide at {NARROW} px"
    finally:
        page.set_viewport_size(wide)


def keep_html(page, name):
    """The page as the server sent it, for the Nu HTML Checker (`make html-check`)."""
    response = getattr(page, "s26_document", None)
    if response is None or "text/html" not in (response.headers.get("content-type") or ""):
        return
    try:
        text = response.text()
    except Exception:  # noqa: BLE001 - a body the browser no longer holds (a redirect's) is not a page
        return
    slug = "".join(ch if ch.isalnum() else "-" for ch in name.lower()).strip("-")[:80]
    (HTML_DIR / f"{slug}.html").write_text(text, encoding="utf-8")


def _known_govuk_issue(violation_id, node):
    """GOV.UK Frontend's conditional reveal sets aria-expanded on its radios on purpose (alphagov/govuk-frontend#979,
    a documented known issue: screen readers announce it); axe calls that attribute not allowed on a radio."""
    return (
        violation_id == "aria-allowed-attr"
        and node["html"].startswith('<input class="govuk-radios__input"')
        and ("aria-expanded" in node["html"] and 'aria-controls="conditional-' in node["html"])
    )


def axe_check(page, name):
    """Scan the page with axe-core for WCAG 2.2 A/AA; no serious or critical violation is allowed."""
    page.evaluate(AXE.read_text())
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    counts, serious = {}, []
    for violation in result["violations"]:
        nodes = [node for node in violation["nodes"] if not _known_govuk_issue(violation["id"], node)]
        if not nodes:
            continue
        counts[violation["impact"]] = counts.get(violation["impact"], 0) + len(nodes)
        if violation["impact"] in ("serious", "critical"):
            first = nodes[0]
            serious.append(
                f"{violation['id']}: {violation['help']} ({len(nodes)}): {first['html'][:200]} "
                f"{first.get('failureSummary', '')[:200]}"
            )
    AXE_COUNTS[name] = counts
    assert serious == [], f"{name}: {serious}"
    narrow_check(page, name)
    keep_html(page, name)


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def visit(page, name):
    """Check the page the browser is on, as a person would: accessibility and a screenshot."""
    axe_check(page, name)
    shot(page, name)


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
