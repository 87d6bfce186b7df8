"""Follows, the notification outbox, notification settings and claim-reminder bookkeeping.

Part of the registry app: registry/models.py imports these so Django sees them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import NoReverseMatch, reverse


class EventKind(models.TextChoices):
    """What a notification is about; also the keys of a person's notification settings."""

    CLAIM_MADE = "claim_made", "a topic is claimed"
    CLAIM_RELEASED = "claim_released", "a claim is released"
    CLAIM_DORMANT = "claim_dormant", "a claim goes dormant"
    CLAIM_REMINDER = "claim_reminder", "your claim is going quiet (a reminder)"
    WRITEUP_PUBLISHED = "writeup_published", "a writeup is published"
    PROPOSAL_CREATED = "proposal_created", "a proposal is created"
    PROPOSAL_MOVED = "proposal_moved", "a proposal moves stage"
    OWNER_GAINED = "owner_gained", "a proposal gains an owner"
    OWNER_LOST = "owner_lost", "a proposal loses its owner"
    INVITATION_SENT = "invitation_sent", "an owner invitation is sent"
    INVITATION_DECLINED = "invitation_declined", "an owner invitation is declined"
    INVITATION_EXPIRED = "invitation_expired", "an owner invitation expires"
    CO_AUTHOR_INVITED = "co_author_invited", "you are invited to co-author a proposal"
    CO_AUTHOR_ANSWERED = "co_author_answered", "a co-author invitation is accepted or declined"
    CO_AUTHOR_WITHDRAWN = "co_author_withdrawn", "a co-author invitation is withdrawn or expires"
    CO_AUTHOR_REMOVED = "co_author_removed", "a co-author leaves or is removed"
    SUGGESTION_LISTED = "suggestion_listed", "your suggested topic is listed"
    SUGGESTION_DECLINED = "suggestion_declined", "your suggested topic is declined"
    ENDORSEMENT = "endorsement", "your writeup is endorsed, or an endorsement of it is withdrawn"
    RECOGNITION = "recognition", "expertise is recognised on a topic you follow, or yours is"
    GAP_OPENED = "gap_opened", "a topic becomes a gap in a cluster you watch (funders)"
    TOPIC_COVERED = "topic_covered", "a topic becomes covered in a cluster you watch (funders)"
    REPORT_MADE = "report_made", "someone reports content (moderators)"
    COMMENT_POSTED = "comment_posted", "a comment on something you follow, wrote or commented on"
    MENTIONED = "mentioned", "someone mentions you in a comment"
    REVIEW_REQUESTED = "review_requested", "you are asked to review a draft, or reminded"
    REVIEW_ANSWERED = "review_answered", "a review request is accepted, declined or finished"
    REVIEW_CLOSED = "review_closed", "a review request is withdrawn or expires"
    REVIEW_COMMENT = "review_comment", "a review comment on your draft, or on your review"


class Delivery(models.TextChoices):
    EMAIL = "email", "e-mail now"
    DIGEST = "digest", "in my digest"
    SITE = "site", "on the site only"


class DigestFrequency(models.TextChoices):
    DAILY = "daily", "daily"
    WEEKLY = "weekly", "weekly (Mondays)"


class Follow(models.Model):
    """A person follows exactly one topic, one proposal or one writeup's discussion."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="follows")
    topic = models.ForeignKey("registry.Topic", null=True, blank=True, on_delete=models.CASCADE,
                              related_name="follows")
    proposal = models.ForeignKey("proposals.Proposal", null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="follows")
    # A writeup is followed for its comment thread (commenting follows it).
    writeup = models.ForeignKey("registry.Writeup", null=True, blank=True,
                                on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "registry_follow"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(topic__isnull=False, proposal__isnull=True, writeup__isnull=True)
                | Q(topic__isnull=True, proposal__isnull=False, writeup__isnull=True)
                | Q(topic__isnull=True, proposal__isnull=True, writeup__isnull=False),
                name="follow_exactly_one_target",
            ),
            models.UniqueConstraint(fields=["person", "topic"], condition=Q(topic__isnull=False),
                                    name="one_follow_per_person_and_topic"),
            models.UniqueConstraint(fields=["person", "proposal"],
                                    condition=Q(proposal__isnull=False),
                                    name="one_follow_per_person_and_proposal"),
            models.UniqueConstraint(fields=["person", "writeup"],
                                    condition=Q(writeup__isnull=False),
                                    name="one_follow_per_person_and_writeup"),
        ]

    def __str__(self):
        return f"{self.person} follows {self.topic or self.proposal or self.writeup}"


class Notification(models.Model):
    """One event for one person: an inbox line and, by `delivery`, an e-mail (the outbox).

    Written in the transaction of the event it reports. `email_state` moves
    pending → sending → sent with conditional UPDATEs (see services.notification_emails_send),
    so a task that runs twice sends once; site-only rows are `none` from the start.
    """

    class EmailState(models.TextChoices):
        PENDING = "pending", "pending"
        SENDING = "sending", "sending"
        SENT = "sent", "sent"
        NONE = "none", "not e-mailed"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="notifications")
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    topic = models.ForeignKey("registry.Topic", null=True, blank=True, on_delete=models.CASCADE,
                              related_name="+")
    proposal = models.ForeignKey("proposals.Proposal", null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="+")
    # The writeup the text quotes, so the row is withheld once it is hidden (it links to
    # the topic).
    writeup = models.ForeignKey("registry.Writeup", null=True, blank=True,
                                on_delete=models.CASCADE, related_name="+")
    # The comment the text quotes, withheld like the writeup once it is hidden or deleted.
    comment = models.ForeignKey("feedback.Comment", null=True, blank=True,
                                on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    text = models.CharField(max_length=500)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    delivery = models.CharField(max_length=8, choices=Delivery.choices)
    email_state = models.CharField(max_length=8, choices=EmailState.choices)
    # The send that claimed this row: rows claimed together go out in one e-mail.
    batch_key = models.UUIDField(null=True, blank=True)
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "registry_notification"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
            models.Index(fields=["email_state", "delivery", "created_at"]),
        ]

    def __str__(self):
        return f"to {self.recipient}: {self.text}"

    def get_absolute_url(self):
        if self.kind == EventKind.REPORT_MADE:  # moderators act on it in their queue
            return reverse("moderation:queue")
        if self.comment_id:  # its permalink finds it in its thread
            return reverse("feedback:comment", kwargs={"pk": self.comment_id})
        target = self.proposal or self.topic
        try:
            return target.get_absolute_url() if target else ""
        except NoReverseMatch:  # a link is a convenience: a missing page must not stop an e-mail
            return ""


class NotificationSettings(models.Model):
    """How a person hears about each EventKind. A kind missing from `delivery` means e-mail."""

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="notification_settings")
    delivery = models.JSONField(default=dict, blank=True)
    digest_frequency = models.CharField(max_length=8, choices=DigestFrequency.choices,
                                        default=DigestFrequency.DAILY)

    class Meta:
        db_table = "registry_notificationsettings"
        verbose_name_plural = "notification settings"

    def __str__(self):
        return f"notification settings of {self.person}"

    def delivery_for(self, kind: str) -> str:
        return self.delivery.get(kind, Delivery.EMAIL)


class ClaimReminder(models.Model):
    """A reminder sent for one quiet period of a claim: the period starts at `quiet_since`
    (the claim's last_activity_at), so any new activity opens a new period."""

    claim = models.ForeignKey("registry.Claim", on_delete=models.CASCADE,
                              related_name="reminders")
    quiet_since = models.DateTimeField()
    sent_at = models.DateTimeField()

    class Meta:
        db_table = "registry_claimreminder"
        constraints = [models.UniqueConstraint(fields=["claim", "quiet_since"],
                                               name="one_reminder_per_quiet_period")]

    def __str__(self):
        return f"reminder for claim {self.claim_id} quiet since {self.quiet_since:%Y-%m-%d}"
