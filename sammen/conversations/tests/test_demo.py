"""The demo conversation shows what a conversation is for: groups, consensus, division."""

from django.core.management import call_command
from django.test import TestCase

from sammen.activities.models import Activity

from ..models import StatementState, StoredMap


class DemoConversationTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        call_command("load_demo", verbosity=0)

    def test_the_festival_asks_what_it_should_become_and_the_map_shows_groups(self):
        activity = Activity.objects.get(kind="conversation")
        self.assertEqual(activity.title, "What should the festival become?")
        self.assertEqual(activity.space.slug, "northern-lights-festival")
        self.assertTrue(activity.is_open)
        conversation = activity.conversation
        self.assertGreaterEqual(conversation.statements.filter(is_seed=True).count(), 20)
        self.assertGreater(conversation.votes.count(), 300)
        stored = StoredMap.objects.get(conversation=conversation)
        self.assertTrue(stored.ready)
        self.assertIn(len(stored.summary["groups"]), {2, 3})
        self.assertTrue(stored.summary["consensus"]["agree"])

    def test_it_has_a_statement_waiting_for_the_moderators(self):
        conversation = Activity.objects.get(kind="conversation").conversation
        self.assertTrue(conversation.statements.filter(state=StatementState.PENDING).exists())
