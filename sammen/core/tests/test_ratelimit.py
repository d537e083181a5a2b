"""Rate limits count every attempt once, however many arrive at the same moment."""

import os
import uuid
from datetime import UTC, datetime
from unittest import mock, skipUnless

import redis
from django.test import RequestFactory, SimpleTestCase, TestCase, TransactionTestCase
from django.test.utils import override_settings

from sammen.core.models import RateLimitCounter
from sammen.core.ratelimit import allow, client_ip, delete_expired_counters, first_refused
from sammen.core.schedule import run_daily_jobs
from sammen.testing import cache_without_redis, fresh_window, in_parallel

PARALLEL = 40
LIMIT = 10
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


def redis_answers() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


def redis_cache() -> override_settings:
    """The cache of an instance with REDIS_URL, under a prefix no other test uses."""
    return override_settings(
        CACHES={
            "default": {
                "BACKEND": "sammen.core.cache.RedisCache",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": f"sammen-test-{uuid.uuid4().hex}",
            }
        }
    )


class ParallelAttemptsTests(TransactionTestCase):
    def test_without_redis_exactly_the_limit_passes(self):
        fresh_window(3600)
        with cache_without_redis():
            passed = in_parallel(PARALLEL, lambda _n: allow("test:parallel", LIMIT, 3600))
        self.assertEqual(passed.count(True), LIMIT)

    @skipUnless(redis_answers() or os.environ.get("CI"), "no Redis on 127.0.0.1:6379")
    def test_with_redis_exactly_the_limit_passes(self):
        fresh_window(3600)
        with redis_cache():
            passed = in_parallel(PARALLEL, lambda _n: allow("test:parallel", LIMIT, 3600))
        self.assertEqual(passed.count(True), LIMIT)


class CountingTests(TestCase):
    def setUp(self) -> None:
        self.enterContext(cache_without_redis())  # even when the suite runs with REDIS_URL

    def test_each_key_and_each_window_counts_on_its_own(self):
        with mock.patch("sammen.core.ratelimit.time.time", return_value=7200.0):
            self.assertEqual([allow("test:a", 2, 3600) for _ in range(3)], [True, True, False])
            self.assertTrue(allow("test:b", 2, 3600))
            self.assertTrue(allow("test:a", 2, 60))  # another length is another limit
        with mock.patch("sammen.core.ratelimit.time.time", return_value=7200.0 + 3600):
            self.assertTrue(allow("test:a", 2, 3600))

    def test_the_counters_keep_no_address_or_email_in_the_clear(self):
        allow("test:email:someone@example.org", 3, 3600)
        allow("test:ip:192.0.2.7", 3, 3600)
        keys = " ".join(RateLimitCounter.objects.values_list("key", flat=True))
        self.assertNotIn("example.org", keys)
        self.assertNotIn("192.0.2.7", keys)

    def test_the_daily_jobs_delete_the_counters_of_past_windows(self):
        with mock.patch("sammen.core.ratelimit.time.time", return_value=7210.0):
            allow("test:minute", 3, 60)  # its window ends at 7260 s
            allow("test:hour", 3, 3600)  # its window ends at 10800 s
        later = datetime.fromtimestamp(7300, tz=UTC)
        self.assertEqual(delete_expired_counters(later), 1)
        self.assertEqual(RateLimitCounter.objects.count(), 1)
        run_daily_jobs.call()
        self.assertEqual(RateLimitCounter.objects.count(), 0)

    @skipUnless(redis_answers() or os.environ.get("CI"), "no Redis on 127.0.0.1:6379")
    def test_with_redis_the_counter_ends_with_its_window(self):
        with redis_cache():
            from django.core.cache import cache

            with mock.patch("sammen.core.ratelimit.time.time", return_value=7200.0):
                self.assertEqual([allow("test:r", 2, 60) for _ in range(3)], [True, True, False])
            with mock.patch("sammen.core.ratelimit.time.time", return_value=7260.0):
                self.assertTrue(allow("test:r", 2, 60))
            client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
            keys = client.keys(cache.make_key("ratelimit:*"))
            self.assertEqual(len(keys), 2)
            self.assertTrue(all(client.ttl(key) > 0 for key in keys))
            self.assertEqual(RateLimitCounter.objects.count(), 0)


class ClientAddressTests(SimpleTestCase):
    def address(self, remote_addr: str) -> str:
        return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote_addr))

    def test_an_ipv4_client_is_its_whole_address(self):
        self.assertEqual(self.address("192.0.2.7"), "192.0.2.7")
        self.assertNotEqual(self.address("192.0.2.7"), self.address("192.0.2.8"))

    def test_an_ipv6_client_is_its_64_bit_network(self):
        # One household or phone gets a whole /64 and can pick any address in it.
        first = self.address("2001:db8:1:2::1")
        self.assertEqual(first, "2001:db8:1:2::/64")
        self.assertEqual(self.address("2001:db8:1:2:ffff:ffff:ffff:ffff"), first)
        self.assertEqual(self.address("2001:DB8:1:2:0:0:0:abcd"), first)
        self.assertNotEqual(self.address("2001:db8:1:3::1"), first)

    def test_an_ipv4_client_seen_through_ipv6_is_its_ipv4_address(self):
        self.assertEqual(self.address("::ffff:192.0.2.7"), "192.0.2.7")

    def test_an_unreadable_address_is_kept_as_it_is(self):
        self.assertEqual(self.address("unknown"), "unknown")
        self.assertEqual(self.address(""), "unknown")


class SeveralLimitsTests(TestCase):
    """first_refused: a write under a person's limit and their network's, counted at once."""

    def setUp(self) -> None:
        self.enterContext(cache_without_redis())

    def check_in_order(self) -> None:
        limits = [("test:person", 2, 60), ("test:network", 3, 60)]
        with mock.patch("sammen.core.ratelimit.time.time", return_value=7200.0):
            self.assertEqual([first_refused(limits) for _ in range(3)], [None, None, 0])
            # The refused attempt was not counted against the network: one place is left.
            self.assertIsNone(first_refused([("test:other", 5, 60), ("test:network", 3, 60)]))
            self.assertEqual(first_refused([("test:other", 5, 60), ("test:network", 3, 60)]), 1)
            self.assertFalse(allow("test:network", 3, 60))  # the same counter as allow()'s
        with mock.patch("sammen.core.ratelimit.time.time", return_value=7260.0):
            self.assertIsNone(first_refused(limits))  # a new window

    def test_without_redis_the_first_limit_passed_is_named(self):
        self.check_in_order()

    @skipUnless(redis_answers() or os.environ.get("CI"), "no Redis on 127.0.0.1:6379")
    def test_with_redis_the_first_limit_passed_is_named_in_one_round_trip(self):
        with redis_cache():
            from django.core.cache import cache

            client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
            with mock.patch.object(type(client), "eval", wraps=client.eval) as script:
                self.check_in_order()
            self.assertEqual(script.call_count, 6)  # one per call of first_refused
            keys = client.keys(cache.make_key("ratelimit:*"))
            self.assertTrue(keys)
            self.assertTrue(all(0 < client.ttl(key) <= 60 for key in keys))
            self.assertEqual(RateLimitCounter.objects.count(), 0)


class ParallelSeveralLimitsTests(TransactionTestCase):
    @skipUnless(redis_answers() or os.environ.get("CI"), "no Redis on 127.0.0.1:6379")
    def test_with_redis_exactly_the_limit_passes_in_parallel(self):
        fresh_window(3600)
        limits = [("test:parallel-person", LIMIT, 3600), ("test:parallel-network", 1000, 3600)]
        with redis_cache():
            refused = in_parallel(PARALLEL, lambda _n: first_refused(limits))
        self.assertEqual(refused.count(None), LIMIT)
        self.assertEqual(refused.count(0), PARALLEL - LIMIT)
