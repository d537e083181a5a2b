"""do_support_idea trusts no stale status: the count's UPDATE checks it again."""

from django.utils import timezone

from sammen.calls.actions import do_support_idea, do_update_call_schedule
from sammen.calls.models import Idea, IdeaStatus, Support
from sammen.core.errors import ActionRefused
from sammen.recognition.models import Recognition
from sammen.testing import BaseTestCase, participant_of
from sammen.testing.calls import make_call, make_idea


class SupportActionTests(BaseTestCase):
    def setUp(self) -> None:
        self.call = make_call(self.museum, self.alice)
        do_update_call_schedule(
            self.alice,
            self.call,
            submission_ends_at=None,
            support_ends_at=None,
            review_ends_at=None,
            stage_override="",
            submissions_paused=False,
            momentum=[(1, 10), (2, 30)],
            review_dates=[],
        )
        self.idea = make_idea(self.call, self.bob)

    def test_a_bare_reference_to_an_idea_is_read_counted_and_promoted(self):
        self.assertTrue(do_support_idea(participant_of(self.maja), Idea(pk=self.idea.pk)))
        self.assertTrue(do_support_idea(participant_of(self.alice), Idea(pk=self.idea.pk)))
        self.idea.refresh_from_db()
        self.assertEqual(self.idea.support_count, 2)
        self.assertEqual((self.idea.momentum_level, self.idea.status), (2, "under_review"))

    def test_an_idea_hidden_since_it_was_read_takes_no_support_and_nothing_is_kept(self):
        Idea.objects.filter(pk=self.idea.pk).update(hidden_at=timezone.now())
        with self.assertRaises(ActionRefused):
            do_support_idea(participant_of(self.maja), self.idea)  # still says "not hidden"
        self.assertFalse(Support.objects.exists())
        self.assertFalse(Recognition.objects.filter(deed="supported").exists())
        self.idea.refresh_from_db()
        self.assertEqual((self.idea.support_count, self.idea.status), (0, IdeaStatus.PUBLISHED))

    def test_a_second_support_shows_the_count_as_stored(self):
        maja = participant_of(self.maja)
        do_support_idea(maja, Idea(pk=self.idea.pk))
        self.assertFalse(do_support_idea(maja, self.idea))
        self.assertEqual(self.idea.support_count, 1)
