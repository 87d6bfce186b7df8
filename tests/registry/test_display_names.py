"""One name per person (issue 16, item 4): the topic's history, a writeup's versions, the
suggestion queue and My work's invitations show display names linked to profiles, not
usernames; a hidden profile shows its username, as everywhere."""

import re

from proposals import services as proposal_services
from proposals.models import Stage
from registry import services
from tests.factories import ProposalFactory, TopicFactory, UserFactory


def squeeze(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_topic_history_links_the_display_name(client, alice):
    topic = TopicFactory(slug="chips")
    services.claim_create(topic=topic, person=alice, plan="A report")
    history = squeeze(client.get("/topics/chips/")).split('id="h-history"')[1]
    assert '<a href="/people/alice/">Alice</a> claimed the topic' in history


def test_topic_history_of_a_hidden_profile_shows_the_username(client, alice):
    alice.profile.hidden = True
    alice.profile.save()
    topic = TopicFactory(slug="chips")
    services.claim_create(topic=topic, person=alice, plan="A report")
    history = squeeze(client.get("/topics/chips/")).split('id="h-history"')[1]
    assert '<a href="/people/alice/">alice</a> claimed the topic' in history


def test_writeup_versions_name_the_editor(client, alice):
    writeup = services.writeup_create(topic=TopicFactory(), author=alice, title="Notes",
                                      kind="plan", body="First.")
    services.writeup_update(writeup=writeup, editor=alice, body="Second.")
    services.writeup_publish(writeup=writeup, actor=alice)
    page = squeeze(client.get(f"/writeups/{writeup.pk}/"))
    assert 'by <a href="/people/alice/">Alice</a></span>' in page
    assert ">alice<" not in page
    version = squeeze(client.get(f"/writeups/{writeup.pk}/versions/1/"))
    assert 'by <a href="/people/alice/">Alice</a></p>' in version


def test_suggestion_queue_names_who_suggested(client, alice, moderator):
    services.topic_suggest(person=alice, title="New idea", cluster=TopicFactory().cluster,
                           reason="Nobody covers it.")
    client.force_login(moderator)
    page = squeeze(client.get("/topics/suggestions/"))
    assert 'suggested by <a href="/people/alice/">Alice</a> on' in page


def test_my_work_invitations_name_who_invited(client, alice):
    dave = UserFactory(username="dave")
    proposal = ProposalFactory(author=alice)
    proposal_services.proposal_move(proposal=proposal, to=Stage.PROPOSAL, actor=alice)
    proposal_services.owner_invite(proposal=proposal, invitee=dave, actor=alice)
    client.force_login(dave)
    page = squeeze(client.get("/me/"))
    assert 'from <a href="/people/alice/">Alice</a>; expires' in page
