"""Errors raised by services. Each knows its HTTP status and a stable machine `code`.

Pages show `message`; the API returns `{"detail": message, "code": code, **extra}`.
"""


class GapmapError(Exception):
    status = 400
    code = "invalid"
    default_message = "The request could not be processed."

    def __init__(self, message: str | None = None, **extra):
        self.message = message or self.default_message
        self.extra = extra
        super().__init__(self.message)


class ValidationFailed(GapmapError):
    status = 400
    code = "invalid"
    default_message = "Some fields are not valid."

    def __init__(self, message: str | None = None, *, fields: dict[str, list[str]]):
        super().__init__(message, fields=fields)
        self.fields = fields


class NotAllowed(GapmapError):
    status = 403
    code = "permission_denied"
    default_message = "You are not allowed to do that."


class NotVisible(GapmapError):
    status = 404
    code = "not_found"
    default_message = "Not found."


class Conflict(GapmapError):
    status = 409
    code = "conflict"
    default_message = "That conflicts with the current state."


class StaleVersion(GapmapError):
    status = 412
    code = "stale_version"
    default_message = (
        "Someone changed this since you loaded it. Reload to see their change, then apply yours."
    )


class AlreadyClaimed(Conflict):
    code = "already_claimed"
    default_message = "You already hold an active claim on this topic."


class ClaimLimitReached(Conflict):
    code = "claim_limit"
    default_message = "You hold the most active claims allowed."


class InvalidTransition(Conflict):
    code = "invalid_transition"
    default_message = "That change is not possible from the current state."


class TopicNotListed(Conflict):
    code = "topic_not_listed"
    default_message = "This topic is not in the catalogue, so it cannot take claims or writeups."


class AlreadyPublished(Conflict):
    code = "already_published"
    default_message = "This writeup is already published."


class NotAFunder(NotAllowed):
    code = "not_a_funder"
    default_message = ("Only funders can register interest. Moderators grant the funder role; "
                       "ask one if you fund work like this.")


class AlreadyReported(Conflict):
    code = "already_reported"
    default_message = ("You have already reported this, and a moderator has not decided yet. "
                       "Thank you: one report per person is enough.")
