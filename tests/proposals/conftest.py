import pytest

from proposals import services
from proposals.models import Stage
from tests.factories import ProposalFactory, UserFactory


@pytest.fixture
def dave(db):
    """The person alice invites to own her proposal."""
    return UserFactory(username="dave")


@pytest.fixture
def proposal(alice, bob):
    """alice's proposal in the analysis stage, bob co-author, passing the proposal gate."""
    proposal = ProposalFactory(author=alice, co_authors=[bob])
    return proposal


def move_to(proposal, stage, *, owner=None):
    """Walk `proposal` (alice's, at analysis) to `stage` through the real services."""
    author = proposal.author
    if stage == Stage.ANALYSIS:
        return proposal
    if stage == Stage.WITHDRAWN:
        services.proposal_move(proposal=proposal, to=stage, actor=author, reason="duplicate")
        return proposal
    services.proposal_move(proposal=proposal, to=Stage.PROPOSAL, actor=author)
    if stage == Stage.PROPOSAL:
        return proposal
    invitation = services.owner_invite(proposal=proposal, invitee=owner, actor=author)
    services.owner_invitation_accept(invitation=invitation, actor=owner)
    proposal.refresh_from_db()
    if stage == Stage.ADOPTED:
        services.proposal_move(proposal=proposal, to=stage, actor=owner, note="Lab adopted it.")
    return proposal


@pytest.fixture
def at_stage(proposal, dave):
    """at_stage(stage) -> the `proposal` fixture moved to that stage, dave as its owner."""
    return lambda stage: move_to(proposal, stage, owner=dave)
