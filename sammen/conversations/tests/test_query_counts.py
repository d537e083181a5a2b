"""The voting page and the report make the same number of queries however big the conversation."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sammen.testing import BaseTestCase, participant_of
from sammen.testing.conversations import make_conversation, statements_of, vote_in_camps

from ..actions import do_recompute_opinion_map, do_seed_statements, do_vote

# Pinned: a change here is a change in how the page reads the database, on purpose or not.
# 17 before the kind took the page's access instead of a second lookup; one more since the
# page shows the activities linked to it (activities.queries.linked_activities).
VOTING_PAGE_QUERIES = 16  # the rewards the space states (issue 14) among them
VOTE_QUERIES = 22  # one of them counts the vote against the rate limit (no Redis here)
# The votes per statement counted apart from the statements; no figure counted for the
# success measures when none is counted by one (activities' measure_outcomes()).
REPORT_QUERIES = 18


class QueryCountTests(BaseTestCase):
    def setUp(self) -> None:
        cache.clear()
        self.conversation = make_conversation(self.museum, self.alice)
        self.page = self.conversation.activity.get_absolute_url()

    def count(self, method: str, url: str, data=None, **extra) -> int:
        with CaptureQueriesContext(connection) as context:
            call = self.client.get if method == "GET" else self.client.post
            response = call(url, data or {}, **extra)
            self.assertIn(response.status_code, {200, 302})
        return len(context.captured_queries)

    def grow(self) -> None:
        do_seed_statements(
            self.alice,
            self.conversation,
            [f"Another view on the harbour, number {n}." for n in range(30)],
        )
        vote_in_camps(self.conversation, people=20)
        do_recompute_opinion_map(self.conversation)

    def test_the_voting_page_is_constant_in_statements_votes_and_participants(self):
        self.login(self.bob)
        for statement in statements_of(self.conversation)[:3]:
            do_vote(participant_of(self.bob), statement, 1)
        do_recompute_opinion_map(self.conversation)
        few = self.count("GET", self.page)
        self.grow()
        self.assertEqual(self.count("GET", self.page), few)
        self.assertEqual(few, VOTING_PAGE_QUERIES)

    def test_a_vote_is_constant_in_statements_votes_and_participants(self):
        self.login(self.bob)
        url = reverse(
            "conversations:vote", args=[self.museum.slug, self.conversation.activity.slug]
        )
        first, second, third, *_rest = statements_of(self.conversation)
        do_vote(participant_of(self.bob), first, 1)  # the first vote also gives a number
        few = self.count("POST", url, {"statement": second.pk, "value": 1}, HTTP_HX_REQUEST="true")
        self.grow()
        many = self.count("POST", url, {"statement": third.pk, "value": 1}, HTTP_HX_REQUEST="true")
        self.assertEqual(many, few)
        self.assertEqual(few, VOTE_QUERIES)

    def test_the_report_is_constant_in_statements_votes_and_participants(self):
        self.login(self.alice)
        url = reverse(
            "conversations:report", args=[self.museum.slug, self.conversation.activity.slug]
        )
        vote_in_camps(self.conversation, people=8)
        do_recompute_opinion_map(self.conversation)
        few = self.count("GET", url)
        self.grow()
        self.assertEqual(self.count("GET", url), few)
        self.assertEqual(few, REPORT_QUERIES)
