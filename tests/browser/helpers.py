from django.utils.text import capfirst

from tests.factories import PASSWORD


def log_in(page, base_url, username, t):
    """Log in as `username` on the log-in page; `t` gives the page's texts in the language
    the page is in (a journey's `t`, or conftest.translator)."""
    page.goto(f"{base_url}/accounts/login/")
    # Django's log-in form labels the field with the user model's verbose name.
    page.get_by_label(capfirst(t("username"))).fill(username)
    page.get_by_label(t("Password")).fill(PASSWORD)
    page.get_by_role("button", name=t("Log in")).click()


def log_out(page, t):
    """The header's Log out, opening the phone's Menu first."""
    open_menu_on_a_phone(page, t)
    page.get_by_role("button", name=t("Log out")).click()


class PageWatch:
    """What a journey must never meet, on any page it passes through: a 5xx (document or
    subresource), a console error or uncaught exception, a page wider than the window."""

    def __init__(self):
        self.page, self.problems = None, []

    def attach(self, page):
        """Watch `page` too (one watch can follow a journey through several contexts)."""
        self.page = page
        page.on("response", lambda r: r.status >= 500 and self.problems.append(
            f"{r.status} from {r.url}"))
        page.on("console", lambda m: m.type == "error" and self.problems.append(
            f"console error on {page.url}: {m.text}"))
        page.on("pageerror", lambda error: self.problems.append(
            f"uncaught exception on {page.url}: {error}"))

    def check_width(self):
        wide = self.page.evaluate("document.documentElement.scrollWidth")
        if wide > self.page.viewport_size["width"]:
            self.problems.append(f"{self.page.url} scrolls sideways: {wide}px wide")


def open_menu_on_a_phone(page, t):
    """At phone widths the header folds into a Menu (a checkbox, no JavaScript)."""
    if page.viewport_size["width"] <= 640:
        page.get_by_role("checkbox", name=t("Menu")).check()
