"""Reads for follows and notifications."""

import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet

from registry.models import Claim
from registry.notifications.models import (
    ClaimReminder,
    Delivery,
    Follow,
    Notification,
    NotificationSettings,
)

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


def notifications_for(person, *, unread: bool = False) -> QuerySet:
    """The person's own notifications, newest first."""
    rows = (Notification.objects.filter(recipient=person)
            .select_related("topic", "proposal", "actor"))
    return rows.filter(read_at__isnull=True) if unread else rows


def unread_count(person) -> int:
    return Notification.objects.filter(recipient=person, read_at__isnull=True).count()


def follows(person, *, topic=None, proposal=None) -> bool:
    target = {"topic": topic} if topic is not None else {"proposal": proposal}
    return Follow.objects.filter(person=person, **target).exists()


def settings_for(person) -> NotificationSettings:
    """The person's settings, unsaved defaults when they never changed any."""
    return (NotificationSettings.objects.filter(person=person).first()
            or NotificationSettings(person=person))
