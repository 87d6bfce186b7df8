"""The daily claim sweep, time-travelled by passing `now`: reminder → dormant → renew."""


import pytest
from django.core import mail
from django.core.management import call_command

from config.celery import app as celery_app
from registry import services
from registry.management.commands import run_periodic
from registry.models import Claim
from registry.notifications import periodic
from registry.notifications import services as notifications
from registry.notifications.models import ClaimReminder, Notification
from tests.notifications.conftest import T0, days

pytestmark = pytest.mark.usefixtures("claim_rules")


def sent_to(person):
    return notifications.notification_emails_send(recipient_id=person.pk,
                                                  now=days(1000))


def test_claim_sweep_reminds_then_makes_dormant_then_renewal_restarts(alice, bob,
                                                                      alice_claim):
    assert periodic.claim_sweep(now=days(149)) == {"reminded": 0, "dormant": 0}
    assert periodic.claim_sweep(now=days(150)) == {"reminded": 1, "dormant": 0}
    assert periodic.claim_sweep(now=days(151)) == {"reminded": 0, "dormant": 0}
    sent_to(alice)
    assert [m.subject for m in mail.outbox] == [
        "Gapmap: Your claim on “Compute governance” has been quiet since 1 January 2031. It "
        "goes dormant on 3 July 2031 unless you publi…"]

    assert periodic.claim_sweep(now=days(183)) == {"reminded": 0, "dormant": 0}
    assert periodic.claim_sweep(now=days(184)) == {"reminded": 0, "dormant": 1}
    assert Claim.objects.get().state == Claim.State.DORMANT
    kinds = list(Notification.objects.filter(kind="claim_dormant")
                 .values_list("recipient__username", flat=True).order_by("recipient__username"))
    assert kinds == ["alice", "bob"]  # the system acted, so the claimant hears too

    services.claim_renew(claim=alice_claim, actor=alice, note="Draft half done.", now=days(190))
    assert periodic.claim_sweep(now=days(339)) == {"reminded": 0, "dormant": 0}
    assert periodic.claim_sweep(now=days(340)) == {"reminded": 1, "dormant": 0}
    assert list(ClaimReminder.objects.order_by("quiet_since")
                .values_list("quiet_since", flat=True)) == [T0, days(190)]


def test_claim_reminder_goes_to_the_claimant_only(alice, bob, alice_claim):
    periodic.claim_sweep(now=days(150))
    assert list(Notification.objects.filter(kind="claim_reminder")
                .values_list("recipient__username", flat=True)) == ["alice"]


def test_claim_sweep_run_twice_sends_one_reminder(alice, alice_claim):
    periodic.claim_sweep(now=days(160))
    periodic.claim_sweep(now=days(160))
    assert sent_to(alice) == 1
    assert ClaimReminder.objects.count() == 1


def test_published_writeup_opens_a_new_quiet_period(alice, alice_claim):
    periodic.claim_sweep(now=days(150))
    writeup = services.writeup_create(topic=alice_claim.topic, author=alice, title="Survey",
                                      kind="plan", body="Plan.")
    services.writeup_publish(writeup=writeup, actor=alice, now=days(170))
    assert periodic.claim_sweep(now=days(200)) == {"reminded": 0, "dormant": 0}
    assert periodic.claim_sweep(now=days(320)) == {"reminded": 1, "dormant": 0}


def test_run_periodic_lists_the_jobs(capsys):
    call_command("run_periodic")
    assert capsys.readouterr().out.splitlines() == [
        "claim_sweep: Daily: remind claimants whose claims went quiet, then make idle claims "
        "dormant (each",
        "owner_invitation_expiry: Hourly: expire overdue owner invitations (each tells the "
        "author and the invitee).",
        "review_request_sweep: Hourly: expire overdue review requests, then remind reviewers "
        "(once) of those expiring",
        "digests: Daily: one digest e-mail per person with digest notifications waiting.",
        "outbox_retry: Every 5 minutes: queue e-mails for notifications that have not gone out.",
        "stats_reconcile: Nightly: recompute every topic's stored status and counts, logging "
        "any drift.",
    ]


def test_run_periodic_runs_one_job(db, capsys):
    call_command("run_periodic", "claim_sweep")
    assert capsys.readouterr().out == "claim_sweep: reminded 0, dormant 0\n"


def test_beat_schedules_every_periodic_job_as_a_registered_task():
    celery_app.loader.import_default_modules()
    scheduled = {name: entry["task"] for name, entry in celery_app.conf.beat_schedule.items()}
    # Each job's task lives in the tasks module beside its app's periodic module.
    assert scheduled == {name: job.__module__.replace(".periodic", ".tasks.") + name
                         for name, job in run_periodic.JOBS.items()}
    assert set(scheduled.values()) <= set(celery_app.tasks)
    assert "registry.notifications.tasks.send_notification_email" in celery_app.tasks
