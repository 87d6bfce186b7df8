import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone

from registry.core.errors import (
    AlreadyReported,
    InvalidTransition,
    NotAllowed,
    NotVisible,
    ValidationFailed,
)
from registry.models import Writeup
from registry.moderation import services
from registry.moderation.models import ModerationAction, Report
from registry.moderation.services import AUTO_HIDE_REASON
from registry.services import writeup_delete
from tests.factories import ClaimFactory, ReportFactory, UserFactory, WriteupFactory


@pytest.fixture
def writeup(alice):
    return WriteupFactory(author=alice, published=True, title="On verification")


def _report(person, writeup, **extra):
    return ReportFactory(reporter=person, target_type="writeup", target_id=writeup.pk, **extra)


def _hidden(writeup):
    return Writeup.objects.values_list("hidden", "hidden_reason").get(pk=writeup.pk)


def _old(days=8, **extra):
    """A person whose account is `days` old: standing by age alone (the default is 7)."""
    return UserFactory(date_joined=timezone.now() - datetime.timedelta(days=days), **extra)


def test_report_create_second_open_report_by_same_person_refused(writeup, bob):
    _report(bob, writeup)
    with pytest.raises(AlreadyReported) as refused:
        _report(bob, writeup, reason="abuse")
    assert (refused.value.status, refused.value.code) == (409, "already_reported")
    assert Report.objects.filter(reporter=bob).count() == 1


def test_report_one_open_per_person_is_a_database_constraint(writeup, bob):
    report = _report(bob, writeup)
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(reporter=bob, target_type="writeup", target_id=writeup.pk,
                              reason="spam", created_at=report.created_at)


def test_report_create_after_decision_allowed_again(writeup, bob, moderator):
    report = _report(bob, writeup)
    services.report_resolve(moderator=moderator, report=report, outcome="dismissed",
                            note="Fine as it is.")
    again = _report(bob, writeup)
    assert list(Report.objects.filter(reporter=bob).order_by("id")
                .values_list("state", flat=True)) == ["dismissed", "open"]
    assert again.state == "open"


def test_report_create_draft_of_someone_else_not_visible(alice, bob):
    draft = WriteupFactory(author=alice)
    with pytest.raises(NotVisible):
        _report(bob, draft)
    assert Report.objects.count() == 0


def test_report_create_bad_reason_and_long_note_named(writeup, bob):
    with pytest.raises(ValidationFailed) as failed:
        _report(bob, writeup, reason="boring", note="x" * 2001)
    assert sorted(failed.value.fields) == ["note", "reason"]


def test_auto_hide_at_threshold_from_distinct_people(writeup, settings):
    settings.GAPMAP_REPORTS_TO_HIDE = 3
    first, second, third = _old(), _old(), _old()
    _report(first, writeup)
    _report(second, writeup)
    assert _hidden(writeup) == (False, "")
    _report(third, writeup)
    assert _hidden(writeup) == (True, "")
    action = ModerationAction.objects.get()
    assert (action.actor, action.kind, action.target_type, action.target_id, action.reason) == (
        None, "hide", "writeup", writeup.pk, AUTO_HIDE_REASON.format(n=3))


def test_auto_hide_same_person_reporting_again_counts_once(writeup, moderator, settings):
    settings.GAPMAP_REPORTS_TO_HIDE = 2
    bob, charlie = _old(), _old()
    services.report_resolve(moderator=moderator, report=_report(bob, writeup),
                            outcome="dismissed", note="Nothing wrong.")
    _report(bob, writeup)  # bob again: still one person with an open report
    assert _hidden(writeup) == (False, "")
    _report(charlie, writeup)
    assert _hidden(writeup) == (True, "")


def test_auto_hide_does_not_log_again_when_already_hidden(writeup, moderator, settings):
    settings.GAPMAP_REPORTS_TO_HIDE = 1
    _report(_old(), writeup)
    _report(_old(), writeup)
    assert ModerationAction.objects.filter(kind="hide").count() == 1


def test_content_hide_logs_who_what_why(writeup, moderator):
    services.content_hide(moderator=moderator, target_type="writeup", obj=writeup,
                          reason="Doxxing.")
    assert _hidden(writeup) == (True, "Doxxing.")
    assert list(ModerationAction.objects.values_list(
        "actor__username", "kind", "target_type", "target_id", "reason")) == [
        ("mod", "hide", "writeup", writeup.pk, "Doxxing.")]


def test_content_hide_keeps_content_and_updated_at(writeup, moderator):
    before = Writeup.objects.get(pk=writeup.pk)
    services.content_hide(moderator=moderator, target_type="writeup", obj=writeup,
                          reason="Spam.")
    after = Writeup.objects.get(pk=writeup.pk)
    assert (after.title, after.body, after.version, after.updated_at) == (
        before.title, before.body, before.version, before.updated_at)


@pytest.mark.parametrize("person", ["alice", "charlie"])
def test_content_hide_by_non_moderator_refused(writeup, person, request):
    with pytest.raises(NotAllowed):
        services.content_hide(moderator=request.getfixturevalue(person), target_type="writeup",
                              obj=writeup, reason="No.")
    assert _hidden(writeup) == (False, "")
    assert ModerationAction.objects.count() == 0


def test_content_hide_without_reason_refused(writeup, moderator):
    with pytest.raises(ValidationFailed) as failed:
        services.content_hide(moderator=moderator, target_type="writeup", obj=writeup,
                              reason="  ")
    assert list(failed.value.fields) == ["reason"]


def test_content_unhide_dismisses_open_reports_and_logs(writeup, moderator, settings):
    settings.GAPMAP_REPORTS_TO_HIDE = 1
    report = _report(_old(), writeup)
    services.content_unhide(moderator=moderator, target_type="writeup", obj=writeup,
                            reason="Reviewed: it is fine.")
    report.refresh_from_db()
    assert _hidden(writeup) == (False, "")
    assert (report.state, report.decided_by, report.decision_note) == (
        "dismissed", moderator, "Reviewed: it is fine.")
    assert list(ModerationAction.objects.order_by("id").values_list("actor__username", "kind")) \
        == [(None, "hide"), ("mod", "unhide")]


def test_content_unhide_not_hidden_is_a_conflict(writeup, moderator):
    with pytest.raises(InvalidTransition):
        services.content_unhide(moderator=moderator, target_type="writeup", obj=writeup,
                                reason="?")


def test_report_resolve_twice_is_a_conflict(writeup, bob, moderator):
    report = _report(bob, writeup)
    services.report_resolve(moderator=moderator, report=report, outcome="resolved",
                            note="Hidden.")
    with pytest.raises(InvalidTransition):
        services.report_resolve(moderator=moderator, report=report, outcome="dismissed",
                                note="Again.")
    assert list(ModerationAction.objects.values_list("kind", "report_id", "reason")) == [
        ("resolve", report.pk, "Hidden.")]


def test_report_resolve_by_reporter_refused(writeup, bob):
    report = _report(bob, writeup)
    with pytest.raises(NotAllowed):
        services.report_resolve(moderator=bob, report=report, outcome="dismissed", note="Me.")
    report.refresh_from_db()
    assert report.state == "open"


# --- Standing: fresh accounts cannot hide someone's work -----------------------------------

def _three_reports(writeup, people):
    for person in people:
        _report(person, writeup)
    return Report.objects.filter(target_id=writeup.pk, state="open").count()


def test_auto_hide_three_fresh_accounts_do_not_hide(writeup, settings):
    settings.GAPMAP_REPORTS_TO_HIDE = 3
    open_reports = _three_reports(writeup, [UserFactory(), UserFactory(), UserFactory()])
    assert (open_reports, _hidden(writeup)) == (3, (False, ""))
    assert ModerationAction.objects.count() == 0


def test_auto_hide_three_old_accounts_hide(writeup, settings):
    settings.GAPMAP_REPORTS_TO_HIDE = 3
    _three_reports(writeup, [_old(), _old(), _old()])
    assert _hidden(writeup) == (True, "")


def test_auto_hide_fresh_accounts_with_published_work_or_claim_hide(writeup, moderator,
                                                                     settings):
    settings.GAPMAP_REPORTS_TO_HIDE = 3
    author, claimant = UserFactory(), UserFactory()
    WriteupFactory(author=author, published=True)
    ClaimFactory(person=claimant)
    _three_reports(writeup, [author, claimant, moderator])  # a moderator has standing too
    assert _hidden(writeup) == (True, "")


def test_auto_hide_mixed_two_with_standing_and_one_fresh_do_not_hide(writeup, settings):
    settings.GAPMAP_REPORTS_TO_HIDE = 3
    _three_reports(writeup, [_old(), _old(), UserFactory()])
    assert _hidden(writeup) == (False, "")
    _report(_old(), writeup)  # the third with standing
    action = ModerationAction.objects.get()
    assert (_hidden(writeup), action.reason) == ((True, ""), AUTO_HIDE_REASON.format(n=3))


def test_auto_hide_draft_deleted_or_hidden_work_gives_no_standing(writeup, moderator,
                                                                   settings):
    settings.GAPMAP_REPORTS_TO_HIDE = 3
    drafter, deleter, hidden_author = UserFactory(), UserFactory(), UserFactory()
    WriteupFactory(author=drafter)
    writeup_delete(writeup=WriteupFactory(author=deleter, published=True), actor=deleter)
    services.content_hide(moderator=moderator, target_type="writeup", reason="Spam.",
                          obj=WriteupFactory(author=hidden_author, published=True))
    _three_reports(writeup, [drafter, deleter, hidden_author])
    assert _hidden(writeup) == (False, "")


def test_auto_hide_account_age_boundary_and_setting(writeup, settings):
    settings.GAPMAP_REPORTS_TO_HIDE = 2
    settings.GAPMAP_REPORT_MIN_ACCOUNT_AGE_DAYS = 30
    _three_reports(writeup, [_old(days=29), _old(days=31)])
    assert _hidden(writeup) == (False, "")
    _report(_old(days=30), writeup)
    assert _hidden(writeup) == (True, "")


def test_auto_hide_moderators_group_member_has_standing_and_inactive_old_account_not(
        writeup, settings):
    settings.GAPMAP_REPORTS_TO_HIDE = 2
    group_moderator = UserFactory()
    group_moderator.groups.add(Group.objects.get_or_create(name="moderators")[0])
    gone = _old()
    _report(gone, writeup)
    type(gone).objects.filter(pk=gone.pk).update(is_active=False)
    _report(group_moderator, writeup)
    assert _hidden(writeup) == (False, "")
    _report(_old(), writeup)
    assert _hidden(writeup) == (True, "")


def test_funder_role_changes_are_in_the_moderation_log(alice, moderator):
    from registry.discovery import services as discovery

    services.funder_role_set(person=alice, is_funder=True, moderator=moderator)
    services.funder_role_set(person=alice, is_funder=True, moderator=moderator)  # no change
    discovery.alert_subscribe(funder=alice, cluster=None)
    services.funder_role_set(person=alice, is_funder=False, moderator=moderator)

    log = list(ModerationAction.objects.order_by("id").values_list(
        "kind", "actor", "target_type", "target_id"))
    assert log == [("grant_funder", moderator.pk, "profile", alice.profile.pk),
                   ("revoke_funder", moderator.pk, "profile", alice.profile.pk)]
    alice.profile.refresh_from_db()
    assert (alice.profile.is_funder, alice.funder_alerts.count()) == (False, 0)
