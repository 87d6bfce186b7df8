"""Factories for the discussion, made by the real services (so counts, versions, mentions,
follows and notifications are all there)."""

import factory

from tests.factories import UserFactory, WriteupFactory


class CommentFactory(factory.django.DjangoModelFactory):
    """A comment by the real service, on `target` (default: a new published writeup). Pass
    `parent=` for a reply and `aspect=` on a proposal."""

    class Meta:
        model = "feedback.Comment"

    target = factory.LazyFunction(lambda: WriteupFactory(published=True))
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Comment number {n}: the *data* says otherwise.")

    @classmethod
    def _create(cls, model_class, **kwargs):
        from registry.feedback.services.comments import comment_create

        return comment_create(**kwargs)
