"""Who hears of a comment, each once and only if they may see it: mentions, replies, the
item's authors and the followers of the discussion and of the topic; rows withheld once the
comment is hidden or deleted; following a writeup's discussion."""

import pytest
from django.core import mail

from registry.feedback.models import Mention
from registry.feedback.services import comments as services
from registry.moderation.services import content_hide, content_unhide
from registry.notifications import selectors as notification_selectors
from registry.notifications import services as notifications
from registry.notifications.models import Notification
from tests.factories import ProposalFactory, UserFactory, WriteupFactory, co_author_add
from tests.feedback.factories import CommentFactory


@pytest.fixture(autouse=True)
def _no_batch_window(settings):
    settings.GAPMAP_NOTIFY_BATCH_MINUTES = 0
    settings.GAPMAP_SITE_URL = "https://gapmap.test"


def _heard() -> list[tuple[str, str, str]]:
    return sorted(Notification.objects.values_list("recipient__username", "kind", "text"))


# --- Mentions ---------------------------------------------------------------------------------

def test_mention_links_the_person_by_display_name_and_tells_them(writeup, bob, charlie):
    comment = services.comment_create(target=writeup, author=bob,
                                      body="Ask @Charlie, not @nobody or bob@example.org.")

    assert comment.body_html == (
        '<p>Ask <a class="mention" href="/people/charlie/">@Charlie</a>, not @nobody or '
        "bob@example.org.</p>\n")
    assert list(Mention.objects.values_list("person__username", "notified")) == [
        ("charlie", True)]
    assert ("charlie", "mentioned",
            "Bob mentioned you in a comment on “On verification”: “Ask @Charlie, not @nobody "
            "or bob@example.org.”") in _heard()


def test_mention_in_code_or_a_link_stays_as_typed(writeup, bob, charlie):
    comment = services.comment_create(
        target=writeup, author=bob, body="`@charlie` and [@charlie](https://example.org/).")
    assert comment.body_html == ('<p><code>@charlie</code> and <a href="https://example.org/" '
                                 'rel="nofollow noopener">@charlie</a>.</p>\n')


def test_mention_display_name_is_escaped(writeup, bob):
    person = UserFactory(username="eve")
    person.profile.display_name = '<script>alert(1)</script>"'
    person.profile.save()

    comment = services.comment_create(target=writeup, author=bob, body="cc @eve")

    assert comment.body_html == ('<p>cc <a class="mention" href="/people/eve/">'
                                 "@&lt;script&gt;alert(1)&lt;/script&gt;&quot;</a></p>\n")


def test_mention_of_an_inactive_account_or_oneself_tells_nobody(writeup, bob):
    UserFactory(username="gone", is_active=False)
    comment = services.comment_create(target=writeup, author=bob, body="@gone @bob")
    assert comment.body_html == ('<p>@gone <a class="mention" href="/people/bob/">@Bob</a></p>\n')
    assert Mention.objects.count() == 0
    assert [row for row in _heard() if row[1] == "mentioned"] == []


def test_mention_of_someone_who_cannot_see_the_proposal_is_kept_untold(alice, moderator,
                                                                       charlie):
    proposal = ProposalFactory(author=alice, title="Quiet")
    comment = CommentFactory(target=proposal, author=alice, body="A first thought.")
    content_hide(moderator=moderator, target_type="proposal", obj=proposal, reason="Spam.")

    # Its author still sees the hidden proposal and edits her comment to name charlie.
    services.comment_update(comment=comment, editor=alice, body="What do you think, @charlie?")

    assert list(Mention.objects.values_list("person__username", "notified")) == [
        ("charlie", False)]
    assert [row for row in _heard() if row[0] == "charlie"] == []


def test_mention_added_by_an_edit_tells_only_the_newly_named(writeup, bob, charlie, dave):
    comment = services.comment_create(target=writeup, author=bob, body="cc @charlie")

    services.comment_update(comment=comment, editor=bob, body="cc @charlie @dave")

    assert [row[0] for row in _heard() if row[1] == "mentioned"] == ["charlie", "dave"]
    assert sorted(Mention.objects.values_list("person__username", flat=True)) == [
        "charlie", "dave"]


def test_mention_removed_by_an_edit_is_no_longer_listed(writeup, bob, charlie):
    comment = services.comment_create(target=writeup, author=bob, body="cc @charlie")
    services.comment_update(comment=comment, editor=bob, body="Never mind.")
    assert Mention.objects.count() == 0


@pytest.fixture
def dave(db):
    return UserFactory(username="dave")


# --- Who hears of a comment -------------------------------------------------------------------

def test_comment_tells_the_author_and_the_followers_of_the_discussion_and_topic(
        writeup, alice, bob, charlie, dave):
    notifications.follow_create(person=charlie, topic=writeup.topic)
    notifications.follow_create(person=dave, writeup=writeup)

    services.comment_create(target=writeup, author=bob, body="Interesting.")

    text = "Bob commented on “On verification”: “Interesting.”"
    assert _heard() == [("alice", "comment_posted", text), ("charlie", "comment_posted", text),
                        ("dave", "comment_posted", text)]


def test_comment_author_hears_nothing_of_their_own(writeup, alice):
    services.comment_create(target=writeup, author=alice, body="An addendum.")
    assert _heard() == []


def test_comment_on_a_proposal_tells_its_author_and_co_authors(alice, bob, charlie):
    proposal = co_author_add(ProposalFactory(author=alice, title="Checklists"), bob)
    Notification.objects.all().delete()

    services.comment_create(target=proposal, author=charlie, body="Who pays?", aspect="ask")

    text = "Charlie commented on “Checklists”: “Who pays?”"
    assert _heard() == [("alice", "comment_posted", text), ("bob", "comment_posted", text)]


def test_comment_reply_tells_the_comments_author_once(writeup, alice, bob, charlie, dave):
    top = services.comment_create(target=writeup, author=bob, body="A question.")
    reply = services.comment_create(target=writeup, author=charlie, body="An answer.",
                                    parent=top)
    Notification.objects.all().delete()

    services.comment_create(target=writeup, author=dave, body="And @charlie is right.",
                            parent=reply)

    assert _heard() == [
        ("alice", "comment_posted", "Dave commented on “On verification”: “And @charlie is "
                                    "right.”"),
        ("bob", "comment_posted", "Dave replied to your comment on “On verification”: “And "
                                  "@charlie is right.”"),
        ("charlie", "mentioned", "Dave mentioned you in a comment on “On verification”: “And "
                                 "@charlie is right.”")]


def test_comment_quote_is_cut_to_two_hundred_characters(writeup, bob):
    services.comment_create(target=writeup, author=bob, body="word " * 100)
    (text,) = Notification.objects.values_list("text", flat=True)
    assert text == f"Bob commented on “On verification”: “{('word ' * 40).strip()}…”"


def test_comment_notification_links_to_its_permalink(writeup, bob, alice):
    comment = services.comment_create(target=writeup, author=bob, body="Hi.")
    row = Notification.objects.get(recipient=alice)
    assert (row.comment_id, row.writeup_id, row.get_absolute_url()) == (
        comment.pk, writeup.pk, f"/comments/{comment.pk}/")


def test_comment_notification_is_e_mailed_with_its_link(writeup, bob, alice):
    comment = services.comment_create(target=writeup, author=bob, body="Hi.")
    notifications.notifications_retry()
    assert len(mail.outbox) == 1
    assert f"https://gapmap.test/comments/{comment.pk}/" in mail.outbox[0].body


# --- Withheld once hidden or deleted ----------------------------------------------------------

def _inbox(person) -> list[str]:
    return list(notification_selectors.notifications_for(person).values_list("text", flat=True))


def test_comment_notifications_withheld_while_hidden_and_back_when_shown(writeup, alice, bob,
                                                                         moderator):
    comment = services.comment_create(target=writeup, author=bob, body="Rude words.")
    content_hide(moderator=moderator, target_type="comment", obj=comment, reason="Rude.")

    assert (_inbox(alice), notification_selectors.unread_count(alice)) == ([], 0)
    assert len(_inbox(moderator)) == 0  # the moderator was never told of it
    content_unhide(moderator=moderator, target_type="comment", obj=comment, reason="Fine.")
    assert _inbox(alice) == ["Bob commented on “On verification”: “Rude words.”"]


def test_comment_notifications_withheld_once_deleted_and_never_e_mailed(writeup, alice, bob):
    comment = services.comment_create(target=writeup, author=bob, body="Oops.")
    services.comment_delete(comment=comment, actor=bob)

    assert _inbox(alice) == []
    notifications.notifications_retry()
    assert mail.outbox == []
    assert Notification.objects.get(recipient=alice).email_state == "none"


def test_comment_reply_hidden_is_withheld_from_the_parents_author(writeup, alice, bob,
                                                                    moderator):
    top = services.comment_create(target=writeup, author=alice, body="My own.")
    reply = services.comment_create(target=writeup, author=bob, body="A reply.", parent=top)
    content_hide(moderator=moderator, target_type="comment", obj=reply, reason="Rude.")
    # alice hears of bob's reply, which is hidden from her: withheld.
    assert _inbox(alice) == []


# --- Following a writeup's discussion ---------------------------------------------------------

def test_writeup_follow_page_and_settings_list(client, writeup, charlie, moderator):
    client.force_login(charlie)

    response = client.post(f"/writeups/{writeup.pk}/follow/", {"action": "follow"})

    assert (response.status_code, response["Location"]) == (302, f"/writeups/{writeup.pk}/")
    assert notification_selectors.follows(charlie, writeup=writeup) is True
    page = client.get("/me/notifications/settings/").content.decode()
    assert ("The discussion of the writeup "
            f'<a href="/writeups/{writeup.pk}/">On verification</a>') in page
    content_hide(moderator=moderator, target_type="writeup", obj=writeup, reason="Spam.")
    page = client.get("/me/notifications/settings/").content.decode()
    assert "A writeup that is no longer shown" in page
    assert "On verification" not in page
    response = client.post(f"/writeups/{writeup.pk}/follow/", {"action": "unfollow"})
    assert response.status_code == 302
    assert notification_selectors.follows(charlie, writeup=writeup) is False


def test_writeup_follow_api_and_not_a_draft(api_as, alice, charlie, writeup):
    client = api_as(charlie)
    assert client.post(f"/api/v1/writeups/{writeup.pk}/follow/").status_code == 201
    assert notification_selectors.follows(charlie, writeup=writeup) is True
    assert client.delete(f"/api/v1/writeups/{writeup.pk}/follow/").status_code == 204
    assert notification_selectors.follows(charlie, writeup=writeup) is False
    draft = WriteupFactory(author=alice)
    assert api_as(alice).post(f"/api/v1/writeups/{draft.pk}/follow/").status_code == 404
    assert client.post("/api/v1/writeups/999999/follow/").status_code == 404


def test_writeup_follow_button_on_the_writeup_page(client, writeup, charlie):
    client.force_login(charlie)
    page = client.get(f"/writeups/{writeup.pk}/").content.decode()
    assert f'action="/writeups/{writeup.pk}/follow/"' in page
    notifications.follow_create(person=charlie, writeup=writeup)
    page = client.get(f"/writeups/{writeup.pk}/").content.decode()
    assert '<input type="hidden" name="action" value="unfollow">' in page
