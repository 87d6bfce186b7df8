"""Real-browser tests: pytest-playwright driving Debian's Chromium against a live server.

Playwright cannot download its own browser here, so we launch /usr/bin/chromium. Without it
the tests skip with a reason — except when GAPMAP_REQUIRE_BROWSER=1 (set by .ci/run, which
installs Chromium), where a missing browser is a failure.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from playwright.sync_api import expect

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


# A journey's two runs: a desktop's in English and a phone's in Spanish (issue 18: every
# journey runs once in Spanish). A test that needs one of them only asks for it with
# @pytest.mark.parametrize("journey", ["390"], indirect=True).
JOURNEY_RUNS = {"1280": (1280, 800, "en"), "390": (390, 844, "es")}
# The browser's own language for each of ours: what it sends as Accept-Language.
BROWSER_LOCALES = {"en": "en-GB", "es": "es-ES"}


def translator(language):
    """t(text, context=None): the interface text whose English msgid is `text` (with its
    pgettext context, if it has one) as a page in `language` shows it. A text the catalogue
    does not translate yet comes back in English, as the page shows it too."""

    def t(text, context=None):
        with translation.override(language):
            if context is None:
                return translation.gettext(text)
            return translation.pgettext(context, text)

    return t


def plural_translator(language):
    """tn(singular, plural, count, context=None): ngettext's (or npgettext's) text for `count`
    in `language`, not yet formatted: `tn(...) % {"counter": count}`."""

    def tn(singular, plural, count, context=None):
        with translation.override(language):
            if context is None:
                return translation.ngettext(singular, plural, count)
            return translation.npgettext(context, singular, plural, count)

    return tn


def new_context(browser, base_url, language, **options):
    """A browser context that asks for `language` as a person would: its browser's language
    (Accept-Language) and, for any language but the default, the switcher's cookie for the
    live server."""
    context = browser.new_context(locale=BROWSER_LOCALES[language], **options)
    if language != settings.LANGUAGE_CODE:
        context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language,
                              "url": base_url}])
    return context


class Journey:
    """A journey's browser pages, all at one width (a desktop's or a phone's) and in one
    language, each watched for 5xx, console errors and sideways scroll
    (tests.browser.helpers.PageWatch).

    `t` and `tn` give the interface's texts in the journey's language: a journey finds
    buttons, labels and messages by them, and people's own content (titles, names) as typed."""

    def __init__(self, browser, base_url, width, height, language):
        from tests.browser.helpers import PageWatch

        self.browser, self.base_url = browser, base_url
        self.width, self.height, self.language = width, height, language
        self.t, self.tn = translator(language), plural_translator(language)
        self.watch, self.contexts = PageWatch(), []

    @property
    def on_a_phone(self):
        return self.width <= 640

    def new_page(self, **options):
        """A page in a new context (a new person); `options` go to new_context, e.g.
        java_script_enabled=False."""
        context = new_context(self.browser, self.base_url, self.language,
                              viewport={"width": self.width, "height": self.height}, **options)
        self.contexts.append(context)
        page = context.new_page()
        self.watch.attach(page)
        return page

    def catalogue_text(self, row, attribute="local_title"):
        """A catalogue row's text as a page in the journey's language shows it: a topic's
        `local_title`, a cluster's `local_name` (the Spanish catalogue translates them)."""
        with translation.override(self.language):
            return getattr(row, attribute)

    def expect_language(self, page):
        """The page says it is in the journey's language (<html lang>)."""
        expect(page.locator("html")).to_have_attribute("lang", self.language)

    def check(self, page):
        """Here, now: is the page wider than the window?"""
        self.watch.page = page
        self.watch.check_width()

    @property
    def problems(self):
        return self.watch.problems


@pytest.fixture(params=list(JOURNEY_RUNS))
def journey(request, browser, live_server):
    journey = Journey(browser, live_server.url, *JOURNEY_RUNS[request.param])
    yield journey
    for context in journey.contexts:
        context.close()
