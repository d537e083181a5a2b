"""The closing report of a call, and its exports."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sammen.activities.models import Phase
from sammen.activities.queries import measure_outcomes
from sammen.core.exports import csv_download, dated_filename, json_download

from ..charts import participation_chart
from ..models import Idea, IdeaStatus
from ..permissions import CallAccess, access_call
from ..queries import call_report, jury_summary


def report_access(request: HttpRequest, space_slug: str, activity_slug: str) -> CallAccess:
    """Organisers see the report at any time; everyone once the call is answered."""
    access = access_call(request, space_slug, activity_slug)
    if not access.can_manage and access.call.activity.phase != Phase.ANSWERED:
        raise PermissionDenied
    return access


@require_GET
def closing_report(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    access = report_access(request, space_slug, activity_slug)
    report = call_report(access.call)
    activity = access.call.activity
    return render(
        request,
        "calls/report.html",
        {
            "access": access.space_access,
            "call": access.call,
            "activity": activity,
            "space": activity.space,
            "report": report,
            "chart": participation_chart(report.timeline),
            "outcomes": measure_outcomes(activity),
        },
    )


def export_rows(access: CallAccess) -> list[dict[str, object]]:
    """Return one row per idea. Authors appear by public name only, never by email."""
    jury = jury_summary(access.call) if access.can_manage else {}
    ideas = (
        Idea.objects.filter(call=access.call, hidden_at__isnull=True)
        .exclude(status=IdeaStatus.WITHDRAWN)
        .select_related("author__user", "builds_on")
        .order_by("created_at", "id")
    )
    return [
        {
            "id": idea.pk,
            "title": idea.title,
            "text": idea.body,
            "author": "" if idea.author_is_hidden() else idea.author.public_name,
            "status": idea.status,
            "supports": idea.support_count,
            "comments": idea.comment_count,
            "builds_on": idea.builds_on_id or "",
            "created_at": idea.created_at.isoformat(),
            "answered_at": idea.answered_at.isoformat() if idea.answered_at else "",
            "answer": idea.answer,
            **({"jury_score": (jury.get(idea.pk) or {}).get("score") or ""} if jury else {}),
        }
        for idea in ideas
    ]


@require_GET
def export_csv(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    access = report_access(request, space_slug, activity_slug)
    rows = export_rows(access)
    fields = list(rows[0]) if rows else ["id", "title", "text", "author", "status", "supports"]
    filename = dated_filename(access.call.activity.slug, "ideas", "csv")
    return csv_download(rows, fields, filename)


@require_GET
def export_json(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    access = report_access(request, space_slug, activity_slug)
    report = call_report(access.call)
    activity = access.call.activity
    payload = {
        "call": activity.title,
        "space": activity.space.name,
        "phase": activity.phase,
        "answer": activity.answer,
        "figures": {
            "participants": report.participants,
            "ideas": report.ideas,
            "supports": report.supports,
            "comments": report.comments,
            "answered": report.answered,
            "answered_share": round(report.answered_share, 4),
            "median_days_to_answer": report.median_days_to_answer,
        },
        "success_measures": [
            {
                "measure": outcome.measure.measure,
                "target": outcome.measure.target,
                "unit": outcome.measure.unit,
                "result": outcome.actual,
                "counted_as": outcome.measure.metric,
                "reached": outcome.reached,
            }
            for outcome in measure_outcomes(activity)
        ],
        "timeline": report.timeline,
        "ideas": export_rows(access),
    }
    return json_download(payload, dated_filename(activity.slug, "report", "json"))
