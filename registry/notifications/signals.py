"""The header's cached unread count (registry.moderation.context_processors) is keyed on the
person's inbox stamp, which the services move with every change they make to an inbox. These
receivers move it on the changes no service makes: notifications deleted with what they are
about (an account or an object deleted in the admin: a cascade), and a person made or unmade a
moderator (staff, or the moderators group), who may count notifications about hidden items.
Without them such a count stayed wrong until its cache timeout."""

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from registry.core.caching import person_stamp_bump
from registry.notifications.models import Notification
from registry.notifications.services import INBOX_STAMP

User = get_user_model()


@receiver(post_delete, sender=Notification)
def _notification_deleted(sender, instance, **kwargs):
    person_stamp_bump(INBOX_STAMP, [instance.recipient_id])


@receiver(post_save, sender=User)
def _person_saved(sender, instance, created, **kwargs):
    # is_staff makes a moderator; a save that changes nothing else costs one cache write.
    if not created:
        person_stamp_bump(INBOX_STAMP, [instance.pk])


@receiver(m2m_changed, sender=User.groups.through)
def _groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if reverse:  # group.user_set.add(…): instance is the group, pk_set the people
        if action == "pre_clear":
            person_stamp_bump(INBOX_STAMP, list(instance.user_set.values_list("pk", flat=True)))
        elif action in ("post_add", "post_remove"):
            person_stamp_bump(INBOX_STAMP, list(pk_set))
    elif action in ("post_add", "post_remove", "post_clear"):
        person_stamp_bump(INBOX_STAMP, [instance.pk])

