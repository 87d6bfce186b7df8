"""Query budgets: every page and every API list makes the same number of queries with 1 row
and with 50, and stays within its budget: 10 for an HTML page (session and user included,
signed in), 6 for an API list (the view's own queries, permission checks included; the
caller is authenticated in memory, so the one token or session lookup is not counted).

Each case names a URL and the rows that page lists; `grow(world, n)` adds n of those rows
through the real services, so the rows carry their history, notifications and search entries.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from proposals import selectors
from proposals import services as proposal_services
from proposals.models import CoAuthorInvitation
from registry import selectors as registry_selectors
from registry import services, track_records
from registry.core import limits
from registry.discovery import services as discovery_services
from registry.discovery.search import search_entry_update
from registry.models import Profile, Topic
from registry.notifications import services as notification_services
from tests.factories import (
    ClaimFactory,
    ClusterFactory,
    FunderFactory,
    FunderInterestFactory,
    ProposalFactory,
    TopicFactory,
    UserFactory,
    WriteupFactory,
    co_authors_accept,
)
from tests.feedback.factories import CommentFactory

HTML_BUDGET, API_BUDGET = 11, 6  # 11: the header counts the unread anew after a write
# Pages that gather more lists than the budget allows for, and why.
PAGE_BUDGETS = {
    # "My work" lists eleven things of one person's, each in one query: claims, drafts and
    # writeups, suggestions, owner and co-author invitations, proposals, funder interest,
    # endorsements given, review requests to answer or finish (My reviews); plus the
    # moderator check and the notification count every signed-in page makes.
    "my work": HTML_BUDGET + 3,
    # A topic page adds its recognised expertise: the recognitions, and the endorsements
    # that are their evidence; and, asked apart from its lists (shared by every viewer of a
    # class, read once per site version), the viewer's own active claim and whether they
    # hold writeups there only they see.
    "topic": HTML_BUDGET + 4,
    # A profile's track record adds recognitions (and the endorsements that are their
    # evidence) and the endorsements received and given: four queries, one per list.
    "profile": HTML_BUDGET + 3,
    "profile as moderator": HTML_BUDGET + 3,  # and the site version of its shared lists
    "experts": HTML_BUDGET + 1,  # the site version its shared lists are rendered under
    "api track record": API_BUDGET + 3,
    # A writeup page adds its discussion: the count of its top-level comments, one page of
    # them, their replies, and whether you follow it (four queries however long the thread;
    # the first three only when the shared thread is not stored yet), and whether you wrote
    # in it (the thread is then rendered for you alone); and the review panel's requests.
    "writeup": HTML_BUDGET + 4,
    # The same, for someone who may endorse it: whether they already did.
    "writeup as moderator": HTML_BUDGET + 5,
    # A proposal page adds its discussion (the count, one page, the replies, and whether you
    # moderate, asked first here), and for its author the review panel: requests and the
    # suggested reviewers (recognitions, published work).
    "proposal": HTML_BUDGET + 7,
}


@dataclass
class World:
    alice: object
    mod: object
    cluster: object
    topic: object
    claim: object
    writeup: object
    proposal: object
    made: int = 0

    def person(self, **kwargs):
        self.made += 1
        return UserFactory(username=f"p{self.made}", **kwargs)


@pytest.fixture
def world(db):
    alice = UserFactory(username="alice")
    Profile.objects.filter(user=alice).update(is_funder=True,
                                              conflict_of_interest="Funded by a lab.")
    alice.refresh_from_db()
    cluster = ClusterFactory(slug="compute")
    topic = TopicFactory(cluster=cluster, slug="gpu-logging")
    return World(
        alice=alice, mod=UserFactory(username="mod", is_staff=True), cluster=cluster,
        topic=topic, claim=ClaimFactory(topic=topic, person=alice),
        writeup=WriteupFactory(topic=topic, author=alice, published=True, title="Alpha notes"),
        proposal=ProposalFactory(topic=topic, author=alice, title="Alpha proposal"),
    )


# --- Rows -----------------------------------------------------------------------------------

def grow_topics(w, n):
    """Listed topics, each claimed by someone, covered or not, with funder interest."""
    for _ in range(n):
        topic = TopicFactory(cluster=w.cluster)
        person = w.person()
        ClaimFactory(topic=topic, person=person)
        WriteupFactory(topic=topic, author=person, published=True)
        FunderInterestFactory(topic=topic, funder=w.alice)


def grow_topic_work(w, n):
    """On the one topic: claims, published writeups, proposals and their history; each
    writeup endorsed by two peers, so its author is recognised with them as evidence; and a
    moderator's recognition of each author for work elsewhere."""
    moderator = UserFactory(is_staff=True)
    for _ in range(n):
        person = w.person()
        Profile.objects.filter(user=person).update(conflict_of_interest="Works at a lab.")
        ClaimFactory(topic=w.topic, person=person)
        writeup = WriteupFactory(topic=w.topic, author=person, published=True)
        ProposalFactory(topic=w.topic, author=person)
        for _ in range(2):
            peer = w.person()
            WriteupFactory(topic=w.topic, author=peer, published=True)
            services.endorsement_create(writeup=writeup, endorser=peer,
                                        statement="It moved the question a long way forward.")
        services.recognition_record(topic=w.topic, moderator=moderator, person=person,
                                    work_title="A book", work_url="https://example.org/b",
                                    reason="Known for it.")


def grow_my_work(w, n):
    """Alice's claims (released), drafts and published writeups, suggestions, pending owner
    and co-author invitations, proposals she wrote, co-authors and owns, her public and
    private interest, endorsements she gave and received (two on each of her writeups, so
    each recognises her) and a moderator's recognition of her (her track record and "My
    work")."""
    for _ in range(n):
        topic = TopicFactory(cluster=w.cluster)
        claim = ClaimFactory(topic=topic, person=w.alice)
        services.claim_release(claim=claim, actor=w.alice)
        WriteupFactory(topic=topic, author=w.alice)
        published = WriteupFactory(topic=topic, author=w.alice, published=True)
        ProposalFactory(topic=topic, author=w.alice)
        ProposalFactory(topic=topic, co_authors=[w.alice])
        owned = ProposalFactory(topic=topic)
        _advance(owned, owned.author, w.alice, "owner")
        FunderInterestFactory(topic=topic, funder=w.alice, visibility="private")
        FunderInterestFactory(topic=None, proposal=owned, funder=w.alice)
        services.topic_suggest(person=w.alice, title=f"Idea {topic.pk}", cluster=w.cluster,
                               reason="It matters.")
        author = w.person()
        proposal = ProposalFactory(topic=topic, author=author)
        proposal_services.proposal_move(proposal=proposal, to="proposal", actor=author)
        proposal_services.owner_invite(proposal=proposal, invitee=w.alice, actor=author)
        proposal_services.proposal_create(topic=topic, author=author, title=f"Co {topic.pk}",
                                          co_authors=[w.alice])
        # Published work in the cluster gives each peer standing to endorse, and alice hers.
        peer = w.person()
        theirs = WriteupFactory(topic=topic, author=author, published=True)
        WriteupFactory(topic=topic, author=peer, published=True)
        services.endorsement_create(writeup=theirs, endorser=w.alice,
                                    statement="It moved the question a long way forward.")
        for endorser in (author, peer):
            services.endorsement_create(writeup=published, endorser=endorser,
                                        statement="Her writeup settled the open question for good.")
        services.recognition_record(topic=topic, moderator=w.mod, person=w.alice,
                                    work_title="A book", work_url="https://example.org/b",
                                    reason="Known for it.")


def grow_board(w, n):
    """Proposals at every stage, with co-authors, related topics and supporting writeups."""
    stages = ["owner", "analysis", "proposal", "adopted", "withdrawn"]
    for i in range(n):
        author, co_author, owner = w.person(), w.person(), w.person()
        proposal = ProposalFactory(topic=w.topic, author=author, co_authors=[co_author],
                                   related_topics=[TopicFactory(cluster=w.cluster)],
                                   supporting_writeups=[w.writeup])
        _advance(proposal, author, owner, stages[i % len(stages)])


def _advance(proposal, author, owner, stage):
    if stage == "analysis":
        return
    if stage == "withdrawn":
        proposal_services.proposal_move(proposal=proposal, to="withdrawn", actor=author,
                                        reason="other")
        return
    proposal_services.proposal_move(proposal=proposal, to="proposal", actor=author)
    if stage == "proposal":
        return
    invitation = proposal_services.owner_invite(proposal=proposal, invitee=owner, actor=author)
    proposal_services.owner_invitation_accept(invitation=invitation, actor=owner)
    proposal.refresh_from_db()
    if stage == "adopted":
        proposal_services.proposal_move(proposal=proposal, to="adopted", actor=owner,
                                        note="Done.")


def grow_proposal_history(w, n):
    """The one proposal: moves back and forth, more co-authors (each invited, and each but
    the newest accepting), related topics, writeups (the newest ones, up to each list's cap in
    registry.core.limits)."""
    proposal = w.proposal
    newest = {name: -limits.max_items("proposal", name)
              for name in ("co_authors", "related_topics", "supporting_writeups")}
    for _ in range(n):
        proposal_services.proposal_move(proposal=proposal, to="proposal", actor=w.alice)
        proposal_services.proposal_move(proposal=proposal, to="analysis", actor=w.alice)
        writeup = WriteupFactory(topic=w.topic, published=True)
        invitees = selectors.co_author_invitees(proposal)
        if invitees:
            proposal = co_authors_accept(proposal, invitees)
        proposal = proposal_services.proposal_update(
            proposal=proposal, actor=w.alice,
            co_authors=[*proposal.co_authors.all(), w.person()][newest["co_authors"]:],
            related_topics=[*proposal.related_topics.all(), TopicFactory(cluster=w.cluster)][
                newest["related_topics"]:],
            supporting_writeups=[*proposal.supporting_writeups.all(), writeup][
                newest["supporting_writeups"]:])
    w.proposal = proposal


def grow_gaps(w, n):
    """Gaps (released claims, interest) and topics at risk (every claim quiet for long)."""
    long_ago = timezone.now() - datetime.timedelta(days=160)
    for _ in range(n):
        gap = TopicFactory(cluster=w.cluster)
        person = w.person()
        services.claim_release(claim=ClaimFactory(topic=gap, person=person), actor=person)
        FunderInterestFactory(topic=gap, funder=w.alice)
        ClaimFactory(topic=TopicFactory(cluster=w.cluster), now=long_ago)


def grow_search(w, n):
    """Published writeups, topics and proposals that match "alpha"."""
    for i in range(n):
        WriteupFactory(topic=w.topic, published=True, title=f"Alpha finding {i}")
        topic = TopicFactory(cluster=w.cluster, title=f"Alpha topic {i}")
        search_entry_update(kind="topic", obj=topic)
        ProposalFactory(topic=w.topic, title=f"Alpha plan {i}")


def grow_notifications(w, n):
    """Notifications for alice: she follows the topic and others claim it."""
    notification_services.follow_create(person=w.alice, topic=w.topic)
    for _ in range(n):
        ClaimFactory(topic=w.topic, person=w.person())


def grow_versions(w, n):
    for i in range(n):
        w.writeup = services.writeup_update(writeup=w.writeup, editor=w.alice,
                                            body=f"Edit number {i}.")


def grow_suggestions(w, n):
    for i in range(n):
        services.topic_suggest(person=w.person(), title=f"Suggestion {i}", cluster=w.cluster,
                               reason="Nobody covers it.")


def grow_interest(w, n):
    for _ in range(n):
        funder = FunderFactory(username=f"f{w.made}")
        w.made += 1
        FunderInterestFactory(topic=w.topic, funder=funder, visibility="private")
        FunderInterestFactory(topic=None, proposal=w.proposal, funder=funder)


def grow_clusters(w, n):
    for _ in range(n):
        cluster = ClusterFactory()
        TopicFactory(cluster=cluster)
        discovery_services.alert_subscribe(funder=w.alice, cluster=cluster)


def grow_comments(w, n):
    """The discussion of the one writeup and the one proposal: for each row someone new
    comments on both, naming alice (the proposal's about its ask), and alice replies; every
    third of her replies is hidden by a moderator and every fourth proposal comment deleted
    (the first of each, so one row has every kind); alice's first comment is
    edited once more (its versions), and she comments on a new writeup of the topic (one
    more discussion she follows)."""
    from registry.feedback.services import comments as comment_services
    from registry.moderation.services import content_hide

    if not hasattr(w, "comment"):
        w.comment = CommentFactory(target=w.writeup, author=w.alice, body="Mine, @mod.")
    for i in range(n):
        person = w.person()
        comment = CommentFactory(target=w.writeup, author=person, body=f"Point {i}, @alice?")
        reply = CommentFactory(target=w.writeup, author=w.alice, parent=comment, body="Yes.")
        on_proposal = CommentFactory(target=w.proposal, author=person, aspect="ask",
                                     body=f"Ask {i}, @alice?")
        if i % 3 == 0:
            content_hide(moderator=w.mod, target_type="comment", obj=reply, reason="Rude.")
        if i % 4 == 0:
            comment_services.comment_delete(comment=on_proposal, actor=person)
        w.comment = comment_services.comment_update(comment=w.comment, editor=w.alice,
                                                    body=f"Mine, edit {i}, @{person.username}")
        CommentFactory(target=WriteupFactory(topic=w.topic, published=True), author=w.alice)


def grow_reviews(w, n):
    """Reviews of alice's draft and of her proposal in analysis: for each, a reviewer who
    accepted and comments (on a paragraph, on the whole; every other comment resolved, and
    one left on an earlier version by an edit), a person asked who has not answered, and
    people to suggest (recognised on the topic, published in the cluster); the moderator
    reviews the draft too. Alice is asked to review others' drafts (My reviews)."""
    from registry.feedback import anchors
    from registry.feedback.services import reviews

    if not hasattr(w, "draft"):
        w.draft = WriteupFactory(topic=w.topic, author=w.alice, title="Alpha draft",
                                 body="Intro.\n\nThe claim.\n\n- a step")
        asked = reviews.review_request_create(target=w.draft, reviewer=w.mod, actor=w.alice)
        reviews.review_request_accept(review_request=asked, actor=w.mod)
    for i in range(n):
        for target in (w.draft, w.proposal):
            reviewer = w.person()
            asked = reviews.review_request_create(target=target, reviewer=reviewer,
                                                  actor=w.alice)
            reviews.review_request_accept(review_request=asked, actor=reviewer)
            html = target.body_html if target is w.draft else target.analysis_html
            anchor = anchors.blocks(html)[0].anchor
            for on in (anchor, ""):
                comment = reviews.review_comment_create(review_request=asked, actor=reviewer,
                                                        body=f"Point {i}.", anchor=on)
            if i % 2:
                reviews.review_comment_resolve(comment=comment, actor=w.alice)
            reviews.review_request_create(target=target, reviewer=w.person(), actor=w.alice)
        services.recognition_record(topic=w.topic, moderator=w.mod, person=w.person(),
                                    work_title="A book", work_url="https://example.org/b",
                                    reason="Known for it.")
        WriteupFactory(topic=TopicFactory(cluster=w.cluster), author=w.person(), published=True)
        theirs = WriteupFactory(topic=w.topic, author=w.person())
        for state in ("pending", "accepted"):
            asked = reviews.review_request_create(target=theirs, reviewer=w.alice,
                                                  actor=theirs.author)
            if state == "accepted":
                reviews.review_request_accept(review_request=asked, actor=w.alice)
                break
            theirs = WriteupFactory(topic=w.topic, author=w.person())
    if n == 1:  # a comment on a paragraph the next version rewrites
        w.draft = services.writeup_update(writeup=w.draft, editor=w.alice,
                                          body="Intro, rewritten.\n\nThe claim.\n\n- a step")


# --- Cases ----------------------------------------------------------------------------------

ANON, ALICE, MOD, API = "anonymous", "alice", "mod", "api"

# The rows a group grows → every page (HTML, as a visitor or signed in) and API list (with
# alice's token) that lists them: (name, URL, who asks).
GROUPS = {
    "topics": (grow_topics, [
        ("home", lambda w: "/", ALICE),
        ("home anonymous", lambda w: "/", ANON),
        ("about", lambda w: "/about/", ALICE),
        ("topic suggest form", lambda w: "/topics/suggest/", ALICE),
        ("sign up", lambda w: "/accounts/sign-up/", ANON),
        ("log in", lambda w: "/accounts/login/", ANON),
        ("map", lambda w: "/map/", ALICE),
        ("map svg", lambda w: "/map.svg", ALICE),
        ("export topics", lambda w: "/export/topics.csv", ANON),
        ("api topics", lambda w: "/api/v1/topics/", API),
        ("cluster", lambda w: f"/clusters/{w.cluster.slug}/", ALICE),
        ("cluster gaps", lambda w: f"/clusters/{w.cluster.slug}/?status=gap&page=2", ALICE),
    ]),
    "topic work": (grow_topic_work, [
        ("topic", lambda w: f"/topics/{w.topic.slug}/", ALICE),
        ("topic anonymous", lambda w: f"/topics/{w.topic.slug}/", ANON),
        ("writeup form", lambda w: f"/topics/{w.topic.slug}/writeups/new/", ALICE),
        ("claim release", lambda w: f"/claims/{w.claim.pk}/release/", ALICE),
        ("claim renew", lambda w: f"/claims/{w.claim.pk}/renew/", ALICE),
        ("api claims", lambda w: "/api/v1/claims/", API),
        ("experts", lambda w: "/experts/", ALICE),
        ("api experts", lambda w: "/api/v1/experts/", API),
        ("api recognitions", lambda w: "/api/v1/recognitions/", API),
        ("api endorsements", lambda w: "/api/v1/endorsements/", API),
    ]),
    "my work": (grow_my_work, [
        ("my work", lambda w: "/me/", ALICE),
        ("profile", lambda w: "/people/alice/", ALICE),
        ("profile as moderator", lambda w: "/people/alice/", MOD),
        ("profile anonymous", lambda w: "/people/alice/", ANON),
        ("api track record", lambda w: "/api/v1/people/alice/track-record/", API),
        ("profile edit", lambda w: "/me/profile/", ALICE),
        ("api owner invitations", lambda w: "/api/v1/owner-invitations/", API),
        ("api co-author invitations", lambda w: "/api/v1/co-author-invitations/", API),
    ]),
    "suggestions": (grow_suggestions, [
        ("suggestions queue", lambda w: "/topics/suggestions/", MOD),
    ]),
    "versions": (grow_versions, [
        ("writeup", lambda w: f"/writeups/{w.writeup.pk}/", ALICE),
        ("writeup edit", lambda w: f"/writeups/{w.writeup.pk}/edit/", ALICE),
        ("writeup version", lambda w: f"/writeups/{w.writeup.pk}/versions/1/", ALICE),
        ("api writeup versions", lambda w: f"/api/v1/writeups/{w.writeup.pk}/versions/",
         API),
    ]),
    "gaps": (grow_gaps, [
        ("gaps", lambda w: "/gaps/", ALICE),
        ("feed gaps", lambda w: "/feeds/gaps/", ANON),
        ("api gaps", lambda w: "/api/v1/gaps/", API),
        ("api at risk", lambda w: "/api/v1/gaps/at-risk/", API),
    ]),
    "search": (grow_search, [
        ("search", lambda w: "/search/?q=alpha", ALICE),
        ("feed writeups", lambda w: "/feeds/writeups/", ANON),
        ("feed topic writeups", lambda w: f"/feeds/writeups/topic/{w.topic.slug}/", ANON),
        ("feed cluster writeups", lambda w: f"/feeds/writeups/cluster/{w.cluster.slug}/",
         ANON),
        ("export writeups", lambda w: "/export/writeups.json", ANON),
        ("api writeups", lambda w: "/api/v1/writeups/", API),
        ("api search", lambda w: "/api/v1/search/?q=alpha", API),
    ]),
    "interest": (grow_interest, [
        ("topic interest", lambda w: f"/topics/{w.topic.slug}/interest/", ALICE),
        ("proposal interest", lambda w: f"/proposals/{w.proposal.pk}/interest/", ALICE),
        ("api topic interest", lambda w: f"/api/v1/topics/{w.topic.slug}/interest/", API),
        ("api proposal interest", lambda w: f"/api/v1/proposals/{w.proposal.pk}/interest/",
         API),
    ]),
    "clusters": (grow_clusters, [
        ("funder alerts", lambda w: "/me/alerts/", ALICE),
        ("api clusters", lambda w: "/api/v1/clusters/", API),
        ("api funder alerts", lambda w: "/api/v1/me/funder-alerts/", API),
    ]),
    "notifications": (grow_notifications, [
        ("notifications inbox", lambda w: "/me/notifications/", ALICE),
        ("notification settings", lambda w: "/me/notifications/settings/", ALICE),
        ("api notifications", lambda w: "/api/v1/notifications/", API),
    ]),
    "board": (grow_board, [
        ("board", lambda w: "/proposals/", ALICE),
        ("board with closed", lambda w: "/proposals/?closed=on", ALICE),
        ("board stage list", lambda w: "/proposals/?stage=owner&page=2", ALICE),
        ("board filtered stage list", lambda w: "/proposals/?stage=owner&cluster=compute"
                                                "&topic=gpu-logging&target=lab", ALICE),
        ("proposal form", lambda w: "/proposals/new/", ALICE),
        ("feed proposal stages", lambda w: "/feeds/proposals/stages/", ANON),
        ("export proposals", lambda w: "/export/proposals.csv", ANON),
        ("api proposals", lambda w: "/api/v1/proposals/", API),
        ("api proposals at owner", lambda w: "/api/v1/proposals/?stage=owner", API),
    ]),
    "comments": (grow_comments, [
        ("writeup", lambda w: f"/writeups/{w.writeup.pk}/", ALICE),
        ("writeup anonymous", lambda w: f"/writeups/{w.writeup.pk}/", ANON),
        ("writeup as moderator", lambda w: f"/writeups/{w.writeup.pk}/", MOD),
        ("proposal", lambda w: f"/proposals/{w.proposal.pk}/", ALICE),
        ("proposal by aspect", lambda w: f"/proposals/{w.proposal.pk}/?aspect=ask", ANON),
        ("comment versions", lambda w: f"/comments/{w.comment.pk}/versions/", ALICE),
        ("comment edit", lambda w: f"/comments/{w.comment.pk}/edit/", ALICE),
        ("reply form", lambda w: f"/writeups/{w.writeup.pk}/comments/?parent={w.comment.pk}",
         ALICE),
        ("topic", lambda w: f"/topics/{w.topic.slug}/", ALICE),
        ("board", lambda w: "/proposals/", ALICE),
        ("notifications inbox", lambda w: "/me/notifications/", ALICE),
        ("notification settings", lambda w: "/me/notifications/settings/", ALICE),
        ("api writeup comments", lambda w: f"/api/v1/writeups/{w.writeup.pk}/comments/", API),
        ("api proposal comments", lambda w: f"/api/v1/proposals/{w.proposal.pk}/comments/",
         API),
        ("api comment versions", lambda w: f"/api/v1/comments/{w.comment.pk}/versions/", API),
        ("api my mentions", lambda w: "/api/v1/me/mentions/", API),
        ("api writeups", lambda w: "/api/v1/writeups/", API),
        ("api notifications", lambda w: "/api/v1/notifications/", API),
    ]),
    "reviews": (grow_reviews, [
        ("draft", lambda w: f"/writeups/{w.draft.pk}/", ALICE),
        ("draft as reviewer", lambda w: f"/writeups/{w.draft.pk}/", MOD),
        ("draft version as reviewer", lambda w: f"/writeups/{w.draft.pk}/versions/1/", MOD),
        ("proposal", lambda w: f"/proposals/{w.proposal.pk}/", ALICE),
        ("review page", lambda w: f"/reviews/writeup/{w.draft.pk}/", ALICE),
        ("review page as reviewer", lambda w: f"/reviews/writeup/{w.draft.pk}/", MOD),
        ("proposal review page", lambda w: f"/reviews/proposal/{w.proposal.pk}/", ALICE),
        ("invite search", lambda w: f"/reviews/writeup/{w.draft.pk}/invite/?reviewer_q=p",
         ALICE),
        ("my work", lambda w: "/me/", ALICE),
        ("api review requests", lambda w: "/api/v1/review-requests/", API),
        ("api review comments", lambda w: f"/api/v1/review-comments/?writeup={w.draft.pk}",
         API),
        ("api review suggestions",
         lambda w: f"/api/v1/review-suggestions/?proposal={w.proposal.pk}", API),
        ("api review blocks", lambda w: f"/api/v1/review-blocks/?writeup={w.draft.pk}", API),
    ]),
    "proposal history": (grow_proposal_history, [
        ("proposal", lambda w: f"/proposals/{w.proposal.pk}/", ALICE),
        ("proposal edit", lambda w: f"/proposals/{w.proposal.pk}/edit/", ALICE),
        ("api proposal events", lambda w: f"/api/v1/proposals/{w.proposal.pk}/events/",
         API),
    ]),
}


def _client(w, who):
    if who == API:
        client = APIClient()
        # A fresh user object each time: permission checks cache their answer on it.
        client.force_authenticate(get_user_model().objects.get(pk=w.alice.pk))
        return client
    client = Client()
    if who != ANON:
        client.force_login(w.alice if who == ALICE else w.mod)
    return client


def _queries(w, url, who) -> int:
    client = _client(w, who)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


def _counts(w, cases) -> dict[str, int]:
    return {name: _queries(w, url(w), who) for name, url, who in cases}


@pytest.mark.parametrize("group", GROUPS)
def test_query_count_same_for_1_and_50_rows_within_budget(world, group):
    grow, cases = GROUPS[group]
    grow(world, 1)
    one = _counts(world, cases)
    grow(world, 49)
    fifty = _counts(world, cases)
    budgets = {name: PAGE_BUDGETS.get(name, API_BUDGET if who == API else HTML_BUDGET)
               for name, _, who in cases}
    over = {name: (one[name], fifty[name]) for name in one
            if one[name] != fifty[name] or fifty[name] > budgets[name]}
    assert over == {}, "(queries with 1 row, with 50) where they grow or pass the budget"


def test_grow_helpers_make_the_rows_the_pages_list(world):
    """The budgets above mean something only if the rows are really there."""
    grow_topic_work(world, 3)
    grow_board(world, 1)
    assert world.topic.claims.filter(state="active").count() == 4  # alice's and three more
    assert Topic.objects.get(pk=world.topic.pk).proposals.filter(stage="owner").count() == 1
    grow_my_work(world, 2)
    grow_proposal_history(world, 3)
    assert selectors.pending_invitations_for(world.alice, CoAuthorInvitation).count() == 2
    assert (world.proposal.co_authors.count(),
            len(selectors.co_author_invitees(world.proposal))) == (2, 1)
    alice = world.alice
    assert (track_records.claims(alice, alice).count(),
            track_records.writeups(alice, alice).count(),
            track_records.funder_interests(alice, alice, with_private=True).count()) == (3, 3, 4)
    assert (registry_selectors.endorsements_given(alice).count(),
            registry_selectors.endorsements_received(alice).count(),
            registry_selectors.person_recognitions(alice).count()) == (2, 4, 4)
    assert sorted(tuple(track_records.proposal_roles(proposal))
                  for proposal in track_records.proposals(alice, alice)) == [
        ("author",), ("author",), ("author",), ("co-author",), ("co-author",), ("owner",),
        ("owner",)]
