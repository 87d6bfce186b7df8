import pytest

from registry import services
from registry.models import Claim, Topic, TopicEvent
from tests.factories import ClaimFactory, ClusterFactory, UserFactory


@pytest.fixture
def admin_user(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def test_admin_release_action_goes_through_the_service(client, alice, admin_user):
    claim = ClaimFactory(person=alice)
    client.force_login(admin_user)

    response = client.post("/admin/registry/claim/", {
        "action": "release_claims", "_selected_action": [claim.pk]})

    assert response.status_code == 302
    assert Claim.objects.get(pk=claim.pk).state == "released"
    event = TopicEvent.objects.get(kind="released")
    assert (event.actor, event.note) == (admin_user, "Released by a moderator.")


def test_admin_list_action_goes_through_the_service(client, alice, admin_user):
    topic = services.topic_suggest(person=alice, title="New", cluster=ClusterFactory(),
                                   reason="r")
    client.force_login(admin_user)

    client.post("/admin/registry/topic/", {"action": "list_suggestions",
                                           "_selected_action": [topic.pk]})

    assert Topic.objects.get(pk=topic.pk).state == "listed"
    assert TopicEvent.objects.filter(topic=topic, kind="listed", actor=admin_user).count() == 1


def test_admin_pages_for_new_models_render(client, alice, admin_user):
    claim = ClaimFactory(person=alice)
    client.force_login(admin_user)

    for url in ["/admin/registry/claim/", f"/admin/registry/claim/{claim.pk}/change/",
                "/admin/registry/writeup/", "/admin/registry/topicevent/"]:
        assert client.get(url).status_code == 200, url


def test_topic_admin_keeps_state_read_only_and_search_current(client, db):
    from registry.discovery.models import SearchEntry
    from registry.models import Topic
    from tests.factories import TopicFactory, UserFactory

    topic = TopicFactory(slug="admin-edited", title="Old title")
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    url = f"/admin/registry/topic/{topic.pk}/change/"

    form_page = client.get(url).content.decode()
    response = client.post(url, {
        "cluster": topic.cluster_id, "slug": "admin-edited", "title": "New title",
        "description": "d", "source": "", "expert_name": "", "expert_work_title": "",
        "expert_work_url": "", "state": "declined",
    })

    assert 'name="state"' not in form_page
    assert response.status_code == 302
    topic.refresh_from_db()
    assert (topic.title, topic.state) == ("New title", Topic.State.LISTED)
    assert SearchEntry.objects.get(kind="topic", object_id=topic.pk).title == "New title"


def test_admin_topic_edit_refuses_a_control_character_and_keeps_the_text(client, admin_user):
    from tests.factories import TopicFactory

    topic = TopicFactory(slug="admin-edited", title="Old title")
    client.force_login(admin_user)
    response = client.post(f"/admin/registry/topic/{topic.pk}/change/", {
        "cluster": topic.cluster_id, "slug": "admin-edited", "title": "New\x01title",
        "description": "d", "source": "", "expert_name": "", "expert_work_title": "",
        "expert_work_url": "",
    })
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["title"] == [
        "Title: Contains the control character U+0001, which is not allowed. Remove it and "
        "try again."]
    assert 'value="New\x01title"' in response.content.decode()
    topic.refresh_from_db()
    assert topic.title == "Old title"


def test_admin_cannot_grant_the_funder_role_or_delete_interest_and_alerts(client, admin_user,
                                                                          alice):
    from registry.discovery import services as discovery
    from registry.discovery.models import FunderAlert, FunderInterest
    from tests.factories import FunderFactory, TopicFactory

    funder = FunderFactory(username="fiona")
    interest, _ = discovery.interest_register(funder=funder, topic=TopicFactory())
    alert = discovery.alert_subscribe(funder=funder, cluster=None)
    client.force_login(admin_user)

    client.post(f"/admin/registry/profile/{alice.profile.pk}/change/", {
        "user": alice.pk, "display_name": "Alice", "affiliation": "", "bio": "", "links": "",
        "disclosure": "", "is_funder": "on"})
    interest_delete = client.post(
        f"/admin/discovery/funderinterest/{interest.pk}/delete/", {"post": "yes"})
    alert_delete = client.post(f"/admin/discovery/funderalert/{alert.pk}/delete/",
                               {"post": "yes"})

    alice.profile.refresh_from_db()
    assert alice.profile.is_funder is False
    assert (interest_delete.status_code, alert_delete.status_code) == (403, 403)
    assert (FunderInterest.objects.count(), FunderAlert.objects.count()) == (1, 1)
