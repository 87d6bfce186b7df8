"""API fuzzing gate: schemathesis generates requests for every operation in our OpenAPI
schema, anonymous and token-authenticated, and every response must be a non-5xx that matches
the schema. GAPMAP_FUZZ_EXAMPLES sets examples per operation (.ci/run uses 100).

Each generated case also draws (with st.data(), so the number of examples stays the same) the
Accept header a client sends (JSON, a browser's text/html, */*) and, where the operation has
them, crafted `cursor` and `page` values (base64 of a made-up position, Unicode digits...).
With text/html DRF answers with its browsable HTML, which the schema does not describe, so
those cases are checked for server errors only.
"""

import base64
import datetime
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)

from config.wsgi import application
from registry.tokens.services import api_token_create
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


ACCEPTS = st.sampled_from(["application/json", "text/html", "*/*"])


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


_POSITIONS = st.one_of(
    st.builds(lambda moment, zone: f"{moment}{zone}",
              st.datetimes(min_value=datetime.datetime(1, 1, 1)),
              st.sampled_from(["", "+00:00", "+05:00", "-14:00", "Z"])),
    st.text(max_size=20),
)
CURSORS = st.one_of(
    st.builds(lambda position: _b64(f"p={position}".encode()), _POSITIONS),
    st.builds(lambda o, r, p: _b64(f"o={o}&r={r}&p={p}".encode()),
              st.text(max_size=4), st.text(max_size=2), _POSITIONS),
    st.binary(max_size=30).map(_b64),
    st.text(max_size=30),
)
PAGES = st.one_of(st.integers().map(str), st.text(max_size=8),
                  st.sampled_from(["²", "٣", "1e400", "nan", "0x10", "last"]))
CRAFTED = {"cursor": CURSORS, "page": PAGES}


def _call(case, data, headers=None):
    """Send `case` with a drawn Accept header, and crafted cursor/page values (or the ones
    schemathesis generated) where the operation takes them."""
    for parameter in case.operation.query:
        crafted = CRAFTED.get(parameter.name)
        if crafted is not None and data.draw(st.booleans(), label=f"craft {parameter.name}"):
            case.query = {**(case.query or {}), parameter.name: data.draw(crafted)}
    accept = data.draw(ACCEPTS, label="Accept")
    checks = [not_a_server_error] if accept == "text/html" else CHECKS
    case.call_and_validate(headers={**(headers or {}), "Accept": accept}, checks=checks)


@pytest.fixture
def registry_data(db, monkeypatch):
    # Throttles would turn later examples into 429s and hide what we are here to find. DRF
    # copied the rates table at import, so lift the limits on the class itself.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES",
                        dict.fromkeys(("signup", "login", "post", "claim", "report_client"),
                                      "1000000/s"))
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


class _FreshToken:
    """A new token's secret each time it is put in a header: generated calls may revoke the
    token they hold (DELETE /auth/token/, revoke-all), and later examples must still be
    authenticated rather than all answered 401."""

    def __init__(self, user):
        self.user = user

    def __str__(self):
        return api_token_create(user=self.user, name="fuzz")[1]


@pytest.fixture
def token(registry_data):
    return _FreshToken(UserFactory(username="fuzzer"))


@schema.parametrize()
@schema.given(data=st.data())
@FUZZ_SETTINGS
def test_api_anonymous_never_fails_and_matches_schema(case, data, registry_data):
    _call(case, data)


@schema.parametrize()
@schema.given(data=st.data())
@FUZZ_SETTINGS
def test_api_authenticated_never_fails_and_matches_schema(case, data, token):
    _call(case, data, headers={"Authorization": f"Token {token}"})
