"""Deliveries: signed, retried with back-off, logged, and webhooks turned off after failures."""

import json
import time
from datetime import timedelta
from unittest import mock

from django.core import mail
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sammen.spaces.models import Role
from sammen.testing import BaseTestCase, make_activity, make_member, make_user
from sammen.testing.webhooks import make_webhook, webhook_receiver
from sammen.webhooks import actions
from sammen.webhooks.actions import (
    DISABLE_AFTER_FAILURES,
    MAX_ATTEMPTS,
    backoff,
    do_ping_webhook,
    do_record_attempt,
    do_redeliver,
)
from sammen.webhooks.models import Delivery, DeliveryError, DeliveryStatus
from sammen.webhooks.signing import verify
from sammen.webhooks.tasks import deliver_webhook

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


class DeliveryTests(BaseTestCase):
    def open_activity(self, title: str = "Storylines"):
        with self.captureOnCommitCallbacks(execute=True):
            return make_activity(self.museum, self.alice, title, open_it=True)

    def test_a_delivery_is_signed_with_the_secret_and_a_fresh_timestamp(self):
        with webhook_receiver() as receiver:
            webhook = make_webhook(self.museum, self.alice, receiver.url)
            self.open_activity()
        request = receiver.requests[0]
        self.assertTrue(
            verify(
                webhook.secret, request.headers["Sammen-Signature"], request.body, int(time.time())
            )
        )
        self.assertFalse(
            verify("0" * 64, request.headers["Sammen-Signature"], request.body, int(time.time()))
        )
        delivery = webhook.deliveries.get()
        self.assertEqual(request.headers["Sammen-Event"], "activity.opened")
        self.assertEqual(request.headers["Sammen-Delivery"], str(delivery.delivery_id))
        self.assertEqual(request.headers["Content-Type"], "application/json; charset=utf-8")
        self.assertEqual(request.path, "/hooks/sammen?via=test")
        self.assertEqual(request.body, delivery.body.encode())

    def test_the_body_names_the_event_the_space_and_the_activity_with_absolute_addresses(self):
        with webhook_receiver() as receiver:
            make_webhook(self.museum, self.alice, receiver.url)
            activity = self.open_activity("Storylines")
        body = json.loads(receiver.requests[0].body)
        self.assertEqual(body["event"], "activity.opened")
        self.assertEqual(
            body["space"],
            {
                "slug": "harbour-museum",
                "name": "Harbour Museum",
                "url": "http://127.0.0.1:8000/s/harbour-museum/",
            },
        )
        self.assertEqual(body["data"]["activity"]["id"], activity.pk)
        self.assertEqual(body["data"]["activity"]["title"], "Storylines")
        self.assertEqual(body["data"]["activity"]["phase"], "open")
        self.assertTrue(body["data"]["activity"]["url"].startswith("http://127.0.0.1:8000/s/"))
        self.assertNotIn("alice@example.org", receiver.requests[0].body.decode())

    def test_a_successful_delivery_is_logged_with_the_status_code_and_the_answer(self):
        with webhook_receiver(202, answer=b"thanks, got it") as receiver:
            webhook = make_webhook(self.museum, self.alice, receiver.url)
            self.open_activity()
        delivery = webhook.deliveries.get()
        self.assertEqual(
            (delivery.status, delivery.status_code, delivery.response_excerpt, delivery.attempts),
            (DeliveryStatus.SUCCEEDED, 202, "thanks, got it", 1),
        )
        self.assertIsNotNone(delivery.finished_at)

    def test_a_failed_attempt_is_tried_again_until_it_succeeds(self):
        with webhook_receiver(500, 503, 200) as receiver:
            webhook = make_webhook(self.museum, self.alice, receiver.url)
            self.open_activity()
        self.assertEqual(len(receiver.requests), 3)
        self.assertEqual([r.headers["Sammen-Attempt"] for r in receiver.requests], ["1", "2", "3"])
        self.assertEqual(len({r.headers["Sammen-Delivery"] for r in receiver.requests}), 1)
        self.assertEqual({r.body for r in receiver.requests}, {receiver.requests[0].body})
        delivery = webhook.deliveries.get()
        self.assertEqual((delivery.status, delivery.attempts), (DeliveryStatus.SUCCEEDED, 3))
        webhook.refresh_from_db()
        self.assertEqual(webhook.consecutive_failures, 0)

    def test_a_delivery_that_fails_every_attempt_fails_for_good_and_counts(self):
        with webhook_receiver(500) as receiver:
            webhook = make_webhook(self.museum, self.alice, receiver.url)
            self.open_activity()
        self.assertEqual(len(receiver.requests), MAX_ATTEMPTS)
        delivery = webhook.deliveries.get()
        self.assertEqual(
            (delivery.status, delivery.status_code, delivery.attempts),
            (DeliveryStatus.FAILED, 500, MAX_ATTEMPTS),
        )
        webhook.refresh_from_db()
        self.assertEqual((webhook.consecutive_failures, webhook.is_active), (1, True))

    def test_a_redirect_counts_as_a_failure(self):
        with webhook_receiver(301) as receiver:
            webhook = make_webhook(self.museum, self.alice, receiver.url)
            self.open_activity()
        self.assertEqual(webhook.deliveries.get().status, DeliveryStatus.FAILED)
        self.assertEqual(len(receiver.requests), MAX_ATTEMPTS)

    def test_a_receiver_that_cannot_be_reached_is_logged_as_such(self):
        with webhook_receiver() as receiver:
            webhook = make_webhook(self.museum, self.alice, receiver.url)
        with override_settings(
            SAMMEN_WEBHOOKS_ALLOW_HTTP=True, SAMMEN_WEBHOOKS_ALLOWED_NETWORKS=["127.0.0.1/32"]
        ):
            self.open_activity()  # the receiver has stopped: nobody listens on its port
        delivery = webhook.deliveries.get()
        self.assertEqual(
            (delivery.status, delivery.error, delivery.status_code),
            (DeliveryStatus.FAILED, DeliveryError.CONNECTION, None),
        )

    def test_after_repeated_failed_deliveries_the_webhook_is_turned_off_and_owners_emailed(self):
        dutch_owner = make_user("Sanne", preferred_language="nl")
        make_member(self.museum, dutch_owner, Role.OWNER)
        with webhook_receiver(500) as receiver:
            webhook = make_webhook(self.museum, self.alice, receiver.url)
            for number in range(DISABLE_AFTER_FAILURES):
                self.open_activity(f"Activity {number}")
            webhook.refresh_from_db()
            self.assertFalse(webhook.is_active)
            self.assertIsNotNone(webhook.disabled_at)
            self.assertEqual(webhook.consecutive_failures, DISABLE_AFTER_FAILURES)
            heard = len(receiver.requests)
            self.open_activity("One more")
            self.assertEqual(len(receiver.requests), heard, "nothing is sent while it is off")
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox), ["alice@example.org", "sanne@example.org"]
        )
        english = next(m for m in mail.outbox if m.to == ["alice@example.org"])
        dutch = next(m for m in mail.outbox if m.to == ["sanne@example.org"])
        self.assertIn("turned off", english.subject)
        self.assertIn(webhook.url, english.body)
        self.assertIn(f"/s/harbour-museum/webhooks/{webhook.pk}/", english.body)
        self.assertIn("uitgezet", dutch.subject)
        self.assertNotIn(self.bob.email, [m.to[0] for m in mail.outbox])

    def test_a_success_in_between_resets_the_count_of_failures(self):
        with webhook_receiver(*([500] * MAX_ATTEMPTS), 200, 500) as receiver:
            webhook = make_webhook(self.museum, self.alice, receiver.url)
            self.open_activity("One")
            webhook.refresh_from_db()
            self.assertEqual(webhook.consecutive_failures, 1)
            self.open_activity("Two")
        webhook.refresh_from_db()
        self.assertEqual(webhook.consecutive_failures, 0)

    def test_an_attempt_recorded_twice_counts_once(self):
        """A task the worker runs twice records its attempt once and schedules nothing more."""
        with webhook_receiver(200) as receiver:
            webhook = make_webhook(self.museum, self.alice, receiver.url)
            self.open_activity()
            delivery = webhook.deliveries.get()
            deliver_webhook.call(delivery.pk, 1)
        self.assertEqual(len(receiver.requests), 1)
        self.assertIsNone(do_record_attempt(delivery.pk, 1, status_code=500))
        delivery.refresh_from_db()
        self.assertEqual((delivery.attempts, delivery.status), (1, DeliveryStatus.SUCCEEDED))

    def test_a_queued_delivery_of_a_webhook_turned_off_meanwhile_is_not_sent(self):
        with webhook_receiver() as receiver:
            webhook = make_webhook(self.museum, self.alice, receiver.url)
            with mock.patch("sammen.webhooks.tasks.schedule_attempt"):
                delivery = do_ping_webhook(self.alice, webhook)
            actions.do_disable_webhook(self.alice, webhook)
            deliver_webhook.call(delivery.pk, 1)
        self.assertEqual(receiver.requests, [])
        delivery.refresh_from_db()
        self.assertEqual((delivery.status, delivery.error), ("failed", DeliveryError.WEBHOOK_OFF))

    def test_a_ping_is_tried_once_and_counts_as_no_failure(self):
        with webhook_receiver(500) as receiver:
            webhook = make_webhook(self.museum, self.alice, receiver.url)
            do_ping_webhook(self.alice, webhook)
        self.assertEqual(len(receiver.requests), 1)
        self.assertEqual(json.loads(receiver.requests[0].body)["event"], "ping")
        webhook.refresh_from_db()
        self.assertEqual(webhook.consecutive_failures, 0)

    def test_a_redelivery_sends_the_same_event_again_under_a_new_delivery_id(self):
        with webhook_receiver(*([500] * MAX_ATTEMPTS), 200) as receiver:
            webhook = make_webhook(self.museum, self.alice, receiver.url)
            self.open_activity()
            failed = webhook.deliveries.get()
            again = do_redeliver(self.alice, failed)
        again.refresh_from_db()
        self.assertEqual(again.status, DeliveryStatus.SUCCEEDED)
        self.assertEqual((again.event_id, again.body), (failed.event_id, failed.body))
        self.assertNotEqual(again.delivery_id, failed.delivery_id)
        self.assertEqual(receiver.requests[-1].headers["Sammen-Delivery"], str(again.delivery_id))


class BackoffTests(BaseTestCase):
    def test_the_pauses_grow_fourfold_from_a_minute(self):
        self.assertEqual(
            [backoff(attempt) for attempt in range(1, MAX_ATTEMPTS)],
            [timedelta(minutes=m) for m in (1, 4, 16, 64)],
        )

    def test_a_failed_attempt_records_when_the_next_one_is_due(self):
        with webhook_receiver() as receiver:
            webhook = make_webhook(self.museum, self.alice, receiver.url)
        with mock.patch("sammen.webhooks.tasks.schedule_attempt"):
            delivery = do_ping_webhook(self.alice, webhook)
            Delivery.objects.filter(pk=delivery.pk).update(event="activity.opened")
        now = timezone.now()
        for attempt in range(1, MAX_ATTEMPTS):
            wait = do_record_attempt(delivery.pk, attempt, status_code=500, now=now)
            self.assertEqual(wait, backoff(attempt))
            delivery.refresh_from_db()
            self.assertEqual(delivery.status, DeliveryStatus.RETRYING)
            self.assertEqual(delivery.next_attempt_at, now + backoff(attempt))
        self.assertIsNone(do_record_attempt(delivery.pk, MAX_ATTEMPTS, status_code=500, now=now))
        delivery.refresh_from_db()
        self.assertEqual((delivery.status, delivery.next_attempt_at), ("failed", None))

    def test_with_the_database_backend_the_next_attempt_waits_in_the_queue(self):
        """The task worker defers the retry (run_after): no worker waits through the pause."""
        with webhook_receiver(500) as receiver, override_settings(TASKS=DB_TASKS):
            webhook = make_webhook(self.museum, self.alice, receiver.url)
            with self.captureOnCommitCallbacks(execute=True):
                make_activity(self.museum, self.alice, open_it=True)
            first = DBTaskResult.objects.get()
            self.assertIsNone(first.task.run_after)
            self.assertEqual(first.args_kwargs["args"][1], 1)
            before = timezone.now()
            deliver_webhook.call(*first.args_kwargs["args"])
            after = timezone.now()
            retry = DBTaskResult.objects.exclude(pk=first.pk).get()
            self.assertEqual(retry.args_kwargs["args"][1], 2)
            self.assertGreaterEqual(retry.task.run_after, before + backoff(1))
            self.assertLessEqual(retry.task.run_after, after + backoff(1))
        self.assertEqual(len(receiver.requests), 1)
        self.assertEqual(webhook.deliveries.get().status, DeliveryStatus.RETRYING)


class LogKeepingTests(BaseTestCase):
    def test_the_daily_job_forgets_finished_deliveries_after_thirty_days(self):
        from sammen.core.schedule import daily_jobs
        from sammen.webhooks.actions import KEEP_DELIVERIES, do_forget_old_deliveries

        self.assertIn("webhooks: forget old deliveries", dict(daily_jobs()))
        with webhook_receiver() as receiver:
            webhook = make_webhook(self.museum, self.alice, receiver.url)
        now = timezone.now()
        old = webhook.deliveries.create(
            event="ping", body="{}", status="succeeded", finished_at=now - KEEP_DELIVERIES * 2
        )
        recent = webhook.deliveries.create(
            event="ping", body="{}", status="failed", finished_at=now - timedelta(days=1)
        )
        waiting = webhook.deliveries.create(event="ping", body="{}", status="retrying")
        self.assertEqual(do_forget_old_deliveries(now), 1)
        self.assertEqual(
            set(webhook.deliveries.values_list("pk", flat=True)), {recent.pk, waiting.pk}
        )
        self.assertFalse(Delivery.objects.filter(pk=old.pk).exists())
