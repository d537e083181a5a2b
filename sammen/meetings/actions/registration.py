"""Registrations: places, the waiting list, cancellations and check-in at the door.

Places are counted under the meeting's row lock, so a meeting never holds more
confirmed registrations than places, however many register at once.
"""

from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sammen.accounts.models import Participant, User
from sammen.audit.actions import do_log_audit_entry
from sammen.core.errors import ActionRefused
from sammen.recognition.actions import do_recognise

from ..attendees import places_left
from ..audit_actions import AuditAction
from ..deeds import MEETING_ATTENDED
from ..models import NAME_MAX_LENGTH, Meeting, Registration, RegistrationState
from ..tasks import email_place_free


def lock_meeting(meeting: Meeting) -> Meeting:
    """Take the meeting's row lock (places and design change one at a time); return it
    as it is now."""
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def place_or_wait(meeting: Meeting) -> str:
    """Return the state a newly confirmed registration takes (call under the lock)."""
    return RegistrationState.WAITING if places_left(meeting) == 0 else RegistrationState.CONFIRMED


def do_register(
    meeting: Meeting,
    participant: Participant,
    *,
    name: str,
    email: str = "",
    confirmed: bool,
) -> Registration:
    """Register a participant; `confirmed` when their address is proved (an account's).

    Without a proved address the registration waits for its confirmation link
    (do_confirm_registration). Registering again after cancelling takes a place anew.
    """
    name = " ".join(name.split())
    if not name:
        raise ActionRefused(_("Give your name, as it should appear on your badge."), field="name")
    if len(name) > NAME_MAX_LENGTH:
        raise ActionRefused(
            _("Keep your name under %(count)s characters.") % {"count": NAME_MAX_LENGTH},
            field="name",
        )
    now = timezone.now()
    with transaction.atomic():
        current = lock_meeting(meeting)
        if not current.registration_open or not meeting.activity.is_open:
            raise ActionRefused(_("Registration for this meeting is closed."))
        registration = Registration.objects.filter(meeting=current, participant=participant).first()
        if registration is not None and registration.state != RegistrationState.CANCELLED:
            raise ActionRefused(_("You have registered for this meeting already."))
        state = place_or_wait(current) if confirmed else RegistrationState.UNCONFIRMED
        if registration is None:
            try:
                with transaction.atomic():
                    registration = Registration.objects.create(
                        meeting=current,
                        participant=participant,
                        name=name,
                        email=email,
                        state=state,
                        created_at=now,
                        confirmed_at=now if confirmed else None,
                    )
            except IntegrityError:
                raise ActionRefused(_("You have registered for this meeting already.")) from None
        else:
            registration.name, registration.email, registration.state = name, email, state
            registration.created_at, registration.cancelled_at = now, None
            registration.confirmed_at = now if confirmed else None
            registration.save(
                update_fields=[
                    "name",
                    "email",
                    "state",
                    "created_at",
                    "cancelled_at",
                    "confirmed_at",
                ]
            )
    return registration


def do_confirm_registration(registration: Registration) -> Registration:
    """The address is proved: take a place, or a place on the waiting list."""
    with transaction.atomic():
        current = lock_meeting(registration.meeting)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.state == RegistrationState.UNCONFIRMED:
            registration.state = place_or_wait(current)
            registration.confirmed_at = timezone.now()
            registration.save(update_fields=["state", "confirmed_at"])
    return registration


def promote_waiting(meeting: Meeting) -> list[Registration]:
    """Give freed places to the waiting list in order (call under the meeting's lock)."""
    waiting = Registration.objects.filter(
        meeting=meeting, state=RegistrationState.WAITING
    ).order_by("confirmed_at", "pk")
    free = places_left(meeting)
    promoted = list(waiting if free is None else waiting[:free])
    for registration in promoted:
        registration.state = RegistrationState.CONFIRMED
    Registration.objects.bulk_update(promoted, ["state"])
    return promoted


def do_cancel_registration(registration: Registration) -> list[Registration]:
    """Cancel a registration (by the attendee); the first on the waiting list take the
    freed place and are emailed so. Return those who got one."""
    with transaction.atomic():
        current = lock_meeting(registration.meeting)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.state == RegistrationState.CANCELLED:
            return []
        registration.state = RegistrationState.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["state", "cancelled_at"])
        promoted = promote_waiting(current)
        transaction.on_commit(partial(email_place_free, promoted))
        return promoted


def do_check_in(actor: User, registration: Registration) -> bool:
    """Mark an attendee as arrived; return False when they were checked in already."""
    if registration.state != RegistrationState.CONFIRMED:
        raise ActionRefused(_("Only registered attendees can be checked in."))
    with transaction.atomic():
        updated = Registration.objects.filter(
            pk=registration.pk, checked_in_at__isnull=True
        ).update(checked_in_at=timezone.now(), checked_in_by=actor)
        if updated:
            space = registration.meeting.activity.space
            do_log_audit_entry(actor, space, AuditAction.ATTENDEE_CHECKED_IN, registration)
            do_recognise(
                registration.participant,
                space,
                MEETING_ATTENDED,
                f"meeting:{registration.meeting_id}",
            )
    registration.refresh_from_db()
    return bool(updated)


def do_merge_meeting_participants(source: Participant, target: Participant) -> None:
    """Move an anonymous participant's registrations to the person's participant; where
    both registered for the same meeting, the person's own stays."""
    theirs = set(
        Registration.objects.filter(participant=target).values_list("meeting_id", flat=True)
    )
    Registration.objects.filter(participant=source).exclude(meeting_id__in=theirs).update(
        participant=target
    )
