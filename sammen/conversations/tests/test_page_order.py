from sammen.testing import BaseTestCase
from sammen.testing.conversations import make_conversation


class PageOrderTests(BaseTestCase):
    def test_where_you_stand_comes_right_after_voting_before_the_long_brief(self):
        conversation = make_conversation(self.museum, self.alice)
        page = self.client.get(conversation.activity.get_absolute_url()).content.decode()
        voting = page.index('id="current-statement"')
        place = page.index('id="your-place"')
        brief = page.index('<section class="brief"')
        self.assertLess(voting, place)
        self.assertLess(place, brief)
        self.assertEqual(page.count('id="your-place"'), 1)
