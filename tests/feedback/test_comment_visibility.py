"""One visibility rule for comments (comments_visible_to): a comment is seen by whoever sees
its writeup or proposal, and a hidden comment whole only by its author and the moderators."""

import pytest
from django.contrib.auth.models import AnonymousUser

from registry import services as registry_services
from registry.feedback.selectors.comments import comments_visible_to
from registry.moderation.services import content_hide
from tests.factories import ProposalFactory, UserFactory, WriteupFactory
from tests.feedback.factories import CommentFactory

VIEWERS = ["visitor", "outsider", "commenter", "item author", "moderator"]


@pytest.fixture
def people(alice, bob, charlie, moderator):
    return {"visitor": AnonymousUser(), "outsider": charlie, "commenter": bob,
            "item author": alice, "moderator": moderator}


def _hide(moderator, target_type, obj):
    content_hide(moderator=moderator, target_type=target_type, obj=obj, reason="Abuse.")


def _situation(name, alice, bob, moderator):
    """A comment of bob's in the given situation."""
    writeup = WriteupFactory(author=alice, published=True)
    if name == "on a proposal":
        return CommentFactory(target=ProposalFactory(author=alice), author=bob)
    comment = CommentFactory(target=writeup, author=bob)
    if name == "hidden comment":
        _hide(moderator, "comment", comment)
    elif name == "on a hidden writeup":
        _hide(moderator, "writeup", writeup)
    elif name == "on a hidden proposal":
        proposal = ProposalFactory(author=alice)
        comment = CommentFactory(target=proposal, author=bob)
        _hide(moderator, "proposal", proposal)
    elif name == "on a hidden topic":
        topic = registry_services.topic_suggest(person=alice, title="A new gap",
                                                reason="Because.", cluster=writeup.topic.cluster)
        topic = registry_services.topic_decide(topic=topic, moderator=moderator, state="listed",
                                               note="Yes.")
        comment = CommentFactory(target=WriteupFactory(author=alice, topic=topic,
                                                       published=True), author=bob)
        _hide(moderator, "suggestion", topic)
    elif name == "on a deleted writeup":
        registry_services.writeup_delete(writeup=writeup, actor=alice)
    return comment


#                         visitor outsider commenter item-author moderator
EXPECTED = {
    "on a writeup":        (True, True, True, True, True),
    "on a proposal":       (True, True, True, True, True),
    "hidden comment":      (False, False, True, False, True),
    "on a hidden writeup": (False, False, False, True, True),
    "on a hidden proposal": (False, False, False, True, True),
    "on a hidden topic":   (False, False, False, True, True),
    "on a deleted writeup": (False, False, False, False, False),
}


@pytest.mark.parametrize("situation", EXPECTED)
def test_comments_visible_to_follows_the_item_and_the_comment(situation, people, alice, bob,
                                                              moderator):
    comment = _situation(situation, alice, bob, moderator)
    seen = tuple(comments_visible_to(people[viewer]).filter(pk=comment.pk).exists()
                 for viewer in VIEWERS)
    assert seen == EXPECTED[situation]


def test_comments_visible_to_with_hidden_keeps_a_hidden_comment_in_its_thread(people, alice,
                                                                             bob, moderator):
    comment = _situation("hidden comment", alice, bob, moderator)
    seen = [comments_visible_to(people[viewer], with_hidden=True).filter(pk=comment.pk).exists()
            for viewer in VIEWERS]
    assert seen == [True] * 5


def test_comments_visible_to_group_moderator_sees_hidden(alice, bob, moderator):
    from django.contrib.auth.models import Group

    comment = _situation("hidden comment", alice, bob, moderator)
    member = UserFactory(username="grace")
    member.groups.add(Group.objects.get_or_create(name="moderators")[0])
    assert comments_visible_to(member).filter(pk=comment.pk).exists() is True
