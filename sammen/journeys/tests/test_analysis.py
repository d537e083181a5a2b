"""The journey's emotion statistics: figures worked out by hand, invariants, and the rules."""

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sammen.journeys.analysis import (
    MIN_RATINGS,
    REASON_ORDER,
    Advice,
    Moment,
    Risk,
    TouchpointFigures,
    advise,
    difference,
    moments,
    nps,
    peak_end,
    pooled_mean,
    summarise,
    wilson,
)

PROPERTY_SETTINGS = settings(max_examples=60, deadline=None)


def around(score: int, n: int = 100, points: int = 7) -> list[int]:
    """A histogram of n ratings: a quarter one below `score`, half on it, a quarter above."""
    counts = [0] * points
    counts[score - 2] += n // 4
    counts[score - 1] += n - 2 * (n // 4)
    counts[score] += n // 4
    return counts


def reasons_of(found: list[Moment], index: int) -> list[str]:
    return [moment.reason for moment in found if moment.index == index]


# --- Figures worked out by hand -------------------------------------------------------------


def test_the_mean_of_a_small_histogram_has_a_student_t_interval() -> None:
    """Scores 1, 3, 3, 4, 5 on a 5-point scale.

    mean = 16 / 5 = 3.2; squared deviations 4.84 + 0.04 + 0.04 + 0.64 + 3.24 = 8.8;
    variance 8.8 / 4 = 2.2, sd = 1.48324; standard error √(2.2 / 5) = 0.663325;
    t(0.975, 4) = 2.776445, half-width 2.776445 · 0.663325 = 1.841669;
    interval 3.2 ± 1.841669 = (1.358331, 5.041669).
    """
    summary = summarise([1, 0, 2, 1, 1], points=5)
    assert summary.n == 5
    assert summary.mean == pytest.approx(3.2)
    assert summary.sd == pytest.approx(1.48324, abs=1e-5)
    assert summary.ci_low == pytest.approx(1.35833, abs=1e-4)
    assert summary.ci_high == pytest.approx(5.04167, abs=1e-4)
    # Bottom two: one rating of 5; top two (4 and 5): two of 5.
    assert summary.negative_share == pytest.approx(0.2)
    assert summary.positive_share == pytest.approx(0.4)
    assert summary.distribution == pytest.approx((0.2, 0.0, 0.4, 0.2, 0.2))
    assert summary.too_few


def test_a_histogram_without_ratings_has_no_mean_and_one_rating_no_interval() -> None:
    empty = summarise([0] * 7, points=7)
    assert (empty.n, empty.mean, empty.sd, empty.ci_low) == (0, None, None, None)
    assert (empty.negative_low, empty.negative_high) == (0.0, 1.0)
    single = summarise([0, 0, 0, 1, 0, 0, 0], points=7)
    assert single.mean == 4.0
    assert (single.sd, single.ci_low, single.ci_high) == (None, None, None)


def test_wilson_for_three_in_ten_and_for_nothing() -> None:
    """3 of 10, z = 1.959964: z² = 3.841459, z²/n = 0.384146, denominator 1.384146.

    centre = (0.3 + 3.841459 / 20) / 1.384146 = 0.492073 / 1.384146 = 0.355507;
    half = 1.959964 · √(0.3 · 0.7 / 10 + 3.841459 / 400) / 1.384146
         = 1.959964 · √0.030604 / 1.384146 = 0.247716;
    interval (0.107791, 0.603223).
    """
    low, high = wilson(3, 10)
    assert low == pytest.approx(0.107791, abs=1e-5)
    assert high == pytest.approx(0.603223, abs=1e-5)
    assert wilson(0, 0) == (0.0, 1.0)


def test_nps_of_twenty_answers_with_its_interval() -> None:
    """4 detractors (one 0, three 5), 6 passives (7), 10 promoters (four 9, six 10).

    p = 0.5, d = 0.2, score = 100 · 0.3 = 30;
    var = (0.5 + 0.2 - 0.3²) / 20 = 0.61 / 20 = 0.0305, √var = 0.174642;
    half-width = 1.96 · 0.174642 · 100 = 34.23, interval (-4.23, 64.23).
    """
    result = nps([1, 0, 0, 0, 0, 3, 0, 6, 0, 4, 6])
    assert result.n == 20
    assert result.score == pytest.approx(30.0)
    assert result.low == pytest.approx(-4.23, abs=0.01)
    assert result.high == pytest.approx(64.23, abs=0.01)
    assert (result.promoter_share, result.passive_share, result.detractor_share) == (
        pytest.approx(0.5),
        pytest.approx(0.3),
        pytest.approx(0.2),
    )
    assert not result.too_few


def test_nps_interval_is_clipped_and_empty_answers_have_no_score() -> None:
    # All 12 promoters: p = 1, d = 0, var = (1 - 1) / 12 = 0: the interval is (100, 100).
    everyone = nps([0] * 9 + [0, 12])
    assert (everyone.score, everyone.low, everyone.high) == (100.0, 100.0, 100.0)
    # 2 promoters and a detractor: score 33.33; var = (1 - (1/3)²) / 3 = 0.296296,
    # half-width 1.96 · 0.544331 · 100 = 106.69: (-73.35, 139.02) is clipped to (-73.35, 100).
    few = nps([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2])
    assert few.score == pytest.approx(100 / 3)
    assert few.low == pytest.approx(-73.35, abs=0.01)
    assert few.high == 100.0
    assert few.too_few
    nothing = nps([0] * 11)
    assert (nothing.score, nothing.low, nothing.high, nothing.too_few) == (None, None, None, True)


def test_welch_difference_of_two_small_groups() -> None:
    """A: scores 1, 2, 3 (mean 2, var 1); B: 3, 4, 5, 5 (mean 4.25, var 2.75 / 3 = 0.916667).

    va/na = 0.333333, vb/nb = 0.229167, se = √0.5625 = 0.75;
    df = 0.5625² / (0.333333² / 2 + 0.229167² / 3) = 0.316406 / 0.073061 = 4.330693;
    t(0.975, 4.330693) = 2.694798, half-width 2.021099; 2.25 ± 2.021099 = (0.228901, 4.271099).
    """
    result = difference([1, 1, 1, 0, 0], [0, 0, 1, 1, 2])
    assert result is not None
    assert result.difference == pytest.approx(2.25)
    assert result.df == pytest.approx(4.330693, abs=1e-5)
    assert result.low == pytest.approx(0.228901, abs=1e-5)
    assert result.high == pytest.approx(4.271099, abs=1e-5)
    assert result.excludes_zero


def test_a_difference_needs_two_ratings_on_each_side() -> None:
    assert difference([0, 1, 0, 0, 0], [0, 0, 5, 5, 0]) is None
    overlapping = difference([0, 0, 5, 5, 0], [0, 0, 5, 5, 0])
    assert overlapping is not None
    assert overlapping.difference == 0.0
    assert not overlapping.excludes_zero
    with pytest.raises(ValueError, match="different scales"):
        difference([1] * 5, [1] * 7)


def test_peak_end_takes_the_most_intense_moment_and_the_last_rated_one() -> None:
    """Midpoint 4: distances 1.0, 2.5, 2.5 (a tie: the earlier wins), 1.5; index 4 unrated.

    remembered = (1.5 + 2.5) / 2 = 2.0; plain = (5 + 1.5 + 6.5 + 2.5) / 4 = 3.875.
    """
    result = peak_end([5.0, 1.5, 6.5, 2.5, None], midpoint=4.0)
    assert result is not None
    assert (result.peak_index, result.peak_mean) == (1, 1.5)
    assert (result.end_index, result.end_mean) == (3, 2.5)
    assert result.remembered == pytest.approx(2.0)
    assert result.plain == pytest.approx(3.875)
    assert peak_end([None, None], midpoint=4.0) is None


def test_the_journey_mean_weighs_every_rating_the_same() -> None:
    # 100 ratings of mean 5 and 300 of mean 3: (500 + 900) / 400 = 3.5.
    assert pooled_mean([around(5), around(3, n=300)]) == pytest.approx(3.5)
    assert pooled_mean([[0] * 7]) is None


# --- Shape: two humps and wide spread -------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "bimodal"),
    [
        ([30, 10, 5, 5, 5, 15, 30], True),  # a U: coefficient 0.76, valley 5 < 0.6 · 30
        ([0, 30, 5, 5, 5, 30, 0], True),  # two humps inside the ends, each end 30%
        ([10] * 7, False),  # flat: no valley
        ([20, 0, 0, 60, 0, 0, 20], False),  # a middle hump with tails: coefficient 0.38
        ([1, 3, 10, 30, 35, 15, 6], False),  # one hump
        ([15, 10, 10, 10, 10, 15, 30], False),  # no valley below 60% of the smaller end
        ([3, 0, 0, 0, 0, 0, 3], False),  # two humps, but too few ratings to say so
    ],
)
def test_two_humps_need_a_coefficient_a_valley_and_mass_at_both_ends(
    counts: list[int], bimodal: bool
) -> None:
    assert summarise(counts, points=7).bimodal is bimodal


def test_two_humps_need_a_fifth_of_the_ratings_at_each_end() -> None:
    # Humps at 3 and 6 with a valley at 4 and 5; the bottom two hold 10 of 100.
    summary = summarise([5, 5, 30, 5, 5, 45, 5], points=7)
    assert summary.bimodality_coefficient is not None
    assert not summary.bimodal


def test_a_wide_spread_is_scaled_to_the_scale() -> None:
    # 7 points: flat, sd 2.01 >= 1.8. 5 points: [20] · 5, sd 1.42 >= 1.8 · 4 / 6 = 1.2.
    assert summarise([10] * 7, points=7).spread_wide
    assert summarise([20] * 5, points=5).spread_wide
    assert not summarise(around(4), points=7).spread_wide


def test_bad_histograms_are_refused() -> None:
    with pytest.raises(ValueError, match="expected 7 counts"):
        summarise([1, 2, 3], points=7)
    with pytest.raises(ValueError, match="negative"):
        summarise([1, -1, 0, 0, 0], points=5)
    with pytest.raises(ValueError, match="successes"):
        wilson(4, 3)
    with pytest.raises(ValueError, match="11 counts"):
        nps([1] * 10)


# --- Properties -----------------------------------------------------------------------------

histograms = st.sampled_from([5, 7]).flatmap(
    lambda points: st.lists(
        st.integers(min_value=0, max_value=10_000), min_size=points, max_size=points
    )
)


@PROPERTY_SETTINGS
@given(counts=histograms, score=st.integers(min_value=1, max_value=5))
def test_adding_a_rating_never_moves_n_down(counts: list[int], score: int) -> None:
    points = len(counts)
    more = list(counts)
    more[score - 1] += 1
    assert summarise(more, points).n == summarise(counts, points).n + 1


@PROPERTY_SETTINGS
@given(
    scores=st.lists(st.integers(min_value=1, max_value=7), min_size=0, max_size=60).flatmap(
        lambda scores: st.tuples(st.just(scores), st.permutations(scores))
    )
)
def test_the_order_in_which_ratings_were_counted_does_not_matter(
    scores: tuple[list[int], list[int]],
) -> None:
    def counted(order: list[int]) -> list[int]:
        counts = [0] * 7
        for score in order:
            counts[score - 1] += 1
        return counts

    first, permuted = scores
    assert summarise(counted(first), 7) == summarise(counted(permuted), 7)


@PROPERTY_SETTINGS
@given(data=st.data(), n=st.integers(min_value=0, max_value=1_000_000))
def test_wilson_stays_within_zero_and_one_and_contains_the_share(
    data: st.DataObject, n: int
) -> None:
    successes = data.draw(st.integers(min_value=0, max_value=n))
    low, high = wilson(successes, n)
    assert 0.0 <= low <= high <= 1.0
    if n:
        assert low <= successes / n <= high


@PROPERTY_SETTINGS
@given(counts=st.lists(st.integers(min_value=0, max_value=1000), min_size=11, max_size=11))
def test_the_nps_interval_contains_the_score_within_the_bounds(counts: list[int]) -> None:
    result = nps(counts)
    if result.score is not None:
        assert result.low is not None
        assert result.high is not None
        assert -100.0 <= result.low <= result.score <= result.high <= 100.0


@PROPERTY_SETTINGS
@given(a=histograms, data=st.data())
def test_swapping_the_groups_turns_the_difference_around(a: list[int], data: st.DataObject) -> None:
    b = data.draw(st.lists(st.integers(0, 10_000), min_size=len(a), max_size=len(a)))
    forward, backward = difference(a, b), difference(b, a)
    if forward is None or backward is None:
        assert forward is backward is None
        return
    assert forward.difference == pytest.approx(-backward.difference)
    assert forward.low == pytest.approx(-backward.high)
    assert forward.low <= forward.difference <= forward.high


@PROPERTY_SETTINGS
@given(
    means=st.lists(
        st.one_of(st.none(), st.floats(min_value=1, max_value=7)), min_size=1, max_size=30
    )
)
def test_the_remembered_journey_lies_between_its_lowest_and_highest_moment(
    means: list[float | None],
) -> None:
    result = peak_end(means, midpoint=4.0)
    rated = [mean for mean in means if mean is not None]
    if not rated:
        assert result is None
        return
    assert result is not None
    assert min(rated) - 1e-9 <= result.remembered <= max(rated) + 1e-9
    assert all(abs(mean - 4) <= abs(result.peak_mean - 4) for mean in rated)


# --- The moments that matter ----------------------------------------------------------------


def test_a_touchpoint_whose_interval_lies_below_the_journey_mean_is_a_low_point() -> None:
    # Means 5, 5, 3 with 100 ratings each: journey mean 13 / 3 = 4.33; the third's interval
    # is 3 ± 1.984 · 0.7107 / 10 = (2.86, 3.14), entirely below 4.33.
    found = moments([TouchpointFigures(around(5)), TouchpointFigures(around(5)),
                     TouchpointFigures(around(3))], points=7)  # fmt: skip
    assert "below_mean" in reasons_of(found, 2)
    low_point = next(moment for moment in found if moment.reason == "below_mean")
    assert low_point.figures["journey_mean"] == pytest.approx(13 / 3)
    assert "below_mean" not in reasons_of(found, 0) + reasons_of(found, 1)


def test_a_certain_but_tiny_gap_is_no_low_point() -> None:
    # 100,000 ratings each, means 5 and 4.9 (a tenth of the ratings moved from 5 to 4):
    # journey mean 4.95; the second's interval 4.9 ± 0.005 is below it, but 0.05 < 0.25.
    lower = around(5, n=100_000)
    lower[3], lower[4] = lower[3] + 10_000, lower[4] - 10_000
    found = moments([TouchpointFigures(around(5, n=100_000)), TouchpointFigures(lower)], 7)
    summary = summarise(lower, 7)
    assert summary.mean == pytest.approx(4.9)
    assert summary.ci_high is not None
    assert summary.ci_high < 4.95
    assert "below_mean" not in reasons_of(found, 1)


def test_a_low_point_needs_enough_ratings() -> None:
    few = around(3, n=8)
    found = moments([TouchpointFigures(around(5)), TouchpointFigures(few)], points=7)
    assert reasons_of(found, 1) == []


def test_the_sharpest_drop_is_flagged_on_the_later_touchpoint() -> None:
    # Means 5, 6, 4, 3: falls of 2 (1 → 2) and 1 (2 → 3); the sharpest is at index 2.
    journey = [TouchpointFigures(around(score)) for score in (5, 6, 4, 3)]
    drops = [moment for moment in moments(journey, points=7) if moment.reason == "sharpest_drop"]
    assert len(drops) == 1
    assert drops[0].index == 2
    assert drops[0].figures["from_index"] == 1
    assert drops[0].figures["drop"] == pytest.approx(2.0)
    assert drops[0].figures["low"] > 0


def test_a_drop_passes_over_touchpoints_with_too_few_ratings() -> None:
    # Index 1 has 4 ratings: the fall from 6 (index 0) to 3 (index 2) is what counts.
    journey = [TouchpointFigures(c) for c in (around(6), around(2, n=4), around(3))]
    drops = [moment for moment in moments(journey, points=7) if moment.reason == "sharpest_drop"]
    assert [(d.index, d.figures["from_index"]) for d in drops] == [(2, 0)]


def test_a_small_or_uncertain_fall_is_no_drop() -> None:
    # 5 → (2000 + 2000 + 600) / 1000 = 4.6 with 1000 ratings each: clear, but 0.4 < 0.5.
    small = [TouchpointFigures(around(5, n=1000)), TouchpointFigures([0, 0, 0, 500, 400, 100, 0])]
    assert summarise(small[1].counts, 7).mean == pytest.approx(4.6)
    assert "sharpest_drop" not in [m.reason for m in moments(small, points=7)]
    uncertain = [TouchpointFigures([1, 0, 0, 0, 0, 0, 9]), TouchpointFigures([2, 0, 0, 0, 0, 0, 8])]
    # Means 6.4 and 5.8: a fall of 0.6, but with sds 1.90 and 2.53 over 10 ratings each
    # Welch's interval of the fall is (-1.51, 2.71), which holds zero.
    assert "sharpest_drop" not in [m.reason for m in moments(uncertain, points=7)]


def test_the_drop_threshold_is_scaled_on_five_points() -> None:
    # 0.4 on 5 points is more than 0.5 · 4 / 6 = 0.333.
    journey = [TouchpointFigures([0, 0, 0, 600, 400]), TouchpointFigures([0, 0, 0, 1000, 0])]
    drops = [m for m in moments(journey, points=5) if m.reason == "sharpest_drop"]
    assert [m.index for m in drops] == [1]
    assert drops[0].figures["drop"] == pytest.approx(0.4)


def test_peak_and_end_are_moments_among_touchpoints_with_enough_ratings() -> None:
    # Means 5, 2, 5 and a last touchpoint with too few ratings: peak 1, end 2.
    journey = [TouchpointFigures(c) for c in (around(5), around(2), around(5), [0] * 5 + [5, 0])]
    found = moments(journey, points=7)
    assert "peak" in reasons_of(found, 1)
    assert "end" in reasons_of(found, 2)
    assert reasons_of(found, 3) == []
    end = next(moment for moment in found if moment.reason == "end")
    assert end.figures["remembered"] == pytest.approx(3.5)


def test_a_polarised_touchpoint_is_a_moment() -> None:
    journey = [TouchpointFigures(around(5)), TouchpointFigures([30, 10, 5, 5, 5, 15, 30])]
    polarised = [m for m in moments(journey, points=7) if m.reason == "polarised"]
    assert [m.index for m in polarised] == [1]
    assert polarised[0].figures["bimodal"] == 1.0


@pytest.mark.parametrize(
    ("words", "comments", "flagged"),
    [
        ((5, 5), (0, 0), True),  # five negative words, half of ten
        ((4, 0), (0, 0), False),  # all negative, but only four
        ((6, 7), (0, 0), False),  # six, but fewer than half
        ((0, 0), (5, 10), True),  # five negative comments, half of ten
        ((0, 0), (5, 11), False),  # five, but fewer than half
        ((0, 0), (4, 4), False),  # all negative, but only four
        ((1, 9), (6, 6), True),  # the comments are enough on their own
    ],
)
def test_negative_voices_need_five_making_at_least_half(
    words: tuple[int, int], comments: tuple[int, int], flagged: bool
) -> None:
    touchpoint = TouchpointFigures(
        around(5),
        negative_words=words[0],
        positive_words=words[1],
        negative_comments=comments[0],
        comments=comments[1],
    )
    found = moments([touchpoint], points=7)
    assert ("negative_voices" in reasons_of(found, 0)) is flagged


def test_moments_are_sorted_by_touchpoint_then_by_reason() -> None:
    journey = [
        TouchpointFigures(around(6)),
        TouchpointFigures([30, 10, 5, 5, 5, 15, 30], negative_words=9, positive_words=1),
        TouchpointFigures(around(6)),
    ]
    # Means 6, 4.1, 6; the journey's mean (600 + 410 + 600) / 300 = 5.37 sits above the
    # middle one's interval 4.1 ± 0.51. The peak: distances 2, 0.1 and 2 from 4, the earlier.
    found = moments(journey, points=7)
    assert [(m.index, m.reason) for m in found] == [
        (0, "peak"),
        (1, "below_mean"),
        (1, "sharpest_drop"),
        (1, "polarised"),
        (1, "negative_voices"),
        (2, "end"),
    ]


@PROPERTY_SETTINGS
@given(
    journey=st.lists(
        st.builds(
            TouchpointFigures,
            counts=st.lists(st.integers(0, 500), min_size=5, max_size=5),
            negative_words=st.integers(0, 50),
            positive_words=st.integers(0, 50),
            negative_comments=st.integers(0, 20),
            comments=st.integers(20, 40),
        ),
        max_size=12,
    )
)
def test_any_journey_gives_sorted_moments_on_its_own_touchpoints(
    journey: list[TouchpointFigures],
) -> None:
    found = moments(journey, points=5)
    order = [(m.index, REASON_ORDER.index(m.reason)) for m in found]
    assert order == sorted(order)
    assert len(set(order)) == len(order)
    assert all(0 <= m.index < len(journey) for m in found)
    assert sum(m.reason == "sharpest_drop" for m in found) <= 1


def test_a_journey_without_ratings_has_no_moments() -> None:
    assert moments([TouchpointFigures([0] * 7)] * 3, points=7) == []
    assert moments([], points=7) == []


# --- Person or machine ----------------------------------------------------------------------

CALM = around(5)  # mean 5, 1 from the midpoint; sd 0.71; nobody in the bottom two
INTENSE = around(2)  # mean 2, 2 from the midpoint; 75% in the bottom two
WIDE = [10] * 7  # mean 4, sd 2.01; 20 of 70 (29%) in the bottom two: wide, not intense
MIDDLING = around(3)  # mean 3; 25% in the bottom two: neither intense nor calm


def advice_for(
    counts: list[int],
    *,
    risk: Risk = "medium",
    volume: int | None = None,
    prefer_person: int = 0,
    prefer_machine: int = 0,
    no_preference: int = 0,
) -> Advice:
    touchpoint = TouchpointFigures(
        counts,
        risk=risk,
        volume=volume,
        prefer_person=prefer_person,
        prefer_machine=prefer_machine,
        no_preference=no_preference,
    )
    return advise(touchpoint, summarise(counts, points=7), points=7)


def keys(advice: Advice) -> list[str]:
    return [reason.key for reason in advice.reasons]


def test_a_high_risk_keeps_a_person_even_where_it_is_calm() -> None:
    advice = advice_for(CALM, risk="high", volume=50_000, prefer_machine=9, no_preference=1)
    assert advice.choice == "keep_person"
    assert keys(advice) == ["high_risk", "high_volume", "customers_prefer_machine"]


def test_intense_emotion_that_customers_want_a_person_for_keeps_one_at_high_volume() -> None:
    advice = advice_for(INTENSE, risk="low", volume=5000, prefer_person=6, prefer_machine=4)
    assert advice.choice == "keep_person"
    assert keys(advice) == ["intense_emotion", "high_volume", "customers_prefer_person"]
    emotion = advice.reasons[0].figures
    assert (emotion["mean"], emotion["midpoint"]) == (pytest.approx(2.0), 4.0)
    assert emotion["negative_share"] == pytest.approx(0.75)


def test_intense_emotion_at_low_volume_keeps_a_person() -> None:
    advice = advice_for(INTENSE, risk="low", volume=200)
    assert advice.choice == "keep_person"
    assert keys(advice) == ["intense_emotion", "low_volume"]


def test_a_wide_spread_at_unknown_volume_keeps_a_person() -> None:
    advice = advice_for(WIDE, risk="low")
    assert advice.choice == "keep_person"
    assert keys(advice) == ["wide_spread"]
    assert advice.reasons[0].figures["threshold"] == pytest.approx(1.8)


def test_intense_emotion_at_high_volume_gets_a_handover() -> None:
    advice = advice_for(INTENSE, risk="low", volume=5000)
    assert advice.choice == "automate_with_handover"
    assert keys(advice) == ["intense_emotion", "high_volume"]


def test_a_calm_routine_touchpoint_at_high_volume_is_automated() -> None:
    advice = advice_for(CALM, risk="low", volume=1000)
    assert advice.choice == "automate"
    assert keys(advice) == ["calm_and_routine", "high_volume"]


def test_a_calm_routine_touchpoint_customers_want_a_machine_for_is_automated() -> None:
    # 4 of 7 prefer a machine: 57% > 50%, with 7 >= 5 answers.
    advice = advice_for(CALM, risk="low", volume=20, prefer_machine=4, no_preference=3)
    assert advice.choice == "automate"
    assert keys(advice) == ["calm_and_routine", "low_volume", "customers_prefer_machine"]
    assert advice.reasons[-1].figures == {"share": pytest.approx(4 / 7), "answers": 7}


def test_customers_who_want_a_person_get_a_handover_where_it_is_calm() -> None:
    advice = advice_for(CALM, risk="low", volume=50_000, prefer_person=3, prefer_machine=2)
    assert advice.choice == "automate_with_handover"
    assert "customers_prefer_person" in keys(advice)


def test_a_calm_touchpoint_at_medium_risk_gets_a_handover() -> None:
    advice = advice_for(CALM, risk="medium", volume=50_000)
    assert advice.choice == "automate_with_handover"
    assert keys(advice) == ["medium_risk", "high_volume"]


def test_a_calm_routine_touchpoint_at_low_volume_gets_a_handover() -> None:
    advice = advice_for(CALM, risk="low", volume=10)
    assert advice.choice == "automate_with_handover"
    assert keys(advice) == ["calm_and_routine", "low_volume"]


def test_an_advice_without_any_clear_fact_says_so() -> None:
    advice = advice_for(MIDDLING, risk="low")
    assert advice.choice == "automate_with_handover"
    assert keys(advice) == ["no_clear_signal"]


def test_a_preference_needs_five_answers_and_more_than_half() -> None:
    assert "customers_prefer_person" not in keys(advice_for(CALM, prefer_person=4))
    assert "customers_prefer_person" not in keys(
        advice_for(CALM, prefer_person=3, prefer_machine=1, no_preference=2)
    )
    assert "customers_prefer_person" in keys(advice_for(CALM, prefer_person=5))


@pytest.mark.parametrize(
    ("facts", "choice"),
    [
        ({"risk": "high"}, "keep_person"),
        ({"risk": "low", "volume": 2000}, "automate"),
        ({"risk": "low", "prefer_machine": 5}, "automate"),
        ({"risk": "low", "volume": 2000, "prefer_person": 5}, "automate_with_handover"),
        ({"risk": "medium", "volume": 2000}, "automate_with_handover"),
        ({"risk": "low", "volume": 20}, "automate_with_handover"),
    ],
)
def test_with_too_few_ratings_the_advice_rests_on_risk_volume_and_preference(
    facts: dict[str, Any], choice: str
) -> None:
    # Nine ratings, all 1: intense if there were enough of them.
    advice = advice_for([9, 0, 0, 0, 0, 0, 0], **facts)
    assert advice.choice == choice
    assert keys(advice)[0] == "too_few"
    assert advice.reasons[0].figures == {"n": 9, "min_ratings": MIN_RATINGS}
    assert "intense_emotion" not in keys(advice)


LEANING = {"automate": 0, "automate_with_handover": 1, "keep_person": 2}


@PROPERTY_SETTINGS
@given(
    counts=st.lists(st.integers(0, 300), min_size=7, max_size=7),
    volume=st.one_of(st.none(), st.integers(0, 5000)),
    preferences=st.tuples(st.integers(0, 20), st.integers(0, 20), st.integers(0, 20)),
    more_for_a_person=st.integers(1, 20),
)
def test_more_risk_or_more_wish_for_a_person_never_leans_towards_automation(
    counts: list[int],
    volume: int | None,
    preferences: tuple[int, int, int],
    more_for_a_person: int,
) -> None:
    person, machine, neither = preferences

    def leaning(risk: Risk, person: int) -> int:
        advice = advice_for(
            counts,
            risk=risk,
            volume=volume,
            prefer_person=person,
            prefer_machine=machine,
            no_preference=neither,
        )
        return LEANING[advice.choice]

    assert leaning("low", person) <= leaning("medium", person) <= leaning("high", person)
    risks: tuple[Risk, ...] = ("low", "medium", "high")
    for risk in risks:
        assert leaning(risk, person) <= leaning(risk, person + more_for_a_person)
