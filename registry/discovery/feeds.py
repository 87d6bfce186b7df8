"""Atom feeds: new writeups (all, per topic, per cluster), new gaps, proposal stage changes."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from proposals.models import ProposalEvent
from registry import selectors as registry_selectors
from registry.discovery import selectors
from registry.models import Cluster, Topic, Writeup

LIMIT = 50


class WriteupsFeed(Feed):
    """Published writeups, newest first; scoped to a topic or a cluster by the URL."""

    feed_type = Atom1Feed

    def get_object(self, request, topic=None, cluster=None):
        if topic:
            return get_object_or_404(Topic, slug=topic, state=Topic.State.LISTED)
        if cluster:
            return get_object_or_404(Cluster, slug=cluster)
        return None

    def title(self, scope):
        return f"Gapmap: new writeups on {scope}" if scope else "Gapmap: new writeups"

    def link(self, scope):
        return scope.get_absolute_url() if scope else reverse("registry:home")

    def subtitle(self, scope):
        return "Writeups published on Gapmap topics."

    def items(self, scope):
        writeups = Writeup.objects.filter(registry_selectors.PUBLISHED, hidden=False,
                                          topic__state=Topic.State.LISTED)
        if isinstance(scope, Topic):
            writeups = writeups.filter(topic=scope)
        elif isinstance(scope, Cluster):
            writeups = writeups.filter(topic__cluster=scope)
        return (writeups.select_related("topic", "author__profile")
                .order_by("-published_at", "-id")[:LIMIT])

    def item_title(self, writeup):
        return f"{writeup.title} ({writeup.kind} on {writeup.topic.title})"

    def item_description(self, writeup):
        return writeup.body_html  # sanitised when it was rendered (registry.rendering)

    def item_pubdate(self, writeup):
        return writeup.published_at

    def item_updateddate(self, writeup):
        return writeup.updated_at

    def item_author_name(self, writeup):
        return writeup.author.profile.name if hasattr(writeup.author, "profile") else (
            writeup.author.username)


class GapsFeed(Feed):
    """Topics that are gaps now, the most recently freed first."""

    feed_type = Atom1Feed
    title = "Gapmap: new gaps"
    subtitle = "Topics nobody is working on: newly listed, or freed by a released or dormant claim."

    def link(self):
        return reverse("discovery:gaps")

    def items(self):
        return selectors.gaps(selectors.gap_topics().order_by("-gap_since", "-pk")[:LIMIT])

    def item_title(self, gap):
        return f"Gap: {gap.topic.title}"

    def item_description(self, gap):
        return (f"In {gap.topic.cluster.name}. Earlier claims: {gap.earlier_claims}; published "
                f"writeups: {gap.published_writeups}; funder interest: {gap.funder_interest}.")

    def item_link(self, gap):
        return gap.topic.get_absolute_url()

    def item_guid(self, gap):
        # One entry per time the topic became a gap.
        return f"{gap.topic.get_absolute_url()}#gap-{gap.gap_since:%Y%m%dT%H%M%S}"

    item_guid_is_permalink = False

    def item_pubdate(self, gap):
        return gap.gap_since

    item_updateddate = item_pubdate  # Atom requires <updated> on every entry


class ProposalStagesFeed(Feed):
    """Every stage change of every proposal, newest first."""

    feed_type = Atom1Feed
    title = "Gapmap: proposal stage changes"
    subtitle = "Proposals moving between analysis, proposal, owner, adopted and withdrawn."

    def link(self):
        return reverse("proposals:board")

    def items(self):
        return (ProposalEvent.objects.filter(kind=ProposalEvent.Kind.MOVED,
                                             proposal__hidden=False)
                .select_related("proposal").order_by("-created_at", "-id")[:LIMIT])

    def item_title(self, event):
        return f"{event.proposal.title}: {event.from_stage} → {event.to_stage}"

    def item_description(self, event):
        return event.note

    def item_link(self, event):
        return event.proposal.get_absolute_url()

    def item_guid(self, event):
        return f"{event.proposal.get_absolute_url()}#event-{event.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, event):
        return event.created_at

    item_updateddate = item_pubdate  # Atom requires <updated> on every entry
