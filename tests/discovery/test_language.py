"""Discovery in the reader's language (issue 18): search finds and shows a catalogue topic by
its translation, the map names statuses and counts in the reader's words. Our catalogue may
not be compiled yet, so the checks rest on the topics' own translations and on Django's."""

import pytest
from django.core.management import call_command

from tests.factories import TopicFactory

pytestmark = pytest.mark.django_db
SPANISH = {"es": {"title": "Gobernanza del cómputo",
                  "description": "Quién controla los chips y cómo.", "edited": False}}


def _index():
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))


def _search(client, q, language):
    return client.get("/search/", {"q": q}, HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_search_finds_a_topic_by_its_translation(client):
    topic = TopicFactory(title="Compute governance", description="Who controls chips.",
                         translations=SPANISH)
    _index()
    assert f'<a href="{topic.get_absolute_url()}">Gobernanza del cómputo</a>' in _search(
        client, "chips controla", "es")


def test_search_shows_a_topic_in_the_readers_language(client):
    topic = TopicFactory(title="Compute governance", description="Who controls chips.",
                         translations=SPANISH)
    _index()
    spanish, english = _search(client, "chips", "es"), _search(client, "chips", "en")
    link = f'<a href="{topic.get_absolute_url()}">'
    assert (f"{link}Gobernanza del cómputo</a>" in spanish,
            "Quién controla los <mark>chips</mark> y cómo." in spanish) == (True, True)
    assert (f"{link}Compute governance</a>" in english,
            "Who controls <mark>chips</mark>." in english) == (True, True)


def test_map_names_a_topic_in_the_readers_language(client):
    TopicFactory(title="Compute governance", translations=SPANISH)
    spanish = client.get("/map/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Gobernanza del cómputo" in spanish
    assert "Compute governance" not in spanish
