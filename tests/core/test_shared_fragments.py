"""The parts of the gaps page, a cluster's page, the board and a topic's page that every
signed-in viewer of a class sees alike are rendered once per site version
(registry.templatetags.shared_cache): a person sees their own change at once, a moderator
and a person never get each other's fragment, and nothing personal or secret from one request
reaches another."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from proposals import services as proposal_services
from registry import services
from registry.moderation.services import content_hide
from tests.factories import ClusterFactory, ProposalFactory, TopicFactory, UserFactory


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _page(client, path) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def topic(db):
    return TopicFactory(slug="quiet-topic", title="Quiet topic",
                        cluster=ClusterFactory(slug="security", name="Security"))


@pytest.mark.parametrize(("path", "before", "after"), [
    ("/gaps/", '<a href="/topics/quiet-topic/">Quiet topic</a>', None),
    *((path, '<span class="badge badge-gap" title="Nobody is working on this yet">gap</span>',
       '<span class="badge badge-claimed" title="Someone is working on this">claimed</span>')
      for path in ("/clusters/security/", "/")),
    ("/topics/quiet-topic/", "Nobody has claimed this topic yet.",
     '<p class="plan">A plan.</p>'),
])
def test_shared_fragment_shows_the_persons_own_claim_at_once(topic, alice, path, before,
                                                             after):
    client = _signed_in(alice)
    assert before in _page(client, path)
    services.claim_create(topic=topic, person=alice, plan="A plan.")
    page = _page(client, path)
    assert before not in page
    assert after is None or after in page


def test_shared_fragment_board_shows_the_persons_own_move_at_once(alice):
    proposal = ProposalFactory(author=alice, title="Moving proposal")
    client = _signed_in(alice)
    board = _page(client, "/proposals/")
    assert board.index("Moving proposal") < board.index('id="col-proposal"')
    proposal_services.proposal_move(proposal=proposal, to="proposal", actor=alice)
    board = _page(client, "/proposals/")
    assert board.index('id="col-proposal"') < board.index("Moving proposal")


@pytest.fixture
def owned_by_hidden_profile(db, moderator):
    """A proposal on the board whose owner, hidy, has a hidden profile: moderators and hidy
    see her display name, everyone else her username."""
    alice = UserFactory(username="alice")
    hidy = UserFactory(username="hidy", profile__display_name="Hidy Secretname")
    proposal = ProposalFactory(author=alice, title="Shared proposal")
    proposal_services.proposal_move(proposal=proposal, to="proposal", actor=alice)
    invitation = proposal_services.owner_invite(proposal=proposal, invitee=hidy, actor=alice)
    proposal_services.owner_invitation_accept(invitation=invitation, actor=hidy)
    content_hide(moderator=moderator, target_type="profile", obj=hidy.profile,
                 reason="Abuse.")
    return hidy


@pytest.mark.parametrize("first", ["moderator", "person", "hidy"])
def test_shared_fragment_board_keeps_each_viewer_class_apart(owned_by_hidden_profile,
                                                             moderator, bob, first):
    viewers = {"moderator": moderator, "person": bob, "hidy": owned_by_hidden_profile}
    order = [first, *(name for name in viewers if name != first)]
    boards = {name: _page(_signed_in(viewers[name]), "/proposals/").split('class="board"')[1]
              for name in order}
    shown = {name: ("Hidy Secretname" in board, ">hidy</a>" in board)
             for name, board in boards.items()}
    assert shown == {"moderator": (True, False), "person": (False, True),
                     "hidy": (True, False)}


def _csrf_tokens(page: str) -> list[str]:
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)


# The header's log-out form and the language switcher in the header and the footer; on a
# topic page also its follow button and the claim form.
@pytest.mark.parametrize(("path", "forms"), [
    ("/gaps/", 3), ("/clusters/security/", 3), ("/proposals/", 3),
    ("/topics/quiet-topic/", 5)])
def test_shared_fragment_carries_nothing_of_the_first_viewer(topic, alice, bob, path, forms):
    ProposalFactory(topic=topic, title="A proposal")
    first = _page(_signed_in(alice), path)
    second = _page(_signed_in(bob), path)
    tokens = _csrf_tokens(first)
    assert len(tokens) == forms
    assert [token for token in tokens if token in second] == []
    assert ("/people/alice/" in first, "/people/alice/" in second) == (True, False)
    assert len(_csrf_tokens(second)) == forms


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        _page(client, path)
    return len(queries)


# What a stored fragment saves a second signed-in viewer: the gaps page's count, page,
# unrecognised work, at risk and the filter's clusters; the cluster page's clusters (kept under
# the page's own site version, registry.selectors.clusters_in_order), count and page; the
# board's columns (two), the filter's clusters and the pipeline's stages (the pipeline is kept
# under the page's own site version, read once for both viewers).
@pytest.mark.parametrize(("path", "saved"), [
    ("/gaps/", 5), ("/clusters/security/", 3), ("/proposals/", 4),
    # A topic's recognitions, its claims, its writeups' count, its history and its proposals
    # (no writeups or recognitions yet: neither their page nor their evidence is read).
    ("/topics/quiet-topic/", 5)])
def test_shared_fragment_second_signed_in_render_is_cheaper(topic, alice, bob, path, saved):
    ProposalFactory(topic=topic, title="A proposal")
    as_alice, as_bob = _signed_in(alice), _signed_in(bob)
    assert _queries(as_alice, path) - _queries(as_bob, path) == saved


def test_shared_fragment_with_a_csrf_token_is_shown_but_not_stored(alice):
    request = RequestFactory().get("/somewhere/")
    request.user = alice
    request._shared_fragment_version = "7"
    page = Template('{% load shared_cache %}{% shared_fragment "test" %}<input '
                    'name="csrfmiddlewaretoken" value="{{ token }}">{% endshared_fragment %}')
    html = page.render(Context({"request": request, "token": "secret"}))
    assert html == '<input name="csrfmiddlewaretoken" value="secret">'
    assert page.render(Context({"request": request, "token": "other"})) == (
        '<input name="csrfmiddlewaretoken" value="other">')
    assert [key for key in cache._cache if "shared-fragment" in key] == []


def test_shared_fragment_topic_writeups_show_a_draft_to_its_author_alone(topic, alice, bob):
    draft = services.writeup_create(topic=topic, author=alice, title="First draft of alice",
                                    kind="plan", body="Notes.")
    as_alice, as_bob = _signed_in(alice), _signed_in(bob)
    assert "First draft of alice" not in _page(as_bob, "/topics/quiet-topic/")
    assert "First draft of alice" in _page(as_alice, "/topics/quiet-topic/")
    assert "First draft of alice" not in _page(as_bob, "/topics/quiet-topic/")

    # A draft's edit moves no site version: her list is rendered for her, never stored.
    services.writeup_update(writeup=draft, editor=alice, title="Renamed draft of alice")
    page = _page(as_alice, "/topics/quiet-topic/")
    assert ("Renamed draft of alice" in page, "First draft of alice" in page) == (True, False)

    services.writeup_publish(writeup=draft, actor=alice)
    assert "Renamed draft of alice" in _page(as_bob, "/topics/quiet-topic/")


def test_shared_fragment_with_a_form_is_stored_with_a_stand_in_and_given_each_own_token(
        alice, bob):
    page = Template('{% load shared_cache %}{% shared_fragment "form" %}<form method="post">'
                    '{% csrf_token %}</form>{% endshared_fragment %}')
    shown = {}
    for person, token in ((alice, "token-of-alice"), (bob, "token-of-bob")):
        request = RequestFactory().get("/somewhere/")
        request.user = person
        request._shared_fragment_version = "7"
        shown[person.username] = page.render(Context({"request": request,
                                                      "csrf_token": token}))
    stored = [value for key, value in cache._cache.items() if "shared-fragment" in key]

    assert shown == {name: '<form method="post"><input type="hidden" '
                     f'name="csrfmiddlewaretoken" value="token-of-{name}"></form>'
                     for name in ("alice", "bob")}
    assert len(stored) == 1
    assert "token-of" not in str(stored)


@pytest.fixture
def discussed(topic, alice, charlie):
    """A published writeup with a comment by charlie."""
    from registry.feedback.services import comments as comment_services
    from tests.factories import WriteupFactory

    writeup = WriteupFactory(topic=topic, author=alice, published=True, title="Discussed")
    comment_services.comment_create(target=writeup, author=charlie, body="Which sources?")
    return writeup


def _comment_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        _page(client, path)
    return sum('FROM "feedback_comment"' in query["sql"] for query in queries)


def _thread_of(page: str) -> str:
    return page[page.index('<section class="discussion"'):]


def test_shared_fragment_thread_is_shared_by_readers_who_wrote_none_of_it(discussed, alice,
                                                                          bob):
    path = f"/writeups/{discussed.pk}/"
    as_alice, as_bob = _signed_in(alice), _signed_in(bob)
    first, second = _thread_of(_page(as_alice, path)), _thread_of(_page(as_bob, path))
    # Stored by alice's page, bob's asks only whether he wrote in it; not stored, the
    # thread's count, comments and replies too.
    assert _comment_queries(as_bob, path) == 1
    cache.clear()
    assert _comment_queries(as_bob, path) == 4

    tokens = _csrf_tokens(first), _csrf_tokens(second)
    # The reply form and the new-comment form, each with the reader's own token.
    assert [len(set(each)) for each in tokens] == [1, 1]
    assert set(tokens[0]).isdisjoint(tokens[1])
    assert "shared-fragment-csrf-stand-in" not in first + second
    assert (">Report<" in first, ">Edit<" in first) == (True, False)


def test_shared_fragment_thread_gives_its_writer_their_own_buttons(discussed, bob, charlie):
    path = f"/writeups/{discussed.pk}/"
    before = _thread_of(_page(_signed_in(bob), path))
    mine = _thread_of(_page(_signed_in(charlie), path))
    after = _thread_of(_page(_signed_in(bob), path))

    assert (">Edit<" in mine, ">Delete<" in mine, ">Report<" in mine) == (True, True, False)
    assert (">Edit<" in after, ">Delete<" in after, ">Report<" in after) == (
        False, False, True)
    assert before.replace(_csrf_tokens(before)[0], "T") == after.replace(
        _csrf_tokens(after)[0], "T")


def test_shared_fragment_thread_is_shared_with_a_reader_who_wrote_in_it(discussed, bob,
                                                                         charlie):
    """Stored by bob's page, charlie's asks one query for his own comments among the page's
    and renders only their buttons; every other comment is the stored one."""
    from registry.feedback.services import comments as comment_services

    path = f"/writeups/{discussed.pk}/"
    comment_services.comment_create(target=discussed, author=bob, body="Which year?")
    as_bob, as_charlie = _signed_in(bob), _signed_in(charlie)
    bobs = _thread_of(_page(as_bob, path))
    assert _comment_queries(as_charlie, path) == 1
    charlies = _thread_of(_page(as_charlie, path))

    def buttons(thread, body):  # from the comment saying `body` to the next comment
        after = thread[thread.index(body):]
        return after[:after.index("<article")] if "<article" in after else after

    assert (">Edit<" in buttons(charlies, "Which sources?"),
            ">Report<" in buttons(charlies, "Which sources?")) == (True, False)
    assert (">Edit<" in buttons(charlies, "Which year?"),
            ">Report<" in buttons(charlies, "Which year?")) == (False, True)
    assert (">Edit<" in buttons(bobs, "Which sources?"),
            ">Edit<" in buttons(bobs, "Which year?")) == (False, True)
    assert "shared-fragment-csrf-stand-in" not in bobs + charlies
    assert not re.search("[\ue010-\ue012]", bobs + charlies)


def test_shared_fragment_thread_shows_a_hidden_comment_whole_to_its_writer_only(
        discussed, bob, charlie, moderator):
    from registry.feedback.models import Comment

    comment = Comment.objects.get(writeup=discussed)
    content_hide(moderator=moderator, target_type="comment", obj=comment, reason="Off topic.")
    path = f"/writeups/{discussed.pk}/"
    bobs = _thread_of(_page(_signed_in(bob), path))  # stores the thread
    charlies = _thread_of(_page(_signed_in(charlie), path))

    assert ("This comment was hidden by the moderators." in bobs,
            "Which sources?" in bobs) == (True, False)
    assert ("This comment was hidden by the moderators." in charlies,
            "Which sources?" in charlies, ">Edit<" in charlies) == (False, True, True)


def test_shared_fragment_thread_marks_cannot_be_forged_by_a_comment(discussed, bob, charlie):
    """A comment holding the characters that mark a part in a stored thread (with the key of
    charlie's comment) is shown as text: charlie's buttons stay under his comment alone."""
    from registry.feedback.models import Comment
    from registry.feedback.services import comments as comment_services

    charlies_comment = Comment.objects.get(writeup=discussed, author=charlie)
    forged = ("\ue010feedback/comments/_comment_actions.html\ue011"
              f"{charlies_comment.pk}\ue011Forged\ue012 text")
    bobs_comment = comment_services.comment_create(target=discussed, author=bob, body=forged)
    path = f"/writeups/{discussed.pk}/"
    charlies = _thread_of(_page(_signed_in(charlie), path))
    _page(_signed_in(bob), path)
    bobs = _thread_of(_page(_signed_in(bob), path))

    for thread in (charlies, bobs):
        body = thread[thread.index(f'id="comment-{bobs_comment.pk}"'):]
        body = body[body.index('<div class="prose comment-body">'):body.index("</div>")]
        assert "Forged\ue012 text" in body
        assert 'class="comment-actions"' not in body
    assert (charlies.count(">Edit<"), bobs.count(">Edit<")) == (1, 1)


@pytest.fixture
def endorsed(topic, alice, charlie):
    """A published writeup by alice, endorsed by charlie (standing: his own published writeup
    in the cluster)."""
    from tests.factories import WriteupFactory

    WriteupFactory(topic=topic, author=charlie, published=True, title="Charlie's standing")
    writeup = WriteupFactory(topic=topic, author=alice, published=True, title="Endorsed")
    services.endorsement_create(writeup=writeup, endorser=charlie, statement=(
        "Careful work that sets out its sources and tests each claim against them."))
    return writeup


def _endorsements_of(page: str) -> str:
    start = page.index('<section class="endorsements"')
    return page[start:page.index("</section>", start)]


def _endorsement_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        _page(client, path)
    return sum('FROM "registry_endorsement"' in query["sql"] for query in queries)


def test_shared_fragment_endorsements_are_shared_but_the_endorsers_retract_button(
        endorsed, bob, charlie):
    path = f"/writeups/{endorsed.pk}/"
    dora = _signed_in(UserFactory(username="dora"))
    first = _endorsements_of(_page(_signed_in(bob), path))
    # Stored by bob's page: dora's reads no list, only whether she endorsed it herself.
    assert _endorsement_queries(dora, path) == 1
    own = _endorsements_of(_page(_signed_in(charlie), path))
    after = _endorsements_of(_page(dora, path))

    assert "Careful work that sets out its sources" in first
    assert ("Retract my endorsement" in own, "Retract my endorsement" in first + after) == (
        True, False)
    assert first == after


def _header_of(page: str) -> str:
    return page[page.index('<header class="site-header">'):page.index("</header>")]


def test_shared_fragment_header_shows_the_persons_own_name_and_unread_count_at_once(
        topic, alice, bob, django_capture_on_commit_callbacks):
    from registry.notifications.services import follow_create, notifications_mark_read
    from registry.services.foundation import profile_update

    client = _signed_in(alice)
    header = _header_of(_page(client, "/gaps/"))
    assert ('<span class="nav-name">Alice</span>' in header, 'class="count"' in header) == (
        True, False)

    profile_update(profile=alice.profile, display_name="Alice Newname")
    follow_create(person=alice, topic=topic)
    services.claim_create(topic=topic, person=bob, plan="A plan.")
    header = _header_of(_page(client, "/gaps/"))
    assert '<span class="nav-name">Alice Newname</span>' in header
    assert '<span class="count">1</span>' in header

    # Reading moves no site version, only her inbox stamp.
    with django_capture_on_commit_callbacks(execute=True):
        notifications_mark_read(person=alice)
    assert 'class="count"' not in _header_of(_page(client, "/gaps/"))


def test_shared_fragment_header_shows_a_moderator_each_new_report(topic, alice, bob, moderator):
    from registry.moderation.services import report_create
    from tests.factories import WriteupFactory

    writeup = WriteupFactory(topic=topic, author=bob, published=True)
    client = _signed_in(moderator)
    assert "Moderation (0)" in _header_of(_page(client, "/gaps/"))
    report_create(reporter=alice, target_type="writeup", target_id=writeup.pk, reason="spam")
    assert "Moderation (1)" in _header_of(_page(client, "/gaps/"))


@pytest.mark.parametrize("path", ["/gaps/", "/gaps/?page=1", "/proposals/"])
def test_shared_fragment_header_and_footer_send_the_language_switch_back_to_each_page(alice,
                                                                                      path):
    client = _signed_in(alice)
    for earlier in ("/gaps/", "/gaps/?page=1", "/proposals/"):
        _page(client, earlier)
    page = _page(client, path)
    assert re.findall(r'name="next" value="([^"]*)"', page) == [path, path]
    assert re.findall(r'<a href="([^"]*)" aria-current="page">', page) == [path.split("?")[0]]


def test_shared_fragment_in_a_page_rendered_without_a_request_shows_the_visitors_header(db):
    from django.template.loader import render_to_string

    page = render_to_string("500.html")
    assert '<a href="/accounts/login/">Log in</a>' in _header_of(page)


def _history_of(page: str) -> str:
    return page[page.index('<section id="history"'):page.index("</section>", page.index(
        '<section id="history"'))]


def test_shared_fragment_proposal_history_shows_each_move_at_once_and_is_read_once(alice, bob):
    proposal = ProposalFactory(author=alice, title="Moving proposal")
    path = f"/proposals/{proposal.pk}/"
    as_alice, as_bob = _signed_in(alice), _signed_in(bob)
    assert "analysis → <strong>proposal</strong>" not in _history_of(_page(as_bob, path))

    proposal_services.proposal_move(proposal=proposal, to="proposal", actor=alice)
    assert "analysis → <strong>proposal</strong>" in _history_of(_page(as_alice, path))
    with CaptureQueriesContext(connection) as queries:
        history = _history_of(_page(as_bob, path))
    assert "analysis → <strong>proposal</strong>" in history
    assert [query["sql"] for query in queries if "proposals_proposalevent" in query["sql"]] == []


def test_shared_fragment_header_is_kept_across_writes_that_change_none_of_its_values(
        topic, alice, bob):
    client = _signed_in(alice)

    def header_without_tokens() -> str:
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "",
                      _header_of(_page(client, "/gaps/")))

    first = header_without_tokens()
    services.claim_create(topic=topic, person=bob, plan="A plan.")  # moves the site version
    second = header_without_tokens()
    headers = [key for key in cache._cache if "shared-fragment-2:page-header:" in key]
    assert (len(headers), first == second) == (1, True)
