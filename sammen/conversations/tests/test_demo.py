"""The demo conversation shows what a conversation is for: groups, consensus, division."""

from django.core.management import call_command
from django.test import TestCase

from sammen.activities.models import Activity

from ..analysis import UNITING_MIN_VOTES
from ..charts import vote_bar
from ..models import StatementState, StoredMap
from ..queries import map_view


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

    def test_what_unites_the_festival_s_groups_is_shared_by_a_majority_of_every_group(self):
        conversation = Activity.objects.get(kind="conversation").conversation
        stored = StoredMap.objects.get(conversation=conversation)
        statements = {
            pk: statement
            for pk, statement in conversation.statements.in_bulk().items()
            if statement.state == StatementState.SHOWN
        }
        view = map_view(stored, statements)
        self.assertEqual(view.uniting_verdict, "found")
        uniting = {item.statement.text: item for item in view.uniting}
        self.assertIn("There should be free drinking water everywhere on the site.", uniting)
        self.assertIn("Volunteers should get a free ticket for next year.", uniting)
        for camp_statement in [
            "The festival should book bigger international headliners.",
            "Half of the line-up should be local acts.",
            "Music should stop at midnight, for the neighbours.",
        ]:
            self.assertNotIn(camp_statement, uniting)
        divisive = {item.statement.pk for item in view.divisive}
        self.assertTrue(divisive)
        for item in view.uniting:
            self.assertNotIn(item.statement.pk, divisive)
            figures = stored.figures[str(item.statement.pk)]
            shown = []
            for agree, disagree, passed in zip(
                figures["agree"], figures["disagree"], figures["passed"], strict=True
            ):
                seen = agree + disagree + passed
                self.assertGreaterEqual(seen, UNITING_MIN_VOTES)
                chosen = agree if item.direction == "agree" else disagree
                self.assertGreater(2 * chosen, seen, item.statement.text)
                shown.append(getattr(vote_bar(agree, disagree, passed), item.direction))
            # "At least N% in every group": the least convinced group's bar.
            self.assertEqual(item.share, min(shown))

    def test_it_has_a_statement_waiting_for_the_moderators(self):
        conversation = Activity.objects.get(kind="conversation").conversation
        self.assertTrue(conversation.statements.filter(state=StatementState.PENDING).exists())
