"""Admin for funders' interest and alerts and the search table: read-only, never added,
changed or deleted here. Interest and alerts are written by registry.discovery.services
(deleting a row here would leave topic counts wrong); the search table is rebuilt by
`manage.py rebuild_search_index`. The funder role is granted from a person's profile page
(moderation.services.funder_role_set)."""

from django.contrib import admin

from registry.discovery.models import FunderAlert, FunderInterest, SearchEntry


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FunderInterest)
class FunderInterestAdmin(_ReadOnly):
    list_display = ["funder", "topic", "proposal", "visibility", "amount_range", "created_at",
                    "withdrawn_at"]
    list_filter = ["visibility"]
    list_select_related = ["funder", "topic", "proposal"]


@admin.register(FunderAlert)
class FunderAlertAdmin(_ReadOnly):
    list_display = ["funder", "cluster", "created_at"]
    list_select_related = ["funder", "cluster"]


@admin.register(SearchEntry)
class SearchEntryAdmin(_ReadOnly):
    list_display = ["kind", "object_id", "title", "status", "cluster", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["title"]
    list_select_related = ["cluster"]
