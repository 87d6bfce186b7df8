"""Model signals, kept to invariants that must hold however a row is made."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from registry.models import Topic
from registry.services.stats import topic_stats_refresh


@receiver(post_save, sender=Topic, dispatch_uid="topic-stats-row")
def topic_created_gets_stats(sender, instance, created, raw=False, **kwargs):
    """Every topic has its TopicStats row from the start, whether made by a service, the
    admin, the catalogue or a test factory, so lists never meet a topic without one.
    (Bulk loads skip signals and reconcile afterwards: generate_demo, import_all.)"""
    if created and not raw:
        topic_stats_refresh(topic_ids=[instance.pk])
