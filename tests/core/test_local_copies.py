"""Each process keeps copies of the shared cache's versioned entries (registry.core.caching
LocalCopies): read without a round trip to Redis, bounded in bytes and in time, never shared
with the reader as the stored object itself, and never in the way of a person seeing their
own change (a change is stored under a new key)."""

import pickle
from unittest import mock

import pytest
from django.core.cache import cache
from django.test import Client

from proposals import services as proposal_services
from registry import services
from registry.core import caching
from registry.core.caching import LocalCopies, versioned_get, versioned_set
from tests.factories import ClusterFactory, ProposalFactory, TopicFactory


@pytest.fixture
def copies(monkeypatch):
    """Local copies switched on, as where the shared cache is Redis (the tests' cache is the
    process's own memory, where they are off)."""
    local = LocalCopies(max_bytes=1024 * 1024, seconds=60)
    monkeypatch.setattr(caching, "_local_copies", local)
    return local


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(caching.time, "monotonic", lambda: now[0])
    return now


def test_local_copies_get_returns_a_fresh_copy_each_time():
    local = LocalCopies(max_bytes=1000, seconds=60)
    local.set("key", {"topics": ["a"]})
    local.get("key")["topics"].append("changed by a reader")
    assert local.get("key") == {"topics": ["a"]}


ENTRY = "x" * 50
ENTRY_BYTES = len(pickle.dumps(ENTRY, pickle.HIGHEST_PROTOCOL))


def test_local_copies_past_max_bytes_drop_the_least_recently_read():
    local = LocalCopies(max_bytes=8 * ENTRY_BYTES, seconds=60)
    keys = [f"key-{n}" for n in range(9)]
    for key in keys[:8]:
        local.set(key, ENTRY)
    local.get("key-0")
    local.set("key-8", ENTRY)
    assert [key for key in keys if local.get(key) is None] == ["key-1"]


def test_local_copies_entry_larger_than_an_eighth_is_not_kept():
    local = LocalCopies(max_bytes=8 * ENTRY_BYTES, seconds=60)
    local.set("small", ENTRY)
    local.set("large", ENTRY + "x")
    assert (local.get("small"), local.get("large")) == (ENTRY, None)


def test_local_copies_entry_past_its_seconds_is_gone(clock):
    local = LocalCopies(max_bytes=1000, seconds=60)
    local.set("key", "value")
    clock[0] += 59.9
    assert local.get("key") == "value"
    clock[0] += 0.1
    assert local.get("key") is None


def test_local_copies_zero_bytes_keeps_nothing():
    local = LocalCopies(max_bytes=0, seconds=60)
    local.set("key", "value")
    assert local.get("key") is None


def test_local_copies_set_again_replaces_and_counts_bytes_once():
    local = LocalCopies(max_bytes=8 * ENTRY_BYTES, seconds=60)
    for _ in range(10):
        local.set("key", ENTRY)
    for n in range(7):
        local.set(f"other-{n}", ENTRY)
    assert all(local.get(key) == ENTRY for key in ["key", *(f"other-{n}" for n in range(7))])


def test_versioned_get_reads_the_shared_cache_once_then_its_copy(copies):
    cache.set("shared-fragment-2:gaps:7:abc", ("", "<table></table>"))
    with mock.patch.object(caching, "cache", wraps=cache) as shared:
        reads = [versioned_get("shared-fragment-2:gaps:7:abc") for _ in range(3)]
    assert reads == [("", "<table></table>")] * 3
    assert shared.get.call_count == 1


def test_versioned_get_missing_everywhere_is_none(copies):
    assert versioned_get("shared-fragment-2:gaps:8:abc") is None


def test_versioned_set_stores_in_both(copies):
    versioned_set("home:9:en", ["topic"], 600)
    assert (cache.get("home:9:en"), copies.get("home:9:en")) == (["topic"], ["topic"])


def test_versioned_set_without_copies_stores_only_in_the_shared_cache(settings, monkeypatch):
    monkeypatch.setattr(caching, "_local_copies", None)
    settings.LOCAL_CACHE_MAX_BYTES = 0
    versioned_set("home:9:en", ["topic"], 600)
    assert (cache.get("home:9:en"), caching.local_copies().get("home:9:en")) == (["topic"], None)


def _shared_reads(client, path) -> int:
    with mock.patch.object(caching, "cache", wraps=cache) as shared:
        assert client.get(path).status_code == 200
    return shared.get.call_count


def test_signed_in_page_with_copies_asks_the_shared_cache_only_for_the_inbox_stamp(
        copies, alice):
    """The gaps page's header, table and footer and the header's unread count all come from
    this process's copies; the person's inbox stamp (which moves in place) is read each time."""
    TopicFactory()
    client = Client()
    client.force_login(alice)
    client.get("/gaps/")
    assert _shared_reads(client, "/gaps/") == 1


@pytest.mark.parametrize(("path", "before", "after"), [
    ("/gaps/", '<a href="/topics/quiet-topic/">Quiet topic</a>', None),
    *((path, '<span class="badge badge-gap" title="Nobody is working on this yet">gap</span>',
       '<span class="badge badge-claimed" title="Someone is working on this">claimed</span>')
      for path in ("/clusters/security/", "/")),
])
def test_local_copies_page_shows_the_persons_own_claim_at_once(copies, alice, path, before,
                                                               after):
    topic = TopicFactory(slug="quiet-topic", title="Quiet topic",
                         cluster=ClusterFactory(slug="security", name="Security"))
    client = Client()
    client.force_login(alice)
    assert before in client.get(path).content.decode()
    services.claim_create(topic=topic, person=alice, plan="A plan.")
    page = client.get(path).content.decode()
    assert before not in page
    assert after is None or after in page


def test_local_copies_board_shows_the_persons_own_move_at_once(copies, alice):
    proposal = ProposalFactory(author=alice, title="Moving proposal")
    client = Client()
    client.force_login(alice)
    board = client.get("/proposals/").content.decode()
    assert board.index("Moving proposal") < board.index('id="col-proposal"')
    proposal_services.proposal_move(proposal=proposal, to="proposal", actor=alice)
    board = client.get("/proposals/").content.decode()
    assert board.index('id="col-proposal"') < board.index("Moving proposal")
