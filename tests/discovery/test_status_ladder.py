"""The four-step status ladder (gap, claimed, published, covered) as the stats service stores
it, the data migration that moved recorded experts to recognitions, and the catalogue's
Baker example."""

import importlib

import pytest
from django.apps import apps

from registry import services
from registry.models import Recognition, TopicEvent, TopicStats
from registry.moderation.services import content_hide
from registry.selectors import topics_with_status
from tests.factories import ClusterFactory, TopicFactory, UserFactory, WriteupFactory

MIGRATION = importlib.import_module(
    "registry.migrations.0018_recorded_experts_become_recognitions")
STATEMENT = "The first careful measurement of the question; it moved the field forward."


def status(topic):
    return TopicStats.objects.get(topic=topic).status


def peers(cluster, *names):
    people = []
    for name in names:
        person = UserFactory(username=name)
        WriteupFactory(topic=TopicFactory(cluster=cluster), author=person, published=True)
        people.append(person)
    return people


def test_ladder_climbs_gap_claimed_published_covered(alice):
    cluster = ClusterFactory()
    topic = TopicFactory(cluster=cluster)
    seen = [status(topic)]
    services.claim_create(topic=topic, person=alice, plan="A survey.")
    seen.append(status(topic))
    writeup = WriteupFactory(topic=topic, author=alice, published=True)
    seen.append(status(topic))
    for person in peers(cluster, "bob", "carol"):
        services.endorsement_create(writeup=writeup, endorser=person, statement=STATEMENT)
    seen.append(status(topic))

    assert seen == ["gap", "claimed", "published", "covered"]


def test_ladder_covered_stays_covered_when_the_claim_lapses(alice):
    cluster = ClusterFactory()
    topic = TopicFactory(cluster=cluster)
    claim = services.claim_create(topic=topic, person=alice, plan="A survey.")
    writeup = WriteupFactory(topic=topic, author=alice, published=True)
    for person in peers(cluster, "bob", "carol"):
        services.endorsement_create(writeup=writeup, endorser=person, statement=STATEMENT)

    services.claim_release(claim=claim, actor=alice)

    assert (status(topic), TopicStats.objects.get(topic=topic).active_claims) == ("covered", 0)


def test_ladder_published_falls_to_gap_when_the_claimant_releases(alice):
    topic = TopicFactory()
    claim = services.claim_create(topic=topic, person=alice, plan="A survey.")
    WriteupFactory(topic=topic, author=alice, published=True)
    services.claim_release(claim=claim, actor=alice)
    assert status(topic) == "gap"


def test_ladder_writeup_by_someone_without_a_claim_is_not_published(alice, bob):
    topic = TopicFactory()
    services.claim_create(topic=topic, person=alice, plan="A survey.")
    WriteupFactory(topic=topic, author=bob, published=True)
    assert status(topic) == "claimed"


def test_ladder_hidden_writeup_of_the_claimant_is_not_published(alice, moderator):
    topic = TopicFactory()
    services.claim_create(topic=topic, person=alice, plan="A survey.")
    writeup = WriteupFactory(topic=topic, author=alice, published=True)
    content_hide(moderator=moderator, target_type="writeup", obj=writeup, reason="Spam.")
    assert status(topic) == "claimed"


def test_ladder_recognition_ending_with_a_published_claimant_is_published(alice, moderator):
    topic = TopicFactory()
    services.claim_create(topic=topic, person=alice, plan="A survey.")
    WriteupFactory(topic=topic, author=alice, published=True)
    recognition = services.recognition_record(topic=topic, moderator=moderator, name="X",
                                              work_title="Y", reason="Z")
    assert status(topic) == "covered"
    services.recognition_end(recognition=recognition, moderator=moderator, reason="Withdrawn.")
    assert status(topic) == "published"


@pytest.mark.parametrize("wanted", ["gap", "claimed", "published", "covered"])
def test_topics_with_status_filters_each_step_of_the_ladder(alice, moderator, wanted):
    TopicFactory(slug="a-gap")
    services.claim_create(topic=TopicFactory(slug="b-claimed"), person=alice, plan="P")
    published = TopicFactory(slug="c-published")
    services.claim_create(topic=published, person=alice, plan="P")
    WriteupFactory(topic=published, author=alice, published=True)
    services.recognition_record(topic=TopicFactory(slug="d-covered"), moderator=moderator,
                                name="X", work_title="Y", reason="Z")

    found = [t.slug for t in topics_with_status(status=wanted)]

    assert found == [{"gap": "a-gap", "claimed": "b-claimed", "published": "c-published",
                      "covered": "d-covered"}[wanted]]


# --- The data migration (registry 0018) -----------------------------------------------------

def test_migration_0018_turns_recorded_experts_into_recognitions_and_recounts(alice):
    expert = TopicFactory(slug="arms", title="Arms")
    # As a topic stood before 0018: an expert recorded, no recognition yet.
    type(expert).objects.filter(pk=expert.pk).update(
        expert_name="Mauricio Baker", expert_work_title="Nuclear Arms Control (2023)",
        expert_work_url="https://arxiv.org/abs/2304.04123")
    by_writeup = TopicFactory(slug="chips")
    services.claim_create(topic=by_writeup, person=alice, plan="A survey.")
    WriteupFactory(topic=by_writeup, author=alice, published=True)
    TopicStats.objects.filter(topic=by_writeup).update(status="covered")  # the old rule
    TopicStats.objects.filter(topic=expert).update(status="gap")

    MIGRATION.recognise_recorded_experts(apps, None)
    MIGRATION.recompute_topic_stats(apps, None)

    recognition = Recognition.objects.get()
    assert (recognition.topic, recognition.name, recognition.work_title, recognition.work_url,
            recognition.reason, recognition.source, recognition.person) == (
        expert, "Mauricio Baker", "Nuclear Arms Control (2023)",
        "https://arxiv.org/abs/2304.04123", "Recorded in the catalogue", "moderator", None)
    assert expert.events.filter(kind=TopicEvent.Kind.RECOGNISED).count() == 1
    assert (status(expert), status(by_writeup)) == ("covered", "published")


def test_migration_0018_backwards_removes_its_recognitions(db):
    topic = TopicFactory(slug="arms")
    type(topic).objects.filter(pk=topic.pk).update(expert_name="Baker")
    MIGRATION.recognise_recorded_experts(apps, None)
    MIGRATION.forget_recognitions(apps, None)
    MIGRATION.recompute_topic_stats(apps, None)
    assert (Recognition.objects.count(), status(topic)) == (0, "gap")


# --- The catalogue and the admin ------------------------------------------------------------

def test_catalogue_load_recognises_baker_once(db):
    services.catalogue_load()
    services.catalogue_load()
    recognition = Recognition.objects.get()
    assert (recognition.topic.slug, recognition.name, recognition.reason) == (
        "nuclear-arms-control-lessons", "Mauricio Baker", "Recorded in the catalogue")
    assert status(recognition.topic) == "covered"


def test_topic_save_with_a_new_expert_records_a_recognition(moderator):
    topic = TopicFactory()
    topic.expert_name, topic.expert_work_title = "Baker", "The paper"
    services.topic_save(topic=topic, actor=moderator, created=False)
    services.topic_save(topic=topic, actor=moderator, created=False)
    assert list(Recognition.objects.values_list("name", "work_title", "recorded_by")) == [
        ("Baker", "The paper", moderator.pk)]
