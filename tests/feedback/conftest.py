"""What the discussion's tests share: alice's published writeup and her proposal."""

import pytest

from tests.factories import ProposalFactory, WriteupFactory


@pytest.fixture
def writeup(alice):
    return WriteupFactory(author=alice, published=True, title="On verification")


@pytest.fixture
def proposal(alice):
    return ProposalFactory(author=alice, title="Shared checklists")
