"""The catalogue in Spanish: fixtures/catalogue.es.json loaded onto the clusters and topics
(added, updated when the file changes, never over a site edit), the local_ properties, and
the moderators' translate page."""

import json
import shutil

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from registry import services
from registry.core.errors import NotAllowed, ValidationFailed
from registry.models import Cluster, Topic, TopicEvent
from registry.services.foundation import (
    catalogue_translations_load,
    topic_translation_set,
    translations_mark_edited,
)
from tests.factories import ClusterFactory, TopicFactory, UserFactory

ES_PATH = services.CATALOGUE_PATH.with_name("catalogue.es.json")
PROOF_ES = {
    "title": "Algoritmos de prueba de aprendizaje (proof-of-learning)",
    "description": (
        "Métodos criptográficos y estadísticos que permiten a quien desarrolla un modelo "
        "demostrar qué ejecución de entrenamiento produjo un conjunto de pesos. Quien sea "
        "especialista en el tema conocería el estado de la investigación, los ataques "
        "conocidos y su coste a la escala de los modelos de frontera. Estas pruebas "
        "permitirían a una entidad verificadora confirmar lo que se afirma sobre un "
        "entrenamiento sin tener que fiarse de quien lo hizo."),
    "edited": False,
    "source": ("el artículo de Shavit sobre gobernanza del cómputo, a través de la lista del "
               "ensayo"),
}


@pytest.fixture
def catalogue_copy(tmp_path):
    """catalogue.json and catalogue.es.json in a directory of their own, to change the
    Spanish between loads; returns (path of catalogue.json, a function that rewrites one
    topic's Spanish title)."""
    shutil.copy(services.CATALOGUE_PATH, tmp_path / "catalogue.json")
    shutil.copy(ES_PATH, tmp_path / "catalogue.es.json")

    def retitle(slug, title):
        data = json.loads((tmp_path / "catalogue.es.json").read_text(encoding="utf-8"))
        data["topics"][slug]["title"] = title
        (tmp_path / "catalogue.es.json").write_text(json.dumps(data, ensure_ascii=False),
                                                    encoding="utf-8")

    return tmp_path / "catalogue.json", retitle


def test_spanish_catalogue_translates_every_cluster_and_topic():
    english = json.loads(services.CATALOGUE_PATH.read_text(encoding="utf-8"))
    spanish = json.loads(ES_PATH.read_text(encoding="utf-8"))

    assert list(spanish["clusters"]) == [row["slug"] for row in english["clusters"]]
    assert list(spanish["topics"]) == [row["slug"] for row in english["topics"]]
    for row in english["topics"]:
        text = spanish["topics"][row["slug"]]
        # A topic that cites where it comes from has that citation in Spanish too.
        expected_keys = ["description", "source", "title"] if row.get("source") else [
            "description", "title"]
        assert sorted(text) == expected_keys, row["slug"]
        assert text["title"] != row["title"] and len(text["title"]) <= 200, row["slug"]
        assert text["description"] != row["description"], row["slug"]
    assert spanish["clusters"]["compute-governance"]["name"] == "Gobernanza del cómputo"


def test_catalogue_load_adds_spanish_and_keeps_english(db):
    result = services.catalogue_load()

    topic = Topic.objects.get(slug="proof-of-learning")
    assert topic.translations == {"es": PROOF_ES}
    assert topic.title == "Proof-of-learning algorithms"
    assert Cluster.objects.get(slug="security").translations["es"]["name"] == "Seguridad"
    assert len(result.translations_added) == 28
    assert "es topic proof-of-learning" in result.translations_added
    assert (result.translations_updated, result.translations_kept) == ([], [])


def test_catalogue_reload_with_unchanged_file_keeps_every_translation(db):
    services.catalogue_load()

    result = services.catalogue_load()

    assert (len(result.translations_added), len(result.translations_updated),
            len(result.translations_kept), result.translations_edited) == (0, 0, 28, [])


def test_catalogue_reload_with_changed_file_updates_a_loaded_translation(db, catalogue_copy):
    path, retitle = catalogue_copy
    services.catalogue_load(path=path)
    retitle("proof-of-learning", "Algoritmos de demostración del aprendizaje")

    result = services.catalogue_load(path=path)

    topic = Topic.objects.get(slug="proof-of-learning")
    assert topic.translations["es"] == {**PROOF_ES,
                                        "title": "Algoritmos de demostración del aprendizaje"}
    assert topic.title == "Proof-of-learning algorithms"
    assert result.translations_updated == ["es topic proof-of-learning"]
    assert (len(result.translations_added), len(result.translations_kept)) == (0, 27)


def test_catalogue_reload_never_overwrites_a_site_edit(db, catalogue_copy, moderator):
    path, retitle = catalogue_copy
    services.catalogue_load(path=path)
    topic_translation_set(topic=Topic.objects.get(slug="proof-of-learning"), language="es",
                          title="Pruebas de aprendizaje", description="Editado en el sitio.",
                          actor=moderator)
    retitle("proof-of-learning", "Algoritmos de demostración del aprendizaje")

    result = services.catalogue_load(path=path)

    assert Topic.objects.get(slug="proof-of-learning").translations["es"] == {
        "title": "Pruebas de aprendizaje", "description": "Editado en el sitio.",
        "edited": True}
    assert result.translations_updated == []
    assert result.translations_edited == ["es topic proof-of-learning"]
    assert len(result.translations_kept) == 28


def test_catalogue_translations_load_leaves_unknown_slugs_and_english_alone(db):
    topic = TopicFactory(slug="known", title="Known", description="English.")

    result = catalogue_translations_load(language="es", data={"clusters": {}, "topics": {
        "known": {"title": "Conocido", "description": "Español."},
        "unknown": {"title": "Desconocido", "description": ""}}})

    topic.refresh_from_db()
    assert (topic.title, topic.description) == ("Known", "English.")
    assert topic.translations == {"es": {"title": "Conocido", "description": "Español.",
                                         "edited": False}}
    assert result.translations_added == ["es topic known"]


def test_load_catalogue_command_reports_translations(db, capsys):
    call_command("load_catalogue")
    first = capsys.readouterr().out

    assert "translations: 28 added, 0 updated, 0 kept (0 of them edited on the site)" in first


def test_load_catalogue_command_reports_an_update_and_a_kept_site_edit(db, capsys,
                                                                        catalogue_copy,
                                                                        moderator):
    path, retitle = catalogue_copy
    call_command("load_catalogue", path=str(path))
    topic_translation_set(topic=Topic.objects.get(slug="global-gpu-tracking"), language="es",
                          title="Rastreo mundial de GPU", description="", actor=moderator)
    retitle("proof-of-learning", "Algoritmos de demostración del aprendizaje")
    retitle("global-gpu-tracking", "Seguimiento global de GPU")
    capsys.readouterr()

    call_command("load_catalogue", path=str(path))

    out = capsys.readouterr().out.splitlines()
    assert out == [
        "updated translation es topic proof-of-learning",
        "translations: 0 added, 1 updated, 27 kept (1 of them edited on the site)",
        "catalogue: 0 clusters and 0 topics created, 3 clusters and 25 topics already present "
        "(kept as they are)",
    ]


def test_local_title_switches_with_the_active_language(db):
    cluster = ClusterFactory(name="Security", description="Keeping models safe.",
                             translations={"es": {"name": "Seguridad", "description": "",
                                                  "edited": False}})
    topic = TopicFactory(cluster=cluster, title="Detecting tampering",
                         description="How a developer would know.",
                         translations={"es": {"title": "Detección de manipulaciones",
                                              "description": "Cómo lo sabría.",
                                              "edited": False}})
    untranslated = TopicFactory(title="Datacenter monitoring")

    with translation.override("es"):
        spanish = (topic.local_title, topic.local_description, cluster.local_name,
                   cluster.local_description, untranslated.local_title)
    with translation.override("es-ar"):
        regional = topic.local_title
    with translation.override("en"):
        english = (topic.local_title, topic.local_description, cluster.local_name)

    assert spanish == ("Detección de manipulaciones", "Cómo lo sabría.", "Seguridad",
                       "Keeping models safe.", "Datacenter monitoring")
    assert regional == "Detección de manipulaciones"
    assert english == ("Detecting tampering", "How a developer would know.", "Security")


def test_topic_translation_set_records_history_and_marks_the_edit(db, moderator):
    topic = TopicFactory(slug="suggested-one", state=Topic.State.SUGGESTED)

    topic_translation_set(topic=topic, language="es", title="  Un tema sugerido ",
                          description="Por qué importa.", actor=moderator)

    topic.refresh_from_db()
    assert topic.translations == {"es": {"title": "Un tema sugerido",
                                         "description": "Por qué importa.", "edited": True}}
    event = TopicEvent.objects.get(topic=topic)
    assert (event.kind, event.actor, event.note) == ("edited", moderator, "es: Un tema sugerido")


def test_topic_translation_set_refuses_an_outsider(db, charlie):
    topic = TopicFactory()

    with pytest.raises(NotAllowed):
        topic_translation_set(topic=topic, language="es", title="Título", description="",
                              actor=charlie)

    topic.refresh_from_db()
    assert topic.translations == {}


def test_topic_translation_set_names_each_bad_field(db, moderator):
    topic = TopicFactory()

    with pytest.raises(ValidationFailed) as refused:
        topic_translation_set(topic=topic, language="en", title=" ", description="x" * 4001,
                              actor=moderator)

    assert refused.value.fields == {
        "language": ["Choose one of the site's languages other than English."],
        "title": ["This field is required."],
        "description": ["Keep this to 4,000 characters or fewer (it has 4,001)."],
    }


def test_translations_mark_edited_marks_only_the_changed_language():
    before = {"es": {"title": "Uno", "description": "", "edited": False},
              "fr": {"title": "Un", "description": "", "edited": False}}
    after = {"es": {"title": "Uno bis", "description": "", "edited": False},
             "fr": {"title": "Un", "description": "", "edited": False}}

    assert translations_mark_edited(before=before, after=after) == {
        "es": {"title": "Uno bis", "description": "", "edited": True},
        "fr": {"title": "Un", "description": "", "edited": False}}


# The translate page: /topics/<slug>/translate/.

@pytest.fixture
def translated_topic(db):
    return TopicFactory(slug="detecting-tampering", title="Detecting tampering",
                        description="How a developer would know.",
                        translations={"es": {"title": "Detección de manipulaciones",
                                             "description": "Cómo lo sabría.",
                                             "edited": False}})


def _url(topic):
    return reverse("registry:topic-translate", kwargs={"slug": topic.slug})


def test_translate_page_shows_the_english_and_the_stored_spanish(client, moderator,
                                                                 translated_topic):
    client.force_login(moderator)

    response = client.get(_url(translated_topic))

    assert response.status_code == 200
    assert response.context["form"].initial == {"title": "Detección de manipulaciones",
                                                "description": "Cómo lo sabría."}
    page = response.content.decode()
    assert '<dd lang="en">Detecting tampering</dd>' in page
    assert 'value="Detección de manipulaciones"' in page
    assert "\nCómo lo sabría.</textarea>" in page


def test_translate_page_moderator_saves(client, moderator, translated_topic):
    client.force_login(moderator)

    response = client.post(_url(translated_topic), {"title": "Detectar manipulaciones",
                                                    "description": "Cómo saberlo."})

    assert response.status_code == 302
    assert response["Location"] == translated_topic.get_absolute_url()
    translated_topic.refresh_from_db()
    assert translated_topic.translations == {"es": {"title": "Detectar manipulaciones",
                                                    "description": "Cómo saberlo.",
                                                    "edited": True}}
    with translation.override("es"):
        assert translated_topic.local_title == "Detectar manipulaciones"


def test_translate_page_refuses_a_non_moderator(client, charlie, translated_topic):
    client.force_login(charlie)

    shown = client.get(_url(translated_topic))
    posted = client.post(_url(translated_topic), {"title": "Otro título", "description": ""})

    assert (shown.status_code, posted.status_code) == (403, 403)
    translated_topic.refresh_from_db()
    assert translated_topic.translations["es"]["title"] == "Detección de manipulaciones"


def test_translate_page_sends_a_visitor_to_log_in(client, translated_topic):
    response = client.get(_url(translated_topic))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_translate_page_keeps_what_was_typed_and_names_the_bad_field(client, moderator,
                                                                     translated_topic):
    client.force_login(moderator)

    response = client.post(_url(translated_topic), {"title": "",
                                                    "description": "Lo que escribí."})

    assert response.status_code == 400
    assert response.context["form"].errors == {"title": ["This field is required."]}
    page = response.content.decode()
    assert "\nLo que escribí.</textarea>" in page
    assert '<ul class="errors" id="id_title_errors"><li>This field is required.</li></ul>' in page
    translated_topic.refresh_from_db()
    assert translated_topic.translations["es"]["edited"] is False


def test_translate_page_refuses_a_title_over_its_limit(client, moderator, translated_topic):
    client.force_login(moderator)

    response = client.post(_url(translated_topic), {"title": "x" * 201, "description": ""})

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["title"]
    assert 'value="' + "x" * 201 + '"' in response.content.decode()
    translated_topic.refresh_from_db()
    assert translated_topic.translations["es"]["title"] == "Detección de manipulaciones"


def test_translation_changed_in_the_admin_is_kept_by_the_next_load(db, client,
                                                                    catalogue_copy):
    path, retitle = catalogue_copy
    services.catalogue_load(path=path)
    staff = UserFactory(username="staff", is_staff=True, is_superuser=True)
    topic = Topic.objects.get(slug="proof-of-learning")
    client.force_login(staff)

    response = client.post(f"/admin/registry/topic/{topic.pk}/change/", {
        "cluster": topic.cluster_id, "slug": topic.slug, "title": topic.title,
        "description": topic.description, "source": topic.source, "expert_name": "",
        "expert_work_title": "", "expert_work_url": "", "reason": "",
        "translations": json.dumps({"es": {**PROOF_ES, "title": "Pruebas de aprendizaje"}})})
    retitle("proof-of-learning", "Algoritmos de demostración del aprendizaje")
    result = services.catalogue_load(path=path)

    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.translations == {"es": {**PROOF_ES, "title": "Pruebas de aprendizaje",
                                         "edited": True}}
    assert result.translations_edited == ["es topic proof-of-learning"]


def test_topic_page_shows_the_loaded_spanish_to_a_spanish_reader(db, client):
    services.catalogue_load()
    url = reverse("registry:topic-detail", kwargs={"slug": "proof-of-learning"})

    english = client.get(url).content.decode()
    client.cookies["gapmap_language"] = "es"
    spanish = client.get(url).content.decode()

    assert "<h1>Proof-of-learning algorithms</h1>" in english
    assert "<h1>Algoritmos de prueba de aprendizaje (proof-of-learning)</h1>" in spanish
    assert ">Gobernanza del cómputo</a>" in spanish


def test_topic_page_links_moderators_to_the_translate_page(client, moderator, charlie,
                                                          translated_topic):
    link = f'<a href="{_url(translated_topic)}">Translate this topic</a>'
    client.force_login(charlie)
    outsider_page = client.get(translated_topic.get_absolute_url()).content.decode()
    client.force_login(moderator)
    moderator_page = client.get(translated_topic.get_absolute_url()).content.decode()

    assert (link in outsider_page, link in moderator_page) == (False, True)
