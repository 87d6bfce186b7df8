"""Reusable read queries for the registry."""

from django.db.models import Case, Count, Prefetch, Q, QuerySet, Value, When

from registry.models import Cluster, Topic, TopicStatus


def topic_status_expression():
    """The derived status of a topic as a SQL expression (see TopicStatus)."""
    return Case(
        When(~Q(expert_name=""), then=Value(TopicStatus.COVERED)),
        default=Value(TopicStatus.GAP),
    )


def topics_with_status(*, cluster: str | None = None, status: str | None = None) -> QuerySet:
    """Listed topics annotated with `status`, optionally filtered by cluster slug and status."""
    topics = (
        Topic.objects.filter(state=Topic.State.LISTED)
        .select_related("cluster")
        .annotate(status=topic_status_expression())
    )
    if cluster:
        topics = topics.filter(cluster__slug=cluster)
    if status:
        topics = topics.filter(status=status)
    return topics


def clusters_with_topics() -> QuerySet:
    """Clusters, each with `listed_topics` (status-annotated) prefetched, for the home page."""
    return Cluster.objects.annotate(
        topic_count=Count("topics", filter=Q(topics__state=Topic.State.LISTED))
    ).prefetch_related(
        Prefetch("topics", queryset=topics_with_status(), to_attr="listed_topics")
    ).order_by("position", "name")  # Meta.ordering is ignored on GROUP BY queries


def status_counts(topics: QuerySet) -> dict[str, int]:
    counts = {choice: 0 for choice in TopicStatus.values}
    for row in topics.order_by().values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return counts
