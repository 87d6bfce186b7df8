"""The discussion under concurrency, on PostgreSQL: the stored counts move once per comment
however many arrive together, and an edit or a deletion has exactly one winner.

SQLite serialises writers, so these races only exist on PostgreSQL."""

import pytest

from registry.feedback.models import Comment
from registry.feedback.services import comments as services
from registry.models import Writeup
from tests.factories import UserFactory, WriteupFactory
from tests.test_concurrency import PARALLEL, POSTGRES_RACES, race, race_people

pytestmark = POSTGRES_RACES


@pytest.fixture
def discussed():
    return WriteupFactory(author=UserFactory(username="author"), published=True)


def test_twenty_people_commenting_at_once_are_all_counted(discussed):
    people = [UserFactory(username=f"commenter{n}") for n in range(PARALLEL)]

    statuses = race_people(people, lambda c: c.post(
        f"/api/v1/writeups/{discussed.pk}/comments/", {"body": "Me too."}, format="json"))

    assert statuses == [201] * PARALLEL
    assert Writeup.objects.get(pk=discussed.pk).comment_count == PARALLEL
    assert Comment.objects.filter(writeup=discussed).count() == PARALLEL


def test_parallel_edits_with_one_if_match_keep_exactly_one(discussed):
    author = UserFactory(username="editor")
    comment = services.comment_create(target=discussed, author=author, body="original")

    outcome = race(author, lambda c: c.patch(f"/api/v1/comments/{comment.pk}/",
                                             {"body": "changed"}, format="json",
                                             HTTP_IF_MATCH='"1"'))

    assert dict(outcome) == {(200, None): 1, (412, "stale_version"): PARALLEL - 1}
    assert Comment.objects.get(pk=comment.pk).version == 2
    assert comment.versions.count() == 2


def test_parallel_deletes_leave_one_tombstone_counted_once(discussed):
    author = UserFactory(username="deleter")
    comment = services.comment_create(target=discussed, author=author, body="regrettable")
    services.comment_create(target=discussed, author=author, body="kept")

    statuses = race_people([author] * PARALLEL,
                           lambda c: c.delete(f"/api/v1/comments/{comment.pk}/"))

    assert sorted(statuses) == [204] + [409] * (PARALLEL - 1)
    assert Writeup.objects.get(pk=discussed.pk).comment_count == 1
