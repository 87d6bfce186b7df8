import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings
from django.utils import translation
from rest_framework.test import APIClient

from tests.factories import UserFactory

FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    cache.clear()
    # A Spanish request leaves its language active in the thread; each test starts in English.
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _topic_stats_kept_current(request):
    """The gate on TopicStats: after every test that touched the database, each topic's
    stored status and counts equal the ones computed from the source tables. A service
    that writes without refreshing them fails whichever test exercises it. The same for the
    writeups' and proposals' stored comment counts (registry.feedback)."""
    if not request.node.get_closest_marker("django_db") and not (
            {"db", "transactional_db"} & set(request.fixturenames)):
        yield
        return
    request.getfixturevalue("_django_db_helper")  # so the database outlives this check
    yield
    from django.db import connection

    from registry.discovery.stats import topic_stats_drift
    from registry.feedback.selectors.comments import comment_count_drift

    if connection.needs_rollback:  # the test ended on a failed query: nothing can be read
        return
    drifted = topic_stats_drift()
    assert drifted == [], f"stored topic stats drifted from the computed ones on {drifted}"
    counts = comment_count_drift()
    assert counts == [], f"stored comment counts drifted (kind, id, stored, computed): {counts}"


@pytest.fixture(scope="module")
def module_transaction(django_db_setup, django_db_blocker):
    """A transaction open for the rest of the module, rolled back when the module is done.

    A module fixture that builds its world inside it builds it once, not once per test: each
    test's own transaction (pytest-django's `db`) is a savepoint inside this one, so every
    test still starts from the same untouched world and leaves nothing behind. pytest tears
    module fixtures down whenever the next test comes from another module, so the world is
    rebuilt, never shared, when xdist interleaves modules on one worker."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


# healthchecks' three standing users: alice owns things, bob works beside her, charlie is an
# outsider with no rights over either.
@pytest.fixture
def alice(db):
    return UserFactory(username="alice")


@pytest.fixture
def bob(db):
    return UserFactory(username="bob")


@pytest.fixture
def charlie(db):
    return UserFactory(username="charlie")


@pytest.fixture
def moderator(db):
    return UserFactory(username="mod", is_staff=True)


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def api_as(api):
    """api_as(user) -> an APIClient authenticated as that user (token-less, forced)."""

    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make
