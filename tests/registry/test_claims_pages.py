import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from registry import services
from registry.models import Claim, Topic, Writeup
from tests.factories import ClaimFactory, ClusterFactory, TopicFactory, WriteupFactory


def html(response):
    return response.content.decode()


def test_topic_page_shows_claimants_with_plan_affiliation_and_disclosure(client, alice):
    alice.profile.affiliation = "Uni of Somewhere"
    alice.profile.conflict_of_interest = "Funded by a lab"
    alice.profile.save()
    claim = ClaimFactory(person=alice, plan="A report on export rules")

    page = html(client.get(claim.topic.get_absolute_url()))

    assert "A report on export rules" in page
    assert "Uni of Somewhere" in page
    assert "Funded by a lab" in page
    assert "badge-claimed" in page


def test_topic_page_claim_form_claims_and_redirects(client, alice):
    topic = TopicFactory(slug="chips")
    client.force_login(alice)

    response = client.post("/topics/chips/claim/", {"plan": "A post", "target_date": ""})

    assert (response.status_code, response["Location"]) == (302, "/topics/chips/")
    assert Claim.objects.get().topic == topic
    page = html(client.get("/topics/chips/"))
    assert "Release my claim…" in page
    assert '<a href="/people/alice/">Alice</a> claimed the topic' in page


def test_topic_page_claim_with_bad_input_shows_errors_beside_fields_and_keeps_input(client,
                                                                                     alice):
    TopicFactory(slug="chips")
    client.force_login(alice)

    response = client.post("/topics/chips/claim/", {"plan": "", "target_date": "2001-01-01"})

    page = html(response)
    assert response.status_code == 400
    assert 'id="id_plan_errors"' in page
    assert 'id="id_target_date_errors"' not in page  # the form stops at the missing plan
    assert 'value="2001-01-01"' in page
    assert Claim.objects.count() == 0


def test_topic_page_claim_with_past_date_shows_the_services_error(client, alice):
    TopicFactory(slug="chips")
    client.force_login(alice)

    response = client.post("/topics/chips/claim/", {"plan": "Kept text", "target_date":
                                                    "2001-01-01"})

    page = html(response)
    assert response.status_code == 400
    assert "Choose a date that is today or later." in page.split('id="id_target_date_errors"')[1]
    assert "Kept text" in page


def test_topic_page_second_claim_shows_already_claimed(client, alice):
    ClaimFactory(person=alice, topic=TopicFactory(slug="chips"))
    client.force_login(alice)

    response = client.post("/topics/chips/claim/", {"plan": "again"})

    assert response.status_code == 409  # the refusal's own status
    assert "You already hold an active claim on this topic." in html(response)
    assert Claim.objects.count() == 1


def test_claim_page_needs_login(client, db):
    TopicFactory(slug="chips")

    response = client.post("/topics/chips/claim/", {"plan": "p"})

    assert (response.status_code, response["Location"]) == (
        302, "/accounts/login/?next=/topics/chips/claim/")


def test_release_button_releases_and_status_goes_back_to_gap(client, alice):
    claim = ClaimFactory(person=alice, topic=TopicFactory(slug="chips"))
    client.force_login(alice)

    response = client.post(f"/claims/{claim.pk}/release/",
                           {"next": "/topics/chips/", "confirm": "yes"})

    assert (response.status_code, response["Location"]) == (302, "/topics/chips/")
    assert Claim.objects.get(pk=claim.pk).state == "released"
    assert "badge-gap" in html(client.get("/topics/chips/"))


def test_release_page_checks_ownership(client, alice, charlie):
    claim = ClaimFactory(person=alice)
    client.force_login(charlie)

    response = client.post(f"/claims/{claim.pk}/release/", {})

    assert response.status_code == 403
    assert Claim.objects.get(pk=claim.pk).state == "active"


def test_renew_page_without_note_shows_error_and_keeps_claim(client, alice):
    claim = ClaimFactory(person=alice)
    client.force_login(alice)

    response = client.post(f"/claims/{claim.pk}/renew/", {"note": ""})

    assert response.status_code == 400
    assert 'id="id_note_errors"' in html(response)


def test_my_work_shows_days_until_dormant_drafts_and_suggestions(client, alice, settings):
    settings.GAPMAP_CLAIM_DORMANT_DAYS = 183
    ClaimFactory(person=alice, now=timezone.now() - datetime.timedelta(days=83, hours=1))
    WriteupFactory(author=alice, title="My secret draft")
    services.topic_suggest(person=alice, title="Idea", cluster=ClusterFactory(), reason="r")
    client.force_login(alice)

    page = html(client.get("/me/"))

    assert "99 days until dormant" in page
    assert "My secret draft" in page
    assert "Idea" in page


def test_header_links_my_work_when_signed_in(client, alice):
    client.force_login(alice)

    assert '<a href="/me/">My work</a>' in html(client.get("/"))


def test_writeup_journey_create_edit_publish_on_pages(client, alice):
    ClaimFactory(person=alice, topic=TopicFactory(slug="chips"))
    client.force_login(alice)

    response = client.post("/topics/chips/writeups/new/", {"title": "Plan", "kind": "plan",
                                                           "body": "First", "external_url": ""})
    writeup = Writeup.objects.get()
    assert (response.status_code, response["Location"]) == (302, f"/writeups/{writeup.pk}/")
    response = client.post(f"/writeups/{writeup.pk}/edit/", {
        "title": "Plan", "kind": "plan", "body": "Second", "external_url": "", "version": "1"})
    assert response.status_code == 302
    client.post(f"/writeups/{writeup.pk}/publish/")

    page = html(client.get(f"/writeups/{writeup.pk}/"))
    assert "<p>Second</p>" in page
    assert "Version 2" in page and "Version 1" in page
    assert "<p>First</p>" in html(client.get(f"/writeups/{writeup.pk}/versions/1/"))
    topic_page = html(client.get("/topics/chips/"))
    assert "badge-published" in topic_page
    assert "published <a" in topic_page


def test_writeup_edit_with_stale_version_keeps_typed_input_and_overwrites_nothing(client,
                                                                                  alice):
    writeup = WriteupFactory(author=alice, body="Original")
    services.writeup_update(writeup=writeup, editor=alice, body="Theirs")
    client.force_login(alice)

    response = client.post(f"/writeups/{writeup.pk}/edit/", {
        "title": "T", "kind": "plan", "body": "My typing", "external_url": "", "version": "1"})

    assert response.status_code == 412  # the refusal's own status
    assert "Someone changed this since you loaded it." in html(response)
    assert "My typing" in html(response)
    assert Writeup.objects.get(pk=writeup.pk).body == "Theirs"


def test_writeup_form_bad_input_shows_errors_beside_fields(client, alice):
    TopicFactory(slug="chips")
    client.force_login(alice)

    response = client.post("/topics/chips/writeups/new/", {
        "title": "t" * 201, "kind": "essay", "body": "", "external_url": "javascript:x"})

    page = html(response)
    assert response.status_code == 400
    for field in ("title", "kind"):
        assert f'id="id_{field}_errors"' in page
    assert Writeup.objects.count() == 0


def test_writeup_form_service_errors_show_beside_fields(client, alice):
    TopicFactory(slug="chips")
    client.force_login(alice)

    response = client.post("/topics/chips/writeups/new/", {
        "title": "Fine", "kind": "plan", "body": "", "external_url": "javascript:x"})

    page = html(response)
    assert response.status_code == 400
    assert 'id="id_external_url_errors"' in page
    assert 'value="Fine"' in page


def test_writeup_form_without_body_or_link_shows_the_rule_beside_body(client, alice):
    TopicFactory(slug="chips")
    client.force_login(alice)

    response = client.post("/topics/chips/writeups/new/", {
        "title": "Fine", "kind": "plan", "body": " ", "external_url": ""})

    errors = html(response).split('id="id_body_errors"')[1].split("</ul>")[0]
    assert response.status_code == 400
    assert "Write a body, give a link to the work elsewhere, or both." in errors


@pytest.mark.parametrize("path", ["/writeups/{pk}/", "/writeups/{pk}/edit/",
                                  "/writeups/{pk}/versions/1/"])
def test_draft_pages_are_404_for_others(client, alice, bob, path):
    draft = WriteupFactory(author=alice)
    client.force_login(bob)

    assert client.get(path.format(pk=draft.pk)).status_code == 404


def test_draft_page_is_404_for_anonymous(client, alice):
    draft = WriteupFactory(author=alice)

    assert client.get(f"/writeups/{draft.pk}/").status_code == 404


def test_draft_is_not_listed_on_topic_page_for_others(client, alice, bob):
    draft = WriteupFactory(author=alice, title="Secret draft title")
    client.force_login(bob)

    assert "Secret draft title" not in html(client.get(draft.topic.get_absolute_url()))


@pytest.mark.parametrize(("method", "path"), [("get", "/writeups/{pk}/edit/"),
                                              ("post", "/writeups/{pk}/edit/"),
                                              ("post", "/writeups/{pk}/delete/"),
                                              ("post", "/writeups/{pk}/publish/")])
def test_published_writeup_pages_check_ownership(client, alice, charlie, method, path):
    writeup = WriteupFactory(author=alice, title="Mine", published=True)
    client.force_login(charlie)

    response = getattr(client, method)(path.format(pk=writeup.pk), {"title": "x"})

    assert response.status_code == 403
    writeup.refresh_from_db()
    assert (writeup.title, writeup.deleted_at) == ("Mine", None)


def test_topic_page_groups_writeups_by_kind_in_priority_order(client, alice):
    topic = TopicFactory(slug="chips")
    for title, kind in [("A model", "model"), ("A plan", "plan"), ("An insight", "insight")]:
        WriteupFactory(author=alice, topic=topic, title=title, kind=kind, published=True)

    page = html(client.get("/topics/chips/"))

    assert page.index("A plan") < page.index("An insight") < page.index("A model")


def test_suggest_page_creates_a_suggestion_visible_to_author_only(client, alice, bob):
    cluster = ClusterFactory(slug="compute")
    client.force_login(alice)

    response = client.post("/topics/suggest/", {"title": "Chip smuggling",
                                                "cluster": cluster.pk, "reason": "Unmeasured"})

    assert (response.status_code, response["Location"]) == (302, "/topics/chip-smuggling/")
    assert "Only you" in html(client.get("/topics/chip-smuggling/"))
    client.force_login(bob)
    assert client.get("/topics/chip-smuggling/").status_code == 404
    client.logout()
    assert client.get("/topics/chip-smuggling/").status_code == 404


def test_suggest_page_bad_input_keeps_typed_text(client, alice):
    cluster = ClusterFactory()
    client.force_login(alice)

    response = client.post("/topics/suggest/", {"title": "", "cluster": cluster.pk,
                                                "reason": "My reason"})

    assert response.status_code == 400
    assert 'id="id_title_errors"' in html(response)
    assert "My reason" in html(response)
    assert Topic.objects.count() == 0


def test_moderator_queue_lists_and_declines_with_reason(client, alice, moderator):
    cluster = ClusterFactory()
    keep = services.topic_suggest(person=alice, title="Keep", cluster=cluster, reason="r")
    drop = services.topic_suggest(person=alice, title="Drop", cluster=cluster, reason="r")
    client.force_login(moderator)

    assert "Keep" in html(client.get("/topics/suggestions/"))
    client.post(f"/topics/{keep.slug}/decide/", {"state": "listed", f"t{keep.pk}-note": ""})
    client.post(f"/topics/{drop.slug}/decide/", {"state": "declined",
                                                 f"t{drop.pk}-note": "Duplicate of X"})

    assert list(Topic.objects.order_by("title").values_list("title", "state")) == [
        ("Drop", "declined"), ("Keep", "listed")]
    client.force_login(alice)
    assert "Duplicate of X" in html(client.get("/me/"))
    assert "Duplicate of X" in html(client.get(f"/topics/{drop.slug}/"))


def test_moderator_queue_decline_without_reason_shows_error(client, alice, moderator):
    topic = services.topic_suggest(person=alice, title="Drop", cluster=ClusterFactory(),
                                   reason="r")
    client.force_login(moderator)

    response = client.post(f"/topics/{topic.slug}/decide/", {"state": "declined",
                                                             f"t{topic.pk}-note": ""})

    assert response.status_code == 400
    assert f'id="id_t{topic.pk}-note_errors"' in html(response)
    assert Topic.objects.get(pk=topic.pk).state == "suggested"


def test_moderator_queue_is_403_for_others(client, alice):
    client.force_login(alice)

    assert client.get("/topics/suggestions/").status_code == 403


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# Compared at one row and at several, so a query added to every page (the header, another
# app's section) does not break these, while a query per row does.


def test_topic_page_query_count_does_not_grow(client, db):
    topic = TopicFactory(slug="chips")

    def add_row():
        claim = ClaimFactory(topic=topic)
        WriteupFactory(author=claim.person, topic=topic, published=True)

    add_row()
    one = queries_for(client, "/topics/chips/")
    for _ in range(3):
        add_row()

    assert queries_for(client, "/topics/chips/") == one


def test_home_page_query_count_does_not_grow(client, db):
    cluster = ClusterFactory()
    ClaimFactory(topic=TopicFactory(cluster=cluster))
    one = queries_for(client, "/")
    for _ in range(3):
        ClaimFactory(topic=TopicFactory(cluster=cluster))

    assert queries_for(client, "/") == one


def test_my_work_query_count_does_not_grow(client, alice, settings):
    settings.GAPMAP_MAX_ACTIVE_CLAIMS = 5

    def add_row():
        claim = ClaimFactory(person=alice)
        WriteupFactory(author=alice, topic=claim.topic)
        services.topic_suggest(person=alice, title="Idea", cluster=claim.topic.cluster,
                               reason="r")

    add_row()
    client.force_login(alice)
    one = queries_for(client, "/me/")
    for _ in range(3):
        add_row()

    assert queries_for(client, "/me/") == one
