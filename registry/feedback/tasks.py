"""Celery tasks of the feedback app: thin wrappers around its periodic job
(registry.feedback.periodic)."""

from celery import shared_task

from registry.feedback import periodic


@shared_task
def review_request_sweep() -> dict[str, int]:
    return periodic.review_request_sweep()
