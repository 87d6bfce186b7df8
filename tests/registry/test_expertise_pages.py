"""The pages of recognised expertise: endorsing on a writeup's page (and retracting or
voiding), the topic page's "Recognised expertise", and the experts directory."""

import pytest

from registry import services
from registry.models import Endorsement, Recognition
from tests.factories import ClusterFactory, TopicFactory, UserFactory, WriteupFactory

STATEMENT = "The first careful measurement of chip flows; it moved the whole question."


@pytest.fixture
def cluster(db):
    return ClusterFactory(slug="compute", name="Compute governance")


@pytest.fixture
def work(cluster, alice):
    """Alice's published writeup on a topic she claims."""
    topic = TopicFactory(cluster=cluster, slug="chips", title="Chip tracking")
    services.claim_create(topic=topic, person=alice, plan="A survey.")
    return WriteupFactory(topic=topic, author=alice, published=True, title="Tracking chips")


def peer(cluster, username, disclosure=""):
    person = UserFactory(username=username)
    person.profile.conflict_of_interest = disclosure
    person.profile.save()
    WriteupFactory(topic=TopicFactory(cluster=cluster), author=person, published=True)
    return person


def test_writeup_page_offers_the_form_with_the_disclosure_prefilled(client, work, cluster):
    bob = peer(cluster, "bob", disclosure="Advises a chip lab.")
    client.force_login(bob)
    page = client.get(work.get_absolute_url()).content.decode()
    assert "Endorse this work" in page
    assert "Advises a chip lab.</textarea>" in page


def test_writeup_page_says_why_a_fresh_account_may_not_endorse(client, work, charlie):
    client.force_login(charlie)
    page = client.get(work.get_absolute_url()).content.decode()
    assert "Endorse this work" not in page
    assert ("To endorse, you need standing: published work in the same cluster, a recognition "
            "on any topic, or the moderator role.") in page


def test_endorsing_on_the_page_adds_it_and_two_recognise_the_author(client, work, cluster,
                                                                     alice):
    for name in ("bob", "dana"):
        client.force_login(peer(cluster, name))
        response = client.post(f"/writeups/{work.pk}/endorse/",
                               {"statement": STATEMENT, "disclosure": ""})
        assert (response.status_code, response["Location"]) == (
            302, f"/writeups/{work.pk}/#endorsements")
    assert Endorsement.objects.filter(writeup=work, state="live").count() == 2
    assert list(Recognition.objects.filter(topic=work.topic, ended_at__isnull=True)
                .values_list("person__username", flat=True)) == ["alice"]
    topic_page = client.get("/topics/chips/").content.decode()
    assert "Recognised expertise" in topic_page
    assert f"“{STATEMENT}”" in topic_page


def test_a_short_statement_is_refused_on_the_page_keeping_it(client, work, cluster):
    client.force_login(peer(cluster, "bob"))
    response = client.post(f"/writeups/{work.pk}/endorse/",
                           {"statement": "Too short.", "disclosure": ""})
    assert response.status_code == 400
    assert "Too short.</textarea>" in response.content.decode()
    assert Endorsement.objects.count() == 0


def test_endorsing_own_work_is_403(client, work, alice):
    client.force_login(alice)
    response = client.post(f"/writeups/{work.pk}/endorse/",
                           {"statement": STATEMENT, "disclosure": ""})
    assert response.status_code == 403
    assert Endorsement.objects.count() == 0


def test_endorsing_twice_is_409_on_the_page(client, work, cluster):
    bob = peer(cluster, "bob")
    services.endorsement_create(writeup=work, endorser=bob, statement=STATEMENT)
    client.force_login(bob)
    response = client.post(f"/writeups/{work.pk}/endorse/",
                           {"statement": STATEMENT, "disclosure": ""})
    assert response.status_code == 409
    assert Endorsement.objects.count() == 1


def test_retract_on_the_page_keeps_the_row(client, work, cluster):
    bob = peer(cluster, "bob")
    endorsement = services.endorsement_create(writeup=work, endorser=bob, statement=STATEMENT)
    client.force_login(bob)
    assert client.post(f"/endorsements/{endorsement.pk}/retract/").status_code == 302
    endorsement.refresh_from_db()
    assert endorsement.state == "retracted"


def test_void_needs_a_moderator_and_a_reason(client, work, cluster, charlie, moderator):
    endorsement = services.endorsement_create(writeup=work, endorser=peer(cluster, "bob"),
                                              statement=STATEMENT)
    client.force_login(charlie)
    assert client.post(f"/endorsements/{endorsement.pk}/void/",
                       {"reason": "Sock."}).status_code == 403
    client.force_login(moderator)
    assert client.post(f"/endorsements/{endorsement.pk}/void/",
                       {"reason": ""}).status_code == 400
    assert client.post(f"/endorsements/{endorsement.pk}/void/",
                       {"reason": "A second account of the author."}).status_code == 302
    endorsement.refresh_from_db()
    assert (endorsement.state, endorsement.void_reason) == (
        "voided", "A second account of the author.")


@pytest.fixture
def directory(work, cluster, alice, moderator):
    """Alice recognised through two endorsements on chips; Ada Lovelace recorded by a
    moderator on another topic; Carol claiming and publishing on a third."""
    for name in ("bob", "dana"):
        services.endorsement_create(writeup=work, endorser=peer(cluster, name),
                                    statement=STATEMENT)
    services.recognition_record(topic=TopicFactory(cluster=cluster, slug="audits",
                                                   title="Audits"),
                                moderator=moderator, name="Ada Lovelace",
                                work_title="Notes on audits", work_url="https://example.org/a",
                                reason="The standard reference.")
    carol = UserFactory(username="carol")
    other = TopicFactory(cluster=cluster, slug="evals", title="Evaluations")
    services.claim_create(topic=other, person=carol, plan="Plan.")
    WriteupFactory(topic=other, author=carol, published=True, title="Eval notes")


def test_experts_lists_recognised_people_and_claimants(client, directory):
    page = client.get("/experts/").content.decode()
    assert "Ada Lovelace" in page and "Notes on audits" in page
    assert "Tracking chips" in page
    assert "Eval notes" in page


@pytest.mark.parametrize(("query", "present", "absent"), [
    ("q=lovelace", "Ada Lovelace", "Eval notes"),
    ("topic=evals", "Eval notes", "Ada Lovelace"),
    ("status=recognised", "Ada Lovelace", "Eval notes"),
    ("status=claimants", "Eval notes", "Notes on audits"),
])
def test_experts_filters_and_search(client, directory, query, present, absent):
    page = client.get(f"/experts/?{query}").content.decode()
    assert (present in page, absent in page) == (True, False)


def test_experts_api_answers_the_same_as_the_page(api, directory):
    body = api.get("/api/v1/experts/?q=lovelace").json()
    assert [(r["name"], r["work_title"], r["topic"]) for r in body["recognised"]] == [
        ("Ada Lovelace", "Notes on audits", "audits")]
    assert body["claimants"] == []
    claimants = api.get("/api/v1/experts/?status=claimants").json()["claimants"]
    assert [(c["person"], c["topic"], len(c["writeups"])) for c in claimants] == [
        ("carol", "evals", 1)]


def test_recognitions_feed_lists_who_is_recognised_and_why(client, directory):
    import xml.etree.ElementTree as ET

    response = client.get("/feeds/recognitions/")
    assert response.status_code == 200
    atom = "{http://www.w3.org/2005/Atom}"
    titles = [e.findtext(f"{atom}title") for e in ET.fromstring(response.content)
              .iter(f"{atom}entry")]
    assert titles == ["Ada Lovelace is recognised on Audits",
                      "Alice is recognised on Chip tracking"]


def test_my_work_lists_my_endorsements_with_retract(client, work, cluster):
    bob = peer(cluster, "bob")
    endorsement = services.endorsement_create(writeup=work, endorser=bob, statement=STATEMENT)
    client.force_login(bob)
    page = client.get("/me/").content.decode()
    assert "My endorsements" in page
    assert f"“{STATEMENT}”" in page
    assert f'action="/endorsements/{endorsement.pk}/retract/"' in page
