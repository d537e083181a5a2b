"""The open call's daily jobs, registered with the daily run in kind.connect()."""

import logging
from datetime import datetime, timedelta

from django.db.models import F
from django.utils import timezone

from sammen.activities.models import Phase
from sammen.core.schedule import register_daily_job

from .actions import do_remind_of_review, do_sweep_momentum
from .models import REVIEW_REMINDER_DAYS, Call

logger = logging.getLogger(__name__)


def sweep_momentum_of_open_calls() -> None:
    """Archive, in every open call, the ideas that missed a momentum window."""
    for call in Call.objects.filter(activity__phase=Phase.OPEN).order_by("pk"):
        try:
            do_sweep_momentum(call)
        except Exception:
            # One call's trouble must not keep the other calls' ideas from their answer.
            logger.exception("Sweeping the momentum of call %s failed", call.pk)


def remind_of_review_dates(now: datetime | None = None) -> None:
    """Remind the organisers of calls whose review ends soon or has passed, once per date."""
    now = now or timezone.now()
    # Calls reminded of their passed date already have nothing left to send.
    due = (
        Call.objects.filter(
            activity__phase__in=[Phase.OPEN, Phase.CLOSED],
            review_ends_at__lte=now + timedelta(days=REVIEW_REMINDER_DAYS),
        )
        .exclude(review_overdue_reminded_for=F("review_ends_at"))
        .select_related("activity__space")
    )
    for call in due.order_by("pk"):
        try:
            do_remind_of_review(call, now)
        except Exception:
            # One call's trouble must not keep the other calls' organisers uninformed.
            logger.exception("Reminding the organisers of call %s of its review failed", call.pk)


def register_daily_jobs() -> None:
    # Sweeping first keeps archived ideas out of the reminders' counts.
    register_daily_job("calls: sweep momentum", sweep_momentum_of_open_calls)
    register_daily_job("calls: remind of review dates", remind_of_review_dates)
