"""The return read from the database: the hand-worked meeting of return_world, the
database's counts against the analysis of the raw rows, and the success measures."""

from datetime import timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sammen.meetings import analysis
from sammen.meetings.actions import Estimate, FollowUpInput, do_answer_follow_up
from sammen.meetings.kind import meeting_metrics
from sammen.meetings.models import FollowUp, Level, SessionRating
from sammen.meetings.returns import attendees_of, level_targets, return_figures
from sammen.testing import BaseTestCase
from sammen.testing.meetings import make_meeting, register

from .return_world import HandMeeting, hand_meeting, known, on


class HandWorkedReturnTests(BaseTestCase):
    world: HandMeeting

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.world = hand_meeting(cls.museum, cls.alice, cls.bob, cls.charlie)

    def setUp(self):
        self.figures = return_figures(self.world.meeting)

    def test_level_0_counts_who_came_and_what_it_cost(self):
        turnout = self.figures.turnout
        self.assertEqual(
            (turnout.registered, turnout.checked_in, turnout.attendees, turnout.no_shows),
            (14, 11, 12, 2),
        )
        inputs = self.figures.level("inputs")
        self.assertEqual(inputs.figure, 12)
        self.assertAlmostEqual(known(inputs.response_rate), 12 / 14)
        self.assertEqual(inputs.details["costs"], 600.0)
        self.assertEqual(inputs.details["cost_per_attendee"], 50.0)
        self.assertEqual(attendees_of(self.world.meeting).count(), 12)

    def test_level_1_weighs_each_rater_once(self):
        reacted = self.figures.level("reaction")
        self.assertEqual(reacted.figure, 4.25)
        self.assertAlmostEqual(known(reacted.low), 3.699754, places=5)
        self.assertAlmostEqual(known(reacted.high), 4.800246, places=5)
        self.assertEqual((reacted.n, reacted.response_rate), (12, 1.0))
        self.assertEqual((reacted.target, reacted.target_met), (4.0, True))
        self.assertEqual(reacted.details["satisfied_share"], 0.75)
        self.assertAlmostEqual(known(reacted.details["planned_action_share"]), 10 / 12)
        self.assertEqual(reacted.details["confidence"], 70.0)
        first, second = self.figures.sessions
        self.assertEqual(first.counts, (0, 0, 0, 6, 6))
        self.assertEqual(known(first.reaction).mean.value, 4.5)
        self.assertEqual(known(first.reaction).satisfied.value, 1.0)
        self.assertEqual(second.counts, (0, 3, 0, 0, 0))
        self.assertEqual(known(second.reaction).mean.value, 2.0)

    def test_level_2_pairs_the_answers_of_each_attendee(self):
        learned = self.figures.level("learning")
        self.assertAlmostEqual(known(learned.figure), 0.8)
        self.assertAlmostEqual(known(learned.low), 0.498379, places=5)
        self.assertAlmostEqual(known(learned.high), 1.101621, places=5)
        self.assertEqual((learned.n, learned.target, learned.target_met), (10, 1.0, False))
        gain = known(self.figures.learning).objectives[self.world.learning.pk]
        self.assertEqual((gain.before, gain.after), (2.2, 3.0))
        self.assertEqual(gain.improved.value, 0.8)

    def test_level_3_reads_the_latest_round_with_enough_answers(self):
        applied = self.figures.level("application")
        self.assertEqual(applied.details["days"], 30)
        self.assertEqual(applied.figure, 0.8)
        self.assertEqual(applied.details["fully_share"], 0.6)
        self.assertEqual((applied.n, applied.target, applied.target_met), (10, 0.7, True))
        month, quarter = self.figures.rounds
        self.assertEqual((month.invited, month.answered), (11, 10))
        self.assertEqual(month.frequencies, {"never": 2, "once": 0, "sometimes": 2, "often": 6})
        self.assertEqual((quarter.days, quarter.answered, quarter.too_few), (90, 4, True))
        self.assertEqual(self.figures.unsent_days, [])

    def test_levels_4_and_5_isolate_the_meetings_share_and_weigh_it_against_the_costs(self):
        impacted = self.figures.level("impact")
        self.assertAlmostEqual(known(impacted.figure), 900.0)
        self.assertAlmostEqual(known(impacted.low), 673.785, places=2)
        self.assertAlmostEqual(known(impacted.high), 1126.215, places=2)
        returned = self.figures.level("roi")
        self.assertAlmostEqual(known(returned.figure), 50.0)
        self.assertAlmostEqual(known(returned.low), 12.2975, places=3)
        self.assertAlmostEqual(known(returned.high), 87.7025, places=3)
        self.assertEqual((returned.target, returned.target_met), (25.0, True))
        self.assertAlmostEqual(known(returned.details["ratio"]), 1.5)
        self.assertAlmostEqual(known(self.figures.roi.ratio_low), 1.122975, places=5)
        self.assertAlmostEqual(known(self.figures.roi.ratio_high), 1.877025, places=5)
        self.assertEqual(self.figures.intangibles, ["Partners trust us more"])
        (measure,) = self.figures.impacts
        self.assertEqual(measure.estimates, 10)
        self.assertAlmostEqual(known(known(measure.impact).isolated.value), 0.3)
        self.assertFalse(measure.lower_is_better)

    def test_an_attendees_later_estimate_replaces_their_earlier_one_and_says_its_round(self):
        (measure,) = self.figures.impacts
        self.assertEqual(measure.rounds, ((30, 10),))
        # r5 (50% at 80%) and r6 (25% at 80%) estimate again after 90 days: 100% at 100%.
        # The share becomes (4 × 0.4 + 2 × 1 + 4 × 0.2) / 10 = 0.44.
        impact = self.world.impact
        with on(known(self.world.meeting.starts_at) + timedelta(days=91)):
            for registration in self.world.registrations[4:6]:
                do_answer_follow_up(
                    FollowUp.objects.get(registration=registration, days=90),
                    FollowUpInput("yes", "often", estimates={impact.pk: Estimate(100, 100)}),
                )
        (measure,) = return_figures(self.world.meeting).impacts
        self.assertEqual(measure.estimates, 10)
        self.assertEqual(measure.rounds, ((30, 8), (90, 2)))
        self.assertAlmostEqual(known(known(measure.impact).isolated.value), 0.44)

    def test_the_database_counts_give_what_the_analysis_gives_from_the_raw_rows(self):
        meeting = self.world.meeting
        ratings = SessionRating.objects.filter(session__meeting=meeting).values_list(
            "session_id", "registration_id", "score"
        )
        raw = analysis.reaction(
            ratings,
            attendees=12,
            confidences=[80] * 5 + [60] * 5,
        )
        counted = known(self.figures.reaction)
        self.assertEqual(raw.overall, counted.overall)
        self.assertEqual(raw.satisfied, counted.satisfied)
        self.assertEqual(raw.sessions, counted.sessions)
        self.assertEqual(raw.confidence, counted.confidence)
        answers = [
            analysis.FollowUpAnswer(applied, frequency or None)  # type: ignore[arg-type]
            for applied, frequency in FollowUp.objects.filter(
                days=30, answered_at__isnull=False
            ).values_list("applied", "frequency")
        ]
        self.assertEqual(analysis.application(30, 11, answers), self.figures.rounds[0])

    def test_each_objective_is_read_in_the_unit_of_its_target(self):
        by_level = {row.objective.level: row for row in self.figures.objective_figures()}
        reaction = by_level[Level.REACTION]
        self.assertEqual(
            (reaction.unit, reaction.figure, reaction.target_met), ("score", 4.25, True)
        )
        learning = by_level[Level.LEARNING]
        self.assertEqual((learning.unit, learning.target_met), ("points", False))
        application = by_level[Level.APPLICATION]
        self.assertEqual(application.unit, "percent")
        self.assertAlmostEqual(known(application.figure), 80.0)
        self.assertTrue(application.target_met)
        impact = by_level[Level.IMPACT]
        self.assertEqual((impact.unit, impact.figure, impact.target_met), ("measure", 160.0, True))

    def test_the_success_measures_can_be_counted_by_the_returns_figures(self):
        metrics = meeting_metrics(self.world.meeting.activity)
        self.assertEqual(metrics["attendees"][1], 12.0)
        self.assertEqual(metrics["reaction_mean"][1], 4.25)
        self.assertEqual(metrics["applied_share"][1], 80.0)
        self.assertEqual(metrics["roi_percent"][1], 50.0)
        self.assertEqual(metrics["attended"][1], 11.0)

    def test_the_figures_take_a_fixed_number_of_queries(self):
        with self.assertNumQueries(12):
            return_figures(self.world.meeting)


class EmptyReturnTests(BaseTestCase):
    def test_a_meeting_nobody_answered_says_no_data_and_no_roi(self):
        meeting = make_meeting(self.museum, self.alice)
        register(meeting, "Rosa")
        figures = return_figures(meeting)
        self.assertEqual(figures.level("inputs").figure, 0)
        self.assertEqual(
            [level.reason for level in figures.chain[1:]],
            ["no_data", "no_data", "no_data", "no_data", "no_costs"],
        )
        self.assertEqual(figures.unsent_days, [30, 90])
        self.assertNotIn("roi_percent", meeting_metrics(meeting.activity))

    def test_a_measure_that_should_fall_counts_its_fall_as_the_improvement(self):
        meeting = make_meeting(self.museum, self.alice)
        objective = meeting.objectives.get()
        objective.level, objective.target = Level.IMPACT, Decimal(80)
        objective.value_before, objective.value_after = Decimal(100), Decimal(90)
        objective.value_per_unit = Decimal(10)
        objective.save()
        (measure,) = return_figures(meeting).impacts
        self.assertTrue(measure.lower_is_better)
        self.assertEqual(known(measure.impact).improvement, 10.0)
        (row,) = return_figures(meeting).objective_figures()
        self.assertFalse(row.target_met)  # 90 is not yet down to 80


class LevelTargetTests(BaseTestCase):
    def test_targets_out_of_a_levels_unit_are_not_read_as_its_target(self):
        meeting = make_meeting(self.museum, self.alice)
        objective = meeting.objectives.get()
        cases = [
            (Level.REACTION, Decimal(80), {}),
            (Level.REACTION, Decimal("4.2"), {"reaction": 4.2}),
            (Level.LEARNING, Decimal(7), {}),
            (Level.APPLICATION, Decimal(40), {"application": 0.4}),
            (Level.APPLICATION, Decimal(140), {}),
            (Level.IMPACT, Decimal(2), {}),
        ]
        for level, target, expected in cases:
            with self.subTest(level=level, target=target):
                objective.level, objective.target = level, target
                self.assertEqual(level_targets([objective], []), expected)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 20), st.integers(1, 5)),
        max_size=60,
        unique_by=lambda rating: rating[:2],
    )
)
def test_the_tallies_give_what_the_ratings_give(ratings):
    """reaction_from_tallies, fed as the database feeds it, equals reaction on the rows."""
    raw = analysis.reaction(ratings, attendees=21)
    counts: dict[int, list[int]] = {}
    totals: dict[int, tuple[int, int]] = {}
    for session, attendee, score in ratings:
        counts.setdefault(session, [0] * 5)[score - 1] += 1
        total, count = totals.get(attendee, (0, 0))
        totals[attendee] = (total + score, count + 1)
    tallied = analysis.reaction_from_tallies(counts, list(totals.values()), 21)
    assert tallied.raters == raw.raters
    assert tallied.satisfied == raw.satisfied
    for key in ("value", "low", "high"):
        assert getattr(tallied.overall, key) == pytest.approx(getattr(raw.overall, key))
    for session, summary in raw.sessions.items():
        assert tallied.sessions[session].satisfied == summary.satisfied
        assert tallied.sessions[session].mean.value == pytest.approx(summary.mean.value)


def test_the_tallies_refuse_impossible_counts():
    with pytest.raises(ValueError, match="counts"):
        analysis.reaction_from_tallies({"A": [1, 2]}, [], 3)
    with pytest.raises(ValueError, match="total"):
        analysis.reaction_from_tallies({}, [(11, 2)], 3)
    with pytest.raises(ValueError, match="attendees"):
        analysis.reaction_from_tallies({}, [(4, 1), (5, 1)], 1)
