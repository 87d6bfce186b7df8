import xml.etree.ElementTree as ET

import pytest

from proposals.services import proposal_move
from tests.factories import ClusterFactory, ProposalFactory, TopicFactory, WriteupFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def _feed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{name}") is not None, name
    entries = root.findall(f"{ATOM}entry")
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{name}").text, name
    return [entry.find(f"{ATOM}title").text for entry in entries]


@pytest.fixture
def writeups():
    law, chips = ClusterFactory(slug="law"), ClusterFactory(slug="chips")
    treaty = TopicFactory(cluster=law, slug="treaty")
    WriteupFactory(topic=treaty, title="On treaties", published=True)
    WriteupFactory(topic=TopicFactory(cluster=chips, slug="export"), title="On chips",
                   published=True)
    WriteupFactory(topic=treaty, title="A draft")


def test_feed_writeups_all_lists_published_only(client, writeups):
    titles = _feed(client, "/feeds/writeups/")
    assert sorted(titles) == ["On chips (insight on Export)", "On treaties (insight on Treaty)"]


def test_feed_writeups_per_topic(client, writeups):
    assert _feed(client, "/feeds/writeups/topic/treaty/") == ["On treaties (insight on Treaty)"]


def test_feed_writeups_per_cluster(client, writeups):
    assert _feed(client, "/feeds/writeups/cluster/chips/") == ["On chips (insight on Export)"]


def test_feed_writeups_unknown_topic_is_404(client):
    assert client.get("/feeds/writeups/topic/nope/").status_code == 404


def test_feed_gaps(client):
    TopicFactory(title="Open question")
    TopicFactory(title="Covered", expert_name="Baker")
    assert _feed(client, "/feeds/gaps/") == ["Gap: Open question"]


def test_feed_proposal_stage_changes(client, alice):
    proposal = ProposalFactory(author=alice, title="Plan")
    proposal_move(proposal=proposal, to="proposal", actor=alice)
    assert _feed(client, "/feeds/proposals/stages/") == ["Plan: analysis → proposal"]
