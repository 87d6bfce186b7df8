"""Topic suggestions and the moderators' decisions on them."""

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from registry import permissions
from registry.core.errors import FieldErrors, InvalidTransition, NotAllowed
from registry.core.limits import max_length
from registry.models import Cluster, Topic, TopicEvent
from registry.services.endorsements import recognition_for_recorded_expert
from registry.services.history import record_event

# Page paths under /topics/ that a topic's slug must never shadow.
RESERVED_SLUGS = {"suggest", "suggestions"}


def _unique_slug(title: str) -> str:
    base = slugify(title)[:100] or "topic"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or Topic.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def topic_suggest(*, person, title: str, cluster: Cluster, reason: str) -> Topic:
    """Suggest a new topic. It stays `suggested`, seen by `person` and moderators only.

    Raises ValidationFailed. Side effects: the Topic and a TopicEvent `suggested`.
    """
    errors = FieldErrors()
    errors.text("title", title, max_length=max_length("topic_suggestion", "title"))
    errors.text("reason", reason, max_length=max_length("topic_suggestion", "reason"))
    errors.raise_if_any()
    topic = Topic.objects.create(
        cluster=cluster, slug=_unique_slug(title), title=title.strip(), reason=reason.strip(),
        state=Topic.State.SUGGESTED, suggested_by=person,
    )
    record_event(topic=topic, kind=TopicEvent.Kind.SUGGESTED, actor=person, note=topic.reason)
    return topic


@transaction.atomic
def topic_decide(*, topic: Topic, moderator, state: str, note: str = "") -> Topic:
    """List or decline a suggested topic, with a note the suggester sees.

    Raises NotAllowed (not a moderator), ValidationFailed (declining without a reason),
    InvalidTransition (not a suggestion any more). Side effects: the topic's state and
    decision fields, and a TopicEvent `listed` or `declined`.
    """
    if not permissions.can_decide_topic(moderator, topic):
        raise NotAllowed(_("Only moderators decide on suggested topics."))
    errors = FieldErrors()
    if state not in (Topic.State.LISTED, Topic.State.DECLINED):
        errors.add("state", _("Choose listed or declined."))
    errors.text("note", note, max_length=max_length("topic_suggestion", "decision_note"),
                required=state == Topic.State.DECLINED)
    errors.raise_if_any()
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    if topic.state != Topic.State.SUGGESTED:
        raise InvalidTransition(_("This topic is already listed.")
                                if topic.state == Topic.State.LISTED
                                else _("This topic is already declined."))
    topic.state, topic.decision_note = state, note.strip()
    topic.decided_by, topic.decided_at = moderator, timezone.now()
    topic.save(update_fields=["state", "decision_note", "decided_by", "decided_at",
                              "updated_at"])
    kind = TopicEvent.Kind.LISTED if state == Topic.State.LISTED else TopicEvent.Kind.DECLINED
    record_event(topic=topic, kind=kind, actor=moderator, note=topic.decision_note)
    return topic


@transaction.atomic
def topic_save(*, topic: Topic, actor, created: bool) -> Topic:
    """Save a topic a moderator added or edited in the admin (its title, description, cluster
    or recorded expert; never its state, which only topic_decide changes).

    Raises NotAllowed unless `actor` is a moderator. Side effects: the row saved and a
    TopicEvent, `listed` for a new topic (it is listed from the start) or `edited`, whose
    subscribers refresh the topic's stats and search entry; a newly recorded expert gets
    their Recognition, which covers the topic (recognition_for_recorded_expert).
    """
    if not permissions.is_moderator(actor):
        raise NotAllowed(_("Only moderators add or edit topics."))
    topic.save()
    record_event(topic=topic, kind=TopicEvent.Kind.LISTED if created else TopicEvent.Kind.EDITED,
                 actor=actor)
    recognition_for_recorded_expert(topic=topic, recorded_by=actor)
    return topic
