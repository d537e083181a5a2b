"""Ratings on an emotion scale, from histograms: the mean and its interval, shares, shape.

The database aggregates, so everything here takes a histogram: ``counts[i]`` is the
number of ratings with score ``i + 1`` on a scale of ``points`` scores (1 = very negative).
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from sammen.core.stats import t_95, wilson

MIN_RATINGS = 10
"""Below this many ratings a touchpoint's figures are shown but not interpreted."""

MIN_POINTS = 4
"""The smallest scale on which the bottom two and the top two scores do not overlap."""

WIDE_SPREAD_SD = 1.8
"""A sample standard deviation this large on a 7-point scale is a wide spread."""

BIMODALITY_COEFFICIENT = 5 / 9
"""Sarle's bimodality coefficient of a uniform distribution: above it suggests two humps."""

VALLEY_RATIO = 0.6
"""A valley between two humps holds less than this part of the smaller hump."""

END_SHARE = 0.2
"""Each end of the scale (bottom two, top two) holds at least this share in two humps."""


def scale_factor(points: int) -> float:
    """Return how much a distance on a 7-point scale is worth on a scale of `points`."""
    return (points - 1) / 6


def midpoint(points: int) -> float:
    """Return the neutral middle of a scale of `points` scores (4 on 1..7, 3 on 1..5)."""
    return (points + 1) / 2


@dataclass(frozen=True)
class Summary:
    """What the ratings of one touchpoint say.

    `mean` is None without ratings; `sd`, `ci_low` and `ci_high` are None with fewer
    than two. Shares are 0 without ratings, their Wilson intervals then (0, 1).
    `too_few`, `bimodal` and `spread_wide` are described in `summarise`.
    """

    points: int
    n: int
    mean: float | None
    sd: float | None
    ci_low: float | None
    ci_high: float | None
    negative_share: float
    negative_low: float
    negative_high: float
    positive_share: float
    positive_low: float
    positive_high: float
    distribution: tuple[float, ...]
    too_few: bool
    bimodal: bool
    spread_wide: bool
    bimodality_coefficient: float | None


def histogram(counts: Sequence[int], points: int) -> npt.NDArray[np.float64]:
    """Return `counts` as an array after checking it is a histogram over `points` scores."""
    if points < MIN_POINTS:
        raise ValueError(f"a scale needs at least {MIN_POINTS} points, got {points}")
    if len(counts) != points:
        raise ValueError(f"expected {points} counts, got {len(counts)}")
    array = np.asarray(counts, dtype=np.float64)
    if (array < 0).any():
        raise ValueError("counts cannot be negative")
    return array


def summarise(counts: Sequence[int], points: int) -> Summary:
    """Summarise a touchpoint's histogram of ratings on a scale of `points` scores.

    - The mean's interval is Student's t at 95%: mean ± t(0.975, n-1) · sd / √n.
    - `negative_share` is the bottom-two box (scores 1 and 2), `positive_share` the top
      two (points - 1 and points), each with its 95% Wilson interval.
    - `too_few`: fewer than MIN_RATINGS ratings. Then `bimodal` and `spread_wide` are
      False: shape is not read into a handful of ratings.
    - `spread_wide`: the sample sd is at least 1.8 on 7 points (1.2 on 5 points).
    - `bimodal` (two humps) needs all three of:
      1. Sarle's bimodality coefficient (G1² + 1) / (G2 + 3(n-1)² / ((n-2)(n-3))), with
         G1 and G2 the sample skewness and excess kurtosis, above 5/9;
      2. a dip: two scores at least two apart with every score between them counted
         less than 60% of the smaller of the two;
      3. both ends hold a real mass: the bottom two and the top two scores at least 20%
         of the ratings each.
    """
    array = histogram(counts, points)
    scores = np.arange(1, points + 1, dtype=np.float64)
    n = int(array.sum())
    negative = int(array[:2].sum())
    positive = int(array[-2:].sum())
    negative_low, negative_high = wilson(negative, n)
    positive_low, positive_high = wilson(positive, n)
    mean: float | None = None
    sd: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    coefficient: float | None = None
    if n:
        mean = float(array @ scores / n)
    if n >= 2 and mean is not None:
        deviations = scores - mean
        m2 = float(array @ deviations**2 / n)
        sd = math.sqrt(m2 * n / (n - 1))
        half = t_95(n - 1) * sd / math.sqrt(n)
        ci_low, ci_high = mean - half, mean + half
        if n > 3 and m2 > 0:
            m3 = float(array @ deviations**3 / n)
            m4 = float(array @ deviations**4 / n)
            coefficient = sarle_coefficient(n, m2, m3, m4)
    too_few = n < MIN_RATINGS
    bimodal = (
        not too_few
        and coefficient is not None
        and coefficient > BIMODALITY_COEFFICIENT
        and has_dip(array)
        and min(negative, positive) >= END_SHARE * n
    )
    spread_wide = not too_few and sd is not None and sd >= WIDE_SPREAD_SD * scale_factor(points)
    return Summary(
        points=points,
        n=n,
        mean=mean,
        sd=sd,
        ci_low=ci_low,
        ci_high=ci_high,
        negative_share=negative / n if n else 0.0,
        negative_low=negative_low,
        negative_high=negative_high,
        positive_share=positive / n if n else 0.0,
        positive_low=positive_low,
        positive_high=positive_high,
        distribution=tuple(float(c) / n if n else 0.0 for c in array),
        too_few=too_few,
        bimodal=bool(bimodal),
        spread_wide=bool(spread_wide),
        bimodality_coefficient=coefficient,
    )


def sarle_coefficient(n: int, m2: float, m3: float, m4: float) -> float:
    """Return Sarle's bimodality coefficient from n > 3 and the central moments m2 > 0, m3, m4."""
    g1 = m3 / m2**1.5
    g2 = m4 / m2**2 - 3
    skewness = g1 * math.sqrt(n * (n - 1)) / (n - 2)
    excess_kurtosis = ((n + 1) * g2 + 6) * (n - 1) / ((n - 2) * (n - 3))
    return (skewness**2 + 1) / (excess_kurtosis + 3 * (n - 1) ** 2 / ((n - 2) * (n - 3)))


def has_dip(counts: npt.NDArray[np.float64]) -> bool:
    """Tell whether two scores at least two apart have a valley below 60% of the smaller."""
    size = len(counts)
    for left in range(size):
        for right in range(left + 2, size):
            valley = counts[left + 1 : right].min()
            if valley < VALLEY_RATIO * min(counts[left], counts[right]):
                return True
    return False


def pooled_mean(histograms: Sequence[Sequence[int]]) -> float | None:
    """Return the mean of all ratings in all histograms (each rating weighs the same)."""
    total = weighted = 0.0
    for counts in histograms:
        array = np.asarray(counts, dtype=np.float64)
        total += float(array.sum())
        weighted += float(array @ np.arange(1, len(array) + 1, dtype=np.float64))
    return weighted / total if total else None


@dataclass(frozen=True)
class Difference:
    """The difference of two groups' mean ratings, `mean_b - mean_a`, with its 95% interval."""

    n_a: int
    n_b: int
    mean_a: float
    mean_b: float
    difference: float
    low: float
    high: float
    df: float | None
    excludes_zero: bool


def difference(a: Sequence[int], b: Sequence[int]) -> Difference | None:
    """Compare two histograms over the same scale (segment A and B, wave 1 and 2).

    Welch's t interval at 95%, with Welch–Satterthwaite degrees of freedom; None when
    either side has fewer than two ratings. When neither side varies the difference is
    exact: its interval is the difference itself and `df` is None.
    """
    if len(a) != len(b):
        raise ValueError(f"histograms over different scales: {len(a)} and {len(b)} scores")
    side_a, side_b = moments_of(a), moments_of(b)
    if side_a is None or side_b is None:
        return None
    (n_a, mean_a, var_a), (n_b, mean_b, var_b) = side_a, side_b
    shift = mean_b - mean_a
    error_a, error_b = var_a / n_a, var_b / n_b
    standard_error = math.sqrt(error_a + error_b)
    df: float | None = None
    low = high = shift
    if standard_error > 0:
        df = (error_a + error_b) ** 2 / (error_a**2 / (n_a - 1) + error_b**2 / (n_b - 1))
        half = t_95(df) * standard_error
        low, high = shift - half, shift + half
    return Difference(
        n_a=n_a,
        n_b=n_b,
        mean_a=mean_a,
        mean_b=mean_b,
        difference=shift,
        low=low,
        high=high,
        df=df,
        excludes_zero=low > 0 or high < 0,
    )


def moments_of(counts: Sequence[int]) -> tuple[int, float, float] | None:
    """Return n, mean and sample variance of a histogram, or None under two ratings."""
    array = np.asarray(counts, dtype=np.float64)
    if (array < 0).any():
        raise ValueError("counts cannot be negative")
    n = int(array.sum())
    if n < 2:
        return None
    scores = np.arange(1, len(array) + 1, dtype=np.float64)
    mean = float(array @ scores / n)
    variance = float(array @ (scores - mean) ** 2 / (n - 1))
    return n, mean, variance
