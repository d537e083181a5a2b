"""A meeting's return, level by level: figures worked out by hand, invariants, too few answers.

Plain pytest, no database: the analysis takes plain numbers.
"""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sammen.meetings.analysis import (
    MIN_ANSWERS,
    Application,
    Estimate,
    FollowUpAnswer,
    Impact,
    Pair,
    application,
    benefit_cost_ratio,
    cost_per_attendee,
    impact,
    learning,
    learning_gain,
    mean_interval,
    reaction,
    response_rate,
    return_chain,
    roi,
    roi_percent,
    share_interval,
)

PROPERTY_SETTINGS = settings(max_examples=60, deadline=None)

# Ten attendees' self-assessments before and after (gains 1, 0, 2, 1, 1, 0, 1, 2, 1, 1).
BEFORE = [2, 3, 2, 3, 2, 4, 3, 2, 3, 2]
GAINS = [1, 0, 2, 1, 1, 0, 1, 2, 1, 1]
AFTER = [before + gain for before, gain in zip(BEFORE, GAINS, strict=True)]


def contains(estimate: Estimate) -> bool:
    """Tell whether an estimate's interval holds its value (True when there is none)."""
    if estimate.value is None or estimate.low is None or estimate.high is None:
        return True
    return estimate.low <= estimate.value <= estimate.high


def half_used_measure(respondents: int = 10) -> Impact:
    """A measure up 100 units at 300 a unit, half of the respondents giving it all to the meeting.

    Adjusted contributions: half 100% × 100% = 1, half 0% × 100% = 0; mean 0.5, so the
    benefit is 100 × 0.5 × 300 = 15,000.
    """
    half = respondents // 2
    estimates = [(100, 100)] * half + [(0, 100)] * (respondents - half)
    return impact(200, 300, estimates, 300)


# --- Estimates ----------------------------------------------------------------------------


def test_a_mean_has_a_student_t_interval() -> None:
    """Values 1, 3, 3, 4, 5.

    mean = 16 / 5 = 3.2; squared deviations 4.84 + 0.04 + 0.04 + 0.64 + 3.24 = 8.8;
    variance 8.8 / 4 = 2.2, sd = 1.483240; standard error √(2.2 / 5) = 0.663325;
    t(0.975, 4) = 2.776445, half-width 1.841685; interval (1.358315, 5.041685).
    """
    estimate = mean_interval([1, 3, 3, 4, 5])
    assert estimate.n == 5
    assert estimate.value == pytest.approx(3.2)
    assert estimate.sd == pytest.approx(1.483240, abs=1e-6)
    assert estimate.low == pytest.approx(1.358315, abs=1e-5)
    assert estimate.high == pytest.approx(5.041685, abs=1e-5)
    assert estimate.too_few


def test_a_mean_needs_one_value_and_its_interval_two() -> None:
    nothing = mean_interval([])
    assert (nothing.n, nothing.value, nothing.sd, nothing.low, nothing.high) == (
        0,
        None,
        None,
        None,
        None,
    )
    assert nothing.too_few
    one = mean_interval([4])
    assert (one.value, one.sd, one.low, one.high, one.too_few) == (4.0, None, None, None, True)
    same = mean_interval([3] * MIN_ANSWERS)
    assert (same.value, same.low, same.high, same.too_few) == (3.0, 3.0, 3.0, False)


def test_a_mean_refuses_what_is_not_a_number() -> None:
    with pytest.raises(ValueError, match="finite"):
        mean_interval([1.0, float("nan")])


def test_wilson_for_seven_in_twenty() -> None:
    """7 of 20, p = 0.35, z = 1.959964: z² = 3.841459, z²/n = 0.192073, denominator 1.192073.

    centre = (0.35 + 3.841459 / 40) / 1.192073 = 0.446036 / 1.192073 = 0.374170;
    half = 1.959964 · √(0.35 · 0.65 / 20 + 3.841459 / 1600) / 1.192073
         = 1.959964 · √0.013776 / 1.192073 = 0.192978;
    interval (0.181192, 0.567148).
    """
    share = share_interval(7, 20)
    assert (share.n, share.successes, share.value) == (20, 7, 0.35)
    assert share.low == pytest.approx(0.181192, abs=1e-5)
    assert share.high == pytest.approx(0.567148, abs=1e-5)
    assert share.sd is None
    assert not share.too_few


def test_a_share_of_nobody_has_no_value_and_bad_counts_are_refused() -> None:
    nobody = share_interval(0, 0)
    assert (nobody.value, nobody.low, nobody.high, nobody.too_few) == (None, None, None, True)
    assert share_interval(0, 9).low == 0.0
    assert share_interval(9, 9).high == 1.0
    assert share_interval(9, 9).too_few
    with pytest.raises(ValueError, match="successes"):
        share_interval(3, 2)


def test_a_response_rate_is_answered_over_invited() -> None:
    assert response_rate(45, 60) == 0.75
    assert response_rate(0, 0) is None
    with pytest.raises(ValueError, match="answered"):
        response_rate(61, 60)


# --- Level 1: reaction --------------------------------------------------------------------


def test_reaction_per_session_overall_per_attendee_and_planned_actions() -> None:
    """Four of five attendees rate; session A: 5, 4, 3, 2; session B: 5 (a1) and 3 (a2).

    A: mean 14 / 4 = 3.5, 2 of 4 rated 4 or 5; B: mean 4, 1 of 2.
    Own means: a1 (5 + 5) / 2 = 5, a2 (4 + 3) / 2 = 3.5, a3 3, a4 2: overall 13.5 / 4 = 3.375;
    deviations 1.625, 0.125, -0.375, -1.375, squares sum 4.6875, variance 1.5625, sd 1.25,
    standard error 0.625, t(0.975, 3) = 3.182446, half-width 1.989029: (1.385971, 5.364029).
    Satisfied (own mean at least 4): a1 alone, 1 of 4. Response rate 4 / 5 = 0.8.
    Planned actions: 2 of 5 attendees = 0.4; confidence (80 + 60) / 2 = 70%.
    """
    ratings = [
        ("A", "a1", 5),
        ("A", "a2", 4),
        ("A", "a3", 3),
        ("A", "a4", 2),
        ("B", "a1", 5),
        ("B", "a2", 3),
    ]
    result = reaction(ratings, attendees=5, confidences=[80, 60])
    assert result.sessions["A"].mean.value == 3.5
    assert (result.sessions["A"].satisfied.successes, result.sessions["A"].satisfied.n) == (2, 4)
    assert result.sessions["B"].mean.value == 4.0
    assert result.sessions["B"].satisfied.value == 0.5
    assert result.raters == 4
    assert result.response_rate == 0.8
    assert result.overall.value == pytest.approx(3.375)
    assert result.overall.sd == pytest.approx(1.25)
    assert result.overall.low == pytest.approx(1.385971, abs=1e-5)
    assert result.overall.high == pytest.approx(5.364029, abs=1e-5)
    assert (result.satisfied.successes, result.satisfied.n) == (1, 4)
    assert result.planned_actions == 2
    assert result.planned_action_share.value == 0.4
    assert result.confidence.value == 70.0
    assert result.too_few


def test_reaction_with_enough_raters_is_read() -> None:
    """Twelve attendees, six rate 4 and six rate 5: mean 4.5, sd √(12 · 0.25 / 11) = 0.522233."""
    ratings = [("A", index, 4 if index < 6 else 5) for index in range(12)]
    result = reaction(ratings, attendees=12)
    assert not result.too_few
    assert result.overall.value == 4.5
    assert result.overall.sd == pytest.approx(0.522233, abs=1e-6)
    assert result.satisfied.value == 1.0
    assert result.planned_actions == 0
    assert result.confidence.value is None


def test_reaction_refuses_a_score_off_the_scale_and_more_raters_than_attendees() -> None:
    with pytest.raises(ValueError, match="1 to 5"):
        reaction([("A", "a1", 6)], attendees=1)
    with pytest.raises(ValueError, match="attendees"):
        reaction([("A", "a1", 4), ("A", "a2", 4)], attendees=1)
    with pytest.raises(ValueError, match="attendees"):
        reaction([], attendees=1, confidences=[50, 50])
    with pytest.raises(ValueError, match="percentages"):
        reaction([], attendees=1, confidences=[120])


# --- Level 2: learning --------------------------------------------------------------------


def test_a_paired_gain_of_ten_attendees_with_its_t_interval() -> None:
    """Gains d = 1, 0, 2, 1, 1, 0, 1, 2, 1, 1: mean 10 / 10 = 1.

    deviations 0, -1, 1, 0, 0, -1, 0, 1, 0, 0: squares sum 4, variance 4 / 9 = 0.444444,
    sd 0.666667, standard error 0.666667 / √10 = 0.210819; t(0.975, 9) = 2.262157,
    half-width 0.476905: interval (0.523095, 1.476905). Cohen's dz = 1 / 0.666667 = 1.5.
    Improved (d > 0): 8 of 10. Before 26 / 10 = 2.6, after 36 / 10 = 3.6.
    Two attendees who answered only once are left out: n stays 10.
    """
    pairs: list[Pair] = list(zip(BEFORE, AFTER, strict=True))
    gain = learning_gain([*pairs, (3, None), (None, 4)])
    assert gain.n == 10
    assert (gain.before, gain.after) == (pytest.approx(2.6), pytest.approx(3.6))
    assert gain.gain.value == pytest.approx(1.0)
    assert gain.gain.sd == pytest.approx(0.666667, abs=1e-6)
    assert gain.gain.low == pytest.approx(0.523095, abs=1e-5)
    assert gain.gain.high == pytest.approx(1.476905, abs=1e-5)
    assert gain.effect == pytest.approx(1.5)
    assert (gain.improved.successes, gain.improved.n) == (8, 10)
    assert not gain.too_few


def test_a_gain_of_nine_pairs_is_too_few_and_equal_gains_have_no_effect_size() -> None:
    few = learning_gain(list(zip(BEFORE, AFTER, strict=True))[:9])
    assert few.too_few
    assert few.gain.value is not None
    steady = learning_gain([(0.1, 0.3)] * 12)
    assert steady.gain.value == pytest.approx(0.2)
    assert steady.effect is None
    nothing = learning_gain([(2, None)])
    assert (nothing.n, nothing.before, nothing.gain.value, nothing.effect) == (0, None, None, None)
    assert nothing.too_few


def test_learning_overall_weighs_each_attendee_once() -> None:
    """O1: a (1 → 3), b (2 → 2); O2: a (3 → 3), c answered only before.

    a: before (1 + 3) / 2 = 2, after (3 + 3) / 2 = 3, gain 1; b: gain 0; c has no pair.
    Overall n 2, mean gain 0.5, improved 1 of 2.
    """
    answers: dict[str, dict[str, Pair]] = {
        "O1": {"a": (1, 3), "b": (2, 2)},
        "O2": {"a": (3, 3), "c": (1, None)},
    }
    result = learning(answers)
    assert result.objectives["O1"].n == 2
    assert result.objectives["O1"].gain.value == 1.0
    assert result.objectives["O2"].n == 1
    assert result.overall.n == 2
    assert result.overall.gain.value == 0.5
    assert (result.overall.before, result.overall.after) == (2.0, 2.5)
    assert result.overall.improved.successes == 1
    assert result.overall.too_few


# --- Level 3: application -----------------------------------------------------------------


def test_a_follow_up_round_counts_application_frequency_and_what_helped() -> None:
    """20 invited, 12 answer: 5 yes, 3 partly, 4 no.

    Applied at least partly 8 / 12 = 0.666667, fully 5 / 12; response rate 12 / 20 = 0.6.
    Frequencies: 4 "no" without a frequency count as never; yes answers: 3 often, 2
    sometimes; partly: 2 once, 1 without a frequency (left out): 11 counted.
    """
    answers = (
        [FollowUpAnswer("yes", "often", helped=("manager", "time"))] * 3
        + [FollowUpAnswer("yes", "sometimes", helped=("time", "time"))] * 2
        + [FollowUpAnswer("partly", "once", hindered=("no_time",))] * 2
        + [FollowUpAnswer("partly")]
        + [FollowUpAnswer("no", hindered=("no_time", "no_budget"))] * 3
        # A blank frequency, as the database stores none, is none.
        + [FollowUpAnswer("no", "", hindered=("no_time", "no_budget"))]  # type: ignore[arg-type]
    )
    result = application(30, invited=20, answers=answers)
    assert (result.days, result.invited, result.answered) == (30, 20, 12)
    assert result.response_rate == 0.6
    assert result.applied.value == pytest.approx(8 / 12)
    assert result.fully.value == pytest.approx(5 / 12)
    assert result.frequencies == {"never": 4, "once": 2, "sometimes": 2, "often": 3}
    assert result.frequency_shares["never"] == pytest.approx(4 / 11)
    # "time" named twice by one answer counts once for it: 3 + 2 answers.
    assert result.enablers == (("time", 5), ("manager", 3))
    assert result.barriers == (("no_time", 6), ("no_budget", 4))
    assert not result.too_few


def test_a_round_with_few_answers_says_so_and_unknown_keys_are_refused() -> None:
    few = application(90, invited=30, answers=[FollowUpAnswer("yes")] * 3)
    assert few.too_few
    assert few.applied.value == 1.0
    assert few.frequency_shares == {"never": 0.0, "once": 0.0, "sometimes": 0.0, "often": 0.0}
    silent = application(90, invited=30, answers=[])
    assert (silent.applied.value, silent.response_rate) == (None, 0.0)
    with pytest.raises(ValueError, match="frequency"):
        application(30, invited=1, answers=[FollowUpAnswer("yes", "daily")])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="answered"):
        application(30, invited=0, answers=[FollowUpAnswer("no")])


# --- Level 4: impact ----------------------------------------------------------------------


def test_the_phillips_isolation_of_three_answers() -> None:
    """A measure up 100 units (1,000 → 1,100), each worth 30; three of five asked answer.

    Adjusted contributions 50% × 80% = 0.4, 20% × 50% = 0.1, 0% × 100% = 0.
    Respondents' mean 0.5 / 3 = 0.166667: benefit 100 × 0.166667 × 30 = 500.
    Interval: deviations 0.233333, -0.066667, -0.166667, squares sum 0.086667, variance
    0.043333, sd 0.208167, standard error 0.120185, t(0.975, 2) = 4.302653, half-width
    0.517114: (-0.350447, 0.683781), clipped to (0, 0.683781); in money (0, 2,051.34).
    All asked (two zeros added): 0.5 / 5 = 0.1, benefit 300; deviations 0.3, 0, -0.1 three
    times, squares sum 0.12, variance 0.03, sd 0.173205, standard error 0.077460,
    t(0.975, 4) = 2.776445, half-width 0.215063: (0, 0.315063), in money (0, 945.19).
    """
    measure = impact(1000, 1100, [(50, 80), (20, 50), (0, 100)], 30, asked=5)
    assert (measure.change, measure.improvement) == (100.0, 100.0)
    assert measure.response_rate == 0.6
    assert measure.isolated.value == pytest.approx(0.166667, abs=1e-6)
    assert (measure.isolated.low, measure.isolated.high) == (0.0, pytest.approx(0.683781, abs=1e-5))
    assert measure.benefit_respondents.value == pytest.approx(500)
    assert measure.benefit_respondents.high == pytest.approx(2051.34, abs=0.01)
    assert measure.isolated_all_asked.value == pytest.approx(0.1)
    assert measure.benefit_all_asked.value == pytest.approx(300)
    assert measure.benefit_all_asked.high == pytest.approx(945.19, abs=0.01)
    assert measure.benefit is measure.benefit_respondents
    assert measure.too_few
    assert measure.isolated_all_asked.too_few
    conservative = impact(
        1000, 1100, [(50, 80), (20, 50), (0, 100)], 30, asked=5, conservative=True
    )
    assert conservative.benefit.value == pytest.approx(300)


def test_a_measure_where_lower_is_better_is_annualised_and_a_decline_claims_nothing() -> None:
    # Complaints a month 40 → 30: an improvement of 10, at 25 each, half of it isolated
    # (every answer 50% × 100%): 10 × 0.5 × 25 = 125 a month, × 12 = 1,500 a year.
    answers = [(50, 100)] * MIN_ANSWERS
    yearly = impact(40, 30, answers, Decimal("25.00"), periods=12, lower_is_better=True)
    assert (yearly.change, yearly.improvement) == (-10.0, 10.0)
    assert yearly.benefit.value == pytest.approx(1500)
    assert (yearly.benefit.low, yearly.benefit.high) == (
        pytest.approx(1500),
        pytest.approx(1500),
    )
    assert not yearly.too_few
    worse = impact(40, 50, answers, 25, lower_is_better=True)
    assert worse.improvement == -10.0
    assert worse.benefit.value == 0.0


def test_impact_refuses_what_cannot_be() -> None:
    with pytest.raises(ValueError, match="percentages"):
        impact(0, 10, [(120, 50)], 1)
    with pytest.raises(ValueError, match="percentages"):
        impact(0, 10, [(50, -1)], 1)
    with pytest.raises(ValueError, match="value per unit"):
        impact(0, 10, [(50, 50)], -1)
    with pytest.raises(ValueError, match="periods"):
        impact(0, 10, [(50, 50)], 1, periods=0)
    with pytest.raises(ValueError, match="answered"):
        impact(0, 10, [(50, 50), (10, 10)], 1, asked=1)


def test_a_measure_nobody_answered_has_no_benefit() -> None:
    silent = impact(0, 10, [], 5, asked=8)
    assert silent.isolated.value is None
    assert silent.benefit_respondents.value is None
    # Conservatively, the eight silent attendees each count as 0.
    assert silent.benefit_all_asked.value == 0.0
    assert silent.too_few


# --- Level 5: ROI and costs ---------------------------------------------------------------


def test_roi_of_fifteen_thousand_on_ten_thousand() -> None:
    """Benefits 15,000, costs 6,000 + 4,000 = 10,000: ROI (15,000 - 10,000) / 10,000 = 50%.

    BCR 15,000 / 10,000 = 1.5. The benefits' interval: adjusted contributions five 1s and
    five 0s, mean 0.5, sd √(10 · 0.25 / 9) = 0.527046, standard error 0.166667,
    t(0.975, 9) = 2.262157, half-width 0.377026: (0.122974, 0.877026), × 30,000 =
    (3,689.21, 26,310.79); ROI (-63.11%, 163.11%), BCR (0.368921, 2.631079).
    """
    assert roi_percent(15_000, 10_000) == 50.0
    assert benefit_cost_ratio(15_000, 10_000) == 1.5
    result = roi([half_used_measure()], [6000, Decimal("4000.00")], intangibles=["trust"])
    assert result.benefits.value == pytest.approx(15_000)
    assert result.costs == 10_000
    assert result.net_benefits == pytest.approx(5_000)
    assert result.percent == pytest.approx(50.0)
    assert result.ratio == pytest.approx(1.5)
    assert result.benefits.low == pytest.approx(3689.21, abs=0.01)
    assert result.benefits.high == pytest.approx(26310.79, abs=0.01)
    assert result.percent_low == pytest.approx(-63.11, abs=0.01)
    assert result.percent_high == pytest.approx(163.11, abs=0.01)
    assert result.ratio_low == pytest.approx(0.368921, abs=1e-5)
    assert result.ratio_high == pytest.approx(2.631079, abs=1e-5)
    assert result.reason is None
    assert result.intangibles == ("trust",)


def test_roi_sums_the_measures_and_leaves_intangibles_out_of_the_money() -> None:
    two = roi([half_used_measure(), half_used_measure()], 10_000, intangibles=["a network"])
    alone = roi([half_used_measure(), half_used_measure()], 10_000)
    assert two.benefits.value == pytest.approx(30_000)
    assert two.percent == pytest.approx(200.0)
    assert two.percent == alone.percent
    assert two.benefits.low == pytest.approx(2 * 3689.2142, abs=0.01)


def test_roi_without_costs_without_measures_or_with_too_few_answers() -> None:
    free = roi([half_used_measure()], [])
    assert (free.percent, free.ratio, free.reason) == (None, None, "no_costs")
    unmeasured = roi([], 10_000)
    assert (unmeasured.percent, unmeasured.ratio, unmeasured.reason) == (None, None, "no_measures")
    assert unmeasured.too_few
    few = roi([half_used_measure(respondents=4)], 10_000)
    assert few.reason == "too_few"
    assert few.too_few
    assert few.percent is not None  # computed, but the chain shows "too few" instead


def test_cost_per_attendee() -> None:
    # (6,000 + 4,000) / 80 = 125.
    assert cost_per_attendee([6000, Decimal("4000")], 80) == 125.0
    assert cost_per_attendee(10_000, 80) == 125.0
    assert cost_per_attendee([6000], 0) is None
    with pytest.raises(ValueError, match="negative"):
        cost_per_attendee([-1], 10)


# --- The chain ----------------------------------------------------------------------------


def rounds() -> list[Application]:
    """A 30-day round of 12 answers (9 applied) and a 90-day round of 4."""
    month = [FollowUpAnswer("yes", "often")] * 9 + [FollowUpAnswer("no")] * 3
    return [
        application(30, invited=20, answers=month),
        application(90, invited=20, answers=[FollowUpAnswer("yes")] * 4),
    ]


def test_the_chain_of_a_measured_meeting_from_inputs_to_roi() -> None:
    ratings = [("A", index, 4 if index < 6 else 5) for index in range(12)]
    pairs = dict(enumerate(zip(BEFORE, AFTER, strict=True)))
    chain = return_chain(
        attendees=20,
        registered=25,
        costs=[6000, 4000],
        reaction=reaction(ratings, attendees=20, confidences=[70] * 10),
        learning=learning({"O1": pairs}),
        rounds=rounds(),
        impacts=[half_used_measure()],
        intangibles=["trust"],
        targets={"inputs": 30, "reaction": 4, "learning": 0.5, "application": 0.8, "roi": 25},
    )
    assert [level.number for level in chain] == [0, 1, 2, 3, 4, 5]
    assert [level.key for level in chain] == [
        "inputs",
        "reaction",
        "learning",
        "application",
        "impact",
        "roi",
    ]
    inputs, reacted, learned, applied, impacted, returned = chain
    # Level 0: 20 of 25 registered came, 10,000 / 20 = 500 each; 20 < 30 targeted.
    assert (inputs.figure, inputs.response_rate, inputs.target_met) == (20, 0.8, False)
    assert inputs.details["cost_per_attendee"] == 500.0
    # Level 1: mean 4.5 (4.168189, 4.831811) against a target of 4; 12 of 20 rated.
    assert reacted.figure == 4.5
    assert reacted.low == pytest.approx(4.168189, abs=1e-5)
    assert (reacted.n, reacted.response_rate, reacted.target_met) == (12, 0.6, True)
    assert reacted.details["planned_action_share"] == 0.5
    # Level 2: the ten pairs' gain of 1 point, above the target of 0.5.
    assert learned.figure == pytest.approx(1.0)
    assert (learned.n, learned.response_rate, learned.target_met) == (10, 0.5, True)
    # Level 3: the 90-day round has 4 answers, so the 30-day round is read: 9 of 12.
    assert applied.details["days"] == 30
    assert applied.figure == 0.75
    assert applied.target_met is False
    # Level 4: 15,000 with no target given.
    assert impacted.figure == pytest.approx(15_000)
    assert (impacted.target, impacted.target_met) == (None, None)
    assert impacted.response_rate == 1.0
    # Level 5: ROI 50% > 25%, BCR 1.5, the intangible counted but not in money.
    assert returned.figure == pytest.approx(50.0)
    assert returned.low == pytest.approx(-63.11, abs=0.01)
    assert returned.target_met is True
    assert returned.details["ratio"] == pytest.approx(1.5)
    assert returned.details["intangibles"] == 1
    assert all(level.reason is None and not level.too_few for level in chain)


def test_a_level_with_too_few_answers_says_so_instead_of_a_number() -> None:
    chain = return_chain(
        attendees=20,
        costs=10_000,
        reaction=reaction([("A", index, 5) for index in range(9)], attendees=20),
        learning=learning({"O1": dict.fromkeys(range(9), (2, 3))}),
        rounds=[rounds()[1]],
        impacts=[half_used_measure(respondents=9)],
        targets={"reaction": 4, "learning": 0.5, "application": 0.5, "impact": 1, "roi": 0},
    )
    for level in chain[1:]:
        assert level.too_few, level.key
        assert level.reason == "too_few", level.key
        assert (level.figure, level.low, level.high, level.target_met) == (None, None, None, None)
    assert [level.n for level in chain[1:]] == [9, 9, 4, 9, 9]
    assert chain[0].figure == 20
    assert chain[0].reason is None


def test_a_level_nothing_measured_has_no_data_and_no_costs_has_no_roi() -> None:
    chain = return_chain(attendees=0, costs=[])
    assert chain[0].figure == 0
    assert chain[0].details["cost_per_attendee"] is None
    assert [level.reason for level in chain[1:]] == [
        "no_data",
        "no_data",
        "no_data",
        "no_data",
        "no_costs",
    ]
    unmeasured = return_chain(attendees=10, costs=500)
    assert unmeasured[5].reason == "no_measures"
    assert unmeasured[5].figure is None
    free = return_chain(attendees=10, costs=0, impacts=[half_used_measure()])
    assert free[4].figure == pytest.approx(15_000)
    assert (free[5].reason, free[5].figure, free[5].details["ratio"]) == ("no_costs", None, None)


# --- Properties ---------------------------------------------------------------------------

percentages = st.integers(min_value=0, max_value=100)
answers = st.lists(st.tuples(percentages, percentages), min_size=1, max_size=30)
money = st.floats(min_value=0, max_value=1e9, allow_nan=False)


@PROPERTY_SETTINGS
@given(first=money, second=money, costs=st.floats(min_value=1, max_value=1e9))
def test_roi_never_falls_when_the_benefits_rise(first: float, second: float, costs: float) -> None:
    low, high = sorted((first, second))
    low_roi, high_roi = roi_percent(low, costs), roi_percent(high, costs)
    assert low_roi is not None
    assert high_roi is not None
    assert low_roi <= high_roi
    low_ratio, high_ratio = benefit_cost_ratio(low, costs), benefit_cost_ratio(high, costs)
    assert low_ratio is not None
    assert high_ratio is not None
    assert low_ratio <= high_ratio


@PROPERTY_SETTINGS
@given(estimates=answers, values=st.tuples(money, money))
def test_roi_of_measures_never_falls_when_a_unit_is_worth_more(
    estimates: list[tuple[int, int]], values: tuple[float, float]
) -> None:
    cheap, dear = sorted(values)
    less = roi([impact(0, 50, estimates, cheap)], 1000).percent
    more = roi([impact(0, 50, estimates, dear)], 1000).percent
    assert less is not None
    assert more is not None
    assert less <= more


@PROPERTY_SETTINGS
@given(values=st.lists(st.floats(min_value=-1e6, max_value=1e6), max_size=40))
def test_a_mean_interval_contains_the_mean(values: list[float]) -> None:
    assert contains(mean_interval(values))


@PROPERTY_SETTINGS
@given(n=st.integers(min_value=0, max_value=500), data=st.data())
def test_a_wilson_interval_contains_the_share(n: int, data: st.DataObject) -> None:
    successes = data.draw(st.integers(min_value=0, max_value=n))
    share = share_interval(successes, n)
    assert contains(share)
    if n:
        assert share.low is not None
        assert share.high is not None
        assert 0 <= share.low <= share.high <= 1


@PROPERTY_SETTINGS
@given(pairs=st.lists(st.tuples(st.integers(1, 5), st.integers(1, 5)), max_size=40))
def test_a_gain_interval_contains_the_gain(pairs: list[tuple[int, int]]) -> None:
    gain = learning_gain(pairs)
    assert contains(gain.gain)
    assert contains(gain.improved)


@PROPERTY_SETTINGS
@given(estimates=answers, silent=st.integers(min_value=0, max_value=10), value=money)
def test_an_isolated_benefit_interval_contains_the_benefit(
    estimates: list[tuple[int, int]], silent: int, value: float
) -> None:
    measure = impact(100, 180, estimates, value, asked=len(estimates) + silent)
    for estimate in (
        measure.isolated,
        measure.isolated_all_asked,
        measure.benefit_respondents,
        measure.benefit_all_asked,
    ):
        assert contains(estimate)
    assert measure.benefit_all_asked.value is not None
    assert measure.benefit_respondents.value is not None
    assert measure.benefit_all_asked.value <= measure.benefit_respondents.value + 1e-9


@PROPERTY_SETTINGS
@given(estimates=answers, data=st.data())
def test_more_confidence_never_lowers_the_isolated_benefit(
    estimates: list[tuple[int, int]], data: st.DataObject
) -> None:
    index = data.draw(st.integers(min_value=0, max_value=len(estimates) - 1))
    contribution, confidence = estimates[index]
    surer = list(estimates)
    surer[index] = (contribution, data.draw(st.integers(min_value=confidence, max_value=100)))
    before = impact(10, 30, estimates, 7, asked=len(estimates) + 2)
    after = impact(10, 30, surer, 7, asked=len(estimates) + 2)
    for basis in ("benefit_respondents", "benefit_all_asked"):
        old, new = getattr(before, basis).value, getattr(after, basis).value
        assert old is not None
        assert new is not None
        assert old <= new


@PROPERTY_SETTINGS
@given(
    confidences=st.lists(percentages, max_size=30),
    more=st.integers(min_value=0, max_value=30),
)
def test_an_attendee_without_a_planned_action_never_raises_the_share(
    confidences: list[int], more: int
) -> None:
    attendees = len(confidences) + more
    if attendees == 0:
        return
    share = reaction([], attendees, confidences).planned_action_share.value
    larger = reaction([], attendees + 1, confidences).planned_action_share.value
    assert share is not None
    assert larger is not None
    assert larger <= share
