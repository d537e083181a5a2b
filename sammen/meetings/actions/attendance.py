"""Registrations proved by an emailed link, and the reminders before the meeting."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from sammen.accounts.actions import do_verify_participant_email

from ..models import Meeting, Registration, RegistrationState
from ..tasks import email_registrant
from .registration import lock_meeting, place_or_wait


def do_confirm_registration_by_email(
    registration: Registration, email: str
) -> tuple[Registration, bool]:
    """The emailed link proved the address: take a place or one on the waiting list.

    Return the registration that holds the person's place, and False when nothing
    changed (the link was used before, or the registration was cancelled). An address
    proved before, in another browser, belongs to that browser's participant: the
    registration moves to them, and when they had registered already, theirs stays and
    this unconfirmed one goes.
    """
    with transaction.atomic():
        meeting = lock_meeting(registration.meeting)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.state != RegistrationState.UNCONFIRMED:
            return registration, False
        participant = do_verify_participant_email(registration.participant, email)
        if participant.pk != registration.participant_id:
            theirs = (
                Registration.objects.select_for_update()
                .filter(meeting=meeting, participant=participant)
                .first()
            )
            if theirs is not None and theirs.state != RegistrationState.CANCELLED:
                registration.delete()
                return theirs, False
            if theirs is not None:
                theirs.delete()
            registration.participant = participant
        registration.state = place_or_wait(meeting)
        registration.confirmed_at = timezone.now()
        registration.save(update_fields=["participant", "state", "confirmed_at"])
    return registration, True


def do_remind_attendees(meeting: Meeting, now: datetime) -> int:
    """Email each registered attendee who has not had the reminder yet; return how many.

    Each reminder is claimed (`reminded_at`) and enqueued in one transaction: the task
    table is in the same database, so however often the job runs, or runs at once,
    each attendee gets one reminder, and a failed enqueue leaves them unclaimed.
    """
    pending = Registration.objects.filter(
        meeting=meeting, state=RegistrationState.CONFIRMED, reminded_at__isnull=True
    ).exclude(email="")
    sent = 0
    for registration in pending.select_related("participant__user").order_by("pk"):
        with transaction.atomic():
            claimed = Registration.objects.filter(
                pk=registration.pk, state=RegistrationState.CONFIRMED, reminded_at__isnull=True
            ).update(reminded_at=now)
            if claimed:
                registration.meeting = meeting
                email_registrant(registration, "reminder")
                sent += 1
    return sent
