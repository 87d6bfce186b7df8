"""The discussion in /api/v1/: the comments of a writeup or a proposal (list, post), one
comment (GET, PATCH with If-Match, DELETE), its versions, and the comments that mention me.

Each write is one service call, and its refusals come back in the API's error shape with
stable codes: not_commentable, comment_deleted, comment_hidden (409), aspect_not_allowed
(400), not_comment_author (403), stale_version (412). A writeup or proposal you may not see
is 404, and so are its comments. Following a writeup's discussion is
registry.notifications.api's WriteupFollowView (routed in comment_api_urls).
"""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from registry.core.caching import ForVisitorsMixin
from registry.core.concurrency import ETagMixin, etag_for, expected_version
from registry.core.errors import NotVisible, ValidationFailed
from registry.core.limits import max_length
from registry.feedback.comment_errors import AspectNotAllowed
from registry.feedback.models import Aspect, Comment, CommentVersion, Mention
from registry.feedback.permissions import comments as permissions
from registry.feedback.selectors import comments as selectors
from registry.feedback.services import comments as services
from registry.selectors import person_name
from registry.services.languages import active_language


class CommentSerializer(serializers.ModelSerializer):
    """A comment as the caller may see it: a deleted one is a tombstone, and a hidden one
    shows others neither its author nor its text (`hidden` says why)."""

    author = serializers.SerializerMethodField(
        help_text="The author's username; null on a tombstone or a comment hidden from you.")
    author_name = serializers.SerializerMethodField(
        help_text="The author's display name (the username when their profile is hidden from "
                  "you); empty where `author` is null.")
    body = serializers.SerializerMethodField(help_text="Markdown; empty where `author` is null.")
    body_html = serializers.SerializerMethodField(
        help_text="The body rendered when it was written, mentions linked.")
    deleted = serializers.SerializerMethodField(help_text="Deleted: a tombstone.")
    url = serializers.SerializerMethodField(help_text="Its place in the thread (a page).")

    class Meta:
        model = Comment
        fields = ["id", "writeup", "proposal", "parent", "author", "author_name", "aspect",
                  "body", "body_html", "language", "hidden", "deleted", "version",
                  "created_at", "edited_at", "url"]
        read_only_fields = fields

    def _shown(self, comment) -> bool:
        user = self.context["request"].user
        return not comment.is_deleted and permissions.can_see_comment_whole(user, comment)

    def get_author(self, comment) -> str | None:
        return comment.author.username if self._shown(comment) else None

    def get_author_name(self, comment) -> str:
        if not self._shown(comment):
            return ""
        return person_name(comment.author, self.context["request"].user)

    def get_body(self, comment) -> str:
        return comment.body if self._shown(comment) else ""

    def get_body_html(self, comment) -> str:
        return comment.body_html if self._shown(comment) else ""

    def get_deleted(self, comment) -> bool:
        return comment.is_deleted

    def get_url(self, comment) -> str:
        return self.context["request"].build_absolute_uri(comment.get_absolute_url())


class ThreadCommentSerializer(CommentSerializer):
    """A top-level comment with its replies, oldest first."""

    replies = CommentSerializer(many=True, read_only=True, source="shown_replies")

    class Meta(CommentSerializer.Meta):
        fields = [*CommentSerializer.Meta.fields, "replies"]
        read_only_fields = fields


def _body() -> serializers.CharField:
    return serializers.CharField(max_length=max_length("comment", "body"),
                                 trim_whitespace=False,
                                 help_text="Markdown. @username names (and tells) someone.")


def _language(help_text: str) -> serializers.CharField:
    # Checked by the service against settings.LANGUAGES (400 naming `language`), so that a
    # language added to settings is accepted without a change here.
    return serializers.CharField(required=False, allow_blank=True, trim_whitespace=False,
                                 help_text=help_text)


class CommentCreateSerializer(serializers.Serializer):
    body = _body()
    language = _language("The language the body is written in: a code of the site's "
                         "languages (today en, es). Omitted or blank: the request's language "
                         "(Accept-Language).")
    parent = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=2**63 - 1,
        help_text="Reply to this comment of the same discussion (a reply to a reply joins "
                  "its top-level comment).")
    aspect = serializers.ChoiceField(
        choices=Aspect.choices, required=False, allow_blank=True, default="",
        help_text="On a proposal: what the comment is about (blank: the proposal as a whole; "
                  "a reply takes its comment's). Refused on a writeup (aspect_not_allowed).")


class CommentUpdateSerializer(serializers.Serializer):
    body = _body()
    language = _language("The language the body is written in: a code of the site's "
                         "languages (today en, es). Omitted or blank: unchanged.")


class CommentVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = CommentVersion
        fields = ["number", "body", "body_html", "created_at"]
        read_only_fields = fields


class MentionSerializer(serializers.ModelSerializer):
    comment = CommentSerializer(read_only=True)
    title = serializers.SerializerMethodField(
        help_text="The title of the writeup or proposal the comment is on.")

    class Meta:
        model = Mention
        fields = ["id", "comment", "title", "notified", "created_at"]
        read_only_fields = fields

    def get_title(self, mention) -> str:
        return mention.comment.target.title


def _validated(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class CommentPagination(PageNumberPagination):
    page_size = selectors.THREAD_PAGE_SIZE


ASPECT = OpenApiParameter("aspect", OpenApiTypes.STR, enum=Aspect.values, required=False,
                          description="Only the comments about this part of the proposal "
                                      "(with their replies).")
IF_MATCH = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description="The ETag you last saw. A stale one gets 412 stale_version; without it the "
                "edit replaces the current version.")


class _ThreadView(ForVisitorsMixin, generics.ListCreateAPIView):
    """The discussion of a writeup or proposal you may see: top-level comments oldest first,
    50 a page, each with its replies; hidden ones stay in place, shown whole only to their
    author and the moderators. POST adds a comment (or a reply, with `parent`): signed in,
    and counted against the same posting budget as writeups."""

    kind = ""
    serializer_class = ThreadCommentSerializer
    pagination_class = CommentPagination
    permission_classes = [IsAuthenticatedOrReadOnly]
    filter_backends = []
    throttle_scope = "post"

    def get_throttles(self):
        return super().get_throttles() if self.request.method == "POST" else []

    def target(self):
        if not hasattr(self, "_target"):
            self._target = selectors.discussion_target(self.request.user, self.kind,
                                                       self.kwargs["pk"])
        return self._target

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no object
            return Comment.objects.none()
        aspect = self.request.query_params.get("aspect", "")
        if aspect and self.kind != "proposal":
            raise AspectNotAllowed(fields={"aspect": [AspectNotAllowed.default_message]})
        if aspect not in ("", *Aspect.values):
            raise ValidationFailed(fields={"aspect": [_("Choose one of: %(choices)s.") % {
                "choices": ", ".join(Aspect.values)}]})
        return selectors.thread_comments(self.target(), self.request.user, aspect=aspect)

    def _parent(self, pk):
        if pk is None:
            return None
        parent = selectors.comments_visible_to(self.request.user, with_hidden=True).filter(
            pk=pk).first()
        if parent is None:
            raise ValidationFailed(fields={"parent": [_("There is no such comment you can see.")]})
        return parent

    def post(self, request, *args, **kwargs):
        data = _validated(CommentCreateSerializer, request)
        comment = services.comment_create(target=self.target(), author=request.user,
                                          body=data["body"], aspect=data["aspect"],
                                          language=data.get("language") or active_language(),
                                          parent=self._parent(data.get("parent")))
        response = Response(CommentSerializer(comment, context={"request": request}).data,
                            status=status.HTTP_201_CREATED)
        response["ETag"] = etag_for(comment)
        return response


@extend_schema(methods=["POST"], request=CommentCreateSerializer,
               responses={201: CommentSerializer}, summary="Comment on a published writeup")
@extend_schema(methods=["GET"], summary="The discussion of a published writeup")
class WriteupCommentsView(_ThreadView):
    kind = "writeup"


@extend_schema(methods=["POST"], request=CommentCreateSerializer,
               responses={201: CommentSerializer}, summary="Comment on a proposal")
@extend_schema(methods=["GET"], parameters=[ASPECT], summary="The discussion of a proposal")
class ProposalCommentsView(_ThreadView):
    kind = "proposal"


class CommentViewSet(ETagMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One comment you may see, with an ETag. Its author edits it (PATCH, If-Match: 412 when
    stale; 409 comment_deleted once deleted); its author or a moderator deletes it, leaving a
    tombstone."""

    serializer_class = CommentSerializer
    filter_backends = []
    lookup_value_regex = "[0-9]+"
    http_method_names = ["get", "patch", "delete", "head", "options"]
    throttle_scopes = {"partial_update": "post"}

    def get_queryset(self):
        return (selectors.comments_visible_to(self.request.user, with_hidden=True)
                .select_related(*selectors.SHOWN_WITH))

    @extend_schema(request=CommentUpdateSerializer, responses=CommentSerializer,
                   parameters=[IF_MATCH], summary="Edit your comment")
    def partial_update(self, request, pk=None):
        comment = self.get_object()
        data = _validated(CommentUpdateSerializer, request)
        self.etag_object = services.comment_update(
            comment=comment, editor=request.user, body=data["body"],
            language=data.get("language") or None, expected_version=expected_version(request))
        return Response(self.get_serializer(self.etag_object).data)

    @extend_schema(responses={204: None}, summary="Delete a comment (its author, a moderator)")
    def destroy(self, request, pk=None):
        services.comment_delete(comment=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses=CommentVersionSerializer(many=True),
                   summary="What a comment said after each save, newest first")
    @action(detail=True, methods=["get"], pagination_class=None)
    def versions(self, request, pk=None):
        """Whoever sees the comment whole; once it is deleted, only the moderators."""
        comment = self.get_object()
        if not permissions.can_see_comment_versions(request.user, comment):
            raise NotVisible(_("There is no such comment you can see."))
        return Response(CommentVersionSerializer(selectors.comment_versions(comment),
                                                 many=True).data)


class MyMentionsView(generics.ListAPIView):
    """The comments that mention you, newest first, that you may still see (not deleted, not
    hidden from you)."""

    serializer_class = MentionSerializer
    permission_classes = [IsAuthenticated]
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no person
            return Mention.objects.none()
        return selectors.mentions_of(self.request.user)
