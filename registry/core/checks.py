"""Start-up checks for what would otherwise fail on every request.

Registered as deployment checks (`manage.py check --deploy`) and run by config/wsgi.py when
a web process boots, so gunicorn refuses to start instead of serving a 500 on every page.
Not plain checks: `migrate` runs those, and the deploy guide migrates before collectstatic.
"""

from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages

TAG = "gapmap"


@checks.register(TAG, deploy=True)
def staticfiles_manifest_check(app_configs=None, **kwargs):
    """The manifest storage (production) finds every static file through staticfiles.json,
    written by collectstatic; without it each {% static %} raises, so each page is a 500."""
    storage = storages["staticfiles"]
    if not isinstance(storage, ManifestFilesMixin):
        return []
    if storage.manifest_storage.exists(storage.manifest_name):
        return []
    location = storage.manifest_storage.path(storage.manifest_name)
    return [checks.Error(
        f"The static files manifest {location} is missing: run `manage.py collectstatic` "
        "before starting the site.", id="gapmap.E001")]


def refuse_to_start_on_errors() -> None:
    """Raise ImproperlyConfigured with the first message of any failing check above: a web
    process calls this as it boots."""
    errors = [message for message in checks.run_checks(tags=[TAG],
                                                        include_deployment_checks=True)
              if message.is_serious()]
    if errors:
        raise ImproperlyConfigured(errors[0].msg)
