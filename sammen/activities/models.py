from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .kinds import ActivityKind, get_kind

TITLE_MAX_LENGTH = 120
SLUG_MAX_LENGTH = 60
SUMMARY_MAX_LENGTH = 300
ANSWER_MAX_LENGTH = 10_000
BRIEF_TEXT_MAX_LENGTH = 1500
MEASURE_MAX_LENGTH = 200
MAX_SUCCESS_MEASURES = 8
LINK_ANCHOR_MAX_LENGTH = 60
LINK_LABEL_MAX_LENGTH = 200


class Phase(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    ANSWERED = "answered", _("Answered")


class Activity(models.Model):
    """One unit of co-creation in a space, of one kind, from its brief to its public answer.

    The kinds (open call, conversation, live session, journey, meeting) keep their
    own data in models that point here; this row holds what they share.
    """

    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(_("format"), max_length=30, blank=True)
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    slug = models.SlugField(_("web address"), max_length=SLUG_MAX_LENGTH)
    summary = models.CharField(_("summary"), max_length=SUMMARY_MAX_LENGTH, blank=True)
    phase = models.CharField(_("phase"), max_length=10, choices=Phase.choices, default=Phase.DRAFT)
    opens_at = models.DateTimeField(_("planned opening"), null=True, blank=True)
    closes_at = models.DateTimeField(_("planned closing"), null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("public answer"), max_length=ANSWER_MAX_LENGTH, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["space", "slug"], name="activity_slug_unique_in_space"),
            models.CheckConstraint(
                condition=Q(phase__in=Phase.values), name="activity_phase_valid"
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(closes_at__gt=F("opens_at")),
                name="activity_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=~Q(phase="answered") | ~Q(answer=""),
                name="activity_answered_has_answer",
            ),
        ]
        indexes = [models.Index(fields=["space", "phase"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "activities:detail",
            kwargs={"space_slug": self.space.slug, "activity_slug": self.slug},
        )

    @property
    def kind_info(self) -> ActivityKind | None:
        return get_kind(self.kind)

    @property
    def is_draft(self) -> bool:
        return self.phase == Phase.DRAFT

    @property
    def is_open(self) -> bool:
        return self.phase == Phase.OPEN


# The brief's parts as its form labels them: the self-check before opening names a
# missing part with the same words the organiser sees on the form.
BRIEF_LABELS = {
    "goal": _("Goal"),
    "business_challenge": _("Business challenge"),
    "audience": _("Audience"),
    "audience_insight": _("Why would they take part?"),
    "audience_challenge": _("What is their challenge?"),
    "channels": _("Channels and formats"),
    "channels_reason": _("Why these channels and formats?"),
    "measures": _("Success measures"),
}


class Brief(models.Model):
    """The why-first frame of an activity. An activity cannot open until it is complete."""

    activity = models.OneToOneField(
        Activity, on_delete=models.CASCADE, primary_key=True, related_name="brief"
    )
    goal = models.TextField(_("goal"), max_length=BRIEF_TEXT_MAX_LENGTH, blank=True)
    business_challenge = models.TextField(
        _("business challenge"), max_length=BRIEF_TEXT_MAX_LENGTH, blank=True
    )
    audience = models.TextField(_("audience"), max_length=BRIEF_TEXT_MAX_LENGTH, blank=True)
    audience_insight = models.TextField(
        _("why they would take part"), max_length=BRIEF_TEXT_MAX_LENGTH, blank=True
    )
    audience_challenge = models.TextField(
        _("their challenge"), max_length=BRIEF_TEXT_MAX_LENGTH, blank=True
    )
    channels = models.TextField(
        _("channels and formats"), max_length=BRIEF_TEXT_MAX_LENGTH, blank=True
    )
    channels_reason = models.TextField(
        _("why these channels and formats"), max_length=BRIEF_TEXT_MAX_LENGTH, blank=True
    )
    # The self-check: "yes", "no" or "" (not answered) per question in selfcheck.questions().
    self_check = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    TEXT_PARTS = (
        "goal",
        "business_challenge",
        "audience",
        "audience_insight",
        "audience_challenge",
        "channels",
        "channels_reason",
    )

    class Meta:
        verbose_name = _("brief")
        verbose_name_plural = _("briefs")

    def __str__(self) -> str:
        return f"Brief of {self.activity_id}"

    def missing_parts(self, measure_count: int) -> list[str]:
        """Return the form labels of the parts still empty; an empty list means complete."""
        missing = [
            str(BRIEF_LABELS[part]) for part in self.TEXT_PARTS if not getattr(self, part).strip()
        ]
        if measure_count == 0:
            missing.append(str(BRIEF_LABELS["measures"]))
        return missing


class SuccessMeasure(models.Model):
    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="measures")
    measure = models.CharField(_("measure"), max_length=MEASURE_MAX_LENGTH)
    target = models.DecimalField(
        _("target"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # At the end: either a figure Sammen counts (a key of the kind's metrics) or the
    # result the organiser measured elsewhere.
    metric = models.CharField(_("counted by Sammen as"), max_length=30, blank=True)
    result = models.DecimalField(
        _("result"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )

    class Meta:
        verbose_name = _("success measure")
        verbose_name_plural = _("success measures")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(target__gte=0), name="measure_target_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.measure}: {self.target} {self.unit}".strip()


class ActivityLink(models.Model):
    """An activity opened from another (an open call from a journey's touchpoint).

    Both show the link. `anchor` names the part of the source it came from in the
    source kind's own terms ("touchpoint:12"); `anchor_label` is how people read it
    ("The welcome at the desk"). This app knows no kind: it only keeps and shows them.
    """

    source = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="links_in")
    anchor = models.CharField(max_length=LINK_ANCHOR_MAX_LENGTH, blank=True)
    anchor_label = models.CharField(max_length=LINK_LABEL_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("link between activities")
        verbose_name_plural = _("links between activities")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="activity_link_once"),
            models.CheckConstraint(
                condition=~Q(source=F("target")), name="activity_link_not_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.target_id}"
