"""The feedback app's pages: comment threads (comment_urls) and review requests (review_urls)."""

from django.urls import include, path

app_name = "feedback"

urlpatterns = [
    path("", include("registry.feedback.comment_urls")),
    path("", include("registry.feedback.review_urls")),
]
