from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """What planners do in a meeting that the audit log records; registered in apps.py."""

    MEETING_UPDATED = "meeting.updated", _("changed the settings of a meeting")
    OBJECTIVES_CHANGED = "meeting.objectives", _("changed the objectives of a meeting")
    PROGRAMME_CHANGED = "meeting.programme", _("changed the programme of a meeting")
    COSTS_CHANGED = "meeting.costs", _("changed the costs of a meeting")
    ATTENDEE_CHECKED_IN = "meeting.checked_in", _("checked in an attendee")
    IMPACT_RECORDED = "meeting.impact", _("recorded the business figures of a meeting")
