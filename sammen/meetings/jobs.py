"""The meetings' daily job: remind attendees of a meeting in the next two days."""

import logging
from datetime import datetime, timedelta

from django.utils import timezone

from sammen.activities.models import Phase
from sammen.core.schedule import register_daily_job

from .actions import do_remind_attendees
from .models import Meeting

logger = logging.getLogger(__name__)

# The jobs run each morning, so a meeting hears its reminder one to two days ahead;
# those who register later hear it the next morning, if the meeting has not begun.
REMINDER_AHEAD = timedelta(days=2)


def remind_attendees(now: datetime | None = None) -> None:
    """Email the attendees of open meetings that start within two days, once each."""
    now = now or timezone.now()
    meetings = Meeting.objects.filter(
        activity__phase=Phase.OPEN, starts_at__gt=now, starts_at__lte=now + REMINDER_AHEAD
    ).select_related("activity__space")
    for meeting in meetings.order_by("starts_at", "pk"):
        try:
            do_remind_attendees(meeting, now)
        except Exception:
            # One meeting's trouble must not keep the other meetings' attendees uninformed.
            logger.exception("Reminding the attendees of meeting %s failed", meeting.pk)


def register_daily_jobs() -> None:
    register_daily_job("meetings: remind attendees", remind_attendees)
