"""Read-only list of API tokens (never a secret: only its prefix), with a revoke action."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from registry.core.errors import GapmapError
from registry.tokens import services
from registry.tokens.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "expires_at",
                    "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["prefix", "user__username", "name"]
    list_select_related = ["user"]
    fields = ["user", "name", "prefix", "created_at", "last_used_at", "expires_at",
              "revoked_at", "revoked_by"]
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke the selected tokens"), permissions=["view"])
    def revoke(self, request, queryset):
        revoked = 0
        for token in queryset:
            try:
                services.api_token_revoke(token=token, actor=request.user)
            except GapmapError as error:
                self.message_user(request, error.message, messages.ERROR)
                return
            revoked += 1
        self.message_user(request, ngettext("%(count)s token revoked.", "%(count)s tokens revoked.",
                                            revoked) % {"count": revoked})
