from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """What organisers do in an open call that the audit log records; registered in apps.py."""

    CALL_UPDATED = "call.updated", _("changed the rules of a call")
    CALL_SCHEDULED = "call.scheduled", _("changed the stages of a call")
    JURY_UPDATED = "call.jury_updated", _("changed the jury of a call")
    IDEA_ANSWERED = "idea.answered", _("answered an idea")
    IDEA_HIDDEN = "idea.hidden", _("hid an idea")
    IDEA_RESTORED = "idea.restored", _("restored a hidden idea")
