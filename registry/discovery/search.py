"""The search table: keeping SearchEntry current, and querying it.

PostgreSQL: a stored tsvector (title A, body B, English) with a GIN index, ranked by
SearchRank, snippets by SearchHeadline. SQLite (the embedded default): every word of the query
must occur in the title or body (icontains); rank = 2 per word in the title + 1 per word in
the body; the snippet is cut around the first match in Python. Same API, same result shape.

Search is top-N, so its cost does not grow with the number of matches (a word like
"verification" matches ~177,000 of the 200,000 entries of the large demo set):

- Only the RANKED_CANDIDATES (1,000) most recently added matching entries (highest id) are
  ranked. The trade-off: when a query matches more entries than that, an older entry that
  would rank higher is not found by that query; a more specific query (more words, a kind
  or cluster filter) finds it. Ranking every match read and ranked them all (~250 ms).
- On PostgreSQL the candidates are looked for in windows of ids, newest first
  (_newest_matches): one query whose parts PostgreSQL runs only until 1,000 are found. A
  word in most entries is read along the primary key backwards and stops at the 1,000th
  match; a mid-frequency one (`export controls`, one entry in ten) intersects the word's
  index with the window's ids and visits only those rows, where one pass over every match
  visited a table page per match (16,600 pages, ~200 ms -> ~20 ms).
- There is no count of all matches: a page fetches one row more than it shows, to know
  whether there is a next page (`result_page`). Pages stop after the candidates.
- The headline (snippet) is computed only for the rows of the page: PostgreSQL evaluates
  the SearchHeadline after the sort and LIMIT (see EXPLAIN: a Result node above the Sort).
- Each search is planned for its words and windows (custom_plans), also where queries are
  prepared statements (config/settings.py): a generic plan, made without the words, reads
  every GIN match of a common word (`verification`: 31 -> 277 ms).
"""
import re
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection, transaction
from django.db.models import (
    Case,
    F,
    FloatField,
    IntegerField,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import translation
from django.utils.html import escape, strip_tags

from proposals.models import Proposal
from registry import selectors
from registry.core.pagination import PeekPage, peek_page
from registry.discovery.models import SearchEntry
from registry.models import Topic, Writeup

Kind = SearchEntry.Kind
CONFIG = "english"
# Private-use characters mark the match inside a headline, so the text can be escaped first
# and the marks turned into <mark> after: user text never reaches the page unescaped.
MARK_START, MARK_STOP = "\ue000", "\ue001"
SNIPPET_CHARS = 200


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


# --- Writing ------------------------------------------------------------------------------

def _topic_body(topic: Topic) -> str:
    """What a topic is found by besides its title: its description and reason, and the
    catalogue's translations of its title and description (so a reader finds it in their
    language too; the title keeps its weight only in English)."""
    translated = [text for entry in (topic.translations or {}).values()
                  for text in (entry.get("title"), entry.get("description")) if text]
    return "\n".join([topic.description, topic.reason, *translated]).strip()


def _topic_fields(topic: Topic) -> dict | None:
    if topic.state != Topic.State.LISTED or topic.hidden:
        return None
    status = selectors.topics_with_status().filter(pk=topic.pk).values_list("status", flat=True)
    return {"title": topic.title, "body": _topic_body(topic),
            "cluster_id": topic.cluster_id, "status": status.first() or "",
            "url": topic.get_absolute_url(), "updated_at": topic.updated_at}


def _writeup_fields(writeup: Writeup) -> dict | None:
    if writeup.published_at is None or writeup.deleted_at is not None or writeup.hidden:
        return None
    if writeup.topic.state != Topic.State.LISTED or writeup.topic.hidden:
        return None
    return {"title": writeup.title, "body": strip_tags(writeup.body_html),
            "cluster_id": writeup.topic.cluster_id, "status": writeup.kind,
            "url": writeup.get_absolute_url(), "updated_at": writeup.updated_at}


def _proposal_fields(proposal: Proposal) -> dict | None:
    if proposal.hidden or proposal.topic.hidden:  # hidden by a moderator: registry.moderation
        return None
    steps = "\n".join(proposal.steps or [])
    body = "\n".join(part for part in (proposal.ask, proposal.target, steps,
                                       strip_tags(proposal.analysis_html)) if part)
    return {"title": proposal.title, "body": body, "cluster_id": proposal.topic.cluster_id,
            "status": proposal.stage, "url": proposal.get_absolute_url(),
            "updated_at": proposal.updated_at}


FIELDS = {Kind.TOPIC: _topic_fields, Kind.WRITEUP: _writeup_fields,
          Kind.PROPOSAL: _proposal_fields}


def _vector():
    return (SearchVector("title", weight="A", config=CONFIG)
            + SearchVector("body", weight="B", config=CONFIG))


def search_entry_update(*, kind: str, obj) -> SearchEntry | None:
    """Make the search entry of `obj` match it: written when public, removed when not (a
    suggested topic, a draft or deleted writeup); returns it. Call after the write, in its
    transaction.

    Side effects: only what differs is written. Most events (a claim on a topic already
    claimed, a comment) change nothing here: one SELECT. A new status is one UPDATE; new text
    is re-indexed too (on PostgreSQL its search_vector); a new entry is inserted; a removed
    one deleted.
    """
    fields = FIELDS[kind](obj)
    if fields is None:
        search_entry_delete(kind=kind, object_id=obj.pk)
        return None
    entry = SearchEntry.objects.filter(kind=kind, object_id=obj.pk).first()
    if entry is None:  # new; update_or_create settles a concurrent insert of the same entry
        entry, _ = SearchEntry.objects.update_or_create(kind=kind, object_id=obj.pk,
                                                        defaults=fields)
        _index_text(entry)
        return entry
    changed = {name: value for name, value in fields.items() if getattr(entry, name) != value}
    if changed:
        SearchEntry.objects.filter(pk=entry.pk).update(**changed)
        for name, value in changed.items():
            setattr(entry, name, value)
        if "title" in changed or "body" in changed:
            _index_text(entry)
    return entry


def _index_text(entry: SearchEntry) -> None:
    if is_postgres():
        SearchEntry.objects.filter(pk=entry.pk).update(search_vector=_vector())


def search_entry_delete(*, kind: str, object_id: int) -> None:
    SearchEntry.objects.filter(kind=kind, object_id=object_id).delete()


def search_index_rebuild(*, chunk_size: int = 500) -> int:
    """Empty the search table and fill it again from every public object; returns the
    number of entries. Run by `manage.py rebuild_search_index`."""
    SearchEntry.objects.all().delete()
    sources = {
        Kind.TOPIC: Topic.objects.filter(state=Topic.State.LISTED, hidden=False),
        Kind.WRITEUP: Writeup.objects.filter(selectors.PUBLISHED).select_related("topic"),
        Kind.PROPOSAL: Proposal.objects.select_related("topic"),
    }
    statuses = dict(selectors.topics_with_status().values_list("pk", "status"))
    rows = []
    for kind, objects in sources.items():
        for obj in objects.iterator(chunk_size=chunk_size):
            if kind == Kind.TOPIC:
                fields = {"title": obj.title, "cluster_id": obj.cluster_id,
                          "body": _topic_body(obj),
                          "status": statuses.get(obj.pk, ""), "url": obj.get_absolute_url(),
                          "updated_at": obj.updated_at}
            else:
                fields = FIELDS[kind](obj)
            if fields:
                rows.append(SearchEntry(kind=kind, object_id=obj.pk, **fields))
    SearchEntry.objects.bulk_create(rows, batch_size=chunk_size)
    if is_postgres():
        SearchEntry.objects.update(search_vector=_vector())
    return len(rows)


# --- Reading ------------------------------------------------------------------------------

@dataclass
class SearchFilters:
    q: str
    kind: str | None = None
    cluster: str | None = None
    status: str | None = None


def _words(q: str) -> list[str]:
    return [word for word in re.split(r"\s+", q.strip()) if word][:10]


def under_hidden_topic() -> Q:
    """Entries of writeups and proposals that are hidden or on a hidden topic. Hiding a topic
    leaves their entries in place (they are public again when it is shown), and a write from
    a stale copy of a hidden object could put its entry back, so reads leave them out."""
    # Two sets per kind, each read from an index (the few hidden rows; the rows of the few
    # hidden topics): one OR across the topic join scanned all 200,000 writeups (300 ms).
    hidden_topics = Topic.objects.filter(hidden=True).values("pk")

    def hidden_ids(model):
        return (Q(object_id__in=model.objects.filter(hidden=True).values("pk"))
                | Q(object_id__in=model.objects.filter(topic__in=hidden_topics).values("pk")))

    return ((Q(kind=Kind.WRITEUP) & hidden_ids(Writeup))
            | (Q(kind=Kind.PROPOSAL) & hidden_ids(Proposal)))


RANKED_CANDIDATES = 1000
PER_PAGE = 20


def search_entries(filters: SearchFilters) -> QuerySet:
    """Matching entries, best first, each with `rank` (and `headline` on PostgreSQL): only
    the RANKED_CANDIDATES most recently added matches are ranked (see the module docstring).
    An empty query matches nothing. Slice it (or use result_page): the headline is cheap
    only for the rows a LIMIT keeps."""
    entries = SearchEntry.objects.exclude(under_hidden_topic())
    if filters.kind:
        entries = entries.filter(kind=filters.kind)
    if filters.cluster:
        entries = entries.filter(cluster__slug=filters.cluster)
    if filters.status:
        entries = entries.filter(status=filters.status)
    words = _words(filters.q)
    if not words:
        return entries.none()
    if is_postgres():
        query = SearchQuery(" ".join(words), config=CONFIG, search_type="websearch")
        candidates = _newest_matches(entries.filter(search_vector=query))
        return SearchEntry.objects.filter(pk__in=candidates).select_related("cluster").annotate(
            rank=SearchRank(F("search_vector"), query),
            headline=SearchHeadline("body", query, config=CONFIG, start_sel=MARK_START,
                                    stop_sel=MARK_STOP, max_words=35, min_words=15),
        ).order_by("-rank", "-updated_at", "-id")
    for word in words:
        entries = entries.filter(Q(title__icontains=word) | Q(body__icontains=word))
    score = Value(0, output_field=IntegerField())
    for word in words:
        score = (score + Case(When(title__icontains=word, then=2), default=0)
                 + Case(When(body__icontains=word, then=1), default=0))
    return _best_candidates(entries).annotate(
        rank=score * Value(1.0, output_field=FloatField())).order_by("-rank", "-updated_at",
                                                                      "-id")


def _best_candidates(matches: QuerySet) -> QuerySet:
    """The entries to rank: the RANKED_CANDIDATES newest (by id) of `matches`."""
    newest = matches.order_by("-id").values("pk")[:RANKED_CANDIDATES]
    return SearchEntry.objects.filter(pk__in=newest).select_related("cluster")


# The windows' lower edges, in RANKED_CANDIDATES below the newest id: the newest 32,000 ids,
# then all the rest. A word in one entry in 32 or more finds its candidates in the first.
CANDIDATE_WINDOWS = (32,)


def _newest_matches(matches: QuerySet) -> QuerySet:
    """The ids of the RANKED_CANDIDATES newest (by id) of `matches`, as _best_candidates picks
    them, looked for window by window (see the module docstring): each window is planned for
    its own range, and with the LIMIT over their UNION ALL, a later window is read only when
    the ones before hold fewer than RANKED_CANDIDATES matches. The edges count back from the
    newest entry's id, read inside the same query."""
    newest = Subquery(SearchEntry.objects.order_by("-id").values("id")[:1])
    edges = [newest - RANKED_CANDIDATES * multiple for multiple in CANDIDATE_WINDOWS]
    windows = []
    for upper, lower in zip([None, *edges], [*edges, None], strict=True):
        window = matches if upper is None else matches.filter(id__lte=upper)
        if lower is not None:
            window = window.filter(id__gt=lower)
        windows.append(window.order_by("-id").values("id")[:RANKED_CANDIDATES])
    return windows[0].union(*windows[1:], all=True)[:RANKED_CANDIDATES]


@contextmanager
def custom_plans():
    """PostgreSQL plans the queries run inside for their own values, prepared or not (for
    the rest of the transaction it opens)."""
    if not is_postgres():
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL plan_cache_mode = force_custom_plan")
        yield


def result_page(entries: QuerySet, *, number: int, per_page: int) -> PeekPage:
    """Page `number` (from 1) of `entries`: one query for per_page + 1 rows (peek_page),
    planned for its words. Pages past the RANKED_CANDIDATES are empty without a query (nor a
    huge OFFSET)."""
    if (number - 1) * per_page >= RANKED_CANDIDATES:
        return PeekPage(entries=[], number=number, has_next=False)
    with custom_plans():
        return peek_page(entries, number=number, per_page=per_page)


def snippet(entry: SearchEntry, q: str) -> str:
    """Safe HTML: a stretch of the body around the match with <mark> around matched words."""
    headline = getattr(entry, "headline", None)
    if headline is None:
        headline = _cut_around_match(entry.body or entry.title, _words(q))
    return escape(headline).replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>")


def in_reader_language(entries: list[SearchEntry], q: str) -> None:
    """Give each entry `local_title` and `snippet_html` (safe HTML) for the page: a catalogue
    topic's entry shows its title, and its description around the match, in the active
    language when the catalogue has them (the entry itself holds the English). One query,
    and none when the active language is English, which the entries are written in."""
    topics = {}
    if not (translation.get_language() or "en").startswith("en"):
        ids = [entry.object_id for entry in entries if entry.kind == Kind.TOPIC]
        topics = Topic.objects.only("pk", "title", "description", "translations").in_bulk(ids)
    for entry in entries:
        topic = topics.get(entry.object_id) if entry.kind == Kind.TOPIC else None
        entry.local_title = topic.local_title if topic is not None else entry.title
        if topic is not None and topic.local_description != topic.description:
            text = _cut_around_match(topic.local_description, _words(q))
            entry.snippet_html = (escape(text).replace(MARK_START, "<mark>")
                                  .replace(MARK_STOP, "</mark>"))
        else:
            entry.snippet_html = snippet(entry, q)


def _cut_around_match(text: str, words: list[str]) -> str:
    text = " ".join(text.split())
    text = text.replace(MARK_START, "").replace(MARK_STOP, "")
    if not words:
        return text[:SNIPPET_CHARS]
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    first = pattern.search(text)
    start = max(0, first.start() - SNIPPET_CHARS // 3) if first else 0
    cut = text[start:start + SNIPPET_CHARS]
    cut = pattern.sub(lambda m: f"{MARK_START}{m.group(0)}{MARK_STOP}", cut)
    return ("…" if start else "") + cut + ("…" if start + SNIPPET_CHARS < len(text) else "")


# A title is at most 200 characters; a longer query (a pasted page, or a crafted one) is cut to
# that, so no LIKE pattern or tsquery grows with what someone types.
SIMILAR_QUERY_CHARS = 200


def similar_query(title: str) -> str:
    """What `similar` looks for when asked about `title`: its first SIMILAR_QUERY_CHARS."""
    return title[:SIMILAR_QUERY_CHARS]


def similar(*, kind: str, title: str, limit: int = 5) -> list[SearchEntry]:
    """The entries most like `title`, for "before you create one, look at these". Matches
    any word (not all) of the title, so near-duplicates are found."""
    title = similar_query(title)
    words = [w for w in _words(title) if len(w) > 3] or _words(title)
    if not words:
        return []
    entries = SearchEntry.objects.filter(kind=kind).exclude(under_hidden_topic())
    if is_postgres():
        terms = [term for term in (re.sub(r"\W", "", word) for word in words) if term]
        if not terms:
            return []
        query = SearchQuery(" | ".join(terms), config=CONFIG, search_type="raw")
        with custom_plans():
            return list(entries.filter(search_vector=query)
                        .annotate(rank=SearchRank(F("search_vector"), query))
                        .order_by("-rank", "-id")[:limit])
    match = Q()
    score = Value(0, output_field=IntegerField())
    for word in words:
        match |= Q(title__icontains=word)
        score = score + Case(When(title__icontains=word, then=1), default=0)
    return list(entries.filter(match).annotate(rank=score).order_by("-rank", "-id")[:limit])
