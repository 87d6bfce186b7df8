"""Notification pages: the inbox, settings and follows, and the follow buttons."""

from django.urls import path

from registry.notifications import views

app_name = "notifications"

urlpatterns = [
    path("me/notifications/", views.inbox, name="inbox"),
    path("me/notifications/<int:pk>/read/", views.mark_read, name="read"),
    path("me/notifications/read-all/", views.mark_all_read, name="read-all"),
    path("me/notifications/settings/", views.settings_page, name="settings"),
    path("topics/<slug:slug>/follow/", views.topic_follow, name="topic-follow"),
    path("proposals/<int:pk>/follow/", views.proposal_follow, name="proposal-follow"),
    path("writeups/<int:pk>/follow/", views.writeup_follow, name="writeup-follow"),
]
