"""Follow-ups of registry and proposal events that discovery owns: search entries stay
current, and funders watching a cluster hear of new gaps, newly covered topics and new owners
there.

Subscribers of registry.core.events (settings.GAPMAP_EVENT_SUBSCRIBERS), called inside the
event's transaction.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_noop

from proposals.models import ProposalEvent, Stage
from registry.discovery import search
from registry.models import TopicEvent, TopicStats, TopicStatus
from registry.notifications.messages import Message, cluster_name, topic_title
from registry.notifications.models import EventKind
from registry.notifications.services import notify


def _watchers(cluster_id) -> QuerySet:
    """Active funders watching this cluster or every cluster."""
    return get_user_model().objects.filter(
        Q(funder_alerts__cluster_id=cluster_id) | Q(funder_alerts__cluster__isnull=True),
        is_active=True, profile__is_funder=True).distinct()


# Events after which a topic may have become a gap.
MAY_OPEN_GAP = (TopicEvent.Kind.LISTED, TopicEvent.Kind.RELEASED, TopicEvent.Kind.DORMANT,
                TopicEvent.Kind.RECOGNITION_ENDED)


def _alert_if_newly_covered(event: TopicEvent) -> None:
    """A `topic_covered` notification to each funder watching the topic's cluster, when this
    recognition is its only live one (the stats, refreshed first, count them): a second
    recognition on a covered topic changes nothing they watch for."""
    topic = event.topic
    if TopicStats.objects.filter(topic=topic, recognitions=1).exists():
        watchers = list(_watchers(topic.cluster_id))
        if watchers:
            notify(kind=EventKind.TOPIC_COVERED, topic=topic, also=watchers, followers=False,
                   actor=event.actor, now=event.created_at, text=Message(
                       gettext_noop("“%(topic)s” in %(cluster)s is covered now: %(name)s is "
                                    "recognised on it."),
                       topic=topic_title(topic), cluster=cluster_name(topic.cluster),
                       name=event.recognition.display_name))


def on_topic_event(*, event: TopicEvent) -> None:
    """Follow-ups of every recorded TopicEvent (called by services.history.record_event, in
    the event's transaction).

    Side effects: the topic's search entry (its status may have changed) and the writeup's,
    when the event concerns one; when the event may have freed the topic and it is now a gap,
    a `gap_opened` notification to each funder watching its cluster; when a recognition
    made it covered, `topic_covered` to them.
    """
    topic = event.topic
    entry = search.search_entry_update(kind=search.Kind.TOPIC, obj=topic)
    if event.writeup_id:
        search.search_entry_update(kind=search.Kind.WRITEUP, obj=event.writeup)
    if event.kind == TopicEvent.Kind.RECOGNISED:
        _alert_if_newly_covered(event)
    if event.kind not in MAY_OPEN_GAP:
        return
    if entry is None or entry.status != TopicStatus.GAP:
        return
    watchers = list(_watchers(topic.cluster_id))
    if watchers:
        notify(kind=EventKind.GAP_OPENED, topic=topic, also=watchers, followers=False,
               actor=event.actor, now=event.created_at, text=Message(
                   gettext_noop("“%(topic)s” in %(cluster)s is now a gap: nobody holds a claim "
                                "on it."),
                   topic=topic_title(topic), cluster=cluster_name(topic.cluster)))


def on_proposal_event(*, event: ProposalEvent) -> None:
    """Follow-ups of every ProposalEvent (called by proposals.services._event, in the event's
    transaction). Side effects: the proposal's search entry; when it reached the owner stage,
    an `owner_gained` notification to each funder watching its topic's cluster (besides the
    followers the notifications module tells)."""
    proposal = event.proposal
    search.search_entry_update(kind=search.Kind.PROPOSAL, obj=proposal)
    if event.kind != ProposalEvent.Kind.MOVED or event.to_stage != Stage.OWNER:
        return
    # Followers of the proposal already hear of the new owner from the notifications module.
    watchers = _watchers(proposal.topic.cluster_id).exclude(follows__proposal=proposal)
    watchers = list(watchers)
    if watchers:
        # The topic rides along so that the row names its cluster in the reader's language.
        notify(kind=EventKind.OWNER_GAINED, proposal=proposal, topic=proposal.topic,
               also=watchers, followers=False, actor=event.actor, now=event.created_at,
               text=Message(gettext_noop("“%(proposal)s” (%(cluster)s) has an owner now."),
                            proposal=proposal.title,
                            cluster=cluster_name(proposal.topic.cluster)))


def on_proposal_edited(*, proposal, topic_ids) -> None:
    search.search_entry_update(kind=search.Kind.PROPOSAL, obj=proposal)


def on_topics_changed(*, topics) -> None:
    for topic in topics:
        search.search_entry_update(kind=search.Kind.TOPIC, obj=topic)
