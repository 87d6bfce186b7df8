import threading

import pytest
from django.db import connection, connections

from registry.models import Claim
from tests.factories import TopicFactory, UserFactory

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL row locking; runs in the PostgreSQL pass of .ci/run",
)


@needs_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_claims_leave_exactly_one():
    from rest_framework.test import APIClient

    person = UserFactory(username="racer")
    topic = TopicFactory(slug="contested")
    barrier = threading.Barrier(2)
    statuses = []

    def claim():
        client = APIClient()
        client.force_authenticate(person)
        try:
            barrier.wait()
            response = client.post(f"/api/v1/topics/{topic.slug}/claim/", {"plan": "Mine"},
                                   format="json")
            statuses.append((response.status_code, response.json().get("code")))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=claim) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses, key=lambda s: s[0]) == [(201, None), (409, "already_claimed")]
    assert Claim.objects.filter(person=person, topic=topic).count() == 1
