"""Reports on content and the moderators' log.

Part of the registry app: registry/models.py imports these so Django sees them. A report or
an action names its object by `target_type` and `target_id`, like SearchEntry does, so one
table and one constraint serve writeups, proposals, topic suggestions and profiles.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TargetType(models.TextChoices):
    WRITEUP = "writeup", _("writeup")
    PROPOSAL = "proposal", _("proposal")
    SUGGESTION = "suggestion", _("topic suggestion")
    PROFILE = "profile", _("profile")
    COMMENT = "comment", _("comment")


class ReportReason(models.TextChoices):
    SPAM = "spam", _("spam")
    ABUSE = "abuse", _("abuse or harassment")
    OFF_TOPIC = "off_topic", _("off topic")
    PERSONAL_DATA = "personal_data", _("someone's personal data")
    OTHER = "other", pgettext_lazy("report reason", "other")


class Report(models.Model):
    """One person's report on one object. Open until a moderator resolves or dismisses it."""

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("report state", "open")
        RESOLVED = "resolved", pgettext_lazy("report state", "resolved")
        DISMISSED = "dismissed", pgettext_lazy("report state", "dismissed")

    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                 related_name="reports")
    target_type = models.CharField(max_length=12, choices=TargetType.choices)
    target_id = models.PositiveBigIntegerField()
    reason = models.CharField(max_length=16, choices=ReportReason.choices)
    note = models.TextField(max_length=2000, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(max_length=2000, blank=True)

    class Meta:
        db_table = "registry_report"
        ordering = ["-created_at", "-id"]
        constraints = [
            # The database keeps one open report per person and object, so a double submit
            # cannot count twice towards GAPMAP_REPORTS_TO_HIDE.
            models.UniqueConstraint(fields=["reporter", "target_type", "target_id"],
                                    condition=Q(state="open"),
                                    name="one_open_report_per_person_and_object"),
        ]
        indexes = [models.Index(fields=["target_type", "target_id", "state"]),
                   models.Index(fields=["state", "created_at"])]

    def __str__(self):
        return f"{self.reporter} reports {self.target_type} {self.target_id} ({self.state})"


class ModerationAction(models.Model):
    """The moderators' log: one row per hide, unhide, resolve, dismiss, or grant or removal of
    the funder role (target: the person's profile). Rows are only added.

    `actor` is empty when the system hid the object after GAPMAP_REPORTS_TO_HIDE reports.
    """

    class Kind(models.TextChoices):
        HIDE = "hide", _("hid")
        UNHIDE = "unhide", _("unhid")
        RESOLVE = "resolve", _("resolved a report on")
        DISMISS = "dismiss", _("dismissed a report on")
        GRANT_FUNDER = "grant_funder", _("gave the funder role to")
        REVOKE_FUNDER = "revoke_funder", _("took the funder role from")

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    target_type = models.CharField(max_length=12, choices=TargetType.choices)
    target_id = models.PositiveBigIntegerField()
    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="actions")
    reason = models.TextField(max_length=2000)
    created_at = models.DateTimeField()

    class Meta:
        db_table = "registry_moderationaction"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.actor or 'system'} {self.kind} {self.target_type} {self.target_id}"
