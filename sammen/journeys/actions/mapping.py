"""The map of a journey: stages and their touchpoints, added, changed, moved, deleted."""

from dataclasses import asdict, dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from sammen.accounts.models import Participant, User
from sammen.audit.actions import do_log_audit_entry
from sammen.core.errors import ActionRefused

from ..audit_actions import AuditAction
from ..models import (
    MAX_STAGES,
    MAX_TOUCHPOINTS,
    MAX_VOLUME,
    STAGE_NAME_MAX_LENGTH,
    TOUCHPOINT_DESCRIPTION_MAX_LENGTH,
    TOUCHPOINT_NAME_MAX_LENGTH,
    Channel,
    Journey,
    Performer,
    Risk,
    Stage,
    Touchpoint,
    TouchpointState,
)


@dataclass(frozen=True)
class TouchpointInput:
    """What an organiser says of a touchpoint (a form, a template, a CSV line)."""

    name: str
    description: str = ""
    channel: str = Channel.IN_PERSON
    performer: str = Performer.STAFF
    monthly_volume: int | None = None
    risk: str = Risk.LOW

    def as_fields(self) -> dict[str, Any]:
        """Return it as the touchpoint's fields, which have the same names."""
        return asdict(self)

    def cleaned(self) -> "TouchpointInput":
        """Return it stripped; refuse what the model would not hold (messages translated)."""
        name = " ".join(self.name.split())
        description = self.description.strip()
        if not name:
            raise ActionRefused(_("Give the touchpoint a name."), field="name")
        if len(name) > TOUCHPOINT_NAME_MAX_LENGTH:
            raise ActionRefused(
                _("Keep the name under %(count)s characters.")
                % {"count": TOUCHPOINT_NAME_MAX_LENGTH},
                field="name",
            )
        if len(description) > TOUCHPOINT_DESCRIPTION_MAX_LENGTH:
            raise ActionRefused(
                _("Keep the description under %(count)s characters.")
                % {"count": TOUCHPOINT_DESCRIPTION_MAX_LENGTH},
                field="description",
            )
        if self.channel not in Channel.values:
            raise ActionRefused(_("Choose one of the channels offered."), field="channel")
        if self.performer not in Performer.values:
            raise ActionRefused(_("Choose who does it today."), field="performer")
        if self.risk not in Risk.values:
            raise ActionRefused(_("Choose what goes wrong if it fails: low, medium or high."))
        volume = self.monthly_volume
        if volume is not None and not 0 <= volume <= MAX_VOLUME:
            raise ActionRefused(
                _("Give the times a month as a whole number from 0 to %(max)s.")
                % {"max": f"{MAX_VOLUME:,}"},
                field="monthly_volume",
            )
        return TouchpointInput(name, description, self.channel, self.performer, volume, self.risk)


def clean_stage_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ActionRefused(_("Give the stage a name."), field="name")
    if len(name) > STAGE_NAME_MAX_LENGTH:
        raise ActionRefused(
            _("Keep the name under %(count)s characters.") % {"count": STAGE_NAME_MAX_LENGTH},
            field="name",
        )
    return name


def lock_journey(journey: Journey) -> None:
    """Take the journey's row lock: changes to its map happen one at a time."""
    Journey.objects.select_for_update().filter(pk=journey.pk).first()


def log_mapped(actor: User | None, journey: Journey) -> None:
    if actor is not None:
        do_log_audit_entry(actor, journey.activity.space, AuditAction.JOURNEY_MAPPED, journey)


def do_add_stage(actor: User | None, journey: Journey, name: str) -> Stage:
    name = clean_stage_name(name)
    with transaction.atomic():
        lock_journey(journey)
        if Stage.objects.filter(journey=journey).count() >= MAX_STAGES:
            raise ActionRefused(
                _("A journey holds at most %(count)s stages.") % {"count": MAX_STAGES}
            )
        top = Stage.objects.filter(journey=journey).aggregate(top=Max("position"))["top"]
        stage = Stage.objects.create(
            journey=journey, name=name, position=0 if top is None else top + 1
        )
        log_mapped(actor, journey)
    return stage


def do_update_stage(actor: User, stage: Stage, name: str) -> None:
    stage.name = clean_stage_name(name)
    with transaction.atomic():
        stage.save(update_fields=["name"])
        log_mapped(actor, stage.journey)


def do_delete_stage(actor: User, stage: Stage) -> None:
    """Delete an empty stage; one with touchpoints keeps them safe by refusing."""
    with transaction.atomic():
        lock_journey(stage.journey)
        if Touchpoint.objects.filter(stage=stage).exists():
            raise ActionRefused(
                _("Move or delete the stage's touchpoints first: a stage with touchpoints stays.")
            )
        stage.delete()
        log_mapped(actor, stage.journey)


def swap_with_neighbour(rows: list[Any], index: int, step: int) -> list[Any]:
    target = index + step
    if not 0 <= index < len(rows) or not 0 <= target < len(rows):
        return []
    rows[index], rows[target] = rows[target], rows[index]
    changed = []
    for position, row in enumerate(rows):
        if row.position != position:
            row.position = position
            changed.append(row)
    return changed


def do_move_stage(actor: User, stage: Stage, step: int) -> None:
    """Move a stage one place earlier (step -1) or later (+1); at an end nothing moves."""
    if step not in (-1, 1):
        raise ActionRefused(_("A stage moves one place at a time."))
    with transaction.atomic():
        lock_journey(stage.journey)
        stages = list(Stage.objects.filter(journey=stage.journey).order_by("position", "pk"))
        index = next((i for i, row in enumerate(stages) if row.pk == stage.pk), -1)
        changed = swap_with_neighbour(stages, index, step)
        if changed:
            Stage.objects.bulk_update(changed, ["position"])
            log_mapped(actor, stage.journey)


def touchpoints_of_stage(stage: Stage) -> list[Touchpoint]:
    return list(Touchpoint.objects.filter(stage=stage).order_by("position", "pk"))


def do_add_touchpoint(
    actor: User | None,
    stage: Stage,
    data: TouchpointInput,
    *,
    state: str = TouchpointState.SHOWN,
    after: Touchpoint | None = None,
    proposed_by: Participant | None = None,
) -> Touchpoint:
    """Add a touchpoint at the end of its stage, or right after `after` in the same stage."""
    data = data.cleaned()
    journey = stage.journey
    with transaction.atomic():
        lock_journey(journey)
        if Touchpoint.objects.filter(journey=journey).count() >= MAX_TOUCHPOINTS:
            raise ActionRefused(
                _("A journey holds at most %(count)s touchpoints.") % {"count": MAX_TOUCHPOINTS}
            )
        rows = touchpoints_of_stage(stage)
        index = len(rows)
        if after is not None and after.stage_id == stage.pk:
            index = next((i + 1 for i, row in enumerate(rows) if row.pk == after.pk), len(rows))
        touchpoint = Touchpoint(
            journey=journey,
            stage=stage,
            **data.as_fields(),
            state=state,
            proposed_by=proposed_by,
        )
        rows.insert(index, touchpoint)
        for position, row in enumerate(rows):
            row.position = position
        touchpoint.save()
        Touchpoint.objects.bulk_update([row for row in rows if row is not touchpoint], ["position"])
        log_mapped(actor, journey)
    return touchpoint


def do_update_touchpoint(actor: User, touchpoint: Touchpoint, data: TouchpointInput) -> None:
    data = data.cleaned()
    fields = data.as_fields()
    for name, value in fields.items():
        setattr(touchpoint, name, value)
    with transaction.atomic():
        touchpoint.save(update_fields=list(fields))
        log_mapped(actor, touchpoint.journey)


def do_delete_touchpoint(actor: User, touchpoint: Touchpoint) -> None:
    """Delete a touchpoint; once rated it stays (hide it instead), so no rating is lost."""
    with transaction.atomic():
        lock_journey(touchpoint.journey)
        if touchpoint.ratings.exists():
            raise ActionRefused(
                _("This touchpoint has ratings, so it stays. Hide it if it no longer applies.")
            )
        touchpoint.delete()
        log_mapped(actor, touchpoint.journey)


def do_move_touchpoint(actor: User, touchpoint: Touchpoint, step: int) -> None:
    """Move a touchpoint one place earlier (-1) or later (+1); past the first or last of
    its stage it moves into the stage before or after."""
    if step not in (-1, 1):
        raise ActionRefused(_("A touchpoint moves one place at a time."))
    with transaction.atomic():
        lock_journey(touchpoint.journey)
        current = Touchpoint.objects.select_related("stage").get(pk=touchpoint.pk)
        rows = touchpoints_of_stage(current.stage)
        index = next(i for i, row in enumerate(rows) if row.pk == current.pk)
        changed = swap_with_neighbour(rows, index, step)
        if changed:
            Touchpoint.objects.bulk_update(changed, ["position"])
        else:
            stages = list(
                Stage.objects.filter(journey=touchpoint.journey).order_by("position", "pk")
            )
            at = next(i for i, row in enumerate(stages) if row.pk == current.stage_id)
            if not 0 <= at + step < len(stages):
                return
            neighbour = stages[at + step]
            rows.pop(index)
            target = touchpoints_of_stage(neighbour)
            if step == 1:
                target.insert(0, current)
            else:
                target.append(current)
            current.stage = neighbour
            current.save(update_fields=["stage"])
            for group in (rows, target):
                for position, row in enumerate(group):
                    row.position = position
                Touchpoint.objects.bulk_update(group, ["position"])
        touchpoint.refresh_from_db()
        log_mapped(actor, touchpoint.journey)
