import pytest
from django.urls import reverse

from registry import selectors, services
from registry.models import Topic

PAGES = [
    ("registry:home", {}),
    ("registry:about", {}),
    ("registry:topic-detail", {"slug": "proof-of-learning"}),
    ("registry:topic-detail", {"slug": "nuclear-arms-control-lessons"}),
    ("registry:profile", {"username": "alice"}),
    ("login", {}),
    ("password_reset", {}),
    ("registry:sign-up", {}),
]


@pytest.fixture
def catalogue(db):
    services.catalogue_load()


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_page_renders_for_anonymous(client, catalogue, alice, name, kwargs):
    response = client.get(reverse(name, kwargs=kwargs))

    assert response.status_code == 200
    assert b"Log in" in response.content


@pytest.mark.parametrize(("name", "kwargs"), PAGES[:5])
def test_page_renders_for_signed_in(client, catalogue, alice, name, kwargs):
    client.force_login(alice)

    response = client.get(reverse(name, kwargs=kwargs))

    assert response.status_code == 200
    assert b"Log out" in response.content


def test_home_lists_topics_by_cluster_with_badges(client, catalogue):
    response = client.get("/")

    clusters = selectors.overview().clusters
    assert [c.slug for c in clusters] == ["compute-governance", "security", "policy-and-society"]
    assert [len(c.listed_topics) for c in clusters] == [8, 8, 9]
    assert response.context["counts"] == {"gap": 24, "claimed": 0, "published": 0, "covered": 1}
    assert [c.status_counts for c in clusters] == [
        {"gap": 8, "claimed": 0, "published": 0, "covered": 0},
        {"gap": 8, "claimed": 0, "published": 0, "covered": 0},
        {"gap": 8, "claimed": 0, "published": 0, "covered": 1}]
    # rows + the summary + one per cluster's counts
    assert response.content.count(b'class="badge badge-gap"') == 24 + 1 + 3


def test_topic_detail_unknown_slug_is_our_404(client, catalogue):
    response = client.get("/topics/no-such-topic/")

    assert response.status_code == 404
    assert b"There is nothing at this address" in response.content


def test_static_stylesheet_is_served_locally(client, catalogue):
    page = client.get("/").content.decode()

    assert 'href="/static/registry/gapmap.css"' in page
    assert "http://" not in page.split("<main")[0].replace("http://www.w3.org", "")
    assert "https://" not in page.split("<main")[0]


def test_server_error_page_renders_without_request_context(settings):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")

    assert "Something went wrong" in html


def test_home_cached_lists_change_with_the_next_claim(client, catalogue, alice):
    before = client.get("/")
    topic = Topic.objects.get(slug="global-gpu-tracking")

    services.claim_create(topic=topic, person=alice, plan="A survey.")

    after = client.get("/")
    assert (before.context["counts"], after.context["counts"]) == (
        {"gap": 24, "claimed": 0, "published": 0, "covered": 1},
        {"gap": 23, "claimed": 1, "published": 0, "covered": 1})
    assert after.content.count(b'class="badge badge-claimed"') == 1 + 1 + 3  # row, sums
