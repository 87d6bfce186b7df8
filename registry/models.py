from django.conf import settings
from django.db import models
from django.urls import reverse


class TopicStatus(models.TextChoices):
    """A topic's coverage, always derived (see selectors.topics_with_status), never stored."""

    GAP = "gap", "gap"
    CLAIMED = "claimed", "claimed"
    COVERED = "covered", "covered"


class Cluster(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("registry:home") + f"#cluster-{self.slug}"


class Topic(models.Model):
    class State(models.TextChoices):
        SUGGESTED = "suggested", "suggested"
        LISTED = "listed", "listed"
        DECLINED = "declined", "declined"

    cluster = models.ForeignKey(Cluster, on_delete=models.PROTECT, related_name="topics")
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.LISTED)
    # An expert recognised outside Gapmap (the essay's own example: Baker on nuclear arms
    # control). Recording one makes the topic count as covered without a claim.
    expert_name = models.CharField(max_length=200, blank=True)
    expert_work_title = models.CharField(max_length=300, blank=True)
    expert_work_url = models.URLField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cluster__position", "title"]
        indexes = [models.Index(fields=["state", "cluster"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("registry:topic-detail", kwargs={"slug": self.slug})


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(max_length=120, blank=True)
    affiliation = models.CharField(max_length=200, blank=True)
    bio = models.TextField(max_length=2000, blank=True)
    links = models.TextField(
        max_length=2000, blank=True, help_text="One http(s) address per line."
    )
    conflict_of_interest = models.TextField(
        max_length=2000,
        blank=True,
        help_text="Funding, employment or other ties a reader should know about.",
    )

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
