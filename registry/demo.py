"""Synthetic demo data at a chosen scale, for `manage.py generate_demo` and the benchmark.

Rows are written with bulk inserts and explicit primary keys, deliberately bypassing the
per-row services (claim_create, writeup_publish, proposal_move, …), which would take hours at
the `large` scale. The generator therefore upholds their rules itself:

- topics: listed, suggested or declined; a suggestion has its `suggested` event, a decision
  its `listed`/`declined` event by a moderator (demo user 0, staff);
- claims only on listed topics, at most one active claim per person and topic (the partial
  unique constraint) and at most GAPMAP_MAX_ACTIVE_CLAIMS active claims per person; an active
  claim's last activity is within GAPMAP_CLAIM_DORMANT_DAYS, a dormant claim went dormant
  exactly that long after its last activity; each claim has its `claimed` event and one
  `renewed`, `released` or `dormant` event per state change;
- writeups: body_html = render_markdown(body) at RENDERER_VERSION (each distinct body is
  rendered once and reused), `version` = 1 + edits + published, one WriteupVersion per create
  or edit, events `writeup_created`, `writeup_edited`, `published`, `writeup_deleted` in time
  order; a publication by someone holding an active or dormant claim on the topic counts as
  that claim's activity (claims_note_publication);
- proposals move only along proposals.services.TRANSITIONS, the proposal stage only with the
  gate parts present, `owner` only by an accepted invitation to someone who is not an
  author; every move and invitation has its ProposalEvent; at most one pending invitation;
  `version` = 1 + moves; supporting writeups are published writeups on the same topic; a
  co-author was invited by the author and accepted (an accepted CoAuthorInvitation and its
  `co_author_invited` and `co_author_accepted` events);
- follows and funder interest respect their unique constraints; interest only by funders;
- the search table is refilled by registry.discovery.search.search_index_rebuild.

Topic status and counts are computed from these rows by services.stats (the "topic stats"
phase), so they are consistent by construction. No notifications
are written (they would be the outbox of events that never happened live).

Demo rows are recognised by DEMO_EMAIL_DOMAIN (people) and the DEMO_SLUG_PREFIX (clusters and
topics); `demo_delete` removes those and everything hanging off them, nothing else. Every demo
person's password is DEMO_PASSWORD (one precomputed hash): demo data is for development and
benchmarks, never for a site open to others.
"""

import datetime
import functools
import random
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.text import slugify

from proposals.models import (
    CoAuthorInvitation,
    OwnerInvitation,
    Proposal,
    ProposalEvent,
    Stage,
    WithdrawReason,
)
from registry.core.rendering import RENDERER_VERSION, render_markdown
from registry.discovery import search as discovery_search
from registry.discovery.models import FunderInterest, SearchEntry
from registry.discovery.search import search_index_rebuild
from registry.discovery.stats import topic_stats_reconcile
from registry.models import (
    Claim,
    Cluster,
    Endorsement,
    Profile,
    Recognition,
    Topic,
    TopicEvent,
    Writeup,
    WriteupVersion,
)
from registry.notifications.models import Follow
from registry.services import RECORDED_EXPERT_REASON, catalogue_load

DEMO_EMAIL_DOMAIN = "demo.invalid"
DEMO_SLUG_PREFIX = "demo-"
DEMO_PASSWORD = "demo-password"
BATCH = 5000
DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Scale:
    clusters: int  # new demo clusters; 0 uses the catalogue's (loaded when missing)
    topics: int
    people: int
    claims: int
    writeups: int
    proposals: int
    follows: int
    funders: int
    body_templates: int


SCALES = {
    "small": Scale(clusters=0, topics=0, people=36, claims=24, writeups=40, proposals=12,
                   follows=30, funders=3, body_templates=12),
    # `large` divided by ten: the benchmark's "10× smaller" data set.
    "medium": Scale(clusters=40, topics=500, people=5_000, claims=10_000, writeups=20_000,
                    proposals=2_000, follows=5_000, funders=20, body_templates=200),
    "large": Scale(clusters=40, topics=5_000, people=50_000, claims=100_000, writeups=200_000,
                   proposals=20_000, follows=50_000, funders=200, body_templates=400),
}

# --- Text -------------------------------------------------------------------------------------

SUBJECTS = ["compute", "model weights", "training runs", "inference", "datacenters", "GPUs",
            "export controls", "audits", "evaluations", "red teams", "incident reports",
            "standards", "procurement", "liability", "insurance", "benchmarks", "provenance",
            "watermarks", "secure enclaves", "firmware", "supply chains", "open models",
            "agents", "cyber defence", "biosecurity", "elections", "labour markets",
            "public trust", "treaties", "verification"]
ANGLES = ["Verifying", "Measuring", "Governing", "Securing", "Auditing", "Forecasting",
          "Monitoring", "Licensing", "Disclosing", "Stress-testing", "Insuring", "Tracking",
          "Regulating", "Detecting tampering in", "Pricing the risk of"]
SETTINGS = ["at national scale", "across borders", "inside frontier labs", "for small labs",
            "under adversarial pressure", "in the next five years", "without trusted hardware",
            "for open-weight releases", "in emergencies", "with privacy kept"]
WORDS = ("the evidence suggests that most existing proposals assume a level of access that "
         "operators rarely grant and the cost of verification falls on whoever can least "
         "afford it which is why a careful expert would start from the incentives of each "
         "party before designing any technical mechanism while remaining honest about what "
         "is unknown and what could be measured cheaply today with public data and modest "
         "funding over one or two years of focused work").split()
FIRST = ["Ada", "Ben", "Chen", "Dana", "Eli", "Fatima", "Goran", "Hana", "Ivan", "Jun", "Kofi",
         "Lena", "Mateo", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sami", "Tariq", "Uma",
         "Vera", "Wen", "Xavier", "Yara", "Zoe"]
LAST = ["Abbott", "Banerjee", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad",
        "Ito", "Jansen", "Kowalski", "Larsen", "Moreau", "Nakamura", "Okafor", "Petrov",
        "Quispe", "Rossi", "Silva", "Tanaka", "Ueda", "Varga", "Weber", "Xu", "Yilmaz", "Zhou"]
AFFILIATIONS = ["Independent", "University research group", "Policy institute", "Frontier lab",
                "Government agency", "Standards body", "Non-profit", "Think tank"]
TARGETS = ["A frontier lab", "A national standards body", "A cloud provider", "A regulator",
           "An insurers' association", "A chip maker", "A parliament committee"]


def writeup_title(kind: str, topic_title: str, setting: str) -> str:
    """A demo writeup's title, from its own topic's title so the two always match (e.g.
    "Plan: Verifiable inference, across borders")."""
    return f"{kind.capitalize()}: {topic_title[:150]}, {setting}"


def proposal_title(topic_title: str, setting: str) -> str:
    """A demo proposal's title, from its own topic's title like writeup_title."""
    return f"{topic_title[:150]} {setting}: a concrete ask"


def _sentence(rng: random.Random, n: int) -> str:
    words = rng.choices(WORDS, k=n)
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng, rng.randint(10, 22)) for _ in range(sentences))


def body_template(rng: random.Random, subject: str) -> str:
    """A Markdown body of about 2 KB: headings, paragraphs, a list, a link, sometimes a table."""
    parts = [f"## What we know about {subject}", _paragraph(rng, 4),
             "### Open questions", "\n".join(f"- {_sentence(rng, 8)}" for _ in range(4)),
             _paragraph(rng, 3),
             f"See [the background note](https://example.org/{slugify(subject)}) for sources."]
    if rng.random() < 0.4:
        parts.append("| option | cost | evidence |\n|---|---|---|\n"
                     + "\n".join(f"| {rng.choice(SUBJECTS)} | ${rng.randint(10, 900)}k | "
                                 f"{rng.choice(['weak', 'mixed', 'strong'])} |" for _ in range(3)))
    parts.append(_paragraph(rng, 3))
    return "\n\n".join(parts) + "\n"


# --- Writing rows ---------------------------------------------------------------------------

class Rows:
    """Collects unsaved instances of one model and bulk-inserts them every BATCH rows."""

    def __init__(self, model, progress: Callable[[str], None], batch: int = BATCH):
        self.model, self.progress, self.batch, self.pending, self.count = (
            model, progress, batch, [], 0)

    def add(self, obj):
        self.pending.append(obj)
        if len(self.pending) >= self.batch:
            self.flush()
        return obj

    def flush(self):
        if self.pending:
            if connection.vendor == "postgresql":
                _copy(self.model, self.pending)
            else:
                self.model.objects.bulk_create(self.pending, batch_size=self.batch)
            self.count += len(self.pending)
            self.pending = []
            self.progress(f"{self.model._meta.verbose_name_plural}: {self.count:,}")


def _copy(model, objects):
    """PostgreSQL: write the rows with COPY, several times faster than INSERT for wide rows.
    Nothing comes back: rows others point to have their primary key set by the generator,
    the rest (profiles, many-to-many rows) take theirs from the sequence."""
    fields = [field for field in model._meta.concrete_fields
              if not (field.primary_key and getattr(objects[0], field.attname) is None)]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    with connection.cursor() as cursor, cursor.cursor.copy(
            f"COPY {table} ({columns}) FROM STDIN") as copy:
        for obj in objects:
            copy.write_row([field.get_db_prep_save(getattr(obj, field.attname), connection)
                            for field in fields])


@contextmanager
def search_index_dropped():
    """PostgreSQL: drop the search table's GIN index while the table is refilled and build it
    again after: one index build is far faster than 200,000 index updates."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = "
                       "'registry_searchentry' AND indexdef LIKE '%USING gin%'")
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        # Deferred foreign-key checks must run first: PostgreSQL builds no index on a table
        # with pending trigger events.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for _, definition in indexes:
            cursor.execute(definition)


@contextmanager
def strip_tags_memoised():
    """While the search table is refilled, strip each distinct HTML body once: demo writeups
    share a few hundred rendered bodies, and stripping 200,000 of them one by one was the
    largest part of the rebuild's Python time. Process-wide, like historic_dates."""
    original = discovery_search.strip_tags
    discovery_search.strip_tags = functools.lru_cache(maxsize=4096)(original)
    try:
        yield
    finally:
        discovery_search.strip_tags = original


def _search_rebuild() -> int:
    with search_index_dropped(), strip_tags_memoised():
        return search_index_rebuild()


class Ids:
    """Primary keys handed out in advance (sequences are reset at the end)."""

    def __init__(self, model):
        self.next = (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1

    def __call__(self) -> int:
        self.next += 1
        return self.next - 1


DATED_MODELS = [Topic, Claim, Writeup, WriteupVersion, Proposal, Follow]


@contextmanager
def historic_dates():
    """Switch auto_now/auto_now_add off on DATED_MODELS so rows keep the past dates the
    generator gives them. Process-wide, so only for a command that does nothing else."""
    switched = [field for model in DATED_MODELS for field in model._meta.concrete_fields
                if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)]
    saved = [(field.auto_now, field.auto_now_add) for field in switched]
    for field in switched:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, (auto_now, auto_now_add) in zip(switched, saved, strict=True):
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


# --- Finding and deleting demo rows ---------------------------------------------------------

def demo_people():
    return get_user_model().objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}")


def has_demo_data() -> bool:
    return (demo_people().exists()
            or Cluster.objects.filter(slug__startswith=DEMO_SLUG_PREFIX).exists())


@transaction.atomic
def demo_delete() -> None:
    """Delete demo people, demo clusters and topics, and every row that belongs to them
    (their claims, writeups, proposals, events, follows, interest, search entries)."""
    people = demo_people()
    topics = Topic.objects.filter(slug__startswith=DEMO_SLUG_PREFIX)
    proposals = Proposal.objects.filter(Q(author__in=people) | Q(topic__in=topics))
    writeups = Writeup.objects.filter(Q(author__in=people) | Q(topic__in=topics))
    for kind, objects in (("proposal", proposals), ("writeup", writeups), ("topic", topics)):
        SearchEntry.objects.filter(kind=kind, object_id__in=objects.values("pk")).delete()
    ProposalEvent.objects.filter(proposal__in=proposals).delete()
    OwnerInvitation.objects.filter(Q(proposal__in=proposals) | Q(invitee__in=people)).delete()
    CoAuthorInvitation.objects.filter(Q(proposal__in=proposals) | Q(invitee__in=people)).delete()
    Proposal.co_authors.through.objects.filter(
        Q(proposal__in=proposals) | Q(user__in=people)).delete()
    Proposal.related_topics.through.objects.filter(
        Q(proposal__in=proposals) | Q(topic__in=topics)).delete()
    Proposal.supporting_writeups.through.objects.filter(
        Q(proposal__in=proposals) | Q(writeup__in=writeups)).delete()
    Follow.objects.filter(Q(proposal__in=proposals) | Q(topic__in=topics)).delete()
    FunderInterest.objects.filter(Q(proposal__in=proposals) | Q(topic__in=topics)).delete()
    proposals.delete()
    Recognition.objects.filter(Q(topic__in=topics) | Q(person__in=people)
                               | Q(writeup__in=writeups)).delete()
    Endorsement.objects.filter(Q(writeup__in=writeups) | Q(endorser__in=people)).delete()
    TopicEvent.objects.filter(Q(topic__in=topics) | Q(actor__in=people)
                              | Q(claim__person__in=people)).delete()
    WriteupVersion.objects.filter(writeup__in=writeups).delete()
    writeups.delete()
    Claim.objects.filter(Q(person__in=people) | Q(topic__in=topics)).delete()
    topics.delete()
    Cluster.objects.filter(slug__startswith=DEMO_SLUG_PREFIX).delete()
    Profile.objects.filter(user__in=people).delete()
    people.delete()
    topic_stats_reconcile()  # the catalogue's topics lost the demo's claims and proposals


# --- The generator --------------------------------------------------------------------------

class Generator:
    """Builds one scale of demo data; call run(). `report(phase, rows, seconds)` is called
    after each phase, `progress(text)` after each batch."""

    def __init__(self, scale: Scale, *, seed: int = 8, report=None, progress=None,
                 now: datetime.datetime | None = None):
        self.scale, self.rng = scale, random.Random(seed)
        self.now = now or timezone.now()
        self.start = self.now - datetime.timedelta(days=3 * 365)
        self.report = report or (lambda phase, rows, seconds: None)
        self.progress = progress or (lambda text: None)
        self.timings: list[tuple[str, int, float]] = []

    def _rows(self, model, batch=BATCH) -> Rows:
        return Rows(model, self.progress, batch)

    def _phase(self, name, build):
        started = time.monotonic()
        rows = build()
        self.timings.append((name, rows, time.monotonic() - started))
        self.report(name, rows, self.timings[-1][2])

    def _between(self, low: datetime.datetime, high: datetime.datetime) -> datetime.datetime:
        if high <= low:
            return low
        return low + (high - low) * self.rng.random()

    def _topic_start(self, topic_id: int) -> datetime.datetime:
        """The earliest time for work on a topic: a day after it was made, or the start of
        the demo history for topics made just now (the catalogue, loaded at install)."""
        return min(self.topic_info[topic_id][1] + DAY, self.start)

    def run(self) -> list[tuple[str, int, float]]:
        self._load()
        if connection.vendor == "postgresql":
            self._phase("vacuum analyze", self.vacuum_analyze)
        return self.timings

    @transaction.atomic
    def _load(self) -> None:
        if self.scale.clusters == 0 and not Topic.objects.filter(
                state=Topic.State.LISTED).exists():
            self._phase("catalogue", lambda: len(catalogue_load().created))
        with historic_dates():
            self._phase("people", self.people)
            self._phase("topics", self.topics)
            self._phase("claims and writeups", self.claims_and_writeups)
            self._phase("endorsements and recognitions", self.endorsements)
            self._phase("proposals", self.proposals)
            self._phase("follows and interest", self.follows_and_interest)
        self._phase("sequences", self.reset_sequences)
        self._phase("topic stats", lambda: topic_stats_reconcile(chunk_size=1000))
        self._phase("search table", _search_rebuild)

    # People ------------------------------------------------------------------------------
    def people(self) -> int:
        User = get_user_model()
        password = make_password(DEMO_PASSWORD)  # hashed once, shared by every demo person
        ids, users, profiles = Ids(User), self._rows(User), self._rows(Profile)
        self.person_ids = []
        for i in range(self.scale.people):
            pk = ids()
            first, last = self.rng.choice(FIRST), self.rng.choice(LAST)
            users.add(User(id=pk, username=f"demo-{i:05d}",
                           email=f"demo-{i:05d}@{DEMO_EMAIL_DOMAIN}", password=password,
                           is_staff=i == 0, first_name=first, last_name=last,
                           date_joined=self._between(self.start - 30 * DAY, self.now - DAY)))
            profiles.add(Profile(user_id=pk, display_name=f"{first} {last}",
                                 affiliation=self.rng.choice(AFFILIATIONS),
                                 bio=_sentence(self.rng, 14),
                                 is_funder=0 < i <= self.scale.funders))
            self.person_ids.append(pk)
        users.flush()
        profiles.flush()
        self.moderator_id = self.person_ids[0]
        self.funder_ids = self.person_ids[1:self.scale.funders + 1]
        return users.count + profiles.count

    # Topics ------------------------------------------------------------------------------
    def topics(self) -> int:
        events = self._rows(TopicEvent)
        self.event_ids = Ids(TopicEvent)
        self.events = events
        created = self._demo_topics(events) if self.scale.clusters else 0
        listed = Topic.objects.filter(state=Topic.State.LISTED)
        self.topic_info, self.topic_titles = {}, {}
        for pk, cluster_id, at, title in listed.values_list("pk", "cluster_id", "created_at",
                                                             "title"):
            self.topic_info[pk], self.topic_titles[pk] = (cluster_id, at), title
        self.listed_ids = list(self.topic_info)
        self.topics_by_cluster: dict[int, list[int]] = {}
        for pk, (cluster_id, _) in self.topic_info.items():
            self.topics_by_cluster.setdefault(cluster_id, []).append(pk)
        events.flush()
        return created + events.count

    def _event(self, **fields):
        return self.events.add(TopicEvent(id=self.event_ids(), **fields))

    def _demo_topics(self, events) -> int:
        clusters = self._rows(Cluster)
        cluster_ids, topic_ids, topics = Ids(Cluster), Ids(Topic), self._rows(Topic)
        first_position = (Cluster.objects.aggregate(m=Max("position"))["m"] or 0) + 1
        made_clusters = []
        for c in range(self.scale.clusters):
            name = f"{ANGLES[c % len(ANGLES)]} {SUBJECTS[c % len(SUBJECTS)]}"
            pk = cluster_ids()
            clusters.add(Cluster(id=pk, slug=f"{DEMO_SLUG_PREFIX}{c:02d}-{slugify(name)}",
                                 name=f"{name} ({c + 1})", position=first_position + c,
                                 description=_paragraph(self.rng, 2)))
            made_clusters.append(pk)
        clusters.flush()
        per_cluster = self.scale.topics // self.scale.clusters
        for n in range(self.scale.topics):
            cluster_id = made_clusters[min(n // per_cluster, len(made_clusters) - 1)]
            title = (f"{self.rng.choice(ANGLES)} {self.rng.choice(SUBJECTS)} "
                     f"{self.rng.choice(SETTINGS)}")
            at = self._between(self.start - 60 * DAY, self.start)
            fields = {"state": Topic.State.LISTED}
            roll = self.rng.random()
            if roll < 0.02:
                fields = {"state": Topic.State.SUGGESTED,
                          "suggested_by_id": self.rng.choice(self.person_ids)}
            elif roll < 0.03 or 0.9 < roll:  # suggested and then decided by the moderator
                declined = roll < 0.03
                fields = {"state": Topic.State.DECLINED if declined else Topic.State.LISTED,
                          "suggested_by_id": self.rng.choice(self.person_ids),
                          "decided_by_id": self.moderator_id, "decided_at": at + 2 * DAY,
                          "decision_note": "Already covered elsewhere." if declined else ""}
            topic = topics.add(Topic(
                id=topic_ids(), cluster_id=cluster_id, title=title[:200],
                slug=f"{DEMO_SLUG_PREFIX}{n:05d}-{slugify(title)[:80]}",
                description=_paragraph(self.rng, 2), reason=_sentence(self.rng, 12)
                if fields.get("suggested_by_id") else "", created_at=at, updated_at=at,
                expert_name=f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
                if self.rng.random() < 0.02 else "", source="Synthetic demo data",
                **fields))
            if topic.suggested_by_id:
                self._event(topic_id=topic.pk, kind=TopicEvent.Kind.SUGGESTED,
                            actor_id=topic.suggested_by_id, note=topic.reason, created_at=at)
            if topic.decided_by_id:
                kind = (TopicEvent.Kind.DECLINED if topic.state == Topic.State.DECLINED
                        else TopicEvent.Kind.LISTED)
                self._event(topic_id=topic.pk, kind=kind, actor_id=topic.decided_by_id,
                            note=topic.decision_note, created_at=topic.decided_at)
        topics.flush()
        return clusters.count + topics.count

    # Claims and writeups -----------------------------------------------------------------
    def claims_and_writeups(self) -> int:
        """Claims are planned first, written after the writeups: a publication by the
        claimant counts as the claim's activity (claims_note_publication)."""
        self._plan_claims()
        return self._writeups() + self._finish_claims()

    def _plan_claims(self) -> None:
        ids = Ids(Claim)
        dormant_days = settings.GAPMAP_CLAIM_DORMANT_DAYS
        limit = settings.GAPMAP_MAX_ACTIVE_CLAIMS
        active_per_person: dict[int, int] = {}
        topics_per_person: dict[int, set[int]] = {}
        # Every claimed (person, topic) pair; writeups by others avoid them, so the only
        # publications that count as claim activity are the claimants' own, planned below.
        self.live_claims: dict[tuple[int, int], Claim] = {}
        self.claim_windows: list[tuple[Claim, datetime.datetime, datetime.datetime]] = []
        for i in range(self.scale.claims):
            person = self.person_ids[i % len(self.person_ids)]
            mine = topics_per_person.setdefault(person, set())
            topic = self.rng.choice(self.listed_ids)
            while topic in mine and len(mine) < len(self.listed_ids):
                topic = self.rng.choice(self.listed_ids)
            if topic in mine:
                continue
            mine.add(topic)
            roll = self.rng.random()
            state = (Claim.State.ACTIVE if roll < 0.3 else
                     Claim.State.RELEASED if roll < 0.8 else Claim.State.DORMANT)
            if state == Claim.State.ACTIVE and active_per_person.get(person, 0) >= limit:
                state = Claim.State.RELEASED
            if state == Claim.State.ACTIVE:
                active_per_person[person] = active_per_person.get(person, 0) + 1
                created = self._between(self.now - 170 * DAY, self.now - DAY / 24)
                end = self.now
            elif state == Claim.State.DORMANT:
                created = self._between(self.start, self.now - (dormant_days + 20) * DAY)
                end = created + 10 * DAY
            else:
                created = self._between(self.start, self.now - 10 * DAY)
                end = self._between(created + DAY, min(created + 300 * DAY, self.now))
            claim = Claim(id=ids(), topic_id=topic, person_id=person, state=state,
                          plan=_sentence(self.rng, 16), created_at=created,
                          last_activity_at=created,
                          target_date=(created + 180 * DAY).date()
                          if self.rng.random() < 0.5 else None)
            self.claim_windows.append((claim, created, end))
            self.live_claims[(person, topic)] = claim

    def _finish_claims(self) -> int:
        claims = self._rows(Claim)
        dormant = datetime.timedelta(days=settings.GAPMAP_CLAIM_DORMANT_DAYS)
        later_events = []
        for claim, _created, end in self.claim_windows:
            if claim.state == Claim.State.ACTIVE and self.rng.random() < 0.2:
                renewed = self._between(claim.last_activity_at, self.now)
                claim.last_activity_at = renewed
                later_events.append(dict(kind=TopicEvent.Kind.RENEWED, created_at=renewed,
                                         actor_id=claim.person_id, note="Progress: a draft."))
            else:
                later_events.append(None)
            if claim.state == Claim.State.DORMANT:
                went = claim.last_activity_at + dormant
                claim.updated_at = went
            elif claim.state == Claim.State.RELEASED:
                claim.updated_at = end
            else:
                claim.updated_at = claim.last_activity_at
            claims.add(claim)
        claims.flush()
        for (claim, created, end), extra in zip(self.claim_windows, later_events, strict=True):
            self._event(topic_id=claim.topic_id, kind=TopicEvent.Kind.CLAIMED,
                        actor_id=claim.person_id, claim_id=claim.pk, created_at=created)
            if extra:
                self._event(topic_id=claim.topic_id, claim_id=claim.pk, **extra)
            if claim.state == Claim.State.RELEASED:
                self._event(topic_id=claim.topic_id, kind=TopicEvent.Kind.RELEASED,
                            actor_id=claim.person_id, claim_id=claim.pk, created_at=end,
                            note="Moving on to other work.")
            elif claim.state == Claim.State.DORMANT:
                self._event(topic_id=claim.topic_id, kind=TopicEvent.Kind.DORMANT,
                            claim_id=claim.pk, created_at=claim.updated_at,
                            note=f"No writeup published for {dormant.days} days.")
        self.events.flush()
        return claims.count + self.events.count

    def _writeups(self) -> int:
        rng = self.rng
        templates = [body_template(rng, rng.choice(SUBJECTS))
                     for _ in range(self.scale.body_templates)]
        rendered = [render_markdown(body) for body in templates]  # once per distinct body
        writeups, versions = self._rows(Writeup, 2000), self._rows(WriteupVersion, 2000)
        ids, version_ids = Ids(Writeup), Ids(WriteupVersion)
        self.published_by_topic: dict[int, list[int]] = {}
        kinds = Writeup.Kind.values
        plans = []  # (author, topic, earliest, latest, claim)
        for claim, created, end in self.claim_windows:
            if rng.random() < 0.5:
                for _ in range(rng.randint(1, 3)):
                    plans.append((claim.person_id, claim.topic_id, created, end, claim))
                    if len(plans) >= self.scale.writeups // 2:
                        break
            if len(plans) >= self.scale.writeups // 2:
                break
        while len(plans) < self.scale.writeups:
            author, topic = rng.choice(self.person_ids), rng.choice(self.listed_ids)
            if (author, topic) in self.live_claims:
                continue
            plans.append((author, topic, self._topic_start(topic), self.now, None))
        for author, topic, earliest, latest, claim in plans:
            current = rng.randrange(len(templates))
            edits = 1 if rng.random() < 0.1 else 0
            published = rng.random() >= 0.08
            publish_at = self._between(earliest, latest)
            created = max(earliest, publish_at - rng.random() * 5 * DAY)
            deleted = published and rng.random() < 0.01
            kind = rng.choices(kinds, weights=[2, 4, 2, 3])[0]
            pk = ids()
            title = writeup_title(kind, self.topic_titles[topic], SETTINGS[pk % len(SETTINGS)])
            writeup = Writeup(
                id=pk, topic_id=topic, author_id=author, title=title, kind=kind,
                body=templates[current], body_html=rendered[current],
                renderer_version=RENDERER_VERSION,
                external_url="https://example.org/paper" if rng.random() < 0.1 else "",
                published_at=publish_at if published else None,
                deleted_at=publish_at + DAY if deleted and publish_at + DAY < self.now else None,
                version=1 + edits + published, created_at=created,
                updated_at=publish_at if published else created)
            if writeup.deleted_at:
                writeup.updated_at = writeup.deleted_at
            writeups.add(writeup)
            self._event(topic_id=topic, kind=TopicEvent.Kind.WRITEUP_CREATED, actor_id=author,
                        writeup_id=pk, created_at=created)
            shown = ([(current + 1) % len(templates)] if edits else []) + [current]
            for number, template in enumerate(shown, start=1):
                versions.add(WriteupVersion(id=version_ids(), writeup_id=pk, number=number,
                                            editor_id=author, title=title, kind=kind,
                                            body=templates[template],
                                            body_html=rendered[template],
                                            renderer_version=RENDERER_VERSION,
                                            external_url=writeup.external_url,
                                            created_at=created))
                if number > 1:
                    self._event(topic_id=topic, kind=TopicEvent.Kind.WRITEUP_EDITED,
                                actor_id=author, writeup_id=pk, created_at=created)
            if published:
                self._event(topic_id=topic, kind=TopicEvent.Kind.PUBLISHED, actor_id=author,
                            writeup_id=pk, created_at=publish_at)
                if claim is not None and publish_at > claim.last_activity_at:
                    claim.last_activity_at = publish_at  # claims_note_publication
                if writeup.deleted_at:
                    self._event(topic_id=topic, kind=TopicEvent.Kind.WRITEUP_DELETED,
                                actor_id=author, writeup_id=pk, note=title,
                                created_at=writeup.deleted_at)
                else:
                    self.published_by_topic.setdefault(topic, []).append(pk)
        writeups.flush()
        versions.flush()
        return writeups.count + versions.count

    # Endorsements and recognitions ---------------------------------------------------------
    def endorsements(self) -> int:
        """Frontier endorsements of about one published writeup in eight, each by people
        with standing as permissions.endorse_refusal has it (the moderator, or authors of
        other published writeups in the same cluster), and the recognitions they add up to;
        plus a moderator's recognition for each demo topic with a recorded expert."""
        rng, threshold = self.rng, settings.GAPMAP_ENDORSEMENTS_TO_RECOGNISE
        endorsements, recognitions = self._rows(Endorsement), self._rows(Recognition)
        ids, recognition_ids = Ids(Endorsement), Ids(Recognition)
        published = list(Writeup.objects.filter(
            pk__in=[pk for pks in self.published_by_topic.values() for pk in pks])
            .values_list("pk", "author_id", "topic_id", "topic__cluster_id", "published_at",
                         "title").order_by("pk"))
        authors_by_cluster: dict[int, set[int]] = {}
        for _, author, _, cluster, _, _ in published:
            authors_by_cluster.setdefault(cluster, set()).add(author)
        for pk, author, topic, cluster, published_at, title in published:
            peers = sorted((authors_by_cluster[cluster] | {self.moderator_id}) - {author})
            if rng.random() >= 0.125 or author == self.moderator_id:
                continue
            chosen = rng.sample(peers, min(len(peers), rng.randint(1, threshold + 1)))
            at = published_at
            for endorser in chosen:
                at = self._between(at, min(at + 30 * DAY, self.now))
                endorsement = endorsements.add(Endorsement(
                    id=ids(), writeup_id=pk, endorser_id=endorser, created_at=at,
                    statement=f"It moved the frontier on {self.topic_titles[topic].lower()}: "
                              f"{_sentence(rng, 12)}"))
                self._event(topic_id=topic, kind=TopicEvent.Kind.ENDORSED, actor_id=endorser,
                            writeup_id=pk, endorsement_id=endorsement.pk, created_at=at)
            if len(chosen) >= threshold:
                recognition = recognitions.add(Recognition(
                    id=recognition_ids(), topic_id=topic, person_id=author, writeup_id=pk,
                    work_title=title, source=Recognition.Source.ENDORSEMENTS, created_at=at,
                    reason=f"{len(chosen)} frontier endorsements of “{title}”."))
                self._event(topic_id=topic, kind=TopicEvent.Kind.RECOGNISED, actor_id=endorser,
                            writeup_id=pk, recognition_id=recognition.pk, created_at=at)
        experts = Topic.objects.filter(slug__startswith=DEMO_SLUG_PREFIX).exclude(expert_name="")
        for topic in experts.order_by("pk"):
            recognition = recognitions.add(Recognition(
                id=recognition_ids(), topic_id=topic.pk, name=topic.expert_name,
                work_title=f"A standard reference on {topic.title.lower()}"[:300],
                work_url="https://example.org/reference", reason=RECORDED_EXPERT_REASON,
                source=Recognition.Source.MODERATOR, recorded_by_id=self.moderator_id,
                created_at=topic.created_at))
            self._event(topic_id=topic.pk, kind=TopicEvent.Kind.RECOGNISED,
                        actor_id=self.moderator_id, recognition_id=recognition.pk,
                        created_at=topic.created_at)
        endorsements.flush()
        recognitions.flush()
        self.events.flush()
        return endorsements.count + recognitions.count

    # Proposals ---------------------------------------------------------------------------
    def proposals(self) -> int:
        rng = self.rng
        analyses = [f"{_paragraph(rng, 3)}\n\n- {_sentence(rng, 8)}\n- {_sentence(rng, 8)}\n"
                    for _ in range(min(20, self.scale.body_templates))]
        analyses_html = [render_markdown(text) for text in analyses]
        proposals, events = self._rows(Proposal), self._rows(ProposalEvent)
        invitations = self._rows(OwnerInvitation)
        ids, event_ids, invitation_ids = Ids(Proposal), Ids(ProposalEvent), Ids(OwnerInvitation)
        co_authors = self._rows(Proposal.co_authors.through)
        # A co-author was invited and accepted (services.co_author_invitation_accept).
        co_invitations, co_invitation_ids = self._rows(CoAuthorInvitation), Ids(CoAuthorInvitation)
        related = self._rows(Proposal.related_topics.through)
        supporting = self._rows(Proposal.supporting_writeups.through)
        invite_days = datetime.timedelta(days=settings.GAPMAP_OWNER_INVITE_DAYS)
        self.proposal_ids = []
        for n in range(self.scale.proposals):
            pk = ids()
            topic = rng.choice(self.listed_ids)
            author = rng.choice(self.person_ids)
            co_author = rng.choice(self.person_ids) if rng.random() < 0.15 else None
            if co_author == author:
                co_author = None
            authors = {author, co_author}
            t = self._between(self._topic_start(topic), self.now - 30 * DAY)
            history = []  # (kind, from, to, actor, subject, note, reason, at)

            def log(kind, frm="", to="", *, actor=author, subject=None, note="", reason="",
                    history=history):
                history.append((kind, frm, to, actor, subject, note, reason))

            stage = Stage.ANALYSIS
            log(ProposalEvent.Kind.CREATED, to=Stage.ANALYSIS)
            if co_author:
                log(ProposalEvent.Kind.CO_AUTHOR_INVITED, subject=co_author)
                log(ProposalEvent.Kind.CO_AUTHOR_ACCEPTED, actor=co_author, subject=co_author)
            target = rng.choices(list(Stage), weights=[25, 25, 20, 15, 15])[0]
            bounces = 60 if n == 0 else (1 if rng.random() < 0.5 else 0)
            owner, invites = None, []
            gate_ok = target != Stage.ANALYSIS or rng.random() < 0.5
            if target != Stage.ANALYSIS:
                for _ in range(bounces):
                    log(ProposalEvent.Kind.MOVED, Stage.ANALYSIS, Stage.PROPOSAL)
                    log(ProposalEvent.Kind.MOVED, Stage.PROPOSAL, Stage.ANALYSIS,
                        note="Needs a sharper ask.")
                if target == Stage.WITHDRAWN and rng.random() < 0.3:
                    pass  # withdrawn straight from analysis
                else:
                    log(ProposalEvent.Kind.MOVED, Stage.ANALYSIS, Stage.PROPOSAL)
                    stage = Stage.PROPOSAL
                if stage == Stage.PROPOSAL and target in (Stage.OWNER, Stage.ADOPTED,
                                                          Stage.PROPOSAL, Stage.WITHDRAWN):
                    refusals = rng.choices([0, 1, 2], weights=[6, 3, 1])[0]
                    if target in (Stage.PROPOSAL, Stage.WITHDRAWN):
                        refusals = rng.choice([0, 1])
                    for _ in range(refusals):
                        invitee = self._outsider(authors)
                        log(ProposalEvent.Kind.OWNER_INVITED, subject=invitee)
                        invites.append([invitee, len(history) - 1,
                                        OwnerInvitation.State.DECLINED])
                        log(ProposalEvent.Kind.INVITATION_DECLINED, actor=invitee,
                            subject=invitee)
                    if target in (Stage.OWNER, Stage.ADOPTED):
                        owner = self._outsider(authors)
                        log(ProposalEvent.Kind.OWNER_INVITED, subject=owner)
                        invites.append([owner, len(history) - 1, OwnerInvitation.State.ACCEPTED])
                        log(ProposalEvent.Kind.MOVED, Stage.PROPOSAL, Stage.OWNER, actor=owner,
                            note="Accepted the owner invitation.")
                        stage = Stage.OWNER
                    elif target == Stage.PROPOSAL and rng.random() < 0.3:
                        invitee = self._outsider(authors)
                        log(ProposalEvent.Kind.OWNER_INVITED, subject=invitee)
                        invites.append([invitee, len(history) - 1, OwnerInvitation.State.PENDING])
                if target == Stage.ADOPTED:
                    log(ProposalEvent.Kind.MOVED, Stage.OWNER, Stage.ADOPTED, actor=owner,
                        note="The lab adopted the checklist.")
                    stage = Stage.ADOPTED
                elif target == Stage.WITHDRAWN:
                    log(ProposalEvent.Kind.MOVED, stage, Stage.WITHDRAWN,
                        reason=rng.choice(WithdrawReason.values))
                    stage = Stage.WITHDRAWN
            # Spread the history over the time since creation; a pending invitation is recent.
            span = (self.now - t) / (len(history) + 1)
            times = [t + span * i for i in range(len(history))]
            if invites and invites[-1][2] == OwnerInvitation.State.PENDING:
                times[invites[-1][1]] = self.now - rng.random() * (invite_days - DAY)
            if co_author:  # accepted well before the invitation expires, and the next event
                times[2] = times[1] + min(span / 2, DAY)
            moves = sum(1 for h in history if h[0] == ProposalEvent.Kind.MOVED)
            last_move = max((times[i] for i, h in enumerate(history)
                             if h[0] == ProposalEvent.Kind.MOVED), default=t)
            analysis = rng.randrange(len(analyses))
            steps = ["Draft the checklist", "Pilot it with one team", "Publish the results"]
            proposals.add(Proposal(
                id=pk, topic_id=topic, author_id=author,
                title=proposal_title(self.topic_titles[topic], SETTINGS[pk % len(SETTINGS)]),
                analysis=analyses[analysis], analysis_html=analyses_html[analysis],
                renderer_version=RENDERER_VERSION,
                ask="Adopt a shared incident-reporting checklist." if gate_ok else "",
                target=rng.choice(TARGETS) if gate_ok else "", steps=steps if gate_ok else [],
                cost_range="$50k–$200k", time_horizon="6–12 months", stage=stage,
                stage_changed_at=last_move, owner_id=owner,
                withdraw_reason=history[-1][6] if stage == Stage.WITHDRAWN else "",
                version=1 + moves, created_at=t, updated_at=times[-1]))
            for i, (kind, frm, to, actor, subject, note, reason) in enumerate(history):
                events.add(ProposalEvent(id=event_ids(), proposal_id=pk, kind=kind,
                                         from_stage=frm, to_stage=to, actor_id=actor,
                                         subject_id=subject, note=note, reason=reason,
                                         created_at=times[i]))
            for invitee, at, state in invites:
                answered = (times[at + 1] if at + 1 < len(times) else self.now
                            ) if state != OwnerInvitation.State.PENDING else None
                invitations.add(OwnerInvitation(
                    id=invitation_ids(), proposal_id=pk, invitee_id=invitee,
                    invited_by_id=author, state=state, created_at=times[at],
                    expires_at=times[at] + invite_days, answered_at=answered))
            if co_author:
                co_authors.add(Proposal.co_authors.through(proposal_id=pk, user_id=co_author))
                co_invitations.add(CoAuthorInvitation(
                    id=co_invitation_ids(), proposal_id=pk, invitee_id=co_author,
                    invited_by_id=author, state=CoAuthorInvitation.State.ACCEPTED,
                    created_at=times[1], expires_at=times[1] + invite_days, answered_at=times[2]))
            if rng.random() < 0.2:
                other = rng.choice(self.topics_by_cluster[self.topic_info[topic][0]])
                if other != topic:
                    related.add(Proposal.related_topics.through(proposal_id=pk, topic_id=other))
            published = self.published_by_topic.get(topic, [])
            for writeup in rng.sample(published, min(len(published), rng.randint(0, 2))):
                supporting.add(Proposal.supporting_writeups.through(proposal_id=pk,
                                                                    writeup_id=writeup))
            self.proposal_ids.append(pk)
        made = (proposals, events, invitations, co_authors, co_invitations, related, supporting)
        for rows in made:
            rows.flush()
        return sum(rows.count for rows in made)

    def _outsider(self, authors: set) -> int:
        person = self.rng.choice(self.person_ids)
        while person in authors:
            person = self.rng.choice(self.person_ids)
        return person

    # Follows and funder interest -----------------------------------------------------------
    def follows_and_interest(self) -> int:
        rng = self.rng
        follows, ids = self._rows(Follow), Ids(Follow)
        seen = set()
        while len(seen) < self.scale.follows:
            person = rng.choice(self.person_ids)
            if rng.random() < 0.8:
                key = (person, "topic", rng.choice(self.listed_ids))
            else:
                key = (person, "proposal", rng.choice(self.proposal_ids))
            if key in seen:
                continue
            seen.add(key)
            follows.add(Follow(id=ids(), person_id=person, **{f"{key[1]}_id": key[2]},
                               created_at=self._between(self.start, self.now)))
        follows.flush()
        interests, interest_ids = self._rows(FunderInterest), Ids(FunderInterest)
        chosen = rng.sample(self.listed_ids, max(1, len(self.listed_ids) // 10))
        for topic in chosen:
            for funder in rng.sample(self.funder_ids, min(len(self.funder_ids),
                                                          rng.randint(1, 3))):
                at = self._between(self.start, self.now)
                withdrawn = rng.random() < 0.1
                interests.add(FunderInterest(
                    id=interest_ids(), funder_id=funder, topic_id=topic,
                    note="We fund work like this.", amount_range="$10k–50k",
                    visibility=(FunderInterest.Visibility.PRIVATE if rng.random() < 0.2
                                else FunderInterest.Visibility.PUBLIC),
                    created_at=at, withdrawn_at=self._between(at, self.now) if withdrawn
                    else None))
        interests.flush()
        return follows.count + interests.count

    # Finishing -----------------------------------------------------------------------------
    def reset_sequences(self) -> int:
        models = [get_user_model(), Profile, Cluster, Topic, TopicEvent, Claim, Writeup,
                  WriteupVersion, Proposal, ProposalEvent, OwnerInvitation, CoAuthorInvitation,
                  Follow, FunderInterest]
        statements = connection.ops.sequence_reset_sql(no_style(), models)
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
        return len(statements)

    def vacuum_analyze(self) -> int:
        """Planner statistics for the new rows, and (outside a transaction: VACUUM cannot run
        in one) the visibility map, without which PostgreSQL's index-only scans (the board's
        columns, every COUNT) visit the table for each of a bulk load's rows."""
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        return 0
