"""What a meeting's design says, in words: the weak spots of its objectives and programme,
and what it costs per attendee.

The rules are plain functions over lists of rows (`load_design` reads them once), so a
page, the brief's self-check and the tests ask them the same way.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from sammen.activities.models import Activity
from sammen.core.dates import format_date, format_moment

from .models import (
    ONE_WAY_FORMATS,
    CostCategory,
    CostLine,
    Level,
    Meeting,
    Objective,
    Registration,
    RegistrationState,
    Session,
)

# Below this share of the programme's minutes for the audience, the agenda is a lecture.
MIN_AUDIENCE_SHARE = Decimal("0.10")
# Objectives people reach by doing, not by listening.
ACTIVE_LEVELS = frozenset({Level.LEARNING, Level.APPLICATION})
CENT = Decimal("0.01")


@dataclass(frozen=True)
class DesignWarning:
    """One weak spot, in words, with the objective or sessions it concerns."""

    rule: str
    message: str
    objective_id: int | None = None
    session_ids: tuple[int, ...] = ()


def load_design(meeting: Meeting) -> tuple[list[Objective], list[Session]]:
    """Return the meeting's objectives and its sessions (in time order, with the
    objectives each serves read in the same go)."""
    objectives = list(Objective.objects.filter(meeting=meeting))
    sessions = list(Session.objects.filter(meeting=meeting).prefetch_related("objectives"))
    return objectives, sessions


def short(text: str) -> str:
    return Truncator(text).chars(60)


def serving_sessions(sessions: list[Session]) -> dict[int, list[Session]]:
    """Return, for each objective id, the sessions that serve it."""
    serving: dict[int, list[Session]] = defaultdict(list)
    for session in sessions:
        for objective in session.objectives.all():
            serving[objective.pk].append(session)
    return serving


def unmeasured(objectives: list[Objective]) -> list[DesignWarning]:
    """An objective without a measure and a way to collect it cannot be reported on."""
    return [
        DesignWarning(
            "unmeasured",
            _(
                "“%(objective)s” has no measurement yet: say what you will measure and how "
                "you will collect it, or its return cannot be reported."
            )
            % {"objective": short(objective.text)},
            objective_id=objective.pk,
        )
        for objective in objectives
        if not objective.has_measurement
    ]


def unserved(objectives: list[Objective], sessions: list[Session]) -> list[DesignWarning]:
    serving = serving_sessions(sessions)
    return [
        DesignWarning(
            "unserved",
            _("No session serves “%(objective)s”. Add one, or say which session serves it.")
            % {"objective": short(objective.text)},
            objective_id=objective.pk,
        )
        for objective in objectives
        if not serving.get(objective.pk)
    ]


def served_one_way(objectives: list[Objective], sessions: list[Session]) -> list[DesignWarning]:
    """Learning and application need people to work on it themselves, not only listen."""
    serving = serving_sessions(sessions)
    warnings = []
    for objective in objectives:
        served_by = serving.get(objective.pk, [])
        if objective.level not in ACTIVE_LEVELS or not served_by:
            continue
        if all(session.format in ONE_WAY_FORMATS for session in served_by):
            warnings.append(
                DesignWarning(
                    "one_way",
                    _(
                        "Only keynotes and panels serve “%(objective)s”. People learn and "
                        "apply more when they work on it themselves: add a workshop, a "
                        "fishbowl or another format where the audience takes part."
                    )
                    % {"objective": short(objective.text)},
                    objective_id=objective.pk,
                    session_ids=tuple(session.pk for session in served_by),
                )
            )
    return warnings


def audience_time(sessions: list[Session]) -> list[DesignWarning]:
    """An agenda where the audience never speaks, or hardly, is a lecture."""
    programme = sum(session.minutes for session in sessions)
    if not programme:
        return []
    speaking = sum(min(session.audience_minutes, session.minutes) for session in sessions)
    if speaking == 0:
        message = _(
            "The programme gives the audience no time to speak. Plan questions, discussion "
            "or work in groups: that is where people learn and decide what to do."
        )
    elif Decimal(speaking) < MIN_AUDIENCE_SHARE * programme:
        message = _(
            "The audience speaks in only %(speaking)s of the programme's %(programme)s "
            "minutes. Give them at least a tenth of the time."
        ) % {"speaking": speaking, "programme": programme}
    else:
        return []
    return [DesignWarning("audience_time", message)]


def room_key(room: str) -> str:
    return " ".join(room.split()).casefold()


def room_overlaps(sessions: list[Session]) -> list[DesignWarning]:
    """Two sessions cannot take place in the same room at the same time."""
    by_room: dict[str, list[Session]] = defaultdict(list)
    for session in sessions:
        if room_key(session.room):
            by_room[room_key(session.room)].append(session)
    warnings = []
    for in_room in by_room.values():
        in_room.sort(key=lambda session: (session.starts_at, session.pk))
        for index, session in enumerate(in_room):
            for later in in_room[index + 1 :]:
                if later.starts_at >= session.ends_at:
                    break
                warnings.append(
                    DesignWarning(
                        "room_overlap",
                        _("“%(first)s” and “%(second)s” overlap in the room “%(room)s”.")
                        % {
                            "first": short(session.title),
                            "second": short(later.title),
                            "room": session.room,
                        },
                        session_ids=(session.pk, later.pk),
                    )
                )
    return warnings


def outside_meeting(meeting: Meeting, sessions: list[Session]) -> list[DesignWarning]:
    """A session before the meeting starts or after it ends (or, with no end set, on
    another day than the meeting's)."""
    if meeting.starts_at is None:
        return []
    warnings = []
    for session in sessions:
        if meeting.ends_at is not None:
            outside = session.starts_at < meeting.starts_at or session.ends_at > meeting.ends_at
            span = _("%(start)s to %(end)s") % {
                "start": format_moment(meeting.starts_at),
                "end": format_moment(meeting.ends_at),
            }
        else:
            day = timezone.localdate(meeting.starts_at)
            outside = timezone.localdate(session.starts_at) != day or (
                timezone.localdate(session.ends_at) != day
            )
            span = format_date(day)
        if outside:
            warnings.append(
                DesignWarning(
                    "outside_meeting",
                    _("“%(session)s” is outside the meeting's time (%(span)s).")
                    % {"session": short(session.title), "span": span},
                    session_ids=(session.pk,),
                )
            )
    return warnings


def design_warnings(
    meeting: Meeting, objectives: list[Objective], sessions: list[Session]
) -> list[DesignWarning]:
    """Return every weak spot of the design: the programme's first, then the objectives',
    then the sessions'."""
    return [
        *audience_time(sessions),
        *unmeasured(objectives),
        *unserved(objectives, sessions),
        *served_one_way(objectives, sessions),
        *room_overlaps(sessions),
        *outside_meeting(meeting, sessions),
    ]


def warnings_by_objective(warnings: list[DesignWarning]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    for warning in warnings:
        if warning.objective_id is not None:
            found[warning.objective_id].append(warning.message)
    return dict(found)


def brief_warnings(activity: Activity) -> list[str]:
    """What the brief's self-check says of a meeting: its objectives without a measurement
    (the kind's `brief_warnings` hook)."""
    objectives = list(Objective.objects.filter(meeting__activity=activity))
    return [warning.message for warning in unmeasured(objectives)]


# Costs


@dataclass(frozen=True)
class CategoryTotal:
    category: str
    label: str
    lines: list[CostLine]
    total: Decimal


@dataclass(frozen=True)
class CostSummary:
    categories: list[CategoryTotal]
    total: Decimal
    registered: int
    attended: int
    per_registered: Decimal | None = None
    per_attended: Decimal | None = None
    line_count: int = field(default=0)


def per_person(total: Decimal, people: int) -> Decimal | None:
    if people <= 0:
        return None
    return (total / people).quantize(CENT, rounding=ROUND_HALF_UP)


def summarise_costs(lines: list[CostLine], *, registered: int, attended: int) -> CostSummary:
    """Return the costs by category (in the categories' order), their total, and the cost
    per registered attendee and per attendee who came."""
    by_category: dict[str, list[CostLine]] = defaultdict(list)
    for line in lines:
        by_category[line.category].append(line)
    categories = [
        CategoryTotal(
            value,
            str(label),
            by_category[value],
            sum((line.amount for line in by_category[value]), Decimal(0)),
        )
        for value, label in CostCategory.choices
        if by_category.get(value)
    ]
    total = sum((category.total for category in categories), Decimal(0))
    return CostSummary(
        categories=categories,
        total=total,
        registered=registered,
        attended=attended,
        per_registered=per_person(total, registered),
        per_attended=per_person(total, attended),
        line_count=len(lines),
    )


def cost_summary(meeting: Meeting) -> CostSummary:
    registrations = Registration.objects.filter(meeting=meeting)
    return summarise_costs(
        list(CostLine.objects.filter(meeting=meeting).order_by("pk")),
        registered=registrations.filter(state=RegistrationState.CONFIRMED).count(),
        attended=registrations.filter(checked_in_at__isnull=False).count(),
    )
