import factory
from django.contrib.auth import get_user_model

from registry.discovery.stats import topic_stats_refresh
from registry.models import Cluster, Profile, Topic

PASSWORD = "correct horse battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password(PASSWORD)
    profile = factory.RelatedFactory("tests.factories.ProfileFactory", factory_related_name="user")


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile
        django_get_or_create = ("user",)

    display_name = factory.LazyAttribute(lambda p: p.user.username.title())
    affiliation = "Independent"


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cluster
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"cluster-{n}")
    name = factory.LazyAttribute(lambda c: c.slug.replace("-", " ").title())
    position = factory.Sequence(int)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    cluster = factory.SubFactory(ClusterFactory)
    slug = factory.Sequence(lambda n: f"topic-{n}")
    title = factory.LazyAttribute(lambda t: t.slug.replace("-", " ").capitalize())
    description = "What expertise on this would cover."
    state = Topic.State.LISTED

    @factory.post_generation
    def stats(topic, create, extracted, **kwargs):
        """Its TopicStats row, as every door that makes a topic publishes an event for (a
        factory writes the row directly, so it asks the stats service itself), and, for a
        recorded expert, the Recognition the catalogue and the admin make from it."""
        if create:
            topic_stats_refresh(topic_ids=[topic.pk])
            from registry.services import recognition_for_recorded_expert

            recognition_for_recorded_expert(topic=topic)


class ClaimFactory(factory.django.DjangoModelFactory):
    """An active claim, made by the real service (limit, uniqueness and history apply)."""

    class Meta:
        model = "registry.Claim"

    topic = factory.SubFactory(TopicFactory)
    person = factory.SubFactory(UserFactory)
    plan = "A post on the state of the question, by the end of the year."

    @classmethod
    def _create(cls, model_class, **kwargs):
        from registry.services import claim_create

        return claim_create(**kwargs)


class WriteupFactory(factory.django.DjangoModelFactory):
    """A draft writeup made by the real service; `WriteupFactory(published=True)` publishes it."""

    class Meta:
        model = "registry.Writeup"

    topic = factory.SubFactory(TopicFactory)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Writeup {n}")
    kind = "insight"
    body = "Some *findings*."

    @classmethod
    def _create(cls, model_class, published=False, **kwargs):
        from registry.services import writeup_create, writeup_publish

        writeup = writeup_create(**kwargs)
        return writeup_publish(writeup=writeup, actor=writeup.author) if published else writeup


class ProposalFactory(factory.django.DjangoModelFactory):
    """A proposal in the analysis stage that passes the proposal-stage gate, made by the real
    service (so it has its `created` event and rendered analysis). Each of `co_authors` is
    invited by the service and accepts (co_authors_accept), so they are co-authors."""

    class Meta:
        model = "proposals.Proposal"

    topic = factory.SubFactory(TopicFactory)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Proposal {n}")
    analysis = "Why *this* matters."
    ask = "Adopt a shared incident-reporting checklist."
    target = "A frontier lab"
    steps = factory.LazyFunction(lambda: ["Draft the checklist", "Send it to the lab"])

    @classmethod
    def _create(cls, model_class, co_authors=(), **kwargs):
        from proposals.services import proposal_create

        proposal = proposal_create(co_authors=co_authors, **kwargs)
        return co_authors_accept(proposal, co_authors)


def co_authors_accept(proposal, people):
    """Each of `people`, already named on `proposal` (so invited), accepts through the real
    service. Returns `proposal` read again."""
    from proposals.models import CoAuthorInvitation
    from proposals.services import co_author_invitation_accept

    for person in people:
        invitation = CoAuthorInvitation.objects.get(proposal=proposal, invitee=person,
                                                    state=CoAuthorInvitation.State.PENDING)
        co_author_invitation_accept(invitation=invitation, actor=person)
    proposal.refresh_from_db()
    return proposal


def co_author_add(proposal, person):
    """`person` becomes a co-author the only way there is: the author names them on the
    proposal (an invitation) and they accept. Returns `proposal` read again."""
    from proposals.selectors import co_author_invitees
    from proposals.services import proposal_update

    proposal_update(proposal=proposal, actor=proposal.author, co_authors=[
        *proposal.co_authors.all(), *co_author_invitees(proposal), person])
    return co_authors_accept(proposal, [person])


class FunderFactory(UserFactory):
    """A person a moderator has made a funder."""

    profile = factory.RelatedFactory(ProfileFactory, factory_related_name="user", is_funder=True)


class FunderInterestFactory(factory.django.DjangoModelFactory):
    """Interest in a topic (or pass `proposal=` and `topic=None`), by the real service."""

    class Meta:
        model = "discovery.FunderInterest"

    funder = factory.SubFactory(FunderFactory)
    topic = factory.SubFactory(TopicFactory)
    note = "We fund work like this."
    amount_range = "$10k–50k"
    visibility = "public"

    @classmethod
    def _create(cls, model_class, **kwargs):
        from registry.discovery.services import interest_register

        return interest_register(**kwargs)[0]


class ReportFactory(factory.django.DjangoModelFactory):
    """A report by the real service (so the one-open-report rule and auto-hide apply).
    Pass `target_type` and `target_id`."""

    class Meta:
        model = "moderation.Report"

    reporter = factory.SubFactory(UserFactory)
    reason = "spam"
    note = "Selling something."

    @classmethod
    def _create(cls, model_class, **kwargs):
        from registry.moderation.services import report_create

        return report_create(**kwargs)
