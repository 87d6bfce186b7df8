"""Funders' interest and alerts, and the one search table.

Part of the registry app: registry/models.py imports these so Django sees them.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class FunderInterest(models.Model):
    """A funder's non-binding interest in one topic or one proposal.

    Withdrawing sets `withdrawn_at`; the row stays, so the history of interest is kept.
    A private interest (its note and range) is seen by moderators and the topic's active
    claimants or the proposal's authors; everyone sees the count.
    """

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("public")
        PRIVATE = "private", _("private")

    funder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="funder_interests")
    topic = models.ForeignKey("registry.Topic", null=True, blank=True, on_delete=models.CASCADE,
                              related_name="funder_interests")
    proposal = models.ForeignKey("proposals.Proposal", null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="funder_interests")
    note = models.TextField(max_length=2000, blank=True)
    amount_range = models.CharField(max_length=100, blank=True,
                                    help_text=_("Optional, e.g. “$10k–50k”."))
    visibility = models.CharField(max_length=8, choices=Visibility.choices,
                                  default=Visibility.PUBLIC)
    created_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "registry_funderinterest"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(topic__isnull=False, proposal__isnull=True)
                | Q(topic__isnull=True, proposal__isnull=False),
                name="interest_exactly_one_target",
            ),
            models.UniqueConstraint(
                fields=["funder", "topic"], condition=Q(withdrawn_at__isnull=True),
                name="one_live_interest_per_funder_and_topic"),
            models.UniqueConstraint(
                fields=["funder", "proposal"], condition=Q(withdrawn_at__isnull=True),
                name="one_live_interest_per_funder_and_proposal"),
        ]

    def __str__(self):
        return f"{self.funder} interested in {self.topic or self.proposal}"


class FunderAlert(models.Model):
    """A funder asks to hear when a topic becomes a gap, or a proposal gains an owner, in one
    cluster (or in every cluster when `cluster` is empty)."""

    funder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="funder_alerts")
    cluster = models.ForeignKey("registry.Cluster", null=True, blank=True,
                                on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "registry_funderalert"
        ordering = ["cluster__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["funder", "cluster"],
                                    name="one_alert_per_funder_and_cluster"),
            models.UniqueConstraint(fields=["funder"], condition=Q(cluster__isnull=True),
                                    name="one_all_clusters_alert_per_funder"),
        ]

    def __str__(self):
        return f"{self.funder} watches {self.cluster or 'every cluster'}"


class SearchEntry(models.Model):
    """One row per public topic, writeup or proposal: what search reads.

    Kept current by discovery.search.search_entry_update, called from the write services;
    `manage.py rebuild_search_index` refills it. `search_vector` is filled on PostgreSQL only
    (title weight A, body weight B, English) and has a GIN index made by the migration.
    """

    class Kind(models.TextChoices):
        TOPIC = "topic", _("topic")
        WRITEUP = "writeup", _("writeup")
        PROPOSAL = "proposal", _("proposal")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    cluster = models.ForeignKey("registry.Cluster", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    # A topic's derived status, a proposal's stage, a writeup's kind.
    status = models.CharField(max_length=12, blank=True)
    url = models.CharField(max_length=300)
    updated_at = models.DateTimeField()
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        db_table = "registry_searchentry"
        ordering = ["-updated_at", "-id"]
        verbose_name_plural = "search entries"
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"],
                                               name="one_search_entry_per_object")]
        indexes = [models.Index(fields=["kind", "status"])]

    def __str__(self):
        return f"{self.kind} {self.object_id}: {self.title}"
