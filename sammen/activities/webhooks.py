"""The activity's part of webhook events: what every kind's events say about their activity."""

from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from sammen.webhooks.actions import absolute
from sammen.webhooks.registry import register_webhook_event

from .models import Activity

OPENED = "activity.opened"
CLOSED = "activity.closed"
ANSWERED = "activity.answered"


def register_events() -> None:
    register_webhook_event(OPENED, _("An activity opened"))
    register_webhook_event(CLOSED, _("An activity closed"))
    register_webhook_event(ANSWERED, _("An activity's answer was published"))


def timestamp(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment is not None else None


def activity_data(activity: Activity) -> dict[str, Any]:
    """Return the activity as webhook events show it: ids, title, phase, address, dates."""
    return {
        "id": activity.pk,
        "slug": activity.slug,
        "title": activity.title,
        "kind": activity.kind,
        "phase": activity.phase,
        "url": absolute(activity.get_absolute_url()),
        "opened_at": timestamp(activity.opened_at),
        "closed_at": timestamp(activity.closed_at),
        "answered_at": timestamp(activity.answered_at),
    }


def phase_event_data(activity_id: int, *, with_answer: bool = False) -> dict[str, Any]:
    """Return an opened, closed or answered event's data, read once it is committed."""
    activity = Activity.objects.select_related("space").get(pk=activity_id)
    data: dict[str, Any] = {"activity": activity_data(activity)}
    if with_answer:
        data["answer"] = activity.answer
    return data
