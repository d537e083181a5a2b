"""The demo meeting shows what a return is: every level with a number, a positive ROI,
and a closed meeting whose answer waits to be drafted from its return page."""

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from sammen.accounts.models import User
from sammen.activities.models import Activity, Phase
from sammen.activities.queries import measure_outcomes

from ..models import Format, RegistrationState
from ..returns import ReturnFigures, return_figures
from .return_world import known


class DemoMeetingTests(TestCase):
    activity: Activity
    figures: ReturnFigures

    @classmethod
    def setUpTestData(cls) -> None:
        call_command("load_demo", verbosity=0)
        cls.activity = Activity.objects.get(kind="meeting")
        cls.figures = return_figures(cls.activity.meeting)

    def test_the_partner_day_is_finished_and_waits_for_its_answer(self):
        self.assertEqual(self.activity.space.slug, "stadsmuseum-zuiderlicht")
        self.assertEqual(self.activity.phase, Phase.CLOSED)
        meeting = self.activity.meeting
        self.assertLess(known(meeting.ends_at), known(self.activity.closed_at))
        sessions = list(meeting.sessions.all())
        self.assertTrue(6 <= len(sessions) <= 8)
        self.assertGreaterEqual(len({session.format for session in sessions}), 6)
        self.assertIn(Format.WORKSHOP, {session.format for session in sessions})
        self.assertEqual(
            {objective.level for objective in meeting.objectives.all()},
            {"reaction", "learning", "application", "impact"},
        )

    def test_about_sixty_registered_and_some_did_not_come(self):
        turnout = self.figures.turnout
        self.assertTrue(55 <= turnout.registered <= 65, turnout)
        self.assertGreater(turnout.no_shows, 0)
        self.assertEqual(turnout.checked_in, turnout.attendees)
        cancelled = self.activity.meeting.registrations.filter(state=RegistrationState.CANCELLED)
        self.assertTrue(cancelled.exists())

    def test_every_level_of_the_return_has_a_figure_and_the_roi_is_positive(self):
        for level in self.figures.chain:
            with self.subTest(level=level.key):
                self.assertIsNotNone(level.figure, level.reason)
                self.assertFalse(level.too_few)
        self.assertGreater(known(self.figures.level("roi").figure), 0)
        self.assertGreater(known(self.figures.roi.ratio), 1)
        self.assertEqual(len(self.figures.rounds), 2)
        for round_ in self.figures.rounds:
            self.assertGreater(round_.answered, round_.invited / 2)
        self.assertTrue(all(measure.impact is not None for measure in self.figures.impacts))
        self.assertTrue(any(measure.lower_is_better for measure in self.figures.impacts))
        self.assertEqual(len(self.figures.intangibles), 2)

    def test_the_brief_counts_its_success_measures_with_the_returns_figures(self):
        outcomes = measure_outcomes(self.activity)
        self.assertEqual(len(outcomes), 3)
        self.assertTrue(all(outcome.actual is not None for outcome in outcomes))

    def test_the_owner_reads_the_return_and_drafts_the_answer(self):
        self.client.force_login(User.objects.get(email="owner@demo.example"))
        page = reverse("meetings:return", args=[self.activity.space.slug, self.activity.slug])
        response = self.client.get(page)
        self.assertContains(response, "Partnerdag van het Stadsmuseum")
        self.assertContains(response, "Draft the answer</button>")
        self.assertContains(response, "was rated lowest")
        self.assertNotContains(response, "Too few answers to say")
