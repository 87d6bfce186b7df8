"""The real stack: a Celery worker process on Redis and PostgreSQL delivers a follower's
e-mail, and a worker killed mid-task loses no notification and duplicates none.

Run by .ci/run with GAPMAP_INTEGRATION=1, CELERY_BROKER_URL pointing at Redis and DATABASE_URL
at PostgreSQL, so the test process publishes to the same broker the worker consumes.
"""

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from config.celery import app as celery_app
from registry import services
from registry.models import Claim
from registry.notifications import services as notifications
from registry.notifications.models import Notification
from tests.factories import TopicFactory

pytestmark = [
    pytest.mark.skipif(os.environ.get("GAPMAP_INTEGRATION") != "1",
                       reason="needs Redis, PostgreSQL and a celery worker; run by .ci/run"),
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 30
# A killed worker's unacknowledged task: RabbitMQ hands it out again as soon as the dead
# worker's connection drops; Redis only once this many seconds have passed (the restarted
# worker looks for such tasks when it starts).
VISIBILITY_TIMEOUT = 5


def wait_for(predicate, what, timeout=WAIT_SECONDS):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    pytest.fail(f"Gave up after {timeout} s waiting for {what}.")


class Worker:
    """`celery -A config worker --pool=solo` on the test database, e-mail to files."""

    def __init__(self, tmp_path: Path):
        self.maildir = tmp_path / "mail"
        self.maildir.mkdir()
        self.logs = tmp_path
        self.process = None
        self.runs = 0

    def start(self, **extra_env):
        self.runs += 1
        self.log = self.logs / f"worker-{self.runs}.log"
        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{connection.settings_dict['NAME']}",
            "DATABASE_POOL": "false",
            "CELERY_BROKER_URL": django_settings.CELERY_BROKER_URL,
            # A killed worker's task is handed out again after 5 s instead of an hour.
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            "EMAIL_URL": f"filemail:///{self.maildir}",
            "GAPMAP_NOTIFY_BATCH_MINUTES": "0",
            **extra_env,
        }
        self.process = subprocess.Popen(
            [str(ROOT / ".venv/bin/celery"), "-A", "config", "worker", "--pool=solo",
             "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat",
             "-n", f"gapmap-it-{self.runs}@%h"],
            cwd=ROOT, env=env, stdout=self.log.open("w"), stderr=subprocess.STDOUT,
        )
        wait_for(lambda: "ready." in self.log.read_text(), f"worker {self.runs} to start")

    def log_has(self, text):
        return text in self.log.read_text()

    def idle(self):
        """Every task this worker received has finished."""
        log = self.log.read_text()
        return log.count("] received") == log.count("] succeeded") + log.count("] failed")

    def stop(self, sig=signal.SIGTERM):
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=WAIT_SECONDS)
        self.process = None

    def mails(self):
        return sorted(self.maildir.glob("*.log"))


@pytest.fixture
def worker(transactional_db, settings, tmp_path):
    if django_settings.CELERY_TASK_ALWAYS_EAGER or connection.vendor != "postgresql":
        pytest.fail("Set CELERY_BROKER_URL (Redis) and DATABASE_URL (PostgreSQL): see .ci/run.")
    settings.GAPMAP_NOTIFY_BATCH_MINUTES = 0
    celery_app.control.purge()  # a clean queue, whichever broker
    worker = Worker(tmp_path)
    yield worker
    worker.stop(signal.SIGKILL)


def test_worker_emails_follower_once_even_when_killed_mid_task(worker, api_as, alice, bob):
    topic = TopicFactory(slug="chips", title="Compute governance")
    notifications.follow_create(person=bob, topic=topic)
    worker.start()

    response = api_as(alice).post("/api/v1/topics/chips/claim/", {"plan": "A survey."},
                                  format="json")
    assert response.status_code == 201
    wait_for(lambda: len(worker.mails()) == 1, "the claim e-mail")
    first = worker.mails()[0].read_text()
    assert "To: bob@example.org" in first
    assert "Alice claimed “Compute governance”." in first

    # A slow send, killed while in flight: the broker still holds the unacknowledged task.
    # The first worker has nothing in flight, so killing it loses nothing; a warm or cold
    # shutdown would wait 10 s on closing its RabbitMQ connection.
    wait_for(worker.idle, "the first worker to finish the claim e-mail task")
    worker.stop(signal.SIGKILL)
    worker.start(GAPMAP_TEST_SEND_DELAY="60")
    services.claim_release(claim=Claim.objects.get(), actor=alice)
    wait_for(lambda: worker.log_has("send_notification_emails[") and worker.log_has("received"),
             "the worker to take the release e-mail task")
    worker.stop(signal.SIGKILL)
    killed_at = time.monotonic()
    assert Notification.objects.get(kind="claim_released").email_state == "pending"
    if django_settings.CELERY_BROKER_URL.startswith("redis"):
        time.sleep(max(0.0, killed_at + VISIBILITY_TIMEOUT + 0.5 - time.monotonic()))

    worker.start()
    wait_for(lambda: len(worker.mails()) == 2, "the release e-mail after the restart")
    wait_for(worker.idle, "the restarted worker to finish every task it received")
    mails = [path.read_text() for path in worker.mails()]
    assert len(mails) == 2
    assert sum("Alice released their claim on “Compute governance”." in m for m in mails) == 1
    assert list(Notification.objects.order_by("created_at").values_list("kind", "email_state")) \
        == [("claim_made", "sent"), ("claim_released", "sent")]
