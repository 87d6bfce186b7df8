"""The admin for the registry's models: edits go through the services (topic_save, the claim
actions); history and derived rows are read-only."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from registry import permissions, services
from registry.core.textclean import ControlCharactersFormMixin
from registry.models import Claim, Cluster, Profile, Topic, TopicEvent, Writeup, WriteupVersion
from registry.services.foundation import translations_mark_edited
from registry.services.site_version import site_version_bump


class CleanTextForm(ControlCharactersFormMixin, forms.ModelForm):
    """The admin's edit form, refusing control characters as every other form does."""


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    form = CleanTextForm
    list_display = ["name", "slug", "position"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request, obj, form, change):
        _mark_translations_edited(obj, form)
        obj.save()
        site_version_bump()  # the name shows on cached public pages

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        site_version_bump()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        site_version_bump()


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    form = CleanTextForm
    list_display = ["title", "cluster", "state", "suggested_by", "expert_name", "updated_at"]
    list_filter = ["cluster", "state"]
    search_fields = ["title", "slug", "description", "expert_name"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["cluster", "suggested_by"]
    # A suggestion is listed or declined only through topic_decide, which records history.
    readonly_fields = ["state", "suggested_by", "decided_by", "decided_at", "decision_note"]
    actions = ["list_suggestions"]

    def save_model(self, request, obj, form, change):
        _mark_translations_edited(obj, form)
        # Through the service, which records the event that refreshes stats and search.
        services.topic_save(topic=obj, actor=request.user, created=not change)

    @admin.action(description=_("List the selected suggested topics"))
    def list_suggestions(self, request, queryset):
        listed = 0
        for topic in queryset.filter(state=Topic.State.SUGGESTED):
            services.topic_decide(topic=topic, moderator=request.user, state=Topic.State.LISTED)
            listed += 1
        self.message_user(request, ngettext("Listed %(count)s topic.", "Listed %(count)s topics.",
                                            listed) % {"count": listed})


def _mark_translations_edited(obj, form) -> None:
    """A translation changed here is a site edit: no later catalogue load replaces it."""
    if form is not None and "translations" in form.changed_data:
        obj.translations = translations_mark_edited(
            before=form.initial.get("translations") or {}, after=obj.translations)


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    form = CleanTextForm
    # Granted and taken away only by moderation.services.funder_role_set (from the profile page),
    # which also removes a former funder's alerts.
    readonly_fields = ["is_funder"]
    list_display = ["user", "display_name", "affiliation", "is_funder"]
    list_filter = ["is_funder"]
    search_fields = ["user__username", "user__email", "display_name", "affiliation"]
    list_select_related = ["user"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """History and content written by services: viewable here, changed only through the site
    or the API, so every change keeps its rules and history."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdmin):
    list_display = ["topic", "person", "state", "target_date", "last_activity_at", "created_at"]
    list_filter = ["state"]
    search_fields = ["topic__title", "topic__slug", "person__username", "plan"]
    list_select_related = ["topic", "person"]
    actions = ["release_claims"]

    @admin.action(description=_("Release the selected claims (as a moderator)"))
    def release_claims(self, request, queryset):
        released = 0
        for claim in queryset.filter(state__in=[Claim.State.ACTIVE, Claim.State.DORMANT]):
            services.claim_release(claim=claim, actor=request.user,
                                   note="Released by a moderator.")
            released += 1
        self.message_user(request, ngettext("Released %(count)s claim.",
                                            "Released %(count)s claims.", released)
                          % {"count": released})

    def has_change_permission(self, request, obj=None):
        # The action needs change permission; the form itself stays read-only (no fields).
        return permissions.is_moderator(request.user)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]


class WriteupVersionInline(admin.TabularInline):
    model = WriteupVersion
    fields = ["number", "editor", "title", "kind", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Writeup)
class WriteupAdmin(ReadOnlyAdmin):
    list_display = ["title", "author", "topic", "kind", "published_at", "deleted_at", "version"]
    list_filter = ["kind", ("published_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "author__username", "topic__title"]
    list_select_related = ["author", "topic"]
    inlines = [WriteupVersionInline]


@admin.register(TopicEvent)
class TopicEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "topic", "kind", "actor", "note"]
    list_filter = ["kind"]
    search_fields = ["topic__title", "actor__username", "note"]
    list_select_related = ["topic", "actor"]
