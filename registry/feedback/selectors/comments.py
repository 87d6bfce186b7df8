"""Reads for comment threads and review requests: one visibility rule per model."""

from django.db.models import Q, QuerySet

from proposals.models import Proposal
from proposals.selectors import shown_to
from registry import permissions
from registry.feedback.models import Comment
from registry.selectors import writeups_visible_to


def comments_visible_to(user, *, with_hidden: bool = False) -> QuerySet:
    """Comments on the published writeups and the proposals `user` may see, deleted ones
    included (their tombstones keep replies in place). Hidden comments only for their author
    and the moderators, unless `with_hidden` (the thread shows others a notice instead)."""
    published = writeups_visible_to(user).filter(published_at__isnull=False)
    on_target = (Q(writeup__in=published.values("pk"))
                 | Q(proposal__in=Proposal.objects.filter(shown_to(user)).values("pk")))
    visible = Comment.objects.filter(on_target)
    if not with_hidden:
        mine = Q(author=user) if user.is_authenticated else Q(pk__in=[])
        visible = visible.filter(Q(hidden=False) | mine | permissions.moderator_condition(user))
    return visible
