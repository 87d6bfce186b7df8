"""Concurrency gate on PostgreSQL: 20 requests released at once through the real API.

SQLite serialises writers (BEGIN IMMEDIATE), so these races only exist on PostgreSQL.
"""

import threading
from collections import Counter

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from proposals import services as proposal_services
from proposals.models import Proposal, ProposalEvent
from registry import services
from registry.models import Claim, TopicStats, Writeup
from tests.factories import TopicFactory, UserFactory

PARALLEL = 20

# Every PostgreSQL race test module uses these marks (pytestmark = POSTGRES_RACES).
POSTGRES_RACES = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL concurrency; runs in the PostgreSQL pass of .ci/run",
    ),
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]
pytestmark = POSTGRES_RACES


def race(user, send):
    """Run send(client) in PARALLEL threads released together; return (status, code) pairs."""
    barrier = threading.Barrier(PARALLEL)
    results = []

    def one():
        client = APIClient()
        client.force_authenticate(user)
        try:
            barrier.wait(timeout=30)
            response = send(client)
            results.append((response.status_code, response.json().get("code")))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one) for _ in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(results) == PARALLEL
    return Counter(results)


def race_people(people, send) -> list[int]:
    """Run send(client) once per person, each signed in as that person, in threads released
    together; return the response statuses."""
    barrier = threading.Barrier(len(people))
    statuses = []

    def one(person):
        client = APIClient()
        client.force_authenticate(person)
        try:
            barrier.wait(timeout=30)
            statuses.append(send(client).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return statuses


def test_twenty_parallel_claims_leave_one_claim():
    person = UserFactory(username="racer")
    topic = TopicFactory(slug="contested")

    outcome = race(person, lambda c: c.post("/api/v1/topics/contested/claim/",
                                            {"plan": "Mine"}, format="json"))

    assert outcome == Counter({(201, None): 1, (409, "already_claimed"): PARALLEL - 1})
    assert Claim.objects.filter(person=person, topic=topic).count() == 1


def test_twenty_parallel_advances_have_one_winner_and_one_event():
    author = UserFactory(username="author")
    proposal = proposal_services.proposal_create(
        topic=TopicFactory(), author=author, title="Ask", ask="Do it.", target="A lab",
        steps=["One"])

    outcome = race(author, lambda c: c.post(f"/api/v1/proposals/{proposal.pk}/advance/",
                                            {"to": "proposal"}, format="json"))

    assert outcome[(200, None)] == 1
    assert sum(outcome.values()) - outcome[(200, None)] == PARALLEL - 1
    assert {status for status, _ in outcome if status != 200} == {409}
    assert Proposal.objects.get(pk=proposal.pk).stage == "proposal"
    assert ProposalEvent.objects.filter(proposal=proposal, to_stage="proposal").count() == 1


def test_parallel_patches_with_one_if_match_keep_exactly_the_winners_text():
    author = UserFactory(username="writer")
    writeup = services.writeup_create(topic=TopicFactory(), author=author, title="Draft",
                                      kind="plan", body="original")
    counter = iter(range(PARALLEL))
    lock = threading.Lock()

    def patch(client):
        with lock:
            n = next(counter)
        return client.patch(f"/api/v1/writeups/{writeup.pk}/", {"body": f"text {n}"},
                            format="json", HTTP_IF_MATCH=f'"{writeup.version}"')

    outcome = race(author, patch)

    assert outcome == Counter({(200, None): 1, (412, "stale_version"): PARALLEL - 1})
    stored = Writeup.objects.get(pk=writeup.pk)
    assert stored.body.startswith("text ")
    assert stored.version == writeup.version + 1
    assert stored.versions.count() == 2


def test_twenty_people_claiming_one_topic_at_once_are_all_counted():
    """Each claim refreshes the topic's stored stats in its own transaction; the topic row lock
    makes each refresh wait for the others' commits, so none counts from a stale snapshot."""
    topic = TopicFactory(slug="popular")
    people = [UserFactory(username=f"claimant{n}") for n in range(PARALLEL)]

    statuses = race_people(people, lambda c: c.post("/api/v1/topics/popular/claim/",
                                                    {"plan": "Mine"}, format="json"))

    assert statuses == [201] * PARALLEL
    stats = TopicStats.objects.get(topic=topic)
    assert (stats.status, stats.active_claims) == ("claimed", PARALLEL)


def test_endorsements_crossing_the_threshold_at_once_recognise_the_author_once():
    """Every endorsement takes its turn on the writeup's row before counting, so PARALLEL
    endorsements released together (the threshold is crossed by whichever commits second)
    leave exactly one live Recognition and one `recognised` event."""
    from registry.models import Recognition, TopicEvent
    from tests.factories import ClusterFactory, WriteupFactory

    cluster = ClusterFactory(slug="racing")
    author = UserFactory(username="author")
    topic = TopicFactory(slug="endorsed", cluster=cluster)
    services.claim_create(topic=topic, person=author, plan="Mine")
    writeup = WriteupFactory(topic=topic, author=author, published=True)
    peers = []
    for n in range(PARALLEL):
        person = UserFactory(username=f"peer{n}")
        WriteupFactory(topic=TopicFactory(cluster=cluster, slug=f"peer-topic-{n}"),
                       author=person, published=True)
        peers.append(person)

    statuses = race_people(peers, lambda c: c.post(
        f"/api/v1/writeups/{writeup.pk}/endorsements/",
        {"statement": "It moved the frontier on this question, measurably so."}, format="json"))

    assert statuses == [201] * PARALLEL
    assert Recognition.objects.filter(writeup=writeup, ended_at__isnull=True).count() == 1
    assert topic.events.filter(kind=TopicEvent.Kind.RECOGNISED).count() == 1
    assert TopicStats.objects.get(topic=topic).status == "covered"
