"""Ambassadors of a space, their personal links, and the people those links brought."""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# How long a visitor counts as brought by the link they first came through.
ATTRIBUTION_DAYS = 30
ATTRIBUTION_WINDOW = timedelta(days=ATTRIBUTION_DAYS)
TOKEN_LENGTH = 11  # secrets.token_urlsafe(8): 64 random bits, short enough to type
VISITOR_KEY_LENGTH = 22  # secrets.token_urlsafe(16)


def new_token() -> str:
    return secrets.token_urlsafe(8)


def new_visitor_key() -> str:
    return secrets.token_urlsafe(16)


class AmbassadorState(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACTIVE = "active", _("Ambassador")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Ambassador(models.Model):
    """A member an owner asked to carry the space, with their own link to every activity."""

    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="ambassadors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=TOKEN_LENGTH, unique=True, default=new_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    invited_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ambassador")
        verbose_name_plural = _("ambassadors")
        ordering = ["-invited_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["space", "user"], name="ambassador_once_per_space"),
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def state(self) -> str:
        if self.withdrawn_at is not None:
            return AmbassadorState.WITHDRAWN
        if self.declined_at is not None:
            return AmbassadorState.DECLINED
        if self.accepted_at is not None:
            return AmbassadorState.ACTIVE
        return AmbassadorState.INVITED

    def get_state_display(self) -> str:
        return str(AmbassadorState(self.state).label)

    @property
    def is_active(self) -> bool:
        return self.state == AmbassadorState.ACTIVE


class Visit(models.Model):
    """A visitor who opened an ambassador's link, counted once a day per visitor and link."""

    ambassador = models.ForeignKey(Ambassador, on_delete=models.CASCADE, related_name="visits")
    activity = models.ForeignKey("activities.Activity", on_delete=models.CASCADE, related_name="+")
    visitor_key = models.CharField(max_length=VISITOR_KEY_LENGTH)
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["ambassador", "activity", "visitor_key", "day"], name="visit_once_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ambassador_id} {self.activity_id} {self.day}"


class Arrival(models.Model):
    """The link a visitor first came to a space through: the first touch wins for 30 days.

    The visitor is this browser's key (a first-party cookie) until they take part; then
    the participant they are is written here, once, and their sign-up and contributions
    in the space during the 30 days count for the ambassador.
    """

    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="+")
    ambassador = models.ForeignKey(Ambassador, on_delete=models.CASCADE, related_name="arrivals")
    activity = models.ForeignKey("activities.Activity", on_delete=models.CASCADE, related_name="+")
    visitor_key = models.CharField(max_length=VISITOR_KEY_LENGTH)
    participant = models.ForeignKey(
        "accounts.Participant", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    first_seen = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-first_seen", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["space", "visitor_key"], name="arrival_first_touch"),
            models.UniqueConstraint(
                fields=["space", "participant"],
                condition=Q(participant__isnull=False),
                name="arrival_one_per_participant",
            ),
        ]
        indexes = [models.Index(fields=["visitor_key"], name="arrival_by_visitor")]

    def __str__(self) -> str:
        return f"{self.ambassador_id} {self.visitor_key[:4]}…"

    @property
    def ends_at(self) -> datetime:
        return self.first_seen + ATTRIBUTION_WINDOW
