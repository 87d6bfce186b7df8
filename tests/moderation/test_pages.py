import pytest
from django.urls import reverse

from registry.models import Profile
from registry.moderation import services
from registry.moderation.models import ModerationAction, Report
from tests.factories import ProposalFactory, ReportFactory, TopicFactory, WriteupFactory

NOTICE = "Hidden by a moderator: Spam links."
AUTO_NOTICE = "Hidden after several reports, awaiting review."


@pytest.fixture
def topic(db):
    return TopicFactory(slug="verification", title="Verification")


@pytest.fixture
def writeup(alice, topic):
    return WriteupFactory(author=alice, topic=topic, published=True, title="Buy pills",
                          body="The secret body text.")


def _hide(obj, target_type, moderator, reason="Spam links."):
    services.content_hide(moderator=moderator, target_type=target_type, obj=obj, reason=reason)


def _get(client, user, url):
    if user is not None:
        client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize("viewer", [None, "bob", "charlie"])
def test_writeup_page_hidden_shows_notice_instead_of_content_to_others(
        client, writeup, moderator, viewer, request):
    _hide(writeup, "writeup", moderator)
    user = request.getfixturevalue(viewer) if viewer else None
    page = _get(client, user, writeup.get_absolute_url()).content.decode()
    assert NOTICE in page
    assert "The secret body text." not in page
    assert "Buy pills" not in page


@pytest.mark.parametrize("viewer", ["alice", "moderator"])
def test_writeup_page_hidden_intact_for_author_and_moderator(client, writeup, moderator, viewer,
                                                             request):
    _hide(writeup, "writeup", moderator)
    page = _get(client, request.getfixturevalue(viewer), writeup.get_absolute_url())
    body = page.content.decode()
    assert page.status_code == 200
    assert NOTICE in body
    assert "The secret body text." in body


def test_writeup_version_page_hidden_not_found_for_others(client, writeup, moderator, charlie):
    _hide(writeup, "writeup", moderator)
    url = reverse("registry:writeup-version", kwargs={"pk": writeup.pk, "number": 1})
    assert _get(client, charlie, url).status_code == 404


def test_topic_page_leaves_hidden_writeup_out_for_others(client, writeup, topic, moderator,
                                                         charlie, alice):
    _hide(writeup, "writeup", moderator)
    assert "Buy pills" not in _get(client, charlie, topic.get_absolute_url()).content.decode()
    assert "Buy pills" in _get(client, alice, topic.get_absolute_url()).content.decode()


def test_auto_hidden_writeup_shows_review_notice(client, writeup, charlie, settings):
    settings.GAPMAP_REPORTS_TO_HIDE = 1
    settings.GAPMAP_REPORT_MIN_ACCOUNT_AGE_DAYS = 0  # the factory's new reporter has standing
    ReportFactory(target_type="writeup", target_id=writeup.pk)
    body = _get(client, charlie, writeup.get_absolute_url()).content.decode()
    assert AUTO_NOTICE in body
    assert "The secret body text." not in body


def test_proposal_page_hidden_shows_notice_and_board_leaves_it_out(client, alice, moderator,
                                                                    charlie):
    proposal = ProposalFactory(author=alice, title="Shady ask", ask="Send money to me.")
    _hide(proposal, "proposal", moderator)
    body = _get(client, charlie, proposal.get_absolute_url()).content.decode()
    assert NOTICE in body
    assert "Send money to me." not in body
    assert "Shady ask" not in client.get(reverse("proposals:board")).content.decode()
    client.force_login(alice)
    assert "Send money to me." in client.get(proposal.get_absolute_url()).content.decode()


def test_profile_page_hidden_shows_notice_to_others(client, alice, moderator, charlie):
    alice.profile.bio = "Call me at 555-0100."
    alice.profile.save()
    _hide(alice.profile, "profile", moderator)
    url = reverse("registry:profile", kwargs={"username": "alice"})
    body = _get(client, charlie, url).content.decode()
    assert NOTICE in body
    assert "555-0100" not in body
    assert "555-0100" in _get(client, alice, url).content.decode()


def test_search_leaves_hidden_writeup_out(client, writeup, moderator):
    assert "Buy pills" in client.get("/search/?q=secret").content.decode()
    _hide(writeup, "writeup", moderator)
    assert "Buy pills" not in client.get("/search/?q=secret").content.decode()


def test_feed_and_export_leave_hidden_writeup_out(client, writeup, moderator):
    _hide(writeup, "writeup", moderator)
    assert "Buy pills" not in client.get("/feeds/writeups/").content.decode()
    export = b"".join(client.get("/export/writeups.json").streaming_content).decode()
    assert export == "[\n]\n"


def test_report_button_posts_a_report(client, writeup, bob):
    client.force_login(bob)
    page = client.get(writeup.get_absolute_url()).content.decode()
    action = reverse("moderation:report", kwargs={"target_type": "writeup",
                                                  "target_id": writeup.pk})
    assert f'action="{action}"' in page
    response = client.post(action, {"reason": "spam", "note": "Ads.",
                                    "next": writeup.get_absolute_url()})
    assert response.status_code == 302
    assert response["Location"] == writeup.get_absolute_url()
    assert list(Report.objects.values_list("reporter__username", "target_type", "target_id",
                                           "reason", "note", "state")) == [
        ("bob", "writeup", writeup.pk, "spam", "Ads.", "open")]


def test_report_twice_by_form_keeps_one_report(client, writeup, bob):
    client.force_login(bob)
    url = reverse("moderation:report", kwargs={"target_type": "writeup",
                                               "target_id": writeup.pk})
    client.post(url, {"reason": "spam"})
    response = client.post(url, {"reason": "abuse"}, follow=True)
    assert "You have already reported this" in response.content.decode()
    assert Report.objects.count() == 1


def test_report_anonymous_redirected_to_login(client, writeup):
    url = reverse("moderation:report", kwargs={"target_type": "writeup",
                                               "target_id": writeup.pk})
    response = client.post(url, {"reason": "spam"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert Report.objects.count() == 0


def test_report_unknown_type_or_draft_not_found(client, alice, bob):
    draft = WriteupFactory(author=alice)
    client.force_login(bob)
    assert client.get(f"/report/writeup/{draft.pk}/").status_code == 404
    assert client.get(f"/report/comment/{draft.pk}/").status_code == 404


def test_moderation_queue_anonymous_redirected_to_login(client):
    response = client.get("/moderation/")
    assert (response.status_code, response["Location"]) == (
        302, "/accounts/login/?next=/moderation/")


@pytest.mark.parametrize("person", ["alice", "bob", "charlie"])
def test_moderation_queue_it_checks_moderator(client, person, request):
    client.force_login(request.getfixturevalue(person))
    assert client.get("/moderation/").status_code == 403


@pytest.mark.parametrize("person", ["alice", "charlie"])
def test_moderation_hide_it_checks_moderator(client, writeup, person, request):
    client.force_login(request.getfixturevalue(person))
    response = client.post(f"/moderation/writeup/{writeup.pk}/hide/", {"reason": "x"})
    assert response.status_code == 403
    writeup.refresh_from_db()
    assert writeup.hidden is False


def test_moderation_queue_groups_open_reports_newest_first(client, writeup, alice, moderator):
    proposal = ProposalFactory(author=alice, title="Older target")
    ReportFactory(target_type="proposal", target_id=proposal.pk, note="<script>x</script>")
    ReportFactory(target_type="writeup", target_id=writeup.pk)
    ReportFactory(target_type="writeup", target_id=writeup.pk)
    client.force_login(moderator)
    body = client.get("/moderation/").content.decode()
    assert body.index("Buy pills") < body.index("Older target")
    assert body.count('class="report-count"') == 2
    assert '<span class="report-count">2</span> open reports from 2 people' in body
    assert '<span class="report-count">1</span> open report from 1 person' in body
    assert "&lt;script&gt;x&lt;/script&gt;" in body
    assert "<script>x</script>" not in body


def test_moderation_hide_and_unhide_by_form_logged_and_shown(client, writeup, moderator):
    client.force_login(moderator)
    response = client.post(f"/moderation/writeup/{writeup.pk}/hide/", {"reason": "Ads."})
    assert (response.status_code, response["Location"]) == (302, "/moderation/")
    client.post(f"/moderation/writeup/{writeup.pk}/unhide/", {"reason": "Appeal granted."})
    writeup.refresh_from_db()
    assert (writeup.hidden, writeup.hidden_reason) == (False, "")
    assert list(ModerationAction.objects.order_by("id").values_list(
        "actor__username", "kind", "reason")) == [("mod", "hide", "Ads."),
                                                  ("mod", "unhide", "Appeal granted.")]
    body = client.get("/moderation/").content.decode()
    assert body.count('class="moderation-action"') == 2
    assert "<q>Appeal granted.</q>" in body


def test_moderation_hide_without_reason_refused(client, writeup, moderator):
    client.force_login(moderator)
    response = client.post(f"/moderation/writeup/{writeup.pk}/hide/", {"reason": ""})
    assert response.status_code == 400
    assert ModerationAction.objects.count() == 0


def test_moderation_decide_resolves_report(client, writeup, moderator):
    report = ReportFactory(target_type="writeup", target_id=writeup.pk)
    client.force_login(moderator)
    response = client.post(f"/moderation/reports/{report.pk}/decide/",
                           {"outcome": "dismissed", "note": "Not spam."})
    report.refresh_from_db()
    assert response.status_code == 302
    assert (report.state, report.decided_by, report.decision_note) == (
        "dismissed", moderator, "Not spam.")
    page = client.get("/moderation/").content.decode()
    assert ('<div class="empty"><p>No open reports. When someone reports a writeup, proposal, '
            'comment, suggestion or profile, it appears here grouped by item') in page
    assert 'href="/topics/suggestions/">Topic suggestions waiting for a decision</a>' in page


def test_moderation_queue_names_reporters_and_moderators_as_everyone_sees_them(
        client, writeup, moderator, bob):
    Profile.objects.filter(user=bob).update(display_name="Bob Okafor")
    Profile.objects.filter(user=moderator).update(display_name="Mia Moderator")
    ReportFactory(target_type="writeup", target_id=writeup.pk, reporter=bob)
    _hide(ProposalFactory(), "proposal", moderator)
    client.force_login(moderator)
    body = client.get("/moderation/").content.decode()
    assert ' by <a href="/people/bob/">Bob Okafor</a>, ' in body
    assert '<a href="/people/mod/">Mia Moderator</a> hid proposal' in body
