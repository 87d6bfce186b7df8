"""Review requests and review comments through their services: who may, the state table over
every (from, to) pair, refusals with their codes, notifications to the review's people only,
leaving review, reminders and expiry."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import override_settings
from django.utils import timezone

from proposals import services as proposal_services
from registry import permissions as registry_permissions
from registry import services
from registry.core.errors import GapmapError
from registry.feedback import anchors
from registry.feedback import periodic as review_periodic
from registry.feedback.models import ReviewComment, ReviewRequest
from registry.feedback.permissions import reviews as review_permissions
from registry.feedback.services import reviews
from registry.notifications import services as notification_services
from registry.notifications.models import EventKind, Notification
from registry.selectors import site_version, writeups_visible_to
from tests.factories import ProposalFactory, TopicFactory, UserFactory, WriteupFactory
from tests.feedback.review_factories import ReviewRequestFactory, review_comment

State = ReviewRequest.State
BODY = "# Plan\n\nFirst we measure.\n\n- one step\n- another step\n\nThen we publish."


@pytest.fixture
def draft(alice):
    return WriteupFactory(author=alice, title="Compute accounting", body=BODY)


def _code(call) -> tuple[int, str]:
    with pytest.raises(GapmapError) as refused:
        call()
    return refused.value.status, refused.value.code


def _texts(person, kind=None) -> list[str]:
    rows = Notification.objects.filter(recipient=person).order_by("created_at", "id")
    if kind:
        rows = rows.filter(kind=kind)
    return [row.text for row in rows]


# --- Asking ---------------------------------------------------------------------------------

def test_review_request_create_is_pending_for_21_days_and_tells_only_the_reviewer(
        draft, alice, bob, charlie):
    notification_services.follow_create(person=charlie, topic=draft.topic)
    now = timezone.now()

    review_request = reviews.review_request_create(target=draft, reviewer=bob, actor=alice,
                                                   message="  Before Friday?  ", now=now)

    assert (review_request.state, review_request.message, review_request.invited_by,
            review_request.expires_at) == (State.PENDING, "Before Friday?", alice,
                                           now + datetime.timedelta(days=21))
    by = now + datetime.timedelta(days=21)
    assert _texts(bob) == [
        "Alice asks you to review the draft “Compute accounting” before it goes out. Accept or "
        f"decline under “My reviews” on your My work page by {by:%-d %B %Y}."]
    assert _texts(charlie) == _texts(alice) == []
    row = Notification.objects.get(recipient=bob)
    assert (row.kind, row.topic, row.writeup) == (EventKind.REVIEW_REQUESTED, draft.topic, None)


def test_review_request_create_on_a_proposal_by_a_co_author(alice, bob, charlie):
    proposal = ProposalFactory(author=alice, co_authors=[bob], title="Chip registry")

    review_request = reviews.review_request_create(target=proposal, reviewer=charlie, actor=bob)

    assert (review_request.proposal, review_request.writeup) == (proposal, None)
    assert _texts(charlie) == [
        "Bob asks you to review the analysis of the proposal “Chip registry” before it goes "
        "out. Accept or decline under “My reviews” on your My work page by "
        f"{review_request.expires_at:%-d %B %Y}."]


@pytest.mark.parametrize(("who", "expected"), [
    ("self", (400, "reviewer_is_author")),
    ("co_author", (400, "reviewer_is_author")),
    ("inactive", (400, "reviewer_inactive")),
])
def test_review_request_create_refuses_the_wrong_reviewer(alice, bob, who, expected):
    proposal = ProposalFactory(author=alice, co_authors=[bob])
    reviewer = {"self": alice, "co_author": bob,
                "inactive": UserFactory(username="gone", is_active=False)}[who]

    assert _code(lambda: reviews.review_request_create(
        target=proposal, reviewer=reviewer, actor=alice)) == expected
    assert ReviewRequest.objects.count() == 0


def test_review_request_create_refusal_names_the_reviewer_field(draft, alice):
    with pytest.raises(review_permissions.ReviewerIsAuthor) as refused:
        reviews.review_request_create(target=draft, reviewer=alice, actor=alice)

    assert refused.value.fields == {"reviewer": [
        "Ask someone other than the draft's authors (yourself included)."]}


@pytest.mark.parametrize("actor", ["reviewer", "outsider", "moderator"])
def test_review_request_create_only_by_an_author(draft, bob, charlie, moderator, actor):
    person = {"reviewer": bob, "outsider": charlie, "moderator": moderator}[actor]

    assert _code(lambda: reviews.review_request_create(
        target=draft, reviewer=UserFactory(), actor=person)) == (403, "not_an_author")


def test_review_request_create_twice_while_open_is_already_invited(draft, alice, bob):
    reviews.review_request_create(target=draft, reviewer=bob, actor=alice)

    assert _code(lambda: reviews.review_request_create(
        target=draft, reviewer=bob, actor=alice)) == (409, "already_invited")
    assert ReviewRequest.objects.count() == 1


@pytest.mark.parametrize("state", [State.DECLINED, State.WITHDRAWN, State.EXPIRED,
                                   State.FINISHED])
def test_review_request_create_again_once_closed(draft, alice, bob, state):
    ReviewRequestFactory(writeup=draft, reviewer=bob, state=state)

    again = reviews.review_request_create(target=draft, reviewer=bob, actor=alice)

    assert again.state == State.PENDING
    assert ReviewRequest.objects.filter(reviewer=bob).count() == 2


def test_review_request_create_refuses_a_published_writeup_and_a_proposal_past_analysis(
        alice, bob):
    published = WriteupFactory(author=alice, published=True)
    proposal = ProposalFactory(author=alice)
    proposal_services.proposal_move(proposal=proposal, to="proposal", actor=alice)

    assert _code(lambda: reviews.review_request_create(
        target=published, reviewer=bob, actor=alice)) == (409, "not_reviewable")
    assert _code(lambda: reviews.review_request_create(
        target=proposal, reviewer=bob, actor=alice)) == (409, "not_reviewable")


@pytest.mark.parametrize(("message", "error"), [
    ("x" * 2001, "Keep this to 2,000 characters or fewer (it has 2,001)."),
    ("Hi\x07", "Contains the control character U+0007, which is not allowed. Remove it and "
               "try again."),
])
def test_review_request_create_refuses_a_bad_message(draft, alice, bob, message, error):
    with pytest.raises(review_permissions.ValidationFailed) as refused:
        reviews.review_request_create(target=draft, reviewer=bob, actor=alice, message=message)

    assert refused.value.fields == {"message": [error]}


# --- The state table ------------------------------------------------------------------------

MOVES = ["accept", "decline", "finish", "withdraw"]
# (from, move) → the state it reaches, or the refusal's (status, code).
TABLE = {
    (State.PENDING, "accept"): State.ACCEPTED,
    (State.PENDING, "decline"): State.DECLINED,
    (State.PENDING, "finish"): (409, "request_not_accepted"),
    (State.PENDING, "withdraw"): State.WITHDRAWN,
    (State.ACCEPTED, "accept"): (409, "request_not_pending"),
    (State.ACCEPTED, "decline"): (409, "request_not_pending"),
    (State.ACCEPTED, "finish"): State.FINISHED,
    (State.ACCEPTED, "withdraw"): State.WITHDRAWN,
    **{(closed, move): (409, "request_not_accepted" if move == "finish" else
                        "request_closed" if move == "withdraw" else "request_not_pending")
       for closed in (State.DECLINED, State.WITHDRAWN, State.EXPIRED, State.FINISHED)
       for move in MOVES},
}


def _do(move, review_request):
    author, reviewer = review_request.invited_by, review_request.reviewer
    return {
        "accept": lambda: reviews.review_request_accept(review_request=review_request,
                                                        actor=reviewer),
        "decline": lambda: reviews.review_request_decline(review_request=review_request,
                                                          actor=reviewer),
        "finish": lambda: reviews.review_request_finish(review_request=review_request,
                                                        actor=reviewer),
        "withdraw": lambda: reviews.review_request_withdraw(review_request=review_request,
                                                            actor=author),
    }[move]


@pytest.mark.parametrize(("frm", "move"), list(TABLE), ids=[f"{f}-{m}" for f, m in TABLE])
def test_review_request_moves_by_the_table(draft, bob, frm, move):
    review_request = ReviewRequestFactory(writeup=draft, reviewer=bob, state=frm)
    expected = TABLE[frm, move]

    if isinstance(expected, tuple):
        assert _code(_do(move, review_request)) == expected
        review_request.refresh_from_db()
        assert review_request.state == frm
    else:
        _do(move, review_request)()
        review_request.refresh_from_db()
        assert review_request.state == expected


def test_review_request_stale_copy_loses_to_the_first_answer(draft, bob):
    review_request = ReviewRequestFactory(writeup=draft, reviewer=bob)
    stale = ReviewRequest.objects.get(pk=review_request.pk)
    reviews.review_request_decline(review_request=review_request, actor=bob)

    assert _code(lambda: reviews.review_request_accept(review_request=stale, actor=bob)) == (
        409, "request_not_pending")
    assert ReviewRequest.objects.get(pk=review_request.pk).state == State.DECLINED


def test_review_request_withdraw_of_a_stale_pending_copy_withdraws_the_accepted_row(
        draft, alice, bob):
    review_request = ReviewRequestFactory(writeup=draft, reviewer=bob)
    stale = ReviewRequest.objects.get(pk=review_request.pk)
    reviews.review_request_accept(review_request=review_request, actor=bob)

    reviews.review_request_withdraw(review_request=stale, actor=alice)

    stored = ReviewRequest.objects.get(pk=review_request.pk)
    assert (stored.state, stored.answered_at is not None, stored.finished_at is not None) == (
        State.WITHDRAWN, True, True)


@pytest.mark.parametrize("move", ["accept", "decline", "finish"])
def test_review_request_answers_are_the_reviewers_alone(draft, alice, charlie, move):
    review_request = ReviewRequestFactory(
        writeup=draft, state=State.ACCEPTED if move == "finish" else State.PENDING)
    call = {"accept": reviews.review_request_accept, "decline": reviews.review_request_decline,
            "finish": reviews.review_request_finish}[move]

    for person in (alice, charlie, AnonymousUser()):
        assert _code(lambda p=person: call(review_request=review_request, actor=p)) == (
            403, "not_a_reviewer")


def test_review_request_withdraw_is_the_authors_alone(draft, bob, charlie):
    review_request = ReviewRequestFactory(writeup=draft, reviewer=bob)

    for person in (bob, charlie):
        assert _code(lambda p=person: reviews.review_request_withdraw(
            review_request=review_request, actor=p)) == (403, "not_an_author")


def test_review_request_accept_after_expiry_is_refused_before_the_sweep(draft, bob):
    review_request = ReviewRequestFactory(writeup=draft, reviewer=bob)

    assert _code(lambda: reviews.review_request_accept(
        review_request=review_request, actor=bob, now=review_request.expires_at)) == (
        409, "request_not_pending")


def test_review_request_history_stamps(draft, bob):
    review_request = ReviewRequestFactory(writeup=draft, reviewer=bob)
    start = review_request.created_at
    accepted_at, finished_at = (start + datetime.timedelta(days=1),
                                start + datetime.timedelta(days=2))
    reviews.review_request_accept(review_request=review_request, actor=bob, now=accepted_at)
    reviews.review_request_finish(review_request=review_request, actor=bob, named=True,
                                  now=finished_at)

    stored = ReviewRequest.objects.get(pk=review_request.pk)
    assert (stored.state, stored.named, stored.answered_at, stored.finished_at) == (
        State.FINISHED, True, accepted_at, finished_at)


# --- Notifications --------------------------------------------------------------------------

def test_review_answers_tell_the_authors_and_closing_tells_the_reviewer(alice, bob, carol):
    proposal = ProposalFactory(author=alice, co_authors=[carol], title="Chip registry")
    first = ReviewRequestFactory(proposal=proposal, reviewer=bob, state=State.FINISHED,
                                 named=True)
    second = ReviewRequestFactory(proposal=proposal, reviewer=UserFactory(username="dan"),
                                  state=State.DECLINED)
    third = ReviewRequestFactory(proposal=proposal, reviewer=UserFactory(username="eve"),
                                 state=State.WITHDRAWN, actor=carol)

    answered = [
        "Bob accepted your request to review the analysis of the proposal “Chip registry”.",
        "Bob finished reviewing the analysis of the proposal “Chip registry” and agreed to be "
        "named as a reviewer.",
        "Dan declined your request to review the analysis of the proposal “Chip registry”."]
    assert _texts(alice, EventKind.REVIEW_ANSWERED) == answered
    assert _texts(carol, EventKind.REVIEW_ANSWERED) == answered
    assert _texts(third.reviewer, EventKind.REVIEW_CLOSED) == [
        "Carol withdrew the request for you to review the analysis of the proposal “Chip "
        "registry”."]
    assert (first.state, second.state) == (State.FINISHED, State.DECLINED)


def test_review_finish_named_moves_the_site_version_and_unnamed_does_not(draft, bob, charlie):
    named = ReviewRequestFactory(writeup=draft, reviewer=bob, state=State.ACCEPTED)
    unnamed = ReviewRequestFactory(writeup=draft, reviewer=charlie, state=State.ACCEPTED)
    before = int(site_version())

    reviews.review_request_finish(review_request=unnamed, actor=charlie, named=False)
    assert int(site_version()) == before
    reviews.review_request_finish(review_request=named, actor=bob, named=True)
    assert int(site_version()) == before + 1


# --- Leaving review -------------------------------------------------------------------------

def test_publishing_withdraws_pending_requests_and_keeps_accepted_ones_to_finish(
        draft, alice, bob, charlie):
    pending = ReviewRequestFactory(writeup=draft, reviewer=charlie)
    accepted = ReviewRequestFactory(writeup=draft, reviewer=bob, state=State.ACCEPTED)

    services.writeup_publish(writeup=draft, actor=alice)

    pending.refresh_from_db()
    accepted.refresh_from_db()
    assert (pending.state, accepted.state) == (State.WITHDRAWN, State.ACCEPTED)
    assert _texts(charlie, EventKind.REVIEW_CLOSED) == [
        "The draft “Compute accounting” was published before you answered, so the request for "
        "you to review it is closed."]
    assert _code(lambda: review_comment(accepted)) == (409, "not_reviewable")
    reviews.review_request_finish(review_request=accepted, actor=bob, named=True)
    assert ReviewRequest.objects.get(pk=accepted.pk).state == State.FINISHED


def test_deleting_a_draft_withdraws_every_open_request(draft, alice, bob, charlie):
    pending = ReviewRequestFactory(writeup=draft, reviewer=charlie)
    accepted = ReviewRequestFactory(writeup=draft, reviewer=bob, state=State.ACCEPTED)

    services.writeup_delete(writeup=draft, actor=alice)

    assert sorted(ReviewRequest.objects.values_list("state", flat=True)) == [
        State.WITHDRAWN, State.WITHDRAWN]
    assert _texts(bob, EventKind.REVIEW_CLOSED) == [
        "The draft “Compute accounting” was deleted by its author, so the request for you to "
        "review it is closed."]
    assert (pending.pk, accepted.pk) != (None, None)


def test_proposal_leaving_analysis_withdraws_pending_and_comments_wait_for_its_return(
        alice, bob, charlie):
    proposal = ProposalFactory(author=alice, analysis="Why it matters.", title="Registry")
    pending = ReviewRequestFactory(proposal=proposal, reviewer=charlie)
    accepted = ReviewRequestFactory(proposal=proposal, reviewer=bob, state=State.ACCEPTED)

    proposal_services.proposal_move(proposal=proposal, to="proposal", actor=alice)
    pending.refresh_from_db()
    accepted.refresh_from_db()
    assert (pending.state, accepted.state) == (State.WITHDRAWN, State.ACCEPTED)
    assert _texts(charlie, EventKind.REVIEW_CLOSED) == [
        "The analysis of the proposal “Registry” moved on to proposal before you answered, so "
        "the request for you to review it is closed."]
    assert _code(lambda: review_comment(accepted)) == (409, "not_reviewable")

    proposal_services.proposal_move(proposal=proposal, to="analysis", actor=alice)
    accepted.refresh_from_db()
    assert review_comment(accepted).version == accepted.proposal.version


# --- Reminders and expiry -------------------------------------------------------------------

def test_review_request_sweep_reminds_once_then_expires_open_requests(draft, alice, bob):
    pending = ReviewRequestFactory(writeup=draft, reviewer=bob)
    accepted = ReviewRequestFactory(writeup=draft, reviewer=UserFactory(username="dan"),
                                    state=State.ACCEPTED)
    finished = ReviewRequestFactory(writeup=draft, reviewer=UserFactory(username="eve"),
                                    state=State.FINISHED)
    expires = pending.expires_at
    days = datetime.timedelta(days=1)

    assert review_periodic.review_request_sweep(now=expires - 4 * days) == {
        "expired": 0, "reminded": 0}
    assert review_periodic.review_request_sweep(now=expires - 2 * days) == {
        "expired": 0, "reminded": 2}
    assert review_periodic.review_request_sweep(now=expires - 1 * days) == {
        "expired": 0, "reminded": 0}
    assert review_periodic.review_request_sweep(now=expires + days) == {
        "expired": 2, "reminded": 0}
    assert review_periodic.review_request_sweep(now=expires + days) == {
        "expired": 0, "reminded": 0}

    states = dict(ReviewRequest.objects.values_list("pk", "state"))
    assert (states[pending.pk], states[accepted.pk], states[finished.pk]) == (
        State.EXPIRED, State.EXPIRED, State.FINISHED)
    assert _texts(bob) == [
        _texts(bob)[0],
        f"Reminder: the request to review the draft “Compute accounting” expires on "
        f"{expires:%-d %B %Y}. Accept or decline it under “My reviews” on your My work page.",
        "The request for you to review the draft “Compute accounting” expired unanswered."]
    assert _texts(alice, EventKind.REVIEW_CLOSED) == [
        "The request for Bob to review the draft “Compute accounting” expired unanswered.",
        "The request for Dan to review the draft “Compute accounting” expired before they "
        "finished."]


@override_settings(GAPMAP_REVIEW_REQUEST_DAYS=10, GAPMAP_REVIEW_REMINDER_DAYS=5)
def test_review_request_days_come_from_the_settings(draft, bob):
    review_request = ReviewRequestFactory(writeup=draft, reviewer=bob)

    assert review_request.expires_at - review_request.created_at == datetime.timedelta(10)
    assert reviews.review_requests_remind(
        now=review_request.created_at + datetime.timedelta(days=4, hours=23)) == 0
    assert reviews.review_requests_remind(
        now=review_request.created_at + datetime.timedelta(days=5)) == 1


# --- Review comments ------------------------------------------------------------------------

@pytest.fixture
def accepted(draft, bob):
    return ReviewRequestFactory(writeup=draft, reviewer=bob, state=State.ACCEPTED)


def _anchor(writeup, text):
    return next(b.anchor for b in anchors.blocks(writeup.body_html) if b.text == text)


def test_review_comment_on_a_paragraph_keeps_its_words_and_tells_the_authors(
        draft, accepted, alice, bob):
    comment = review_comment(accepted, "Which *method*?",
                             anchor=_anchor(draft, "First we measure."))

    assert (comment.anchor_text, comment.version, comment.body_html, comment.state,
            comment.author) == ("First we measure.", draft.version,
                                "<p>Which <em>method</em>?</p>\n", ReviewComment.State.OPEN,
                                bob)
    assert _texts(alice, EventKind.REVIEW_COMMENT) == [
        "Bob left a review comment on “First we measure.” in the draft “Compute accounting”."]
    assert _texts(bob, EventKind.REVIEW_COMMENT) == []


def test_review_comment_on_the_draft_as_a_whole(accepted):
    comment = review_comment(accepted)

    assert (comment.anchor, comment.anchor_text) == ("", "")


def test_review_comment_refuses_an_anchor_not_in_the_current_version(draft, accepted, alice):
    old_anchor = _anchor(draft, "First we measure.")
    services.writeup_update(writeup=draft, editor=alice, body="Something else entirely.")

    with pytest.raises(review_permissions.AnchorNotFound) as refused:
        review_comment(accepted, anchor=old_anchor)

    assert (refused.value.status, refused.value.code, list(refused.value.fields)) == (
        400, "anchor_not_found", ["anchor"])
    assert _code(lambda: review_comment(accepted, anchor="0" * 64)) == (400, "anchor_not_found")


def test_review_comment_on_a_stale_version_is_a_409_with_the_current_one(draft, accepted,
                                                                         alice, bob):
    seen = draft.version
    services.writeup_update(writeup=draft, editor=alice, body=BODY + "\n\nMore.")

    with pytest.raises(review_permissions.ReviewStale) as refused:
        reviews.review_comment_create(review_request=accepted, actor=bob, body="Hm.",
                                      version=seen)

    assert (refused.value.status, refused.value.code, refused.value.extra) == (
        409, "stale_version", {"current_version": seen + 1})
    assert ReviewComment.objects.count() == 0


@pytest.mark.parametrize(("body", "error"), [
    ("   ", "This field is required."),
    ("x" * 10_001, "Keep this to 10,000 characters or fewer (it has 10,001)."),
    ("Bad\x1b", "Contains the control character U+001B, which is not allowed. Remove it and "
                "try again."),
])
def test_review_comment_refuses_a_bad_body(accepted, bob, body, error):
    with pytest.raises(review_permissions.ValidationFailed) as refused:
        reviews.review_comment_create(review_request=accepted, actor=bob, body=body)

    assert refused.value.fields == {"body": [error]}


@pytest.mark.parametrize(("state", "expected"), [
    (State.PENDING, (409, "request_not_accepted")),
    (State.FINISHED, (409, "request_not_accepted")),
    (State.WITHDRAWN, (409, "request_not_accepted")),
])
def test_review_comment_only_while_accepted(draft, bob, state, expected):
    review_request = ReviewRequestFactory(writeup=draft, reviewer=bob, state=state)

    assert _code(lambda: review_comment(review_request)) == expected


def test_review_comment_by_anyone_but_the_reviewer_is_refused(accepted, alice, charlie):
    for person in (alice, charlie):
        assert _code(lambda p=person: reviews.review_comment_create(
            review_request=accepted, actor=p, body="Hm.")) == (403, "not_a_reviewer")


def test_review_comment_resolve_and_reopen_by_an_author_only(accepted, alice, bob):
    comment = review_comment(accepted)
    now = timezone.now()

    assert _code(lambda: reviews.review_comment_resolve(comment=comment, actor=bob)) == (
        403, "not_an_author")
    reviews.review_comment_resolve(comment=comment, actor=alice, now=now)
    stored = ReviewComment.objects.get(pk=comment.pk)
    assert (stored.state, stored.resolved_by, stored.resolved_at) == (
        ReviewComment.State.RESOLVED, alice, now)
    assert _code(lambda: reviews.review_comment_resolve(comment=comment, actor=alice)) == (
        409, "invalid_transition")

    reviews.review_comment_reopen(comment=comment, actor=alice)
    stored = ReviewComment.objects.get(pk=comment.pk)
    assert (stored.state, stored.resolved_by, stored.resolved_at) == (
        ReviewComment.State.OPEN, None, None)
    assert _code(lambda: reviews.review_comment_reopen(comment=comment, actor=alice)) == (
        409, "invalid_transition")
    # Quiet: the reviewer hears nothing of it.
    assert _texts(bob, EventKind.REVIEW_COMMENT) == []


def test_review_comment_resolve_by_a_co_author(bob, charlie):
    author = UserFactory(username="ann")
    proposal = ProposalFactory(author=author, co_authors=[charlie])
    review_request = ReviewRequestFactory(proposal=proposal, reviewer=bob,
                                          state=State.ACCEPTED)

    comment = reviews.review_comment_resolve(comment=review_comment(review_request),
                                             actor=charlie)

    assert comment.resolved_by == charlie


# --- Who reads the draft --------------------------------------------------------------------

@pytest.mark.parametrize(("state", "reads"), [
    (State.PENDING, False), (State.ACCEPTED, True), (State.DECLINED, False),
    (State.WITHDRAWN, False), (State.EXPIRED, False), (State.FINISHED, True),
])
def test_draft_is_read_by_accepted_and_finished_reviewers_only(draft, bob, state, reads):
    ReviewRequestFactory(writeup=draft, reviewer=bob, state=state)
    # A second request in another state must not make the join repeat the draft.
    ReviewRequestFactory(writeup=draft, reviewer=UserFactory(), state=State.ACCEPTED)

    assert list(writeups_visible_to(bob, for_review=True)) == ([draft] if reads else [])
    assert registry_permissions.can_see_writeup(bob, draft) == reads
    assert list(writeups_visible_to(bob)) == []


def test_reviewer_states_agree_with_the_registry():
    assert set(registry_permissions.REVIEWER_READS) == {State.ACCEPTED, State.FINISHED}
    assert review_permissions.READS == registry_permissions.REVIEWER_READS


def test_draft_on_another_topic_is_not_shared_by_a_request_elsewhere(draft, alice, bob):
    other = WriteupFactory(author=alice, topic=TopicFactory())
    ReviewRequestFactory(writeup=draft, reviewer=bob, state=State.ACCEPTED)

    assert list(writeups_visible_to(bob, for_review=True)) == [draft]
    assert registry_permissions.can_see_writeup(bob, other) is False


@pytest.fixture
def carol(db):
    return UserFactory(username="carol")


def test_review_comments_rerender_updates_only_stale_rows(accepted):
    stale, fresh = review_comment(accepted, "**bold**"), review_comment(accepted, "*em*")
    ReviewComment.objects.filter(pk=stale.pk).update(body_html="old", renderer_version=0)

    assert reviews.review_comments_rerender() == 1

    assert list(ReviewComment.objects.order_by("pk").values_list("body_html", flat=True)) == [
        "<p><strong>bold</strong></p>\n", "<p><em>em</em></p>\n"]
    assert reviews.review_comments_rerender() == 0
    assert fresh.pk != stale.pk
