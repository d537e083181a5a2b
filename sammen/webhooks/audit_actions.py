from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """What owners do to a space's webhooks that the audit log records; registered in apps.py."""

    WEBHOOK_CREATED = "webhook.created", _("added a webhook")
    WEBHOOK_UPDATED = "webhook.updated", _("changed a webhook's events")
    WEBHOOK_ENABLED = "webhook.enabled", _("turned a webhook on")
    WEBHOOK_DISABLED = "webhook.disabled", _("turned a webhook off")
    WEBHOOK_DELETED = "webhook.deleted", _("deleted a webhook")
    WEBHOOK_SECRET_SHOWN = "webhook.secret_shown", _("looked at a webhook's secret")
