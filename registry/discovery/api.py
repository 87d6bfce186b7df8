"""API for discovery: gaps, search, funder interest (an action on topics and proposals)."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from registry.core.caching import ForVisitorsMixin
from registry.discovery import search, selectors, services
from registry.discovery.models import FunderInterest, SearchEntry
from registry.models import Cluster, Topic


@extend_schema_field(OpenApiTypes.INT)
class FunderInterestCountField(serializers.ReadOnlyField):
    """How many funders have a live interest (public or private), from the queryset's
    `funder_interest` annotation (selectors.with_funder_interest) when present."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("How many funders have registered interest (public "
                                         "and private)."))
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        if hasattr(instance, "funder_interest"):
            return instance.funder_interest
        return instance.funder_interests.filter(selectors.LIVE).count()


# --- Funder interest ----------------------------------------------------------------------

class InterestSerializer(serializers.ModelSerializer):
    funder = serializers.SlugRelatedField(slug_field="username", read_only=True)
    visibility = serializers.ChoiceField(choices=FunderInterest.Visibility.choices,
                                         default=FunderInterest.Visibility.PUBLIC)

    class Meta:
        model = FunderInterest
        fields = ["id", "funder", "note", "amount_range", "visibility", "created_at"]
        read_only_fields = ["id", "funder", "created_at"]
        extra_kwargs = {"note": {"max_length": 2000}, "amount_range": {"max_length": 100}}


def _target(obj) -> dict:
    return {"topic": obj} if isinstance(obj, Topic) else {"proposal": obj}


class FunderInterestActionMixin:
    """Adds /{lookup}/interest/ to the topic and proposal viewsets. GET lists the interest
    the caller may see; POST registers or changes the caller's; DELETE withdraws it."""

    @extend_schema(methods=["GET"], request=None, responses=InterestSerializer(many=True),
                   summary="Funder interest you may see (private ones: moderators, claimants, "
                           "authors)")
    @extend_schema(methods=["POST"], request=InterestSerializer,
                   responses={200: InterestSerializer, 201: InterestSerializer},
                   summary="Register or change your interest as a funder (403 not_a_funder)")
    @extend_schema(methods=["DELETE"], request=None, responses={204: None},
                   summary="Withdraw your interest (403 not_a_funder, 404 when there is none)")
    @action(detail=True, methods=["get", "post", "delete"], pagination_class=None,
            filter_backends=[], permission_classes=[AllowAny])
    def interest(self, request, **kwargs):
        target = _target(self.get_object())
        if request.method == "GET":
            interests = selectors.interests_visible_to(request.user, **target)
            return Response(InterestSerializer(interests, many=True).data)
        if not request.user.is_authenticated:
            self.permission_denied(request)
        if request.method == "DELETE":
            services.interest_withdraw(funder=request.user, **target)
            return Response(status=status.HTTP_204_NO_CONTENT)
        serializer = InterestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        interest, created = services.interest_register(funder=request.user, **target,
                                                       **serializer.validated_data)
        return Response(InterestSerializer(interest).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


# --- Gaps ---------------------------------------------------------------------------------

class EarlierClaimsSerializer(serializers.Serializer):
    released = serializers.IntegerField()
    dormant = serializers.IntegerField()


class GapSerializer(serializers.Serializer):
    topic = serializers.CharField(source="topic.slug")
    title = serializers.CharField(source="topic.title")
    cluster = serializers.CharField(source="topic.cluster.slug")
    url = serializers.SerializerMethodField()
    days_unclaimed = serializers.IntegerField()
    earlier_claims = serializers.SerializerMethodField()
    published_writeups = serializers.IntegerField()
    open_proposals = serializers.IntegerField()
    funder_interest = serializers.IntegerField()
    neglect_score = serializers.IntegerField(help_text=selectors.NEGLECT_FORMULA)

    def get_url(self, gap) -> str:
        return self.context["request"].build_absolute_uri(gap.topic.get_absolute_url())

    @extend_schema_field(EarlierClaimsSerializer)
    def get_earlier_claims(self, gap) -> dict:
        return {"released": gap.released_claims, "dormant": gap.dormant_claims}


class AtRiskSerializer(serializers.Serializer):
    topic = serializers.CharField(source="topic.slug")
    title = serializers.CharField(source="topic.title")
    cluster = serializers.CharField(source="topic.cluster.slug")
    days_until_dormant = serializers.IntegerField()


CLUSTER = OpenApiParameter("cluster", OpenApiTypes.STR, description="Cluster slug.")


class GapListView(ForVisitorsMixin, generics.ListAPIView):
    serializer_class = GapSerializer
    pagination_class = PageNumberPagination
    filter_backends = []

    @extend_schema(parameters=[CLUSTER], summary="Topics nobody is working on",
                   description="Every listed topic whose status is gap, most neglected first. "
                               f"Neglect score = {selectors.NEGLECT_FORMULA}.")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        # Also what the browsable API's renderer asks for; without it, text/html was a 500.
        return selectors.gap_topics(cluster=self.request.query_params.get("cluster") or None)

    def list(self, request, *args, **kwargs):
        rows = selectors.gaps(self.paginate_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


class AtRiskListView(APIView):
    # A plain APIView: at_risk is a list, not a queryset, and a generic view without one
    # made the browsable API's renderer (text/html, ?format=api) a 500.

    @extend_schema(parameters=[CLUSTER], responses=AtRiskSerializer(many=True),
                   summary="Claimed topics whose every active claim is near dormancy")
    def get(self, request):
        rows = selectors.at_risk(cluster=request.query_params.get("cluster") or None)
        return Response(AtRiskSerializer(rows, many=True).data)


# --- Search -------------------------------------------------------------------------------

class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=200, default="",
                              help_text=_("Words to find; an empty query finds nothing."))
    kind = serializers.ChoiceField(choices=SearchEntry.Kind.choices, required=False)
    cluster = serializers.SlugField(required=False, help_text=_("Cluster slug."))
    status = serializers.CharField(required=False, max_length=12,
                                   help_text=_("A topic's status, a proposal's stage or a "
                                               "writeup's kind."))


class SearchResultSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="object_id")
    cluster = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    url = serializers.SerializerMethodField()
    rank = serializers.FloatField()
    snippet = serializers.SerializerMethodField(
        help_text=_("HTML: escaped text with the matched words inside <mark>."))

    class Meta:
        model = SearchEntry
        fields = ["kind", "id", "title", "url", "cluster", "status", "snippet", "rank",
                  "updated_at"]

    def get_url(self, entry) -> str:
        return self.context["request"].build_absolute_uri(entry.url)

    def get_snippet(self, entry) -> str:
        return search.snippet(entry, self.context["q"])


class SearchPagination(BasePagination):
    """`?page=N` pages with `next`/`previous` links and no `count`: search is top-N
    (search.result_page fetches one row more than a page to know if another follows)."""

    def paginate_queryset(self, queryset, request, view=None):
        number = request.query_params.get("page", "1")
        # isascii: "²" and other Unicode digits pass isdigit() but not int().
        if not (number.isascii() and number.isdigit()) or int(number) < 1:
            raise NotFound(gettext("Invalid page."))
        self.request = request
        self.page = search.result_page(queryset, number=int(number), per_page=search.PER_PAGE)
        return self.page.entries

    def _link(self, number):
        return replace_query_param(self.request.build_absolute_uri(), "page", number)

    def get_paginated_response(self, data):
        page = self.page
        return Response({
            "next": self._link(page.number + 1) if page.has_next else None,
            "previous": self._link(page.number - 1) if page.has_previous else None,
            "results": data,
        })

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "format": "uri", "nullable": True}
        return {"type": "object", "required": ["next", "previous", "results"],
                "properties": {
                    "next": {**link, "example": "http://api.example.org/search/?q=x&page=3"},
                    "previous": {**link, "example": "http://api.example.org/search/?q=x&page=1"},
                    "results": schema}}

    def get_schema_operation_parameters(self, view):
        return [{"name": "page", "required": False, "in": "query",
                 "description": "A page number within the results (from 1).",
                 "schema": {"type": "integer", "minimum": 1}}]


class SearchView(ForVisitorsMixin, generics.ListAPIView):
    serializer_class = SearchResultSerializer
    pagination_class = SearchPagination
    filter_backends = []

    @extend_schema(parameters=[SearchQuerySerializer], summary="Search topics, writeups and "
                   "proposals", description=search.__doc__)
    def get(self, request, *args, **kwargs):
        params = SearchQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        self.filters = search.SearchFilters(**params.validated_data)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return search.search_entries(self.filters)

    def get_serializer_context(self):
        filters = getattr(self, "filters", None)  # absent while the schema is generated
        return {**super().get_serializer_context(), "q": filters.q if filters else ""}


# --- Alerts -------------------------------------------------------------------------------

class AlertSerializer(serializers.Serializer):
    cluster = serializers.SlugRelatedField(slug_field="slug", queryset=Cluster.objects.all(),
                                           allow_null=True, required=False, default=None,
                                           help_text=_("Cluster slug; null for every "
                                                       "cluster."))


class FunderAlertView(generics.GenericAPIView):
    """The caller's alerts: a funder hears when a topic becomes a gap, or a proposal gains an
    owner, in a watched cluster (null: every cluster)."""

    serializer_class = AlertSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        # Also what the browsable API's renderer asks for; without it, text/html was a 500.
        return selectors.alerts_of(self.request.user)

    @extend_schema(responses=AlertSerializer(many=True))
    def get(self, request):
        return Response(self.get_serializer(self.get_queryset(), many=True).data)

    @extend_schema(request=AlertSerializer, responses={201: AlertSerializer})
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        alert = services.alert_subscribe(funder=request.user, **serializer.validated_data)
        return Response(self.get_serializer(alert).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AlertSerializer, responses={204: None})
    def delete(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.alert_unsubscribe(funder=request.user, **serializer.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)
