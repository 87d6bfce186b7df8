"""The review pages: the panel on a draft and on a proposal, the invite form (suggestions,
search by name, refusals that keep what was typed), a request's page and its buttons, the
review page block by block with its comments and form, "My reviews" on My work, and
"Reviewed by" once it is out."""

import html as html_lib
import re

import pytest
from django.utils import timezone

from proposals import services as proposal_services
from registry import services
from registry.feedback import anchors
from registry.feedback.models import ReviewComment, ReviewRequest
from registry.feedback.services import reviews
from registry.models import Profile
from tests.factories import (
    ClusterFactory,
    ProposalFactory,
    TopicFactory,
    UserFactory,
    WriteupFactory,
)
from tests.feedback.review_factories import ReviewRequestFactory, review_comment

State = ReviewRequest.State
BODY = "# Plan\n\nFirst we measure.\n\n- one step\n- another step\n\nThen we publish."


def html(response) -> str:
    return response.content.decode()


def main(response) -> str:
    return html(response).split("<main", 1)[1].split("</main>", 1)[0]


def text(response) -> str:
    """The main part's words, tags out and white space collapsed."""
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", main(response))).split())


@pytest.fixture
def topic(db):
    return TopicFactory(slug="compute-accounting", title="Compute accounting",
                        cluster=ClusterFactory(slug="compute"))


@pytest.fixture
def draft(alice, topic):
    return WriteupFactory(author=alice, topic=topic, title="Counting chips", body=BODY)


def _anchor(writeup, words):
    return next(b.anchor for b in anchors.blocks(writeup.body_html) if b.text == words)


# --- The draft page -------------------------------------------------------------------------

def test_draft_page_says_who_can_see_it(client, draft, alice, bob):
    client.force_login(alice)
    assert "<strong>draft</strong>, only you can see it</p>" in main(
        client.get(f"/writeups/{draft.pk}/"))

    ReviewRequestFactory(writeup=draft, reviewer=bob)
    assert "<strong>draft</strong>, only you can see it</p>" in main(
        client.get(f"/writeups/{draft.pk}/"))

    reviews.review_request_accept(review_request=ReviewRequest.objects.get(), actor=bob)
    assert "<strong>draft</strong>, only you and your reviewers can see it</p>" in main(
        client.get(f"/writeups/{draft.pk}/"))

    client.force_login(bob)
    page = main(client.get(f"/writeups/{draft.pk}/"))
    assert "<strong>draft</strong>, shared with you for review</p>" in page
    assert "First we measure." in page


@pytest.mark.parametrize(("state", "status"), [
    (State.PENDING, 404), (State.ACCEPTED, 200), (State.DECLINED, 404),
    (State.WITHDRAWN, 404), (State.EXPIRED, 404), (State.FINISHED, 200)])
def test_draft_and_its_versions_are_read_by_accepted_and_finished_reviewers(
        client, draft, bob, state, status):
    ReviewRequestFactory(writeup=draft, reviewer=bob, state=state)
    client.force_login(bob)

    assert client.get(f"/writeups/{draft.pk}/").status_code == status
    assert client.get(f"/writeups/{draft.pk}/versions/1/").status_code == status
    assert client.get(f"/reviews/writeup/{draft.pk}/").status_code == status


def test_reviewer_cannot_edit_publish_or_delete_the_draft(client, draft, bob):
    ReviewRequestFactory(writeup=draft, reviewer=bob, state=State.ACCEPTED)
    client.force_login(bob)

    assert client.get(f"/writeups/{draft.pk}/edit/").status_code == 403
    assert client.post(f"/writeups/{draft.pk}/edit/", {"title": "X", "kind": "plan",
                                                       "body": "b"}).status_code == 403
    assert client.post(f"/writeups/{draft.pk}/publish/").status_code == 403
    assert client.post(f"/writeups/{draft.pk}/delete/").status_code == 403
    draft.refresh_from_db()
    assert (draft.title, draft.published_at, draft.deleted_at) == ("Counting chips", None, None)


def test_reviewer_sees_no_edit_buttons_and_a_finish_form(client, draft, bob):
    ReviewRequestFactory(writeup=draft, reviewer=bob, state=State.ACCEPTED)
    client.force_login(bob)

    page = main(client.get(f"/writeups/{draft.pk}/"))

    assert ">Edit</a>" not in page and ">Publish</button>" not in page
    assert "Name me as a reviewer on the published page" in page
    assert f'href="/reviews/writeup/{draft.pk}/"' in page


# --- The panel and the invite form ----------------------------------------------------------

@pytest.fixture
def experts(topic, alice):
    """dora recognised on the topic, erin published on it, fred published in the cluster."""
    mod = UserFactory(username="mod", is_staff=True)
    dora, erin, fred = (UserFactory(username=name) for name in ("dora", "erin", "fred"))
    services.recognition_record(topic=topic, moderator=mod, person=dora, work_title="A book",
                                work_url="https://example.org/b", reason="Known for it.")
    WriteupFactory(author=erin, topic=topic, published=True)
    WriteupFactory(author=fred, topic=TopicFactory(cluster=topic.cluster, title="Chip export"),
                   published=True)
    WriteupFactory(author=alice, topic=topic, published=True)  # never herself
    return dora, erin, fred


def test_panel_suggests_recognised_then_published_people_saying_why(client, draft, alice,
                                                                    experts):
    client.force_login(alice)

    page = main(client.get(f"/writeups/{draft.pk}/"))

    options = re.findall(r'<option value="(\d*)"[^>]*>([^<]*)</option>', page)
    dora, erin, fred = experts
    assert options == [
        ("", "Choose a person"),
        (str(dora.pk), "Dora, Independent — recognised on Compute accounting"),
        (str(erin.pk), "Erin, Independent — published on Compute accounting"),
        (str(fred.pk), "Fred, Independent — published on Chip export")]


def test_panel_suggestions_leave_out_people_already_asked(client, draft, alice, experts):
    dora, erin, fred = experts
    ReviewRequestFactory(writeup=draft, reviewer=dora, state=State.DECLINED)
    client.force_login(alice)

    page = main(client.get(f"/writeups/{draft.pk}/"))

    assert [label for _, label in re.findall(r'<option value="(\d+)"[^>]*>([^<]*)<', page)] == [
        "Erin, Independent — published on Compute accounting",
        "Fred, Independent — published on Chip export"]
    assert "Dora" in page  # in the list of requests, declined


def test_invite_search_by_name_shows_every_candidate_and_never_guesses(client, draft, alice):
    twins = [UserFactory(username=name) for name in ("jdoe1", "jdoe2")]
    Profile.objects.filter(user__in=twins).update(display_name="Jane Doe")
    UserFactory(username="jdoe3", is_active=False).profile.__class__.objects.filter(
        user__username="jdoe3").update(display_name="Jane Doe")
    client.force_login(alice)

    page = main(client.get(f"/reviews/writeup/{draft.pk}/invite/", {"reviewer_q": "jane"}))

    assert re.findall(r'<option value="(\d+)"[^>]*>([^<]*)<', page) == [
        (str(twins[0].pk), "Jane Doe, Independent (@jdoe1)"),
        (str(twins[1].pk), "Jane Doe, Independent (@jdoe2)")]
    assert page.count('href="/people/jdoe') == 2
    assert 'value="jane"' in page


def test_invite_search_lists_authors_and_people_asked_apart(client, draft, alice, bob):
    ReviewRequestFactory(writeup=draft, reviewer=bob)
    client.force_login(alice)

    assert "Not listed: Alice (an author)." in text(client.get(
        f"/reviews/writeup/{draft.pk}/invite/", {"reviewer_q": "ali"}))
    assert "Not listed: Bob (already asked)." in text(client.get(
        f"/writeups/{draft.pk}/", {"reviewer_q": "bo"}))


def test_invite_search_matches_the_public_name_only(client, draft, alice):
    hidden = UserFactory(username="zed")
    Profile.objects.filter(user=hidden).update(display_name="Secret Name", hidden=True)
    client.force_login(alice)

    assert "Zed" not in text(client.get(f"/reviews/writeup/{draft.pk}/invite/",
                                        {"reviewer_q": "secret"}))
    page = main(client.get(f"/reviews/writeup/{draft.pk}/invite/", {"reviewer_q": "zed"}))
    assert re.findall(r'<option value="(\d+)"[^>]*>([^<]*)<', page) == [(str(hidden.pk), "zed")]


def test_invite_sends_the_request_and_returns_to_the_draft(client, draft, alice, bob):
    client.force_login(alice)

    response = client.post(f"/reviews/writeup/{draft.pk}/invite/",
                           {"reviewer": bob.pk, "message": "The numbers, please."})

    assert (response.status_code, response["Location"]) == (302, f"/writeups/{draft.pk}/#reviews")
    review_request = ReviewRequest.objects.get()
    assert (review_request.reviewer, review_request.message) == (bob, "The numbers, please.")
    page = text(client.get(f"/writeups/{draft.pk}/"))
    assert "Asked Bob to review it." in page
    assert "Bob pending until" in page


@pytest.mark.parametrize(("who", "status", "message"), [
    ("alice", 400, "Ask someone other than the draft's authors (yourself included)."),
    ("bob_again", 409, "Bob already has an open request to review this."),
    ("nobody", 400, "Choose one of the people listed."),
])
def test_invite_refusal_shows_why_and_keeps_the_message(client, draft, alice, bob, who,
                                                        status, message):
    ReviewRequestFactory(writeup=draft, reviewer=bob)
    reviewer = {"alice": alice.pk, "bob_again": bob.pk, "nobody": 999_999}[who]
    client.force_login(alice)

    response = client.post(f"/reviews/writeup/{draft.pk}/invite/", {
        "reviewer": reviewer, "message": "Kept <as typed>", "reviewer_q": "b"})

    assert response.status_code == status
    assert message in text(response)
    assert "Kept &lt;as typed&gt;</textarea>" in main(response)
    assert 'name="reviewer_q" value="b"' in main(response)
    assert ReviewRequest.objects.count() == 1


def test_invite_on_a_published_writeup_is_refused_with_409(client, alice, bob):
    published = WriteupFactory(author=alice, published=True)
    client.force_login(alice)

    response = client.post(f"/reviews/writeup/{published.pk}/invite/", {"reviewer": bob.pk})

    assert response.status_code == 409
    assert "Only a draft writeup, or a proposal still in analysis, can be reviewed." in text(
        response)


@pytest.mark.parametrize("who", ["bob", "charlie"])
def test_invite_page_is_the_authors_alone(client, draft, bob, charlie, who):
    ReviewRequestFactory(writeup=draft, reviewer=bob, state=State.ACCEPTED)
    client.force_login({"bob": bob, "charlie": charlie}[who])

    # bob reads the draft (403: not an author); charlie does not see it at all (404).
    expected = {"bob": 403, "charlie": 404}[who]
    assert client.get(f"/reviews/writeup/{draft.pk}/invite/").status_code == expected
    assert client.post(f"/reviews/writeup/{draft.pk}/invite/",
                       {"reviewer": charlie.pk}).status_code == expected


def test_panel_lists_requests_with_withdraw_on_open_ones(client, draft, alice, bob, charlie):
    open_one = ReviewRequestFactory(writeup=draft, reviewer=bob, state=State.ACCEPTED)
    ReviewRequestFactory(writeup=draft, reviewer=charlie, state=State.DECLINED)
    review_comment(open_one)
    client.force_login(alice)

    response = client.get(f"/writeups/{draft.pk}/")

    assert "1 open review comment · Open the review page" in text(response)
    assert re.findall(r'action="/reviews/requests/(\d+)/withdraw/"', main(response)) == [
        str(open_one.pk)]
    response = client.post(f"/reviews/requests/{open_one.pk}/withdraw/")
    assert (response.status_code, response["Location"]) == (302, f"/writeups/{draft.pk}/#reviews")
    assert ReviewRequest.objects.get(pk=open_one.pk).state == State.WITHDRAWN


def test_panel_on_a_proposal_for_its_authors_and_its_pending_reviewer(client, alice, bob,
                                                                      charlie):
    proposal = ProposalFactory(author=alice, title="Chip registry")
    ReviewRequestFactory(proposal=proposal, reviewer=bob)

    client.force_login(alice)
    assert "Ask someone to review" in text(client.get(f"/proposals/{proposal.pk}/"))
    client.force_login(bob)
    page = text(client.get(f"/proposals/{proposal.pk}/"))
    assert "Alice asks you to review this analysis: Could you read this before I publish it?" \
        in page
    client.force_login(charlie)
    assert "Reviews" not in text(client.get(f"/proposals/{proposal.pk}/"))
    client.logout()
    assert "Reviews" not in text(client.get(f"/proposals/{proposal.pk}/"))


# --- A request's page and its answers -------------------------------------------------------

def test_request_page_shows_a_pending_invitee_the_title_and_who_asks_not_the_body(
        client, draft, bob):
    review_request = ReviewRequestFactory(writeup=draft, reviewer=bob)
    client.force_login(bob)

    page = text(client.get(f"/reviews/requests/{review_request.pk}/"))

    assert "Review of “Counting chips”" in page
    assert "Asked by Alice" in page
    assert "Could you read this before I publish it?" in page
    assert "First we measure" not in page


@pytest.mark.parametrize("who", ["charlie", "moderator"])
def test_request_page_is_404_to_others(client, draft, bob, charlie, moderator, who):
    review_request = ReviewRequestFactory(writeup=draft, reviewer=bob)
    client.force_login({"charlie": charlie, "moderator": moderator}[who])

    assert client.get(f"/reviews/requests/{review_request.pk}/").status_code == 404
    assert client.post(f"/reviews/requests/{review_request.pk}/accept/").status_code == 404


def test_accept_leads_to_the_draft_and_decline_to_my_work(client, draft, bob, charlie):
    first = ReviewRequestFactory(writeup=draft, reviewer=bob)
    second = ReviewRequestFactory(writeup=draft, reviewer=charlie)

    client.force_login(bob)
    response = client.post(f"/reviews/requests/{first.pk}/accept/")
    assert (response.status_code, response["Location"]) == (302, f"/writeups/{draft.pk}/")
    client.force_login(charlie)
    response = client.post(f"/reviews/requests/{second.pk}/decline/")
    assert (response.status_code, response["Location"]) == (302, "/me/")
    assert dict(ReviewRequest.objects.values_list("reviewer__username", "state")) == {
        "bob": State.ACCEPTED, "charlie": State.DECLINED}


def test_answer_twice_shows_the_refusal_at_409(client, draft, bob):
    review_request = ReviewRequestFactory(writeup=draft, reviewer=bob, state=State.DECLINED)
    client.force_login(bob)

    response = client.post(f"/reviews/requests/{review_request.pk}/accept/")

    assert response.status_code == 409
    assert "This review request was already answered, withdrawn or has expired." in text(
        response)


def test_finish_with_the_opt_in_names_the_reviewer_once_published(client, draft, alice, bob):
    review_request = ReviewRequestFactory(writeup=draft, reviewer=bob, state=State.ACCEPTED)
    client.force_login(bob)

    response = client.post(f"/reviews/requests/{review_request.pk}/finish/", {"named": "on"})

    assert (response.status_code, response["Location"]) == (302, f"/writeups/{draft.pk}/#reviews")
    assert ReviewRequest.objects.get().named is True
    client.force_login(alice)
    assert "Reviewed by" not in text(client.get(f"/writeups/{draft.pk}/"))
    services.writeup_publish(writeup=draft, actor=alice)
    client.logout()
    page = main(client.get(f"/writeups/{draft.pk}/"))
    assert 'Reviewed by <a href="/people/bob/">Bob</a>' in page
    assert "review comment" not in page


def test_reviewed_by_names_only_finished_reviewers_who_opted_in(client, draft, alice, bob,
                                                                 charlie):
    ReviewRequestFactory(writeup=draft, reviewer=bob, state=State.FINISHED, named=True)
    ReviewRequestFactory(writeup=draft, reviewer=charlie, state=State.FINISHED, named=False)
    dan = UserFactory(username="dan")
    ReviewRequestFactory(writeup=draft, reviewer=dan, state=State.ACCEPTED)
    services.writeup_publish(writeup=draft, actor=alice)

    assert "Reviewed by Bob" in text(client.get(f"/writeups/{draft.pk}/"))
    assert "Charlie" not in text(client.get(f"/writeups/{draft.pk}/"))


def test_reviewed_by_on_a_proposal_once_it_leaves_analysis(client, alice, bob):
    proposal = ProposalFactory(author=alice)
    ReviewRequestFactory(proposal=proposal, reviewer=bob, state=State.FINISHED, named=True)

    assert "Reviewed by" not in text(client.get(f"/proposals/{proposal.pk}/"))
    proposal_services.proposal_move(proposal=proposal, to="proposal", actor=alice)
    assert "Reviewed by Bob" in text(client.get(f"/proposals/{proposal.pk}/"))


# --- The review page ------------------------------------------------------------------------

@pytest.fixture
def reviewing(draft, bob):
    return ReviewRequestFactory(writeup=draft, reviewer=bob, state=State.ACCEPTED)


def test_review_page_shows_each_paragraph_with_its_comments(client, draft, alice, bob,
                                                           reviewing):
    review_comment(reviewing, "Which method?", anchor=_anchor(draft, "First we measure."))
    review_comment(reviewing, "Too short overall.")
    client.force_login(alice)

    page = main(client.get(f"/reviews/writeup/{draft.pk}/"))

    measure = page.index("<p>First we measure.</p>")
    assert measure < page.index("Which method?") < page.index("<ul>")
    assert page.index("On the draft as a whole") < page.index("Too short overall.")
    assert "2 open review comments" in page
    assert page.count(">Resolve</button>") == 2
    assert 'id="review-form"' not in page  # the author does not comment


def test_review_page_comment_links_preselect_the_paragraph(client, draft, bob, reviewing):
    client.force_login(bob)
    anchor = _anchor(draft, "First we measure.")

    page = main(client.get(f"/reviews/writeup/{draft.pk}/"))
    assert f'href="?anchor={anchor}#review-form"' in page
    page = main(client.get(f"/reviews/writeup/{draft.pk}/", {"anchor": anchor}))
    assert f'<option value="{anchor}" selected>“First we measure.”</option>' in page
    assert '<option value="whole">The draft as a whole</option>' in page


def test_review_comment_posted_from_the_page(client, draft, bob, reviewing):
    client.force_login(bob)
    anchor = _anchor(draft, "another step")

    response = client.post(f"/reviews/writeup/{draft.pk}/comments/", {
        "anchor": anchor, "body": "Say *which*.", "version": draft.version})

    comment = ReviewComment.objects.get()
    assert (response.status_code, response["Location"]) == (
        302, f"/reviews/writeup/{draft.pk}/#comment-{comment.pk}")
    assert (comment.anchor, comment.anchor_text, comment.body_html) == (
        anchor, "another step", "<p>Say <em>which</em>.</p>\n")


def test_review_comment_on_a_stale_page_is_409_keeps_the_text_and_takes_the_new_version(
        client, draft, alice, bob, reviewing):
    seen = draft.version
    services.writeup_update(writeup=draft, editor=alice, body=BODY + "\n\nA new paragraph.")
    client.force_login(bob)

    response = client.post(f"/reviews/writeup/{draft.pk}/comments/", {
        "anchor": "whole", "body": "My careful words", "version": seen})

    assert response.status_code == 409
    page = main(response)
    assert "The draft changed since you loaded it." in page
    assert "My careful words</textarea>" in page
    assert f'name="version" value="{seen + 1}"' in page
    assert "A new paragraph." in page
    assert ReviewComment.objects.count() == 0
    again = client.post(f"/reviews/writeup/{draft.pk}/comments/", {
        "anchor": "whole", "body": "My careful words", "version": seen + 1})
    assert again.status_code == 302


def test_review_comment_on_a_paragraph_that_is_gone_is_400_beside_the_choice(
        client, draft, bob, reviewing):
    client.force_login(bob)

    response = client.post(f"/reviews/writeup/{draft.pk}/comments/", {
        "anchor": "f" * 64, "body": "Kept", "version": draft.version})

    assert response.status_code == 400
    assert "That paragraph is not in the current version" in text(response)
    assert "Kept</textarea>" in main(response)


def test_review_comment_without_a_choice_of_paragraph_is_refused(client, draft, bob,
                                                                 reviewing):
    client.force_login(bob)

    response = client.post(f"/reviews/writeup/{draft.pk}/comments/", {
        "anchor": "", "body": "Kept", "version": draft.version})

    assert response.status_code == 400
    assert "Choose the paragraph your comment is on, or the draft as a whole." in text(response)


def test_review_page_lists_comments_on_an_earlier_version_with_their_words(
        client, draft, alice, bob, reviewing):
    review_comment(reviewing, "Which method?", anchor=_anchor(draft, "First we measure."))
    services.writeup_update(writeup=draft, editor=alice,
                            body=BODY.replace("First we measure.", "First we count."))
    client.force_login(alice)

    page = text(client.get(f"/reviews/writeup/{draft.pk}/"))

    assert "On an earlier version (v1) The paragraphs these comments are on read differently " \
           "now, or are gone." in page
    assert "on version 1 · open First we measure. Which method?" in page


def test_review_comment_resolve_and_reopen_from_the_page(client, draft, alice, bob,
                                                         reviewing):
    comment = review_comment(reviewing)
    client.force_login(bob)
    assert client.post(f"/reviews/comments/{comment.pk}/resolve/").status_code == 403

    client.force_login(alice)
    response = client.post(f"/reviews/comments/{comment.pk}/resolve/")
    assert (response.status_code, response["Location"]) == (
        302, f"/reviews/writeup/{draft.pk}/#comment-{comment.pk}")
    assert "resolved by Alice" in text(client.get(f"/reviews/writeup/{draft.pk}/"))
    response = client.post(f"/reviews/comments/{comment.pk}/resolve/")
    assert response.status_code == 409
    assert "This review comment is already resolved." in text(response)
    client.post(f"/reviews/comments/{comment.pk}/reopen/")
    assert ReviewComment.objects.get().state == ReviewComment.State.OPEN


@pytest.mark.parametrize("who", ["charlie", "moderator", "pending", "withdrawn"])
def test_review_page_and_its_comments_are_404_to_everyone_else(client, draft, reviewing,
                                                               charlie, moderator, who):
    comment = review_comment(reviewing)
    person = {"charlie": charlie, "moderator": moderator}.get(who) or UserFactory()
    if who in ("pending", "withdrawn"):
        ReviewRequestFactory(writeup=draft, reviewer=person, state=who)
    client.force_login(person)

    assert client.get(f"/reviews/writeup/{draft.pk}/").status_code == 404
    assert client.post(f"/reviews/writeup/{draft.pk}/comments/",
                       {"anchor": "whole", "body": "x", "version": 1}).status_code == 404
    assert client.post(f"/reviews/comments/{comment.pk}/resolve/").status_code == 404


def test_review_comments_stay_private_after_publishing(client, draft, alice, bob, charlie,
                                                       reviewing):
    review_comment(reviewing, "A private remark.")
    services.writeup_publish(writeup=draft, actor=alice)

    client.force_login(charlie)
    assert client.get(f"/reviews/writeup/{draft.pk}/").status_code == 404
    assert "A private remark." not in html(client.get(f"/writeups/{draft.pk}/"))
    client.force_login(bob)
    page = text(client.get(f"/reviews/writeup/{draft.pk}/"))
    assert "A private remark." in page
    assert "It is no longer in review, so it takes no more review comments." in page


def test_review_page_of_a_proposal_reads_its_analysis(client, alice, bob):
    proposal = ProposalFactory(author=alice, analysis="Why *this* matters.\n\nAnd how.")
    review_request = ReviewRequestFactory(proposal=proposal, reviewer=bob, state=State.ACCEPTED)
    client.force_login(bob)
    anchor = anchors.digest("And how.")

    response = client.post(f"/reviews/proposal/{proposal.pk}/comments/", {
        "anchor": anchor, "body": "How, exactly?", "version": proposal.version})

    assert response.status_code == 302
    assert ReviewComment.objects.get().request == review_request
    page = main(client.get(f"/reviews/proposal/{proposal.pk}/"))
    assert page.index("<p>And how.</p>") < page.index("How, exactly?")


# --- My work --------------------------------------------------------------------------------

def test_my_work_lists_my_reviews_with_accept_and_decline(client, draft, alice, bob):
    pending = ReviewRequestFactory(writeup=draft, reviewer=bob)
    other = WriteupFactory(author=alice, title="Second draft")
    accepted = ReviewRequestFactory(writeup=other, reviewer=bob, state=State.ACCEPTED)
    ReviewRequestFactory(writeup=WriteupFactory(author=alice), reviewer=bob,
                         state=State.DECLINED)
    client.force_login(bob)

    page = main(client.get("/me/"))

    assert f'action="/reviews/requests/{pending.pk}/accept/"' in page
    assert f'action="/reviews/requests/{pending.pk}/decline/"' in page
    assert f'href="/reviews/writeup/{other.pk}/">Second draft</a>' in page
    assert f'href="/reviews/requests/{accepted.pk}/">Finish</a>' in page
    assert text(client.get("/me/")).count("asked by Alice") == 1


def test_my_work_without_reviews_says_so(client, alice):
    client.force_login(alice)

    assert "Nobody is waiting for a review from you." in text(client.get("/me/"))


def test_request_history_dates_show_on_the_panel(client, draft, alice, bob):
    review_request = ReviewRequestFactory(writeup=draft, reviewer=bob)
    client.force_login(alice)

    assert f"Bob pending until {review_request.expires_at:%-d %b %Y}" in text(
        client.get(f"/writeups/{draft.pk}/"))
    assert review_request.created_at <= timezone.now()


# --- Hidden by a moderator ------------------------------------------------------------------

def test_hidden_proposal_leaves_its_reviewers_pages_and_lists(client, alice, bob, moderator):
    from registry.moderation.services import content_hide

    proposal = ProposalFactory(author=alice, title="Zqhidden plan")
    review_request = ReviewRequestFactory(proposal=proposal, reviewer=bob,
                                          state=State.ACCEPTED)
    content_hide(moderator=moderator, target_type="proposal", obj=proposal, reason="Abuse.")

    client.force_login(bob)
    assert client.get(f"/reviews/proposal/{proposal.pk}/").status_code == 404
    assert client.get(f"/reviews/requests/{review_request.pk}/").status_code == 404
    assert "Zqhidden" not in html(client.get("/me/"))
    assert "Zqhidden" not in html(client.get("/api/v1/review-requests/"))
    client.force_login(alice)  # her own hidden proposal stays hers, reviews included
    assert client.get(f"/reviews/proposal/{proposal.pk}/").status_code == 200
    assert "Zqhidden" in html(client.get("/api/v1/review-requests/"))
