"""Fragments that forms fetch as someone types (htmx; see registry.core.widgets): people by
name, topics and writeups by title, and the topics or proposals like a title being typed.

Each answers GET ?q= with a small piece of HTML, never a whole page. The query is bounded
(QUERY_CHARS; more is a 400 with a message, since the fields themselves stop there), shorter
than MIN_CHARS gives an empty answer without a query, and each answer is one query whatever
the number of matches, at most PICKED rows. What is listed is what the asker may see: the
same selectors as the pages.
"""

from dataclasses import dataclass

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from proposals.forms import supporting_writeup_choices
from registry import selectors
from registry.core.textclean import control_character_problem
from registry.discovery import search

QUERY_CHARS = search.SIMILAR_QUERY_CHARS
MIN_CHARS = 2
PICKED = 10
SIMILAR_KINDS = {"proposal", "topic"}


@dataclass(frozen=True)
class Option:
    value: str  # what choosing it puts in the field (or the checkbox's value)
    label: str
    detail: str = ""


def _query(request) -> str:
    return request.GET.get("q", "").strip()


def _refused(request, query, *, longest=QUERY_CHARS):
    """The 400 answer for a query over `longest` characters or with a control character (a
    NUL is no text PostgreSQL takes), or None."""
    problem = control_character_problem(query)
    if len(query) > longest:
        problem = _("Type at most %(count)s characters to search.") % {"count": QUERY_CHARS}
    if problem is None:
        return None
    return render(request, "registry/pickers/options.html", {"message": problem}, status=400)


def _options(request, noun: str, find):
    """The listbox of `find(query)`'s options (Option), or a message when there are none."""
    query = _query(request)
    refused = _refused(request, query)
    if refused:
        return refused
    options = find(query) if len(query) >= MIN_CHARS else None
    return render(request, "registry/pickers/options.html",
                  {"query": query, "options": options, "noun": noun})


@require_GET
def people(request):
    """People by display name or username; hidden profiles are not listed (people_named).
    Choosing one fills in their username, which names them unambiguously."""
    def find(query):
        found = selectors.people_named(query)[:PICKED]
        return [_person(person) for person in found]
    return _options(request, "person", find)


def _person(person) -> Option:
    profile = getattr(person, "profile", None)
    detail = f"@{person.username}" + (f" · {profile.affiliation}" if profile and
                                      profile.affiliation else "")
    return Option(person.username, profile.name if profile else person.username, detail)


@require_GET
def topics(request):
    """Listed topics by their English title or their title in the reader's language
    (selectors.topics_titled), shown in the reader's language with their cluster. Choosing
    one fills in its English title, which the forms' clean_topic resolves."""
    def find(query):
        found = selectors.topics_titled(query)[:PICKED]
        return [Option(topic.title, topic.local_title, topic.cluster.local_name)
                for topic in found]
    return _options(request, "topic", find)


@require_GET
def writeups(request):
    """Published writeups the asker may see, by title; ?topic=<slug> keeps one topic's.
    Choosing one adds it (its id) to the form's supporting writeups."""
    def find(query):
        found = supporting_writeup_choices(request.user).filter(title__icontains=query)
        if request.GET.get("topic"):
            found = found.filter(topic__slug=request.GET["topic"])
        return [Option(str(writeup.pk), writeup.title, writeup.topic.local_title)
                for writeup in found.order_by("-published_at", "-pk")[:PICKED]]
    return _options(request, "writeup", find)


@require_GET
def similar(request):
    """The panel of topics or proposals (?kind=) like the title typed (?q=), as the create
    forms show it: its first QUERY_CHARS characters are looked up (search.similar_query)."""
    kind = request.GET.get("kind", "")
    if kind not in SIMILAR_KINDS:
        return render(request, "registry/pickers/options.html",
                      {"message": _("Say which kind: proposal or topic.")}, status=400)
    # A title may be longer than what is looked up: only its start is (similar_context).
    refused = _refused(request, _query(request), longest=float("inf"))
    return refused or render(request, "registry/pickers/similar.html",
                             similar_context(kind, _query(request)))


def similar_context(kind: str, title: str) -> dict:
    """What the similar panel shows for `title`: nothing until it has MIN_CHARS + 1
    characters, then the similar entries of `kind` (one query)."""
    query = search.similar_query((title or "").strip())
    entries = search.similar(kind=kind, title=query) if len(query) > MIN_CHARS else []
    return {"kind": kind, "query": query if len(query) > MIN_CHARS else "", "entries": entries}
