"""The daily job emails each registered attendee once, one to two days before the meeting."""

from datetime import timedelta
from unittest import mock

from django.core import mail
from django.test import TransactionTestCase
from django.utils import timezone, translation
from django.utils.formats import date_format

from sammen.accounts.actions import do_create_account, do_update_profile
from sammen.activities.actions import do_close_activity
from sammen.core.schedule import daily_jobs, run_daily_jobs
from sammen.meetings.actions import do_cancel_registration, do_register, do_remind_attendees
from sammen.meetings.attendees import ticket_token
from sammen.meetings.jobs import remind_attendees
from sammen.meetings.models import Registration
from sammen.testing import BaseTestCase, in_parallel, make_space, participant_of
from sammen.testing.meetings import make_meeting, register


class ReminderTests(BaseTestCase):
    def setUp(self) -> None:
        # make_meeting starts the meeting a week from now: the clock below is frozen so.
        self.meeting = make_meeting(self.museum, self.alice, capacity=2)
        assert self.meeting.starts_at is not None
        self.starts = self.meeting.starts_at
        self.rosa = register(self.meeting, "Rosa")
        self.bobs = register(self.meeting, "Bob", participant_of(self.bob))
        self.waiting = register(self.meeting, "Wim")

    def run_job(self, days_before: float) -> None:
        """Run the job on a frozen clock, `days_before` the meeting starts."""
        now = self.starts - timedelta(days=days_before)
        with mock.patch("django.utils.timezone.now", return_value=now):
            remind_attendees()

    def reminded(self) -> list[str]:
        reminders = [m for m in mail.outbox if m.subject.startswith("See you soon")]
        return sorted(address for message in reminders for address in message.to)

    def test_the_job_is_one_of_the_daily_jobs(self):
        self.assertIn("meetings: remind attendees", dict(daily_jobs()))

    def test_registered_attendees_hear_from_us_within_two_days_of_the_meeting(self):
        self.run_job(days_before=3)
        self.assertEqual(self.reminded(), [])
        self.run_job(days_before=1.5)
        self.assertEqual(self.reminded(), ["bob@example.org", "rosa@example.org"])
        message = next(m for m in mail.outbox if m.to == ["rosa@example.org"])
        self.assertIn("See you soon: Partner day", message.subject)
        self.assertIn("Hello Rosa", message.body)
        self.assertIn("The harbour hall", message.body)
        self.assertIn(ticket_token(self.rosa), message.body)
        self.rosa.refresh_from_db()
        self.assertEqual(self.rosa.reminded_at, self.starts - timedelta(days=1.5))

    def test_each_attendee_hears_it_once_however_often_the_job_runs(self):
        self.run_job(days_before=2)
        self.run_job(days_before=1.9)
        self.run_job(days_before=1)
        self.run_job(days_before=0.1)
        self.assertEqual(self.reminded(), ["bob@example.org", "rosa@example.org"])

    def test_those_who_register_later_hear_it_the_next_morning_before_the_meeting(self):
        self.run_job(days_before=1.9)
        late = register(self.meeting, "Lou")  # waiting: the places are taken
        do_cancel_registration(self.rosa)  # Wim gets Rosa's place
        self.run_job(days_before=0.9)
        self.assertEqual(
            self.reminded(), ["bob@example.org", "rosa@example.org", "wim@example.org"]
        )
        late.refresh_from_db()
        self.assertIsNone(late.reminded_at)

    def test_nobody_hears_it_once_the_meeting_has_begun(self):
        self.run_job(days_before=-0.01)
        self.assertEqual(self.reminded(), [])

    def test_waiting_unconfirmed_and_cancelled_registrations_hear_nothing(self):
        do_cancel_registration(self.bobs)  # and Wim, first in line, gets the place
        unconfirmed = do_register(
            self.meeting,
            participant_of(self.charlie),
            name="Charlie",
            email="charlie@example.org",
            confirmed=False,
        )
        mail.outbox.clear()
        self.run_job(days_before=1)
        self.assertEqual(self.reminded(), ["rosa@example.org", "wim@example.org"])
        unconfirmed.refresh_from_db()
        self.assertIsNone(unconfirmed.reminded_at)

    def test_a_closed_meeting_sends_no_reminders(self):
        do_close_activity(self.alice, self.meeting.activity)
        self.run_job(days_before=1)
        self.assertEqual(self.reminded(), [])

    def test_each_reads_it_in_their_language(self):
        do_update_profile(self.bob, display_name="Bob", preferred_language="nl")
        self.run_job(days_before=1)
        to_bob = next(m for m in mail.outbox if m.to == ["bob@example.org"])
        to_rosa = next(m for m in mail.outbox if m.to == ["rosa@example.org"])
        starts = timezone.localtime(self.starts)
        with translation.override("nl"):
            self.assertNotIn(date_format(starts, "DATETIME_FORMAT"), to_rosa.body)
        for message, language in ((to_bob, "nl"), (to_rosa, "en")):
            with translation.override(language):
                self.assertIn(date_format(starts, "DATETIME_FORMAT"), message.body)

    def test_the_daily_run_sends_them(self):
        now = self.starts - timedelta(days=1)
        with mock.patch("django.utils.timezone.now", return_value=now):
            run_daily_jobs.call()
        self.assertEqual(self.reminded(), ["bob@example.org", "rosa@example.org"])

    def test_one_meetings_trouble_leaves_the_others_reminded(self):
        other = make_meeting(self.museum, self.alice, "Winter day")
        register(other, "Tom")
        real = do_remind_attendees

        def failing(meeting, now):
            if meeting.pk == self.meeting.pk:
                raise RuntimeError("the mail server is down")
            return real(meeting, now)

        with (
            mock.patch("sammen.meetings.jobs.do_remind_attendees", failing),
            self.assertLogs("sammen.meetings.jobs", "ERROR"),
        ):
            self.run_job(days_before=1)
        self.assertEqual(self.reminded(), ["tom@example.org"])


class ParallelReminderTests(TransactionTestCase):
    def test_two_runs_at_once_send_each_reminder_once(self):
        owner = do_create_account("olga@example.org", "x" * 12, "Olga")
        meeting = make_meeting(make_space(owner, "Busy Hall"), owner)
        for number in range(20):
            register(meeting, f"P{number}")
        assert meeting.starts_at is not None
        now = meeting.starts_at - timedelta(days=1)
        in_parallel(3, lambda _number: do_remind_attendees(meeting, now))
        self.assertEqual(len(mail.outbox), 20)
        self.assertEqual(len({message.to[0] for message in mail.outbox}), 20)
        self.assertFalse(Registration.objects.filter(reminded_at__isnull=True).exists())
