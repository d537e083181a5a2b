"""The Redis cache keeps one connection pool per process."""

from django.test import SimpleTestCase

from sammen.core.cache import RedisCache


class RedisCacheTests(SimpleTestCase):
    def test_cache_objects_of_one_process_share_their_redis_client(self):
        # Django builds a cache object per request under ASGI; each used to open its own pool.
        first = RedisCache("redis://127.0.0.1:6379/15", {})
        second = RedisCache("redis://127.0.0.1:6379/15", {})
        other = RedisCache("redis://127.0.0.1:6379/14", {})
        self.assertIs(first._cache, second._cache)
        self.assertIsNot(first._cache, other._cache)
