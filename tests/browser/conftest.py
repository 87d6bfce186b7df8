"""Real-browser tests: pytest-playwright driving Debian's Chromium against a live server.

Playwright cannot download its own browser here, so we launch /usr/bin/chromium. Without it
the tests skip with a reason — except when GAPMAP_REQUIRE_BROWSER=1 (set by .ci/run, which
installs Chromium), where a missing browser is a failure.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("GAPMAP_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"



@pytest.fixture(autouse=True, scope="session")
def _orm_beside_playwright():
    """Playwright's sync API runs an event loop in this thread; the tests also use the ORM to
    arrange data, which Django refuses inside a running loop unless told it is safe here.
    Session-wide, because the test databases are torn down while the browser loop still runs."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("GAPMAP_REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"GAPMAP_REQUIRE_BROWSER=1 but no Chromium at {CHROMIUM}")
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}; .ci/run installs it")
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"],
    }


@pytest.fixture
def screenshot(request):
    """screenshot(page, name): save the page under test-artifacts/ for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name):
        path = ARTIFACTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


JOURNEY_WIDTHS = {"1280": (1280, 800), "390": (390, 844)}


class Journey:
    """A journey's browser pages, all at one width (a desktop's or a phone's), each watched
    for 5xx, console errors and sideways scroll (tests.browser.helpers.PageWatch)."""

    def __init__(self, browser, width, height):
        from tests.browser.helpers import PageWatch

        self.browser, self.width, self.height = browser, width, height
        self.watch, self.contexts = PageWatch(), []

    @property
    def on_a_phone(self):
        return self.width <= 640

    def new_page(self):
        context = self.browser.new_context(viewport={"width": self.width, "height": self.height})
        self.contexts.append(context)
        page = context.new_page()
        self.watch.attach(page)
        return page

    def check(self, page):
        """Here, now: is the page wider than the window?"""
        self.watch.page = page
        self.watch.check_width()

    @property
    def problems(self):
        return self.watch.problems


@pytest.fixture(params=list(JOURNEY_WIDTHS))
def journey(request, browser):
    journey = Journey(browser, *JOURNEY_WIDTHS[request.param])
    yield journey
    for context in journey.contexts:
        context.close()
