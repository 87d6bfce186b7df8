"""Celery tasks of discovery: thin wrappers around its periodic job (discovery.periodic)."""

from celery import shared_task

from registry.discovery import periodic


# Recomputes every topic, so it gets longer limits than the default.
@shared_task(time_limit=1800, soft_time_limit=1700)
def stats_reconcile() -> dict[str, int]:
    return periodic.stats_reconcile()
