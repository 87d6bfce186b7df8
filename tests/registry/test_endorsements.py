"""Frontier endorsements and recognitions, through the services: who may endorse, the
threshold, retracting and voiding, moderators' recorded recognitions, history and
notifications."""

import pytest
from django.contrib.auth.models import Group

from registry import permissions, services
from registry.core.errors import (
    AlreadyEndorsed,
    CannotEndorseOwnWork,
    EndorsementNotLive,
    NoStanding,
    NotAllowed,
    RecognitionFromEndorsements,
    RecognitionNotLive,
    ValidationFailed,
)
from registry.models import Endorsement, Recognition, TopicEvent, TopicStats
from registry.moderation.services import content_hide
from registry.notifications.models import Notification
from tests.factories import ClusterFactory, TopicFactory, UserFactory, WriteupFactory

STATEMENT = "This is the first careful measurement of the question; it moved the field."


@pytest.fixture
def cluster(db):
    return ClusterFactory(slug="compute")


@pytest.fixture
def work(cluster, alice):
    """Alice's published writeup on a topic of the cluster she claims (so it is `published`)."""
    topic = TopicFactory(cluster=cluster, slug="chips")
    services.claim_create(topic=topic, person=alice, plan="A survey.")
    return WriteupFactory(topic=topic, author=alice, published=True, title="Chip tracking")


def peer(cluster, username):
    """Someone with standing: a published writeup on another topic of the same cluster."""
    person = UserFactory(username=username)
    WriteupFactory(topic=TopicFactory(cluster=cluster), author=person, published=True)
    return person


def status(topic):
    return TopicStats.objects.get(topic=topic).status


def endorse(writeup, person, statement=STATEMENT, **kwargs):
    return services.endorsement_create(writeup=writeup, endorser=person, statement=statement,
                                       **kwargs)


# --- Who may endorse ------------------------------------------------------------------------

def test_endorse_refusal_is_none_for_a_peer_in_the_cluster(work, cluster):
    assert permissions.endorse_refusal(peer(cluster, "bob"), work) is None


def test_endorse_refusal_own_work_is_cannot_endorse_own_work(work, alice):
    refusal = permissions.endorse_refusal(alice, work)
    assert (type(refusal), refusal.code, refusal.status) == (
        CannotEndorseOwnWork, "cannot_endorse_own_work", 403)


def test_endorse_refusal_fresh_account_has_no_standing(work, charlie):
    refusal = permissions.endorse_refusal(charlie, work)
    assert (type(refusal), refusal.code, refusal.status) == (NoStanding, "no_standing", 403)


def test_endorse_refusal_work_in_another_cluster_gives_no_standing(work):
    elsewhere = peer(ClusterFactory(slug="security"), "bob")
    assert permissions.endorse_refusal(elsewhere, work).code == "no_standing"


def test_endorse_refusal_hidden_own_work_gives_no_standing(work, cluster, moderator):
    bob = peer(cluster, "bob")
    content_hide(moderator=moderator, target_type="writeup", obj=bob.writeups.get(),
                 reason="Spam.")
    assert permissions.endorse_refusal(bob, work).code == "no_standing"


def test_endorse_refusal_moderators_have_standing(work, moderator, charlie):
    Group.objects.create(name="moderators").user_set.add(charlie)
    assert (permissions.endorse_refusal(moderator, work),
            permissions.endorse_refusal(charlie, work)) == (None, None)


def test_endorse_refusal_a_live_recognition_anywhere_gives_standing(work, moderator, charlie):
    services.recognition_record(topic=TopicFactory(), moderator=moderator, person=charlie,
                                work_title="A paper", reason="Known for it.")
    assert permissions.endorse_refusal(charlie, work) is None


def test_endorse_refusal_anonymous_is_not_allowed(work):
    from django.contrib.auth.models import AnonymousUser

    refusal = permissions.endorse_refusal(AnonymousUser(), work)
    assert (type(refusal), refusal.status) == (NotAllowed, 403)


def test_endorse_refusal_draft_hidden_or_deleted_is_not_endorsable(work, alice, cluster,
                                                                   moderator):
    bob = peer(cluster, "bob")
    draft = WriteupFactory(topic=work.topic, author=alice)
    deleted = WriteupFactory(topic=work.topic, author=alice, published=True)
    services.writeup_delete(writeup=deleted, actor=alice)
    deleted.refresh_from_db()
    content_hide(moderator=moderator, target_type="writeup", obj=work, reason="Checking.")
    work.refresh_from_db()

    codes = [(permissions.endorse_refusal(bob, w).code, permissions.endorse_refusal(bob, w)
              .status) for w in (draft, deleted, work)]

    assert codes == [("not_endorsable", 409)] * 3


def test_endorsement_create_twice_is_already_endorsed(work, cluster):
    bob = peer(cluster, "bob")
    endorse(work, bob)
    with pytest.raises(AlreadyEndorsed) as refused:
        endorse(work, bob)
    assert (refused.value.code, refused.value.status) == ("already_endorsed", 409)


def test_endorsement_create_after_retracting_is_allowed_again(work, cluster):
    bob = peer(cluster, "bob")
    services.endorsement_retract(endorsement=endorse(work, bob), actor=bob)
    endorse(work, bob)
    assert list(Endorsement.objects.filter(endorser=bob).values_list("state", flat=True)
                .order_by("pk")) == ["retracted", "live"]


@pytest.mark.parametrize("refused_with, make", [
    (CannotEndorseOwnWork, lambda work, cluster: work.author),
    (NoStanding, lambda work, cluster: UserFactory(username="newcomer")),
])
def test_endorsement_create_refused_writes_nothing(work, cluster, refused_with, make):
    with pytest.raises(refused_with):
        endorse(work, make(work, cluster))
    assert (Endorsement.objects.count(),
            work.topic.events.filter(kind=TopicEvent.Kind.ENDORSED).count()) == (0, 0)


# --- The statement --------------------------------------------------------------------------

@pytest.mark.parametrize("statement, message", [
    ("", "This field is required."),
    ("Great work, thanks!" + " " * 40, "Write at least 40 characters (this has 19)."),
    ("x" * 2001, "Keep this to 2,000 characters or fewer (it has 2,001)."),
    ("A statement that is long enough to count \x1b[31m here.",
     "Contains the control character U+001B, which is not allowed. Remove it and try again."),
])
def test_endorsement_create_bad_statement_is_refused(work, cluster, statement, message):
    with pytest.raises(ValidationFailed) as refused:
        endorse(work, peer(cluster, "bob"), statement)
    assert refused.value.fields == {"statement": [message]}


def test_endorsement_create_statement_of_exactly_40_and_2000_characters(work, cluster):
    short = endorse(work, peer(cluster, "bob"), "x" * 40)
    long = endorse(work, peer(cluster, "carol"), "y" * 2000)
    assert (len(short.statement), len(long.statement)) == (40, 2000)


def test_endorsement_create_prefills_disclosure_from_the_profile(work, cluster):
    bob = peer(cluster, "bob")
    bob.profile.conflict_of_interest = "I advise Alice's lab."
    bob.profile.save()
    carol = peer(cluster, "carol")

    prefilled = endorse(work, bob)
    edited = endorse(work, carol, disclosure="  None.  ")

    assert (prefilled.disclosure, edited.disclosure) == ("I advise Alice's lab.", "None.")


# --- Recognition by endorsements ------------------------------------------------------------

def test_endorsements_reaching_the_threshold_recognise_the_author(work, cluster, alice):
    bob, carol = peer(cluster, "bob"), peer(cluster, "carol")
    endorse(work, bob)
    assert (status(work.topic), Recognition.objects.count()) == ("published", 0)

    endorse(work, carol)

    recognition = Recognition.objects.get()
    assert (recognition.topic, recognition.person, recognition.writeup, recognition.source,
            recognition.ended_at) == (work.topic, alice, work, "endorsements", None)
    assert status(work.topic) == "covered"
    assert list(work.topic.events.order_by("pk").values_list("kind", flat=True))[-3:] == [
        "endorsed", "endorsed", "recognised"]


def test_endorsements_a_third_one_keeps_one_recognition(work, cluster):
    for name in ("bob", "carol", "dan"):
        endorse(work, peer(cluster, name))
    assert Recognition.objects.filter(ended_at__isnull=True).count() == 1


def test_endorsements_threshold_follows_the_setting(work, cluster, settings):
    settings.GAPMAP_ENDORSEMENTS_TO_RECOGNISE = 3
    endorse(work, peer(cluster, "bob"))
    endorse(work, peer(cluster, "carol"))
    assert (status(work.topic), Recognition.objects.count()) == ("published", 0)
    endorse(work, peer(cluster, "dan"))
    assert (status(work.topic), Recognition.objects.count()) == ("covered", 1)


def test_endorsement_retract_below_threshold_ends_the_recognition(work, cluster):
    bob, carol = peer(cluster, "bob"), peer(cluster, "carol")
    endorse(work, bob)
    endorsement = endorse(work, carol)

    services.endorsement_retract(endorsement=endorsement, actor=carol)

    endorsement.refresh_from_db()
    recognition = Recognition.objects.get()
    assert (endorsement.state, endorsement.retracted_at is not None) == ("retracted", True)
    assert recognition.end_reason == "Live endorsements of “Chip tracking” dropped to 1, below 2."
    assert recognition.ended_at is not None
    assert status(work.topic) == "published"
    assert list(work.topic.events.order_by("pk").values_list("kind", flat=True))[-2:] == [
        "endorsement_retracted", "recognition_ended"]


def test_endorsement_retract_then_a_new_endorsement_recognises_again(work, cluster):
    bob, carol = peer(cluster, "bob"), peer(cluster, "carol")
    endorse(work, bob)
    services.endorsement_retract(endorsement=endorse(work, carol), actor=carol)
    endorse(work, peer(cluster, "dan"))
    assert [r.is_live for r in Recognition.objects.order_by("pk")] == [False, True]


def test_endorsement_retract_by_someone_else_is_not_allowed(work, cluster, charlie, moderator):
    endorsement = endorse(work, peer(cluster, "bob"))
    for outsider in (charlie, work.author, moderator):
        with pytest.raises(NotAllowed):
            services.endorsement_retract(endorsement=endorsement, actor=outsider)
    endorsement.refresh_from_db()
    assert endorsement.state == "live"


def test_endorsement_retract_twice_is_not_live(work, cluster):
    bob = peer(cluster, "bob")
    endorsement = endorse(work, bob)
    services.endorsement_retract(endorsement=endorsement, actor=bob)
    with pytest.raises(EndorsementNotLive) as refused:
        services.endorsement_retract(endorsement=endorsement, actor=bob)
    assert (refused.value.code, refused.value.status) == ("endorsement_not_live", 409)


def test_endorsement_void_by_a_moderator_keeps_it_with_the_reason(work, cluster, moderator):
    endorse(work, peer(cluster, "bob"))
    endorsement = endorse(work, peer(cluster, "carol"))

    services.endorsement_void(endorsement=endorsement, moderator=moderator,
                              reason="  A second account of the author.  ")

    endorsement.refresh_from_db()
    assert (endorsement.state, endorsement.voided_by, endorsement.void_reason) == (
        "voided", moderator, "A second account of the author.")
    assert status(work.topic) == "published"
    event = work.topic.events.get(kind=TopicEvent.Kind.ENDORSEMENT_VOIDED)
    assert (event.actor, event.endorsement, event.note) == (
        moderator, endorsement, "A second account of the author.")


def test_endorsement_void_by_a_non_moderator_is_not_allowed(work, cluster, charlie):
    endorsement = endorse(work, peer(cluster, "bob"))
    with pytest.raises(NotAllowed):
        services.endorsement_void(endorsement=endorsement, moderator=charlie, reason="No.")


def test_endorsement_void_without_a_reason_is_refused(work, cluster, moderator):
    endorsement = endorse(work, peer(cluster, "bob"))
    with pytest.raises(ValidationFailed) as refused:
        services.endorsement_void(endorsement=endorsement, moderator=moderator, reason=" ")
    assert refused.value.fields == {"reason": ["This field is required."]}


# --- Recognitions recorded by moderators ----------------------------------------------------

def test_recognition_record_covers_a_gap_with_no_claim(moderator):
    topic = TopicFactory(slug="arms-control")
    recognition = services.recognition_record(
        topic=topic, moderator=moderator, name=" Mauricio Baker ",
        work_title="Nuclear Arms Control Verification", work_url="https://arxiv.org/abs/2304.04123",
        reason="The essay's example.")
    assert (recognition.name, recognition.source, recognition.recorded_by, recognition.person) == (
        "Mauricio Baker", "moderator", moderator, None)
    assert (status(topic), TopicStats.objects.get(topic=topic).recognitions) == ("covered", 1)


def test_recognition_record_stays_covered_when_claims_lapse(moderator, alice):
    topic = TopicFactory()
    claim = services.claim_create(topic=topic, person=alice, plan="A survey.")
    services.recognition_record(topic=topic, moderator=moderator, person=alice,
                                work_title="A survey", reason="Known for it.")
    services.claim_release(claim=claim, actor=alice)
    assert status(topic) == "covered"


def test_recognition_record_by_a_non_moderator_is_not_allowed(charlie):
    topic = TopicFactory()
    with pytest.raises(NotAllowed):
        services.recognition_record(topic=topic, moderator=charlie, name="X",
                                    work_title="Y", reason="Z")
    assert Recognition.objects.count() == 0


def test_recognition_record_without_name_title_or_reason_names_each_field(moderator):
    with pytest.raises(ValidationFailed) as refused:
        services.recognition_record(topic=TopicFactory(), moderator=moderator, name="",
                                    work_title="", work_url="ftp://x", reason="")
    assert sorted(refused.value.fields) == ["name", "reason", "work_title", "work_url"]


def test_recognition_end_by_a_moderator_uncovers_the_topic(moderator):
    topic = TopicFactory()
    recognition = services.recognition_record(topic=topic, moderator=moderator, name="X",
                                              work_title="Y", reason="Z")
    services.recognition_end(recognition=recognition, moderator=moderator,
                             reason="Recorded in error.")
    recognition.refresh_from_db()
    assert (recognition.end_reason, status(topic)) == ("Recorded in error.", "gap")
    with pytest.raises(RecognitionNotLive):
        services.recognition_end(recognition=recognition, moderator=moderator, reason="Again.")


def test_recognition_end_of_an_earned_one_is_refused(work, cluster, moderator):
    endorse(work, peer(cluster, "bob"))
    endorse(work, peer(cluster, "carol"))
    with pytest.raises(RecognitionFromEndorsements) as refused:
        services.recognition_end(recognition=Recognition.objects.get(), moderator=moderator,
                                 reason="No.")
    assert (refused.value.code, refused.value.status) == ("recognition_from_endorsements", 409)


def test_recognition_end_by_a_non_moderator_is_not_allowed(moderator, charlie):
    recognition = services.recognition_record(topic=TopicFactory(), moderator=moderator,
                                              name="X", work_title="Y", reason="Z")
    with pytest.raises(NotAllowed):
        services.recognition_end(recognition=recognition, moderator=charlie, reason="No.")


# --- Notifications and alerts ---------------------------------------------------------------

def test_endorsement_notifies_the_author_only(work, cluster, charlie):
    from registry.notifications.services import follow_create

    follow_create(person=charlie, topic=work.topic)
    bob = peer(cluster, "bob")
    endorse(work, bob, "Short but long enough: it settled the measurement question.")
    rows = list(Notification.objects.filter(kind="endorsement").values_list(
        "recipient__username", "text"))
    assert rows == [("alice", "Bob endorsed your writeup “Chip tracking” on “Chips”: "
                              "“Short but long enough: it settled the measurement question.”")]


def test_recognition_notifies_the_person_and_followers(work, cluster, charlie):
    from registry.notifications.services import follow_create

    follow_create(person=charlie, topic=work.topic)
    endorse(work, peer(cluster, "bob"))
    endorse(work, peer(cluster, "carol"))
    rows = sorted(Notification.objects.filter(kind="recognition").values_list(
        "recipient__username", "text"))
    text = "Alice is now recognised on “Chips” for “Chip tracking”."
    assert rows == [("alice", text), ("charlie", text)]


def test_recognition_alerts_funders_watching_the_cluster_once(moderator, cluster):
    from registry.discovery.services import alert_subscribe
    from tests.factories import FunderFactory

    funder = FunderFactory(username="fund")
    alert_subscribe(funder=funder, cluster=cluster)
    topic = TopicFactory(cluster=cluster, title="Chips")
    for name in ("First", "Second"):
        services.recognition_record(topic=topic, moderator=moderator, name=name,
                                    work_title="Work", reason="Known.")
    assert list(Notification.objects.filter(kind="topic_covered").values_list(
        "recipient__username", "text")) == [
        ("fund", "“Chips” in Compute is covered now: First is recognised on it.")]


def test_recognition_ended_on_an_unclaimed_topic_alerts_a_gap(moderator, cluster):
    from registry.discovery.services import alert_subscribe
    from tests.factories import FunderFactory

    alert_subscribe(funder=FunderFactory(username="fund"), cluster=cluster)
    topic = TopicFactory(cluster=cluster, title="Chips")
    recognition = services.recognition_record(topic=topic, moderator=moderator, name="X",
                                              work_title="Y", reason="Z")
    services.recognition_end(recognition=recognition, moderator=moderator, reason="Withdrawn.")
    assert Notification.objects.filter(kind="gap_opened").count() == 1


# --- API ------------------------------------------------------------------------------------

def test_api_endorse_creates_and_lists_public_fields(work, cluster, api_as, api):
    bob = peer(cluster, "bob")
    response = api_as(bob).post(f"/api/v1/writeups/{work.pk}/endorsements/",
                                {"statement": STATEMENT, "disclosure": ""}, format="json")
    listed = api.get(f"/api/v1/writeups/{work.pk}/endorsements/")

    assert response.status_code == 201
    assert listed.json() == [{
        "id": response.json()["id"], "writeup": work.pk, "topic": "chips", "author": "alice",
        "endorser": "bob", "statement": STATEMENT, "disclosure": "", "state": "live",
        "created_at": response.json()["created_at"]}]


@pytest.mark.parametrize("who, status_code, code", [
    ("alice", 403, "cannot_endorse_own_work"),
    ("charlie", 403, "no_standing"),
])
def test_api_endorse_refusals_carry_their_codes(work, api_as, charlie, alice, who, status_code,
                                                code):
    person = {"alice": alice, "charlie": charlie}[who]
    response = api_as(person).post(f"/api/v1/writeups/{work.pk}/endorsements/",
                                   {"statement": STATEMENT}, format="json")
    assert (response.status_code, response.json()["code"]) == (status_code, code)


def test_api_endorse_twice_is_409_already_endorsed(work, cluster, api_as):
    client = api_as(peer(cluster, "bob"))
    client.post(f"/api/v1/writeups/{work.pk}/endorsements/", {"statement": STATEMENT},
                format="json")
    again = client.post(f"/api/v1/writeups/{work.pk}/endorsements/", {"statement": STATEMENT},
                        format="json")
    assert (again.status_code, again.json()["code"]) == (409, "already_endorsed")


def test_api_endorse_a_draft_is_404(alice, cluster, api_as):
    draft = WriteupFactory(author=alice)
    response = api_as(peer(cluster, "bob")).post(f"/api/v1/writeups/{draft.pk}/endorsements/",
                                                 {"statement": STATEMENT}, format="json")
    assert response.status_code == 404


def test_api_endorse_anonymous_is_401(work, api):
    response = api.post(f"/api/v1/writeups/{work.pk}/endorsements/", {"statement": STATEMENT},
                        format="json")
    assert response.status_code == 401
    assert Endorsement.objects.count() == 0


def test_api_endorse_short_statement_is_400_naming_the_field(work, cluster, api_as):
    response = api_as(peer(cluster, "bob")).post(
        f"/api/v1/writeups/{work.pk}/endorsements/", {"statement": "Nice."}, format="json")
    assert (response.status_code, response.json()["fields"]) == (
        400, {"statement": ["Write at least 40 characters (this has 5)."]})


def test_api_retract_and_void_check_who_asks(work, cluster, api_as, charlie, moderator):
    bob = peer(cluster, "bob")
    endorsement = endorse(work, bob)
    url = f"/api/v1/endorsements/{endorsement.pk}"

    outsider_retract = api_as(charlie).post(f"{url}/retract/")
    outsider_void = api_as(charlie).post(f"{url}/void/", {"reason": "No."}, format="json")
    voided = api_as(moderator).post(f"{url}/void/", {"reason": "Sock account."}, format="json")
    retract_after = api_as(bob).post(f"{url}/retract/")

    assert [outsider_retract.status_code, outsider_void.status_code, voided.status_code] == [
        403, 403, 200]
    assert voided.json()["state"] == "voided"
    assert (retract_after.status_code, retract_after.json()["code"]) == (
        409, "endorsement_not_live")


def test_api_endorsements_filter_given_and_received(work, cluster, api):
    endorse(work, peer(cluster, "bob"))
    given = api.get("/api/v1/endorsements/?endorser=bob").json()["results"]
    received = api.get("/api/v1/endorsements/?author=alice").json()["results"]
    nobody = api.get("/api/v1/endorsements/?endorser=alice").json()["results"]
    assert ([e["endorser"] for e in given], [e["author"] for e in received], nobody) == (
        ["bob"], ["alice"], [])


def test_api_recognitions_record_list_and_end(moderator, api_as, api, charlie):
    topic = TopicFactory(slug="arms", cluster=ClusterFactory(slug="policy"))
    body = {"topic": "arms", "name": "Mauricio Baker", "work_title": "Nuclear Arms Control",
            "work_url": "https://arxiv.org/abs/2304.04123", "reason": "The essay's example."}

    refused = api_as(charlie).post("/api/v1/recognitions/", body, format="json")
    created = api_as(moderator).post("/api/v1/recognitions/", body, format="json")
    by_cluster = api.get("/api/v1/recognitions/?cluster=policy").json()["results"]
    ended = api_as(moderator).post(f"/api/v1/recognitions/{created.json()['id']}/end/",
                                   {"reason": "Recorded in error."}, format="json")
    live_after = api.get("/api/v1/recognitions/?topic=arms").json()["results"]
    with_ended = api.get("/api/v1/recognitions/?topic=arms&include_ended=true").json()

    assert (refused.status_code, created.status_code, ended.status_code) == (403, 201, 200)
    assert [(r["name"], r["source"], r["topic"], r["person"]) for r in by_cluster] == [
        ("Mauricio Baker", "moderator", "arms", None)]
    assert (live_after, [r["end_reason"] for r in with_ended["results"]]) == (
        [], ["Recorded in error."])
    assert status(topic) == "gap"


def test_api_recognition_earned_lists_its_evidence(work, cluster, api):
    first, second = endorse(work, peer(cluster, "bob")), endorse(work, peer(cluster, "carol"))
    [row] = api.get("/api/v1/recognitions/?person=alice").json()["results"]
    assert (row["name"], row["writeup"], row["endorsements"], row["source"]) == (
        "Alice", work.pk, [first.pk, second.pk], "endorsements")


def test_api_topic_status_shows_published(work, api):
    assert api.get("/api/v1/topics/chips/").json()["status"] == "published"


@pytest.mark.parametrize("rows", [1, 4])
def test_api_recognitions_and_endorsements_lists_query_count_does_not_grow(
        moderator, api, rows, django_assert_num_queries):
    cluster = ClusterFactory(slug="many")
    for n in range(rows):
        topic = TopicFactory(cluster=cluster)
        author = UserFactory(username=f"author{n}")
        writeup = WriteupFactory(topic=topic, author=author, published=True)
        for name in (f"first{n}", f"second{n}"):
            endorse(writeup, peer(cluster, name))
        services.recognition_record(topic=topic, moderator=moderator, person=author,
                                    work_title="Elsewhere", reason="Known.")

    with django_assert_num_queries(3):  # count, page, the evidence's endorsements
        recognitions = api.get("/api/v1/recognitions/").json()
    with django_assert_num_queries(2):  # count, page
        endorsements = api.get("/api/v1/endorsements/").json()

    assert (recognitions["count"], endorsements["count"]) == (2 * rows, 2 * rows)


def test_hiding_the_endorsed_writeup_ends_its_recognition_and_showing_it_restores(
        work, cluster, moderator):
    from registry.moderation.services import content_unhide

    for name in ("bob", "dana"):
        endorse(work, peer(cluster, name))
    assert status(work.topic) == "covered"
    content_hide(moderator=moderator, target_type="writeup", obj=work, reason="Check.")
    assert Recognition.objects.filter(writeup=work, ended_at__isnull=True).count() == 0
    assert Recognition.objects.get(writeup=work).end_reason == (
        "“Chip tracking” was hidden or deleted.")
    assert status(work.topic) == "claimed"
    content_unhide(moderator=moderator, target_type="writeup", obj=work, reason="Fine.")
    assert Recognition.objects.filter(writeup=work, ended_at__isnull=True).count() == 1
    assert status(work.topic) == "covered"


def test_deleting_the_endorsed_writeup_ends_its_recognition(work, cluster, alice):
    for name in ("bob", "dana"):
        endorse(work, peer(cluster, name))
    services.writeup_delete(writeup=work, actor=alice)
    assert Recognition.objects.filter(writeup=work, ended_at__isnull=True).count() == 0
