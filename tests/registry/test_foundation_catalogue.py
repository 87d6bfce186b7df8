import json

from django.core.management import call_command

from registry import services
from registry.models import Cluster, Topic


def test_catalogue_load_creates_25_topics_in_3_clusters(db):
    result = services.catalogue_load()

    assert Topic.objects.count() == 25
    assert Cluster.objects.count() == 3
    assert len(result.created) == 28
    assert result.skipped == []
    assert dict(
        (c.slug, c.topics.count()) for c in Cluster.objects.all()
    ) == {"compute-governance": 8, "security": 8, "policy-and-society": 9}


def test_catalogue_load_twice_creates_nothing_and_keeps_admin_edits(db):
    services.catalogue_load()
    topic = Topic.objects.get(slug="proof-of-learning")
    topic.title = "Proof-of-learning (edited by a moderator)"
    topic.save()

    result = services.catalogue_load()

    assert result.created == []
    assert len(result.skipped) == 28
    assert Topic.objects.count() == 25
    assert Topic.objects.get(slug="proof-of-learning").title == (
        "Proof-of-learning (edited by a moderator)"
    )


def test_catalogue_every_topic_has_description_and_source():
    data = json.loads(services.CATALOGUE_PATH.read_text())
    slugs = [t["slug"] for t in data["topics"]]

    assert len(slugs) == len(set(slugs)) == 25
    for topic in data["topics"]:
        sentences = topic["description"].count(". ") + 1
        assert 2 <= sentences <= 5, topic["slug"]
        assert topic["source"], topic["slug"]


def test_load_catalogue_command_reports_created_then_skipped(db, capsys):
    call_command("load_catalogue")
    first = capsys.readouterr().out
    call_command("load_catalogue")
    second = capsys.readouterr().out

    assert "created topic proof-of-learning" in first
    assert first.strip().endswith("catalogue: 3 clusters and 25 topics created, 0 clusters "
                                  "and 0 topics already present (kept as they are)")
    assert second.strip() == ("catalogue: 0 clusters and 0 topics created, 3 clusters and 25 "
                              "topics already present (kept as they are)")


def test_catalogue_example_topic_is_covered_by_its_recognised_expert(db):
    from registry.selectors import topics_with_status

    services.catalogue_load()

    statuses = dict(topics_with_status().values_list("slug", "status"))
    assert statuses["nuclear-arms-control-lessons"] == "covered"
    assert sorted(set(statuses.values())) == ["covered", "gap"]
    assert list(statuses.values()).count("gap") == 24
