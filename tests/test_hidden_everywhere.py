"""Hidden means hidden everywhere: every route × every viewer, for each hidden kind.

The world (built once per module) holds one hidden item of each kind, each with a marker
word in its title or name, plus a writeup and a proposal on the hidden topic. A visitor and
an outsider must find no marker on any route; the hidden item's author and a moderator must
find it on the routes that are theirs (its page, the API, its interest and report pages).
"""

import pytest
from django.test import Client

from proposals import services as proposal_services
from registry import services
from registry.feedback.services import comments as comment_services
from registry.models import Cluster, Topic
from registry.moderation.services import content_hide
from registry.notifications import selectors as notification_selectors
from registry.notifications import services as notification_services
from tests.factories import UserFactory

MARKERS = {"writeup": "Zqwritehid", "proposal": "Zqprophid", "profile": "Zqprofhid",
           "topic": "Zqtopichid", "under_topic": "Zqunderhid", "comment": "Zqcommhid",
           "under_item": "Zqundercomm"}
VIEWERS = ["visitor", "outsider", "author", "moderator"]


@pytest.fixture(scope="module")
def world_built_once(module_transaction):
    services.catalogue_load()
    mod = UserFactory(username="mod", is_staff=True)
    alice, bob, charlie = (UserFactory(username=name) for name in ("alice", "bob", "charlie"))
    hidy = UserFactory(username="hidy")
    hidy.profile.display_name = f"Name {MARKERS['profile']}"
    hidy.profile.affiliation = f"Affiliation {MARKERS['profile']}"
    hidy.profile.conflict_of_interest = f"Disclosure {MARKERS['profile']}"
    hidy.profile.save()
    topic = Topic.objects.get(slug="proof-of-learning")
    notification_services.follow_create(person=charlie, topic=topic)

    def published(author, on, title):
        writeup = services.writeup_create(topic=on, author=author, title=title, kind="plan",
                                          body=f"About {title}.")
        return services.writeup_publish(writeup=writeup, actor=author) or writeup

    def proposal(author, on, title, **extra):
        return proposal_services.proposal_create(topic=on, author=author, title=title,
                                                 ask="Do it.", target="A lab", steps=["One"],
                                                 **extra)

    # The hidden topic (a listed suggestion of alice's) with bob's work on it.
    hidden_topic = services.topic_suggest(person=alice, title=f"Topic {MARKERS['topic']}",
                                          reason="Because.",
                                          cluster=Cluster.objects.get(slug="security"))
    hidden_topic = services.topic_decide(topic=hidden_topic, moderator=mod, state="listed",
                                         note="ok")
    notification_services.follow_create(person=charlie, topic=hidden_topic)
    published(bob, hidden_topic, f"Writeup {MARKERS['under_topic']}")
    proposal(bob, hidden_topic, f"Proposal {MARKERS['under_topic']}")
    # alice's hidden writeup, supporting a public proposal; her hidden proposal.
    hidden_writeup = published(alice, topic, f"Writeup {MARKERS['writeup']}")
    public = proposal(alice, topic, "Public proposal", supporting_writeups=[hidden_writeup])
    hidden_proposal = proposal(alice, topic, f"Proposal {MARKERS['proposal']}")
    notification_services.follow_create(person=charlie, proposal=hidden_proposal)
    # hidy's hidden profile: a claimant, a writeup author and a proposal's owner.
    services.claim_create(topic=topic, person=hidy, plan="A plan.")
    hidy_writeup = published(hidy, topic, "Hidy writes")
    proposal_services.proposal_move(proposal=public, to="proposal", actor=alice)
    invitation = proposal_services.owner_invite(proposal=public, invitee=hidy, actor=alice)
    proposal_services.owner_invitation_accept(invitation=invitation, actor=hidy)

    # alice's comment on bob's public writeup, to be hidden, and bob's comments on alice's
    # writeup and proposal before they are hidden; each names charlie (who follows the topic).
    commented = published(bob, topic, "Open to comments")
    hidden_comment = comment_services.comment_create(
        target=commented, author=alice, body=f"Comment {MARKERS['comment']}, @charlie?")
    under_item = comment_services.comment_create(
        target=hidden_writeup, author=bob, body=f"Comment {MARKERS['under_item']}, @charlie?")
    comment_services.comment_create(target=hidden_proposal, author=bob, aspect="ask",
                                    body=f"Comment {MARKERS['under_item']}, @charlie?")

    hide = {"writeup": ("writeup", hidden_writeup), "proposal": ("proposal", hidden_proposal),
            "profile": ("profile", hidy.profile), "topic": ("suggestion", hidden_topic),
            "comment": ("comment", hidden_comment)}
    # charlie's notifications made before the hiding stay in the table; the inbox, the count,
    # the API and e-mails withhold them (notifications.selectors.about_visible_to).
    for target_type, obj in hide.values():
        content_hide(moderator=mod, target_type=target_type, obj=obj, reason="Abuse.")
        obj.refresh_from_db()
    # Events after the hiding: followers of the hidden topic and proposal hear nothing.
    published(bob, hidden_topic, "Another writeup")
    proposal_services.proposal_move(proposal=hidden_proposal, to="proposal", actor=alice)
    published(hidy, topic, "Hidy writes again")

    ids = {"hw": hidden_writeup.pk, "hp": hidden_proposal.pk, "ht": hidden_topic.slug,
           "ht_pk": hidden_topic.pk, "hy": hidy.profile.pk, "pp": public.pk,
           "hyw": hidy_writeup.pk, "topic": topic.slug, "security": "security",
           "cw": commented.pk, "hc": hidden_comment.pk, "uc": under_item.pk}
    people = {"outsider": charlie, "moderator": mod, "alice": alice, "hidy": hidy}
    return people, ids


@pytest.fixture
def world(world_built_once, db):
    return world_built_once


# route → {kind whose author and moderators must see its marker there}. The author of the
# hidden writeup, proposal and topic is alice; of the hidden profile, hidy.
ROUTES = {
    "/topics/{topic}/": {"profile"},
    "/topics/{ht}/": {"topic"},
    "/writeups/{hw}/": {"writeup", "under_item"},
    "/writeups/{hyw}/": {"profile"},
    "/proposals/{pp}/": {"profile"},
    "/proposals/{hp}/": {"proposal", "under_item"},
    "/proposals/": set(),
    "/proposals/?closed=on": set(),
    "/gaps/": set(),
    "/search/?q=zqwritehid": set(),
    "/search/?q=zqprophid": set(),
    "/search/?q=zqtopichid": set(),
    "/search/?q=zqunderhid": set(),
    "/api/v1/search/?q=zqwritehid": set(),
    "/api/v1/search/?q=zqprophid": set(),
    "/api/v1/search/?q=zqunderhid": set(),
    "/feeds/writeups/": set(),
    "/feeds/writeups/topic/{topic}/": set(),
    "/feeds/writeups/topic/{ht}/": set(),
    "/feeds/writeups/cluster/{security}/": set(),
    "/feeds/gaps/": set(),
    "/feeds/proposals/stages/": set(),
    "/export/topics.csv": set(),
    "/export/topics.json": set(),
    "/export/writeups.csv": set(),
    "/export/writeups.json": set(),
    "/export/proposals.csv": set(),
    "/export/proposals.json": set(),
    "/api/v1/writeups/": {"writeup"},
    "/api/v1/writeups/{hw}/": {"writeup"},
    "/api/v1/proposals/": {"proposal", "profile"},
    "/api/v1/proposals/{hp}/": {"proposal"},
    "/api/v1/proposals/{pp}/": {"profile"},
    "/api/v1/topics/": {"topic"},
    "/api/v1/topics/{ht}/": {"topic"},
    # A supporting writeup is offered when on the topic, or found by title.
    "/proposals/new/?writeup_q=qwritehi": {"writeup"},
    "/proposals/{hp}/interest/": {"proposal"},
    "/topics/{ht}/interest/": {"topic"},
    "/report/writeup/{hw}/": {"writeup"},
    "/report/proposal/{hp}/": {"proposal"},
    "/report/suggestion/{ht_pk}/": {"topic"},
    "/report/profile/{hy}/": {"profile"},
    "/me/notifications/": set(),
    "/me/notifications/settings/": set(),
    "/api/v1/notifications/": set(),
    "/people/hidy/": {"profile"},
    # The discussion: a hidden comment in its thread, and comments on hidden items.
    "/writeups/{cw}/": {"comment"},
    "/api/v1/writeups/{cw}/comments/": {"comment"},
    "/api/v1/comments/{hc}/": {"comment"},
    "/comments/{hc}/versions/": {"comment"},
    "/report/comment/{hc}/": {"comment"},
    "/api/v1/writeups/{hw}/comments/": {"under_item"},
    "/api/v1/proposals/{hp}/comments/": {"under_item"},
    "/api/v1/comments/{uc}/": {"under_item"},
    "/api/v1/me/mentions/": set(),
}


def _client(people, viewer, kind):
    client = Client()
    if viewer == "author":
        client.force_login(people["hidy" if kind == "profile" else "alice"])
    elif viewer != "visitor":
        client.force_login(people[viewer])
    return client


def _body(client, path) -> str:
    response = client.get(path)
    content = (b"".join(response.streaming_content) if response.streaming
               else response.content)
    return content.decode()


@pytest.mark.parametrize("viewer", ["visitor", "outsider"])
@pytest.mark.parametrize("route", ROUTES)
def test_hidden_everywhere_others_see_no_marker(world, route, viewer):
    people, ids = world
    body = _body(_client(people, viewer, None), route.format(**ids))
    assert [kind for kind, marker in MARKERS.items() if marker in body] == []


@pytest.mark.parametrize("viewer", ["author", "moderator"])
@pytest.mark.parametrize("route", [route for route, kinds in ROUTES.items() if kinds])
def test_hidden_everywhere_author_and_moderators_see_it(world, route, viewer):
    people, ids = world
    missing = []
    for kind in sorted(ROUTES[route]):
        body = _body(_client(people, viewer, kind), route.format(**ids))
        if MARKERS[kind] not in body:
            missing.append(kind)
    assert missing == []


FOLLOWS = [("/proposals/{hp}/follow/", 302), ("/api/v1/proposals/{hp}/follow/", 201),
           ("/topics/{ht}/follow/", 302), ("/api/v1/topics/{ht}/follow/", 201)]


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize(("route", "allowed"), FOLLOWS)
def test_hidden_everywhere_follow_only_what_you_see(world, route, allowed, viewer):
    people, ids = world
    response = _client(people, viewer, None).post(route.format(**ids))
    expected = {"visitor": 401 if "/api/" in route else 302, "outsider": 404,
                "author": allowed, "moderator": allowed}[viewer]
    assert response.status_code == expected


def test_hidden_everywhere_no_notifications_to_those_who_cannot_see(world):
    people, _ = world
    texts = [row.text for row in notification_selectors.notifications_for(people["outsider"])]
    assert [kind for kind, marker in MARKERS.items() if any(marker in t for t in texts)] == []
    # The events did happen: charlie follows the public topic. Of hidy's two writeups he sees
    # only the one published after her profile was hidden, which names her by username.
    assert sum("“Public proposal”" in text for text in texts) == 1
    assert [text for text in texts if "Hidy writes" in text] == [
        "hidy published “Hidy writes again” on “Proof-of-learning algorithms”."]
    assert people["outsider"].notifications.filter(text__contains="Hidy writes").count() == 2
