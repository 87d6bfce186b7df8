"""Reads for a person's track record: their claims, published writeups, proposals in every
role, for funders their interest, and their recognitions and the endorsements they received
and gave, as the profile page, "My work" and the API show them.

Each list goes through the visibility selector of its model (topics_visible_to,
writeups_visible_to, proposals' shown_to), so a viewer never sees here what they could not
open elsewhere; recognitions and endorsements are public or not at all (registry.selectors'
public_recognitions and public_endorsements). Each list is one query (recognitions two: their
evidence is prefetched), whatever its length: a page of rows carries the
list's total in a window count, so no COUNT query is needed.

It reads proposals and funder interest, so it sits with the pages and the API in the top
layer (see pyproject.toml's import contracts).
"""

import math
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.shortcuts import get_object_or_404

from proposals.models import Proposal
from proposals.selectors import shown_to
from registry.discovery.models import FunderInterest
from registry.discovery.selectors import LIVE
from registry.models import Claim, TopicEvent
from registry.selectors import (
    KIND_ORDER,
    endorsements_given,
    endorsements_received,
    person_recognitions,
    topics_visible_to,
    writeups_visible_to,
)

PER_PAGE = 20
# The query-string parameter each list pages with, e.g. ?claims_page=2.
LISTS = ("claims", "writeups", "proposals", "interests", "recognitions",
         "endorsements_received", "endorsements_given")


@dataclass
class Page:
    """One page of a list, with what a pager needs. `number` is 1-based."""

    items: list
    count: int
    number: int
    per_page: int = PER_PAGE
    param: str = ""
    previous_url: str = ""
    next_url: str = ""

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.count / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def page_of(queryset: QuerySet, number: int = 1, *, per_page: int = PER_PAGE,
            param: str = "") -> Page:
    """Page `number` of an ordered `queryset` in one query: each row carries the total.

    A page past the end (no rows, so no total) costs one COUNT more and comes back empty.
    """
    number = max(1, number)
    start = (number - 1) * per_page
    rows = list(queryset.annotate(list_total=Window(Count("pk")))[start:start + per_page])
    count = rows[0].list_total if rows else (queryset.count() if number > 1 else 0)
    return Page(items=rows, count=count, number=number, per_page=per_page, param=param)


# No list is this long; a larger ?<list>_page= shows the empty page past the end instead of
# an OFFSET past what the database's integers hold (a 500).
MAX_PAGE = 10_000


def page_number(value) -> int:
    """A ?<list>_page= value as a page number from 1 to MAX_PAGE; anything else is page 1."""
    try:
        return min(max(1, int(value)), MAX_PAGE)
    except (TypeError, ValueError, OverflowError):
        return 1


def paged(name: str, queryset: QuerySet, query) -> Page:
    """The page of list `name` (one of LISTS) that the request's `query` (request.GET or
    DRF's query_params) asks for with ?<name>_page=, with links to the pages beside it that
    keep the other lists where they are."""
    param = f"{name}_page"
    page = page_of(queryset, page_number(query.get(param)), param=param)
    params = query.copy()
    for attribute, number in (("previous_url", page.previous_page_number),
                              ("next_url", page.next_page_number)):
        params[param] = number
        setattr(page, attribute, f"?{params.urlencode()}#{name}")
    return page


def person_or_404(username: str):
    """The active person with that username, their profile read along (Http404 if none)."""
    return get_object_or_404(get_user_model().objects.select_related("profile"),
                             username=username, is_active=True)


# --- The lists ------------------------------------------------------------------------------

ENDED_KINDS = (TopicEvent.Kind.RELEASED, TopicEvent.Kind.DORMANT)


def claims(person, viewer) -> QuerySet:
    """`person`'s claims on topics `viewer` may see, active ones first, then newest first.

    Claims are public. Each has `ended_at`: when it was released or went dormant (from the
    topic's history), None while it is active.
    """
    ended = (TopicEvent.objects.filter(claim=OuterRef("pk"), kind__in=ENDED_KINDS)
             .order_by("-created_at", "-pk").values("created_at")[:1])
    return (Claim.objects.filter(person=person,
                                 topic__in=topics_visible_to(viewer).order_by().values("pk"))
            .select_related("topic")
            .annotate(ended_at=Case(When(state=Claim.State.ACTIVE, then=Value(None)),
                                    default=Subquery(ended), output_field=DateTimeField()),
                      active_first=Case(When(state=Claim.State.ACTIVE, then=Value(0)),
                                        default=Value(1), output_field=IntegerField()))
            .order_by("active_first", "-created_at", "-pk"))


def writeups(person, viewer) -> QuerySet:
    """`person`'s published writeups `viewer` may see (never drafts or deleted ones; hidden
    ones only for the author and moderators, as writeups_visible_to says), by kind in the
    essay's order, newest first within a kind."""
    return (writeups_visible_to(viewer).filter(author=person, published_at__isnull=False)
            .defer("body", "body_html").order_by(KIND_ORDER, "-published_at", "-pk"))


def proposals(person, viewer) -> QuerySet:
    """Proposals `viewer` may see (proposals' shown_to) that `person` wrote, co-authors (an
    accepted invitation) or owns, most recently moved first. Each carries `is_author`,
    `is_co_author` and `is_owner` (see proposal_roles)."""
    co_authors = Proposal.co_authors.through.objects
    co_authored = co_authors.filter(user=person, proposal=OuterRef("pk"))
    # One UNION of three index lookups: "author OR owner OR co-author" in one WHERE read
    # every proposal (40 ms at 20,000).
    in_any_role = (Proposal.objects.filter(author=person).order_by().values("pk")
                   .union(Proposal.objects.filter(owner=person).order_by().values("pk"),
                          co_authors.filter(user=person).order_by().values("proposal_id")))
    return (Proposal.objects.filter(shown_to(viewer)).filter(pk__in=in_any_role)
            .select_related("topic")
            .defer("analysis", "analysis_html", "steps")
            .annotate(is_author=ExpressionWrapper(Q(author=person), output_field=BooleanField()),
                      is_owner=ExpressionWrapper(Q(owner=person), output_field=BooleanField()),
                      is_co_author=Exists(co_authored))
            .order_by("-stage_changed_at", "-pk"))


def proposal_roles(proposal) -> list[str]:
    """The roles of one row of proposals(): author, co-author and/or owner."""
    roles = {"author": proposal.is_author, "co-author": proposal.is_co_author,
             "owner": proposal.is_owner}
    return [role for role, held in roles.items() if held]


def funder_interests(person, viewer, *, with_private: bool = False) -> QuerySet:
    """`person`'s live interest in topics and proposals `viewer` may see, newest first.

    Private interest only `with_private` (for the funder themself: "My work" and their own
    API read); a profile never shows it.
    """
    interests = (FunderInterest.objects.filter(LIVE, funder=person)
                 .filter(Q(topic__in=topics_visible_to(viewer).order_by().values("pk"))
                         | Q(proposal__in=Proposal.objects.filter(shown_to(viewer))
                             .order_by().values("pk")))
                 .select_related("topic", "proposal")
                 .defer("proposal__analysis", "proposal__analysis_html", "proposal__steps")
                 .order_by("-created_at", "-pk"))
    if not with_private:
        interests = interests.filter(visibility=FunderInterest.Visibility.PUBLIC)
    return interests


@dataclass
class TrackRecord:
    """One page of each list. `interests` is None for someone who is not a funder and has no
    live interest to show."""

    claims: Page
    writeups: Page
    proposals: Page
    interests: Page | None = None
    recognitions: Page | None = None
    endorsements_received: Page | None = None
    endorsements_given: Page | None = None


@dataclass
class PublicRecord:
    """A person's recognitions and the endorsements they received and gave: public or not at
    all, so every viewer gets the same page of each (the profile renders them once per site
    version, registry.templatetags.shared_cache)."""

    recognitions: Page
    endorsements_received: Page
    endorsements_given: Page


def public_record(person, *, query) -> PublicRecord:
    """The pages of `person`'s public lists that the request's `query` asks for (see paged)."""
    return PublicRecord(
        recognitions=paged("recognitions", person_recognitions(person), query),
        endorsements_received=paged("endorsements_received", endorsements_received(person),
                                    query),
        endorsements_given=paged("endorsements_given", endorsements_given(person), query))


def track_record(person, viewer, *, query, is_funder: bool = False,
                 with_private_interest: bool = False, with_public: bool = True) -> TrackRecord:
    """A page of each list for `viewer`, as the request's `query` pages them (see paged).
    Recognitions and endorsements are the public ones, the same for every viewer (read with
    public_record; left out without `with_public`). Interest
    is read only for a funder or `with_private_interest` (the funder themself, who
    may still hold interest from before the role was taken away)."""
    interests = None
    if is_funder or with_private_interest:
        interests = paged("interests", funder_interests(person, viewer,
                                                        with_private=with_private_interest),
                          query)
    public = public_record(person, query=query) if with_public else None
    return TrackRecord(
        claims=paged("claims", claims(person, viewer), query),
        writeups=paged("writeups", writeups(person, viewer), query),
        proposals=paged("proposals", proposals(person, viewer), query),
        interests=interests,
        recognitions=public and public.recognitions,
        endorsements_received=public and public.endorsements_received,
        endorsements_given=public and public.endorsements_given,
    )
