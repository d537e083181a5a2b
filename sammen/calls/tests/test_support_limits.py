"""Supports without an account are limited per network, exactly, and in a bucket of their own."""

import os
from contextlib import AbstractContextManager
from unittest import mock, skipUnless

from django.test import Client, TransactionTestCase
from django.urls import reverse

from sammen.accounts.actions import do_create_account
from sammen.calls.models import Idea, Support
from sammen.calls.views import support
from sammen.core.tests.test_ratelimit import redis_answers, redis_cache
from sammen.testing import BaseTestCase, cache_without_redis, fresh_window, in_parallel, make_space
from sammen.testing.calls import make_call, make_idea

LIMIT = 10
PARALLEL = 30


def support_url(idea: Idea) -> str:
    activity = idea.call.activity
    return reverse("calls:support", args=[activity.space.slug, activity.slug, idea.pk])


class ParallelSupportTests(TransactionTestCase):
    def test_parallel_cookieless_supports_from_one_address_stop_exactly_at_the_limit(self):
        self.assert_parallel_supports_stop_at_the_limit(cache_without_redis())

    @skipUnless(redis_answers() or os.environ.get("CI"), "no Redis on 127.0.0.1:6379")
    def test_with_redis_parallel_supports_stop_exactly_at_the_limit(self):
        self.assert_parallel_supports_stop_at_the_limit(redis_cache())

    def assert_parallel_supports_stop_at_the_limit(self, cache: AbstractContextManager) -> None:
        owner = do_create_account("owner@example.org", "x" * 12, "Owner")
        call = make_call(make_space(owner, "Busy Museum"), owner, supporters="anyone")
        idea = make_idea(call, owner)
        url = support_url(idea)

        def support_once(_number: int) -> int:
            # A new browser each time, as a script that drops its cookies is.
            return Client(REMOTE_ADDR="203.0.113.9").post(url).status_code

        fresh_window(3600)
        with (
            cache,
            mock.patch.object(support, "NEW_PARTICIPANTS_PER_IP_PER_HOUR", LIMIT),
        ):
            statuses = in_parallel(PARALLEL, support_once)
        self.assertEqual(set(statuses), {302})
        self.assertEqual(Support.objects.filter(idea=idea).count(), LIMIT)
        idea.refresh_from_db()
        self.assertEqual(idea.support_count, LIMIT)


class SupportBucketTests(BaseTestCase):
    def setUp(self) -> None:
        self.call = make_call(self.museum, self.alice, supporters="anyone")
        self.idea = make_idea(self.call, self.bob)

    def support_from(self, address: str) -> None:
        Client(REMOTE_ADDR=address).post(support_url(self.idea))

    def test_ipv6_visitors_of_one_64_bit_network_share_one_limit(self):
        with mock.patch.object(support, "NEW_PARTICIPANTS_PER_IP_PER_HOUR", 2):
            for host in range(1, 5):
                self.support_from(f"2001:db8:7:7::{host:x}")
            self.support_from("2001:db8:7:8::1")  # the next network has its own
        self.assertEqual(Support.objects.filter(idea=self.idea).count(), 3)

    def test_ipv4_visitors_are_limited_by_their_whole_address(self):
        with mock.patch.object(support, "NEW_PARTICIPANTS_PER_IP_PER_HOUR", 2):
            for host in range(1, 5):
                self.support_from(f"192.0.2.{host}")
        self.assertEqual(Support.objects.filter(idea=self.idea).count(), 4)
