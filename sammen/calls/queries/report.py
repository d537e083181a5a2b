"""The closing report of a call, its participation over time and its metrics."""

from dataclasses import dataclass
from datetime import date, timedelta
from statistics import median
from typing import Any

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from sammen.activities.models import Activity
from sammen.comments.models import Comment

from ..models import Call, Idea, IdeaStatus, Support


@dataclass
class CallReport:
    participants: int
    ideas: int
    supports: int
    comments: int
    answered: int
    answered_share: float
    median_days_to_answer: float | None
    selected: list[Idea]
    by_status: dict[str, int]
    timeline: list[dict[str, Any]]


def call_report(call: Call) -> CallReport:
    """Return the figures of the call's closing report."""
    # What moderators hid or authors withdrew is not part of what the call gathered.
    ideas = Idea.objects.filter(call=call, hidden_at__isnull=True).exclude(
        status=IdeaStatus.WITHDRAWN
    )
    idea_ids = ideas.values("id")
    supports = Support.objects.filter(idea__in=idea_ids)
    comments = Comment.objects.filter(
        thread__idea__in=idea_ids, deleted_at__isnull=True, hidden_at__isnull=True
    )
    participants = (
        set(ideas.values_list("author_id", flat=True))
        | set(supports.values_list("participant_id", flat=True))
        | set(comments.values_list("author_id", flat=True))
    )
    idea_count = ideas.count()
    answered = ideas.filter(answered_at__isnull=False)
    waits = [
        (answered_at - created_at).total_seconds() / 86400
        for created_at, answered_at in answered.values_list("created_at", "answered_at")
        if answered_at is not None
    ]
    by_status = dict(
        ideas.values("status").annotate(count=Count("id")).values_list("status", "count")
    )
    return CallReport(
        participants=len(participants),
        ideas=idea_count,
        supports=supports.count(),
        comments=comments.count(),
        answered=len(waits),
        answered_share=len(waits) / idea_count if idea_count else 0.0,
        median_days_to_answer=round(median(waits), 1) if waits else None,
        selected=list(
            ideas.filter(status__in=[IdeaStatus.SELECTED, IdeaStatus.IN_PROGRESS, IdeaStatus.DONE])
            .select_related("author__user")
            .order_by("-support_count")
        ),
        by_status=by_status,
        timeline=participation_timeline(call),
    )


def participation_timeline(call: Call) -> list[dict[str, Any]]:
    """Return ideas, supports and comments per day, from the first day to the last."""
    series: dict[date, dict[str, int]] = {}
    sources = [
        ("ideas", Idea.objects.filter(call=call).annotate(day=TruncDate("created_at"))),
        ("supports", Support.objects.filter(idea__call=call).annotate(day=TruncDate("created_at"))),
        (
            "comments",
            Comment.objects.filter(thread__idea__call=call).annotate(day=TruncDate("created_at")),
        ),
    ]
    for key, rows in sources:
        for row in rows.values("day").annotate(count=Count("id")):
            series.setdefault(row["day"], {"ideas": 0, "supports": 0, "comments": 0})[key] = row[
                "count"
            ]
    if not series:
        return []
    first, last = min(series), max(series)
    days = []
    day = first
    while day <= last:
        days.append({"day": day, **series.get(day, {"ideas": 0, "supports": 0, "comments": 0})})
        day += timedelta(days=1)
    return days


def call_metrics(activity: Activity) -> dict[str, tuple[str, float]]:
    """Return the figures a success measure of a call can be counted by."""
    call = Call.objects.filter(activity=activity).first()
    if call is None:
        return {}
    report = call_report(call)
    return {
        "participants": (str(_("Participants")), report.participants),
        "ideas": (str(_("Ideas")), report.ideas),
        "supports": (str(_("Supports")), report.supports),
        "comments": (str(_("Comments")), report.comments),
        "answered_share": (
            str(_("Share of ideas answered (%)")),
            round(100 * report.answered_share, 1),
        ),
        "selected": (str(_("Ideas selected")), len(report.selected)),
    }
