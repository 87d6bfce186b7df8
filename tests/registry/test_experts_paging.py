"""The experts directory reads one page of each list in SQL: the recognised list pages by
20 with ?page=, the claimants show their first 20 beside it and page with
?status=claimants&page=; search runs in SQL with the same rules as before."""

import re

import pytest

from registry import selectors, services
from registry.moderation.services import content_hide
from tests.factories import ClusterFactory, TopicFactory, UserFactory, WriteupFactory


@pytest.fixture
def cluster(db):
    return ClusterFactory(slug="compute", name="Compute governance")


def recognise(cluster, moderator, count):
    """`count` people recorded by a moderator, on topics titled in their directory order."""
    names = [f"Expert {i:02}" for i in range(count)]
    for i, name in enumerate(names):
        services.recognition_record(
            topic=TopicFactory(cluster=cluster, slug=f"t{i:02}", title=f"Topic {i:02}"),
            moderator=moderator, name=name, work_title="Notes", reason="The reference.")
    return names


def claimants(cluster, count):
    """`count` people each claiming a topic (titled in directory order) and publishing on it."""
    usernames = [f"claimant{i:02}" for i in range(count)]
    for i, username in enumerate(usernames):
        person = UserFactory(username=username)
        topic = TopicFactory(cluster=cluster, slug=f"c{i:02}", title=f"Claimed {i:02}")
        services.claim_create(topic=topic, person=person, plan="A plan.")
        WriteupFactory(topic=topic, author=person, published=True, title=f"Work {i:02}")
    return usernames


def recognised_names(page: str) -> list[str]:
    return re.findall(r'<strong class="person">([^<]+)</strong>', page)


def claimant_usernames(page: str) -> list[str]:
    return re.findall(r'href="/people/([^/]+)/"', page[page.index('id="h-claimants"'):])


def test_experts_page_two_shows_the_21st_to_40th_recognised_in_order(client, cluster,
                                                                     moderator):
    names = recognise(cluster, moderator, 41)
    second = client.get("/experts/?page=2").content.decode()
    third = client.get("/experts/?page=3").content.decode()
    assert recognised_names(second) == names[20:40]
    assert recognised_names(third) == names[40:]
    assert ('href="?page=3"' in second, 'href="?page=3"' in third) == (True, False)


@pytest.mark.parametrize(("count", "more"), [(20, False), (21, True)])
def test_experts_claimants_offer_more_only_past_twenty(client, cluster, count, more):
    usernames = claimants(cluster, count)
    page = client.get("/experts/").content.decode()
    assert claimant_usernames(page) == usernames[:20]
    assert ('href="?status=claimants&amp;page=2"' in page) == more


def test_experts_claimants_second_page_shows_the_21st_with_previous_only(client, cluster):
    usernames = claimants(cluster, 21)
    page = client.get("/experts/?status=claimants&page=2").content.decode()
    assert claimant_usernames(page) == usernames[20:]
    assert ('href="?status=claimants&amp;page=1"' in page,
            'href="?status=claimants&amp;page=3"' in page) == (True, False)


def test_experts_claimant_work_is_their_public_writeups_on_the_claimed_topic(cluster,
                                                                             moderator):
    carol = UserFactory(username="carol")
    topic = TopicFactory(cluster=cluster, title="Evaluations")
    services.claim_create(topic=topic, person=carol, plan="A plan.")
    older = WriteupFactory(topic=topic, author=carol, published=True, title="Older")
    newer = WriteupFactory(topic=topic, author=carol, published=True, title="Newer")
    newer.published_at = older.published_at.replace(year=older.published_at.year + 1)
    newer.save(update_fields=["published_at"])
    content_hide(moderator=moderator, target_type="writeup", reason="Spam.",
                 obj=WriteupFactory(topic=topic, author=carol, published=True, title="Hidden"))
    WriteupFactory(topic=TopicFactory(cluster=cluster), author=carol, published=True,
                   title="Elsewhere")
    _, found = selectors.experts_search()
    assert [(c.person.username, [w.title for w in c.work]) for c in found[:10]] == [
        ("carol", ["Newer", "Older"])]


def test_experts_shows_a_new_recognition_on_the_next_read(client, cluster, moderator, charlie):
    client.force_login(charlie)
    before = client.get("/experts/").content.decode()
    recognise(cluster, moderator, 1)
    assert (recognised_names(before), recognised_names(client.get("/experts/").content
                                                       .decode())) == ([], ["Expert 00"])


def test_experts_names_a_hidden_profile_to_moderators_only(client, cluster, moderator,
                                                            charlie):
    dana = UserFactory(username="dana")
    services.recognition_record(topic=TopicFactory(cluster=cluster, title="Audits"),
                                moderator=moderator, person=dana, work_title="Notes",
                                reason="The reference.")
    content_hide(moderator=moderator, target_type="profile", obj=dana.profile, reason="Abuse.")

    def named(viewer):
        client.force_login(viewer)
        page = client.get("/experts/").content.decode()
        return re.findall(r'href="/people/dana/">([^<]+)</a>', page)

    assert [named(charlie), named(moderator), named(charlie)] == [["dana"], ["Dana"], ["dana"]]


def test_experts_search_matches_a_hidden_profile_by_username_only(cluster, moderator):
    dana = UserFactory(username="dana")
    dana.profile.display_name, dana.profile.affiliation = "Dana Scully", "Bureau"
    dana.profile.hidden = True
    dana.profile.save()
    services.recognition_record(topic=TopicFactory(cluster=cluster, title="Audits"),
                                moderator=moderator, person=dana, work_title="Notes",
                                reason="The reference.")

    def found(q):
        return [r.person.username for r in selectors.experts_search(q=q)[0][:10]]

    assert (found("DANA"), found("bureau"), found("scully"), found("audits")) == (
        ["dana"], [], [], ["dana"])
