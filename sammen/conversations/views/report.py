"""The conversation's report (the opinion map and what it says), and its exports."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from sammen.activities.queries import measure_outcomes
from sammen.core.exports import dated_filename, file_download, json_download
from sammen.core.http import HtmxHttpRequest

from .. import exports
from ..analysis import UNITING_MIN_VOTES
from ..charts import participation_chart
from ..permissions import ConversationAccess, access_conversation, can_see_report
from ..queries import conversation_report


def report_access(request: HttpRequest, space_slug: str, activity_slug: str) -> ConversationAccess:
    """Organisers see the report at any time; everyone once it is made public."""
    access = access_conversation(request, space_slug, activity_slug)
    if not can_see_report(access):
        raise PermissionDenied
    return access


@require_GET
@vary_on_headers("HX-Request")
def report(request: HtmxHttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """Show the report; `?statements=on` marks the statements on the opinion map."""
    access = report_access(request, space_slug, activity_slug)
    result = conversation_report(access, with_statements=request.GET.get("statements") == "on")
    timeline_chart = participation_chart(result.timeline)
    template = "conversations/report.html"
    if request.htmx:
        template += "#opinion-map"
    return render(
        request,
        template,
        {
            "access": access.space_access,
            "conversation_access": access,
            "conversation": access.conversation,
            "activity": access.activity,
            "space": access.space,
            "report": result,
            "view": result.view,
            "timeline_chart": timeline_chart,
            "outcomes": measure_outcomes(access.activity),
            "uniting_min_votes": UNITING_MIN_VOTES,
        },
    )


@require_GET
def export_csv(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    access = report_access(request, space_slug, activity_slug)
    rows = exports.statement_rows(access, conversation_report(access))
    return file_download(
        exports.statements_csv(rows),
        "text/csv; charset=utf-8",
        dated_filename(access.activity.slug, "statements", "csv"),
    )


@require_GET
def export_json(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    access = report_access(request, space_slug, activity_slug)
    result = conversation_report(access)
    payload = exports.report_json(access, result, exports.statement_rows(access, result))
    return json_download(payload, dated_filename(access.activity.slug, "report", "json"))


@require_GET
def export_polis(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    access = report_access(request, space_slug, activity_slug)
    return file_download(
        exports.polis_zip(access),
        "application/zip",
        dated_filename(access.activity.slug, "polis", "zip"),
    )
