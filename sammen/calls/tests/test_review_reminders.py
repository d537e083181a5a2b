"""The daily job reminds the organisers of the answers they promised by the review date."""

from datetime import timedelta
from unittest import mock

from django.core import mail
from django.utils import timezone, translation

from sammen.accounts.actions import do_update_profile
from sammen.activities.actions import do_answer_activity, do_close_activity
from sammen.calls.actions import (
    REVIEW_DUE_SOON,
    REVIEW_OVERDUE,
    do_answer_idea,
    do_remind_of_review,
)
from sammen.calls.jobs import remind_of_review_dates
from sammen.calls.models import IdeaStatus
from sammen.core.schedule import run_daily_jobs
from sammen.notifications.kinds import render_notification
from sammen.notifications.models import Notification
from sammen.testing import BaseTestCase
from sammen.testing.calls import make_call, make_idea

from .test_review_promise import schedule


class ReviewReminderTests(BaseTestCase):
    def setUp(self) -> None:
        self.call = make_call(self.museum, self.alice)
        self.idea = make_idea(self.call, self.bob)
        self.now = timezone.now()

    def reminded(self, kind: str | None = None) -> list[tuple[str, str]]:
        """Return who got which reminder, sorted."""
        notifications = Notification.objects.filter(kind__in=[REVIEW_DUE_SOON, REVIEW_OVERDUE])
        if kind is not None:
            notifications = notifications.filter(kind=kind)
        return sorted(notifications.values_list("user__display_name", "kind"))

    def run_job(self, days_later: float = 0) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            remind_of_review_dates(self.now + timedelta(days=days_later))

    def test_three_days_before_the_review_ends_the_owners_and_moderators_hear_of_it(self):
        schedule(self.call, self.alice, now=self.now, review_in_days=2.5)
        self.run_job()
        self.assertEqual(self.reminded(), [("Alice", REVIEW_DUE_SOON), ("Maja", REVIEW_DUE_SOON)])
        notification = Notification.objects.get(user=self.maja)
        self.assertEqual(notification.params["count"], 1)
        self.assertEqual(notification.url, "/s/harbour-museum/a/harbour-stories/answers/")

    def test_it_says_nothing_earlier_than_three_days_before(self):
        schedule(self.call, self.alice, now=self.now, review_in_days=3.5)
        self.run_job()
        self.assertEqual(self.reminded(), [])

    def test_each_reminder_goes_once_however_often_the_job_runs(self):
        schedule(self.call, self.alice, now=self.now, review_in_days=2)
        self.run_job()
        self.run_job()
        self.run_job(days_later=1)
        self.assertEqual(len(self.reminded(REVIEW_DUE_SOON)), 2)
        self.assertEqual(self.reminded(REVIEW_OVERDUE), [])
        self.run_job(days_later=2)
        self.run_job(days_later=3)
        self.assertEqual(
            self.reminded(REVIEW_OVERDUE), [("Alice", REVIEW_OVERDUE), ("Maja", REVIEW_OVERDUE)]
        )
        self.assertEqual(len(self.reminded()), 4)

    def test_a_date_that_passed_with_ideas_waiting_is_reminded_of_once(self):
        schedule(self.call, self.alice, now=self.now, review_in_days=-1)
        self.run_job()
        self.run_job(days_later=5)
        self.assertEqual(self.reminded(), [("Alice", REVIEW_OVERDUE), ("Maja", REVIEW_OVERDUE)])
        self.assertEqual(do_remind_of_review(self.call, self.now), None)

    def test_a_call_without_a_review_date_is_left_alone(self):
        schedule(self.call, self.alice, now=self.now, review_in_days=None)
        self.run_job(days_later=365)
        self.assertEqual(self.reminded(), [])

    def test_nobody_is_reminded_when_every_idea_has_its_answer(self):
        schedule(self.call, self.alice, now=self.now, review_in_days=2)
        do_answer_idea(self.alice, self.idea, status=IdeaStatus.NOT_SELECTED, text="Not now.")
        self.run_job()
        self.run_job(days_later=3)
        self.assertEqual(self.reminded(), [])

    def test_an_idea_under_review_still_waits_for_its_answer(self):
        schedule(self.call, self.alice, now=self.now, review_in_days=-1)
        do_answer_idea(self.alice, self.idea, status=IdeaStatus.UNDER_REVIEW, text="Looking.")
        self.run_job()
        self.assertEqual(len(self.reminded(REVIEW_OVERDUE)), 2)

    def test_a_changed_review_date_rearms_both_reminders(self):
        schedule(self.call, self.alice, now=self.now, review_in_days=-1)
        self.run_job()
        self.assertEqual(len(self.reminded(REVIEW_OVERDUE)), 2)
        # The organisers move the date a week on: a new promise, reminded of again.
        schedule(self.call, self.alice, now=self.now, review_in_days=6)
        self.run_job()
        self.assertEqual(len(self.reminded(REVIEW_DUE_SOON)), 0)
        self.run_job(days_later=4)
        self.run_job(days_later=4.5)
        self.assertEqual(len(self.reminded(REVIEW_DUE_SOON)), 2)
        self.run_job(days_later=7)
        self.run_job(days_later=8)
        self.assertEqual(len(self.reminded(REVIEW_OVERDUE)), 4)

    def test_closed_calls_are_reminded_but_drafts_and_answered_calls_are_not(self):
        schedule(self.call, self.alice, now=self.now, review_in_days=-1)
        do_close_activity(self.alice, self.call.activity)
        answered = make_call(self.museum, self.alice, "Harbour songs")
        make_idea(answered, self.bob, "A sea shanty")
        schedule(answered, self.alice, now=self.now, review_in_days=-1)
        do_close_activity(self.alice, answered.activity)
        do_answer_activity(self.alice, answered.activity, "Thank you all.")
        draft = make_call(self.museum, self.alice, "Harbour photos", open_it=False)
        schedule(draft, self.alice, now=self.now, review_in_days=-1)
        self.run_job()
        self.assertEqual(
            sorted(Notification.objects.values_list("params__call", flat=True)),
            ["Harbour stories", "Harbour stories"],
        )

    def test_members_outsiders_and_inactive_organisers_are_not_reminded(self):
        self.maja.is_active = False
        self.maja.save(update_fields=["is_active"])
        schedule(self.call, self.alice, now=self.now, review_in_days=-1)
        self.run_job()
        self.assertEqual(self.reminded(), [("Alice", REVIEW_OVERDUE)])

    def test_the_reminder_reads_in_each_organisers_language(self):
        do_update_profile(
            self.maja, display_name="Maja", preferred_language="nl", email_notifications="immediate"
        )
        do_update_profile(
            self.alice, display_name="Alice", preferred_language="", email_notifications="immediate"
        )
        schedule(self.call, self.alice, now=self.now, review_in_days=-1)
        self.run_job()
        by_reader = {message.to[0]: message.body for message in mail.outbox}
        self.assertIn(
            "The answers in “Harbour stories” were promised by", by_reader[self.alice.email]
        )
        self.assertIn("1 idea is still waiting for its answer", by_reader[self.alice.email])
        self.assertIn("De antwoorden in “Harbour stories”", by_reader[self.maja.email])
        self.assertIn("1 idee wacht nog op een antwoord", by_reader[self.maja.email])
        with translation.override("nl"):
            dutch = render_notification(
                REVIEW_DUE_SOON,
                {"call": "Verhalen", "date": "2026-03-05T12:00:00+00:00", "count": 2},
            )
        self.assertIn("5 maart 2026", dutch)

    def test_a_call_reminded_of_its_passed_date_is_not_counted_again(self):
        schedule(self.call, self.alice, now=self.now, review_in_days=-1)
        self.run_job()
        with self.assertNumQueries(1):  # finding the calls that are due, and none is
            remind_of_review_dates(self.now + timedelta(days=1))

    def test_a_broken_call_does_not_stop_the_others(self):
        second = make_call(self.museum, self.alice, "Harbour songs")
        make_idea(second, self.bob, "A sea shanty")
        for call in [self.call, second]:
            schedule(call, self.alice, now=self.now, review_in_days=-1)
        with self.assertLogs("sammen.calls.jobs", "ERROR"):
            real = do_remind_of_review

            def fail_first(call, now=None):
                if call.pk == self.call.pk:
                    raise RuntimeError("boom")
                return real(call, now)

            with mock.patch("sammen.calls.jobs.do_remind_of_review", fail_first):
                self.run_job()
        self.assertEqual(
            sorted(Notification.objects.values_list("params__call", flat=True)),
            ["Harbour songs", "Harbour songs"],
        )

    def test_the_daily_jobs_send_the_reminders(self):
        schedule(self.call, self.alice, now=timezone.now(), review_in_days=-1)
        with self.captureOnCommitCallbacks(execute=True):
            run_daily_jobs.enqueue()
        self.assertEqual(self.reminded(), [("Alice", REVIEW_OVERDUE), ("Maja", REVIEW_OVERDUE)])
