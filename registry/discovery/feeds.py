"""Atom feeds: new writeups (all, per topic, per cluster), new gaps, proposal stage changes."""

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from proposals.models import ProposalEvent, Stage
from registry import selectors as registry_selectors
from registry.core.textclean import xml_safe
from registry.discovery import selectors
from registry.models import Cluster, Topic, Writeup

LIMIT = 50


def _xml_safe(value):
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, dict):
        return {key: _xml_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_xml_safe(item) for item in value)
    return value


class XmlSafeFeed(Feed):
    """A feed that strips what XML 1.0 cannot carry from every piece of text, whatever is
    stored: one control character in a title would otherwise make the feed a 500
    (UnserializableContentError) for everyone. Input refuses them too (registry.core.textclean)."""

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        feed.feed = _xml_safe(feed.feed)
        feed.items = [_xml_safe(item) for item in feed.items]
        return feed


class WriteupsFeed(XmlSafeFeed):
    """Published writeups, newest first; scoped to a topic or a cluster by the URL."""

    feed_type = Atom1Feed

    def get_object(self, request, topic=None, cluster=None):
        if topic:
            return get_object_or_404(registry_selectors.topics_with_status(), slug=topic)
        if cluster:
            return get_object_or_404(Cluster, slug=cluster)
        return None

    def title(self, scope):
        if scope is None:
            return gettext("Gapmap: new writeups")
        name = scope.local_title if isinstance(scope, Topic) else scope.local_name
        return gettext("Gapmap: new writeups on %(scope)s") % {"scope": name}

    def link(self, scope):
        return scope.get_absolute_url() if scope else reverse("registry:home")

    def subtitle(self, scope):
        return gettext("Writeups published on Gapmap topics.")

    def items(self, scope):
        writeups = registry_selectors.writeups_visible_to(AnonymousUser()).filter(
            topic__state=Topic.State.LISTED)
        if isinstance(scope, Topic):
            writeups = writeups.filter(topic=scope)
        elif isinstance(scope, Cluster):
            writeups = writeups.filter(topic__cluster=scope)
        return (writeups.select_related("topic", "author__profile")
                .order_by("-published_at", "-id")[:LIMIT])

    def item_title(self, writeup):
        return gettext("%(title)s (%(kind)s on %(topic)s)") % {
            "title": writeup.title, "kind": Writeup.Kind(writeup.kind).label,
            "topic": writeup.topic.local_title}

    def item_description(self, writeup):
        return writeup.body_html  # sanitised when it was rendered (registry.core.rendering)

    def item_pubdate(self, writeup):
        return writeup.published_at

    def item_updateddate(self, writeup):
        return writeup.updated_at

    def item_author_name(self, writeup):
        return registry_selectors.person_name(writeup.author, AnonymousUser())


class GapsFeed(XmlSafeFeed):
    """Topics that are gaps now, the most recently freed first."""

    feed_type = Atom1Feed
    title = _("Gapmap: new gaps")
    subtitle = _("Topics nobody is working on: newly listed, or freed by a released or dormant "
                 "claim.")

    def link(self):
        return reverse("discovery:gaps")

    def items(self):
        return selectors.gaps(selectors.gap_topics().order_by("-gap_since", "-pk")[:LIMIT])

    def item_title(self, gap):
        return gettext("Gap: %(topic)s") % {"topic": gap.topic.local_title}

    def item_description(self, gap):
        return gettext("In %(cluster)s. Earlier claims: %(claims)s; published writeups: "
                       "%(writeups)s; funder interest: %(interest)s.") % {
            "cluster": gap.topic.cluster.local_name, "claims": gap.earlier_claims,
            "writeups": gap.published_writeups, "interest": gap.funder_interest}

    def item_link(self, gap):
        return gap.topic.get_absolute_url()

    def item_guid(self, gap):
        # One entry per time the topic became a gap.
        return f"{gap.topic.get_absolute_url()}#gap-{gap.gap_since:%Y%m%dT%H%M%S}"

    item_guid_is_permalink = False

    def item_pubdate(self, gap):
        return gap.gap_since

    item_updateddate = item_pubdate  # Atom requires <updated> on every entry


class ProposalStagesFeed(XmlSafeFeed):
    """Every stage change of every proposal, newest first."""

    feed_type = Atom1Feed
    title = _("Gapmap: proposal stage changes")
    subtitle = _("Proposals moving between analysis, proposal, owner, adopted and withdrawn.")

    def link(self):
        return reverse("proposals:board")

    def items(self):
        return (ProposalEvent.objects.filter(kind=ProposalEvent.Kind.MOVED,
                                             proposal__hidden=False,
                                             proposal__topic__hidden=False)
                .select_related("proposal").order_by("-created_at", "-id")[:LIMIT])

    def item_title(self, event):
        return (f"{event.proposal.title}: {Stage(event.from_stage).label} → "
                f"{Stage(event.to_stage).label}")

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


class RecognitionsFeed(XmlSafeFeed):
    """New recognitions of expertise, newest first: who is now recognised on which topic, and
    on what evidence."""

    feed_type = Atom1Feed
    title = _("Gapmap: new recognitions")
    subtitle = _("People recognised on a topic: by peers' frontier endorsements of their work, "
                 "or recorded by a moderator for work done elsewhere.")

    def link(self):
        return reverse("registry:experts")

    def items(self):
        return registry_selectors.public_recognitions()[:LIMIT]

    def item_title(self, recognition):
        return gettext("%(name)s is recognised on %(topic)s") % {
            "name": _recognised_name(recognition), "topic": recognition.topic.local_title}

    def item_description(self, recognition):
        if recognition.writeup is not None:
            names = ", ".join(registry_selectors.public_name(endorsement.endorser)
                              for endorsement in recognition.writeup.evidence)
            return gettext("For “%(title)s”, endorsed by %(names)s.") % {
                "title": recognition.writeup.title, "names": names}
        text = gettext("For “%(title)s”. %(reason)s") % {
            "title": recognition.work_title, "reason": recognition.reason}
        return text.strip()

    def item_link(self, recognition):
        return recognition.topic.get_absolute_url()

    def item_guid(self, recognition):
        return f"{recognition.topic.get_absolute_url()}#recognition-{recognition.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, recognition):
        return recognition.created_at

    item_updateddate = item_pubdate  # Atom requires <updated> on every entry


def _recognised_name(recognition) -> str:
    if recognition.person is not None:
        return registry_selectors.public_name(recognition.person)
    return recognition.name
