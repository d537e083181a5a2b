"""The tables of the return page, written out: one row per session, learning objective,
follow-up round, impact objective and objective against its target.

Every figure is formatted here, in the reader's language, so the template only places
it; a figure resting on too few answers is replaced by the words that say so.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import analysis
from .analysis import Estimate
from .models import Frequency, Level
from .return_words import decimal, figure_text, money, share_text, signed, span
from .returns import ImpactFigure, ObjectiveFigure, ReturnFigures

FREQUENCY_WORDS = {
    "often": Frequency.OFTEN.label,
    "sometimes": Frequency.SOMETIMES.label,
    "once": Frequency.ONCE.label,
}


@dataclass(frozen=True)
class Cell:
    """A figure with its interval, or the words that stand in for it."""

    text: str
    interval: str = ""
    missing: bool = False  # `text` says why there is no figure


def too_few() -> Cell:
    return Cell(_("Too few answers"), missing=True)


def none() -> Cell:
    return Cell("–", missing=True)


def estimate_cell(estimate: Estimate | None, write: Callable[[float], str]) -> Cell:
    """Write an estimate and its interval with `write`, or say why there is no figure."""
    if estimate is None or estimate.value is None:
        return none()
    if estimate.too_few:
        return too_few()
    interval = ""
    if estimate.low is not None and estimate.high is not None:
        interval = span(write(estimate.low), write(estimate.high))
    return Cell(write(estimate.value), interval)


def mean_cell(estimate: Estimate | None, *, sign: bool = False) -> Cell:
    """Write a mean with two decimals (and its sign, for a gain)."""
    return estimate_cell(estimate, signed if sign else (lambda value: decimal(value, 2)))


def share_cell(estimate: Estimate | None) -> Cell:
    return estimate_cell(estimate, share_text)


def money_cell(estimate: Estimate, currency: str) -> Cell:
    return estimate_cell(estimate, lambda value: money(value, currency))


@dataclass(frozen=True)
class SessionRow:
    title: str
    format: str
    ratings: int
    mean: Cell
    satisfied: Cell


def session_rows(figures: ReturnFigures) -> list[SessionRow]:
    return [
        SessionRow(
            title=row.session.title,
            format=row.session.get_format_display(),
            ratings=row.ratings,
            mean=mean_cell(None if row.reaction is None else row.reaction.mean),
            satisfied=share_cell(None if row.reaction is None else row.reaction.satisfied),
        )
        for row in figures.sessions
    ]


@dataclass(frozen=True)
class LearningRow:
    objective: str
    pairs: int
    before_after: str
    gain: Cell
    improved: Cell


def learning_rows(figures: ReturnFigures) -> list[LearningRow]:
    if figures.learning is None:
        return []
    rows = []
    for objective in figures.objectives:
        gain = figures.learning.objectives.get(objective.pk)
        if gain is None:
            continue
        before_after = "–"
        if gain.before is not None and gain.after is not None and not gain.too_few:
            before_after = f"{decimal(gain.before, 2)} → {decimal(gain.after, 2)}"
        rows.append(
            LearningRow(
                objective=objective.text,
                pairs=gain.n,
                before_after=before_after,
                gain=mean_cell(gain.gain, sign=True),
                improved=share_cell(gain.improved),
            )
        )
    return rows


@dataclass(frozen=True)
class RoundRow:
    days: int
    invited: int
    answered: int
    rate: str
    applied: Cell
    fully: Cell
    frequencies: str


def frequencies_text(round_: analysis.Application) -> str:
    """Say how often those who applied did: "often 6 · sometimes 2 · once 0 · not yet 2"."""
    parts = [
        f"{FREQUENCY_WORDS[key].lower()} {round_.frequencies[key]}"
        for key in ("often", "sometimes", "once")
    ]
    parts.append(_("not applied %(count)s") % {"count": round_.frequencies["never"]})
    return " · ".join(parts)


def round_rows(figures: ReturnFigures) -> list[RoundRow]:
    return [
        RoundRow(
            days=round_.days,
            invited=round_.invited,
            answered=round_.answered,
            rate="" if round_.response_rate is None else share_text(round_.response_rate),
            applied=share_cell(round_.applied),
            fully=share_cell(round_.fully),
            frequencies="" if round_.too_few else frequencies_text(round_),
        )
        for round_ in figures.rounds
    ]


@dataclass(frozen=True)
class ImpactRow:
    figure: ImpactFigure
    before_after: str
    change: str
    per_unit: str
    share: Cell
    benefit: Cell
    # Which follow-up rounds the estimates come from, in words ("" without estimates).
    estimate_rounds: str = ""

    @property
    def objective(self) -> object:
        return self.figure.objective

    @property
    def entered(self) -> bool:
        return self.figure.impact is not None


def estimate_rounds(measure: ImpactFigure) -> str:
    """Say that each attendee's latest estimate counts, and how many come from each round."""
    if not measure.rounds:
        return ""
    parts = [
        ngettext(
            "%(count)s estimate from the follow-up after %(after)s",
            "%(count)s estimates from the follow-up after %(after)s",
            count,
        )
        % {
            "count": count,
            "after": ngettext("%(days)s day", "%(days)s days", days) % {"days": days},
        }
        for days, count in measure.rounds
    ]
    return _(
        "Each attendee counts once, with their latest estimate (one given in a later "
        "follow-up replaces their earlier one): %(rounds)s."
    ) % {"rounds": get_text_list(parts, _("and"))}


def impact_rows(figures: ReturnFigures) -> list[ImpactRow]:
    currency = figures.meeting.currency
    rows = []
    for measure in figures.impacts:
        found = measure.impact
        rounds = estimate_rounds(measure)
        if found is None:
            rows.append(ImpactRow(measure, "–", "–", "–", none(), none(), rounds))
            continue
        rows.append(
            ImpactRow(
                measure,
                before_after=f"{decimal(found.before, 2)} → {decimal(found.after, 2)}",
                change=signed(found.change, 2),
                per_unit=money(found.value_per_unit, currency),
                share=share_cell(found.isolated),
                benefit=money_cell(found.benefit, currency),
                estimate_rounds=rounds,
            )
        )
    return rows


@dataclass(frozen=True)
class ObjectiveRow:
    level: str
    text: str
    measure: str
    target: str
    measured: Cell
    target_met: bool | None


def objective_cell(row: ObjectiveFigure) -> Cell:
    if row.figure is None:
        return Cell(_("Not measured yet"), missing=True)
    if row.too_few:
        return too_few()
    return Cell(figure_text(row.figure, row.unit))


def target_cell(row: ObjectiveFigure) -> str:
    return "–" if row.target is None else figure_text(row.target, row.unit)


def objective_rows(figures: ReturnFigures) -> list[ObjectiveRow]:
    return [
        ObjectiveRow(
            level=str(Level(row.objective.level).label),
            text=row.objective.text,
            measure=row.objective.measure,
            target=target_cell(row),
            measured=objective_cell(row),
            target_met=row.target_met,
        )
        for row in figures.objective_figures()
    ]


def headline_interval(figures: ReturnFigures) -> tuple[str, str]:
    """Return the benefit-cost ratio and its interval, or ("", "") when there is none."""
    returned = figures.roi
    if returned.reason is not None or returned.ratio is None:
        return "", ""
    interval = ""
    if returned.ratio_low is not None and returned.ratio_high is not None:
        interval = span(decimal(returned.ratio_low, 2), decimal(returned.ratio_high, 2))
    return decimal(returned.ratio, 2), interval


def money_text(value: float, figures: ReturnFigures) -> str:
    return money(value, figures.meeting.currency)
