from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """What organisers do in an activity that the audit log records; registered in apps.py."""

    ACTIVITY_CREATED = "activity.created", _("created an activity")
    ACTIVITY_UPDATED = "activity.updated", _("changed an activity")
    ACTIVITY_DELETED = "activity.deleted", _("deleted a draft activity")
    BRIEF_UPDATED = "brief.updated", _("changed a brief")
    ACTIVITY_OPENED = "activity.opened", _("opened an activity")
    ACTIVITY_CLOSED = "activity.closed", _("closed an activity")
    ACTIVITY_REOPENED = "activity.reopened", _("reopened an activity")
    ACTIVITY_ANSWERED = "activity.answered", _("published the answer to an activity")
    RESULTS_RECORDED = "activity.results", _("recorded the results of an activity")
    ACTIVITY_LINKED = "activity.linked", _("opened an activity from another")
