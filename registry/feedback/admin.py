"""Admin for the discussion: comments, their versions and mentions, to read. Nothing is
added, changed or deleted here: every change goes through registry.feedback's services, which
keep the stored counts, versions and notifications (a moderator hides a comment from the
thread or the moderation queue, and deletes it from the thread)."""

from django.contrib import admin

from registry.feedback.models import Comment, CommentVersion, Mention


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    has_change_permission = has_delete_permission = has_add_permission


class CommentVersionInline(admin.TabularInline):
    model = CommentVersion
    fields = ["number", "body", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Comment)
class CommentAdmin(_ReadOnly):
    list_display = ["pk", "author", "writeup", "proposal", "parent", "aspect", "hidden",
                    "version", "created_at", "deleted_at"]
    list_filter = ["hidden", "aspect", ("deleted_at", admin.EmptyFieldListFilter)]
    search_fields = ["body", "author__username", "writeup__title", "proposal__title"]
    list_select_related = ["author", "writeup", "proposal"]
    inlines = [CommentVersionInline]


@admin.register(CommentVersion)
class CommentVersionAdmin(_ReadOnly):
    list_display = ["comment", "number", "created_at"]
    list_select_related = ["comment__writeup", "comment__proposal"]


@admin.register(Mention)
class MentionAdmin(_ReadOnly):
    list_display = ["person", "comment", "notified", "created_at"]
    list_filter = ["notified"]
    search_fields = ["person__username"]
    list_select_related = ["person", "comment__writeup", "comment__proposal"]
