"""Every page and API route of the site, and the error handlers (JSON under /api/)."""

import os

from django.contrib import admin
from django.urls import include, path, re_path

from registry import views as registry_views
from registry.core.api_errors import no_api_endpoint
from registry.languages import language_set

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", registry_views.log_in, name="login"),
    path("accounts/logout/", registry_views.log_out, name="logout"),
    path("accounts/password_reset/", registry_views.password_reset, name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1/", include("config.api_urls")),
    # Any other address under /api/ ending in a slash (others get the slash first).
    re_path(r"^api/(?:.*/)?$", no_api_endpoint),
    path("healthz", registry_views.healthz, name="healthz"),
    path("language/", language_set, name="language-set"),
    path("proposals/", include("proposals.urls")),
    path("", include("registry.discovery.urls")),
    path("", include("registry.notifications.urls")),
    path("", include("registry.moderation.urls")),
    path("", include("registry.tokens.urls")),
    path("", include("registry.feedback.urls")),
    path("", include("registry.urls")),
]

# Under /api/ these answer in the API's JSON error shape; elsewhere, Django's pages.
handler400 = "registry.core.api_errors.bad_request"
handler403 = "registry.core.api_errors.permission_denied"
handler404 = "registry.core.api_errors.page_not_found"
handler500 = "registry.core.api_errors.server_error"

# The benchmark's floor (bench/README.md); never mounted unless the benchmark asks for it.
if os.environ.get("GAPMAP_BENCH_FLOOR") == "1":
    from config import bench_floor

    urlpatterns.insert(0, path("bench/fortunes/", bench_floor.fortunes))
