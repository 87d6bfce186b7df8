"""The fragments forms fetch as someone types (registry.discovery.pickers): exact results,
only what the asker may see, bounded queries, and one query whatever the number of
matches."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry.discovery.search import search_index_rebuild
from registry.moderation.services import content_hide
from tests.factories import ProposalFactory, TopicFactory, UserFactory, WriteupFactory

pytestmark = pytest.mark.django_db


def options(response) -> list[tuple[str, str]]:
    """(value, text) of each option of a picker's answer."""
    assert response.status_code == 200
    html = response.content.decode()
    return [(value, re.sub(r"<[^>]+>", "", text).strip()) for value, text in re.findall(
        r'<li role="option" aria-selected="false" data-value="([^"]*)" data-label="[^"]*"'
        r' data-detail="[^"]*">'
        r"(.*?)</li>", html)]


def person(username, display_name, affiliation="", hidden=False):
    user = UserFactory(username=username)
    profile = user.profile
    profile.display_name, profile.affiliation, profile.hidden = display_name, affiliation, hidden
    profile.save()
    return user


# --- People ----------------------------------------------------------------------------------

def test_pick_people_by_part_of_the_display_name(client):
    person("nsilva", "Nia Silva", "Oxford")
    person("nia-s", "Nia Sousa")
    person("bob", "Bob Niall")
    person("zed", "Zed")
    assert options(client.get("/pick/people/", {"q": "nia"})) == [
        ("bob", "Bob Niall @bob"), ("nsilva", "Nia Silva @nsilva · Oxford"),
        ("nia-s", "Nia Sousa @nia-s")]


def test_pick_people_leaves_out_hidden_profiles_by_name_and_by_username(client):
    person("nsilva", "Nia Silva")
    person("nhidden", "Nia Hidden", hidden=True)
    assert options(client.get("/pick/people/", {"q": "nia"})) == [("nsilva", "Nia Silva @nsilva")]
    assert options(client.get("/pick/people/", {"q": "nhidden"})) == []


def test_pick_people_leaves_out_inactive_accounts(client):
    gone = person("ngone", "Nia Gone")
    gone.is_active = False
    gone.save()
    assert options(client.get("/pick/people/", {"q": "nia"})) == []


def test_pick_people_no_match_says_so(client):
    response = client.get("/pick/people/", {"q": "Nobody"})
    assert response.status_code == 200
    assert "No person matches “Nobody”." in response.content.decode()


def test_pick_people_at_most_ten(client):
    for n in range(12):
        person(f"p{n:02}", f"Nia {n:02}")
    assert [value for value, _ in options(client.get("/pick/people/", {"q": "nia"}))] == [
        f"p{n:02}" for n in range(10)]


# --- Topics ----------------------------------------------------------------------------------

def test_pick_topics_by_title_listed_only(client):
    from registry.models import Topic

    TopicFactory(slug="detecting-datacenters", title="Detecting datacenters")
    TopicFactory(slug="data-sharing", title="Data sharing")
    TopicFactory(slug="hidden-data", title="Hidden data", hidden=True)
    TopicFactory(slug="suggested-data", title="Suggested data", state=Topic.State.SUGGESTED)
    found = options(client.get("/pick/topics/", {"q": "data"}))
    assert [value for value, _ in found] == ["Data sharing", "Detecting datacenters"]


# --- Writeups --------------------------------------------------------------------------------

def test_pick_writeups_published_and_visible_only(client, alice, bob, moderator):
    shown = WriteupFactory(author=bob, title="Census of chips", published=True)
    WriteupFactory(author=bob, title="Census draft of bob")
    WriteupFactory(author=alice, title="Census draft of alice")
    hidden = WriteupFactory(author=bob, title="Census hidden", published=True)
    content_hide(moderator=moderator, target_type="writeup", obj=hidden, reason="Spam.")
    client.force_login(alice)
    assert options(client.get("/pick/writeups/", {"q": "census"})) == [
        (str(shown.pk), f"Census of chips {shown.topic.title}")]


def test_pick_writeups_on_one_topic(client):
    topic = TopicFactory(slug="one")
    mine = WriteupFactory(topic=topic, title="Census one", published=True)
    WriteupFactory(title="Census two", published=True)
    found = options(client.get("/pick/writeups/", {"q": "census", "topic": "one"}))
    assert [value for value, _ in found] == [str(mine.pk)]


# --- Bounds ----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/pick/people/", "/pick/topics/", "/pick/writeups/"])
def test_pick_overlong_query_is_a_400_with_a_message(client, path):
    response = client.get(path, {"q": "x" * 60_000})
    assert response.status_code == 400
    assert "Type at most 200 characters to search." in response.content.decode()


@pytest.mark.parametrize("path", ["/pick/people/", "/pick/topics/", "/pick/writeups/"])
@pytest.mark.parametrize("q", ["", " ", "n"])
def test_pick_blank_or_one_letter_answers_empty_without_a_query(client, path, q):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, {"q": q})
    assert (response.status_code, response.content.decode().strip()) == (200, "")
    assert [query["sql"] for query in captured if "registry_" in query["sql"]
            or "auth_user" in query["sql"]] == []


def test_similar_fragment_lists_similar_proposals(client):
    ProposalFactory(title="Incident reporting for labs")
    search_index_rebuild()
    html = client.get("/pick/similar/", {"kind": "proposal", "q": "incident"}).content.decode()
    assert "Incident reporting for labs</a>" in html


@pytest.mark.parametrize("q", ["", "ab"])
def test_similar_fragment_short_query_shows_the_hint(client, q):
    response = client.get("/pick/similar/", {"kind": "topic", "q": q})
    assert response.status_code == 200
    assert response.content.decode().strip() == (
        '<p class="meta">Similar topics appear here as you type the title.</p>')


def test_similar_fragment_60000_characters_no_500(client):
    ProposalFactory(title="Incident reporting for labs")
    search_index_rebuild()
    response = client.get("/pick/similar/", {"kind": "proposal", "q": "incident" + "x" * 60_000})
    assert response.status_code == 200
    assert "No similar proposals found for" in response.content.decode()


def test_similar_fragment_unknown_kind_is_a_400(client):
    response = client.get("/pick/similar/", {"kind": "people", "q": "incident"})
    assert response.status_code == 400
    assert "Say which kind: proposal or topic." in response.content.decode()


# --- Query counts ----------------------------------------------------------------------------

def _queries(client, path, params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params)
    assert response.status_code == 200
    return len(captured)


def grow_people(n):
    for i in range(n):
        person(f"many{i:02}", f"Many {i:02}", "Somewhere")


def grow_topics(n):
    for i in range(n):
        TopicFactory(slug=f"many-{i:02}", title=f"Many {i:02}")


def grow_writeups(n):
    for i in range(n):
        WriteupFactory(title=f"Many {i:02}", published=True)


@pytest.mark.parametrize(("path", "grow"), [("/pick/people/", grow_people),
                                            ("/pick/topics/", grow_topics),
                                            ("/pick/writeups/", grow_writeups)])
def test_pick_query_count_same_at_1_and_20_matches(client, alice, path, grow):
    client.force_login(alice)
    grow(1)
    one = _queries(client, path, {"q": "many"})
    grow(19)
    assert (one, _queries(client, path, {"q": "many"})) == (one, one)


def test_similar_query_count_same_at_1_and_20_matches(client):
    ProposalFactory(title="Many 00")
    search_index_rebuild()
    one = _queries(client, "/pick/similar/", {"kind": "proposal", "q": "many"})
    for i in range(19):
        ProposalFactory(title=f"Many {i + 1:02}")
    search_index_rebuild()
    assert _queries(client, "/pick/similar/", {"kind": "proposal", "q": "many"}) == one


def test_pick_answers_escape_what_people_typed(client):
    person("xss", '<img src=x onerror="alert(1)">')
    TopicFactory(slug="xss-topic", title="<script>alert(2)</script> topic")
    html = client.get("/pick/people/", {"q": "img"}).content.decode()
    html += client.get("/pick/topics/", {"q": "script"}).content.decode()
    assert ("<img" not in html, "<script>" not in html) == (True, True)
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt; topic" in html


@pytest.mark.parametrize(("path", "kind"), [("/pick/people/", {}), ("/pick/topics/", {}),
                                            ("/pick/writeups/", {}),
                                            ("/pick/similar/", {"kind": "topic"})])
def test_pick_control_character_is_a_400_naming_it(client, path, kind):
    # (A NUL never gets here: a middleware refuses it in any address.)
    response = client.get(path, {"q": "nia\x07silva", **kind})
    assert response.status_code == 400
    assert ("Contains the control character U+0007, which is not allowed. Remove it and try "
            "again.") in response.content.decode()
