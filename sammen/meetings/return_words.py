"""The return in words: the levels' names, their figures written out in the reader's
language, why a level has no figure, and the draft of the public answer.

`analysis` returns keys and numbers; this is where they become sentences.
"""

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_stubs_ext import StrOrPromise

from . import analysis
from .analysis import Level, LevelKey
from .returns import ReturnFigures

LEVEL_NAMES: dict[LevelKey, StrOrPromise] = {
    "inputs": gettext_lazy("Inputs"),
    "reaction": gettext_lazy("Reaction and planned action"),
    "learning": gettext_lazy("Learning"),
    "application": gettext_lazy("Application"),
    "impact": gettext_lazy("Business impact"),
    "roi": gettext_lazy("Return on investment"),
}
LEVEL_QUESTIONS: dict[LevelKey, StrOrPromise] = {
    "inputs": gettext_lazy("Who came, and what the meeting cost."),
    "reaction": gettext_lazy("How attendees rated the sessions, from 1 to 5."),
    "learning": gettext_lazy("How much their own assessment grew, in points from 1 to 5."),
    "application": gettext_lazy("Who applied what they planned, weeks later."),
    "impact": gettext_lazy("The business figures' change the meeting can claim, in money."),
    "roi": gettext_lazy("The benefits against the costs."),
}


def level_name(key: LevelKey) -> str:
    return str(LEVEL_NAMES[key])


def decimal(value: float, places: int = 1) -> str:
    return number_format(round(value, places), places, force_grouping=True)


def signed(value: float, places: int = 2) -> str:
    """Return a number with its sign: "+0.80", "−1.10", "0.00"."""
    text = decimal(abs(value), places)
    if round(value, places) > 0:
        return f"+{text}"
    if round(value, places) < 0:
        return f"−{text}"
    return text


def percent_text(value: float) -> str:
    """Return a percentage (50.0 is "50%"), with a minus sign below zero."""
    number = number_format(round(abs(value)), 0, force_grouping=True)
    sign = "−" if round(value) < 0 else ""
    # Translators: a share in percent, as "45%"; write it as your language does ("45 %").
    return _("%(value)s%%") % {"value": f"{sign}{number}"}


def share_text(share: float) -> str:
    return percent_text(share * 100)


def money(value: float, currency: str) -> str:
    sign = "−" if round(value) < 0 else ""
    return f"{sign}{number_format(round(abs(value)), 0, force_grouping=True)}\u00a0{currency}"


def figure_text(value: float, unit: str, currency: str = "EUR") -> str:
    """Return a figure in its unit, as the report writes it."""
    if unit == "people":
        return number_format(round(value), 0, force_grouping=True)
    if unit == "score":
        return decimal(value, 2)
    if unit == "points":
        return signed(value, 2)
    if unit == "share":
        return share_text(value)
    if unit == "money":
        return money(value, currency)
    if unit == "measure":
        return decimal(value, 2)
    return percent_text(value)


def span(low: str, high: str) -> str:
    """Return an interval from its written bounds: "4.10 to 4.60"."""
    return _("%(low)s to %(high)s") % {"low": low, "high": high}


def interval_text(low: float | None, high: float | None, unit: str, currency: str = "EUR") -> str:
    """Return "4.10 to 4.60", or "" when there is no interval."""
    if low is None or high is None:
        return ""
    return span(figure_text(low, unit, currency), figure_text(high, unit, currency))


def reason_text(level: Level) -> str:
    """Say why a level shows no figure."""
    if level.reason == "too_few":
        answers = level.n or 0
        return ngettext(
            "Too few answers to say: %(count)s answer, and at least %(needed)s are needed.",
            "Too few answers to say: %(count)s answers, and at least %(needed)s are needed.",
            answers,
        ) % {"count": answers, "needed": analysis.MIN_ANSWERS}
    if level.reason == "no_costs":
        return _("No costs entered yet: without costs there is no return on investment.")
    if level.reason == "no_measures":
        return _("No business figure has been turned into money yet.")
    return _("Not measured yet.")


def short_reason(level: Level) -> str:
    """The few words that stand in a chart or a table cell for a missing figure."""
    if level.reason == "too_few":
        return _("Too few answers")
    if level.reason == "no_costs":
        return _("No costs entered")
    if level.reason == "no_measures":
        return _("No business figures")
    return _("Not measured yet")


def rate_text(level: Level) -> str:
    """Say how many of those asked answered (the turnout at level 0)."""
    if level.response_rate is None:
        return ""
    rate = share_text(level.response_rate)
    if level.key == "inputs":
        return _("%(rate)s of those registered came") % {"rate": rate}
    return _("%(rate)s answered") % {"rate": rate}


def rate_short(level: Level) -> str:
    """Say the rate in a table cell: "83%", or at level 0 "86% came"."""
    if level.response_rate is None:
        return ""
    if level.key == "inputs":
        return _("%(rate)s came") % {"rate": share_text(level.response_rate)}
    return share_text(level.response_rate)


def target_text(level: Level, currency: str = "EUR") -> str:
    if level.target is None:
        return ""
    return figure_text(level.target, level.unit, currency)


def answer_draft(figures: ReturnFigures) -> str:
    """Draft the meeting's public answer: what was learned, and what changes next time.

    Only what the report reads goes in (no level with too few answers), and nothing any
    attendee wrote: the planner finishes it in their own words.
    """
    currency = figures.meeting.currency
    title = figures.meeting.activity.title
    lines = [_("What we learned from “%(title)s”:") % {"title": title}, ""]
    lines.append(
        ngettext(
            "- %(count)s person took part, of %(registered)s who registered.",
            "- %(count)s people took part, of %(registered)s who registered.",
            figures.turnout.attendees,
        )
        % {"count": figures.turnout.attendees, "registered": figures.turnout.registered}
    )
    reacted = figures.level("reaction")
    if reacted.figure is not None:
        lines.append(
            _(
                "- You rated the sessions %(mean)s out of 5 on average; %(share)s of you gave "
                "4 or more."
            )
            % {
                "mean": decimal(reacted.figure, 2),
                "share": share_text(reacted.details["satisfied_share"] or 0),
            }
        )
        if figures.reaction is not None and figures.reaction.planned_actions:
            lines.append(
                _("- %(share)s of you wrote down what you will do differently.")
                % {"share": share_text(reacted.details["planned_action_share"] or 0)}
            )
    learned = figures.level("learning")
    if learned.figure is not None:
        lines.append(
            _("- Your own assessment of what you know grew by %(gain)s points on a scale of 5.")
            % {"gain": decimal(learned.figure, 1)}
        )
    applied = figures.level("application")
    if applied.figure is not None:
        lines.append(
            _("- After %(days)s days, %(share)s had applied what they planned, at least in part.")
            % {"days": int(applied.details["days"] or 0), "share": share_text(applied.figure)}
        )
    returned = figures.level("roi")
    if returned.figure is not None:
        lines.append(
            _(
                "- The meeting returned %(benefits)s against %(costs)s of costs: a return on "
                "investment of %(roi)s."
            )
            % {
                "benefits": money(figures.roi.benefits.value or 0, currency),
                "costs": money(figures.roi.costs, currency),
                "roi": percent_text(returned.figure),
            }
        )
    if figures.intangibles:
        lines.append(
            _("- Beyond money: %(benefits)s.") % {"benefits": "; ".join(figures.intangibles)}
        )
    lines += ["", _("What changes next time:")]
    lines += next_time(figures)
    lines.append(_("- [Write what you will change, and when.]"))
    return "\n".join(lines)


def next_time(figures: ReturnFigures) -> list[str]:
    """The lines the figures suggest for next time: the lowest-rated session, missed targets."""
    lines = []
    rated = [
        session
        for session in figures.sessions
        if session.reaction is not None and not session.reaction.mean.too_few
    ]
    if len(rated) >= 2:
        lowest = min(rated, key=lambda session: session.reaction.mean.value or 0)  # type: ignore[union-attr]
        lines.append(
            _("- “%(session)s” was rated lowest (%(mean)s out of 5): we will rework it.")
            % {
                "session": lowest.session.title,
                "mean": decimal(lowest.reaction.mean.value or 0, 1),  # type: ignore[union-attr]
            }
        )
    for level in figures.chain:
        if level.target_met is False:
            lines.append(
                _("- We did not reach our target for %(level)s: %(figure)s against %(target)s.")
                % {
                    "level": level_name(level.key).lower(),
                    "figure": figure_text(level.figure or 0, level.unit, figures.meeting.currency),
                    "target": target_text(level, figures.meeting.currency),
                }
            )
    return lines
