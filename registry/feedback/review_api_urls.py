"""The reviews' API routes under /api/v1/ (included by config/api_urls.py)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from registry.feedback import review_api

router = SimpleRouter()
router.register("review-requests", review_api.ReviewRequestViewSet, basename="review-request")
router.register("review-comments", review_api.ReviewCommentViewSet, basename="review-comment")

urlpatterns = [
    path("review-suggestions/", review_api.ReviewSuggestionsView.as_view(),
         name="review-suggestions"),
    path("review-blocks/", review_api.ReviewBlocksView.as_view(), name="review-blocks"),
    *router.urls,
]
