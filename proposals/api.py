"""Serializers and viewsets for /api/v1/ (proposals part).

Serializers validate shape only; every write goes to a service. `stage`, `owner` and
`version` are read-only everywhere.
"""

import django_filters
from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from proposals import selectors, services
from proposals.models import (
    OwnerInvitation,
    Proposal,
    ProposalEvent,
    Stage,
    WithdrawReason,
)
from registry.caching import ForVisitorsMixin
from registry.concurrency import ETagMixin, expected_version
from registry.discovery.api import FunderInterestActionMixin, FunderInterestCountField
from registry.discovery.selectors import with_funder_interest
from registry.models import Topic, Writeup

User = get_user_model()


def _profile(user):
    """The user's profile, or None for accounts made without one (e.g. in the admin)."""
    try:
        return user.profile
    except User.profile.RelatedObjectDoesNotExist:
        return None


class PersonSerializer(serializers.Serializer):
    username = serializers.CharField(read_only=True)
    name = serializers.SerializerMethodField()
    affiliation = serializers.SerializerMethodField()
    conflict_of_interest = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        profile = _profile(user)
        return profile.name if profile else user.username

    def get_affiliation(self, user) -> str:
        profile = _profile(user)
        return profile.affiliation if profile else ""

    def get_conflict_of_interest(self, user) -> str:
        profile = _profile(user)
        return profile.conflict_of_interest if profile else ""


class ProposalSerializer(serializers.ModelSerializer):
    listed_topics = Topic.objects.filter(state=Topic.State.LISTED)
    topic = serializers.SlugRelatedField(slug_field="slug", queryset=listed_topics)
    related_topics = serializers.SlugRelatedField(slug_field="slug", queryset=listed_topics,
                                                  many=True, required=False)
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    co_authors = serializers.SlugRelatedField(slug_field="username", many=True, required=False,
                                              queryset=User.objects.filter(is_active=True))
    steps = serializers.ListField(child=serializers.CharField(max_length=300), required=False,
                                  max_length=30, help_text="Ordered list of short sentences.")
    supporting_writeups = serializers.PrimaryKeyRelatedField(
        many=True, required=False, help_text="Ids of published writeups.",
        queryset=Writeup.objects.filter(published_at__isnull=False, deleted_at__isnull=True))
    owner = PersonSerializer(read_only=True, allow_null=True)
    missing_for_proposal = serializers.SerializerMethodField(
        help_text="Parts the proposal stage still needs: ask, target, steps.")
    funder_interest = FunderInterestCountField()

    class Meta:
        model = Proposal
        fields = ["id", "title", "topic", "related_topics", "author", "co_authors", "analysis",
                  "analysis_html", "ask", "target", "steps", "cost_range", "time_horizon",
                  "supporting_writeups", "stage", "stage_changed_at", "owner", "withdraw_reason",
                  "missing_for_proposal", "funder_interest", "version", "created_at",
                  "updated_at"]
        read_only_fields = ["analysis_html", "stage", "stage_changed_at", "withdraw_reason",
                            "version"]

    def get_missing_for_proposal(self, proposal) -> list[str]:
        return services.proposal_gate_missing(proposal)


class AdvanceSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=Stage.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    reason = serializers.ChoiceField(choices=WithdrawReason.choices, required=False,
                                     allow_blank=True,
                                     help_text="Required when moving to withdrawn.")


class InviteOwnerSerializer(serializers.Serializer):
    username = serializers.SlugRelatedField(slug_field="username",
                                            queryset=User.objects.filter(is_active=True))


class AnswerSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class OwnerInvitationSerializer(serializers.ModelSerializer):
    invitee = serializers.SlugRelatedField(slug_field="username", read_only=True)
    invited_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = OwnerInvitation
        fields = ["id", "proposal", "invitee", "invited_by", "state", "created_at",
                  "expires_at", "answered_at"]
        read_only_fields = fields


class ProposalEventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)
    subject = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ProposalEvent
        fields = ["id", "kind", "from_stage", "to_stage", "actor", "subject", "note", "reason",
                  "created_at"]
        read_only_fields = fields


class OpenProposalCountsSerializer(serializers.Serializer):
    """Open proposals on a topic (as main or related topic), by stage."""

    analysis = serializers.IntegerField()
    proposal = serializers.IntegerField()
    owner = serializers.IntegerField()


class ProposalFilter(django_filters.FilterSet):
    topic = django_filters.CharFilter(field_name="topic__slug", help_text="Topic slug.")
    stage = django_filters.ChoiceFilter(choices=Stage.choices)
    author = django_filters.CharFilter(field_name="author__username", help_text="Username.")
    owner = django_filters.CharFilter(field_name="owner__username", help_text="Username.")

    class Meta:
        model = Proposal
        fields = ["topic", "stage", "author", "owner"]


def _validated(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class ProposalViewSet(ForVisitorsMixin, FunderInterestActionMixin, ETagMixin, mixins.ListModelMixin,
                      mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Proposals. PATCH honours If-Match (412 when stale); stage changes use `advance`."""

    throttle_scopes = {"create": "post", "partial_update": "post", "update": "post"}

    http_method_names = ["get", "post", "patch", "head", "options"]
    serializer_class = ProposalSerializer
    filterset_class = ProposalFilter

    def get_queryset(self):
        proposals = selectors.proposals_listed().filter(selectors.shown_to(self.request.user))
        if self.action == "interest":  # needs the proposal only, not its related rows
            proposals = proposals.prefetch_related(None)
        return with_funder_interest(proposals, target="proposal")

    def perform_create(self, serializer):
        serializer.instance = services.proposal_create(author=self.request.user,
                                                       **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.proposal_update(
            proposal=serializer.instance, actor=self.request.user,
            expected_version=expected_version(self.request), **serializer.validated_data)

    @extend_schema(request=AdvanceSerializer, responses=ProposalSerializer)
    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        """Move the proposal to another stage (409 invalid_transition, stage_gate or
        stale_version; `owner` is reached only by the invitee accepting)."""
        proposal = self.get_object()
        services.proposal_move(proposal=proposal, actor=request.user,
                               **_validated(AdvanceSerializer, request))
        return Response(self.get_serializer(proposal).data)

    @extend_schema(request=InviteOwnerSerializer, responses={201: OwnerInvitationSerializer})
    @action(detail=True, methods=["post"], url_path="invite-owner")
    def invite_owner(self, request, pk=None):
        invitee = _validated(InviteOwnerSerializer, request)["username"]
        invitation = services.owner_invite(proposal=self.get_object(), invitee=invitee,
                                           actor=request.user)
        return Response(OwnerInvitationSerializer(invitation).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(responses=ProposalEventSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def events(self, request, pk=None):
        """The proposal's whole history, oldest first."""
        events = selectors.proposal_events(self.get_object())
        return Response(ProposalEventSerializer(events, many=True).data)


class OwnerInvitationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                             viewsets.GenericViewSet):
    """Owner invitations the caller may see (as invitee, author or moderator)."""

    serializer_class = OwnerInvitationSerializer

    def get_queryset(self):
        return selectors.invitations_visible_to(self.request.user)

    def _answer(self, request, service):
        invitation = self.get_object()
        service(invitation=invitation, actor=request.user,
                **_validated(AnswerSerializer, request))
        invitation.refresh_from_db()
        return Response(self.get_serializer(invitation).data)

    @extend_schema(request=AnswerSerializer, responses=OwnerInvitationSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """The invitee accepts; the proposal moves to owner with them as its owner."""
        return self._answer(request, services.owner_invitation_accept)

    @extend_schema(request=AnswerSerializer, responses=OwnerInvitationSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._answer(request, services.owner_invitation_decline)

    @extend_schema(request=AnswerSerializer, responses=OwnerInvitationSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """The proposal's authors take the invitation back."""
        return self._answer(request, services.owner_invitation_withdraw)
