from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .registry import ACTION_MAX_LENGTH, audit_action_label


class AuditEntry(models.Model):
    """One thing an owner or moderator did: who, what, when, and on which object."""

    space = models.ForeignKey(
        "spaces.Space", on_delete=models.CASCADE, related_name="audit_entries"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # A key registered by the app that performs the action (see registry.py), not a
    # choices list, so adding one needs no migration here.
    action = models.CharField(max_length=ACTION_MAX_LENGTH)
    target_type = models.CharField(max_length=40, blank=True)
    target_id = models.CharField(max_length=40, blank=True)
    target_label = models.CharField(max_length=200, blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["space", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.actor} {self.action} {self.target_label}"

    @property
    def action_label(self) -> str:
        return audit_action_label(self.action)
