"""A person's language: the interface and e-mail language they chose (issue 18)."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import gettext as _

from registry.core.errors import ValidationFailed
from registry.models import Profile
from registry.services.foundation import profile_for

# Where a signed-in person's language is kept for their requests (registry.languages).
SESSION_KEY = "language"


def supported_language(code: str | None) -> str | None:
    """`code` if Gapmap speaks it (settings.LANGUAGES), else None."""
    return code if code in dict(settings.LANGUAGES) else None


def active_language() -> str:
    """The request's language as a code of settings.LANGUAGES ("es" for "es-ar"), else
    settings.LANGUAGE_CODE: what a person is taken to write in when they do not say."""
    code = translation.get_language() or ""
    return (supported_language(code) or supported_language(code.split("-")[0])
            or settings.LANGUAGE_CODE)


@transaction.atomic
def profile_language_set(*, profile: Profile, language: str) -> Profile:
    """Remember `language` as the person's interface and e-mail language.

    Raises ValidationFailed (field `language`) for a code Gapmap does not speak; nothing is
    written then. Nothing public shows the language, so the site version stays.
    """
    if supported_language(language) is None:
        choices = ", ".join(code for code, _name in settings.LANGUAGES)
        raise ValidationFailed(fields={"language": [
            _("Choose one of: %(choices)s.") % {"choices": choices}]})
    if profile.language != language:
        profile.language = language
        profile.save(update_fields=["language"])
    return profile


@receiver(user_logged_in)
def _remember_language_at_log_in(sender, request, user, **kwargs):
    """Copy the person's language into their new session. A person who has never chosen one
    but chose it with the switcher before logging in keeps that choice."""
    if request is None:
        return
    profile = profile_for(user)
    cookie = supported_language(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    if not profile.language and cookie:
        profile_language_set(profile=profile, language=cookie)
    if profile.language:
        request.session[SESSION_KEY] = profile.language
        translation.activate(profile.language)
        request.LANGUAGE_CODE = profile.language
