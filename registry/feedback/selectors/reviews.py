"""Reads for review requests and review comments.

What may be seen is decided once: requests_visible_to for requests (their reviewer and the
authors of what they are on), review_target for the draft or proposal itself (its own
visibility selector, then the review rule of permissions.reviews), and every page and API
view reads through them. Nothing here ever lists a draft for anyone but its people.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from proposals.models import Proposal
from proposals.selectors import proposals_visible_to, shown_to
from registry.core.errors import NotVisible
from registry.feedback import anchors
from registry.feedback.models import ReviewComment, ReviewRequest
from registry.feedback.permissions import reviews as permissions
from registry.models import Writeup
from registry.selectors import PUBLISHED, public_recognitions, writeups_visible_to

State = ReviewRequest.State
KINDS = ("writeup", "proposal")
# People a search for a reviewer shows at most (a longer list asks for a longer name).
CANDIDATES = 20
SUGGESTIONS = 8


# --- Targets --------------------------------------------------------------------------------

def review_target(user, kind: str, pk: int, *, reviews: bool = True):
    """The writeup or proposal `pk` as `user` may see it for a review, or NotVisible (404).

    A writeup through writeups_visible_to(for_review=True), a proposal through shown_to. With
    `reviews` (the review page, review comments) the user must also be one of its people
    (permissions.can_see_reviews): to anyone else the review does not exist. Proposals come
    with their co-authors prefetched (permissions.is_author reads them)."""
    if kind == "writeup":
        target = writeups_visible_to(user, for_review=True).filter(pk=pk).first()
    elif kind == "proposal":
        target = (proposals_visible_to(user).prefetch_related(None)
                  .prefetch_related("co_authors").filter(pk=pk).first())
    else:
        target = None
    if target is None or (reviews and not permissions.can_see_reviews(user, target)):
        message = {
            "writeup": _("There is no writeup %(id)s under review that you can see."),
            "proposal": _("There is no proposal %(id)s under review that you can see."),
        }.get(kind, _("There is nothing under review here that you can see."))
        raise NotVisible(message % {"id": pk} if kind in KINDS else message)
    return target


def kind_of(target) -> str:
    return "proposal" if isinstance(target, Proposal) else "writeup"


def current_html(target) -> str:
    """What a review reads: a writeup's body, a proposal's analysis (rendered HTML)."""
    return target.analysis_html if isinstance(target, Proposal) else target.body_html


def authors_of(target) -> list:
    """The people who answer for `target`: a writeup's author; a proposal's author and its
    co-authors."""
    if isinstance(target, Proposal):
        return [target.author, *target.co_authors.all()]
    return [target.author]


# --- Requests -------------------------------------------------------------------------------

def requests_visible_to(user) -> QuerySet:
    """Review requests `user` may see: those asking them to review, and those on what they
    wrote or co-author. A request on a deleted writeup, or on a writeup or proposal hidden
    from them, is left out (its title would leak). Newest first, with what a list shows."""
    if not user.is_authenticated:
        return ReviewRequest.objects.none()
    co_authored = Proposal.co_authors.through.objects.filter(user=user).values("proposal_id")
    mine = (Q(reviewer=user) | Q(writeup__author=user) | Q(proposal__author=user)
            | Q(proposal__in=co_authored))
    writeup_seen = Q(writeup__isnull=True) | (Q(writeup__deleted_at__isnull=True) & (
        Q(writeup__author=user) | Q(writeup__hidden=False, writeup__topic__hidden=False)))
    proposal_seen = Q(proposal__isnull=True) | Q(
        proposal__in=Proposal.objects.filter(shown_to(user)).values("pk"))
    return (ReviewRequest.objects.filter(mine, writeup_seen, proposal_seen)
            .select_related("writeup__topic", "writeup__author__profile", "proposal__topic",
                            "proposal__author__profile", "reviewer__profile",
                            "invited_by__profile"))


def request_for(user, pk) -> ReviewRequest:
    found = requests_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise NotVisible(_("There is no review request %(id)s that you can see.") % {"id": pk})
    return found


def requests_on(target) -> list[ReviewRequest]:
    """Every request on `target`, newest first, each with `open_comments` (its review
    comments still open): one query, kept on `target` so the tags of one page share it."""
    cached = getattr(target, "_review_requests", None)
    if cached is None:
        cached = list(ReviewRequest.objects.filter(permissions.target_filter(target))
                      .select_related("reviewer__profile", "invited_by__profile")
                      .annotate(open_comments=Count(
                          "comments", filter=Q(comments__state=ReviewComment.State.OPEN))))
        target._review_requests = cached
    return cached


def has_readers(target) -> bool:
    """Whether some reviewer reads `target` now (accepted or finished): what "only you and
    your reviewers can see it" says."""
    return any(r.state in permissions.READS for r in requests_on(target))


def reviewers_named(target) -> list:
    """The reviewers who finished and agreed to be named, in the order they finished."""
    requests = [r for r in requests_on(target) if r.state == State.FINISHED and r.named]
    return [r.reviewer for r in sorted(requests, key=lambda r: (r.finished_at, r.pk))]


def my_reviews(user) -> QuerySet:
    """`user`'s open review requests as reviewer (pending, then accepted), oldest first:
    what "My reviews" lists on My work."""
    return (requests_visible_to(user).filter(reviewer=user, state__in=permissions.OPEN_STATES)
            .order_by("-state", "created_at", "pk"))


# --- Choosing reviewers ---------------------------------------------------------------------

@dataclass(frozen=True)
class Suggestion:
    person: object
    reason: str


def _excluded(target) -> set[int]:
    """Authors, and everyone asked before (any state: a person who declined is not asked
    again by suggestion; they can still be chosen by name)."""
    return ({person.pk for person in authors_of(target)}
            | {r.reviewer_id for r in requests_on(target)})


def _topic_first(topic):
    return Case(When(topic=topic, then=Value(0)), default=Value(1),
                output_field=IntegerField())


def suggested_reviewers(target, *, limit: int = SUGGESTIONS) -> list[Suggestion]:
    """People who know the subject, never its authors or anyone already asked: those
    recognised on the topic, then on its cluster (registry.selectors.public_recognitions),
    then people with public work on the topic, then on the cluster. Each says why. Two
    queries (plus requests_on, shared with the page)."""
    topic, excluded = target.topic, _excluded(target)
    place = Q(topic__cluster_id=topic.cluster_id)
    people = Q(is_active=True, profile__hidden=False)
    recognitions = (public_recognitions().prefetch_related(None)
                    .filter(place, person__in=get_user_model().objects.filter(people))
                    .exclude(person_id__in=excluded)
                    .order_by(_topic_first(topic), "created_at", "pk")[:limit * 4])
    work = (Writeup.objects.filter(PUBLISHED, place, hidden=False, topic__hidden=False,
                                   author__in=get_user_model().objects.filter(people))
            .exclude(author_id__in=excluded).select_related("author__profile", "topic")
            .order_by(_topic_first(topic), "-published_at", "-pk")[:limit * 4])
    found: dict[int, Suggestion] = {}
    for recognition in recognitions:
        found.setdefault(recognition.person_id, Suggestion(
            recognition.person,
            _("recognised on %(topic)s") % {"topic": recognition.topic.local_title}))
    for writeup in work:
        found.setdefault(writeup.author_id, Suggestion(
            writeup.author,
            _("published on %(topic)s") % {"topic": writeup.topic.local_title}))
    return list(found.values())[:limit]


@dataclass(frozen=True)
class Candidate:
    person: object
    refusal: str = ""  # why they cannot be chosen ("an author", "already asked")


def reviewer_candidates(target, q: str) -> tuple[list[Candidate], bool]:
    """People whose name, as everyone sees it, contains `q` (case-blind): the display name,
    or the username of someone without one or whose profile is hidden. At most CANDIDATES,
    by name; the second value says whether there were more. Authors and people with an
    open request are listed as such, not left out, so nobody wonders where they went."""
    q = q.strip()
    if not q:
        return [], False
    by_name = (Q(profile__hidden=False, profile__display_name__icontains=q)
               | (Q(username__icontains=q) & (Q(profile__isnull=True) | Q(profile__hidden=True)
                                              | Q(profile__display_name=""))))
    people = list(get_user_model().objects.filter(by_name, is_active=True)
                  .select_related("profile").order_by("profile__display_name", "username")
                  [:CANDIDATES + 1])
    authors = {person.pk for person in authors_of(target)}
    open_requests = {r.reviewer_id for r in requests_on(target)
                     if r.state in permissions.OPEN_STATES}
    candidates = [Candidate(person, _("an author") if person.pk in authors
                            else _("already asked") if person.pk in open_requests else "")
                  for person in people[:CANDIDATES]]
    return candidates, len(people) > CANDIDATES


# --- Review comments ------------------------------------------------------------------------

def review_comment_for(user, pk) -> tuple[ReviewComment, object]:
    """The review comment `pk` and its writeup or proposal, when `user` sees the review
    (review_target); NotVisible (404) otherwise, whether or not it exists."""
    comment = (ReviewComment.objects.select_related("request__writeup", "request__proposal")
               .filter(pk=pk).first())
    if comment is None:
        raise NotVisible(_("There is no review comment %(id)s that you can see.") % {"id": pk})
    on = comment.request.target
    target = review_target(user, kind_of(on), on.pk)
    setattr(comment.request, kind_of(target), target)
    return comment, target

def review_comments_on(target) -> QuerySet:
    """Every review comment of every reviewer on `target`, oldest first. Callers have
    checked permissions.can_see_reviews (review_target)."""
    return (ReviewComment.objects.filter(**{f"request__{kind_of(target)}": target})
            .select_related("author__profile", "resolved_by__profile", "request"))


@dataclass
class SegmentView:
    """One top-level element of the current version, its blocks, and the comments on them
    as (block, comment) pairs."""

    html: str
    blocks: list
    comments: list = field(default_factory=list)


@dataclass
class ReviewLayout:
    """The review page: the current version cut into segments with their comments, the
    comments on the draft as a whole, those whose paragraph is gone (by version, newest
    first), and the paragraphs a new comment may be on (anchor, label), each once."""

    version: int
    segments: list[SegmentView]
    whole: list
    earlier: list[tuple[int, list]]
    choices: list[tuple[str, str]]

    @property
    def open_count(self) -> int:
        every = [c for s in self.segments for _, c in s.comments] + self.whole + [
            c for _, group in self.earlier for c in group]
        return sum(c.state == ReviewComment.State.OPEN for c in every)


def review_layout(target, comments) -> ReviewLayout:
    """`comments` (review_comments_on) placed on the current version of `target`: beside the
    first block with their anchor, on the whole draft when the anchor is blank, else under
    the version they were written on."""
    segments = [SegmentView(html=s.html, blocks=s.blocks)
                for s in anchors.segments(current_html(target))]
    first = {}
    for segment in segments:
        for block in segment.blocks:
            first.setdefault(block.anchor, (segment, block))
    whole, earlier = [], {}
    for comment in comments:
        if not comment.anchor:
            whole.append(comment)
        elif comment.anchor in first:
            segment, block = first[comment.anchor]
            segment.comments.append((block, comment))
        else:
            earlier.setdefault(comment.version, []).append(comment)
    choices = [(anchor, block.label) for anchor, (_, block) in first.items()]
    return ReviewLayout(version=target.version, segments=segments, whole=whole,
                        earlier=sorted(earlier.items(), reverse=True), choices=choices)


def open_review_comments(target) -> int:
    """How many review comments on `target` are open (from requests_on: no query of its
    own)."""
    return sum(r.open_comments for r in requests_on(target))
