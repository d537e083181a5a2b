"""A conversation and an open call count their newcomers from one address apart."""

from unittest import mock

from django.test import Client
from django.urls import reverse

from sammen.calls.models import Support
from sammen.calls.tests.test_support_limits import support_url
from sammen.calls.views import support
from sammen.conversations.views import participate
from sammen.testing import BaseTestCase
from sammen.testing.calls import make_call, make_idea
from sammen.testing.conversations import make_conversation, statements_of


class SupportBucketTests(BaseTestCase):
    def setUp(self) -> None:
        self.call = make_call(self.museum, self.alice, supporters="anyone")
        self.idea = make_idea(self.call, self.bob)

    def support_from(self, address: str) -> None:
        Client(REMOTE_ADDR=address).post(support_url(self.idea))

    def test_conversation_newcomers_leave_the_address_its_supports(self):
        conversation = make_conversation(self.museum, self.alice)
        statement = statements_of(conversation)[0]
        vote_url = reverse(
            "conversations:vote", args=[self.museum.slug, conversation.activity.slug]
        )
        with (
            mock.patch.object(participate, "NEW_PARTICIPANTS_PER_IP_PER_HOUR", 2),
            mock.patch.object(support, "NEW_PARTICIPANTS_PER_IP_PER_HOUR", 2),
        ):
            for _voter in range(3):  # the third is refused: the conversation's own limit
                Client(REMOTE_ADDR="198.51.100.4").post(
                    vote_url, {"statement": statement.pk, "value": 1}
                )
            self.assertEqual(statement.votes.count(), 2)
            self.support_from("198.51.100.4")
            self.support_from("198.51.100.4")
            self.support_from("198.51.100.4")
        self.assertEqual(Support.objects.filter(idea=self.idea).count(), 2)
