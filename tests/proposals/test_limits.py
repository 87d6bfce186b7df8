"""Proposals refuse text over its registry.core.limits maximum and lists over their cap, in the
service (one refusal per write, naming the field), the API (a 400 before any item is looked
up) and the pages (the error by the field, what was typed kept)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from proposals import services
from proposals.forms import ProposalForm
from proposals.models import Proposal, ProposalEvent, Stage
from registry.core import limits
from registry.core.errors import ValidationFailed
from tests.factories import ProposalFactory, TopicFactory, UserFactory, WriteupFactory

URL = "/api/v1/proposals/"


def too_long(field, filler="x"):
    return filler * (limits.max_length("proposal", field) + 1)


def cap(field):
    return limits.max_items("proposal", field)


@pytest.fixture
def topic(db):
    return TopicFactory(slug="chips")


def refused_fields(call) -> dict:
    with pytest.raises(ValidationFailed) as refused:
        call()
    return refused.value.fields


# --- The service ----------------------------------------------------------------------------


@pytest.mark.parametrize("field", services.TEXT_FIELDS)
def test_proposal_create_over_a_maximum_names_the_field_and_writes_nothing(alice, topic, field):
    values = {"title": "Reporting duty", field: too_long(field, "[")}

    fields = refused_fields(lambda: services.proposal_create(topic=topic, author=alice,
                                                             **values))

    assert list(fields) == [field]
    assert fields[field] == [f"Keep this to {limits.max_length('proposal', field):,} characters "
                             f"or fewer (it has {limits.max_length('proposal', field) + 1:,})."]
    assert (Proposal.objects.count(), ProposalEvent.objects.count()) == (0, 0)


def test_proposal_create_at_every_maximum_is_accepted(alice, topic):
    values = {field: "x" * limits.max_length("proposal", field)
              for field in services.TEXT_FIELDS}

    proposal = services.proposal_create(
        topic=topic, author=alice, steps=["s" * limits.max_length("proposal", "step")] * cap(
            "steps"), **values)

    assert (len(proposal.analysis), len(proposal.steps)) == (
        limits.max_length("proposal", "analysis"), cap("steps"))


@pytest.mark.parametrize("field", ["steps", "co_authors", "related_topics",
                                   "supporting_writeups"])
def test_proposal_create_with_a_list_over_its_cap_names_the_field(alice, topic, field):
    make = {"steps": lambda: "a step", "co_authors": UserFactory,
            "related_topics": TopicFactory,
            "supporting_writeups": lambda: WriteupFactory(published=True)}[field]
    items = [make() for _ in range(cap(field) + 1)]

    fields = refused_fields(lambda: services.proposal_create(
        topic=topic, author=alice, title="Reporting duty", **{field: items}))

    assert fields == {field: [f"Choose at most {cap(field)} (this has {cap(field) + 1})."]}
    assert Proposal.objects.count() == 0


def test_proposal_create_with_a_step_too_long_names_steps(alice, topic):
    fields = refused_fields(lambda: services.proposal_create(
        topic=topic, author=alice, title="Reporting duty",
        steps=["fine", too_long("step"), "fine"]))

    assert fields == {"steps": ["Keep each step to 300 characters or fewer (step 2 is longer)."]}


def test_proposal_create_names_every_bad_field_at_once(alice, topic):
    fields = refused_fields(lambda: services.proposal_create(
        topic=topic, author=alice, title="", ask=too_long("ask"), steps=["s"] * 31))

    assert sorted(fields) == ["ask", "steps", "title"]


@pytest.mark.parametrize("field", [*services.TEXT_FIELDS, "steps", "related_topics"])
def test_proposal_update_over_a_limit_names_the_field_and_keeps_the_proposal(alice, field):
    proposal = ProposalFactory(author=alice)
    value = ([TopicFactory() for _ in range(cap(field) + 1)] if field == "related_topics"
             else ["s"] * (cap(field) + 1) if field == "steps" else too_long(field))

    fields = refused_fields(lambda: services.proposal_update(proposal=proposal, actor=alice,
                                                             **{field: value}))

    assert list(fields) == [field]
    stored = Proposal.objects.get(pk=proposal.pk)
    assert (stored.version, stored.title, stored.analysis, stored.steps) == (
        1, proposal.title, proposal.analysis, proposal.steps)


def test_proposal_update_with_an_empty_title_is_refused(alice):
    proposal = ProposalFactory(author=alice)

    assert list(refused_fields(lambda: services.proposal_update(
        proposal=proposal, actor=alice, title="  "))) == ["title"]


def test_move_note_over_its_maximum_names_note(alice):
    proposal = ProposalFactory(author=alice)

    fields = refused_fields(lambda: services.proposal_move(
        proposal=proposal, to=Stage.PROPOSAL, actor=alice, note=too_long("note")))

    assert list(fields) == ["note"]
    assert Proposal.objects.get(pk=proposal.pk).stage == Stage.ANALYSIS


def test_invitation_answer_note_over_its_maximum_names_note(alice, bob):
    proposal = ProposalFactory(author=alice)
    services.proposal_move(proposal=proposal, to=Stage.PROPOSAL, actor=alice)
    invitation = services.owner_invite(proposal=proposal, invitee=bob, actor=alice)

    for answer, actor in ((services.owner_invitation_decline, bob),
                          (services.owner_invitation_withdraw, alice),
                          (services.owner_invitation_accept, bob)):
        fields = refused_fields(lambda answer=answer, actor=actor: answer(
            invitation=invitation, actor=actor, note=too_long("note")))
        assert list(fields) == ["note"]
    invitation.refresh_from_db()
    assert invitation.state == "pending"


# --- The API --------------------------------------------------------------------------------


def post(client, **fields):
    return client.post(URL, {"title": "Reporting duty", "topic": "chips", **fields},
                       format="json")


def test_api_attack_sized_analysis_is_400_naming_analysis(api_as, alice, topic):
    response = post(api_as(alice), analysis="[" * 1_040_000)

    assert response.status_code == 400
    assert (response.json()["code"], list(response.json()["fields"])) == ("invalid",
                                                                          ["analysis"])
    assert Proposal.objects.count() == 0


@pytest.mark.parametrize("field", services.TEXT_FIELDS)
def test_api_text_over_its_maximum_is_400_naming_the_field(api_as, alice, topic, field):
    response = post(api_as(alice), **{field: too_long(field)})

    assert (response.status_code, list(response.json()["fields"])) == (400, [field])


def test_api_patch_over_a_maximum_is_400_naming_the_field(api_as, alice):
    proposal = ProposalFactory(author=alice)

    response = api_as(alice).patch(f"{URL}{proposal.pk}/", {"analysis": too_long("analysis")},
                                   format="json")

    assert (response.status_code, list(response.json()["fields"])) == (400, ["analysis"])
    assert Proposal.objects.get(pk=proposal.pk).version == 1


@pytest.mark.parametrize(("field", "items"), [
    ("co_authors", [f"person{n}" for n in range(20_000)]),
    ("related_topics", [f"topic-{n}" for n in range(20_000)]),
    ("supporting_writeups", list(range(1, 60_001))),
    ("steps", ["a step"] * 60_000),
])
def test_api_list_over_its_cap_is_400_before_any_item_is_looked_up(api_as, alice, topic,
                                                                   field, items):
    client = api_as(alice)

    with CaptureQueriesContext(connection) as queries:
        response = post(client, **{field: items})

    assert response.status_code == 400
    assert response.json()["fields"] == {
        field: [f"Choose at most {cap(field)} (this has {len(items):,})."]}
    assert len(queries) < 20  # not one per item
    assert Proposal.objects.count() == 0


@pytest.mark.parametrize("field", ["co_authors", "related_topics"])
def test_api_list_at_its_cap_is_accepted(api_as, alice, topic, field):
    items = ([UserFactory().username for _ in range(cap(field))] if field == "co_authors"
             else [TopicFactory().slug for _ in range(cap(field))])

    response = post(api_as(alice), **{field: items})

    assert response.status_code == 201
    # Named co-authors are invited: they are listed as such until they accept.
    shown = "co_authors_invited" if field == "co_authors" else field
    assert len(response.json()[shown]) == cap(field)


def test_api_schema_documents_the_limits(api, db):
    schema = api.get("/api/v1/schema/?format=json").json()
    request = schema["components"]["schemas"]["ProposalRequest"]["properties"]

    assert {field: request[field]["maxLength"] for field in services.TEXT_FIELDS} == {
        field: limits.max_length("proposal", field) for field in services.TEXT_FIELDS}
    assert {field: request[field]["maxItems"] for field in services.LIST_FIELDS} == {
        field: cap(field) for field in services.LIST_FIELDS}


# --- The pages ------------------------------------------------------------------------------


def test_proposal_form_shows_each_limit_as_maxlength(client, alice, topic):
    client.force_login(alice)

    page = client.get("/proposals/new/").content.decode()

    for field in services.TEXT_FIELDS:
        assert re.search(
            rf'name="{field}"[^>]*maxlength="{limits.max_length("proposal", field)}"', page), field


def test_proposal_form_over_a_maximum_shows_the_error_by_the_field_and_keeps_the_text(
        client, alice, topic):
    client.force_login(alice)
    analysis = too_long("analysis", "[")

    response = client.post("/proposals/new/", {
        "title": "Reporting duty", "topic": "chips", "analysis": analysis,
        "ask": "Publish run logs.", "target": "GPU vendors", "steps": "Draft\nPilot"})

    page = response.content.decode()
    form = response.context["form"]
    assert list(form.errors) == ["analysis"]
    assert 'id="id_analysis_errors"' in page
    assert (form["analysis"].value(), form["ask"].value()) == (analysis, "Publish run logs.")
    assert 'value="Reporting duty"' in page
    assert Proposal.objects.count() == 0


def test_proposal_form_with_too_many_steps_shows_the_services_error_by_steps(client, alice,
                                                                            topic):
    client.force_login(alice)
    steps = "\n".join(f"Step {n}" for n in range(cap("steps") + 1))

    response = client.post("/proposals/new/", {"title": "Reporting duty", "topic": "chips",
                                               "steps": steps})

    page = response.content.decode()
    assert list(response.context["form"].errors) == ["steps"]
    assert 'id="id_steps_errors"' in page
    assert f"Choose at most {cap('steps')}" in page
    assert response.context["form"]["steps"].value() == steps
    assert Proposal.objects.count() == 0


def test_proposal_edit_over_a_maximum_keeps_the_proposal_and_the_text(client, alice):
    proposal = ProposalFactory(author=alice)
    client.force_login(alice)
    initial = {key: value for key, value in ProposalForm.initial_for(proposal).items()
               if key not in ("related_topics", "supporting_writeups")}

    response = client.post(f"/proposals/{proposal.pk}/edit/",
                           {**initial, "ask": too_long("ask")})

    assert list(response.context["form"].errors) == ["ask"]
    assert response.context["form"]["ask"].value() == too_long("ask")
    assert Proposal.objects.get(pk=proposal.pk).version == 1


def test_proposal_services_refuse_unlisted_topics_and_unpublished_writeups(alice, bob):
    """The rule lives in the services, not only in the form and the serializer."""
    from registry import services as registry_services
    from registry.core.errors import ValidationFailed
    from tests.factories import ClusterFactory, TopicFactory

    suggestion = registry_services.topic_suggest(person=bob, title="Not yet listed",
                                                 cluster=ClusterFactory(), reason="Why")
    draft = registry_services.writeup_create(topic=TopicFactory(), author=alice, title="Draft",
                                             kind="plan", body="B")
    with pytest.raises(ValidationFailed) as refused:
        services.proposal_create(topic=suggestion, author=alice, title="P",
                                 related_topics=[suggestion], supporting_writeups=[draft])
    assert refused.value.fields == {"topic": ["Choose a listed topic."],
                                    "related_topics": ["Choose listed topics only."],
                                    "supporting_writeups": ["Choose published writeups only."]}
    proposal = services.proposal_create(topic=TopicFactory(), author=alice, title="P")
    with pytest.raises(ValidationFailed) as refused:
        services.proposal_update(proposal=proposal, actor=alice, supporting_writeups=[draft])
    assert refused.value.fields == {"supporting_writeups": ["Choose published writeups only."]}
