"""The every-page gate (issue 16, "Done when"): each role visits every page it can reach
(tests/browser/pages.py), at 1280×800 and at 390×844, and each visit must

- answer no 5xx, for the document or any subresource;
- log no console error and raise no uncaught exception;
- not scroll sideways (the document is no wider than the window);
- show axe-core no violation of impact serious or critical;
- leave a full-page screenshot at test-artifacts/<role>/<page>-<width>.png;
- be in the role's language (<html lang>): the person and the moderator browse in Spanish
  (their browser's language and the switcher's cookie), the visitor and the funder in English
  (issue 18: axe-core passes in Spanish too).

Some forms are also sent empty, so their refusals are checked the same way.

Every failure of a role is collected and reported together at the end, so one run lists
everything to fix. For speed a page is loaded once at 1280 px and then resized to 390 px
(the site has no script that reads the width, so the phone layout is the same as a fresh
load's), and axe-core is injected once per load.
"""

from http import HTTPStatus

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import URLResolver, get_resolver, resolve
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, new_context, translator
from tests.browser.helpers import log_in
from tests.browser.pages import (
    LANGUAGES,
    NOT_PAGES,
    PAGES,
    ROLES,
    SENT_EMPTY,
    build_gate_world,
)

WIDTHS = {1280: 800, 390: 844}
BLOCKING = {"serious", "critical"}
AXE = Axe()
# Empties the text fields of the first POST form in <main> and sends it, bypassing the
# browser's own validation as a person without it would (the server's answer is the page).
SEND_EMPTY = """() => {
    const form = document.querySelector("main form[method=post]");
    form.querySelectorAll("textarea, input:not([type=hidden]):not([type=checkbox])"
                          + ":not([type=radio]):not([type=submit])")
        .forEach(field => { field.value = ""; });
    form.submit();
}"""


def axe_violations(page, *, inject):
    """axe-core's violations on the page as it is now; injects the script when asked (once
    per load: a resize keeps it)."""
    if inject:
        page.evaluate(AXE.axe_script)
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return results["violations"]


def status_logged(response):
    """What Chromium logs as a console error for a page answered with a 4xx status."""
    return (f"Failed to load resource: the server responded with a status of "
            f"{response.status} ({HTTPStatus(response.status).phrase})", response.url)


class Visit:
    """What went wrong while one role walked its pages: a readable line per failure."""

    def __init__(self, page, role):
        self.page, self.role, self.where, self.failures = page, role, "(start)", []
        self.language = LANGUAGES[role]
        self.console = []
        page.on("response", self._response)
        page.on("console", lambda message: message.type == "error" and self.console.append(
            (message.text, message.location["url"])))
        page.on("pageerror", lambda error: self._fail(f"uncaught exception: {error}"))

    def _fail(self, text):
        self.failures.append(f"{self.where}: {text}")

    def _response(self, response):
        if response.status >= 500:
            self._fail(f"{response.status} from {response.url}")

    def check(self, name, width, *, inject):
        self.where = f"{self.role} {name} @{width}"
        page = self.page
        language = page.evaluate("document.documentElement.lang")
        if language != self.language:
            self._fail(f"<html lang> is {language!r}, expected {self.language!r}")
        if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
            wide = page.evaluate("document.documentElement.scrollWidth")
            self._fail(f"scrolls sideways: {wide}px wide in a {width}px window")
        for violation in axe_violations(page, inject=inject):
            if violation["impact"] in BLOCKING:
                targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"])
                self._fail(f"axe {violation['id']} ({violation['impact']}): {targets}")
        path = ARTIFACTS / self.role / f"{name}-{width}.png"
        page.screenshot(path=str(path), full_page=True)

    def visit(self, base_url, name, address, *, expected=200, send_empty=False):
        """A page (`expected` its status), or with send_empty the answer to its form sent
        empty (any status below 500: a refusal is 400 or 200, a success redirects)."""
        page = self.page
        self.where = f"{self.role} {name}"
        page.set_viewport_size({"width": 1280, "height": WIDTHS[1280]})
        response = page.goto(base_url + address, wait_until="load")
        if send_empty:
            with page.expect_navigation(wait_until="load") as navigation:
                page.evaluate(SEND_EMPTY)
            response = navigation.value
        elif (response.status, page.url) != (expected, base_url + address):
            self._fail(f"{address} answered {response.status} at {page.url}, expected "
                       f"{expected} there")
        for number, (width, height) in enumerate(WIDTHS.items()):
            page.set_viewport_size({"width": width, "height": height})
            self.check(name, width, inject=number == 0)
        # The page's own 4xx, on purpose here, is the one console error allowed.
        allowed = status_logged(response) if 400 <= response.status < 500 else None
        self.where = f"{self.role} {name}"
        for text, _ in sorted(set(self.console) - {allowed}):
            self._fail(f"console error: {text}")
        self.console = []


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_is_whole_at_both_widths(live_server, browser, role):
    people, ids = build_gate_world()
    (ARTIFACTS / role).mkdir(parents=True, exist_ok=True)
    context = new_context(browser, live_server.url, LANGUAGES[role],
                          viewport={"width": 1280, "height": WIDTHS[1280]})
    page = context.new_page()
    if ROLES[role]:
        t = translator(LANGUAGES[role])
        log_in(page, live_server.url, people[ROLES[role]].username, t)
        expect(page.get_by_role("button", name=t("Log out"))).to_be_visible()
    visit = Visit(page, role)

    for name, address in PAGES[role]:
        visit.visit(live_server.url, name, address.format(**ids),
                    expected=404 if name == "not-found" else 200)
    for name, address in SENT_EMPTY[role]:
        visit.visit(live_server.url, name, address.format(**ids), send_empty=True)
    context.close()

    assert visit.failures == [], "\n" + "\n".join(visit.failures)


def _routes(patterns, namespace="", prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from _routes(pattern.url_patterns, inner, prefix + str(pattern.pattern))
        elif not prefix.lstrip("^").startswith(("api/", "admin/")):
            yield ":".join(filter(None, [namespace, pattern.name]))


class _AnyId(dict):
    def __missing__(self, key):
        return "1"


def test_every_route_is_visited_or_excused():
    """A new page fails here until it is added to tests/browser/pages.py (or excused there,
    with its reason, in NOT_PAGES)."""
    routes = set(_routes(get_resolver().url_patterns)) - {""}  # the API's catch-all 404
    addresses = [address for pages in (*PAGES.values(), *SENT_EMPTY.values())
                 for _, address in pages]
    visited = {resolve(address.format_map(_AnyId()).split("?")[0]).view_name
               for address in addresses if not address.startswith("/no-such-page/")}

    assert routes - visited - NOT_PAGES == set()
    assert NOT_PAGES & visited == set()
