"""The meeting as an activity kind: its registration and the hooks it plugs into."""

from datetime import datetime
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sammen.accounts.models import Participant, User
from sammen.activities.kinds import ActivityKind
from sammen.activities.models import Activity, Phase
from sammen.activities.permissions import ActivityAccess
from sammen.activities.selfcheck import Format, Question

from .actions import do_merge_meeting_participants, do_setup_meeting
from .attendees import places_left
from .design import brief_warnings
from .follow_ups import register_follow_up_job
from .jobs import register_daily_jobs
from .models import (
    FollowUp,
    ImpactEstimate,
    LearningAnswer,
    Meeting,
    Registration,
    RegistrationState,
    SessionRating,
)
from .notices import meeting_answered
from .permissions import can_register, meeting_access_for, registration_refusal
from .returns import return_metrics


def opening_blockers(activity: Activity) -> list[str]:
    meeting = Meeting.objects.filter(activity=activity).first()
    if meeting is None:
        return [_("The meeting has not been set up yet.")]
    blockers = []
    if meeting.starts_at is None:
        blockers.append(_("Say when the meeting takes place."))
    if not meeting.objectives.exists():
        blockers.append(_("Write at least one objective: what should the meeting achieve?"))
    if not meeting.sessions.exists():
        blockers.append(_("Put at least one session in the programme."))
    return blockers


def activity_context(
    request: HttpRequest, activity: Activity, access: ActivityAccess
) -> dict[str, Any]:
    """Return what the activity page needs: the programme and the viewer's registration."""
    meeting_access = meeting_access_for(request, access)
    meeting = meeting_access.meeting
    # Places left mean something only while people can still register (or soon can).
    counting = meeting.registration_open and activity.phase in {Phase.DRAFT, Phase.OPEN}
    return {
        "meeting": meeting,
        "meeting_access": meeting_access,
        "registration": meeting_access.registration,
        "sessions": list(meeting.sessions.all()),
        "objectives": list(meeting.objectives.all()),
        "can_register": can_register(meeting_access),
        "refusal": registration_refusal(meeting_access),
        "places_left": places_left(meeting) if counting else None,
    }


def meeting_metrics(activity: Activity) -> dict[str, tuple[str, float]]:
    meeting = Meeting.objects.filter(activity=activity).first()
    if meeting is None:
        return {}
    registrations = Registration.objects.filter(meeting=meeting)
    return {
        "registered": (
            _("People registered"),
            float(registrations.filter(state=RegistrationState.CONFIRMED).count()),
        ),
        "attended": (
            _("People who came"),
            float(registrations.filter(checked_in_at__isnull=False).count()),
        ),
        **return_metrics(meeting),
    }


MEETING = ActivityKind(
    key="meeting",
    label=gettext_lazy("Meeting"),
    description=gettext_lazy(
        "A meeting or event designed from why: objectives, a programme that serves them, "
        "registration and check-in, and weeks later its return, from reaction to ROI."
    ),
    template="meetings/_activity_body.html",
    intro_template="meetings/_activity_intro.html",
    context=activity_context,
    opening_blockers=opening_blockers,
    setup=do_setup_meeting,
    settings_url_name="meetings:settings",
    metrics=meeting_metrics,
    stylesheet="meetings/meetings.css",
    selfcheck=Format(
        Question(
            "meet_in_person",
            gettext_lazy(
                "Do people need to meet, in one place or online at one time, for what you want "
                "to achieve?"
            ),
        ),
        gettext_lazy("a meeting"),
        gettext_lazy(
            "A meeting fits: design it from its objectives, and measure what it returned."
        ),
        unneeded=gettext_lazy(
            "You chose a meeting, but people need not meet for this. A meeting is costly: an "
            "open call, a conversation or a journey may reach your goal without one."
        ),
    ),
    brief_warnings=brief_warnings,
    answered=meeting_answered,
)


def erase_registrations(participant: Participant) -> None:
    """Forget the name and address a person who deletes their account registered with;
    the counts (registered, came, answered) stay."""
    Registration.objects.filter(participant=participant).update(name="", email="")


def personal_meeting_data(user: User) -> dict[str, Any]:
    """Return a person's registrations, each with what they answered at and after it."""
    participant = Participant.objects.filter(user=user).first()
    if participant is None:
        return {"meeting_registrations": []}
    registrations = (
        Registration.objects.filter(participant=participant)
        .select_related("meeting__activity", "planned_action")
        .prefetch_related(
            Prefetch(
                "session_ratings",
                SessionRating.objects.select_related("session").order_by("session__starts_at"),
            ),
            Prefetch(
                "learning_answers",
                LearningAnswer.objects.select_related("objective").order_by("objective", "moment"),
            ),
            Prefetch("follow_ups", FollowUp.objects.order_by("days")),
            Prefetch("impact_estimates", ImpactEstimate.objects.select_related("objective")),
        )
    )
    return {"meeting_registrations": [registration_data(one) for one in registrations]}


def when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def registration_data(registration: Registration) -> dict[str, Any]:
    planned = getattr(registration, "planned_action", None)
    return {
        "meeting": registration.meeting.activity.title,
        "name": registration.name,
        "email": registration.email,
        "state": registration.state,
        "registered_at": registration.created_at.isoformat(),
        "checked_in_at": when(registration.checked_in_at),
        "session_ratings": [
            {
                "session": rating.session.title,
                "score": rating.score,
                "comment": rating.comment,
                "at": rating.created_at.isoformat(),
            }
            for rating in registration.session_ratings.all()
        ],
        "learning_answers": [
            {"objective": answer.objective.text, "moment": answer.moment, "value": answer.value}
            for answer in registration.learning_answers.all()
        ],
        "planned_action": None
        if planned is None
        else {
            "text": planned.text,
            "confidence": planned.confidence,
            "at": planned.created_at.isoformat(),
        },
        "follow_ups": [
            {
                "days": follow_up.days,
                "sent_at": when(follow_up.sent_at),
                "answered_at": when(follow_up.answered_at),
                "applied": follow_up.applied,
                "frequency": follow_up.frequency,
                "helped": follow_up.helped,
                "hindered": follow_up.hindered,
                "name_shared_with_planners": follow_up.share_name,
            }
            for follow_up in registration.follow_ups.all()
        ],
        "impact_estimates": [
            {
                "objective": estimate.objective.text,
                "contribution": estimate.contribution,
                "confidence": estimate.confidence,
            }
            for estimate in registration.impact_estimates.all()
        ],
    }


def connect() -> None:
    from sammen.accounts import hooks as account_hooks
    from sammen.activities.kinds import register_kind
    from sammen.demo.parts import register_demo_part

    from .demo import build_demo

    register_kind(MEETING)
    register_demo_part("meeting", build_demo)
    register_daily_jobs()
    register_follow_up_job()
    account_hooks.participant_mergers.append(do_merge_meeting_participants)
    account_hooks.personal_data_sections.append(personal_meeting_data)
    account_hooks.participant_erasers.append(erase_registrations)
