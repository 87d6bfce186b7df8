"""Serializers and viewsets for /api/v1/ (registry part)."""

import django_filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from proposals import selectors as proposal_selectors
from proposals.api import OpenProposalCountsSerializer
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
    open_proposals = serializers.SerializerMethodField()

    class Meta:
        model = Topic
        fields = ["slug", "title", "cluster", "status", "description", "source", "expert_name",
                  "expert_work_title", "expert_work_url", "url", "open_proposals", "created_at",
                  "updated_at"]

    @extend_schema_field(OpenProposalCountsSerializer)
    def get_open_proposals(self, topic) -> dict[str, int]:
        return proposal_selectors.open_proposal_counts(topic)

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
        return proposal_selectors.with_open_proposal_counts(selectors.topics_with_status())
