"""The log-in lockout speaks plain words: the last attempts before it warn how many are left,
and the lockout page says for how long, both from the django-axes settings (no "PT15M")."""

import datetime
import re

import pytest

from registry.templatetags.lockout_tags import plain_duration
from tests.factories import UserFactory


@pytest.fixture
def nia(db):
    return UserFactory(username="nia")


def _fail(client, times, username="nia"):
    response = None
    for _ in range(times):
        response = client.post("/accounts/login/", {"username": username, "password": "wrong"})
    return response


def _warning(response) -> str | None:
    found = re.search(r'<p class="warning-box" role="alert"><strong>(.*?)</strong>',
                      response.content.decode())
    return found and found.group(1)


def test_lockout_no_warning_on_the_first_two_failed_attempts(client, nia):
    assert [_warning(_fail(client, 1)), _warning(_fail(client, 1))] == [None, None]


def test_lockout_warns_on_attempts_three_and_four(client, nia):
    _fail(client, 2)
    third, fourth = _fail(client, 1), _fail(client, 1)
    assert (third.status_code, _warning(third)) == (
        200, "2 attempts left before log-in is paused for 15 minutes.")
    assert (fourth.status_code, _warning(fourth)) == (
        200, "1 attempt left before log-in is paused for 15 minutes.")
    assert 'href="/accounts/password_reset/">Reset your password</a>' in fourth.content.decode()


def test_lockout_page_says_how_long_in_words_with_links(client, nia):
    locked = _fail(client, 5)
    page = locked.content.decode()
    assert locked.status_code == 429
    assert ("Too many failed log-ins for this account. Try again in 15 minutes, or reset your "
            "password.") in page
    assert "PT15M" not in page
    assert '<a class="button" href="/accounts/password_reset/">Reset your password by e-mail</a>' \
        in page


def test_lockout_texts_follow_the_axes_settings(client, nia, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = 1.5  # hours
    first = _fail(client, 1)
    assert _warning(first) == "2 attempts left before log-in is paused for 1 hour and 30 minutes."
    page = _fail(client, 2).content.decode()
    assert "Try again in 1 hour and 30 minutes, or reset your password." in page
    assert "After 3 wrong passwords in a row for “nia”" in page


def test_lockout_right_password_after_warnings_logs_in_without_warning(client, nia):
    _fail(client, 3)
    response = client.post("/accounts/login/", {"username": "nia",
                                                "password": "correct horse battery"})
    assert (response.status_code, response["Location"]) == (302, "/")


@pytest.mark.parametrize(("duration", "words"), [
    (datetime.timedelta(minutes=15), "15 minutes"),
    (datetime.timedelta(minutes=1), "1 minute"),
    (datetime.timedelta(seconds=30), "1 minute"),
    (datetime.timedelta(hours=1), "1 hour"),
    (datetime.timedelta(hours=2, minutes=1), "2 hours and 1 minute"),
    (datetime.timedelta(days=1, hours=2, minutes=5), "1 day, 2 hours and 5 minutes"),
    (None, ""),
])
def test_lockout_plain_duration_words(duration, words):
    assert plain_duration(duration) == words
