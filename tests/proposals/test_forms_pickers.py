"""People and topics chosen by the names people use (issue 16, item 3): the owner invite by
display name, the board's topic filter by title, related topics as checkboxes, supporting
writeups limited to the proposal's topics plus a search; and the create form's lookups,
which show the page again without losing anything typed (item 2)."""

import pytest
from django.utils import translation

from proposals.forms import BoardFilterForm, InviteOwnerForm, ProposalForm
from proposals.models import Proposal, Stage
from registry.moderation.services import content_hide
from tests.factories import (
    ClusterFactory,
    ProposalFactory,
    TopicFactory,
    UserFactory,
    WriteupFactory,
)
from tests.proposals.conftest import move_to

pytestmark = pytest.mark.django_db


def person(username, display_name, affiliation="Independent", **profile):
    user = UserFactory(username=username)
    user.profile.display_name, user.profile.affiliation = display_name, affiliation
    for name, value in profile.items():
        setattr(user.profile, name, value)
    user.profile.save()
    return user


def invite_errors(typed):
    form = InviteOwnerForm({"username": typed})
    form.is_valid()
    return form


# --- Owner invite ----------------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["Nia Silva", "  nia silva ", "nsilva", "@nsilva"])
def test_owner_invite_by_display_name_or_username_finds_the_person(typed):
    nia = person("nsilva", "Nia Silva")
    form = InviteOwnerForm({"username": typed})
    assert form.is_valid()
    assert form.cleaned_data["username"] == nia


def test_owner_invite_ambiguous_name_lists_the_people_to_choose_from():
    person("nsilva", "Nia Silva", "Oxford")
    person("nia-s", "Nia Silva", "")
    form = invite_errors("Nia Silva")
    assert form.errors == {"username": [
        "Several people are called “Nia Silva”: nia-s; nsilva (Oxford). Type the username of "
        "the one you mean."]}


def test_owner_invite_unknown_name_says_what_was_typed():
    person("nsilva", "Nia Silva")
    form = invite_errors("Nia Silvera")
    assert form.errors == {"username": [
        "Nobody is called “Nia Silvera”. Type their name as it is on their profile, or their "
        "username."]}


def test_owner_invite_hidden_profile_is_not_found_by_its_display_name():
    person("nsilva", "Nia Silva", hidden=True)
    assert list(invite_errors("Nia Silva").errors) == ["username"]
    assert invite_errors("nsilva").is_valid()  # the username is public: it still works


def test_owner_invite_page_by_display_name_sends_the_invitation(client, alice):
    nia = person("nsilva", "Nia Silva")
    proposal = move_to(ProposalFactory(author=alice), Stage.PROPOSAL)
    client.force_login(alice)
    response = client.post(f"/proposals/{proposal.pk}/invite-owner/", {"username": "Nia Silva"})
    assert response.status_code == 302
    assert proposal.owner_invitations.get().invitee == nia


def test_owner_invite_page_ambiguous_name_keeps_what_was_typed(client, alice):
    person("nsilva", "Nia Silva")
    person("nia-s", "Nia Silva")
    proposal = move_to(ProposalFactory(author=alice), Stage.PROPOSAL)
    client.force_login(alice)
    response = client.post(f"/proposals/{proposal.pk}/invite-owner/", {"username": "Nia Silva"})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'value="Nia Silva"' in html
    assert ("Several people are called “Nia Silva”: nia-s (Independent); nsilva "
            "(Independent).") in html


def co_authors(typed, topic=None):
    form = ProposalForm({"title": "T", "topic": (topic or TopicFactory()).slug,
                         "co_authors": typed})
    form.is_valid()
    return form


def test_co_authors_by_display_name_or_username():
    nia, bob = person("nsilva", "Nia Silva"), person("bob", "Bob Builder")
    form = co_authors("Nia Silva, @bob, nia silva")
    assert form.errors == {}
    assert form.cleaned_data["co_authors"] == [nia, bob]


def test_co_authors_unknown_and_ambiguous_names_are_named():
    person("nsilva", "Nia Silva", "Oxford")
    person("nia-s", "Nia Silva", "")
    assert co_authors("Nia Silva").errors == {"co_authors": [
        "Several people are called “Nia Silva”: nia-s; nsilva (Oxford). Type the username of "
        "the one you mean."]}
    assert co_authors("nsilva, ghost, @spook").errors == {"co_authors": [
        "No such people: ghost, spook."]}


def test_co_authors_too_many_names_are_refused_before_looking_them_up(
        django_assert_max_num_queries):
    topic = TopicFactory()
    with django_assert_max_num_queries(4):  # the form's choices, not one per name
        form = co_authors(", ".join(f"p{n}" for n in range(11)), topic)
    assert form.errors["co_authors"] == ["Name at most 10 co-authors."]


# --- Board topic filter ----------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["Detecting datacenters", "detecting DATACENTERS",
                                   "detecting-datacenters"])
def test_board_filter_topic_by_exact_title_or_slug(typed):
    topic = TopicFactory(slug="detecting-datacenters", title="Detecting datacenters")
    TopicFactory(slug="detecting-datacenters-2", title="Detecting datacenters at sea")
    form = BoardFilterForm({"topic": typed})
    assert form.is_valid()
    assert form.cleaned_data["topic"] == topic


def test_board_filter_topic_by_its_title_in_the_readers_language():
    topic = TopicFactory(slug="detecting-datacenters", title="Detecting datacenters",
                         translations={"es": {"title": "Detectar centros de datos",
                                              "description": "", "edited": False}})

    with translation.override("es"):
        spanish = BoardFilterForm({"topic": "detectar centros de datos"})
        spanish_valid = spanish.is_valid()
    english = BoardFilterForm({"topic": "Detectar centros de datos"})

    assert (spanish_valid, spanish.cleaned_data["topic"]) == (True, topic)
    assert english.errors == {"topic": [
        "No listed topic is called “Detectar centros de datos”."]}


def test_board_filter_unknown_topic_names_it():
    form = BoardFilterForm({"topic": "Detecting dragons"})
    assert form.errors == {"topic": ["No listed topic is called “Detecting dragons”."]}


def test_board_filter_two_topics_of_one_title_ask_for_the_short_name():
    TopicFactory(slug="twin-a", title="Twin")
    TopicFactory(slug="twin-b", title="Twin")
    form = BoardFilterForm({"topic": "twin"})
    assert form.errors == {"topic": [
        "Several topics are called “twin”; type the short name of the one you mean: twin-a, "
        "twin-b."]}


def test_board_page_filters_by_title_and_its_placeholder_is_a_title(client):
    topic = TopicFactory(slug="detecting-datacenters", title="Detecting datacenters")
    ProposalFactory(topic=topic, title="Satellite census")
    ProposalFactory(title="Something else")
    html = client.get("/proposals/", {"topic": "Detecting datacenters"}).content.decode()
    assert "Satellite census" in html
    assert "Something else" not in html
    assert 'placeholder="e.g. Detecting datacenters"' in html
    assert 'hx-get="/pick/topics/"' in html
    # The help its field points to (aria-describedby) is on the page.
    assert 'aria-describedby="id_topic_helptext"' in html
    assert ('<p class="help" id="id_topic_helptext">Its title: type part of it and choose from '
            'the suggestions.</p>') in html


# --- Related topics and supporting writeups --------------------------------------------------

def test_topic_choices_follow_the_titles_in_the_readers_language():
    """Within a cluster, by the title the reader reads: "Wasps" before "Zebra bees" in
    English, "Abejas cebra" before "Avispas" in Spanish."""
    cluster = ClusterFactory(name="Nature", position=1)
    TopicFactory(cluster=cluster, slug="wasps", title="Wasps",
                 translations={"es": {"title": "Avispas", "description": "", "edited": False}})
    TopicFactory(cluster=cluster, slug="zebra-bees", title="Zebra bees",
                 translations={"es": {"title": "Abejas cebra", "description": "",
                                      "edited": False}})

    def slugs():
        (_, group), = [choice for choice in ProposalForm().fields["topic"].choices if choice[0]]
        return [str(value) for value, _label in group]

    english = slugs()
    with translation.override("es"):
        spanish = slugs()

    assert (english, spanish) == (["wasps", "zebra-bees"], ["zebra-bees", "wasps"])


def test_related_topics_are_checkboxes_grouped_by_cluster_not_a_multiple_select(client, alice):
    compute = ClusterFactory(name="Compute", position=1)
    policy = ClusterFactory(name="Policy", position=2)
    TopicFactory(cluster=policy, slug="export-rules", title="Export rules")
    TopicFactory(cluster=compute, slug="chip-logs", title="Chip logs")
    client.force_login(alice)
    html = client.get("/proposals/new/").content.decode()
    assert "<select multiple" not in html and "Ctrl" not in html
    related = html[html.index('<div class="checklist" id="id_related_topics">'):]
    related = related[:related.index("</fieldset>\n</div>")]
    lines = [line.strip() for line in related.splitlines()]
    assert [line for line in lines if "legend" in line or "checkbox" in line] == [
        '<fieldset class="checklist-group"><legend>Compute</legend><ul>',
        '<li><label for="id_related_topics_0_0"><input type="checkbox" name="related_topics" '
        'value="chip-logs" id="id_related_topics_0_0">',
        '</ul></fieldset><fieldset class="checklist-group"><legend>Policy</legend><ul>',
        '<li><label for="id_related_topics_1_0"><input type="checkbox" name="related_topics" '
        'value="export-rules" id="id_related_topics_1_0">',
    ]


def test_main_topic_is_chosen_from_a_list_grouped_by_cluster(client, alice):
    compute = ClusterFactory(name="Compute", position=1)
    TopicFactory(cluster=compute, slug="chip-logs", title="Chip logs")
    client.force_login(alice)
    html = client.get("/proposals/new/").content.decode()
    select = html[html.index('<select name="topic"'):]
    select = select[:select.index("</select>")]
    assert [line.strip() for line in select.splitlines()[1:] if line.strip()] == [
        '<option value="" selected>Choose a topic</option>', '<optgroup label="Compute">',
        '<option value="chip-logs">Chip logs</option>', "</optgroup>"]


def test_related_topics_ticked_are_saved(client, alice):
    main = TopicFactory(slug="main")
    a, b = TopicFactory(slug="rel-a"), TopicFactory(slug="rel-b")
    client.force_login(alice)
    response = client.post("/proposals/new/", {"title": "Two related", "topic": "main",
                                               "related_topics": ["rel-a", "rel-b"]})
    assert response.status_code == 302
    proposal = Proposal.objects.get(title="Two related")
    assert (proposal.topic, sorted(t.slug for t in proposal.related_topics.all())) == (
        main, [a.slug, b.slug])


def offered(form):
    return [label for _, label in form.fields["supporting_writeups"].widget.choices]


def test_supporting_writeups_offered_are_those_on_the_topic_and_related_topics(alice):
    main, related, elsewhere = TopicFactory(title="Main"), TopicFactory(title="Rel"), TopicFactory()
    WriteupFactory(topic=main, title="On main", published=True)
    WriteupFactory(topic=related, title="On related", published=True)
    WriteupFactory(topic=elsewhere, title="Elsewhere", published=True)
    WriteupFactory(topic=main, title="A draft of someone", published=False)
    form = ProposalForm({"title": "T", "topic": main.slug, "related_topics": [related.slug]},
                        user=alice)
    assert offered(form) == ["On related (Rel)", "On main (Main)"]


def test_supporting_writeups_offered_for_a_preselected_topic(client, alice):
    main = TopicFactory(slug="main", title="Main")
    WriteupFactory(topic=main, title="On main", published=True)
    WriteupFactory(title="Elsewhere", published=True)
    client.force_login(alice)
    html = client.get("/proposals/new/?topic=main").content.decode()
    assert "On main (Main)" in html
    assert "Elsewhere" not in html


def test_supporting_writeups_search_finds_others_by_title_and_keeps_the_chosen(alice):
    main = TopicFactory(title="Main")
    chosen = WriteupFactory(title="Chosen before", published=True)
    WriteupFactory(title="Compute census", published=True)
    WriteupFactory(title="Unrelated", published=True)
    form = ProposalForm({"title": "T", "topic": main.slug, "supporting_writeups": [chosen.pk],
                         "writeup_q": "census", "lookup": "writeups"}, user=alice)
    assert [label.split(" (")[0] for label in offered(form)] == ["Chosen before",
                                                                  "Compute census"]


def test_supporting_writeup_found_by_search_can_be_chosen(client, alice):
    main = TopicFactory(slug="main")
    far = WriteupFactory(title="Far away", published=True)
    client.force_login(alice)
    response = client.post("/proposals/new/", {"title": "Builds on far", "topic": "main",
                                               "supporting_writeups": [far.pk]})
    assert response.status_code == 302
    assert list(Proposal.objects.get(title="Builds on far").supporting_writeups.all()) == [far]
    assert far.topic != main


def test_supporting_writeups_never_offer_a_draft_or_a_hidden_writeup(alice, bob, moderator):
    main = TopicFactory(title="Main")
    WriteupFactory(topic=main, author=bob, title="Bob's draft")
    hidden = WriteupFactory(topic=main, author=bob, title="Hidden one", published=True)
    content_hide(moderator=moderator, target_type="writeup", obj=hidden, reason="Spam.")
    WriteupFactory(topic=main, author=alice, title="Alice's draft")
    form = ProposalForm({"title": "T", "topic": main.slug, "writeup_q": "one"}, user=alice)
    assert offered(form) == []


# --- Lookups without JavaScript --------------------------------------------------------------

def test_find_writeups_without_javascript_keeps_everything_typed(client, alice):
    TopicFactory(slug="main")
    WriteupFactory(title="Compute census", published=True)
    client.force_login(alice)
    response = client.post("/proposals/new/", {
        "title": "My title", "topic": "main", "analysis": "Long analysis typed.",
        "writeup_q": "census", "lookup": "writeups"})
    html = response.content.decode()
    assert response.status_code == 200
    kept = ['value="My title"', "Long analysis typed.</textarea>", 'value="census"',
            "Compute census"]
    assert [text for text in kept if text not in html] == []
    assert '<option value="main" selected>' in html
    assert 'class="errors"' not in html  # a lookup is no verdict: nothing is "required" yet


def test_check_for_similar_saves_nothing(client, alice):
    TopicFactory(slug="main")
    client.force_login(alice)
    response = client.post("/proposals/new/", {"title": "Complete", "topic": "main",
                                               "lookup": "similar"})
    assert (response.status_code, Proposal.objects.count()) == (200, 0)



def test_find_writeups_on_the_edit_page_saves_nothing_and_keeps_the_edit(client, alice):
    proposal = ProposalFactory(author=alice, title="Before")
    WriteupFactory(title="Compute census", published=True)
    client.force_login(alice)
    data = {**ProposalForm.initial_for(proposal), "title": "After, not saved yet",
            "topic": proposal.topic.slug, "steps": "One", "writeup_q": "census",
            "lookup": "writeups", "supporting_writeups": []}
    response = client.post(f"/proposals/{proposal.pk}/edit/", data)
    html = response.content.decode()
    proposal.refresh_from_db()
    assert (response.status_code, proposal.title) == (200, "Before")
    assert 'value="After, not saved yet"' in html and "Compute census" in html
