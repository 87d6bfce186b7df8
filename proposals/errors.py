"""Errors of the proposals pipeline, on top of registry.core.errors (each knows status and code)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from registry.core.errors import Conflict


class InvalidTransition(Conflict):
    code = "invalid_transition"
    default_message = gettext_lazy("A proposal cannot move between those stages.")


# The gate's parts as its message names them; the error's `missing` keeps the stable names.
GATE_PART_NAMES = {
    "ask": pgettext_lazy("gate part", "ask"),
    "target": pgettext_lazy("gate part", "target"),
    "steps": pgettext_lazy("gate part", "steps"),
}


class StageGate(Conflict):
    """The move is allowed but the proposal lacks parts; `missing` names each of them."""

    code = "stage_gate"

    def __init__(self, missing: list[str]):
        super().__init__(
            _("The proposal is not ready for that stage yet; missing: %(parts)s.")
            % {"parts": ", ".join(str(GATE_PART_NAMES.get(part, part)) for part in missing)},
            missing=missing,
        )
        self.missing = missing


class StaleStage(Conflict):
    """A move lost a race: someone moved or edited the proposal since it was loaded.

    409 rather than StaleVersion's 412, because a move carries no If-Match precondition.
    """

    code = "stale_version"
    default_message = gettext_lazy(
        "Someone changed this proposal since you loaded it. Reload it and try again."
    )


class WrongStage(Conflict):
    code = "wrong_stage"
    default_message = gettext_lazy("That is not possible at the proposal's current stage.")


class InvitationNotPending(Conflict):
    code = "invitation_not_pending"
    default_message = gettext_lazy(
        "This invitation has already been answered, withdrawn or has expired.")


class InvitationPending(Conflict):
    code = "invitation_pending"
    default_message = gettext_lazy(
        "This proposal already has a pending owner invitation. Withdraw it before inviting "
        "someone else."
    )


class OwnerCannotCoAuthor(Conflict):
    """The invitee became the proposal's owner while their co-author invitation was pending."""

    code = "owner_cannot_co_author"
    default_message = gettext_lazy(
        "You own this proposal now, so you cannot also be one of its co-authors.")
