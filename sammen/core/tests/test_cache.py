"""The Redis cache keeps one connection pool per process; the file cache adds atomically."""

from allauth.core import ratelimit
from django.core.cache import cache
from django.test import RequestFactory, SimpleTestCase, TransactionTestCase

from sammen.core.cache import RedisCache
from sammen.testing import cache_without_redis, in_parallel

PARALLEL = 30


class RedisCacheTests(SimpleTestCase):
    def test_cache_objects_of_one_process_share_their_redis_client(self):
        # Django builds a cache object per request under ASGI; each used to open its own pool.
        first = RedisCache("redis://127.0.0.1:6379/15", {})
        second = RedisCache("redis://127.0.0.1:6379/15", {})
        other = RedisCache("redis://127.0.0.1:6379/14", {})
        self.assertIs(first._cache, second._cache)
        self.assertIsNot(first._cache, other._cache)


class FileCacheTests(TransactionTestCase):
    """The cache of an instance without Redis: files in a folder (settings.py)."""

    def setUp(self) -> None:
        self.enterContext(cache_without_redis())

    def test_of_parallel_adds_of_one_key_exactly_one_wins(self):
        # allauth takes the lock around its rate limits with cache.add.
        won = in_parallel(PARALLEL, lambda number: cache.add("lock", number, timeout=10))
        self.assertEqual(won.count(True), 1)
        self.assertEqual(cache.get("lock"), won.index(True))

    def test_an_expired_entry_can_be_added_again(self):
        cache.set("lock", "old", timeout=-1)
        self.assertTrue(cache.add("lock", "new", timeout=10))
        self.assertFalse(cache.add("lock", "newer", timeout=10))
        self.assertEqual(cache.get("lock"), "new")

    def test_parallel_password_resets_for_one_email_stop_at_allauths_limit(self):
        def reset(_number: int) -> bool:
            request = RequestFactory().post("/accounts/password/reset/", REMOTE_ADDR="192.0.2.9")
            return ratelimit.consume(request, action="reset_password", key="someone@example.org")

        allowed = in_parallel(PARALLEL, reset)
        self.assertGreaterEqual(allowed.count(True), 1)
        self.assertLessEqual(allowed.count(True), 5)  # ACCOUNT_RATE_LIMITS: 5/m/key
