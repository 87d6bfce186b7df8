"""The discussion's API routes under /api/v1/ (included by config/api_urls.py)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from registry.feedback import comment_api
from registry.notifications.api import WriteupFollowView

router = SimpleRouter()
router.register("comments", comment_api.CommentViewSet, basename="comment")

urlpatterns = [
    path("writeups/<int:pk>/comments/", comment_api.WriteupCommentsView.as_view(),
         name="writeup-comments"),
    path("proposals/<int:pk>/comments/", comment_api.ProposalCommentsView.as_view(),
         name="proposal-comments"),
    path("writeups/<int:pk>/follow/", WriteupFollowView.as_view(), name="writeup-follow"),
    path("me/mentions/", comment_api.MyMentionsView.as_view(), name="my-mentions"),
    *router.urls,
]
