"""Meetings for tests, built by calling the same actions planners and attendees use."""

from datetime import timedelta

from django.utils import timezone

from sammen.accounts.actions import do_create_anonymous_participant
from sammen.accounts.models import Participant, User
from sammen.activities.actions import do_open_activity
from sammen.meetings.actions import do_register, do_update_meeting, do_update_session
from sammen.meetings.actions.design import (
    ObjectiveInput,
    SessionInput,
    do_add_objective,
    do_add_session,
)
from sammen.meetings.models import Format, Level, Meeting, Registration
from sammen.spaces.models import Space
from sammen.testing import make_activity


def make_meeting(
    space: Space,
    by: User,
    title: str = "Partner day",
    *,
    open_it: bool = True,
    capacity: int | None = None,
    audience: str = "anyone",
    registration_open: bool = True,
    follow_up_days: list[int] | None = None,
) -> Meeting:
    """Create a meeting a week from now with one objective and one session, opened unless
    asked otherwise."""
    activity = make_activity(space, by, title, kind="meeting")
    meeting = Meeting.objects.get(activity=activity)
    starts = timezone.now().replace(microsecond=0) + timedelta(days=7)
    do_update_meeting(
        by,
        meeting,
        description="A day to learn from each other and plan next year together.",
        starts_at=starts,
        ends_at=starts + timedelta(hours=6),
        venue="The harbour hall",
        online_url="",
        capacity=capacity,
        audience=audience,
        registration_open=registration_open,
        follow_up_days=[30, 90] if follow_up_days is None else follow_up_days,
    )
    objective = do_add_objective(
        by,
        meeting,
        ObjectiveInput(
            level=Level.LEARNING,
            text="Partners know how to co-create an exhibition",
            measure="Self-assessment before and after",
            how_measured="Asked at registration and at the end",
        ),
    )
    do_add_session(
        by,
        meeting,
        SessionInput(
            title="Co-creating an exhibition",
            starts_at=starts + timedelta(hours=1),
            ends_at=starts + timedelta(hours=2),
            format=Format.WORKSHOP,
            audience_minutes=30,
            objective_ids=(objective.pk,),
        ),
    )
    if open_it:
        do_open_activity(by, activity)
    meeting.refresh_from_db()
    meeting.activity.refresh_from_db()
    return meeting


def register(
    meeting: Meeting, name: str = "Rosa", participant: Participant | None = None
) -> Registration:
    """Register a newcomer (or `participant`) with a proved address."""
    return do_register(
        meeting,
        participant or do_create_anonymous_participant(),
        name=name,
        email=f"{name.lower()}@example.org",
        confirmed=True,
    )


def begin_meeting(meeting: Meeting, by: User, ago: timedelta = timedelta(hours=2)) -> Meeting:
    """Move a meeting and its programme so that it began `ago`: its sessions keep their
    times within the day, so the first has begun and the answers are open."""
    assert meeting.starts_at is not None
    shift = timezone.now().replace(microsecond=0) - ago - meeting.starts_at
    do_update_meeting(
        by,
        meeting,
        description=meeting.description,
        starts_at=meeting.starts_at + shift,
        ends_at=meeting.ends_at + shift if meeting.ends_at else None,
        venue=meeting.venue,
        online_url=meeting.online_url,
        capacity=meeting.capacity,
        audience=meeting.audience,
        registration_open=meeting.registration_open,
        follow_up_days=meeting.follow_up_days,
    )
    for session in meeting.sessions.all():
        do_update_session(
            by,
            session,
            SessionInput(
                title=session.title,
                starts_at=session.starts_at + shift,
                ends_at=session.ends_at + shift,
                room=session.room,
                speaker=session.speaker,
                format=session.format,
                audience_minutes=session.audience_minutes,
                objective_ids=tuple(session.objectives.values_list("pk", flat=True)),
            ),
        )
    meeting.refresh_from_db()
    return meeting
