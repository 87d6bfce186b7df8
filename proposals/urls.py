"""Proposal pages: the board, create, edit, moves, invitations and leaving."""

from django.urls import path, re_path

from proposals import views
from proposals.models import CoAuthorInvitation

app_name = "proposals"

urlpatterns = [
    path("", views.board, name="board"),
    path("new/", views.proposal_create, name="create"),
    path("<int:pk>/", views.proposal_detail, name="detail"),
    path("<int:pk>/edit/", views.proposal_edit, name="edit"),
    re_path(r"^(?P<pk>[0-9]+)/move/(?P<to>analysis|proposal|owner|adopted|withdrawn)/$",
            views.proposal_move, name="move"),
    path("<int:pk>/invite-owner/", views.owner_invite, name="invite-owner"),
    re_path(r"^invitations/(?P<pk>[0-9]+)/(?P<answer>accept|decline|withdraw)/$",
            views.invitation_answer, name="invitation-answer"),
    path("<int:pk>/leave/", views.co_author_leave, name="leave"),
    re_path(r"^co-author-invitations/(?P<pk>[0-9]+)/(?P<answer>accept|decline|withdraw)/$",
            views.invitation_answer, {"model": CoAuthorInvitation},
            name="co-author-invitation-answer"),
]
