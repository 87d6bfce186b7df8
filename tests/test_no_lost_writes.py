"""No lost writes: a refused form keeps what was typed, and a failure half-way through a
change leaves nothing half-written."""

import pytest
from django.db import DatabaseError
from django.test import Client

from proposals.models import Proposal
from registry import services
from registry.feedback.models import Comment, CommentVersion
from registry.feedback.services import comments as comment_services
from registry.models import Claim, Topic, TopicEvent, Writeup
from registry.notifications.models import Follow

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


def test_comment_form_with_an_error_keeps_everything_typed(client, alice, topic):
    writeup = services.writeup_publish(writeup=services.writeup_create(
        topic=topic, author=alice, title="Out", kind="plan", body="Public."), actor=alice)
    client.force_login(alice)
    too_long = LONG_BODY * 10  # over the 10,000 characters a comment takes

    response = client.post(f"/writeups/{writeup.pk}/comments/", {"body": too_long})

    assert response.status_code == 400
    assert response.context["form"]["body"].value() == too_long
    assert Comment.objects.count() == 0


def test_comment_stale_edit_keeps_what_was_typed(client, alice, topic):
    writeup = services.writeup_publish(writeup=services.writeup_create(
        topic=topic, author=alice, title="Out", kind="plan", body="Public."), actor=alice)
    comment = comment_services.comment_create(target=writeup, author=alice, body="One.")
    comment_services.comment_update(comment=comment, editor=alice, body="Two, elsewhere.")
    client.force_login(alice)

    response = client.post(f"/comments/{comment.pk}/edit/", {"body": LONG_BODY, "version": 1})

    assert response.status_code == 412
    assert response.context["form"]["body"].value() == LONG_BODY
    assert Comment.objects.get(pk=comment.pk).body == "Two, elsewhere."


def test_failed_comment_leaves_no_comment_count_version_or_follow(alice, bob, topic,
                                                                  monkeypatch):
    writeup = services.writeup_publish(writeup=services.writeup_create(
        topic=topic, author=alice, title="Out", kind="plan", body="Public."), actor=alice)

    def fail(*args, **kwargs):
        raise DatabaseError("disk full")

    # The last step of posting (telling people) fails: everything before it is undone too.
    monkeypatch.setattr("registry.feedback.services.comments._notify_posted", fail)
    with pytest.raises(DatabaseError):
        comment_services.comment_create(target=writeup, author=bob, body=LONG_BODY)

    assert (Comment.objects.count(), CommentVersion.objects.count()) == (0, 0)
    assert Writeup.objects.get(pk=writeup.pk).comment_count == 0
    assert Follow.objects.filter(person=bob).count() == 0
