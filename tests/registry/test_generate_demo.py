import io

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count, Max

from proposals.models import OwnerInvitation, Proposal, ProposalEvent
from proposals.services import TRANSITIONS
from registry import demo
from registry.core.rendering import RENDERER_VERSION, render_markdown
from registry.discovery.models import SearchEntry
from registry.models import Claim, Topic, TopicEvent, Writeup
from tests.factories import UserFactory


@pytest.fixture
def small(db):
    call_command("generate_demo", scale="small", stdout=_Sink())


class _Sink:
    def write(self, text):
        pass

    def flush(self):
        pass

    def isatty(self):
        return False


def test_generate_demo_small_makes_the_counts_of_its_scale(small):
    scale = demo.SCALES["small"]
    assert demo.demo_people().count() == scale.people
    assert Topic.objects.count() == 25  # the catalogue
    assert Claim.objects.count() == scale.claims
    assert Writeup.objects.count() == scale.writeups
    assert Proposal.objects.count() == scale.proposals


def test_generate_demo_small_holds_one_active_claim_per_person_and_topic_and_the_limit(small):
    active = Claim.objects.filter(state=Claim.State.ACTIVE)
    pairs = active.values("person", "topic").annotate(n=Count("id")).aggregate(m=Max("n"))
    per_person = active.values("person").annotate(n=Count("id")).aggregate(m=Max("n"))
    assert pairs["m"] == 1
    assert per_person["m"] <= settings.GAPMAP_MAX_ACTIVE_CLAIMS


def test_generate_demo_small_stores_html_rendered_by_the_current_renderer(small):
    for writeup in Writeup.objects.all():
        assert writeup.body_html == render_markdown(writeup.body)
        assert writeup.renderer_version == RENDERER_VERSION


def test_generate_demo_small_gives_each_claim_the_events_of_its_state(small):
    expected = {Claim.State.ACTIVE: set(), Claim.State.RELEASED: {"released"},
                Claim.State.DORMANT: {"dormant"}}
    for claim in Claim.objects.all():
        kinds = set(TopicEvent.objects.filter(claim=claim).values_list("kind", flat=True))
        assert kinds - {"renewed"} == {"claimed"} | expected[claim.state]


def test_generate_demo_small_numbers_writeup_versions_and_publishes_with_an_event(small):
    for writeup in Writeup.objects.annotate(n=Count("versions")):
        published = TopicEvent.objects.filter(writeup=writeup, kind="published").count()
        assert published == (1 if writeup.published_at else 0)
        assert writeup.version == writeup.n + published
        assert writeup.versions.order_by("-number").first().body == writeup.body


def test_generate_demo_small_moves_proposals_only_along_the_transition_table(small):
    for proposal in Proposal.objects.all():
        stage = "analysis"
        moves = ProposalEvent.objects.filter(proposal=proposal, kind="moved").order_by(
            "created_at", "id")
        for move in moves:
            assert move.from_stage == stage
            assert (move.from_stage, move.to_stage) in TRANSITIONS
            stage = move.to_stage
        assert proposal.stage == stage
        assert proposal.version == 1 + moves.count()
        pending = proposal.owner_invitations.filter(state=OwnerInvitation.State.PENDING)
        assert pending.count() <= 1


def test_generate_demo_small_fills_the_search_table(small):
    published = Writeup.objects.filter(published_at__isnull=False, deleted_at__isnull=True)
    assert SearchEntry.objects.filter(kind="writeup").count() == published.count()
    assert SearchEntry.objects.filter(kind="proposal").count() == Proposal.objects.count()


def test_generate_demo_second_run_without_reset_changes_nothing_and_says_so(small):
    claims = list(Claim.objects.order_by("pk").values_list("pk", flat=True))
    out = io.StringIO()

    call_command("generate_demo", scale="small", stdout=out)

    assert out.getvalue().startswith("This database already holds the demo data")
    assert "make demo RESET=1" in out.getvalue()
    assert list(Claim.objects.order_by("pk").values_list("pk", flat=True)) == claims


def test_generate_demo_reset_deletes_demo_rows_only(small, alice):
    call_command("generate_demo", scale="small", reset=True, stdout=_Sink())
    assert demo.demo_people().count() == demo.SCALES["small"].people
    assert get_user_model().objects.filter(username="alice").exists()
    assert Claim.objects.count() == demo.SCALES["small"].claims


def test_demo_delete_keeps_other_peoples_work(small):
    carol = UserFactory(username="carol")
    topic = Topic.objects.filter(state=Topic.State.LISTED).first()
    from registry.services import claim_create

    claim_create(topic=topic, person=carol, plan="Mine.")
    demo.demo_delete()
    assert demo.demo_people().count() == 0
    assert list(Claim.objects.values_list("person__username", flat=True)) == ["carol"]
    assert Topic.objects.count() == 25


def test_generate_demo_small_has_endorsements_by_people_with_standing_and_recognitions(small):
    from registry.models import Endorsement, Recognition, TopicStats

    endorsements = list(Endorsement.objects.select_related("writeup__topic"))
    recognitions = Recognition.objects.filter(source="endorsements")
    assert endorsements != [] and recognitions.exists()
    assert [e for e in endorsements if e.endorser_id == e.writeup.author_id] == []
    for recognition in recognitions:
        assert recognition.writeup.endorsements.filter(state="live").count() >= 2
        assert TopicStats.objects.get(topic=recognition.topic).status == "covered"
    assert sorted(set(TopicStats.objects.values_list("status", flat=True))) == [
        "claimed", "covered", "gap", "published"]
