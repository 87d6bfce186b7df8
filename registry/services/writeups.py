"""Writeups: drafts, edits with optimistic concurrency, publishing, and stored safe HTML."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from registry import permissions
from registry.core.errors import (
    AlreadyPublished,
    FieldErrors,
    NotAllowed,
    StaleVersion,
    TopicNotListed,
)
from registry.core.limits import max_length
from registry.core.rendering import RENDERER_VERSION, render_markdown
from registry.models import Topic, TopicEvent, Writeup, WriteupVersion
from registry.services.claims import claims_note_publication
from registry.services.endorsements import recognition_reconsider
from registry.services.history import record_event
from registry.services.languages import supported_language

CONTENT_FIELDS = ("title", "kind", "body", "external_url")


def _validate(*, title, kind, body, external_url, language):
    errors = FieldErrors()
    errors.text("title", title, max_length=max_length("writeup", "title"))
    if kind not in Writeup.Kind.values:
        errors.add("kind", _("“%(kind)s” is not a kind of writeup. Choose one of: %(kinds)s.")
                   % {"kind": kind, "kinds": ", ".join(Writeup.Kind.values)})
    errors.text("body", body, max_length=max_length("writeup", "body"), required=False)
    errors.http_url("external_url", external_url,
                    max_length=max_length("writeup", "external_url"))
    if not (body or "").strip() and not external_url:
        errors.add("body", _("Write a body, give a link to the work elsewhere, or both."))
    # Blank: not known. No choices on the field, so the check is here (settings.LANGUAGES).
    if language and supported_language(language) is None:
        errors.add("language", _("Choose one of: %(choices)s.")
                   % {"choices": ", ".join(code for code, _name in settings.LANGUAGES)})
    errors.raise_if_any()


def _snapshot(writeup: Writeup, *, editor, number: int):
    """The version keeps its own copy of the HTML rendered on save, so its page renders
    nothing."""
    WriteupVersion.objects.create(
        writeup=writeup, number=number, editor=editor, body_html=writeup.body_html,
        renderer_version=writeup.renderer_version,
        **{name: getattr(writeup, name) for name in CONTENT_FIELDS})


@transaction.atomic
def writeup_create(*, topic: Topic, author, title: str, kind: str, body: str = "",
                   external_url: str = "", language: str = "") -> Writeup:
    """Start a draft writeup on a listed topic, written in `language` ("" when not known).

    Raises ValidationFailed (a field missing, malformed or over its registry.core.limits maximum,
    or a language not in settings.LANGUAGES) or TopicNotListed. Side effects: the Writeup
    (body rendered and stored), WriteupVersion 1 (with the same HTML), and a TopicEvent
    `writeup_created` (not shown publicly).
    """
    _validate(title=title, kind=kind, body=body, external_url=external_url, language=language)
    if topic.state != Topic.State.LISTED:
        raise TopicNotListed()
    writeup = Writeup.objects.create(
        topic=topic, author=author, title=title.strip(), kind=kind, body=body,
        external_url=external_url, body_html=render_markdown(body),
        renderer_version=RENDERER_VERSION, language=language,
    )
    _snapshot(writeup, editor=author, number=1)
    record_event(topic=topic, kind=TopicEvent.Kind.WRITEUP_CREATED, actor=author,
                 writeup=writeup)
    return writeup


@transaction.atomic
def writeup_update(*, writeup: Writeup, editor, expected_version: int | None = None,
                   **changes) -> Writeup:
    """Change some of title, kind, body, external_url, language.

    `expected_version` is the version the editor saw (If-Match); None means "whatever is
    current". Raises NotAllowed, ValidationFailed (see writeup_create), StaleVersion (someone
    saved in between; nothing is written). Side effects: the conditional UPDATE bumping
    `version` (body rendered once, here), a new WriteupVersion with that HTML, and a
    TopicEvent `writeup_edited`.
    """
    if not permissions.can_edit_writeup(editor, writeup):
        raise NotAllowed(_("Only the author can edit this writeup."))
    current = Writeup.objects.select_for_update().get(pk=writeup.pk)
    base = current.version if expected_version is None else expected_version
    values = {name: changes.get(name, getattr(current, name)) for name in CONTENT_FIELDS}
    # Not one of CONTENT_FIELDS: a version does not keep it (it shows in the writeup's).
    values["language"] = changes.get("language", current.language)
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
        raise NotAllowed(_("Only the author can publish this writeup."))
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
        raise NotAllowed(_("Only the author can delete this writeup."))
    writeup = Writeup.objects.select_for_update().get(pk=writeup.pk)
    writeup.deleted_at = timezone.now()
    writeup.save(update_fields=["deleted_at", "updated_at"])
    record_event(topic=writeup.topic, kind=TopicEvent.Kind.WRITEUP_DELETED, actor=actor,
                 writeup=writeup, note=writeup.title)
    recognition_reconsider(writeup=writeup, actor=actor)


def writeups_rerender() -> tuple[int, int]:
    """Re-render the stored HTML of every writeup, and every writeup version, rendered by an
    older RENDERER_VERSION.

    Run by `manage.py rerender_markdown` after a deploy that bumps the version. Content and
    `version` do not change, so no history is written. Each row is updated only if its body
    is still the one rendered. Returns how many (writeups, versions) were re-rendered.
    """
    counts = []
    for model in (Writeup, WriteupVersion):
        count = 0
        stale = model.objects.exclude(renderer_version=RENDERER_VERSION).only("pk", "body")
        for row in stale.iterator():
            count += model.objects.filter(pk=row.pk, body=row.body).update(
                body_html=render_markdown(row.body), renderer_version=RENDERER_VERSION)
        counts.append(count)
    return counts[0], counts[1]
