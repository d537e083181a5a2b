"""Django's caches, fitted: Redis with one connection pool per process, files with an
atomic `add`.

Redis: Django keeps a cache object per async context, so under ASGI each request builds a
new cache client, and its pool opens a new connection to Redis: a millisecond and a
socket in TIME_WAIT for every page. Here the processes' cache objects share one
client per server address and options. redis-py's pool is thread-safe and notices a
fork; the client keeps connections, never anything of a request.
"""

import os
import tempfile
import threading
from collections.abc import Callable
from functools import cached_property
from typing import Any, BinaryIO

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache as DjangoFileBasedCache
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


class FileBasedCache(DjangoFileBasedCache):
    """Django's file cache (the cache without Redis), where one of parallel `add`s wins.

    Django's `add` looks for the file and then writes it, so parallel callers, in one
    process or several, all "add" the same key. allauth takes the lock around its
    sign-in and sign-up rate limits with `add`, so those limits leaked. Here the entry
    is written to a temporary file and hard-linked to its name, which fails when the
    name exists: exactly one caller wins.
    """

    # Django's; django-stubs does not declare them.
    _dir: str
    _createdir: Callable[[], None]
    _cull: Callable[[], None]
    _key_to_file: Callable[[Any, int | None], str]
    _write_content: Callable[[BinaryIO, float | None, Any], None]

    def add(
        self,
        key: Any,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> bool:
        if self.has_key(key, version):  # also deletes the file of an expired entry
            return False
        self._createdir()  # the cache folder can be deleted at any time
        self._cull()
        fd, tmp_path = tempfile.mkstemp(dir=self._dir)
        try:
            with open(fd, "wb") as f:
                self._write_content(f, timeout, value)
            os.link(tmp_path, self._key_to_file(key, version))
        except FileExistsError:
            return False
        finally:
            os.remove(tmp_path)
        return True
