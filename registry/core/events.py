"""Domain events and the one list of who hears them.

A service that changes something other data is derived from publishes one event inside its
transaction, e.g. publish(TOPIC_EVENT, event=topic_event). publish calls every subscriber to
that name, in the order `settings.GAPMAP_EVENT_SUBSCRIBERS` lists them. That setting is the
explicit subscriber list: topic stats, search entries, notifications and funders' alerts
subscribe there, so the registry and proposals never import the apps that follow their
events up (`make lint` forbids those imports).

Subscribers run inside the publisher's transaction: what they write commits or rolls back with
the change itself, and an exception in one undoes the whole write.
"""

import functools
from collections.abc import Callable

from django.conf import settings
from django.utils.module_loading import import_string

# A TopicEvent row was written (registry.services.history.record_event): event=TopicEvent.
TOPIC_EVENT = "topic_event"
# A ProposalEvent row was written (proposals.services): event=ProposalEvent.
PROPOSAL_EVENT = "proposal_event"
# A proposal's content changed without a stage event (proposals.services.proposal_update):
# proposal=Proposal, topic_ids=the topics it was on before and is on now.
PROPOSAL_EDITED = "proposal_edited"
# Topics were added or edited outside a recorded event (the catalogue load, the admin's
# edit): topics=[Topic, ...].
TOPICS_CHANGED = "topics_changed"

EVENTS = (TOPIC_EVENT, PROPOSAL_EVENT, PROPOSAL_EDITED, TOPICS_CHANGED)


@functools.cache
def subscribers(name: str) -> tuple[Callable, ...]:
    """The functions that hear `name`, imported once per process from the setting."""
    if name not in EVENTS:
        raise ValueError(f"Unknown event {name!r}; known: {', '.join(EVENTS)}.")
    return tuple(import_string(path) for path in settings.GAPMAP_EVENT_SUBSCRIBERS.get(name, ()))


def publish(name: str, **payload) -> None:
    """Call every subscriber of `name` with `payload`, in the listed order. Call inside the
    transaction of the change the event reports, after the change is written."""
    for subscriber in subscribers(name):
        subscriber(**payload)
