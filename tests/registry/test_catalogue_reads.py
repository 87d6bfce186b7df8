"""The catalogue as clients and readers read it in Spanish (issue 18): the API's
`translations` beside the stable English, lists in the order of the titles the reader reads,
and the topic picker finding a topic by its Spanish title."""

import re

import pytest
from django.utils import translation

from registry import selectors
from tests.discovery.test_pickers import options
from tests.factories import ClaimFactory, ClusterFactory, TopicFactory, WriteupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cluster():
    return ClusterFactory(slug="compute", name="Compute governance", description="Chips.",
                          translations={"es": {"name": "Gobernanza del cómputo",
                                               "description": "Chips, en español.",
                                               "edited": False}})


@pytest.fixture
def crossed(cluster):
    """Two topics whose English and Spanish titles sort the other way round (Apple < Zebra,
    Zorro > Abeja), and one with no translation, which sorts by its English title."""
    return [
        TopicFactory(cluster=cluster, slug="apple", title="Apple orchards",
                     translations={"es": {"title": "Zorros del manzanar", "description": "",
                                          "edited": False}}),
        TopicFactory(cluster=cluster, slug="zebra", title="Zebra crossings",
                     translations={"es": {"title": "Abejas en el cruce", "description": "",
                                          "edited": True}}),
        TopicFactory(cluster=cluster, slug="middle", title="Middle ground"),
    ]


def topic_slugs(html: str) -> list[str]:
    return re.findall(r'<a href="/topics/([a-z-]+)/">', html)


# --- API -------------------------------------------------------------------------------------

def test_topic_api_translations_show_title_and_description_only(api, cluster):
    TopicFactory(cluster=cluster, slug="detecting-datacenters", title="Detecting datacenters",
                 description="Finding them from orbit.", source="The essay",
                 translations={"es": {"title": "Detección de centros de datos",
                                      "description": "Encontrarlos desde la órbita.",
                                      "source": "El ensayo", "edited": True}})

    body = api.get("/api/v1/topics/detecting-datacenters/", HTTP_ACCEPT_LANGUAGE="es").json()

    assert (body["title"], body["description"], body["translations"]) == (
        "Detecting datacenters", "Finding them from orbit.",
        {"es": {"title": "Detección de centros de datos",
                "description": "Encontrarlos desde la órbita."}})


def test_topic_api_translations_leave_out_empty_texts_and_untranslated_topics(api, crossed):
    results = api.get("/api/v1/topics/", {"cluster": "compute"}).json()["results"]

    assert {row["slug"]: row["translations"] for row in results} == {
        "apple": {"es": {"title": "Zorros del manzanar"}},
        "zebra": {"es": {"title": "Abejas en el cruce"}},
        "middle": {}}


def test_cluster_api_translations_show_name_and_description_only(api, cluster):
    body = api.get("/api/v1/clusters/compute/", HTTP_ACCEPT_LANGUAGE="es").json()

    assert (body["name"], body["translations"]) == (
        "Compute governance",
        {"es": {"name": "Gobernanza del cómputo", "description": "Chips, en español."}})


def test_schema_describes_the_translations(api, db):
    schema = api.get("/api/v1/schema/?format=json").json()["components"]["schemas"]

    assert schema["Topic"]["properties"]["translations"]["additionalProperties"] == {
        "$ref": "#/components/schemas/TopicTranslation"}
    assert sorted(schema["ClusterTranslation"]["properties"]) == ["description", "name"]


# --- Order by the reader's language ----------------------------------------------------------

def test_cluster_page_orders_topics_by_the_readers_titles(client, crossed):
    english = client.get("/clusters/compute/").content.decode()
    spanish = client.get("/clusters/compute/", HTTP_ACCEPT_LANGUAGE="es").content.decode()

    assert topic_slugs(english) == ["apple", "middle", "zebra"]
    # Abejas…, Middle ground (no translation: its English title), Zorros…
    assert topic_slugs(spanish) == ["zebra", "middle", "apple"]


def test_home_page_orders_topics_by_the_readers_titles(client, crossed):
    english = client.get("/").content.decode()
    spanish = client.get("/", HTTP_ACCEPT_LANGUAGE="es").content.decode()

    assert topic_slugs(english) == ["apple", "middle", "zebra"]
    assert topic_slugs(spanish) == ["zebra", "middle", "apple"]


def test_overview_first_topics_are_the_first_by_the_readers_titles(crossed):
    TopicFactory(cluster=crossed[0].cluster, slug="nothing", title="Nothing else")

    english = selectors.overview(per_cluster=2).clusters[0].listed_topics
    with translation.override("es"):
        spanish = selectors.overview(per_cluster=2).clusters[0].listed_topics

    assert [topic.slug for topic in english] == ["apple", "middle"]
    assert [topic.slug for topic in spanish] == ["zebra", "middle"]


def test_regional_spanish_orders_by_the_spanish_titles(crossed):
    with translation.override("es-ar"):
        slugs = [topic.slug for topic in selectors.cluster_topics(crossed[0].cluster)]

    assert slugs == ["zebra", "middle", "apple"]


def test_empty_translated_title_sorts_by_the_english_one(crossed):
    crossed[1].translations = {"es": {"title": "", "edited": True}}
    crossed[1].save()

    with translation.override("es"):
        slugs = [topic.slug for topic in selectors.cluster_topics(crossed[0].cluster)]

    assert slugs == ["middle", "zebra", "apple"]


def test_experts_directory_orders_topics_by_the_readers_titles(crossed):
    for topic in crossed:
        claim = ClaimFactory(topic=topic)
        WriteupFactory(topic=topic, author=claim.person, published=True)

    english = selectors.experts(cluster="compute").claimants
    with translation.override("es"):
        spanish = list(selectors.experts(cluster="compute").claimants)

    assert [claim.topic.slug for claim in english] == ["apple", "middle", "zebra"]
    assert [claim.topic.slug for claim in spanish] == ["zebra", "middle", "apple"]


# --- The topic picker ------------------------------------------------------------------------

def test_pick_topics_finds_a_topic_by_a_spanish_word(client, crossed):
    found = options(client.get("/pick/topics/", {"q": "abejas"}, HTTP_ACCEPT_LANGUAGE="es"))

    # The value is the English title, which the board's filter resolves; the label is Spanish.
    assert found == [("Zebra crossings", "Abejas en el cruce Gobernanza del cómputo")]


def test_pick_topics_in_spanish_still_finds_english_titles_in_spanish_order(client, crossed):
    found = options(client.get("/pick/topics/", {"q": "ro"}, HTTP_ACCEPT_LANGUAGE="es"))

    assert [value for value, _ in found] == ["Zebra crossings", "Middle ground",
                                             "Apple orchards"]


def test_pick_topics_for_an_english_reader_matches_english_titles_only(client, crossed):
    assert options(client.get("/pick/topics/", {"q": "abejas"})) == []
