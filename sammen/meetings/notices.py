"""Closing the loop: when a meeting's answer is published, the people who took part hear.

`meeting_answered` is the meeting kind's hook (activities' ActivityKind.answered), run
once the first answer is committed. Attendees with an account get a notification (and
its email, as they chose); attendees without one get an email when they confirmed their
address, with only Sammen's own words and the link (as the confirmation email: nobody
has vouched for the words a planner typed in the meeting's title).
"""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from sammen.accounts.models import User
from sammen.activities.models import Activity
from sammen.core.tasks import send_email
from sammen.notifications.actions import do_notify

from .models import Meeting
from .returns import attendees_of
from .tasks import absolute

MEETING_ANSWERED = "meeting_answered"


def meeting_answered(activity: Activity) -> None:
    """Tell everyone who took part in the meeting that its answer is out."""
    meeting = Meeting.objects.filter(activity=activity).select_related("activity__space").first()
    if meeting is None:
        return
    attendees = attendees_of(meeting)
    do_notify(
        User.objects.filter(participant__meeting_registrations__in=attendees, is_active=True),
        MEETING_ANSWERED,
        {"meeting": activity.title},
        activity.get_absolute_url(),
    )
    addresses = (
        attendees.filter(participant__user__isnull=True, confirmed_at__isnull=False)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    link = absolute(activity.get_absolute_url())
    with translation.override(activity.space.default_language):
        subject = _("A meeting you took part in has published its answer")
        body = render_to_string(
            "meetings/email/answered.txt", {"link": link, "SAMMEN_NAME": settings.SAMMEN_NAME}
        )
    for address in addresses:
        send_email.enqueue(subject, body, settings.DEFAULT_FROM_EMAIL, [address])


def describe_meeting_answered(params: Mapping[str, Any]) -> str:
    return _("“%(meeting)s” has its answer: what was learned and what changes next time.") % {
        "meeting": params["meeting"]
    }


def connect() -> None:
    from sammen.notifications.kinds import register_notification

    register_notification(MEETING_ANSWERED, describe_meeting_answered)
