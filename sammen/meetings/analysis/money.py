"""Levels 0, 4 and 5 in money: the costs, the impact isolated with the Phillips method, and
the return on investment."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, SupportsFloat

from .estimates import (
    MIN_ANSWERS,
    Estimate,
    as_array,
    check_percentages,
    mean_interval,
    response_rate,
)


def total_costs(costs: SupportsFloat | Iterable[SupportsFloat]) -> float:
    """Return the sum of the cost lines (or a total as it is); a cost is never negative."""
    lines = as_array(costs if isinstance(costs, Iterable) else [costs])
    if (lines < 0).any():
        raise ValueError("a cost cannot be negative")
    return float(lines.sum())


def cost_per_attendee(
    costs: SupportsFloat | Iterable[SupportsFloat], attendees: int
) -> float | None:
    """Return the total costs / attendees; None without attendees."""
    if attendees < 0:
        raise ValueError(f"attendees cannot be negative, got {attendees}")
    total = total_costs(costs)
    return total / attendees if attendees else None


@dataclass(frozen=True)
class Impact:
    """One business measure and the meeting's share of its change, described in `impact`.

    `isolated` and `isolated_all_asked` are shares from 0 to 1; `benefit_respondents` and
    `benefit_all_asked` are money; `benefit` is the one of the two chosen by `conservative`.
    """

    before: float
    after: float
    change: float
    improvement: float
    value_per_unit: float
    periods: float
    respondents: int
    asked: int
    response_rate: float | None
    isolated: Estimate
    isolated_all_asked: Estimate
    benefit_respondents: Estimate
    benefit_all_asked: Estimate
    conservative: bool
    too_few: bool

    @property
    def benefit(self) -> Estimate:
        """Return the benefit on the basis chosen: all attendees asked, or the respondents."""
        return self.benefit_all_asked if self.conservative else self.benefit_respondents


def impact(
    before: SupportsFloat,
    after: SupportsFloat,
    estimates: Iterable[tuple[SupportsFloat, SupportsFloat]],
    value_per_unit: SupportsFloat,
    *,
    asked: int | None = None,
    periods: SupportsFloat = 1,
    lower_is_better: bool = False,
    conservative: bool = False,
) -> Impact:
    """Turn a business measure's change into the money the meeting can claim for it.

    `estimates` holds one (contribution, confidence) per respondent, both in % (0-100):
    how much of the change they think came from the meeting, and how sure they are.
    `asked` is how many attendees were asked (the respondents when None).

    The Phillips isolation, step by step:
    1. change = after - before; the improvement is the change, or -change when a lower
       value is better. A measure that did not improve gives no benefit (improvement
       counted as 0): the meeting claims no share of a decline.
    2. adjusted contribution per respondent = contribution × confidence (both as
       fractions): an estimate of 50% given with 80% confidence counts as 40%.
    3. isolated share = the mean of the adjusted contributions over the respondents, with
       its t interval; `isolated_all_asked` is the conservative one, where everyone asked
       who did not answer counts as 0 (the mean over all asked).
    4. benefit = improvement × isolated share × value per unit × periods (periods
       annualises: 12 for a monthly measure), the interval carried over linearly.
    Both benefits are reported; `conservative` chooses which one `benefit` is (by
    default the respondents' mean). Shares' intervals are clipped to [0, 1].
    `too_few`: fewer than MIN_ANSWERS respondents.
    """
    start, end = float(before), float(after)
    unit_value, period_count = float(value_per_unit), float(periods)
    if unit_value < 0:
        raise ValueError("a value per unit cannot be negative; say lower_is_better instead")
    if period_count <= 0:
        raise ValueError(f"periods must be positive, got {period_count}")
    pairs = list(estimates)
    contributions = as_array(contribution for contribution, _ in pairs)
    confidences = as_array(confidence for _, confidence in pairs)
    check_percentages(contributions, "contributions")
    check_percentages(confidences, "confidences")
    respondents = len(pairs)
    asked_count = respondents if asked is None else asked
    rate = response_rate(respondents, asked_count)
    adjusted = contributions / 100 * (confidences / 100)
    unanswered = [0.0] * (asked_count - respondents)
    too_few = respondents < MIN_ANSWERS
    isolated = clipped(mean_interval(adjusted), too_few)
    # Zeros for the silent are not answers: too few respondents stay too few.
    isolated_all_asked = clipped(mean_interval([*adjusted, *unanswered]), too_few)
    change = end - start
    improvement = -change if lower_is_better else change
    factor = max(improvement, 0.0) * unit_value * period_count
    return Impact(
        before=start,
        after=end,
        change=change,
        improvement=improvement,
        value_per_unit=unit_value,
        periods=period_count,
        respondents=respondents,
        asked=asked_count,
        response_rate=rate,
        isolated=isolated,
        isolated_all_asked=isolated_all_asked,
        benefit_respondents=scaled(isolated, factor),
        benefit_all_asked=scaled(isolated_all_asked, factor),
        conservative=conservative,
        too_few=too_few,
    )


def clipped(share: Estimate, too_few: bool) -> Estimate:
    """Return a share's estimate with its interval clipped to [0, 1], and `too_few` set."""
    return Estimate(
        n=share.n,
        value=share.value,
        sd=share.sd,
        low=None if share.low is None else max(0.0, share.low),
        high=None if share.high is None else min(1.0, share.high),
        too_few=too_few,
    )


def scaled(estimate: Estimate, factor: float) -> Estimate:
    """Return an estimate multiplied by a factor of at least 0 (its interval with it)."""

    def times(number: float | None) -> float | None:
        return None if number is None else number * factor

    return Estimate(
        n=estimate.n,
        value=times(estimate.value),
        sd=times(estimate.sd),
        low=times(estimate.low),
        high=times(estimate.high),
        too_few=estimate.too_few,
    )


RoiReason = Literal["no_costs", "no_measures", "too_few"]


@dataclass(frozen=True)
class Roi:
    """The return on investment, described in `roi`."""

    benefits: Estimate
    costs: float
    net_benefits: float
    percent: float | None
    percent_low: float | None
    percent_high: float | None
    ratio: float | None
    ratio_low: float | None
    ratio_high: float | None
    measures: int
    intangibles: tuple[str, ...]
    too_few: bool
    reason: RoiReason | None


def roi_percent(benefits: float, costs: float) -> float | None:
    """Return ROI % = (benefits - costs) / costs × 100; None when there are no costs."""
    return (benefits - costs) / costs * 100 if costs > 0 else None


def benefit_cost_ratio(benefits: float, costs: float) -> float | None:
    """Return BCR = benefits / costs; None when there are no costs."""
    return benefits / costs if costs > 0 else None


def roi(
    impacts: Sequence[Impact],
    costs: SupportsFloat | Iterable[SupportsFloat],
    intangibles: Iterable[str] = (),
) -> Roi:
    """Return the ROI of a meeting from its measures' benefits and its cost lines.

    - benefits = Σ of each measure's `benefit` (a measure without answers adds 0, as
      Phillips counts missing data); costs = Σ of the cost lines.
    - ROI % = (benefits - costs) / costs × 100 and BCR = benefits / costs.
    - The benefits' interval is the sum of the measures' bounds (the widest honest
      choice: the measures are estimated by the same attendees, so their errors may
      move together), None when any measure has none; ROI and BCR are linear in the
      benefits, so their intervals are the same formulas applied to the bounds.
    - Intangibles are listed, never turned into money.
    - `reason`: "no_costs" (costs are 0: no ROI, no BCR), else "no_measures" (no
      measure turned into money: no ROI, no BCR either, rather than a false -100%),
      else "too_few" when any measure rests on fewer than MIN_ANSWERS answers (the
      figures are computed, and the report says too few instead of showing them).
    """
    cost_total = total_costs(costs)
    benefits = [measure.benefit for measure in impacts]
    total = sum(benefit.value or 0.0 for benefit in benefits)
    lows = [benefit.low for benefit in benefits]
    highs = [benefit.high for benefit in benefits]
    has_interval = bool(benefits) and None not in lows and None not in highs
    low = sum(bound or 0.0 for bound in lows) if has_interval else None
    high = sum(bound or 0.0 for bound in highs) if has_interval else None
    too_few = not impacts or any(measure.too_few for measure in impacts)
    reason: RoiReason | None = None
    if cost_total <= 0:
        reason = "no_costs"
    elif not impacts:
        reason = "no_measures"
    elif too_few:
        reason = "too_few"
    readable = reason in (None, "too_few")

    def percent(benefit: float | None) -> float | None:
        return roi_percent(benefit, cost_total) if readable and benefit is not None else None

    def ratio(benefit: float | None) -> float | None:
        if not readable or benefit is None:
            return None
        return benefit_cost_ratio(benefit, cost_total)

    return Roi(
        benefits=Estimate(
            n=min((measure.respondents for measure in impacts), default=0),
            value=total,
            sd=None,
            low=low,
            high=high,
            too_few=too_few,
        ),
        costs=cost_total,
        net_benefits=total - cost_total,
        percent=percent(total),
        percent_low=percent(low),
        percent_high=percent(high),
        ratio=ratio(total),
        ratio_low=ratio(low),
        ratio_high=ratio(high),
        measures=len(impacts),
        intangibles=tuple(intangibles),
        too_few=too_few,
        reason=reason,
    )
