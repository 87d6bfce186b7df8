import pytest

from registry.discovery import services
from registry.discovery.models import FunderInterest
from registry.models import Topic
from registry.moderation import services as moderation_services
from tests.factories import (
    ClaimFactory,
    FunderFactory,
    FunderInterestFactory,
    ProposalFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def fiona(db):
    return FunderFactory(username="fiona")


def _interest_url(topic):
    return f"/api/v1/topics/{topic.slug}/interest/"


def test_interest_post_by_funder_creates_public_interest(api_as, fiona):
    topic = TopicFactory()
    response = api_as(fiona).post(_interest_url(topic), {"note": "Keen", "amount_range": "$5k"},
                                  format="json")
    assert response.status_code == 201
    assert {k: response.json()[k] for k in ("funder", "note", "amount_range", "visibility")} == {
        "funder": "fiona", "note": "Keen", "amount_range": "$5k", "visibility": "public"}


def test_interest_post_twice_changes_the_live_interest(api_as, fiona):
    topic = TopicFactory()
    api_as(fiona).post(_interest_url(topic), {"note": "one"}, format="json")
    response = api_as(fiona).post(_interest_url(topic), {"note": "two", "visibility": "private"},
                                  format="json")
    assert response.status_code == 200
    assert list(FunderInterest.objects.values_list("note", "visibility")) == [("two", "private")]


def test_interest_post_by_non_funder_is_403_not_a_funder(api_as, charlie):
    topic = TopicFactory()
    response = api_as(charlie).post(_interest_url(topic), {}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "not_a_funder"
    assert FunderInterest.objects.count() == 0


def test_interest_delete_by_non_funder_is_403_not_a_funder(api_as, charlie):
    response = api_as(charlie).delete(_interest_url(TopicFactory()))
    assert (response.status_code, response.json()["code"]) == (403, "not_a_funder")


def test_interest_post_anonymous_is_401(api):
    assert api.post(_interest_url(TopicFactory()), {}, format="json").status_code == 401


def test_interest_on_proposal_by_funder(api_as, fiona):
    proposal = ProposalFactory()
    response = api_as(fiona).post(f"/api/v1/proposals/{proposal.pk}/interest/",
                                  {"visibility": "private"}, format="json")
    assert response.status_code == 201
    detail = api_as(fiona).get(f"/api/v1/proposals/{proposal.pk}/").json()
    assert detail["funder_interest"] == 1


def test_interest_on_suggested_topic_is_409(fiona):
    topic = TopicFactory(state=Topic.State.SUGGESTED)
    with pytest.raises(Exception) as error:
        services.interest_register(funder=fiona, topic=topic)
    assert error.value.code == "topic_not_listed"


def test_interest_withdraw_keeps_row_and_drops_count(api_as, api, fiona):
    topic = TopicFactory()
    FunderInterestFactory(funder=fiona, topic=topic)
    assert api.get(f"/api/v1/topics/{topic.slug}/").json()["funder_interest"] == 1
    assert api_as(fiona).delete(_interest_url(topic)).status_code == 204
    assert api.get(f"/api/v1/topics/{topic.slug}/").json()["funder_interest"] == 0
    assert api.get(_interest_url(topic)).json() == []
    assert FunderInterest.objects.filter(withdrawn_at__isnull=False).count() == 1


def test_interest_withdraw_without_interest_is_404(api_as, fiona):
    response = api_as(fiona).delete(_interest_url(TopicFactory()))
    assert response.status_code == 404


@pytest.fixture
def topic_with_two_interests(alice, fiona):
    """alice holds an active claim; fiona is publicly interested, gina privately."""
    topic = TopicFactory()
    ClaimFactory(topic=topic, person=alice)
    FunderInterestFactory(funder=fiona, topic=topic, note="public note")
    FunderInterestFactory(funder=FunderFactory(username="gina"), topic=topic,
                          note="private note", visibility="private")
    return topic


def _notes(client, topic):
    return sorted(row["note"] for row in client.get(_interest_url(topic)).json())


def test_interest_private_seen_by_active_claimant(api_as, alice, topic_with_two_interests):
    assert _notes(api_as(alice), topic_with_two_interests) == ["private note", "public note"]


def test_interest_private_seen_by_moderator(api_as, moderator, topic_with_two_interests):
    assert _notes(api_as(moderator), topic_with_two_interests) == ["private note", "public note"]


def test_interest_private_hidden_from_outsider(api_as, charlie, topic_with_two_interests):
    assert _notes(api_as(charlie), topic_with_two_interests) == ["public note"]


def test_interest_private_hidden_from_anonymous(api, topic_with_two_interests):
    assert _notes(api, topic_with_two_interests) == ["public note"]


def test_interest_private_seen_by_its_funder(api_as, topic_with_two_interests):
    from django.contrib.auth import get_user_model

    gina = get_user_model().objects.get(username="gina")
    assert _notes(api_as(gina), topic_with_two_interests) == ["private note", "public note"]


def test_interest_count_includes_private_for_everyone(api, topic_with_two_interests):
    topic = api.get(f"/api/v1/topics/{topic_with_two_interests.slug}/").json()
    assert topic["funder_interest"] == 2


def test_interest_private_on_proposal_seen_by_author_not_outsider(api_as, bob, charlie, fiona):
    proposal = ProposalFactory(author=bob)
    FunderInterestFactory(funder=fiona, topic=None, proposal=proposal, note="secret",
                          visibility="private")
    url = f"/api/v1/proposals/{proposal.pk}/interest/"
    assert [row["note"] for row in api_as(bob).get(url).json()] == ["secret"]
    assert api_as(charlie).get(url).json() == []


def test_interest_private_hidden_from_former_claimant(api_as, alice, topic_with_two_interests):
    from registry.services import claim_release

    claim = topic_with_two_interests.claims.get(person=alice)
    claim_release(claim=claim, actor=alice)
    assert _notes(api_as(alice), topic_with_two_interests) == ["public note"]


def test_topic_list_funder_interest_without_n_plus_one(api, django_assert_num_queries, fiona):
    topics = [TopicFactory() for _ in range(3)]
    for topic in topics:
        FunderInterestFactory(funder=fiona, topic=topic)
    with django_assert_num_queries(3):  # the stats version (registry.core.caching), count, page
        rows = api.get("/api/v1/topics/").json()["results"]
    assert [row["funder_interest"] for row in rows] == [1, 1, 1]


def test_funder_set_by_non_moderator_is_refused(alice, bob):
    with pytest.raises(Exception) as error:
        moderation_services.funder_role_set(person=bob, is_funder=True,
                                            moderator=alice)
    assert error.value.status == 403
    bob.profile.refresh_from_db()
    assert bob.profile.is_funder is False
