import pytest

from registry.discovery.models import FunderInterest
from registry.models import Topic
from tests.factories import FunderFactory, FunderInterestFactory, ProposalFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_search_box_on_every_page(client):
    for url in ("/", "/proposals/", "/gaps/", "/about/"):
        assert 'action="/search/"' in client.get(url).content.decode(), url


def test_search_page_shows_marked_snippet(client, alice):
    proposal = ProposalFactory(author=alice, title="Capybara compute",
                               analysis="About capybara.")
    html = client.get("/search/?q=capybara").content.decode()
    assert html.count('<li class="search-result">') == 1
    assert f'<a href="{proposal.get_absolute_url()}">Capybara compute</a>' in html
    assert "<mark>" in html


def test_profile_shows_funder_badge(client):
    FunderFactory(username="fiona")
    html = client.get("/people/fiona/").content.decode()
    assert 'class="badge badge-funder"' in html


def test_profile_no_badge_for_non_funder(client, alice):
    assert "badge-funder" not in client.get("/people/alice/").content.decode()


def test_funder_role_granted_by_moderator(client, moderator, alice):
    client.force_login(moderator)
    assert client.post("/people/alice/funder/", {"is_funder": "1"}).status_code == 302
    alice.profile.refresh_from_db()
    assert alice.profile.is_funder is True


def test_funder_role_refused_to_non_moderator(client, alice, bob):
    client.force_login(bob)
    assert client.post("/people/alice/funder/", {"is_funder": "1"}).status_code == 403
    alice.profile.refresh_from_db()
    assert alice.profile.is_funder is False


def test_interest_page_registers_for_funder(client):
    fiona = FunderFactory(username="fiona")
    topic = TopicFactory()
    client.force_login(fiona)
    response = client.post(f"/topics/{topic.slug}/interest/",
                           {"note": "n", "amount_range": "", "visibility": "private"})
    assert response.status_code == 302
    assert list(FunderInterest.objects.values_list("visibility", flat=True)) == ["private"]


def test_interest_page_refuses_non_funder(client, charlie):
    client.force_login(charlie)
    response = client.post(f"/topics/{TopicFactory().slug}/interest/",
                           {"visibility": "public"})
    assert response.status_code == 403


def test_interest_page_hides_private_note_from_outsider(client, charlie):
    topic = TopicFactory()
    FunderInterestFactory(topic=topic, note="PRIVATE-NOTE", visibility="private")
    client.force_login(charlie)
    html = client.get(f"/topics/{topic.slug}/interest/").content.decode()
    assert "PRIVATE-NOTE" not in html
    assert "1 funder has registered interest" in html


@pytest.mark.parametrize(("pressed", "status"), [({"lookup": "similar"}, 200),
                                                ({"topic": ""}, 400)])
def test_similar_list_on_proposal_form(client, alice, pressed, status):
    """Without JavaScript: after "Check for similar", or a save refused for a missing field,
    the form comes back with the similar proposals and nothing typed lost."""
    ProposalFactory(title="Incident reporting for labs")
    client.force_login(alice)
    response = client.post("/proposals/new/", {"title": "incident reporting",
                                               "analysis": "Typed before.", **pressed})
    html = response.content.decode()
    assert response.status_code == status
    assert "Incident reporting for labs" in html
    assert "Typed before.</textarea>" in html


def test_similar_list_on_topic_suggestion_form(client, alice):
    from registry.discovery.search import search_index_rebuild

    TopicFactory(title="Compute thresholds")
    search_index_rebuild()
    client.force_login(alice)
    response = client.post("/topics/suggest/", {"title": "compute thresholds",
                                                "reason": "Because.", "lookup": "similar"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="/topics/' in html and "Compute thresholds" in html
    assert "Because.</textarea>" in html  # kept, and nothing suggested yet:
    assert Topic.objects.filter(state=Topic.State.SUGGESTED).count() == 0


@pytest.mark.parametrize("kind", ["proposal", "topic"])
def test_similar_list_with_an_overlong_query_looks_up_its_first_200_characters(
        client, alice, kind):
    ProposalFactory(title="Incident reporting for labs")
    client.force_login(alice)
    response = client.get("/pick/similar/", {"kind": kind, "q": "incident " + "x" * 60_000})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'“incident {"x" * 191}”' in html


@pytest.mark.parametrize(("path", "fields"), [
    ("/proposals/new/", {"ask": "", "target": ""}),
    ("/topics/suggest/", {"reason": "Nobody works on it."}),
])
def test_overlong_one_word_title_is_refused_with_the_limit_and_kept(client, alice, path,
                                                                   fields):
    # Rows to compare with: SQLite only rejects an overlong LIKE pattern when it runs it.
    ProposalFactory(title="Incident reporting for labs")
    TopicFactory(title="Compute thresholds")
    client.force_login(alice)
    title = "y" * 100_000
    response = client.post(path, {"title": title, **fields})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ensure this value has at most 200 characters (it has 100000)." in html
    assert title in html


def test_admin_lists_interest_and_profile_funder_flag(client, moderator):
    FunderInterestFactory()
    moderator.is_superuser = True
    moderator.save()
    client.force_login(moderator)
    assert client.get("/admin/discovery/funderinterest/").status_code == 200
    assert client.get("/admin/discovery/searchentry/").status_code == 200
    assert "is_funder" in client.get("/admin/registry/profile/").content.decode()
