from typing import Any

from sammen.accounts.models import User

from .models import AuditEntry


def personal_audit_data(user: User) -> dict[str, Any]:
    """Return what the person did as an owner or moderator."""
    return {
        "organiser_actions": [
            {
                "space": entry.space.name,
                "action": entry.action,
                "on": entry.target_label,
                "at": entry.created_at.isoformat(),
            }
            for entry in AuditEntry.objects.filter(actor=user).select_related("space")
        ]
    }
