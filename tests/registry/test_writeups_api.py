import pytest

from registry import services
from registry.models import Topic, TopicEvent, Writeup, WriteupVersion
from tests.factories import TopicFactory, WriteupFactory


def post_writeup(client, **overrides):
    payload = {"topic": "chips", "title": "Plan", "kind": "plan", "body": "Hello *there*",
               **overrides}
    return client.post("/api/v1/writeups/", payload, format="json")


def test_writeup_create_is_201_with_body_html_and_etag(api_as, alice):
    TopicFactory(slug="chips")

    response = post_writeup(api_as(alice))

    writeup = Writeup.objects.get()
    body = response.json()
    assert response.status_code == 201
    assert response["ETag"] == '"1"'
    assert (body["id"], body["topic"], body["author"], body["kind"]) == (writeup.pk, "chips",
                                                                        "alice", "plan")
    assert (body["body"], body["body_html"]) == ("Hello *there*", "<p>Hello <em>there</em></p>\n")
    assert (body["published_at"], body["version"]) == (None, 1)
    assert body["url"] == f"http://testserver/writeups/{writeup.pk}/"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"topic": "nope"}, "topic"),
        ({"title": ""}, "title"),
        ({"title": "t" * 201}, "title"),
        ({"body": "b" * 100_001}, "body"),
        ({"kind": "essay"}, "kind"),
        ({"body": "", "external_url": ""}, "body"),
        ({"external_url": "javascript:alert(1)"}, "external_url"),
    ],
)
def test_writeup_create_bad_input_is_400_naming_the_field(api_as, alice, overrides, field):
    TopicFactory(slug="chips")

    response = post_writeup(api_as(alice), **overrides)

    assert response.status_code == 400
    assert list(response.json()["fields"]) == [field]
    assert (Writeup.objects.count(), WriteupVersion.objects.count(),
            TopicEvent.objects.count()) == (0, 0, 0)


def test_writeup_create_on_suggested_topic_is_400_unknown_topic(api_as, alice):
    TopicFactory(slug="chips", state=Topic.State.SUGGESTED)

    response = post_writeup(api_as(alice))

    assert (response.status_code, list(response.json()["fields"])) == (400, ["topic"])


def test_writeup_create_anonymous_is_401(api, db):
    TopicFactory(slug="chips")

    assert post_writeup(api).status_code == 401


def test_draft_is_404_for_others_and_listed_only_for_its_author(api, api_as, alice, bob):
    draft = WriteupFactory(author=alice)
    url = f"/api/v1/writeups/{draft.pk}/"

    assert api_as(alice).get(url).status_code == 200
    assert api_as(bob).get(url).status_code == 404
    assert api.get(url).status_code == 404
    assert api_as(bob).get("/api/v1/writeups/").json()["results"] == []
    assert [w["id"] for w in api_as(alice).get("/api/v1/writeups/").json()["results"]] == [
        draft.pk]


@pytest.mark.parametrize("method", ["patch", "delete"])
def test_draft_of_someone_else_is_404_to_change(api_as, alice, bob, method):
    draft = WriteupFactory(author=alice, title="Mine")

    response = getattr(api_as(bob), method)(f"/api/v1/writeups/{draft.pk}/", {"title": "x"},
                                            format="json")

    assert response.status_code == 404
    assert Writeup.objects.get(pk=draft.pk).title == "Mine"


def test_draft_of_someone_else_is_404_to_publish(api_as, alice, bob):
    draft = WriteupFactory(author=alice)

    assert api_as(bob).post(f"/api/v1/writeups/{draft.pk}/publish/").status_code == 404


@pytest.mark.parametrize("method", ["patch", "delete"])
def test_published_writeup_checks_ownership(api_as, alice, charlie, method):
    writeup = WriteupFactory(author=alice, title="Mine", published=True)

    response = getattr(api_as(charlie), method)(f"/api/v1/writeups/{writeup.pk}/",
                                                {"title": "x"}, format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    writeup.refresh_from_db()
    assert (writeup.title, writeup.deleted_at) == ("Mine", None)


def test_writeup_get_has_etag(api, alice):
    writeup = WriteupFactory(author=alice, published=True)

    response = api.get(f"/api/v1/writeups/{writeup.pk}/")

    assert (response.status_code, response["ETag"]) == (200, '"2"')


def test_writeup_patch_with_current_if_match_updates_and_bumps_etag(api_as, alice):
    writeup = WriteupFactory(author=alice)

    response = api_as(alice).patch(f"/api/v1/writeups/{writeup.pk}/", {"body": "New"},
                                   format="json", HTTP_IF_MATCH='"1"')

    assert response.status_code == 200
    assert response["ETag"] == '"2"'
    assert (response.json()["body"], response.json()["body_html"]) == ("New", "<p>New</p>\n")


def test_writeup_patch_with_stale_if_match_is_412_and_overwrites_nothing(api_as, alice):
    writeup = WriteupFactory(author=alice, body="Original")
    services.writeup_update(writeup=writeup, editor=alice, body="Theirs")

    response = api_as(alice).patch(f"/api/v1/writeups/{writeup.pk}/", {"body": "Mine"},
                                   format="json", HTTP_IF_MATCH='"1"')

    assert response.status_code == 412
    assert response.json()["code"] == "stale_version"
    writeup.refresh_from_db()
    assert (writeup.body, writeup.version, writeup.versions.count()) == ("Theirs", 2, 2)


def test_writeup_patch_with_garbage_if_match_is_412(api_as, alice):
    writeup = WriteupFactory(author=alice)

    response = api_as(alice).patch(f"/api/v1/writeups/{writeup.pk}/", {"body": "x"},
                                   format="json", HTTP_IF_MATCH='"abc"')

    assert response.status_code == 412


def test_writeup_patch_without_if_match_is_accepted(api_as, alice):
    writeup = WriteupFactory(author=alice)
    services.writeup_update(writeup=writeup, editor=alice, body="Theirs")

    response = api_as(alice).patch(f"/api/v1/writeups/{writeup.pk}/", {"title": "Renamed"},
                                   format="json")

    assert (response.status_code, response["ETag"]) == (200, '"3"')
    assert (response.json()["title"], response.json()["body"]) == ("Renamed", "Theirs")


def test_writeup_patch_bad_input_is_400_and_writes_nothing(api_as, alice):
    writeup = WriteupFactory(author=alice, title="Keep")

    response = api_as(alice).patch(f"/api/v1/writeups/{writeup.pk}/", {"title": "t" * 201},
                                   format="json")

    assert (response.status_code, list(response.json()["fields"])) == (400, ["title"])
    writeup.refresh_from_db()
    assert (writeup.title, writeup.version) == ("Keep", 1)


def test_writeup_publish_is_200_and_public(api, api_as, alice):
    writeup = WriteupFactory(author=alice)

    response = api_as(alice).post(f"/api/v1/writeups/{writeup.pk}/publish/")

    assert response.status_code == 200
    assert response.json()["published_at"] is not None
    assert api.get(f"/api/v1/writeups/{writeup.pk}/").status_code == 200


def test_writeup_publish_twice_is_409(api_as, alice):
    writeup = WriteupFactory(author=alice, published=True)

    response = api_as(alice).post(f"/api/v1/writeups/{writeup.pk}/publish/")

    assert (response.status_code, response.json()["code"]) == (409, "already_published")


def test_writeup_delete_is_204_and_then_404(api_as, alice):
    writeup = WriteupFactory(author=alice, published=True)
    client = api_as(alice)

    assert client.delete(f"/api/v1/writeups/{writeup.pk}/").status_code == 204
    assert client.get(f"/api/v1/writeups/{writeup.pk}/").status_code == 404


def test_writeup_versions_lists_every_edit(api, alice):
    writeup = WriteupFactory(author=alice, title="One", published=True)
    services.writeup_update(writeup=writeup, editor=alice, title="Two")

    response = api.get(f"/api/v1/writeups/{writeup.pk}/versions/")

    assert [(v["number"], v["title"], v["editor"]) for v in response.json()] == [
        (2, "Two", "alice"), (1, "One", "alice")]


def test_writeups_list_filters_by_topic_author_and_kind(api, alice, bob):
    one = TopicFactory(slug="one")
    a = WriteupFactory(author=alice, topic=one, kind="plan", published=True)
    b = WriteupFactory(author=bob, topic=one, kind="model", published=True)
    c = WriteupFactory(author=bob, kind="plan", published=True)

    def ids(query):
        return sorted(w["id"] for w in api.get(f"/api/v1/writeups/{query}").json()["results"])

    assert ids("?topic=one") == sorted([a.pk, b.pk])
    assert ids("?author=bob") == sorted([b.pk, c.pk])
    assert ids("?kind=plan") == sorted([a.pk, c.pk])
    assert api.get("/api/v1/writeups/?kind=essay").status_code == 400


@pytest.mark.parametrize("rows", [1, 5])
def test_writeups_list_query_count_does_not_grow(api, db, rows, django_assert_num_queries):
    for _ in range(rows):
        WriteupFactory(published=True)

    with django_assert_num_queries(2):  # the stats version (registry.core.caching), one keyset page
        response = api.get("/api/v1/writeups/")

    assert len(response.json()["results"]) == rows


def test_schema_lists_the_claim_and_writeup_endpoints(api, db):
    paths = api.get("/api/v1/schema/?format=json").json()["paths"]

    assert {"/api/v1/topics/{slug}/claim/", "/api/v1/claims/", "/api/v1/claims/{id}/",
            "/api/v1/claims/{id}/release/", "/api/v1/claims/{id}/renew/", "/api/v1/writeups/",
            "/api/v1/writeups/{id}/", "/api/v1/writeups/{id}/publish/"} <= set(paths)
    assert set(paths["/api/v1/writeups/{id}/"]) == {"get", "patch", "delete"}
    assert "post" in paths["/api/v1/topics/"]
