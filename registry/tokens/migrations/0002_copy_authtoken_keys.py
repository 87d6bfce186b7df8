"""Carry DRF's old tokens (rest_framework.authtoken, plain keys) over to ApiToken.

The old table kept each key in plain text, so each can be hashed into an ApiToken: clients
keep working with the key they hold until it expires, GAPMAP_API_TOKEN_DAYS from this
migration. The old rows are then deleted, so no secret stays in the database in plain text.
rest_framework.authtoken is no longer installed, so its table is read with SQL, if it exists.
Not reversible: the secrets are gone from the database once migrated.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import migrations
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from registry.tokens.binding import PREFIX_LENGTH, hash_secret, password_digest

OLD_TABLE = "authtoken_token"


def _aware(value, default):
    """A raw SQLite read gives text, naive UTC; PostgreSQL gives an aware datetime."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is None:
        return default
    return timezone.make_aware(value, datetime.UTC) if timezone.is_naive(value) else value


def copy_authtoken_keys(apps, schema_editor):
    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("tokens", "ApiToken")
    User = apps.get_model(settings.AUTH_USER_MODEL)
    table, key = connection.ops.quote_name(OLD_TABLE), connection.ops.quote_name("key")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {key}, user_id, created FROM {table}")  # noqa: S608
        rows = cursor.fetchall()
    passwords = dict(User.objects.filter(pk__in=[row[1] for row in rows])
                     .values_list("pk", "password"))
    now = timezone.now()
    expires_at = now + datetime.timedelta(days=settings.GAPMAP_API_TOKEN_DAYS)
    # The binding needs get_session_auth_hash, which historical models lack: an unsaved
    # instance of the real user model holding only the password computes the same value.
    RealUser = get_user_model()
    ApiToken.objects.bulk_create([
        ApiToken(user_id=user_id, name="API (before expiring tokens)",
                 key_hash=hash_secret(secret), prefix=secret[:PREFIX_LENGTH],
                 password_digest=password_digest(RealUser(password=passwords[user_id])),
                 created_at=_aware(created, now), expires_at=expires_at)
        for secret, user_id, created in rows if user_id in passwords])
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608


class Migration(migrations.Migration):
    dependencies = [("tokens", "0001_initial")]

    operations = [migrations.RunPython(copy_authtoken_keys, migrations.RunPython.noop)]
