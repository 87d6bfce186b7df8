"""An API refusal's `detail` speaks the request's language; its `code` never changes (issue 18).

A service error's default message is lazy (registry.core.errors): it must be resolved when the
body is built, in that request's language, not once at import or at the first request.
"""

import pytest
from django.utils import translation

from registry.core.errors import AlreadyClaimed
from tests.factories import ClaimFactory, TopicFactory

pytestmark = pytest.mark.django_db


def _claim_again(client, language):
    return client.post("/api/v1/topics/chips/claim/", {"plan": "again"}, format="json",
                       HTTP_ACCEPT_LANGUAGE=language)


def test_api_refusal_detail_is_resolved_per_request_in_its_language(api_as, alice):
    ClaimFactory(person=alice, topic=TopicFactory(slug="chips"))
    client = api_as(alice)
    with translation.override("es"):
        spanish = str(AlreadyClaimed.default_message)

    in_spanish, in_english = _claim_again(client, "es"), _claim_again(client, "en")

    assert spanish == "Ya tienes un compromiso activo con este tema."
    assert (in_spanish.status_code, in_spanish.json()) == (
        409, {"detail": spanish, "code": "already_claimed"})
    assert (in_english.status_code, in_english.json()) == (
        409, {"detail": "You already hold an active claim on this topic.",
              "code": "already_claimed"})


def test_api_validation_refusal_keeps_its_code_and_field_names_in_spanish(api_as, alice):
    TopicFactory(slug="chips")

    response = api_as(alice).post("/api/v1/topics/chips/claim/", {"plan": "x" * 2001},
                                  format="json", HTTP_ACCEPT_LANGUAGE="es")

    body = response.json()
    assert (response.status_code, body["code"], list(body["fields"])) == (400, "invalid", ["plan"])
    assert body["detail"] == "Algunos campos no son válidos: plan."


def test_api_not_found_in_spanish_with_the_same_code(api):
    english = api.get("/api/v1/topics/no-such-topic/", HTTP_ACCEPT_LANGUAGE="en")
    spanish = api.get("/api/v1/topics/no-such-topic/", HTTP_ACCEPT_LANGUAGE="es")

    assert (english.status_code, spanish.status_code) == (404, 404)
    assert (english.json(), spanish.json()) == (
        {"detail": "Not found.", "code": "not_found"},
        {"detail": "No se ha encontrado.", "code": "not_found"})
    assert spanish["Content-Language"] == "es"
