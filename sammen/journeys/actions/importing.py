"""A whole map at once: from a starter (museum visit, festival weekend…) or a CSV file."""

from django.db import transaction
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _

from sammen.accounts.models import User
from sammen.audit.actions import do_log_audit_entry
from sammen.core.errors import ActionRefused

from ..audit_actions import AuditAction
from ..importing import ImportedStage, at_line, parse_map_csv
from ..models import MAX_STAGES, MAX_TOUCHPOINTS, Journey, Stage, Touchpoint
from ..starters import STARTERS
from .mapping import TouchpointInput, clean_stage_name, lock_journey


def add_to_map(journey: Journey, stages: list[ImportedStage]) -> int:
    """Add the stages and touchpoints at the end of the map; return how many touchpoints.

    A stage named as one already there (in any case) takes its touchpoints after that
    stage's own. Call inside a transaction holding the journey's lock.
    """
    existing = {stage.name.casefold(): stage for stage in Stage.objects.filter(journey=journey)}
    touchpoint_count = Touchpoint.objects.filter(journey=journey).count()
    new_stages = [stage for stage in stages if stage.name.casefold() not in existing]
    if len(existing) + len(new_stages) > MAX_STAGES:
        over = new_stages[MAX_STAGES - len(existing)]
        raise at_line(
            over.line, _("A journey holds at most %(count)s stages.") % {"count": MAX_STAGES}
        )
    lines = sorted(line for stage in stages for line, _data in stage.touchpoints)
    if touchpoint_count + len(lines) > MAX_TOUCHPOINTS:
        raise at_line(
            lines[MAX_TOUCHPOINTS - touchpoint_count],
            _("A journey holds at most %(count)s touchpoints.") % {"count": MAX_TOUCHPOINTS},
        )
    top = Stage.objects.filter(journey=journey).aggregate(top=Max("position"))["top"]
    next_position = 0 if top is None else top + 1
    last_positions = {
        row["stage"]: row["top"]
        for row in Touchpoint.objects.filter(journey=journey)
        .values("stage")
        .annotate(top=Max("position"))
    }
    rows: list[Touchpoint] = []
    for imported in stages:
        stage = existing.get(imported.name.casefold())
        if stage is None:
            stage = Stage.objects.create(
                journey=journey, name=imported.name, position=next_position
            )
            next_position += 1
        start = last_positions.get(stage.pk, -1) + 1
        rows.extend(
            Touchpoint(
                journey=journey,
                stage=stage,
                **data.as_fields(),
                position=start + offset,
            )
            for offset, (_line, data) in enumerate(imported.touchpoints)
        )
    Touchpoint.objects.bulk_create(rows)
    return len(rows)


def do_import_map(actor: User, journey: Journey, text: str) -> int:
    """Add the stages and touchpoints of a CSV text to the map; return how many touchpoints.

    Every line is checked before anything is written: a file with one bad line imports
    nothing, and the refusal names the line.
    """
    stages = parse_map_csv(text)
    with transaction.atomic():
        lock_journey(journey)
        count = add_to_map(journey, stages)
        do_log_audit_entry(
            actor,
            journey.activity.space,
            AuditAction.JOURNEY_IMPORTED,
            journey,
            touchpoints=count,
        )
    return count


def starter_stages(key: str, language: str) -> list[ImportedStage]:
    """Return a starter's map as text in `language`."""
    starter = STARTERS.get(key)
    if starter is None:
        raise ActionRefused(_("Choose one of the journeys offered."), field="starter")
    with translation.override(language):
        stages = []
        for number, stage in enumerate(starter.stages, start=1):
            imported = ImportedStage(clean_stage_name(str(stage.name)), number)
            for touchpoint in stage.touchpoints:
                data = TouchpointInput(
                    name=str(touchpoint.name),
                    description=str(touchpoint.description),
                    channel=touchpoint.channel,
                    performer=touchpoint.performer,
                    risk=touchpoint.risk,
                ).cleaned()
                imported.touchpoints.append((number, data))
            stages.append(imported)
    return stages


def do_apply_starter(actor: User, journey: Journey, key: str) -> int:
    """Map an empty journey from a starter, in the space's language; return the touchpoints."""
    stages = starter_stages(key, journey.activity.space.default_language)
    with transaction.atomic():
        lock_journey(journey)
        if Stage.objects.filter(journey=journey).exists():
            raise ActionRefused(
                _("A journey starts from an example only while its map is empty."),
                field="starter",
            )
        count = add_to_map(journey, stages)
        do_log_audit_entry(
            actor,
            journey.activity.space,
            AuditAction.JOURNEY_IMPORTED,
            journey,
            starter=key,
            touchpoints=count,
        )
    return count
