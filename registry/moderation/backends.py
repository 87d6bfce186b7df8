"""How a signed-in person is read on each request."""

from django.contrib.auth.backends import ModelBackend

from registry.moderation.context_processors import person_with_header


class PersonBackend(ModelBackend):
    """Django's ModelBackend, whose get_user (run on every signed-in request) also brings what
    the header shows of the person, in the same one query (person_with_header): the profile
    and the moderators' group. Log-in is ModelBackend's."""

    def get_user(self, user_id):
        user = person_with_header(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
