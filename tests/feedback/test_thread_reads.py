"""The thread asks once whether its reader may see the writeup or proposal (not in each of
its queries), and renders each comment with its replies nested under it in one loop."""

import re

from registry.feedback.selectors.comments import thread_comments
from registry.moderation import services as moderation
from tests.factories import ProposalFactory, WriteupFactory
from tests.feedback.factories import CommentFactory


def _shown(target, viewer) -> list[tuple[str, list[str]]]:
    return [(top.body, [reply.body for reply in top.shown_replies])
            for top in thread_comments(target, viewer)]


def test_thread_comments_of_a_hidden_writeup_for_its_moderator_and_author_only(
        alice, bob, charlie, moderator):
    writeup = WriteupFactory(author=alice, published=True)
    top = CommentFactory(target=writeup, author=bob, body="Where is the data?")
    CommentFactory(target=writeup, author=alice, parent=top, body="In the appendix.")
    writeup = moderation.content_hide(moderator=moderator, target_type="writeup", obj=writeup,
                                      reason="Spam links.")

    seen = {name: _shown(writeup, person) for name, person in
            (("alice", alice), ("charlie", charlie), ("moderator", moderator))}

    thread = [("Where is the data?", ["In the appendix."])]
    assert seen == {"alice": thread, "charlie": [], "moderator": thread}


def test_thread_comments_of_a_hidden_proposal_for_its_moderator_only(alice, bob, moderator):
    proposal = ProposalFactory(author=alice)
    CommentFactory(target=proposal, author=alice, body="Open to questions.")
    proposal = moderation.content_hide(moderator=moderator, target_type="proposal",
                                       obj=proposal, reason="Spam links.")

    assert (_shown(proposal, bob), _shown(proposal, moderator)) == (
        [], [("Open to questions.", [])])


def test_writeup_page_nests_each_comments_replies_under_it(client, alice, bob, charlie):
    writeup = WriteupFactory(author=alice, published=True)
    first = CommentFactory(target=writeup, author=bob, body="First.")
    replies = [CommentFactory(target=writeup, author=alice, parent=first, body=body)
               for body in ("Reply one.", "Reply two.")]
    second = CommentFactory(target=writeup, author=charlie, body="Second.")
    client.force_login(charlie)

    html = client.get(f"/writeups/{writeup.pk}/").content.decode()

    thread = html[html.index('id="comments"'):]
    structure = re.findall(r'<article class="comment( reply)?" id="comment-(\d+)">'
                           r'|(<div class="replies">)|(</article>\s*</div>\s*</article>)', thread)
    assert [("reply " if reply else "") + pk or opened or "close" for reply, pk, opened, _
            in structure] == [
        str(first.pk), '<div class="replies">', f"reply {replies[0].pk}",
        f"reply {replies[1].pk}", "close", str(second.pk)]  # "close": reply, replies, comment
    assert '<a href="/people/bob/">Bob</a>' in thread
    assert f'action="/writeups/{writeup.pk}/comments/"' in thread
