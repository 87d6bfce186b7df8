"""Whole-registry backups: `manage.py export_all FILE` and `manage.py import_all FILE`.

Django's serializers write BACKUP_MODELS in dependency order, as loaddata would read them,
but into our own JSON: dumpdata's encoder cuts timestamps to milliseconds, and a backup must
bring back every timestamp exactly. Primary keys are kept (so every link and version number
comes back as it was); Django's own rows (permissions, content types) are referred to by
natural key, so a freshly migrated database takes the file. Passwords travel as their
hashes. The search table is derived data: it is left out and rebuilt after an import.
"""

import datetime
import json

from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction

from registry.discovery.search import search_index_rebuild
from registry.discovery.stats import topic_stats_reconcile

# Every model that holds data, parents before children.
BACKUP_MODELS = [
    "auth.Group",
    "auth.User",
    "tokens.ApiToken",
    "registry.Cluster",
    "registry.Topic",
    "registry.Profile",
    "registry.Claim",
    "registry.Writeup",
    "registry.WriteupVersion",
    "registry.Endorsement",
    "registry.Recognition",
    "registry.TopicEvent",
    "proposals.Proposal",
    "proposals.ProposalEvent",
    "proposals.OwnerInvitation",
    "proposals.CoAuthorInvitation",
    # Parents before replies: a reply is always written after its parent (created_at, id).
    "feedback.Comment",
    "feedback.CommentVersion",
    "feedback.Mention",
    "feedback.ReviewRequest",
    "feedback.ReviewComment",
    "notifications.Follow",
    "notifications.Notification",
    "notifications.NotificationSettings",
    "notifications.ClaimReminder",
    "discovery.FunderInterest",
    "discovery.FunderAlert",
    "moderation.Report",
    "moderation.ModerationAction",
]
# Models of our apps that are deliberately not in a backup, and why.
DERIVED_MODELS = {"discovery.SearchEntry": "rebuilt from the content by import_all",
                  "registry.TopicStats": "recomputed by import_all (services.stats)",
                  "registry.SiteVersion": "a cache version: restarts from the clock with the "
                                          "first write (services.site_version.site_version_bump)"}


# Models that moved out of the registry app into apps of their own (registry migration 0016):
# a backup written before that names them by their old label.
RENAMED_LABELS = {f"registry.{model}": f"{label}.{model}" for label, models in {
    "notifications": ["follow", "notification", "notificationsettings", "claimreminder"],
    "discovery": ["funderinterest", "funderalert", "searchentry"],
    "moderation": ["report", "moderationaction"],
}.items() for model in models}


class TargetNotEmpty(Exception):
    """The database already holds registry data; importing over it could mix two sites."""


def backup_models() -> list:
    return [apps.get_model(label) for label in BACKUP_MODELS]


class _ExactEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder, but keeping the microseconds of times (ISO 8601 in full)."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


@transaction.atomic  # one consistent snapshot (REPEATABLE READ is not needed: one transaction)
def export_all(path: str) -> dict[str, int]:
    """Write every row of BACKUP_MODELS to `path` as JSON. Returns rows per model."""
    rows = []
    for model in backup_models():
        rows += serializers.serialize("python", model._default_manager.order_by("pk"),
                                      use_natural_foreign_keys=True)
    with open(path, "w", encoding="utf-8") as file:
        json.dump(rows, file, cls=_ExactEncoder, indent=1, ensure_ascii=False)
    return _counts()


def _counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in backup_models()}


def existing_rows() -> dict[str, int]:
    """Rows already in the database, per backed-up model that has any."""
    return {label: n for label, n in _counts().items() if n}


@transaction.atomic
def import_all(path: str, *, force: bool = False) -> dict[str, int]:
    """Load a file written by export_all into this database, all or nothing.

    Raises TargetNotEmpty when the database already holds any backed-up row, unless `force`
    (rows with the same id are then overwritten and others kept). Side effects: the rows,
    primary-key sequences reset (PostgreSQL), topic stats recomputed, the search table rebuilt.
    Returns rows per model after the import.
    """
    found = existing_rows()
    if found and not force:
        raise TargetNotEmpty(", ".join(f"{label}: {n}" for label, n in found.items()))
    with open(path, encoding="utf-8") as file:
        rows = json.load(file)
    for row in rows:
        row["model"] = RENAMED_LABELS.get(row["model"], row["model"])
    deferred = []
    # As loaddata does: raw saves (no auto_now, no signals' side effects), links to rows
    # later in the file resolved at the end, constraints checked once everything is in.
    with connection.constraint_checks_disabled():
        for obj in serializers.deserialize("python", rows, handle_forward_references=True):
            obj.save()
            if obj.deferred_fields:
                deferred.append(obj)
        for obj in deferred:
            obj.save_deferred_fields()
    connection.check_constraints(table_names=[m._meta.db_table for m in backup_models()])
    with connection.cursor() as cursor:  # new rows continue after the imported ids
        for sql in connection.ops.sequence_reset_sql(no_style(), backup_models()):
            cursor.execute(sql)
    topic_stats_reconcile()  # derived, so not in the file
    search_index_rebuild()
    return _counts()
