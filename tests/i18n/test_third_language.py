"""The README's "Adding a language" steps work (issue 18): a throwaway locale, made the way a
translator would (a catalogue beside the Spanish one, compiled in pure Python, the language
added to LANGUAGES, a catalogue file beside fixtures/catalogue.json), is spoken by the pages,
the API and load_catalogue. Its "translation" marks every Spanish msgstr's msgid with [fr]."""

import json
import shutil

import polib
import pytest
from django.core.management import call_command

from registry import services
from registry.management.commands.translations_check import catalogue_paths, catalogue_problems
from registry.models import Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def throwaway_locale(tmp_path, settings):
    spanish_po, _mo = catalogue_paths("es")
    locale = tmp_path / "locale"
    (locale / "es" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(spanish_po, locale / "es" / "LC_MESSAGES" / "django.po")
    # Step 2 of the README (make messages) extracts the same msgids; without gettext here, the
    # Spanish catalogue's msgids stand in for them.
    catalogue = polib.pofile(str(spanish_po))
    for entry in catalogue:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: f"[fr] {entry.msgid}", 1: f"[fr] {entry.msgid_plural}"}
        else:
            entry.msgstr = f"[fr] {entry.msgid}"
    catalogue.metadata["Language"] = "fr"
    catalogue.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
    (locale / "fr" / "LC_MESSAGES").mkdir(parents=True)
    catalogue.save(str(locale / "fr" / "LC_MESSAGES" / "django.po"))
    settings.LOCALE_PATHS = [locale]
    settings.LANGUAGES = [*settings.LANGUAGES, ("fr", "Throwaway")]
    call_command("compile_translations", verbosity=0)
    return tmp_path


def test_third_language_catalogue_checked_like_spanish(throwaway_locale):
    assert catalogue_problems("fr") == []


def test_third_language_pages_and_switcher(client, throwaway_locale):
    page = client.get("/about/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert '<html lang="fr">' in page
    assert ">[fr] Topics</a>" in page
    assert page.count('<button type="submit" name="language" value="fr" lang="fr"') == 0
    assert '<span class="language-current" lang="fr" aria-current="true">Français</span>' in page
    assert page.count('<button type="submit" name="language" value="es" lang="es"') == 2


def test_third_language_api_detail(client, throwaway_locale):
    response = client.get("/api/v1/topics/no-such-topic/", HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert response.json()["detail"].startswith("[fr] ")


def test_third_language_catalogue_file_loaded(throwaway_locale, settings):
    fixtures = throwaway_locale / "fixtures"
    fixtures.mkdir()
    english = json.loads(services.CATALOGUE_PATH.read_text(encoding="utf-8"))
    (fixtures / "catalogue.json").write_text(json.dumps(english), encoding="utf-8")
    (fixtures / "catalogue.fr.json").write_text(json.dumps({
        "clusters": {row["slug"]: {"name": f"[fr] {row['name']}",
                                   "description": f"[fr] {row['description']}"}
                     for row in english["clusters"]},
        "topics": {row["slug"]: {"title": f"[fr] {row['title']}",
                                 "description": f"[fr] {row['description']}"}
                   for row in english["topics"]},
    }), encoding="utf-8")

    services.catalogue_load(path=fixtures / "catalogue.json")

    topic = Topic.objects.get(slug="proof-of-learning")
    from django.utils import translation

    with translation.override("fr"):
        assert topic.local_title == f"[fr] {topic.title}"
