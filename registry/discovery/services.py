"""Writes for funders: the funder role, interest and alerts. (The follow-ups of registry and
proposal events, search entries and funders' alerts, are in registry.discovery.followups.)"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from registry.core.errors import FieldErrors, NotAFunder, NotVisible, TopicNotListed
from registry.core.limits import max_length
from registry.discovery.models import FunderAlert, FunderInterest
from registry.discovery.selectors import LIVE, is_funder
from registry.discovery.stats import topic_stats_refresh
from registry.models import Cluster, Topic


def _check_funder(person):
    if not is_funder(person):
        raise NotAFunder()


# --- Interest -----------------------------------------------------------------------------

@transaction.atomic
def interest_register(*, funder, topic: Topic | None = None, proposal=None, note: str = "",
                      amount_range: str = "",
                      visibility: str = FunderInterest.Visibility.PUBLIC,
                      now: datetime.datetime | None = None) -> tuple[FunderInterest, bool]:
    """Register (or change) the funder's interest in a listed topic or a proposal.

    Raises NotAFunder (403), ValidationFailed (400), TopicNotListed (409). A second call
    changes the live interest rather than adding one. Returns (interest, created).
    Side effects: one FunderInterest row written.
    """
    _check_funder(funder)
    errors = FieldErrors()
    errors.text("note", note, max_length=max_length("funder_interest", "note"), required=False)
    errors.text("amount_range", amount_range,
                max_length=max_length("funder_interest", "amount_range"), required=False)
    if visibility not in FunderInterest.Visibility.values:
        errors.add("visibility", gettext("Choose public or private."))
    errors.raise_if_any()
    if topic is not None and topic.state != Topic.State.LISTED:
        raise TopicNotListed()
    target = {"topic": topic} if topic is not None else {"proposal": proposal}
    values = {"note": note.strip(), "amount_range": amount_range.strip(),
              "visibility": visibility}
    live = FunderInterest.objects.select_for_update().filter(LIVE, funder=funder, **target)
    if interest := live.first():
        for name, value in values.items():
            setattr(interest, name, value)
        interest.save(update_fields=list(values))
        return interest, False
    try:
        with transaction.atomic():
            interest = FunderInterest.objects.create(funder=funder, created_at=now or
                                                     timezone.now(), **target, **values)
    except IntegrityError:  # a concurrent request registered it first
        return live.get(), False
    _refresh(interest)
    return interest, True


def _refresh(interest):
    """Topic interest is counted in the topic's stats; interest in a proposal only moves the
    stats version (of the proposal's topic), so cached public pages show it."""
    topic_id = interest.topic_id or interest.proposal.topic_id
    topic_stats_refresh(topic_ids=[topic_id])


@transaction.atomic
def interest_withdraw(*, funder, topic: Topic | None = None, proposal=None,
                      now: datetime.datetime | None = None) -> FunderInterest:
    """Withdraw the funder's live interest. Raises NotAFunder (403) and NotVisible (404)
    when there is none. Side effects: withdrawn_at set; the row is kept."""
    _check_funder(funder)
    target = {"topic": topic} if topic is not None else {"proposal": proposal}
    interest = FunderInterest.objects.select_for_update().filter(
        LIVE, funder=funder, **target).first()
    if interest is None:
        raise NotVisible(gettext("You have no interest registered here to withdraw."))
    interest.withdrawn_at = now or timezone.now()
    interest.save(update_fields=["withdrawn_at"])
    _refresh(interest)
    return interest


# --- Alerts -------------------------------------------------------------------------------

def alert_subscribe(*, funder, cluster: Cluster | None) -> FunderAlert:
    """Watch one cluster (None: every cluster). Raises NotAFunder. Subscribing twice is
    harmless."""
    _check_funder(funder)
    try:
        with transaction.atomic():
            alert, _ = FunderAlert.objects.get_or_create(funder=funder, cluster=cluster)
    except IntegrityError:
        alert = FunderAlert.objects.get(funder=funder, cluster=cluster)
    return alert


def alert_unsubscribe(*, funder, cluster: Cluster | None) -> bool:
    deleted, _ = FunderAlert.objects.filter(funder=funder, cluster=cluster).delete()
    return bool(deleted)
