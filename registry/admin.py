from django.contrib import admin

from registry.models import Cluster, Profile, Topic


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["title", "cluster", "state", "expert_name", "updated_at"]
    list_filter = ["cluster", "state"]
    search_fields = ["title", "slug", "description", "expert_name"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["cluster"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "display_name", "affiliation"]
    search_fields = ["user__username", "user__email", "display_name", "affiliation"]
    list_select_related = ["user"]
