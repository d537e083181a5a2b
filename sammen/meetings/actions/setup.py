"""A meeting's own settings: when, where, places, who may register, the follow-ups."""

from datetime import datetime
from functools import partial

from django.db import transaction
from django.utils.translation import gettext as _

from sammen.accounts.models import User
from sammen.activities.models import Activity
from sammen.audit.actions import do_log_audit_entry
from sammen.core.errors import ActionRefused

from ..attendees import places_taken
from ..audit_actions import AuditAction
from ..models import MAX_CAPACITY, Audience, Meeting
from ..tasks import email_place_free
from .registration import promote_waiting

DEFAULT_FOLLOW_UP_DAYS = [30, 90]
MAX_FOLLOW_UPS = 4
MAX_FOLLOW_UP_DAYS = 730
SETTINGS_FIELDS = [
    "description",
    "starts_at",
    "ends_at",
    "venue",
    "online_url",
    "capacity",
    "audience",
    "registration_open",
    "follow_up_days",
]


def do_setup_meeting(activity: Activity) -> Meeting:
    """Give an activity of the meeting kind its meeting, once."""
    meeting, _created = Meeting.objects.get_or_create(
        activity=activity, defaults={"follow_up_days": DEFAULT_FOLLOW_UP_DAYS}
    )
    return meeting


def clean_follow_up_days(days: list[int]) -> list[int]:
    cleaned = sorted(set(days))
    if len(cleaned) > MAX_FOLLOW_UPS:
        raise ActionRefused(
            _("Follow up at most %(count)s times.") % {"count": MAX_FOLLOW_UPS},
            field="follow_up_days",
        )
    if any(not 1 <= day <= MAX_FOLLOW_UP_DAYS for day in cleaned):
        raise ActionRefused(
            _("Follow up between 1 and %(days)s days after the meeting.")
            % {"days": MAX_FOLLOW_UP_DAYS},
            field="follow_up_days",
        )
    return cleaned


def do_update_meeting(
    actor: User,
    meeting: Meeting,
    *,
    description: str,
    starts_at: datetime | None,
    ends_at: datetime | None,
    venue: str,
    online_url: str,
    capacity: int | None,
    audience: str,
    registration_open: bool,
    follow_up_days: list[int],
) -> None:
    """Change a meeting's settings; places never drop below those already taken, and
    new places go to the waiting list first (who are emailed so)."""
    if audience not in Audience.values:
        raise ActionRefused(_("Choose who may register."), field="audience")
    if starts_at and ends_at and ends_at <= starts_at:
        raise ActionRefused(_("The meeting must end after it starts."), field="ends_at")
    if capacity is not None and not 1 <= capacity <= MAX_CAPACITY:
        raise ActionRefused(
            _("Give the places as a whole number from 1 to %(max)s.") % {"max": MAX_CAPACITY},
            field="capacity",
        )
    days = clean_follow_up_days(follow_up_days)
    with transaction.atomic():
        current = Meeting.objects.select_for_update().get(pk=meeting.pk)
        taken = places_taken(current)
        if capacity is not None and capacity < taken:
            raise ActionRefused(
                _("%(count)s people have registered already: keep at least that many places.")
                % {"count": taken},
                field="capacity",
            )
        current.description = description.strip()
        current.starts_at, current.ends_at = starts_at, ends_at
        current.venue, current.online_url = venue.strip(), online_url.strip()
        current.capacity, current.audience = capacity, audience
        current.registration_open = registration_open
        current.follow_up_days = days
        current.save(update_fields=SETTINGS_FIELDS)
        do_log_audit_entry(actor, current.activity.space, AuditAction.MEETING_UPDATED, current)
        promoted = promote_waiting(current)
        transaction.on_commit(partial(email_place_free, promoted))
    for field in SETTINGS_FIELDS:
        setattr(meeting, field, getattr(current, field))
