"""Events: registered by the apps that emit them, sent on commit to the webhooks that want them."""

import json

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from sammen.activities.actions import do_answer_activity, do_close_activity
from sammen.moderation.actions import do_report
from sammen.testing import BaseTestCase, make_activity
from sammen.testing.webhooks import make_webhook, webhook_receiver
from sammen.webhooks.actions import emit
from sammen.webhooks.registry import (
    UnknownWebhookEvent,
    is_registered_event,
    register_webhook_event,
    webhook_events,
)


def events_heard(receiver) -> list[str]:
    return [request.headers["Sammen-Event"] for request in receiver.requests]


class RegistryTests(BaseTestCase):
    def test_the_shared_apps_and_the_kinds_register_their_events(self):
        keys = {event.key for event in webhook_events()}
        self.assertLessEqual(
            {
                "activity.opened",
                "activity.closed",
                "activity.answered",
                "report.filed",
                "idea.submitted",
                "idea.answered",
                "statement.added",
            },
            keys,
        )

    def test_emitting_an_event_nobody_registers_is_refused(self):
        with self.assertRaises(UnknownWebhookEvent):
            emit(self.museum, "idea.sumbitted", {})

    def test_two_apps_cannot_register_one_key_with_different_labels(self):
        with self.assertRaises(ImproperlyConfigured):
            register_webhook_event("activity.opened", "Something else")
        with self.assertRaises(ImproperlyConfigured):
            register_webhook_event("ping", "Ping")
        self.assertFalse(is_registered_event("ping"))


class ActivityEventTests(BaseTestCase):
    def test_opening_closing_and_answering_an_activity_each_send_their_event(self):
        with webhook_receiver() as receiver:
            make_webhook(self.museum, self.alice, receiver.url)
            with self.captureOnCommitCallbacks(execute=True):
                activity = make_activity(self.museum, self.alice, open_it=True)
            with self.captureOnCommitCallbacks(execute=True):
                do_close_activity(self.alice, activity)
            with self.captureOnCommitCallbacks(execute=True):
                do_answer_activity(self.alice, activity, "We chose three storylines.")
        self.assertEqual(
            events_heard(receiver), ["activity.opened", "activity.closed", "activity.answered"]
        )
        answered = json.loads(receiver.requests[2].body)["data"]
        self.assertEqual(answered["answer"], "We chose three storylines.")
        self.assertEqual(answered["activity"]["phase"], "answered")
        self.assertIsNotNone(answered["activity"]["answered_at"])
        self.assertNotIn("answer", json.loads(receiver.requests[0].body)["data"])

    def test_nothing_is_sent_before_the_change_commits_nor_when_it_rolls_back(self):
        activity = make_activity(self.museum, self.alice)
        with webhook_receiver() as receiver:
            make_webhook(self.museum, self.alice, receiver.url)
            with self.captureOnCommitCallbacks(execute=False) as callbacks:
                from sammen.activities.actions import do_open_activity

                do_open_activity(self.alice, activity)
            self.assertEqual(receiver.requests, [])
            self.assertEqual(len(callbacks), 1)

            class Undone(Exception):
                pass

            try:
                with transaction.atomic():
                    do_close_activity(self.alice, activity)
                    raise Undone
            except Undone:
                pass
            self.assertEqual(receiver.requests, [])

    def test_only_webhooks_of_the_space_that_subscribe_and_are_on_hear_it(self):
        with webhook_receiver() as receiver:
            closing_only = make_webhook(
                self.museum, self.alice, receiver.url + "&closing", "activity.closed"
            )
            elsewhere = make_webhook(self.quiet_room, self.alice, receiver.url + "&quiet")
            off = make_webhook(self.museum, self.alice, receiver.url + "&off")
            from sammen.webhooks.actions import do_disable_webhook

            do_disable_webhook(self.alice, off)
            with self.captureOnCommitCallbacks(execute=True):
                make_activity(self.museum, self.alice, open_it=True)
        self.assertEqual(receiver.requests, [])
        for webhook in (closing_only, elsewhere, off):
            self.assertFalse(webhook.deliveries.exists())

    def test_a_space_without_webhooks_costs_the_action_nothing_more_than_one_query(self):
        activity = make_activity(self.museum, self.alice)
        from sammen.activities.actions import do_open_activity

        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            do_open_activity(self.alice, activity)
        with self.assertNumQueries(1):  # are there webhooks? no: no payload is built
            for callback in callbacks:
                callback()


class ReportEventTests(BaseTestCase):
    def test_a_report_sends_its_reason_and_the_queue_without_the_reporter_or_the_note(self):
        sample = make_activity(self.museum, self.alice, "Sample things", open_it=True)
        with webhook_receiver() as receiver:
            make_webhook(self.museum, self.alice, receiver.url, "report.filed")
            with self.captureOnCommitCallbacks(execute=True):
                report = do_report(self.charlie, self.museum, sample, "spam", "Call me: 0612345678")
        self.assertEqual(events_heard(receiver), ["report.filed"])
        body = receiver.requests[0].body.decode()
        data = json.loads(body)["data"]["report"]
        self.assertEqual(
            (data["id"], data["reason"], data["target_type"], data["target_id"]),
            (report.pk, "spam", "sample", sample.pk),
        )
        self.assertEqual(data["queue_url"], "http://127.0.0.1:8000/s/harbour-museum/moderation/")
        self.assertNotIn("0612345678", body)
        self.assertNotIn("Charlie", body)
