"""/api/v1/proposals/, /owner-invitations/ and topics' open_proposals."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from proposals import services
from proposals.models import OwnerInvitation, Proposal, Stage
from registry.moderation.services import content_hide
from tests.factories import ProposalFactory, TopicFactory, UserFactory, WriteupFactory

URL = "/api/v1/proposals/"


def detail_url(proposal, tail=""):
    return f"{URL}{proposal.pk}/{tail}"


def test_proposal_create_starts_in_analysis_with_rendered_analysis(api_as, alice, bob):
    topic = TopicFactory(slug="chip-export")
    other = TopicFactory(slug="on-chip-mechanisms")
    body = {"title": "Reporting duty", "topic": "chip-export", "related_topics": [other.slug],
            "co_authors": ["bob"], "analysis": "Why *now*.", "steps": ["First", "Second"],
            "stage": "owner"}

    response = api_as(alice).post(URL, body, format="json")

    assert response.status_code == 201
    data = response.json()
    assert (data["stage"], data["author"], data["co_authors"], data["co_authors_invited"],
            data["related_topics"]) == ("analysis", "alice", [], ["bob"], ["on-chip-mechanisms"])
    assert data["analysis_html"] == "<p>Why <em>now</em>.</p>\n"
    assert data["steps"] == ["First", "Second"]
    assert data["missing_for_proposal"] == ["ask", "target"]
    assert Proposal.objects.get(pk=data["id"]).topic == topic


def test_proposal_create_refuses_hidden_writeups_and_topics_as_unknown(api_as, alice, bob,
                                                                      moderator):
    topic = TopicFactory(slug="chip-export")
    hidden_topic = TopicFactory(slug="hidden-gap", suggested_by=bob)  # listed after suggesting
    hidden_writeup = WriteupFactory(topic=topic, author=bob, published=True)
    shown_writeup = WriteupFactory(topic=topic, author=bob, published=True)
    content_hide(moderator=moderator, target_type="writeup", obj=hidden_writeup, reason="spam")
    content_hide(moderator=moderator, target_type="suggestion", obj=hidden_topic, reason="spam")
    body = {"title": "Reporting duty", "topic": "chip-export", "related_topics": ["hidden-gap"],
            "supporting_writeups": [shown_writeup.pk, hidden_writeup.pk]}

    response = api_as(alice).post(URL, body, format="json")

    assert response.status_code == 400
    assert sorted(response.json()["fields"]) == ["related_topics", "supporting_writeups"]
    assert Proposal.objects.count() == 0


def test_proposal_create_refused_for_anonymous(api, db):
    TopicFactory(slug="t")
    response = api.post(URL, {"title": "x", "topic": "t"}, format="json")
    assert response.status_code == 401


def test_proposal_create_names_invalid_fields(api_as, alice):
    response = api_as(alice).post(URL, {"title": "", "topic": "nope"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert sorted(response.json()["fields"]) == ["title", "topic"]


def test_proposal_list_filters(api, alice, dave, at_stage):
    owned = at_stage(Stage.OWNER)
    other = ProposalFactory(author=UserFactory(username="erin"), topic=TopicFactory(slug="x"))

    def ids(query):
        return [row["id"] for row in api.get(URL + query).json()["results"]]

    assert ids(f"?topic={owned.topic.slug}") == [owned.pk]
    assert ids("?stage=analysis") == [other.pk]
    assert ids("?author=erin") == [other.pk]
    assert ids("?owner=dave") == [owned.pk]


def test_proposal_retrieve_has_etag_and_owner_disclosure(api, at_stage, dave):
    dave.profile.conflict_of_interest = "Advises the lab."
    dave.profile.save()
    proposal = at_stage(Stage.OWNER)
    response = api.get(detail_url(proposal))
    assert response["ETag"] == f'"{proposal.version}"'
    assert response.json()["owner"] == {"username": "dave", "name": "Dave",
                                        "affiliation": "Independent",
                                        "conflict_of_interest": "Advises the lab."}


def test_proposal_patch_with_stale_if_match_is_412(api_as, proposal, alice, bob):
    services.proposal_update(proposal=proposal, actor=bob, target="Another lab")
    response = api_as(alice).patch(detail_url(proposal), {"target": "A lab"}, format="json",
                                   HTTP_IF_MATCH='"1"')
    assert response.status_code == 412
    assert response.json()["code"] == "stale_version"
    assert Proposal.objects.get(pk=proposal.pk).target == "Another lab"


def test_proposal_patch_with_current_if_match_bumps_version(api_as, proposal, alice):
    response = api_as(alice).patch(detail_url(proposal),
                                   {"steps": ["Send it to the lab", "Draft the checklist"],
                                    "stage": "owner"},
                                   format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 200
    assert response["ETag"] == '"2"'
    stored = Proposal.objects.get(pk=proposal.pk)
    assert (stored.steps, stored.stage, stored.version) == (
        ["Send it to the lab", "Draft the checklist"], Stage.ANALYSIS, 2)


@pytest.mark.parametrize(("who", "status"), [
    ("alice", 200), ("bob", 200), ("moderator", 200), ("dave", 403), ("charlie", 403),
])
def test_proposal_patch_permissions(who, status, api_as, proposal, request):
    response = api_as(request.getfixturevalue(who)).patch(
        detail_url(proposal), {"title": "New title"}, format="json")
    assert response.status_code == status


def test_proposal_patch_anonymous_is_401(api, proposal):
    assert api.patch(detail_url(proposal), {"title": "x"}, format="json").status_code == 401


def test_proposal_patch_co_authors_only_by_author(api_as, proposal, alice, bob, charlie):
    response = api_as(bob).patch(detail_url(proposal), {"co_authors": ["charlie"]},
                                 format="json")
    assert response.status_code == 403
    response = api_as(alice).patch(detail_url(proposal), {"co_authors": ["bob", "charlie"]},
                                   format="json")
    assert (response.json()["co_authors"], response.json()["co_authors_invited"]) == (
        ["bob"], ["charlie"])


def test_proposal_patch_past_analysis_cannot_drop_a_gate_part(api_as, at_stage, alice):
    proposal = at_stage(Stage.PROPOSAL)
    response = api_as(alice).patch(detail_url(proposal), {"steps": []}, format="json")
    assert response.status_code == 409
    assert response.json()["missing"] == ["steps"]


def test_proposal_patch_closed_is_409(api_as, at_stage, alice):
    proposal = at_stage(Stage.WITHDRAWN)
    response = api_as(alice).patch(detail_url(proposal), {"title": "x"}, format="json")
    assert (response.status_code, response.json()["code"]) == (409, "wrong_stage")


def test_advance_gate_reports_missing_parts(api_as, alice):
    proposal = ProposalFactory(author=alice, ask="", target="", steps=[])
    response = api_as(alice).post(detail_url(proposal, "advance/"), {"to": "proposal"},
                                  format="json")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "The proposal is not ready for that stage yet; missing: ask, target, steps.",
        "code": "stage_gate",
        "missing": ["ask", "target", "steps"],
    }


def test_advance_invalid_pair_is_409(api_as, proposal, moderator):
    response = api_as(moderator).post(detail_url(proposal, "advance/"),
                                      {"to": "adopted", "note": "x"}, format="json")
    assert (response.status_code, response.json()["code"]) == (409, "invalid_transition")


def test_advance_author_cannot_reach_owner(api_as, at_stage, alice, dave):
    proposal = at_stage(Stage.PROPOSAL)
    services.owner_invite(proposal=proposal, invitee=dave, actor=alice)
    response = api_as(alice).post(detail_url(proposal, "advance/"), {"to": "owner"},
                                  format="json")
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    assert Proposal.objects.get(pk=proposal.pk).stage == Stage.PROPOSAL


@pytest.mark.parametrize(("who", "status"), [
    ("alice", 200), ("bob", 200), ("moderator", 200), ("dave", 403), ("charlie", 403),
])
def test_advance_permissions(who, status, api_as, proposal, request):
    response = api_as(request.getfixturevalue(who)).post(
        detail_url(proposal, "advance/"), {"to": "proposal"}, format="json")
    assert response.status_code == status
    expected = Stage.PROPOSAL if status == 200 else Stage.ANALYSIS
    assert Proposal.objects.get(pk=proposal.pk).stage == expected


def test_advance_anonymous_is_401(api, proposal):
    response = api.post(detail_url(proposal, "advance/"), {"to": "proposal"}, format="json")
    assert response.status_code == 401


def test_advance_withdraw_needs_reason(api_as, proposal, alice):
    response = api_as(alice).post(detail_url(proposal, "advance/"), {"to": "withdrawn"},
                                  format="json")
    assert response.status_code == 400
    assert response.json()["fields"] == {"reason": ["Choose a reason for withdrawing."]}


def test_invite_owner_then_second_invite_is_409(api_as, at_stage, alice, charlie):
    proposal = at_stage(Stage.PROPOSAL)
    first = api_as(alice).post(detail_url(proposal, "invite-owner/"), {"username": "dave"},
                               format="json")
    second = api_as(alice).post(detail_url(proposal, "invite-owner/"),
                                {"username": "charlie"}, format="json")
    assert (first.status_code, first.json()["invitee"], first.json()["state"]) == (
        201, "dave", "pending")
    assert (second.status_code, second.json()["code"]) == (409, "invitation_pending")


def test_invite_owner_unknown_username_is_400(api_as, at_stage, alice):
    response = api_as(alice).post(detail_url(at_stage(Stage.PROPOSAL), "invite-owner/"),
                                  {"username": "nobody"}, format="json")
    assert (response.status_code, list(response.json()["fields"])) == (400, ["username"])


@pytest.fixture
def invitation(at_stage, alice, dave):
    return services.owner_invite(proposal=at_stage(Stage.PROPOSAL), invitee=dave, actor=alice)


def invitation_url(invitation, verb):
    return f"/api/v1/owner-invitations/{invitation.pk}/{verb}/"


@pytest.mark.parametrize(("who", "status"), [
    ("dave", 200), ("alice", 403), ("bob", 403), ("moderator", 403), ("charlie", 404),
])
def test_invitation_accept_permissions(who, status, api_as, invitation, request):
    response = api_as(request.getfixturevalue(who)).post(invitation_url(invitation, "accept"))
    assert response.status_code == status
    expected = Stage.OWNER if status == 200 else Stage.PROPOSAL
    assert Proposal.objects.get(pk=invitation.proposal_id).stage == expected


def test_invitation_accept_anonymous_is_401(api, invitation):
    assert api.post(invitation_url(invitation, "accept")).status_code == 401


def test_invitation_decline_by_invitee(api_as, invitation, dave):
    response = api_as(dave).post(invitation_url(invitation, "decline"), {"note": "Busy."},
                                 format="json")
    assert (response.status_code, response.json()["state"]) == (200, "declined")


@pytest.mark.parametrize(("who", "status"), [
    ("alice", 200), ("bob", 200), ("moderator", 200), ("dave", 403), ("charlie", 404),
])
def test_invitation_withdraw_permissions(who, status, api_as, invitation, request):
    response = api_as(request.getfixturevalue(who)).post(invitation_url(invitation, "withdraw"))
    assert response.status_code == status
    invitation.refresh_from_db()
    expected = "withdrawn" if status == 200 else "pending"
    assert invitation.state == expected


def test_invitation_list_shows_only_visible(api_as, invitation, dave, charlie):
    assert [r["id"] for r in api_as(dave).get("/api/v1/owner-invitations/").json()["results"]
            ] == [invitation.pk]
    assert api_as(charlie).get("/api/v1/owner-invitations/").json()["results"] == []


def test_whole_path_through_the_api(api_as, alice, dave):
    TopicFactory(slug="standards")
    as_alice, as_dave = api_as(alice), api_as(dave)
    created = as_alice.post(URL, {"title": "Eval standard", "topic": "standards",
                                  "analysis": "Labs lack one."}, format="json").json()
    url = f"{URL}{created['id']}/"
    blocked = as_alice.post(url + "advance/", {"to": "proposal"}, format="json")
    assert blocked.json()["missing"] == ["ask", "target", "steps"]
    as_alice.patch(url, {"ask": "Adopt the standard.", "target": "NIST",
                         "steps": ["Draft", "Consult"]}, format="json")
    assert as_alice.post(url + "advance/", {"to": "proposal"}, format="json").status_code == 200
    invitation = as_alice.post(url + "invite-owner/", {"username": "dave"},
                               format="json").json()
    assert as_dave.post(f"/api/v1/owner-invitations/{invitation['id']}/accept/").status_code \
        == 200

    final = as_alice.get(url).json()
    events = as_alice.get(url + "events/").json()
    assert (final["stage"], final["owner"]["username"]) == ("owner", "dave")
    assert [(e["kind"], e["from_stage"], e["to_stage"], e["actor"]) for e in events] == [
        ("created", "", "analysis", "alice"),
        ("moved", "analysis", "proposal", "alice"),
        ("owner_invited", "", "", "alice"),
        ("moved", "proposal", "owner", "dave"),
    ]
    assert OwnerInvitation.objects.get(pk=invitation["id"]).state == "accepted"


def test_topic_api_counts_open_proposals_by_stage(api, alice, dave):
    topic = TopicFactory(slug="compute")
    ProposalFactory(author=alice, topic=topic)
    ProposalFactory(author=alice, related_topics=[topic])
    moved = ProposalFactory(author=alice, topic=topic)
    services.proposal_move(proposal=moved, to=Stage.PROPOSAL, actor=alice)
    closed = ProposalFactory(author=alice, topic=topic)
    services.proposal_move(proposal=closed, to=Stage.WITHDRAWN, actor=alice, reason="other")

    listed = {row["slug"]: row for row in api.get("/api/v1/topics/").json()["results"]}
    single = api.get("/api/v1/topics/compute/").json()

    assert listed["compute"]["open_proposals"] == {"analysis": 2, "proposal": 1, "owner": 0}
    assert single["open_proposals"] == {"analysis": 2, "proposal": 1, "owner": 0}


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_proposal_list_query_count_is_flat(api, alice, bob):
    ProposalFactory(author=alice, co_authors=[bob], related_topics=[TopicFactory()])
    one = _count_queries(api, URL)
    for _ in range(4):
        ProposalFactory(author=UserFactory(), co_authors=[bob],
                        related_topics=[TopicFactory()])
    assert _count_queries(api, URL) == one


def test_topic_list_query_count_is_flat(api, alice):
    ProposalFactory(author=alice)
    one = _count_queries(api, "/api/v1/topics/")
    for _ in range(4):
        ProposalFactory(author=alice)
    assert _count_queries(api, "/api/v1/topics/") == one


def test_proposal_links_published_writeups_only(api_as, proposal, alice):
    from tests.factories import WriteupFactory

    published = WriteupFactory(author=alice, topic=proposal.topic, published=True)
    draft = WriteupFactory(author=alice, topic=proposal.topic)
    client = api_as(alice)

    refused = client.patch(detail_url(proposal), {"supporting_writeups": [draft.pk]},
                           format="json")
    accepted = client.patch(detail_url(proposal), {"supporting_writeups": [published.pk]},
                            format="json")

    assert (refused.status_code, list(refused.json()["fields"])) == (
        400, ["supporting_writeups"])
    assert accepted.json()["supporting_writeups"] == [published.pk]
