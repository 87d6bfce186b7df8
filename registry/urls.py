"""The registry's pages: home, clusters, topics, claims, writeups, suggestions, profiles,
My work."""

from django.urls import path

from registry import expertise_views, views
from registry.translation_views import topic_translate

app_name = "registry"

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("clusters/<slug:slug>/", views.cluster_detail, name="cluster-detail"),
    # Before topics/<slug>/: these two words are reserved as slugs (services.topics).
    path("topics/suggest/", views.topic_suggest, name="topic-suggest"),
    path("topics/suggestions/", views.topic_suggestions, name="topic-suggestions"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic-detail"),
    path("topics/<slug:slug>/claim/", views.claim_create, name="claim-create"),
    path("topics/<slug:slug>/decide/", views.topic_suggestions, name="topic-decide"),
    path("topics/<slug:slug>/translate/", topic_translate, name="topic-translate"),
    path("topics/<slug:slug>/writeups/new/", views.writeup_create, name="writeup-create"),
    path("claims/<int:pk>/release/", views.claim_release, name="claim-release"),
    path("claims/<int:pk>/renew/", views.claim_renew, name="claim-renew"),
    path("writeups/<int:pk>/", views.writeup_detail, name="writeup-detail"),
    path("writeups/<int:pk>/edit/", views.writeup_edit, name="writeup-edit"),
    path("writeups/<int:pk>/publish/", views.writeup_publish, name="writeup-publish"),
    path("writeups/<int:pk>/delete/", views.writeup_delete, name="writeup-delete"),
    path("writeups/<int:pk>/versions/<int:number>/", views.writeup_version,
         name="writeup-version"),
    path("writeups/<int:pk>/endorse/", expertise_views.endorse, name="endorse"),
    path("endorsements/<int:pk>/retract/", expertise_views.endorsement_retract,
         name="endorsement-retract"),
    path("endorsements/<int:pk>/void/", expertise_views.endorsement_void,
         name="endorsement-void"),
    path("experts/", expertise_views.experts, name="experts"),
    path("me/", views.my_work, name="my-work"),
    path("accounts/sign-up/", views.sign_up, name="sign-up"),
    path("people/<str:username>/", views.profile, name="profile"),
    path("me/profile/", views.profile_edit, name="profile-edit"),
]
