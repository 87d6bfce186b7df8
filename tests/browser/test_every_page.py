"""The every-page gate (issue 16, "Done when"): each role visits every page it can reach
(tests/browser/pages.py), at 1280×800 and at 390×844, and each visit must

- answer no 5xx, for the document or any subresource;
- log no console error and raise no uncaught exception;
- not scroll sideways (the document is no wider than the window);
- show axe-core no violation of impact serious or critical;
- leave a full-page screenshot at test-artifacts/<role>/<page>-<width>.png.

Every failure of a role is collected and reported together at the end, so one run lists
everything to fix. For speed a page is loaded once at 1280 px and then resized to 390 px
(the site has no script that reads the width, so the phone layout is the same as a fresh
load's), and axe-core is injected once per load.
"""

from http import HTTPStatus

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import log_in
from tests.browser.pages import PAGES, ROLES, build_gate_world

WIDTHS = {1280: 800, 390: 844}
BLOCKING = {"serious", "critical"}
AXE = Axe()
# The pages whose own status is not 200 on purpose.
EXPECTED_STATUS = {"not-found": 404}


def axe_violations(page, *, inject):
    """axe-core's violations on the page as it is now; injects the script when asked (once
    per load: a resize keeps it)."""
    if inject:
        page.evaluate(AXE.axe_script)
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return results["violations"]


class Visit:
    """What went wrong while one role walked its pages: a readable line per failure."""

    def __init__(self, page, role):
        self.page, self.role, self.where, self.failures = page, role, "(start)", []
        self.expected_error = None
        page.on("response", self._response)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self._fail(f"uncaught exception: {error}"))

    def _fail(self, text):
        self.failures.append(f"{self.where}: {text}")

    def _console(self, message):
        # Chromium logs a page's own non-200 status as an error; expected for the 404 page.
        if message.type == "error" and (message.text, message.location["url"]) != (
                self.expected_error):
            self._fail(f"console error: {message.text}")

    def _response(self, response):
        if response.status >= 500:
            self._fail(f"{response.status} from {response.url}")

    def check(self, name, width, *, inject):
        self.where = f"{self.role} {name} @{width}"
        page = self.page
        if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
            wide = page.evaluate("document.documentElement.scrollWidth")
            self._fail(f"scrolls sideways: {wide}px wide in a {width}px window")
        for violation in axe_violations(page, inject=inject):
            if violation["impact"] in BLOCKING:
                targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"])
                self._fail(f"axe {violation['id']} ({violation['impact']}): {targets}")
        path = ARTIFACTS / self.role / f"{name}-{width}.png"
        page.screenshot(path=str(path), full_page=True)

    def visit(self, base_url, name, address):
        page = self.page
        self.where = f"{self.role} {name}"
        expected = EXPECTED_STATUS.get(name, 200)
        self.expected_error = None if expected == 200 else (
            f"Failed to load resource: the server responded with a status of {expected} "
            f"({HTTPStatus(expected).phrase})", base_url + address)
        page.set_viewport_size({"width": 1280, "height": WIDTHS[1280]})
        response = page.goto(base_url + address, wait_until="load")
        if response.status != expected:
            self._fail(f"status {response.status} for {address}, expected {expected}")
        if page.url != base_url + address:
            self._fail(f"{address} ended at {page.url}")
        for number, (width, height) in enumerate(WIDTHS.items()):
            page.set_viewport_size({"width": width, "height": height})
            self.check(name, width, inject=number == 0)


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_is_whole_at_both_widths(live_server, page, role):
    people, ids = build_gate_world()
    (ARTIFACTS / role).mkdir(parents=True, exist_ok=True)
    if ROLES[role]:
        log_in(page, live_server.url, people[ROLES[role]].username)
        expect(page.get_by_role("button", name="Log out")).to_be_visible()
    visit = Visit(page, role)

    for name, address in PAGES[role]:
        visit.visit(live_server.url, name, address.format(**ids))

    assert visit.failures == [], "\n" + "\n".join(visit.failures)
