"""Frontier endorsements and recognitions: the top of the status ladder.

A person with standing endorses a published writeup (permissions.endorse_refusal is the
rule). Once a writeup has GAPMAP_ENDORSEMENTS_TO_RECOGNISE live endorsements, its author is
recognised on its topic, which makes the topic covered; when retractions or voids take it
below, that recognition ends. Moderators also record recognitions for work done elsewhere.

Every change here locks the writeup's row (or the recognition's) first, so two endorsements
committing at the same moment count each other and recognise the author exactly once.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from registry import permissions
from registry.core.errors import (
    EndorsementNotLive,
    FieldErrors,
    NotAllowed,
    RecognitionFromEndorsements,
    RecognitionNotLive,
)
from registry.core.limits import max_length, min_length
from registry.models import Endorsement, Recognition, TopicEvent, Writeup
from registry.services.history import DROPPED_NOTE, GONE_NOTE, record_event


def _reason(value: str, *, kind: str, name: str = "reason") -> str:
    errors = FieldErrors()
    errors.text(name, value, max_length=max_length(kind, "reason"))
    errors.raise_if_any()
    return value.strip()


def _locked_writeup(writeup: Writeup) -> Writeup:
    """The writeup's row, locked: the turn every endorsement change on it takes."""
    return Writeup.objects.select_for_update().select_related("topic", "author").get(
        pk=writeup.pk)


@transaction.atomic
def endorsement_create(*, writeup: Writeup, endorser, statement: str,
                       disclosure: str | None = None,
                       now: datetime.datetime | None = None) -> Endorsement:
    """Endorse a published writeup. `disclosure` None takes the endorser's profile
    disclosure (a form prefills the same); "" records none.

    Raises ValidationFailed (statement not 40–2,000 characters, control characters), and
    the refusal of permissions.endorse_refusal (not_endorsable, cannot_endorse_own_work,
    no_standing, already_endorsed). Side effects: the Endorsement, a TopicEvent `endorsed`
    (stats, the author's notification, search), and, when this one reaches the threshold,
    the author's Recognition with its `recognised` event (see _recognition_follow).
    """
    errors = FieldErrors()
    errors.text("statement", statement, max_length=max_length("endorsement", "statement"),
                min_length=min_length("endorsement", "statement"))
    if disclosure is None:
        profile = getattr(endorser, "profile", None)
        disclosure = profile.conflict_of_interest if profile is not None else ""
    errors.text("disclosure", disclosure, max_length=max_length("endorsement", "disclosure"),
                required=False)
    errors.raise_if_any()
    writeup = _locked_writeup(writeup)
    if refusal := permissions.endorse_refusal(endorser, writeup):
        raise refusal
    now = now or timezone.now()
    endorsement = Endorsement.objects.create(
        writeup=writeup, endorser=endorser, statement=statement.strip(),
        disclosure=disclosure.strip(), created_at=now)
    record_event(topic=writeup.topic, kind=TopicEvent.Kind.ENDORSED, actor=endorser,
                 writeup=writeup, endorsement=endorsement, now=now)
    _recognition_follow(writeup, actor=endorser, now=now)
    return endorsement


@transaction.atomic
def endorsement_retract(*, endorsement: Endorsement, actor,
                        now: datetime.datetime | None = None) -> Endorsement:
    """The endorser takes their endorsement back. It is kept, as `retracted`.

    Raises NotAllowed (not the endorser), EndorsementNotLive. Side effects: a TopicEvent
    `endorsement_retracted`; the author's recognition ends if the writeup drops below the
    threshold (`recognition_ended`).
    """
    if not permissions.can_retract_endorsement(actor, endorsement):
        raise NotAllowed(_("Only the person who endorsed can retract an endorsement."))
    now = now or timezone.now()
    return _endorsement_end(endorsement, actor=actor, now=now,
                            kind=TopicEvent.Kind.ENDORSEMENT_RETRACTED,
                            changes={"state": Endorsement.State.RETRACTED, "retracted_at": now})


@transaction.atomic
def endorsement_void(*, endorsement: Endorsement, moderator, reason: str,
                     now: datetime.datetime | None = None) -> Endorsement:
    """A moderator voids an endorsement (a sock account, a conflict not disclosed). It is
    kept, as `voided`, with the reason.

    Raises NotAllowed (not a moderator), ValidationFailed (no reason, or too long),
    EndorsementNotLive. Side effects: as endorsement_retract, with `endorsement_voided`.
    """
    if not permissions.can_moderate_recognition(moderator):
        raise NotAllowed(_("Only moderators can void an endorsement."))
    reason = _reason(reason, kind="endorsement")
    now = now or timezone.now()
    return _endorsement_end(endorsement, actor=moderator, now=now, note=reason,
                            kind=TopicEvent.Kind.ENDORSEMENT_VOIDED,
                            changes={"state": Endorsement.State.VOIDED, "voided_at": now,
                                     "voided_by": moderator, "void_reason": reason})


def _endorsement_end(endorsement, *, actor, now, kind, changes, note=""):
    """Precondition: inside a transaction. Takes the writeup's turn, then ends the endorsement
    if it is still live."""
    now = changes.get("retracted_at") or changes.get("voided_at")
    writeup = _locked_writeup(endorsement.writeup)
    endorsement = Endorsement.objects.select_for_update().get(pk=endorsement.pk)
    if endorsement.state != Endorsement.State.LIVE:
        raise EndorsementNotLive()
    for name, value in changes.items():
        setattr(endorsement, name, value)
    endorsement.save(update_fields=list(changes))
    record_event(topic=writeup.topic, kind=kind, actor=actor, writeup=writeup,
                 endorsement=endorsement, note=note, now=now)
    _recognition_follow(writeup, actor=actor, now=now)
    return endorsement


def _recognition_follow(writeup: Writeup, *, actor, now) -> None:
    """Make the author's endorsement-sourced recognition agree with the writeup's live
    endorsements: granted at the threshold, ended below it.

    Precondition: the writeup's row is locked (_locked_writeup), so every concurrent
    endorsement of it has committed before this counts. Side effects: the Recognition
    created or ended, and its `recognised` or `recognition_ended` event.
    """
    # A writeup that no longer stands (hidden by a moderator, deleted) is evidence of nothing.
    stands = writeup.is_published and not writeup.hidden and writeup.deleted_at is None
    live = (Endorsement.objects.filter(writeup=writeup, state=Endorsement.State.LIVE).count()
            if stands else 0)
    recognition = Recognition.objects.filter(
        writeup=writeup, person=writeup.author, source=Recognition.Source.ENDORSEMENTS,
        ended_at__isnull=True).first()
    threshold = settings.GAPMAP_ENDORSEMENTS_TO_RECOGNISE
    if live >= threshold and recognition is None:
        recognition = Recognition.objects.create(
            topic=writeup.topic, person=writeup.author, writeup=writeup,
            work_title=writeup.title, source=Recognition.Source.ENDORSEMENTS,
            reason=f"{live} frontier endorsements of “{writeup.title}”.", created_at=now)
        record_event(topic=writeup.topic, kind=TopicEvent.Kind.RECOGNISED, actor=actor,
                     writeup=writeup, recognition=recognition, now=now)
    elif live < threshold and recognition is not None:
        _recognition_close(recognition, actor=actor, now=now, reason=(
            DROPPED_NOTE % {"title": writeup.title, "live": live, "threshold": threshold}
            if stands else GONE_NOTE % {"title": writeup.title}))


@transaction.atomic
def recognition_reconsider(*, writeup: Writeup, actor, now: datetime.datetime | None = None):
    """After a writeup is hidden, shown again or deleted: end the recognition it earned while
    it does not stand, or grant it again once it does (its live endorsements kept counting).
    Called by the hide door (moderation) and writeup_delete."""
    _recognition_follow(_locked_writeup(writeup), actor=actor, now=now or timezone.now())


def _recognition_close(recognition: Recognition, *, actor, now, reason: str) -> None:
    recognition.ended_at, recognition.end_reason = now, reason
    recognition.save(update_fields=["ended_at", "end_reason"])
    record_event(topic=recognition.topic, kind=TopicEvent.Kind.RECOGNITION_ENDED, actor=actor,
                 writeup=recognition.writeup, recognition=recognition, note=reason, now=now)


@transaction.atomic
def recognition_record(*, topic, moderator, name: str = "", person=None, work_title: str,
                       work_url: str = "", reason: str,
                       now: datetime.datetime | None = None) -> Recognition:
    """A moderator records recognised expertise for work done elsewhere (the Baker case):
    a name (or an account, or both), the work's title and address, and why.

    Raises NotAllowed (not a moderator), ValidationFailed (no name nor person, no title or
    reason, a bad address, a field too long). Side effects: the Recognition and a TopicEvent
    `recognised` (the topic turns covered; the person and followers hear; funders watching
    the cluster are alerted if it just became covered).
    """
    if not permissions.can_moderate_recognition(moderator):
        raise NotAllowed(_("Only moderators can record a recognition."))
    errors = FieldErrors()
    errors.text("name", name, max_length=max_length("recognition", "name"),
                required=person is None)
    errors.text("work_title", work_title, max_length=max_length("recognition", "work_title"))
    errors.http_url("work_url", work_url, max_length=max_length("recognition", "work_url"))
    errors.text("reason", reason, max_length=max_length("recognition", "reason"))
    errors.raise_if_any()
    return _recognition_add(topic=topic, recorded_by=moderator, name=name.strip(),
                            person=person, work_title=work_title.strip(), work_url=work_url,
                            reason=reason.strip(), now=now or timezone.now())


# Why a recognition made from a topic's recorded expert (the catalogue, the admin) exists.
# Stored in English; pages show it in the reader's language (they compare the stored text).
RECORDED_EXPERT_REASON = gettext_noop("Recorded in the catalogue")


def recognition_for_recorded_expert(*, topic, recorded_by=None) -> Recognition | None:
    """The Recognition for the expert recorded on the topic (expert_name and expert_work_*,
    as the catalogue and the admin write them), unless the topic has none or already has a
    live recognition of that name. Trusted callers only (catalogue_load, topic_save), so no
    moderator check. Precondition: inside their transaction. Side effects: as
    recognition_record."""
    if not topic.expert_name.strip() or Recognition.objects.filter(
            topic=topic, name=topic.expert_name.strip(), ended_at__isnull=True).exists():
        return None
    return _recognition_add(topic=topic, recorded_by=recorded_by, name=topic.expert_name.strip(),
                            person=None, work_title=topic.expert_work_title,
                            work_url=topic.expert_work_url, reason=RECORDED_EXPERT_REASON,
                            now=timezone.now())


def _recognition_add(*, topic, recorded_by, name, person, work_title, work_url, reason,
                     now) -> Recognition:
    recognition = Recognition.objects.create(
        topic=topic, person=person, name=name, work_title=work_title, work_url=work_url,
        reason=reason, source=Recognition.Source.MODERATOR, recorded_by=recorded_by,
        created_at=now)
    record_event(topic=topic, kind=TopicEvent.Kind.RECOGNISED, actor=recorded_by,
                 recognition=recognition, now=now)
    return recognition


@transaction.atomic
def recognition_end(*, recognition: Recognition, moderator, reason: str,
                    now: datetime.datetime | None = None) -> Recognition:
    """A moderator ends a recorded recognition (withdrawn, or recorded in error). It is kept,
    with the reason. One earned through endorsements ends only with them.

    Raises NotAllowed, ValidationFailed (no reason), RecognitionNotLive,
    RecognitionFromEndorsements. Side effects: ended_at, and a TopicEvent
    `recognition_ended` (the topic falls to published, claimed or gap unless another live
    recognition covers it).
    """
    if not permissions.can_moderate_recognition(moderator):
        raise NotAllowed(_("Only moderators can end a recognition."))
    reason = _reason(reason, kind="recognition")
    recognition = Recognition.objects.select_for_update().get(pk=recognition.pk)
    if recognition.ended_at is not None:
        raise RecognitionNotLive()
    if recognition.source == Recognition.Source.ENDORSEMENTS:
        raise RecognitionFromEndorsements()
    _recognition_close(recognition, actor=moderator, now=now or timezone.now(), reason=reason)
    return recognition
