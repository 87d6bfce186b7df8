"""A person's track record: the profile page (/people/<username>/), "My work" (/me/) and
GET /api/v1/people/<username>/track-record/ (registry.track_records)."""

import datetime
import html
import re
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from proposals import services as proposal_services
from registry import services
from registry.discovery.services import interest_withdraw
from registry.moderation.services import content_hide
from registry.track_records import PER_PAGE
from tests.factories import (
    ClaimFactory,
    ClusterFactory,
    FunderFactory,
    FunderInterestFactory,
    ProposalFactory,
    TopicFactory,
    UserFactory,
    WriteupFactory,
)

LATER = timezone.now() + datetime.timedelta(days=1)


@pytest.fixture
def world(db):
    """fiona, a funder, with work of every kind, some of it out of others' sight."""
    fiona = FunderFactory(username="fiona")
    bob, mod = UserFactory(username="bob"), UserFactory(username="mod", is_staff=True)
    cluster = ClusterFactory(slug="compute")
    t1, t2, t3, t4 = (TopicFactory(cluster=cluster, slug=f"t{i}", title=f"Topic {i}")
                      for i in range(1, 5))
    # A topic bob suggested, listed, then hidden: only bob and moderators still see it.
    secret = services.topic_decide(
        topic=services.topic_suggest(person=bob, title="Secret topic", reason="Because.",
                                     cluster=cluster),
        moderator=mod, state="listed", note="ok")

    # Claims: t2 released, t3 dormant (ended tomorrow), t1 active, and one on a hidden topic.
    released = ClaimFactory(topic=t2, person=fiona)
    services.claim_release(claim=released, actor=fiona)
    dormant = ClaimFactory(topic=t3, person=fiona)
    services.claim_set_state(claim=dormant, to="dormant", now=LATER)
    ClaimFactory(topic=t1, person=fiona)
    ClaimFactory(topic=secret, person=fiona)

    # Writeups: published ones of two kinds, a draft, a deleted, a hidden, one on the secret.
    WriteupFactory(topic=t1, author=fiona, kind="insight", title="Old insight", published=True)
    WriteupFactory(topic=t1, author=fiona, kind="plan", title="A plan", published=True)
    WriteupFactory(topic=t2, author=fiona, kind="insight", title="New insight", published=True)
    WriteupFactory(topic=t1, author=fiona, kind="plan", title="Draft plan")
    deleted = WriteupFactory(topic=t1, author=fiona, kind="model", title="Gone", published=True)
    services.writeup_delete(writeup=deleted, actor=fiona)
    hidden_writeup = WriteupFactory(topic=t2, author=fiona, kind="model", title="Hidden model",
                                    published=True)
    WriteupFactory(topic=secret, author=fiona, kind="analysis", title="Secret analysis",
                   published=True)

    # Proposals: authored, co-authored (accepted), only invited, owned, hidden, on the secret.
    authored = ProposalFactory(topic=t1, author=fiona, title="Fiona asks")
    co_authored = ProposalFactory(topic=t2, author=bob, title="Bob and Fiona ask",
                                  co_authors=[fiona])
    proposal_services.proposal_create(topic=t2, author=bob, title="Fiona only invited",
                                      co_authors=[fiona])
    owned = ProposalFactory(topic=t3, author=bob, title="Fiona owns")
    proposal_services.proposal_move(proposal=owned, to="proposal", actor=bob)
    invitation = proposal_services.owner_invite(proposal=owned, invitee=fiona, actor=bob)
    proposal_services.owner_invitation_accept(invitation=invitation, actor=fiona)
    hidden_proposal = ProposalFactory(topic=t1, author=fiona, title="Hidden ask")
    ProposalFactory(topic=secret, author=fiona, title="Secret ask")

    # Interest: public in a topic and a proposal, private, withdrawn, on the secret topic.
    FunderInterestFactory(funder=fiona, topic=t1)
    FunderInterestFactory(funder=fiona, topic=t2, visibility="private")
    FunderInterestFactory(funder=fiona, topic=None, proposal=co_authored)
    FunderInterestFactory(funder=fiona, topic=t4)
    interest_withdraw(funder=fiona, topic=t4)
    FunderInterestFactory(funder=fiona, topic=secret)

    for target_type, obj in [("writeup", hidden_writeup), ("proposal", hidden_proposal),
                             ("suggestion", secret)]:
        content_hide(moderator=mod, target_type=target_type, obj=obj, reason="Abuse.")
    return SimpleNamespace(fiona=fiona, bob=bob, mod=mod, charlie=UserFactory(username="charlie"),
                           authored=authored, co_authored=co_authored, owned=owned,
                           secret=secret)


def record(api_as, viewer, username="fiona", query=""):
    client = api_as(viewer)
    response = client.get(f"/api/v1/people/{username}/track-record/{query}")
    assert response.status_code == 200
    return response.json()


def titles(data, name, key="title"):
    return [row[key] for row in data[name]["results"]]


# --- The lists, as everyone sees them -------------------------------------------------------

def test_track_record_claims_active_first_with_how_each_ended(world, api_as):
    claims = record(api_as, world.charlie)["claims"]

    assert [(c["topic"], c["state"], c["ended_at"] is None) for c in claims["results"]] == [
        ("t1", "active", True), ("t3", "dormant", False), ("t2", "released", False)]
    assert claims["results"][1]["ended_at"][:10] == LATER.date().isoformat()
    assert (claims["count"], claims["page"], claims["num_pages"]) == (3, 1, 1)


def test_track_record_writeups_published_only_by_kind_newest_first(world, api_as):
    data = record(api_as, world.charlie)

    assert [(w["kind"], w["title"]) for w in data["writeups"]["results"]] == [
        ("plan", "A plan"), ("insight", "New insight"), ("insight", "Old insight")]


def test_track_record_proposals_in_every_role_with_stage(world, api_as):
    data = record(api_as, world.charlie)

    assert [(p["title"], p["roles"], p["stage"]) for p in data["proposals"]["results"]] == [
        ("Fiona owns", ["owner"], "owner"),
        ("Bob and Fiona ask", ["co-author"], "analysis"),
        ("Fiona asks", ["author"], "analysis"),
    ]


def test_track_record_funder_interests_public_only_for_others(world, api_as):
    data = record(api_as, world.charlie)

    assert [(i["topic"], i["proposal"], i["title"], i["visibility"])
            for i in data["funder_interests"]["results"]] == [
        (None, world.co_authored.pk, "Bob and Fiona ask", "public"),
        ("t1", None, "Topic 1", "public")]


def test_track_record_api_shape(world, api):
    data = api.get("/api/v1/people/fiona/track-record/").json()

    assert sorted(data) == ["claims", "endorsements_given", "endorsements_received",
                            "funder_interests", "is_funder", "name", "proposals",
                            "recognitions", "username", "writeups"]
    assert (data["username"], data["name"], data["is_funder"]) == ("fiona", "Fiona", True)
    assert sorted(data["claims"]["results"][0]) == [
        "claimed_at", "ended_at", "id", "last_activity_at", "state", "topic", "topic_title"]
    assert sorted(data["writeups"]["results"][0]) == [
        "id", "kind", "published_at", "title", "topic", "url"]
    assert data["writeups"]["results"][0]["url"] == "http://testserver/writeups/" + str(
        data["writeups"]["results"][0]["id"]) + "/"
    assert sorted(data["proposals"]["results"][0]) == [
        "id", "roles", "stage", "stage_changed_at", "title", "topic", "url"]


def test_track_record_unknown_person_is_404(db, api):
    assert api.get("/api/v1/people/nobody/track-record/").status_code == 404


def test_track_record_not_a_funder_has_no_interest_list(world, api_as):
    data = record(api_as, world.charlie, username="bob")

    assert data["funder_interests"] == {"count": 0, "page": 1, "num_pages": 1, "results": []}
    assert titles(data, "proposals") == ["Fiona owns", "Fiona only invited",
                                         "Bob and Fiona ask"]


# --- Visibility per viewer ------------------------------------------------------------------

def test_track_record_self_sees_own_hidden_work_and_private_interest(world, api_as):
    data = record(api_as, world.fiona)

    # As writeups_visible_to and shown_to let an author see their own work anywhere.
    assert titles(data, "writeups") == ["A plan", "New insight", "Old insight", "Hidden model",
                                        "Secret analysis"]
    assert titles(data, "proposals") == ["Secret ask", "Hidden ask", "Fiona owns",
                                         "Bob and Fiona ask", "Fiona asks"]
    assert titles(data, "funder_interests", "visibility") == ["public", "private", "public"]
    assert titles(data, "claims", "topic") == ["t1", "t3", "t2"]  # the hidden topic stays out


def test_track_record_moderator_sees_hidden_work_but_not_private_interest(world, api_as):
    data = record(api_as, world.mod)

    assert titles(data, "writeups") == ["A plan", "New insight", "Old insight", "Hidden model",
                                        "Secret analysis"]
    assert titles(data, "proposals") == ["Secret ask", "Hidden ask", "Fiona owns",
                                         "Bob and Fiona ask", "Fiona asks"]
    assert titles(data, "claims", "topic") == [world.secret.slug, "t1", "t3", "t2"]
    assert titles(data, "funder_interests", "topic") == [world.secret.slug, None, "t1"]


def test_track_record_hidden_profile_gives_username_only(world, api_as):
    content_hide(moderator=world.mod, target_type="profile", obj=world.fiona.profile,
                 reason="Abuse.")

    assert record(api_as, world.charlie)["name"] == "fiona"
    assert record(api_as, world.fiona)["name"] == "Fiona"


# --- Paging ---------------------------------------------------------------------------------

def test_track_record_pages_each_list_on_its_own(db, api):
    cluster = ClusterFactory()
    author = UserFactory(username="prolific")
    for i in range(PER_PAGE + 2):
        WriteupFactory(topic=TopicFactory(cluster=cluster), author=author, kind="insight",
                       title=f"W{i:02d}", published=True)

    first = api.get("/api/v1/people/prolific/track-record/").json()["writeups"]
    second = api.get("/api/v1/people/prolific/track-record/?writeups_page=2").json()["writeups"]
    beyond = api.get("/api/v1/people/prolific/track-record/?writeups_page=9").json()["writeups"]

    assert (first["count"], first["num_pages"], len(first["results"])) == (22, 2, PER_PAGE)
    assert first["results"][0]["title"] == "W21"
    assert [w["title"] for w in second["results"]] == ["W01", "W00"]
    assert (beyond["count"], beyond["page"], beyond["results"]) == (22, 9, [])


def test_profile_page_pager_links_keep_other_lists(db, client):
    cluster = ClusterFactory()
    author = UserFactory(username="prolific")
    for i in range(PER_PAGE + 1):
        WriteupFactory(topic=TopicFactory(cluster=cluster), author=author, title=f"W{i:02d}",
                       published=True)

    page = client.get("/people/prolific/?claims_page=1&writeups_page=2").content.decode()

    links = section_links(page, "writeups")
    assert (links[0], len(links), links[-1]) == ("W00", 3, "Previous writeups")
    assert ('<a href="?claims_page=1&amp;writeups_page=1#writeups" rel="prev">Previous'
            in page)
    assert "Page 2 of 2" in page


# --- The profile page -----------------------------------------------------------------------

def section_links(page, section_id):
    """The texts of the links in one <section id=…> of a page, in order."""
    body = page[page.index(f'<section id="{section_id}"'):]
    body = body[:body.index("</section>")]
    return [html.unescape(re.sub(r"<[^>]+>", "", text)).strip()
            for text in re.findall(r"<a href=\"[^\"]*\"[^>]*>(.*?)</a>", body)]


def test_profile_page_shows_the_public_track_record(world, client):
    client.force_login(world.charlie)
    page = client.get("/people/fiona/").content.decode()

    assert section_links(page, "claims") == ["Topic 1", "Topic 3", "Topic 2"]
    assert section_links(page, "writeups") == ["A plan", "Topic 1", "New insight", "Topic 2",
                                               "Old insight", "Topic 1"]
    assert re.findall(r'<h3 class="writeup-kind">(\w+)</h3>', page) == ["Plans", "Insights"]
    assert section_links(page, "proposals") == ["Fiona owns", "Topic 3", "Bob and Fiona ask",
                                                "Topic 2", "Fiona asks", "Topic 1"]
    assert section_links(page, "interests") == ["Bob and Fiona ask", "Topic 1"]
    assert "went dormant" in page and "released" in page
    for secret in ("Secret", "Hidden", "Draft plan", "Gone", "Topic 4", "private"):
        assert secret not in page


def test_profile_page_never_shows_private_interest_even_to_self(world, client):
    client.force_login(world.fiona)
    page = client.get("/people/fiona/").content.decode()

    assert section_links(page, "interests") == ["Bob and Fiona ask", "Topic 1"]
    assert "Hidden model" in page  # her own hidden work, marked
    assert "hidden by a moderator" in page


def test_profile_page_of_hidden_profile_shows_username_and_work(world, client):
    profile = world.fiona.profile
    profile.bio = "Zqbio"
    profile.save()
    content_hide(moderator=world.mod, target_type="profile", obj=profile, reason="Abuse.")
    client.force_login(world.charlie)

    page = client.get("/people/fiona/").content.decode()

    assert "<h1>@fiona</h1>" in page
    assert "Zqbio" not in page and "Independent" not in page and ">Fiona<" not in page
    assert section_links(page, "claims") == ["Topic 1", "Topic 3", "Topic 2"]


def test_profile_page_of_someone_without_work(db, client):
    UserFactory(username="newbie")

    page = client.get("/people/newbie/").content.decode()

    assert "No claims." in page and "No published writeups." in page and "No proposals." in page
    assert 'id="interests"' not in page


# --- My work --------------------------------------------------------------------------------

def test_my_work_lists_my_proposals_in_every_role_and_all_my_interest(world, client):
    client.force_login(world.fiona)
    page = client.get("/me/").content.decode()

    assert section_links(page, "proposals") == ["Secret ask", "Secret topic",
                                                "Hidden ask", "Topic 1", "Fiona owns",
                                                "Topic 3", "Bob and Fiona ask", "Topic 2",
                                                "Fiona asks", "Topic 1"]
    assert section_links(page, "interests") == [
        "Bob and Fiona ask", "Change or withdraw your interest in Bob and Fiona ask",
        "Topic 2", "Change or withdraw your interest in Topic 2",
        "Topic 1", "Change or withdraw your interest in Topic 1"]
    assert f'href="/proposals/{world.co_authored.pk}/interest/"' in page
    assert 'href="/topics/t2/interest/"' in page
    assert "only you, moderators and the people working on it see it" in page


def test_my_work_needs_your_answer_comes_first(world, client):
    client.force_login(world.fiona)
    page = client.get("/me/").content.decode()

    answer = page[page.index('id="h-needs-answer"'):page.index('id="h-my-claims"')]
    assert page.index('id="h-needs-answer"') < page.index('id="h-my-proposals"')
    assert "Fiona only invited" in answer  # the pending co-author invitation
    assert "Fiona only invited" not in section_links(page, "proposals")


def test_my_work_without_interest_has_no_interest_section(db, client, bob):
    client.force_login(bob)
    page = client.get("/me/").content.decode()

    assert 'id="h-my-interests"' not in page
    assert "You have no proposals yet." in page


# --- Recognitions and endorsements ----------------------------------------------------------

def day(n):
    return datetime.datetime(2025, 3, n, 12, tzinfo=ZoneInfo("UTC"))


STATEMENT_PAT = "It settled how to log GPU failures across clusters."
STATEMENT_QUINN = "The first account of GPU logging that a lab could use."
STATEMENT_ERIN = "These notes made the open questions on evals precise."


@pytest.fixture
def endorsed(db):
    """erin, recognised twice: by pat's and quinn's endorsements of her writeup, and by a
    moderator for a book; she endorsed pat's notes."""
    cluster = ClusterFactory(slug="ml")
    logging, evals = (TopicFactory(cluster=cluster, slug=slug, title=title)
                      for slug, title in (("gpu-logging", "GPU logging"), ("evals", "Evals")))
    erin, pat, quinn = (UserFactory(username=name) for name in ("erin", "pat", "quinn"))
    mod = UserFactory(username="mod", is_staff=True)
    mine = WriteupFactory(topic=logging, author=erin, title="Erin's map", published=True)
    # Standing: each endorser has published on a topic of the cluster.
    notes = WriteupFactory(topic=evals, author=pat, title="Pat's notes", published=True)
    WriteupFactory(topic=evals, author=quinn, title="Quinn's list", published=True)
    by_pat = services.endorsement_create(writeup=mine, endorser=pat, statement=STATEMENT_PAT,
                                         disclosure="Pat works with Erin.", now=day(2))
    by_quinn = services.endorsement_create(writeup=mine, endorser=quinn,
                                           statement=STATEMENT_QUINN, disclosure="",
                                           now=day(3))
    services.recognition_record(topic=evals, moderator=mod, person=erin, work_title="A book",
                                work_url="https://example.org/book", reason="Known for it.",
                                now=day(4))
    by_erin = services.endorsement_create(writeup=notes, endorser=erin,
                                          statement=STATEMENT_ERIN, disclosure="", now=day(5))
    return SimpleNamespace(erin=erin, pat=pat, quinn=quinn, mod=mod, mine=mine, notes=notes,
                           by_pat=by_pat, by_quinn=by_quinn, by_erin=by_erin)


def test_track_record_recognitions_newest_first_with_evidence(endorsed, api_as):
    data = record(api_as, endorsed.pat, username="erin")

    assert data["recognitions"]["count"] == 2
    assert [{key: row[key] for key in ("topic", "topic_title", "source", "writeup",
                                       "writeup_title", "writeup_url", "endorsement_count",
                                       "work_title", "work_url", "reason", "created_at")}
            for row in data["recognitions"]["results"]] == [
        {"topic": "evals", "topic_title": "Evals", "source": "moderator", "writeup": None,
         "writeup_title": None, "writeup_url": None, "endorsement_count": 0,
         "work_title": "A book", "work_url": "https://example.org/book",
         "reason": "Known for it.", "created_at": "2025-03-04T12:00:00Z"},
        {"topic": "gpu-logging", "topic_title": "GPU logging", "source": "endorsements",
         "writeup": endorsed.mine.pk, "writeup_title": "Erin's map",
         "writeup_url": f"http://testserver/writeups/{endorsed.mine.pk}/",
         "endorsement_count": 2, "work_title": "Erin's map", "work_url": "",
         "reason": "2 frontier endorsements of “Erin's map”.",
         "created_at": "2025-03-03T12:00:00Z"},
    ]


def test_track_record_endorsements_received_and_given(endorsed, api_as):
    data = record(api_as, endorsed.pat, username="erin")

    received = [(row["endorser"], row["endorser_name"], row["writeup_title"],
                 row["statement"], row["disclosure"], row["created_at"])
                for row in data["endorsements_received"]["results"]]
    assert received == [
        ("quinn", "Quinn", "Erin's map", STATEMENT_QUINN, "", "2025-03-03T12:00:00Z"),
        ("pat", "Pat", "Erin's map", STATEMENT_PAT, "Pat works with Erin.",
         "2025-03-02T12:00:00Z")]
    assert data["endorsements_given"] == {"count": 1, "page": 1, "num_pages": 1, "results": [{
        "id": endorsed.by_erin.pk, "writeup": endorsed.notes.pk, "writeup_title": "Pat's notes",
        "writeup_url": f"http://testserver/writeups/{endorsed.notes.pk}/", "topic": "evals",
        "author": "pat", "author_name": "Pat", "endorser": "erin", "endorser_name": "Erin",
        "statement": STATEMENT_ERIN, "disclosure": "", "created_at": "2025-03-05T12:00:00Z"}]}


def test_track_record_retracted_endorsement_and_ended_recognition_leave(endorsed, api_as):
    services.endorsement_retract(endorsement=endorsed.by_quinn, actor=endorsed.quinn)

    erin = record(api_as, endorsed.pat, username="erin")
    quinn = record(api_as, endorsed.pat, username="quinn")

    assert titles(erin, "endorsements_received", "endorser") == ["pat"]
    # One endorsement is below the threshold: the recognition it earned has ended.
    assert titles(erin, "recognitions", "source") == ["moderator"]
    assert quinn["endorsements_given"]["count"] == 0


def test_track_record_endorser_with_hidden_profile_gives_username_only(endorsed, api_as,
                                                                       client):
    content_hide(moderator=endorsed.mod, target_type="profile", obj=endorsed.pat.profile,
                 reason="Abuse.")

    data = record(api_as, endorsed.quinn, username="erin")
    client.force_login(endorsed.quinn)
    page = client.get("/people/erin/").content.decode()

    assert titles(data, "endorsements_received", "endorser_name") == ["Quinn", "pat"]
    assert titles(data, "endorsements_given", "author_name") == ["pat"]
    assert section_links(page, "endorsements_received") == ["Quinn", "Erin's map", "pat",
                                                            "Erin's map"]
    assert section_links(page, "endorsements_given") == ["Pat's notes", "pat"]


def test_profile_page_shows_recognitions_and_endorsements(endorsed, client):
    page = client.get("/people/erin/").content.decode()

    assert section_links(page, "recognitions") == ["Evals", "A book", "GPU logging",
                                                   "Erin's map"]
    assert f'<a href="/writeups/{endorsed.mine.pk}/">Erin&#x27;s map</a>' in page
    assert '<a href="https://example.org/book" rel="nofollow noopener">A book</a>' in page
    assert "— Known for it." in page and "· endorsed by 2" in page
    assert "Recognitions <span class=\"meta\">(2)</span>" in page
    assert section_links(page, "endorsements_received") == ["Quinn", "Erin's map", "Pat",
                                                            "Erin's map"]
    assert f"“{STATEMENT_PAT}”" in page and f"“{STATEMENT_QUINN}”" in page
    assert "Disclosure: Pat works with Erin." in page
    assert section_links(page, "endorsements_given") == ["Pat's notes", "Pat"]
    assert f"“{STATEMENT_ERIN}”" in page
    for date in ("2 Mar 2025", "3 Mar 2025", "4 Mar 2025", "5 Mar 2025"):
        # a date column of recognitions ("Recognised") or of endorsements ("Date")
        assert re.search(f'<td data-label="(Recognised|Date)">{date}</td>', page), date


def test_profile_page_retracted_endorsement_leaves(endorsed, client):
    services.endorsement_retract(endorsement=endorsed.by_erin, actor=endorsed.erin)

    erin = client.get("/people/erin/").content.decode()
    pat = client.get("/people/pat/").content.decode()

    assert 'id="endorsements_given"' not in erin and STATEMENT_ERIN not in erin
    assert 'id="endorsements_received"' not in pat and 'id="recognitions"' not in pat
    assert section_links(pat, "endorsements_given") == ["Erin's map", "Erin"]


def test_profile_page_without_endorsements_has_no_such_sections(db, client):
    UserFactory(username="newbie")

    page = client.get("/people/newbie/").content.decode()

    for section in ("recognitions", "endorsements_received", "endorsements_given"):
        assert f'id="{section}"' not in page


def test_profile_page_pages_endorsements_received(db, client):
    cluster = ClusterFactory()
    author = UserFactory(username="prolific")
    writeups = [WriteupFactory(topic=TopicFactory(cluster=cluster), author=author,
                               title=f"W{i:02d}", published=True) for i in range(PER_PAGE + 1)]
    peer = UserFactory(username="peer")
    WriteupFactory(topic=TopicFactory(cluster=cluster), author=peer, published=True)
    for i, writeup in enumerate(writeups):
        services.endorsement_create(writeup=writeup, endorser=peer, now=day(1 + i),
                                    statement="It moved the question a long way forward.")

    page = client.get("/people/prolific/?endorsements_received_page=2").content.decode()

    # The oldest, on the second page, with the link back that keeps the page where it was.
    assert section_links(page, "endorsements_received") == [
        "Peer", "W00", "Previous endorsements received"]
    assert ('<a href="?endorsements_received_page=1#endorsements_received" rel="prev">'
            in page)
    assert "Endorsements received <span class=\"meta\">(21)</span>" in page
