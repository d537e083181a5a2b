from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sammen.accounts.models import User
from sammen.audit.actions import do_log_audit_entry
from sammen.core.errors import ActionRefused
from sammen.core.ratelimit import allow
from sammen.spaces.models import Space

from .audit_actions import AuditAction
from .models import MINUTES_MAX, MinutesSetting, Rollup
from .registry import contribution_source
from .tasks import count_space

# Owners and moderators may ask for a fresh count this often per space.
REFRESHES_PER_WINDOW = 1
REFRESH_WINDOW_SECONDS = 300


def do_request_count(space: Space) -> None:
    """Ask the task worker to count the space's contributions now, at most once in five
    minutes per space."""
    if not allow(f"insights-refresh:{space.pk}", REFRESHES_PER_WINDOW, REFRESH_WINDOW_SECONDS):
        raise ActionRefused(
            _("The figures were asked for a moment ago. Try again in a few minutes.")
        )
    with transaction.atomic():
        rollup, _created = Rollup.objects.select_for_update().get_or_create(space=space)
        rollup.requested_at = timezone.now()
        rollup.save(update_fields=["requested_at"])
        transaction.on_commit(lambda: count_space.enqueue(space.pk))


def do_set_minutes(actor: User, space: Space, minutes: dict[str, Decimal | None]) -> None:
    """Store the space's own minutes per source; None goes back to the kind's estimate."""
    for key, value in minutes.items():
        if contribution_source(key) is None:
            raise ActionRefused(_("That kind of contribution is not counted here."))
        if value is not None and not Decimal(0) <= value <= MINUTES_MAX:
            raise ActionRefused(_("Minutes go from 0 to 600."))
    with transaction.atomic():
        for key, value in minutes.items():
            if value is None:
                MinutesSetting.objects.filter(space=space, source=key).delete()
            else:
                MinutesSetting.objects.update_or_create(
                    space=space, source=key, defaults={"minutes": value}
                )
        do_log_audit_entry(
            actor,
            space,
            AuditAction.MINUTES_CHANGED,
            minutes={key: None if value is None else str(value) for key, value in minutes.items()},
        )
