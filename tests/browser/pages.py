"""The every-page gate's world and its page list (tests/browser/test_every_page.py).

The world is the permission matrix's (tests/test_permission_matrix.py: a topic with a claim,
a draft, a published writeup with a comment, a draft under review, a proposal in the proposal
stage with an owner invitation, a topic suggestion, fiona's interests), plus what a page
only shows when it exists: an endorsement, a proposal in every other stage with its history,
a funder's alert, API tokens, an open report and a hidden comment.

The page list follows the URL conf: every address that answers a GET with a page, for each
role that can reach it. POST-only addresses, feeds, exports, the SVG and the API are not
pages; the SVG is checked as the map page's subresource.
"""

from proposals import services as proposal_services
from registry.discovery.services import alert_subscribe
from registry.feedback.services import comments as comment_services
from registry.models import Cluster, Topic, Writeup
from registry.moderation.services import content_hide, report_create
from registry.services import endorsement_create
from registry.tokens.services import api_token_create, api_token_revoke
from tests.test_permission_matrix import ENDORSEMENT, build_world

# The gate's roles and who plays them (people from the permission matrix's world).
ROLES = {"visitor": None, "person": "author", "funder": "funder", "moderator": "moderator"}
# The language each role browses in (issue 18): the gate runs two of them in Spanish.
LANGUAGES = {"visitor": "en", "person": "es", "funder": "en", "moderator": "es"}


def _proposal(topic, author, title, **fields):
    return proposal_services.proposal_create(
        topic=topic, author=author, title=title, ask=fields.get("ask", "Fund it."),
        target=fields.get("target", "A lab"), steps=fields.get("steps", ["One", "Two"]))


def build_gate_world():
    """The permission matrix's world and the extras above. Returns (people, ids)."""
    people, ids = build_world()
    alice, ivan, mod = people["author"], people["invitee"], people["moderator"]
    topic = Topic.objects.get(slug="proof-of-learning")
    published = Writeup.objects.get(pk=ids["published"])
    endorsement_create(writeup=published, endorser=mod, statement=ENDORSEMENT, disclosure="")

    # One proposal per remaining stage: analysis (missing parts, so its checklist shows),
    # owner (ivan accepted), adopted (by its owner), withdrawn.
    analysis = _proposal(topic, alice, "Still thinking", ask="", target="", steps=[])
    owner, adopted, withdrawn = (_proposal(topic, alice, title)
                                 for title in ("Owned", "Adopted", "Withdrawn"))
    for proposal in (owner, adopted, withdrawn):
        proposal_services.proposal_move(proposal=proposal, to="proposal", actor=alice)
    for proposal in (owner, adopted):
        invitation = proposal_services.owner_invite(proposal=proposal, invitee=ivan, actor=alice)
        proposal_services.owner_invitation_accept(invitation=invitation, actor=ivan)
        proposal.refresh_from_db()
    proposal_services.proposal_move(proposal=adopted, to="adopted", actor=ivan,
                                    note="We run it from June.")
    proposal_services.proposal_move(proposal=withdrawn, to="withdrawn", actor=alice,
                                    reason="duplicate")
    ids |= {"analysis": analysis.pk, "owner": owner.pk, "adopted": adopted.pk,
            "withdrawn": withdrawn.pk}

    # alice's API tokens: one in use, one revoked.
    api_token_create(user=alice, name="My laptop")
    revoked, _ = api_token_create(user=alice, name="Old script")
    api_token_revoke(token=revoked, actor=alice)

    alert_subscribe(funder=people["funder"], cluster=Cluster.objects.get(slug="security"))
    # An open report on alice's comment, and charlie's comment hidden by a moderator.
    report_create(reporter=people["outsider"], target_type="comment",
                  target_id=ids["comment"], reason="spam", note="Looks like an ad.")
    rude = comment_services.comment_create(target=published, author=people["outsider"],
                                           body="Rude words.")
    content_hide(moderator=mod, target_type="comment", obj=rude, reason="Rude.")
    ids["hidden_comment"] = rude.pk
    return people, ids


# (name for the screenshot, address) seen by everyone, signed in or not.
PUBLIC = [
    ("home", "/"),
    ("about", "/about/"),
    ("cluster", "/clusters/security/"),
    ("topic", "/topics/proof-of-learning/"),
    ("writeup", "/writeups/{published}/"),
    ("writeup-version", "/writeups/{published}/versions/1/"),
    ("comment-versions", "/comments/{comment}/versions/"),
    ("board", "/proposals/"),
    ("board-filtered", "/proposals/?stage=proposal&topic=proof-of-learning"),
    ("proposal-analysis", "/proposals/{analysis}/"),
    ("proposal-proposal", "/proposals/{proposal}/"),
    ("proposal-owner", "/proposals/{owner}/"),
    ("proposal-adopted", "/proposals/{adopted}/"),
    ("proposal-withdrawn", "/proposals/{withdrawn}/"),
    ("gaps", "/gaps/"),
    ("map", "/map/"),
    ("search", "/search/?q=learning"),
    ("experts", "/experts/"),
    ("profile-alice", "/people/alice/"),
    ("profile-fiona", "/people/fiona/"),
    ("not-found", "/no-such-page/"),
]

VISITOR = [
    ("login", "/accounts/login/"),
    ("sign-up", "/accounts/sign-up/"),
    ("password-reset", "/accounts/password_reset/"),
    ("password-reset-done", "/accounts/password_reset/done/"),
    ("password-reset-bad-link", "/accounts/reset/MQ/not-a-token/"),
    ("password-reset-complete", "/accounts/reset/done/"),
]

# Pages for anyone signed in.
SIGNED_IN = [
    ("my-work", "/me/"),
    ("profile-edit", "/me/profile/"),
    ("notifications", "/me/notifications/"),
    ("notification-settings", "/me/notifications/settings/"),
    ("tokens", "/me/tokens/"),
    ("password-change", "/accounts/password_change/"),
    ("topic-suggest", "/topics/suggest/"),
    ("proposal-new", "/proposals/new/"),
    ("proposal-new-for-topic", "/proposals/new/?topic=proof-of-learning"),
    ("writeup-comments", "/writeups/{published}/comments/"),
    ("report", "/report/writeup/{published}/"),
    ("proposal-comments", "/proposals/{proposal}/comments/"),
    ("password-change-done", "/accounts/password_change/done/"),
]

PERSON = [
    ("writeup-draft", "/writeups/{draft}/"),
    ("writeup-draft-edit", "/writeups/{draft}/edit/"),
    ("writeup-edit", "/writeups/{published}/edit/"),
    ("writeup-new", "/topics/proof-of-learning/writeups/new/"),
    ("writeup-reviewed", "/writeups/{reviewed}/"),
    ("review", "/reviews/writeup/{reviewed}/"),
    ("review-invite", "/reviews/writeup/{reviewed}/invite/"),
    ("review-request", "/reviews/requests/{asked}/"),
    ("proposal-review", "/reviews/proposal/{proposal}/"),
    ("proposal-review-invite", "/reviews/proposal/{proposal}/invite/"),
    ("proposal-edit", "/proposals/{proposal}/edit/"),
    ("comment-edit", "/comments/{comment}/edit/"),
    ("claim-release", "/claims/{claim}/release/"),
    ("claim-renew", "/claims/{claim}/renew/"),
    ("suggestion", "/topics/{suggestion}/"),
]

FUNDER = [
    ("alerts", "/me/alerts/"),
    ("topic-interest", "/topics/proof-of-learning/interest/"),
    ("proposal-interest", "/proposals/{proposal}/interest/"),
]

MODERATOR = [
    ("moderation", "/moderation/"),
    ("suggestions", "/topics/suggestions/"),
    ("suggestion", "/topics/{suggestion}/"),
    ("suggestion-decide", "/topics/{suggestion}/decide/"),
    ("proposal-edit", "/proposals/{proposal}/edit/"),
    ("topic-translate", "/topics/proof-of-learning/translate/"),
]

# Pages in the state a form leaves them in: the page's first POST form in <main>, sent with
# its text fields emptied: its refusal, or, where nothing is required, what follows (a
# token's one-time secret; the page reported, with its flash message).
SENT_EMPTY = {
    "visitor": [("login-refused", "/accounts/login/"), ("sign-up-refused", "/accounts/sign-up/")],
    "person": [("proposal-new-refused", "/proposals/new/"),
               ("topic-suggest-refused", "/topics/suggest/"),
               ("comment-edit-refused", "/comments/{comment}/edit/"),
               ("token-created", "/me/tokens/")],
    "funder": [("report-sent", "/report/writeup/{published}/")],
    "moderator": [("moderation-refused", "/moderation/")],
}

PAGES = {
    "visitor": PUBLIC + VISITOR,
    "person": PUBLIC + SIGNED_IN + PERSON,
    "funder": PUBLIC + SIGNED_IN + FUNDER,
    "moderator": PUBLIC + SIGNED_IN + MODERATOR,
}

# Routes that are not pages a role visits, and why; every other route must be in PAGES
# (test_every_route_is_visited_or_excused).
NOT_PAGES = {
    # POST only (GET is 405): their forms sit on the pages above.
    "logout", "proposals:move", "proposals:invite-owner", "proposals:invitation-answer",
    "proposals:leave", "proposals:co-author-invitation-answer", "notifications:read",
    "notifications:read-all", "notifications:topic-follow", "notifications:proposal-follow",
    "notifications:writeup-follow", "moderation:hide", "moderation:unhide", "moderation:decide",
    "moderation:funder-role", "tokens:revoke", "tokens:revoke-all", "feedback:comment-delete",
    "feedback:review-request-accept", "feedback:review-request-decline",
    "feedback:review-request-withdraw", "feedback:review-request-finish",
    "feedback:review-comment-resolve", "feedback:review-comment-reopen",
    "feedback:review-comment-create", "registry:claim-create", "registry:writeup-publish",
    "registry:writeup-delete", "registry:endorse", "registry:endorsement-retract",
    "registry:endorsement-void", "language-set",
    # Not HTML pages: JSON, Atom, CSV, the map's SVG (a subresource of /map/, checked there),
    # and the pickers' htmx fragments (checked inside the forms that load them).
    "healthz", "discovery:map-svg", "discovery:feed-writeups", "discovery:feed-topic-writeups",
    "discovery:feed-cluster-writeups", "discovery:feed-gaps", "discovery:feed-recognitions",
    "discovery:feed-proposal-stages", "discovery:export", "discovery:pick-people",
    "discovery:pick-topics", "discovery:pick-writeups", "discovery:pick-similar",
    # A redirect to the comment's place in its discussion.
    "feedback:comment",
}
