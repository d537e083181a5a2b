"""The return as a chain of evidence: levels 0 to 5, each with its figure, target, n and
interval, or the reason it has no figure."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, SupportsFloat

from .application import Application
from .estimates import MIN_ANSWERS, Estimate, response_rate
from .learning import Learning
from .money import Impact, cost_per_attendee, roi, total_costs
from .reaction import Reaction

LevelKey = Literal["inputs", "reaction", "learning", "application", "impact", "roi"]
Unit = Literal["people", "score", "points", "share", "money", "percent"]
LevelReason = Literal["too_few", "no_data", "no_costs", "no_measures"]


@dataclass(frozen=True)
class Level:
    """One level of the chain.

    - `number` (0-5) and `key` name the level; `unit` says how to read `figure`: people,
      a score on 1-5, points gained on the learning scale, a share from 0 to 1, money in
      the meeting's currency, or a percentage.
    - `figure`, `low`, `high`: the headline and its 95% interval; all None when `reason`
      is set (a level with too few answers says so instead of a number).
    - `n`: the answers the figure rests on; `response_rate`: those answers over those
      asked (the turnout at level 0), None where unknown.
    - `target`: the planner's target in the same unit; `target_met`: figure >= target,
      None when either is unknown.
    - `too_few`: fewer than MIN_ANSWERS answers; `reason`: too_few, no_data (nothing was
      measured at this level), no_costs or no_measures (level 5).
    - `details`: the other figures of the level, by key, for the table beside the chart.
    """

    number: int
    key: LevelKey
    unit: Unit
    figure: float | None
    low: float | None
    high: float | None
    n: int | None
    response_rate: float | None
    target: float | None
    target_met: bool | None
    too_few: bool
    reason: LevelReason | None
    details: dict[str, float | None]


Chain = list[Level]
"""The six levels, 0 to 5, in order."""


def level(
    number: int,
    key: LevelKey,
    unit: Unit,
    estimate: Estimate | None,
    *,
    targets: Mapping[LevelKey, SupportsFloat],
    rate: float | None = None,
    reason: LevelReason | None = None,
    details: dict[str, float | None] | None = None,
) -> Level:
    """Build a level from its estimate; None for the estimate means nothing was measured."""
    if reason is None and estimate is None:
        reason = "no_data"
    elif reason is None and estimate is not None and (estimate.too_few or estimate.value is None):
        reason = "too_few"
    shown = estimate if reason is None else None
    figure = None if shown is None else shown.value
    target = None if key not in targets else float(targets[key])
    return Level(
        number=number,
        key=key,
        unit=unit,
        figure=figure,
        low=None if shown is None else shown.low,
        high=None if shown is None else shown.high,
        n=None if estimate is None else estimate.n,
        response_rate=rate,
        target=target,
        target_met=None if figure is None or target is None else figure >= target,
        too_few=estimate is not None and estimate.too_few,
        reason=reason,
        details=details or {},
    )


def headline_round(rounds: Sequence[Application]) -> Application | None:
    """Return the latest round with enough answers to read, else the latest round."""
    readable = [one for one in rounds if one.answered >= MIN_ANSWERS]
    return max(readable or rounds, key=lambda one: one.days, default=None)


def return_chain(
    *,
    attendees: int,
    costs: SupportsFloat | Iterable[SupportsFloat],
    registered: int | None = None,
    reaction: Reaction[Any] | None = None,
    learning: Learning[Any] | None = None,
    rounds: Sequence[Application] = (),
    impacts: Sequence[Impact] = (),
    intangibles: Iterable[str] = (),
    targets: Mapping[LevelKey, SupportsFloat] | None = None,
) -> Chain:
    """Return levels 0 to 5 of a meeting's return, each figure with its evidence.

    0 inputs: the attendees (figure), the costs and the cost per attendee; the turnout
      attendees / registered when `registered` is given. Never too few.
    1 reaction: the overall mean rating (1-5), raters over attendees.
    2 learning: the overall mean gain per attendee, on the learning scale.
    3 application: the share who applied their planned action at least partly, in the
      latest follow-up round with at least MIN_ANSWERS answers (else the latest round).
    4 impact: the benefits in money, summed over the measures (see `roi`).
    5 roi: ROI % = (benefits - costs) / costs × 100, with the BCR in its details;
      intangibles are counted in its details, never in money.
    `targets` are in each level's unit (a share as 0-1, the ROI in %).
    """
    wanted: Mapping[LevelKey, SupportsFloat] = targets or {}
    cost_total = total_costs(costs)
    returned = roi(impacts, cost_total, intangibles)
    application = headline_round(rounds)
    asked = sum(measure.asked for measure in impacts)
    answered = sum(measure.respondents for measure in impacts)
    return [
        level(
            0,
            "inputs",
            "people",
            Estimate(n=attendees, value=attendees, sd=None, low=None, high=None, too_few=False),
            targets=wanted,
            rate=None if registered is None else response_rate(attendees, registered),
            details={
                "registered": registered,
                "costs": cost_total,
                "cost_per_attendee": cost_per_attendee(cost_total, attendees),
            },
        ),
        level(
            1,
            "reaction",
            "score",
            None if reaction is None else reaction.overall,
            targets=wanted,
            rate=None if reaction is None else reaction.response_rate,
            details={}
            if reaction is None
            else {
                "satisfied_share": reaction.satisfied.value,
                "planned_actions": reaction.planned_actions,
                "planned_action_share": reaction.planned_action_share.value,
                "confidence": reaction.confidence.value,
            },
        ),
        level(
            2,
            "learning",
            "points",
            None if learning is None or not learning.objectives else learning.overall.gain,
            targets=wanted,
            rate=None if learning is None else rate_of(learning.overall.n, attendees),
            details={}
            if learning is None
            else {
                "objectives": len(learning.objectives),
                "improved_share": learning.overall.improved.value,
                "effect": learning.overall.effect,
            },
        ),
        level(
            3,
            "application",
            "share",
            None if application is None else application.applied,
            targets=wanted,
            rate=None if application is None else application.response_rate,
            details={}
            if application is None
            else {
                "days": application.days,
                "fully_share": application.fully.value,
                "rounds": len(rounds),
            },
        ),
        level(
            4,
            "impact",
            "money",
            returned.benefits if impacts else None,
            targets=wanted,
            rate=response_rate(answered, asked) if impacts else None,
            details={
                "measures": len(impacts),
                "benefits_respondents": sum_of(m.benefit_respondents for m in impacts),
                "benefits_all_asked": sum_of(m.benefit_all_asked for m in impacts),
            },
        ),
        level(
            5,
            "roi",
            "percent",
            Estimate(
                n=returned.benefits.n,
                value=returned.percent,
                sd=None,
                low=returned.percent_low,
                high=returned.percent_high,
                too_few=returned.too_few,
            ),
            targets=wanted,
            reason=None if returned.reason == "too_few" else returned.reason,
            details={
                "ratio": returned.ratio if returned.reason is None else None,
                "benefits": returned.benefits.value,
                "costs": returned.costs,
                "net_benefits": returned.net_benefits,
                "intangibles": len(returned.intangibles),
            },
        ),
    ]


def rate_of(answered: int, attendees: int) -> float | None:
    """Return answered / attendees, or None when that cannot be a rate (more answers)."""
    return response_rate(answered, attendees) if answered <= attendees else None


def sum_of(estimates: Iterable[Estimate]) -> float:
    """Return the sum of the estimates' values, a missing value counting as 0."""
    return sum(estimate.value or 0.0 for estimate in estimates)
