"""The language a proposal is written in (issue 18): stored, shown as the `lang` of its own
text (never translated), taken from the reader's language when the author does not say, and
refused, naming `language`, when Gapmap does not speak it."""

import pytest

from proposals import services
from proposals.models import Proposal, ProposalEvent
from registry.core.errors import ValidationFailed
from tests.factories import ProposalFactory, TopicFactory

URL = "/api/v1/proposals/"
REFUSED = {"language": ["Choose one of: en, es."]}


def _main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main"):html.index("</main>")]


# The service


def test_proposal_create_stores_the_language(alice):
    proposal = ProposalFactory(author=alice, language="es")

    assert Proposal.objects.get(pk=proposal.pk).language == "es"


def test_proposal_create_without_language_stores_blank(alice):
    proposal = ProposalFactory(author=alice)

    assert Proposal.objects.get(pk=proposal.pk).language == ""


def test_proposal_create_refuses_an_unknown_language_and_writes_nothing(alice):
    topic = TopicFactory()

    with pytest.raises(ValidationFailed) as refused:
        services.proposal_create(topic=topic, author=alice, title="Registro", language="xx")

    assert refused.value.fields == REFUSED
    assert Proposal.objects.count() == 0


def test_proposal_update_changes_the_language_without_a_history_row(proposal, alice):
    events = ProposalEvent.objects.filter(proposal=proposal).count()

    services.proposal_update(proposal=proposal, actor=alice, language="es")

    stored = Proposal.objects.get(pk=proposal.pk)
    assert (stored.language, stored.version) == ("es", 2)
    assert ProposalEvent.objects.filter(proposal=proposal).count() == events


def test_proposal_update_refuses_an_unknown_language_and_writes_nothing(proposal, alice):
    with pytest.raises(ValidationFailed) as refused:
        services.proposal_update(proposal=proposal, actor=alice, language="english",
                                 title="Changed")

    assert refused.value.fields == REFUSED
    stored = Proposal.objects.get(pk=proposal.pk)
    assert (stored.language, stored.title, stored.version) == ("", proposal.title, 1)


# Pages: the lang attribute


def test_proposal_page_marks_its_own_text_with_the_language(client, alice):
    proposal = ProposalFactory(author=alice, language="es", title="Registro de chips",
                               ask="Llevar un registro.", target="Un laboratorio",
                               cost_range="50 000 €", time_horizon="6 meses",
                               analysis="Por qué *importa*.", steps=["Redactar", "Enviar"])

    main = _main(client.get(proposal.get_absolute_url()))

    assert '<h1 lang="es">Registro de chips</h1>' in main
    assert '<p class="ask" lang="es">Llevar un registro.</p>' in main
    assert '<span lang="es">Un laboratorio</span>' in main
    assert '<span lang="es">50 000 €</span>' in main
    assert '<span lang="es">6 meses</span>' in main
    assert '<ol class="steps" lang="es"><li>Redactar</li><li>Enviar</li></ol>' in main
    assert '<div lang="es"><p>Por qué <em>importa</em>.</p>\n</div>' in main


def test_proposal_page_of_an_unknown_language_has_no_lang_attribute(client, alice):
    proposal = ProposalFactory(author=alice, title="Chip registry", cost_range="$50k")

    main = _main(client.get(proposal.get_absolute_url()))

    assert "<h1>Chip registry</h1>" in main
    assert '<p class="ask">Adopt a shared incident-reporting checklist.</p>' in main
    assert "<span>$50k</span>" in main
    assert ' lang="' not in main


def test_board_card_and_topic_list_mark_the_title(client, alice):
    topic = TopicFactory(slug="chips")
    spanish = ProposalFactory(author=alice, topic=topic, language="es", title="Registro")
    unknown = ProposalFactory(author=alice, topic=topic, title="Registry")

    board = _main(client.get("/proposals/"))
    topic_page = _main(client.get(topic.get_absolute_url()))

    spanish_link = f'<a href="{spanish.get_absolute_url()}" lang="es">Registro</a>'
    unknown_link = f'<a href="{unknown.get_absolute_url()}">Registry</a>'
    assert (spanish_link in board, unknown_link in board) == (True, True)
    assert (spanish_link in topic_page, unknown_link in topic_page) == (True, True)
    assert '<span lang="es">A frontier lab</span>' in board


def test_authors_page_marks_the_title_of_each_proposal(client, alice):
    spanish = ProposalFactory(author=alice, language="es", title="Registro")
    unknown = ProposalFactory(author=alice, title="Registry")

    page = _main(client.get("/people/alice/"))

    assert f'<a href="{spanish.get_absolute_url()}" lang="es">Registro</a>' in page
    assert f'<a href="{unknown.get_absolute_url()}">Registry</a>' in page


# Page forms


def test_create_form_starts_from_the_readers_language(client, alice):
    client.force_login(alice)

    english = client.get("/proposals/new/")
    spanish = client.get("/proposals/new/", HTTP_ACCEPT_LANGUAGE="es")

    assert english.context["form"]["language"].value() == "en"
    assert spanish.context["form"]["language"].value() == "es"
    assert '<option value="es" selected>' in spanish.content.decode()


def test_create_page_stores_the_language_chosen(client, alice):
    TopicFactory(slug="chips")
    client.force_login(alice)

    response = client.post("/proposals/new/", {"title": "Chip registry", "topic": "chips",
                                               "language": "en"}, HTTP_ACCEPT_LANGUAGE="es")

    proposal = Proposal.objects.get()
    assert response["Location"] == proposal.get_absolute_url()
    assert proposal.language == "en"


def test_create_page_without_language_takes_the_spanish_request(client, alice):
    TopicFactory(slug="chips")
    client.force_login(alice)

    client.post("/proposals/new/", {"title": "Registro de chips", "topic": "chips"},
                HTTP_ACCEPT_LANGUAGE="es")

    assert Proposal.objects.get().language == "es"


def test_create_page_refuses_an_unknown_language_and_keeps_what_was_typed(client, alice):
    TopicFactory(slug="chips")
    client.force_login(alice)

    response = client.post("/proposals/new/", {
        "title": "Chip registry", "topic": "chips", "language": "xx",
        "ask": "Keep this ask.", "steps": "First step\nSecond step"})

    html = response.content.decode()
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["language"]
    assert Proposal.objects.count() == 0
    assert ('value="Chip registry"' in html, "Keep this ask." in html,
            "First step\nSecond step" in html) == (True, True, True)


def test_edit_form_starts_from_the_stored_language(client, alice):
    spanish = ProposalFactory(author=alice, language="es")
    unknown = ProposalFactory(author=alice)
    client.force_login(alice)

    stored = client.get(f"/proposals/{spanish.pk}/edit/")
    blank = client.get(f"/proposals/{unknown.pk}/edit/", HTTP_ACCEPT_LANGUAGE="es")

    assert stored.context["form"]["language"].value() == "es"
    assert blank.context["form"]["language"].value() == "es"


def _form_data(proposal, **changes):
    return {"title": proposal.title, "topic": proposal.topic.slug, "ask": proposal.ask,
            "target": proposal.target, "steps": "\n".join(proposal.steps),
            "version": proposal.version, **changes}


def test_edit_page_changes_the_language(client, alice):
    proposal = ProposalFactory(author=alice, language="es")
    client.force_login(alice)

    response = client.post(f"/proposals/{proposal.pk}/edit/",
                           _form_data(proposal, language="en"))

    assert response.status_code == 302
    assert Proposal.objects.get(pk=proposal.pk).language == "en"


def test_edit_page_sent_without_language_keeps_the_stored_one(client, alice):
    spanish = ProposalFactory(author=alice, language="es")
    unknown = ProposalFactory(author=alice)
    client.force_login(alice)

    client.post(f"/proposals/{spanish.pk}/edit/", _form_data(spanish, title="Nuevo"))
    client.post(f"/proposals/{unknown.pk}/edit/", _form_data(unknown, title="New"),
                HTTP_ACCEPT_LANGUAGE="es")

    assert Proposal.objects.get(pk=spanish.pk).language == "es"
    assert Proposal.objects.get(pk=unknown.pk).language == ""


def test_edit_page_refuses_an_unknown_language_and_keeps_what_was_typed(client, alice):
    proposal = ProposalFactory(author=alice, language="es")
    client.force_login(alice)

    response = client.post(f"/proposals/{proposal.pk}/edit/",
                           _form_data(proposal, language="fr", title="Typed title"))

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["language"]
    assert 'value="Typed title"' in response.content.decode()
    stored = Proposal.objects.get(pk=proposal.pk)
    assert (stored.language, stored.title, stored.version) == ("es", proposal.title, 1)


# The API


def test_api_create_stores_and_shows_the_language(api_as, alice):
    TopicFactory(slug="chips")

    response = api_as(alice).post(URL, {"title": "Chip registry", "topic": "chips",
                                        "language": "en"}, format="json",
                                  HTTP_ACCEPT_LANGUAGE="es")

    assert (response.status_code, response.json()["language"]) == (201, "en")
    assert Proposal.objects.get().language == "en"


def test_api_create_without_language_takes_the_spanish_request(api_as, alice):
    TopicFactory(slug="chips")

    response = api_as(alice).post(URL, {"title": "Registro", "topic": "chips"}, format="json",
                                  HTTP_ACCEPT_LANGUAGE="es")

    assert (response.status_code, response.json()["language"]) == (201, "es")
    assert Proposal.objects.get().language == "es"


def test_api_create_without_language_in_english_is_english(api_as, alice):
    TopicFactory(slug="chips")

    response = api_as(alice).post(URL, {"title": "Registry", "topic": "chips"}, format="json")

    assert (response.status_code, response.json()["language"]) == (201, "en")


def test_api_create_refuses_an_unknown_language_naming_it(api_as, alice):
    TopicFactory(slug="chips")

    response = api_as(alice).post(URL, {"title": "Registry", "topic": "chips",
                                        "language": "klingon"}, format="json")

    assert response.status_code == 400
    assert (response.json()["code"], response.json()["fields"]) == ("invalid", REFUSED)
    assert Proposal.objects.count() == 0


def test_api_update_changes_the_language_and_refuses_an_unknown_one(api_as, alice):
    proposal = ProposalFactory(author=alice)
    url = f"{URL}{proposal.pk}/"

    changed = api_as(alice).patch(url, {"language": "es"}, format="json")
    refused = api_as(alice).patch(url, {"language": "xx"}, format="json")

    assert (changed.status_code, changed.json()["language"]) == (200, "es")
    assert (refused.status_code, refused.json()["fields"]) == (400, REFUSED)
    stored = Proposal.objects.get(pk=proposal.pk)
    assert (stored.language, stored.version) == ("es", 2)


def test_api_shows_blank_for_an_unknown_language(api, alice):
    proposal = ProposalFactory(author=alice)

    response = api.get(f"{URL}{proposal.pk}/")

    assert response.json()["language"] == ""
