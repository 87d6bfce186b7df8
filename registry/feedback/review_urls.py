"""The review pages (namespace `feedback`): a draft's review page, its invite form, a
request's page and its answers, a review comment's resolve and reopen."""

from django.urls import path

from registry.feedback import review_views as views

urlpatterns = [
    path("reviews/requests/<int:pk>/", views.review_request, name="review-request"),
    *[path(f"reviews/requests/<int:pk>/{action}/", views.review_request_answer,
           {"action": action}, name=f"review-request-{action}")
      for action in views.ANSWERS],
    *[path(f"reviews/comments/<int:pk>/{action}/", views.review_comment_state,
           {"action": action}, name=f"review-comment-{action}")
      for action in ("resolve", "reopen")],
    *[route for kind in ("writeup", "proposal") for route in (
        path(f"reviews/{kind}/<int:pk>/", views.review, {"kind": kind}, name="review"),
        path(f"reviews/{kind}/<int:pk>/comments/", views.review_comment_create,
             {"kind": kind}, name="review-comment-create"),
        path(f"reviews/{kind}/<int:pk>/invite/", views.review_invite, {"kind": kind},
             name="review-invite"),
    )],
]
