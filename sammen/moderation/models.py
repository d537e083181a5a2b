from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Reason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    OFFENSIVE = "offensive", _("Offensive or hateful")
    PERSONAL_DATA = "personal_data", _("Shares someone's personal data")
    OFF_TOPIC = "off_topic", _("Off topic")
    OTHER = "other", _("Something else")


class Resolution(models.TextChoices):
    HIDDEN = "hidden", _("Hidden")
    DISMISSED = "dismissed", _("Dismissed")


class Report(models.Model):
    """A person's report that an idea or comment breaks the space's rules."""

    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = models.CharField(_("anything to add?"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    resolution = models.CharField(max_length=10, choices=Resolution.choices, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=Reason.values), name="report_reason_valid"
            ),
            models.UniqueConstraint(
                fields=["reporter", "target_type", "target_id"],
                condition=Q(resolved_at__isnull=True),
                name="report_once_while_open",
            ),
        ]
        indexes = [models.Index(fields=["space", "resolved_at"])]

    def __str__(self) -> str:
        return f"Report {self.pk} ({self.reason})"
