"""Who may do what to a proposal. Pages, the API and the admin all ask these functions.

Proposals are public (everyone may read them, closed ones included). Owner invitations are
visible only to the invitee, the proposal's authors and moderators; others get 404.
"""

from registry.permissions import is_moderator


def is_author(user, proposal) -> bool:
    return user.is_authenticated and proposal.author_id == user.pk


def is_co_author(user, proposal) -> bool:
    # Reads the prefetched co_authors when there are any, so a page asks no extra query.
    return user.is_authenticated and any(u.pk == user.pk for u in proposal.co_authors.all())


def is_owner(user, proposal) -> bool:
    return user.is_authenticated and proposal.owner_id == user.pk


def can_edit_proposal(user, proposal) -> bool:
    """Edit content, move analysis ↔ proposal, withdraw, invite and un-invite an owner."""
    return is_author(user, proposal) or is_co_author(user, proposal) or is_moderator(user)


def can_change_co_authors(user, proposal) -> bool:
    return is_author(user, proposal) or is_moderator(user)


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
    """Only the invited person can accept or decline: that is the owner's consent."""
    return user.is_authenticated and invitation.invitee_id == user.pk
