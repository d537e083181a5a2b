"""Who may do what in a journey: rate it, propose a touchpoint, read its figures."""

from dataclasses import dataclass

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from sammen.accounts.models import Participant, User
from sammen.accounts.participants import has_verified_email, participant_of
from sammen.activities.models import Phase
from sammen.activities.permissions import ActivityAccess, KindAccess, access_activity
from sammen.spaces.models import Block

from .models import Audience, Journey, Stage, Touchpoint, TouchpointState


@dataclass(frozen=True)
class JourneyAccess(KindAccess):
    """A journey as one viewer may use it: their role, participant and standing."""

    journey: Journey
    participant: Participant | None
    user: User | None
    is_blocked: bool


def access_journey(
    request: HttpRequest, space_slug: str, activity_slug: str, *, manage: bool = False
) -> JourneyAccess:
    """Return the journey behind an activity page; 404 unless it is a journey."""
    activity_access = access_activity(request.user, space_slug, activity_slug, manage=manage)
    return journey_access_for(request, activity_access)


def journey_access_for(request: HttpRequest, activity_access: ActivityAccess) -> JourneyAccess:
    """Return the journey of an activity the viewer may already see; 404 unless it is one."""
    journey = Journey.objects.filter(activity=activity_access.activity).first()
    if journey is None:
        raise Http404
    journey.activity = activity_access.activity
    user = request.user if isinstance(request.user, User) else None
    is_blocked = (
        user is not None
        and Block.objects.filter(space=activity_access.activity.space, user=user).exists()
    )
    return JourneyAccess(
        activity_access=activity_access,
        journey=journey,
        participant=participant_of(request),
        user=user,
        is_blocked=is_blocked,
    )


def needs_sign_in(access: JourneyAccess) -> bool:
    return access.journey.audience == Audience.MEMBERS and access.user is None


def needs_membership(access: JourneyAccess) -> bool:
    return access.journey.audience == Audience.MEMBERS and not access.space_access.is_member


def needs_email_verification(access: JourneyAccess) -> bool:
    return access.journey.audience == Audience.VERIFIED_EMAIL and not has_verified_email(
        access.participant
    )


def rating_refusal(access: JourneyAccess) -> str:
    """Return why the viewer cannot rate now (translated), or "" when they can."""
    if access.is_blocked:
        return _("The organisers of this space have blocked you, so you cannot take part.")
    phase = access.activity.phase
    if phase == Phase.DRAFT:
        return _("This journey has not opened yet.")
    if phase != Phase.OPEN:
        return _("This journey is closed. Thank you to everyone who rated it.")
    if needs_sign_in(access):
        return _("Sign in to rate this journey: it is for members of this space.")
    if needs_membership(access):
        return _("This journey is for members of this space. Join the space to rate it.")
    if needs_email_verification(access):
        return _("Confirm your email address to rate this journey.")
    return ""


def can_rate(access: JourneyAccess) -> bool:
    return not rating_refusal(access)


def can_propose(access: JourneyAccess) -> bool:
    return can_rate(access) and access.journey.proposals_allowed


def can_see_figures(access: JourneyAccess) -> bool:
    """The curve, the moments and the advice are the organisers' to read."""
    return access.can_manage


def can_see_touchpoint(access: JourneyAccess, touchpoint: Touchpoint) -> bool:
    """Proposed and hidden touchpoints stay visible to their proposer and the organisers."""
    if touchpoint.state == TouchpointState.SHOWN or access.can_manage:
        return True
    return access.participant is not None and touchpoint.proposed_by_id == access.participant.pk


def access_touchpoint(access: JourneyAccess, touchpoint_id: int) -> Touchpoint:
    touchpoint = get_object_or_404(
        Touchpoint.objects.select_related("stage"), pk=touchpoint_id, journey=access.journey
    )
    touchpoint.journey = access.journey
    if not can_see_touchpoint(access, touchpoint):
        raise Http404
    return touchpoint


def access_stage(access: JourneyAccess, stage_id: int) -> Stage:
    """Return a stage of the journey; 404 when it belongs to another."""
    stage = get_object_or_404(Stage, pk=stage_id, journey=access.journey)
    stage.journey = access.journey
    return stage
