"""Control characters: refused at input (forms, API), stripped from every XML output.

The output tests store the characters straight into the database (update()), as older rows
or another path could have, so they test the output alone.
"""

import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import pytest

from proposals import services as proposal_services
from proposals.models import Proposal, ProposalEvent
from proposals.services import proposal_move
from registry import services
from registry.core.textclean import control_character_problem, xml_safe
from registry.discovery.services import interest_register
from registry.models import Cluster, Topic, Writeup
from registry.moderation.services import content_hide, report_create
from registry.tokens.services import api_token_create
from tests.factories import (
    ClaimFactory,
    ClusterFactory,
    FunderFactory,
    ProposalFactory,
    TopicFactory,
    UserFactory,
    WriteupFactory,
)

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
BAD = "Bad\x01title\x0b\x1f\x7f\x85\ufffe end"


# --- The rule ------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "problem"), [
    ("tab\tline\nreturn\r ok", None),
    ("é ✓ 中文 emoji 🙂", None),
    ("a\x01b", "Contains the control character U+0001, which is not allowed. Remove it and "
               "try again."),
    ("a\x7fb", "Contains the control character U+007F, which is not allowed. Remove it and "
               "try again."),
    ("a\x9bb", "Contains the control character U+009B, which is not allowed. Remove it and "
               "try again."),
])
def test_control_character_problem_allows_tab_and_newlines_only(text, problem):
    assert control_character_problem(text) == problem


def test_xml_safe_strips_what_xml_cannot_hold():
    assert xml_safe(BAD) == "Badtitle end"


# --- Forms ---------------------------------------------------------------------------------

def test_writeup_form_with_a_control_character_redisplays_with_the_error_and_the_text(
        client, alice):
    ClaimFactory(person=alice, topic=TopicFactory(slug="chips"))
    client.force_login(alice)

    response = client.post("/topics/chips/writeups/new/", {
        "title": "A\x01title", "kind": "plan", "body": "Body\r\nkept\tas typed",
        "external_url": ""})

    assert response.status_code == 400
    assert response.context["form"].errors == {"title": [
        "Title: Contains the control character U+0001, which is not allowed. Remove it and "
        "try again."]}
    page = response.content.decode()
    assert 'id="id_title_errors"' in page
    assert 'value="A\x01title"' in page
    assert "Body\r\nkept\tas typed" in page
    assert Writeup.objects.count() == 0


def test_topic_suggest_form_refuses_a_control_character_in_the_reason(client, alice):
    cluster = ClusterFactory()
    client.force_login(alice)

    response = client.post("/topics/suggest/", {"title": "Fine title", "cluster": cluster.pk,
                                                "reason": "Why\x1b[31m"})

    assert response.context["form"].errors == {"reason": [
        "Why it matters: Contains the control character U+001B, which is not allowed. "
        "Remove it and try again."]}
    assert "Fine title" in response.content.decode()
    assert Topic.objects.count() == 0


def test_proposal_form_refuses_a_control_character_in_the_title(client, alice):
    TopicFactory(slug="chips")
    client.force_login(alice)

    response = client.post("/proposals/new/", {"title": "Chip\x08 registry", "topic": "chips",
                                               "ask": "Keep this ask."})

    assert response.status_code == 400  # refused fields: 400, the form shown again
    assert response.context["form"].errors == {"title": [
        "Title: Contains the control character U+0008, which is not allowed. Remove it and "
        "try again."]}
    assert "Keep this ask." in response.content.decode()
    assert Proposal.objects.count() == 0


# --- API -----------------------------------------------------------------------------------

def test_api_json_with_a_control_character_is_a_400_naming_the_field(api_as, alice):
    services.catalogue_load()

    response = api_as(alice).post("/api/v1/topics/", {
        "title": "Bad\x01title", "cluster": "security", "reason": "Fine\r\nreason"},
        format="json")

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Some fields are not valid: title.", "code": "invalid",
        "fields": {"title": ["Contains the control character U+0001, which is not allowed. "
                             "Remove it and try again."]}}
    assert Topic.objects.filter(state=Topic.State.SUGGESTED).count() == 0


def test_api_json_names_a_nested_field_by_its_path(api_as, alice):
    topic = TopicFactory(slug="chips")
    ClaimFactory(person=alice, topic=topic)

    response = api_as(alice).post("/api/v1/proposals/", {
        "title": "Fine", "topic": "chips", "ask": "Fine", "steps": ["ok", "bad\x85"]},
        format="json")

    assert response.status_code == 400
    assert response.json()["fields"] == {"steps.1": [
        "Contains the control character U+0085, which is not allowed. Remove it and try "
        "again."]}


def test_api_form_body_with_a_control_character_is_a_400_naming_the_field(api_as, alice):
    services.catalogue_load()

    response = api_as(alice).post(
        "/api/v1/topics/", urlencode({"title": "Fine", "cluster": "security",
                                      "reason": "Bad\x7f"}),
        content_type="application/x-www-form-urlencoded")

    assert response.status_code == 400
    assert response.json()["fields"] == {"reason": [
        "Contains the control character U+007F, which is not allowed. Remove it and try "
        "again."]}


# --- Output: feeds and the SVG map, with control characters already stored ----------------

@pytest.fixture
def stored():
    """Every text a feed or the map shows, with control characters written straight in."""
    cluster = ClusterFactory(slug="law")
    topic = TopicFactory(cluster=cluster, slug="treaty")
    gap = TopicFactory(cluster=cluster, slug="open")
    writeup = WriteupFactory(topic=topic, published=True, body="Body")
    proposal = ProposalFactory(topic=topic)
    proposal_move(proposal=proposal, to="withdrawn", actor=proposal.author,
                  note="Moved", reason="superseded")
    Cluster.objects.filter(pk=cluster.pk).update(name=BAD)
    Topic.objects.filter(pk__in=[topic.pk, gap.pk]).update(title=BAD)
    Writeup.objects.filter(pk=writeup.pk).update(title=BAD, body_html=f"<p>{BAD}</p>")
    Proposal.objects.filter(pk=proposal.pk).update(title=BAD)
    ProposalEvent.objects.filter(proposal=proposal).update(note=BAD)
    alice = writeup.author
    alice.profile.display_name = BAD
    alice.profile.save()


def _entries(client, url):
    response = client.get(url)
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # raises on what XML 1.0 cannot hold
    return root, root.findall(f"{ATOM}entry")


@pytest.mark.parametrize("url", ["/feeds/writeups/", "/feeds/writeups/topic/treaty/",
                                 "/feeds/writeups/cluster/law/"])
def test_writeup_feeds_strip_stored_control_characters(client, stored, url):
    root, entries = _entries(client, url)

    assert [entry.find(f"{ATOM}title").text for entry in entries] == [
        "Badtitle end (insight on Badtitle end)"]
    assert entries[0].find(f"{ATOM}summary").text == "<p>Badtitle end</p>"
    assert "\x01" not in root.find(f"{ATOM}title").text


def test_writeup_feed_title_of_a_topic_strips_stored_control_characters(client, stored):
    root, _ = _entries(client, "/feeds/writeups/topic/treaty/")

    assert root.find(f"{ATOM}title").text == "Gapmap: new writeups on Badtitle end"


def test_gaps_feed_strips_stored_control_characters(client, stored):
    _, entries = _entries(client, "/feeds/gaps/")

    assert [entry.find(f"{ATOM}title").text for entry in entries] == [
        "Gap: Badtitle end", "Gap: Badtitle end"]


def test_proposal_stages_feed_strips_stored_control_characters(client, stored):
    _, entries = _entries(client, "/feeds/proposals/stages/")

    assert [(entry.find(f"{ATOM}title").text, entry.find(f"{ATOM}summary").text)
            for entry in entries] == [("Badtitle end: analysis → withdrawn", "Badtitle end")]


def test_map_svg_strips_stored_control_characters(client, stored):
    response = client.get("/map.svg")

    assert response.status_code == 200
    root = ET.fromstring(response.content)  # raises on what XML 1.0 cannot hold
    texts = [element.text for element in root.iter() if element.text]
    assert "Badtitle end" in texts
    assert not any("\x01" in text for text in texts)


# --- The service doors ---------------------------------------------------------------------
# Forms and the API parsers refuse control characters beside the field; the services refuse
# them again, whoever calls (a shell, a task, the admin, a future view).

def _claim(person):
    return services.claim_create(topic=TopicFactory(), person=person, plan="A plan.")


# Each door: (the field it must name, a call with a control character in that field).
SERVICE_CALLS = {
    "account username": ("username", lambda p: services.account_create(
        username="x\x01y", email="", password="pw-long-enough-1")),
    "profile affiliation": ("affiliation", lambda p: services.profile_update(
        profile=p.profile, affiliation="Lab\x01")),
    "claim plan": ("plan", lambda p: services.claim_create(
        topic=TopicFactory(), person=p, plan="Plan\x02")),
    "claim release note": ("note", lambda p: services.claim_release(
        claim=_claim(p), actor=p, note="Bye\x03")),
    "claim renew note": ("note", lambda p: services.claim_renew(
        claim=_claim(p), actor=p, note="Still\x04")),
    "writeup title": ("title", lambda p: services.writeup_create(
        topic=TopicFactory(), author=p, title="T\x05", kind="plan", body="B")),
    "writeup body": ("body", lambda p: services.writeup_create(
        topic=TopicFactory(), author=p, title="T", kind="plan", body="B\x06")),
    "writeup external url": ("external_url", lambda p: services.writeup_create(
        topic=TopicFactory(), author=p, title="T", kind="plan",
        external_url="https://example.org/\x07")),
    "topic suggestion reason": ("reason", lambda p: services.topic_suggest(
        person=p, title="New", cluster=ClusterFactory(), reason="Why\x08")),
    "proposal title": ("title", lambda p: proposal_services.proposal_create(
        topic=TopicFactory(), author=p, title="P\x0b")),
    "proposal ask": ("ask", lambda p: proposal_services.proposal_create(
        topic=TopicFactory(), author=p, title="P", ask="Ask\x0c")),
    "proposal step": ("steps", lambda p: proposal_services.proposal_create(
        topic=TopicFactory(), author=p, title="P", steps=["One", "Two\x1b"])),
    "report note": ("note", lambda p: report_create(
        reporter=p, target_type="writeup", target_id=WriteupFactory().pk, reason="spam",
        note="N\x0e")),
    "hide reason": ("reason", lambda p: content_hide(
        moderator=UserFactory(is_staff=True), target_type="writeup", obj=WriteupFactory(),
        reason="R\x1f")),
    "funder interest note": ("note", lambda p: interest_register(
        funder=FunderFactory(), topic=TopicFactory(), note="N\x7f")),
    "api token name": ("name", lambda p: api_token_create(user=p, name="CI\x9b")),
}


@pytest.mark.parametrize("call", sorted(SERVICE_CALLS))
def test_service_refuses_a_control_character_naming_the_field(call, alice):
    from registry.core.errors import ValidationFailed

    field, run = SERVICE_CALLS[call]
    with pytest.raises(ValidationFailed) as refused:
        run(alice)
    assert list(refused.value.fields) == [field]
    assert "Contains the control character U+" in refused.value.fields[field][0]
