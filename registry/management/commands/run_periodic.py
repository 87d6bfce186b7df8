"""`manage.py run_periodic [name]`: run one of every app's periodic jobs now, or list them."""

from django.core.management.base import BaseCommand, CommandError

from proposals import periodic as proposals_periodic
from registry.discovery import periodic as discovery_periodic
from registry.feedback import periodic as feedback_periodic
from registry.notifications import periodic as notifications_periodic

# Every app's periodic jobs (each lives with the app that owns its data).
_ALL = {**notifications_periodic.JOBS, **proposals_periodic.JOBS, **discovery_periodic.JOBS,
        **feedback_periodic.JOBS}
# In the order they run in a day, roughly (the list `run_periodic` prints).
JOBS = {name: _ALL[name] for name in ("claim_sweep", "owner_invitation_expiry",
                                      "review_request_sweep", "digests", "outbox_retry",
                                      "stats_reconcile")}


class Command(BaseCommand):
    help = ("Run one periodic job now, in this process (what Celery beat schedules). "
            "Without a name, list the jobs.")

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", help="One of: " + ", ".join(JOBS))

    def handle(self, *args, name=None, **options):
        if name is None:
            for job_name, job in JOBS.items():
                self.stdout.write(f"{job_name}: {job.__doc__.strip().splitlines()[0]}")
            return
        if name not in JOBS:
            raise CommandError(f"No periodic job “{name}”. Choose one of: {', '.join(JOBS)}.")
        result = JOBS[name]()
        self.stdout.write(self.style.SUCCESS(
            f"{name}: " + ", ".join(f"{key} {value}" for key, value in result.items())))
