"""Review requests and review comments: the writes, each in one transaction.

A request moves only through `_move`, by the table MOVES, with a conditional UPDATE (as
proposals' invitations), so of two racing answers exactly one wins:

    pending  → accepted, declined (the reviewer), withdrawn (an author), expired
    accepted → finished (the reviewer, opting in or not to be named), withdrawn, expired

The request row is its own history: `created_at` (sent), `answered_at` (when it left
pending, whichever way), `finished_at` (when it left accepted, whichever way), `reminded_at`
(the one reminder). Review comments keep who resolved them and when.

Leaving review: when a draft writeup is published, or a proposal leaves analysis, its pending
requests are withdrawn (there is nothing left to review before it goes out) and the invitees
told; accepted ones stay open, so the reviewer can still finish and opt in to be named, but
no new request or review comment is taken (not_reviewable). When a writeup is deleted, every
open request on it is withdrawn. These follow the registry's and proposals' events
(on_topic_event, on_proposal_event in settings.GAPMAP_EVENT_SUBSCRIBERS).

Notifications go to the people of the review only (never followers): the reviewer hears of a
request, its reminder, and its withdrawal or expiry; the authors hear of each answer, each
finish and each review comment. Resolving and reopening is quiet.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from proposals.models import Proposal, ProposalEvent, Stage
from registry.core.errors import Conflict, FieldErrors, InvalidTransition
from registry.core.limits import max_length
from registry.core.rendering import RENDERER_VERSION, render_markdown
from registry.feedback import anchors
from registry.feedback.models import ReviewComment, ReviewRequest
from registry.feedback.permissions import reviews as permissions
from registry.feedback.selectors.reviews import authors_of
from registry.models import TopicEvent, Writeup
from registry.notifications.messages import Message, date, stage
from registry.notifications.models import EventKind
from registry.notifications.services import notify
from registry.selectors import public_name
from registry.services.site_version import site_version_bump

State = ReviewRequest.State


@dataclass(frozen=True)
class Move:
    """One allowed change of state: from which states, and the error when the request is in
    none of them (or, for the reviewer's moves, past its expiry)."""

    sources: tuple[str, ...]
    refusal: type[Conflict]
    before_expiry: bool = False


# Every allowed move. Anything absent cannot happen.
MOVES: dict[str, Move] = {
    State.ACCEPTED: Move((State.PENDING,), permissions.RequestNotPending, before_expiry=True),
    State.DECLINED: Move((State.PENDING,), permissions.RequestNotPending, before_expiry=True),
    State.FINISHED: Move((State.ACCEPTED,), permissions.RequestNotAccepted,
                         before_expiry=True),
    State.WITHDRAWN: Move(permissions.OPEN_STATES, permissions.RequestClosed),
    State.EXPIRED: Move(permissions.OPEN_STATES, permissions.RequestClosed),
}


def _move(review_request: ReviewRequest, to: str, *, now, **fields) -> ReviewRequest:
    """Call inside a transaction. The one door for a request's state: a conditional UPDATE
    from each state MOVES allows in turn (for the reviewer's moves, only before expires_at),
    stamping `answered_at` when it leaves pending and `finished_at` when it leaves accepted.
    Raises the move's refusal when another answer, a withdrawal or the expiry came first."""
    move = MOVES[to]
    for source in move.sources:
        rows = ReviewRequest.objects.filter(pk=review_request.pk, state=source)
        if move.before_expiry:
            rows = rows.filter(expires_at__gt=now)
        stamp = "answered_at" if source == State.PENDING else "finished_at"
        changes = {"state": to, stamp: now, **fields}
        if rows.update(**changes) == 1:
            for name, value in changes.items():
                setattr(review_request, name, value)
            return review_request
    raise move.refusal()


# --- Texts and who hears them ---------------------------------------------------------------

def _title(target) -> Message:
    """What a notification calls the draft: a message of its own, translated with the one
    it is in."""
    if isinstance(target, Proposal):
        return Message(gettext_noop("the analysis of the proposal “%(title)s”"),
                       title=target.title)
    return Message(gettext_noop("the draft “%(title)s”"), title=target.title)


def _about(target) -> dict:
    """What a notification to the authors links and quotes: the proposal, or the writeup's
    topic with the writeup (withheld once they may no longer see it)."""
    if isinstance(target, Proposal):
        return {"proposal": target}
    return {"topic": target.topic, "writeup": target}


def _to_reviewer(target) -> dict:
    """What a notification to a reviewer links: the proposal, or the writeup's topic. Never
    the draft itself: a pending or former reviewer may not see it, and the row would be
    withheld from them (registry.notifications.selectors.about_visible_to)."""
    if isinstance(target, Proposal):
        return {"proposal": target}
    return {"topic": target.topic}


def _tell_reviewer(review_request, kind, text, *, actor, now):
    notify(kind=kind, text=text, actor=actor, also=[review_request.reviewer], followers=False,
           now=now, **_to_reviewer(review_request.target))


def _tell_authors(target, kind, text, *, actor, now):
    notify(kind=kind, text=text, actor=actor, also=authors_of(target), followers=False, now=now,
           **_about(target))


# --- Requests -------------------------------------------------------------------------------

def _check_message(message: str) -> str:
    errors = FieldErrors()
    errors.text("message", message, max_length=max_length("review_request", "message"),
                required=False)
    errors.raise_if_any()
    return message.strip()


@transaction.atomic
def review_request_create(*, target, reviewer, actor, message: str = "",
                          now: datetime.datetime | None = None) -> ReviewRequest:
    """`actor`, an author of `target` (a draft Writeup or a Proposal in analysis), asks
    `reviewer` to review it.

    Raises, in order: NotAnAuthor (403), NotReviewable (409), ReviewerInactive or
    ReviewerIsAuthor (400, naming `reviewer`), ValidationFailed for a message over its limit
    or with control characters (400), AlreadyInvited (409) when the person has an open
    request on it (the database's constraint decides a race).
    Side effects: the pending ReviewRequest, expiring GAPMAP_REVIEW_REQUEST_DAYS from now; a
    REVIEW_REQUESTED notification to the reviewer (title and who asks, nothing of the body).
    """
    if refusal := permissions.invite_refusal(actor, target, reviewer):
        raise refusal
    message = _check_message(message)
    now = now or timezone.now()
    try:
        with transaction.atomic():
            review_request = ReviewRequest.objects.create(
                reviewer=reviewer, invited_by=actor, message=message, created_at=now,
                expires_at=now + datetime.timedelta(days=settings.GAPMAP_REVIEW_REQUEST_DAYS),
                **{"proposal" if isinstance(target, Proposal) else "writeup": target})
    except IntegrityError:
        raise permissions.AlreadyInvited(
            _("%(name)s already has an open request to review this.")
            % {"name": public_name(reviewer)}) from None
    _tell_reviewer(review_request, EventKind.REVIEW_REQUESTED, actor=actor, now=now,
                   text=Message(gettext_noop(
                       "%(name)s asks you to review %(what)s before it goes out. Accept or "
                       "decline under “My reviews” on your My work page by %(date)s."),
                       name=public_name(actor), what=_title(target),
                       date=date(review_request.expires_at)))
    return review_request


@transaction.atomic
def review_request_accept(*, review_request: ReviewRequest, actor,
                          now: datetime.datetime | None = None) -> ReviewRequest:
    """The reviewer accepts: from now on they read the draft and may comment on it.

    Raises NotAReviewer (403) for anyone else, NotReviewable (409) once it has gone out,
    RequestNotPending (409) once answered, withdrawn or expired. Side effects: accepted,
    answered_at; REVIEW_ANSWERED to the authors."""
    if refusal := permissions.answer_refusal(actor, review_request):
        raise refusal
    target = review_request.target
    if not permissions.is_reviewable(target):
        raise permissions.NotReviewable()
    now = now or timezone.now()
    _move(review_request, State.ACCEPTED, now=now)
    _tell_authors(target, EventKind.REVIEW_ANSWERED, actor=actor, now=now, text=Message(
        gettext_noop("%(name)s accepted your request to review %(what)s."),
        name=public_name(actor), what=_title(target)))
    return review_request


@transaction.atomic
def review_request_decline(*, review_request: ReviewRequest, actor,
                           now: datetime.datetime | None = None) -> ReviewRequest:
    """The reviewer says no. Raises NotAReviewer (403), RequestNotPending (409). Side
    effects: declined, answered_at; REVIEW_ANSWERED to the authors."""
    if refusal := permissions.answer_refusal(actor, review_request):
        raise refusal
    now = now or timezone.now()
    _move(review_request, State.DECLINED, now=now)
    _tell_authors(review_request.target, EventKind.REVIEW_ANSWERED, actor=actor, now=now,
                  text=Message(gettext_noop("%(name)s declined your request to review "
                                            "%(what)s."),
                               name=public_name(actor), what=_title(review_request.target)))
    return review_request


@transaction.atomic
def review_request_finish(*, review_request: ReviewRequest, actor, named: bool = False,
                          now: datetime.datetime | None = None) -> ReviewRequest:
    """The reviewer is done; `named` is their opt-in to "Reviewed by …" on the published
    page. Possible after publishing, so that they can opt in then.

    Raises NotAReviewer (403), RequestNotAccepted (409) unless accepted and not expired.
    Side effects: finished, finished_at, named; REVIEW_ANSWERED to the authors; when named,
    the site version moves (the proposal page, cached for visitors, may now name them)."""
    if refusal := permissions.answer_refusal(actor, review_request):
        raise refusal
    now = now or timezone.now()
    _move(review_request, State.FINISHED, now=now, named=bool(named))
    if named:
        site_version_bump()
    target = review_request.target
    msgid = (gettext_noop("%(name)s finished reviewing %(what)s and agreed to be named as a "
                          "reviewer.") if named
             else gettext_noop("%(name)s finished reviewing %(what)s."))
    _tell_authors(target, EventKind.REVIEW_ANSWERED, actor=actor, now=now, text=Message(
        msgid, name=public_name(actor), what=_title(target)))
    return review_request


@transaction.atomic
def review_request_withdraw(*, review_request: ReviewRequest, actor,
                            now: datetime.datetime | None = None) -> ReviewRequest:
    """An author takes a pending or accepted request back; the reviewer stops reading the
    draft. Raises NotAnAuthor (403), RequestClosed (409) once it is closed. Side effects:
    withdrawn; REVIEW_CLOSED to the reviewer."""
    target = review_request.target
    if refusal := permissions.author_refusal(actor, target):
        raise refusal
    now = now or timezone.now()
    _close(review_request, State.WITHDRAWN, actor=actor, now=now,
           text=Message(gettext_noop("%(name)s withdrew the request for you to review "
                                     "%(what)s."),
                        name=public_name(actor), what=_title(target)))
    return review_request


def _close(review_request, to, *, actor, now, text) -> None:
    """Call inside a transaction: withdraw or expire an open request and tell its reviewer."""
    _move(review_request, to, now=now)
    _tell_reviewer(review_request, EventKind.REVIEW_CLOSED, text, actor=actor, now=now)


@transaction.atomic
def review_requests_expire(*, now: datetime.datetime | None = None) -> int:
    """Expire every open request past expires_at; returns how many. Safe to run twice (a
    request another run or an answer closed first is skipped). Side effects: each expired;
    REVIEW_CLOSED to its reviewer and to the authors."""
    now = now or timezone.now()
    count = 0
    overdue = (ReviewRequest.objects.filter(state__in=permissions.OPEN_STATES,
                                            expires_at__lte=now)
               .select_related("writeup__topic", "writeup__author", "proposal__author",
                               "reviewer").order_by("expires_at", "pk"))
    for review_request in overdue:
        target, unfinished = review_request.target, review_request.state == State.ACCEPTED
        try:
            with transaction.atomic():
                _close(review_request, State.EXPIRED, actor=None, now=now, text=Message(
                    gettext_noop("The request for you to review %(what)s expired before you "
                                 "finished.") if unfinished
                    else gettext_noop("The request for you to review %(what)s expired "
                                      "unanswered."), what=_title(target)))
        except permissions.RequestClosed:
            continue
        _tell_authors(target, EventKind.REVIEW_CLOSED, actor=None, now=now, text=Message(
            gettext_noop("The request for %(name)s to review %(what)s expired before they "
                         "finished.") if unfinished
            else gettext_noop("The request for %(name)s to review %(what)s expired "
                              "unanswered."),
            name=public_name(review_request.reviewer), what=_title(target)))
        count += 1
    return count


@transaction.atomic
def review_requests_remind(*, now: datetime.datetime | None = None) -> int:
    """Remind, once, each reviewer whose open request expires within
    GAPMAP_REVIEW_REMINDER_DAYS; returns how many. Safe to run twice: `reminded_at` is set
    by a conditional UPDATE before the reminder is written. Side effects: reminded_at; a
    REVIEW_REQUESTED notification to the reviewer."""
    now = now or timezone.now()
    soon = now + datetime.timedelta(days=settings.GAPMAP_REVIEW_REMINDER_DAYS)
    due = (ReviewRequest.objects.filter(state__in=permissions.OPEN_STATES,
                                        reminded_at__isnull=True, expires_at__gt=now,
                                        expires_at__lte=soon)
           .select_related("writeup__topic", "proposal", "reviewer")
           .order_by("expires_at", "pk"))
    count = 0
    for review_request in due:
        if not ReviewRequest.objects.filter(pk=review_request.pk, reminded_at__isnull=True,
                                            state=review_request.state).update(reminded_at=now):
            continue
        msgid = (gettext_noop("Reminder: the request to review %(what)s expires on %(date)s. "
                              "Accept or decline it under “My reviews” on your My work page.")
                 if review_request.state == State.PENDING
                 else gettext_noop("Reminder: the request to review %(what)s expires on "
                                   "%(date)s. Finish your review under “My reviews” on your "
                                   "My work page."))
        _tell_reviewer(review_request, EventKind.REVIEW_REQUESTED, actor=None, now=now,
                       text=Message(msgid, what=_title(review_request.target),
                                    date=date(review_request.expires_at)))
        count += 1
    return count


# --- Leaving review (subscribers of the registry's and proposals' events) --------------------

def _withdraw_all(target, states, *, actor, now, msgid: str, **params) -> None:
    """Withdraw `target`'s requests in `states`, telling each reviewer why: `msgid` (with
    `params`, and the target's title as %(title)s)."""
    for review_request in ReviewRequest.objects.filter(
            permissions.target_filter(target), state__in=states).select_related("reviewer"):
        _close(review_request, State.WITHDRAWN, actor=actor, now=now,
               text=Message(msgid, title=target.title, **params))


def on_topic_event(*, event: TopicEvent) -> None:
    """Subscriber of TOPIC_EVENT. A writeup published: its pending requests are withdrawn
    (accepted ones stay, to be finished). A writeup deleted: all its open ones are."""
    if event.kind == TopicEvent.Kind.PUBLISHED:
        _withdraw_all(event.writeup, (State.PENDING,), actor=event.actor,
                      now=event.created_at, msgid=gettext_noop(
                          "The draft “%(title)s” was published before you answered, so the "
                          "request for you to review it is closed."))
    elif event.kind == TopicEvent.Kind.WRITEUP_DELETED:
        _withdraw_all(event.writeup, permissions.OPEN_STATES, actor=event.actor,
                      now=event.created_at, msgid=gettext_noop(
                          "The draft “%(title)s” was deleted by its author, so the request "
                          "for you to review it is closed."))


def on_proposal_event(*, event: ProposalEvent) -> None:
    """Subscriber of PROPOSAL_EVENT. A proposal leaving analysis: its pending requests are
    withdrawn (accepted ones stay, to be finished, and take comments again if it returns)."""
    if event.kind == ProposalEvent.Kind.MOVED and event.from_stage == Stage.ANALYSIS:
        _withdraw_all(event.proposal, (State.PENDING,), actor=event.actor,
                      now=event.created_at, msgid=gettext_noop(
                          "The analysis of the proposal “%(title)s” moved on to %(stage)s "
                          "before you answered, so the request for you to review it is "
                          "closed."), stage=stage(event.to_stage))


# --- Review comments ------------------------------------------------------------------------

def _current(target) -> tuple[int, str]:
    """The version and HTML of `target` as stored now (a concurrent edit counts)."""
    model = Proposal if isinstance(target, Proposal) else Writeup
    html_field = "analysis_html" if model is Proposal else "body_html"
    return model.objects.filter(pk=target.pk).values_list("version", html_field).get()


@transaction.atomic
def review_comment_create(*, review_request: ReviewRequest, actor, body: str,
                          anchor: str = "", version: int | None = None,
                          now: datetime.datetime | None = None) -> ReviewComment:
    """The reviewer comments on a paragraph (`anchor`, a block of the current version:
    registry.feedback.anchors), or on the draft as a whole (blank `anchor`).

    `version` is the version the reviewer read (the form's, or the API body's); None means
    the current one. Raises NotAReviewer (403), RequestNotAccepted or NotReviewable (409),
    ValidationFailed for a body empty, over its limit or with control characters (400),
    ReviewStale (409 stale_version) when the draft changed since `version`, AnchorNotFound
    (400) for an anchor that is no block of the current version.
    Side effects: the ReviewComment (body rendered once, here; the block's first 300
    characters kept as anchor_text); REVIEW_COMMENT to the authors.
    """
    target = review_request.target
    if refusal := permissions.comment_refusal(actor, review_request, target):
        raise refusal
    errors = FieldErrors()
    errors.text("body", body, max_length=max_length("review_comment", "body"))
    errors.raise_if_any()
    current_version, html = _current(target)
    if version is not None and version != current_version:
        raise permissions.ReviewStale(current_version=current_version)
    block = anchors.find(html, anchor) if anchor else None
    if anchor and block is None:
        raise permissions.AnchorNotFound()
    now = now or timezone.now()
    comment = ReviewComment.objects.create(
        request=review_request, author=actor, version=current_version, anchor=anchor,
        anchor_text=block.anchor_text if block else "", body=body,
        body_html=render_markdown(body), renderer_version=RENDERER_VERSION, created_at=now)
    said = {"name": public_name(actor), "what": _title(target)}
    _tell_authors(target, EventKind.REVIEW_COMMENT, actor=actor, now=now, text=Message(
        gettext_noop("%(name)s left a review comment on “%(block)s” in %(what)s."),
        block=block.label, **said) if block else Message(
        gettext_noop("%(name)s left a review comment in %(what)s."), **said))
    return comment


def _comment_move(comment: ReviewComment, *, actor, frm: str, to: str, **changes) -> None:
    if refusal := permissions.author_refusal(actor, comment.request.target):
        raise refusal
    if not ReviewComment.objects.filter(pk=comment.pk, state=frm).update(state=to, **changes):
        raise InvalidTransition(_("This review comment is already resolved.")
                                if to == ReviewComment.State.RESOLVED
                                else _("This review comment is already open."))
    comment.state = to
    for name, value in changes.items():
        setattr(comment, name, value)


@transaction.atomic
def review_comment_resolve(*, comment: ReviewComment, actor,
                           now: datetime.datetime | None = None) -> ReviewComment:
    """An author marks a review comment dealt with. Raises NotAnAuthor (403),
    InvalidTransition (409) when it is resolved already. Side effects: resolved,
    resolved_by, resolved_at (a conditional UPDATE). Nobody is notified."""
    _comment_move(comment, actor=actor, frm=ReviewComment.State.OPEN,
                  to=ReviewComment.State.RESOLVED, resolved_by=actor,
                  resolved_at=now or timezone.now())
    return comment


@transaction.atomic
def review_comment_reopen(*, comment: ReviewComment, actor) -> ReviewComment:
    """An author opens a resolved review comment again. Raises NotAnAuthor (403),
    InvalidTransition (409) when it is open. Side effects: open, resolved_by and
    resolved_at cleared. Nobody is notified."""
    _comment_move(comment, actor=actor, frm=ReviewComment.State.RESOLVED,
                  to=ReviewComment.State.OPEN, resolved_by=None, resolved_at=None)
    return comment


def review_comments_rerender() -> int:
    """Re-render the stored HTML of every review comment rendered by an older
    RENDERER_VERSION; run by `manage.py rerender_markdown`. The text does not change, so no
    history is written; a comment is updated only if its body is still the one rendered.
    Returns how many were re-rendered."""
    count = 0
    stale = ReviewComment.objects.exclude(renderer_version=RENDERER_VERSION).only("pk", "body")
    for row in stale.iterator():
        count += ReviewComment.objects.filter(pk=row.pk, body=row.body).update(
            body_html=render_markdown(row.body), renderer_version=RENDERER_VERSION)
    return count
