"""Emails to registrants, written in their language and sent by the task worker.

They go out through core's `send_email` task: enqueued in the transaction that decided
them (the task table is in the same database), so a rolled-back decision sends nothing.
"""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from sammen.core.tasks import send_email

from .attendees import ticket_token
from .models import Registration


def absolute(path: str) -> str:
    return f"{settings.SAMMEN_BASE_URL}{path}"


def ticket_url(registration: Registration) -> str:
    """Return the address of a registration's own page (state, QR code, cancel)."""
    activity = registration.meeting.activity
    return reverse(
        "meetings:ticket", args=[activity.space.slug, activity.slug, ticket_token(registration)]
    )


def reader_language(registration: Registration) -> str:
    """Write to a person with an account in their language, to others in the space's."""
    user = registration.participant.user
    if user is not None:
        return user.email_language
    return registration.meeting.activity.space.default_language


SUBJECTS = {
    "place_free": gettext_lazy("A place is free for you: %(title)s"),
    "reminder": gettext_lazy("See you soon: %(title)s"),
}


def send_to_registrant(
    registration: Registration,
    subject: StrOrPromise,
    template: str,
    context: Mapping[str, Any],
    subject_params: Mapping[str, object] | None = None,
) -> None:
    """Enqueue one email to a registrant, its subject (filled in with `subject_params`)
    and body in their language."""
    with translation.override(reader_language(registration)):
        subject_text = str(subject) % subject_params if subject_params else str(subject)
        body = render_to_string(template, context)
    send_email.enqueue(
        " ".join(subject_text.split()), body, settings.DEFAULT_FROM_EMAIL, [registration.email]
    )


def email_registrant(registration: Registration, kind: str) -> None:
    """Enqueue the email `kind` ("place_free", "reminder") to one registrant."""
    if not registration.email:
        return
    meeting = registration.meeting
    send_to_registrant(
        registration,
        SUBJECTS[kind],
        f"meetings/email/{kind}.txt",
        {
            "registration": registration,
            "meeting": meeting,
            "activity": meeting.activity,
            "space": meeting.activity.space,
            "ticket_url": absolute(ticket_url(registration)),
            "meeting_url": absolute(meeting.activity.get_absolute_url()),
        },
        {"title": meeting.activity.title},
    )


def email_place_free(registrations: list[Registration]) -> None:
    """Tell those the waiting list gave a place that they have it."""
    for registration in registrations:
        email_registrant(registration, "place_free")
