"""PersonBackend reads the signed-in person with what the header shows of them (profile,
moderators' group, open reports for staff) in one query, with every column converted as the
ORM's own reads convert it; sessions made by ModelBackend before it keep signing people in."""

import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from registry.discovery.selectors import is_funder
from registry.models import Profile
from registry.moderation.backends import PersonBackend
from registry.permissions import MODERATORS_GROUP, is_moderator
from tests.factories import UserFactory

migration = importlib.import_module(
    "registry.migrations.0026_sessions_signed_in_by_person_backend")


def _read(user_id):
    with CaptureQueriesContext(connection) as queries:
        user = PersonBackend().get_user(user_id)
    return user, len(queries)


def test_person_backend_reads_the_person_and_their_profile_in_one_query(db):
    funder = UserFactory(username="fiona", profile__display_name="Fiona Funds",
                         profile__is_funder=True, profile__links="https://example.org/f")
    funder.last_login = datetime.datetime(2026, 11, 1, 9, 30, tzinfo=datetime.UTC)
    funder.save(update_fields=["last_login"])

    user, queries = _read(funder.pk)
    with CaptureQueriesContext(connection) as later:
        roles = (is_funder(user), is_moderator(user), user.profile.display_name,
                 user.profile.user is user)

    assert queries == 1
    assert (user.pk, user.username, user.is_active) == (funder.pk, "fiona", True)
    assert user.last_login == datetime.datetime(2026, 11, 1, 9, 30, tzinfo=datetime.UTC)
    assert user.date_joined == funder.date_joined
    assert (user.profile.links, user.profile.is_funder, user.profile.hidden) == (
        "https://example.org/f", True, False)
    assert type(user.profile.is_funder) is bool
    assert roles == (True, False, "Fiona Funds", True)
    assert len(later) == 0


def test_person_backend_knows_a_moderator_by_group(db):
    member = UserFactory(username="greta")
    member.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])

    user, queries = _read(member.pk)
    with CaptureQueriesContext(connection) as later:
        assert is_moderator(user) is True
    assert (queries, len(later)) == (1, 0)


def test_person_backend_reads_an_account_without_a_profile(db):
    bare = UserFactory(username="bare")
    Profile.objects.filter(user=bare).delete()

    user, queries = _read(bare.pk)
    assert (user.username, queries) == ("bare", 1)
    with pytest.raises(Profile.DoesNotExist):
        user.profile  # noqa: B018  (cached as missing: no query)


def test_person_backend_refuses_an_unknown_or_inactive_account(db):
    gone = UserFactory(username="gone", is_active=False)
    assert (_read(gone.pk)[0], _read(gone.pk + 1000)[0]) == (None, None)


def _session_of(user, backend) -> SessionStore:
    session = SessionStore()
    session.update({SESSION_KEY: str(user.pk), HASH_SESSION_KEY: user.get_session_auth_hash(),
                    BACKEND_SESSION_KEY: backend})
    session.create()
    return session


def _signed_in_as(session) -> str | None:
    client = Client()
    client.cookies["sessionid"] = session.session_key
    response = client.get("/me/")
    return response.wsgi_request.user.username if response.status_code == 200 else None


def test_person_backend_migration_keeps_a_model_backend_session_signed_in(alice, bob):
    older = _session_of(alice, migration.OLD)
    newer = _session_of(bob, migration.NEW)
    assert (_signed_in_as(older), _signed_in_as(newer)) == (None, "bob")

    migration.name_person_backend(django_apps, connection.schema_editor())

    assert SessionStore(older.session_key).load()[BACKEND_SESSION_KEY] == migration.NEW
    assert (_signed_in_as(older), _signed_in_as(newer)) == ("alice", "bob")
