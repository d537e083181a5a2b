"""Level 2, learning: the gain between a self-assessment (or quiz score) before the meeting
and the same at its end, per learning objective and per attendee."""

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, SupportsFloat, TypeVar

from .estimates import MIN_ANSWERS, Estimate, as_array, mean_interval, share_interval

Pair = tuple[SupportsFloat | None, SupportsFloat | None]
"""An attendee's (before, after); None where that answer is missing."""

ObjectiveKey = TypeVar("ObjectiveKey", bound=Hashable)
AttendeeKey = TypeVar("AttendeeKey", bound=Hashable)


@dataclass(frozen=True)
class Gain:
    """The paired gain of one objective (or of all), described in `learning_gain`."""

    n: int
    before: float | None
    after: float | None
    gain: Estimate
    improved: Estimate
    effect: float | None
    too_few: bool


def learning_gain(pairs: Iterable[Pair]) -> Gain:
    """Return the gain from (before, after) pairs, one per attendee, on any one scale.

    Only complete pairs count (an attendee who answered both times): n is their number.
    - `before`, `after`: the means of the complete pairs.
    - `gain`: the mean of d = after - before with the paired t interval at 95%,
      mean(d) ± t(0.975, n - 1) · sd(d) / √n.
    - `improved`: the share with d > 0, with its Wilson interval.
    - `effect`: Cohen's dz = mean(d) / sd(d); None under two pairs or when every d is the
      same (sd 0: the effect is not a finite number).
    - `too_few`: fewer than MIN_ANSWERS pairs.
    """
    complete = [
        (before, after) for before, after in pairs if before is not None and after is not None
    ]
    befores = as_array(before for before, _ in complete)
    afters = as_array(after for _, after in complete)
    differences = afters - befores
    n = len(complete)
    gain = mean_interval(differences)
    effect = None
    # Equal differences have sd 0 in exact arithmetic; rounding must not turn that into 1e16.
    if n >= 2 and differences.max() > differences.min() and gain.sd and gain.value is not None:
        effect = gain.value / gain.sd
    return Gain(
        n=n,
        before=float(befores.mean()) if n else None,
        after=float(afters.mean()) if n else None,
        gain=gain,
        improved=share_interval(int((differences > 0).sum()), n),
        effect=effect,
        too_few=n < MIN_ANSWERS,
    )


@dataclass(frozen=True)
class Learning(Generic[ObjectiveKey]):
    """The learning of a meeting: each objective's gain, and the overall gain per attendee."""

    objectives: dict[ObjectiveKey, Gain]
    overall: Gain


def learning(
    answers: Mapping[ObjectiveKey, Mapping[AttendeeKey, Pair]],
) -> Learning[ObjectiveKey]:
    """Return the gain per objective and overall, from {objective: {attendee: (before, after)}}.

    Overall, each attendee weighs once, so the pairs are independent: an attendee's
    before is the mean of their befores over the objectives where they answered both
    times, their after the mean of the afters over the same objectives; the overall gain
    is `learning_gain` of those pairs. All objectives should share a scale (the
    self-assessment 1-5), or the overall gain mixes units.
    """
    objectives = {objective: learning_gain(pairs.values()) for objective, pairs in answers.items()}
    per_attendee: dict[AttendeeKey, list[tuple[float, float]]] = defaultdict(list)
    for pairs in answers.values():
        for attendee, (before, after) in pairs.items():
            if before is not None and after is not None:
                per_attendee[attendee].append((float(before), float(after)))
    # Plain sums: NumPy's mean costs more than the addition itself on a few pairs, and a
    # meeting has thousands of attendees.
    means = (
        (sum(before for before, _ in own) / len(own), sum(after for _, after in own) / len(own))
        for own in per_attendee.values()
    )
    overall = learning_gain((float(before), float(after)) for before, after in means)
    return Learning(objectives=objectives, overall=overall)
