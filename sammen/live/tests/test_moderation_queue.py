"""The moderator's queue in a room of many questions: each part shows the first few it
holds and says how many there are, so a snapshot of the queue does not grow with the room
(issue 13's question storm)."""

from unittest.mock import patch

from django.db import connection
from django.test.utils import CaptureQueriesContext

from sammen.testing import BaseTestCase
from sammen.testing.live import join_anonymously, make_session

from ..actions import do_ask_question, do_moderate_questions, do_upvote_question
from ..actions.questions import Moderate
from ..queries import moderation_queue
from .test_views import organiser_url


class ModerationQueueTests(BaseTestCase):
    def setUp(self) -> None:
        self.session = make_session(self.museum, self.alice)
        self.asker = join_anonymously(self.session, "Asker")
        self.questions = [do_ask_question(self.asker, f"Question number {n}?") for n in range(5)]

    def test_each_part_lists_its_first_questions_and_counts_them_all(self):
        voter = join_anonymously(self.session, "Voter")
        do_upvote_question(voter, self.questions[3])
        do_moderate_questions(self.alice, self.session, self.questions[:1], Moderate.HIDE, "No")
        with patch("sammen.live.queries.QUEUE_PART_LIMIT", 2):
            queue = moderation_queue(self.session)
        self.assertEqual(queue.counts["shown"], 4)
        self.assertEqual(queue.counts["hidden"], 1)
        self.assertEqual(queue.counts["pending"], 0)
        # The room's order: the most upvoted first, then the oldest.
        self.assertEqual(queue.shown, [self.questions[3], self.questions[1]])
        self.assertEqual(queue.hidden, [self.questions[0]])
        self.assertEqual(queue.pending, [])

    def test_the_page_says_when_a_part_shows_only_its_first_questions(self):
        self.login(self.alice)
        with patch("sammen.live.queries.QUEUE_PART_LIMIT", 3):
            page = self.client.get(organiser_url(self.session, "moderate/")).content.decode()
        self.assertIn("Showing the first 3 of 5", page)
        self.assertEqual(page.count('<li class="mod-question'), 3)
        self.client.cookies["sammen_language"] = "nl"
        with patch("sammen.live.queries.QUEUE_PART_LIMIT", 3):
            page = self.client.get(organiser_url(self.session, "moderate/")).content.decode()
        self.assertNotIn("Showing the first", page)

    def test_the_queue_costs_the_same_queries_however_many_questions(self):
        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                moderation_queue(self.session)
            return len(captured.captured_queries)

        few = queries()
        for n in range(30):
            do_ask_question(join_anonymously(self.session), f"Another question {n}?")
        with patch("sammen.live.queries.QUEUE_PART_LIMIT", 10):
            self.assertEqual(queries(), few)
