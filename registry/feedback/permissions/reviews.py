"""Who may do what with review requests and review comments, and the refusals (each an error
of registry.core.errors, with its HTTP status and stable `code`) when they may not.

The people of a review: the draft's authors (a writeup's author; a proposal's author and
co-authors) invite, withdraw, and resolve or reopen review comments; the reviewer answers
their own request, comments while it is accepted, and finishes it. Review comments are read
by the authors and by reviewers whose request is accepted or finished, before and after
publishing, and by nobody else (moderators included). Anyone else gets 404 from the pages and
the API, as if the review did not exist.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from proposals import permissions as proposal_permissions
from proposals.models import Proposal, Stage
from registry.core.errors import Conflict, NotAllowed, ValidationFailed
from registry.feedback.models import ReviewRequest
from registry.models import Writeup
from registry.permissions import REVIEWER_READS

State = ReviewRequest.State
OPEN_STATES = (State.PENDING, State.ACCEPTED)
# The states whose reviewer reads the draft: the registry names them by string (its layer
# imports nothing of this app); a test holds the two equal.
READS = REVIEWER_READS


class NotAReviewer(NotAllowed):
    code = "not_a_reviewer"
    default_message = _("Only the person asked to review can do that.")


class NotAnAuthor(NotAllowed):
    code = "not_an_author"
    default_message = _("Only the draft's authors can do that.")


class RequestNotPending(Conflict):
    code = "request_not_pending"
    default_message = _("This review request was already answered, withdrawn or has expired.")


class RequestNotAccepted(Conflict):
    code = "request_not_accepted"
    default_message = _("This review is not under way: accept the request first; a finished, "
                        "declined, withdrawn or expired one takes no more comments.")


class RequestClosed(Conflict):
    code = "request_closed"
    default_message = _("This review request is already closed: declined, withdrawn, expired "
                        "or finished.")


class NotReviewable(Conflict):
    code = "not_reviewable"
    default_message = _("Only a draft writeup, or a proposal still in analysis, can be "
                        "reviewed.")


class AlreadyInvited(Conflict):
    code = "already_invited"
    default_message = _("This person already has an open review request on it.")


class ReviewStale(Conflict):
    """409, not StaleVersion's 412: a review comment carries the version in its form or
    body, not an If-Match precondition (as proposals' StaleStage)."""

    code = "stale_version"
    default_message = _("The draft changed since you loaded it. Your comment is kept: check "
                        "that the paragraph still says what you commented on, then send it "
                        "again.")


class ReviewerRefused(ValidationFailed):
    """A 400 naming the `reviewer` field, with its own code."""

    def __init__(self, message: str | None = None):
        message = message or self.default_message
        super().__init__(message, fields={"reviewer": [message]})


class ReviewerIsAuthor(ReviewerRefused):
    code = "reviewer_is_author"
    default_message = _("Ask someone other than the draft's authors (yourself included).")


class ReviewerInactive(ReviewerRefused):
    code = "reviewer_inactive"
    default_message = _("This person's account is closed: ask someone else.")


class AnchorNotFound(ValidationFailed):
    code = "anchor_not_found"
    default_message = _("That paragraph is not in the current version: choose one of the "
                        "paragraphs shown.")

    def __init__(self, message: str | None = None):
        message = message or self.default_message
        super().__init__(message, fields={"anchor": [message]})


# --- Targets --------------------------------------------------------------------------------

def target_filter(target) -> Q:
    """The review requests on `target` (a Writeup or a Proposal)."""
    return Q(writeup=target) if isinstance(target, Writeup) else Q(proposal=target)


def is_author(user, target) -> bool:
    """A writeup's author, a proposal's author or co-author (prefetched co-authors are read
    without a query)."""
    if not user.is_authenticated:
        return False
    if isinstance(target, Proposal):
        return (proposal_permissions.is_author(user, target)
                or proposal_permissions.is_co_author(user, target))
    return target.author_id == user.pk


def is_reviewable(target) -> bool:
    """A draft (not deleted) writeup, or a proposal in analysis: what review requests and
    review comments are for. A request made earlier stays, and can still be finished."""
    if isinstance(target, Proposal):
        return target.stage == Stage.ANALYSIS
    return target.published_at is None and target.deleted_at is None


def reviewing_states(user, target) -> set[str]:
    """The states of `user`'s review requests on `target` (one query; none when signed out)."""
    if not user.is_authenticated:
        return set()
    return set(ReviewRequest.objects.filter(target_filter(target), reviewer=user)
               .values_list("state", flat=True))


def can_see_reviews(user, target, *, states: set[str] | None = None) -> bool:
    """The review comments of `target`: its authors, and reviewers whose request on it is
    accepted or finished. `states`: reviewing_states, when the caller has them already.
    Precondition: `user` may see `target` itself (its visibility selector)."""
    if is_author(user, target):
        return True
    states = reviewing_states(user, target) if states is None else states
    return bool(states & set(REVIEWER_READS))


def can_see_request(user, review_request) -> bool:
    """A request is seen by its reviewer and by the authors of what it is on."""
    return user.is_authenticated and (review_request.reviewer_id == user.pk
                                      or is_author(user, review_request.target))


def invite_refusal(actor, target, reviewer):
    """Why `actor` may not ask `reviewer` to review `target`, as the error to raise, or None.
    In order: not an author (403 not_an_author), not reviewable (409 not_reviewable), an
    inactive reviewer (400 reviewer_inactive), an author or the actor (400
    reviewer_is_author). An open request already there is the service's (409
    already_invited), checked by the database."""
    if not is_author(actor, target):
        return NotAnAuthor(_("Only the authors can ask people to review this."))
    if not is_reviewable(target):
        return NotReviewable()
    if not reviewer.is_active:
        return ReviewerInactive()
    if reviewer.pk == actor.pk or is_author(reviewer, target):
        return ReviewerIsAuthor()
    return None


def answer_refusal(user, review_request):
    """Accepting, declining or finishing is the reviewer's alone (403 not_a_reviewer)."""
    if not user.is_authenticated or review_request.reviewer_id != user.pk:
        return NotAReviewer()
    return None


def author_refusal(user, target):
    """Withdrawing a request, resolving or reopening a review comment: the authors' (403
    not_an_author)."""
    return None if is_author(user, target) else NotAnAuthor()


def comment_refusal(user, review_request, target):
    """Commenting: only the reviewer (403 not_a_reviewer), while their request is accepted
    (409 request_not_accepted) and the draft is still in review (409 not_reviewable)."""
    if refusal := answer_refusal(user, review_request):
        return refusal
    if review_request.state != State.ACCEPTED:
        return RequestNotAccepted()
    if not is_reviewable(target):
        return NotReviewable(_("It is no longer a draft in review, so it takes no more review "
                               "comments. You can still finish your review."))
    return None
