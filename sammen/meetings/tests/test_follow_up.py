"""The follow-ups: the daily job on a frozen clock sends each round once on its day and
one reminder a week later, safely when it runs twice at once; the emails say only
Sammen's words; an attendee answers once."""

from datetime import datetime, timedelta
from unittest import mock

from django.core import mail
from django.db import IntegrityError, transaction
from django.test import TransactionTestCase
from django.utils import timezone, translation
from django.utils.formats import date_format

from sammen.accounts.actions import do_create_account, do_update_profile
from sammen.accounts.tests.test_emails_to_unverified import BAIT, GREETING
from sammen.activities.actions import do_close_activity
from sammen.core.errors import ActionRefused
from sammen.core.schedule import daily_jobs, run_daily_jobs
from sammen.meetings.actions import (
    Estimate,
    FollowUpInput,
    ObjectiveInput,
    do_add_objective,
    do_answer_follow_up,
    do_cancel_registration,
    do_check_in,
    do_remind_follow_ups,
    do_send_follow_ups,
    do_start_follow_ups,
    do_update_meeting,
)
from sammen.meetings.follow_ups import JOB_NAME, follow_up_attendees
from sammen.meetings.models import FollowUp, ImpactEstimate, Level, Meeting
from sammen.testing import BaseTestCase, in_parallel, make_space, participant_of
from sammen.testing.meetings import make_meeting, register

FOLLOW_UP_SUBJECT = "How is it going since the meeting?"
REMINDER_SUBJECT = "A reminder: how is it going since the meeting?"


def ended(meeting: Meeting) -> datetime:
    assert meeting.ends_at is not None
    return meeting.ends_at


def run_job(meeting: Meeting, days: float) -> None:
    """Run the daily job on a frozen clock, `days` after the meeting ended."""
    with mock.patch(
        "django.utils.timezone.now", return_value=ended(meeting) + timedelta(days=days)
    ):
        follow_up_attendees()


def addressees(subject: str) -> list[str]:
    return sorted(m.to[0] for m in mail.outbox if m.subject == subject)


def change_follow_ups(meeting: Meeting, by, days: list[int]) -> None:
    do_update_meeting(
        by,
        meeting,
        description=meeting.description,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        venue=meeting.venue,
        online_url=meeting.online_url,
        capacity=meeting.capacity,
        audience=meeting.audience,
        registration_open=meeting.registration_open,
        follow_up_days=days,
    )


class FollowUpJobTests(BaseTestCase):
    def setUp(self) -> None:
        self.meeting = make_meeting(self.museum, self.alice, capacity=2)
        self.rosa = register(self.meeting, "Rosa")
        self.bobs = register(self.meeting, "Bob", participant_of(self.bob))
        self.wim = register(self.meeting, "Wim")  # on the waiting list

    def test_the_job_is_one_of_the_daily_jobs(self):
        self.assertIn(JOB_NAME, dict(daily_jobs()))

    def test_each_round_goes_out_once_on_its_day_and_is_reminded_once_a_week_later(self):
        run_job(self.meeting, 29.9)
        self.assertEqual(mail.outbox, [])
        run_job(self.meeting, 30)
        everyone = ["bob@example.org", "rosa@example.org"]  # nobody checked in: all registered
        self.assertEqual(addressees(FOLLOW_UP_SUBJECT), everyone)
        for day in [30.5, 31, 36.9]:
            run_job(self.meeting, day)
        self.assertEqual(len(mail.outbox), 2)
        FollowUp.objects.filter(registration=self.bobs).update(answered_at=timezone.now())
        run_job(self.meeting, 37)
        self.assertEqual(addressees(REMINDER_SUBJECT), ["rosa@example.org"])
        run_job(self.meeting, 38)
        run_job(self.meeting, 60)
        self.assertEqual(len(mail.outbox), 3)
        run_job(self.meeting, 90)
        self.assertEqual(addressees(FOLLOW_UP_SUBJECT), sorted(everyone * 2))
        run_job(self.meeting, 97)
        self.assertEqual(addressees(REMINDER_SUBJECT), sorted([*everyone, "rosa@example.org"]))
        rows = FollowUp.objects.order_by("days", "registration_id")
        self.assertEqual(
            [(f.registration.name, f.days) for f in rows],
            [("Rosa", 30), ("Bob", 30), ("Rosa", 90), ("Bob", 90)],
        )
        sent = ended(self.meeting) + timedelta(days=30)
        self.assertEqual(rows[0].sent_at, sent)
        self.assertEqual(rows[0].reminded_at, sent + timedelta(days=7))

    def test_only_those_who_came_are_asked_once_someone_checked_in(self):
        do_check_in(self.alice, self.rosa)
        run_job(self.meeting, 30)
        self.assertEqual(addressees(FOLLOW_UP_SUBJECT), ["rosa@example.org"])

    def test_the_waiting_list_and_cancelled_registrations_are_not_asked(self):
        do_cancel_registration(self.bobs)  # Wim gets the place
        run_job(self.meeting, 30)
        self.assertEqual(addressees(FOLLOW_UP_SUBJECT), ["rosa@example.org", "wim@example.org"])

    def test_a_late_job_sends_only_the_last_round_due_and_none_past_its_window(self):
        run_job(self.meeting, 100)
        self.assertEqual(set(FollowUp.objects.values_list("days", flat=True)), {90})
        mail.outbox.clear()
        other = make_meeting(self.museum, self.alice, "Winter day")
        register(other, "Tom")
        run_job(other, 45)
        self.assertEqual(mail.outbox, [])

    def test_a_meeting_without_follow_ups_sends_none(self):
        change_follow_ups(self.meeting, self.alice, [])
        run_job(self.meeting, 30)
        run_job(self.meeting, 90)
        self.assertEqual(mail.outbox, [])

    def test_a_closed_meeting_follows_up_still(self):
        do_close_activity(self.alice, self.meeting.activity)
        run_job(self.meeting, 30)
        self.assertEqual(len(addressees(FOLLOW_UP_SUBJECT)), 2)

    def test_the_daily_run_sends_them(self):
        with mock.patch(
            "django.utils.timezone.now", return_value=ended(self.meeting) + timedelta(days=30)
        ):
            run_daily_jobs.call()
        self.assertEqual(len(addressees(FOLLOW_UP_SUBJECT)), 2)

    def test_one_meetings_trouble_leaves_the_others_asked(self):
        other = make_meeting(self.museum, self.alice, "Winter day")
        register(other, "Tom")
        change_follow_ups(other, self.alice, [30])
        real = do_send_follow_ups

        def failing(meeting, days, now):
            if meeting.pk == self.meeting.pk:
                raise RuntimeError("the mail server is down")
            return real(meeting, days, now)

        with (
            mock.patch("sammen.meetings.follow_ups.do_send_follow_ups", failing),
            self.assertLogs("sammen.meetings.follow_ups", "ERROR"),
            mock.patch(
                "django.utils.timezone.now",
                return_value=ended(other) + timedelta(days=31),
            ),
        ):
            follow_up_attendees()
        self.assertEqual(addressees(FOLLOW_UP_SUBJECT), ["tom@example.org"])

    def test_the_database_keeps_one_follow_up_per_attendee_and_round(self):
        FollowUp.objects.create(registration=self.rosa, days=30)
        with self.assertRaises(IntegrityError), transaction.atomic():
            FollowUp.objects.create(registration=self.rosa, days=30)
        self.assertEqual(do_start_follow_ups(self.meeting, 30), 1)  # Bob's; Rosa has hers


class FollowUpEmailTests(BaseTestCase):
    def test_the_email_carries_the_link_in_the_readers_language(self):
        meeting = make_meeting(self.museum, self.alice)
        register(meeting, "Rosa")
        register(meeting, "Bob", participant_of(self.bob))
        do_update_profile(self.bob, display_name="Bob", preferred_language="da")
        run_job(meeting, 30)
        to_rosa = next(m for m in mail.outbox if m.to == ["rosa@example.org"])
        to_bob = next(m for m in mail.outbox if m.to == ["bob@example.org"])
        self.assertEqual(to_rosa.subject, FOLLOW_UP_SUBJECT)
        self.assertRegex(
            str(to_rosa.body), r"https?://\S+/s/harbour-museum/a/partner-day/follow-up/"
        )
        self.assertIn("The link works for 60 days", to_rosa.body)
        day = timezone.localtime(meeting.starts_at)
        for message, language in ((to_bob, "da"), (to_rosa, "en")):
            with translation.override(language):
                self.assertIn(date_format(day, "DATE_FORMAT"), message.body)
        with translation.override("da"):
            self.assertNotIn(date_format(day, "DATE_FORMAT"), to_rosa.body)

    def test_the_follow_up_says_only_sammens_words(self):
        """No space's name, meeting's title or attendee's name: words anyone could type."""
        self.museum.name = BAIT
        self.museum.save(update_fields=["name"])
        for number, language in enumerate(GREETING, start=1):
            self.museum.default_language = language
            self.museum.save(update_fields=["default_language"])
            meeting = make_meeting(
                self.museum, self.alice, f"Free tickets {number} at evil.example"
            )
            register(meeting, f"Winner{number} at evil.example")
            mail.outbox.clear()
            run_job(meeting, 30)
            run_job(meeting, 37)
            with self.subTest(language=language):
                self.assertEqual(len(mail.outbox), 2)
                for message in mail.outbox:
                    text = f"{message.subject}\n{message.body}"
                    self.assertNotIn("evil.example", text)
                    self.assertNotIn("Winner", text)
                    self.assertIn("Sammen", text)
                    self.assertRegex(text, r"https?://\S+/follow-up/\S+/")


class AnswerFollowUpTests(BaseTestCase):
    def setUp(self) -> None:
        self.meeting = make_meeting(self.museum, self.alice)
        self.impact = do_add_objective(
            self.alice,
            self.meeting,
            ObjectiveInput(level=Level.IMPACT, text="More partner tickets", measure="Tickets"),
        )
        self.rosa = register(self.meeting, "Rosa")
        run_job(self.meeting, 30)
        self.follow_up = FollowUp.objects.get()

    def test_an_attendee_answers_once(self):
        answered = do_answer_follow_up(
            self.follow_up,
            FollowUpInput(
                applied="partly",
                frequency="sometimes",
                helped=" My manager ",
                hindered="Time",
                estimates={self.impact.pk: Estimate(40, 70)},
            ),
        )
        self.assertIsNotNone(answered.answered_at)
        self.assertEqual(
            (answered.applied, answered.frequency, answered.helped),
            ("partly", "sometimes", "My manager"),
        )
        self.assertFalse(answered.share_name)
        estimate = ImpactEstimate.objects.get()
        self.assertEqual((estimate.contribution, estimate.confidence), (40, 70))
        with self.assertRaisesMessage(ActionRefused, "answered these questions already"):
            do_answer_follow_up(self.follow_up, FollowUpInput(applied="yes", frequency="often"))
        self.follow_up.refresh_from_db()
        self.assertEqual(self.follow_up.applied, "partly")

    def test_not_yet_needs_no_frequency_and_a_later_round_replaces_the_estimate(self):
        do_answer_follow_up(
            self.follow_up,
            FollowUpInput(
                applied="no", frequency="often", estimates={self.impact.pk: Estimate(10, 50)}
            ),
        )
        self.assertEqual(FollowUp.objects.get().frequency, "")
        run_job(self.meeting, 90)
        later = FollowUp.objects.get(days=90)
        do_answer_follow_up(
            later,
            FollowUpInput(
                applied="yes", frequency="once", estimates={self.impact.pk: Estimate(30, 80)}
            ),
        )
        self.assertEqual(
            list(ImpactEstimate.objects.values_list("contribution", "confidence")), [(30, 80)]
        )

    def test_odd_answers_are_refused_and_change_nothing(self):
        other = make_meeting(self.museum, self.alice, "Winter day").objectives.get()
        cases = [
            FollowUpInput(applied="maybe"),
            FollowUpInput(applied="yes"),
            FollowUpInput(applied="yes", frequency="daily"),
            FollowUpInput(applied="yes", frequency="once", helped="x" * 1001),
            FollowUpInput(
                applied="yes", frequency="once", estimates={self.impact.pk: Estimate(101, 50)}
            ),
            FollowUpInput(
                applied="yes", frequency="once", estimates={self.impact.pk: Estimate(50, -1)}
            ),
            FollowUpInput(applied="yes", frequency="once", estimates={other.pk: Estimate(50, 50)}),
        ]
        for data in cases:
            with self.subTest(data=data), self.assertRaises(ActionRefused):
                do_answer_follow_up(self.follow_up, data)
        self.follow_up.refresh_from_db()
        self.assertIsNone(self.follow_up.answered_at)
        self.assertFalse(ImpactEstimate.objects.exists())

    def test_a_follow_up_not_sent_takes_no_answer(self):
        unsent = FollowUp.objects.create(registration=self.rosa, days=60)
        with self.assertRaises(ActionRefused):
            do_answer_follow_up(unsent, FollowUpInput(applied="no"))


class ParallelFollowUpTests(TransactionTestCase):
    def setUp(self) -> None:
        owner = do_create_account("olga@example.org", "x" * 12, "Olga")
        self.meeting = make_meeting(make_space(owner, "Busy Hall"), owner)
        for number in range(15):
            register(self.meeting, f"P{number}")

    def test_two_runs_at_once_send_each_follow_up_and_reminder_once(self):
        now = ended(self.meeting) + timedelta(days=30)
        in_parallel(3, lambda _n: do_start_follow_ups(self.meeting, 30))
        in_parallel(3, lambda _n: do_send_follow_ups(self.meeting, 30, now))
        self.assertEqual(len(mail.outbox), 15)
        self.assertEqual(len({message.to[0] for message in mail.outbox}), 15)
        self.assertEqual(FollowUp.objects.filter(sent_at=now).count(), 15)
        later = now + timedelta(days=7)
        in_parallel(3, lambda _n: do_remind_follow_ups(self.meeting, later))
        self.assertEqual(len(mail.outbox), 30)
        self.assertEqual(FollowUp.objects.filter(reminded_at=later).count(), 15)

    def test_the_whole_job_twice_at_once_asks_each_attendee_once(self):
        now = ended(self.meeting) + timedelta(days=30)
        in_parallel(2, lambda _n: follow_up_attendees(now))
        self.assertEqual(len(mail.outbox), 15)
        self.assertEqual(FollowUp.objects.count(), 15)
