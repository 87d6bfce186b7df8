"""Permission matrix: every URL that reads or changes an object, for every kind of person.

Each cell starts from the same fresh world (built once per module, each cell rolled back to
it), so a successful change in one cell cannot affect another.
Private objects are 404 to those who may not see them; visible ones they may not change, 403.
"""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from proposals import services as proposal_services
from registry import services
from registry.discovery.services import interest_register
from registry.feedback.services import comments as comment_services
from registry.feedback.services import reviews as review_services
from registry.models import Cluster, Topic, Writeup
from tests.factories import UserFactory, co_authors_accept

ROLES = ["anonymous", "outsider", "author", "coauthor", "invitee", "funder", "moderator"]
USERNAMES = {"outsider": "charlie", "author": "alice", "coauthor": "bob", "invitee": "ivan",
             "funder": "fiona", "moderator": "mod"}


def build_world():
    """The people and objects every cell starts from: (people by role, ids for the URLs).
    Also the browser's every-page gate's starting point (tests/browser/pages.py)."""
    services.catalogue_load()
    people = {role: UserFactory(username=name, is_staff=(role == "moderator"))
              for role, name in USERNAMES.items()}
    people["funder"].profile.is_funder = True
    people["funder"].profile.save()
    alice = people["author"]
    topic = Topic.objects.get(slug="proof-of-learning")
    claim = services.claim_create(topic=topic, person=alice, plan="A survey by March.")
    draft = services.writeup_create(topic=topic, author=alice, title="Draft", kind="plan",
                                    body="private")
    published = services.writeup_create(topic=topic, author=alice, title="Out", kind="plan",
                                        body="public")
    services.writeup_publish(writeup=published, actor=alice)
    suggestion = services.topic_suggest(person=alice, title="A new gap", reason="Because.",
                                        cluster=Cluster.objects.get(slug="security"))
    proposal = proposal_services.proposal_create(
        topic=topic, author=alice, title="Ask", ask="Do it.", target="A lab", steps=["One"],
        co_authors=[people["coauthor"]])
    proposal = co_authors_accept(proposal, [people["coauthor"]])
    proposal_services.proposal_move(proposal=proposal, to="proposal", actor=alice)
    invitation = proposal_services.owner_invite(
        proposal=proposal, invitee=people["invitee"], actor=alice)
    # The invitee is also invited to co-author (not yet accepted: no co-author's rights).
    proposal_services.proposal_update(proposal=proposal, actor=alice, co_authors=[
        people["coauthor"], people["invitee"]])
    # fiona's interest: public in another topic, private in alice's proposal.
    other_topic = (Topic.objects.filter(state=Topic.State.LISTED).exclude(pk=topic.pk)
                   .order_by("slug").first())
    interest_register(funder=people["funder"], topic=other_topic, visibility="public")
    interest_register(funder=people["funder"], proposal=proposal, visibility="private")
    # A draft under review: bob (coauthor) accepted and commented, ivan (invitee) is asked.
    reviewed = services.writeup_create(topic=topic, author=alice, title="Reviewed",
                                       kind="plan", body="Under review.")
    accepted = review_services.review_request_create(target=reviewed, actor=alice,
                                                     reviewer=people["coauthor"])
    review_services.review_request_accept(review_request=accepted, actor=people["coauthor"])
    asked = review_services.review_request_create(target=reviewed, actor=alice,
                                                  reviewer=people["invitee"])
    remark = review_services.review_comment_create(review_request=accepted,
                                                   actor=people["coauthor"], body="A remark.")
    ids = {"reviewed": reviewed.pk, "asked": asked.pk, "remark": remark.pk,
           "reviewed_version": reviewed.version, "funder_pk": people["funder"].pk}
    ids |= {"claim": claim.pk, "draft": draft.pk, "published": published.pk,
           "suggestion": suggestion.slug, "suggestion_pk": suggestion.pk, "proposal": proposal.pk,
           "invitation": invitation.pk,
           "co_invitation": proposal.co_author_invitations.get(state="pending").pk}
    # alice's comment on her writeup, edited once (its versions), and one on her proposal.
    comment = comment_services.comment_create(target=Writeup.objects.get(pk=published.pk),
                                              author=alice, body="Mine.")
    comment_services.comment_update(comment=comment, editor=alice, body="Mine, edited.")
    comment_services.comment_create(target=proposal, author=alice, body="On the ask.",
                                    aspect="ask")
    ids["comment"] = comment.pk
    return people, ids


@pytest.fixture(scope="module")
def world_built_once(module_transaction):
    return build_world()


@pytest.fixture
def world(world_built_once, db):
    return world_built_once


ENDORSEMENT = "It measured what nobody had measured, and so moved the question forward."

#            anonymous outsider author coauthor invitee funder moderator
MATRIX = [
    # Pages that read
    ("GET", "/writeups/{draft}/", None, (404, 404, 200, 404, 404, 404, 404)),
    ("GET", "/writeups/{published}/", None, (200, 200, 200, 200, 200, 200, 200)),
    ("GET", "/writeups/{draft}/edit/", None, (302, 404, 200, 404, 404, 404, 404)),
    ("GET", "/writeups/{published}/edit/", None, (302, 403, 200, 403, 403, 403, 403)),
    ("GET", "/proposals/{proposal}/", None, (200, 200, 200, 200, 200, 200, 200)),
    ("GET", "/proposals/{proposal}/edit/", None, (302, 403, 200, 200, 403, 403, 200)),
    ("GET", "/topics/{suggestion}/", None, (404, 404, 200, 404, 404, 404, 200)),
    ("GET", "/topics/suggestions/", None, (302, 403, 403, 403, 403, 403, 200)),
    ("GET", "/me/", None, (302, 200, 200, 200, 200, 200, 200)),
    # Track records are public; what each list holds depends on who asks (below).
    ("GET", "/people/fiona/", None, (200, 200, 200, 200, 200, 200, 200)),
    # Pages that change
    # Moderators may release a claim (e.g. an abandoned one); the claimant keeps the credit.
    ("POST", "/claims/{claim}/release/", {"note": "", "confirm": "yes"},
     (302, 403, 302, 403, 403, 403, 302)),
    ("POST", "/writeups/{published}/edit/", {"title": "X", "kind": "plan", "body": "b"},
     (302, 403, 302, 403, 403, 403, 403)),
    ("POST", "/writeups/{draft}/publish/", {}, (302, 404, 302, 404, 404, 404, 404)),
    ("POST", "/proposals/invitations/{invitation}/accept/", {},
     (302, 404, 403, 403, 302, 404, 403)),
    ("POST", "/proposals/co-author-invitations/{co_invitation}/accept/", {},
     (302, 404, 403, 403, 302, 404, 403)),
    # Steps that cannot be undone ask first: their real submit sends confirm=yes.
    ("POST", "/proposals/co-author-invitations/{co_invitation}/withdraw/", {"confirm": "yes"},
     (302, 404, 302, 403, 403, 404, 302)),
    ("POST", "/proposals/{proposal}/leave/", {"confirm": "yes"},
     (302, 403, 403, 302, 403, 403, 403)),
    ("POST", "/proposals/{proposal}/move/analysis/", {"note": ""},
     (302, 403, 302, 302, 403, 403, 302)),
    ("POST", "/topics/{suggestion}/decide/", {"state": "listed", "t{suggestion_pk}-note": "ok"},
     (302, 403, 403, 403, 403, 403, 302)),
    # API reads
    ("GET", "/api/v1/writeups/{draft}/", None, (404, 404, 200, 404, 404, 404, 404)),
    ("GET", "/api/v1/writeups/{published}/", None, (200, 200, 200, 200, 200, 200, 200)),
    ("GET", "/api/v1/topics/{suggestion}/", None, (404, 404, 200, 404, 404, 404, 200)),
    ("GET", "/api/v1/claims/{claim}/", None, (200, 200, 200, 200, 200, 200, 200)),
    ("GET", "/api/v1/owner-invitations/{invitation}/", None, (404, 404, 200, 200, 200, 404, 200)),
    ("GET", "/api/v1/notifications/", None, (401, 200, 200, 200, 200, 200, 200)),
    ("GET", "/api/v1/people/alice/track-record/", None, (200, 200, 200, 200, 200, 200, 200)),
    ("GET", "/api/v1/people/fiona/track-record/", None, (200, 200, 200, 200, 200, 200, 200)),
    ("GET", "/api/v1/people/nobody/track-record/", None, (404, 404, 404, 404, 404, 404, 404)),
    # API changes
    ("PATCH", "/api/v1/writeups/{published}/", {"title": "Changed"},
     (401, 403, 200, 403, 403, 403, 403)),
    ("DELETE", "/api/v1/writeups/{draft}/", None, (401, 404, 204, 404, 404, 404, 404)),
    ("POST", "/api/v1/claims/{claim}/release/", {"note": ""}, (401, 403, 200, 403, 403, 403, 200)),
    ("POST", "/api/v1/claims/{claim}/renew/", {"note": "progress"},
     (401, 403, 200, 403, 403, 403, 403)),
    ("PATCH", "/api/v1/proposals/{proposal}/", {"title": "Changed"},
     (401, 403, 200, 200, 403, 403, 200)),
    ("POST", "/api/v1/proposals/{proposal}/advance/", {"to": "analysis"},
     (401, 403, 200, 200, 403, 403, 200)),
    # Only the invited person reaches owner: accepting, or advancing, is their consent.
    ("POST", "/api/v1/proposals/{proposal}/advance/", {"to": "owner"},
     (401, 403, 403, 403, 200, 403, 403)),
    ("POST", "/api/v1/owner-invitations/{invitation}/accept/", {},
     (401, 404, 403, 403, 200, 404, 403)),
    ("POST", "/api/v1/owner-invitations/{invitation}/withdraw/", {},
     (401, 404, 200, 200, 403, 404, 200)),
    # Only the invited person becomes a co-author; only the author or a moderator withdraws.
    ("GET", "/api/v1/co-author-invitations/{co_invitation}/", None,
     (404, 404, 200, 200, 200, 404, 200)),
    ("POST", "/api/v1/co-author-invitations/{co_invitation}/accept/", {},
     (401, 404, 403, 403, 200, 404, 403)),
    ("POST", "/api/v1/co-author-invitations/{co_invitation}/decline/", {},
     (401, 404, 403, 403, 200, 404, 403)),
    ("POST", "/api/v1/co-author-invitations/{co_invitation}/withdraw/", {},
     (401, 404, 200, 403, 403, 404, 200)),
    ("POST", "/api/v1/proposals/{proposal}/leave/", {}, (401, 403, 403, 204, 403, 403, 403)),
    ("POST", "/api/v1/topics/proof-of-learning/interest/", {"visibility": "public"},
     (401, 403, 403, 403, 403, 201, 403)),
    ("POST", "/api/v1/topics/proof-of-learning/claim/", {"plan": "Mine too"},
     (401, 201, 409, 201, 201, 201, 201)),
    # Recognised expertise: nobody endorses their own work; endorsing needs standing (here
    # only the moderator has it: nobody else published in the cluster).
    ("POST", "/writeups/{published}/endorse/", {"statement": ENDORSEMENT, "disclosure": ""},
     (302, 403, 403, 403, 403, 403, 302)),
    ("POST", "/api/v1/writeups/{published}/endorsements/", {"statement": ENDORSEMENT},
     (401, 403, 403, 403, 403, 403, 201)),
    ("GET", "/api/v1/writeups/{published}/endorsements/", None,
     (200, 200, 200, 200, 200, 200, 200)),
    ("POST", "/api/v1/recognitions/", {"topic": "proof-of-learning", "name": "Ada Lovelace",
                                       "work_title": "Notes", "work_url": "https://example.org/n",
                                       "reason": "The reference."},
     (401, 403, 403, 403, 403, 403, 201)),
    ("GET", "/experts/", None, (200, 200, 200, 200, 200, 200, 200)),
    ("GET", "/api/v1/experts/", None, (200, 200, 200, 200, 200, 200, 200)),
    ("GET", "/feeds/recognitions/", None, (200, 200, 200, 200, 200, 200, 200)),
    # Reviews: bob (coauthor) reads the draft he accepted to review and comments on it; ivan
    # (invitee) is asked and sees only his request; everyone else, moderators too, gets 404.
    ("GET", "/writeups/{reviewed}/", None, (404, 404, 200, 200, 404, 404, 404)),
    ("GET", "/writeups/{reviewed}/versions/1/", None, (404, 404, 200, 200, 404, 404, 404)),
    ("POST", "/writeups/{reviewed}/publish/", {}, (302, 404, 302, 403, 404, 404, 404)),
    ("GET", "/reviews/writeup/{reviewed}/", None, (302, 404, 200, 200, 404, 404, 404)),
    ("GET", "/reviews/writeup/{reviewed}/invite/", None, (302, 404, 200, 403, 404, 404, 404)),
    ("POST", "/reviews/writeup/{reviewed}/invite/", {"reviewer": "{funder_pk}"},
     (302, 404, 302, 403, 404, 404, 404)),
    ("POST", "/reviews/writeup/{reviewed}/comments/",
     {"anchor": "whole", "body": "Hm.", "version": "{reviewed_version}"},
     (302, 404, 403, 302, 404, 404, 404)),
    ("GET", "/reviews/requests/{asked}/", None, (302, 404, 200, 404, 200, 404, 404)),
    ("POST", "/reviews/requests/{asked}/accept/", {}, (302, 404, 403, 404, 302, 404, 404)),
    ("POST", "/reviews/requests/{asked}/withdraw/", {}, (302, 404, 302, 404, 403, 404, 404)),
    ("POST", "/reviews/comments/{remark}/resolve/", {}, (302, 404, 302, 403, 404, 404, 404)),
    ("GET", "/api/v1/writeups/{reviewed}/", None, (404, 404, 200, 200, 404, 404, 404)),
    ("GET", "/api/v1/review-requests/{asked}/", None, (401, 404, 200, 404, 200, 404, 404)),
    ("POST", "/api/v1/review-requests/{asked}/accept/", {},
     (401, 404, 403, 404, 200, 404, 404)),
    ("POST", "/api/v1/review-requests/", {"writeup": "{reviewed}", "reviewer": "fiona"},
     (401, 404, 201, 403, 404, 404, 404)),
    ("GET", "/api/v1/review-comments/?writeup={reviewed}", None,
     (401, 404, 200, 200, 404, 404, 404)),
    ("POST", "/api/v1/review-comments/{remark}/resolve/", {},
     (401, 404, 200, 403, 404, 404, 404)),
    ("GET", "/api/v1/review-suggestions/?writeup={reviewed}", None,
     (401, 404, 200, 403, 404, 404, 404)),
    ("GET", "/api/v1/review-blocks/?writeup={reviewed}", None,
     (401, 404, 200, 200, 404, 404, 404)),
    # Moderation
    ("GET", "/moderation/", None, (302, 403, 403, 403, 403, 403, 200)),
    ("POST", "/report/writeup/{published}/", {"reason": "spam", "note": "ads"},
     (302, 302, 302, 302, 302, 302, 302)),
    ("POST", "/moderation/writeup/{published}/hide/", {"reason": "spam"},
     (302, 403, 403, 403, 403, 403, 302)),
    ("POST", "/api/v1/reports/", {"target_type": "writeup", "target_id": "{published}",
                                  "reason": "spam", "note": "ads"},
     (401, 201, 201, 201, 201, 201, 201)),
    ("POST", "/api/v1/reports/", {"target_type": "writeup", "target_id": "{draft}",
                                  "reason": "spam", "note": "ads"},
     (401, 404, 201, 404, 404, 404, 404)),
    ("POST", "/report/comment/{comment}/", {"reason": "spam", "note": "ads"},
     (302, 302, 302, 302, 302, 302, 302)),
    ("POST", "/moderation/comment/{comment}/hide/", {"reason": "rude"},
     (302, 403, 403, 403, 403, 403, 302)),
    ("GET", "/api/v1/moderation-actions/", None, (401, 403, 403, 403, 403, 403, 200)),
    ("POST", "/api/v1/moderation-actions/", {"kind": "hide", "target_type": "writeup",
                                             "target_id": "{published}", "reason": "spam"},
     (401, 403, 403, 403, 403, 403, 201)),
    ("POST", "/api/v1/moderation-actions/", {"kind": "hide", "target_type": "comment",
                                             "target_id": "{comment}", "reason": "rude"},
     (401, 403, 403, 403, 403, 403, 201)),
    # The discussion: anyone signed in comments on what they may see (never on a draft);
    # only its author edits a comment; its author or a moderator deletes it.
    ("GET", "/comments/{comment}/versions/", None, (200, 200, 200, 200, 200, 200, 200)),
    ("GET", "/comments/{comment}/edit/", None, (302, 403, 200, 403, 403, 403, 403)),
    ("POST", "/comments/{comment}/edit/", {"body": "Changed.", "version": 2},
     (302, 403, 302, 403, 403, 403, 403)),
    ("POST", "/comments/{comment}/delete/", {}, (302, 403, 302, 403, 403, 403, 302)),
    ("GET", "/writeups/{published}/comments/", None, (302, 200, 200, 200, 200, 200, 200)),
    ("POST", "/writeups/{published}/comments/", {"body": "Hello."},
     (302, 302, 302, 302, 302, 302, 302)),
    ("POST", "/writeups/{draft}/comments/", {"body": "Hello."},
     (302, 404, 404, 404, 404, 404, 404)),
    ("POST", "/proposals/{proposal}/comments/", {"body": "Hello.", "aspect": "steps"},
     (302, 302, 302, 302, 302, 302, 302)),
    ("POST", "/writeups/{published}/follow/", {}, (302, 302, 302, 302, 302, 302, 302)),
    ("GET", "/api/v1/writeups/{published}/comments/", None,
     (200, 200, 200, 200, 200, 200, 200)),
    ("GET", "/api/v1/writeups/{draft}/comments/", None, (404, 404, 404, 404, 404, 404, 404)),
    ("GET", "/api/v1/proposals/{proposal}/comments/", None,
     (200, 200, 200, 200, 200, 200, 200)),
    ("POST", "/api/v1/writeups/{published}/comments/", {"body": "Hello."},
     (401, 201, 201, 201, 201, 201, 201)),
    ("POST", "/api/v1/writeups/{draft}/comments/", {"body": "Hello."},
     (401, 404, 404, 404, 404, 404, 404)),
    ("GET", "/api/v1/comments/{comment}/", None, (200, 200, 200, 200, 200, 200, 200)),
    ("PATCH", "/api/v1/comments/{comment}/", {"body": "Changed."},
     (401, 403, 200, 403, 403, 403, 403)),
    ("DELETE", "/api/v1/comments/{comment}/", None, (401, 403, 204, 403, 403, 403, 204)),
    ("GET", "/api/v1/comments/{comment}/versions/", None,
     (200, 200, 200, 200, 200, 200, 200)),
    ("GET", "/api/v1/me/mentions/", None, (401, 200, 200, 200, 200, 200, 200)),
    ("POST", "/api/v1/writeups/{published}/follow/", {}, (401, 201, 201, 201, 201, 201, 201)),
    ("POST", "/api/v1/writeups/{draft}/follow/", {}, (401, 404, 404, 404, 404, 404, 404)),
]

CELLS = [(method, url, body, role, expected[i])
         for method, url, body, expected in MATRIX for i, role in enumerate(ROLES)]


@pytest.mark.parametrize(("method", "url", "body", "role", "expected"), CELLS,
                         ids=[f"{m} {u} as {r}" for m, u, _, r, _ in CELLS])
def test_permission_matrix_cell(world, method, url, body, role, expected):
    people, ids = world
    address = url.format(**ids)
    is_api = address.startswith("/api/")
    client = APIClient() if is_api else Client()
    if role != "anonymous":
        client.force_login(people[role])

    if body is None:
        response = getattr(client, method.lower())(address)
    else:
        data = {key.format(**ids): (value.format(**ids) if isinstance(value, str) else value)
                for key, value in body.items()}
        kwargs = {"format": "json"} if is_api else {}
        response = getattr(client, method.lower())(address, data, **kwargs)

    assert response.status_code == expected, (
        f"{method} {address} as {role}: {response.status_code}, expected {expected}"
    )
    if response.status_code == 302 and role == "anonymous":
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", ROLES)
def test_track_record_shows_public_work_to_all_and_private_interest_to_self(world, role):
    people, ids = world
    client = APIClient()
    if role != "anonymous":
        client.force_login(people[role])

    alice = client.get("/api/v1/people/alice/track-record/").json()
    fiona = client.get("/api/v1/people/fiona/track-record/").json()

    assert [w["title"] for w in alice["writeups"]["results"]] == ["Out"]  # never the draft
    assert [(p["title"], p["roles"]) for p in alice["proposals"]["results"]] == [
        ("Ask", ["author"])]
    assert [c["topic"] for c in alice["claims"]["results"]] == ["proof-of-learning"]
    interests = [(i["proposal"], i["visibility"]) for i in fiona["funder_interests"]["results"]]
    if role == "funder":
        assert interests == [(ids["proposal"], "private"), (None, "public")]
    else:
        assert interests == [(None, "public")]


HTML_FORMS = [
    "/claims/{claim}/release/", "/writeups/{published}/edit/", "/writeups/{draft}/publish/",
    "/proposals/{proposal}/move/analysis/", "/proposals/{proposal}/invite-owner/",
    "/proposals/invitations/{invitation}/withdraw/", "/topics/proof-of-learning/claim/",
    "/proposals/co-author-invitations/{co_invitation}/withdraw/", "/proposals/{proposal}/leave/",
    "/me/profile/", "/me/notifications/read-all/", "/topics/proof-of-learning/follow/",
    "/topics/suggest/", "/proposals/new/", "/accounts/logout/",
    "/writeups/{published}/endorse/", "/writeups/{published}/comments/",
    "/proposals/{proposal}/comments/", "/comments/{comment}/edit/",
    "/comments/{comment}/delete/", "/writeups/{published}/follow/",
    "/reviews/writeup/{reviewed}/invite/",
    "/reviews/requests/{asked}/withdraw/", "/reviews/comments/{remark}/resolve/",
]


@pytest.mark.parametrize("url", HTML_FORMS)
def test_state_changing_form_without_csrf_token_is_refused(world, url):
    people, ids = world
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["author"])

    response = client.post(url.format(**ids), {"note": "x", "title": "x"})

    assert response.status_code == 403


@pytest.mark.parametrize(("method", "url", "body"), [
    ("post", "/api/v1/topics/proof-of-learning/claim/", {"plan": "Mine"}),
    ("patch", "/api/v1/writeups/{published}/", {"title": "Changed"}),
    ("post", "/api/v1/proposals/{proposal}/advance/", {"to": "analysis"}),
    ("post", "/api/v1/notifications/read-all/", {}),
    ("post", "/api/v1/writeups/{published}/comments/", {"body": "Hello."}),
    ("patch", "/api/v1/comments/{comment}/", {"body": "Changed."}),
])
def test_session_authenticated_api_change_without_csrf_token_is_refused(world, method, url,
                                                                        body):
    people, ids = world
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(people["author"])

    response = getattr(client, method)(url.format(**ids), body, format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert "CSRF" in response.json()["detail"]
