from django.conf import settings
from django.db import models
from django.db.models import Q


class Follow(models.Model):
    """A person following an activity, or a discussion (an idea's thread)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    activity = models.ForeignKey(
        "activities.Activity",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follows",
    )
    thread = models.ForeignKey(
        "comments.Thread", on_delete=models.CASCADE, null=True, blank=True, related_name="follows"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(activity__isnull=False) & Q(thread__isnull=True))
                | (Q(activity__isnull=True) & Q(thread__isnull=False)),
                name="follow_one_thing",
            ),
            models.UniqueConstraint(
                fields=["user", "activity"],
                name="follow_activity_once",
                condition=Q(activity__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["user", "thread"],
                name="follow_thread_once",
                condition=Q(thread__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.activity_id or self.thread_id}"


class Notification(models.Model):
    """Something a person should know. Rendered in their language when shown or mailed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40)
    params = models.JSONField(default=dict)
    url = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "read_at"]),
            models.Index(fields=["user", "-created_at"]),
            models.Index(fields=["emailed_at", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id}"
