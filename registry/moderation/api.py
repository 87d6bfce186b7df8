"""Reports and moderation in /api/v1/: anyone signed in reports; moderators decide."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from registry.core.errors import NotAllowed
from registry.core.throttling import ActionScopedRateThrottle, ClientAddressRateThrottle
from registry.moderation import selectors, services
from registry.moderation.models import ModerationAction, Report, ReportReason, TargetType
from registry.moderation.permissions import can_moderate


class ReportSerializer(serializers.ModelSerializer):
    reporter = serializers.SlugRelatedField(slug_field="username", read_only=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                              allow_null=True)

    class Meta:
        model = Report
        fields = ["id", "reporter", "target_type", "target_id", "reason", "note", "state",
                  "created_at", "decided_by", "decided_at", "decision_note"]
        read_only_fields = fields


class ReportCreateSerializer(serializers.Serializer):
    target_type = serializers.ChoiceField(choices=TargetType.choices)
    target_id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    reason = serializers.ChoiceField(choices=ReportReason.choices)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReportDecisionSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[Report.State.RESOLVED, Report.State.DISMISSED])
    note = serializers.CharField(max_length=2000, help_text="Why; kept in the moderation log.")


class ModerationActionSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True,
                                         help_text="Empty when hidden automatically.")

    class Meta:
        model = ModerationAction
        fields = ["id", "actor", "kind", "target_type", "target_id", "report", "reason",
                  "created_at"]
        read_only_fields = fields


class ModerationActionCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[ModerationAction.Kind.HIDE,
                                            ModerationAction.Kind.UNHIDE])
    target_type = serializers.ChoiceField(choices=TargetType.choices)
    target_id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    reason = serializers.CharField(max_length=2000)


def _validated(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Moderators see every report (`?state=` open by default in the list); anyone else sees
    their own. A second open report on the same object gets 409 already_reported."""

    serializer_class = ReportSerializer
    throttle_scopes = {"create": "post"}
    throttle_classes = [ActionScopedRateThrottle, ClientAddressRateThrottle]
    client_throttle_scopes = {"create": "report_client"}
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        reports = selectors.reports_visible_to(self.request.user)
        if self.action == "list" and can_moderate(self.request.user):
            reports = reports.filter(state=Report.State.OPEN)
        return reports

    @extend_schema(request=ReportCreateSerializer, responses={201: ReportSerializer})
    def create(self, request):
        report = services.report_create(reporter=request.user,
                                        **_validated(ReportCreateSerializer, request))
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReportDecisionSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        """Moderators close a report as resolved or dismissed (409 if already closed)."""
        report = self.get_object()  # 404 for someone else's report
        if not can_moderate(request.user):
            raise NotAllowed(_("Only moderators can resolve reports."))
        report = services.report_resolve(moderator=request.user, report=report,
                                         **_validated(ReportDecisionSerializer, request))
        return Response(ReportSerializer(report).data)


class ModerationActionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The moderation log (moderators only). POST hides or unhides an object."""

    serializer_class = ModerationActionSerializer
    permission_classes = [IsAuthenticated]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not can_moderate(request.user):
            raise NotAllowed(_("Only moderators can see or change moderation."))

    def get_queryset(self):
        return ModerationAction.objects.select_related("actor")

    @extend_schema(request=ModerationActionCreateSerializer,
                   responses={201: ModerationActionSerializer})
    def create(self, request):
        data = _validated(ModerationActionCreateSerializer, request)
        target = selectors.target_for_moderator(data["target_type"], data["target_id"])
        service = (services.content_hide if data["kind"] == ModerationAction.Kind.HIDE
                   else services.content_unhide)
        service(moderator=request.user, target_type=data["target_type"], obj=target,
                reason=data["reason"])
        logged = ModerationAction.objects.filter(
            target_type=data["target_type"], target_id=target.pk).select_related("actor").first()
        return Response(ModerationActionSerializer(logged).data, status=status.HTTP_201_CREATED)
