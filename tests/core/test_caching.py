"""Public pages for visitors without cookies come from the cache, per stats version."""

import datetime

import pytest
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.utils import timezone
from rest_framework.test import APIClient

from proposals.services import proposal_move, proposal_update
from registry import services
from registry.core.caching import for_visitors
from registry.feedback.services import comments as comment_services
from registry.moderation import services as moderation
from registry.selectors import site_version
from registry.tokens.services import api_token_create
from tests.factories import (
    FunderFactory,
    FunderInterestFactory,
    ProposalFactory,
    TopicFactory,
    WriteupFactory,
)

pytestmark = pytest.mark.django_db


def test_visitor_page_second_request_served_from_cache(client, django_assert_num_queries):
    TopicFactory(slug="chips", title="Chip export controls")
    first = client.get("/topics/chips/")

    with django_assert_num_queries(1):  # the stats version only
        second = client.get("/topics/chips/")

    assert (second.status_code, second.content) == (200, first.content)
    assert second["Content-Type"] == "text/html; charset=utf-8"


def _comment(writeup, bob):
    comment_services.comment_create(target=writeup, author=bob, body="Does it cover chips?")
    return "Does it cover chips?"


def _second_writeup(writeup, bob):
    WriteupFactory(author=writeup.author, topic=writeup.topic, published=True,
                   title="Second thoughts on chips")
    return "Second thoughts on chips"


@pytest.mark.parametrize(("path", "change"), [
    (lambda w: f"/writeups/{w.pk}/", _comment),
    (lambda w: f"/api/v1/writeups/{w.pk}/comments/", _comment),
    (lambda w: "/people/alice/", _second_writeup),
], ids=["writeup", "writeup comments api", "profile"])
def test_visitor_writeup_profile_and_thread_second_request_served_from_cache(
        client, alice, bob, django_assert_num_queries, path, change):
    writeup = WriteupFactory(author=alice, published=True, title="Export rules explained")
    first = client.get(path(writeup))

    with django_assert_num_queries(1):  # the site version only
        second = client.get(path(writeup))
    # The change moves the site version: the next visitor sees it at once.
    shown = change(writeup, bob)
    third = client.get(path(writeup))

    assert (first.status_code, second.content == first.content, shown in first.content.decode(),
            shown in third.content.decode()) == (200, True, False, True)


def test_visitor_page_after_a_claim_shows_it(client, alice):
    topic = TopicFactory(slug="chips", title="Chip export controls")
    assert b"A survey of export rules." not in client.get("/topics/chips/").content

    services.claim_create(topic=topic, person=alice, plan="A survey of export rules.")

    assert b"A survey of export rules." in client.get("/topics/chips/").content


def test_visitor_api_detail_keeps_its_etag_from_the_cache(api, alice):
    proposal = ProposalFactory(author=alice, title="Shared checklist")
    first = api.get(f"/api/v1/proposals/{proposal.pk}/")
    second = api.get(f"/api/v1/proposals/{proposal.pk}/")

    assert first["ETag"] == second["ETag"] == f'"{proposal.version}"'
    assert second.json()["title"] == "Shared checklist"


def test_visitor_api_proposal_edit_shows_at_once(api, alice):
    proposal = ProposalFactory(author=alice, title="Shared checklist")
    assert api.get(f"/api/v1/proposals/{proposal.pk}/").json()["title"] == "Shared checklist"

    proposal_update(proposal=proposal, actor=alice, title="A shared checklist for labs")

    assert api.get(f"/api/v1/proposals/{proposal.pk}/").json()["title"] == (
        "A shared checklist for labs")


def test_signed_in_pages_never_come_from_the_visitors_cache(client, alice):
    TopicFactory(slug="chips", title="Chip export controls")
    visitor = Client().get("/topics/chips/")  # a visitor fills the cache
    client.force_login(alice)

    page = client.get("/topics/chips/")

    assert b"/me/" not in visitor.content
    assert b"/me/" in page.content


def test_visitor_response_with_a_csrf_token_is_never_stored(rf):
    def form_page(request):
        return HttpResponse(get_token(request))

    view = for_visitors(form_page)

    first, second = view(rf.get("/form/")), view(rf.get("/form/"))

    assert first.content != second.content


def test_visitor_with_any_cookie_gets_a_fresh_page(rf):
    calls = []

    def page(request):
        calls.append(request)
        return HttpResponse("page")

    view = for_visitors(page)
    view(rf.get("/p/"))
    view(rf.get("/p/"))
    request = rf.get("/p/")
    request.COOKIES["messages"] = "x"
    view(request)

    assert len(calls) == 2


def test_token_request_never_served_or_stored_for_visitors(api, alice):
    topic = TopicFactory(slug="chips")
    funder = FunderFactory(username="fiona")
    FunderInterestFactory(topic=topic, funder=funder, visibility="private", note="secret")
    _, token = api_token_create(user=funder, name="CLI")

    mine = api.get("/api/v1/topics/chips/interest/", HTTP_AUTHORIZATION=f"Token {token}")
    visitor = APIClient().get("/api/v1/topics/chips/interest/")

    assert [row["note"] for row in mine.json()] == ["secret"]
    assert visitor.json() == []


def _cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


@pytest.mark.parametrize("path", ["/me/", "/me/notifications/", "/topics/chips/", "/"])
def test_signed_in_page_is_private_to_shared_caches(client, alice, path):
    TopicFactory(slug="chips")
    client.force_login(alice)

    response = client.get(path)

    assert response.status_code == 200
    assert "private" in _cache_control(response)
    assert "public" not in _cache_control(response)


def test_token_api_response_is_private_to_shared_caches(api, alice):
    TopicFactory(slug="chips")
    _, token = api_token_create(user=alice, name="CLI")

    response = api.get("/api/v1/topics/chips/", HTTP_AUTHORIZATION=f"Token {token}")

    assert response.status_code == 200
    assert "private" in _cache_control(response)
    assert {"Cookie", "Authorization"} <= {v.strip() for v in response["Vary"].split(",")}


def test_session_api_response_is_private_to_shared_caches(api, alice):
    TopicFactory(slug="chips")
    api.force_login(alice)

    response = api.get("/api/v1/topics/chips/")

    assert (response.status_code, "private" in _cache_control(response)) == (200, True)


def test_visitor_page_is_not_marked_private(client):
    TopicFactory(slug="chips")

    response = client.get("/topics/chips/")

    assert "private" not in _cache_control(response)


# --- The site version: every visitor-visible write moves it, in its own transaction -----------


def _hide(moderator, target_type, obj):
    return moderation.content_hide(moderator=moderator, target_type=target_type, obj=obj,
                                   reason="Off topic.")


def _edit_profile(world):
    page = Client()
    page.force_login(world["alice"])
    response = page.post("/me/profile/", {"display_name": "Alice A.", "affiliation": "",
                                          "bio": "", "links": "", "conflict_of_interest": ""})
    assert response.status_code == 302


def _admin_edit_topic(world):
    from django.contrib.admin.sites import site

    from registry.models import Topic

    request = RequestFactory().post("/admin/")
    request.user = world["moderator"]
    topic = world["topic"]
    topic.expert_name = "Dr. Expert"
    site._registry[Topic].save_model(request, topic, form=None, change=True)


VISITOR_VISIBLE_WRITES = {
    "claim": lambda w: services.claim_create(topic=w["other"], person=w["bob"], plan="Plan."),
    "claim released": lambda w: services.claim_release(claim=w["claim"], actor=w["alice"]),
    "writeup published": lambda w: services.writeup_publish(writeup=w["draft"],
                                                            actor=w["alice"]),
    "writeup edited": lambda w: services.writeup_update(writeup=w["writeup"], editor=w["alice"],
                                                       title="A better title"),
    "writeup deleted": lambda w: services.writeup_delete(writeup=w["writeup"], actor=w["alice"]),
    "writeup hidden": lambda w: _hide(w["moderator"], "writeup", w["writeup"]),
    "writeup unhidden": lambda w: moderation.content_unhide(
        moderator=w["moderator"], target_type="writeup", obj=w["hidden"],
        reason="Fine after all."),
    "proposal created": lambda w: ProposalFactory(topic=w["topic"], author=w["alice"]),
    "proposal moved": lambda w: proposal_move(proposal=w["proposal"], to="proposal",
                                              actor=w["alice"]),
    "proposal edited": lambda w: proposal_update(proposal=w["proposal"], actor=w["alice"],
                                                 title="Sharper"),
    "proposal hidden": lambda w: _hide(w["moderator"], "proposal", w["proposal"]),
    "profile edited": _edit_profile,
    "profile hidden": lambda w: _hide(w["moderator"], "profile",
                                      services.profile_for(w["alice"])),
    "topic listed": lambda w: services.topic_decide(topic=w["suggestion"],
                                                    moderator=w["moderator"], state="listed"),
    "topic hidden": lambda w: _hide(w["moderator"], "suggestion", w["suggestion"]),
    "topic edited in the admin": _admin_edit_topic,
    "funder interest": lambda w: FunderInterestFactory(topic=w["other"]),
    # What a topic page's shared lists show too (registry/topic_detail.html): claims going
    # dormant, recognitions and their evidence, and the comment counts of its writeups.
    "claims marked dormant": lambda w: services.claims_mark_dormant(
        now=timezone.now() + datetime.timedelta(days=365)),
    "writeup endorsed": lambda w: services.endorsement_create(
        writeup=w["writeup"], endorser=w["moderator"],
        statement="Careful work that sets out its sources and tests each claim against them."),
    "recognition recorded": lambda w: services.recognition_record(
        topic=w["topic"], moderator=w["moderator"], name="Dr. Outside",
        work_title="A book", reason="Known for it."),
    "writeup commented": lambda w: comment_services.comment_create(
        target=w["writeup"], author=w["bob"], body="A question."),
    "endorsement retracted": lambda w: services.endorsement_retract(
        endorsement=w["endorsement"], actor=w["moderator"]),
    # A thread is shared by its readers too (feedback/comments/_thread.html).
    "comment edited": lambda w: comment_services.comment_update(
        comment=w["comment"], editor=w["bob"], body="A sharper question."),
    "comment deleted": lambda w: comment_services.comment_delete(comment=w["comment"],
                                                                 actor=w["bob"]),
    "comment hidden": lambda w: _hide(w["moderator"], "comment", w["comment"]),
}


@pytest.fixture
def world(alice, bob, moderator):
    topic = TopicFactory(slug="chips")
    claim = services.claim_create(topic=topic, person=alice, plan="A survey.")
    return {
        "alice": alice, "bob": bob, "moderator": moderator, "topic": topic, "claim": claim,
        "other": TopicFactory(slug="compute"),
        "writeup": (writeup := WriteupFactory(topic=topic, author=alice, published=True)),
        "comment": comment_services.comment_create(target=writeup, author=bob,
                                                   body="Which sources?"),
        "endorsement": services.endorsement_create(
            writeup=WriteupFactory(topic=topic, author=bob, published=True),
            endorser=moderator,
            statement="A survey that sets out its sources and tests each claim against them."),
        "draft": WriteupFactory(topic=topic, author=alice),
        "hidden": _hide(moderator, "writeup", WriteupFactory(topic=topic, published=True)),
        "proposal": ProposalFactory(topic=topic, author=alice),
        "suggestion": services.topic_suggest(person=bob, title="Model weights", reason="Gap.",
                                             cluster=topic.cluster),
    }


@pytest.mark.parametrize("write", VISITOR_VISIBLE_WRITES.values(),
                         ids=VISITOR_VISIBLE_WRITES.keys())
def test_site_version_moves_on_every_visitor_visible_write(world, write):
    before = int(site_version())

    write(world)

    assert int(site_version()) > before


def test_visitor_page_after_a_hide_is_404_at_once(client, alice, moderator):
    writeup = WriteupFactory(author=alice, published=True)
    assert client.get(f"/api/v1/writeups/{writeup.pk}/").status_code == 200

    _hide(moderator, "writeup", writeup)

    assert client.get(f"/api/v1/writeups/{writeup.pk}/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_visitor_page_after_a_hide_committed_after_a_later_stamped_change_is_404(
        alice, bob, moderator, monkeypatch):
    """The issue's scenario, with real commits: the hide's transaction took its clock reading
    before an unrelated change that committed first. A version taken from that clock (the
    newest TopicStats.refreshed_at) stayed put when the hide committed."""
    writeup = WriteupFactory(author=alice, published=True, title="Export rules explained")
    other = TopicFactory(slug="compute")
    start = timezone.now()
    visitor = Client()
    topic_page = f"/topics/{writeup.topic.slug}/"

    monkeypatch.setattr(timezone, "now", lambda: start + datetime.timedelta(seconds=2))
    services.claim_create(topic=other, person=bob, plan="Later stamped, committed first.")
    assert visitor.get(f"/api/v1/writeups/{writeup.pk}/").status_code == 200  # now cached
    assert b"Export rules explained" in visitor.get(topic_page).content  # cached too
    monkeypatch.setattr(timezone, "now", lambda: start + datetime.timedelta(seconds=1))
    _hide(moderator, "writeup", writeup)  # stamped earlier, committed later

    assert visitor.get(f"/api/v1/writeups/{writeup.pk}/").status_code == 404
    assert b"Export rules explained" not in visitor.get(topic_page).content


def test_request_site_version_signed_in_comes_with_the_person(alice, rf,
                                                               django_assert_num_queries):
    """The person's own query read the version (person_with_header): no query of its own."""
    from registry.core.caching import request_site_version
    from registry.moderation.context_processors import person_with_header

    TopicFactory()  # a write: the version is past 0
    request = rf.get("/gaps/")
    with django_assert_num_queries(1):
        request.user = person_with_header(alice.pk)
        version = request_site_version(request)

    assert version == site_version() != "0"


def test_request_site_version_after_the_request_moves_it_is_read_again(alice, rf):
    """A request that read the version, then wrote (a claim moves the version), keys what it
    renders next on the new version: the writer sees their own change."""
    from registry.core.caching import request_site_version
    from registry.moderation.context_processors import person_with_header

    request = rf.get("/gaps/")
    request.user = person_with_header(alice.pk)
    before = request_site_version(request)
    services.claim_create(topic=TopicFactory(), person=alice, plan="A plan.")

    after = request_site_version(request)

    assert (after == before, after) == (False, site_version())
