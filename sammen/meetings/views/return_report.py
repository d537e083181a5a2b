"""The return report: levels 0 to 5 as a chain of evidence, the impact objectives'
business figures, the draft of the public answer, and the exports.

The report is the planners' (owners and moderators of the space). It prints on A4 for
a board: meetings.css holds its print layout.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sammen.accounts.views import signed_in_user
from sammen.activities.models import Phase
from sammen.core.errors import ActionRefused
from sammen.core.exports import csv_download, dated_filename, json_download

from .. import analysis, exports
from ..actions.impact import do_record_impact
from ..charts import chain_chart
from ..design import summarise_costs
from ..forms_return import ImpactForm
from ..models import (
    FollowUp,
    Level,
    Meeting,
    Objective,
    PlannedAction,
    Session,
    SessionRating,
)
from ..permissions import MeetingAccess, access_meeting, can_see_return
from ..return_tables import (
    ImpactRow,
    headline_interval,
    impact_rows,
    learning_rows,
    money_text,
    objective_rows,
    round_rows,
    session_rows,
)
from ..return_words import (
    LEVEL_QUESTIONS,
    answer_draft,
    figure_text,
    interval_text,
    level_name,
    rate_short,
    rate_text,
    reason_text,
    short_reason,
    target_text,
)
from ..returns import ReturnFigures, attendee_ratings, return_figures
from .organiser import organiser_context

QUOTES = 5  # what attendees wrote, shown as examples: a few, the latest first
SESSION_COMMENTS_SHOWN = 3  # on the report, per session; all of them on the session's page
COMMENTS_PER_PAGE = 20


def return_access(request: HttpRequest, space_slug: str, activity_slug: str) -> MeetingAccess:
    access = access_meeting(request, space_slug, activity_slug, manage=True)
    if not can_see_return(access):
        raise PermissionDenied
    return access


def return_url(access: MeetingAccess, anchor: str = "") -> str:
    url = reverse("meetings:return", args=[access.space.slug, access.activity.slug])
    return f"{url}#{anchor}" if anchor else url


@dataclass(frozen=True)
class LevelView:
    """A level as the page writes it."""

    level: analysis.Level
    name: str
    question: str
    figure: str  # the figure in its unit, or "" without one
    interval: str
    rate: str
    rate_short: str  # the rate alone, for the table beside the chart
    target: str
    reason: str  # why there is no figure, in a sentence
    short_reason: str

    @property
    def anchor(self) -> str:
        return f"level-{self.level.number}"


def level_views(figures: ReturnFigures) -> list[LevelView]:
    currency = figures.meeting.currency
    views = []
    for level in figures.chain:
        has_figure = level.figure is not None
        views.append(
            LevelView(
                level=level,
                name=level_name(level.key),
                question=str(LEVEL_QUESTIONS[level.key]),
                figure=figure_text(level.figure, level.unit, currency)
                if level.figure is not None
                else "",
                interval=interval_text(level.low, level.high, level.unit, currency),
                rate=rate_text(level),
                rate_short=rate_short(level),
                target=target_text(level, currency),
                reason="" if has_figure else reason_text(level),
                short_reason="" if has_figure else short_reason(level),
            )
        )
    return views


def quotes(figures: ReturnFigures) -> dict[str, list[Any]]:
    """A few planned actions and follow-up answers in attendees' words, without names."""
    meeting = figures.meeting
    planned = (
        PlannedAction.objects.filter(registration__meeting=meeting)
        .order_by("-created_at")
        .values_list("text", "confidence")[: QUOTES * 4]
    )
    notes = (
        FollowUp.objects.filter(registration__meeting=meeting, answered_at__isnull=False)
        .exclude(helped="", hindered="")
        .order_by("-answered_at")
        .values_list("helped", "hindered")[: QUOTES * 4]
    )
    helped, hindered = [], []
    for help_text, hindrance in notes:
        helped.append(help_text)
        hindered.append(hindrance)
    return {
        "planned": first_different(planned, key=lambda row: row[0]),
        "helped": first_different(text for text in helped if text),
        "hindered": first_different(text for text in hindered if text),
    }


def first_different(rows: Iterable[Any], key: Callable[[Any], Any] = lambda row: row) -> list[Any]:
    """Return the first QUOTES rows that differ (the same words twice say nothing more)."""
    seen: dict[Any, Any] = {}
    for row in rows:
        seen.setdefault(key(row), row)
        if len(seen) == QUOTES:
            break
    return list(seen.values())


def comments_of(meeting: Meeting) -> QuerySet[SessionRating]:
    """Return the session ratings of a meeting's attendees that came with a comment."""
    return attendee_ratings(meeting).exclude(comment="")


def session_comments(figures: ReturnFigures) -> list[dict[str, Any]]:
    """Each commented session with its number of comments and the newest few, each with
    its score and without a name (attendees are anonymous to the planners)."""
    newest_first = [F("created_at").desc(), F("pk").desc()]
    newest: dict[int, list[tuple[str, int]]] = {}
    for session_id, comment, score in (
        comments_of(figures.meeting)
        .annotate(place=Window(RowNumber(), partition_by=F("session_id"), order_by=newest_first))
        .filter(place__lte=SESSION_COMMENTS_SHOWN)
        .order_by("session_id", "place")
        .values_list("session_id", "comment", "score")
    ):
        newest.setdefault(session_id, []).append((comment, score))
    return [
        {"session": row.session, "count": row.comments, "newest": newest.get(row.session.pk, [])}
        for row in figures.sessions
        if row.comments
    ]


def impact_forms(figures: ReturnFigures) -> list[tuple[ImpactRow, ImpactForm]]:
    """Each impact objective's figures, with the form that enters them."""
    currency = figures.meeting.currency
    return [
        (row, ImpactForm(objective=row.figure.objective, currency=currency))
        for row in impact_rows(figures)
    ]


def report_context(access: MeetingAccess, figures: ReturnFigures) -> dict[str, Any]:
    meeting = access.meeting
    turnout = figures.turnout
    return {
        **organiser_context(access, "return"),
        "figures": figures,
        "levels": level_views(figures),
        "chart": chain_chart(figures.chain, meeting.currency, float(turnout.registered)),
        "costs": summarise_costs(
            figures.costs, registered=turnout.registered, attended=turnout.attendees
        ),
        "session_rows": session_rows(figures),
        "learning_rows": learning_rows(figures),
        "round_rows": round_rows(figures),
        "impact_forms": impact_forms(figures),
        "objective_rows": objective_rows(figures),
        "ratio": headline_interval(figures),
        "benefits": money_text(figures.roi.benefits.value or 0, figures),
        "cost_total": money_text(figures.roi.costs, figures),
        "net_benefits": money_text(figures.roi.net_benefits, figures),
        "quotes": quotes(figures),
        "session_comments": session_comments(figures),
        "draft": answer_draft(figures),
        "can_answer": access.activity.phase in {Phase.CLOSED, Phase.ANSWERED},
        "today": timezone.now(),
    }


@login_required
@require_GET
def return_report(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """Show levels 0 to 5, each with its figure, target and evidence, and the forms."""
    access = return_access(request, space_slug, activity_slug)
    figures = return_figures(access.meeting)
    return render(request, "meetings/return.html", report_context(access, figures))


@login_required
@require_GET
def list_session_comments(
    request: HttpRequest, space_slug: str, activity_slug: str, session_id: int
) -> HttpResponse:
    """List what attendees wrote with their rating of a session, the newest first, each
    with its score and without a name."""
    access = return_access(request, space_slug, activity_slug)
    session = get_object_or_404(Session, meeting=access.meeting, pk=session_id)
    comments = (
        comments_of(access.meeting)
        .filter(session=session)
        .order_by("-created_at", "-pk")
        .values_list("comment", "score")
    )
    page = Paginator(comments, COMMENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/session_comments.html",
        {**organiser_context(access, "return"), "session": session, "page": page},
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_impact(
    request: HttpRequest, space_slug: str, activity_slug: str, objective_id: int
) -> HttpResponse:
    """Enter an impact objective's business figures: before, after, and a unit's worth."""
    access = return_access(request, space_slug, activity_slug)
    objective = get_object_or_404(
        Objective, meeting=access.meeting, pk=objective_id, level=Level.IMPACT
    )
    form = ImpactForm(request.POST or None, objective=objective, currency=access.meeting.currency)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            do_record_impact(
                signed_in_user(request),
                objective,
                before=data["before"],
                after=data["after"],
                per_unit=data["per_unit"],
            )
        except ActionRefused as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            messages.success(request, _("The business figures are saved."))
            return redirect(return_url(access, f"impact-{objective.pk}"))
    return render(
        request,
        "meetings/impact_form.html",
        {**organiser_context(access, "return"), "form": form, "objective": objective},
    )


@login_required
@require_GET
def export_return_csv(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    access = return_access(request, space_slug, activity_slug)
    return csv_download(
        exports.csv_rows(return_figures(access.meeting)),
        exports.CSV_FIELDS,
        dated_filename(access.activity.slug, "return", "csv"),
    )


@login_required
@require_GET
def export_return_json(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    access = return_access(request, space_slug, activity_slug)
    return json_download(
        exports.return_json(return_figures(access.meeting)),
        dated_filename(access.activity.slug, "return", "json"),
    )
