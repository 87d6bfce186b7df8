"""Serializers and viewsets for /api/v1/ (proposals part).

Serializers validate shape only; every write goes to a service. `stage`, `owner` and
`version` are read-only everywhere.
"""

import django_filters
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.validators import MaxLengthValidator
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from proposals import selectors, services
from proposals.models import (
    CoAuthorInvitation,
    OwnerInvitation,
    Proposal,
    ProposalEvent,
    Stage,
    WithdrawReason,
)
from registry import selectors as registry_selectors
from registry.core.caching import ForVisitorsMixin
from registry.core.concurrency import ETagMixin, expected_version
from registry.core.errors import too_many_message
from registry.core.limits import max_items, max_length
from registry.discovery.api import FunderInterestActionMixin, FunderInterestCountField
from registry.discovery.selectors import with_funder_interest
from registry.models import Topic, Writeup
from registry.services.languages import active_language

User = get_user_model()


class PersonSerializer(serializers.Serializer):
    """A person as the caller may see them: a hidden profile shows others its username as
    the name and no affiliation or disclosure (registry.selectors.profile_visible_to)."""

    username = serializers.CharField(read_only=True)
    name = serializers.SerializerMethodField()
    affiliation = serializers.SerializerMethodField()
    conflict_of_interest = serializers.SerializerMethodField()

    def _profile(self, user):
        """The profile the caller may see, or None (also for accounts made without one)."""
        request = self.context.get("request")
        viewer = request.user if request is not None else AnonymousUser()
        profile = getattr(user, "profile", None)
        return profile if registry_selectors.profile_visible_to(viewer, profile) else None

    def get_name(self, user) -> str:
        profile = self._profile(user)
        return profile.name if profile else user.username

    def get_affiliation(self, user) -> str:
        profile = self._profile(user)
        return profile.affiliation if profile else ""

    def get_conflict_of_interest(self, user) -> str:
        profile = self._profile(user)
        return profile.conflict_of_interest if profile else ""


class CappedManyRelatedField(serializers.ManyRelatedField):
    """A list of related objects that refuses more than `max_length` of them before looking
    any up: each lookup is a query, and 20,000 of them kept a worker past its timeout. The
    service checks the same limit (registry.core.limits); this one is for the cost and the
    schema (maxItems)."""

    def __init__(self, *, max_length: int, **kwargs):
        self.max_length = max_length
        kwargs["validators"] = [*kwargs.get("validators", []), MaxLengthValidator(max_length)]
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, list | tuple) and len(data) > self.max_length:
            raise serializers.ValidationError(too_many_message(self.max_length, len(data)))
        return super().to_internal_value(data)


class CappedListField(serializers.ListField):
    """A ListField that checks its max_length before validating every item."""

    def to_internal_value(self, data):
        if isinstance(data, list | tuple) and self.max_length is not None and (
                len(data) > self.max_length):
            raise serializers.ValidationError(too_many_message(self.max_length, len(data)))
        return super().to_internal_value(data)


def _viewer(field):
    request = field.context.get("request")
    return request.user if request is not None else AnonymousUser()


class VisibleTopicField(serializers.SlugRelatedField):
    """A listed topic the person sending it may see: a hidden one is refused as if it did not
    exist, through the one topic visibility selector."""

    def get_queryset(self):
        return registry_selectors.topics_visible_to(_viewer(self)).filter(
            state=Topic.State.LISTED)


class VisibleWriteupField(serializers.PrimaryKeyRelatedField):
    """A published writeup the person sending it may see (the writeup visibility selector): a
    hidden writeup's id is refused as if it did not exist."""

    def get_queryset(self):
        return registry_selectors.writeups_visible_to(_viewer(self)).filter(
            published_at__isnull=False, deleted_at__isnull=True)


def _capped(relation, name: str, **kwargs) -> CappedManyRelatedField:
    return CappedManyRelatedField(child_relation=relation,
                                  max_length=max_items("proposal", name), **kwargs)


class ProposalSerializer(serializers.ModelSerializer):
    # The querysets name the model for the schema; get_queryset narrows them per person.
    listed_topics = Topic.objects.filter(state=Topic.State.LISTED)
    topic = VisibleTopicField(slug_field="slug", queryset=listed_topics)
    related_topics = _capped(VisibleTopicField(slug_field="slug", queryset=listed_topics),
                             "related_topics", required=False)
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    co_authors = _capped(serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects.filter(is_active=True)),
        "co_authors", required=False, help_text=(
            "Read: the people who accepted an invitation to co-author. Write (the author or a "
            "moderator): everyone who should co-author; each person not yet a co-author or "
            "invited gets an invitation, and anyone left out is removed or has the invitation "
            "withdrawn, so send co_authors_invited along to keep theirs."))
    co_authors_invited = serializers.SerializerMethodField(
        help_text="Usernames of the people invited to co-author who have not answered yet.")
    steps = CappedListField(child=serializers.CharField(max_length=max_length("proposal", "step")),
                            required=False, max_length=max_items("proposal", "steps"),
                            help_text="Ordered list of short sentences.")
    supporting_writeups = _capped(VisibleWriteupField(
        queryset=Writeup.objects.filter(published_at__isnull=False, deleted_at__isnull=True)),
        "supporting_writeups", required=False, help_text="Ids of published writeups.")
    owner = PersonSerializer(read_only=True, allow_null=True)
    missing_for_proposal = serializers.SerializerMethodField(
        help_text="Parts the proposal stage still needs: ask, target, steps.")
    funder_interest = FunderInterestCountField()
    # No max_length or choices here: proposals.services refuses a code Gapmap does not speak,
    # naming `language` (400), and a language added to settings.LANGUAGES needs no change.
    language = serializers.CharField(
        required=False, allow_blank=True, help_text=(
            "The language the text is written in, a code of the site's languages (en, es); "
            "blank: unknown. Omitted on create: the request's language (Accept-Language)."))

    class Meta:
        model = Proposal
        fields = ["id", "title", "language", "topic", "related_topics", "author", "co_authors",
                  "co_authors_invited", "analysis",
                  "analysis_html", "ask", "target", "steps", "cost_range", "time_horizon",
                  "supporting_writeups", "stage", "stage_changed_at", "owner", "withdraw_reason",
                  "missing_for_proposal", "funder_interest", "version", "comment_count",
                  "created_at", "updated_at"]
        read_only_fields = ["analysis_html", "stage", "stage_changed_at", "withdraw_reason",
                            "version", "comment_count"]
        # For the schema; proposals.services checks them (registry.core.limits).
        extra_kwargs = {name: {"max_length": max_length("proposal", name)}
                        for name in services.TEXT_FIELDS}

    def get_missing_for_proposal(self, proposal) -> list[str]:
        return services.proposal_gate_missing(proposal)

    def get_co_authors_invited(self, proposal) -> list[str]:
        return [person.username for person in selectors.co_author_invitees(proposal)]


class AdvanceSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=Stage.choices)
    note = serializers.CharField(required=False, allow_blank=True,
                                 max_length=max_length("proposal", "note"))
    reason = serializers.ChoiceField(choices=WithdrawReason.choices, required=False,
                                     allow_blank=True,
                                     help_text="Required when moving to withdrawn.")


class InviteOwnerSerializer(serializers.Serializer):
    username = serializers.SlugRelatedField(slug_field="username",
                                            queryset=User.objects.filter(is_active=True))


class AnswerSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True,
                                 max_length=max_length("proposal", "note"))


class OwnerInvitationSerializer(serializers.ModelSerializer):
    invitee = serializers.SlugRelatedField(slug_field="username", read_only=True)
    invited_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = OwnerInvitation
        fields = ["id", "proposal", "invitee", "invited_by", "state", "created_at",
                  "expires_at", "answered_at"]
        read_only_fields = fields


class CoAuthorInvitationSerializer(OwnerInvitationSerializer):
    class Meta(OwnerInvitationSerializer.Meta):
        model = CoAuthorInvitation


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
        user = self.request.user
        proposals = selectors.proposals_listed().filter(selectors.shown_to(user))
        if self.action == "interest":  # needs the proposal only, not its related rows
            proposals = proposals.prefetch_related(None)
        else:  # only the writeups and topics the caller may see, and pending invitees
            proposals = selectors.with_relations_visible_to(user, proposals)
        return with_funder_interest(proposals, target="proposal")

    def _as_shown(self, proposal):
        """The proposal read again as a GET shows it to the caller, after a write."""
        return self.get_queryset().get(pk=proposal.pk)

    def perform_create(self, serializer):
        data = {"language": active_language(), **serializer.validated_data}
        serializer.instance = self._as_shown(services.proposal_create(
            author=self.request.user, **data))

    def perform_update(self, serializer):
        serializer.instance = self._as_shown(services.proposal_update(
            proposal=serializer.instance, actor=self.request.user,
            expected_version=expected_version(self.request), **serializer.validated_data))

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

    @extend_schema(request=AnswerSerializer, responses={204: None})
    @action(detail=True, methods=["post"])
    def leave(self, request, pk=None):
        """A co-author stops being one (403 for anyone else); the author is told."""
        services.co_author_leave(proposal=self.get_object(), actor=request.user,
                                 **_validated(AnswerSerializer, request))
        return Response(status=status.HTTP_204_NO_CONTENT)

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
    accept_service = staticmethod(services.owner_invitation_accept)

    def get_queryset(self):
        return selectors.invitations_visible_to(self.request.user,
                                                self.serializer_class.Meta.model)

    def _answer(self, request, service):
        invitation = self.get_object()
        service(invitation=invitation, actor=request.user,
                **_validated(AnswerSerializer, request))
        invitation.refresh_from_db()
        return Response(self.get_serializer(invitation).data)

    @extend_schema(request=AnswerSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """The invitee accepts: an owner invitation moves the proposal to owner with them as
        its owner; a co-author invitation makes them a co-author."""
        return self._answer(request, self.accept_service)

    @extend_schema(request=AnswerSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._answer(request, services.invitation_decline)

    @extend_schema(request=AnswerSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """The proposal's authors take the invitation back (a co-author invitation: the author
        or a moderator)."""
        return self._answer(request, services.invitation_withdraw)


class CoAuthorInvitationViewSet(OwnerInvitationViewSet):
    """Co-author invitations the caller may see (as invitee, author or moderator). They are
    made by naming people in a proposal's co_authors."""

    serializer_class = CoAuthorInvitationSerializer
    accept_service = staticmethod(services.co_author_invitation_accept)
