"""The conversation's webhook event: a participant added a statement."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from sammen.activities.webhooks import activity_data, timestamp
from sammen.webhooks.registry import register_webhook_event

from .models import Statement

STATEMENT_ADDED = "statement.added"


def register_events() -> None:
    register_webhook_event(STATEMENT_ADDED, _("A statement was added to a conversation"))


def statement_data(statement_id: int) -> dict[str, Any]:
    """Return the statement as the event shows it, without its author (Pol.is shows none)."""
    statement = Statement.objects.select_related("conversation__activity__space").get(
        pk=statement_id
    )
    return {
        "activity": activity_data(statement.conversation.activity),
        "statement": {
            "id": statement.pk,
            "number": statement.number,
            "text": statement.text,
            # "pending" while it waits for an organiser's approval, else "shown".
            "state": statement.state,
            "created_at": timestamp(statement.created_at),
        },
    }
