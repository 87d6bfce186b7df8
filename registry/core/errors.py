"""Errors raised by services. Each knows its HTTP status and a stable machine `code`.

The one mapping from a service's error to an answer:
- NotAllowed is a Django PermissionDenied and NotVisible an Http404, so every page gets
  Django's 403 and 404 pages without catching them;
- a Refusal (ValidationFailed 400, Conflict 409, StaleVersion 412) is the request refused as it
  stands: a page shows it on the form that caused it, at its own status
  (registry.core.forms.submit);
- the API returns `{"detail": message, "code": code, **extra}` for all of them
  (registry.core.api_errors).
FieldErrors collects a service's per-field refusals into one ValidationFailed.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.http import Http404
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from registry.core.textclean import control_character_problem


class GapmapError(Exception):
    status = 400
    code = "invalid"
    default_message = _("The request could not be processed.")

    def __init__(self, message: str | None = None, **extra):
        # A lazy default: it speaks the language active where it is shown (str() it then).
        self.message = message or self.default_message
        self.extra = extra
        super().__init__(self.message)


class Refusal(GapmapError):
    """The request is refused as it stands (400, 409, 412); changing it may succeed."""


class ValidationFailed(Refusal):
    status = 400
    code = "invalid"
    default_message = _("Some fields are not valid.")

    def __init__(self, message: str | None = None, *, fields: dict[str, list[str]]):
        super().__init__(message, fields=fields)
        self.fields = fields


class NotAllowed(GapmapError, PermissionDenied):
    status = 403
    code = "permission_denied"
    default_message = _("You are not allowed to do that.")


class NotVisible(GapmapError, Http404):
    status = 404
    code = "not_found"
    default_message = _("Not found.")


class Conflict(Refusal):
    status = 409
    code = "conflict"
    default_message = _("That conflicts with the current state.")


class StaleVersion(Refusal):
    status = 412
    code = "stale_version"
    default_message = _(
        "Someone changed this since you loaded it. Reload to see their change, then apply yours."
    )


class AlreadyClaimed(Conflict):
    code = "already_claimed"
    default_message = _("You already hold an active claim on this topic.")


class ClaimLimitReached(Conflict):
    code = "claim_limit"
    default_message = _("You hold the most active claims allowed.")


class InvalidTransition(Conflict):
    code = "invalid_transition"
    default_message = _("That change is not possible from the current state.")


class TopicNotListed(Conflict):
    code = "topic_not_listed"
    default_message = _(
        "This topic is not in the catalogue, so it cannot take claims or writeups.")


class AlreadyPublished(Conflict):
    code = "already_published"
    default_message = _("This writeup is already published.")


class NotAFunder(NotAllowed):
    code = "not_a_funder"
    default_message = _("Only funders can register interest. Moderators grant the funder role; "
                        "ask one if you fund work like this.")


class AlreadyReported(Conflict):
    code = "already_reported"
    default_message = _("You have already reported this, and a moderator has not decided yet. "
                        "Thank you: one report per person is enough.")


class CannotEndorseOwnWork(NotAllowed):
    code = "cannot_endorse_own_work"
    default_message = _("You cannot endorse your own writeup.")


class NoStanding(NotAllowed):
    code = "no_standing"
    default_message = _(
        "To endorse, you need standing: published work in the same cluster, a recognition on "
        "any topic, or the moderator role.")


class AlreadyEndorsed(Conflict):
    code = "already_endorsed"
    default_message = _("You have already endorsed this writeup.")


class NotEndorsable(Conflict):
    code = "not_endorsable"
    default_message = _("Only a published writeup that is not hidden can be endorsed.")


class EndorsementNotLive(Conflict):
    code = "endorsement_not_live"
    default_message = _("This endorsement was already retracted or voided.")


class RecognitionNotLive(Conflict):
    code = "recognition_not_live"
    default_message = _("This recognition has already ended.")


class RecognitionFromEndorsements(Conflict):
    code = "recognition_from_endorsements"
    default_message = _("This recognition rests on endorsements: void the endorsements "
                        "instead, and it ends when they drop below the threshold.")


def _number(value: int) -> str:
    """10000 → "10,000" in English, "10\xa0000" in Spanish (the active language's grouping)."""
    return number_format(value, force_grouping=True)


def too_long_message(limit: int, length: int) -> str:
    return ngettext(
        "Keep this to %(limit)s character or fewer (it has %(length)s).",
        "Keep this to %(limit)s characters or fewer (it has %(length)s).", limit,
    ) % {"limit": _number(limit), "length": _number(length)}


def too_short_message(limit: int, length: int) -> str:
    return ngettext(
        "Write at least %(limit)s character (this has %(length)s).",
        "Write at least %(limit)s characters (this has %(length)s).", limit,
    ) % {"limit": _number(limit), "length": _number(length)}


def too_many_message(limit: int, count: int) -> str:
    return gettext("Choose at most %(limit)s (this has %(count)s).") % {
        "limit": _number(limit), "count": _number(count)}


class FieldErrors:
    """Collects messages per field so a form or API call hears about every bad field at once."""

    def __init__(self):
        self.fields: dict[str, list[str]] = {}

    def add(self, name: str, message: str):
        self.fields.setdefault(name, []).append(message)

    def text(self, name: str, value: str, *, max_length: int, required: bool = True,
             min_length: int = 0):
        """`max_length` (and `min_length`, counted without surrounding spaces): from
        registry.core.limits, where every field's limit is kept. Control
        characters are refused here, at the door, whatever the caller (forms and the API
        parsers refuse them earlier, beside the field)."""
        if required and not (value or "").strip():
            self.add(name, gettext("This field is required."))
        elif len((value or "").strip()) < min_length:
            self.add(name, too_short_message(min_length, len((value or "").strip())))
        elif len(value or "") > max_length:
            self.add(name, too_long_message(max_length, len(value)))
        elif problem := control_character_problem(value or ""):
            self.add(name, problem)

    def http_url(self, name: str, value: str, *, max_length: int):
        if not value:
            return
        if len(value) > max_length:  # before the validator's regular expression
            self.add(name, too_long_message(max_length, len(value)))
            return
        if problem := control_character_problem(value):
            self.add(name, problem)
            return
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError:
            self.add(name, gettext("Enter a full http:// or https:// address."))

    def count(self, name: str, items: list, *, max_items: int):
        """A list field (`max_items` from registry.core.limits). Check it before resolving its
        items: each may cost a query."""
        if len(items) > max_items:
            self.add(name, too_many_message(max_items, len(items)))

    def raise_if_any(self):
        if self.fields:
            names = ", ".join(sorted(self.fields))
            raise ValidationFailed(
                gettext("Some fields are not valid: %(names)s.") % {"names": names},
                fields=self.fields)
