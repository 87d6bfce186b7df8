"""Notification texts that are translated when they are shown, not when they are written.

A notification is written once, in the event's transaction, but read by people who chose
different languages, each in the language they chose. So a row keeps its text as a message:
the English msgid (marked with gettext_noop where the text is built, so makemessages finds
it) and its parameters (names and titles as they were, dates, stage names), and `render`
translates it into the active language whenever it is shown: the inbox, the API, and each
e-mail, which is rendered in its recipient's language. The row's `text` keeps the English
rendering too, for the admin, for rows written before messages existed, and for the check
that withholds a row quoting a name that has since been hidden (selectors.about_visible_to).

A parameter is plain text or a number, inserted as it is, or one of:
- a nested Message (its own msgid and parameters), translated too;
- date(d): a calendar date, written the way the active language writes one;
- stage(s): a proposal's stage, by its name in the active language;
- topic_title(t), cluster_name(c): a catalogue topic's title or cluster's name, in the active
  language (Topic.local_title, Cluster.local_name) when it is the row's own topic or that
  topic's cluster (read with the row: no query), else in English as it was when written.
"""

import datetime
import logging

from django.utils import translation
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext, gettext_noop

from proposals.models import Stage

logger = logging.getLogger(__name__)

# How a notification writes a date ("5 March 2026"); a translation gives its language's
# own order and words (Django's date format characters).
DATE_FORMAT = gettext_noop("j F Y")


class Message:
    """An English msgid and its parameters, named as the msgid's %(name)s placeholders."""

    def __init__(self, msgid: str, **params):
        self.msgid, self.params = msgid, params

    def as_json(self) -> dict:
        """What Notification.message stores."""
        return {"msgid": self.msgid, "params": {
            name: value.as_json() if isinstance(value, Message) else value
            for name, value in self.params.items()}}

    def english(self) -> str:
        """The text in English, as Notification.text stores it."""
        with translation.override("en"):
            return render(self.as_json())

    def __str__(self) -> str:
        return self.english()


def date(value: datetime.date) -> dict:
    """A date parameter (of a datetime: its calendar date, as stored in UTC)."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    return {"date": value.isoformat()}


def stage(value: str) -> dict:
    """A proposal stage parameter, shown by the stage's name in the reader's language."""
    return {"stage": str(value)}


def topic_title(topic) -> dict:
    """A topic's title parameter: pass the topic as the row's `topic` too (notify(topic=…)),
    so that it is shown in the reader's language."""
    return {"topic": topic.pk, "title": topic.title}


def cluster_name(cluster) -> dict:
    """A cluster's name parameter: the row's topic must be in this cluster for the name to be
    shown in the reader's language."""
    return {"cluster": cluster.pk, "name": cluster.name}


def _param(value, topic):
    if not isinstance(value, dict):
        return value
    if "msgid" in value:
        return render(value, topic=topic)
    if "date" in value:
        return format_date(datetime.date.fromisoformat(value["date"]), gettext(DATE_FORMAT))
    if "stage" in value:
        return str(Stage(value["stage"]).label)
    if "topic" in value:
        return topic.local_title if topic is not None and topic.pk == value["topic"] else (
            value["title"])
    if "cluster" in value:
        return (topic.cluster.local_name
                if topic is not None and topic.cluster_id == value["cluster"] else value["name"])
    raise ValueError(f"unknown message parameter {value!r}")


def render(message: dict, *, topic=None) -> str:
    """The stored message in the active language; `topic` is the row's topic (read with its
    cluster), whose title and cluster's name the message may quote. A translation that does
    not fit its parameters (a placeholder renamed by mistake) falls back to the English
    msgid, so a faulty catalogue never stops an inbox or an e-mail."""
    params = {name: _param(value, topic) for name, value in message.get("params", {}).items()}
    try:
        return gettext(message["msgid"]) % params
    except (KeyError, ValueError, TypeError):
        logger.warning("The translation of %r does not fit its parameters", message["msgid"])
        return message["msgid"] % params
