"""WSGI entry point for gunicorn (see README, "Deploying for real")."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# A web process refuses to boot on what would fail every request (registry.core.checks).
from registry.core.checks import refuse_to_start_on_errors  # noqa: E402  (needs the apps loaded)

refuse_to_start_on_errors()
