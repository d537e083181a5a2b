"""A session and its polls kept in memory for a room's writes (hot.py): read once, and
forgotten as soon as the session's state changes."""

import threading
from collections.abc import Callable
from unittest import mock

from django.db import connection
from django.test import TransactionTestCase
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from sammen.activities.actions import do_close_activity
from sammen.live import hot
from sammen.live.actions import do_close_poll, do_open_poll, do_renew_join_code
from sammen.live.asgi import end_job
from sammen.live.events import Event, Message
from sammen.live.hub import Hub
from sammen.live.models import LiveSession, Poll, Response
from sammen.testing import BaseTestCase, one_rate_window
from sammen.testing.live import join_anonymously, make_poll, make_session

from .test_query_pins import sign_in_as_attendee

HTMX = {"HX-Request": "true"}


def kept(code: str) -> LiveSession:
    session = hot.session_by_code(code)
    assert session is not None, code
    return session


def kept_poll(session: LiveSession, poll_id: int) -> Poll:
    poll = hot.poll_of(session, poll_id)
    assert poll is not None, poll_id
    return poll


class HotStateTests(BaseTestCase):
    def setUp(self) -> None:
        hot.forget_everything()
        self.addCleanup(hot.forget_everything)
        self.session = make_session(self.museum, self.alice)
        self.poll = make_poll(self.session, self.alice)
        do_open_poll(self.alice, self.poll)
        self.attendee = join_anonymously(self.session, "Pia")
        sign_in_as_attendee(self.client, self.attendee)
        self.option = self.poll.options.all()[0]

    def answer(self, code: str = "") -> int:
        url = reverse("live:answer", args=[code or self.session.code, self.poll.pk])
        with one_rate_window():
            response = self.client.post(url, {"option": self.option.pk}, headers=HTMX)
        return response.status_code

    def reads(self) -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            self.assertEqual(self.answer(), 200)
        return [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]

    def test_the_second_answer_reads_neither_the_session_nor_the_poll(self):
        first, second = self.reads(), self.reads()
        self.assertTrue(any('FROM "live_livesession"' in sql for sql in first))
        self.assertFalse(any('FROM "live_livesession"' in sql for sql in second))
        self.assertFalse(any('FROM "live_option"' in sql for sql in second))
        self.assertEqual(len(first) - len(second), 3)  # session, poll, options

    def test_a_closed_poll_takes_no_answer_at_once(self):
        self.assertEqual(self.answer(), 200)
        do_close_poll(self.alice, self.poll)
        response_count = Response.objects.count()
        self.client.post(
            reverse("live:answer", args=[self.session.code, self.poll.pk]),
            {"option": self.option.pk},
            headers=HTMX,
        )
        self.assertEqual(Response.objects.count(), response_count)
        self.assertEqual(kept_poll(self.session, self.poll.pk).state, "closed")

    def test_a_closed_activity_is_no_longer_live_at_once(self):
        self.assertTrue(kept(self.session.code).is_live)
        do_close_activity(self.alice, self.session.activity)
        self.assertFalse(kept(self.session.code).is_live)

    def test_a_renewed_code_leads_nowhere_at_once(self):
        old = self.session.code
        self.assertEqual(self.answer(old), 200)
        new = do_renew_join_code(self.alice, self.session)
        self.assertIsNone(hot.session_by_code(old))
        self.assertEqual(kept(new).pk, self.session.pk)
        self.assertEqual(self.answer(old), 404)

    def test_what_it_gives_is_a_copy(self):
        session = kept(self.session.code)
        session.questions_open = False
        session.activity.title = "Changed in one request"
        again = kept(self.session.code)
        self.assertTrue(again.questions_open)
        self.assertNotEqual(again.activity.title, "Changed in one request")
        poll = kept_poll(self.session, self.poll.pk)
        with self.assertNumQueries(0):
            self.assertEqual(len(poll.options.all()), 3)
            self.assertEqual(poll.session.pk, self.session.pk)

    def test_it_keeps_a_session_only_for_a_while(self):
        with mock.patch("sammen.live.hot.time.monotonic", return_value=1000.0):
            hot.session_by_code(self.session.code)
            with self.assertNumQueries(0):
                hot.session_by_code(self.session.code)
        with (
            mock.patch("sammen.live.hot.time.monotonic", return_value=1000.0 + hot.seconds()),
            self.assertNumQueries(1),
        ):
            hot.session_by_code(self.session.code)

    @override_settings(SAMMEN_LIVE_HOT_SECONDS=0)
    def test_nothing_is_kept_when_the_setting_says_so(self):
        hot.session_by_code(self.session.code)
        with self.assertNumQueries(1):
            hot.session_by_code(self.session.code)

    def test_state_events_from_other_processes_forget_it_and_votes_do_not(self):
        hot.session_by_code(self.session.code)
        hub = Hub(mock.Mock())
        hub.on_event(self.session.pk, Message.of(Event.results(self.poll.pk)))
        with self.assertNumQueries(0):
            hot.session_by_code(self.session.code)
        hub.on_event(self.session.pk, Message.of(Event.polls()))
        with self.assertNumQueries(1):
            hot.session_by_code(self.session.code)


class KeptConnectionTests(TransactionTestCase):
    """The lean pool's threads live on: a SQLite connection stays open between their jobs
    (opening one cost more than a vote's queries); others end as a request's do."""

    def in_a_thread(self, work: Callable[[], None]) -> bool:
        """Run `work` and end the job as the pool does; return whether the connection stayed."""
        kept: list[bool] = []

        def job() -> None:
            try:
                work()
            finally:
                end_job()
            kept.append(connection.connection is not None)
            connection.close()

        thread = threading.Thread(target=job)
        thread.start()
        thread.join(10)
        return kept[0]

    def query(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")

    def test_a_healthy_connection_stays_on_sqlite_only(self):
        self.assertEqual(self.in_a_thread(self.query), connection.vendor == "sqlite")

    def test_a_connection_left_in_a_transaction_is_closed(self):
        def unfinished() -> None:
            connection.set_autocommit(False)
            self.query()

        self.assertFalse(self.in_a_thread(unfinished))
