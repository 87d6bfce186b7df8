"""Comments (public discussion), their versions, review requests and review comments.

A comment or a review request is on exactly one writeup or one proposal; the database checks
it. Every state here is written only by this app's services, with conditional UPDATEs where two
people could race.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from registry.models import Hideable

EXACTLY_ONE_TARGET = (Q(writeup__isnull=False, proposal__isnull=True)
                      | Q(writeup__isnull=True, proposal__isnull=False))


class Aspect(models.TextChoices):
    """Which part of a proposal's gate a comment is about (blank: the proposal as a whole, and
    always blank on writeups)."""

    ASK = "ask", _("on the ask")
    STEPS = "steps", _("on the steps")
    OWNER = "owner", _("on the owner")


# How a comment is named (str(comment), and a report's notification, translated when shown).
COMMENT_NAMED = gettext_noop("%(words)s (on %(title)s)")
COMMENT_DELETED = gettext_noop("comment deleted")


class Comment(Hideable):
    """One comment in the thread of a published writeup or of a proposal; a reply when
    `parent` is set (one level: a reply's parent is never itself a reply).

    Deleting keeps the row as a tombstone ("comment deleted") with its body cleared, so that
    replies keep their place; the versions keep what it said for the moderators.
    """

    writeup = models.ForeignKey("registry.Writeup", null=True, blank=True,
                                on_delete=models.CASCADE, related_name="comments")
    proposal = models.ForeignKey("proposals.Proposal", null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="comments")
    aspect = models.CharField(max_length=8, choices=Aspect.choices, blank=True)
    body = models.TextField(max_length=10_000, help_text="Markdown.")
    # The language the body is written in (a code of settings.LANGUAGES), so that pages mark
    # it with `lang`; blank: unknown (comments written before it was asked). No choices: a
    # language added to settings needs no migration; the service checks the code.
    language = models.CharField(_("language"), max_length=8, blank=True)
    # body rendered by registry.core.rendering when written (mentions linked).
    body_html = models.TextField(blank=True, editable=False)
    renderer_version = models.PositiveSmallIntegerField(default=0, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField()
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=EXACTLY_ONE_TARGET,
                                              name="comment_exactly_one_target")]
        indexes = [models.Index(fields=["writeup", "parent", "created_at"],
                                name="comment_writeup_thread_idx"),
                   models.Index(fields=["proposal", "parent", "created_at"],
                                name="comment_proposal_thread_idx"),
                   models.Index(fields=["author", "-created_at"], name="comment_author_idx")]

    def __str__(self):
        """How lists and logs name it (the moderation queue, reports): its first words and
        what it is on, in the active language. Reads the writeup or proposal, so a list
        select_relates them."""
        words = self.excerpt if not self.is_deleted else gettext(COMMENT_DELETED)
        return gettext(COMMENT_NAMED) % {"words": words, "title": self.target.title}

    @property
    def excerpt(self) -> str:
        """Its first words, as written."""
        words = " ".join(self.body.split())
        return words[:60].rstrip() + "…" if len(words) > 60 else words

    def get_absolute_url(self):
        # The permalink: it finds the comment's page of the thread on its writeup or proposal.
        return reverse("feedback:comment", kwargs={"pk": self.pk})

    @property
    def target(self):
        return self.writeup if self.writeup_id else self.proposal

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class CommentVersion(models.Model):
    """What a comment said after each create or edit, numbered from 1."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    body = models.TextField()
    body_html = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["comment", "number"]
        constraints = [models.UniqueConstraint(fields=["comment", "number"],
                                               name="one_comment_version_per_number")]

    def __str__(self):
        return f"comment {self.comment_id} v{self.number}"


class Mention(models.Model):
    """A person named with @username in a comment. Kept for the mentions list; the
    notification goes out only if the person may see the comment's writeup or proposal."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="mentions")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="mentions")
    notified = models.BooleanField(default=False)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["comment", "person"],
                                               name="one_mention_per_comment_and_person")]
        indexes = [models.Index(fields=["person", "-created_at"], name="mention_person_idx")]

    def __str__(self):
        return f"{self.person_id} in comment {self.comment_id}"


class ReviewRequest(models.Model):
    """A named person asked to review a draft writeup, or a proposal in `analysis`, before it
    goes out. Only an accepted reviewer reads a draft; pending → accepted → finished, or
    declined, withdrawn (by an author) or expired (GAPMAP_REVIEW_REQUEST_DAYS). Answered and
    closed requests stay as history."""

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("review request state", "pending")
        ACCEPTED = "accepted", pgettext_lazy("review request state", "accepted")
        DECLINED = "declined", pgettext_lazy("review request state", "declined")
        WITHDRAWN = "withdrawn", pgettext_lazy("review request state", "withdrawn")
        EXPIRED = "expired", pgettext_lazy("review request state", "expired")
        FINISHED = "finished", pgettext_lazy("review request state", "finished")

    writeup = models.ForeignKey("registry.Writeup", null=True, blank=True,
                                on_delete=models.CASCADE, related_name="review_requests")
    proposal = models.ForeignKey("proposals.Proposal", null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="review_requests")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                 related_name="review_requests")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    message = models.TextField(max_length=2000, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    # The reviewer's opt-in, given when finishing, to "reviewed by …" on the published page.
    named = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    reminded_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=EXACTLY_ONE_TARGET,
                                   name="review_request_exactly_one_target"),
            models.UniqueConstraint(fields=["writeup", "reviewer"],
                                    condition=Q(state__in=["pending", "accepted"],
                                                writeup__isnull=False),
                                    name="one_open_review_request_per_writeup_and_reviewer"),
            models.UniqueConstraint(fields=["proposal", "reviewer"],
                                    condition=Q(state__in=["pending", "accepted"],
                                                proposal__isnull=False),
                                    name="one_open_review_request_per_proposal_and_reviewer"),
        ]
        indexes = [models.Index(fields=["state", "expires_at"], name="review_request_due_idx"),
                   models.Index(fields=["reviewer", "state"], name="review_request_inbox_idx")]

    def __str__(self):
        return f"{self.reviewer_id} to review {self.target} ({self.state})"

    @property
    def target(self):
        return self.writeup if self.writeup_id else self.proposal


class ReviewComment(models.Model):
    """A reviewer's comment on a draft, anchored to a paragraph or heading of the version they
    read. `anchor` is the digest of that block's text (registry.feedback.anchors): while a block
    with the same text exists in the current version the comment sits beside it, otherwise it
    says "on an earlier version" and quotes `anchor_text`. Private to authors and reviewers,
    before and after publishing. The author resolves and reopens it."""

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("review comment state", "open")
        RESOLVED = "resolved", pgettext_lazy("review comment state", "resolved")

    request = models.ForeignKey(ReviewRequest, on_delete=models.CASCADE,
                                related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="review_comments")
    version = models.PositiveIntegerField(help_text="The draft's version the reviewer read.")
    anchor = models.CharField(max_length=64, blank=True,
                              help_text="Blank: on the draft as a whole.")
    anchor_text = models.CharField(max_length=300, blank=True)
    body = models.TextField(max_length=10_000, help_text="Markdown.")
    body_html = models.TextField(blank=True, editable=False)
    renderer_version = models.PositiveSmallIntegerField(default=0, editable=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["request", "state"], name="review_comment_state_idx")]

    def __str__(self):
        return f"review comment {self.pk} on request {self.request_id} ({self.state})"
