"""Two people change the same proposal at the same moment: exactly one wins, or they take
turns."""

import threading

import pytest
from django.db import OperationalError, connection, transaction

from proposals import services
from proposals.errors import InvitationNotPending, StaleStage
from proposals.models import CoAuthorInvitation, Proposal, ProposalEvent, Stage
from tests.factories import ProposalFactory, UserFactory


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="needs PostgreSQL; runs in the PostgreSQL pass of .ci/run")
@pytest.mark.django_db(transaction=True)
def test_concurrent_advance_has_exactly_one_winner():
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    proposal = ProposalFactory(author=alice, co_authors=[bob])
    barrier = threading.Barrier(2)
    outcomes = []

    def advance(person):
        try:
            copy = Proposal.objects.get(pk=proposal.pk)  # each loads version 1
            barrier.wait(timeout=10)
            services.proposal_move(proposal=copy, to=Stage.PROPOSAL, actor=person)
            outcomes.append("moved")
        except StaleStage as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=advance, args=(p,)) for p in (alice, bob)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["moved", "stale_version"]
    moves = ProposalEvent.objects.filter(proposal=proposal, kind=ProposalEvent.Kind.MOVED)
    assert moves.count() == 1
    stored = Proposal.objects.get(pk=proposal.pk)
    assert (stored.stage, stored.version) == (Stage.PROPOSAL, 2)


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="needs PostgreSQL; runs in the PostgreSQL pass of .ci/run")
@pytest.mark.django_db(transaction=True)
def test_co_author_accepting_while_the_author_removes_them_never_keeps_them():
    """Accepting locks the proposal row that an edit updates, so the two happen one after
    the other: the author's removal always stands (withdrawing the invitation, or removing the
    co-author who accepted a moment before), and the edit never fails."""
    alice, carol = UserFactory(username="alice"), UserFactory(username="carol")
    proposal = ProposalFactory(author=alice)
    services.proposal_update(proposal=proposal, actor=alice, co_authors=[carol])
    invitation = CoAuthorInvitation.objects.get(invitee=carol)
    barrier = threading.Barrier(2)
    outcomes = []

    def run(name, call):
        try:
            barrier.wait(timeout=10)
            call()
            outcomes.append(name)
        except InvitationNotPending as error:
            outcomes.append(f"{name}: {error.code}")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=("accepted", lambda: services.co_author_invitation_accept(
            invitation=CoAuthorInvitation.objects.get(pk=invitation.pk), actor=carol))),
        threading.Thread(target=run, args=("removed", lambda: services.proposal_update(
            proposal=Proposal.objects.get(pk=proposal.pk), actor=alice, co_authors=[]))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    kinds = list(ProposalEvent.objects.filter(proposal=proposal, kind__startswith="co_author")
                 .values_list("kind", flat=True))
    assert (sorted(outcomes), kinds) in [
        (["accepted", "removed"], ["co_author_invited", "co_author_accepted",
                                   "co_author_removed"]),
        (["accepted: invitation_not_pending", "removed"], ["co_author_invited",
                                                           "co_author_withdrawn"]),
    ]
    assert list(Proposal.objects.get(pk=proposal.pk).co_authors.all()) == []


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="needs PostgreSQL; runs in the PostgreSQL pass of .ci/run")
@pytest.mark.django_db(transaction=True)
def test_co_author_accepting_waits_for_an_edit_holding_the_proposal():
    """What makes the test above hold every time, not just when the threads happen to take
    turns: while an edit holds the proposal's row, an acceptance cannot go ahead (here it
    gives up after PostgreSQL's lock_timeout instead of waiting)."""
    alice, carol = UserFactory(username="alice"), UserFactory(username="carol")
    proposal = ProposalFactory(author=alice)
    services.proposal_update(proposal=proposal, actor=alice, co_authors=[carol])
    invitation = CoAuthorInvitation.objects.get(invitee=carol)
    outcomes = []

    def accept():
        try:
            # LOCAL: the setting ends with this transaction, not with the pooled connection.
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '200ms'")
                services.co_author_invitation_accept(invitation=invitation, actor=carol)
            outcomes.append("accepted")
        except OperationalError as error:
            outcomes.append(type(error.__cause__).__name__)
        finally:
            connection.close()

    with transaction.atomic():  # an edit in flight: its UPDATE holds the proposal's row
        Proposal.objects.filter(pk=proposal.pk).update(title="Being edited")
        thread = threading.Thread(target=accept)
        thread.start()
        thread.join(timeout=30)

    assert outcomes == ["LockNotAvailable"]
    assert list(Proposal.objects.get(pk=proposal.pk).co_authors.all()) == []
