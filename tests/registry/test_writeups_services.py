import io

import pytest
from django.core.management import call_command

from proposals.models import Proposal
from registry import selectors, services
from registry.core.errors import (
    AlreadyPublished,
    NotAllowed,
    StaleVersion,
    TopicNotListed,
    ValidationFailed,
)
from registry.core.rendering import RENDERER_VERSION
from registry.models import Topic, TopicEvent, Writeup, WriteupVersion
from tests.factories import ProposalFactory, TopicFactory, WriteupFactory


def test_writeup_create_stores_rendered_html_and_version_one(alice):
    writeup = services.writeup_create(topic=TopicFactory(), author=alice, title=" Plan ",
                                      kind="plan", body="Hello *world*")

    assert (writeup.title, writeup.body_html, writeup.version) == (
        "Plan", "<p>Hello <em>world</em></p>\n", 1)
    assert writeup.published_at is None
    assert list(writeup.versions.values_list("number", "title", "body")) == [
        (1, "Plan", "Hello *world*")]


def test_writeup_create_with_only_a_link_is_accepted(alice):
    writeup = services.writeup_create(topic=TopicFactory(), author=alice, title="Paper",
                                      kind="analysis", external_url="https://example.org/p.pdf")

    assert (writeup.body, writeup.body_html) == ("", "")


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"title": ""}, {"title": ["This field is required."]}),
        ({"title": "t" * 201}, {"title": ["Keep this to 200 characters or fewer (it has 201)."]}),
        ({"body": "b" * 100_001},
         {"body": ["Keep this to 100,000 characters or fewer (it has 100,001)."]}),
        ({"kind": "essay"},
         {"kind": ["“essay” is not a kind of writeup. Choose one of: plan, insight, model, "
                   "analysis."]}),
        ({"body": "", "external_url": ""},
         {"body": ["Write a body, give a link to the work elsewhere, or both."]}),
        ({"external_url": "javascript:alert(1)"},
         {"external_url": ["Enter a full http:// or https:// address."]}),
        ({"external_url": "ftp://example.org/x"},
         {"external_url": ["Enter a full http:// or https:// address."]}),
    ],
)
def test_writeup_create_bad_input_names_the_field_and_writes_nothing(alice, changes, fields):
    values = {"title": "T", "kind": "plan", "body": "b", "external_url": "", **changes}

    with pytest.raises(ValidationFailed) as error:
        services.writeup_create(topic=TopicFactory(), author=alice, **values)

    assert error.value.fields == fields
    assert (Writeup.objects.count(), WriteupVersion.objects.count(),
            TopicEvent.objects.count()) == (0, 0, 0)


def test_writeup_create_on_suggested_topic_is_refused(alice):
    with pytest.raises(TopicNotListed):
        WriteupFactory(author=alice, topic=TopicFactory(state=Topic.State.SUGGESTED))


def test_writeup_update_keeps_every_version(alice):
    writeup = WriteupFactory(author=alice, title="One", body="first")

    services.writeup_update(writeup=writeup, editor=alice, body="second")
    updated = services.writeup_update(writeup=writeup, editor=alice, title="Two",
                                      expected_version=2)

    assert (updated.title, updated.body, updated.body_html, updated.version) == (
        "Two", "second", "<p>second</p>\n", 3)
    assert list(writeup.versions.order_by("number").values_list("number", "title", "body")) == [
        (1, "One", "first"), (2, "One", "second"), (3, "Two", "second")]


def test_writeup_update_with_stale_version_is_refused_and_overwrites_nothing(alice):
    writeup = WriteupFactory(author=alice, body="first")
    services.writeup_update(writeup=writeup, editor=alice, body="theirs", expected_version=1)

    with pytest.raises(StaleVersion) as error:
        services.writeup_update(writeup=writeup, editor=alice, body="mine", expected_version=1)

    writeup.refresh_from_db()
    assert (error.value.status, error.value.code) == (412, "stale_version")
    assert (writeup.body, writeup.version, writeup.versions.count()) == ("theirs", 2, 2)


def test_writeup_update_by_someone_else_is_not_allowed(alice, bob):
    writeup = WriteupFactory(author=alice, published=True)

    with pytest.raises(NotAllowed):
        services.writeup_update(writeup=writeup, editor=bob, title="Mine now")

    assert Writeup.objects.get(pk=writeup.pk).title == writeup.title


def test_writeup_update_bad_input_writes_nothing(alice):
    writeup = WriteupFactory(author=alice, title="Keep")

    with pytest.raises(ValidationFailed):
        services.writeup_update(writeup=writeup, editor=alice, title="x" * 201)

    writeup.refresh_from_db()
    assert (writeup.title, writeup.version, writeup.versions.count()) == ("Keep", 1, 1)


def test_writeup_publish_sets_published_at_and_event(alice):
    writeup = WriteupFactory(author=alice)

    published = services.writeup_publish(writeup=writeup, actor=alice)

    assert published.published_at is not None
    assert published.version == 2
    assert TopicEvent.objects.filter(writeup=writeup, kind="published").count() == 1


def test_writeup_publish_twice_is_a_conflict(alice):
    writeup = WriteupFactory(author=alice, published=True)

    with pytest.raises(AlreadyPublished) as error:
        services.writeup_publish(writeup=writeup, actor=alice)

    assert (error.value.status, error.value.code) == (409, "already_published")


def test_writeup_publish_by_someone_else_is_not_allowed(alice, bob):
    writeup = WriteupFactory(author=alice)

    with pytest.raises(NotAllowed):
        services.writeup_publish(writeup=writeup, actor=bob)

    assert Writeup.objects.get(pk=writeup.pk).published_at is None


def test_writeup_delete_hides_it_and_keeps_history(alice, charlie):
    writeup = WriteupFactory(author=alice, published=True, title="Gone")

    services.writeup_delete(writeup=writeup, actor=alice)

    assert list(selectors.writeups_visible_to(alice)) == []
    assert list(selectors.writeups_visible_to(charlie)) == []
    assert writeup.versions.count() == 1
    assert TopicEvent.objects.get(kind="writeup_deleted").note == "Gone"


def test_writeup_delete_by_someone_else_is_not_allowed(alice, bob):
    writeup = WriteupFactory(author=alice, published=True)

    with pytest.raises(NotAllowed):
        services.writeup_delete(writeup=writeup, actor=bob)

    assert Writeup.objects.get(pk=writeup.pk).deleted_at is None


def test_drafts_are_visible_to_their_author_only(alice, bob, moderator):
    draft = WriteupFactory(author=alice)
    published = WriteupFactory(author=alice, published=True)

    assert set(selectors.writeups_visible_to(alice)) == {draft, published}
    assert list(selectors.writeups_visible_to(bob)) == [published]
    assert list(selectors.writeups_visible_to(moderator)) == [published]


def test_topic_writeups_by_kind_in_priority_order_newest_first(alice, bob):
    topic = TopicFactory()
    for title, kind in [("m1", "model"), ("a1", "analysis"), ("p1", "plan"), ("i1", "insight"),
                        ("p2", "plan")]:
        WriteupFactory(topic=topic, author=alice, title=title, kind=kind, published=True)
    WriteupFactory(topic=topic, author=bob, title="bob draft", kind="plan")

    writeups = selectors.topic_writeups(topic, alice)

    assert [(w.kind, w.title) for w in writeups] == [
        ("plan", "p2"), ("plan", "p1"), ("insight", "i1"), ("model", "m1"), ("analysis", "a1")]


def test_topic_timeline_leaves_out_draft_events(alice):
    writeup = WriteupFactory(author=alice)
    services.writeup_update(writeup=writeup, editor=alice, body="more")

    assert list(selectors.topic_timeline(writeup.topic)) == []

    services.writeup_publish(writeup=writeup, actor=alice)
    assert [e.kind for e in selectors.topic_timeline(writeup.topic)] == ["published"]


def test_rerender_markdown_updates_only_stale_rows(alice):
    stale = WriteupFactory(author=alice, body="**bold**")
    fresh = WriteupFactory(author=alice, body="*em*")
    Writeup.objects.filter(pk=stale.pk).update(body_html="old", renderer_version=0)
    stale_version = fresh.versions.get()
    WriteupVersion.objects.filter(pk=stale_version.pk).update(body_html="old",
                                                               renderer_version=0)
    proposal = ProposalFactory(author=alice, analysis="`code`")
    Proposal.objects.filter(pk=proposal.pk).update(analysis_html="old", renderer_version=0)

    out = io.StringIO()
    call_command("rerender_markdown", stdout=out)

    stale.refresh_from_db()
    fresh.refresh_from_db()
    stale_version.refresh_from_db()
    proposal.refresh_from_db()
    assert (stale.body_html, stale.renderer_version, stale.version) == (
        "<p><strong>bold</strong></p>\n", RENDERER_VERSION, 1)
    assert fresh.body_html == "<p><em>em</em></p>\n"
    assert (stale_version.body_html, stale_version.renderer_version) == (
        "<p><em>em</em></p>\n", RENDERER_VERSION)
    assert (proposal.analysis_html, proposal.renderer_version) == (
        "<p><code>code</code></p>\n", RENDERER_VERSION)
    assert out.getvalue() == ("re-rendered 1 writeup, 1 writeup version, 1 proposal, 0 "
                              "comments and 0 review comments to renderer version "
                              f"{RENDERER_VERSION}\n")
    assert services.writeups_rerender() == (0, 0)
