"""Helpers for the design tests: a draft meeting on a known day, and rows added by the
same actions planners use."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sammen.accounts.models import User
from sammen.activities.actions import do_open_activity
from sammen.meetings.actions import (
    CostInput,
    ObjectiveInput,
    SessionInput,
    do_add_cost_line,
    do_add_objective,
    do_add_session,
    do_update_meeting,
)
from sammen.meetings.models import CostLine, Format, Level, Meeting, Objective, Session
from sammen.spaces.models import Space
from sammen.testing.meetings import make_meeting

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DAY = datetime(2027, 5, 1, tzinfo=AMSTERDAM)


def at(hour: int, minute: int = 0, *, day: int = 0) -> datetime:
    return DAY + timedelta(days=day, hours=hour, minutes=minute)


def bare_meeting(space: Space, by: User, title: str = "Partner day") -> Meeting:
    """Return a draft meeting on 1 May 2027 from 9 to 17, without objectives or sessions."""
    meeting = make_meeting(space, by, title, open_it=False)
    meeting.objectives.all().delete()
    meeting.sessions.all().delete()
    do_update_meeting(
        by,
        meeting,
        description=meeting.description,
        starts_at=at(9),
        ends_at=at(17),
        venue="The harbour hall",
        online_url="",
        capacity=None,
        audience="anyone",
        registration_open=True,
        follow_up_days=[30, 90],
    )
    return meeting


def add_objective(
    by: User,
    meeting: Meeting,
    text: str = "Partners can run a co-creation workshop",
    level: str = Level.LEARNING,
    *,
    measured: bool = True,
) -> Objective:
    return do_add_objective(
        by,
        meeting,
        ObjectiveInput(
            level=level,
            text=text,
            measure="Self-assessment, 1 to 5" if measured else "",
            target=Decimal("1.5") if measured else None,
            how_measured="Asked at registration and at the end" if measured else "",
        ),
    )


def add_session(
    by: User,
    meeting: Meeting,
    title: str = "Co-creating an exhibition",
    starts: datetime | None = None,
    minutes: int = 60,
    *,
    format: str = Format.WORKSHOP,
    audience_minutes: int = 30,
    room: str = "",
    serves: tuple[Objective, ...] = (),
) -> Session:
    starts = starts or at(10)
    return do_add_session(
        by,
        meeting,
        SessionInput(
            title=title,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=minutes),
            room=room,
            format=format,
            audience_minutes=audience_minutes,
            objective_ids=tuple(objective.pk for objective in serves),
        ),
    )


def add_cost(by: User, meeting: Meeting, category: str, amount: str, what: str = "") -> CostLine:
    return do_add_cost_line(by, meeting, CostInput(category, Decimal(amount), what))


def open_meeting(by: User, meeting: Meeting) -> Meeting:
    """Open a meeting that has an objective and a session, so people can register."""
    do_open_activity(by, meeting.activity)
    meeting.activity.refresh_from_db()
    return meeting
