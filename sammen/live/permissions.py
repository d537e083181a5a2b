"""Who may do what in a live session: participants, moderators, presenters, organisers."""

import re
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from sammen.accounts.models import Participant, User
from sammen.accounts.participants import (
    COOKIE_NAME,
    COOKIE_SALT,
    participant_of,
)
from sammen.activities.permissions import (
    ActivityAccess,
    KindAccess,
    access_activity,
    can_view_activity,
)
from sammen.spaces.permissions import can_view_space, space_access_for

from . import hot
from .guessing import TooManyWrongCodes, must_wait, refuse_wrong_code
from .models import CODE_LENGTH, Attendee, CrewMember, CrewRole, LiveSession, Poll, Question

CODE_SEPARATORS = re.compile(r"[\s\-_.]+")


def normalise_code(code: str) -> str:
    """Return a typed code in its stored form: capitals, no spaces or dashes."""
    return CODE_SEPARATORS.sub("", code or "").upper()[: CODE_LENGTH + 2]


def attendee_of(request: HttpRequest, session: LiveSession) -> Attendee | None:
    """Return the viewer's attendee in the session with its participant, in one query."""
    attendees = Attendee.objects.select_related("participant__user").filter(session=session)
    user = request.user
    if isinstance(user, User):
        return attendees.filter(participant__user=user).first()
    value = request.get_signed_cookie(COOKIE_NAME, default=None, salt=COOKIE_SALT)
    try:
        public_id = uuid.UUID(value) if value else None
    except ValueError:
        return None
    if public_id is None:
        return None
    # No ORDER BY (first() would add one): SQLite then walked the session's attendees in
    # id order instead of going through the participant's unique id (4 ms in a room of
    # 400, growing with the room).
    found = attendees.filter(
        participant__public_id=public_id,
        participant__user__isnull=True,
        participant__erased_at__isnull=True,
    ).order_by()[:1]
    return next(iter(found), None)


@dataclass(frozen=True)
class LiveAccess(KindAccess):
    """A live session as one viewer may use it."""

    session: LiveSession
    participant: Participant | None
    attendee: Attendee | None
    crew_role: str

    @property
    def is_organiser(self) -> bool:
        """Owners and moderators of the space run the session and everything in it."""
        return self.activity_access.can_manage

    @property
    def can_moderate(self) -> bool:
        return self.is_organiser or self.crew_role == CrewRole.MODERATOR

    @property
    def can_present(self) -> bool:
        return self.is_organiser or self.crew_role == CrewRole.PRESENTER

    @property
    def is_crew(self) -> bool:
        return self.can_moderate or self.can_present

    @property
    def user(self) -> User | None:
        return self.participant.user if self.participant is not None else None


def build_access(
    request: HttpRequest, session: LiveSession, activity_access: ActivityAccess | None = None
) -> LiveAccess:
    """Return the viewer's access; 404 when they may not see the session's activity.

    The same rules as access_activity(), applied to the activity and space the session
    was loaded with, so a vote costs no extra queries for them.
    """
    if activity_access is None:
        activity = session.activity
        space_access = space_access_for(request.user, activity.space)
        if not can_view_space(activity.space, space_access.role):
            raise Http404
        if not can_view_activity(activity, space_access):
            raise Http404
        activity_access = ActivityAccess(activity=activity, space_access=space_access)
    session.activity = activity_access.activity
    attendee = attendee_of(request, session)
    if attendee is not None:
        attendee.session = session
        participant: Participant | None = attendee.participant
    else:
        participant = participant_of(request)
    crew_role = ""
    if isinstance(request.user, User):
        crew_role = (
            CrewMember.objects.filter(session=session, user=request.user)
            .values_list("role", flat=True)
            .first()
            or ""
        )
    return LiveAccess(
        session=session,
        activity_access=activity_access,
        participant=participant,
        attendee=attendee,
        crew_role=crew_role,
    )


def access_live_session(request: HttpRequest, code: str) -> LiveAccess:
    """Return the session behind a join code as the viewer may use it.

    UnknownCode (a 404) for an unknown code, and for a session the viewer may not know
    about (a draft, or one in a private space they do not belong to), so codes cannot be
    probed; each counts against the address, and past its limit TooManyWrongCodes (a 403)
    for every look-up but those of the session's attendees and crew (guessing.py).
    """
    session = hot.session_by_code(normalise_code(code))
    if session is None:
        refuse_wrong_code(request)
    try:
        access = build_access(request, session)
    except Http404:
        refuse_wrong_code(request)
    # is_crew last: for an organiser who must first set up two-factor authentication
    # it raises TwoFactorRequired, which only a waiting address should meet here.
    if access.attendee is None and must_wait(request) and not access.is_crew:
        raise TooManyWrongCodes
    return access


def access_live_activity(
    request: HttpRequest, space_slug: str, activity_slug: str, *, need: str = ""
) -> LiveAccess:
    """Return the session of an activity page; `need` is "moderate", "present" or "organise".

    403 when the viewer may see the session but not do what `need` names.
    """
    activity_access = access_activity(request.user, space_slug, activity_slug)
    session = (
        LiveSession.objects.filter(activity=activity_access.activity)
        .select_related("shown_poll")
        .first()
    )
    if session is None:
        raise Http404
    session.activity = activity_access.activity
    access = build_access(request, session, activity_access)
    allowed = {
        "": True,
        "moderate": access.can_moderate,
        "present": access.can_present,
        "crew": access.is_crew,
        "organise": access.is_organiser,
    }[need]
    if not allowed:
        raise PermissionDenied
    return access


def access_question(access: LiveAccess, question_id: int) -> Question:
    """Return a question of the session that the viewer may see."""
    question = get_object_or_404(
        Question.objects.select_related("author"), pk=question_id, session=access.session
    )
    question.session = access.session
    if question.status != "visible" and not access.can_moderate and not is_author(access, question):
        raise Http404
    return question


def access_poll(access: LiveAccess, poll_id: int) -> Poll:
    """Return a poll of the session; polls not opened yet are for the crew only."""
    poll = hot.poll_of(access.session, poll_id)
    if poll is None:
        raise Http404
    if poll.state == "draft" and not access.is_crew:
        raise Http404
    return poll


def is_author(access: LiveAccess, question: Question) -> bool:
    return access.attendee is not None and question.author_id == access.attendee.pk


def can_join(access: LiveAccess) -> bool:
    return access.session.is_live and access.attendee is None


def can_take_part(access: LiveAccess) -> bool:
    return access.session.is_live and access.attendee is not None


def can_see_results(access: LiveAccess) -> bool:
    """Organisers and crew see results any time; everyone once the activity has closed."""
    return access.is_crew or access.session.activity.phase in {"closed", "answered"}
