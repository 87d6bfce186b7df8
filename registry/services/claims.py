"""Claims: a person's commitment to a topic, and its one state machine."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from registry import permissions
from registry.core.errors import (
    AlreadyClaimed,
    ClaimLimitReached,
    FieldErrors,
    InvalidTransition,
    NotAllowed,
    TopicNotListed,
)
from registry.core.limits import max_length
from registry.models import Claim, Topic, TopicEvent
from registry.services.history import PUBLISHED_NOTE, dormant_note, record_event

S = Claim.State
# Every move a claim may make, and the event it leaves in the topic's history. A released
# claim is final: claiming the topic again makes a new claim.
CLAIM_TRANSITIONS = {
    (S.ACTIVE, S.RELEASED): TopicEvent.Kind.RELEASED,
    (S.ACTIVE, S.DORMANT): TopicEvent.Kind.DORMANT,
    (S.DORMANT, S.ACTIVE): TopicEvent.Kind.RENEWED,
    (S.DORMANT, S.RELEASED): TopicEvent.Kind.RELEASED,
}


ALREADY_RELEASED = gettext_lazy(
    "This claim is already released. Claim the topic again to take it up.")
# A claim's state as a refusal names it (registry/_topic_work.html says them alike).
STATE_WORDS = {S.ACTIVE: pgettext_lazy("claim state", "active"),
               S.DORMANT: pgettext_lazy("claim state", "dormant"),
               S.RELEASED: pgettext_lazy("claim state", "released")}


def claim_limit_message(limit: int) -> str:
    """The refusal in plain words, for the API. Pages show registry/_claim_limit.html
    instead, which says the same with a link to My work."""
    return ngettext(
        "You already hold %(count)s active claim, the most anyone may hold at once. Release "
        "one of them, then claim this topic.",
        "You already hold %(count)s active claims, the most anyone may hold at once. Release "
        "one of them, then claim this topic.", limit) % {"count": limit}


def claim_limit_reached(person, *, exclude_pk=None) -> bool:
    """Whether `person` holds GAPMAP_MAX_ACTIVE_CLAIMS active claims (not counting
    `exclude_pk`): the rule itself, and what a page asks before offering the claim form."""
    active = Claim.objects.filter(person=person, state=S.ACTIVE).exclude(pk=exclude_pk)
    return active.count() >= settings.GAPMAP_MAX_ACTIVE_CLAIMS


def _check_claim_limit(person, *, exclude_pk=None):
    """Precondition: the person's row is locked (see _lock_person), so counts cannot race."""
    if claim_limit_reached(person, exclude_pk=exclude_pk):
        raise ClaimLimitReached(claim_limit_message(settings.GAPMAP_MAX_ACTIVE_CLAIMS))


def _lock_person(person):
    # Claims by one person are serialised on their user row: two concurrent requests then see
    # each other's claim, and the limit and the duplicate check hold.
    get_user_model().objects.select_for_update().filter(pk=person.pk).first()


@transaction.atomic
def claim_create(*, topic: Topic, person, plan: str, target_date: datetime.date | None = None,
                 now: datetime.datetime | None = None) -> Claim:
    """Claim a listed topic for `person`.

    Raises ValidationFailed (empty or too long a plan, target date in the past), TopicNotListed,
    AlreadyClaimed (also when a concurrent request won the race: the partial unique constraint
    turns it into an IntegrityError) and ClaimLimitReached.
    Side effects: one Claim (active) and one TopicEvent `claimed`.
    """
    now = now or timezone.now()
    errors = FieldErrors()
    errors.text("plan", plan, max_length=max_length("claim", "plan"))
    if target_date is not None and target_date < timezone.localdate(now):
        errors.add("target_date", _("Choose a date that is today or later."))
    errors.raise_if_any()
    if topic.state != Topic.State.LISTED:
        raise TopicNotListed()
    _lock_person(person)
    if Claim.objects.filter(person=person, topic=topic, state=S.ACTIVE).exists():
        raise AlreadyClaimed()
    _check_claim_limit(person)
    try:
        with transaction.atomic():
            claim = Claim.objects.create(topic=topic, person=person, plan=plan.strip(),
                                         target_date=target_date, last_activity_at=now)
    except IntegrityError:
        raise AlreadyClaimed() from None
    record_event(topic=topic, kind=TopicEvent.Kind.CLAIMED, actor=person, claim=claim, now=now)
    return claim


@transaction.atomic
def claim_set_state(*, claim: Claim, to: str, actor=None, note: str = "",
                    now: datetime.datetime | None = None) -> Claim:
    """The one door through which a claim changes state (see CLAIM_TRANSITIONS).

    Does not check who may ask; the callers below do. Raises InvalidTransition for a move not
    in the table; moving back to active re-checks the claim limit and uniqueness.
    Side effects: saves the claim (and its last_activity_at when it becomes active) and writes
    one TopicEvent of the transition's kind.
    """
    now = now or timezone.now()
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    kind = CLAIM_TRANSITIONS.get((claim.state, to))
    if kind is None:
        raise InvalidTransition(
            ALREADY_RELEASED if claim.state == S.RELEASED
            else _("A %(state)s claim cannot become %(to)s.") % {
                "state": STATE_WORDS.get(claim.state, claim.state), "to": STATE_WORDS.get(to, to)})
    if to == S.ACTIVE:
        _lock_person(claim.person)
        _check_claim_limit(claim.person, exclude_pk=claim.pk)
        claim.last_activity_at = now
    claim.state = to
    try:
        with transaction.atomic():
            claim.save(update_fields=["state", "last_activity_at", "updated_at"])
    except IntegrityError:
        raise AlreadyClaimed() from None
    record_event(topic=claim.topic, kind=kind, actor=actor, claim=claim, note=note, now=now)
    return claim


def claim_release(*, claim: Claim, actor, note: str = "",
                  now: datetime.datetime | None = None) -> Claim:
    """Release a claim (by its claimant, or a moderator). Side effects: see claim_set_state."""
    if not permissions.can_release_claim(actor, claim):
        raise NotAllowed(_("Only the claimant can release this claim."))
    errors = FieldErrors()
    errors.text("note", note, max_length=max_length("claim", "note"), required=False)
    errors.raise_if_any()
    return claim_set_state(claim=claim, to=S.RELEASED, actor=actor, note=note.strip(), now=now)


@transaction.atomic
def claim_renew(*, claim: Claim, actor, note: str,
                now: datetime.datetime | None = None) -> Claim:
    """Report progress on a claim: wakes a dormant claim, or restarts an active one's clock.

    Raises NotAllowed (not the claimant), ValidationFailed (no note), InvalidTransition
    (released). Side effects: last_activity_at = now and one TopicEvent `renewed`.
    """
    if not permissions.can_renew_claim(actor, claim):
        raise NotAllowed(_("Only the claimant can renew this claim."))
    errors = FieldErrors()
    errors.text("note", note, max_length=max_length("claim", "note"))
    errors.raise_if_any()
    return _claim_touch(claim=claim, actor=actor, note=note.strip(),
                        now=now or timezone.now(), record=True)


def _claim_touch(*, claim, actor, note, now, record):
    """Count activity on a claim: dormant → active through the door, active → clock restarted."""
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claim.state == S.DORMANT:
        return claim_set_state(claim=claim, to=S.ACTIVE, actor=actor, note=note, now=now)
    if claim.state != S.ACTIVE:
        raise InvalidTransition(ALREADY_RELEASED)
    claim.last_activity_at = now
    claim.save(update_fields=["last_activity_at", "updated_at"])
    if record:
        record_event(topic=claim.topic, kind=TopicEvent.Kind.RENEWED, actor=actor, claim=claim,
                     note=note, now=now)
    return claim


def claims_note_publication(*, person, topic, now: datetime.datetime) -> Claim | None:
    """A writeup by `person` on `topic` was published: their claim there counts it as activity.

    Precondition: inside the publishing transaction. A dormant claim wakes up unless that would
    break the claim limit, in which case it stays dormant and the publication still stands.
    Returns the claim touched, or None.
    """
    claim = (Claim.objects.filter(person=person, topic=topic, state__in=[S.ACTIVE, S.DORMANT])
             .order_by("state", "-created_at").first())  # "active" sorts before "dormant"
    if claim is None:
        return None
    try:
        with transaction.atomic():
            return _claim_touch(claim=claim, actor=person, note=PUBLISHED_NOTE, now=now,
                                record=False)
    except (ClaimLimitReached, AlreadyClaimed):
        return None


@transaction.atomic
def claims_mark_dormant(*, now: datetime.datetime | None = None) -> int:
    """Move every active claim idle for GAPMAP_CLAIM_DORMANT_DAYS to dormant; the sweep's body.

    Safe to run twice. Side effects: per claim, see claim_set_state (event actor: none).
    Returns how many claims went dormant.
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.GAPMAP_CLAIM_DORMANT_DAYS)
    idle = list(Claim.objects.select_for_update()
                .filter(state=S.ACTIVE, last_activity_at__lt=cutoff))
    # Their topics locked at once, in id order, before the first event takes the site version
    # row (services.site_version.site_version_bump): a writer holding one of them and waiting for
    # that row would otherwise deadlock with this loop.
    list(Topic.objects.select_for_update().filter(pk__in={c.topic_id for c in idle})
         .order_by("pk").values_list("pk", flat=True))
    count = 0
    for claim in idle:
        claim_set_state(claim=claim, to=S.DORMANT,
                        note=dormant_note(settings.GAPMAP_CLAIM_DORMANT_DAYS), now=now)
        count += 1
    return count
