"""A meeting's return to take away: the chain and each level's figures as CSV (one figure
per row) and as JSON.

No export names a person or carries what an attendee wrote (planned actions, session
comments, what helped or got in the way): only counts, figures, and what the planners
wrote (titles, objectives, costs, intangible benefits). What attendees wrote stays on
the site, where only the planners read it, without names.
"""

from collections.abc import Iterator
from typing import Any

from . import analysis
from .analysis import Estimate
from .returns import ReturnFigures

CSV_FIELDS = [
    "level_number",
    "level",
    "item",
    "figure",
    "unit",
    "value",
    "low",
    "high",
    "n",
    "response_rate",
    "target",
    "target_met",
    "reason",
]
LEVEL_NUMBER = {"inputs": 0, "reaction": 1, "learning": 2, "application": 3, "impact": 4, "roi": 5}


def rounded(value: float | None, places: int = 4) -> float | None:
    return None if value is None else round(float(value), places)


def row(level: str, figure: str, value: Any, **more: Any) -> dict[str, object]:
    cells: dict[str, object] = dict.fromkeys(CSV_FIELDS, "")
    cells.update(level_number=LEVEL_NUMBER[level], level=level, figure=figure)
    cells["value"] = rounded(value) if isinstance(value, float) else value
    for key, cell in more.items():
        cells[key] = rounded(cell) if isinstance(cell, float) else cell
    return {key: "" if cell is None else cell for key, cell in cells.items()}


def estimate_row(level: str, figure: str, estimate: Estimate, **more: Any) -> dict[str, object]:
    return row(
        level, figure, estimate.value, low=estimate.low, high=estimate.high, n=estimate.n, **more
    )


def csv_rows(figures: ReturnFigures) -> Iterator[dict[str, object]]:
    """Yield the chain's six levels, then every figure of each level, one per row."""
    for level in figures.chain:
        yield row(
            level.key,
            "headline",
            level.figure,
            unit=level.unit,
            low=level.low,
            high=level.high,
            n=level.n,
            response_rate=level.response_rate,
            target=level.target,
            target_met="" if level.target_met is None else int(level.target_met),
            reason=level.reason or "",
        )
        for key, value in level.details.items():
            yield row(level.key, key, value)
    turnout = figures.turnout
    yield row("inputs", "checked_in", turnout.checked_in)
    yield row("inputs", "no_shows", turnout.no_shows)
    for line in figures.costs:
        yield row("inputs", "cost", float(line.amount), item=line.get_category_display())
    for session in figures.sessions:
        title = session.session.title
        yield row("reaction", "ratings", session.ratings, item=title)
        yield row("reaction", "comments", session.comments, item=title)
        if session.reaction is not None:
            yield estimate_row("reaction", "mean_rating", session.reaction.mean, item=title)
            yield estimate_row(
                "reaction", "satisfied_share", session.reaction.satisfied, item=title
            )
    if figures.learning is not None:
        objectives = {objective.pk: objective.text for objective in figures.objectives}
        for objective_id, gain in figures.learning.objectives.items():
            text = objectives.get(objective_id, "")
            yield row("learning", "before", gain.before, item=text, n=gain.n)
            yield row("learning", "after", gain.after, item=text, n=gain.n)
            yield estimate_row("learning", "gain", gain.gain, item=text)
            yield estimate_row("learning", "improved_share", gain.improved, item=text)
    for round_ in figures.rounds:
        item = f"{round_.days}"
        yield row("application", "invited", round_.invited, item=item)
        yield row(
            "application",
            "answered",
            round_.answered,
            item=item,
            response_rate=round_.response_rate,
        )
        yield estimate_row("application", "applied_share", round_.applied, item=item)
        yield estimate_row("application", "fully_share", round_.fully, item=item)
        for frequency, count in round_.frequencies.items():
            yield row("application", f"frequency_{frequency}", count, item=item)
    for measure in figures.impacts:
        text = measure.objective.text
        yield row("impact", "estimates", measure.estimates, item=text)
        for days, count in measure.rounds:
            yield row("impact", f"estimates_after_{days}_days", count, item=text)
        found = measure.impact
        if found is None:
            continue
        yield row("impact", "before", found.before, item=text)
        yield row("impact", "after", found.after, item=text, target=measure.objective.target)
        yield row("impact", "value_per_unit", found.value_per_unit, item=text)
        yield estimate_row("impact", "isolated_share", found.isolated, item=text)
        yield estimate_row("impact", "benefit", found.benefit, item=text)
    returned = figures.roi
    yield row(
        "roi", "ratio_interval", returned.ratio, low=returned.ratio_low, high=returned.ratio_high
    )
    for text in figures.intangibles:
        yield row("roi", "intangible", "", item=text)


def estimate_json(estimate: Estimate) -> dict[str, Any]:
    return {
        "value": rounded(estimate.value),
        "interval": [rounded(estimate.low), rounded(estimate.high)],
        "n": estimate.n,
        "too_few": estimate.too_few,
    }


def level_json(level: analysis.Level) -> dict[str, Any]:
    return {
        "number": level.number,
        "key": level.key,
        "unit": level.unit,
        "figure": rounded(level.figure),
        "interval": [rounded(level.low), rounded(level.high)],
        "n": level.n,
        "response_rate": rounded(level.response_rate),
        "target": rounded(level.target),
        "target_met": level.target_met,
        "too_few": level.too_few,
        "reason": level.reason,
        "details": {key: rounded(value) for key, value in level.details.items()},
    }


def return_json(figures: ReturnFigures) -> dict[str, Any]:
    """Return everything the return page shows, as data, except what attendees wrote."""
    meeting = figures.meeting
    returned = figures.roi
    texts = {objective.pk: objective.text for objective in figures.objectives}
    return {
        "meeting": meeting.activity.title,
        "starts_at": meeting.starts_at.isoformat() if meeting.starts_at else None,
        "currency": meeting.currency,
        "min_answers": analysis.MIN_ANSWERS,
        "turnout": {
            "registered": figures.turnout.registered,
            "checked_in": figures.turnout.checked_in,
            "attendees": figures.turnout.attendees,
            "no_shows": figures.turnout.no_shows,
        },
        "chain": [level_json(level) for level in figures.chain],
        "roi": {
            "benefits": estimate_json(returned.benefits),
            "costs": rounded(returned.costs),
            "net_benefits": rounded(returned.net_benefits),
            "percent": rounded(returned.percent),
            "percent_interval": [rounded(returned.percent_low), rounded(returned.percent_high)],
            "ratio": rounded(returned.ratio),
            "ratio_interval": [rounded(returned.ratio_low), rounded(returned.ratio_high)],
            "reason": returned.reason,
            "intangibles": list(figures.intangibles),
        },
        "objectives": [
            {
                "level": row.objective.level,
                "text": row.objective.text,
                "measure": row.objective.measure,
                "unit": row.unit,
                "figure": rounded(row.figure),
                "interval": [rounded(row.low), rounded(row.high)],
                "n": row.n,
                "target": rounded(row.target),
                "target_met": row.target_met,
            }
            for row in figures.objective_figures()
        ],
        "costs": [
            {
                "category": line.category,
                "description": line.description,
                "amount": rounded(float(line.amount), 2),
            }
            for line in figures.costs
        ],
        "sessions": [
            {
                "title": session.session.title,
                "format": session.session.format,
                "starts_at": session.session.starts_at.isoformat(),
                "counts": list(session.counts),
                # How many ratings came with a comment; the comments stay on the site.
                "comments": session.comments,
                "mean": None if session.reaction is None else estimate_json(session.reaction.mean),
                "satisfied": (
                    None if session.reaction is None else estimate_json(session.reaction.satisfied)
                ),
            }
            for session in figures.sessions
        ],
        "learning": [
            {
                "objective": texts.get(objective_id, ""),
                "pairs": gain.n,
                "before": rounded(gain.before),
                "after": rounded(gain.after),
                "gain": estimate_json(gain.gain),
                "improved": estimate_json(gain.improved),
                "effect": rounded(gain.effect),
            }
            for objective_id, gain in (
                figures.learning.objectives.items() if figures.learning else []
            )
        ],
        "follow_ups": [
            {
                "days": round_.days,
                "invited": round_.invited,
                "answered": round_.answered,
                "response_rate": rounded(round_.response_rate),
                "applied": estimate_json(round_.applied),
                "fully": estimate_json(round_.fully),
                "frequencies": round_.frequencies,
            }
            for round_ in figures.rounds
        ],
        "impacts": [
            {
                "objective": measure.objective.text,
                "measure": measure.objective.measure,
                "target": rounded(
                    None if measure.objective.target is None else float(measure.objective.target)
                ),
                "lower_is_better": measure.lower_is_better,
                "estimates": measure.estimates,
                # Each attendee's latest estimate counts: how many come from each round.
                "estimates_by_round": [
                    {"days": days, "estimates": count} for days, count in measure.rounds
                ],
                "before": None if measure.impact is None else rounded(measure.impact.before),
                "after": None if measure.impact is None else rounded(measure.impact.after),
                "value_per_unit": (
                    None if measure.impact is None else rounded(measure.impact.value_per_unit)
                ),
                "isolated": None
                if measure.impact is None
                else estimate_json(measure.impact.isolated),
                "benefit": None
                if measure.impact is None
                else estimate_json(measure.impact.benefit),
            }
            for measure in figures.impacts
        ],
    }
