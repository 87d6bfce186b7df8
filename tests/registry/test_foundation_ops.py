import importlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection

import config.wsgi
from config.celery import app as celery_app
from registry.core.checks import staticfiles_manifest_check

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, **env):
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("SECRET_KEY", "DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    environment.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=60)


def test_settings_refuse_to_start_with_debug_off_and_no_secret_key():
    result = _manage("check", DEBUG="false")

    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "gapmap: configuration error: SECRET_KEY is not set: it is required whenever DEBUG is "
        "off (set SECRET_KEY to a long random string)."
    ]


STRONG_KEY = "test-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"
WEAK_KEY_LINE = (
    "gapmap: configuration error: SECRET_KEY is too weak: it must be at least 50 characters "
    "with at least 5 different ones whenever DEBUG is off (set SECRET_KEY to a long random "
    "string).")


def test_settings_start_with_debug_off_and_a_secret_key():
    result = _manage("check", DEBUG="false", SECRET_KEY=STRONG_KEY)

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("key", [
    STRONG_KEY[:49],  # one character short
    "x" * 50,  # long enough, one character
    "abcd" * 20,  # four different characters
])
def test_settings_refuse_to_start_with_debug_off_and_a_weak_secret_key(key):
    result = _manage("check", DEBUG="false", SECRET_KEY=key)

    assert (result.returncode, result.stderr.strip().splitlines()) == (1, [WEAK_KEY_LINE])


@pytest.mark.parametrize(("redis_url", "engine", "backend"), [
    # A shared cache: sessions are read from it (one query fewer on every signed-in page),
    # through one Redis client per pool (registry.core.redis_cache).
    ("redis://127.0.0.1:6379/9", "django.contrib.sessions.backends.cached_db",
     "registry.core.redis_cache.ReusedClientRedisCache"),
    # A per-process cache would keep a session another process ended: the database alone.
    ("", "django.contrib.sessions.backends.db",
     "django.core.cache.backends.locmem.LocMemCache"),
])
def test_settings_session_engine_cached_only_with_a_shared_cache(redis_url, engine, backend):
    result = _manage("shell", "-c", "from django.conf import settings; "
                     "print(settings.SESSION_ENGINE, settings.CACHES['default']['BACKEND'])",
                     REDIS_URL=redis_url)

    assert result.stdout.strip().splitlines()[-1] == f"{engine} {backend}", result.stderr


@pytest.mark.parametrize(("database_url", "options"), [
    # JIT compiling a page's query cost 250 ms to save a few (the notifications list).
    ("postgres://postgres@127.0.0.1:5432/gapmap", "-c jit=off"),
    ("sqlite:////tmp/gapmap-settings-test.sqlite3", None),
])
def test_settings_postgresql_connections_turn_jit_off(database_url, options):
    result = _manage("shell", "-c", "from django.conf import settings; "
                     "print(settings.DATABASES['default'].get('OPTIONS', {}).get('options'))",
                     DATABASE_URL=database_url)

    assert result.stdout.strip().splitlines()[-1] == str(options), result.stderr


def test_settings_start_with_debug_on_and_a_short_secret_key():
    result = _manage("check", DEBUG="true", SECRET_KEY="short")

    assert result.returncode == 0, result.stderr


def test_healthz_ok_in_embedded_mode(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "eager"}


def test_healthz_503_names_the_database_when_it_fails(client, db, monkeypatch):
    class UnreachableDatabase:
        def cursor(self):
            raise connection.Database.OperationalError("connection refused")

    # Only the health check's handle is broken: the test database itself must keep working.
    monkeypatch.setattr("registry.views.connection", UnreachableDatabase())

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"database": "error: OperationalError", "broker": "eager"}


@pytest.fixture
def broker(request):
    """Point Celery at a real broker URL for one test, then restore the eager default."""
    saved = {k: celery_app.conf[k] for k in ("task_always_eager", "broker_url")}

    def use(url):
        celery_app.conf.update(task_always_eager=False, broker_url=url)

    yield use
    celery_app.conf.update(saved)


def test_healthz_503_names_an_unreachable_broker(client, db, broker):
    broker("redis://127.0.0.1:1/0")

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"].startswith("error: ")


@pytest.mark.skipif(
    os.system("redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1") != 0,
    reason="needs Redis at 127.0.0.1:6379; .ci/run starts it",
)
def test_healthz_ok_with_a_reachable_broker(client, db, broker):
    broker("redis://127.0.0.1:6379/0")

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}


def test_deploy_check_is_clean_with_debug_off(tmp_path):
    (tmp_path / "staticfiles.json").write_text('{"paths": {}, "version": "1.1"}')  # collected
    result = _manage("check", "--deploy", "--fail-level", "WARNING", DEBUG="false",
                     SECRET_KEY="k" * 20 + "-not-a-real-secret-but-long-and-varied-0123456789",
                     ALLOWED_HOSTS="gapmap.example.org", STATIC_ROOT=str(tmp_path))

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_pages_send_a_content_security_policy_without_inline_script(client, db):
    response = client.get("/")

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_embedded_default_emails_a_follower_at_once(
    api_as, alice, bob, django_capture_on_commit_callbacks
):
    """Without a broker there is no delayed task to honour a batch window: send straight away."""
    from django.conf import settings
    from django.core import mail

    from registry.notifications.services import follow_create
    from tests.factories import TopicFactory

    topic = TopicFactory(slug="proof-of-learning", title="Proof-of-learning algorithms")
    follow_create(person=bob, topic=topic)

    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(alice).post("/api/v1/topics/proof-of-learning/claim/",
                                      {"plan": "A survey by March."}, format="json")

    assert response.status_code == 201
    assert settings.GAPMAP_NOTIFY_BATCH_MINUTES == 0
    assert [message.to for message in mail.outbox] == [["bob@example.org"]]


MANIFEST_STORAGE = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}


@pytest.fixture
def manifest_storage(settings, tmp_path):
    """Production's static storage over an empty STATIC_ROOT, as before collectstatic."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": MANIFEST_STORAGE}
    return tmp_path


def test_check_deploy_without_collectstatic_names_the_fix(manifest_storage):
    expected = (f"The static files manifest {manifest_storage / 'staticfiles.json'} is missing: "
                "run `manage.py collectstatic` before starting the site.")

    errors = [e for e in checks.run_checks(tags=["gapmap"], include_deployment_checks=True)]

    assert [(error.id, error.msg) for error in errors] == [("gapmap.E001", expected)]
    with pytest.raises(SystemCheckError, match="gapmap.E001"):
        call_command("check", deploy=True, tags=["gapmap"], stdout=io.StringIO(),
                     stderr=io.StringIO())


def test_manage_check_deploy_without_collectstatic_fails_with_one_line(tmp_path):
    result = _manage("check", "--deploy", DEBUG="false", SECRET_KEY=STRONG_KEY,
                     ALLOWED_HOSTS="gapmap.example.org", STATIC_ROOT=str(tmp_path))

    assert result.returncode == 1
    assert [line for line in result.stderr.splitlines() if "gapmap.E001" in line] == [
        f"?: (gapmap.E001) The static files manifest {tmp_path / 'staticfiles.json'} is "
        "missing: run `manage.py collectstatic` before starting the site."]


def test_web_process_without_collectstatic_refuses_to_boot(manifest_storage):
    with pytest.raises(ImproperlyConfigured) as refused:
        importlib.reload(config.wsgi)

    assert str(refused.value) == (
        f"The static files manifest {manifest_storage / 'staticfiles.json'} is missing: "
        "run `manage.py collectstatic` before starting the site.")


def test_check_deploy_after_collectstatic_passes(manifest_storage):
    storages["staticfiles"].save_manifest()  # what collectstatic writes last

    assert checks.run_checks(tags=["gapmap"], include_deployment_checks=True) == []
    importlib.reload(config.wsgi)  # boots


def test_check_without_manifest_storage_passes(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path  # empty, but the plain storage needs no manifest

    assert staticfiles_manifest_check() == []
