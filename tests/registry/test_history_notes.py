"""The notes Gapmap writes into a topic's history are stored in English and shown in the
reader's language (registry.services.history.event_note_shown); a person's note never is."""

from django.utils import translation

from registry.models import TopicEvent
from registry.services.history import (
    DROPPED_NOTE,
    PUBLISHED_NOTE,
    dormant_note,
    event_note_shown,
)


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



def test_event_note_shown_a_recognition_end_note_in_spanish():
    stored = DROPPED_NOTE % {"title": "Chips", "live": 1, "threshold": 2}
    written = TopicEvent(kind=TopicEvent.Kind.RECOGNITION_ENDED, note=stored)
    by_a_moderator = TopicEvent(kind=TopicEvent.Kind.RECOGNITION_ENDED, note="Duplicate.")

    with translation.override("es"):
        shown = [event_note_shown(written), event_note_shown(by_a_moderator)]

    assert shown == ["Los avales vigentes de «Chips» bajaron a 1, por debajo de 2.", "Duplicate."]
