"""The business figures of an impact objective: the measure before and after the meeting,
and what one unit of it is worth, so the meeting's share of the change becomes money."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from sammen.accounts.models import User
from sammen.core.errors import ActionRefused

from ..audit_actions import AuditAction
from ..models import MAX_AMOUNT, Level, Objective
from .design import clean_amount, lock_meeting, log_change


def do_record_impact(
    actor: User,
    objective: Objective,
    *,
    before: Decimal | None,
    after: Decimal | None,
    per_unit: Decimal | None,
) -> None:
    """Record an impact objective's business figures; any of them may wait (None).

    The values before and after may be negative (a balance, a change); a unit's worth is
    never negative: a measure that should fall says so with a target below the value
    before. The return turns the figures into money once all three are given.
    """
    if objective.level != Level.IMPACT:
        raise ActionRefused(_("Only an objective on the level of business impact has figures."))
    if per_unit is not None and per_unit.is_finite() and per_unit < 0:
        raise ActionRefused(
            _(
                "What one unit is worth cannot be negative. If the measure should fall "
                "(complaints, costs), give the objective a target below the value before."
            ),
            field="per_unit",
        )
    lowest = -Decimal(MAX_AMOUNT)
    values = {
        "value_before": None
        if before is None
        else clean_amount(before, field="before", low=lowest),
        "value_after": None if after is None else clean_amount(after, field="after", low=lowest),
        "value_per_unit": (
            None if per_unit is None else clean_amount(per_unit, field="per_unit", low=Decimal(0))
        ),
    }
    with transaction.atomic():
        lock_meeting(objective.meeting)
        for field, value in values.items():
            setattr(objective, field, value)
        objective.save(update_fields=list(values))
        log_change(actor, objective.meeting, AuditAction.IMPACT_RECORDED, objective)
