"""The demo's writeups and proposals are titled from their own topic (issue 16, item 12): a
plan titled "Plan: disclosing cyber defence" sat on verifiable inference."""

import io

import pytest
from django.core.management import call_command

from proposals.models import Proposal
from registry import demo
from registry.models import Writeup


@pytest.fixture
def small(db):
    call_command("generate_demo", scale="small", stdout=io.StringIO())


def test_writeup_title_names_its_kind_and_topic():
    assert demo.writeup_title("plan", "Verifiable inference", "across borders") == (
        "Plan: Verifiable inference, across borders")


def test_every_demo_writeup_title_matches_its_topic(small):
    writeups = Writeup.objects.filter(author__username__startswith="demo-").select_related(
        "topic")
    assert writeups.count() == demo.SCALES["small"].writeups
    assert [w.pk for w in writeups
            if not w.title.startswith(f"{w.kind.capitalize()}: {w.topic.title}, ")] == []


def test_every_demo_proposal_title_matches_its_topic(small):
    proposals = Proposal.objects.filter(author__username__startswith="demo-").select_related(
        "topic")
    assert proposals.count() == demo.SCALES["small"].proposals
    assert [p.pk for p in proposals if not p.title.startswith(f"{p.topic.title} ")] == []
