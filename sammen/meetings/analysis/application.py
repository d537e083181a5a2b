"""Level 3, application: whether attendees applied their planned action, asked in follow-up
rounds some days after the meeting (30 and 90 by default)."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, get_args

from .estimates import MIN_ANSWERS, Estimate, response_rate, share_interval

AppliedKey = Literal["yes", "partly", "no"]
FrequencyKey = Literal["never", "once", "sometimes", "often"]
FREQUENCIES: tuple[FrequencyKey, ...] = get_args(FrequencyKey)


@dataclass(frozen=True)
class FollowUpAnswer:
    """One attendee's answer in a round: applied or not, how often, what helped, what hindered.

    `helped` and `hindered` hold keys the caller chose (a category of enabler or barrier).
    """

    applied: AppliedKey
    frequency: FrequencyKey | None = None
    helped: tuple[str, ...] = ()
    hindered: tuple[str, ...] = ()


@dataclass(frozen=True)
class Application:
    """One follow-up round, described in `application`."""

    days: int
    invited: int
    answered: int
    response_rate: float | None
    applied: Estimate
    fully: Estimate
    frequencies: dict[FrequencyKey, int]
    frequency_shares: dict[FrequencyKey, float]
    enablers: tuple[tuple[str, int], ...]
    barriers: tuple[tuple[str, int], ...]
    too_few: bool


def application(days: int, invited: int, answers: Iterable[FollowUpAnswer]) -> Application:
    """Summarise a follow-up round sent `days` after the meeting to `invited` attendees.

    - `response_rate` = answered / invited.
    - `applied`: the share of answers that applied their planned action at least partly
      ("yes" or "partly"), with its Wilson interval; `fully`: the share of "yes".
    - `frequencies`: how many said never, once, sometimes, often; an answer "no" without
      a frequency (None or blank) counts as never, any other answer without one is left
      out.
      `frequency_shares` are those counts over the answers counted (all 0 without any).
    - `enablers` and `barriers`: each key with how many named it, the most named first
      (ties alphabetically, so the same answers always give the same list).
    - `too_few`: fewer than MIN_ANSWERS answers.
    """
    given = list(answers)
    for answer in given:
        if answer.applied not in get_args(AppliedKey):
            raise ValueError(f"applied is yes, partly or no, got {answer.applied!r}")
        if answer.frequency and answer.frequency not in FREQUENCIES:
            raise ValueError(f"unknown frequency {answer.frequency!r}")
    answered = len(given)
    frequencies: dict[FrequencyKey, int] = dict.fromkeys(FREQUENCIES, 0)
    for answer in given:
        frequency = answer.frequency or ("never" if answer.applied == "no" else None)
        if frequency is not None:
            frequencies[frequency] += 1
    counted = sum(frequencies.values())
    return Application(
        days=days,
        invited=invited,
        answered=answered,
        response_rate=response_rate(answered, invited),
        applied=share_interval(sum(1 for a in given if a.applied != "no"), answered),
        fully=share_interval(sum(1 for a in given if a.applied == "yes"), answered),
        frequencies=frequencies,
        frequency_shares={
            key: count / counted if counted else 0.0 for key, count in frequencies.items()
        },
        enablers=ranked(key for answer in given for key in set(answer.helped)),
        barriers=ranked(key for answer in given for key in set(answer.hindered)),
        too_few=answered < MIN_ANSWERS,
    )


def ranked(keys: Iterable[str]) -> tuple[tuple[str, int], ...]:
    """Count the keys, the most frequent first and ties alphabetically."""
    return tuple(sorted(Counter(keys).items(), key=lambda item: (-item[1], item[0])))
