import pytest

from registry import services
from registry.models import Topic
from tests.factories import PASSWORD, ClusterFactory, TopicFactory


@pytest.fixture
def catalogue(db):
    services.catalogue_load()


def test_clusters_list(api, catalogue):
    response = api.get("/api/v1/clusters/")

    assert response.status_code == 200
    assert [(c["slug"], c["topic_count"]) for c in response.json()["results"]] == [
        ("compute-governance", 8), ("security", 8), ("policy-and-society", 9)
    ]


def test_cluster_detail(api, catalogue):
    response = api.get("/api/v1/clusters/security/")

    assert response.status_code == 200
    assert response.json()["name"] == "Security"


def test_topics_list_is_paginated(api, catalogue):
    first = api.get("/api/v1/topics/").json()
    second = api.get(first["next"]).json()

    assert first["count"] == 25
    assert len(first["results"]) == 20
    assert first["previous"] is None
    assert len(second["results"]) == 5
    assert second["next"] is None
    slugs = [t["slug"] for t in first["results"] + second["results"]]
    assert len(set(slugs)) == 25


def test_topics_filter_by_cluster_and_status(api, catalogue):
    by_cluster = api.get("/api/v1/topics/?cluster=security").json()
    covered = api.get("/api/v1/topics/?status=covered").json()
    gaps_in_policy = api.get("/api/v1/topics/?cluster=policy-and-society&status=gap").json()

    assert by_cluster["count"] == 8
    assert {t["cluster"] for t in by_cluster["results"]} == {"security"}
    assert [t["slug"] for t in covered["results"]] == ["nuclear-arms-control-lessons"]
    assert gaps_in_policy["count"] == 8


def test_topics_filter_with_unknown_status_is_a_400_naming_the_field(api, catalogue):
    response = api.get("/api/v1/topics/?status=nonsense")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["fields"]) == ["status"]
    assert "nonsense" in body["fields"]["status"][0]


def test_topic_detail(api, catalogue):
    response = api.get("/api/v1/topics/proof-of-learning/")

    body = response.json()
    assert response.status_code == 200
    assert body["title"] == "Proof-of-learning algorithms"
    assert body["cluster"] == "compute-governance"
    assert body["status"] == "gap"
    assert body["url"] == "http://testserver/topics/proof-of-learning/"


def test_unknown_topic_is_json_404(api, catalogue):
    response = api.get("/api/v1/topics/nope/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_suggested_topics_are_not_in_the_public_list(api, db):
    TopicFactory(slug="listed-one")
    TopicFactory(slug="only-suggested", state=Topic.State.SUGGESTED)

    slugs = [t["slug"] for t in api.get("/api/v1/topics/").json()["results"]]

    assert slugs == ["listed-one"]


def test_token_auth_issues_token_and_authenticates(api, alice):
    response = api.post("/api/v1/auth/token/", {"username": "alice", "password": PASSWORD},
                        format="json")

    assert response.status_code == 200
    token = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/topics/").status_code == 200


def test_token_auth_with_bad_password_is_400_with_code(api, alice):
    response = api.post("/api/v1/auth/token/", {"username": "alice", "password": "wrong"},
                        format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert response.json()["fields"] == {
        "non_field_errors": ["Unable to log in with provided credentials."]
    }


def test_bad_token_is_401_json(api, db):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = api.get("/api/v1/topics/")

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token.", "code": "authentication_failed"}


@pytest.mark.parametrize("rows", [1, 12])
def test_topics_list_query_count_does_not_grow(api, db, django_assert_num_queries, rows):
    cluster = ClusterFactory()
    for _ in range(rows):
        TopicFactory(cluster=cluster)

    with django_assert_num_queries(3):  # the stats version (registry.core.caching), count, page
        assert api.get("/api/v1/topics/").status_code == 200


def test_schema_is_valid_openapi(api, db):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
    response = api.get("/api/v1/schema/?format=json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/topics/{slug}/" in schema["paths"]


def test_api_docs_use_local_assets(client, db):
    page = client.get("/api/v1/docs/").content.decode()

    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page
    assert "cdn" not in page.lower()
