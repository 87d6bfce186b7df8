from django.urls import path

from registry import views

app_name = "registry"

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic-detail"),
    path("accounts/sign-up/", views.sign_up, name="sign-up"),
    path("people/<str:username>/", views.profile, name="profile"),
    path("me/profile/", views.profile_edit, name="profile-edit"),
]
