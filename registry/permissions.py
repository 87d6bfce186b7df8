"""Permission predicates shared by pages, the API and the admin.

Convention: an object the user may not see is filtered out of querysets (404); an object
they may see but not change raises NotAllowed (403).
"""

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext

from registry.core.errors import (
    AlreadyEndorsed,
    CannotEndorseOwnWork,
    NoStanding,
    NotAllowed,
    NotEndorsable,
)
from registry.models import Endorsement, Recognition, Writeup

MODERATORS_GROUP = "moderators"
# Who moderates: staff, or members of the moderators group. is_moderator asks it of one
# person, moderator_condition inside a query for a person, moderators() lists them all.
MODERATOR = Q(is_staff=True) | Q(groups__name=MODERATORS_GROUP)


def moderators():
    """Every active moderator (the people told of each new report)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(MODERATOR, is_active=True).distinct()


def is_moderator(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    # Cached per request object, since pages ask this many times.
    if not hasattr(user, "_is_moderator"):
        user._is_moderator = user.groups.filter(name=MODERATORS_GROUP).exists()
    return user._is_moderator


def moderator_condition(user) -> Q:
    """is_moderator(user) as a condition a query carries: everything for a moderator, nothing
    otherwise. A list filtered for `user` then asks about the moderators group inside its own
    query instead of in one more round trip."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_staff or getattr(user, "_is_moderator", False):
        return Q(pk__isnull=False)
    if hasattr(user, "_is_moderator"):
        return Q(pk__in=[])
    return Q(Exists(user.groups.filter(name=MODERATORS_GROUP)))


def can_see_topic(user, topic) -> bool:
    """Listed topics are public; a suggestion is seen by its author and the moderators."""
    if topic.state == "listed":
        return True
    return is_moderator(user) or (user.is_authenticated and topic.suggested_by_id == user.pk)


def can_decide_topic(user, topic) -> bool:
    return is_moderator(user)


# The states of a review request (registry.feedback) whose reviewer reads the draft: an
# accepted reviewer, and one who finished (to see what became of their comments). Named by
# string so this layer imports nothing of the feedback app.
REVIEWER_READS = ("accepted", "finished")


def reviewing_condition(user) -> Q:
    """A writeup condition: a draft shared with `user` for review (they hold an accepted or
    finished review request on it). An Exists, so the join never repeats a writeup."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    return Q(Exists(Writeup.objects.filter(
        pk=OuterRef("pk"), review_requests__reviewer=user,
        review_requests__state__in=REVIEWER_READS)))


def can_see_writeup(user, writeup) -> bool:
    """Published writeups are public; a draft is seen by its author and by the reviewers it
    is shared with (an accepted or finished review request; one query, only for a draft)."""
    if writeup.deleted_at is not None:
        return False
    if writeup.published_at is not None:
        return True
    if not user.is_authenticated:
        return False
    if writeup.author_id == user.pk:
        return True
    return not writeup.hidden and writeup.review_requests.filter(
        reviewer=user, state__in=REVIEWER_READS).exists()


def can_edit_writeup(user, writeup) -> bool:
    return user.is_authenticated and writeup.author_id == user.pk


def can_renew_claim(user, claim) -> bool:
    return user.is_authenticated and claim.person_id == user.pk


def can_release_claim(user, claim) -> bool:
    """The claimant, or a moderator handling an abandoned or abusive claim."""
    return can_renew_claim(user, claim) or is_moderator(user)


def endorse_refusal(user, writeup):
    """Why `user` may not endorse `writeup` now, as the error a service raises (its `code`
    and `message` are what a page shows), or None when they may. The one rule:

    - the writeup is published, not hidden and not deleted (else not_endorsable, 409);
    - the endorser is signed in, and is not its author (cannot_endorse_own_work, 403);
    - they have standing, so a claimant's fresh second account cannot endorse: they are a
      moderator, or hold a live recognition on any topic, or have a published writeup that is
      not hidden on a topic of the same cluster (no_standing, 403);
    - they have no live endorsement of it yet (already_endorsed, 409).
    Costs up to three queries.
    """
    if not writeup.is_published or writeup.hidden or writeup.deleted_at is not None:
        return NotEndorsable()
    if not user.is_authenticated:
        return NotAllowed(gettext("Sign in to endorse a writeup."))
    if writeup.author_id == user.pk:
        return CannotEndorseOwnWork()
    if not has_standing(user, cluster_id=writeup.topic.cluster_id):
        return NoStanding()
    if has_live_endorsement(user, writeup):
        return AlreadyEndorsed()
    return None


def has_live_endorsement(user, writeup) -> bool:
    """Whether `user` endorses `writeup` now (endorse_refusal's last rule; the writeup page
    asks it of a reader the refusal stopped earlier, for their Retract button)."""
    return user.is_authenticated and Endorsement.objects.filter(
        writeup=writeup, endorser=user, state=Endorsement.State.LIVE).exists()


def has_standing(user, *, cluster_id) -> bool:
    """A moderator, someone with a live recognition, or the author of a published writeup,
    not hidden, in the cluster (see endorse_refusal)."""
    return (is_moderator(user)
            or Recognition.objects.filter(person=user, ended_at__isnull=True).exists()
            or Writeup.objects.filter(author=user, topic__cluster_id=cluster_id, hidden=False,
                               published_at__isnull=False, deleted_at__isnull=True).exists())


def can_endorse(user, writeup) -> bool:
    return endorse_refusal(user, writeup) is None


def can_retract_endorsement(user, endorsement) -> bool:
    return user.is_authenticated and endorsement.endorser_id == user.pk


def can_moderate_recognition(user) -> bool:
    """Voiding endorsements, recording and ending recognitions: moderators only."""
    return is_moderator(user)
