"""Reads for follows and notifications."""

import datetime

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import StrIndex
from django.http import Http404

from proposals.models import Proposal
from proposals.selectors import shown_to
from registry.models import Claim, Profile
from registry.notifications.models import (
    FUNDERS_ALERTS,
    MODERATION,
    SETTINGS_GROUPS,
    ClaimReminder,
    Delivery,
    EventKind,
    Follow,
    Notification,
    NotificationSettings,
)
from registry.permissions import is_moderator, moderator_condition
from registry.selectors import profiles_visible_to, topics_visible_to, writeups_visible_to

State = Notification.EmailState


def _batch_window() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.GAPMAP_NOTIFY_BATCH_MINUTES)


def due_email_ids(*, recipient_id: int, now: datetime.datetime) -> list[int]:
    """The person's pending e-mail notifications, if the oldest is past the batch window
    (the burst is over); otherwise none yet."""
    pending = Notification.objects.filter(recipient_id=recipient_id, delivery=Delivery.EMAIL,
                                          email_state=State.PENDING, created_at__lte=now)
    oldest = pending.order_by("created_at").values_list("created_at", flat=True).first()
    if oldest is None or oldest > now - _batch_window():
        return []
    return list(pending.values_list("pk", flat=True))


def recipients_with_due_emails(*, now: datetime.datetime) -> list[int]:
    return list(Notification.objects.filter(
        delivery=Delivery.EMAIL, email_state=State.PENDING, created_at__lte=now - _batch_window()
    ).order_by().values_list("recipient_id", flat=True).distinct())


def claims_due_reminder(*, now: datetime.datetime) -> QuerySet:
    """Active claims quiet for GAPMAP_CLAIM_REMINDER_DAYS, not yet due to go dormant, and not
    reminded in this quiet period."""
    remind_before = now - datetime.timedelta(days=settings.GAPMAP_CLAIM_REMINDER_DAYS)
    dormant_before = now - datetime.timedelta(days=settings.GAPMAP_CLAIM_DORMANT_DAYS)
    reminded = ClaimReminder.objects.filter(claim=OuterRef("pk"),
                                            quiet_since=OuterRef("last_activity_at"))
    return Claim.objects.filter(state=Claim.State.ACTIVE, last_activity_at__lte=remind_before,
                                last_activity_at__gte=dormant_before).exclude(Exists(reminded))


def group_by_target(rows) -> list[tuple[object, list[Notification]]]:
    """Notifications grouped by their proposal or topic, in first-seen order (for digests)."""
    groups: dict[tuple, tuple[object, list]] = {}
    for row in rows:
        target = row.proposal or row.topic
        key = ("proposal", row.proposal_id) if row.proposal_id else ("topic", row.topic_id)
        groups.setdefault(key, (target, []))[1].append(row)
    return list(groups.values())


def about_visible_to(person) -> Q:
    """Notifications whose topic, proposal, writeup, comment and quoted name `person` may
    still see.

    A row quotes its subject's title and its actor's name as they were when it was written;
    once the subject or the actor's profile is hidden from `person`, the row is withheld
    from the inbox, the unread count, the API and e-mails not yet sent (the row is kept, so
    it comes back if the item is shown again). Reports are for moderators, who see all.
    """
    # Correlated EXISTS, one index lookup per row: `topic__in=<every visible topic>` made
    # PostgreSQL hash all 200,000 visible writeups to count one person's 27 unread rows
    # (300 ms in the header of every signed-in page at the benchmark's scale).
    return ((Q(topic__isnull=True) | _one_of(topics_visible_to(person), "topic"))
            & (Q(proposal__isnull=True)
               | _one_of(Proposal.objects.filter(shown_to(person)), "proposal"))
            & (Q(writeup__isnull=True) | _one_of(writeups_visible_to(person), "writeup"))
            & (Q(comment__isnull=True) | _comment_shown_to(person))
            & (~Exists(_quoted_hidden_name(person)) | Q(kind=EventKind.REPORT_MADE)))


def _one_of(queryset: QuerySet, column: str) -> Exists:
    """The row's `column` is one of `queryset`'s rows."""
    return Exists(queryset.order_by().filter(pk=OuterRef(column)))


def _comment_shown_to(person) -> Q:
    """The row's comment is not deleted, and not hidden from `person` (a hidden comment is
    shown whole to its author and the moderators), as registry.feedback's
    comments_visible_to says; named by lookups, since that app sits above this one. Whether
    its writeup or proposal is visible, the row's own writeup and proposal say."""
    whole = Q(comment__hidden=False) | moderator_condition(person)
    if person.is_authenticated:
        whole |= Q(comment__author=person)
    return Q(comment__deleted_at__isnull=True) & whole


def _quoted_hidden_name(person) -> QuerySet:
    """The actor's profile, when it is hidden from `person` and the row's text quotes its
    display name (rows written after the hide quote only the username, which stays public)."""
    visible = profiles_visible_to(person).order_by().values("pk")
    return (Profile.objects.filter(user=OuterRef("actor"), hidden=True)
            .exclude(display_name="").exclude(pk__in=visible)
            .annotate(quoted_at=StrIndex(OuterRef("text"), F("display_name")))
            .filter(quoted_at__gt=0))


def notifications_for(person, *, unread: bool = False) -> QuerySet:
    """The person's own notifications they may still see (about_visible_to), newest first."""
    rows = (Notification.objects.filter(about_visible_to(person), recipient=person)
            .select_related("topic__cluster", "proposal", "actor"))
    return rows.filter(read_at__isnull=True) if unread else rows


def unread_count(person) -> int:
    return notifications_for(person, unread=True).count()


def follow_on(*, topic=None, proposal=None, writeup=None) -> dict:
    """The one thing a follow is on, as a Follow lookup: the first of them given."""
    if topic is not None:
        return {"topic": topic}
    return {"proposal": proposal} if proposal is not None else {"writeup": writeup}


def followable_writeups(person) -> QuerySet:
    """Writeups whose discussion `person` may follow: published ones they may see (a draft
    has no discussion)."""
    return writeups_visible_to(person).filter(published_at__isnull=False)


def follow_target(person, *, unfollow: bool, topic_slug: str | None = None,
                  proposal_id: int | None = None, writeup_id: int | None = None) -> dict:
    """The topic, proposal or writeup to follow or unfollow, as follow_create/follow_delete
    take it.

    Following needs a target `person` may see. Unfollowing also finds one hidden since it
    was followed, so hiding never traps a follow; anything else is Http404, whether or not
    it exists.
    """
    if topic_slug is not None:
        key, visible, lookup = "topic", topics_visible_to(person), {"slug": topic_slug}
    elif proposal_id is not None:
        key, visible, lookup = "proposal", Proposal.objects.filter(shown_to(person)), {
            "pk": proposal_id}
    else:
        key, visible, lookup = "writeup", followable_writeups(person), {"pk": writeup_id}
    found = visible.filter(**lookup).first()
    if found is None and unfollow:
        found = visible.model.objects.filter(follows__person=person, **lookup).first()
    if found is None:
        raise Http404(f"No such {key}.")
    return {key: found}


def follows_of(person) -> list[tuple[Follow, object, bool]]:
    """Everything `person` follows, newest first: (follow, its topic, proposal or writeup,
    whether they may still see it). A hidden one stays listed, unnamed, so it can be
    unfollowed. One query per kind, whatever the rows."""
    rows = list(Follow.objects.filter(person=person)
                .select_related("topic", "proposal", "writeup"))
    visible = {"topic": topics_visible_to(person),
               "proposal": Proposal.objects.filter(shown_to(person)),
               "writeup": followable_writeups(person)}
    shown = set()
    for kind, things in visible.items():
        ids = [pk for f in rows if (pk := getattr(f, f"{kind}_id"))]
        shown |= {(kind, pk) for pk in things.filter(pk__in=ids).values_list("pk", flat=True)}
    listed = []
    for follow in rows:
        kind = next(kind for kind in visible if getattr(follow, f"{kind}_id"))
        target = getattr(follow, kind)
        listed.append((follow, target, (kind, target.pk) in shown))
    return listed


def follows(person, *, topic=None, proposal=None, writeup=None) -> bool:
    target = follow_on(topic=topic, proposal=proposal, writeup=writeup)
    return Follow.objects.filter(person=person, **target).exists()


def settings_groups_for(person) -> list[tuple[str, tuple]]:
    """SETTINGS_GROUPS as `person` needs them: funders' alerts only for a funder, moderation
    only for a moderator (nobody else hears of those kinds)."""
    leave_out = set()
    funder = getattr(person, "_is_funder", None)  # when a page asked already
    if funder is None:
        funder = Profile.objects.filter(user=person, is_funder=True).exists()
    if not funder:
        leave_out.add(FUNDERS_ALERTS)
    if not is_moderator(person):
        leave_out.add(MODERATION)
    return [(heading, kinds) for heading, kinds in SETTINGS_GROUPS if heading not in leave_out]


def settings_for(person) -> NotificationSettings:
    """The person's settings, unsaved defaults when they never changed any."""
    return (NotificationSettings.objects.filter(person=person).first()
            or NotificationSettings(person=person))
