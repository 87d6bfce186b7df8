from django.contrib import admin
from django.urls import include, path

from registry import views as registry_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1/", include("config.api_urls")),
    path("healthz", registry_views.healthz, name="healthz"),
    path("proposals/", include("proposals.urls")),
    path("", include("registry.urls")),
]
