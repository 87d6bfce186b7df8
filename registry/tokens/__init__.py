"""API tokens: hashed, expiring, revocable, and bound to the owner's password."""
