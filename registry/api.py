"""Serializers and viewsets for /api/v1/ (registry part)."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from proposals import selectors as proposal_selectors
from proposals.api import OpenProposalCountsSerializer
from proposals.models import Proposal
from registry import selectors, services, track_records
from registry.core.caching import ForVisitorsMixin
from registry.core.concurrency import ETagMixin, expected_version
from registry.core.limits import max_length
from registry.core.pagination import NewestFirstCursorPagination
from registry.discovery.api import FunderInterestActionMixin, FunderInterestCountField
from registry.discovery.models import FunderInterest
from registry.discovery.selectors import with_funder_interest
from registry.models import (
    Claim,
    Cluster,
    Endorsement,
    Recognition,
    Topic,
    TopicStatus,
    Writeup,
    WriteupVersion,
)
from registry.services.languages import active_language


def _translations_field(name: str, *texts: str):
    """The schema of a `translations` field: by language code, the translated `texts`."""
    return serializers.DictField(read_only=True, child=inline_serializer(
        name=name, fields={text: serializers.CharField(required=False) for text in texts}))


def _published_translations(row, texts: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """row.translations as clients may read it: by language, only the translated `texts`
    that are not empty ("edited" and any other bookkeeping stay inside)."""
    shown = {}
    for language, entry in sorted((row.translations or {}).items()):
        kept = {text: entry[text] for text in texts
                if isinstance(entry, dict) and entry.get(text)}
        if kept:
            shown[language] = kept
    return shown


CLUSTER_TRANSLATED = ("name", "description")
TOPIC_TRANSLATED = ("title", "description")


class ClusterSerializer(serializers.ModelSerializer):
    topic_count = serializers.IntegerField(read_only=True)
    # `name` stays the English one clients already key on; the translations come beside it.
    translations = serializers.SerializerMethodField(
        help_text=_("By language code: the cluster's name and description translated."))

    class Meta:
        model = Cluster
        fields = ["slug", "name", "description", "position", "topic_count", "translations"]

    @extend_schema_field(_translations_field("ClusterTranslation", *CLUSTER_TRANSLATED))
    def get_translations(self, cluster) -> dict:
        return _published_translations(cluster, CLUSTER_TRANSLATED)


class TopicSerializer(serializers.ModelSerializer):
    cluster = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    status = serializers.ChoiceField(choices=TopicStatus.choices, read_only=True)
    active_claims = serializers.IntegerField(read_only=True)
    writeups = serializers.IntegerField(source="published_writeups", read_only=True,
                                        help_text=_("How many writeups are published on it."))
    last_activity_at = serializers.DateTimeField(read_only=True, allow_null=True)
    url = serializers.SerializerMethodField()
    open_proposals = serializers.SerializerMethodField()
    funder_interest = FunderInterestCountField()
    # `title` stays the English one clients already key on; the translations come beside it.
    translations = serializers.SerializerMethodField(
        help_text=_("By language code: the topic's title and description translated."))

    class Meta:
        model = Topic
        fields = ["slug", "title", "cluster", "state", "status", "active_claims", "writeups",
                  "last_activity_at", "description", "source", "expert_name",
                  "expert_work_title", "expert_work_url", "url", "open_proposals",
                  "funder_interest", "translations", "created_at",
                  "updated_at"]

    @extend_schema_field(_translations_field("TopicTranslation", *TOPIC_TRANSLATED))
    def get_translations(self, topic) -> dict:
        return _published_translations(topic, TOPIC_TRANSLATED)

    @extend_schema_field(OpenProposalCountsSerializer)
    def get_open_proposals(self, topic) -> dict[str, int]:
        return proposal_selectors.open_proposal_counts(topic)

    def get_url(self, topic) -> str:
        return self.context["request"].build_absolute_uri(topic.get_absolute_url())


class TopicFilter(django_filters.FilterSet):
    cluster = django_filters.CharFilter(field_name="cluster__slug", help_text=_("Cluster slug."))
    status = django_filters.ChoiceFilter(choices=TopicStatus.choices)
    state = django_filters.ChoiceFilter(
        choices=Topic.State.choices,
        help_text=_("Default listed. Suggested and declined topics are visible to their "
                    "suggester and moderators only."),
    )

    class Meta:
        model = Topic
        fields = ["cluster", "status", "state"]


class ClusterViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ClusterSerializer
    lookup_field = "slug"
    queryset = selectors.clusters_with_topics()


class TopicSuggestSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=max_length("topic_suggestion", "title"))
    cluster = serializers.SlugRelatedField(slug_field="slug", queryset=Cluster.objects.all())
    reason = serializers.CharField(max_length=max_length("topic_suggestion", "reason"),
                                   help_text=_("Why the topic matters."))


class ClaimSerializer(serializers.ModelSerializer):
    topic = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    claimant = serializers.SlugRelatedField(source="person", slug_field="username",
                                            read_only=True)

    class Meta:
        model = Claim
        fields = ["id", "topic", "claimant", "plan", "target_date", "state", "last_activity_at",
                  "created_at", "updated_at"]
        read_only_fields = fields


class ClaimCreateSerializer(serializers.Serializer):
    plan = serializers.CharField(max_length=max_length("claim", "plan"),
                                 help_text=_("What you intend to produce, by when."))
    target_date = serializers.DateField(required=False, allow_null=True)


class ClaimReleaseSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=max_length("claim", "note"), required=False,
                                 allow_blank=True, default="")


class ClaimRenewSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=max_length("claim", "note"),
                                 help_text=_("What you have done since."))


class WriteupSerializer(serializers.ModelSerializer):
    topic = serializers.SlugRelatedField(
        slug_field="slug", queryset=Topic.objects.filter(state=Topic.State.LISTED)
    )
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    kind = serializers.ChoiceField(choices=Writeup.Kind.choices)
    # Checked by services.writeups against settings.LANGUAGES, which may grow without a
    # migration or a new schema.
    language = serializers.CharField(
        required=False, allow_blank=True, max_length=8,
        help_text=_("The language the text is written in: a code Gapmap speaks, such as "
                    "“es”, or blank when not known. Left out on create: the request's "
                    "language."))
    url = serializers.SerializerMethodField()

    class Meta:
        model = Writeup
        fields = ["id", "topic", "author", "title", "kind", "body", "body_html", "external_url",
                  "language", "published_at", "version", "comment_count", "url", "created_at",
                  "updated_at"]
        read_only_fields = ["body_html", "published_at", "version", "comment_count",
                            "created_at", "updated_at"]
        # For the schema; services.writeups checks them (registry.core.limits).
        extra_kwargs = {name: {"max_length": max_length("writeup", name)}
                        for name in ("title", "body", "external_url")}

    def get_url(self, writeup) -> str:
        return self.context["request"].build_absolute_uri(writeup.get_absolute_url())


class WriteupUpdateSerializer(WriteupSerializer):
    """The topic of a writeup cannot change."""

    topic = serializers.SlugRelatedField(slug_field="slug", read_only=True)


class WriteupVersionSerializer(serializers.ModelSerializer):
    editor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = WriteupVersion
        fields = ["number", "editor", "title", "kind", "body", "external_url", "created_at"]


def validated(serializer_class, request, **kwargs) -> dict:
    """Validate request.data, raising the API's 400 shape (fields named) when it is bad."""
    serializer = serializer_class(data=request.data, context={"request": request}, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class TopicViewSet(ForVisitorsMixin, FunderInterestActionMixin, mixins.CreateModelMixin,
                   viewsets.ReadOnlyModelViewSet):
    serializer_class = TopicSerializer
    # Budgets shared with the HTML forms (registry.core.throttling).
    throttle_scopes = {"claim": "claim", "create": "post"}
    lookup_field = "slug"
    filterset_class = TopicFilter

    def get_queryset(self):
        topics = selectors.topics_visible_to(self.request.user)
        if self.action in ("claim", "interest"):  # which topic, and whether they may see it:
            return topics  # the response is the claim or interest, not the topic
        if self.action == "list" and "state" not in self.request.query_params:
            topics = topics.filter(state=Topic.State.LISTED)
        return with_funder_interest(proposal_selectors.with_open_proposal_counts(topics))

    def _topic_response(self, topic, status_code):
        topic = self.get_queryset().get(pk=topic.pk)  # with its annotations
        return Response(self.get_serializer(topic).data, status=status_code)

    @extend_schema(request=TopicSuggestSerializer, responses={201: TopicSerializer},
                   summary=_("Suggest a topic (it stays `suggested` until a moderator decides)"))
    def create(self, request, *args, **kwargs):
        data = validated(TopicSuggestSerializer, request)
        topic = services.topic_suggest(person=request.user, **data)
        return self._topic_response(topic, status.HTTP_201_CREATED)

    @extend_schema(request=ClaimCreateSerializer, responses={201: ClaimSerializer},
                   summary=_("Claim this topic"))
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def claim(self, request, slug=None):
        data = validated(ClaimCreateSerializer, request)
        claim = services.claim_create(topic=self.get_object(), person=request.user, **data)
        return Response(ClaimSerializer(claim).data, status=status.HTTP_201_CREATED)


class ClaimFilter(django_filters.FilterSet):
    topic = django_filters.CharFilter(field_name="topic__slug", help_text=_("Topic slug."))
    claimant = django_filters.CharFilter(field_name="person__username", help_text=_("Username."))
    state = django_filters.ChoiceFilter(choices=Claim.State.choices)

    class Meta:
        model = Claim
        fields = ["topic", "claimant", "state"]


class ClaimViewSet(viewsets.ReadOnlyModelViewSet):
    """Claims are public; only the claimant may release or renew one."""

    serializer_class = ClaimSerializer
    filterset_class = ClaimFilter
    queryset = Claim.objects.filter(topic__state=Topic.State.LISTED).select_related(
        "topic", "person")

    @extend_schema(request=ClaimReleaseSerializer, responses={200: ClaimSerializer})
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        data = validated(ClaimReleaseSerializer, request)
        claim = services.claim_release(claim=self.get_object(), actor=request.user, **data)
        return Response(ClaimSerializer(claim).data)

    @extend_schema(request=ClaimRenewSerializer, responses={200: ClaimSerializer})
    @action(detail=True, methods=["post"])
    def renew(self, request, pk=None):
        data = validated(ClaimRenewSerializer, request)
        claim = services.claim_renew(claim=self.get_object(), actor=request.user, **data)
        return Response(ClaimSerializer(claim).data)


class WriteupFilter(django_filters.FilterSet):
    topic = django_filters.CharFilter(field_name="topic__slug", help_text=_("Topic slug."))
    author = django_filters.CharFilter(field_name="author__username", help_text=_("Username."))
    kind = django_filters.ChoiceFilter(choices=Writeup.Kind.choices)

    class Meta:
        model = Writeup
        fields = ["topic", "author", "kind"]


IF_MATCH = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description=_("The ETag you last saw. A stale one gets 412 stale_version; without it the "
                  "change is applied to the current version."),
)


class WriteupViewSet(ForVisitorsMixin, ETagMixin, viewsets.ModelViewSet):
    """Published writeups, plus your own drafts, newest first in keyset pages (follow `next`).
    Single-object responses carry an ETag."""

    serializer_class = WriteupSerializer
    throttle_scopes = {"create": "post", "partial_update": "post", "update": "post",
                       "publish": "post"}
    filterset_class = WriteupFilter
    pagination_class = NewestFirstCursorPagination
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        # One writeup may be a draft shared with the caller for review; the list never
        # holds one (selectors.writeups_visible_to).
        return selectors.writeups_visible_to(
            self.request.user, for_review=self.action != "list").order_by("-created_at", "-id")

    def _writeup_response(self, writeup, status_code=status.HTTP_200_OK):
        self.etag_object = writeup
        return Response(WriteupSerializer(writeup, context=self.get_serializer_context()).data,
                        status=status_code)

    @extend_schema(responses={201: WriteupSerializer})
    def create(self, request, *args, **kwargs):
        data = validated(WriteupSerializer, request)
        data.setdefault("language", active_language())
        writeup = services.writeup_create(author=request.user, **data)
        return self._writeup_response(writeup, status.HTTP_201_CREATED)

    @extend_schema(request=WriteupUpdateSerializer, responses={200: WriteupSerializer},
                   parameters=[IF_MATCH])
    def partial_update(self, request, *args, **kwargs):
        writeup = self.get_object()
        data = validated(WriteupUpdateSerializer, request, partial=True)
        writeup = services.writeup_update(writeup=writeup, editor=request.user,
                                          expected_version=expected_version(request), **data)
        return self._writeup_response(writeup)

    def destroy(self, request, *args, **kwargs):
        services.writeup_delete(writeup=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={200: WriteupSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        writeup = services.writeup_publish(writeup=self.get_object(), actor=request.user)
        return self._writeup_response(writeup)

    @extend_schema(responses={200: WriteupVersionSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None)
    def versions(self, request, pk=None):
        versions = self.get_object().versions.select_related("editor").order_by("-number")
        return Response(WriteupVersionSerializer(versions, many=True).data)


# --- A person's track record ----------------------------------------------------------------

class TrackRecordClaimSerializer(serializers.ModelSerializer):
    topic = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    # A plain string in the schema: a second enum field named "state" with the claim's
    # choices makes drf-spectacular rename ClaimSerializer's enum (ENUM_NAME_OVERRIDES in
    # settings could name it instead).
    state = serializers.CharField(read_only=True, help_text=_("active, released or dormant."))
    topic_title = serializers.CharField(source="topic.title", read_only=True)
    claimed_at = serializers.DateTimeField(source="created_at", read_only=True)
    ended_at = serializers.DateTimeField(
        read_only=True, allow_null=True,
        help_text=_("When it was released or went dormant; null while it is active."))

    class Meta:
        model = Claim
        fields = ["id", "topic", "topic_title", "state", "claimed_at", "last_activity_at",
                  "ended_at"]
        read_only_fields = fields


class TrackRecordWriteupSerializer(serializers.ModelSerializer):
    topic = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Writeup
        fields = ["id", "title", "kind", "topic", "published_at", "url"]
        read_only_fields = fields

    def get_url(self, writeup) -> str:
        return self.context["request"].build_absolute_uri(writeup.get_absolute_url())


class TrackRecordProposalSerializer(serializers.ModelSerializer):
    topic = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    roles = serializers.SerializerMethodField(
        help_text=_("The person's parts in it: author, co-author (accepted), owner."))
    url = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = ["id", "title", "topic", "stage", "stage_changed_at", "roles", "url"]
        read_only_fields = fields

    def get_roles(self, proposal) -> list[str]:
        return track_records.proposal_roles(proposal)

    def get_url(self, proposal) -> str:
        return self.context["request"].build_absolute_uri(proposal.get_absolute_url())


class TrackRecordInterestSerializer(serializers.ModelSerializer):
    topic = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    proposal = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    title = serializers.SerializerMethodField(help_text=_("The topic's or proposal's title."))

    class Meta:
        model = FunderInterest
        fields = ["id", "topic", "proposal", "title", "visibility", "created_at"]
        read_only_fields = fields

    def get_title(self, interest) -> str:
        return (interest.topic or interest.proposal).title


class TrackRecordRecognitionSerializer(serializers.ModelSerializer):
    topic = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    topic_title = serializers.CharField(source="topic.title", read_only=True)
    # Plain strings in the schema, as in TrackRecordClaimSerializer: a second enum named
    # "source" would rename RecognitionSerializer's.
    source = serializers.CharField(read_only=True, help_text=_("endorsements or moderator."))
    writeup = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True,
        help_text=_("The endorsed writeup that is the evidence (source endorsements)."))
    writeup_title = serializers.CharField(source="writeup.title", read_only=True,
                                          allow_null=True, default=None)
    writeup_url = serializers.SerializerMethodField()
    endorsement_count = serializers.SerializerMethodField(
        help_text=_("The writeup's live endorsements (0 for a moderator's recognition)."))

    class Meta:
        model = Recognition
        fields = ["id", "topic", "topic_title", "source", "writeup", "writeup_title",
                  "writeup_url", "endorsement_count", "work_title", "work_url", "reason",
                  "created_at"]
        read_only_fields = fields

    def get_writeup_url(self, recognition) -> str | None:
        if recognition.writeup is None:
            return None
        return self.context["request"].build_absolute_uri(recognition.writeup.get_absolute_url())

    def get_endorsement_count(self, recognition) -> int:
        return len(getattr(recognition.writeup, "evidence", []))


class TrackRecordEndorsementSerializer(serializers.ModelSerializer):
    writeup_title = serializers.CharField(source="writeup.title", read_only=True)
    writeup_url = serializers.SerializerMethodField()
    topic = serializers.SlugRelatedField(source="writeup.topic", slug_field="slug",
                                         read_only=True)
    author = serializers.SlugRelatedField(source="writeup.author", slug_field="username",
                                          read_only=True)
    author_name = serializers.SerializerMethodField(
        help_text=_("The writeup author's display name, or the username when the profile is "
                    "hidden from you."))
    endorser = serializers.SlugRelatedField(slug_field="username", read_only=True)
    endorser_name = serializers.SerializerMethodField(
        help_text=_("The endorser's display name, or the username when the profile is hidden "
                    "from you."))

    class Meta:
        model = Endorsement
        fields = ["id", "writeup", "writeup_title", "writeup_url", "topic", "author",
                  "author_name", "endorser", "endorser_name", "statement", "disclosure",
                  "created_at"]
        read_only_fields = fields

    def get_writeup_url(self, endorsement) -> str:
        return self.context["request"].build_absolute_uri(endorsement.writeup.get_absolute_url())

    def get_author_name(self, endorsement) -> str:
        return selectors.person_name(endorsement.writeup.author, self.context["request"].user)

    def get_endorser_name(self, endorsement) -> str:
        return selectors.person_name(endorsement.endorser, self.context["request"].user)


def _track_record_list(name, item_serializer):
    """The schema of one paged list of a track record."""
    return inline_serializer(name, fields={
        "count": serializers.IntegerField(help_text=_("How many there are in all.")),
        "page": serializers.IntegerField(),
        "num_pages": serializers.IntegerField(),
        "results": item_serializer(many=True),
    })


TRACK_RECORD_RESPONSE = inline_serializer("TrackRecord", fields={
    "username": serializers.CharField(),
    "name": serializers.CharField(help_text=_("The display name, or the username when the "
                                              "profile is hidden from you.")),
    "is_funder": serializers.BooleanField(),
    "claims": _track_record_list("TrackRecordClaims", TrackRecordClaimSerializer),
    "writeups": _track_record_list("TrackRecordWriteups", TrackRecordWriteupSerializer),
    "proposals": _track_record_list("TrackRecordProposals", TrackRecordProposalSerializer),
    "funder_interests": _track_record_list(
        "TrackRecordInterests", TrackRecordInterestSerializer),
    "recognitions": _track_record_list("TrackRecordRecognitions",
                                       TrackRecordRecognitionSerializer),
    "endorsements_received": _track_record_list("TrackRecordEndorsementsReceived",
                                                TrackRecordEndorsementSerializer),
    "endorsements_given": _track_record_list("TrackRecordEndorsementsGiven",
                                             TrackRecordEndorsementSerializer),
})


class TrackRecordView(APIView):
    """A person's track record: claims (active ones first), published writeups (by kind,
    newest first), proposals as author, co-author or owner, a funder's interest, live
    recognitions, and the live endorsements received and given on public writeups. Each
    list pages on its own, 20 to a page, with ?claims_page=, ?writeups_page=,
    ?proposals_page=, ?interests_page=, ?recognitions_page=, ?endorsements_received_page=
    and ?endorsements_given_page=. Drafts, deleted and hidden work, work on hidden
    topics and private interest are left out; you see your own private interest, and your
    own hidden work (moderators see hidden work too)."""

    @extend_schema(responses={200: TRACK_RECORD_RESPONSE}, parameters=[
        OpenApiParameter(f"{name}_page", OpenApiTypes.INT, required=False,
                         description=f"Page of {name.replace('interests', 'funder_interests')}.")
        for name in track_records.LISTS])
    def get(self, request, username):
        person = track_records.person_or_404(username)
        profile = getattr(person, "profile", None)
        is_self = request.user.is_authenticated and request.user.pk == person.pk
        is_funder = bool(profile and profile.is_funder)
        record = track_records.track_record(person, request.user, query=request.query_params,
                                            is_funder=is_funder, with_private_interest=is_self)
        context = {"request": request}

        def listed(page, serializer):
            if page is None:
                return {"count": 0, "page": 1, "num_pages": 1, "results": []}
            return {"count": page.count, "page": page.number, "num_pages": page.num_pages,
                    "results": serializer(page.items, many=True, context=context).data}

        return Response({
            "username": person.username, "name": selectors.person_name(person, request.user),
            "is_funder": is_funder,
            "claims": listed(record.claims, TrackRecordClaimSerializer),
            "writeups": listed(record.writeups, TrackRecordWriteupSerializer),
            "proposals": listed(record.proposals, TrackRecordProposalSerializer),
            "funder_interests": listed(record.interests, TrackRecordInterestSerializer),
            "recognitions": listed(record.recognitions, TrackRecordRecognitionSerializer),
            "endorsements_received": listed(record.endorsements_received,
                                             TrackRecordEndorsementSerializer),
            "endorsements_given": listed(record.endorsements_given,
                                         TrackRecordEndorsementSerializer),
        })
