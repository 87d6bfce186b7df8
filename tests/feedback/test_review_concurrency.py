"""Reviews under concurrency, on PostgreSQL: requests released at once through the real API
leave exactly one winner (the open-request constraint, the conditional UPDATEs)."""

from collections import Counter

from registry.feedback.models import ReviewRequest
from tests.factories import UserFactory, WriteupFactory
from tests.feedback.review_factories import ReviewRequestFactory
from tests.test_concurrency import PARALLEL, POSTGRES_RACES, race, race_people

pytestmark = POSTGRES_RACES


def test_twenty_parallel_invitations_of_one_person_leave_one_request():
    author, reviewer = UserFactory(username="ann"), UserFactory(username="ben")
    draft = WriteupFactory(author=author)

    results = race(author, lambda client: client.post("/api/v1/review-requests/", {
        "writeup": draft.pk, "reviewer": "ben"}, format="json"))

    assert results == Counter({(201, None): 1, (409, "already_invited"): PARALLEL - 1})
    assert ReviewRequest.objects.filter(writeup=draft, reviewer=reviewer).count() == 1


def test_twenty_parallel_accepts_accept_once():
    review_request = ReviewRequestFactory(reviewer=UserFactory(username="ben"))

    results = race(review_request.reviewer, lambda client: client.post(
        f"/api/v1/review-requests/{review_request.pk}/accept/"))

    assert results == Counter({(200, None): 1, (409, "request_not_pending"): PARALLEL - 1})
    assert ReviewRequest.objects.get().state == ReviewRequest.State.ACCEPTED


def test_accept_racing_a_withdrawal_leaves_one_outcome():
    review_request = ReviewRequestFactory(reviewer=UserFactory(username="ben"))
    author = review_request.invited_by

    def answer(client):
        # Who the client is signed in as (APIClient.force_authenticate keeps it there).
        action = "withdraw" if client.handler._force_user == author else "accept"
        return client.post(f"/api/v1/review-requests/{review_request.pk}/{action}/")

    statuses = race_people([review_request.reviewer, author], answer)

    state = ReviewRequest.objects.get().state
    # Either the withdrawal came first (the acceptance is refused) or the acceptance did (and
    # the withdrawal then closes the accepted request): both succeed only in that order.
    assert state == ReviewRequest.State.WITHDRAWN
    assert sorted(statuses) in ([200, 200], [200, 409])
