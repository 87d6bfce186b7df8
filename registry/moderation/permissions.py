"""Who sees hidden content whole. Pages, the API and the selectors all ask these functions.

Hidden content stays intact for its author (a proposal's co-authors too) and the moderators;
everyone else sees a notice on its page, and lists, search, feeds and exports leave it out.
"""

from registry.moderation.models import TargetType
from registry.permissions import is_moderator


def authors_of(target_type: str, obj) -> set[int]:
    """Ids of the people whose content `obj` is."""
    if target_type in (TargetType.WRITEUP, TargetType.COMMENT):
        return {obj.author_id}
    if target_type == TargetType.PROPOSAL:
        return {obj.author_id, *(person.pk for person in obj.co_authors.all())}
    if target_type == TargetType.SUGGESTION:
        return {obj.suggested_by_id}
    return {obj.user_id}


def can_see_hidden_content(user, target_type: str, obj) -> bool:
    if is_moderator(user):
        return True
    return user.is_authenticated and user.pk in authors_of(target_type, obj)


def can_moderate(user) -> bool:
    return is_moderator(user)
