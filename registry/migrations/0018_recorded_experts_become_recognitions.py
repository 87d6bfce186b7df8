"""The status ladder gains `published` and covers a topic by a live Recognition only.

Each topic with a recorded expert (expert_name) gets the moderator-source Recognition the
catalogue load now makes (name, work title and address, reason "Recorded in the catalogue")
and its `recognised` event, so it stays covered. Then every topic's stats are recomputed:
topics that were covered only by a claimant's published writeup become `published`.
"""

from django.db import migrations
from django.utils import timezone

REASON = "Recorded in the catalogue"  # registry.services.endorsements.RECORDED_EXPERT_REASON


def recognise_recorded_experts(apps, schema_editor):
    topic_model = apps.get_model("registry", "Topic")
    recognition_model = apps.get_model("registry", "Recognition")
    event_model = apps.get_model("registry", "TopicEvent")
    now = timezone.now()
    for topic in topic_model.objects.exclude(expert_name="").order_by("pk"):
        if not topic.expert_name.strip():
            continue
        recognition = recognition_model.objects.create(
            topic=topic, name=topic.expert_name.strip(), work_title=topic.expert_work_title,
            work_url=topic.expert_work_url, reason=REASON, source="moderator", created_at=now)
        event_model.objects.create(topic=topic, kind="recognised", recognition=recognition,
                                   created_at=now)


def recompute_topic_stats(apps, schema_editor):
    # The current service, not historical models, as in 0007: the stats are SQL over half
    # the schema. On a new database there are no topics and it runs no query.
    from registry.discovery.stats import topic_stats_reconcile

    topic_stats_reconcile()


def forget_recognitions(apps, schema_editor):
    apps.get_model("registry", "TopicEvent").objects.filter(kind="recognised").delete()
    apps.get_model("registry", "Recognition").objects.filter(reason=REASON).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0017_endorsements_recognitions'),
        ('discovery', '0001_initial'),
        ('proposals', '0006_co_author_invitation'),
    ]

    operations = [
        migrations.RunPython(recognise_recorded_experts, forget_recognitions),
        migrations.RunPython(recompute_topic_stats, migrations.RunPython.noop),
    ]
