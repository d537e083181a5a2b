from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """What organisers do in a live session that the audit log records; registered in apps.py."""

    LIVE_UPDATED = "live.updated", _("changed the settings of a live session")
    LIVE_CREW_CHANGED = "live.crew", _("changed who helps run a live session")
    LIVE_QUESTIONS_LOCKED = "live.questions", _("opened or locked the questions of a live session")
    LIVE_QUESTION_MODERATED = "live.question", _("moderated a question in a live session")
    LIVE_POLL_CHANGED = "live.poll", _("prepared, opened, closed or reset a poll")
    LIVE_ANSWER_MODERATED = "live.answer", _("moderated an answer to a poll")
