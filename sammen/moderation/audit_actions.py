from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """What organisers do in moderation that the audit log records; registered in apps.py."""

    REPORT_DISMISSED = "report.dismissed", _("dismissed a report")
