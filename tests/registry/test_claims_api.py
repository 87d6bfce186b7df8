import datetime

import pytest
from django.utils import timezone

from registry import services
from registry.models import Claim, Topic, TopicEvent
from tests.factories import ClaimFactory, ClusterFactory, TopicFactory, WriteupFactory


def test_claim_topic_returns_201_and_the_claim(api_as, alice):
    topic = TopicFactory(slug="chips")
    target = timezone.localdate() + datetime.timedelta(days=30)

    response = api_as(alice).post("/api/v1/topics/chips/claim/",
                                  {"plan": "A post", "target_date": target.isoformat()},
                                  format="json")

    claim = Claim.objects.get()
    assert response.status_code == 201
    assert response.json() == {
        "id": claim.pk, "topic": "chips", "claimant": "alice", "plan": "A post",
        "target_date": target.isoformat(), "state": "active",
        "last_activity_at": claim.last_activity_at.isoformat().replace("+00:00", "Z"),
        "created_at": claim.created_at.isoformat().replace("+00:00", "Z"),
        "updated_at": claim.updated_at.isoformat().replace("+00:00", "Z"),
    }
    assert claim.topic == topic


def test_claim_topic_twice_is_409_already_claimed(api_as, alice):
    ClaimFactory(person=alice, topic=TopicFactory(slug="chips"))

    response = api_as(alice).post("/api/v1/topics/chips/claim/", {"plan": "again"},
                                  format="json")

    assert response.status_code == 409
    assert response.json() == {"detail": "You already hold an active claim on this topic.",
                               "code": "already_claimed"}
    assert Claim.objects.count() == 1


def test_claim_topic_over_the_limit_is_409_claim_limit(api_as, alice, settings):
    settings.GAPMAP_MAX_ACTIVE_CLAIMS = 1
    ClaimFactory(person=alice)
    TopicFactory(slug="chips")

    response = api_as(alice).post("/api/v1/topics/chips/claim/", {"plan": "p"}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "claim_limit"
    assert response.json()["detail"] == (
        "You already hold 1 active claim, the most anyone may hold at once. Release one of "
        "them, then claim this topic.")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"plan": ""}, "plan"),
        ({}, "plan"),
        ({"plan": "p", "target_date": "2001-01-01"}, "target_date"),
        ({"plan": "p", "target_date": "not a date"}, "target_date"),
    ],
)
def test_claim_topic_bad_input_is_400_naming_the_field(api_as, alice, payload, field):
    TopicFactory(slug="chips")

    response = api_as(alice).post("/api/v1/topics/chips/claim/", payload, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert list(response.json()["fields"]) == [field]
    assert (Claim.objects.count(), TopicEvent.objects.count()) == (0, 0)


def test_claim_unknown_topic_is_404(api_as, alice):
    response = api_as(alice).post("/api/v1/topics/nope/claim/", {"plan": "p"}, format="json")

    assert response.status_code == 404


def test_claim_topic_anonymous_is_401(api, db):
    TopicFactory(slug="chips")

    response = api.post("/api/v1/topics/chips/claim/", {"plan": "p"}, format="json")

    assert response.status_code == 401
    assert Claim.objects.count() == 0


def test_claims_list_filters_by_topic_claimant_and_state(api, alice, bob):
    a = ClaimFactory(person=alice, topic=TopicFactory(slug="one"))
    b = ClaimFactory(person=bob, topic=a.topic)
    c = ClaimFactory(person=bob, topic=TopicFactory(slug="two"))
    services.claim_release(claim=c, actor=bob)

    def ids(query):
        return sorted(r["id"] for r in api.get(f"/api/v1/claims/{query}").json()["results"])

    assert ids("") == sorted([a.pk, b.pk, c.pk])
    assert ids("?topic=one") == sorted([a.pk, b.pk])
    assert ids("?claimant=bob") == sorted([b.pk, c.pk])
    assert ids("?claimant=bob&state=released") == [c.pk]


def test_claim_detail_is_public(api, alice):
    claim = ClaimFactory(person=alice)

    response = api.get(f"/api/v1/claims/{claim.pk}/")

    assert (response.status_code, response.json()["claimant"]) == (200, "alice")


def test_claim_on_unlisted_topic_is_404(api, alice):
    claim = ClaimFactory(person=alice)
    Topic.objects.filter(pk=claim.topic_id).update(state=Topic.State.DECLINED)

    assert api.get(f"/api/v1/claims/{claim.pk}/").status_code == 404


def test_claim_release_by_claimant(api_as, alice):
    claim = ClaimFactory(person=alice)

    response = api_as(alice).post(f"/api/v1/claims/{claim.pk}/release/", {"note": "Busy"},
                                  format="json")

    assert (response.status_code, response.json()["state"]) == (200, "released")
    assert TopicEvent.objects.get(kind="released").note == "Busy"


def test_claim_release_checks_ownership(api_as, alice, charlie):
    claim = ClaimFactory(person=alice)

    response = api_as(charlie).post(f"/api/v1/claims/{claim.pk}/release/", {}, format="json")

    assert response.status_code == 403
    assert response.json() == {"detail": "Only the claimant can release this claim.",
                               "code": "permission_denied"}
    assert Claim.objects.get(pk=claim.pk).state == "active"


def test_claim_renew_checks_ownership(api_as, alice, charlie):
    claim = ClaimFactory(person=alice)

    response = api_as(charlie).post(f"/api/v1/claims/{claim.pk}/renew/", {"note": "x"},
                                    format="json")

    assert response.status_code == 403


def test_claim_release_of_unknown_claim_is_404(api_as, alice):
    assert api_as(alice).post("/api/v1/claims/999/release/", {}, format="json"
                              ).status_code == 404


def test_claim_renew_wakes_a_dormant_claim(api_as, alice):
    claim = ClaimFactory(person=alice, now=timezone.now() - datetime.timedelta(days=400))
    services.claims_mark_dormant()

    response = api_as(alice).post(f"/api/v1/claims/{claim.pk}/renew/",
                                  {"note": "Back at it"}, format="json")

    assert (response.status_code, response.json()["state"]) == (200, "active")


def test_claim_renew_without_note_is_400(api_as, alice):
    claim = ClaimFactory(person=alice)

    response = api_as(alice).post(f"/api/v1/claims/{claim.pk}/renew/", {}, format="json")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["note"]


def test_claim_renew_of_released_claim_is_409(api_as, alice):
    claim = ClaimFactory(person=alice)
    services.claim_release(claim=claim, actor=alice)

    response = api_as(alice).post(f"/api/v1/claims/{claim.pk}/renew/", {"note": "n"},
                                  format="json")

    assert (response.status_code, response.json()["code"]) == (409, "invalid_transition")


def test_journey_claim_publish_release_moves_status_through_all_three(api_as, alice):
    TopicFactory(slug="chips")
    client = api_as(alice)

    def status():
        return client.get("/api/v1/topics/chips/").json()["status"]

    assert status() == "gap"
    claim_id = client.post("/api/v1/topics/chips/claim/", {"plan": "p"}, format="json"
                           ).json()["id"]
    assert status() == "claimed"
    writeup_id = client.post("/api/v1/writeups/", {"topic": "chips", "title": "t",
                                                   "kind": "plan", "body": "b"},
                             format="json").json()["id"]
    assert status() == "claimed"
    client.post(f"/api/v1/writeups/{writeup_id}/publish/")
    assert status() == "published"
    client.post(f"/api/v1/claims/{claim_id}/release/", {}, format="json")
    assert status() == "gap"
    body = client.get("/api/v1/topics/chips/").json()
    assert (body["active_claims"], body["writeups"]) == (0, 1)


def test_topic_representation_has_claim_and_writeup_counts(api, alice, bob):
    topic = TopicFactory(slug="chips")
    ClaimFactory(person=alice, topic=topic)
    ClaimFactory(person=bob, topic=topic)
    WriteupFactory(author=alice, topic=topic, published=True)

    body = api.get("/api/v1/topics/chips/").json()

    last = topic.events.get(kind="published").created_at
    assert (body["status"], body["active_claims"], body["writeups"]) == ("published", 2, 1)
    assert body["last_activity_at"] == last.isoformat().replace("+00:00", "Z")


def test_topic_list_filter_by_status_claimed(api, alice):
    ClaimFactory(person=alice, topic=TopicFactory(slug="taken"))
    TopicFactory(slug="free")

    slugs = [t["slug"] for t in api.get("/api/v1/topics/?status=claimed").json()["results"]]

    assert slugs == ["taken"]


def test_suggest_topic_is_201_suggested(api_as, alice):
    ClusterFactory(slug="compute")

    response = api_as(alice).post("/api/v1/topics/", {"title": "Chip smuggling",
                                                      "cluster": "compute",
                                                      "reason": "Nobody measures it."},
                                  format="json")

    assert response.status_code == 201
    body = response.json()
    assert (body["slug"], body["state"], body["status"]) == ("chip-smuggling", "suggested",
                                                             "gap")
    assert Topic.objects.get(slug="chip-smuggling").suggested_by == alice


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({"title": "", "cluster": "compute", "reason": "r"}, ["title"]),
        ({"title": "t" * 201, "cluster": "compute", "reason": "r"}, ["title"]),
        ({"title": "t", "cluster": "nope", "reason": "r"}, ["cluster"]),
        ({"title": "t", "cluster": "compute"}, ["reason"]),
    ],
)
def test_suggest_topic_bad_input_is_400(api_as, alice, payload, fields):
    ClusterFactory(slug="compute")

    response = api_as(alice).post("/api/v1/topics/", payload, format="json")

    assert response.status_code == 400
    assert sorted(response.json()["fields"]) == fields
    assert Topic.objects.count() == 0


def test_suggested_topic_is_visible_to_author_and_moderator_only(api, api_as, alice, bob,
                                                                  moderator):
    topic = services.topic_suggest(person=alice, title="New one", cluster=ClusterFactory(),
                                   reason="r")
    url = f"/api/v1/topics/{topic.slug}/"

    assert [api_as(u).get(url).status_code for u in (alice, moderator, bob)] == [200, 200, 404]
    assert api.get(url).status_code == 404
    mine = api_as(alice).get("/api/v1/topics/?state=suggested").json()["results"]
    theirs = api_as(bob).get("/api/v1/topics/?state=suggested").json()["results"]
    assert ([t["slug"] for t in mine], theirs) == (["new-one"], [])


def test_claim_on_own_suggested_topic_is_409(api_as, alice):
    topic = services.topic_suggest(person=alice, title="New one", cluster=ClusterFactory(),
                                   reason="r")

    response = api_as(alice).post(f"/api/v1/topics/{topic.slug}/claim/", {"plan": "p"},
                                  format="json")

    assert (response.status_code, response.json()["code"]) == (409, "topic_not_listed")


@pytest.mark.parametrize("rows", [1, 5])
def test_claims_list_query_count_does_not_grow(api, db, rows, django_assert_num_queries):
    for _ in range(rows):
        ClaimFactory()

    with django_assert_num_queries(2):  # count + page
        response = api.get("/api/v1/claims/")

    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [1, 5])
def test_topics_list_with_claims_query_count_does_not_grow(api, db, rows,
                                                           django_assert_num_queries):
    for _ in range(rows):
        claim = ClaimFactory()
        WriteupFactory(author=claim.person, topic=claim.topic, published=True)

    with django_assert_num_queries(3):  # the stats version (registry.core.caching), count, page
        response = api.get("/api/v1/topics/")

    assert [t["status"] for t in response.json()["results"]] == ["published"] * rows
