"""Timed quiz questions: a countdown on every screen, and the server closes them on time."""

import re
from datetime import timedelta

from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone
from django_tasks import task_backends

from sammen.audit.models import AuditEntry
from sammen.core.errors import ActionRefused
from sammen.testing import BaseTestCase
from sammen.testing.live import join_anonymously, make_session

from ..actions import (
    OptionInput,
    do_answer_poll,
    do_close_poll_at_time_limit,
    do_open_poll,
    do_save_poll,
)
from ..models import Attendee, Poll, Response
from ..tasks import close_poll_at_time_limit
from .test_views import organiser_url

DEFERRING = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
QUIZ_OPTIONS = [OptionInput("1902", is_correct=True), OptionInput("1925"), OptionInput("1950")]


def make_quiz(session, by, time_limit: int | None = 10) -> Poll:
    return do_save_poll(
        by,
        session,
        kind="single",
        title="When was the lighthouse built?",
        options=QUIZ_OPTIONS,
        time_limit=time_limit,
    )


def let_time_pass(poll: Poll, seconds: int) -> None:
    """Move the poll's opening back by `seconds`, as if that much time had passed."""
    assert poll.opened_at is not None
    Poll.objects.filter(pk=poll.pk).update(opened_at=poll.opened_at - timedelta(seconds=seconds))
    poll.refresh_from_db()


class TimeLimitActionTests(BaseTestCase):
    def setUp(self) -> None:
        self.session = make_session(self.museum, self.alice)

    def test_a_time_limit_lasts_5_to_300_seconds_and_belongs_to_quiz_questions(self):
        for seconds in [0, 4, 301, 5000]:
            with (
                self.subTest(seconds=seconds),
                self.assertRaisesMessage(ActionRefused, "between 5 and 300 seconds"),
            ):
                make_quiz(self.session, self.alice, seconds)
        with self.assertRaisesMessage(ActionRefused, "Only quiz questions have a time limit"):
            do_save_poll(
                self.alice,
                self.session,
                kind="single",
                title="Where shall we meet?",
                options=[OptionInput("Harbour"), OptionInput("Park")],
                time_limit=30,
            )
        self.assertFalse(Poll.objects.exists())
        self.assertEqual(make_quiz(self.session, self.alice, 300).time_limit, 300)
        self.assertIsNone(make_quiz(self.session, self.alice, None).time_limit)

    def test_answers_in_time_count_and_a_late_one_is_refused_and_closes_the_question(self):
        quiz = make_quiz(self.session, self.alice)
        do_open_poll(self.alice, quiz)
        right = quiz.options.get(label="1902").pk
        do_answer_poll(join_anonymously(self.session, "Early"), quiz, option_ids=[right])
        let_time_pass(quiz, 10)
        with self.assertRaisesMessage(ActionRefused, "Time is up"):
            do_answer_poll(join_anonymously(self.session, "Late"), quiz, option_ids=[right])
        quiz.refresh_from_db()
        self.assertTrue(quiz.is_closed)
        self.assertEqual(list(Response.objects.values_list("attendee__name", flat=True)), ["Early"])
        self.assertTrue(
            AuditEntry.objects.filter(
                target_id=str(quiz.pk), details__act="closed at the time limit", actor=None
            ).exists()
        )

    def test_the_speed_bonus_runs_out_with_the_time_limit(self):
        quiz = make_quiz(self.session, self.alice, time_limit=10)  # full points window: 20 s
        do_open_poll(self.alice, quiz)
        right = quiz.options.get(label="1902").pk
        let_time_pass(quiz, 5)
        halfway = do_answer_poll(
            join_anonymously(self.session, "Halfway"), quiz, option_ids=[right]
        )
        # Half the 10 s gone: half the speed bonus (the test's own run takes a moment).
        self.assertAlmostEqual(halfway.points, 750, delta=25)
        untimed = make_quiz(self.session, self.alice, time_limit=None)
        do_open_poll(self.alice, untimed)
        let_time_pass(untimed, 5)
        quarter = do_answer_poll(
            join_anonymously(self.session, "Quarter"),
            untimed,
            option_ids=[untimed.options.get(label="1902").pk],
        )
        self.assertAlmostEqual(quarter.points, 875, delta=25)  # a quarter of the 20 s gone

    def test_the_server_closes_a_question_once_and_never_before_its_time(self):
        quiz = make_quiz(self.session, self.alice)
        do_open_poll(self.alice, quiz)
        let_time_pass(quiz, 9)
        self.assertFalse(do_close_poll_at_time_limit(quiz.pk))
        self.assertTrue(Poll.objects.get(pk=quiz.pk).is_open)
        let_time_pass(quiz, 1)
        self.assertTrue(do_close_poll_at_time_limit(quiz.pk))
        self.assertFalse(do_close_poll_at_time_limit(quiz.pk))
        self.assertEqual(
            AuditEntry.objects.filter(details__act="closed at the time limit").count(), 1
        )

    def test_a_reopened_question_counts_from_its_new_opening(self):
        quiz = make_quiz(self.session, self.alice)
        do_open_poll(self.alice, quiz)
        let_time_pass(quiz, 20)
        close_poll_at_time_limit.call(quiz.pk)  # the task of the first opening
        do_open_poll(self.alice, quiz)
        close_poll_at_time_limit.call(quiz.pk)  # a late task of an earlier opening
        self.assertTrue(Poll.objects.get(pk=quiz.pk).is_open)

    def test_untimed_polls_are_never_closed_by_the_clock(self):
        quiz = make_quiz(self.session, self.alice, None)
        do_open_poll(self.alice, quiz)
        Poll.objects.filter(pk=quiz.pk).update(opened_at=timezone.now() - timedelta(days=1))
        self.assertFalse(do_close_poll_at_time_limit(quiz.pk))


@override_settings(TASKS=DEFERRING)
class TimeLimitTaskTests(BaseTestCase):
    def test_opening_a_timed_question_asks_the_worker_to_close_it_at_its_deadline(self):
        backend = task_backends["default"]
        backend.results.clear()  # type: ignore[attr-defined]
        session = make_session(self.museum, self.alice)
        quiz = make_quiz(session, self.alice, 30)
        with self.captureOnCommitCallbacks(execute=True):
            do_open_poll(self.alice, quiz)
        [queued] = backend.results  # type: ignore[attr-defined]
        self.assertEqual(queued.args, [quiz.pk])
        self.assertEqual(queued.task.run_after, quiz.deadline)
        assert quiz.opened_at is not None
        self.assertEqual(quiz.deadline, quiz.opened_at + timedelta(seconds=30))


class CountdownViewTests(BaseTestCase):
    def setUp(self) -> None:
        cache.clear()
        self.session = make_session(self.museum, self.alice)
        self.quiz = make_quiz(self.session, self.alice, 20)
        do_open_poll(self.alice, self.quiz)
        self.room = f"/live/{self.session.code}/"

    def test_phones_and_the_big_screen_count_down_to_the_servers_deadline(self):
        self.client.post(f"{self.room}join/", {"name": "Pia"})
        for page in [self.client.get(self.room), self.presenter_page()]:
            html = page.content.decode()
            self.assertIn(f'data-deadline="{self.quiz.deadline_ms}"', html)
            self.assertIn("20 seconds to answer", html)  # the text without JavaScript
            self.assertRegex(html, r'data-server-now="\d{13}"')
            self.assertIn("live/countdown.js", html)

    def presenter_page(self):
        self.client.force_login(self.alice)
        page = self.client.get(organiser_url(self.session, "present/"))
        self.client.logout()
        return page

    def test_the_next_request_after_the_deadline_closes_the_question(self):
        self.client.post(f"{self.room}join/", {"name": "Pia"})
        let_time_pass(self.quiz, 25)
        page = self.client.get(self.room, headers={"HX-Request": "true"})
        self.assertEqual(page.status_code, 200)
        self.assertTrue(Poll.objects.get(pk=self.quiz.pk).is_closed)

    def test_the_presenter_view_closes_a_question_whose_time_is_up(self):
        let_time_pass(self.quiz, 25)
        page = self.presenter_page()
        self.assertNotContains(page, "data-deadline")
        self.assertContains(page, "closed")
        self.assertTrue(Poll.objects.get(pk=self.quiz.pk).is_closed)

    def test_a_late_answer_from_a_phone_gets_a_clear_message(self):
        self.client.post(f"{self.room}join/", {"name": "Pia"})
        let_time_pass(self.quiz, 25)
        right = self.quiz.options.get(label="1902").pk
        response = self.client.post(
            f"{self.room}polls/{self.quiz.pk}/answer/",
            {"option": right},
            headers={"HX-Request": "true"},
        )
        self.assertContains(response, "Time is up")
        self.assertFalse(Response.objects.filter(attendee=Attendee.objects.get()).exists())

    def test_the_poll_form_takes_a_time_limit_and_refuses_bad_ones(self):
        self.client.force_login(self.alice)
        url = organiser_url(self.session, "polls/new/")
        data = {
            "kind": "single",
            "title": "Which ship came first?",
            "option_1": "The Maria",
            "correct_1": "on",
            "option_2": "The Anna",
        }
        for bad, message in [("3", "greater than or equal to 5"), ("999", "less than or equal")]:
            with self.subTest(bad=bad):
                response = self.client.post(url, {**data, "time_limit": bad})
                self.assertContains(response, message)
        response = self.client.post(url, {**data, "correct_1": "", "time_limit": "30"})
        self.assertContains(response, "Only quiz questions have a time limit")
        self.assertFalse(Poll.objects.filter(title="Which ship came first?").exists())
        self.client.post(url, {**data, "time_limit": "30"})
        self.assertEqual(Poll.objects.get(title="Which ship came first?").time_limit, 30)
        edit = self.client.get(organiser_url(self.session, f"polls/{self.quiz.pk}/"))
        self.assertTrue(re.search(r'name="time_limit"[^>]*value="20"', edit.content.decode()))
