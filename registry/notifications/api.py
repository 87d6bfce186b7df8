"""API for follows, the notification inbox and notification settings (/api/v1/)."""

from django.utils.translation import gettext
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from registry.core.caching import for_person
from registry.notifications import selectors, services
from registry.notifications.models import (
    Delivery,
    DigestFrequency,
    EventKind,
    Notification,
)

FollowSerializer = inline_serializer("Follow", {"following": serializers.BooleanField()})
CountSerializer = inline_serializer("MarkedRead", {"marked_read": serializers.IntegerField()})


class NotificationSerializer(serializers.ModelSerializer):
    topic = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)
    # In the reader's language (the request's), as the inbox shows it.
    text = serializers.CharField(source="local_text", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "text", "topic", "proposal", "writeup", "comment", "actor", "url",
                  "created_at", "read_at", "delivery", "email_state"]

    def get_url(self, notification) -> str:
        path = notification.get_absolute_url()
        return self.context["request"].build_absolute_uri(path) if path else ""


class DeliverySerializer(serializers.Serializer):
    """One field per event kind: how the person hears about it."""

    def get_fields(self):
        return {kind: serializers.ChoiceField(
                    choices=Delivery.choices, required=False,
                    help_text=gettext("When %(event)s.") % {"event": label})
                for kind, label in EventKind.choices}


class NotificationSettingsSerializer(serializers.Serializer):
    delivery = DeliverySerializer(required=False)
    digest_frequency = serializers.ChoiceField(choices=DigestFrequency.choices, required=False)

    def to_representation(self, prefs):
        return {"delivery": {kind: prefs.delivery_for(kind) for kind in EventKind.values},
                "digest_frequency": prefs.digest_frequency}


class _FollowView(APIView):
    permission_classes = [IsAuthenticated]

    def lookup(self, **kwargs) -> dict:
        raise NotImplementedError

    @extend_schema(request=None, responses={201: FollowSerializer})
    def post(self, request, **kwargs):
        """Follow it (following twice is harmless)."""
        target = selectors.follow_target(request.user, unfollow=False, **self.lookup(**kwargs))
        services.follow_create(person=request.user, **target)
        return Response({"following": True}, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, **kwargs):
        """Stop following it (also once it is hidden from you)."""
        target = selectors.follow_target(request.user, unfollow=True, **self.lookup(**kwargs))
        services.follow_delete(person=request.user, **target)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TopicFollowView(_FollowView):
    def lookup(self, slug):
        return {"topic_slug": slug}


class ProposalFollowView(_FollowView):
    def lookup(self, pk):
        return {"proposal_id": pk}


class WriteupFollowView(_FollowView):
    """A published writeup's discussion: its new comments (commenting follows it too)."""

    def lookup(self, pk):
        return {"writeup_id": pk}


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The signed-in person's own notifications, newest first."""

    serializer_class = NotificationSerializer
    permission_classes = [IsAuthenticated]
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no real person
            return Notification.objects.none()
        unread = self.request.query_params.get("unread") == "true"
        return selectors.notifications_for(self.request.user, unread=unread)

    @extend_schema(parameters=[OpenApiParameter("unread", bool, description="Only unread.")])
    def list(self, request, *args, **kwargs):
        # Kept for the person under their inbox stamp, which every change to their
        # notifications moves (new, read, e-mailed, deleted); the site version moves when what
        # one is about is hidden or shown again.
        def page():
            return super(NotificationViewSet, self).list(request, *args, **kwargs).data
        return Response(for_person(request, "notifications-api", services.INBOX_STAMP, page))

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark one notification read."""
        notification = self.get_object()
        services.notifications_mark_read(person=request.user, notification_id=notification.pk)
        notification.refresh_from_db()
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, responses=CountSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        """Mark every notification read."""
        return Response({"marked_read": services.notifications_mark_read(person=request.user)})


class NotificationSettingsView(APIView):
    """How the signed-in person hears about each kind of event, and how often digests come."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=NotificationSettingsSerializer)
    def get(self, request):
        prefs = selectors.settings_for(request.user)
        return Response(NotificationSettingsSerializer(prefs).data)

    @extend_schema(request=NotificationSettingsSerializer,
                   responses=NotificationSettingsSerializer)
    def patch(self, request):
        serializer = NotificationSettingsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        prefs = services.notification_settings_update(person=request.user,
                                                      **serializer.validated_data)
        return Response(NotificationSettingsSerializer(prefs).data)
