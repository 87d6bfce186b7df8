"""Django's Redis cache, keeping one client per connection pool.

Django's RedisCacheClient builds a new redis.Redis for every cache call. Each one rebuilds
redis-py's table of ~170 response callbacks (redis/redis-py#3624), and a signed-in page makes
several calls (its session, the header's unread count, shared fragments): the bench's profile
counted 4 clients and 676 dictionary inserts per request. A redis.Redis over a pool is
thread-safe and holds no connection of its own, so one per pool serves every call; the pool
still hands each command a connection, and reconnects after a fork as before.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(
                connection_pool=self._get_connection_pool(write))
        return client


class ReusedClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
