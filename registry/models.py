"""The registry's data: clusters, topics and their stored stats, profiles, claims, writeups with
their versions, the topic history (TopicEvent) and the site version."""

from django.conf import settings
from django.db import connection, models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TopicStatus(models.TextChoices):
    """A topic's place on the status ladder, derived from its claims, writeups and
    recognitions (see discovery.stats.topic_stats_compute) and kept in TopicStats:
    gap (no active claim, nobody recognised), claimed (an active claim, nothing published by
    an active claimant), published (an active claimant published, nobody recognised yet),
    covered (a live recognition, whatever the claims)."""

    GAP = "gap", pgettext_lazy("topic status", "gap")
    CLAIMED = "claimed", pgettext_lazy("topic status", "claimed")
    PUBLISHED = "published", pgettext_lazy("topic status", "published")
    COVERED = "covered", pgettext_lazy("topic status", "covered")


class Hideable(models.Model):
    """Content a moderator can hide: others see a notice, its author and moderators see it
    whole. Written only by registry.moderation.services (content_hide, content_unhide)."""

    hidden = models.BooleanField(default=False, editable=False)
    hidden_reason = models.TextField(max_length=2000, blank=True, editable=False)

    class Meta:
        abstract = True


def _local(row, field: str, english: str) -> str:
    """`row.translations`' text of `field` for the active language, else `english`.

    translations is {"es": {"title" or "name": …, "description": …, "edited": bool}}; a
    regional code (es-ar) falls back to its base language (es).
    """
    language = translation.get_language()
    if not language or not row.translations:
        return english
    entry = row.translations.get(language) or row.translations.get(language.split("-")[0])
    return (entry or {}).get(field) or english


class Cluster(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # {"es": {"name": …, "description": …, "edited": false}}: loaded from
    # fixtures/catalogue.<lang>.json by services.catalogue_load (edited: changed on the site
    # or in the admin since, so a later load keeps it).
    translations = models.JSONField(default=dict, blank=True, help_text=_(
        'By language: {"es": {"name": "…", "description": "…"}}. A change made here is kept '
        "by later catalogue loads."))

    class Meta:
        ordering = ["position", "name"]
        indexes = [
            # Topics are listed in their cluster's order (Topic.Meta.ordering): read through
            # this index, PostgreSQL sorts one cluster's topics for a page of the topics API
            # instead of all 5,000 (8.6 -> 0.8 ms at the large demo scale).
            models.Index(fields=["position", "name"], name="cluster_order_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("registry:cluster-detail", kwargs={"slug": self.slug})

    @property
    def local_name(self) -> str:
        """The name in the active language, else the English one."""
        return _local(self, "name", self.name)

    @property
    def local_description(self) -> str:
        return _local(self, "description", self.description)


class Topic(Hideable):
    class State(models.TextChoices):
        SUGGESTED = "suggested", pgettext_lazy("suggestion state", "suggested")
        LISTED = "listed", pgettext_lazy("suggestion state", "listed")
        DECLINED = "declined", pgettext_lazy("suggestion state", "declined")

    cluster = models.ForeignKey(Cluster, on_delete=models.PROTECT, related_name="topics")
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.LISTED)
    # An expert recognised outside Gapmap (the essay's own example: Baker on nuclear arms
    # control), as the catalogue and the admin record it. What covers the topic is the
    # Recognition row the catalogue load and topic_save make from it (migration 0018 made
    # them for the topics recorded before).
    expert_name = models.CharField(max_length=200, blank=True)
    expert_work_title = models.CharField(max_length=300, blank=True)
    expert_work_url = models.URLField(blank=True)
    # A topic suggested on the site stays `suggested` until a moderator lists or declines it.
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="suggested_topics",
    )
    reason = models.TextField(_("why it matters"), max_length=4000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(
        max_length=2000, blank=True,
        help_text=_("The moderator's reason, shown to the suggester.")
    )
    # {"es": {"title": …, "description": …, "edited": bool}}: loaded from
    # fixtures/catalogue.<lang>.json by services.catalogue_load (edited false, replaced by a
    # later load whose text changed) or written by a moderator through
    # services.topic_translation_set (edited true, which no load overwrites).
    translations = models.JSONField(default=dict, blank=True, help_text=_(
        'By language: {"es": {"title": "…", "description": "…"}}. A change made here is kept '
        "by later catalogue loads."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cluster__position", "title"]
        indexes = [models.Index(fields=["state", "cluster"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("registry:topic-detail", kwargs={"slug": self.slug})

    @property
    def local_title(self) -> str:
        """The title in the active language, else the English one."""
        return _local(self, "title", self.title)

    @property
    def local_description(self) -> str:
        return _local(self, "description", self.description)

    @property
    def local_source(self) -> str:
        return _local(self, "source", self.source)


class TopicStats(models.Model):
    """A topic's derived status and counts, so lists and maps read one row per topic instead
    of counting claims, writeups, proposals and interest for every topic on every request.

    Written only by registry.discovery.stats (after every write that can change them, inside
    its transaction, and by the nightly reconciliation); never edited by hand.
    """

    topic = models.OneToOneField(Topic, on_delete=models.CASCADE, primary_key=True,
                                 related_name="stats")
    status = models.CharField(max_length=10, choices=TopicStatus.choices,
                              default=TopicStatus.GAP)
    active_claims = models.PositiveIntegerField(default=0)
    released_claims = models.PositiveIntegerField(default=0)
    dormant_claims = models.PositiveIntegerField(default=0)
    published_writeups = models.PositiveIntegerField(default=0)
    open_analysis = models.PositiveIntegerField(default=0)
    open_proposal = models.PositiveIntegerField(default=0)
    open_owner = models.PositiveIntegerField(default=0)
    funder_interest = models.PositiveIntegerField(default=0)
    # Live recognitions: a topic with any is covered.
    recognitions = models.PositiveIntegerField(default=0)
    last_activity_at = models.DateTimeField(null=True, blank=True)
    # When the topic last became free (its latest release or dormancy, else its listing).
    gap_since = models.DateTimeField()
    # gap_since moved back one day per neglect point other than days (see
    # discovery.selectors.NEGLECT_FORMULA): the neglect score is the whole days since this,
    # so the gaps list is an index scan ordered by it.
    neglected_since = models.DateTimeField()
    refreshed_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = _("topic stats")
        indexes = [models.Index(fields=["status", "neglected_since"]),
                   models.Index(fields=["refreshed_at"])]  # the map's version

    def __str__(self):
        return f"{self.topic_id}: {self.status}"


class Profile(Hideable):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(max_length=120, blank=True)
    affiliation = models.CharField(max_length=200, blank=True)
    bio = models.TextField(max_length=2000, blank=True)
    links = models.TextField(
        max_length=2000, blank=True, help_text=_("One http(s) address per line.")
    )
    conflict_of_interest = models.TextField(
        max_length=2000,
        blank=True,
        help_text=_("Funding, employment or other ties a reader should know about."),
    )
    # Set by moderators only (admin, or the moderators' action on the profile page).
    is_funder = models.BooleanField(_("funder"), default=False)
    # The interface and e-mail language the person chose (blank: the browser's, then English).
    # No choices: a language added to settings.LANGUAGES needs no migration (services check).
    language = models.CharField(_("language"), max_length=8, blank=True)

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("registry:profile", kwargs={"username": self.user.username})

    @property
    def name(self):
        return self.display_name or self.user.username

    @property
    def link_list(self):
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class Claim(models.Model):
    """A person's public commitment to work on a topic. Never deleted: it keeps its history."""

    class State(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("claim state", "active")
        RELEASED = "released", pgettext_lazy("claim state", "released")
        DORMANT = "dormant", pgettext_lazy("claim state", "dormant")

    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="claims")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claims"
    )
    plan = models.TextField(max_length=2000, help_text=_("What you intend to produce, by when."))
    target_date = models.DateField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.ACTIVE)
    # Creation, a renewal, or publishing a writeup on the topic; dormancy counts from here.
    last_activity_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # The database, not Python, guarantees one active claim per person and topic, so
            # two concurrent requests cannot both succeed.
            models.UniqueConstraint(
                fields=["person", "topic"],
                condition=models.Q(state="active"),
                name="one_active_claim_per_person_and_topic",
            ),
        ]
        indexes = [models.Index(fields=["topic", "state"]), models.Index(fields=["state"]),
                   # The API's newest-first list.
                   models.Index(fields=["-created_at", "-id"], name="claim_newest_idx"),
                   # Quiet active claims: the gaps page's "at risk" list, the daily sweep.
                   models.Index(fields=["state", "last_activity_at"],
                                name="claim_quiet_idx")]

    def __str__(self):
        return f"{self.person} on {self.topic} ({self.state})"


class Writeup(Hideable):
    class Kind(models.TextChoices):
        # In the essay's order of priority, which is also the order on a topic page.
        PLAN = "plan", pgettext_lazy("writeup kind", "plan")
        INSIGHT = "insight", pgettext_lazy("writeup kind", "insight")
        MODEL = "model", pgettext_lazy("writeup kind", "model")
        ANALYSIS = "analysis", pgettext_lazy("writeup kind", "analysis")

    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="writeups")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="writeups"
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    body = models.TextField(max_length=100_000, blank=True, help_text=_("Markdown."))
    external_url = models.URLField(
        max_length=500, blank=True, help_text=_("A paper or post published elsewhere.")
    )
    # body rendered by registry.core.rendering at renderer_version; see services.writeups_rerender.
    body_html = models.TextField(blank=True, editable=False)
    renderer_version = models.PositiveSmallIntegerField(default=0, editable=False)
    # The language the author wrote it in (a code of settings.LANGUAGES); blank: not known,
    # e.g. written before it was asked. No choices, so a new language needs no migration.
    language = models.CharField(_("language"), max_length=8, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # Deleting hides a writeup everywhere but keeps its versions and the topic's history.
    deleted_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    # Comments shown to everyone (not deleted, not hidden); written only by
    # registry.feedback's services, next to the comment they count.
    comment_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["topic", "published_at"]),
                   models.Index(fields=["author", "published_at"]),
                   # The API's keyset pages (registry.core.pagination.NewestFirstCursorPagination).
                   models.Index(fields=["-created_at", "-id"], name="writeup_newest_idx"),
                   # The few hidden writeups, which every search leaves out
                   # (registry.discovery.search.under_hidden_topic), without a scan of all.
                   models.Index(fields=["id"], condition=models.Q(hidden=True),
                                name="writeup_hidden_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("registry:writeup-detail", kwargs={"pk": self.pk})

    @property
    def is_published(self):
        return self.published_at is not None


class WriteupVersion(models.Model):
    """The content of a writeup after each create or edit, numbered from 1."""

    writeup = models.ForeignKey(Writeup, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Writeup.Kind.choices)
    body = models.TextField(blank=True)
    external_url = models.URLField(max_length=500, blank=True)
    # body rendered when the version was saved (a copy of the writeup's body_html then), so
    # the version's page renders no Markdown; re-rendered by services.writeups_rerender.
    body_html = models.TextField(blank=True, editable=False)
    renderer_version = models.PositiveSmallIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["writeup", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["writeup", "number"], name="one_writeup_version_number")
        ]

    def __str__(self):
        return f"{self.writeup} v{self.number}"


class TopicEvent(models.Model):
    """The audit trail: one row per change to a topic, its claims or its writeups.

    Written by the service that makes the change, in the same transaction.
    """

    class Kind(models.TextChoices):
        # What the actor did, after their name in the topic's history (_timeline.html).
        SUGGESTED = "suggested", pgettext_lazy("topic event", "suggested")
        LISTED = "listed", pgettext_lazy("topic event", "listed")
        DECLINED = "declined", pgettext_lazy("topic event", "declined")
        CLAIMED = "claimed", pgettext_lazy("topic event", "claimed")
        RELEASED = "released", pgettext_lazy("topic event", "released")
        RENEWED = "renewed", pgettext_lazy("topic event", "renewed")
        DORMANT = "dormant", pgettext_lazy("topic event", "went dormant")
        WRITEUP_CREATED = "writeup_created", pgettext_lazy("topic event", "started a writeup")
        WRITEUP_EDITED = "writeup_edited", pgettext_lazy("topic event", "edited a writeup")
        PUBLISHED = "published", pgettext_lazy("topic event", "published")
        WRITEUP_DELETED = "writeup_deleted", pgettext_lazy("topic event", "deleted a writeup")
        EDITED = "edited", pgettext_lazy("topic event", "edited the topic")
        ENDORSED = "endorsed", pgettext_lazy("topic event", "endorsed a writeup")
        ENDORSEMENT_RETRACTED = ("endorsement_retracted",
                                 pgettext_lazy("topic event", "retracted an endorsement"))
        ENDORSEMENT_VOIDED = ("endorsement_voided",
                              pgettext_lazy("topic event", "voided an endorsement"))
        RECOGNISED = "recognised", pgettext_lazy("topic event", "recognised expertise")
        RECOGNITION_ENDED = "recognition_ended", pgettext_lazy("topic event", "a recognition ended")

    # Events anyone who can see the topic may see; the others concern drafts or deletions.
    PUBLIC_KINDS = (Kind.LISTED, Kind.CLAIMED, Kind.RELEASED, Kind.RENEWED, Kind.DORMANT,
                    Kind.PUBLISHED, Kind.ENDORSED, Kind.ENDORSEMENT_RETRACTED,
                    Kind.ENDORSEMENT_VOIDED, Kind.RECOGNISED, Kind.RECOGNITION_ENDED)

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty for changes made by the system, e.g. dormancy."),
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    claim = models.ForeignKey(Claim, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="events")
    writeup = models.ForeignKey(Writeup, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="events")
    endorsement = models.ForeignKey("Endorsement", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="events")
    recognition = models.ForeignKey("Recognition", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="events")
    note = models.TextField(max_length=2000, blank=True)
    # Not auto_now_add, so a sweep run with an explicit `now` dates its events consistently.
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["topic", "kind", "created_at"])]

    def __str__(self):
        return f"{self.topic}: {self.kind}"


class Endorsement(models.Model):
    """A frontier endorsement: a person with standing says, in public, what a published
    writeup moved forward (see permissions.endorse_refusal for who may). Never deleted:
    retracting (by the endorser) and voiding (by a moderator) change its state and keep it.

    Written only by services.endorsements, which also records the topic's history and
    grants or ends the recognition the live endorsements add up to.
    """

    class State(models.TextChoices):
        LIVE = "live", pgettext_lazy("endorsement state", "live")
        RETRACTED = "retracted", pgettext_lazy("endorsement state", "retracted")
        VOIDED = "voided", pgettext_lazy("endorsement state", "voided")

    writeup = models.ForeignKey(Writeup, on_delete=models.PROTECT, related_name="endorsements")
    endorser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="endorsements_given")
    statement = models.TextField(max_length=2000,
                                 help_text=_("What the work moved forward (40–2,000 characters)."))
    # Prefilled from the endorser's profile disclosure; may be blank.
    disclosure = models.TextField(max_length=2000, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.LIVE)
    created_at = models.DateTimeField(default=timezone.now)
    retracted_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    void_reason = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # The database guarantees one live endorsement per person and writeup, whatever
            # the race.
            models.UniqueConstraint(fields=["writeup", "endorser"],
                                    condition=models.Q(state="live"),
                                    name="one_live_endorsement_per_person_and_writeup"),
        ]
        indexes = [models.Index(fields=["writeup", "state"]),
                   models.Index(fields=["endorser", "state"])]

    def __str__(self):
        return f"{self.endorser} endorses {self.writeup} ({self.state})"


class Recognition(models.Model):
    """Recognised expertise on a topic: a live one (ended_at empty) makes the topic covered.

    Either earned through endorsements (source `endorsements`: the writeup's author, once it
    has GAPMAP_ENDORSEMENTS_TO_RECOGNISE live endorsements; it ends when they drop below) or
    recorded by a moderator for work done elsewhere (source `moderator`: a name, linked to
    an account where one exists, with the work's title and address; the Baker case). Rows
    are kept when they end, as history. Written only by services.endorsements.
    """

    class Source(models.TextChoices):
        ENDORSEMENTS = "endorsements", pgettext_lazy("recognition source", "endorsements")
        MODERATOR = "moderator", pgettext_lazy("recognition source", "recorded by a moderator")

    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="recognitions")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.PROTECT, related_name="recognitions")
    # For someone without an account (else the person's profile gives the name).
    name = models.CharField(max_length=200, blank=True)
    work_title = models.CharField(max_length=300, blank=True)
    work_url = models.URLField(max_length=500, blank=True)
    # The endorsed writeup that is the evidence (source `endorsements`).
    writeup = models.ForeignKey(Writeup, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="recognitions")
    reason = models.TextField(max_length=2000, blank=True)
    source = models.CharField(max_length=12, choices=Source.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(person__isnull=False) | ~models.Q(name=""),
                                   name="recognition_names_someone"),
            # A writeup's endorsements recognise its author once, whatever the race.
            models.UniqueConstraint(fields=["writeup", "person"],
                                    condition=models.Q(ended_at__isnull=True,
                                                       source="endorsements"),
                                    name="one_live_recognition_per_writeup_and_person"),
        ]
        indexes = [models.Index(fields=["topic", "ended_at"]),
                   models.Index(fields=["person", "ended_at"])]

    def __str__(self):
        return f"{self.display_name} on {self.topic}"

    @property
    def is_live(self):
        return self.ended_at is None

    @property
    def display_name(self):
        """The recorded name, else the person's (profile visibility is the caller's concern:
        pages use selectors.person_name)."""
        if self.name:
            return self.name
        profile = getattr(self.person, "profile", None)
        return profile.name if profile is not None else self.person.username


# On PostgreSQL the site version is this sequence, not the row below (migration 0020,
# registry.services.site_version): writers move it without queueing on one row.
SITE_VERSION_SEQUENCE = "registry_site_version_seq"


def site_version_is_sequence() -> bool:
    return connection.vendor == "postgresql"


class SiteVersion(models.Model):
    """On SQLite (on PostgreSQL: SITE_VERSION_SEQUENCE), one row whose `n` goes up by one in
    every transaction that changes what visitors may see
    (registry.services.site_version.site_version_bump). Being a row written inside that
    transaction, the new number becomes visible exactly when the change does, whatever order
    concurrent writers commit in, so the visitors' caches keyed on it
    (registry.selectors.site_version) never serve a page from before a committed hide."""

    n = models.BigIntegerField(default=0)

    def __str__(self):
        return f"site version {self.n}"
