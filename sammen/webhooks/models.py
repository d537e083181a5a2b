import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .registry import EVENT_MAX_LENGTH, event_label

URL_MAX_LENGTH = 500
SECRET_BYTES = 32  # hex-encoded: 64 characters
RESPONSE_EXCERPT_MAX_LENGTH = 500
ERROR_MAX_LENGTH = 300


class Webhook(models.Model):
    """An address of the space's owners that Sammen tells, signed, when events happen."""

    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(_("address"), max_length=URL_MAX_LENGTH)
    # Kept as is: signing needs it. Owners may read it again (audited), never others.
    secret = models.CharField(max_length=SECRET_BYTES * 2)
    # The registered event keys it subscribes to (see registry.py).
    events = models.JSONField(default=list)
    is_active = models.BooleanField(default=True)
    # Deliveries that failed in a row (each after all its attempts); a success resets it.
    consecutive_failures = models.PositiveIntegerField(default=0)
    # When Sammen turned it off after too many failures in a row (None otherwise).
    disabled_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["space", "url"], name="webhook_url_once_per_space"),
        ]

    def __str__(self) -> str:
        return self.url

    def get_absolute_url(self) -> str:
        return reverse("webhooks:detail", args=[self.space.slug, self.pk])

    def subscribes_to(self, event: str) -> bool:
        return event in self.events

    @property
    def event_labels(self) -> list[str]:
        return [event_label(key) for key in self.events]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RETRYING = "retrying", _("Trying again")
    SUCCEEDED = "succeeded", _("Delivered")
    FAILED = "failed", _("Failed")


class DeliveryError(models.TextChoices):
    """Why an attempt failed without an answer from the receiver (stored as the key)."""

    UNSAFE_TARGET = "unsafe_target", _("The address leads to a private or local network.")
    TIMEOUT = "timeout", _("The receiver took too long to answer.")
    CONNECTION = "connection", _("Sammen could not connect to the receiver.")
    TLS = "tls", _("The receiver's HTTPS certificate is not valid.")
    BAD_RESPONSE = "bad_response", _("The receiver's answer was not valid HTTP.")
    WEBHOOK_OFF = "webhook_off", _("The webhook was turned off before this was sent.")


class Delivery(models.Model):
    """One event sent to one webhook: its body, its attempts and how the last one went."""

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    # Sent as Sammen-Delivery; a redelivery gets a new one.
    delivery_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The event's own id ("id" in the body): the same on a redelivery, so receivers can
    # tell they have seen it.
    event_id = models.UUIDField(default=uuid.uuid4, editable=False)
    event = models.CharField(max_length=EVENT_MAX_LENGTH)
    # The exact bytes signed and sent, the same on every attempt.
    body = models.TextField()
    attempts = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_excerpt = models.CharField(max_length=RESPONSE_EXCERPT_MAX_LENGTH, blank=True)
    error = models.CharField(max_length=ERROR_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="delivery_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["webhook", "-created_at"], name="delivery_by_webhook")]

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook_id} ({self.status})"

    @property
    def event_label(self) -> str:
        return event_label(self.event)

    @property
    def error_label(self) -> str:
        if self.error in DeliveryError.values:
            return str(DeliveryError(self.error).label)
        return self.error

    @property
    def succeeded(self) -> bool:
        return self.status == DeliveryStatus.SUCCEEDED

    @property
    def is_finished(self) -> bool:
        return self.status in {DeliveryStatus.SUCCEEDED, DeliveryStatus.FAILED}
