"""The registry's audit trail: record_event, the one door for a topic's history."""

import re

from django.utils.translation import gettext, gettext_noop, ngettext

from registry.core.events import TOPIC_EVENT, publish
from registry.models import TopicEvent

# The notes Gapmap writes itself. They are stored in English, the record's one language (the
# API, exports and feeds give them as stored); pages show them in the reader's language
# (event_note_shown).
PUBLISHED_NOTE = gettext_noop("Published a writeup.")
_DORMANT_NOTE = re.compile(r"No writeup published for (\d+) days?\.")


def dormant_note(days: int) -> str:
    """The note of a claim the sweep made dormant, as stored."""
    return f"No writeup published for {days} days."


# The end notes Gapmap writes itself when a recognition earned through endorsements ends
# (Recognition.end_reason and its recognition_ended event's note). Stored in English, the
# record's one language; pages show them in the reader's language (event_note_shown).
DROPPED_NOTE = gettext_noop(
    "Live endorsements of “%(title)s” dropped to %(live)s, below %(threshold)s.")
GONE_NOTE = gettext_noop("“%(title)s” was hidden or deleted.")
_STORED_NOTES = (
    (re.compile(r"Live endorsements of “(?P<title>.*)” dropped to (?P<live>\d+), "
                r"below (?P<threshold>\d+)\.", re.DOTALL), DROPPED_NOTE),
    (re.compile(r"“(?P<title>.*)” was hidden or deleted\.", re.DOTALL), GONE_NOTE),
)


def recognition_note_shown(note: str) -> str:
    """A recognition's end note in the active language when Gapmap wrote it
    (_recognition_follow); a moderator's reason as written."""
    for pattern, msgid in _STORED_NOTES:
        if match := pattern.fullmatch(note):
            return gettext(msgid) % match.groupdict()
    return note


def event_note_shown(event) -> str:
    """`event.note` in the active language when Gapmap wrote it (PUBLISHED_NOTE on a
    renewal, dormant_note from the sweep, which has no actor); a person's note as written."""
    note = event.note
    if event.kind == TopicEvent.Kind.RENEWED and note == PUBLISHED_NOTE:
        return gettext(PUBLISHED_NOTE)
    if (event.kind == TopicEvent.Kind.DORMANT and event.actor_id is None
            and (match := _DORMANT_NOTE.fullmatch(note))):
        days = int(match[1])
        return ngettext("No writeup published for %(days)s day.",
                        "No writeup published for %(days)s days.", days) % {"days": days}
    if event.kind == TopicEvent.Kind.RECOGNITION_ENDED:
        return recognition_note_shown(note)
    return note


def record_event(*, topic, kind, actor=None, claim=None, writeup=None, endorsement=None,
                 recognition=None, note="", now=None):
    """Append one TopicEvent. Call inside the transaction that makes the change it records.

    Side effects: publishes TOPIC_EVENT to its subscribers (settings.GAPMAP_EVENT_SUBSCRIBERS,
    in this order): the topic's stats refreshed first, so everything after reads them
    fresh; the event's notifications (outbox rows now, e-mail tasks on commit), so every
    recorded event reaches its followers; the search entries and funders' alerts.
    """
    extra = {"created_at": now} if now is not None else {}
    event = TopicEvent.objects.create(topic=topic, kind=kind, actor=actor, claim=claim,
                                      writeup=writeup, endorsement=endorsement,
                                      recognition=recognition, note=note, **extra)
    publish(TOPIC_EVENT, event=event)
    return event
