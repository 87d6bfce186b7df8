"""Model instances read from hand-written SQL (registry.core.raw_rows) are what the ORM reads:
every field through its converters, on SQLite (dates as text, booleans as numbers) and on
PostgreSQL alike; an outer join that found no row gives None."""

import pytest
from django.contrib.auth import get_user_model

from registry.core.raw_rows import RawRows
from registry.models import Profile
from registry.moderation.context_processors import person_with_header
from registry.tokens.models import ApiToken
from registry.tokens.selectors import api_token_for_secret
from registry.tokens.services import api_token_create

pytestmark = pytest.mark.django_db


def _fields(instance) -> dict:
    return {field.attname: getattr(instance, field.attname)
            for field in instance._meta.concrete_fields}


def test_raw_rows_token_and_owner_equal_the_orms(alice):
    _, secret = api_token_create(user=alice, name="Laptop")

    token = api_token_for_secret(secret)

    stored = ApiToken.objects.select_related("user").get(name="Laptop")
    assert (_fields(token), _fields(token.user)) == (_fields(stored), _fields(stored.user))
    assert token.expires_at.tzinfo is not None
    assert token.user.is_active is True


def test_raw_rows_unknown_secret_is_none(alice):
    api_token_create(user=alice)
    assert api_token_for_secret("not-a-secret") is None


def test_raw_rows_person_and_profile_equal_the_orms(alice):
    user = person_with_header(alice.pk)

    stored = get_user_model().objects.select_related("profile").get(pk=alice.pk)
    assert (_fields(user), _fields(user.profile)) == (_fields(stored), _fields(stored.profile))


def test_raw_rows_outer_join_without_a_row_is_none():
    User = get_user_model()
    account = User.objects.create_user(username="admin-made", password="x" * 12)
    Profile.objects.filter(user=account).delete()  # an account made in the admin has none
    rows = RawRows(("person", User), ("profile", Profile))

    (user, profile), (answer,) = rows.fetch_one(
        also=["%s"], params=[42, account.pk],
        rest=f"FROM {User._meta.db_table} person "
             f"LEFT JOIN {Profile._meta.db_table} profile ON profile.user_id = person.id "
             "WHERE person.id = %s")

    assert (user.username, user.is_staff, profile, int(answer)) == ("admin-made", False, None, 42)


def test_raw_rows_fetch_one_of_no_row_is_none():
    User = get_user_model()
    rows = RawRows(("person", User))
    assert rows.fetch_one(also=[], params=[-1],
                          rest=f"FROM {User._meta.db_table} person WHERE person.id = %s") is None
