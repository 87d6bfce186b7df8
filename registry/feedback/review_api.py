"""Review requests and review comments in /api/v1/.

review-requests/ lists the caller's requests, as reviewer or as author (?role=, ?state=), and
asks someone (POST); one request's accept, decline, finish ({named}) and withdraw; its review
comments (GET, POST). review-comments/?writeup=|proposal= lists every review comment on a
draft (POST adds one under the caller's accepted request); review-comments/{id}/resolve/ and
reopen/. review-suggestions/ says whom to ask and why; review-blocks/ gives the current
version's paragraphs with their anchors (what a review comment's `anchor` names).

Each write is one service call, and its refusals come back in the API's error shape with
stable codes: not_a_reviewer, not_an_author (403); request_not_pending,
request_not_accepted, request_closed, not_reviewable, already_invited, stale_version,
invalid_transition (409); reviewer_is_author, reviewer_inactive, anchor_not_found (400). A
draft the caller may not see, or a review they are not part of, is 404, never 403.
"""

import django_filters
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from registry.core.limits import max_length
from registry.feedback import anchors
from registry.feedback.models import ReviewComment, ReviewRequest
from registry.feedback.permissions import reviews as permissions
from registry.feedback.selectors import reviews as selectors
from registry.feedback.services import reviews as services
from registry.selectors import person_name

State = ReviewRequest.State
MAX_ID = 2**63 - 1


def _name(serializer, person) -> str:
    return person_name(person, serializer.context["request"].user) if person else ""


class ReviewRequestSerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField(help_text="The draft's or proposal's title.")
    reviewer = serializers.SlugRelatedField(slug_field="username", read_only=True)
    reviewer_name = serializers.SerializerMethodField(
        help_text="The reviewer's display name (the username when their profile is hidden "
                  "from you).")
    invited_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    invited_by_name = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField(help_text="The request's page.")

    class Meta:
        model = ReviewRequest
        fields = ["id", "writeup", "proposal", "title", "reviewer", "reviewer_name",
                  "invited_by", "invited_by_name", "message", "state", "named", "created_at",
                  "expires_at", "reminded_at", "answered_at", "finished_at", "url"]
        read_only_fields = fields

    def get_title(self, review_request) -> str:
        return review_request.target.title

    def get_reviewer_name(self, review_request) -> str:
        return _name(self, review_request.reviewer)

    def get_invited_by_name(self, review_request) -> str:
        return _name(self, review_request.invited_by)

    def get_url(self, review_request) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("feedback:review-request", kwargs={"pk": review_request.pk}))


@extend_schema_field({"oneOf": [{"type": "integer", "minimum": 1, "maximum": MAX_ID},
                                {"type": "string", "maxLength": 150}],
                      "description": "The person to ask: their id (a number) or their "
                                     "username (a string)."})
class PersonField(serializers.Field):
    """A person by id (a JSON number) or by username (a string), never guessed between: a
    string is always a username."""

    default_error_messages = {
        "missing": gettext_lazy("No one has this id or username."),
        "invalid": gettext_lazy("Give the person's id as a number or their username as a "
                                "string."),
    }

    def to_internal_value(self, data):
        people = get_user_model().objects.select_related("profile")
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("invalid")
        if isinstance(data, int):
            found = people.filter(pk=data).first() if 1 <= data <= MAX_ID else None
        else:
            found = people.filter(username=data.strip().lstrip("@")).first() if len(
                data) <= 150 else None
        if found is None:
            self.fail("missing")
        return found

    def to_representation(self, value):
        return value.username


class TargetSerializer(serializers.Serializer):
    """Exactly one of a writeup's or a proposal's id."""

    writeup = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    proposal = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)

    def validate(self, data):
        if ("writeup" in data) == ("proposal" in data):
            raise serializers.ValidationError(gettext("Give exactly one of writeup and proposal."))
        return data


class ReviewRequestCreateSerializer(TargetSerializer):
    reviewer = PersonField()
    message = serializers.CharField(
        required=False, allow_blank=True, default="",
        max_length=max_length("review_request", "message"),
        help_text="Optional: what to look at, and by when. Only the reviewer sees it.")


class ReviewFinishSerializer(serializers.Serializer):
    named = serializers.BooleanField(
        default=False, help_text="Name me as a reviewer on the published page.")


class ReviewCommentSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    author_name = serializers.SerializerMethodField()
    resolved_by = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                               allow_null=True)
    on_current_version = serializers.SerializerMethodField(
        help_text="False when its paragraph is no longer in the current version (it is then "
                  "on an earlier version, quoting anchor_text).")

    class Meta:
        model = ReviewComment
        fields = ["id", "request", "author", "author_name", "version", "anchor",
                  "anchor_text", "body", "body_html", "state", "resolved_by", "resolved_at",
                  "created_at", "on_current_version"]
        read_only_fields = fields

    def get_author_name(self, comment) -> str:
        return _name(self, comment.author)

    def get_on_current_version(self, comment) -> bool:
        current = self.context.get("current_anchors")
        return not comment.anchor or current is None or comment.anchor in current


class ReviewCommentCreateSerializer(serializers.Serializer):
    anchor = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=64,
        help_text="A paragraph of the current version (review-blocks/); blank: the draft as "
                  "a whole.")
    body = serializers.CharField(max_length=max_length("review_comment", "body"),
                                 help_text="Markdown.")
    version = serializers.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1,
        help_text="The version you read; 409 stale_version when it has changed since.")


class ReviewCommentTargetCreateSerializer(TargetSerializer, ReviewCommentCreateSerializer):
    pass


class SuggestionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="person.pk")
    username = serializers.CharField(source="person.username")
    name = serializers.SerializerMethodField()
    reason = serializers.CharField(help_text="Why: “recognised on …” or “published on …”.")

    def get_name(self, suggestion) -> str:
        return _name(self, suggestion.person)


class BlockSerializer(serializers.Serializer):
    anchor = serializers.CharField()
    text = serializers.CharField()
    tag = serializers.CharField()


class BlocksSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    blocks = BlockSerializer(many=True)


def _validated(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _target(request, data, *, reviews: bool):
    """The writeup or proposal `data` names, as selectors.review_target finds it (404)."""
    kind = "writeup" if "writeup" in data else "proposal"
    return selectors.review_target(request.user, kind, data[kind], reviews=reviews)


TARGET_PARAMETERS = [
    OpenApiParameter("writeup", OpenApiTypes.INT, description="A draft writeup's id."),
    OpenApiParameter("proposal", OpenApiTypes.INT, description="A proposal's id."),
]


def _comments_response(view, target, comments):
    current = {block.anchor for block in anchors.blocks(selectors.current_html(target))}
    page = view.paginate_queryset(comments)
    serializer = ReviewCommentSerializer(page, many=True, context={
        **view.get_serializer_context(), "current_anchors": current})
    return view.get_paginated_response(serializer.data)


class ReviewRequestFilter(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(
        choices=[("reviewer", "reviewer"), ("author", "author")], method="by_role",
        help_text="reviewer: requests to you; author: requests on what you wrote.")
    state = django_filters.ChoiceFilter(choices=State.choices)

    class Meta:
        model = ReviewRequest
        fields = ["role", "state"]

    def by_role(self, queryset, name, value):
        mine = {"reviewer": self.request.user}
        return queryset.filter(**mine) if value == "reviewer" else queryset.exclude(**mine)


class ReviewRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                           viewsets.GenericViewSet):
    """Review requests to you or on what you wrote, newest first."""

    serializer_class = ReviewRequestSerializer
    permission_classes = [IsAuthenticated]
    lookup_value_regex = r"[0-9]+"
    filterset_class = ReviewRequestFilter
    throttle_scopes = {name: "post" for name in (
        "create", "accept", "decline", "withdraw", "finish", "comments_create")}

    def get_queryset(self):
        return selectors.requests_visible_to(self.request.user).order_by("-created_at", "-id")

    def _answer(self, service, **extra):
        review_request = self.get_object()
        service(review_request=review_request, actor=self.request.user, **extra)
        return Response(self.get_serializer(review_request).data)

    @extend_schema(request=ReviewRequestCreateSerializer,
                   responses={201: ReviewRequestSerializer},
                   summary="Ask someone to review a draft or a proposal in analysis")
    def create(self, request):
        """The draft's authors ask a person (by id or username); they hear of it and see
        only the title, who asks and the message until they accept."""
        data = _validated(ReviewRequestCreateSerializer, request.data)
        review_request = services.review_request_create(
            target=_target(request, data, reviews=False), reviewer=data["reviewer"],
            actor=request.user, message=data["message"])
        return Response(self.get_serializer(review_request).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=None, summary="Accept (the reviewer): you then read the draft")
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._answer(services.review_request_accept)

    @extend_schema(request=None, summary="Decline (the reviewer)")
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._answer(services.review_request_decline)

    @extend_schema(request=None, summary="Withdraw (an author)")
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._answer(services.review_request_withdraw)

    @extend_schema(request=ReviewFinishSerializer,
                   summary="Finish (the reviewer), opting in or not to be named")
    @action(detail=True, methods=["post"])
    def finish(self, request, pk=None):
        return self._answer(services.review_request_finish,
                            **_validated(ReviewFinishSerializer, request.data))

    def _reviewed(self):
        """The request and its draft, when the caller sees the review (else 404)."""
        review_request = self.get_object()
        target = review_request.target
        return review_request, selectors.review_target(
            self.request.user, selectors.kind_of(target), target.pk)

    @extend_schema(responses={200: ReviewCommentSerializer(many=True)},
                   summary="The review comments made under this request, oldest first")
    @action(detail=True, methods=["get"])
    def comments(self, request, pk=None):
        review_request, target = self._reviewed()
        return _comments_response(self, target, selectors.review_comments_on(target)
                                  .filter(request=review_request).order_by("created_at", "id"))

    @extend_schema(request=ReviewCommentCreateSerializer,
                   responses={201: ReviewCommentSerializer},
                   summary="Comment (the reviewer, while accepted) on a paragraph or the whole")
    @comments.mapping.post
    def comments_create(self, request, pk=None):
        review_request, target = self._reviewed()
        data = _validated(ReviewCommentCreateSerializer, request.data)
        comment = services.review_comment_create(review_request=review_request,
                                                 actor=request.user, **data)
        return Response(ReviewCommentSerializer(comment, context=self.get_serializer_context())
                        .data, status=status.HTTP_201_CREATED)


class ReviewCommentViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Every review comment on one draft (?writeup= or ?proposal=), of every reviewer, for
    its authors and reviewers only."""

    serializer_class = ReviewCommentSerializer
    permission_classes = [IsAuthenticated]
    # An id is digits: anything else is no address (a JSON 404), never a query.
    lookup_value_regex = r"[0-9]+"
    throttle_scopes = {name: "post" for name in ("create", "resolve", "reopen")}
    queryset = ReviewComment.objects.none()  # for the schema; list reads its draft's

    @extend_schema(parameters=TARGET_PARAMETERS)
    def list(self, request):
        target = _target(request, _validated(TargetSerializer, request.query_params),
                         reviews=True)
        return _comments_response(self, target, selectors.review_comments_on(target)
                                  .order_by("created_at", "id"))

    @extend_schema(request=ReviewCommentTargetCreateSerializer,
                   responses={201: ReviewCommentSerializer},
                   summary="Comment on a draft you review (under your accepted request)")
    def create(self, request):
        """Under the caller's accepted request on the draft (403 not_a_reviewer for its
        authors); `anchor` from review-blocks/, blank for the whole."""
        data = dict(_validated(ReviewCommentTargetCreateSerializer, request.data))
        target = _target(request, data, reviews=True)
        mine = [r for r in selectors.requests_on(target) if r.reviewer_id == request.user.pk]
        review_request = next((r for r in mine if r.state == State.ACCEPTED),
                              mine[0] if mine else None)
        if review_request is None:
            raise permissions.NotAReviewer()
        data.pop("writeup", None)
        data.pop("proposal", None)
        comment = services.review_comment_create(review_request=review_request,
                                                 actor=request.user, **data)
        return Response(self.get_serializer(comment).data, status=status.HTTP_201_CREATED)

    def _state(self, request, pk, service):
        comment, _ = selectors.review_comment_for(request.user, pk)
        service(comment=comment, actor=request.user)
        return Response(self.get_serializer(comment).data)

    @extend_schema(request=None, responses={200: ReviewCommentSerializer},
                   summary="Resolve (an author)")
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        """Mark a review comment dealt with (the draft's authors; 409 when it already is)."""
        return self._state(request, pk, services.review_comment_resolve)

    @extend_schema(request=None, responses={200: ReviewCommentSerializer},
                   summary="Reopen (an author)")
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Open a resolved review comment again (the draft's authors)."""
        return self._state(request, pk, services.review_comment_reopen)


class ReviewSuggestionsView(APIView):
    """Whom to ask to review a draft or a proposal in analysis (its authors only): people
    recognised on its topic or cluster, then people who published there, each with why."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=TARGET_PARAMETERS,
                   responses={200: SuggestionSerializer(many=True)})
    def get(self, request):
        target = _target(request, _validated(TargetSerializer, request.query_params),
                         reviews=False)
        if refusal := permissions.author_refusal(request.user, target):
            raise refusal
        return Response(SuggestionSerializer(selectors.suggested_reviewers(target), many=True,
                                             context={"request": request}).data)


class ReviewBlocksView(APIView):
    """The current version's paragraphs, headings, list items, quotes and code blocks, in
    order, each with the `anchor` a review comment on it names (for the draft's authors and
    reviewers)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=TARGET_PARAMETERS, responses={200: BlocksSerializer})
    def get(self, request):
        target = _target(request, _validated(TargetSerializer, request.query_params),
                         reviews=True)
        return Response(BlocksSerializer({
            "version": target.version,
            "blocks": anchors.blocks(selectors.current_html(target))}).data)
