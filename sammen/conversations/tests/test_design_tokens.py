"""The opinion groups the map draws each have a colour token in the shared sheet."""

from django.test import SimpleTestCase

from sammen.conversations.charts import GROUP_COLOURS
from sammen.core.tests.test_design_tokens import PACKAGE, root_tokens


class GroupColourTests(SimpleTestCase):
    def test_every_opinion_group_the_map_draws_has_a_colour_token(self):
        tokens = root_tokens()
        sheet = (PACKAGE / "conversations/static/conversations/conversations.css").read_text()
        for number in range(GROUP_COLOURS):
            self.assertIn(f"--group-{number}", tokens)
            self.assertIn(f".map-group--{number}", sheet)
        self.assertNotIn(f"--group-{GROUP_COLOURS}", tokens)
        self.assertIn("--group-none", tokens)
