"""What the shared machinery stores for itself: rate-limit counters."""

from django.db import models


class RateLimitCounter(models.Model):
    """How many attempts one limit has counted in one window (period), when there is no Redis.

    `key` is a keyed hash of the limit's key (sammen.core.ratelimit), so addresses and
    emails are not kept in the clear, nor in backups. Rows of past windows are deleted by
    the daily jobs.
    """

    key = models.CharField(max_length=64)
    period = models.BigIntegerField()  # which window: time since the epoch // its length
    hits = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "period"], name="one_counter_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.key[:12]}… {self.period}: {self.hits}"
