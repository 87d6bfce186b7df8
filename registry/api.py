"""Serializers and viewsets for /api/v1/ (registry part)."""

import django_filters
from rest_framework import serializers, viewsets

from registry import selectors
from registry.models import Cluster, Topic, TopicStatus


class ClusterSerializer(serializers.ModelSerializer):
    topic_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Cluster
        fields = ["slug", "name", "description", "position", "topic_count"]


class TopicSerializer(serializers.ModelSerializer):
    cluster = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    status = serializers.ChoiceField(choices=TopicStatus.choices, read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Topic
        fields = ["slug", "title", "cluster", "status", "description", "source", "expert_name",
                  "expert_work_title", "expert_work_url", "url", "created_at", "updated_at"]

    def get_url(self, topic) -> str:
        return self.context["request"].build_absolute_uri(topic.get_absolute_url())


class TopicFilter(django_filters.FilterSet):
    cluster = django_filters.CharFilter(field_name="cluster__slug", help_text="Cluster slug.")
    status = django_filters.ChoiceFilter(choices=TopicStatus.choices)

    class Meta:
        model = Topic
        fields = ["cluster", "status"]


class ClusterViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ClusterSerializer
    lookup_field = "slug"
    queryset = selectors.clusters_with_topics()


class TopicViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TopicSerializer
    lookup_field = "slug"
    filterset_class = TopicFilter

    def get_queryset(self):
        return selectors.topics_with_status()
