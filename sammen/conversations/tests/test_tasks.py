"""Recomputing maps in the background: once per burst of votes, and never forgetting the last."""

from django.core.cache import cache
from django.test import override_settings
from django_tasks import task_backends

from sammen.accounts.actions import do_create_anonymous_participant
from sammen.testing import BaseTestCase
from sammen.testing.conversations import make_conversation, statements_of, vote_in_camps

from ..actions import do_recompute_opinion_map, do_vote
from ..models import StoredMap
from ..tasks import MIN_DELAY_SECONDS, is_stale, recompute_opinion_map, schedule_recompute

DEFERRING = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


class ImmediateBackendTests(BaseTestCase):
    def test_a_backend_that_cannot_wait_recomputes_at_once(self):
        conversation = make_conversation(self.museum, self.alice)
        vote_in_camps(conversation, people=4)
        self.assertTrue(schedule_recompute(conversation.pk))
        self.assertTrue(StoredMap.objects.filter(pk=conversation.pk).exists())

    def test_the_task_ignores_a_conversation_that_is_gone(self):
        recompute_opinion_map.call(987654)
        self.assertFalse(StoredMap.objects.exists())


@override_settings(TASKS=DEFERRING)
class DebounceTests(BaseTestCase):
    def setUp(self) -> None:
        cache.clear()
        self.conversation = make_conversation(self.museum, self.alice)
        self.backend = task_backends["default"]
        self.backend.results.clear()  # type: ignore[attr-defined]

    def queued(self) -> list:
        return list(self.backend.results)  # type: ignore[attr-defined]

    def test_a_burst_of_votes_queues_one_recompute_a_few_seconds_later(self):
        voter = do_create_anonymous_participant()
        with self.captureOnCommitCallbacks(execute=True):
            for statement in statements_of(self.conversation):
                do_vote(voter, statement, 1)
        [queued] = self.queued()
        self.assertEqual(queued.args, [self.conversation.pk])
        waited = (queued.task.run_after - queued.enqueued_at).total_seconds()
        self.assertAlmostEqual(waited, MIN_DELAY_SECONDS, delta=1)
        self.assertFalse(StoredMap.objects.exists())  # nothing computed in the request

    def test_a_task_that_finds_newer_votes_asks_again(self):
        vote_in_camps(self.conversation, people=4)
        with self.captureOnCommitCallbacks(execute=True):
            schedule_recompute(self.conversation.pk)
        [queued] = self.queued()
        # A vote arrives while the task computes: the debounce mark still holds it back.
        real = do_recompute_opinion_map

        def computing_while_someone_votes(conversation):
            stored = real(conversation)
            do_vote(do_create_anonymous_participant(), statements_of(conversation)[0], -1)
            return stored

        from unittest.mock import patch

        with patch(
            "sammen.conversations.actions.do_recompute_opinion_map", computing_while_someone_votes
        ):
            recompute_opinion_map.call(*queued.args)
        self.assertEqual(len(self.queued()), 2)

    def test_a_task_with_nothing_new_does_not_ask_again(self):
        vote_in_camps(self.conversation, people=4)
        recompute_opinion_map.call(self.conversation.pk)
        self.assertEqual(self.queued(), [])
        stored = StoredMap.objects.get(pk=self.conversation.pk)
        self.assertFalse(is_stale(self.conversation, stored))

    def test_a_slow_map_is_recomputed_less_often(self):
        vote_in_camps(self.conversation, people=4)
        do_recompute_opinion_map(self.conversation)
        StoredMap.objects.filter(pk=self.conversation.pk).update(seconds=40)
        schedule_recompute(self.conversation.pk)
        [queued] = self.queued()
        self.assertAlmostEqual(
            (queued.task.run_after - queued.enqueued_at).total_seconds(), 80, delta=1
        )
