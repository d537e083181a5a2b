"""Follow-ups: weeks after the meeting, each attendee gets a one-time link that asks whether
they applied their planned action, and their estimate of the meeting's share in each
business measure; one reminder a week later; one answer per round.

Sending and reminding claim the row (`sent_at`, `reminded_at`) and enqueue the email in
one transaction: the task table is in the same database, so however often the job runs,
or runs at once, each attendee hears once, and a failed enqueue leaves the row unclaimed.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sammen.core.errors import ActionRefused
from sammen.recognition.actions import do_recognise

from ..deeds import FOLLOW_UP_ANSWERED
from ..follow_up_mail import email_follow_up
from ..models import (
    Applied,
    FollowUp,
    Frequency,
    ImpactEstimate,
    Level,
    Meeting,
    Objective,
    Registration,
    RegistrationState,
)
from .answers import check_percentage, clean_answer_text

REMIND_AFTER = timedelta(days=7)


def follow_up_invitees(meeting: Meeting) -> QuerySet[Registration]:
    """Return who a follow-up asks: the attendees who checked in, or every registered one
    when nobody was checked in (a meeting that skipped the door)."""
    registered = Registration.objects.filter(
        meeting=meeting, state=RegistrationState.CONFIRMED
    ).exclude(email="")
    came = registered.filter(checked_in_at__isnull=False)
    return came if came.exists() else registered


def do_start_follow_ups(meeting: Meeting, days: int) -> int:
    """Make the round of `days` for each invitee who has none yet; return how many."""
    have = FollowUp.objects.filter(registration__meeting=meeting, days=days).values(
        "registration_id"
    )
    new = [
        FollowUp(registration_id=pk, days=days)
        for pk in follow_up_invitees(meeting).exclude(pk__in=have).values_list("pk", flat=True)
    ]
    # Two runs at once may both see a row missing: the constraint keeps one.
    FollowUp.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def do_send_follow_ups(meeting: Meeting, days: int, now: datetime) -> int:
    """Email each follow-up of the round that has not gone out yet; return how many went."""
    pending = FollowUp.objects.filter(
        registration__meeting=meeting, days=days, sent_at__isnull=True
    ).select_related("registration__participant__user")
    sent = 0
    for follow_up in pending.order_by("pk"):
        with transaction.atomic():
            # The registration's lock: a planned action changing now waits, then stays.
            Registration.objects.select_for_update().filter(pk=follow_up.registration_id).first()
            claimed = FollowUp.objects.filter(pk=follow_up.pk, sent_at__isnull=True).update(
                sent_at=now
            )
            if claimed:
                follow_up.registration.meeting = meeting
                email_follow_up(follow_up)
                sent += 1
    return sent


def do_remind_follow_ups(meeting: Meeting, now: datetime) -> int:
    """Remind, once, those who have not answered a follow-up sent a week or more ago."""
    due = FollowUp.objects.filter(
        registration__meeting=meeting,
        sent_at__lte=now - REMIND_AFTER,
        answered_at__isnull=True,
        reminded_at__isnull=True,
    ).select_related("registration__participant__user")
    reminded = 0
    for follow_up in due.order_by("pk"):
        with transaction.atomic():
            claimed = FollowUp.objects.filter(
                pk=follow_up.pk, answered_at__isnull=True, reminded_at__isnull=True
            ).update(reminded_at=now)
            if claimed:
                follow_up.registration.meeting = meeting
                email_follow_up(follow_up, reminder=True)
                reminded += 1
    return reminded


@dataclass(frozen=True)
class Estimate:
    """How much of a business measure's change came from the meeting, and how sure."""

    contribution: int
    confidence: int


@dataclass(frozen=True)
class FollowUpInput:
    applied: str
    frequency: str = ""
    helped: str = ""
    hindered: str = ""
    share_name: bool = False
    # By impact objective's id; an objective left out is not estimated.
    estimates: Mapping[int, Estimate] | None = None


def impact_objectives(meeting: Meeting) -> list[Objective]:
    return list(Objective.objects.filter(meeting=meeting, level=Level.IMPACT))


def do_answer_follow_up(follow_up: FollowUp, data: FollowUpInput) -> FollowUp:
    """Record an attendee's one answer to a follow-up round.

    Their estimate per impact objective is one per attendee: a later round's answer
    replaces an earlier one, as what they know of the change grows.
    """
    if data.applied not in Applied.values:
        raise ActionRefused(
            _("Say whether you applied it: yes, partly or not yet."), field="applied"
        )
    frequency = "" if data.applied == Applied.NO else data.frequency
    if data.applied != Applied.NO and frequency not in Frequency.values:
        raise ActionRefused(_("Say how often: once, sometimes or often."), field="frequency")
    helped = clean_answer_text(data.helped, field="helped")
    hindered = clean_answer_text(data.hindered, field="hindered")
    registration = follow_up.registration
    objectives = {objective.pk: objective for objective in impact_objectives(registration.meeting)}
    estimates = []
    for objective_id, estimate in (data.estimates or {}).items():
        if objective_id not in objectives:
            raise ActionRefused(_("This question is not part of your meeting."))
        estimates.append(
            ImpactEstimate(
                objective=objectives[objective_id],
                registration=registration,
                contribution=check_percentage(
                    estimate.contribution, field=f"contribution_{objective_id}"
                ),
                confidence=check_percentage(
                    estimate.confidence, field=f"confidence_{objective_id}"
                ),
                days=follow_up.days,
            )
        )
    now = timezone.now()
    with transaction.atomic():
        answered = FollowUp.objects.filter(
            pk=follow_up.pk, sent_at__isnull=False, answered_at__isnull=True
        ).update(
            answered_at=now,
            applied=data.applied,
            frequency=frequency,
            helped=helped,
            hindered=hindered,
            share_name=data.share_name,
        )
        if not answered:
            raise ActionRefused(_("You have answered these questions already. Thank you!"))
        do_recognise(
            registration.participant,
            registration.meeting.activity.space,
            FOLLOW_UP_ANSWERED,
            f"meeting-follow-up:{follow_up.pk}",
        )
        ImpactEstimate.objects.bulk_create(
            estimates,
            update_conflicts=True,
            unique_fields=["objective", "registration"],
            update_fields=["contribution", "confidence", "days"],
        )
    follow_up.refresh_from_db()
    return follow_up
