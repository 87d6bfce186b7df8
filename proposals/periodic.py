"""Proposals' periodic job: overdue invitations expire. A function of `now`, run by Celery
beat through proposals.tasks on the schedule in proposals/schedule.py, or by hand with
`manage.py run_periodic owner_invitation_expiry`. Safe to run twice."""

import datetime

from django.utils import timezone

from proposals.services import co_author_invitations_expire, owner_invitations_expire


def owner_invitation_expiry(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Hourly: expire overdue owner invitations (each tells the author and the invitee).

    Overdue co-author invitations expire in the same sweep and are counted with them."""
    now = now or timezone.now()
    return {"expired": owner_invitations_expire(now=now) + co_author_invitations_expire(now=now)}


JOBS = {job.__name__: job for job in (owner_invitation_expiry,)}
