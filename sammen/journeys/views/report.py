"""The organiser's figures page (the curve, the moments, the advice and decisions) and
its exports."""

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sammen.activities.models import Phase
from sammen.activities.queries import linked_activities
from sammen.core.exports import csv_download, dated_filename, file_download, json_download
from sammen.core.http import parse_id, parse_int

from .. import exports
from ..actions.decisions import MAX_PLANS_PER_TOUCHPOINT, can_open_calls
from ..charts import comparison_curve, distribution_text, emotion_curve, mini_bars
from ..forms_figures import DecisionForm, OpenCallForm, PlanForm
from ..models import Plan, Segment
from ..permissions import JourneyAccess, access_journey, can_see_figures
from ..queries.figures import (
    Comparison,
    JourneyFigures,
    Tallies,
    WaveInfo,
    compare_segments,
    compare_waves,
    journey_figures,
    journey_tallies,
    wave_by_number,
)
from ..reasons import (
    advice_sentence,
    answer_draft,
    choice_label,
    decimal,
    moment_name,
    moment_sentence,
    percent,
    signed,
)
from .organiser import organiser_context

MAX_WAVE = 32767


def figures_access(request: HttpRequest, space_slug: str, activity_slug: str) -> JourneyAccess:
    """The figures are the organisers' (owners and moderators of the space)."""
    access = access_journey(request, space_slug, activity_slug, manage=True)
    if not can_see_figures(access):
        raise PermissionDenied
    return access


@dataclass
class Choice:
    """What the page was asked to show (`?wave=`, `?compare=`, `?a=`, `?b=`), checked."""

    wave: WaveInfo | None = None
    compare: str = ""
    a: int | None = None
    b: int | None = None
    comparison: Comparison | None = None
    notes: list[str] = field(default_factory=list)


def read_wave(request: HttpRequest, tallies: Tallies, choice: Choice) -> None:
    raw = request.GET.get("wave")
    if raw is None or raw == "":
        return
    choice.wave = wave_by_number(tallies, parse_int(raw, low=1, high=MAX_WAVE))
    if choice.wave is None:
        choice.notes.append(
            _("That wave does not exist: the figures show the latest wave with ratings.")
        )


def two_of(request: HttpRequest, *, ids: bool) -> tuple[int | None, int | None, bool]:
    """Return `?a=` and `?b=` as numbers, and whether both were left out."""
    read = parse_id if ids else (lambda value: parse_int(value, low=1, high=MAX_WAVE))
    raw_a, raw_b = request.GET.get("a", ""), request.GET.get("b", "")
    return read(raw_a), read(raw_b), not raw_a and not raw_b


def read_comparison(
    request: HttpRequest,
    figures: JourneyFigures,
    tallies: Tallies,
    segments: list[Segment],
    choice: Choice,
) -> None:
    compare = request.GET.get("compare", "")
    if not compare:
        return
    if compare == "waves":
        a, b, neither = two_of(request, ids=False)
        if neither and len(tallies.waves) >= 2:
            a, b = tallies.waves[-2].number, tallies.waves[-1].number
        first, second = wave_by_number(tallies, a), wave_by_number(tallies, b)
        if first is None or second is None or first == second:
            choice.notes.append(_("Choose two different waves to compare."))
            return
        choice.compare, choice.a, choice.b = compare, a, b
        choice.comparison = compare_waves(figures, tallies, first, second)
    elif compare == "segments":
        a, b, neither = two_of(request, ids=True)
        if neither and len(segments) >= 2:
            a, b = segments[0].pk, segments[1].pk
        by_id = {segment.pk: segment for segment in segments}
        one, other = by_id.get(a or 0), by_id.get(b or 0)
        if one is None or other is None or one == other:
            choice.notes.append(_("Choose two different segments to compare."))
            return
        choice.compare, choice.a, choice.b = compare, a, b
        choice.comparison = compare_segments(figures, one, other)
    else:
        choice.notes.append(_("Choose segments or waves to compare."))


def interval(low: float | None, high: float | None, places: int = 1) -> str:
    if low is None or high is None:
        return "–"
    return f"{decimal(low, places)}–{decimal(high, places)}"


def share_text(share: float, low: float, high: float, n: int) -> str:
    if not n:
        return "–"
    return f"{percent(share)} ({percent(low)}–{percent(high)})"


def table_rows(figures: JourneyFigures) -> list[dict[str, Any]]:
    """Return the data table of the curve: each figure written out, and its distribution."""
    rows = []
    for figure in figures.touchpoints:
        summary = figure.summary
        rows.append(
            {
                "figure": figure,
                "mean": decimal(summary.mean, 2) if summary.mean is not None else "–",
                "interval": interval(summary.ci_low, summary.ci_high, 2),
                "negative": share_text(
                    summary.negative_share, summary.negative_low, summary.negative_high, summary.n
                ),
                "positive": share_text(
                    summary.positive_share, summary.positive_low, summary.positive_high, summary.n
                ),
                "bars": mini_bars(summary.distribution),
                "counts": " · ".join(str(count) for count in figure.tally.counts),
                "counts_label": distribution_text(figure.tally.counts, figures.points),
            }
        )
    return rows


def comparison_rows(figures: JourneyFigures, comparison: Comparison | None) -> list[dict[str, Any]]:
    if comparison is None:
        return []
    rows = []
    for index, figure in enumerate(figures.touchpoints):
        a, b = comparison.a.summaries[index], comparison.b.summaries[index]
        change = comparison.differences[index]
        rows.append(
            {
                "figure": figure,
                "a": decimal(a.mean, 2) if a.mean is not None else "–",
                "a_n": a.n,
                "b": decimal(b.mean, 2) if b.mean is not None else "–",
                "b_n": b.n,
                "difference": signed(change.difference) if change is not None else "–",
                "interval": interval(change.low, change.high, 2) if change is not None else "–",
                "clear": change is not None and change.excludes_zero,
                "known": change is not None,
            }
        )
    return rows


def moment_rows(figures: JourneyFigures) -> list[dict[str, Any]]:
    names = [figure.touchpoint.name for figure in figures.touchpoints]
    return [
        {
            "figure": figure,
            "moments": [
                {"name": moment_name(moment), "reason": moment.reason, "text": text}
                for moment in figure.moments
                if (text := moment_sentence(moment, names))
            ],
        }
        for figure in figures.flagged
    ]


def touchpoint_cards(
    figures: JourneyFigures, plans: dict[int, list[Plan]], links: Any
) -> list[dict[str, Any]]:
    cards = []
    for figure in figures.touchpoints:
        touchpoint = figure.touchpoint
        cards.append(
            {
                "figure": figure,
                "advice": choice_label(figure.advice.choice),
                "reasons": [advice_sentence(reason) for reason in figure.advice.reasons],
                "moment_names": list(dict.fromkeys(moment_name(m) for m in figure.moments)),
                "words": figure.tally.picked_words()[:6],
                "decision_form": DecisionForm(
                    initial={
                        "service_choice": touchpoint.service_choice,
                        "decision": touchpoint.decision,
                    },
                    auto_id=f"id_decision_{touchpoint.pk}_%s",
                ),
                "plans": plans.get(touchpoint.pk, []),
                "plan_form": PlanForm(auto_id=f"id_plan_{touchpoint.pk}_%s"),
                "calls": links.at(figure.anchor),
                "call_form": OpenCallForm(
                    initial={
                        "title": _("How might we make “%(touchpoint)s” better?")
                        % {"touchpoint": touchpoint.name}
                    },
                    auto_id=f"id_call_{touchpoint.pk}_%s",
                ),
            }
        )
    return cards


def draft_of(figures: JourneyFigures, plans: dict[int, list[Plan]]) -> str:
    return answer_draft(
        [
            (
                figure.touchpoint.name,
                list(dict.fromkeys(moment_name(moment) for moment in figure.moments)),
                figure.touchpoint.service_choice,
                figure.touchpoint.decision,
                [plan.text for plan in plans.get(figure.touchpoint.pk, [])],
            )
            for figure in figures.flagged
        ]
    )


@login_required
@require_GET
def figures_page(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """Show the curve, the comparison asked for, the moments, the advice and decisions."""
    access = figures_access(request, space_slug, activity_slug)
    journey = access.journey
    tallies = journey_tallies(journey)
    choice = Choice()
    read_wave(request, tallies, choice)
    figures = journey_figures(journey, wave=choice.wave, tallies=tallies)
    segments = list(Segment.objects.filter(journey=journey))
    read_comparison(request, figures, tallies, segments, choice)
    plans: dict[int, list[Plan]] = {}
    for plan in Plan.objects.filter(touchpoint__journey=journey):
        plans.setdefault(plan.touchpoint_id, []).append(plan)
    links = linked_activities(access.activity, drafts=True)
    comparison = choice.comparison
    return render(
        request,
        "journeys/figures.html",
        {
            **organiser_context(access, "figures"),
            "figures": figures,
            "chart": emotion_curve(figures, _("The emotion curve")),
            "choice": choice,
            "segments": segments,
            "comparison": comparison,
            "rows": table_rows(figures),
            "comparison_rows": comparison_rows(figures, comparison),
            "comparison_chart": comparison_curve(figures, comparison) if comparison else None,
            "moment_rows": moment_rows(figures),
            "cards": touchpoint_cards(figures, plans, links),
            "max_plans": MAX_PLANS_PER_TOUCHPOINT,
            "can_open_calls": can_open_calls(),
            "links": links,
            "draft": draft_of(figures, plans),
            "can_answer": access.activity.phase in {Phase.CLOSED, Phase.ANSWERED},
        },
    )


def export_figures(request: HttpRequest, access: JourneyAccess) -> JourneyFigures:
    tallies = journey_tallies(access.journey)
    wave = wave_by_number(tallies, parse_int(request.GET.get("wave"), low=1, high=MAX_WAVE))
    return journey_figures(access.journey, wave=wave, tallies=tallies)


@login_required
@require_GET
def export_touchpoints(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    access = figures_access(request, space_slug, activity_slug)
    figures = export_figures(request, access)
    return csv_download(
        exports.touchpoint_rows(figures),
        exports.touchpoint_fields(figures.points),
        dated_filename(access.activity.slug, "touchpoints", "csv"),
    )


@login_required
@require_GET
def export_ratings(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    access = figures_access(request, space_slug, activity_slug)
    return csv_download(
        exports.rating_rows(access.journey),
        exports.RATING_FIELDS,
        dated_filename(access.activity.slug, "ratings", "csv"),
    )


@login_required
@require_GET
def export_json(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    access = figures_access(request, space_slug, activity_slug)
    figures = export_figures(request, access)
    return json_download(
        exports.figures_json(figures), dated_filename(access.activity.slug, "figures", "json")
    )


@login_required
@require_GET
def export_curve(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    access = figures_access(request, space_slug, activity_slug)
    figures = export_figures(request, access)
    return file_download(
        exports.curve_svg(figures),
        "image/svg+xml; charset=utf-8",
        dated_filename(access.activity.slug, "curve", "svg"),
    )


@login_required
@require_GET
def export_mermaid(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    access = figures_access(request, space_slug, activity_slug)
    figures = export_figures(request, access)
    return file_download(
        exports.mermaid_journey(figures),
        "text/plain; charset=utf-8",
        dated_filename(access.activity.slug, "journey", "mmd"),
    )
