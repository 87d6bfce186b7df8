"""Admin for proposals: read-only. Stage, owner and content change only through the services
(the site's pages and API), so the admin can never move a proposal, least of all to owner."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from proposals import services
from proposals.models import CoAuthorInvitation, OwnerInvitation, Proposal, ProposalEvent
from registry.core.errors import GapmapError


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ProposalEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ProposalEvent
    fields = ["created_at", "kind", "from_stage", "to_stage", "actor", "subject", "note",
              "reason"]
    readonly_fields = fields
    extra = 0


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "topic", "stage", "author", "owner", "stage_changed_at"]
    list_filter = ["stage", "topic__cluster"]
    search_fields = ["title", "target", "ask", "author__username", "owner__username"]
    list_select_related = ["topic", "author", "owner"]
    inlines = [ProposalEventInline]


class InvitationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Owner and co-author invitations: read-only, with actions that call the services."""

    list_display = ["proposal", "invitee", "invited_by", "state", "created_at", "expires_at"]
    list_filter = ["state"]
    search_fields = ["proposal__title", "invitee__username"]
    list_select_related = ["proposal", "invitee", "invited_by"]
    actions = ["withdraw_selected", "expire_overdue"]
    expire = None  # the service that expires this model's overdue invitations

    def has_change_permission(self, request, obj=None):
        # Needed for actions to show; every field stays read-only and each action calls a
        # service, which applies its own permission check.
        return obj is None and request.user.is_staff

    @admin.action(description=gettext_lazy("Withdraw the selected pending invitations"))
    def withdraw_selected(self, request, queryset):
        done = 0
        for invitation in queryset.select_related("proposal"):
            try:
                services.invitation_withdraw(invitation=invitation, actor=request.user,
                                             note=services.ADMIN_WITHDRAWN_NOTE)
                done += 1
            except GapmapError as error:
                self.message_user(request, _("%(invitation)s: %(problem)s") % {
                    "invitation": invitation, "problem": error.message}, messages.WARNING)
        self.message_user(request, ngettext("Withdrew %(count)s invitation.",
                                            "Withdrew %(count)s invitations.", done)
                          % {"count": done})

    @admin.action(description=gettext_lazy("Expire every overdue invitation (selection ignored)"))
    def expire_overdue(self, request, queryset):
        count = self.expire()
        self.message_user(request, ngettext("Expired %(count)s overdue invitation.",
                                            "Expired %(count)s overdue invitations.", count)
                          % {"count": count})


@admin.register(OwnerInvitation)
class OwnerInvitationAdmin(InvitationAdmin):
    expire = staticmethod(services.owner_invitations_expire)


@admin.register(CoAuthorInvitation)
class CoAuthorInvitationAdmin(InvitationAdmin):
    expire = staticmethod(services.co_author_invitations_expire)
