"""The production cache backend (registry.core.redis_cache): Django's Redis cache with one
client per pool, against the Redis .ci/run starts."""

import os
import uuid

import pytest

from registry.core.redis_cache import ReusedClientRedisCache

pytestmark = pytest.mark.skipif(
    os.system("redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1") != 0,
    reason="needs Redis at 127.0.0.1:6379; .ci/run starts it",
)


@pytest.fixture
def redis_cache():
    cache = ReusedClientRedisCache("redis://127.0.0.1:6379/9",
                                   {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    yield cache
    cache.clear()


def test_redis_cache_client_is_built_once_for_many_calls(redis_cache):
    redis_cache.set("a", 1)
    first = redis_cache._cache.get_client()

    redis_cache.get("a")
    redis_cache.get_many(["a", "b"])

    assert redis_cache._cache.get_client(write=True) is first
    assert redis_cache._cache.get_client() is first


def test_redis_cache_stores_reads_and_deletes_through_the_reused_client(redis_cache):
    redis_cache.set("claim", {"state": "active"}, 60)
    redis_cache.set_many({"x": 1, "y": 2})

    assert redis_cache.get("claim") == {"state": "active"}
    assert redis_cache.get_many(["x", "y", "z"]) == {"x": 1, "y": 2}
    assert redis_cache.delete("claim") is True
    assert redis_cache.get("claim", "gone") == "gone"
