"""Celery tasks of proposals: thin wrappers around its periodic job (proposals.periodic)."""

from celery import shared_task

from proposals import periodic


@shared_task
def owner_invitation_expiry() -> dict[str, int]:
    return periodic.owner_invitation_expiry()
