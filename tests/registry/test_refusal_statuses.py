"""Every page that calls a service answers a refusal with the refusal's own status: 400 for
bad fields, 409 for a conflict with the current state, 412 for a stale version, shown on the
form with what was typed; 403 and 404 from Django's own pages (registry.core.errors,
registry.core.forms.submit)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from registry import services
from registry.core.errors import (
    AlreadyClaimed,
    Conflict,
    NotAllowed,
    NotVisible,
    Refusal,
    StaleVersion,
    ValidationFailed,
)
from registry.moderation.services import content_hide, report_create
from tests.factories import ClaimFactory, FunderFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_service_errors_are_djangos_403_and_404_and_refusals_share_a_base():
    assert issubclass(NotAllowed, PermissionDenied)
    assert issubclass(NotVisible, Http404)
    assert [issubclass(cls, Refusal) for cls in (ValidationFailed, Conflict, StaleVersion,
                                                  AlreadyClaimed)] == [True] * 4
    assert (issubclass(NotAllowed, Refusal), issubclass(NotVisible, Refusal)) == (False, False)


@pytest.fixture
def writeup(alice):
    """alice's published writeup."""
    writeup = services.writeup_create(topic=TopicFactory(), author=alice, title="T",
                                      kind="plan", body="B")
    services.writeup_publish(writeup=writeup, actor=alice)
    return writeup


def _body(response):
    return response.content.decode()


def test_claim_twice_is_409_with_the_reason_on_the_page(client, alice):
    ClaimFactory(person=alice, topic=TopicFactory(slug="chips"))
    client.force_login(alice)
    response = client.post("/topics/chips/claim/", {"plan": "again"})
    assert response.status_code == 409
    assert "You already hold an active claim on this topic." in _body(response)


def test_writeup_edit_with_stale_version_is_412_keeping_the_typing(client, alice):
    writeup = services.writeup_create(topic=TopicFactory(), author=alice, title="T",
                                      kind="plan", body="Mine")
    services.writeup_update(writeup=writeup, editor=alice, body="Theirs")
    client.force_login(alice)
    response = client.post(f"/writeups/{writeup.pk}/edit/", {
        "title": "T", "kind": "plan", "body": "My typing", "external_url": "", "version": 1})
    assert response.status_code == 412
    assert "My typing" in _body(response)


def test_publish_twice_is_409_on_the_writeup_page(client, alice, writeup):
    client.force_login(alice)
    response = client.post(f"/writeups/{writeup.pk}/publish/")
    assert response.status_code == 409
    assert ('<div role="alert"><ul class="errors"><li>This writeup is already published.</li>'
            in _body(response))


def test_publish_of_another_persons_draft_is_django_404(client, alice, bob):
    writeup = services.writeup_create(topic=TopicFactory(), author=alice, title="T",
                                      kind="plan", body="B")
    client.force_login(bob)
    assert client.post(f"/writeups/{writeup.pk}/publish/").status_code == 404


def test_claim_release_by_someone_else_is_403(client, alice, bob):
    claim = ClaimFactory(person=alice)
    client.force_login(bob)
    assert client.post(f"/claims/{claim.pk}/release/", {"note": ""}).status_code == 403


def test_decline_without_a_reason_is_400_beside_the_field(client, alice, moderator):
    topic = services.topic_suggest(person=alice, title="New", cluster=TopicFactory().cluster,
                                   reason="Why")
    client.force_login(moderator)
    response = client.post(f"/topics/{topic.slug}/decide/",
                           {"state": "declined", f"t{topic.pk}-note": ""})
    assert response.status_code == 400


def test_second_report_is_409_on_the_report_form(client, alice, bob, writeup):
    report_create(reporter=bob, target_type="writeup", target_id=writeup.pk, reason="spam")
    client.force_login(bob)
    response = client.post(f"/report/writeup/{writeup.pk}/", {"reason": "spam", "note": "x"})
    assert response.status_code == 409
    assert "You have already reported this" in _body(response)
    assert '<option value="spam" selected>' in _body(response)
    assert "x</textarea>" in _body(response)


def test_hide_without_a_reason_is_400_on_the_queue(client, alice, moderator, writeup):
    client.force_login(moderator)
    response = client.post(f"/moderation/writeup/{writeup.pk}/hide/", {"reason": ""})
    assert response.status_code == 400
    assert "Give a reason" not in _body(response)


def test_unhide_of_something_shown_is_409_on_the_queue(client, alice, moderator, writeup):
    client.force_login(moderator)
    response = client.post(f"/moderation/writeup/{writeup.pk}/unhide/", {"reason": "Fine."})
    assert response.status_code == 409
    assert "This is not hidden." in _body(response)


def test_hide_by_a_non_moderator_is_403(client, alice, bob):
    writeup = services.writeup_create(topic=TopicFactory(), author=alice, title="T",
                                      kind="plan", body="B")
    client.force_login(bob)
    assert client.post(f"/moderation/writeup/{writeup.pk}/hide/",
                       {"reason": "x"}).status_code == 403


def test_interest_by_a_non_funder_is_403(client, alice):
    topic = TopicFactory(slug="chips")
    client.force_login(alice)
    assert client.post("/topics/chips/interest/", {"note": "Keen", "amount_range": "",
                                                   "visibility": "public"}).status_code == 403
    assert topic.funder_interests.count() == 0


def test_interest_on_a_suggested_topic_is_404(client, alice):
    topic = services.topic_suggest(person=alice, title="New", cluster=TopicFactory().cluster,
                                   reason="Why")
    client.force_login(FunderFactory(username="fiona"))
    response = client.post(f"/topics/{topic.slug}/interest/",
                           {"note": "Keen", "amount_range": "", "visibility": "public"})
    assert response.status_code == 404


def test_withdraw_without_interest_is_404(client):
    TopicFactory(slug="chips")
    client.force_login(FunderFactory(username="fiona"))
    response = client.post("/topics/chips/interest/", {"withdraw": "1", "confirm": "yes"})
    assert response.status_code == 404


def test_profile_edit_with_a_bad_link_is_400(client, alice):
    client.force_login(alice)
    response = client.post("/me/profile/", {"display_name": "Alice", "affiliation": "",
                                            "bio": "", "links": "javascript:alert(1)",
                                            "disclosure": ""})
    assert response.status_code == 400


def test_blank_hide_reason_is_400_not_200(client, moderator, writeup):
    content_hide(moderator=moderator, target_type="writeup", obj=writeup, reason="Spam.")
    client.force_login(moderator)
    response = client.post(f"/moderation/writeup/{writeup.pk}/hide/", {"reason": "  "})
    assert response.status_code == 400


def test_saving_a_writeup_again_after_a_412_replaces_the_other_change(client, alice):
    writeup = services.writeup_create(topic=TopicFactory(), author=alice, title="T",
                                      kind="plan", body="Mine")
    services.writeup_update(writeup=writeup, editor=alice, body="Theirs")
    client.force_login(alice)
    typed = {"title": "T", "kind": "plan", "body": "My typing", "external_url": ""}
    stale = client.post(f"/writeups/{writeup.pk}/edit/", {**typed, "version": 1})
    assert stale.status_code == 412
    assert 'name="version" value="2"' in stale.content.decode()
    again = client.post(f"/writeups/{writeup.pk}/edit/", {**typed, "version": 2})
    assert again.status_code == 302
    writeup.refresh_from_db()
    assert (writeup.body, writeup.version) == ("My typing", 3)
