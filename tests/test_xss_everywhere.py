"""XSS gate, server side: every field that renders user text, on every page that shows it,
for every payload of the corpus, carries nothing executable (tests/xss.py)."""

import pytest

from proposals import services as proposal_services
from proposals.models import Proposal
from registry import services
from registry.discovery import services as discovery_services
from registry.feedback import anchors
from registry.feedback.services import comments, reviews
from registry.models import Cluster, Topic, Writeup
from registry.moderation import services as moderation_services
from tests.factories import UserFactory
from tests.xss import PAYLOADS, dangerous_markup


def main_html(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]


@pytest.fixture
def world(db):
    services.catalogue_load()
    return {"topic": Topic.objects.get(slug="proof-of-learning"),
            "cluster": Cluster.objects.get(slug="security")}


@pytest.mark.parametrize("payload", PAYLOADS)
def test_user_text_renders_inert_on_every_page(client, world, moderator, payload):
    author = UserFactory(username="author")
    profile = author.profile
    profile.display_name = payload[:120]
    profile.affiliation = payload[:200]
    profile.bio = payload
    profile.conflict_of_interest = payload
    profile.is_funder = True
    profile.save()
    topic = world["topic"]
    services.claim_create(topic=topic, person=author, plan=payload)
    writeup = services.writeup_create(topic=topic, author=author, title=payload[:200],
                                      kind="insight", body=payload)
    services.writeup_publish(writeup=writeup, actor=author)
    proposal = proposal_services.proposal_create(
        topic=topic, author=author, title=payload[:200], analysis=payload, ask=payload[:600],
        target=payload[:200], steps=[payload[:500], "second"], cost_range=payload[:100],
        time_horizon=payload[:100])
    suggestion = services.topic_suggest(person=author, title=payload[:200],
                                        cluster=world["cluster"], reason=payload)
    discovery_services.interest_register(funder=author, topic=topic, note=payload,
                                         amount_range=payload[:100])
    moderation_services.report_create(reporter=author, target_type="writeup",
                                      target_id=writeup.pk, reason="other", note=payload)
    # A moderator has standing: an endorsement with the payload, and a recorded recognition
    # whose name, work and reason are the payload.
    services.endorsement_create(writeup=writeup, endorser=moderator,
                                statement=payload[:1900] + " It moved this question forward.",
                                disclosure=payload[:2000])
    services.recognition_record(topic=topic, moderator=moderator, name=payload[:200],
                                work_title=payload[:300] or "Work",
                                work_url="https://example.org/work", reason=payload[:2000])
    # A draft under review by the moderator: the message, a review comment and its quoted
    # paragraph (on an earlier version once the draft changes) are the payload.
    draft = services.writeup_create(topic=topic, author=author, title=payload[:200],
                                    kind="plan", body=payload)
    asked = reviews.review_request_create(target=draft, reviewer=moderator, actor=author,
                                          message=payload[:2000])
    reviews.review_request_accept(review_request=asked, actor=moderator)
    blocks = anchors.blocks(draft.body_html)
    for anchor in ("", *(block.anchor for block in blocks[:1])):
        reviews.review_comment_create(review_request=asked, actor=moderator, body=payload,
                                      anchor=anchor)
    # Its first paragraph's words change, so that comment quotes them as an earlier version.
    services.writeup_update(writeup=draft, editor=author, body="Rewritten " + payload)
    # The discussion: the author's comment naming the moderator and themself (edited, so it
    # has versions), the moderator's reply, and a comment on the proposal's ask, reported
    # with the payload; the author's name in the mention links is the payload too.
    remark = comments.comment_create(target=Writeup.objects.get(pk=writeup.pk), author=author,
                                     body=payload[:9000] + " @mod @author")
    comments.comment_update(comment=remark, editor=author, body=payload[:9000] + " again @mod")
    comments.comment_create(target=remark.writeup, author=moderator, parent=remark,
                            body=payload[:9000] + " (a reply)")
    on_ask = comments.comment_create(target=proposal, author=author, aspect="ask",
                                     body=payload[:9000] + " (on the ask)")
    moderation_services.report_create(reporter=moderator, target_type="comment",
                                      target_id=on_ask.pk, reason="other", note=payload)
    pages = [f"/topics/{topic.slug}/", f"/writeups/{writeup.pk}/", f"/proposals/{proposal.pk}/",
             f"/writeups/{draft.pk}/", f"/reviews/writeup/{draft.pk}/",
             f"/reviews/requests/{asked.pk}/",
             "/proposals/", "/people/author/", "/me/", f"/topics/{topic.slug}/interest/",
             f"/search/?q={topic.slug.split('-')[0]}", "/gaps/", "/map/", "/", "/experts/",
             "/people/mod/", f"/comments/{remark.pk}/versions/", f"/comments/{remark.pk}/edit/",
             f"/writeups/{writeup.pk}/comments/?parent={remark.pk}",
             f"/proposals/{proposal.pk}/?aspect=ask", "/me/notifications/settings/"]

    client.force_login(author)
    for url in pages:
        assert dangerous_markup(main_html(client.get(url))) == [], url
    client.force_login(moderator)
    for url in ["/topics/suggestions/", f"/proposals/{proposal.pk}/", "/me/notifications/",
                "/moderation/", "/me/", f"/reviews/writeup/{draft.pk}/",
                f"/writeups/{draft.pk}/"]:
        assert dangerous_markup(main_html(client.get(url))) == [], url
    assert Proposal.objects.get(pk=proposal.pk).analysis == payload  # stored as typed
    assert Topic.objects.get(pk=suggestion.pk).title == payload[:200]


def test_scanner_flags_what_an_unsafe_renderer_would_emit():
    """The gate is only worth something if it can see an attack: raw payloads trip it."""
    flagged = [p for p in PAYLOADS if dangerous_markup(p)]

    assert len(flagged) >= 25
    assert dangerous_markup('<a href=" jav\tascript:x()">x</a>') == [
        "<a href=' jav\\tascript:x()'>"
    ]
