"""Which language a request is answered in, and the switcher that changes it (issue 18).

Order: a signed-in person's own choice (their profile, copied into the session at log-in so
that no page reads the profile for it), then the switcher's cookie, then the browser's
Accept-Language, then English. The last three are Django's LocaleMiddleware; this module adds
the first, and the switcher's view, which remembers a choice in the cookie and, for a person,
in their profile (also their e-mail language).
"""

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.middleware.csrf import CsrfViewMiddleware
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from registry.services.foundation import profile_for
from registry.services.languages import SESSION_KEY, profile_language_set, supported_language


class PersonLanguageMiddleware:
    """After AuthenticationMiddleware: a signed-in person's chosen language wins over the
    cookie and the browser's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = supported_language(request.session.get(SESSION_KEY))
            if language and language != translation.get_language():
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)


@csrf_exempt
@require_POST
def language_set(request):
    """The switcher's form. Visitors' pages carry no CSRF token (the visitors' page cache
    keeps them whole), so a visitor's choice, which only sets a cookie, needs none; a
    signed-in person's also changes their profile and is checked as every other form is."""
    if request.user.is_authenticated:
        refused = CsrfViewMiddleware(lambda request: None).process_view(request, None, (), {})
        if refused is not None:
            return refused
    language = request.POST.get("language", "")
    if supported_language(language) is None:
        choices = ", ".join(code for code, _name in settings.LANGUAGES)
        return HttpResponseBadRequest(
            _("“%(language)s” is not a language Gapmap speaks. Choose one of: %(choices)s.")
            % {"language": language[:20], "choices": choices},
            content_type="text/plain; charset=utf-8")
    if request.user.is_authenticated:
        profile_language_set(profile=profile_for(request.user), language=language)
        request.session[SESSION_KEY] = language
    return set_language(request)
