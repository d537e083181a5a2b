from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """What organisers do to comments that the audit log records; registered in apps.py."""

    COMMENT_HIDDEN = "comment.hidden", _("hid a comment")
    COMMENT_RESTORED = "comment.restored", _("restored a hidden comment")
