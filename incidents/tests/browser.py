"""Driving Debian's Chromium through Playwright against the live server: fixtures and page helpers.

The fixtures are registered for the whole suite by conftest.py; a browser test module sets
`pytestmark = [*BROWSER, ...]`. Map tiles and anything else outside the machine are blocked, as
they are here. Screenshots go to test-artifacts/ (not committed) so a person can look at them.
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"

# Marks for a module of browser tests: `pytestmark = [*BROWSER, ...]`.
BROWSER = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed at /usr/bin/chromium"),
    pytest.mark.usefixtures("unhashed_static", "browser_pages_closed"),
]

# The browser contexts opened by the running test (offline_page), closed when it ends.
_OPEN_CONTEXTS = []



def browser_test(function):
    """The BROWSER marks for one test in a module of other tests."""
    for mark in reversed(BROWSER):
        function = mark(function)
    return function


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between browser steps are still plain synchronous code.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield chromium
        chromium.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser_pages_closed():
    """After a browser test, let its pages finish what they asked the live server (the map refetches
    after the last click), then close them. A request still running when pytest-django empties the
    tables deadlocked with the TRUNCATE (seen in a parallel CI run). Runs before that flush: fixtures
    end in reverse order, and the database fixture starts first."""
    yield
    while _OPEN_CONTEXTS:
        context = _OPEN_CONTEXTS.pop()
        try:
            for page in context.pages:
                page.wait_for_load_state("networkidle", timeout=5_000)
        except Exception:  # noqa: BLE001 (closed already, or never idle: closing ends it either way)
            pass
        try:
            context.close()
        except Exception:  # noqa: BLE001 (the test closed it itself)
            pass


@pytest.fixture
def unhashed_static(settings):
    """The live server finds static files by their source names (its handler uses the finders),
    so the pages must link those rather than the hashed names of the production manifest."""
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


OUR_ORIGIN = re.compile(r"^https?://(localhost|127\.0\.0\.1)[:/]")


def offline_page(browser, width=1400, height=1100, phone=False):
    """A new page that reaches nothing outside this machine and collects script errors and CSP
    violations in `page.errors`."""
    context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=phone, has_touch=phone)
    _OPEN_CONTEXTS.append(context)
    # Nothing leaves the machine: tiles (and anything else external) fail, as they do here.
    context.route(re.compile(r"^https?://(?!localhost|127\.0\.0\.1)"), lambda route: route.abort())
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    # The Content-Security-Policy allows no inline script or style: a violation is a bug here.
    page.on("console", lambda message: page.errors.append(message.text)
            if "Content Security Policy" in message.text else None)
    # Our own files must all be there: a missing script, style, outline or icon is a bug a visitor sees.
    page.on("response", lambda response: page.errors.append(f"HTTP {response.status} {response.url}")
            if response.status >= 400 and OUR_ORIGIN.match(response.url) else None)
    return page


def open_page(browser, live_server, path="/", width=1400, height=1100, phone=False):
    page = offline_page(browser, width, height, phone)
    page.goto(live_server.url + path)
    wait_for_map(page)
    return page


def wait_for_map(page, count=None):
    condition = f"#map[data-loading=false][data-count='{count}']" if count is not None else \
        "#map[data-loading=false][data-count]"
    page.wait_for_selector(condition, state="attached", timeout=10_000)


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
