"""Who may do what to a proposal. Pages, the API and the admin all ask these functions.

Proposals are public (everyone may read them, closed ones included). Owner and co-author
invitations are visible only to the invitee, the proposal's authors and moderators; others get
404.
"""

from proposals.models import CoAuthorInvitation
from registry.permissions import is_moderator


def is_author(user, proposal) -> bool:
    return user.is_authenticated and proposal.author_id == user.pk


def is_co_author(user, proposal) -> bool:
    """Someone who accepted a co-author invitation: naming a person only invites them.

    Reads the prefetched co_authors when there are any, so a page asks no extra query."""
    return user.is_authenticated and any(u.pk == user.pk for u in proposal.co_authors.all())


def is_owner(user, proposal) -> bool:
    return user.is_authenticated and proposal.owner_id == user.pk


def can_edit_proposal(user, proposal) -> bool:
    """Edit content, move analysis ↔ proposal, withdraw, invite and un-invite an owner."""
    return is_author(user, proposal) or is_co_author(user, proposal) or is_moderator(user)


def can_change_co_authors(user, proposal) -> bool:
    """Invite and remove co-authors, and withdraw a co-author invitation."""
    return is_author(user, proposal) or is_moderator(user)


def can_leave_proposal(user, proposal) -> bool:
    """A co-author may stop being one; the author cannot (they would withdraw it instead)."""
    return is_co_author(user, proposal)


def can_remove_owner(user, proposal) -> bool:
    """owner → proposal: the owner steps down, or the author or a moderator removes them."""
    return is_owner(user, proposal) or is_author(user, proposal) or is_moderator(user)


def can_mark_adopted(user, proposal) -> bool:
    return is_owner(user, proposal) or is_author(user, proposal) or is_moderator(user)


def can_see_invitation(user, invitation) -> bool:
    return user.is_authenticated and (
        invitation.invitee_id == user.pk or can_edit_proposal(user, invitation.proposal)
    )


def can_answer_invitation(user, invitation) -> bool:
    """Only the invited person can accept or decline: that is the owner's or the co-author's
    consent."""
    return user.is_authenticated and invitation.invitee_id == user.pk


def can_withdraw_invitation(user, invitation) -> bool:
    """An owner invitation: whoever may edit the proposal; a co-author invitation: whoever may
    change the co-authors (not the other co-authors)."""
    if isinstance(invitation, CoAuthorInvitation):
        return can_change_co_authors(user, invitation.proposal)
    return can_edit_proposal(user, invitation.proposal)
