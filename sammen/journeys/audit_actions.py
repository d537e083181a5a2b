from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """What organisers do in a journey that the audit log records; registered in apps.py."""

    JOURNEY_UPDATED = "journey.updated", _("changed the settings of a journey")
    JOURNEY_MAPPED = "journey.mapped", _("changed the stages and touchpoints of a journey")
    JOURNEY_IMPORTED = "journey.imported", _("imported the stages and touchpoints of a journey")
    WAVE_STARTED = "journey.wave", _("started a new wave of ratings")
    TOUCHPOINT_APPROVED = "touchpoint.approved", _("approved a proposed touchpoint")
    TOUCHPOINT_HIDDEN = "touchpoint.hidden", _("hid a proposed touchpoint")
    TOUCHPOINT_RESTORED = "touchpoint.restored", _("restored a hidden touchpoint")
    TOUCHPOINT_DECIDED = "touchpoint.decided", _("recorded a decision at a touchpoint")
    RATING_COMMENT_HIDDEN = "journey.comment_hidden", _("hid a comment on a touchpoint")
    RATING_COMMENT_RESTORED = "journey.comment_restored", _("restored a comment on a touchpoint")
    PLAN_ADDED = "touchpoint.planned", _("noted a gesture or an improvement at a touchpoint")
    PLAN_DELETED = "touchpoint.unplanned", _("deleted a gesture or an improvement at a touchpoint")
