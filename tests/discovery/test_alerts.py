import datetime

import pytest
from django.core import mail
from django.utils import timezone

from proposals.services import owner_invitation_accept, owner_invite, proposal_move
from registry.discovery import services
from registry.notifications.models import Notification
from registry.notifications.services import notification_emails_send
from registry.services import claim_create, claim_release
from tests.factories import ClusterFactory, FunderFactory, ProposalFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fiona(db):
    return FunderFactory(username="fiona")


def _alerts(person, kind):
    return list(Notification.objects.filter(recipient=person, kind=kind)
                .values_list("text", flat=True))


def test_alert_gap_opened_when_last_claim_released(alice, fiona):
    cluster = ClusterFactory(slug="law", name="Law")
    topic = TopicFactory(cluster=cluster, title="Treaties")
    services.alert_subscribe(funder=fiona, cluster=cluster)
    claim = claim_create(topic=topic, person=alice, plan="p")
    claim_release(claim=claim, actor=alice)
    assert _alerts(fiona, "gap_opened") == [
        "“Treaties” in Law is now a gap: nobody holds a claim on it."]
    # E-mailed by the notifications outbox once its batching window closes.
    notification_emails_send(recipient_id=fiona.pk,
                             now=timezone.now() + datetime.timedelta(hours=1))
    assert [m.to for m in mail.outbox] == [["fiona@example.org"]]


def test_alert_not_sent_while_another_claim_is_active(alice, bob, fiona):
    topic = TopicFactory()
    services.alert_subscribe(funder=fiona, cluster=None)
    claim = claim_create(topic=topic, person=alice, plan="p")
    claim_create(topic=topic, person=bob, plan="p")
    claim_release(claim=claim, actor=alice)
    assert _alerts(fiona, "gap_opened") == []


def test_alert_other_cluster_is_silent(alice, fiona):
    services.alert_subscribe(funder=fiona, cluster=ClusterFactory(slug="elsewhere"))
    claim = claim_create(topic=TopicFactory(), person=alice, plan="p")
    claim_release(claim=claim, actor=alice)
    assert _alerts(fiona, "gap_opened") == []


def test_alert_owner_gained_for_watching_funder(alice, bob, fiona):
    proposal = ProposalFactory(author=alice, title="Ask the lab")
    services.alert_subscribe(funder=fiona, cluster=proposal.topic.cluster)
    proposal_move(proposal=proposal, to="proposal", actor=alice)
    invitation = owner_invite(proposal=proposal, invitee=bob, actor=alice)
    owner_invitation_accept(invitation=invitation, actor=bob)
    assert len(_alerts(fiona, "owner_gained")) == 1


def test_alert_subscribe_by_non_funder_is_403(charlie):
    with pytest.raises(Exception) as error:
        services.alert_subscribe(funder=charlie, cluster=None)
    assert error.value.code == "not_a_funder"


def test_alert_api_subscribe_list_unsubscribe(api_as, fiona):
    ClusterFactory(slug="law")
    client = api_as(fiona)
    assert client.post("/api/v1/me/funder-alerts/", {"cluster": "law"},
                       format="json").status_code == 201
    assert client.get("/api/v1/me/funder-alerts/").json() == [{"cluster": "law"}]
    assert client.delete("/api/v1/me/funder-alerts/", {"cluster": "law"},
                         format="json").status_code == 204
    assert client.get("/api/v1/me/funder-alerts/").json() == []


def test_alert_page_for_funder_only(client, fiona, charlie):
    client.force_login(charlie)
    assert client.get("/me/alerts/").status_code == 403
    client.force_login(fiona)
    assert client.post("/me/alerts/", {"cluster": "", "action": "subscribe"}).status_code == 302
    assert list(fiona.funder_alerts.values_list("cluster", flat=True)) == [None]
