"""Review: the jury's scores, the ideas waiting for an answer and the promised review date."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db.models import Avg, Count, QuerySet

from ..caching import IDEAS, versions
from ..models import AWAITING_ANSWER, Call, Criterion, Idea, IdeaStatus, Score
from .ideas import COUNT_CACHE_SECONDS


def jury_summary(call: Call) -> dict[int, dict[str, Any]]:
    """Return, per idea, the weighted mean jury score (1-5) and how many evaluators scored."""
    criteria = {criterion.pk: criterion.weight for criterion in Criterion.objects.filter(call=call)}
    totals: dict[int, dict[str, Any]] = {}
    rows = (
        Score.objects.filter(idea__call=call)
        .values("idea_id", "criterion_id")
        .annotate(mean=Avg("value"), evaluators=Count("evaluator", distinct=True))
    )
    for row in rows:
        entry = totals.setdefault(row["idea_id"], {"weighted": 0.0, "weight": 0, "evaluators": 0})
        weight = criteria.get(row["criterion_id"], 0)
        entry["weighted"] += float(row["mean"]) * weight
        entry["weight"] += weight
        entry["evaluators"] = max(entry["evaluators"], row["evaluators"])
    return {
        idea_id: {
            "score": round(entry["weighted"] / entry["weight"], 2) if entry["weight"] else None,
            "evaluators": entry["evaluators"],
        }
        for idea_id, entry in totals.items()
    }


def ideas_to_answer(call: Call) -> QuerySet[Idea]:
    """The organiser's answering list: ideas with support and jury side by side."""
    return (
        Idea.objects.filter(call=call)
        .exclude(status__in=[IdeaStatus.WITHDRAWN])
        .select_related("author__user")
        .order_by("answered_at", "-support_count", "-id")
    )


def ideas_awaiting_answer(call: Call) -> QuerySet[Idea]:
    """Return the ideas that still wait for the answer the call promised.

    Only ideas everyone may see count: hidden ones are out of the call's public view,
    withdrawn and archived ones get no answer, and *under review* is not an answer.
    """
    return Idea.objects.filter(call=call, hidden_at__isnull=True, status__in=AWAITING_ANSWER)


def count_ideas_awaiting_answer(call: Call) -> int:
    """Count the ideas still waiting for an answer, from the cache while no idea changed.

    Every page of an overdue call shows the count; answering, hiding, withdrawing or
    archiving an idea changes the ideas version, so the count is never stale.
    """
    version = versions(call.pk)[IDEAS]
    key = f"calls:awaiting-answer:{call.pk}:{version}"
    count = cache.get(key)
    if count is None:
        count = ideas_awaiting_answer(call).count()
        cache.set(key, count, COUNT_CACHE_SECONDS)
    return int(count)


@dataclass(frozen=True)
class ReviewPromise:
    """The organisers' promise to answer the ideas by the end of the review."""

    promised_by: datetime
    overdue: bool
    # Ideas still waiting for an answer, counted once the promise is overdue (else 0).
    waiting: int


def review_promise(call: Call, now: datetime, *, count: bool = True) -> ReviewPromise | None:
    """Return the promise of answers while the call is in review and has a review date.

    With `count`, an overdue promise counts the ideas still waiting for their answer.
    """
    if call.review_ends_at is None or not call.in_review_at(now):
        return None
    overdue = now >= call.review_ends_at
    waiting = count_ideas_awaiting_answer(call) if overdue and count else 0
    return ReviewPromise(promised_by=call.review_ends_at, overdue=overdue, waiting=waiting)
