"""The demo journey shows what a journey is for: a low point, a drop, a peak, a split."""

from django.core.management import call_command
from django.test import TestCase

from sammen.activities.models import Activity

from ..analysis import TouchpointFigures, moments, summarise
from ..models import Rating, Touchpoint


class DemoJourneyTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        call_command("load_demo", verbosity=0)

    def test_the_festival_weekend_shows_every_kind_of_moment(self):
        activity = Activity.objects.get(kind="journey")
        self.assertEqual(activity.space.slug, "northern-lights-festival")
        self.assertTrue(activity.is_open)
        journey = activity.journey
        touchpoints = list(Touchpoint.objects.filter(journey=journey))
        self.assertGreaterEqual(Rating.objects.filter(journey=journey).count(), 300)
        figures = []
        for touchpoint in touchpoints:
            counts = [0] * 7
            for score in Rating.objects.filter(
                touchpoint=touchpoint, score__isnull=False
            ).values_list("score", flat=True):
                counts[(score or 0) - 1] += 1
            figures.append(TouchpointFigures(counts))
        found = {
            (touchpoints[moment.index].name, moment.reason)
            for moment in moments(
                figures, points=7, summaries=[summarise(f.counts, 7) for f in figures]
            )
        }
        self.assertIn(("The queue at the gate", "below_mean"), found)
        self.assertIn(("The queue at the gate", "sharpest_drop"), found)
        self.assertIn(("The headliner on the main stage", "peak"), found)
        self.assertIn(("The campsite at night", "polarised"), found)
        self.assertIn(("The thank-you email", "end"), found)
