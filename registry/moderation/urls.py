"""Moderation's pages: the report form, the queue, hide/unhide, decisions and the funder role."""

from django.urls import path

from registry.moderation import views

app_name = "moderation"

urlpatterns = [
    path("report/<str:target_type>/<int:target_id>/", views.report, name="report"),
    path("moderation/", views.queue, name="queue"),
    path("moderation/<str:target_type>/<int:target_id>/hide/", views.visibility,
         {"hide": True}, name="hide"),
    path("moderation/<str:target_type>/<int:target_id>/unhide/", views.visibility,
         {"hide": False}, name="unhide"),
    path("moderation/reports/<int:pk>/decide/", views.decide, name="decide"),
    path("people/<str:username>/funder/", views.funder_role, name="funder-role"),
]
