from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """What owners do with ambassadors that the audit log records; registered in apps.py."""

    INVITED = "ambassador.invited", _("invited an ambassador")
    WITHDRAWN = "ambassador.withdrawn", _("withdrew an ambassador")
