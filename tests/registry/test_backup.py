import datetime

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError

from proposals import services as proposal_services
from registry import backup, services
from registry.discovery import services as discovery_services
from registry.discovery.models import SearchEntry
from registry.feedback import anchors
from registry.feedback.services import comments as comment_services
from registry.feedback.services import reviews as review_services
from registry.moderation import services as moderation_services
from registry.notifications import services as notification_services
from registry.tokens.services import api_token_create
from tests.factories import (
    ClaimFactory,
    ClusterFactory,
    FunderFactory,
    FunderInterestFactory,
    ProposalFactory,
    ReportFactory,
    TopicFactory,
    UserFactory,
    WriteupFactory,
)


def _rich_registry():
    """At least one row of every backed-up model, made through the real services."""
    alice, bob, charlie = (UserFactory(username=name) for name in ("alice", "bob", "charlie"))
    moderator = UserFactory(username="mod", is_staff=True)
    Group.objects.create(name="moderators").user_set.add(charlie)
    api_token_create(user=alice, name="CLI")
    cluster = ClusterFactory(slug="safety")
    topic = TopicFactory(cluster=cluster, slug="evals", title="Evaluations")
    other = TopicFactory(cluster=cluster, slug="audits", title="Audits")
    suggestion = services.topic_suggest(person=bob, title="Model welfare", cluster=cluster,
                                        reason="Nobody covers it.")
    services.topic_decide(topic=suggestion, moderator=moderator, state="listed", note="Yes.")
    notification_services.follow_create(person=bob, topic=topic)
    notification_services.notification_settings_update(
        person=bob, delivery={"claim_made": "site"}, digest_frequency="weekly")
    claim = ClaimFactory(topic=topic, person=alice)
    released = ClaimFactory(topic=other, person=bob)
    services.claim_release(claim=released, actor=bob, note="No time.")
    writeup = WriteupFactory(topic=topic, author=alice, published=True, title="First look")
    services.writeup_update(writeup=writeup, editor=alice, body="Second *draft*.")
    proposal = ProposalFactory(topic=topic, author=alice, co_authors=[bob],
                               related_topics=[other], supporting_writeups=[writeup])
    notification_services.follow_create(person=charlie, proposal=proposal)
    proposal_services.proposal_move(proposal=proposal, to="proposal", actor=alice)
    invitation = proposal_services.owner_invite(proposal=proposal, invitee=charlie, actor=alice)
    proposal_services.owner_invitation_accept(invitation=invitation, actor=charlie)
    notification_services.claims_remind(now=claim.last_activity_at + datetime.timedelta(days=160))
    funder = FunderFactory(username="fund")
    FunderInterestFactory(funder=funder, topic=other)
    discovery_services.alert_subscribe(funder=funder, cluster=cluster)
    statement = "It moved the frontier: the first measured comparison of the two methods."
    endorsed = services.endorsement_create(writeup=writeup, endorser=moderator,
                                           statement=statement)
    services.endorsement_create(writeup=writeup, endorser=charlie, statement=statement)
    services.endorsement_retract(endorsement=endorsed, actor=moderator)  # the recognition ends
    services.recognition_record(topic=other, moderator=moderator, name="M. Baker",
                                work_title="Audits in practice", work_url="https://example.org/a",
                                reason="The standard reference.")
    comment = comment_services.comment_create(target=writeup, author=bob,
                                              body="Did you try @alice's second method?")
    comment_services.comment_update(comment=comment, editor=bob, body="Second method, @alice?")
    comment_services.comment_create(target=writeup, author=alice, body="Not yet.", parent=comment)
    comment_services.comment_create(target=proposal, author=charlie, body="Which lab?",
                                    aspect="ask")
    draft = WriteupFactory(topic=topic, author=alice, title="Draft for review",
                           body="First paragraph.\n\nSecond paragraph.")
    review = review_services.review_request_create(target=draft, reviewer=bob, actor=alice,
                                                   message="Be blunt.")
    review_services.review_request_accept(review_request=review, actor=bob)
    remark = review_services.review_comment_create(review_request=review, actor=bob,
                                                   body="Cut this.",
                                                   anchor=anchors.blocks(draft.body_html)[0]
                                                   .anchor)
    review_services.review_comment_resolve(comment=remark, actor=alice)
    review_services.review_request_finish(review_request=review, actor=bob, named=True)
    report = ReportFactory(reporter=bob, target_type="writeup", target_id=writeup.pk)
    moderation_services.content_hide(moderator=moderator, target_type="writeup", obj=writeup,
                                     reason="Checking.")
    moderation_services.report_resolve(moderator=moderator, report=report, outcome="resolved",
                                       note="Hidden while we check.")


def _snapshot() -> dict[str, list[dict]]:
    """Every row of every backed-up model, serialized field by field (M2M included)."""
    return {model._meta.label: serializers.serialize(
                "python", model.objects.order_by("pk"), use_natural_foreign_keys=True)
            for model in backup.backup_models()}


def test_backup_round_trip_keeps_every_row_exactly(transactional_db, tmp_path):
    _rich_registry()
    before = _snapshot()
    search_before = sorted(SearchEntry.objects.values_list("kind", "object_id", "title"))
    assert [label for label, rows in before.items() if not rows] == []
    path = tmp_path / "gapmap.json"

    call_command("export_all", str(path))
    call_command("flush", interactive=False)
    assert backup.existing_rows() == {}
    call_command("import_all", str(path))

    assert _snapshot() == before
    assert sorted(SearchEntry.objects.values_list("kind", "object_id", "title")) == search_before


def test_backup_round_trip_new_rows_get_fresh_ids(transactional_db, tmp_path):
    topic = TopicFactory(slug="evals")
    path = tmp_path / "gapmap.json"
    call_command("export_all", str(path))
    call_command("flush", interactive=False)
    call_command("import_all", str(path))
    # The id sequence continues after the imported rows (PostgreSQL needs a reset for this).
    assert TopicFactory(slug="new", cluster=topic.cluster).pk > topic.pk


def test_import_all_refuses_a_database_with_data(db, tmp_path):
    TopicFactory(slug="evals")
    path = tmp_path / "gapmap.json"
    call_command("export_all", str(path))
    with pytest.raises(CommandError) as refused:
        call_command("import_all", str(path))
    assert "already holds registry data (registry.Cluster: 1, registry.Topic: 1)" in str(
        refused.value)


def test_import_all_force_loads_over_existing_rows(db, tmp_path):
    topic = TopicFactory(slug="evals", title="Evaluations")
    path = tmp_path / "gapmap.json"
    call_command("export_all", str(path))
    type(topic).objects.filter(pk=topic.pk).update(title="Changed since")
    call_command("import_all", str(path), force=True)
    topic.refresh_from_db()
    assert topic.title == "Evaluations"


def test_backup_models_cover_every_model_of_our_apps():
    ours = {model._meta.label for config in apps.get_app_configs()
            if config.name.split(".")[0] in ("registry", "proposals")
            for model in config.get_models()}
    assert {"feedback.Comment", "moderation.Report", "tokens.ApiToken"} <= ours
    assert ours - set(backup.BACKUP_MODELS) - set(backup.DERIVED_MODELS) == set()


def test_backup_from_before_the_apps_moved_out_still_imports(transactional_db, tmp_path):
    """A file written while follows, interest and reports were registry models names them
    registry.follow, …; import_all reads them under their new apps' labels."""
    import json

    _rich_registry()
    before = _snapshot()
    path = tmp_path / "gapmap.json"
    call_command("export_all", str(path))
    rows = json.loads(path.read_text())
    old_labels = {new: old for old, new in backup.RENAMED_LABELS.items()}
    for row in rows:
        row["model"] = old_labels.get(row["model"], row["model"])
    assert {"registry.follow", "registry.report", "registry.funderinterest"} <= {
        row["model"] for row in rows}
    path.write_text(json.dumps(rows))
    call_command("flush", interactive=False)
    call_command("import_all", str(path))

    assert _snapshot() == before
