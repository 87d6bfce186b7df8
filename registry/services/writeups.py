"""Writeups: drafts, edits with optimistic concurrency, publishing, and stored safe HTML."""

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from registry import permissions
from registry.errors import AlreadyPublished, NotAllowed, StaleVersion, TopicNotListed
from registry.models import Topic, TopicEvent, Writeup, WriteupVersion
from registry.rendering import RENDERER_VERSION, render_markdown
from registry.services.claims import claims_note_publication
from registry.services.history import FieldErrors, record_event

CONTENT_FIELDS = ("title", "kind", "body", "external_url")


def _validate(*, title, kind, body, external_url):
    errors = FieldErrors()
    errors.text("title", title, max_length=200)
    if kind not in Writeup.Kind.values:
        errors.add("kind", f"“{kind}” is not a kind of writeup. Choose one of: "
                           f"{', '.join(Writeup.Kind.values)}.")
    errors.text("body", body, max_length=100_000, required=False)
    errors.http_url("external_url", external_url, max_length=500)
    if not (body or "").strip() and not external_url:
        errors.add("body", "Write a body, give a link to the work elsewhere, or both.")
    errors.raise_if_any()


def _snapshot(writeup: Writeup, *, editor, number: int):
    WriteupVersion.objects.create(writeup=writeup, number=number, editor=editor,
                                  **{name: getattr(writeup, name) for name in CONTENT_FIELDS})


@transaction.atomic
def writeup_create(*, topic: Topic, author, title: str, kind: str, body: str = "",
                   external_url: str = "") -> Writeup:
    """Start a draft writeup on a listed topic.

    Raises ValidationFailed or TopicNotListed. Side effects: the Writeup (body rendered and
    stored), WriteupVersion 1, and a TopicEvent `writeup_created` (not shown publicly).
    """
    _validate(title=title, kind=kind, body=body, external_url=external_url)
    if topic.state != Topic.State.LISTED:
        raise TopicNotListed()
    writeup = Writeup.objects.create(
        topic=topic, author=author, title=title.strip(), kind=kind, body=body,
        external_url=external_url, body_html=render_markdown(body),
        renderer_version=RENDERER_VERSION,
    )
    _snapshot(writeup, editor=author, number=1)
    record_event(topic=topic, kind=TopicEvent.Kind.WRITEUP_CREATED, actor=author,
                 writeup=writeup)
    return writeup


@transaction.atomic
def writeup_update(*, writeup: Writeup, editor, expected_version: int | None = None,
                   **changes) -> Writeup:
    """Change some of title, kind, body, external_url.

    `expected_version` is the version the editor saw (If-Match); None means "whatever is
    current". Raises NotAllowed, ValidationFailed, StaleVersion (someone saved in between;
    nothing is written). Side effects: the conditional UPDATE bumping `version`, a new
    WriteupVersion, and a TopicEvent `writeup_edited`.
    """
    if not permissions.can_edit_writeup(editor, writeup):
        raise NotAllowed("Only the author can edit this writeup.")
    current = Writeup.objects.select_for_update().get(pk=writeup.pk)
    base = current.version if expected_version is None else expected_version
    values = {name: changes.get(name, getattr(current, name)) for name in CONTENT_FIELDS}
    _validate(**values)
    values["title"] = values["title"].strip()
    updated = Writeup.objects.filter(pk=writeup.pk, version=base).update(
        **values, body_html=render_markdown(values["body"]), renderer_version=RENDERER_VERSION,
        version=F("version") + 1, updated_at=timezone.now(),
    )
    if not updated:
        raise StaleVersion()
    writeup = Writeup.objects.get(pk=writeup.pk)
    _snapshot(writeup, editor=editor, number=writeup.versions.count() + 1)
    record_event(topic=writeup.topic, kind=TopicEvent.Kind.WRITEUP_EDITED, actor=editor,
                 writeup=writeup)
    return writeup


@transaction.atomic
def writeup_publish(*, writeup: Writeup, actor, now: datetime.datetime | None = None) -> Writeup:
    """Publish a draft: it becomes public and counts towards the topic's coverage.

    Raises NotAllowed, AlreadyPublished. Side effects: published_at and version
    bump, a TopicEvent `published`, and the author's claim on the topic renewed (see
    claims_note_publication).
    """
    if not permissions.can_edit_writeup(actor, writeup):
        raise NotAllowed("Only the author can publish this writeup.")
    now = now or timezone.now()
    writeup = Writeup.objects.select_for_update().get(pk=writeup.pk)
    if writeup.published_at is not None:
        raise AlreadyPublished()
    writeup.published_at = now
    writeup.version += 1
    writeup.save(update_fields=["published_at", "version", "updated_at"])
    record_event(topic=writeup.topic, kind=TopicEvent.Kind.PUBLISHED, actor=actor,
                 writeup=writeup, now=now)
    claims_note_publication(person=writeup.author, topic=writeup.topic, now=now)
    return writeup


@transaction.atomic
def writeup_delete(*, writeup: Writeup, actor) -> None:
    """Hide a writeup everywhere. Its versions and the topic's history are kept.

    Raises NotAllowed. Side effects: deleted_at, and a TopicEvent `writeup_deleted` whose
    note keeps the title.
    """
    if not permissions.can_edit_writeup(actor, writeup):
        raise NotAllowed("Only the author can delete this writeup.")
    writeup = Writeup.objects.select_for_update().get(pk=writeup.pk)
    writeup.deleted_at = timezone.now()
    writeup.save(update_fields=["deleted_at", "updated_at"])
    record_event(topic=writeup.topic, kind=TopicEvent.Kind.WRITEUP_DELETED, actor=actor,
                 writeup=writeup, note=writeup.title)


def writeups_rerender() -> int:
    """Re-render the stored HTML of every writeup rendered by an older RENDERER_VERSION.

    Run by `manage.py rerender_markdown` after a deploy that bumps the version. Content and
    `version` do not change, so no history is written. Returns how many were re-rendered.
    """
    count = 0
    stale = Writeup.objects.exclude(renderer_version=RENDERER_VERSION).only("pk", "body")
    for writeup in stale.iterator():
        count += Writeup.objects.filter(pk=writeup.pk, body=writeup.body).update(
            body_html=render_markdown(writeup.body), renderer_version=RENDERER_VERSION)
    return count
