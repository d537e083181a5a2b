from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """What organisers do in recognition that the audit log records; registered in apps.py."""

    BADGE_AWARDED = "badge.awarded", _("thanked a contributor with a badge")
    BADGE_REVOKED = "badge.revoked", _("took back a badge")
    REWARD_STATED = "reward.stated", _("stated a reward")
    REWARD_GRANTED = "reward.granted", _("granted a reward")
    THANK_YOU_SENT = "thank_you.sent", _("sent a personal thank-you note")
