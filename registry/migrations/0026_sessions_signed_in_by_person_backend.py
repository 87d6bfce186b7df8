"""Sessions made before PersonBackend replaced ModelBackend (settings.AUTHENTICATION_BACKENDS)
name ModelBackend as the backend that signed them in, and Django signs out a session whose
backend is no longer listed. This names PersonBackend in them instead, so nobody is signed out
by the change. PersonBackend is ModelBackend with a faster read of the person, so a session
of one is a session of the other."""

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import migrations
from django.utils import timezone

OLD = "django.contrib.auth.backends.ModelBackend"
NEW = "registry.moderation.backends.PersonBackend"
# What django.contrib.sessions.backends.cached_db keeps its copies under in the cache.
CACHED_DB_PREFIX = "django.contrib.sessions.cached_db"


def name_person_backend(apps, schema_editor, old=OLD, new=NEW):
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.cache import caches

    Session = apps.get_model("sessions", "Session")
    store, changed = SessionStore(), []
    live = Session.objects.using(schema_editor.connection.alias).filter(
        expire_date__gt=timezone.now())
    for session in live.iterator(chunk_size=1000):
        data = store.decode(session.session_data)
        if data.get(BACKEND_SESSION_KEY) == old:
            data[BACKEND_SESSION_KEY] = new
            session.session_data = store.encode(data)
            changed.append(session)
    Session.objects.using(schema_editor.connection.alias).bulk_update(
        changed, ["session_data"], batch_size=1000)
    # The cache's copies still name the old backend; without them, each is read from the
    # database again on its next request.
    caches[settings.SESSION_CACHE_ALIAS].delete_many(
        [f"{CACHED_DB_PREFIX}{session.session_key}" for session in changed])


def name_model_backend(apps, schema_editor):
    name_person_backend(apps, schema_editor, old=NEW, new=OLD)


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0025_cluster_order_index"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(name_person_backend, name_model_backend),
    ]
