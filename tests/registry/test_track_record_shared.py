"""A profile's recognitions and endorsements received and given are rendered once per site
version and viewer class (registry.templatetags.shared_cache): a write shows on the next
read, and a hidden profile's name reaches only those who may see it."""

import pytest
from django.contrib.auth import get_user_model

from registry import services
from registry.moderation.services import content_hide
from tests.factories import ClusterFactory, TopicFactory, UserFactory, WriteupFactory
from tests.registry.test_track_records import section_links

STATEMENT = "It settled how to log GPU failures across clusters."


def person(username):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def erin(db):
    """erin's writeup, endorsed by pat; quinn has published too, so may endorse it."""
    cluster = ClusterFactory(slug="ml")
    topic = TopicFactory(cluster=cluster, slug="gpu-logging", title="GPU logging")
    erin = UserFactory(username="erin")
    mine = WriteupFactory(topic=topic, author=erin, title="Erin's map", published=True)
    for name in ("pat", "quinn"):
        WriteupFactory(topic=TopicFactory(cluster=cluster), author=UserFactory(username=name),
                       published=True)
    services.endorsement_create(writeup=mine, endorser=person("pat"), statement=STATEMENT)
    return mine


def test_profile_shared_lists_show_a_new_endorsement_on_the_next_read(erin, client):
    client.force_login(UserFactory(username="charlie"))
    before = client.get("/people/erin/").content.decode()
    services.endorsement_create(writeup=erin, endorser=person("quinn"),
                                statement=STATEMENT.replace("GPU", "TPU"))
    after = client.get("/people/erin/").content.decode()
    assert section_links(before, "endorsements_received") == ["Pat", "Erin's map"]
    assert section_links(after, "endorsements_received") == ["Quinn", "Erin's map",
                                                             "Pat", "Erin's map"]


def test_profile_shared_lists_name_a_hidden_endorser_to_moderators_and_self_only(
        erin, client, moderator):
    pat = person("pat")
    content_hide(moderator=moderator, target_type="profile", obj=pat.profile, reason="Abuse.")

    def endorsers(viewer):
        client.force_login(viewer)
        return section_links(client.get("/people/erin/").content.decode(),
                             "endorsements_received")[0]

    charlie = UserFactory(username="charlie")
    assert [endorsers(charlie), endorsers(moderator), endorsers(pat), endorsers(charlie)] == [
        "pat", "Pat", "Pat", "pat"]
