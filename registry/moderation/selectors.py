"""Reads for reports and the moderators' queue."""

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from proposals.models import Proposal
from proposals.selectors import shown_to
from registry import selectors as registry_selectors
from registry.core.errors import NotVisible
from registry.feedback.models import Comment
from registry.feedback.selectors.comments import comments_visible_to
from registry.models import Profile, Topic, Writeup
from registry.moderation.models import ModerationAction, Report, TargetType
from registry.permissions import is_moderator

T = TargetType


def _objects(target_type: str) -> QuerySet:
    """Every object of a target type, hidden or not (suggestions: topics someone suggested)."""
    return {
        T.WRITEUP: Writeup.objects.filter(deleted_at__isnull=True),
        T.PROPOSAL: Proposal.objects.all(),
        T.SUGGESTION: Topic.objects.filter(suggested_by__isnull=False),
        T.PROFILE: Profile.objects.select_related("user"),
        # Named by their first words and what they are on (Comment.__str__), read here.
        T.COMMENT: Comment.objects.filter(deleted_at__isnull=True).select_related(
            "writeup", "proposal"),
    }[target_type]


def target_for_moderator(target_type: str, target_id: int):
    """The object to hide or unhide. Raises NotVisible when there is none."""
    obj = _objects(target_type).filter(pk=target_id).first()
    if obj is None:
        raise NotVisible(_("There is no %(type)s %(id)s.")
                         % {"type": T(target_type).label, "id": target_id})
    return obj


def reportable_target(user, target_type: str, target_id: int):
    """The object `user` wants to report, if they can open its page (hidden ones included,
    since their page shows a notice; the report page names them only to those who may see
    them). Raises NotVisible otherwise, as the page would."""
    visible = {
        T.WRITEUP: registry_selectors.writeups_visible_to(user, with_hidden=True),
        T.PROPOSAL: Proposal.objects.filter(shown_to(user, with_hidden=True)),
        T.SUGGESTION: registry_selectors.topics_visible_to(user, with_hidden=True)
        .filter(suggested_by__isnull=False),
        T.PROFILE: Profile.objects.filter(user__is_active=True),
        T.COMMENT: comments_visible_to(user, with_hidden=True),
    }[target_type]
    if not visible.filter(pk=target_id).exists():
        raise NotVisible(_("There is no %(type)s %(id)s you can see.")
                         % {"type": T(target_type).label, "id": target_id})
    return _objects(target_type).get(pk=target_id)


def reports_visible_to(user) -> QuerySet:
    """Moderators see every report; anyone else sees only the reports they made."""
    reports = Report.objects.select_related("reporter", "decided_by")
    if is_moderator(user):
        return reports
    if not user.is_authenticated:
        return reports.none()
    return reports.filter(reporter=user)


@dataclass
class ReportGroup:
    """The open reports on one object, for the queue."""

    target_type: str
    target_id: int
    target: object = None
    reports: list[Report] = field(default_factory=list)

    @property
    def latest_at(self):
        return self.reports[0].created_at

    @property
    def reporters(self) -> int:
        return len({report.reporter_id for report in self.reports})


def _attach_targets(items):
    """Set `target` on each item (target_type, target_id) with one query per target type."""
    wanted: dict[str, set[int]] = {}
    for item in items:
        wanted.setdefault(item.target_type, set()).add(item.target_id)
    found = {(kind, obj.pk): obj for kind, ids in wanted.items()
             for obj in _objects(kind).filter(pk__in=ids)}
    for item in items:
        item.target = found.get((item.target_type, item.target_id))


def open_report_groups() -> list[ReportGroup]:
    """Open reports grouped by object, the group with the newest report first."""
    groups: dict[tuple[str, int], ReportGroup] = {}
    for report in (Report.objects.filter(state=Report.State.OPEN)
                   .select_related("reporter__profile").order_by("-created_at", "-id")):
        key = (report.target_type, report.target_id)
        groups.setdefault(key, ReportGroup(*key)).reports.append(report)
    result = list(groups.values())  # already newest first: dicts keep insertion order
    _attach_targets(result)
    return result


@dataclass
class HiddenItem:
    target_type: str
    target_id: int
    target: object


def hidden_content() -> list[HiddenItem]:
    """Everything hidden now, so a moderator can unhide it with or without open reports."""
    return [HiddenItem(kind, obj.pk, obj) for kind in T.values
            for obj in _objects(kind).filter(hidden=True).order_by("pk")]


def recent_actions(*, limit: int = 50) -> list[ModerationAction]:
    actions = list(ModerationAction.objects.select_related("actor__profile")[:limit])
    _attach_targets(actions)
    return actions
