from typing import Any

from django.db import models

from sammen.accounts.models import User

from .models import AuditEntry
from .registry import is_registered_action


class UnknownAuditAction(ValueError):
    """Raised when an app writes an action that no app registered: a programming error."""


def do_log_audit_entry(
    actor: User | None,
    space: Any,
    action: str,
    target: models.Model | None = None,
    **details: Any,
) -> AuditEntry:
    """Record what an organiser did. Call inside the transaction of the act itself."""
    if not is_registered_action(action):
        raise UnknownAuditAction(f"No app registers the audit action {action!r}.")
    return AuditEntry.objects.create(
        space=space,
        actor=actor,
        action=action,
        target_type=(target._meta.model_name or "") if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:200] if target is not None else "",
        details=details,
    )
