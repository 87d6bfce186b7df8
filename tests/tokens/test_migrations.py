"""The data migration that carries DRF's plain-key tokens over, called directly."""

import datetime
import importlib
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from registry.tokens.binding import hash_secret
from registry.tokens.models import ApiToken

copy = importlib.import_module("registry.tokens.migrations.0002_copy_authtoken_keys")

OLD_KEY = "0123456789abcdef0123456789abcdef01234567"  # DRF's shape: 40 hex characters


@pytest.fixture
def old_table(db):
    """authtoken_token as DRF made it (rest_framework.authtoken is no longer installed)."""
    with connection.cursor() as cursor:
        cursor.execute('CREATE TABLE authtoken_token ("key" varchar(40) PRIMARY KEY, '
                       'created timestamp with time zone NOT NULL, user_id integer NOT NULL)'
                       if connection.vendor == "postgresql" else
                       'CREATE TABLE authtoken_token ("key" varchar(40) PRIMARY KEY, '
                       'created datetime NOT NULL, user_id integer NOT NULL)')
    yield
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE authtoken_token")


def _insert_old(key, user, created):
    with connection.cursor() as cursor:
        cursor.execute('INSERT INTO authtoken_token ("key", created, user_id) VALUES (%s, %s, %s)',
                       [key, created, user.pk])


def _migrate():
    """As RunPython calls it: the models as of the migration, and an editor (the function
    needs only its connection; SQLite refuses a real one inside the test's transaction)."""
    state = MigrationLoader(connection).project_state(("tokens", "0002_copy_authtoken_keys"))
    copy.copy_authtoken_keys(state.apps, SimpleNamespace(connection=connection))


def test_old_token_copied_hashed_and_removed(old_table, alice, api, settings):
    settings.GAPMAP_API_TOKEN_DAYS = 10
    created = timezone.now() - datetime.timedelta(days=400)
    _insert_old(OLD_KEY, alice, created)
    before = timezone.now()

    _migrate()

    token = ApiToken.objects.get()
    assert (token.user, token.key_hash, token.prefix, token.created_at) == (
        alice, hash_secret(OLD_KEY), OLD_KEY[:8], created)
    assert before + datetime.timedelta(days=10) <= token.expires_at
    assert token.expires_at <= timezone.now() + datetime.timedelta(days=10)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0


def test_old_token_keeps_working_after_migration(old_table, alice, api):
    _insert_old(OLD_KEY, alice, timezone.now())

    _migrate()

    response = api.get("/api/v1/me/tokens/", HTTP_AUTHORIZATION=f"Token {OLD_KEY}")
    assert response.status_code == 200
    assert response.json()["results"][0]["prefix"] == OLD_KEY[:8]


def test_old_token_migrated_is_ended_by_password_change(old_table, alice, api):
    _insert_old(OLD_KEY, alice, timezone.now())
    _migrate()
    alice.set_password("a whole new password 42")
    alice.save()

    response = api.get("/api/v1/topics/", HTTP_AUTHORIZATION=f"Token {OLD_KEY}")

    assert (response.status_code, response.json()["code"]) == (401, "token_password_changed")


def test_migration_without_old_table_does_nothing(db):
    _migrate()

    assert ApiToken.objects.count() == 0
