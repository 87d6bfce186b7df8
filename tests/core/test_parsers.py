import json

import pytest

from registry import services


@pytest.fixture
def signed_in(api_as, alice):
    services.catalogue_load()
    return api_as(alice)


@pytest.mark.parametrize(("body", "detail"), [
    ({"title": "a\x00b", "cluster": "security", "reason": "r"},
     "Text may not contain NUL (\\u0000) characters."),
    ({"title": "ok", "cluster": "secu\x00rity", "reason": "r"},
     "Text may not contain NUL (\\u0000) characters."),
    ({"title": "ok", "cluster": "security", "reason": "r", "x\x00": 1},
     "Text may not contain NUL (\\u0000) characters."),
])
def test_json_with_nul_is_a_400_naming_the_problem(signed_in, body, detail):
    response = signed_in.post("/api/v1/topics/", body, format="json")

    assert response.status_code == 400
    assert response.json() == {"detail": detail, "code": "parse_error"}


def test_json_with_a_lone_surrogate_is_a_400(signed_in):
    raw = '{"title": "\\udbbe", "cluster": "security", "reason": "r"}'

    response = signed_in.post("/api/v1/topics/", raw, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Text contains an unpaired surrogate, which is not valid Unicode."
    )


def test_deeply_nested_json_is_a_400(signed_in):
    raw = json.dumps({"title": "t", "cluster": "security", "reason": [[[[[[[[[[[]]]]]]]]]]] * 1})
    raw = raw.replace("[]", "[" * 40 + "]" * 40)

    response = signed_in.post("/api/v1/topics/", raw, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["detail"] == "The JSON is nested more than 32 levels deep."


def test_form_encoded_nul_is_a_400(signed_in):
    response = signed_in.post("/api/v1/topics/", "title=a%00b&cluster=security&reason=r",
                              content_type="application/x-www-form-urlencoded")

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


@pytest.mark.parametrize("address", [
    "/api/v1/topics/?cluster=a%00b",
    "/api/v1/topics/?a%00=1",
    "/api/v1/topics/a%00b/",
])
def test_api_address_with_nul_is_a_json_400(api, db, address):
    response = api.get(address)

    assert response.status_code == 400
    assert response.json() == {
        "detail": "The address contains a NUL (\\u0000) character, which is not allowed.",
        "code": "invalid_address",
    }


@pytest.mark.parametrize("address", ["/people/a%00b/", "/?q=%00"])
def test_page_address_with_nul_is_a_400(client, db, address):
    response = client.get(address)

    assert response.status_code == 400
    assert response.content.decode() == (
        "The address contains a NUL (\\u0000) character, which is not allowed."
    )
