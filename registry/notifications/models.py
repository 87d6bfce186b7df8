"""Follows, the notification outbox, notification settings and claim-reminder bookkeeping.

Part of the registry app: registry/models.py imports these so Django sees them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from registry.notifications import messages


class EventKind(models.TextChoices):
    """What a notification is about; also the keys of a person's notification settings. Each
    label is a sentence: the settings page lists them under SETTINGS_GROUPS' headings."""

    CLAIM_MADE = "claim_made", _("Someone claims a topic you follow")
    CLAIM_RELEASED = "claim_released", _("A claim on a topic you follow is released")
    CLAIM_DORMANT = "claim_dormant", _("A claim on a topic you follow goes dormant")
    CLAIM_REMINDER = "claim_reminder", _("A claim of yours is going quiet (a reminder)")
    WRITEUP_PUBLISHED = "writeup_published", _("A writeup is published on a topic you follow")
    PROPOSAL_CREATED = "proposal_created", _("A proposal is started on a topic you follow")
    PROPOSAL_MOVED = "proposal_moved", _("A proposal you follow moves stage")
    OWNER_GAINED = "owner_gained", _("A proposal you follow gains an owner")
    OWNER_LOST = "owner_lost", _("A proposal you follow loses its owner")
    INVITATION_SENT = "invitation_sent", _("You, or someone, are invited to own a proposal")
    INVITATION_DECLINED = "invitation_declined", _("An invitation to own a proposal is "
                                                   "declined")
    INVITATION_EXPIRED = "invitation_expired", _("An invitation to own a proposal expires")
    CO_AUTHOR_INVITED = "co_author_invited", _("You are invited to co-author a proposal")
    CO_AUTHOR_ANSWERED = "co_author_answered", _("Someone accepts or declines your invitation "
                                                "to co-author")
    CO_AUTHOR_WITHDRAWN = "co_author_withdrawn", _("An invitation to co-author is withdrawn or "
                                                  "expires")
    CO_AUTHOR_REMOVED = "co_author_removed", _("A co-author leaves your proposal, or you are "
                                              "removed as one")
    SUGGESTION_LISTED = "suggestion_listed", _("A topic you suggested is listed")
    SUGGESTION_DECLINED = "suggestion_declined", _("A topic you suggested is declined")
    ENDORSEMENT = "endorsement", _("Your writeup is endorsed, or an endorsement of it is "
                                   "withdrawn")
    RECOGNITION = "recognition", _("Your expertise, or someone's on a topic you follow, is "
                                   "recognised")
    GAP_OPENED = "gap_opened", _("A topic becomes a gap in a cluster you watch")
    TOPIC_COVERED = "topic_covered", _("A topic becomes covered in a cluster you watch")
    REPORT_MADE = "report_made", _("Someone reports content (moderators only)")
    COMMENT_POSTED = "comment_posted", _("Someone comments on what you follow, wrote or "
                                        "commented on")
    MENTIONED = "mentioned", _("Someone mentions you in a comment")
    REVIEW_REQUESTED = "review_requested", _("You are asked to review a draft, or reminded")
    REVIEW_ANSWERED = "review_answered", _("A review you asked for is accepted, declined or "
                                          "finished")
    REVIEW_CLOSED = "review_closed", _("A review request is withdrawn or expires")
    REVIEW_COMMENT = "review_comment", _("A review comment on your draft, or on your review")


# The settings page's headings, each with the kinds it lists; every EventKind in exactly one.
# The last two are shown only to funders and to moderators (selectors.settings_groups_for).
FUNDERS_ALERTS, MODERATION = _("Funders' alerts"), _("Moderation")
SETTINGS_GROUPS = (
    (_("Your claims, writeups and suggestions"), (
        EventKind.CLAIM_REMINDER, EventKind.ENDORSEMENT, EventKind.RECOGNITION,
        EventKind.SUGGESTION_LISTED, EventKind.SUGGESTION_DECLINED)),
    (_("Proposals you author, own or are invited to"), (
        EventKind.INVITATION_SENT, EventKind.INVITATION_DECLINED, EventKind.INVITATION_EXPIRED,
        EventKind.CO_AUTHOR_INVITED, EventKind.CO_AUTHOR_ANSWERED,
        EventKind.CO_AUTHOR_WITHDRAWN, EventKind.CO_AUTHOR_REMOVED)),
    (_("Discussion and reviews"), (
        EventKind.COMMENT_POSTED, EventKind.MENTIONED, EventKind.REVIEW_REQUESTED,
        EventKind.REVIEW_ANSWERED, EventKind.REVIEW_CLOSED, EventKind.REVIEW_COMMENT)),
    (_("Topics and proposals you follow"), (
        EventKind.CLAIM_MADE, EventKind.CLAIM_RELEASED, EventKind.CLAIM_DORMANT,
        EventKind.WRITEUP_PUBLISHED, EventKind.PROPOSAL_CREATED, EventKind.PROPOSAL_MOVED,
        EventKind.OWNER_GAINED, EventKind.OWNER_LOST)),
    (FUNDERS_ALERTS, (EventKind.GAP_OPENED, EventKind.TOPIC_COVERED)),
    (MODERATION, (EventKind.REPORT_MADE,)),
)


class Delivery(models.TextChoices):
    """How one hears of a kind of event. OFF: not at all, neither an inbox line nor an
    e-mail (services.notify writes no row)."""

    EMAIL = "email", _("E-mail me now")
    DIGEST = "digest", _("In my digest")
    SITE = "site", _("In my inbox only")
    OFF = "off", _("Off")


class DigestFrequency(models.TextChoices):
    DAILY = "daily", _("daily")
    WEEKLY = "weekly", _("weekly (Mondays)")


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
    # The text in English; `message` is the same text as messages.Message stores it, shown
    # in the reader's language (local_text). Rows written before messages have only `text`.
    text = models.CharField(max_length=500)
    message = models.JSONField(default=dict, blank=True)
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

    @property
    def local_text(self) -> str:
        """The text in the active language (messages.render), else as it was written. Read
        the row with select_related("topic__cluster"): the text may quote their names."""
        if not self.message:
            return self.text
        return messages.render(self.message, topic=self.topic if self.topic_id else None)


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
