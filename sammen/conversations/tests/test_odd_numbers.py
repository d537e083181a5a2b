"""Odd numbers on a conversation's pages: a clear answer, never a 500."""

from django.urls import reverse

from sammen.conversations.actions import do_vote
from sammen.conversations.models import Vote
from sammen.testing import BaseTestCase, participant_of
from sammen.testing.conversations import make_conversation, statements_of


class OddNumberTests(BaseTestCase):
    def setUp(self) -> None:
        self.conversation = make_conversation(self.museum, self.alice)
        self.statement = statements_of(self.conversation)[0]
        do_vote(participant_of(self.bob), self.statement, 1)
        self.args = [self.museum.slug, self.conversation.activity.slug]

    def test_changing_a_vote_on_a_statement_number_over_2_63_is_not_found(self):
        self.login(self.bob)
        for statement_id in [str(2**63), str(2**64), "9" * 30]:
            with self.subTest(statement_id=statement_id):
                url = reverse("conversations:your_votes", args=self.args) + f"{statement_id}/"
                response = self.client.post(url, {"value": "-1"})
                self.assertEqual(response.status_code, 404)
        self.assertEqual(Vote.objects.get(statement=self.statement).value, 1)

    def test_a_statement_number_that_is_no_number_lists_them_all(self):
        self.login(self.alice)
        url = reverse("conversations:statements", args=self.args)
        for number in ["²", "٣", "9" * 10_000, "-1"]:
            with self.subTest(number=number[:20]):
                response = self.client.get(url, {"number": number})
                self.assertContains(response, self.statement.text)

    def test_a_vote_on_a_statement_id_written_oddly_is_refused(self):
        self.login(self.bob)
        other = statements_of(self.conversation)[1]
        url = reverse("conversations:vote", args=self.args)
        for value in [f" {other.pk}", f"+{other.pk}", str(2**64)]:
            with self.subTest(value=value):
                response = self.client.post(url, {"statement": value, "value": "1"}, follow=True)
                self.assertEqual(response.status_code, 200)
        self.assertFalse(Vote.objects.filter(statement=other).exists())
