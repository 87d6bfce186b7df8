"""The feedback app's periodic job: review requests are reminded and expire. A function of
`now`, run by Celery beat through registry.feedback.tasks on the schedule in
registry/feedback/schedule.py, or by hand with `manage.py run_periodic review_request_sweep`.
Safe to run twice."""

import datetime

from django.utils import timezone

from registry.feedback.services.reviews import review_requests_expire, review_requests_remind


def review_request_sweep(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Hourly: expire overdue review requests, then remind reviewers (once) of those expiring
    soon."""
    now = now or timezone.now()
    return {"expired": review_requests_expire(now=now), "reminded": review_requests_remind(now=now)}


JOBS = {job.__name__: job for job in (review_request_sweep,)}
