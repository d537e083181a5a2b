"""Who may do what at a meeting: register, rate, answer, plan and read its return."""

from dataclasses import dataclass

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from sammen.accounts.models import Participant, User
from sammen.accounts.participants import participant_of
from sammen.activities.models import Phase
from sammen.activities.permissions import ActivityAccess, KindAccess, access_activity
from sammen.spaces.models import Block

from .models import Audience, Meeting, Registration, RegistrationState


@dataclass(frozen=True)
class MeetingAccess(KindAccess):
    """A meeting as one viewer may use it: their role, participant and registration."""

    meeting: Meeting
    participant: Participant | None
    user: User | None
    is_blocked: bool
    registration: Registration | None


def access_meeting(
    request: HttpRequest, space_slug: str, activity_slug: str, *, manage: bool = False
) -> MeetingAccess:
    """Return the meeting behind an activity page; 404 unless it is a meeting."""
    activity_access = access_activity(request.user, space_slug, activity_slug, manage=manage)
    return meeting_access_for(request, activity_access)


def meeting_access_for(request: HttpRequest, activity_access: ActivityAccess) -> MeetingAccess:
    """Return the meeting of an activity the viewer may already see; 404 unless it is one."""
    meeting = Meeting.objects.filter(activity=activity_access.activity).first()
    if meeting is None:
        raise Http404
    meeting.activity = activity_access.activity
    user = request.user if isinstance(request.user, User) else None
    is_blocked = (
        user is not None
        and Block.objects.filter(space=activity_access.activity.space, user=user).exists()
    )
    participant = participant_of(request)
    registration = (
        Registration.objects.filter(meeting=meeting, participant=participant).first()
        if participant is not None
        else None
    )
    return MeetingAccess(
        activity_access=activity_access,
        meeting=meeting,
        participant=participant,
        user=user,
        is_blocked=is_blocked,
        registration=registration,
    )


def registration_refusal(access: MeetingAccess) -> str:
    """Return why the viewer cannot register now (translated), or "" when they can."""
    if access.is_blocked:
        return _("The organisers of this space have blocked you, so you cannot take part.")
    if access.activity.phase == Phase.DRAFT:
        return _("This meeting is not open for registration yet.")
    if access.activity.phase != Phase.OPEN or not access.meeting.registration_open:
        return _("Registration for this meeting is closed.")
    if access.meeting.audience == Audience.MEMBERS:
        if access.user is None:
            return _("Sign in to register: this meeting is for members of this space.")
        if not access.space_access.is_member:
            return _("This meeting is for members of this space. Join the space to register.")
    return ""


def can_register(access: MeetingAccess) -> bool:
    active = access.registration is not None and access.registration.state != (
        RegistrationState.CANCELLED
    )
    return not active and not registration_refusal(access)


def is_attendee(access: MeetingAccess) -> bool:
    """Registered and confirmed: they rate sessions and say what they will do."""
    return access.registration is not None and access.registration.is_confirmed


def can_see_return(access: MeetingAccess) -> bool:
    """The return report is the planners' until they publish the answer."""
    return access.can_manage
