"""What one write of a room costs the database: pinned, so a change that adds a query to a
join, an answer, an upvote or a question is seen (issue 13's write path).

Counted through the whole middleware stack; the lean ASGI path runs the same views. Each
is counted in a room's steady state: the session and the open poll are already in the
server's memory (hot.py). Without Redis, as here, each write's two rate limits are one
statement each; with Redis they are one round trip and no query."""

from django.core.signing import get_cookie_signer
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sammen.accounts.participants import COOKIE_NAME, COOKIE_SALT
from sammen.live import hot
from sammen.live.actions import do_ask_question, do_open_poll
from sammen.live.models import Attendee, LiveSession, Moderation, Question, Response
from sammen.live.snapshots import render_personal
from sammen.testing import BaseTestCase, one_rate_window
from sammen.testing.live import join_anonymously, make_poll, make_session

HTMX = {"HX-Request": "true"}


def sign_in_as_attendee(client: Client, attendee: Attendee) -> None:
    """Give the test client the cookie the join gave this attendee's phone."""
    signer = get_cookie_signer(salt=COOKIE_NAME + COOKIE_SALT)
    client.cookies[COOKIE_NAME] = signer.sign(str(attendee.participant.public_id))


class WritePathQueryTests(BaseTestCase):
    def setUp(self) -> None:
        self.session = make_session(self.museum, self.alice)
        self.poll = make_poll(self.session, self.alice)
        do_open_poll(self.alice, self.poll)
        self.attendee = join_anonymously(self.session, "Pia")
        sign_in_as_attendee(self.client, self.attendee)
        self.code = self.session.code
        hot.forget_everything()
        self.addCleanup(hot.forget_everything)
        hot.poll_of(self.session, self.poll.pk)  # the room's steady state
        hot.session_by_code(self.code)

    def count(self, url: str, data: dict[str, object], expected_status: int = 200) -> int:
        with one_rate_window(), CaptureQueriesContext(connection) as captured:
            response = self.client.post(url, data, headers=HTMX)
        self.assertEqual(response.status_code, expected_status, response.content[:300])
        return len(captured.captured_queries)

    def test_a_join(self) -> None:
        self.client.cookies.clear()
        queries = self.count(reverse("live:join_session", args=[self.code]), {"name": "Ola"}, 302)
        self.assertEqual(Attendee.objects.filter(session=self.session).count(), 2)
        # attendee (none yet), the join limit, the new participant, then the attendee in a
        # savepoint (3); the participant's cookie needs no query
        self.assertEqual(queries, 6)

    def test_an_answer(self) -> None:
        option = self.poll.options.all()[0]
        url = reverse("live:answer", args=[self.code, self.poll.pk])
        first = self.count(url, {"option": option.pk})
        again = self.count(url, {"option": option.pk})
        self.assertEqual(Response.objects.filter(poll=self.poll).count(), 1)
        # attendee, two limits, then in one transaction: the poll still open, the answer
        # (inserted or replaced), its old choices out, its choice in (+2 for the savepoint)
        self.assertEqual((first, again), (9, 9))

    def test_an_upvote(self) -> None:
        other = join_anonymously(self.session, "Ola")
        question = do_ask_question(other, "Is there a ferry at night?")
        url = reverse("live:upvote", args=[self.code, question.pk])
        queries = self.count(url, {"up": "1"})
        # attendee, question, two limits, the upvote and its count (in savepoints: 6), the
        # question's new count and what this attendee upvoted, for the button
        self.assertEqual(queries, 12)

    def test_a_question(self) -> None:
        queries = self.count(reverse("live:ask", args=[self.code]), {"text": "When does it end?"})
        self.assertEqual(Question.objects.filter(session=self.session).count(), 1)
        # attendee, two limits, the question (in a savepoint: 3); the answer is the form
        # again and the thanks, with no read of the room
        self.assertEqual(queries, 6)

    def test_the_room_page_a_phone_loads_after_joining(self):
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(reverse("live:room", args=[self.code]))
        self.assertEqual(response.status_code, 200)
        # attendee, polls past their time, the open polls, their options and results,
        # this attendee's answers and their choices, whether the session has a quiz
        # (asked once), the questions, this attendee's upvotes and own questions
        self.assertEqual(len(captured.captured_queries), 11)

    def test_a_connecting_screens_own_part_in_one_query(self):
        with self.assertNumQueries(1):
            self.assertEqual(render_personal(self.attendee.pk, "en"), {"live-mine": ""})
        LiveSession.objects.filter(pk=self.session.pk).update(moderation=Moderation.PRE)
        self.session.refresh_from_db()
        do_ask_question(self.attendee, "Is there a ferry at night?")
        with self.assertNumQueries(1):
            mine = render_personal(self.attendee.pk, "en")["live-mine"]
        self.assertIn("Is there a ferry at night?", mine)
        self.assertIn("Waiting for a moderator", mine)
        with CaptureQueriesContext(connection) as captured:
            render_personal(self.attendee.pk, "en")
        where = captured.captured_queries[0]["sql"].split("WHERE", 1)[1]
        self.assertNotIn("session_id", where)  # by the author's index alone
