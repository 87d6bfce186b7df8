"""Proposals, their history (ProposalEvent) and the owner and co-author invitations."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from registry.models import Hideable


class Stage(models.TextChoices):
    # A stage's name (lower case, as in running text); "stage" tells it apart from the
    # same English word elsewhere ("proposal" the stage is not a proposal).
    ANALYSIS = "analysis", pgettext_lazy("stage", "analysis")
    PROPOSAL = "proposal", pgettext_lazy("stage", "proposal")
    OWNER = "owner", pgettext_lazy("stage", "owner")
    ADOPTED = "adopted", pgettext_lazy("stage", "adopted")
    WITHDRAWN = "withdrawn", pgettext_lazy("stage", "withdrawn")


OPEN_STAGES = (Stage.ANALYSIS, Stage.PROPOSAL, Stage.OWNER)
CLOSED_STAGES = (Stage.ADOPTED, Stage.WITHDRAWN)


class WithdrawReason(models.TextChoices):
    DUPLICATE = "duplicate", pgettext_lazy("withdraw reason", "duplicate")
    SUPERSEDED = "superseded", pgettext_lazy("withdraw reason", "superseded")
    INFEASIBLE = "infeasible", pgettext_lazy("withdraw reason", "infeasible")
    DONE_ELSEWHERE = "done_elsewhere", pgettext_lazy("withdraw reason", "done elsewhere")
    OTHER = "other", pgettext_lazy("withdraw reason", "other")


class Proposal(Hideable):
    """A concrete ask on a topic, moved analysis → proposal → owner by services.proposal_move.

    `stage`, `owner` and `version` are written only by services (conditional UPDATEs), never
    by forms, serializers or the admin.
    """

    topic = models.ForeignKey("registry.Topic", on_delete=models.PROTECT,
                              related_name="proposals")
    related_topics = models.ManyToManyField("registry.Topic", blank=True,
                                            related_name="related_proposals")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="authored_proposals")
    co_authors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                        related_name="co_authored_proposals")
    title = models.CharField(max_length=200)
    # The language its text is written in (a code of settings.LANGUAGES), shown as the text's
    # `lang`; blank: unknown (proposals written before it was asked). No choices, so a new
    # language needs no migration: proposals.services checks the code.
    language = models.CharField(_("language"), max_length=8, blank=True)
    analysis = models.TextField(blank=True, help_text=_("Markdown."))
    analysis_html = models.TextField(blank=True, editable=False)
    renderer_version = models.PositiveSmallIntegerField(default=0, editable=False)
    ask = models.TextField(max_length=600, blank=True,
                           help_text=_("The concrete ask, in one or two sentences."))
    target = models.CharField(
        max_length=200, blank=True,
        help_text=_("Who is being asked: a lab, an agency, a standards body…"))
    steps = models.JSONField(default=list, blank=True,
                             help_text=_("Ordered list of short sentences."))
    cost_range = models.CharField(max_length=100, blank=True,
                                  help_text=_("Expected cost range, e.g. “$50k–$200k”."))
    time_horizon = models.CharField(max_length=100, blank=True,
                                    help_text=_("e.g. “6–12 months”."))
    supporting_writeups = models.ManyToManyField("registry.Writeup", blank=True,
                                                 related_name="supporting_proposals")
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.ANALYSIS,
                             editable=False)
    stage_changed_at = models.DateTimeField(editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="owned_proposals",
                              editable=False)
    withdraw_reason = models.CharField(max_length=20, choices=WithdrawReason.choices,
                                       blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    # Comments shown to everyone (not deleted, not hidden); written only by
    # registry.feedback's services, next to the comment they count.
    comment_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-stage_changed_at", "-id"]
        # By stage and topic (the topic stats' counts), carrying what proposals_visible_to
        # asks of each row, so a list's COUNT by stage reads the index alone on PostgreSQL
        # (a scan of 20,000 wide rows took 35 ms).
        indexes = [models.Index(fields=["stage", "topic"], include=["hidden", "author", "id"],
                                name="proposal_stage_visible_idx"),
                   # The board and ?stage= lists, most recently moved first.
                   models.Index(fields=["stage", "-stage_changed_at"],
                                name="proposal_stage_changed_idx"),
                   # The board: each column's count and newest cards from the index alone
                   # (proposals.selectors.board_columns).
                   models.Index(fields=["stage", "hidden", "-stage_changed_at", "-id"],
                                name="proposal_board_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("proposals:detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES


class ProposalEvent(models.Model):
    """One line of a proposal's history. Stage moves have from/to; other kinds leave them
    blank. Rows are only ever added."""

    class Kind(models.TextChoices):
        CREATED = "created", pgettext_lazy("proposal event", "created")
        MOVED = "moved", pgettext_lazy("proposal event", "moved")
        OWNER_INVITED = "owner_invited", pgettext_lazy("proposal event", "owner invited")
        INVITATION_DECLINED = "invitation_declined", pgettext_lazy(
            "proposal event", "invitation declined")
        INVITATION_WITHDRAWN = "invitation_withdrawn", pgettext_lazy(
            "proposal event", "invitation withdrawn")
        INVITATION_EXPIRED = "invitation_expired", pgettext_lazy(
            "proposal event", "invitation expired")
        CO_AUTHOR_INVITED = "co_author_invited", pgettext_lazy(
            "proposal event", "co-author invited")
        CO_AUTHOR_ACCEPTED = "co_author_accepted", pgettext_lazy(
            "proposal event", "co-author invitation accepted")
        CO_AUTHOR_DECLINED = "co_author_declined", pgettext_lazy(
            "proposal event", "co-author invitation declined")
        CO_AUTHOR_WITHDRAWN = "co_author_withdrawn", pgettext_lazy(
            "proposal event", "co-author invitation withdrawn")
        CO_AUTHOR_EXPIRED = "co_author_expired", pgettext_lazy(
            "proposal event", "co-author invitation expired")
        CO_AUTHOR_REMOVED = "co_author_removed", pgettext_lazy(
            "proposal event", "co-author removed")
        CO_AUTHOR_LEFT = "co_author_left", pgettext_lazy("proposal event", "co-author left")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    from_stage = models.CharField(max_length=12, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=12, choices=Stage.choices, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    subject = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+",
                                help_text=_("The person an invitation event is about."))
    note = models.TextField(blank=True)
    reason = models.CharField(max_length=20, choices=WithdrawReason.choices, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["proposal", "created_at"],
                                name="proposalevent_history_idx")]

    def __str__(self):
        return f"{self.proposal_id} {self.kind} {self.from_stage}→{self.to_stage}"


class Invitation(models.Model):
    """What owner and co-author invitations share: a person asked to take a part in a
    proposal, who takes it only by accepting before `expires_at`. Answered, withdrawn and
    expired invitations stay as history; services change `state` with conditional UPDATEs."""

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("invitation state", "pending")
        ACCEPTED = "accepted", pgettext_lazy("invitation state", "accepted")
        DECLINED = "declined", pgettext_lazy("invitation state", "declined")
        WITHDRAWN = "withdrawn", pgettext_lazy("invitation state", "withdrawn")
        EXPIRED = "expired", pgettext_lazy("invitation state", "expired")

    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]


class OwnerInvitation(Invitation):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE,
                                 related_name="owner_invitations")
    invitee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="owner_invitations")

    class Meta(Invitation.Meta):
        constraints = [
            models.UniqueConstraint(fields=["proposal"], condition=Q(state="pending"),
                                    name="one_pending_owner_invitation_per_proposal"),
        ]

    def __str__(self):
        return f"{self.invitee} to own {self.proposal} ({self.state})"


class CoAuthorInvitation(Invitation):
    """An invitation to co-author. Proposal.co_authors holds only people who accepted one
    (services.co_author_invitation_accept); naming someone on a proposal only invites them."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE,
                                 related_name="co_author_invitations")
    invitee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="co_author_invitations")

    class Meta(Invitation.Meta):
        constraints = [
            models.UniqueConstraint(fields=["proposal", "invitee"], condition=Q(state="pending"),
                                    name="one_pending_co_author_invitation_per_person"),
        ]

    def __str__(self):
        return f"{self.invitee} to co-author {self.proposal} ({self.state})"
