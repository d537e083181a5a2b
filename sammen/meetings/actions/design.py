"""A meeting's design: its objectives, the programme that serves them, its costs and the
benefits it names without turning them into money.

Every change takes the meeting's row lock, so the limits on rows hold however many
planners edit at once, and each change is written to the space's audit log.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max, Model
from django.utils.translation import gettext as _

from sammen.accounts.models import User
from sammen.audit.actions import do_log_audit_entry
from sammen.core.errors import ActionRefused

from ..audit_actions import AuditAction
from ..models import (
    MAX_AMOUNT,
    MAX_COST_LINES,
    MAX_OBJECTIVES,
    MAX_SESSIONS,
    NAME_MAX_LENGTH,
    PLACE_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    CostCategory,
    CostLine,
    Format,
    Intangible,
    Level,
    Meeting,
    Objective,
    Session,
)
from .registration import lock_meeting

MAX_INTANGIBLES = 20
# A session lasts at most a day: a longer one is a meeting of its own, or several sessions.
MAX_SESSION_LENGTH = timedelta(hours=24)
URL_MAX_LENGTH = 200
CENT = Decimal("0.01")


def one_line(value: str) -> str:
    return " ".join(value.split())


def clean_text(value: str, *, limit: int, field: str, required: str = "") -> str:
    """Return `value` on one line; refuse it empty (when `required` says why) or too long."""
    text = one_line(value)
    if required and not text:
        raise ActionRefused(required, field=field)
    if len(text) > limit:
        raise ActionRefused(
            _("Keep this under %(count)s characters.") % {"count": limit}, field=field
        )
    return text


def clean_amount(value: Any, *, field: str, low: Decimal) -> Decimal:
    """Return an amount with two decimals from `low` to MAX_AMOUNT; refuse anything else."""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ActionRefused(
            _("Write the amount as a number, such as 1250.50."), field=field
        ) from None
    if not amount.is_finite() or not low <= amount <= MAX_AMOUNT:
        raise ActionRefused(
            _("Give an amount from %(low)s to %(high)s.")
            % {"low": f"{low:,}", "high": f"{MAX_AMOUNT:,}"},
            field=field,
        )
    if amount != amount.quantize(CENT):
        raise ActionRefused(_("Give the amount with at most two decimals."), field=field)
    return amount.quantize(CENT)


def clean_url(value: str, *, field: str = "online_url") -> str:
    url = value.strip()
    if not url:
        return ""
    if len(url) > URL_MAX_LENGTH:
        raise ActionRefused(
            _("Keep the link under %(count)s characters.") % {"count": URL_MAX_LENGTH},
            field=field,
        )
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ActionRefused(_("Give a web address starting with https://."), field=field) from None
    return url


def log_change(actor: User, meeting: Meeting, action: str, target: Model) -> None:
    do_log_audit_entry(actor, meeting.activity.space, action, target)


# Objectives


@dataclass(frozen=True)
class ObjectiveInput:
    """What a planner says of an objective: its level, and how it will be measured."""

    level: str
    text: str
    measure: str = ""
    target: Decimal | None = None
    how_measured: str = ""

    def cleaned(self) -> "ObjectiveInput":
        """Return it on single lines; refuse what the model would not hold (translated)."""
        if self.level not in Level.values:
            raise ActionRefused(_("Choose the level of the objective."), field="level")
        text = clean_text(
            self.text,
            limit=TEXT_MAX_LENGTH,
            field="text",
            required=_("Say what the meeting should achieve."),
        )
        measure = clean_text(self.measure, limit=TEXT_MAX_LENGTH, field="measure")
        how = clean_text(self.how_measured, limit=TEXT_MAX_LENGTH, field="how_measured")
        target = None
        if self.target is not None:
            target = clean_amount(self.target, field="target", low=-Decimal(MAX_AMOUNT))
        return ObjectiveInput(self.level, text, measure, target, how)


def do_add_objective(actor: User, meeting: Meeting, data: ObjectiveInput) -> Objective:
    """Add an objective after the others."""
    data = data.cleaned()
    with transaction.atomic():
        lock_meeting(meeting)
        objectives = Objective.objects.filter(meeting=meeting)
        if objectives.count() >= MAX_OBJECTIVES:
            raise ActionRefused(
                _("A meeting holds at most %(count)s objectives.") % {"count": MAX_OBJECTIVES}
            )
        top = objectives.aggregate(top=Max("position"))["top"]
        objective = Objective.objects.create(
            meeting=meeting,
            level=data.level,
            text=data.text,
            measure=data.measure,
            target=data.target,
            how_measured=data.how_measured,
            position=0 if top is None else top + 1,
        )
        log_change(actor, meeting, AuditAction.OBJECTIVES_CHANGED, objective)
    return objective


def do_update_objective(actor: User, objective: Objective, data: ObjectiveInput) -> None:
    data = data.cleaned()
    objective.level, objective.text = data.level, data.text
    objective.measure, objective.target = data.measure, data.target
    objective.how_measured = data.how_measured
    with transaction.atomic():
        objective.save(update_fields=["level", "text", "measure", "target", "how_measured"])
        log_change(actor, objective.meeting, AuditAction.OBJECTIVES_CHANGED, objective)


def do_delete_objective(actor: User, objective: Objective) -> None:
    """Delete an objective; once attendees answered on it, it stays, so no answer is lost."""
    with transaction.atomic():
        lock_meeting(objective.meeting)
        if objective.learning_answers.exists() or objective.impact_estimates.exists():
            raise ActionRefused(
                _("Attendees answered on this objective, so it stays. Change its words instead.")
            )
        log_change(actor, objective.meeting, AuditAction.OBJECTIVES_CHANGED, objective)
        objective.delete()


def do_move_objective(actor: User, objective: Objective, step: int) -> None:
    """Move an objective one place earlier (-1) or later (+1); at an end nothing moves."""
    if step not in (-1, 1):
        raise ActionRefused(_("An objective moves one place at a time."))
    with transaction.atomic():
        lock_meeting(objective.meeting)
        rows = list(Objective.objects.filter(meeting=objective.meeting).order_by("position", "pk"))
        index = next((i for i, row in enumerate(rows) if row.pk == objective.pk), -1)
        target = index + step
        if index < 0 or not 0 <= target < len(rows):
            return
        rows[index], rows[target] = rows[target], rows[index]
        changed = []
        for position, row in enumerate(rows):
            if row.position != position:
                row.position = position
                changed.append(row)
        Objective.objects.bulk_update(changed, ["position"])
        log_change(actor, objective.meeting, AuditAction.OBJECTIVES_CHANGED, objective)


# The programme


@dataclass(frozen=True)
class SessionInput:
    """What a planner says of a session: when, where, who, in which format, for what."""

    title: str
    starts_at: datetime
    ends_at: datetime
    room: str = ""
    online_url: str = ""
    speaker: str = ""
    format: str = Format.OTHER
    audience_minutes: int = 0
    objective_ids: tuple[int, ...] = ()

    def cleaned(self) -> "SessionInput":
        """Return it on single lines; refuse what the model would not hold (translated)."""
        title = clean_text(
            self.title,
            limit=NAME_MAX_LENGTH,
            field="title",
            required=_("Give the session a title."),
        )
        room = clean_text(self.room, limit=PLACE_MAX_LENGTH, field="room")
        speaker = clean_text(self.speaker, limit=NAME_MAX_LENGTH, field="speaker")
        url = clean_url(self.online_url)
        if self.format not in Format.values:
            raise ActionRefused(_("Choose the format of the session."), field="format")
        if self.ends_at <= self.starts_at:
            raise ActionRefused(_("The session must end after it starts."), field="ends_at")
        if self.ends_at - self.starts_at > MAX_SESSION_LENGTH:
            raise ActionRefused(
                _("A session lasts at most a day. Split a longer one into several."),
                field="ends_at",
            )
        minutes = int((self.ends_at - self.starts_at).total_seconds() // 60)
        if not 0 <= self.audience_minutes <= minutes:
            raise ActionRefused(
                _("The audience can speak from 0 to %(minutes)s minutes in this session.")
                % {"minutes": minutes},
                field="audience_minutes",
            )
        return SessionInput(
            title,
            self.starts_at,
            self.ends_at,
            room,
            url,
            speaker,
            self.format,
            self.audience_minutes,
            tuple(dict.fromkeys(self.objective_ids)),
        )


def objectives_of(meeting: Meeting, ids: tuple[int, ...]) -> list[Objective]:
    """Return the meeting's objectives with these ids; refuse ids of anything else."""
    objectives = list(Objective.objects.filter(meeting=meeting, pk__in=ids))
    if len(objectives) != len(ids):
        raise ActionRefused(_("Choose among the objectives of this meeting."), field="objectives")
    return objectives


def do_add_session(actor: User, meeting: Meeting, data: SessionInput) -> Session:
    data = data.cleaned()
    with transaction.atomic():
        lock_meeting(meeting)
        if Session.objects.filter(meeting=meeting).count() >= MAX_SESSIONS:
            raise ActionRefused(
                _("A programme holds at most %(count)s sessions.") % {"count": MAX_SESSIONS}
            )
        objectives = objectives_of(meeting, data.objective_ids)
        session = Session.objects.create(
            meeting=meeting,
            title=data.title,
            starts_at=data.starts_at,
            ends_at=data.ends_at,
            room=data.room,
            online_url=data.online_url,
            speaker=data.speaker,
            format=data.format,
            audience_minutes=data.audience_minutes,
        )
        session.objectives.set(objectives)
        log_change(actor, meeting, AuditAction.PROGRAMME_CHANGED, session)
    return session


SESSION_FIELDS = [
    "title",
    "starts_at",
    "ends_at",
    "room",
    "online_url",
    "speaker",
    "format",
    "audience_minutes",
]


def do_update_session(actor: User, session: Session, data: SessionInput) -> None:
    data = data.cleaned()
    with transaction.atomic():
        lock_meeting(session.meeting)
        objectives = objectives_of(session.meeting, data.objective_ids)
        for field in SESSION_FIELDS:
            setattr(session, field, getattr(data, field))
        session.save(update_fields=SESSION_FIELDS)
        session.objectives.set(objectives)
        log_change(actor, session.meeting, AuditAction.PROGRAMME_CHANGED, session)


def do_delete_session(actor: User, session: Session) -> None:
    """Delete a session; once rated, it stays, so no attendee's rating is lost."""
    with transaction.atomic():
        lock_meeting(session.meeting)
        if session.ratings.exists():
            raise ActionRefused(
                _("Attendees have rated this session, so it stays. Change it instead.")
            )
        log_change(actor, session.meeting, AuditAction.PROGRAMME_CHANGED, session)
        session.delete()


# Costs and intangible benefits


@dataclass(frozen=True)
class CostInput:
    category: str
    amount: Decimal
    description: str = ""

    def cleaned(self) -> "CostInput":
        if self.category not in CostCategory.values:
            raise ActionRefused(_("Choose the category of the cost."), field="category")
        description = clean_text(self.description, limit=TEXT_MAX_LENGTH, field="description")
        amount = clean_amount(self.amount, field="amount", low=Decimal(0))
        return CostInput(self.category, amount, description)


def do_add_cost_line(actor: User, meeting: Meeting, data: CostInput) -> CostLine:
    data = data.cleaned()
    with transaction.atomic():
        lock_meeting(meeting)
        if CostLine.objects.filter(meeting=meeting).count() >= MAX_COST_LINES:
            raise ActionRefused(
                _("A meeting holds at most %(count)s cost lines.") % {"count": MAX_COST_LINES}
            )
        line = CostLine.objects.create(
            meeting=meeting,
            category=data.category,
            description=data.description,
            amount=data.amount,
        )
        log_change(actor, meeting, AuditAction.COSTS_CHANGED, line)
    return line


def do_update_cost_line(actor: User, line: CostLine, data: CostInput) -> None:
    data = data.cleaned()
    line.category, line.description, line.amount = data.category, data.description, data.amount
    with transaction.atomic():
        line.save(update_fields=["category", "description", "amount"])
        log_change(actor, line.meeting, AuditAction.COSTS_CHANGED, line)


def do_delete_cost_line(actor: User, line: CostLine) -> None:
    with transaction.atomic():
        log_change(actor, line.meeting, AuditAction.COSTS_CHANGED, line)
        line.delete()


def do_add_intangible(actor: User, meeting: Meeting, text: str) -> Intangible:
    """Name a benefit that is not turned into money, such as trust or a new network."""
    text = clean_text(text, limit=TEXT_MAX_LENGTH, field="text", required=_("Name the benefit."))
    with transaction.atomic():
        lock_meeting(meeting)
        if Intangible.objects.filter(meeting=meeting).count() >= MAX_INTANGIBLES:
            raise ActionRefused(
                _("A meeting names at most %(count)s intangible benefits.")
                % {"count": MAX_INTANGIBLES}
            )
        intangible = Intangible.objects.create(meeting=meeting, text=text)
        log_change(actor, meeting, AuditAction.COSTS_CHANGED, intangible)
    return intangible


def do_delete_intangible(actor: User, intangible: Intangible) -> None:
    with transaction.atomic():
        log_change(actor, intangible.meeting, AuditAction.COSTS_CHANGED, intangible)
        intangible.delete()
