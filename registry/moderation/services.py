"""Writes for reports and moderation. Keyword-only arguments; each runs in one transaction.

Hiding never changes the content or its `updated_at`: the object keeps everything, and only
who may see it changes (registry.moderation.permissions).
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from proposals.selectors import proposal_topic_ids
from registry.core.errors import AlreadyReported, FieldErrors, InvalidTransition, NotAllowed
from registry.core.limits import max_length
from registry.discovery.models import FunderAlert
from registry.discovery.search import search_entry_update
from registry.discovery.stats import topic_stats_refresh
from registry.feedback.models import COMMENT_DELETED, COMMENT_NAMED
from registry.feedback.services.comments import comment_visibility_changed
from registry.models import Claim, Profile, Writeup
from registry.moderation import selectors
from registry.moderation.models import ModerationAction, Report, ReportReason, TargetType
from registry.moderation.permissions import can_moderate
from registry.notifications.messages import Message
from registry.notifications.models import EventKind, Notification
from registry.notifications.services import notify
from registry.permissions import MODERATORS_GROUP, moderators
from registry.selectors import public_name
from registry.services.endorsements import recognition_reconsider
from registry.services.site_version import site_version_bump

# The search table holds public writeups, proposals and topics; profiles have no entry.
SEARCH_KINDS = {TargetType.WRITEUP: "writeup", TargetType.PROPOSAL: "proposal",
                TargetType.SUGGESTION: "topic"}
# Kept in the log in English, like every reason (people's own words); the queue says it in
# its reader's language (moderation_tags.log_reason).
AUTO_HIDE_REASON = ("{n} open reports from different people with standing; hidden until a "
                    "moderator decides.")
# How a report's notification names what was reported and why, each translated when shown
# (registry.notifications.messages): whole sentences, so that each language makes the words
# agree.
REPORTED = {
    TargetType.WRITEUP: gettext_noop("%(name)s reported the writeup “%(target)s” (%(reason)s)."),
    TargetType.PROPOSAL: gettext_noop("%(name)s reported the proposal “%(target)s” "
                                      "(%(reason)s)."),
    TargetType.SUGGESTION: gettext_noop("%(name)s reported the topic suggestion “%(target)s” "
                                        "(%(reason)s)."),
    TargetType.PROFILE: gettext_noop("%(name)s reported the profile “%(target)s” "
                                     "(%(reason)s)."),
    TargetType.COMMENT: gettext_noop("%(name)s reported the comment “%(target)s” "
                                     "(%(reason)s)."),
}
REASONS = {
    ReportReason.SPAM: gettext_noop("spam"),
    ReportReason.ABUSE: gettext_noop("abuse or harassment"),
    ReportReason.OFF_TOPIC: gettext_noop("off topic"),
    ReportReason.PERSONAL_DATA: gettext_noop("someone's personal data"),
    ReportReason.OTHER: gettext_noop("other"),
}


def _lock(target_type: str, obj):
    """Lock the object's row, so concurrent reports and decisions on it queue up."""
    return selectors._objects(target_type).select_for_update(of=("self",)).get(pk=obj.pk)


def _open_reports(target_type: str, obj):
    return Report.objects.filter(target_type=target_type, target_id=obj.pk,
                                 state=Report.State.OPEN)


def _reporters_with_standing(target_type: str, obj, *, now) -> int:
    """How many different people with standing have an open report on the object.

    Standing, so that accounts made for the purpose cannot hide someone's work: an active
    account that is a moderator, or was made at least GAPMAP_REPORT_MIN_ACCOUNT_AGE_DAYS
    before `now`, or has public work of its own: a published writeup (not deleted, not
    hidden by a moderator) or a claim on a topic (any state; claims are public and never
    deleted). Reports from others stay open for the moderators, who hear of every report.
    """
    joined_before = now - datetime.timedelta(days=settings.GAPMAP_REPORT_MIN_ACCOUNT_AGE_DAYS)
    person = OuterRef("pk")
    standing = (
        Q(is_staff=True) | Q(date_joined__lte=joined_before)
        | Exists(get_user_model().groups.through.objects.filter(
            user_id=person, group__name=MODERATORS_GROUP))
        | Exists(Writeup.objects.filter(author_id=person, published_at__lte=now,
                                        deleted_at__isnull=True, hidden=False))
        | Exists(Claim.objects.filter(person_id=person))
    )
    reporter_ids = _open_reports(target_type, obj).values("reporter_id")
    return get_user_model().objects.filter(standing, pk__in=reporter_ids,
                                           is_active=True).count()


def _set_hidden(*, target_type, obj, hidden: bool, reason: str, actor, now):
    """Write the flag and its log row, and bring the topics' stats (a hidden writeup does not
    cover, a hidden proposal is not open), a comment's stored count and the search entry in
    line."""
    # An automatic hide keeps no reason on the object: its notice says it awaits review.
    shown_reason = reason if hidden and actor is not None else ""
    was_hidden = obj.hidden
    type(obj).objects.filter(pk=obj.pk).update(hidden=hidden, hidden_reason=shown_reason)
    obj.hidden, obj.hidden_reason = hidden, shown_reason
    ModerationAction.objects.create(
        actor=actor, kind=ModerationAction.Kind.HIDE if hidden else ModerationAction.Kind.UNHIDE,
        target_type=target_type, target_id=obj.pk, reason=reason, created_at=now)
    if target_type == TargetType.SUGGESTION:  # no count changes, but lists and the map do
        topic_stats_refresh(topic_ids=[obj.pk])
    elif target_type == TargetType.WRITEUP:
        # A hidden writeup is no evidence: the recognition it earned ends, and comes back
        # when it is shown again (recording its event refreshes the stats too).
        recognition_reconsider(writeup=obj, actor=actor, now=now)
        topic_stats_refresh(topic_ids=[obj.topic_id])
    elif target_type == TargetType.PROPOSAL:
        topic_stats_refresh(topic_ids=proposal_topic_ids(obj))
    elif target_type == TargetType.COMMENT:  # its writeup's or proposal's count, and the cache
        comment_visibility_changed(comment=obj, was_hidden=was_hidden)
    else:  # a profile: no topic's stats, but its name on every cached page
        site_version_bump()
    if target_type in SEARCH_KINDS:
        search_entry_update(kind=SEARCH_KINDS[target_type], obj=obj)


@transaction.atomic
def report_create(*, reporter, target_type: str, target_id: int, reason: str, note: str = "",
                  now: datetime.datetime | None = None) -> Report:
    """Report an object `reporter` can see.

    Raises ValidationFailed (unknown type or reason, note too long), NotVisible (no such
    object, or not one they can open) and AlreadyReported (they have an open report on it).
    Side effects: one Report; a `report_made` notification to every moderator but the
    reporter (notify_report_made below; the reporter hears
    nothing, so learns nothing of other reports); when the object then has open reports from
    GAPMAP_REPORTS_TO_HIDE different people with standing (_reporters_with_standing: an
    account GAPMAP_REPORT_MIN_ACCOUNT_AGE_DAYS old, a moderator, or one with a published
    writeup or a claim) and is not hidden yet, it is hidden with a ModerationAction whose
    actor is empty, and its search entry removed. Reports from fresh accounts without work
    count for nothing here: only a moderator hides on their word.
    """
    now = now or timezone.now()
    errors = FieldErrors()
    if target_type not in TargetType.values:
        errors.add("target_type", _("Choose one of: %(choices)s.")
                   % {"choices": ", ".join(TargetType.values)})
    if reason not in ReportReason.values:
        errors.add("reason", _("Choose one of: %(choices)s.")
                   % {"choices": ", ".join(ReportReason.values)})
    errors.text("note", note, max_length=max_length("report", "note"), required=False)
    errors.raise_if_any()
    obj = _lock(target_type, selectors.reportable_target(reporter, target_type, target_id))
    if _open_reports(target_type, obj).filter(reporter=reporter).exists():
        raise AlreadyReported()
    try:
        with transaction.atomic():
            report = Report.objects.create(reporter=reporter, target_type=target_type,
                                           target_id=obj.pk, reason=reason, note=note.strip(),
                                           created_at=now)
    except IntegrityError:  # a concurrent double submit got there first
        raise AlreadyReported() from None
    notify_report_made(report=report, target=obj)
    reporters = _reporters_with_standing(target_type, obj, now=now)
    if not obj.hidden and reporters >= settings.GAPMAP_REPORTS_TO_HIDE:
        _set_hidden(target_type=target_type, obj=obj, hidden=True, actor=None, now=now,
                    reason=AUTO_HIDE_REASON.format(n=reporters))
    return report


def _check_moderator(moderator, reason, *, field="reason"):
    if not can_moderate(moderator):
        raise NotAllowed(_("Only moderators can do that."))
    errors = FieldErrors()
    errors.text(field, reason, max_length=max_length("moderation", field))
    errors.raise_if_any()


@transaction.atomic
def content_hide(*, moderator, target_type: str, obj, reason: str,
                 now: datetime.datetime | None = None):
    """Hide an object; others see "hidden by a moderator: <reason>" on its page.

    Hiding again replaces the reason (e.g. after an automatic hide). Raises NotAllowed (not a
    moderator), ValidationFailed (no reason). Side effects: the flag and reason, one
    ModerationAction `hide`, the search entry removed. Open reports stay open.
    """
    _check_moderator(moderator, reason)
    obj = _lock(target_type, obj)
    _set_hidden(target_type=target_type, obj=obj, hidden=True, reason=reason.strip(),
                actor=moderator, now=now or timezone.now())
    return obj


@transaction.atomic
def content_unhide(*, moderator, target_type: str, obj, reason: str,
                   now: datetime.datetime | None = None):
    """Show a hidden object again. Unhiding is the moderator's decision on its reports.

    Raises NotAllowed, ValidationFailed (no reason), InvalidTransition (not hidden).
    Side effects: the flag cleared, one ModerationAction `unhide`, every open report on the
    object dismissed with the same reason (so the old reports cannot hide it again at once),
    the search entry restored.
    """
    _check_moderator(moderator, reason)
    now = now or timezone.now()
    obj = _lock(target_type, obj)
    if not obj.hidden:
        raise InvalidTransition(_("This is not hidden."))
    _open_reports(target_type, obj).update(state=Report.State.DISMISSED, decided_by=moderator,
                                           decided_at=now, decision_note=reason.strip())
    _set_hidden(target_type=target_type, obj=obj, hidden=False, reason=reason.strip(),
                actor=moderator, now=now)
    return obj


@transaction.atomic
def report_resolve(*, moderator, report: Report, outcome: str, note: str,
                   now: datetime.datetime | None = None) -> Report:
    """Close an open report as `resolved` (acted on) or `dismissed` (no action needed).

    Does not hide or unhide anything; that is content_hide / content_unhide.
    Raises NotAllowed, ValidationFailed (no note, unknown outcome), InvalidTransition (the
    report is already closed). Side effects: the report's state and decision, and one
    ModerationAction `resolve` or `dismiss`.
    """
    _check_moderator(moderator, note, field="note")
    kinds = {Report.State.RESOLVED: ModerationAction.Kind.RESOLVE,
             Report.State.DISMISSED: ModerationAction.Kind.DISMISS}
    if outcome not in kinds:
        errors = FieldErrors()
        errors.add("outcome", _("Choose resolved or dismissed."))
        errors.raise_if_any()
    now = now or timezone.now()
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.state != Report.State.OPEN:
        raise InvalidTransition(_("This report is already resolved.")
                                if report.state == Report.State.RESOLVED
                                else _("This report is already dismissed."))
    report.state, report.decided_by, report.decided_at = outcome, moderator, now
    report.decision_note = note.strip()
    report.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    ModerationAction.objects.create(actor=moderator, kind=kinds[outcome], report=report,
                                    target_type=report.target_type, target_id=report.target_id,
                                    reason=report.decision_note, created_at=now)
    return report


# --- The funder role ----------------------------------------------------------------------

@transaction.atomic
def funder_role_set(*, person, is_funder: bool, moderator, now=None) -> Profile:
    """Grant or take away the funder role; the one door for Profile.is_funder.

    Raises NotAllowed unless `moderator` is one. Side effects: the flag; a ModerationAction
    `grant_funder` or `revoke_funder` on the person's profile (when the role changes);
    taking it away removes their alerts but keeps their interest rows (they stay part of the
    record).
    """
    if not can_moderate(moderator):
        raise NotAllowed(_("Only moderators grant the funder role."))
    profile, _created = Profile.objects.select_for_update().get_or_create(user=person)
    if profile.is_funder != is_funder:
        profile.is_funder = is_funder
        profile.save(update_fields=["is_funder"])
        K = ModerationAction.Kind
        ModerationAction.objects.create(
            actor=moderator, kind=K.GRANT_FUNDER if is_funder else K.REVOKE_FUNDER,
            target_type=TargetType.PROFILE, target_id=profile.pk, reason="",
            created_at=now or timezone.now())
    if not is_funder:
        FunderAlert.objects.filter(funder=person).delete()
    person.__dict__.pop("_is_funder", None)
    return profile


def notify_report_made(*, report, target) -> list[Notification]:
    """Tell every moderator but the reporter about a new report on `target`.

    Precondition: inside the transaction that wrote `report`. The reporter gets nothing (so
    learns nothing of other reports), also when they are a moderator themselves. The rows hang
    on the reported topic or proposal, if any, and link to the moderation queue.
    """
    if report.target_type == TargetType.COMMENT:  # its words as written, the rest translated
        named = Message(COMMENT_NAMED, title=target.target.title,
                        words=Message(COMMENT_DELETED) if target.is_deleted else target.excerpt)
    else:
        with translation.override("en"):  # how the object is named is stored, so in English
            named = str(target)
    text = Message(REPORTED[report.target_type], name=public_name(report.reporter),
                   target=named, reason=Message(REASONS[report.reason]))
    on = {TargetType.WRITEUP: {"topic": getattr(target, "topic", None)},
          TargetType.SUGGESTION: {"topic": target},
          TargetType.PROPOSAL: {"proposal": target},
          TargetType.COMMENT: {"proposal": getattr(target, "proposal", None),
                               "topic": getattr(getattr(target, "writeup", None), "topic",
                                                None)}}.get(report.target_type, {})
    return notify(kind=EventKind.REPORT_MADE, text=text, actor=report.reporter,
                  also=list(moderators()), followers=False, now=report.created_at, **on)
