"""Moderation's webhook event: a report filed, told to the space's own systems."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sammen.webhooks.actions import absolute
from sammen.webhooks.registry import register_webhook_event

from .models import Report

REPORT_FILED = "report.filed"


def register_events() -> None:
    register_webhook_event(REPORT_FILED, _("A report was filed"))


def report_data(report_id: int, type_name: str) -> dict[str, Any]:
    """Return the report as the event shows it: no reporter and no note, which are theirs."""
    report = Report.objects.select_related("space").get(pk=report_id)
    return {
        "report": {
            "id": report.pk,
            "reason": report.reason,
            "target_type": type_name,
            "target_id": report.target_id,
            "created_at": report.created_at.isoformat(timespec="seconds"),
            "queue_url": absolute(reverse("moderation:queue", args=[report.space.slug])),
        }
    }
