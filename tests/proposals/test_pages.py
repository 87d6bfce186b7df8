"""Server-rendered pages: board, proposal page, forms, invitations, admin."""

import datetime
import re

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from proposals import selectors, services
from proposals.models import OwnerInvitation, Proposal, ProposalEvent, Stage
from registry.moderation.services import content_hide
from tests.factories import ClusterFactory, ProposalFactory, TopicFactory, UserFactory
from tests.feedback.review_factories import without_review_panel
from tests.proposals.conftest import move_to


def buttons(response) -> list[str]:
    html = response.content.decode()
    # Only <main>: the header's "Log out" and the footer's language switcher are not these.
    main = without_review_panel(html[html.index("<main"):html.index("</main>")])
    labels = re.findall(r'<button type="submit"[^>]*>([^<]+)</button>', main)
    # Everyone signed in may follow, report and comment; these tests are about the stage and
    # invitation buttons.
    return [label for label in labels
            if label not in ("Follow", "Unfollow", "Send the report", "Post the comment")]


def _cards(response) -> dict[str, list]:
    return {stage: column["cards"] for stage, column in response.context["columns"].items()}


def _counts(response) -> dict[str, int]:
    return {stage: column["count"] for stage, column in response.context["columns"].items()}


def _moved(proposal, days_ago):
    """Set when `proposal` last changed stage, so the newest-first order is known."""
    Proposal.objects.filter(pk=proposal.pk).update(
        stage_changed_at=timezone.now() - datetime.timedelta(days=days_ago))
    return proposal


@pytest.fixture
def two_per_column(monkeypatch):
    monkeypatch.setattr(selectors, "BOARD_CARDS_PER_COLUMN", 2)


def test_board_shows_open_columns_and_hides_closed(client, alice):
    open_one = ProposalFactory(author=alice, title="Open one")
    closed = ProposalFactory(author=alice, title="Closed one")
    services.proposal_move(proposal=closed, to=Stage.WITHDRAWN, actor=alice, reason="other")

    response = client.get("/proposals/")

    assert _cards(response) == {"analysis": [open_one], "proposal": [], "owner": []}
    assert _counts(response) == {"analysis": 1, "proposal": 0, "owner": 0}
    assert "Closed one" not in response.content.decode()
    shown = client.get("/proposals/?closed=on")
    assert _cards(shown) == {"analysis": [open_one], "proposal": [], "owner": [],
                             "closed": [closed]}


def test_board_closed_column_merges_adopted_and_withdrawn_newest_first(client, alice, dave,
                                                                       two_per_column):
    adopted = _moved(move_to(ProposalFactory(author=alice), Stage.ADOPTED, owner=dave), 1)
    withdrawn = [_moved(move_to(ProposalFactory(author=alice), Stage.WITHDRAWN), days)
                 for days in (2, 3)]

    response = client.get("/proposals/?closed=on")

    assert _cards(response)["closed"] == [adopted, withdrawn[0]]
    assert _counts(response)["closed"] == 3


def test_board_filters_by_cluster_topic_and_target(client, alice):
    cluster = ClusterFactory(slug="compute")
    topic = TopicFactory(slug="chips", cluster=cluster)
    match = ProposalFactory(author=alice, topic=topic, target="NIST")
    ProposalFactory(author=alice, target="A lab")

    for query in ("?cluster=compute", "?topic=chips", "?target=nis"):
        response = client.get("/proposals/" + query)
        assert (_cards(response)["analysis"], _counts(response)["analysis"]) == ([match], 1)
        listed = client.get("/proposals/" + query + "&stage=analysis").context["page"]
        assert (list(listed), listed.paginator.count) == ([match], 1)


def test_board_column_shows_most_recently_moved_and_links_to_all(client, alice,
                                                                 two_per_column):
    oldest, newest, middle = (_moved(ProposalFactory(author=alice), days)
                              for days in (3, 1, 2))

    response = client.get("/proposals/?target=lab")

    assert _cards(response)["analysis"] == [newest, middle]
    assert _counts(response)["analysis"] == 3
    assert ('<a href="?target=lab&amp;stage=analysis">Show all 3 analysis</a>'
            in response.content.decode())
    assert oldest not in _cards(response)["analysis"]


def test_board_column_without_more_cards_has_no_show_all_link(client, alice):
    ProposalFactory(author=alice)
    assert "Show all" not in client.get("/proposals/").content.decode()


def test_board_stage_list_pages_through_the_whole_column(client, alice, two_per_column):
    oldest, newest, middle = (_moved(ProposalFactory(author=alice), days)
                              for days in (3, 1, 2))
    services.proposal_move(proposal=ProposalFactory(author=alice), to=Stage.PROPOSAL,
                           actor=alice)

    first = client.get("/proposals/?target=lab&stage=analysis")
    second = client.get("/proposals/?target=lab&stage=analysis&page=2")

    assert (list(first.context["page"]), list(second.context["page"])) == (
        [newest, middle], [oldest])
    assert first.context["page"].paginator.count == 3
    assert ('<a href="?target=lab&amp;stage=analysis&amp;page=2" rel="next">Next</a>'
            in first.content.decode())
    assert '<a href="?target=lab">Back to all columns</a>' in first.content.decode()


def test_board_stage_list_of_closed_shows_adopted_and_withdrawn(client, alice, dave):
    adopted = _moved(move_to(ProposalFactory(author=alice), Stage.ADOPTED, owner=dave), 1)
    withdrawn = _moved(move_to(ProposalFactory(author=alice), Stage.WITHDRAWN), 2)
    ProposalFactory(author=alice)

    page = client.get("/proposals/?stage=closed").context["page"]

    assert list(page) == [adopted, withdrawn]


def test_board_leaves_hidden_out_of_cards_counts_and_lists(client, alice, moderator):
    shown = ProposalFactory(author=alice)
    hidden = ProposalFactory(author=alice)
    content_hide(moderator=moderator, target_type="proposal", obj=hidden, reason="Spam.")
    client.force_login(moderator)

    response = client.get("/proposals/")

    assert (_cards(response)["analysis"], _counts(response)["analysis"]) == ([shown], 1)
    assert list(client.get("/proposals/?stage=analysis").context["page"]) == [shown]


def _board_queries(client, url="/proposals/"):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/proposals/", "/proposals/?closed=on",
                                 "/proposals/?stage=analysis", "/proposals/?stage=closed"])
def test_board_query_count_is_flat(client, alice, dave, url, two_per_column):
    first = ProposalFactory(author=alice)
    services.proposal_move(proposal=first, to=Stage.PROPOSAL, actor=alice)
    invitation = services.owner_invite(proposal=first, invitee=dave, actor=alice)
    services.owner_invitation_accept(invitation=invitation, actor=dave)
    ProposalFactory(author=alice)
    move_to(ProposalFactory(author=alice), Stage.WITHDRAWN)
    one = _board_queries(client, url)
    for _ in range(4):
        move_to(ProposalFactory(author=UserFactory()), Stage.WITHDRAWN)
        ProposalFactory(author=UserFactory())
    assert _board_queries(client, url) == one


def test_detail_shows_gate_checklist_with_missing_parts(client, alice):
    proposal = ProposalFactory(author=alice, ask="", steps=[])
    response = client.get(proposal.get_absolute_url())
    assert response.context["gate"] == [
        ("ask", "A concrete ask, in one or two sentences", False),
        ("target", "A target: who is being asked", True),
        ("steps", "At least one step", False),
    ]
    assert "What's blocking the proposal stage" in response.content.decode()


@pytest.mark.parametrize(("who", "expected"), [
    ("alice", ["Move to proposal", "Yes, withdraw this proposal"]),
    ("bob", ["Yes, leave as co-author", "Move to proposal", "Yes, withdraw this proposal"]),
    ("moderator", ["Move to proposal", "Yes, withdraw this proposal"]),
    ("charlie", []),
    (None, []),
])
def test_detail_shows_only_the_buttons_the_person_may_use(who, expected, client, proposal,
                                                          request):
    if who:
        client.force_login(request.getfixturevalue(who))
    assert buttons(client.get(proposal.get_absolute_url())) == expected


def test_detail_owner_stage_buttons_for_owner(client, at_stage, dave):
    proposal = at_stage(Stage.OWNER)
    client.force_login(dave)
    assert buttons(client.get(proposal.get_absolute_url())) == [
        "Yes, step down as owner", "Mark as adopted"]


def test_detail_shows_owner_affiliation_and_disclosure(client, at_stage, dave):
    dave.profile.affiliation = "Standards Institute"
    dave.profile.conflict_of_interest = "Paid adviser to the target."
    dave.profile.save()
    html = client.get(at_stage(Stage.OWNER).get_absolute_url()).content.decode()
    assert "Standards Institute" in html
    assert "Conflict-of-interest disclosure:</strong> Paid adviser to the target." in html


def test_detail_escapes_ask_and_steps(client, alice):
    proposal = ProposalFactory(author=alice, ask="<script>x()</script>", steps=["<b>bold</b>"])
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert "<script>x()" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_create_page_needs_login(client, db):
    response = client.get("/proposals/new/")
    assert (response.status_code, response["Location"]) == (
        302, "/accounts/login/?next=/proposals/new/")


def test_create_page_keeps_input_and_shows_errors(client, alice):
    TopicFactory(slug="chips")
    client.force_login(alice)
    response = client.post("/proposals/new/", {"title": "", "topic": "chips",
                                               "ask": "Keep this ask.", "co_authors": "ghost"})
    html = response.content.decode()
    assert response.status_code == 400  # refused fields: 400, the form shown again
    assert response.context["form"].errors == {
        "title": ["This field is required."], "co_authors": ["No such people: ghost."]}
    assert "Keep this ask." in html


def test_create_page_creates_in_analysis_and_invites_the_co_authors(client, alice, bob):
    TopicFactory(slug="chips")
    client.force_login(alice)
    response = client.post("/proposals/new/", {
        "title": "Chip registry", "topic": "chips", "co_authors": "bob",
        "steps": "First step\n\n  Second step  \n", "ask": "Keep a registry."})
    proposal = Proposal.objects.get()
    assert response["Location"] == proposal.get_absolute_url()
    assert (proposal.stage, proposal.steps, list(proposal.co_authors.all()),
            selectors.co_author_invitees(proposal)) == (
        Stage.ANALYSIS, ["First step", "Second step"], [], [bob])


def test_edit_page_reorders_steps(client, proposal, alice):
    client.force_login(alice)
    data = {**_form_data(proposal), "steps": "Send it to the lab\nDraft the checklist"}
    client.post(f"/proposals/{proposal.pk}/edit/", data)
    assert Proposal.objects.get(pk=proposal.pk).steps == [
        "Send it to the lab", "Draft the checklist"]


def _form_data(proposal):
    return {"title": proposal.title, "topic": proposal.topic.slug, "ask": proposal.ask,
            "target": proposal.target, "steps": "\n".join(proposal.steps),
            "version": proposal.version}


def test_edit_page_with_stale_version_shows_error_and_keeps_input(client, proposal, alice,
                                                                   bob):
    services.proposal_update(proposal=proposal, actor=bob, title="Bob's title")
    client.force_login(alice)
    data = {**_form_data(proposal), "version": 1, "title": "Alice's title"}
    response = client.post(f"/proposals/{proposal.pk}/edit/", data)
    assert response.context["form"].non_field_errors() == [
        "Someone changed this since you loaded it. Reload to see their change, then apply "
        "yours.",
        "Save again to replace their change with yours, or open the page anew to see it first "
        "(what you typed here is then lost)."]
    assert "Alice&#x27;s title" in response.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).title == "Bob's title"


def test_edit_page_forbidden_for_outsider(client, proposal, charlie):
    client.force_login(charlie)
    assert client.get(f"/proposals/{proposal.pk}/edit/").status_code == 403


def test_move_page_gate_failure_shows_missing(client, alice):
    proposal = ProposalFactory(author=alice, target="")
    client.force_login(alice)
    response = client.post(f"/proposals/{proposal.pk}/move/proposal/")
    assert response.status_code == 409
    assert "missing: target." in response.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).stage == Stage.ANALYSIS


def test_move_page_withdraw_keeps_note_when_reason_missing(client, proposal, alice):
    client.force_login(alice)
    response = client.post(f"/proposals/{proposal.pk}/move/withdrawn/",
                           {"withdrawn-note": "Typed note", "confirm": "yes"})
    assert response.status_code == 400
    assert "Typed note" in response.content.decode()
    assert "Choose a reason for withdrawing." in response.content.decode()


def test_move_page_author_cannot_reach_owner(client, at_stage, alice, dave):
    proposal = at_stage(Stage.PROPOSAL)
    services.owner_invite(proposal=proposal, invitee=dave, actor=alice)
    client.force_login(alice)
    response = client.post(f"/proposals/{proposal.pk}/move/owner/")
    assert response.status_code == 403
    assert Proposal.objects.get(pk=proposal.pk).stage == Stage.PROPOSAL


def test_invitation_flow_on_pages(client, at_stage, alice, dave):
    proposal = at_stage(Stage.PROPOSAL)
    client.force_login(alice)
    client.post(f"/proposals/{proposal.pk}/invite-owner/", {"username": "dave"})
    invitation = OwnerInvitation.objects.get()
    assert buttons(client.get(proposal.get_absolute_url())) == [
        "Yes, withdraw the invitation", "Move back to analysis", "Yes, withdraw this proposal"]

    client.force_login(dave)
    assert buttons(client.get(proposal.get_absolute_url())) == [
        "Accept and become owner", "Decline"]
    client.post(f"/proposals/invitations/{invitation.pk}/accept/")

    stored = Proposal.objects.get(pk=proposal.pk)
    assert (stored.stage, stored.owner) == (Stage.OWNER, dave)


def test_invite_page_unknown_user_shows_error(client, at_stage, alice):
    proposal = at_stage(Stage.PROPOSAL)
    client.force_login(alice)
    response = client.post(f"/proposals/{proposal.pk}/invite-owner/", {"username": "ghost"})
    assert response.status_code == 400
    assert response.context["invite_form"].errors == {
        "username": ["Nobody is called “ghost”. Type their name as it is on their profile, or "
                     "their username."]}


def test_invitation_hidden_from_outsider(client, at_stage, alice, dave, charlie):
    proposal = at_stage(Stage.PROPOSAL)
    invitation = services.owner_invite(proposal=proposal, invitee=dave, actor=alice)
    client.force_login(charlie)
    assert "Invitation pending" not in client.get(proposal.get_absolute_url()).content.decode()
    response = client.post(f"/proposals/invitations/{invitation.pk}/accept/")
    assert response.status_code == 404


def test_admin_cannot_change_stage(client, at_stage, alice, dave):
    proposal = at_stage(Stage.PROPOSAL)
    services.owner_invite(proposal=proposal, invitee=dave, actor=alice)
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(f"/admin/proposals/proposal/{proposal.pk}/change/",
                           {"stage": "owner", "owner": dave.pk, "title": "x"})
    assert response.status_code == 403
    assert Proposal.objects.get(pk=proposal.pk).stage == Stage.PROPOSAL


def test_admin_is_closed_to_the_author(client, proposal, alice):
    client.force_login(alice)
    response = client.get(f"/admin/proposals/proposal/{proposal.pk}/change/")
    assert response.status_code == 302


def test_admin_withdraw_action_goes_through_the_service(client, at_stage, alice, dave):
    proposal = at_stage(Stage.PROPOSAL)
    invitation = services.owner_invite(proposal=proposal, invitee=dave, actor=alice)
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    client.post("/admin/proposals/ownerinvitation/",
                {"action": "withdraw_selected", "_selected_action": [invitation.pk]})
    invitation.refresh_from_db()
    last = ProposalEvent.objects.filter(proposal=proposal).last()
    assert invitation.state == OwnerInvitation.State.WITHDRAWN
    assert (last.kind, last.actor, last.note) == (
        ProposalEvent.Kind.INVITATION_WITHDRAWN, admin, "Withdrawn in the admin.")


def test_topic_page_lists_proposals_by_stage(client, alice):
    topic = TopicFactory(slug="chips")
    ProposalFactory(author=alice, topic=topic, title="Still analysing")
    moved = ProposalFactory(author=alice, related_topics=[topic], title="Ready ask")
    services.proposal_move(proposal=moved, to=Stage.PROPOSAL, actor=alice)
    html = client.get("/topics/chips/").content.decode()
    section = html[html.index('id="h-proposals"'):]
    assert re.findall(r"<h3>(\w+)</h3>", section) == ["Analysis", "Proposal"]
    assert section.index("Still analysing") < section.index("Ready ask")


def test_my_owner_invitations_tag_lists_pending_only(at_stage, alice, dave, charlie):
    proposal = at_stage(Stage.PROPOSAL)
    services.owner_invite(proposal=proposal, invitee=dave, actor=alice)
    template = Template("{% load proposal_tags %}{% my_owner_invitations person %}")
    assert proposal.title in template.render(Context({"person": dave}))
    assert "No pending invitations." in template.render(Context({"person": charlie}))


def test_nav_links_to_the_board(client, db):
    assert '<a href="/proposals/">Proposals</a>' in client.get("/").content.decode()


def test_my_work_page_shows_pending_owner_invitation(client, at_stage, alice, dave):
    proposal = at_stage(Stage.PROPOSAL)
    services.owner_invite(proposal=proposal, invitee=dave, actor=alice)
    client.force_login(dave)
    html = client.get("/me/").content.decode()
    section = html[html.index('id="h-owner-invitations"'):html.index('id="h-my-claims"')]
    assert proposal.title in section


def test_board_topic_filter_unknown_name_says_so_and_keeps_it(client, db):
    response = client.get("/proposals/?topic=no-such-topic&target=NIST")

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "topic": ["No listed topic is called “no-such-topic”."]}
    html = response.content.decode()
    assert 'value="no-such-topic"' in html
    assert 'value="NIST"' in html
    assert '<input type="text" name="topic" value="no-such-topic"' in html
    assert '<ul class="errorlist"' in html
    assert "No listed topic is called “no-such-topic”." in html
