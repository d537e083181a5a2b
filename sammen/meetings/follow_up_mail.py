"""The follow-up's one-time link and its email, in the attendee's language.

The link is an `accounts.email_links` link: it carries the address it went to and the
follow-up's id, signed for this purpose alone, and `read_email_link()` reads it back. The
daily job has no request to hand `send_email_link()` (which counts a visitor's links per
network), so the link is signed here as that function signs one.

Like the confirmation email, it says only Sammen's words and a date: no meeting title,
space name or person's name that someone typed.
"""

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sammen.accounts.email_links import EMAIL_KEY, EmailLinkPurpose
from sammen.core.tasks import send_email

from .models import FollowUp
from .tasks import absolute, reader_language

FOLLOW_UP_LINK_DAYS = 60
FOLLOW_UP_LINK = EmailLinkPurpose(
    salt="sammen.meetings.follow-up",
    bucket="meeting-follow-up",
    url_name="meetings:follow_up",
    subject=gettext_lazy("How is it going since the meeting?"),
    template="meetings/email/follow_up.txt",
    payload_keys=("f",),
    max_age=FOLLOW_UP_LINK_DAYS * 24 * 3600,
)


def follow_up_token(follow_up: FollowUp) -> str:
    """Return the signed token of a follow-up's link, valid FOLLOW_UP_LINK_DAYS from now."""
    email = follow_up.registration.email.strip().lower()
    return signing.dumps({EMAIL_KEY: email, "f": follow_up.pk}, salt=FOLLOW_UP_LINK.salt)


def follow_up_path(follow_up: FollowUp) -> str:
    activity = follow_up.registration.meeting.activity
    return reverse(
        FOLLOW_UP_LINK.url_name,
        args=[activity.space.slug, activity.slug, follow_up_token(follow_up)],
    )


def email_follow_up(follow_up: FollowUp, *, reminder: bool = False) -> None:
    """Enqueue the follow-up's email (or its one reminder) to the attendee."""
    registration = follow_up.registration
    meeting = registration.meeting
    with translation.override(reader_language(registration)):
        subject = (
            _("A reminder: how is it going since the meeting?")
            if reminder
            else str(FOLLOW_UP_LINK.subject)
        )
        body = render_to_string(
            FOLLOW_UP_LINK.template,
            {
                "link": absolute(follow_up_path(follow_up)),
                "reminder": reminder,
                "link_days": FOLLOW_UP_LINK_DAYS,
                "meeting_day": meeting.starts_at,
                "SAMMEN_NAME": settings.SAMMEN_NAME,
            },
        )
    send_email.enqueue(subject, body, settings.DEFAULT_FROM_EMAIL, [registration.email])
