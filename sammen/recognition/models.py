from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sammen.accounts.models import Participant

# Deeds are registered by the apps that reward them (registry.py), not listed here.
DEED_MAX_LENGTH = 30


class Recognition(models.Model):
    """One entry in a participant's ledger: points for one deed, counted once."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="recognitions"
    )
    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="+")
    deed = models.CharField(max_length=DEED_MAX_LENGTH)
    points = models.IntegerField()
    # What the deed was about ("idea:12"), so the same deed never counts twice.
    source = models.CharField(max_length=60)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "deed", "source"], name="recognition_once"
            ),
        ]
        indexes = [models.Index(fields=["participant", "space"])]

    def __str__(self) -> str:
        return f"{self.participant_id} {self.deed} +{self.points}"


BADGE_NAME_MAX_LENGTH = 60
BADGE_NOTE_MAX_LENGTH = 300


class Badge(models.Model):
    """A thank-you an owner gives a contributor, in their own words."""

    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="badges")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="badges")
    name = models.CharField(_("badge"), max_length=BADGE_NAME_MAX_LENGTH)
    note = models.CharField(_("why"), max_length=BADGE_NOTE_MAX_LENGTH, blank=True)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("badge")
        verbose_name_plural = _("badges")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="badge_has_a_name"),
        ]
        indexes = [models.Index(fields=["space", "-created_at"], name="badge_newest_in_space")]

    def __str__(self) -> str:
        return self.name
