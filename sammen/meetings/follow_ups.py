"""The daily job of the follow-ups: each round goes out on its day after the meeting (30
and 90 by default, `Meeting.follow_up_days`), and its reminder a week later.

A round is sent from its day for SEND_WINDOW days (the job may miss a morning); a round
whose window has passed, because the planner added it late or the job did not run, is
not sent at all, and of two rounds due at once only the later goes: nobody gets two
follow-ups in one morning.
"""

import logging
from datetime import datetime, timedelta

from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from sammen.activities.models import Phase
from sammen.core.schedule import register_daily_job

from .actions.follow_ups import do_remind_follow_ups, do_send_follow_ups, do_start_follow_ups
from .actions.setup import MAX_FOLLOW_UP_DAYS
from .models import FollowUp, Meeting

logger = logging.getLogger(__name__)

SEND_WINDOW = timedelta(days=14)
JOB_NAME = "meetings: follow up attendees"


def meeting_end(meeting: Meeting) -> datetime | None:
    return meeting.ends_at or meeting.starts_at


def due_round(meeting: Meeting, now: datetime) -> int | None:
    """Return the round (its days) to send this morning, or None."""
    end = meeting_end(meeting)
    if end is None:
        return None
    due = [
        days
        for days in meeting.follow_up_days
        if isinstance(days, int)
        and end + timedelta(days=days) <= now < end + timedelta(days=days) + SEND_WINDOW
    ]
    return max(due) if due else None


def follow_up_attendees(now: datetime | None = None) -> None:
    """Send the follow-up rounds due today and the reminders, meeting by meeting."""
    now = now or timezone.now()
    ended = (
        Meeting.objects.exclude(activity__phase=Phase.DRAFT)
        .annotate(ended_at=Coalesce(F("ends_at"), F("starts_at")))
        .filter(
            ended_at__lte=now,
            ended_at__gt=now - timedelta(days=MAX_FOLLOW_UP_DAYS) - SEND_WINDOW,
        )
    )
    with_reminders = FollowUp.objects.filter(
        sent_at__isnull=False, answered_at__isnull=True, reminded_at__isnull=True
    ).values("registration__meeting")
    meetings = (
        Meeting.objects.filter(Q(pk__in=ended.values("pk")) | Q(pk__in=with_reminders))
        .select_related("activity__space")
        .order_by("pk")
    )
    for meeting in meetings:
        try:
            days = due_round(meeting, now)
            if days is not None:
                do_start_follow_ups(meeting, days)
                do_send_follow_ups(meeting, days, now)
            do_remind_follow_ups(meeting, now)
        except Exception:
            # One meeting's trouble must not keep the other meetings' attendees unasked.
            logger.exception("Following up the attendees of meeting %s failed", meeting.pk)


def register_follow_up_job() -> None:
    register_daily_job(JOB_NAME, follow_up_attendees)
