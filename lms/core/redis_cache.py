"""Django's Redis cache, keeping one redis-py client per connection pool instead of building one per call.

Django's RedisCacheClient makes a new `redis.Redis` for every cache operation, and each one builds its
table of some 160 response callbacks: about a tenth of a millisecond, paid for the session on every request,
the paper facts on every save and the paper on every start (#10). A redis-py client is safe to share
(connections come from its pool), and Django gives each thread its own cache object anyway.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)  # random among replicas for a read: asked once
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(self._servers[index], **self._pool_options)
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


class ReusingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
