from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """What organisers do on the insights page that the audit log records."""

    MINUTES_CHANGED = "insights.minutes_changed", _("changed the minutes a contribution takes")
