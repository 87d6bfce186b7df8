import json

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from proposals.services import proposal_move, proposal_update
from registry.discovery import search
from registry.discovery.models import SearchEntry
from registry.models import Topic
from registry.services import (
    claim_create,
    topic_decide,
    topic_suggest,
    writeup_delete,
    writeup_update,
)
from tests.factories import ClusterFactory, ProposalFactory, TopicFactory, WriteupFactory

pytestmark = pytest.mark.django_db
ON_POSTGRES = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL full-text search; runs in the PostgreSQL pass of .ci/run")


def _index():
    """Topics made by TopicFactory skip the services, so index them as a deploy would."""
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))


def _find(api, **params):
    return api.get("/api/v1/search/", params).json()["results"]


def _titles(api, **params):
    return [row["title"] for row in _find(api, **params)]


def test_search_ranks_title_match_above_body_match(api):
    TopicFactory(title="Compute governance basics", description="Nothing else here.")
    TopicFactory(title="Export rules", description="How compute thresholds are set.")
    _index()
    assert _titles(api, q="compute") == ["Compute governance basics", "Export rules"]


def test_search_finds_across_kinds_with_kind_filter(api):
    topic = TopicFactory(title="Model evaluations")
    WriteupFactory(topic=topic, title="Evaluations in practice", body="On evaluations.",
                   published=True)
    ProposalFactory(topic=topic, title="Fund evaluations", analysis="Evaluations matter.")
    assert sorted(row["kind"] for row in _find(api, q="evaluations")) == [
        "proposal", "topic", "writeup"]
    assert _titles(api, q="evaluations", kind="writeup") == ["Evaluations in practice"]


def test_search_filters_by_cluster_and_status(api):
    TopicFactory(title="Treaty verification", cluster=ClusterFactory(slug="law"))
    TopicFactory(title="Verification hardware", cluster=ClusterFactory(slug="chips"),
                 expert_name="Someone")
    _index()
    assert _titles(api, q="verification", cluster="law") == ["Treaty verification"]
    assert _titles(api, q="verification", status="covered") == ["Verification hardware"]


def test_search_leaves_out_drafts_deleted_writeups_and_suggestions(api, alice):
    topic = TopicFactory(title="Unrelated")
    WriteupFactory(topic=topic, title="Secret draft zebra", author=alice)
    published = WriteupFactory(topic=topic, title="Zebra published", author=alice,
                               published=True)
    topic_suggest(person=alice, title="Zebra suggestion", cluster=topic.cluster, reason="r")
    assert _titles(api, q="zebra") == ["Zebra published"]
    writeup_delete(writeup=published, actor=alice)
    assert _titles(api, q="zebra") == []


def test_search_entry_follows_edits_listing_and_moves(api, alice, moderator):
    topic = TopicFactory()
    writeup = WriteupFactory(topic=topic, author=alice, title="Old name", published=True)
    writeup_update(writeup=writeup, editor=alice, title="Quokka name")
    suggestion = topic_suggest(person=alice, title="Quokka topic", cluster=topic.cluster,
                               reason="r")
    topic_decide(topic=suggestion, moderator=moderator, state=Topic.State.LISTED)
    proposal = ProposalFactory(author=alice, topic=topic, title="Plain")
    proposal_update(proposal=proposal, actor=alice, title="Quokka proposal")
    proposal_move(proposal=proposal, to="proposal", actor=alice)
    rows = {(row["kind"], row["title"], row["status"]) for row in _find(api, q="quokka")}
    assert rows == {("writeup", "Quokka name", "insight"), ("topic", "Quokka topic", "gap"),
                    ("proposal", "Quokka proposal", "proposal")}


def test_search_topic_status_follows_claims(api, alice):
    topic = TopicFactory(title="Wombat studies")
    claim_create(topic=topic, person=alice, plan="p")
    assert [row["status"] for row in _find(api, q="wombat")] == ["claimed"]


def test_search_entry_update_writes_nothing_when_the_entry_already_matches(alice, bob):
    topic = TopicFactory(title="Numbat studies")
    claim_create(topic=topic, person=alice, plan="p")
    claim_create(topic=topic, person=bob, plan="p")  # still `claimed`: nothing new to index
    with CaptureQueriesContext(connection) as queries:
        entry = search.search_entry_update(kind=search.Kind.TOPIC, obj=topic)
    assert [query["sql"].split()[0] for query in queries.captured_queries] == [
        "SELECT", "SELECT"]  # the topic's status, the entry
    assert (entry.title, entry.status) == ("Numbat studies", "claimed")


def test_search_entry_update_writes_only_a_changed_status(alice):
    topic = TopicFactory(title="Bilby studies")
    _index()
    claim_create(topic=topic, person=alice, plan="p")
    assert SearchEntry.objects.get(kind="topic", object_id=topic.pk).status == "claimed"
    SearchEntry.objects.filter(kind="topic", object_id=topic.pk).update(status="gap")
    with CaptureQueriesContext(connection) as queries:
        search.search_entry_update(kind=search.Kind.TOPIC, obj=topic)
    writes = [query["sql"] for query in queries.captured_queries
              if not query["sql"].startswith("SELECT")]
    assert len(writes) == 1 and writes[0].startswith('UPDATE "registry_searchentry" SET '
                                                     '"status" = ')
    assert SearchEntry.objects.get(kind="topic", object_id=topic.pk).status == "claimed"


def test_search_snippet_marks_match_and_escapes_html(api):
    TopicFactory(title="Plain", description="Before <script>alert(1)</script> the otter word.")
    _index()
    snippet = _find(api, q="otter")[0]["snippet"]
    assert "<mark>otter</mark>" in snippet
    # PostgreSQL's headline drops the tag, SQLite's snippet escapes it: never a live tag.
    assert "<" not in snippet.replace("<mark>", "").replace("</mark>", "")


def test_search_empty_query_finds_nothing(api):
    TopicFactory(title="Anything")
    _index()
    assert _find(api, q="") == []


def test_search_sqlite_fallback_requires_every_word(api):
    TopicFactory(title="Chip export controls")
    TopicFactory(title="Chip design")
    _index()
    assert _titles(api, q="chip export") == ["Chip export controls"]


def test_snippet_cut_around_first_match():
    entry = SearchEntry(title="t", body="x" * 300 + " needle " + "y" * 300)
    html = search.snippet(entry, "needle")
    assert html.startswith("…") and html.endswith("…")
    assert "<mark>needle</mark>" in html


def test_rebuild_search_index_restores_the_table():
    TopicFactory(title="One")
    WriteupFactory(title="Two", published=True)
    WriteupFactory(title="Draft")
    ProposalFactory(title="Three")
    SearchEntry.objects.all().delete()
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))
    # Four topics: "One" and the three the writeups and proposal were made on.
    assert sorted(SearchEntry.objects.values_list("kind", flat=True)) == [
        "proposal", "topic", "topic", "topic", "topic", "writeup"]
    assert SearchEntry.objects.get(kind="writeup").title == "Two"


def _entries(n):
    for i in range(n):
        TopicFactory(title=f"Lemur topic {i}")
    _index()


# + 1 each: the stats version (registry.core.caching). On PostgreSQL the search runs in a
# transaction of its own that plans it for its words (search.custom_plans): inside the test's
# transaction that is a savepoint, its SET LOCAL plan_cache_mode, and its release.
PLANNED_FOR_ITS_WORDS = 3 if connection.vendor == "postgresql" else 0


@pytest.mark.parametrize(("url", "queries"), [("/api/v1/search/?q=lemur", 2),
                                              ("/search/?q=lemur", 3)])
def test_search_query_count_same_for_one_and_many(client, django_assert_num_queries, url,
                                                  queries):
    queries += PLANNED_FOR_ITS_WORDS
    _entries(1)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    _entries(8)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


@ON_POSTGRES
def test_search_uses_gin_index_on_postgres():
    _entries(3)
    filters = search.SearchFilters(q="lemur")
    sql, params = search.search_entries(filters).query.sql_with_params()
    with connection.cursor() as cursor:
        # A realistic table, and fresh statistics, so the plan is the one production gets and
        # not an accident of a three-row table (where any index scan looks as cheap).
        cursor.execute(
            "INSERT INTO registry_searchentry (kind, object_id, title, body, status, url, "
            "updated_at, search_vector) SELECT 'writeup', 1000000 + g, 'Filler ' || g, "
            "'verification of compute agreements', 'published', '/', now(), "
            "to_tsvector('english', 'Filler verification of compute agreements') "
            "FROM generate_series(1, 5000) AS g")
        # New rows wait in GIN's pending list until vacuum merges them, and the planner prices
        # that list as a scan; merge it now, as autovacuum would have in production.
        cursor.execute("SELECT gin_clean_pending_list('registry_searchentry_vector_gin')")
        cursor.execute("ANALYZE registry_searchentry")
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "registry_searchentry_vector_gin" in plan


@ON_POSTGRES
def test_search_is_planned_for_its_words_where_queries_are_prepared(api_as, alice):
    """On PostgreSQL a query run five times on a connection becomes a prepared statement
    (config/settings.py). Search must not run on a generic plan, made without its words (one
    read every GIN match of a common word: 31 -> 277 ms): with generic plans forced on the
    session, the search statement is still planned for its words each time."""
    _lemurs(3)
    reader = api_as(alice)  # signed in: no visitors' cache between the reads
    connection.ensure_connection()
    assert settings.DATABASES["default"]["OPTIONS"]["server_side_binding"] is True
    assert connection.connection.prepare_threshold == 5
    with connection.cursor() as cursor:
        cursor.execute("SET plan_cache_mode = force_generic_plan")
        for _ in range(8):
            assert reader.get("/api/v1/search/", {"q": "lemur"}).json()["results"][0][
                "title"].startswith("Lemur topic")
        cursor.execute("SELECT generic_plans, custom_plans FROM pg_prepared_statements "
                       "WHERE statement LIKE %s", ["%ts_rank%registry_searchentry%"])
        plans = cursor.fetchall()
        cursor.execute("RESET plan_cache_mode")
    assert len(plans) == 1
    assert plans[0][0] == 0 and plans[0][1] >= 3


@ON_POSTGRES
def test_search_postgres_stems_english_words(api):
    TopicFactory(title="Governing frontier models")
    _index()
    assert _titles(api, q="governed model") == ["Governing frontier models"]
    assert _titles(api, q="frontier chips") == []


@pytest.fixture
def two_per_page(monkeypatch):
    monkeypatch.setattr(search, "PER_PAGE", 2)


def _lemurs(n):
    """n topics that match "lemur", the last made first in a search (ranks tie)."""
    topics = [TopicFactory(title=f"Lemur topic {i}") for i in range(n)]
    _index()
    return [topic.title for topic in reversed(topics)]


def test_search_api_pages_by_next_and_previous_links_without_count(api, two_per_page):
    titles = _lemurs(4)  # two full pages: the second has no next

    first = api.get("/api/v1/search/", {"q": "lemur"}).json()
    second = api.get(first["next"]).json()

    assert (first["next"], first["previous"]) == (
        "http://testserver/api/v1/search/?page=2&q=lemur", None)
    assert (second["next"], second["previous"]) == (
        None, "http://testserver/api/v1/search/?page=1&q=lemur")
    assert [row["title"] for row in first["results"] + second["results"]] == titles
    assert set(first) == {"next", "previous", "results"}


@pytest.mark.parametrize("page", ["0", "-1", "two", "1.5"])
def test_search_api_invalid_page_is_404(api, page):
    assert api.get("/api/v1/search/", {"q": "lemur", "page": page}).status_code == 404


def test_search_page_links_to_more_results_not_a_count(client, two_per_page):
    titles = _lemurs(3)

    first = client.get("/search/", {"q": "lemur"})
    second = client.get("/search/", {"q": "lemur", "page": "2"})

    assert [entry.title for entry in first.context["page"].entries] == titles[:2]
    assert [entry.title for entry in second.context["page"].entries] == titles[2:]
    assert '<a href="?q=lemur&amp;page=2" rel="next">More results</a>' in first.content.decode()
    assert '<a href="?q=lemur&amp;page=1" rel="prev">Previous</a>' in second.content.decode()
    assert "More results" not in second.content.decode()


def test_search_ranks_only_the_newest_candidates(api, monkeypatch):
    TopicFactory(title="Okapi okapi", description="Okapi in the title and body.")
    TopicFactory(title="Second", description="An okapi.")
    TopicFactory(title="Third", description="An okapi.")
    _index()
    assert _titles(api, q="okapi")[0] == "Okapi okapi"

    monkeypatch.setattr(search, "RANKED_CANDIDATES", 2)
    cache.clear()  # the same URL with other settings, not other data: no cached page

    assert _titles(api, q="okapi") == ["Third", "Second"]


def _entries_matching_from_newest(words_by_topic):
    """Topics titled in order (the last is the newest entry); returns their titles."""
    for title in words_by_topic:
        TopicFactory(title=title, description="Plain text.")
    _index()


@pytest.fixture
def windows_of_two(monkeypatch):
    """Two candidates ranked, looked for first among the newest 2 x 2 entries."""
    monkeypatch.setattr(search, "RANKED_CANDIDATES", 2)
    monkeypatch.setattr(search, "CANDIDATE_WINDOWS", (2,))


@ON_POSTGRES
def test_search_candidates_found_in_the_newest_window_alone(windows_of_two):
    _entries_matching_from_newest(["Old okapi", "Older okapi", "Filler one", "Filler two",
                                   "New okapi", "Newest okapi"])
    matches = SearchEntry.objects.filter(
        search_vector=search.SearchQuery("okapi", config=search.CONFIG))
    assert sorted(SearchEntry.objects.filter(pk__in=search._newest_matches(matches))
                  .values_list("title", flat=True)) == ["New okapi", "Newest okapi"]


@ON_POSTGRES
def test_search_candidates_past_the_newest_window_come_from_the_next(api, windows_of_two):
    _entries_matching_from_newest(["Oldest okapi", "Old okapi", "Filler one", "Filler two",
                                   "Filler three", "Newest okapi"])
    assert _titles(api, q="okapi") == ["Newest okapi", "Old okapi"]


def test_search_page_past_the_candidates_is_empty_without_a_query(
        api, monkeypatch, django_assert_num_queries):
    _lemurs(3)
    monkeypatch.setattr(search, "RANKED_CANDIDATES", 2)
    monkeypatch.setattr(search, "PER_PAGE", 2)
    with django_assert_num_queries(1):  # the stats version (registry.core.caching) only
        response = api.get("/api/v1/search/", {"q": "lemur", "page": "2"})
    assert response.json() == {"next": None,
                               "previous": "http://testserver/api/v1/search/?page=1&q=lemur",
                               "results": []}


def _fill(cursor, n):
    """n more matching entries, for a realistic plan (see the GIN index test)."""
    cursor.execute(
        "INSERT INTO registry_searchentry (kind, object_id, title, body, status, url, "
        "updated_at, search_vector) SELECT 'writeup', 1000000 + g, 'Filler ' || g, "
        "'lemur verification of compute agreements', 'published', '/', now(), "
        "to_tsvector('english', 'Filler lemur verification of compute agreements') "
        "FROM generate_series(1, %s) AS g", [n])
    cursor.execute("ANALYZE registry_searchentry")


def _headline_rows(plan) -> list[int]:
    """Actual rows of the plan nodes that compute ts_headline (not only pass it up)."""
    rows = []
    for child in plan.get("Plans", []):
        rows += _headline_rows(child)
    computes = any("ts_headline" in column for column in plan.get("Output", []))
    if computes and not rows:
        rows.append(plan["Actual Rows"] * plan["Actual Loops"])
    return rows


@ON_POSTGRES
def test_search_headline_only_for_the_page_and_ranking_bounded_on_postgres(monkeypatch):
    monkeypatch.setattr(search, "RANKED_CANDIDATES", 300)
    page = search.search_entries(search.SearchFilters(q="lemur"))[:21]
    sql, params = page.query.sql_with_params()
    with connection.cursor() as cursor:
        _fill(cursor, 3000)
        cursor.execute(f"EXPLAIN (ANALYZE, VERBOSE, FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0][0]["Plan"]
    assert _headline_rows(plan) == [21]
    assert "ts_rank" in json.dumps(plan)
    assert max(_ranked_rows(plan)) == 300


def _ranked_rows(plan) -> list[int]:
    """Actual rows of the nodes that compute ts_rank (the sort keys), anywhere in the plan."""
    rows = [_ranked_rows(child) for child in plan.get("Plans", [])]
    found = [n for child in rows for n in child]
    keys = " ".join(plan.get("Sort Key", []))
    if "ts_rank" in keys:
        found.append(plan["Plans"][0]["Actual Rows"] * plan["Plans"][0]["Actual Loops"])
    return found
