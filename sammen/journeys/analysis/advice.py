"""Where a human touch is worth more than automation, touchpoint by touchpoint."""

from dataclasses import dataclass
from typing import Literal

from .ratings import MIN_RATINGS, WIDE_SPREAD_SD, Summary, midpoint, scale_factor
from .touchpoints import TouchpointFigures

Choice = Literal["keep_person", "automate", "automate_with_handover"]
AdviceReason = Literal[
    "too_few",
    "high_risk",
    "medium_risk",
    "intense_emotion",
    "wide_spread",
    "calm_and_routine",
    "high_volume",
    "low_volume",
    "customers_prefer_person",
    "customers_prefer_machine",
    "no_clear_signal",
]

INTENSE_DISTANCE = 1.5
"""A mean this far from the midpoint, on a 7-point scale, is an intense emotion."""

INTENSE_NEGATIVE_SHARE = 0.3
"""A bottom-two share this large is an intense emotion, whatever the mean."""

NARROW_SPREAD_SD = 1.3
"""A sample sd at most this large on a 7-point scale: customers feel much the same."""

CALM_NEGATIVE_SHARE = 0.1
"""A calm touchpoint leaves at most this share of customers in the bottom two."""

HIGH_VOLUME = 1000
"""Customers a month from which a touchpoint's volume is high."""

MIN_PREFERENCE_ANSWERS = 5
"""A preference counts from this many answers to the person-or-machine question on."""

PREFERENCE_SHARE = 0.5
"""A preference holds when more than this share of those who answered state it."""


@dataclass(frozen=True)
class Reason:
    """One fact behind an advice: a key for the sentence, and the numbers it quotes."""

    key: AdviceReason
    figures: dict[str, float]


@dataclass(frozen=True)
class Advice:
    """Keep a person, automate, or automate with a handover to a person; and why."""

    choice: Choice
    reasons: tuple[Reason, ...]


def advise(touchpoint: TouchpointFigures, summary: Summary, points: int) -> Advice:
    """Advise who should serve customers at a touchpoint.

    The facts (each one a reason when it holds, in the order of AdviceReason):
    - intense_emotion: the mean is at least 1.5 from the midpoint on 7 points (1 on 5),
      or at least 30% of the ratings are in the bottom two;
    - wide_spread: `summary.spread_wide`;
    - calm_and_routine: not intense, sd at most 1.3 on 7 points (0.87 on 5), at most
      10% in the bottom two, and low risk;
    - high_volume: at least 1,000 customers a month (low_volume below, nothing if unknown);
    - customers_prefer_person (or _machine): more than half of those who answered the
      person-or-machine question, with at least 5 answers.

    The rule, with enough ratings:
    1. keep_person when the risk is high, or the emotion is intense and customers prefer
       a person, or the emotion is intense or spread wide and the volume is not high;
    2. automate when calm and routine, and the volume is high or customers prefer a
       machine, and customers do not prefer a person;
    3. otherwise automate_with_handover.

    Risk adds the reason high_risk or medium_risk; when no fact holds at all, the one
    reason is no_clear_signal. `touchpoint.performer` (who serves today) plays no part:
    the advice is what should be, and the page compares it with what is.

    With too few ratings (MIN_RATINGS) the emotion is unknown, so the advice rests on
    risk, volume and preference alone, and says so with the reason too_few first:
    keep_person when the risk is high; automate when the risk is low and the volume is
    high or customers prefer a machine, and they do not prefer a person; otherwise
    automate_with_handover.
    """
    scale = scale_factor(points)
    middle = midpoint(points)
    reasons: list[Reason] = []
    known = not summary.too_few
    if not known:
        reasons.append(Reason("too_few", {"n": summary.n, "min_ratings": MIN_RATINGS}))
    high_risk = touchpoint.risk == "high"
    low_risk = touchpoint.risk == "low"
    if high_risk:
        reasons.append(Reason("high_risk", {}))
    elif touchpoint.risk == "medium":
        reasons.append(Reason("medium_risk", {}))

    intense = wide = calm = False
    if known and summary.mean is not None and summary.sd is not None:  # known: n >= 10
        distance = abs(summary.mean - middle)
        intense = (
            distance >= INTENSE_DISTANCE * scale or summary.negative_share >= INTENSE_NEGATIVE_SHARE
        )
        wide = summary.spread_wide
        calm = (
            not intense
            and summary.sd <= NARROW_SPREAD_SD * scale
            and summary.negative_share <= CALM_NEGATIVE_SHARE
            and low_risk
        )
        emotion = {
            "mean": summary.mean,
            "midpoint": middle,
            "sd": summary.sd,
            "negative_share": summary.negative_share,
        }
        if intense:
            reasons.append(Reason("intense_emotion", emotion))
        if wide:
            reasons.append(
                Reason("wide_spread", {"sd": summary.sd, "threshold": WIDE_SPREAD_SD * scale})
            )
        if calm:
            reasons.append(Reason("calm_and_routine", emotion))

    high_volume = touchpoint.volume is not None and touchpoint.volume >= HIGH_VOLUME
    if touchpoint.volume is not None:
        key: AdviceReason = "high_volume" if high_volume else "low_volume"
        reasons.append(Reason(key, {"volume": touchpoint.volume, "threshold": HIGH_VOLUME}))

    answers = touchpoint.prefer_person + touchpoint.prefer_machine + touchpoint.no_preference
    prefer_person = prefers(touchpoint.prefer_person, answers)
    prefer_machine = prefers(touchpoint.prefer_machine, answers)
    if prefer_person:
        reasons.append(
            Reason(
                "customers_prefer_person",
                {"share": touchpoint.prefer_person / answers, "answers": answers},
            )
        )
    if prefer_machine:
        reasons.append(
            Reason(
                "customers_prefer_machine",
                {"share": touchpoint.prefer_machine / answers, "answers": answers},
            )
        )

    choice: Choice
    if known:
        keep = high_risk or (intense and prefer_person) or ((intense or wide) and not high_volume)
        automate = calm and (high_volume or prefer_machine) and not prefer_person
    else:
        keep = high_risk
        automate = low_risk and (high_volume or prefer_machine) and not prefer_person
    if keep:
        choice = "keep_person"
    elif automate:
        choice = "automate"
    else:
        choice = "automate_with_handover"
    if not reasons:
        reasons.append(Reason("no_clear_signal", {}))
    return Advice(choice, tuple(reasons))


def prefers(stated: int, answers: int) -> bool:
    """Tell whether a preference stated `stated` times of `answers` holds."""
    return answers >= MIN_PREFERENCE_ANSWERS and stated > PREFERENCE_SHARE * answers
