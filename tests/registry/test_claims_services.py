import datetime

import pytest
from django.utils import timezone

from registry import services
from registry.core.errors import (
    AlreadyClaimed,
    ClaimLimitReached,
    InvalidTransition,
    NotAllowed,
    TopicNotListed,
    ValidationFailed,
)
from registry.models import Claim, Topic, TopicEvent
from tests.factories import ClaimFactory, TopicFactory, WriteupFactory

NOW = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.UTC)


def events(topic):
    return list(topic.events.order_by("id").values_list("kind", flat=True))


def test_claim_create_makes_active_claim_and_event(alice):
    topic = TopicFactory()

    claim = services.claim_create(topic=topic, person=alice, plan="  A post by June.  ",
                                  target_date=datetime.date(2026, 7, 1), now=NOW)

    assert (claim.state, claim.plan, claim.target_date) == ("active", "A post by June.",
                                                            datetime.date(2026, 7, 1))
    assert claim.last_activity_at == NOW
    assert events(topic) == ["claimed"]


def test_claim_create_twice_is_already_claimed_and_changes_nothing(alice):
    claim = ClaimFactory(person=alice)

    with pytest.raises(AlreadyClaimed) as error:
        services.claim_create(topic=claim.topic, person=alice, plan="Again")

    assert (error.value.status, error.value.code) == (409, "already_claimed")
    assert Claim.objects.count() == 1
    assert events(claim.topic) == ["claimed"]


def test_claims_are_not_exclusive(alice, bob):
    topic = TopicFactory()

    ClaimFactory(topic=topic, person=alice)
    ClaimFactory(topic=topic, person=bob)

    assert Claim.objects.filter(topic=topic, state="active").count() == 2


def test_claim_limit_refuses_third_active_claim_with_how_to_release(alice, settings):
    settings.GAPMAP_MAX_ACTIVE_CLAIMS = 2
    ClaimFactory(person=alice)
    ClaimFactory(person=alice)

    with pytest.raises(ClaimLimitReached) as error:
        ClaimFactory(person=alice)

    assert (error.value.status, error.value.code) == (409, "claim_limit")
    assert "Release one" in error.value.message
    assert Claim.objects.filter(person=alice).count() == 2


def test_claim_limit_ignores_released_and_dormant_claims(alice, settings):
    settings.GAPMAP_MAX_ACTIVE_CLAIMS = 1
    released = ClaimFactory(person=alice)
    services.claim_release(claim=released, actor=alice)
    dormant = ClaimFactory(person=alice, now=NOW)
    services.claims_mark_dormant(now=NOW + datetime.timedelta(days=200))

    claim = ClaimFactory(person=alice)

    assert claim.state == "active"
    assert Claim.objects.get(pk=dormant.pk).state == "dormant"


def test_claim_create_after_release_makes_a_new_claim_and_keeps_the_old(alice):
    first = ClaimFactory(person=alice)
    services.claim_release(claim=first, actor=alice, note="Busy")

    second = ClaimFactory(person=alice, topic=first.topic)

    assert second.pk != first.pk
    assert list(Claim.objects.filter(topic=first.topic).order_by("id")
                .values_list("state", flat=True)) == ["released", "active"]


@pytest.mark.parametrize(
    ("plan", "target_date", "fields"),
    [
        ("", None, {"plan": ["This field is required."]}),
        ("   ", None, {"plan": ["This field is required."]}),
        ("x" * 2001, None, {"plan": ["Keep this to 2,000 characters or fewer (it has 2,001)."]}),
        ("Fine", datetime.date(2026, 5, 31),
         {"target_date": ["Choose a date that is today or later."]}),
    ],
)
def test_claim_create_bad_input_names_the_field_and_writes_nothing(alice, plan, target_date,
                                                                    fields):
    topic = TopicFactory()

    with pytest.raises(ValidationFailed) as error:
        services.claim_create(topic=topic, person=alice, plan=plan, target_date=target_date,
                              now=NOW)

    assert error.value.fields == fields
    assert Claim.objects.count() == 0
    assert events(topic) == []


def test_claim_create_target_date_today_is_accepted(alice):
    claim = services.claim_create(topic=TopicFactory(), person=alice, plan="p",
                                  target_date=NOW.date(), now=NOW)

    assert claim.target_date == datetime.date(2026, 6, 1)


@pytest.mark.parametrize("state", [Topic.State.SUGGESTED, Topic.State.DECLINED])
def test_claim_create_on_unlisted_topic_is_refused(alice, state):
    with pytest.raises(TopicNotListed):
        ClaimFactory(person=alice, topic=TopicFactory(state=state))

    assert Claim.objects.count() == 0


def test_claim_release_by_claimant_records_note(alice):
    claim = ClaimFactory(person=alice)

    services.claim_release(claim=claim, actor=alice, note="Moving on")

    claim.refresh_from_db()
    assert claim.state == "released"
    event = TopicEvent.objects.get(claim=claim, kind="released")
    assert (event.actor, event.note) == (alice, "Moving on")


def test_claim_release_by_someone_else_is_not_allowed(alice, bob):
    claim = ClaimFactory(person=alice)

    with pytest.raises(NotAllowed):
        services.claim_release(claim=claim, actor=bob)

    claim.refresh_from_db()
    assert claim.state == "active"


def test_claim_release_by_moderator_is_allowed(alice, moderator):
    claim = ClaimFactory(person=alice)

    services.claim_release(claim=claim, actor=moderator, note="Abandoned")

    claim.refresh_from_db()
    assert claim.state == "released"


def test_claim_renew_by_someone_else_is_not_allowed(alice, moderator):
    claim = ClaimFactory(person=alice)

    with pytest.raises(NotAllowed):
        services.claim_renew(claim=claim, actor=moderator, note="progress")


def test_claim_renew_without_note_names_the_field(alice):
    claim = ClaimFactory(person=alice)

    with pytest.raises(ValidationFailed) as error:
        services.claim_renew(claim=claim, actor=alice, note=" ")

    assert error.value.fields == {"note": ["This field is required."]}


def test_claims_mark_dormant_after_the_configured_days_only(alice, bob, settings):
    settings.GAPMAP_CLAIM_DORMANT_DAYS = 183
    old = ClaimFactory(person=alice, now=NOW)
    recent = ClaimFactory(person=bob, now=NOW + datetime.timedelta(days=1))

    moved = services.claims_mark_dormant(now=NOW + datetime.timedelta(days=183, seconds=1))

    assert moved == 1
    assert Claim.objects.get(pk=old.pk).state == "dormant"
    assert Claim.objects.get(pk=recent.pk).state == "active"
    event = TopicEvent.objects.get(claim=old, kind="dormant")
    assert event.actor is None
    assert event.created_at == NOW + datetime.timedelta(days=183, seconds=1)


def test_claims_mark_dormant_twice_is_harmless(alice):
    ClaimFactory(person=alice, now=NOW)
    later = NOW + datetime.timedelta(days=400)

    assert services.claims_mark_dormant(now=later) == 1
    assert services.claims_mark_dormant(now=later) == 0
    assert TopicEvent.objects.filter(kind="dormant").count() == 1


def test_claim_renew_wakes_dormant_claim(alice):
    claim = ClaimFactory(person=alice, now=NOW)
    services.claims_mark_dormant(now=NOW + datetime.timedelta(days=200))
    renewed_at = NOW + datetime.timedelta(days=201)

    services.claim_renew(claim=claim, actor=alice, note="Draft half done", now=renewed_at)

    claim.refresh_from_db()
    assert (claim.state, claim.last_activity_at) == ("active", renewed_at)
    assert events(claim.topic) == ["claimed", "dormant", "renewed"]


def test_claim_renew_of_active_claim_restarts_its_clock(alice):
    claim = ClaimFactory(person=alice, now=NOW)
    renewed_at = NOW + datetime.timedelta(days=150)

    services.claim_renew(claim=claim, actor=alice, note="Outline done", now=renewed_at)
    moved = services.claims_mark_dormant(now=NOW + datetime.timedelta(days=200))

    claim.refresh_from_db()
    assert (moved, claim.state, claim.last_activity_at) == (0, "active", renewed_at)


def test_claim_renew_of_released_claim_is_invalid(alice):
    claim = ClaimFactory(person=alice)
    services.claim_release(claim=claim, actor=alice)

    with pytest.raises(InvalidTransition):
        services.claim_renew(claim=claim, actor=alice, note="back")


def test_claim_renew_over_the_limit_is_refused(alice, settings):
    settings.GAPMAP_MAX_ACTIVE_CLAIMS = 1
    claim = ClaimFactory(person=alice, now=NOW)
    services.claims_mark_dormant(now=NOW + datetime.timedelta(days=200))
    ClaimFactory(person=alice)

    with pytest.raises(ClaimLimitReached):
        services.claim_renew(claim=claim, actor=alice, note="back")

    assert Claim.objects.get(pk=claim.pk).state == "dormant"


def test_publishing_renews_the_authors_dormant_claim(alice):
    claim = ClaimFactory(person=alice, now=NOW)
    services.claims_mark_dormant(now=NOW + datetime.timedelta(days=200))
    writeup = WriteupFactory(author=alice, topic=claim.topic)
    published_at = NOW + datetime.timedelta(days=210)

    services.writeup_publish(writeup=writeup, actor=alice, now=published_at)

    claim.refresh_from_db()
    assert (claim.state, claim.last_activity_at) == ("active", published_at)
    assert events(claim.topic) == ["claimed", "dormant", "writeup_created", "published",
                                   "renewed"]


def test_publishing_counts_as_activity_on_an_active_claim(alice):
    claim = ClaimFactory(person=alice, now=NOW)
    writeup = WriteupFactory(author=alice, topic=claim.topic)
    published_at = NOW + datetime.timedelta(days=100)

    services.writeup_publish(writeup=writeup, actor=alice, now=published_at)

    claim.refresh_from_db()
    assert claim.last_activity_at == published_at
    assert services.claims_mark_dormant(now=NOW + datetime.timedelta(days=200)) == 0


def test_publishing_on_another_topic_does_not_renew(alice):
    claim = ClaimFactory(person=alice, now=NOW)
    services.claims_mark_dormant(now=NOW + datetime.timedelta(days=200))

    WriteupFactory(author=alice, published=True)

    assert Claim.objects.get(pk=claim.pk).state == "dormant"


def test_publishing_over_the_limit_leaves_claim_dormant_and_publishes(alice, settings):
    settings.GAPMAP_MAX_ACTIVE_CLAIMS = 1
    claim = ClaimFactory(person=alice, now=NOW)
    services.claims_mark_dormant(now=NOW + datetime.timedelta(days=200))
    ClaimFactory(person=alice)

    writeup = WriteupFactory(author=alice, topic=claim.topic, published=True)

    assert writeup.published_at is not None
    assert Claim.objects.get(pk=claim.pk).state == "dormant"


STATES = [s.value for s in Claim.State]


def _claim_in(state, person):
    claim = ClaimFactory(person=person, now=NOW)
    if state == "dormant":
        services.claims_mark_dormant(now=NOW + datetime.timedelta(days=400))
    elif state == "released":
        services.claim_release(claim=claim, actor=person)
    claim.refresh_from_db()
    return claim


ALLOWED = {("active", "released"), ("active", "dormant"), ("dormant", "active"),
           ("dormant", "released")}


@pytest.mark.parametrize("to", STATES)
@pytest.mark.parametrize("start", STATES)
def test_claim_set_state_allows_exactly_the_table(alice, start, to):
    claim = _claim_in(start, alice)
    before = TopicEvent.objects.count()

    if (start, to) in ALLOWED:
        services.claim_set_state(claim=claim, to=to, actor=alice)
        assert Claim.objects.get(pk=claim.pk).state == to
        assert TopicEvent.objects.count() == before + 1
    else:
        with pytest.raises(InvalidTransition):
            services.claim_set_state(claim=claim, to=to, actor=alice)
        assert Claim.objects.get(pk=claim.pk).state == start
        assert TopicEvent.objects.count() == before


def test_claim_transition_table_is_the_documented_one():
    assert set(services.CLAIM_TRANSITIONS) == ALLOWED


def test_now_default_is_current_time(alice):
    before = timezone.now()

    claim = ClaimFactory(person=alice)

    assert before <= claim.last_activity_at <= timezone.now()
