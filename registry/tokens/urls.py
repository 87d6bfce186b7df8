"""Token pages: /me/tokens/ and revoking."""

from django.urls import path

from registry.tokens import views

app_name = "tokens"

urlpatterns = [
    path("me/tokens/", views.token_list, name="list"),
    path("me/tokens/<int:pk>/revoke/", views.token_revoke, name="revoke"),
    path("me/tokens/revoke-all/", views.token_revoke_all, name="revoke-all"),
]
