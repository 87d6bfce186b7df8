"""Permission predicates shared by pages, the API and the admin.

Convention: an object the user may not see is filtered out of querysets (404); an object
they may see but not change raises NotAllowed (403).
"""

MODERATORS_GROUP = "moderators"


def is_moderator(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    # Cached per request object, since pages ask this many times.
    if not hasattr(user, "_is_moderator"):
        user._is_moderator = user.groups.filter(name=MODERATORS_GROUP).exists()
    return user._is_moderator
