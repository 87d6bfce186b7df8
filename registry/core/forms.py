"""How a page calls a service for a form: submit() puts a refusal on the form and
form_status() answers with the refusal's own status (see registry.core.errors)."""

from django import forms
from django.contrib import messages
from django.utils.translation import gettext as _

from registry.core.errors import Refusal, ValidationFailed


class ButtonForm(forms.Form):
    """A button's POST, which has no fields: it carries a service's refusal back to the page
    (submit), shown above the button."""


def add_service_errors(form, error) -> None:
    """Show a service's refusal on the form: a ValidationFailed's messages beside the fields
    it names, any other Refusal's message above the form."""
    if isinstance(error, ValidationFailed):
        for name, messages in error.fields.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.message)


def submit(form, call, *, request=None, done: str = "") -> tuple[bool, object]:
    """Call a service for a form view: (True, its result), or (False, None) when it refuses.

    The one way pages handle a service's answer. A Refusal goes on `form` (beside the
    fields a ValidationFailed names, else above the form), and form_status(form) becomes the
    refusal's own status (400, 409, 412), so the view shows the form again with what was
    typed. NotAllowed and NotVisible are not caught: Django answers them with its 403 and
    404 pages (see registry.core.errors). `done`, when given, is flashed to `request` on success.
    """
    try:
        result = call()
    except Refusal as error:
        add_service_errors(form, error)
        form.refusal_status = error.status
        return False, None
    if done:
        messages.success(request, done)
    return True, result


def form_status(form) -> int:
    """The status to show `form` with: a service's refusal's, 400 for a form with errors,
    else 200."""
    if form is None:
        return 200
    return getattr(form, "refusal_status", 400 if form.is_bound and form.errors else 200)


def offer_overwrite(form, *, current_version: int) -> None:
    """After a stale edit (412), keep what was typed but carry the version now stored, so
    saving again replaces the other change on purpose instead of failing forever; say so."""
    data = form.data.copy()
    data["version"] = str(current_version)
    form.data = data
    form.add_error(None, _("Save again to replace their change with yours, or open the page "
                           "anew to see it first (what you typed here is then lost)."))


def confirmed(request) -> bool:
    """Whether a POST comes from a confirmation step's real submit (`confirm=yes`). Without
    it, what cannot be undone (a withdrawal, a step-down, a release…) only opens its step."""
    return request.POST.get("confirm") == "yes"
