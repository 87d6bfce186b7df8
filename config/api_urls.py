"""The API's routes under /api/v1/: every app's viewsets and views, the schema and its docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from proposals import api as proposals_api
from registry import api as registry_api
from registry import api_endorsements
from registry.discovery import api as discovery_api
from registry.moderation import api as moderation_api
from registry.notifications import api as notifications_api
from registry.tokens import api as tokens_api

router = DefaultRouter()
router.register("clusters", registry_api.ClusterViewSet, basename="cluster")
router.register("topics", registry_api.TopicViewSet, basename="topic")
router.register("claims", registry_api.ClaimViewSet, basename="claim")
router.register("writeups", registry_api.WriteupViewSet, basename="writeup")
router.register("endorsements", api_endorsements.EndorsementViewSet, basename="endorsement")
router.register("recognitions", api_endorsements.RecognitionViewSet, basename="recognition")
router.register("proposals", proposals_api.ProposalViewSet, basename="proposal")
router.register("owner-invitations", proposals_api.OwnerInvitationViewSet,
                basename="owner-invitation")
router.register("co-author-invitations", proposals_api.CoAuthorInvitationViewSet,
                basename="co-author-invitation")
router.register("notifications", notifications_api.NotificationViewSet, basename="notification")
router.register("reports", moderation_api.ReportViewSet, basename="report")
router.register("moderation-actions", moderation_api.ModerationActionViewSet,
                basename="moderation-action")
router.register("me/tokens", tokens_api.ApiTokenViewSet, basename="me-token")

urlpatterns = [
    path("auth/token/", tokens_api.LoginTokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("topics/<slug:slug>/follow/", notifications_api.TopicFollowView.as_view(),
         name="topic-follow"),
    path("proposals/<int:pk>/follow/", notifications_api.ProposalFollowView.as_view(),
         name="proposal-follow"),
    path("me/notification-settings/", notifications_api.NotificationSettingsView.as_view(),
         name="notification-settings"),
    path("experts/", api_endorsements.ExpertsView.as_view(), name="experts"),
    path("writeups/<int:pk>/endorsements/", api_endorsements.WriteupEndorsementsView.as_view(),
         name="writeup-endorsements"),
    path("gaps/", discovery_api.GapListView.as_view(), name="gap-list"),
    path("gaps/at-risk/", discovery_api.AtRiskListView.as_view(), name="gap-at-risk"),
    path("search/", discovery_api.SearchView.as_view(), name="search"),
    path("me/funder-alerts/", discovery_api.FunderAlertView.as_view(), name="funder-alerts"),
    path("people/<str:username>/track-record/", registry_api.TrackRecordView.as_view(),
         name="track-record"),
    path("", include("registry.feedback.comment_api_urls")),
    path("", include("registry.feedback.review_api_urls")),
    path("", include(router.urls)),
]
