"""Level 1, reaction and planned action: how attendees rated the sessions, and what they
say they will do differently."""

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, SupportsFloat, TypeVar

import numpy as np

from .estimates import (
    MIN_ANSWERS,
    Estimate,
    as_array,
    check_percentages,
    mean_interval,
    response_rate,
    share_interval,
)

SCALE_POINTS = 5
"""Sessions are rated from 1 (poor) to 5 (excellent)."""

SATISFIED_FROM = 4
"""A rating of 4 or 5 is a satisfied attendee (the top-two box)."""

SessionKey = TypeVar("SessionKey", bound=Hashable)


@dataclass(frozen=True)
class SessionReaction:
    """One session's ratings: the mean with its t interval, and the share of 4 and 5."""

    mean: Estimate
    satisfied: Estimate


@dataclass(frozen=True)
class Reaction(Generic[SessionKey]):
    """The reaction to a meeting, described in `reaction`."""

    attendees: int
    raters: int
    response_rate: float | None
    sessions: dict[SessionKey, SessionReaction]
    overall: Estimate
    satisfied: Estimate
    planned_actions: int
    planned_action_share: Estimate
    confidence: Estimate
    too_few: bool


def reaction(
    ratings: Iterable[tuple[SessionKey, Hashable, int]],
    attendees: int,
    confidences: Iterable[SupportsFloat] = (),
) -> Reaction[SessionKey]:
    """Summarise the ratings and planned actions of a meeting's `attendees`.

    `ratings` holds one (session, attendee, score) per rating, scores from 1 to 5 (at most
    one per attendee and session, as the database ensures); `confidences` holds one
    confidence (0-100%) per planned action written.

    - Per session: the mean rating with its t interval, and the share of ratings of 4 or 5
      with its Wilson interval.
    - Overall, each attendee weighs once, so the answers are independent and the interval
      honest: `overall` is the mean, over the attendees who rated (`raters`), of each one's
      own mean rating; `satisfied` is the share of raters whose own mean is 4 or more.
    - `response_rate` = raters / attendees.
    - `planned_action_share` = planned actions / attendees (Wilson), `confidence` the mean
      confidence of those who wrote one, in % (t interval).
    - `too_few`: fewer than MIN_ANSWERS raters.

    `attendees` must count everyone who rated or wrote a planned action.
    """
    by_session: dict[SessionKey, list[int]] = defaultdict(lambda: [0] * SCALE_POINTS)
    by_attendee: dict[Hashable, list[int]] = defaultdict(lambda: [0, 0])
    for session, attendee, score in ratings:
        if not 1 <= score <= SCALE_POINTS:
            raise ValueError(f"a rating is from 1 to {SCALE_POINTS}, got {score}")
        by_session[session][score - 1] += 1
        totals = by_attendee[attendee]
        totals[0] += score
        totals[1] += 1
    return reaction_from_tallies(
        by_session,
        [(total, count) for total, count in by_attendee.values()],
        attendees,
        confidences,
    )


def reaction_from_tallies(
    session_counts: Mapping[SessionKey, Sequence[int]],
    rater_totals: Iterable[tuple[int, int]],
    attendees: int,
    confidences: Iterable[SupportsFloat] = (),
) -> Reaction[SessionKey]:
    """Return what `reaction` returns, from ratings the database counted.

    `session_counts` holds, per session, how many rated it 1, 2, 3, 4 and 5;
    `rater_totals` one (sum of scores, number of ratings) per attendee who rated, so an
    attendee's own mean is their sum over their count and "satisfied" (own mean at least
    4) is an exact comparison of whole numbers. A meeting of thousands is summarised
    without handing every rating to Python.
    """
    sessions: dict[SessionKey, SessionReaction] = {}
    for session, counts in session_counts.items():
        if len(counts) != SCALE_POINTS or any(count < 0 for count in counts):
            raise ValueError(f"give {SCALE_POINTS} counts of at least 0 per session")
        scores = np.repeat(np.arange(1, SCALE_POINTS + 1), counts)
        sessions[session] = SessionReaction(
            mean=mean_interval(scores),
            satisfied=share_interval(int(sum(counts[SATISFIED_FROM - 1 :])), int(sum(counts))),
        )
    totals = [(int(total), int(count)) for total, count in rater_totals]
    if any(count < 1 or not count <= total <= SCALE_POINTS * count for total, count in totals):
        raise ValueError(f"a rater's total is 1 to {SCALE_POINTS} times their ratings")
    confidence_values = as_array(confidences)
    check_percentages(confidence_values, "confidences")
    raters = len(totals)
    planned = len(confidence_values)
    if attendees < max(raters, planned):
        raise ValueError(
            f"{attendees} attendees cannot give {raters} raters and {planned} planned actions"
        )
    own_means = np.array([total / count for total, count in totals], dtype=np.float64)
    satisfied = sum(1 for total, count in totals if total >= SATISFIED_FROM * count)
    return Reaction(
        attendees=attendees,
        raters=raters,
        response_rate=response_rate(raters, attendees),
        sessions=sessions,
        overall=mean_interval(own_means),
        satisfied=share_interval(satisfied, raters),
        planned_actions=planned,
        planned_action_share=share_interval(planned, attendees),
        confidence=mean_interval(confidence_values),
        too_few=raters < MIN_ANSWERS,
    )
