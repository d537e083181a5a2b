from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """What organisers do in a conversation that the audit log records; registered in apps.py."""

    CONVERSATION_UPDATED = "conversation.updated", _("changed the settings of a conversation")
    STATEMENTS_SEEDED = "conversation.seeded", _("added seed statements to a conversation")
    CONVERSATION_IMPORTED = "conversation.imported", _("imported a conversation from Pol.is")
    STATEMENT_APPROVED = "statement.approved", _("approved a statement")
    STATEMENT_HIDDEN = "statement.hidden", _("hid a statement")
    STATEMENT_RESTORED = "statement.restored", _("restored a hidden statement")
    STATEMENT_META_CHANGED = "statement.meta", _("changed whether a statement is about the process")
