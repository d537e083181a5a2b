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


class RewardKind(models.TextChoices):
    TICKET = "ticket", _("A ticket")
    BACKSTAGE = "backstage", _("A backstage visit")
    REVENUE_SHARE = "revenue_share", _("A share of revenue")
    CREDIT = "credit", _("A credit on the product")
    OTHER = "other", _("Something else")


REWARD_TITLE_MAX_LENGTH = 100
REWARD_DESCRIPTION_MAX_LENGTH = 1000
GRANT_REASON_MAX_LENGTH = 500


class Reward(models.Model):
    """What an organiser promises the people who carry a space or one of its activities."""

    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="rewards")
    # The activity whose brief or call states it; none for the whole space.
    activity = models.ForeignKey(
        "activities.Activity",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("activity"),
    )
    kind = models.CharField(_("kind of reward"), max_length=20, choices=RewardKind.choices)
    title = models.CharField(_("reward"), max_length=REWARD_TITLE_MAX_LENGTH)
    description = models.TextField(
        _("description"), max_length=REWARD_DESCRIPTION_MAX_LENGTH, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reward")
        verbose_name_plural = _("rewards")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="reward_has_a_title"),
        ]

    def __str__(self) -> str:
        return self.title


class RewardGrant(models.Model):
    """A reward granted to one named person, with the organiser's reason."""

    reward = models.ForeignKey(Reward, on_delete=models.CASCADE, related_name="grants")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="reward_grants"
    )
    reason = models.CharField(_("reason"), max_length=GRANT_REASON_MAX_LENGTH)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reward granted")
        verbose_name_plural = _("rewards granted")
        ordering = ["-granted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["reward", "participant"], name="reward_once_per_person"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="reward_grant_has_a_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.reward} → {self.participant_id}"


THANK_YOU_MAX_LENGTH = 2000


class ThankYou(models.Model):
    """A personal note from an organiser to one participant: one recipient, by construction."""

    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="+")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recipient = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="thank_yous")
    text = models.TextField(_("your note"), max_length=THANK_YOU_MAX_LENGTH)
    sent_at = models.DateTimeField(auto_now_add=True)
    # Set when the note went out by email too (to a verified address).
    emailed = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("thank-you note")
        verbose_name_plural = _("thank-you notes")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="thank_you_has_a_text"),
        ]
        indexes = [models.Index(fields=["sender", "-sent_at"], name="thank_you_by_sender")]

    def __str__(self) -> str:
        return f"{self.sender_id} → {self.recipient_id}"
