"""Writes for follows and notifications. Keyword-only arguments, like registry.services.

The event services (claims, writeups, topics, proposals) call notify_topic_event or
notify_proposal_event next to the history row they write, inside their transaction: the
Notification rows are the outbox, and the e-mail task is queued only on commit.
"""

import datetime
import logging
import uuid
from functools import partial

from celery import current_app
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from proposals.models import Proposal, ProposalEvent, Stage
from proposals.selectors import shown_to
from registry.core.caching import person_stamp_bump
from registry.core.errors import ValidationFailed
from registry.models import TopicEvent
from registry.notifications import selectors
from registry.notifications.messages import Message, date, stage, topic_title
from registry.notifications.models import (
    ClaimReminder,
    Delivery,
    DigestFrequency,
    EventKind,
    Follow,
    Notification,
    NotificationSettings,
)
from registry.selectors import public_name as _name
from registry.selectors import topics_visible_to

logger = logging.getLogger(__name__)
# The tasks are found by name (see queue_notification_emails). SEND_EMAIL_TASK, one person per
# task, is no longer queued but stays registered for the tasks a broker still holds during a
# deploy; every event now queues one SEND_EMAILS_TASK for all its e-mail recipients.
SEND_EMAIL_TASK = "registry.notifications.tasks.send_notification_email"
SEND_EMAILS_TASK = "registry.notifications.tasks.send_notification_emails"
State = Notification.EmailState
# A row still `sending` after this long belongs to a worker that died mid-send (tasks are
# killed after CELERY_TASK_TIME_LIMIT, or their own shorter limit in tasks.py), so the retry
# sweep hands it back to `pending`.
SENDING_STALE_AFTER = datetime.timedelta(minutes=10)
# The person stamp (registry.core.caching.person_stamp) that moves after every commit that
# changes someone's unread notifications; the header's cached unread count is keyed on it.
INBOX_STAMP = "inbox"


def _who_may_see(ids: set[int], *, topic, proposal) -> set[int]:
    """The people among `ids` who may see the topic or proposal (through the same selectors
    as its page): nobody else hears about a hidden one, nor about one on a hidden topic."""
    if proposal is not None:
        if not (proposal.hidden or proposal.topic.hidden):
            return ids
        return {pk for pk in ids if Proposal.objects.filter(
            shown_to(_person(pk)), pk=proposal.pk).exists()}
    if topic is not None and topic.hidden:
        return {pk for pk in ids if topics_visible_to(_person(pk)).filter(pk=topic.pk).exists()}
    return ids


def _person(pk):
    return get_user_model().objects.get(pk=pk)


# --- Follows --------------------------------------------------------------------------------

def follow_create(*, person, topic=None, proposal=None, writeup=None) -> Follow:
    """Follow a topic, a proposal or a writeup's discussion (exactly one). Following twice is
    harmless."""
    target = selectors.follow_on(topic=topic, proposal=proposal, writeup=writeup)
    try:
        with transaction.atomic():
            follow, _ = Follow.objects.get_or_create(person=person, **target)
    except IntegrityError:  # a concurrent request made the same follow first
        follow = Follow.objects.get(person=person, **target)
    return follow


def follow_delete(*, person, topic=None, proposal=None, writeup=None) -> bool:
    """Stop following; returns whether there was a follow. Notifications already made stay."""
    target = selectors.follow_on(topic=topic, proposal=proposal, writeup=writeup)
    deleted, _ = Follow.objects.filter(person=person, **target).delete()
    return bool(deleted)


# --- The outbox -----------------------------------------------------------------------------

def notify(*, kind: str, text: str | Message, topic=None, proposal=None, writeup=None, comment=None,
           actor=None, also=(), followers: bool = True, leave_out=(),
           now: datetime.datetime | None = None) -> list[Notification]:
    """Write one Notification per follower of `topic` or `proposal` (when `followers`) and per
    person in `also`, never for `actor` nor for the people in `leave_out` (who hear of it in
    their own words). `text` is a Message (translated when shown, in each reader's language)
    or, from callers not yet converted, English text. `writeup` and `comment` are what the
    text quotes:
    the rows are withheld once either is hidden from their recipient (or the comment is
    deleted; selectors.about_visible_to).

    Precondition: inside the transaction of the event. Side effects: the rows (delivery from
    each person's settings: e-mail rows start `pending`, digest rows wait for the digest,
    site-only rows are never e-mailed, and a person who turned the kind off gets no row),
    on commit the recipients' inbox stamps move (their unread counts), and one
    send_notification_emails task for all the e-mail recipients (however many
    follow), delayed by GAPMAP_NOTIFY_BATCH_MINUTES so a burst makes one e-mail per person.
    """
    now = now or timezone.now()
    message = text.as_json() if isinstance(text, Message) else {}
    text = str(text)
    ids = {person.pk for person in also if person is not None}
    if followers:
        target = Q(topic=topic) if topic is not None else Q(proposal=proposal)
        ids |= set(Follow.objects.filter(target, person__is_active=True)
                   .values_list("person_id", flat=True))
    ids.discard(actor.pk if actor is not None else None)
    ids -= {person.pk for person in leave_out}
    ids = _who_may_see(ids, topic=topic, proposal=proposal)
    prefs = {s.person_id: s for s in NotificationSettings.objects.filter(person_id__in=ids)}
    rows = []
    for person_id in sorted(ids):
        delivery = prefs[person_id].delivery_for(kind) if person_id in prefs else Delivery.EMAIL
        if delivery == Delivery.OFF:
            continue
        rows.append(Notification(
            recipient_id=person_id, kind=kind, topic=topic, proposal=proposal, writeup=writeup,
            comment=comment, actor=actor,
            text=text[:500], message=message, created_at=now, delivery=delivery,
            email_state=State.NONE if delivery == Delivery.SITE else State.PENDING,
        ))
    Notification.objects.bulk_create(rows)
    person_stamp_bump(INBOX_STAMP, [row.recipient_id for row in rows])
    email_to = [row.recipient_id for row in rows if row.delivery == Delivery.EMAIL]
    if email_to:
        transaction.on_commit(partial(queue_notification_emails, email_to))
    return rows


def queue_notification_emails(recipient_ids, *, countdown: int | None = None) -> None:
    """Queue one send_notification_emails task for all these people: publishing costs about a
    millisecond, so one per person would slow a request by the number of followers.

    Runs after commit, so it must not fail: when the broker is unreachable it logs and
    returns, and the rows stay `pending` for the outbox retry sweep (notifications_retry).
    The task is found by name, not imported: it calls back into this module
    (NotificationsConfig.ready registers it)."""
    if not recipient_ids:
        return
    if countdown is None:
        countdown = settings.GAPMAP_NOTIFY_BATCH_MINUTES * 60
    try:
        current_app.tasks[SEND_EMAILS_TASK].apply_async((list(recipient_ids),),
                                                        countdown=countdown)
    except Exception:  # any publish (or, eagerly, send) failure: the sweep retries
        logger.warning("Could not queue the notification e-mails for %d people; the outbox "
                       "retry sweep will send them.", len(recipient_ids), exc_info=True)


def _send_claimed(person, ids, *, now, subject_template, body_template) -> int:
    """Claim the `pending` rows among `ids` with one conditional UPDATE, e-mail them in one
    message, then mark them sent. Rows another run claimed first are not sent again.
    Returns how many rows went out. Must run outside a transaction: the claim commits before
    the e-mail leaves, so a concurrent or redelivered run sees it."""
    key = uuid.uuid4()
    claimed = Notification.objects.filter(pk__in=ids, email_state=State.PENDING).update(
        email_state=State.SENDING, batch_key=key, email_claimed_at=now)
    if not claimed:
        return 0
    try:
        return _send_batch(person, key, subject_template=subject_template,
                           body_template=body_template)
    finally:
        # The rows' e-mail states show in the person's notifications (the API), which are
        # cached under their inbox stamp.
        person_stamp_bump(INBOX_STAMP, [person.pk])


def _send_batch(person, key, *, subject_template, body_template) -> int:
    batch = Notification.objects.filter(batch_key=key)
    if not person.email:
        batch.update(email_state=State.NONE)
        return 0
    # Hidden since the row was written: never e-mailed (the inbox withholds it the same way).
    batch.exclude(selectors.about_visible_to(person)).update(email_state=State.NONE)
    rows = list(batch.filter(email_state=State.SENDING)
                .select_related("topic__cluster", "proposal").order_by("created_at", "id"))
    if not rows:
        return 0
    context = {"person": person, "name": _name(person), "rows": rows,
               "groups": selectors.group_by_target(rows), "site_url": settings.GAPMAP_SITE_URL}
    try:
        # In the person's language, whatever the worker's: the texts, the rows' messages
        # (Notification.local_text) and the dates.
        with translation.override(language_of(person)):
            subject = render_to_string(subject_template, context).strip()
            body = render_to_string(body_template, context)
        send_mail(subject, body, None, [person.email])
    except Exception:
        # Not sent: hand the rows back so a retry sends them, then let the task fail loudly.
        batch.update(email_state=State.PENDING, batch_key=None, email_claimed_at=None)
        raise
    batch.filter(email_state=State.SENDING).update(email_state=State.SENT,
                                                   emailed_at=timezone.now())
    return len(rows)


def language_of(person) -> str:
    """The language a person reads their e-mails in: the one on their profile, else the
    site's default. Read `person` with its profile (select_related), or this is a query."""
    profile = getattr(person, "profile", None)
    return (profile.language if profile is not None else "") or settings.LANGUAGE_CODE


def _recipient(recipient_id: int):
    """The active person with their profile (their name and language), or None."""
    return (get_user_model().objects.filter(pk=recipient_id, is_active=True)
            .select_related("profile").first())


def notification_emails_send(*, recipient_id: int, ids: list[int] | None = None,
                             now: datetime.datetime | None = None) -> int:
    """E-mail the person's due `email` notifications in one message; the task's body.

    Due means the oldest pending row is at least GAPMAP_NOTIFY_BATCH_MINUTES old, so a burst
    goes out once, when its window closes. `ids` are the rows a caller already read as due
    (default: read them now). Safe to run twice: see _send_claimed. Returns rows e-mailed.
    """
    now = now or timezone.now()
    person = _recipient(recipient_id)
    if person is None:
        return 0
    if ids is None:
        ids = selectors.due_email_ids(recipient_id=recipient_id, now=now)
    if not ids:
        return 0
    return _send_claimed(person, ids, now=now,
                         subject_template="registry/notifications/email_subject.txt",
                         body_template="registry/notifications/email_body.txt")


def notification_emails_send_each(*, recipient_ids: list[int]) -> int:
    """notification_emails_send for each person in turn; the fan-out task's body. A person
    whose send fails is logged and skipped: their rows stay `pending` (or go back to it, see
    _send_claimed) and the outbox retry sweep sends them. Returns rows e-mailed in all.

    A task's soft time limit is not a person's failure: it ends the run, and the people not
    reached yet are left to the sweep too."""
    sent = 0
    for recipient_id in recipient_ids:
        try:
            sent += notification_emails_send(recipient_id=recipient_id)
        except SoftTimeLimitExceeded:
            raise
        except Exception:
            logger.exception("Could not e-mail person %s their notifications; the outbox "
                             "retry sweep will send them.", recipient_id)
    return sent


def notification_digest_send(*, recipient_id: int, now: datetime.datetime | None = None) -> int:
    """E-mail the person's `digest` notifications up to `now` in one message, grouped by
    topic and proposal. Safe to run twice. Returns how many rows went out."""
    now = now or timezone.now()
    person = _recipient(recipient_id)
    if person is None:
        return 0
    ids = list(Notification.objects.filter(
        recipient_id=recipient_id, delivery=Delivery.DIGEST, email_state=State.PENDING,
        created_at__lte=now).values_list("pk", flat=True))
    if not ids:
        return 0
    return _send_claimed(person, ids, now=now,
                         subject_template="registry/notifications/digest_subject.txt",
                         body_template="registry/notifications/digest_body.txt")


def digests_send(*, now: datetime.datetime | None = None) -> int:
    """The daily digest job: one e-mail per person with digest notifications waiting. People
    who chose a weekly digest get theirs on Mondays only. Returns e-mails sent."""
    now = now or timezone.now()
    waiting = Notification.objects.filter(delivery=Delivery.DIGEST, email_state=State.PENDING,
                                          created_at__lte=now)
    if now.weekday() != 0:
        waiting = waiting.exclude(
            recipient__notification_settings__digest_frequency=DigestFrequency.WEEKLY)
    sent = 0
    for recipient_id in waiting.values_list("recipient_id", flat=True).distinct():
        sent += bool(notification_digest_send(recipient_id=recipient_id, now=now))
    return sent


def notifications_retry(*, now: datetime.datetime | None = None) -> int:
    """The outbox retry job: hand rows stuck in `sending` by a dead worker back to `pending`,
    then queue one e-mail task for everyone with due pending rows (also those whose task was
    never queued because the broker was down). Returns how many people were queued."""
    now = now or timezone.now()
    with transaction.atomic():
        stuck = list(Notification.objects.select_for_update().filter(
            email_state=State.SENDING, email_claimed_at__lt=now - SENDING_STALE_AFTER
        ).values_list("pk", "recipient_id"))
        Notification.objects.filter(pk__in=[pk for pk, _ in stuck]).update(
            email_state=State.PENDING, batch_key=None, email_claimed_at=None)
        person_stamp_bump(INBOX_STAMP, [recipient_id for _, recipient_id in stuck])
    recipient_ids = selectors.recipients_with_due_emails(now=now)
    queue_notification_emails(recipient_ids, countdown=0)
    return len(recipient_ids)


# --- Reading --------------------------------------------------------------------------------

def notifications_mark_read(*, person, notification_id: int | None = None,
                            now: datetime.datetime | None = None) -> int:
    """Mark one of the person's notifications read, or all of them when no id is given.
    Returns how many changed; another person's notification is never touched (0).
    Side effect: when any changed, the person's inbox stamp moves on commit."""
    unread = Notification.objects.filter(recipient=person, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    changed = unread.update(read_at=now or timezone.now())
    if changed:
        person_stamp_bump(INBOX_STAMP, [person.pk])
    return changed


def notification_settings_update(*, person, delivery: dict[str, str] | None = None,
                                 digest_frequency: str | None = None) -> NotificationSettings:
    """Change how the person hears about some event kinds and how often digests come.

    Raises ValidationFailed for an unknown kind, delivery or frequency.
    """
    errors = {}
    for kind, mode in (delivery or {}).items():
        if kind not in EventKind.values:
            errors.setdefault("delivery", []).append(
                gettext("“%(kind)s” is not an event kind.") % {"kind": kind})
        elif mode not in Delivery.values:
            errors.setdefault("delivery", []).append(
                gettext("%(kind)s: choose one of %(choices)s.")
                % {"kind": kind, "choices": ", ".join(Delivery.values)})
    if digest_frequency is not None and digest_frequency not in DigestFrequency.values:
        errors["digest_frequency"] = [gettext("Choose one of %(choices)s.")
                                      % {"choices": ", ".join(DigestFrequency.values)}]
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        prefs, _ = NotificationSettings.objects.select_for_update().get_or_create(person=person)
        prefs.delivery = {**prefs.delivery, **(delivery or {})}
        if digest_frequency is not None:
            prefs.digest_frequency = digest_frequency
        prefs.save()
    return prefs


# --- Events from the registry ---------------------------------------------------------------

def notify_topic_event(*, event: TopicEvent) -> list[Notification]:
    """Notify about a TopicEvent that people care about; others are ignored.

    Precondition: inside the transaction that wrote `event`. Side effects: auto-follows (the
    claimant on a claim, the author on a publication) and notify().
    """
    K, topic, actor = TopicEvent.Kind, event.topic, event.actor
    title = topic_title(topic)
    common = {"topic": topic, "actor": actor, "now": event.created_at}
    if event.kind == K.CLAIMED:
        follow_create(person=actor, topic=topic)
        return notify(kind=EventKind.CLAIM_MADE, text=Message(
            gettext_noop("%(name)s claimed “%(topic)s”."), name=_name(actor), topic=title),
            **common)
    if event.kind == K.RELEASED:
        msgid = (gettext_noop("%(name)s released their claim on “%(topic)s”.")
                 if actor == event.claim.person
                 else gettext_noop("%(name)s's claim on “%(topic)s” was released."))
        return notify(kind=EventKind.CLAIM_RELEASED, **common, text=Message(
            msgid, name=_name(event.claim.person), topic=title))
    if event.kind == K.DORMANT:
        return notify(kind=EventKind.CLAIM_DORMANT, **common, text=Message(gettext_noop(
            "%(name)s's claim on “%(topic)s” went dormant: no writeup for a long while."),
            name=_name(event.claim.person), topic=title))
    if event.kind == K.PUBLISHED:
        follow_create(person=actor, topic=topic)
        return notify(kind=EventKind.WRITEUP_PUBLISHED, writeup=event.writeup, **common,
                      text=Message(gettext_noop("%(name)s published “%(writeup)s” on "
                                                "“%(topic)s”."),
                                   name=_name(actor), writeup=event.writeup.title, topic=title))
    if event.kind in ENDORSEMENT_KINDS:
        return _notify_endorsement(event, title)
    if event.kind in (K.RECOGNISED, K.RECOGNITION_ENDED):
        return _notify_recognition(event, title)
    if event.kind in (K.LISTED, K.DECLINED) and topic.suggested_by is not None:
        if event.kind == K.LISTED:
            kind, text = EventKind.SUGGESTION_LISTED, Message(
                gettext_noop("Your suggested topic “%(topic)s” is listed."), topic=title)
        else:
            kind, text = EventKind.SUGGESTION_DECLINED, Message(
                gettext_noop("Your suggested topic “%(topic)s” was declined: %(note)s"),
                topic=title, note=topic.decision_note)
        return notify(kind=kind, text=text, also=[topic.suggested_by], followers=False,
                      **common)
    return []


ENDORSEMENT_KINDS = (TopicEvent.Kind.ENDORSED, TopicEvent.Kind.ENDORSEMENT_RETRACTED,
                    TopicEvent.Kind.ENDORSEMENT_VOIDED)


def _notify_endorsement(event: TopicEvent, title: dict) -> list[Notification]:
    """The writeup's author hears of each endorsement of it, and of each one withdrawn; a
    voided endorsement's endorser hears why. Followers hear only of recognitions."""
    K, endorsement, writeup = TopicEvent.Kind, event.endorsement, event.writeup
    who = {"name": _name(endorsement.endorser), "writeup": writeup.title}
    people, text = [writeup.author], {
        K.ENDORSED: Message(gettext_noop("%(name)s endorsed your writeup “%(writeup)s” on "
                                         "“%(topic)s”: “%(statement)s”"),
                            **who, topic=title, statement=endorsement.statement),
        K.ENDORSEMENT_RETRACTED: Message(
            gettext_noop("%(name)s retracted their endorsement of “%(writeup)s”."), **who),
        K.ENDORSEMENT_VOIDED: Message(
            gettext_noop("A moderator voided %(name)s's endorsement of “%(writeup)s”: "
                         "%(reason)s"), **who, reason=endorsement.void_reason),
    }[event.kind]
    if event.kind == K.ENDORSEMENT_VOIDED:
        people.append(endorsement.endorser)
    return notify(kind=EventKind.ENDORSEMENT, text=text, topic=event.topic, writeup=writeup,
                  actor=event.actor, also=people, followers=False, now=event.created_at)


def _notify_recognition(event: TopicEvent, title: dict) -> list[Notification]:
    """The recognised person (when they have an account) and the topic's followers hear of
    a recognition, and of its end."""
    recognition = event.recognition
    who = _name(recognition.person) if recognition.person is not None else recognition.name
    if event.kind == TopicEvent.Kind.RECOGNISED and recognition.work_title:
        text = Message(gettext_noop("%(name)s is now recognised on “%(topic)s” for "
                                    "“%(work)s”."),
                       name=who, topic=title, work=recognition.work_title)
    elif event.kind == TopicEvent.Kind.RECOGNISED:
        text = Message(gettext_noop("%(name)s is now recognised on “%(topic)s”."),
                       name=who, topic=title)
    else:
        text = Message(gettext_noop("%(name)s's recognition on “%(topic)s” ended: %(reason)s"),
                       name=who, topic=title, reason=recognition.end_reason)
    return notify(kind=EventKind.RECOGNITION, text=text, topic=event.topic,
                  writeup=recognition.writeup, actor=event.actor, also=[recognition.person],
                  now=event.created_at)


def claims_remind(*, now: datetime.datetime | None = None) -> int:
    """Remind each claimant whose active claim has had no activity for
    GAPMAP_CLAIM_REMINDER_DAYS (and is not yet due to go dormant), once per quiet period.

    Side effects: a ClaimReminder and a `claim_reminder` notification to the claimant only.
    Returns how many reminders were made.
    """
    now = now or timezone.now()
    quiet = selectors.claims_due_reminder(now=now).select_related("topic", "person")
    count = 0
    for claim in quiet:
        dormant_on = claim.last_activity_at + datetime.timedelta(
            days=settings.GAPMAP_CLAIM_DORMANT_DAYS)
        with transaction.atomic():
            _, created = ClaimReminder.objects.get_or_create(
                claim=claim, quiet_since=claim.last_activity_at, defaults={"sent_at": now})
            if not created:
                continue
            notify(kind=EventKind.CLAIM_REMINDER, topic=claim.topic, also=[claim.person],
                   followers=False, now=now, text=Message(
                       gettext_noop("Your claim on “%(topic)s” has been quiet since %(since)s. "
                                    "It goes dormant on %(dormant_on)s unless you publish a "
                                    "writeup or renew it."),
                       topic=topic_title(claim.topic), since=date(claim.last_activity_at),
                       dormant_on=date(dormant_on)))
        count += 1
    return count



# --- Events from proposals ------------------------------------------------------------------

def notify_proposal_event(*, event: ProposalEvent) -> list[Notification]:
    """Notify about a ProposalEvent that people care about; others are ignored.

    Precondition: inside the transaction that wrote `event`. Side effects: auto-follows (the
    author and co-authors of a new proposal, an invitee, a new owner) and notify().
    """
    K, proposal, actor = ProposalEvent.Kind, event.proposal, event.actor
    title = proposal.title
    common = {"proposal": proposal, "actor": actor, "now": event.created_at}
    _invitation_answered(event)
    if event.kind == K.CREATED:
        for person in [proposal.author, *proposal.co_authors.all()]:
            follow_create(person=person, proposal=proposal)
        # Nobody follows a new proposal yet: tell the people who follow its topic.
        # The proposal rides along so the row links to it and is withheld if it is hidden.
        return notify(kind=EventKind.PROPOSAL_CREATED, topic=proposal.topic, actor=actor,
                      proposal=proposal, now=event.created_at, text=Message(
                          gettext_noop("%(name)s proposed “%(proposal)s” on “%(topic)s”."),
                          name=_name(actor), proposal=title,
                          topic=topic_title(proposal.topic)))
    if event.kind == K.MOVED and event.to_stage == Stage.OWNER:
        follow_create(person=actor, proposal=proposal)
        return notify(kind=EventKind.OWNER_GAINED, **common, text=Message(gettext_noop(
            "%(name)s accepted the owner invitation and now owns “%(proposal)s”."),
            name=_name(actor), proposal=title))
    if event.kind == K.MOVED and (event.from_stage, event.to_stage) == (Stage.OWNER,
                                                                         Stage.PROPOSAL):
        return notify(kind=EventKind.OWNER_LOST, **common, text=Message(gettext_noop(
            "“%(proposal)s” no longer has an owner (%(name)s moved it back to the proposal "
            "stage)."), name=_name(actor), proposal=title))
    if event.kind == K.MOVED:
        return notify(kind=EventKind.PROPOSAL_MOVED, **common, text=Message(
            gettext_noop("%(name)s moved “%(proposal)s” from %(from_stage)s to %(to_stage)s."),
            name=_name(actor), proposal=title, from_stage=stage(event.from_stage),
            to_stage=stage(event.to_stage)))
    if event.kind == K.OWNER_INVITED:
        follow_create(person=event.subject, proposal=proposal)
        return [*notify(kind=EventKind.INVITATION_SENT, leave_out=[event.subject], **common,
                        text=Message(gettext_noop("%(name)s invited %(invitee)s to own "
                                                  "“%(proposal)s”."),
                                     name=_name(actor), invitee=_name(event.subject),
                                     proposal=title)),
                *notify(kind=EventKind.INVITATION_SENT, also=[event.subject], followers=False,
                        **common, text=Message(gettext_noop(
                            "%(name)s invited you to own “%(proposal)s”. Accept or decline on "
                            "its page."), name=_name(actor), proposal=title))]
    if event.kind == K.INVITATION_DECLINED:
        return notify(kind=EventKind.INVITATION_DECLINED, **common, text=Message(
            gettext_noop("%(name)s declined the invitation to own “%(proposal)s”."),
            name=_name(event.subject), proposal=title))
    if event.kind == K.INVITATION_EXPIRED:
        # The author and the invitee hear even if they have stopped following.
        return notify(kind=EventKind.INVITATION_EXPIRED, also=[proposal.author, event.subject],
                      **common, text=Message(gettext_noop(
                          "The invitation for %(name)s to own “%(proposal)s” expired "
                          "unanswered."), name=_name(event.subject), proposal=title))
    if notice := _co_author_notice(event, title):
        kind, people, text = notice
        return notify(kind=kind, also=people, followers=False, text=text, **common)
    return []


# The answer to an invitation, by its invitee, and the notification kind that invited them.
_ANSWERS = {
    ProposalEvent.Kind.INVITATION_DECLINED: EventKind.INVITATION_SENT,
    ProposalEvent.Kind.CO_AUTHOR_ACCEPTED: EventKind.CO_AUTHOR_INVITED,
    ProposalEvent.Kind.CO_AUTHOR_DECLINED: EventKind.CO_AUTHOR_INVITED,
}


def _invitation_answered(event: ProposalEvent) -> int:
    """The invitee answered (accepted or declined an owner or co-author invitation): their
    notifications inviting them to this proposal are marked read, as they asked for that
    answer, and their inbox stamp moves on commit. Runs in the answer's transaction. Returns
    how many were marked."""
    if event.kind == ProposalEvent.Kind.MOVED and event.to_stage == Stage.OWNER:
        invitee, kind = event.actor, EventKind.INVITATION_SENT  # accepting moves to owner
    elif event.kind in _ANSWERS:
        invitee, kind = event.subject, _ANSWERS[event.kind]
    else:
        return 0
    marked = Notification.objects.filter(recipient=invitee, proposal=event.proposal, kind=kind,
                                         read_at__isnull=True).update(read_at=event.created_at)
    if marked:
        person_stamp_bump(INBOX_STAMP, [invitee.pk])
    return marked


_CO_AUTHOR_KINDS = (ProposalEvent.Kind.CO_AUTHOR_INVITED, ProposalEvent.Kind.CO_AUTHOR_ACCEPTED,
                    ProposalEvent.Kind.CO_AUTHOR_DECLINED, ProposalEvent.Kind.CO_AUTHOR_WITHDRAWN,
                    ProposalEvent.Kind.CO_AUTHOR_EXPIRED, ProposalEvent.Kind.CO_AUTHOR_REMOVED,
                    ProposalEvent.Kind.CO_AUTHOR_LEFT)


def _co_author_notice(event: ProposalEvent, title: str) -> tuple | None:
    """(kind, people, text) for a co-author event: the invitee or co-author hears what the
    author did, the author what they answered; followers do not (it is between them). The
    invitee follows the proposal only once they accept."""
    K, actor, subject = ProposalEvent.Kind, event.actor, event.subject
    if event.kind not in _CO_AUTHOR_KINDS:
        return None
    author = event.proposal.author

    def by(person) -> dict:
        return {"name": _name(person), "proposal": title}

    if event.kind == K.CO_AUTHOR_INVITED:
        return (EventKind.CO_AUTHOR_INVITED, [subject], Message(gettext_noop(
            "%(name)s invited you to co-author “%(proposal)s”. Accept or decline on its "
            "page."), **by(actor)))
    if event.kind == K.CO_AUTHOR_ACCEPTED:
        follow_create(person=subject, proposal=event.proposal)
        return (EventKind.CO_AUTHOR_ANSWERED, [author], Message(gettext_noop(
            "%(name)s accepted the invitation to co-author “%(proposal)s”."), **by(subject)))
    if event.kind == K.CO_AUTHOR_DECLINED:
        return (EventKind.CO_AUTHOR_ANSWERED, [author], Message(gettext_noop(
            "%(name)s declined the invitation to co-author “%(proposal)s”."), **by(subject)))
    if event.kind == K.CO_AUTHOR_WITHDRAWN:
        return (EventKind.CO_AUTHOR_WITHDRAWN, [subject], Message(gettext_noop(
            "%(name)s withdrew the invitation for you to co-author “%(proposal)s”."),
            **by(actor)))
    if event.kind == K.CO_AUTHOR_EXPIRED:
        return (EventKind.CO_AUTHOR_WITHDRAWN, [author, subject], Message(gettext_noop(
            "The invitation for %(name)s to co-author “%(proposal)s” expired unanswered."),
            **by(subject)))
    if event.kind == K.CO_AUTHOR_REMOVED:
        return (EventKind.CO_AUTHOR_REMOVED, [subject], Message(gettext_noop(
            "%(name)s removed you from the co-authors of “%(proposal)s”."), **by(actor)))
    if event.kind == K.CO_AUTHOR_LEFT:
        return (EventKind.CO_AUTHOR_REMOVED, [author], Message(gettext_noop(
            "%(name)s left the co-authors of “%(proposal)s”."), **by(subject)))
    return None
