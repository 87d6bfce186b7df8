"""A statement carries at most 65,535 parameters under server-side binding (PostgreSQL's
protocol counts them in 16 bits): long `__in` lists go as one array (registry.core.lookups),
bulk writes go in batches that fit (config.postgresql)."""

import pytest
from django.db import connection
from django.utils import timezone

from registry.core.lookups import LONG_LIST
from registry.discovery.models import SearchEntry
from registry.models import Topic, Writeup
from tests.factories import TopicFactory, UserFactory, WriteupFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql"
        or not connection.settings_dict["OPTIONS"].get("server_side_binding"),
        reason="the limit exists only where PostgreSQL binds the parameters"),
]
MORE_THAN_A_STATEMENT_CARRIES = 70_000


def _sql(queryset) -> str:
    return queryset.query.get_compiler(using=queryset.db).as_sql()[0]


def test_in_lookup_with_more_values_than_a_statement_carries_finds_the_rows():
    topics = TopicFactory.create_batch(2)
    absent = range(10**9, 10**9 + MORE_THAN_A_STATEMENT_CARRIES)
    found = Topic.objects.filter(pk__in=[topics[1].pk, *absent, topics[0].pk])
    assert sorted(found.values_list("pk", flat=True)) == sorted(t.pk for t in topics)


def test_in_lookup_on_a_foreign_key_with_more_values_than_a_statement_carries_finds_the_rows():
    author = UserFactory()
    writeup = WriteupFactory(author=author)
    WriteupFactory()
    absent = range(10**9, 10**9 + MORE_THAN_A_STATEMENT_CARRIES)
    assert list(Writeup.objects.filter(author__in=[author.pk, *absent])
                .values_list("pk", flat=True)) == [writeup.pk]
    assert list(Writeup.objects.filter(author_id__in=[*absent, author.pk])
                .values_list("pk", flat=True)) == [writeup.pk]


def test_in_lookup_past_the_long_list_sends_one_array_and_short_ones_stay_lists():
    long_list = Topic.objects.filter(pk__in=range(1, LONG_LIST + 2))
    short_list = Topic.objects.filter(pk__in=range(1, LONG_LIST + 1))
    assert _sql(long_list).count("%s") == 1
    assert '"registry_topic"."id" = ANY(%s)' in _sql(long_list)
    assert _sql(short_list).count("%s") == LONG_LIST


def test_in_lookup_with_a_long_list_of_text_finds_the_rows():
    topic = TopicFactory(slug="export-controls")
    slugs = [f"absent-{n}" for n in range(MORE_THAN_A_STATEMENT_CARRIES)]
    assert list(Topic.objects.filter(slug__in=[*slugs, "export-controls"])
                .values_list("pk", flat=True)) == [topic.pk]


def test_in_lookup_with_a_long_list_leaves_none_out_as_in_lists_do():
    topic = TopicFactory()
    values = [None, *range(10**9, 10**9 + LONG_LIST + 1), topic.pk]
    assert list(Topic.objects.filter(pk__in=values).values_list("pk", flat=True)) == [topic.pk]


def test_bulk_create_of_more_parameters_than_a_statement_carries_stores_every_row():
    # SearchEntry's search_vector keeps Django from sending the rows as arrays (UNNEST):
    # every value of every row is a parameter.
    fields = len(SearchEntry._meta.concrete_fields) - 1  # all but the id
    rows = MORE_THAN_A_STATEMENT_CARRIES // fields + 1
    SearchEntry.objects.bulk_create(
        SearchEntry(kind=SearchEntry.Kind.WRITEUP, object_id=10**9 + n, title=f"Note {n}",
                    url=f"/writeups/{10**9 + n}/", updated_at=timezone.now())
        for n in range(rows))
    assert SearchEntry.objects.filter(object_id__gte=10**9).count() == rows
