"""The rollups the insights page reads, and what organisers adjust.

The page never reads the kinds' tables: the rollup job (`rollup.py`) rewrites these
rows for a space from the registered sources, with GROUP BY in SQL. Participants are
kept as their ids, without a foreign key, so a rollup of millions of rows writes fast
and a participant's erasure needs no cascade here (the next rollup forgets them).
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .registry import SOURCE_KEY_MAX_LENGTH

MINUTES_MAX = Decimal(600)
KIND_MAX_LENGTH = 30


class Rollup(models.Model):
    """When a space's figures were last counted, and when someone last asked for it."""

    space = models.OneToOneField("spaces.Space", on_delete=models.CASCADE, related_name="+")
    computed_at = models.DateTimeField(null=True, blank=True)
    requested_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(default=0)
    # Each activity's success measures against their targets when it was counted:
    # [{"activity": id, "measure": text, "target": "150.00", "unit": "", "actual": 12.0,
    #   "counted": true}], read by the page instead of asking every kind again.
    measures = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"Rollup of space {self.space_id} at {self.computed_at}"


class DailyCount(models.Model):
    """The contributions of one source in one activity on one day, and how many made them."""

    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey("activities.Activity", on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=SOURCE_KEY_MAX_LENGTH)
    day = models.DateField()
    contributions = models.PositiveIntegerField()
    people = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["space", "day"], name="insights_daily_space_day")]

    def __str__(self) -> str:
        return f"{self.source} in {self.activity_id} on {self.day}: {self.contributions}"


class Span(models.Model):
    """From when to when one participant took part in one scope of a space, and how much.

    The scope is the whole space (no activity, no kind, no source), a kind, a source, an
    activity, or a source within an activity. A person counts in a period when their
    span there overlaps it.
    """

    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey(
        "activities.Activity", on_delete=models.CASCADE, null=True, related_name="+"
    )
    kind = models.CharField(max_length=KIND_MAX_LENGTH, blank=True)
    source = models.CharField(max_length=SOURCE_KEY_MAX_LENGTH, blank=True)
    participant_id = models.BigIntegerField()
    first_day = models.DateField()
    last_day = models.DateField()
    contributions = models.PositiveIntegerField()
    activities = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [
            models.Index(
                fields=["space", "activity", "kind", "source", "first_day", "last_day"],
                name="insights_span_scope",
            ),
        ]

    def __str__(self) -> str:
        return f"Participant {self.participant_id} from {self.first_day} to {self.last_day}"


class ScopeTotal(models.Model):
    """How many people took part in one scope of a space over all time (the spans counted
    once by the rollup), so the page for all time reads one row per scope."""

    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey(
        "activities.Activity", on_delete=models.CASCADE, null=True, related_name="+"
    )
    kind = models.CharField(max_length=KIND_MAX_LENGTH, blank=True)
    source = models.CharField(max_length=SOURCE_KEY_MAX_LENGTH, blank=True)
    people = models.PositiveIntegerField()
    in_two_or_more = models.PositiveIntegerField()
    first_day = models.DateField()
    last_day = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["space", "activity"], name="insights_total_scope")]

    def __str__(self) -> str:
        return f"{self.people} people in {self.kind or self.source or self.activity_id}"


class ScopeDay(models.Model):
    """How many spans of one scope start (`firsts`) and end (`lasts`) on a day, in all and
    among people in two or more activities.

    The people of a period are then the scope's total less those whose span ended before
    it and those whose span started after it, read from a few thousand rows whatever the
    number of people.
    """

    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey(
        "activities.Activity", on_delete=models.CASCADE, null=True, related_name="+"
    )
    kind = models.CharField(max_length=KIND_MAX_LENGTH, blank=True)
    source = models.CharField(max_length=SOURCE_KEY_MAX_LENGTH, blank=True)
    day = models.DateField()
    firsts = models.PositiveIntegerField()
    lasts = models.PositiveIntegerField()
    multi_firsts = models.PositiveIntegerField()
    multi_lasts = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["space", "day"], name="insights_scope_day")]

    def __str__(self) -> str:
        return f"{self.firsts} start, {self.lasts} end on {self.day}"


class DailyPeople(models.Model):
    """How many people took part on one day in an activity (or the whole space, no
    activity), and how many of them for the first time there."""

    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey(
        "activities.Activity", on_delete=models.CASCADE, null=True, related_name="+"
    )
    day = models.DateField()
    people = models.PositiveIntegerField()
    newcomers = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["space", "activity", "day"], name="insights_people_day")]

    def __str__(self) -> str:
        return f"{self.people} people on {self.day}"


class AnswerDelay(models.Model):
    """How many contributions of a source, answered on a day, waited so many days."""

    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey("activities.Activity", on_delete=models.CASCADE, related_name="+")
    # The source's key, or "" for the activity's public answer to all its contributions.
    source = models.CharField(max_length=SOURCE_KEY_MAX_LENGTH, blank=True)
    answered_on = models.DateField()
    days = models.PositiveIntegerField()
    answers = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["space", "answered_on"], name="insights_answer_day")]

    def __str__(self) -> str:
        return f"{self.answers} answered after {self.days} days"


class MinutesSetting(models.Model):
    """A space's own estimate of the minutes one contribution of a source takes."""

    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=SOURCE_KEY_MAX_LENGTH)
    minutes = models.DecimalField(
        _("minutes"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(MINUTES_MAX)],
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["space", "source"], name="minutes_once_per_source"),
            models.CheckConstraint(
                condition=Q(minutes__gte=0) & Q(minutes__lte=MINUTES_MAX),
                name="minutes_within_bounds",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source}: {self.minutes} minutes"
