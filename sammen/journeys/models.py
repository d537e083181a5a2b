"""A customer journey: stages of touchpoints that the customers themselves rate.

Ratings are counted in the database (histograms per touchpoint and wave), so the
organiser's figures cost a few grouped queries whatever the number of ratings;
`analysis.py` turns those counts into curves, moments and advice.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sammen.accounts.models import Participant
from sammen.activities.models import Activity

DESCRIPTION_MAX_LENGTH = 3000
STAGE_NAME_MAX_LENGTH = 80
TOUCHPOINT_NAME_MAX_LENGTH = 120
TOUCHPOINT_DESCRIPTION_MAX_LENGTH = 500
COMMENT_MAX_LENGTH = 1000
SEGMENT_LABEL_MAX_LENGTH = 80
SEGMENT_QUESTION_MAX_LENGTH = 200
WAVE_LABEL_MAX_LENGTH = 80
PLAN_MAX_LENGTH = 500
DECISION_MAX_LENGTH = 1000
HIDDEN_REASON_MAX_LENGTH = 200
MAX_STAGES = 20
MAX_TOUCHPOINTS = 80
MAX_SEGMENTS = 8
MAX_VOLUME = 1_000_000_000


class Audience(models.TextChoices):
    ANYONE = "anyone", _("Anyone with the link")
    VERIFIED_EMAIL = "verified_email", _("Anyone with a verified email address")
    MEMBERS = "members", _("Members of this space")


class Scale(models.IntegerChoices):
    FIVE = 5, _("Five points, from very negative to very positive")
    SEVEN = 7, _("Seven points, from very negative to very positive")


class Journey(models.Model):
    """The journey of an activity: its settings; its stages and touchpoints point here."""

    activity = models.OneToOneField(
        Activity, on_delete=models.CASCADE, primary_key=True, related_name="journey"
    )
    description = models.TextField(
        _("what customers go through"), max_length=DESCRIPTION_MAX_LENGTH, blank=True
    )
    audience = models.CharField(
        _("who may rate"), max_length=20, choices=Audience.choices, default=Audience.ANYONE
    )
    scale = models.PositiveSmallIntegerField(
        _("emotion scale"), choices=Scale.choices, default=Scale.SEVEN
    )
    proposals_allowed = models.BooleanField(
        _("participants may propose a missing touchpoint"), default=True
    )
    ask_recommendation = models.BooleanField(
        _("ask at the end how likely they are to recommend us (0-10)"), default=False
    )
    segment_question = models.CharField(
        _("segment question"), max_length=SEGMENT_QUESTION_MAX_LENGTH, blank=True
    )
    # Bumped by every rating: the organiser's figures are cached under it.
    figures_version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("journey")
        verbose_name_plural = _("journeys")
        constraints = [
            models.CheckConstraint(
                condition=Q(audience__in=Audience.values), name="journey_audience_valid"
            ),
            models.CheckConstraint(condition=Q(scale__in=Scale.values), name="journey_scale_valid"),
        ]

    def __str__(self) -> str:
        return str(self.activity)


class Stage(models.Model):
    """A part of the journey (before, arrival, visit...), holding touchpoints in order."""

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(_("stage"), max_length=STAGE_NAME_MAX_LENGTH)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    WEB = "web", _("Website")
    APP = "app", _("App")
    EMAIL = "email", _("Email")
    CHAT = "chat", _("Chat")
    LETTER = "letter", _("Letter")
    OTHER = "other", _("Other")


class Performer(models.TextChoices):
    STAFF = "staff", _("Staff")
    SELF_SERVICE = "self_service", _("Self-service")
    AUTOMATED = "automated", _("Automated")


class Risk(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class TouchpointState(models.TextChoices):
    SHOWN = "shown", _("Shown")
    PROPOSED = "proposed", _("Proposed, waiting for approval")
    HIDDEN = "hidden", _("Hidden")


class ServiceChoice(models.TextChoices):
    KEEP_PERSON = "keep_person", _("Keep a person")
    AUTOMATE = "automate", _("Automate")
    HANDOVER = "automate_with_handover", _("Automate, with an easy handover to a person")


class Touchpoint(models.Model):
    """A moment where the customer meets the organisation, rated by the customers."""

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="touchpoints")
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="touchpoints")
    name = models.CharField(_("touchpoint"), max_length=TOUCHPOINT_NAME_MAX_LENGTH)
    description = models.CharField(
        _("short description"), max_length=TOUCHPOINT_DESCRIPTION_MAX_LENGTH, blank=True
    )
    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel.choices, default=Channel.IN_PERSON
    )
    performer = models.CharField(
        _("who does it today"), max_length=20, choices=Performer.choices, default=Performer.STAFF
    )
    monthly_volume = models.PositiveIntegerField(_("times a month"), null=True, blank=True)
    risk = models.CharField(
        _("what goes wrong if it fails"), max_length=10, choices=Risk.choices, default=Risk.LOW
    )
    position = models.PositiveSmallIntegerField(default=0)
    state = models.CharField(
        max_length=10, choices=TouchpointState.choices, default=TouchpointState.SHOWN
    )
    # A touchpoint a participant proposed as missing (moderated before others see it).
    proposed_by = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    hidden_reason = models.CharField(max_length=HIDDEN_REASON_MAX_LENGTH, blank=True)
    # What the organisation decided here: a person or a machine, and in words.
    service_choice = models.CharField(
        _("your decision"), max_length=30, choices=ServiceChoice.choices, blank=True
    )
    decision = models.TextField(_("what you decided"), max_length=DECISION_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = _("touchpoint")
        verbose_name_plural = _("touchpoints")
        ordering = ["stage__position", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="touchpoint_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(performer__in=Performer.values), name="touchpoint_performer_valid"
            ),
            models.CheckConstraint(condition=Q(risk__in=Risk.values), name="touchpoint_risk_valid"),
            models.CheckConstraint(
                condition=Q(state__in=TouchpointState.values), name="touchpoint_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(service_choice="") | Q(service_choice__in=ServiceChoice.values),
                name="touchpoint_service_choice_valid",
            ),
        ]
        indexes = [models.Index(fields=["journey", "state"], name="touchpoint_by_state")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_shown(self) -> bool:
        return self.state == TouchpointState.SHOWN


class PlanKind(models.TextChoices):
    GESTURE = "gesture", _("Small gesture")
    IMPROVEMENT = "improvement", _("Improvement")


class Plan(models.Model):
    """A gesture (a thank-you, a surprise, a personal note) or an improvement planned
    at a touchpoint."""

    touchpoint = models.ForeignKey(Touchpoint, on_delete=models.CASCADE, related_name="plans")
    kind = models.CharField(_("kind"), max_length=15, choices=PlanKind.choices)
    text = models.CharField(_("what you plan"), max_length=PLAN_MAX_LENGTH)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=PlanKind.values), name="plan_kind_valid")
        ]

    def __str__(self) -> str:
        return self.text


class Segment(models.Model):
    """An answer to the journey's segment question (first visit, regular...)."""

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="segments")
    label = models.CharField(_("answer"), max_length=SEGMENT_LABEL_MAX_LENGTH)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["journey", "label"], name="segment_label_once")
        ]

    def __str__(self) -> str:
        return self.label


class Wave(models.Model):
    """A round of rating (before a change, after it). One wave at a time is open."""

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="waves")
    number = models.PositiveSmallIntegerField()
    label = models.CharField(_("name of the wave"), max_length=WAVE_LABEL_MAX_LENGTH, blank=True)
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("wave")
        verbose_name_plural = _("waves")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["journey", "number"], name="wave_number_once"),
            models.UniqueConstraint(
                fields=["journey"],
                condition=Q(closed_at__isnull=True),
                name="one_open_wave_per_journey",
            ),
        ]

    def __str__(self) -> str:
        return self.label or f"#{self.number}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Respondent(models.Model):
    """A participant's part in one wave: their segment and their closing answer."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="respondents")
    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="respondents")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="journey_respondents"
    )
    segment = models.ForeignKey(
        Segment, on_delete=models.SET_NULL, null=True, blank=True, related_name="respondents"
    )
    recommendation = models.PositiveSmallIntegerField(null=True, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("respondent")
        verbose_name_plural = _("respondents")
        constraints = [
            models.UniqueConstraint(
                fields=["wave", "participant"], name="respondent_once_per_wave"
            ),
            models.CheckConstraint(
                condition=Q(recommendation__isnull=True) | Q(recommendation__lte=10),
                name="respondent_recommendation_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} in wave {self.wave_id}"


class Preference(models.TextChoices):
    PERSON = "person", _("I would rather deal with a person")
    MACHINE = "machine", _("I would rather deal with a machine")
    NONE = "none", _("No preference")


class Rating(models.Model):
    """One participant's feeling at one touchpoint in one wave; rating again changes it.

    `score` is None when they did not go through this touchpoint. `words` holds the
    emotion words picked, as bits (see emotions.py), so the database counts them.
    """

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="ratings")
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="ratings")
    touchpoint = models.ForeignKey(Touchpoint, on_delete=models.CASCADE, related_name="ratings")
    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="ratings")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="journey_ratings"
    )
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    words = models.PositiveIntegerField(default=0)
    preference = models.CharField(max_length=10, choices=Preference.choices, blank=True)
    comment = models.TextField(max_length=COMMENT_MAX_LENGTH, blank=True)
    comment_hidden_at = models.DateTimeField(null=True, blank=True)
    comment_hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    comment_hidden_reason = models.CharField(max_length=HIDDEN_REASON_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["wave", "touchpoint", "participant"], name="rating_once_per_wave"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=1) & Q(score__lte=7)),
                name="rating_score_valid",
            ),
            models.CheckConstraint(
                condition=Q(preference="") | Q(preference__in=Preference.values),
                name="rating_preference_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["journey", "wave", "touchpoint"], name="rating_by_touchpoint"),
            models.Index(fields=["participant", "journey"], name="rating_by_participant"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} at {self.touchpoint_id}: {self.score}"

    @property
    def comment_is_hidden(self) -> bool:
        return self.comment_hidden_at is not None
