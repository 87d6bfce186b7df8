"""Two people move the same proposal at the same moment: exactly one wins."""

import threading

import pytest
from django.db import connection

from proposals import services
from proposals.errors import StaleStage
from proposals.models import Proposal, ProposalEvent, Stage
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
