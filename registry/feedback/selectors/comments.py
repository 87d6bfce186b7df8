"""Reads for comment threads: one visibility rule (comments_visible_to) that the pages, the API,
moderation and notifications all ask."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from proposals.models import Proposal
from proposals.selectors import proposal_visible_to, shown_to
from registry import permissions
from registry.feedback.models import Comment, Mention
from registry.models import Writeup
from registry.selectors import published_writeup_visible_to, writeups_visible_to

# Top-level comments on one page of a thread (their replies come with them).
THREAD_PAGE_SIZE = 50
# What each comment in a list shows besides itself: its author's name and what it is on.
SHOWN_WITH = ("author__profile", "writeup__topic", "proposal__topic")


def comments_visible_to(user, *, with_hidden: bool = False) -> QuerySet:
    """Comments on the published writeups and the proposals `user` may see, through their own
    visibility selectors: none on a draft, and none on a writeup or proposal hidden from
    `user` or on a hidden topic. Deleted ones are included (their tombstones keep replies in
    place). A hidden comment only for its author and the moderators, unless `with_hidden`
    (a thread shows others a notice in its place)."""
    published = writeups_visible_to(user).filter(published_at__isnull=False)
    on_target = (Q(writeup__in=published.order_by().values("pk"))
                 | Q(proposal__in=Proposal.objects.filter(shown_to(user)).order_by()
                     .values("pk")))
    visible = Comment.objects.filter(on_target)
    if not with_hidden:
        mine = Q(author=user) if user.is_authenticated else Q(pk__in=[])
        visible = visible.filter(Q(hidden=False) | mine | permissions.moderator_condition(user))
    return visible


def on(target) -> dict:
    """The lookup for the comments on `target`, a writeup or a proposal."""
    return {"proposal": target} if isinstance(target, Proposal) else {"writeup": target}


def discussion_target(user, kind: str, pk: int):
    """The published writeup or the proposal (`kind`) whose discussion `user` opens, through
    their visibility selectors; Http404 when they may not see it (a draft has none)."""
    if kind == "proposal":
        return get_object_or_404(Proposal.objects.filter(shown_to(user)).select_related("topic"),
                                 pk=pk)
    return get_object_or_404(writeups_visible_to(user).filter(published_at__isnull=False),
                             pk=pk)


def comment_visible_to(user, pk: int) -> Comment:
    """One comment `user` may see (a hidden one too: its page shows others a notice), with
    what it is on; Http404 otherwise."""
    return get_object_or_404(comments_visible_to(user, with_hidden=True)
                             .select_related(*SHOWN_WITH, "parent"), pk=pk)


def _on_target_seen(target, user) -> QuerySet:
    """comments_visible_to(user, with_hidden=True) narrowed to the comments on `target`, asked
    once about the target instead of in every query of the thread: as a condition, "on a
    writeup or proposal `user` may see" puts every visible writeup and proposal in each query
    (300 ms apiece with 200,000 writeups) and costs its compilation each time. A public
    target needs no query; any other is looked up by primary key through its selector."""
    seen = (proposal_visible_to(user, target) if isinstance(target, Proposal)
            else published_writeup_visible_to(user, target))
    return Comment.objects.filter(**on(target)) if seen else Comment.objects.none()


def thread_comments(target, user, *, aspect: str = "") -> QuerySet:
    """The top-level comments on `target` that `user` may see, oldest first, each with its
    replies (`shown_replies`, oldest first) and authors: three queries for a page however
    long it is (the count, the comments, their replies). Hidden ones are included; the
    thread shows others a notice for them. `aspect` keeps the comments on one part of a
    proposal (with their replies)."""
    visible = _on_target_seen(target, user).select_related("author__profile")
    replies = visible.filter(parent__isnull=False).order_by("created_at", "id")
    top = visible.filter(parent__isnull=True)
    if aspect:
        top = top.filter(aspect=aspect)
    return top.prefetch_related(Prefetch("replies", queryset=replies, to_attr="shown_replies")
                                ).order_by("created_at", "id")


def own_comments_among(target, user, *, pks: list[int]) -> list[Comment]:
    """The comments among `pks` on `target` that `user` wrote (deleted and hidden ones too),
    each with `user` as its author: a thread shows them buttons on these. One query; none for
    a visitor."""
    if not user.is_authenticated or not pks:
        return []
    mine = list(Comment.objects.filter(**on(target), author=user, pk__in=pks).order_by("pk"))
    for comment in mine:
        comment.author = user  # read already, with their profile, by the page's header
    return mine


def thread_page(target, user, *, page=None, aspect: str = "") -> Page:
    """One page of thread_comments, THREAD_PAGE_SIZE top-level comments long."""
    return Paginator(thread_comments(target, user, aspect=aspect), THREAD_PAGE_SIZE).get_page(
        page)


def thread_url(comment, user) -> str:
    """Where `comment` is shown: its writeup's or proposal's page, at the page of the thread
    that holds it (or its top-level comment), at its anchor."""
    top = comment.parent if comment.parent_id else comment
    before = (comments_visible_to(user, with_hidden=True)
              .filter(**on(comment.target), parent__isnull=True)
              .filter(Q(created_at__lt=top.created_at) | Q(created_at=top.created_at,
                                                           pk__lt=top.pk)).count())
    page = before // THREAD_PAGE_SIZE + 1
    query = f"?page={page}" if page > 1 else ""
    return f"{comment.target.get_absolute_url()}{query}#comment-{comment.pk}"


def comment_versions(comment) -> QuerySet:
    """What the comment said after each save, newest first."""
    return comment.versions.order_by("-number")


def mentions_of(person) -> QuerySet:
    """The comments that mention `person` and that they may still see (not deleted, not
    hidden from them), newest first, each with its comment, author and target."""
    shown = comments_visible_to(person).filter(deleted_at__isnull=True).order_by().values("pk")
    return (Mention.objects.filter(person=person, comment__in=shown)
            .select_related(*(f"comment__{name}" for name in SHOWN_WITH))
            .order_by("-created_at", "-id"))


def _shown_count(model, field: str) -> QuerySet:
    """Each row of `model` with `computed`: its comments shown to everyone (not deleted,
    not hidden)."""
    shown = (Comment.objects.filter(**{field: OuterRef("pk")}, hidden=False,
                                    deleted_at__isnull=True)
             .order_by().values(field).annotate(n=Count("pk")).values("n"))
    return model.objects.annotate(computed=Coalesce(Subquery(shown), 0))


def comment_count_drift() -> list[tuple[str, int, int, int]]:
    """(kind, id, stored, computed) for every writeup and proposal whose stored
    comment_count differs from its comments shown to everyone. Empty while the services keep
    them (the nightly reconcile logs anything else as an error)."""
    return [(kind, row.pk, row.comment_count, row.computed)
            for kind, model in (("writeup", Writeup), ("proposal", Proposal))
            for row in _shown_count(model, kind).exclude(comment_count=F("computed"))
            .only("pk", "comment_count").order_by("pk")]
