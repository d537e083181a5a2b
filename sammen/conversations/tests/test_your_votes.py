"""A participant's own votes: the list of them, and changing one while the conversation is open."""

import re

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sammen.accounts.actions import do_create_anonymous_participant
from sammen.accounts.participants import COOKIE_NAME
from sammen.activities.actions import do_close_activity
from sammen.spaces.actions import do_block_member
from sammen.testing import BaseTestCase, one_rate_window, participant_of
from sammen.testing.conversations import SEEDS, make_conversation, statements_of, vote_in_camps

from ..actions import do_hide_statement, do_recompute_opinion_map, do_seed_statements, do_vote
from ..models import StoredMap, Vote
from ..queries import YOUR_VOTES_PAGE_SIZE

HTMX = {"HX-Request": "true"}
# Pinned: the page reads a count and one page of votes, however many there are.
YOUR_VOTES_QUERIES = 12


class YourVotesTestCase(BaseTestCase):
    def setUp(self) -> None:
        cache.clear()
        self.conversation = make_conversation(self.museum, self.alice)
        self.statements = statements_of(self.conversation)
        activity = self.conversation.activity
        self.page = reverse("conversations:your_votes", args=[self.museum.slug, activity.slug])

    def change_url(self, statement_id: int) -> str:
        activity = self.conversation.activity
        return reverse(
            "conversations:change_vote", args=[self.museum.slug, activity.slug, statement_id]
        )

    def bobs_vote(self, position: int = 0) -> Vote:
        return Vote.objects.get(
            participant=participant_of(self.bob), statement=self.statements[position]
        )


class YourVotesPageTests(YourVotesTestCase):
    def test_a_participant_sees_what_they_voted_on_with_their_vote_the_latest_first(self):
        bob = participant_of(self.bob)
        do_vote(bob, self.statements[0], 1)
        do_vote(bob, self.statements[1], -1)
        do_vote(bob, self.statements[2], 0)
        do_vote(participant_of(self.charlie), self.statements[3], 1)
        self.login(self.bob)
        response = self.client.get(self.page)
        html = response.content.decode()
        listed = re.findall(r'id="vote-(\d+)"', html)
        self.assertEqual(listed, [str(statement.pk) for statement in self.statements[2::-1]])
        self.assertContains(response, "You voted on 3 statements, the latest first.")
        self.assertContains(response, self.statements[0].text)
        self.assertNotContains(response, self.statements[3].text)
        self.assertContains(
            response,
            f'id="vote-{self.statements[1].pk}-disagree" name="value" value="-1" '
            'class="your-vote__button your-vote__button--disagree" aria-pressed="true"',
        )
        self.assertContains(response, 'aria-pressed="true"', count=3)

    def test_the_voting_card_links_to_your_votes_once_you_have_voted(self):
        self.login(self.bob)
        card = self.conversation.activity.get_absolute_url()
        self.assertNotContains(self.client.get(card), self.page)
        do_vote(participant_of(self.bob), self.statements[0], 1)
        self.assertContains(self.client.get(card), self.page)

    def test_an_anonymous_participant_sees_their_own_votes_by_their_cookie(self):
        vote = reverse(
            "conversations:vote", args=[self.museum.slug, self.conversation.activity.slug]
        )
        self.client.post(vote, {"statement": self.statements[4].pk, "value": -1})
        self.assertIn(COOKIE_NAME, self.client.cookies)
        response = self.client.get(self.page)
        self.assertContains(response, self.statements[4].text)
        self.client.cookies.pop(COOKIE_NAME)
        response = self.client.get(self.page)
        self.assertContains(response, "You have not voted on any statement yet.")
        self.assertNotContains(response, self.statements[4].text)

    def test_votes_on_statements_hidden_since_are_left_out(self):
        bob = participant_of(self.bob)
        do_vote(bob, self.statements[0], 1)
        do_vote(bob, self.statements[1], 1)
        do_hide_statement(self.alice, self.statements[1], "Rude")
        self.login(self.bob)
        response = self.client.get(self.page)
        self.assertContains(response, self.statements[0].text)
        self.assertNotContains(response, self.statements[1].text)

    def test_many_votes_come_in_pages_and_the_page_reads_the_same_queries(self):
        bob = participant_of(self.bob)
        do_vote(bob, self.statements[0], 1)
        self.login(self.bob)

        def count(page: int = 1) -> int:
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(self.page, {"page": page})
                self.assertEqual(response.status_code, 200)
            return len(queries.captured_queries)

        few = count()
        more = do_seed_statements(
            self.alice,
            self.conversation,
            [f"The harbour needs this too, point {n}." for n in range(YOUR_VOTES_PAGE_SIZE + 5)],
        )
        for statement in [*self.statements[1:], *more]:
            do_vote(bob, statement, -1)
        self.assertEqual(count(), few)
        self.assertEqual(count(page=2), few)
        self.assertEqual(few, YOUR_VOTES_QUERIES)
        total = len(SEEDS) + len(more)
        first_page = self.client.get(self.page)
        self.assertEqual(len(first_page.context["page"].object_list), YOUR_VOTES_PAGE_SIZE)
        self.assertContains(first_page, f"You voted on {total} statements")
        self.assertContains(first_page, "Page 1 of 2")
        last_page = self.client.get(self.page, {"page": 2})
        self.assertEqual(len(last_page.context["page"].object_list), total - YOUR_VOTES_PAGE_SIZE)
        for wrong in ["0", "x", "999"]:
            with self.subTest(page=wrong):
                self.assertEqual(self.client.get(self.page, {"page": wrong}).status_code, 200)

    def test_a_closed_conversation_shows_the_votes_without_a_way_to_change_them(self):
        do_vote(participant_of(self.bob), self.statements[0], 1)
        do_close_activity(self.alice, self.conversation.activity)
        self.login(self.bob)
        response = self.client.get(self.page)
        self.assertContains(response, self.statements[0].text)
        self.assertContains(response, "This conversation is closed")
        self.assertNotContains(response, self.change_url(self.statements[0].pk))


class ChangeVoteTests(YourVotesTestCase):
    def setUp(self) -> None:
        super().setUp()
        do_vote(participant_of(self.bob), self.statements[0], 1)
        self.login(self.bob)

    def test_changing_a_vote_updates_its_row_and_never_adds_one(self):
        before = self.bobs_vote()
        response = self.client.post(
            self.change_url(self.statements[0].pk), {"value": -1, "page": "1"}
        )
        self.assertRedirects(
            response,
            f"{self.page}?page=1#vote-{self.statements[0].pk}",
            fetch_redirect_response=False,
        )
        after = self.bobs_vote()
        self.assertEqual(after.pk, before.pk)
        self.assertEqual(after.value, -1)
        self.assertEqual(after.created_at, before.created_at)
        self.assertGreater(after.updated_at, before.updated_at)
        self.assertEqual(Vote.objects.count(), 1)
        page = self.client.get(self.page)
        self.assertContains(page, "Saved: you disagree.")

    def test_with_htmx_the_changed_row_comes_back_in_place_saying_so(self):
        response = self.client.post(
            self.change_url(self.statements[0].pk), {"value": 0, "page": "1"}, headers=HTMX
        )
        html = response.content.decode()
        self.assertTrue(html.lstrip().startswith('<li class="card your-vote" id="vote-'))
        self.assertNotIn("<html", html)
        self.assertIn("Saved: you passed.", html)
        self.assertIn(f'id="vote-{self.statements[0].pk}-pass"', html)
        self.assertRegex(html, r'value="0" class="[^"]*" aria-pressed="true"')
        self.assertIn("HX-Request", response["Vary"])
        self.assertEqual(self.bobs_vote().value, 0)

    def test_a_changed_vote_asks_for_a_fresh_map_like_any_vote(self):
        vote_in_camps(self.conversation, people=10)
        do_recompute_opinion_map(self.conversation)
        revision = StoredMap.objects.get(pk=self.conversation.pk).revision
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            self.client.post(self.change_url(self.statements[0].pk), {"value": -1})
        self.assertTrue(callbacks)
        stored = StoredMap.objects.get(pk=self.conversation.pk)
        self.assertEqual(stored.revision, revision + 1)
        agree, disagree, _passed = stored.figures[str(self.statements[0].pk)]["total"]
        self.assertEqual((agree, disagree), (5, 6))

    def test_bad_input_is_refused_with_a_message_and_changes_nothing(self):
        before = self.bobs_vote()
        for data in [{"value": 2}, {"value": "yes"}, {}, {"value": ""}]:
            with self.subTest(data=data):
                response = self.client.post(
                    self.change_url(self.statements[0].pk), data, headers=HTMX
                )
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Choose agree, disagree or pass.")
                self.assertContains(response, 'role="alert"')
                response = self.client.post(
                    self.change_url(self.statements[0].pk), data, follow=True
                )
                self.assertContains(response, "Choose agree, disagree or pass.")
        after = self.bobs_vote()
        self.assertEqual((after.value, after.updated_at), (before.value, before.updated_at))

    def test_only_a_statement_you_voted_on_can_be_changed(self):
        other = make_conversation(self.museum, self.alice, "Other talk")
        theirs = statements_of(other)[0]
        do_vote(participant_of(self.bob), theirs, 1)
        charlies = self.statements[1]
        do_vote(participant_of(self.charlie), charlies, 1)
        for statement_id in [self.statements[2].pk, charlies.pk, theirs.pk, 999_999]:
            with self.subTest(statement=statement_id):
                response = self.client.post(self.change_url(statement_id), {"value": -1})
                self.assertEqual(response.status_code, 404)
        self.assertEqual(set(Vote.objects.values_list("value", flat=True)), {1}, "nothing changed")
        self.assertEqual(Vote.objects.count(), 3)

    def test_a_hidden_statement_takes_no_changed_vote_and_says_why(self):
        do_hide_statement(self.alice, self.statements[0], "Off topic")
        response = self.client.post(
            self.change_url(self.statements[0].pk), {"value": -1}, follow=True
        )
        self.assertContains(response, "That statement is no longer in the conversation.")
        self.assertEqual(self.bobs_vote().value, 1)

    def test_a_closed_conversation_or_a_block_keeps_the_vote_as_it_was(self):
        do_close_activity(self.alice, self.conversation.activity)
        response = self.client.post(
            self.change_url(self.statements[0].pk), {"value": -1}, headers=HTMX
        )
        self.assertContains(response, "This conversation is closed")
        self.assertEqual(self.bobs_vote().value, 1)

    def test_a_blocked_member_cannot_change_a_vote(self):
        do_block_member(self.alice, self.museum, self.bob, "Spam")
        response = self.client.post(
            self.change_url(self.statements[0].pk), {"value": -1}, follow=True
        )
        self.assertContains(response, "blocked you")
        self.assertEqual(self.bobs_vote().value, 1)

    def test_a_flood_of_changes_is_slowed_down_like_votes(self):
        url = self.change_url(self.statements[0].pk)
        with one_rate_window():
            responses = [
                self.client.post(url, {"value": (-1) ** n}, headers=HTMX) for n in range(45)
            ]
        self.assertContains(responses[-1], "a lot of votes in a short time")
        self.assertEqual(Vote.objects.count(), 1)

    def test_a_visitor_without_votes_has_nothing_to_change(self):
        self.login(None)
        response = self.client.post(self.change_url(self.statements[0].pk), {"value": -1})
        self.assertEqual(response.status_code, 404)
        stranger = do_create_anonymous_participant()
        do_vote(stranger, self.statements[1], 1)
        self.assertEqual(self.client.get(self.page).status_code, 200)
        self.assertEqual(self.bobs_vote().value, 1)
