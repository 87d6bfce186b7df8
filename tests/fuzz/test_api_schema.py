"""API fuzzing gate: schemathesis generates requests for every operation in our OpenAPI
schema, anonymous and token-authenticated, and every response must be a non-5xx that matches
the schema. GAPMAP_FUZZ_EXAMPLES sets examples per operation (.ci/run uses 100)."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from rest_framework.authtoken.models import Token
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)

from config.wsgi import application
from tests.factories import ClusterFactory, TopicFactory, UserFactory

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
EXAMPLES = int(os.environ.get("GAPMAP_FUZZ_EXAMPLES", "15"))
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
FUZZ_SETTINGS = hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def registry_data(db, monkeypatch):
    # Throttles would turn later examples into 429s and hide what we are here to find. DRF
    # copied the rates table at import, so lift the limits on the class itself.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES",
                        dict.fromkeys(("signup", "login", "post", "claim"), "1000000/s"))
    # A little data so detail and filter paths can hit something; the full catalogue would
    # cost a second of setup per operation on PostgreSQL.
    cluster = ClusterFactory(slug="security")
    TopicFactory(cluster=cluster, slug="proof-of-learning")
    TopicFactory(cluster=cluster, slug="datacenter-monitoring")
    # schemathesis calls the WSGI app directly, which would close the test's connection at
    # the end of each request; Django's own test client detaches this handler the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(registry_data):
    user = UserFactory(username="fuzzer")
    return Token.objects.create(user=user).key


@schema.parametrize()
@FUZZ_SETTINGS
def test_api_anonymous_never_fails_and_matches_schema(case, registry_data):
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@FUZZ_SETTINGS
def test_api_authenticated_never_fails_and_matches_schema(case, token):
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)
