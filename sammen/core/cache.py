"""Django's Redis cache with one connection pool per process, not one per request.

Django keeps a cache object per async context, so under ASGI each request builds a
new cache client, and its pool opens a new connection to Redis: a millisecond and a
socket in TIME_WAIT for every page. Here the processes' cache objects share one
client per server address and options. redis-py's pool is thread-safe and notices a
fork; the client keeps connections, never anything of a request.
"""

import threading
from functools import cached_property
from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

_clients: dict[str, RedisCacheClient] = {}
_clients_lock = threading.Lock()


class RedisCache(DjangoRedisCache):
    # Set by Django's __init__; django-stubs does not declare them.
    _servers: list[str]
    _options: dict[str, Any]
    _class: type[RedisCacheClient]

    @cached_property
    def _cache(self) -> Any:
        key = repr((self._servers, sorted(self._options.items())))
        with _clients_lock:
            client = _clients.get(key)
            if client is None:
                client = _clients[key] = self._class(self._servers, **self._options)
        return client
