"""Answering ideas, the jury's scores and reminders of the promised review date."""

from datetime import datetime, timedelta
from functools import partial

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sammen.accounts.models import User
from sammen.activities.models import Phase
from sammen.audit.actions import do_log_audit_entry
from sammen.core.errors import ActionRefused
from sammen.notifications.actions import do_notify
from sammen.recognition.actions import do_recognise
from sammen.spaces.queries import organisers_of
from sammen.webhooks.actions import emit

from .. import deeds, webhooks
from ..audit_actions import AuditAction
from ..caching import ideas_changed
from ..models import (
    ANSWER_STATUSES,
    REVIEW_REMINDER_DAYS,
    Call,
    Evaluator,
    Idea,
    IdeaStatus,
    Score,
)
from ..queries import ideas_awaiting_answer
from .ideas import idea_people


def do_answer_idea(actor: User, idea: Idea, *, status: str, text: str) -> None:
    """Answer an idea in public with a status and the reason; tell everyone involved."""
    if status not in ANSWER_STATUSES:
        raise ActionRefused(_("Choose one of the answers offered."), field="status")
    if not text.strip():
        raise ActionRefused(_("Explain your answer in a few words."), field="text")
    if idea.status in {IdeaStatus.WITHDRAWN, IdeaStatus.ARCHIVED}:
        raise ActionRefused(_("Withdrawn and archived ideas are not answered."))
    space = idea.call.activity.space
    with transaction.atomic():
        idea.status, idea.answer = status, text
        idea.answered_at, idea.answered_by = timezone.now(), actor
        idea.save(update_fields=["status", "answer", "answered_at", "answered_by", "updated_at"])
        ideas_changed(idea.call_id)
        earned = {
            IdeaStatus.SELECTED: [deeds.IDEA_SELECTED],
            IdeaStatus.IN_PROGRESS: [deeds.IDEA_SELECTED],
            IdeaStatus.DONE: [deeds.IDEA_SELECTED, deeds.IDEA_DONE],
        }.get(IdeaStatus(status), [])
        for participant in [
            idea.author,
            *[
                co_author.participant
                for co_author in idea.co_authors.filter(accepted_at__isnull=False)
            ],
        ]:
            for deed in earned:
                do_recognise(participant, space, deed, f"idea:{idea.pk}")
        do_log_audit_entry(actor, space, AuditAction.IDEA_ANSWERED, idea, status=status)
        emit(space, webhooks.IDEA_ANSWERED, partial(webhooks.idea_data, idea.pk))
        audience = [
            *idea_people(idea),
            *User.objects.filter(participant__supports__idea=idea),
            *User.objects.filter(
                Q(follows__thread=idea.thread) | Q(follows__activity=idea.call.activity)
            ),
        ]
        transaction.on_commit(
            lambda: do_notify(
                audience,
                "idea_answered",
                {"idea": idea.title, "status": status},
                idea.get_absolute_url(),
                skip=actor,
            )
        )


def do_score_idea(evaluator: Evaluator, idea: Idea, scores: dict[int, int]) -> None:
    """Store an evaluator's private 1-5 scores for an idea under review."""
    if idea.status != IdeaStatus.UNDER_REVIEW:
        raise ActionRefused(_("Only ideas under review are scored."))
    criteria = {criterion.pk for criterion in idea.call.jury_criteria.all()}
    if set(scores) - criteria:
        raise ActionRefused(_("Score the criteria of this call."))
    if any(not 1 <= value <= 5 for value in scores.values()):
        raise ActionRefused(_("Scores go from 1 to 5."))
    with transaction.atomic():
        for criterion_id, value in scores.items():
            Score.objects.update_or_create(
                idea=idea,
                evaluator=evaluator,
                criterion_id=criterion_id,
                defaults={"value": value},
            )


REVIEW_DUE_SOON = "review_due_soon"
REVIEW_OVERDUE = "review_overdue"


def do_remind_of_review(call: Call, now: datetime | None = None) -> str | None:
    """Remind the organisers of the answers they promised; return the reminder sent, if any.

    A few days before the review ends, and once it has passed, while ideas still wait
    for an answer, the space's owners and moderators hear how many. Each reminder goes
    once per review date, however often this runs: a changed date re-arms both.
    """
    now = now or timezone.now()
    promised_by = call.review_ends_at
    activity = call.activity
    # Closed calls still owe answers; drafts owe none, answered activities gave theirs.
    if promised_by is None or activity.phase not in {Phase.OPEN, Phase.CLOSED}:
        return None
    if now >= promised_by:
        kind, sent_for = REVIEW_OVERDUE, "review_overdue_reminded_for"
    elif now >= promised_by - timedelta(days=REVIEW_REMINDER_DAYS):
        kind, sent_for = REVIEW_DUE_SOON, "review_soon_reminded_for"
    else:
        return None
    waiting = ideas_awaiting_answer(call).count()
    if not waiting:
        return None
    with transaction.atomic():
        # The UPDATE claims the reminder: of two runs at once, only one changes the row.
        # It also checks that the date is still the one we read.
        claimed = (
            Call.objects.filter(pk=call.pk, review_ends_at=promised_by)
            .exclude(**{sent_for: promised_by})
            .update(**{sent_for: promised_by})
        )
        if not claimed:
            return None
        setattr(call, sent_for, promised_by)
        organisers = list(organisers_of(activity.space_id))
        url = reverse("calls:answers", args=[activity.space.slug, activity.slug])
        params = {"call": activity.title, "date": promised_by.isoformat(), "count": waiting}
        transaction.on_commit(partial(do_notify, organisers, kind, params, url))
    return kind
