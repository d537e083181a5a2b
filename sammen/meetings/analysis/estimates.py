"""Estimates from a sample: a mean with its t interval, a share with its Wilson interval
(the intervals' formulas are `sammen.core.stats`', shared with the other kinds).

Every level of the return that rests on answers (reaction, learning, application, impact)
is a sample of the attendees, so its figure comes with n, a 95% interval and a flag that
says when there are too few answers to read it.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import SupportsFloat

import numpy as np
import numpy.typing as npt

from sammen.core.stats import t_95, wilson

MIN_ANSWERS = 10
"""Below this many answers a figure is computed but not read: the report says too few."""


@dataclass(frozen=True)
class Estimate:
    """A figure estimated from `n` answers, with its 95% interval.

    - `value`: the mean (or the share, from 0 to 1); None without answers.
    - `sd`: the sample standard deviation (n - 1 in the denominator); None for a share
      and under two answers.
    - `low`, `high`: the 95% interval; None where it cannot be computed (a mean under two
      answers, a share without answers). It always contains `value`.
    - `successes`: for a share, how many answers count; None for a mean.
    - `too_few`: fewer than MIN_ANSWERS answers.
    """

    n: int
    value: float | None
    sd: float | None
    low: float | None
    high: float | None
    too_few: bool
    successes: int | None = None


def as_array(values: Iterable[SupportsFloat]) -> npt.NDArray[np.float64]:
    """Return `values` as a float array after checking that each is a finite number."""
    array = np.asarray([float(value) for value in values], dtype=np.float64)
    if not np.isfinite(array).all():
        raise ValueError("values must be finite numbers")
    return array


def mean_interval(values: Iterable[SupportsFloat]) -> Estimate:
    """Return the mean of `values` with its Student t interval at 95%.

    mean = Σx / n; sd = √(Σ(x - mean)² / (n - 1)); interval mean ± t(0.975, n - 1) · sd / √n.
    Without values the mean is None; with one the sd and the interval are None. When all
    values are equal the interval is the mean itself.
    """
    array = as_array(values)
    n = len(array)
    if n == 0:
        return Estimate(n=0, value=None, sd=None, low=None, high=None, too_few=True)
    mean = float(array.mean())
    if n == 1:
        return Estimate(n=1, value=mean, sd=None, low=None, high=None, too_few=True)
    sd = float(array.std(ddof=1))
    half = t_95(n - 1) * sd / math.sqrt(n)
    return Estimate(
        n=n,
        value=mean,
        sd=sd,
        low=min(mean, mean - half),
        high=max(mean, mean + half),
        too_few=n < MIN_ANSWERS,
    )


def share_interval(successes: int, n: int) -> Estimate:
    """Return the share `successes / n` with its Wilson interval at 95%.

    Without answers (n = 0) the share and its interval are None.
    """
    if n < 0 or not 0 <= successes <= n:
        raise ValueError(f"need 0 <= successes <= n, got {successes} of {n}")
    if n == 0:
        return Estimate(n=0, value=None, sd=None, low=None, high=None, too_few=True, successes=0)
    low, high = wilson(successes, n)
    return Estimate(
        n=n,
        value=successes / n,
        sd=None,
        low=low,
        high=high,
        too_few=n < MIN_ANSWERS,
        successes=successes,
    )


def response_rate(answered: int, invited: int) -> float | None:
    """Return answered / invited, from 0 to 1; None when nobody was invited.

    A rate, not an estimate: it counts everyone asked, so it has no interval.
    """
    if answered < 0 or invited < 0 or answered > invited:
        raise ValueError(f"need 0 <= answered <= invited, got {answered} of {invited}")
    return answered / invited if invited else None


def check_percentages(values: npt.NDArray[np.float64], name: str) -> None:
    """Raise ValueError unless every value is a percentage from 0 to 100."""
    if ((values < 0) | (values > 100)).any():
        raise ValueError(f"{name} must be percentages from 0 to 100")
