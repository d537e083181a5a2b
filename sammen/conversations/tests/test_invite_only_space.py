from django.urls import reverse

from sammen.conversations.models import Vote
from sammen.spaces.models import Membership
from sammen.testing import BaseTestCase
from sammen.testing.conversations import make_conversation, statements_of


class InviteOnlySpaceTests(BaseTestCase):
    """What the visibility's help text promises: anyone takes part where an activity
    lets everyone in; membership still needs an invitation."""

    def test_an_outsider_votes_in_a_conversation_open_to_anyone_but_does_not_become_a_member(
        self,
    ):
        self.museum.visibility = "invite"
        self.museum.save(update_fields=["visibility"])
        conversation = make_conversation(self.museum, self.alice)
        statement = statements_of(conversation)[0]
        self.login(self.charlie)
        activity = conversation.activity
        self.client.post(
            reverse("conversations:vote", args=[self.museum.slug, activity.slug]),
            {"statement": statement.pk, "value": 1},
        )
        self.assertEqual(Vote.objects.filter(statement=statement).count(), 1)
        self.assertFalse(Membership.objects.filter(space=self.museum, user=self.charlie).exists())
