"""A writeup's language (issue 18): the language its author wrote it in, kept as written and
marked with a `lang` attribute wherever its title or body shows."""

import re

import pytest

from registry import services
from registry.core.errors import ValidationFailed
from registry.models import TopicEvent, Writeup, WriteupVersion
from tests.factories import TopicFactory, WriteupFactory


def html(response):
    return response.content.decode()


def selected_language(page):
    """The value of the chosen option of the form's language select."""
    select = re.search(r'<select name="language".*?</select>', page, re.S).group(0)
    return re.findall(r'<option value="(\w*)"[^>]*selected', select)


# --- The service ----------------------------------------------------------------------------

def test_writeup_create_stores_the_language_given(alice):
    writeup = WriteupFactory(author=alice, language="es")

    assert Writeup.objects.values_list("language", flat=True).get(pk=writeup.pk) == "es"


def test_writeup_create_without_language_stores_blank(alice):
    writeup = WriteupFactory(author=alice)

    assert Writeup.objects.values_list("language", flat=True).get(pk=writeup.pk) == ""


@pytest.mark.parametrize("language", ["xx", "fr", "ES", "es-ar"])
def test_writeup_create_with_unknown_language_is_refused_naming_it(alice, language):
    with pytest.raises(ValidationFailed) as error:
        services.writeup_create(topic=TopicFactory(), author=alice, title="Plan", kind="plan",
                                body="Text", language=language)

    assert error.value.fields == {"language": ["Choose one of: en, es."]}
    assert (Writeup.objects.count(), WriteupVersion.objects.count(),
            TopicEvent.objects.count()) == (0, 0, 0)


def test_writeup_update_changes_the_language_and_records_what_it_did_before(alice):
    writeup = WriteupFactory(author=alice, language="en")

    services.writeup_update(writeup=writeup, editor=alice, language="es")

    writeup.refresh_from_db()
    assert (writeup.language, writeup.version, writeup.versions.count()) == ("es", 2, 2)
    assert list(TopicEvent.objects.order_by("pk").values_list("kind", flat=True)) == [
        "writeup_created", "writeup_edited"]


def test_writeup_update_without_language_keeps_it(alice):
    writeup = WriteupFactory(author=alice, language="es")

    services.writeup_update(writeup=writeup, editor=alice, body="New")

    writeup.refresh_from_db()
    assert (writeup.language, writeup.body) == ("es", "New")


def test_writeup_update_with_unknown_language_writes_nothing(alice):
    writeup = WriteupFactory(author=alice, language="es", body="Old")

    with pytest.raises(ValidationFailed) as error:
        services.writeup_update(writeup=writeup, editor=alice, body="New", language="xx")

    writeup.refresh_from_db()
    assert error.value.fields == {"language": ["Choose one of: en, es."]}
    assert (writeup.language, writeup.body, writeup.version, writeup.versions.count()) == (
        "es", "Old", 1, 1)


def test_a_language_added_to_settings_is_accepted_without_a_migration(alice, settings):
    settings.LANGUAGES = [*settings.LANGUAGES, ("fr", "Français")]

    writeup = WriteupFactory(author=alice, language="fr")

    assert Writeup.objects.values_list("language", flat=True).get(pk=writeup.pk) == "fr"


# --- The pages ------------------------------------------------------------------------------

def test_writeup_pages_mark_title_and_body_with_the_language(client, alice):
    writeup = WriteupFactory(author=alice, title="Plan de chips", body="Hola", language="es",
                             published=True)

    detail = html(client.get(f"/writeups/{writeup.pk}/"))
    version = html(client.get(f"/writeups/{writeup.pk}/versions/1/"))
    topic = html(client.get(writeup.topic.get_absolute_url()))
    profile = html(client.get("/people/alice/"))

    assert '<h1 lang="es">Plan de chips</h1>' in detail
    assert '<div class="prose" lang="es"><p>Hola</p>\n</div>' in detail
    assert f'<a href="/writeups/{writeup.pk}/" lang="es">Plan de chips</a>' in version
    assert '<h1><span lang="es">Plan de chips</span> <small>' in version
    assert '<div class="prose" lang="es"><p>Hola</p>\n</div>' in version
    assert f'<a href="/writeups/{writeup.pk}/" lang="es">Plan de chips</a>' in topic
    assert f'<a href="/writeups/{writeup.pk}/" lang="es">Plan de chips</a>' in profile


def test_my_work_marks_own_and_endorsed_writeup_titles(client, moderator, bob):
    own = WriteupFactory(author=moderator, title="Mine", language="en")
    endorsed = WriteupFactory(author=bob, title="Suyo", language="es", published=True)
    services.endorsement_create(writeup=endorsed, endorser=moderator,
                                statement="It maps the export rules no one had mapped before.")
    client.force_login(moderator)

    page = html(client.get("/me/"))

    assert f'<a href="/writeups/{own.pk}/" lang="en">Mine</a>' in page
    assert f'<a href="/writeups/{endorsed.pk}/" lang="es">Suyo</a>' in page


def test_writeup_with_unknown_language_has_no_lang_attribute(client, alice):
    writeup = WriteupFactory(author=alice, title="Old plan", body="Old", published=True)

    detail = html(client.get(f"/writeups/{writeup.pk}/"))
    topic = html(client.get(writeup.topic.get_absolute_url()))

    assert "<h1>Old plan</h1>" in detail
    assert '<div class="prose"><p>Old</p>\n</div>' in detail
    assert f'<a href="/writeups/{writeup.pk}/">Old plan</a>' in topic
    assert 'lang=""' not in detail + topic


def test_new_writeup_form_starts_from_the_readers_language(client, alice):
    TopicFactory(slug="chips")
    client.force_login(alice)

    english = html(client.get("/topics/chips/writeups/new/"))
    spanish = html(client.get("/topics/chips/writeups/new/", HTTP_ACCEPT_LANGUAGE="es"))

    assert (selected_language(english), selected_language(spanish)) == (["en"], ["es"])


def test_writeup_created_on_the_page_keeps_the_language_chosen(client, alice):
    TopicFactory(slug="chips")
    client.force_login(alice)

    response = client.post("/topics/chips/writeups/new/", {
        "title": "Plan", "kind": "plan", "body": "Texto", "language": "es"})

    writeup = Writeup.objects.get()
    assert (response.status_code, writeup.language) == (302, "es")
    assert '<h1 lang="es">Plan</h1>' in html(client.get(f"/writeups/{writeup.pk}/"))


def test_writeup_created_on_a_spanish_page_without_language_is_spanish(client, alice):
    TopicFactory(slug="chips")
    client.force_login(alice)

    response = client.post("/topics/chips/writeups/new/", {
        "title": "Plan", "kind": "plan", "body": "Texto"}, HTTP_ACCEPT_LANGUAGE="es")

    assert (response.status_code, Writeup.objects.get().language) == (302, "es")


def test_writeup_page_with_unknown_language_is_refused_and_keeps_what_was_typed(client,
                                                                                alice):
    TopicFactory(slug="chips")
    client.force_login(alice)

    response = client.post("/topics/chips/writeups/new/", {
        "title": "My typed title", "kind": "plan", "body": "My typed body", "language": "xx"})

    page = html(response)
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["language"]
    assert 'value="My typed title"' in page
    assert ">\nMy typed body</textarea>" in page
    assert Writeup.objects.count() == 0


def test_writeup_edit_form_starts_from_the_stored_language(client, alice):
    spanish = WriteupFactory(author=alice, language="es")
    unknown = WriteupFactory(author=alice)
    client.force_login(alice)

    assert selected_language(html(client.get(f"/writeups/{spanish.pk}/edit/"))) == ["es"]
    assert selected_language(html(client.get(f"/writeups/{unknown.pk}/edit/",
                                             HTTP_ACCEPT_LANGUAGE="es"))) == ["es"]
    assert selected_language(html(client.get(f"/writeups/{unknown.pk}/edit/"))) == ["en"]


def test_writeup_edit_changes_the_language_or_keeps_it_when_not_sent(client, alice):
    writeup = WriteupFactory(author=alice, title="T", kind="plan", body="B", language="es")
    client.force_login(alice)

    kept = client.post(f"/writeups/{writeup.pk}/edit/", {
        "title": "T", "kind": "plan", "body": "B2", "version": "1"})
    writeup.refresh_from_db()
    language_kept = writeup.language
    changed = client.post(f"/writeups/{writeup.pk}/edit/", {
        "title": "T", "kind": "plan", "body": "B3", "version": "2", "language": "en"})
    writeup.refresh_from_db()

    assert (kept.status_code, language_kept) == (302, "es")
    assert (changed.status_code, writeup.language, writeup.body) == (302, "en", "B3")


# --- The API --------------------------------------------------------------------------------

def post_writeup(client, headers=None, **overrides):
    payload = {"topic": "chips", "title": "Plan", "kind": "plan", "body": "Texto", **overrides}
    return client.post("/api/v1/writeups/", payload, format="json", **(headers or {}))


def test_api_writeup_create_stores_and_returns_the_language(api_as, alice):
    TopicFactory(slug="chips")

    response = post_writeup(api_as(alice), language="es")

    assert (response.status_code, response.json()["language"]) == (201, "es")
    assert Writeup.objects.get().language == "es"


@pytest.mark.parametrize(("accept_language", "stored"), [("es", "es"), ("en", "en")])
def test_api_writeup_create_without_language_takes_the_requests(api_as, alice,
                                                                accept_language, stored):
    TopicFactory(slug="chips")

    response = post_writeup(api_as(alice), headers={"HTTP_ACCEPT_LANGUAGE": accept_language})

    assert (response.status_code, response.json()["language"]) == (201, stored)
    assert Writeup.objects.get().language == stored


def test_api_writeup_create_with_unknown_language_is_400_naming_it(api_as, alice):
    TopicFactory(slug="chips")

    response = post_writeup(api_as(alice), language="xx")

    assert (response.status_code, response.json()["fields"]) == (
        400, {"language": ["Choose one of: en, es."]})
    assert (Writeup.objects.count(), WriteupVersion.objects.count(),
            TopicEvent.objects.count()) == (0, 0, 0)


def test_api_writeup_update_changes_the_language_and_keeps_it_when_left_out(api_as, alice):
    writeup = WriteupFactory(author=alice, language="en")
    client = api_as(alice)

    changed = client.patch(f"/api/v1/writeups/{writeup.pk}/", {"language": "es"}, format="json")
    kept = client.patch(f"/api/v1/writeups/{writeup.pk}/", {"body": "Nuevo"}, format="json",
                        HTTP_ACCEPT_LANGUAGE="en")
    refused = client.patch(f"/api/v1/writeups/{writeup.pk}/", {"language": "xx"},
                           format="json")

    writeup.refresh_from_db()
    assert (changed.status_code, changed.json()["language"]) == (200, "es")
    assert (kept.status_code, kept.json()["language"]) == (200, "es")
    assert (refused.status_code, list(refused.json()["fields"])) == (400, ["language"])
    assert (writeup.language, writeup.body) == ("es", "Nuevo")
