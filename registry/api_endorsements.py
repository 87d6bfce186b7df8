"""Serializers and views for frontier endorsements and recognitions under /api/v1/:
writeups/{id}/endorsements/, endorsements/ (retract, void) and recognitions/ (record, end).

Each write is one service call; the services hold every rule (permissions.endorse_refusal
for who may endorse) and their refusals come back in the API's error shape with stable
codes: cannot_endorse_own_work and no_standing (403), already_endorsed, not_endorsable,
endorsement_not_live, recognition_not_live, recognition_from_endorsements (409).
"""

import django_filters
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.views import APIView

from registry import selectors, services
from registry.api import validated
from registry.core.limits import max_length
from registry.models import Endorsement, Recognition, Topic


class EndorsementSerializer(serializers.ModelSerializer):
    writeup = serializers.PrimaryKeyRelatedField(read_only=True)
    topic = serializers.SlugRelatedField(source="writeup.topic", slug_field="slug",
                                         read_only=True)
    author = serializers.SlugRelatedField(source="writeup.author", slug_field="username",
                                          read_only=True)
    endorser = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Endorsement
        fields = ["id", "writeup", "topic", "author", "endorser", "statement", "disclosure",
                  "state", "created_at"]
        read_only_fields = fields


class EndorsementCreateSerializer(serializers.Serializer):
    statement = serializers.CharField(
        max_length=max_length("endorsement", "statement"), trim_whitespace=False,
        help_text=_("What the work moved forward, 40 to 2,000 characters. Public."))
    disclosure = serializers.CharField(
        max_length=max_length("endorsement", "disclosure"), required=False, allow_blank=True,
        allow_null=True, default=None,
        help_text=_("Your conflicts of interest. Left out, your profile's disclosure is used."))


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=max_length("recognition", "reason"),
                                   help_text=_("Why (kept in the topic's history)."))


class WriteupEndorsementsView(APIView):
    """The live frontier endorsements of a writeup you may see (GET), and endorsing it (POST).
    Who may endorse: not its author; someone with standing (published work in the same
    cluster, a recognition anywhere, or a moderator); once per person."""

    permission_classes = [IsAuthenticatedOrReadOnly]
    throttle_scope = "post"

    def _writeup(self, request, pk):
        return get_object_or_404(selectors.writeups_visible_to(request.user), pk=pk)

    def get_throttles(self):
        return super().get_throttles() if self.request.method == "POST" else []

    @extend_schema(responses={200: EndorsementSerializer(many=True)},
                   summary=_("Live endorsements of a writeup, oldest first"))
    def get(self, request, pk):
        endorsements = selectors.writeup_endorsements(self._writeup(request, pk))
        return Response(EndorsementSerializer(endorsements, many=True).data)

    @extend_schema(request=EndorsementCreateSerializer,
                   responses={201: EndorsementSerializer}, summary=_("Endorse a writeup"))
    def post(self, request, pk):
        data = validated(EndorsementCreateSerializer, request)
        endorsement = services.endorsement_create(writeup=self._writeup(request, pk),
                                                  endorser=request.user, **data)
        return Response(EndorsementSerializer(endorsement).data, status=status.HTTP_201_CREATED)


class EndorsementFilter(django_filters.FilterSet):
    endorser = django_filters.CharFilter(field_name="endorser__username",
                                         help_text=_("Endorsements given by this username."))
    author = django_filters.CharFilter(field_name="writeup__author__username",
                                       help_text=_("Endorsements received by this username."))
    topic = django_filters.CharFilter(field_name="writeup__topic__slug", help_text=_("Topic slug."))

    class Meta:
        model = Endorsement
        fields = ["endorser", "author", "topic"]


class EndorsementViewSet(viewsets.ReadOnlyModelViewSet):
    """Live endorsements of public writeups, newest first; filter by who gave or received
    them. The endorser may retract theirs; moderators may void any, with a reason."""

    serializer_class = EndorsementSerializer
    filterset_class = EndorsementFilter
    throttle_scopes = {"retract": "post", "void": "post"}

    def get_queryset(self):
        if self.action in ("retract", "void"):  # its state decides, in the service
            return Endorsement.objects.select_related("writeup__topic", "endorser")
        return selectors.public_endorsements()

    @extend_schema(request=None, responses={200: EndorsementSerializer},
                   summary=_("Retract your endorsement"))
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def retract(self, request, pk=None):
        endorsement = services.endorsement_retract(endorsement=self.get_object(),
                                                   actor=request.user)
        return Response(EndorsementSerializer(endorsement).data)

    @extend_schema(request=ReasonSerializer, responses={200: EndorsementSerializer},
                   summary=_("Void an endorsement (moderators)"))
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def void(self, request, pk=None):
        data = validated(ReasonSerializer, request)
        endorsement = services.endorsement_void(endorsement=self.get_object(),
                                                moderator=request.user, **data)
        return Response(EndorsementSerializer(endorsement).data)


class RecognitionSerializer(serializers.ModelSerializer):
    topic = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    cluster = serializers.SlugRelatedField(source="topic.cluster", slug_field="slug",
                                           read_only=True)
    person = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                          allow_null=True)
    name = serializers.SerializerMethodField(
        help_text=_("The recorded name, or the person's public name."))
    writeup = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text=_("The endorsed writeup that is the evidence."))
    endorsements = serializers.SerializerMethodField(
        help_text=_("The live endorsements of that writeup."))

    class Meta:
        model = Recognition
        fields = ["id", "topic", "cluster", "person", "name", "work_title", "work_url",
                  "writeup", "endorsements", "reason", "source", "created_at", "ended_at",
                  "end_reason"]
        read_only_fields = fields

    def get_name(self, recognition) -> str:
        if recognition.person is None:
            return recognition.name
        return recognition.name or selectors.person_name(recognition.person,
                                                         self.context["request"].user)

    def get_endorsements(self, recognition) -> list[int]:
        return [e.pk for e in getattr(recognition.writeup, "evidence", [])]


class RecognitionCreateSerializer(serializers.Serializer):
    topic = serializers.SlugRelatedField(
        slug_field="slug", queryset=Topic.objects.filter(state=Topic.State.LISTED))
    name = serializers.CharField(max_length=max_length("recognition", "name"), required=False,
                                 allow_blank=True, default="",
                                 help_text=_("Required unless `person` names an account."))
    person = serializers.SlugRelatedField(
        slug_field="username", queryset=get_user_model().objects.filter(is_active=True),
        required=False, allow_null=True, default=None)
    work_title = serializers.CharField(max_length=max_length("recognition", "work_title"))
    work_url = serializers.URLField(max_length=max_length("recognition", "work_url"),
                                    required=False, allow_blank=True, default="")
    reason = serializers.CharField(max_length=max_length("recognition", "reason"))


class RecognitionFilter(django_filters.FilterSet):
    topic = django_filters.CharFilter(field_name="topic__slug", help_text=_("Topic slug."))
    cluster = django_filters.CharFilter(field_name="topic__cluster__slug",
                                        help_text=_("Cluster slug."))
    person = django_filters.CharFilter(field_name="person__username", help_text=_("Username."))

    class Meta:
        model = Recognition
        fields = ["topic", "cluster", "person"]


class RecognitionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Recognised expertise, newest first: live ones unless ?include_ended=true. Moderators
    record one for work done elsewhere, and end a recorded one; one earned through
    endorsements ends only when they drop below the threshold."""

    serializer_class = RecognitionSerializer
    filterset_class = RecognitionFilter
    throttle_scopes = {"create": "post", "end": "post"}

    def get_queryset(self):
        if self.action == "end":
            return Recognition.objects.select_related("topic")
        ended = self.request.query_params.get("include_ended") in ("true", "1")
        return selectors.public_recognitions(live=not ended)

    def _response(self, recognition, status_code):
        recognition = selectors.public_recognitions(live=False).get(pk=recognition.pk)
        return Response(self.get_serializer(recognition).data, status=status_code)

    @extend_schema(request=RecognitionCreateSerializer, responses={201: RecognitionSerializer},
                   summary=_("Record a recognition for work done elsewhere (moderators)"))
    def create(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            self.permission_denied(request)
        data = validated(RecognitionCreateSerializer, request)
        recognition = services.recognition_record(moderator=request.user, **data)
        return self._response(recognition, status.HTTP_201_CREATED)

    @extend_schema(request=ReasonSerializer, responses={200: RecognitionSerializer},
                   summary=_("End a recorded recognition (moderators)"))
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def end(self, request, pk=None):
        data = validated(ReasonSerializer, request)
        recognition = services.recognition_end(recognition=self.get_object(),
                                               moderator=request.user, **data)
        return self._response(recognition, status.HTTP_200_OK)


class ExpertClaimantSerializer(serializers.Serializer):
    topic = serializers.CharField(source="topic.slug")
    cluster = serializers.CharField(source="topic.cluster.slug")
    person = serializers.CharField(source="person.username")
    name = serializers.SerializerMethodField()
    claimed_at = serializers.DateTimeField(source="created_at")
    writeups = serializers.SerializerMethodField(help_text=_("Their public writeups on it."))

    def get_name(self, claim) -> str:
        return selectors.person_name(claim.person, self.context["request"].user)

    def get_writeups(self, claim) -> list[int]:
        return [writeup.pk for writeup in claim.work]


ExpertsSerializer = inline_serializer("Experts", {
    "recognised": RecognitionSerializer(many=True),
    "claimants": ExpertClaimantSerializer(many=True)})


class ExpertsView(APIView):
    """Who knows about a topic: live recognitions with their evidence, and active claimants
    with published work on it (the /experts/ page). Filter by cluster and topic slugs,
    `status` (recognised or claimants), and `q` (names, affiliations, topics)."""

    @extend_schema(responses=ExpertsSerializer, parameters=[
        OpenApiParameter("cluster", str), OpenApiParameter("topic", str),
        OpenApiParameter("status", str, enum=["recognised", "claimants"]),
        OpenApiParameter("q", str)])
    def get(self, request):
        params = request.query_params
        recognised, claimants = selectors.experts_search(
            cluster=params.get("cluster") or None, topic=params.get("topic") or None,
            status=params.get("status") or "", q=params.get("q", ""))
        context = {"request": request}
        return Response({
            "recognised": RecognitionSerializer(recognised[:100], many=True,
                                                context=context).data,
            "claimants": ExpertClaimantSerializer(claimants[:100], many=True,
                                                  context=context).data})
