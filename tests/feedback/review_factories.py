"""Review requests and review comments, made by the real services (their rules, history and
notifications apply)."""

import factory

from registry.feedback.models import ReviewRequest
from registry.feedback.services import reviews
from tests.factories import UserFactory, WriteupFactory

State = ReviewRequest.State


class ReviewRequestFactory(factory.django.DjangoModelFactory):
    """A request on a draft writeup, asked by its author; `state` brings it there through
    the services (accepted, declined, withdrawn, finished; expired by the sweep), `named`
    goes with finished. Pass `proposal=` instead of a writeup for a proposal's analysis."""

    class Meta:
        model = ReviewRequest

    reviewer = factory.SubFactory(UserFactory)
    message = "Could you read this before I publish it?"

    @classmethod
    def _create(cls, model_class, writeup=None, proposal=None, state=State.PENDING,
                named=False, actor=None, **kwargs):
        target = proposal if proposal is not None else writeup or WriteupFactory()
        actor = actor or target.author
        review_request = reviews.review_request_create(target=target, actor=actor, **kwargs)
        return bring_to(review_request, state, named=named)


def bring_to(review_request, state, *, named=False):
    """`review_request` moved from pending to `state` the way people move it."""
    reviewer, author = review_request.reviewer, review_request.invited_by
    if state in (State.ACCEPTED, State.FINISHED):
        reviews.review_request_accept(review_request=review_request, actor=reviewer)
    if state == State.FINISHED:
        reviews.review_request_finish(review_request=review_request, actor=reviewer,
                                      named=named)
    elif state == State.DECLINED:
        reviews.review_request_decline(review_request=review_request, actor=reviewer)
    elif state == State.WITHDRAWN:
        reviews.review_request_withdraw(review_request=review_request, actor=author)
    elif state == State.EXPIRED:
        reviews.review_requests_expire(now=review_request.expires_at)
        review_request.refresh_from_db()
    return review_request


def review_comment(review_request, body="This claim needs a source.", *, anchor=""):
    """A review comment by the request's reviewer (the request must be accepted)."""
    return reviews.review_comment_create(review_request=review_request,
                                         actor=review_request.reviewer, body=body,
                                         anchor=anchor)


def without_review_panel(html: str) -> str:
    """A page's HTML without its review panel (<section id="reviews">), whose buttons the
    proposal page's tests of stage and invitation buttons are not about."""
    start = html.find('<section id="reviews"')
    if start < 0:
        return html
    end = html.index("</section>", start) + len("</section>")
    return html[:start] + html[end:]
