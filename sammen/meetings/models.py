"""A meeting designed from why: objectives on the levels of return, a programme that
serves them, costs, registrations, and what attendees answered during and after.

The return (levels 0 to 5: inputs, reaction and planned action, learning,
application, impact, ROI) follows from these rows; `analysis.py` computes it.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sammen.accounts.models import Participant
from sammen.activities.models import Activity

DESCRIPTION_MAX_LENGTH = 3000
TEXT_MAX_LENGTH = 300
NAME_MAX_LENGTH = 120
PLACE_MAX_LENGTH = 200
ANSWER_MAX_LENGTH = 1000
MAX_OBJECTIVES = 20
MAX_SESSIONS = 60
MAX_COST_LINES = 60
MAX_CAPACITY = 100_000
MAX_AMOUNT = 10**10


def new_code() -> str:
    return secrets.token_urlsafe(12)


class Audience(models.TextChoices):
    ANYONE = "anyone", _("Anyone with the link, with a confirmed email address")
    MEMBERS = "members", _("Members of this space")


class Meeting(models.Model):
    """The meeting of an activity: when and where, who may register, when to follow up."""

    activity = models.OneToOneField(
        Activity, on_delete=models.CASCADE, primary_key=True, related_name="meeting"
    )
    description = models.TextField(
        _("what the meeting is for"), max_length=DESCRIPTION_MAX_LENGTH, blank=True
    )
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    venue = models.CharField(_("venue"), max_length=PLACE_MAX_LENGTH, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    audience = models.CharField(
        _("who may register"), max_length=20, choices=Audience.choices, default=Audience.ANYONE
    )
    registration_open = models.BooleanField(_("registration is open"), default=False)
    # Days after the meeting when attendees are asked what they applied.
    follow_up_days = models.JSONField(default=list, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(audience__in=Audience.values), name="meeting_audience_valid"
            ),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True)
                | Q(ends_at__isnull=True)
                | Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return str(self.activity)


class Level(models.TextChoices):
    REACTION = "reaction", _("Reaction")
    LEARNING = "learning", _("Learning")
    APPLICATION = "application", _("Application")
    IMPACT = "impact", _("Business impact")


class Objective(models.Model):
    """What the meeting should achieve, on one level of return, and how it is measured.

    An impact objective also carries its business measure: the value before and after,
    and what one unit is worth, so its share of the change becomes money.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="objectives")
    level = models.CharField(_("level"), max_length=15, choices=Level.choices)
    text = models.CharField(_("objective"), max_length=TEXT_MAX_LENGTH)
    measure = models.CharField(_("measure"), max_length=TEXT_MAX_LENGTH, blank=True)
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    how_measured = models.CharField(
        _("how it will be measured"), max_length=TEXT_MAX_LENGTH, blank=True
    )
    value_before = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    value_after = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    value_per_unit = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=Level.values), name="objective_level_valid"
            )
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def has_measurement(self) -> bool:
        return bool(self.measure.strip() and self.how_measured.strip())


class Format(models.TextChoices):
    KEYNOTE = "keynote", _("Keynote")
    PANEL = "panel", _("Panel")
    WORKSHOP = "workshop", _("Workshop")
    WORLD_CAFE = "world_cafe", _("World café")
    OPEN_SPACE = "open_space", _("Open space")
    FISHBOWL = "fishbowl", _("Fishbowl")
    WALK_AND_TALK = "walk_and_talk", _("Walk and talk")
    NETWORKING = "networking", _("Networking")
    SITE_VISIT = "site_visit", _("Site visit")
    OTHER = "other", _("Other")


# Formats where the audience mostly listens: learning and application need more.
ONE_WAY_FORMATS = frozenset({Format.KEYNOTE, Format.PANEL})


class Session(models.Model):
    """A part of the programme, in a format, serving some of the objectives."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=NAME_MAX_LENGTH)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    room = models.CharField(_("room"), max_length=PLACE_MAX_LENGTH, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    speaker = models.CharField(_("speaker"), max_length=NAME_MAX_LENGTH, blank=True)
    format = models.CharField(_("format"), max_length=20, choices=Format.choices)
    # Minutes in which the audience speaks (questions, discussion): the agenda needs some.
    audience_minutes = models.PositiveSmallIntegerField(_("minutes for the audience"), default=0)
    objectives = models.ManyToManyField(
        Objective, blank=True, related_name="sessions", verbose_name=_("objectives it serves")
    )

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(format__in=Format.values), name="session_format_valid"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class CostCategory(models.TextChoices):
    VENUE = "venue", _("Venue")
    CATERING = "catering", _("Catering")
    TRAVEL = "travel", _("Travel")
    SPEAKERS = "speakers", _("Speakers")
    STAFF = "staff", _("Staff time")
    TECHNOLOGY = "technology", _("Technology")
    OTHER = "other", _("Other")


class CostLine(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="costs")
    category = models.CharField(_("category"), max_length=15, choices=CostCategory.choices)
    description = models.CharField(_("what"), max_length=TEXT_MAX_LENGTH, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("cost")
        verbose_name_plural = _("costs")
        ordering = ["category", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=CostCategory.values), name="cost_category_valid"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="cost_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.amount}"


class RegistrationState(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Waiting for the email address to be confirmed")
    CONFIRMED = "confirmed", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Registration(models.Model):
    """One person's place at a meeting: registered, waiting or cancelled; checked in or not."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="registrations")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="meeting_registrations"
    )
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    email = models.EmailField(_("email"), blank=True)
    state = models.CharField(
        max_length=15, choices=RegistrationState.choices, default=RegistrationState.UNCONFIRMED
    )
    # Shown as a QR code at the door, and in the attendee's one-time links.
    code = models.CharField(max_length=32, unique=True, default=new_code)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "participant"], name="registration_once_per_meeting"
            ),
            models.CheckConstraint(
                condition=Q(state__in=RegistrationState.values), name="registration_state_valid"
            ),
        ]
        indexes = [models.Index(fields=["meeting", "state"], name="registration_by_state")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_confirmed(self) -> bool:
        return self.state == RegistrationState.CONFIRMED

    @property
    def checked_in(self) -> bool:
        return self.checked_in_at is not None


class SessionRating(models.Model):
    """How an attendee rated a session (1 to 5): the reaction, level 1."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="ratings")
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="session_ratings"
    )
    score = models.PositiveSmallIntegerField()
    comment = models.CharField(max_length=ANSWER_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("session rating")
        verbose_name_plural = _("session ratings")
        constraints = [
            models.UniqueConstraint(fields=["session", "registration"], name="session_rating_once"),
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5), name="session_rating_score_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} on {self.session_id}: {self.score}"


class PlannedAction(models.Model):
    """What an attendee will do differently after the meeting, in their own words."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, primary_key=True, related_name="planned_action"
    )
    text = models.CharField(_("what you will do differently"), max_length=ANSWER_MAX_LENGTH)
    confidence = models.PositiveSmallIntegerField(_("how confident you are (%)"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("planned action")
        verbose_name_plural = _("planned actions")
        constraints = [
            models.CheckConstraint(
                condition=Q(confidence__lte=100), name="planned_action_confidence_valid"
            )
        ]

    def __str__(self) -> str:
        return self.text


class Moment(models.TextChoices):
    BEFORE = "before", _("Before the meeting")
    AFTER = "after", _("At the end of the meeting")


class LearningAnswer(models.Model):
    """An attendee's self-assessment on a learning objective (1 to 5), before and after."""

    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="learning_answers"
    )
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="learning_answers"
    )
    moment = models.CharField(max_length=10, choices=Moment.choices)
    value = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("learning answer")
        verbose_name_plural = _("learning answers")
        constraints = [
            models.UniqueConstraint(
                fields=["objective", "registration", "moment"], name="learning_answer_once"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=1) & Q(value__lte=5), name="learning_answer_value_valid"
            ),
            models.CheckConstraint(
                condition=Q(moment__in=Moment.values), name="learning_answer_moment_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} {self.moment}: {self.value}"


class Applied(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("Not yet")


class Frequency(models.TextChoices):
    ONCE = "once", _("Once")
    SOMETIMES = "sometimes", _("Sometimes")
    OFTEN = "often", _("Often")


class FollowUp(models.Model):
    """One attendee's follow-up after `days`: sent as a one-time link, answered once."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="follow_ups"
    )
    days = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    applied = models.CharField(max_length=10, choices=Applied.choices, blank=True)
    frequency = models.CharField(max_length=10, choices=Frequency.choices, blank=True)
    helped = models.CharField(max_length=ANSWER_MAX_LENGTH, blank=True)
    hindered = models.CharField(max_length=ANSWER_MAX_LENGTH, blank=True)
    # The planner sees the answer with the attendee's name only when they agree.
    share_name = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "days"], name="follow_up_once_per_round"
            ),
            models.CheckConstraint(
                condition=Q(applied="") | Q(applied__in=Applied.values),
                name="follow_up_applied_valid",
            ),
            models.CheckConstraint(
                condition=Q(frequency="") | Q(frequency__in=Frequency.values),
                name="follow_up_frequency_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} after {self.days} days"


class ImpactEstimate(models.Model):
    """An attendee's estimate of how much of a business measure's change came from the
    meeting, and how sure they are: the isolation of the meeting's effect.

    One per attendee and measure: an estimate given in a later follow-up round replaces
    the earlier one, and `days` says which round it came from.
    """

    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="impact_estimates"
    )
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="impact_estimates"
    )
    contribution = models.PositiveSmallIntegerField()
    confidence = models.PositiveSmallIntegerField()
    # The follow-up round (days after the meeting) the estimate was given in.
    days = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("impact estimate")
        verbose_name_plural = _("impact estimates")
        constraints = [
            models.UniqueConstraint(
                fields=["objective", "registration"], name="impact_estimate_once"
            ),
            models.CheckConstraint(
                condition=Q(contribution__lte=100) & Q(confidence__lte=100),
                name="impact_estimate_percentages_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} on {self.objective_id}"


class Intangible(models.Model):
    """A benefit the planner names but does not turn into money (trust, a network...)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="intangibles")
    text = models.CharField(_("benefit"), max_length=TEXT_MAX_LENGTH)

    class Meta:
        verbose_name = _("intangible benefit")
        verbose_name_plural = _("intangible benefits")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text
