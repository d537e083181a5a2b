"""Data for the insights tests: comments under sample activities, on the days asked for.

Insights knows no kind, so its own tests count the shared comments source; the kinds'
sources are tested in tests/across/test_insights_kinds.py.
"""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings

from sammen.accounts.models import User
from sammen.activities.models import Activity
from sammen.comments.actions import do_add_comment, do_start_thread
from sammen.comments.models import Comment, Thread
from sammen.testing import make_user, participant_of


def people(count: int, prefix: str = "Person") -> list[User]:
    return [make_user(f"{prefix}{number}") for number in range(count)]


def thread_of(activity: Activity) -> Thread:
    return Thread.objects.filter(activity=activity).first() or do_start_thread(activity, None)


def comment_on(activity: Activity, user: User, day: str, body: str = "Lovely.") -> Comment:
    """Have `user` comment under `activity` at noon on `day` (ISO), site time."""
    comment = do_add_comment(participant_of(user), thread_of(activity), body)
    at = datetime.combine(
        datetime.fromisoformat(day).date(), time(12), tzinfo=ZoneInfo(settings.TIME_ZONE)
    )
    Comment.objects.filter(pk=comment.pk).update(created_at=at)
    return comment
