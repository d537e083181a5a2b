"""The journey's figures: counted in the database, read by the analysis, cached by version."""

import math
from collections import Counter

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sammen.accounts.models import Participant
from sammen.journeys import analysis
from sammen.journeys.actions import (
    do_answer_closing_questions,
    do_rate,
    do_start_wave,
)
from sammen.journeys.emotions import WORDS
from sammen.journeys.models import Journey, Rating, Segment, Touchpoint
from sammen.journeys.queries.figures import (
    compare_segments,
    compare_waves,
    journey_figures,
    journey_tallies,
    wave_by_number,
)
from sammen.testing import BaseTestCase
from sammen.testing.journeys import make_journey, rate_all, touchpoints_of

# Three customers along the museum's five touchpoints (None: "I didn't go through this").
SCORES: list[list[int | None]] = [
    [7, 4, 2, 5, 6],
    [5, 4, 1, 5, None],
    [6, 1, 3, 5, 6],
]


class HandWorkedFiguresTests(BaseTestCase):
    """A journey small enough to work out by hand."""

    journey: Journey
    touchpoints: list[Touchpoint]
    people: list[Participant]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.journey = make_journey(cls.museum, cls.alice, ask_recommendation=True)
        cls.touchpoints = touchpoints_of(cls.journey)
        cls.people = [rate_all(cls.journey, scores) for scores in SCORES]
        ticket, _entrance, desk = cls.touchpoints[:3]
        # Words and comments: two annoyed and one confused at the desk, one delighted.
        do_rate(
            cls.journey,
            cls.people[0],
            desk,
            score=2,
            words=["annoyed", "confused"],
            preference="person",
            comment="Nobody looked up.",
        )
        do_rate(cls.journey, cls.people[1], desk, score=1, words=["annoyed"], preference="person")
        do_rate(cls.journey, cls.people[2], desk, score=3, words=["helped"], preference="machine")
        do_rate(cls.journey, cls.people[0], ticket, score=7, words=["delighted"], comment="Easy!")
        for person, answer in zip(cls.people, [10, 6, 9], strict=True):
            do_answer_closing_questions(cls.journey, person, segment_id=None, recommendation=answer)
        cls.journey.refresh_from_db()

    def setUp(self) -> None:
        cache.clear()

    def test_the_first_touchpoint_is_worked_by_hand(self):
        figures = journey_figures(self.journey)
        ticket = figures.at(0).summary
        assert ticket.mean is not None
        assert ticket.sd is not None
        assert ticket.ci_low is not None
        assert ticket.ci_high is not None
        self.assertEqual(ticket.n, 3)
        self.assertAlmostEqual(ticket.mean, 6.0)
        self.assertAlmostEqual(ticket.sd, 1.0)
        # t(0.975, 2) = 4.302653; half = 4.302653 / sqrt(3)
        half = 4.302653 / math.sqrt(3)
        self.assertAlmostEqual(ticket.ci_low, 6 - half, places=5)
        self.assertAlmostEqual(ticket.ci_high, 6 + half, places=5)
        self.assertAlmostEqual(ticket.positive_share, 2 / 3)  # 6 and 7 are the top two
        self.assertTrue(ticket.too_few)

    def test_skips_words_preferences_and_comments_are_counted(self):
        figures = journey_figures(self.journey)
        shop = figures.at(4).tally
        self.assertEqual((shop.n, shop.skipped), (2, 1))
        desk = figures.at(2).tally
        self.assertEqual(desk.counts, [1, 1, 1, 0, 0, 0, 0])
        picked = {word.key: count for word, count in desk.picked_words()}
        self.assertEqual(picked, {"annoyed": 2, "confused": 1, "helped": 1})
        self.assertEqual((desk.negative_words, desk.positive_words), (3, 1))
        self.assertEqual((desk.comment_count, desk.negative_comments), (1, 1))
        self.assertEqual((desk.prefer_person, desk.prefer_machine, desk.no_preference), (2, 1, 0))
        ticket = figures.at(0).tally
        self.assertEqual((ticket.comment_count, ticket.negative_comments), (1, 0))

    def test_the_journey_mean_nps_and_peak_end_are_worked_by_hand(self):
        figures = journey_figures(self.journey)
        # Every rating: 7 5 6 | 4 4 1 | 2 1 3 | 5 5 5 | 6 6 -> 60 / 14
        assert figures.journey_mean is not None
        assert figures.nps.score is not None
        self.assertAlmostEqual(figures.journey_mean, 60 / 14)
        self.assertEqual((figures.ratings, figures.respondents), (14, 3))
        # Promoters 10 and 9, one detractor (6): (2 - 1) / 3
        self.assertAlmostEqual(figures.nps.score, 100 / 3)
        self.assertIsNone(figures.peak_end)  # no touchpoint has the ten ratings it takes

    def test_the_queries_say_what_the_analysis_says_of_the_raw_ratings(self):
        figures = journey_figures(self.journey)
        for figure in figures.touchpoints:
            scores = Counter(
                Rating.objects.filter(
                    touchpoint=figure.touchpoint, score__isnull=False
                ).values_list("score", flat=True)
            )
            raw = [scores.get(score, 0) for score in range(1, 8)]
            self.assertEqual(figure.summary, analysis.summarise(raw, 7))

    def test_the_metrics_name_each_touchpoint_mean(self):
        metrics = journey_figures(self.journey).metrics()
        desk = self.touchpoints[2]
        label, value = metrics[f"touchpoint_{desk.pk}_mean"]
        self.assertIn("The welcome at the desk", label)
        self.assertAlmostEqual(value, 2.0)
        self.assertEqual(metrics["ratings"][1], 14)
        self.assertEqual(metrics["respondents"][1], 3)
        self.assertAlmostEqual(metrics["nps"][1], 33.3)
        self.assertAlmostEqual(metrics["journey_mean"][1], 60 / 14)


class CacheTests(BaseTestCase):
    def setUp(self) -> None:
        cache.clear()
        self.journey = make_journey(self.museum, self.alice)
        rate_all(self.journey, [5, 4, 3, 4, 5])

    def queries(self, call) -> int:
        with CaptureQueriesContext(connection) as context:
            call()
        return len(context.captured_queries)

    def test_the_counts_are_read_from_the_cache_until_a_new_rating(self):
        self.assertEqual(self.queries(lambda: journey_tallies(self.journey)), 3)
        self.assertEqual(self.queries(lambda: journey_tallies(self.journey)), 0)
        with self.captureOnCommitCallbacks(execute=True):  # the version moves on commit
            rate_all(self.journey, [1, 1, 1, 1, 1])
        self.journey.refresh_from_db()
        tallies = journey_tallies(self.journey)
        self.assertEqual(tallies.ratings_in(), 10)

    def test_the_figures_cost_the_map_alone_once_counted(self):
        journey_figures(self.journey)
        self.assertEqual(self.queries(lambda: journey_figures(self.journey)), 2)


class ComparisonTests(BaseTestCase):
    def setUp(self) -> None:
        cache.clear()

    def test_two_waves_compare_touchpoint_by_touchpoint(self):
        journey = make_journey(self.museum, self.alice)
        for _ in range(3):
            rate_all(journey, [2, 3, 2, 4, 4])
        rate_all(journey, [3, 3, 1, 4, 4])
        do_start_wave(self.alice, journey, label="After the new desk")
        for _ in range(4):
            rate_all(journey, [6, 3, 6, 4, 5])
        journey.refresh_from_db()
        tallies = journey_tallies(journey)
        figures = journey_figures(journey, tallies=tallies)
        assert figures.wave is not None
        self.assertEqual(figures.wave.number, 2)  # the latest wave with ratings
        first, second = wave_by_number(tallies, 1), wave_by_number(tallies, 2)
        assert first is not None
        assert second is not None
        comparison = compare_waves(figures, tallies, first, second)
        self.assertEqual(comparison.b.label, "After the new desk")
        ticket = comparison.differences[0]
        assert ticket is not None
        # Before 2 2 2 3 (mean 2.25), after 6 6 6 6: the difference is exact.
        self.assertAlmostEqual(ticket.difference, 3.75)
        self.assertTrue(ticket.excludes_zero)
        entrance = comparison.differences[1]
        assert entrance is not None
        self.assertAlmostEqual(entrance.difference, 0.0)
        self.assertFalse(entrance.excludes_zero)

    def test_two_segments_compare_in_the_wave_shown(self):
        journey = make_journey(
            self.museum,
            self.alice,
            segment_question="Is this your first visit?",
            segments=["First visit", "Regular"],
        )
        first, regular = Segment.objects.filter(journey=journey).order_by("position")
        plan: list[tuple[list[int | None], Segment]] = [
            ([2] * 5, first),
            ([3] * 5, first),
            ([6] * 5, regular),
        ]
        for scores, segment in plan * 2:
            person = rate_all(journey, scores)
            do_answer_closing_questions(journey, person, segment_id=segment.pk, recommendation=None)
        journey.refresh_from_db()
        comparison = compare_segments(journey_figures(journey), first, regular)
        assert comparison is not None
        assert comparison.differences[0] is not None
        self.assertEqual((comparison.a.label, comparison.b.label), ("First visit", "Regular"))
        self.assertEqual((comparison.a.ratings, comparison.b.ratings), (20, 10))
        self.assertAlmostEqual(comparison.differences[0].difference, 3.5)
        self.assertEqual(comparison.clear_differences, 5)


def test_every_word_has_its_own_bit():
    assert len({word.bit for word in WORDS}) == len(WORDS)
