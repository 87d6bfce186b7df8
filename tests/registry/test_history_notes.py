"""The notes Gapmap writes into a topic's history are stored in English and shown in the
reader's language (registry.services.history.event_note_shown); a person's note never is."""

from registry.models import TopicEvent
from registry.services.history import PUBLISHED_NOTE, dormant_note, event_note_shown


def test_event_note_shown_the_sweeps_note_counts_its_days():
    event = TopicEvent(kind=TopicEvent.Kind.DORMANT, note=dormant_note(1))
    assert event.note == "No writeup published for 1 days."
    assert event_note_shown(event) == "No writeup published for 1 day."


def test_event_note_shown_the_publication_note_on_a_renewal():
    event = TopicEvent(kind=TopicEvent.Kind.RENEWED, note=PUBLISHED_NOTE)
    assert event_note_shown(event) == "Published a writeup."


def test_event_note_shown_a_persons_note_as_written():
    # The sweep's words, on an event that has a person as its actor.
    event = TopicEvent(kind=TopicEvent.Kind.DORMANT, actor_id=7, note=dormant_note(1))
    assert event_note_shown(event) == "No writeup published for 1 days."
