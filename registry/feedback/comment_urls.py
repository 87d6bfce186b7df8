"""The discussion's pages (namespace `feedback`): posting, a comment's permalink, editing,
deleting and versions. Following a writeup's discussion is registry.notifications'."""

from django.urls import path

from registry.feedback import comment_views as views

urlpatterns = [
    path("writeups/<int:pk>/comments/", views.comment_create, {"kind": "writeup"},
         name="writeup-comments"),
    path("proposals/<int:pk>/comments/", views.comment_create, {"kind": "proposal"},
         name="proposal-comments"),
    path("comments/<int:pk>/", views.comment_permalink, name="comment"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment-edit"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment-delete"),
    path("comments/<int:pk>/versions/", views.comment_versions, name="comment-versions"),
]
