"""After the session: results with charts and tables, participation figures, exports."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sammen.core.exports import csv_download, dated_filename, json_download

from ..models import PollKind, Question, QuestionStatus
from ..permissions import LiveAccess, access_live_activity, can_see_results
from ..queries import PollResult, session_report


def results_access(request: HttpRequest, space_slug: str, activity_slug: str) -> LiveAccess:
    """The crew see results at any time; everyone who may see the activity once it closed."""
    access = access_live_activity(request, space_slug, activity_slug)
    if not can_see_results(access):
        raise PermissionDenied
    return access


def shown_question_rows(access: LiveAccess) -> list[Question]:
    return list(
        Question.objects.filter(session=access.session, status=QuestionStatus.VISIBLE)
        .select_related("author")
        .order_by("-upvote_count", "created_at")
    )


@require_GET
def results(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    access = results_access(request, space_slug, activity_slug)
    activity = access.session.activity
    return render(
        request,
        "live/results.html",
        {
            "access": access.activity_access.space_access,
            "live": access,
            "session": access.session,
            "activity": activity,
            "space": activity.space,
            "report": session_report(access.session),
            "questions": shown_question_rows(access),
        },
    )


def poll_rows(result: PollResult) -> list[dict[str, object]]:
    poll = result.poll
    if poll.kind == PollKind.TEXT:
        return [
            {"poll": poll.title, "kind": poll.kind, "answer": word, "count": count}
            for word, count in result.words
        ]
    return [
        {
            "poll": poll.title,
            "kind": poll.kind,
            "answer": row.label,
            "count": row.count,
            "percent": row.percent,
            **({"correct": row.is_correct} if poll.is_quiz else {}),
        }
        for row in result.rows
    ]


@require_GET
def export_csv(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """One row per answer option (per word for open text), for every poll."""
    access = results_access(request, space_slug, activity_slug)
    report = session_report(access.session)
    rows = [row for result in report.polls for row in poll_rows(result)]
    fields = ["poll", "kind", "answer", "count", "percent", "correct"]
    filename = dated_filename(access.session.activity.slug, "polls", "csv")
    return csv_download(rows, fields, filename)


@require_GET
def export_json(request: HttpRequest, space_slug: str, activity_slug: str) -> HttpResponse:
    """Everything the results page shows. Askers appear by their chosen name only, never by
    email, and not at all when they asked anonymously."""
    access = results_access(request, space_slug, activity_slug)
    report = session_report(access.session)
    activity = access.session.activity
    payload = {
        "session": activity.title,
        "space": activity.space.name,
        "figures": {
            "people_who_joined": report.attendees,
            "peak_audience": report.peak_audience,
            "questions": report.questions,
            "questions_answered": report.questions_answered,
            "upvotes": report.upvotes,
            "poll_answers": report.answers,
            "reactions": {label: count for _kind, label, count in report.reactions},
        },
        "polls": [
            {
                "question": result.poll.title,
                "kind": result.poll.kind,
                "quiz": result.poll.is_quiz,
                "respondents": result.respondents,
                "mean": result.mean,
                "results": poll_rows(result),
            }
            for result in report.polls
        ],
        "questions": [
            {
                "text": question.text,
                "asked_by": question.asked_by,
                "upvotes": question.upvote_count,
                "answered": question.is_answered,
                "reply": question.reply,
                "asked_at": question.created_at.isoformat(),
            }
            for question in shown_question_rows(access)
        ],
    }
    return json_download(payload, dated_filename(activity.slug, "results", "json"))
