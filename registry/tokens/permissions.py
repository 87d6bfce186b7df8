"""Who may act on tokens; shared by the pages, the API and the admin."""


def can_revoke_tokens_of(actor, owner_id: int) -> bool:
    """The owner, or staff (who revoke others' tokens in the admin)."""
    return actor.is_authenticated and (actor.pk == owner_id or actor.is_staff)


def can_revoke_token(actor, token) -> bool:
    return can_revoke_tokens_of(actor, token.user_id)
