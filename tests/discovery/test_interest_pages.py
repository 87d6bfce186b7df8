"""A funder's own interest on the interest page (issue 16, items 7c and 7d): the form shows
what they registered so they can change it, withdrawing shows only when there is something to
withdraw and asks first; and the alerts page says what alerts are when there are none."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry.discovery.models import FunderAlert, FunderInterest
from tests.factories import (
    ClusterFactory,
    FunderFactory,
    FunderInterestFactory,
    ProposalFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db
WITHDRAW = "Withdraw my interest"


@pytest.fixture
def fiona(db):
    return FunderFactory(username="fiona")


@pytest.fixture
def topic(db):
    return TopicFactory(title="Detecting datacenters")


def _url(topic):
    return f"/topics/{topic.slug}/interest/"


def _field(html, name):
    """The value of input `name`, the text of textarea `name`, or the selected option."""
    if match := re.search(rf'<textarea name="{name}"[^>]*>\n?(.*?)</textarea>', html, re.S):
        return match.group(1)
    if match := re.search(rf'<input type="text" name="{name}" value="([^"]*)"', html):
        return match.group(1)
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return re.search(r'<option value="([^"]*)" selected>', select).group(1)


def test_interest_form_shows_what_the_funder_registered_after_the_redirect(client, fiona, topic):
    client.force_login(fiona)
    response = client.post(_url(topic), {"note": "A first survey.", "amount_range": "$10k–50k",
                                         "visibility": "private"}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain == [(_url(topic), 302)]
    assert "Your interest in “Detecting datacenters” is registered." in html
    assert [_field(html, name) for name in ("note", "amount_range", "visibility")] == [
        "A first survey.", "$10k–50k", "private"]
    assert "in the range $10k–50k; it is private" in html
    assert ">Save changes</button>" in html


def test_interest_changed_again_says_changed_and_shows_the_new_values(client, fiona, topic):
    FunderInterestFactory(funder=fiona, topic=topic, note="old")
    client.force_login(fiona)
    html = client.post(_url(topic), {"note": "new", "amount_range": "", "visibility": "public"},
                       follow=True).content.decode()
    assert "Your interest in “Detecting datacenters” is changed." in html
    assert _field(html, "note") == "new"
    assert FunderInterest.objects.get().note == "new"


def test_interest_withdraw_button_absent_without_an_interest(client, fiona, topic):
    client.force_login(fiona)
    html = client.get(_url(topic)).content.decode()
    assert WITHDRAW not in html
    assert ">Register interest</button>" in html


def test_interest_withdraw_is_behind_a_confirmation(client, fiona, topic):
    FunderInterestFactory(funder=fiona, topic=topic)
    client.force_login(fiona)
    html = client.get(_url(topic)).content.decode()
    details = re.search(r'<details class="confirm">(.*?)</details>', html, re.S).group(1)
    assert '<summary class="button secondary">Withdraw my interest…</summary>' in details
    assert ('<input type="hidden" name="confirm" value="yes"><button type="submit" '
            'name="withdraw" value="1" class="danger">Yes, withdraw my interest</button>'
            in details)


def test_interest_withdraw_without_confirmation_keeps_the_interest(client, fiona, topic):
    FunderInterestFactory(funder=fiona, topic=topic)
    client.force_login(fiona)
    response = client.post(_url(topic), {"withdraw": "1"})
    assert response.status_code == 200
    assert '<details class="confirm" open>' in response.content.decode()
    assert FunderInterest.objects.filter(withdrawn_at__isnull=True).count() == 1


def test_interest_withdraw_confirmed_withdraws_and_says_so(client, fiona, topic):
    FunderInterestFactory(funder=fiona, topic=topic)
    client.force_login(fiona)
    response = client.post(_url(topic), {"withdraw": "1", "confirm": "yes"}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain == [(_url(topic), 302)]
    assert "Your interest in “Detecting datacenters” is withdrawn." in html
    assert WITHDRAW not in html
    assert _field(html, "note") == ""
    assert FunderInterest.objects.filter(withdrawn_at__isnull=True).count() == 0


def test_interest_withdraw_by_a_non_funder_is_403(client, charlie, topic):
    FunderInterestFactory(topic=topic)
    client.force_login(charlie)
    response = client.post(_url(topic), {"withdraw": "1", "confirm": "yes"})
    assert response.status_code == 403
    assert FunderInterest.objects.filter(withdrawn_at__isnull=True).count() == 1


def test_interest_on_a_proposal_shows_what_was_registered(client, fiona):
    proposal = ProposalFactory(title="A registry of compute")
    FunderInterestFactory(funder=fiona, topic=None, proposal=proposal, amount_range="$5k")
    client.force_login(fiona)
    html = client.get(f"/proposals/{proposal.pk}/interest/").content.decode()
    assert _field(html, "amount_range") == "$5k"
    assert WITHDRAW in html


def test_interest_page_lists_funders_by_display_name(client, topic):
    FunderInterestFactory(funder=FunderFactory(username="gina"), topic=topic)
    html = client.get(_url(topic)).content.decode()
    assert '<a href="/people/gina/">Gina</a>' in html


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_interest_page_query_count_same_for_one_and_many(client, fiona, topic):
    FunderInterestFactory(funder=fiona, topic=topic)
    client.force_login(fiona)
    one = _queries(client, _url(topic))
    for _ in range(19):
        FunderInterestFactory(topic=topic)
    # Besides the header's (another page's concern): the topic, her own interest, the two
    # checks for seeing private notes (moderator, claimant), the count, her funder role, and
    # the list with its funders' profiles joined; the same with 20 interests.
    assert (one, _queries(client, _url(topic))) == (one, one)
    assert one <= 12


def test_alerts_page_without_alerts_says_what_they_are(client, fiona):
    ClusterFactory(name="Security")
    client.force_login(fiona)
    html = client.get("/me/alerts/").content.decode()
    assert '<div class="empty">' in html
    assert "You watch no cluster yet." in html


def test_alerts_page_with_an_alert_has_no_empty_state_and_names_it(client, fiona):
    cluster = ClusterFactory(slug="security", name="Security")
    client.force_login(fiona)
    html = client.post("/me/alerts/", {"cluster": "security", "action": "subscribe"},
                       follow=True).content.decode()
    assert "You now watch “Security”: you will hear of new gaps and new owners there." in html
    assert '<div class="empty">' not in html
    assert list(FunderAlert.objects.values_list("cluster", flat=True)) == [cluster.pk]
    html = client.post("/me/alerts/", {"cluster": "security", "action": "unsubscribe"},
                       follow=True).content.decode()
    assert "You no longer watch “Security”." in html
