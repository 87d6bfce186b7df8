"""No lost writes: a refused form keeps what was typed, and a failure half-way through a
change leaves nothing half-written."""

import pytest
from django.db import DatabaseError
from django.test import Client

from proposals.models import Proposal
from registry import services
from registry.models import Claim, Topic, TopicEvent, Writeup

LONG_BODY = "## Findings\n\nCheckpoints every *10k* steps make spoofing cheap.\n" * 20


@pytest.fixture
def topic(db):
    services.catalogue_load()
    return Topic.objects.get(slug="proof-of-learning")


def test_writeup_form_with_an_error_keeps_everything_typed(client, alice, topic):
    client.force_login(alice)

    response = client.post(f"/topics/{topic.slug}/writeups/new/", {
        "title": "T" * 201, "kind": "insight", "body": LONG_BODY,
        "external_url": "not a url",
    })

    assert response.status_code == 400  # the page re-renders the form, marked as refused
    form = response.context["form"]
    assert list(form.errors) == ["title"]
    page = response.content.decode()
    assert 'value="' + "T" * 201 + '"' in page
    assert form["body"].value() == LONG_BODY
    assert 'value="not a url"' in page
    assert Writeup.objects.count() == 0


def test_proposal_form_with_an_error_keeps_everything_typed(client, alice, topic):
    client.force_login(alice)

    response = client.post("/proposals/new/", {
        "title": "", "topic": topic.slug, "analysis": LONG_BODY, "ask": "Publish run logs.",
        "target": "GPU vendors", "steps": "Draft the format\nPilot it",
    })

    assert response.status_code == 400  # refused fields: 400, the form shown again
    form = response.context["form"]
    assert list(form.errors) == ["title"]
    assert form["analysis"].value() == LONG_BODY
    assert form["ask"].value() == "Publish run logs."
    assert form["target"].value() == "GPU vendors"
    assert form["steps"].value() == "Draft the format\nPilot it"
    assert Proposal.objects.count() == 0


def test_failed_publish_leaves_the_draft_intact(alice, topic, monkeypatch):
    draft = services.writeup_create(topic=topic, author=alice, title="Draft", kind="plan",
                                    body=LONG_BODY)
    version = draft.version

    def fail(**kwargs):
        raise DatabaseError("disk full")

    # The last step of publishing fails: everything before it must be undone too.
    monkeypatch.setattr("registry.services.writeups.claims_note_publication", fail)
    with pytest.raises(DatabaseError):
        services.writeup_publish(writeup=draft, actor=alice)

    stored = Writeup.objects.get(pk=draft.pk)
    assert stored.published_at is None
    assert stored.version == version
    assert stored.body == LONG_BODY
    assert TopicEvent.objects.filter(kind=TopicEvent.Kind.PUBLISHED).count() == 0


def test_database_error_mid_request_rolls_the_whole_request_back(alice, topic, monkeypatch):
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    events_before = TopicEvent.objects.count()

    def fail(**kwargs):
        raise DatabaseError("connection lost")

    # The claim row is written first, then its history; the history write fails.
    monkeypatch.setattr("registry.services.claims.record_event", fail)
    response = client.post(f"/topics/{topic.slug}/claim/", {"plan": "A survey by March."})

    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    assert Claim.objects.count() == 0
    assert TopicEvent.objects.count() == events_before
