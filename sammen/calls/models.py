import math
from datetime import UTC, datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sammen.accounts.models import Participant
from sammen.activities.models import Activity, Phase

TITLE_MAX_LENGTH = 140
BODY_MAX_LENGTH = 5000
RULES_MAX_LENGTH = 5000
ANSWER_MAX_LENGTH = 5000
MAX_IMAGES_PER_IDEA = 3
MAX_MOMENTUM_STAGES = 5
MAX_CRITERIA = 10
# The organisers hear this many days before the review ends that answers are due.
REVIEW_REMINDER_DAYS = 3

# Trending: an idea's score grows with the logarithm of its supports and with its
# age, so fresh ideas with some support outrank old ones with slightly more. One
# tenfold rise in supports is worth this many seconds of being newer (as in the
# "hot" ranking of link aggregators); the score needs no update as time passes.
TRENDING_SECONDS_PER_DECADE = 45_000
TRENDING_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)

# Random order stable per visitor: a multiplicative hash of the idea id, offset by the
# visitor's seed, modulo a prime. Fair to early and late ideas alike, and the same
# visitor sees the same order on every page.
SHUFFLE_MULTIPLIER = 48271
SHUFFLE_MODULUS = 2_147_483_647


def shuffle_key() -> models.ExpressionWrapper:
    """Return the idea's place in the random order before a visitor's seed turns it."""
    return models.ExpressionWrapper(
        models.F("id") * SHUFFLE_MULTIPLIER % SHUFFLE_MODULUS,
        output_field=models.BigIntegerField(),
    )


class Stage(models.TextChoices):
    SUBMISSION = "submission", _("Submitting ideas")
    SUPPORT = "support", _("Supporting ideas")
    REVIEW = "review", _("Review")


class Supporters(models.TextChoices):
    MEMBERS = "members", _("Members of the space")
    VERIFIED_EMAIL = "verified_email", _("Anyone with a verified email address")
    ANYONE = "anyone", _("Anyone, once per browser")


class Call(models.Model):
    """An open call: the rules and frame, the stages and their dates, who may support."""

    activity = models.OneToOneField(
        Activity, on_delete=models.CASCADE, primary_key=True, related_name="call"
    )
    description = models.TextField(_("description"), max_length=RULES_MAX_LENGTH, blank=True)
    scope = models.TextField(_("what is in scope"), max_length=RULES_MAX_LENGTH, blank=True)
    criteria = models.TextField(
        _("what ideas are judged on"), max_length=RULES_MAX_LENGTH, blank=True
    )
    after_selection = models.TextField(
        _("what happens to selected ideas"), max_length=RULES_MAX_LENGTH, blank=True
    )
    reward = models.TextField(
        _("what participants get for taking part"), max_length=RULES_MAX_LENGTH, blank=True
    )
    cover = models.ImageField(_("cover image"), upload_to="covers/", blank=True)
    blind = models.BooleanField(
        _("blind mode"),
        default=False,
        help_text=_("Authors' names stay hidden from everyone until their idea is answered."),
    )
    supporters = models.CharField(
        _("who may support ideas"),
        max_length=20,
        choices=Supporters.choices,
        default=Supporters.MEMBERS,
    )
    submission_ends_at = models.DateTimeField(_("submissions close"), null=True, blank=True)
    support_ends_at = models.DateTimeField(_("support closes"), null=True, blank=True)
    review_ends_at = models.DateTimeField(_("review ends"), null=True, blank=True)
    stage_override = models.CharField(
        _("stage set by hand"), max_length=12, choices=Stage.choices, blank=True
    )
    submissions_paused = models.BooleanField(_("submissions paused"), default=False)
    # The review date the organisers were last reminded of, before it ends and after it
    # passed: each reminder goes once per date, and a changed date re-arms both.
    review_soon_reminded_for = models.DateTimeField(null=True, blank=True, editable=False)
    review_overdue_reminded_for = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("open call")
        verbose_name_plural = _("open calls")
        constraints = [
            models.CheckConstraint(
                condition=Q(stage_override__in=["", *Stage.values]), name="call_stage_valid"
            ),
            models.CheckConstraint(
                condition=Q(supporters__in=Supporters.values), name="call_supporters_valid"
            ),
        ]

    def __str__(self) -> str:
        return str(self.activity)

    def stage_at(self, now: datetime) -> str:
        """Return the stage at `now`: the organiser's choice, or else the one its dates give."""
        if self.stage_override:
            return self.stage_override
        if self.submission_ends_at is None or now < self.submission_ends_at:
            return Stage.SUBMISSION
        if self.support_ends_at is None or now < self.support_ends_at:
            return Stage.SUPPORT
        return Stage.REVIEW

    @property
    def stage(self) -> str:
        return self.stage_at(timezone.now())

    def in_review_at(self, now: datetime) -> bool:
        """Return whether the organisers owe the ideas their answers at `now`.

        While the activity is open that is the review stage; once it is closed, the
        answers are all that is left. A draft owes nothing yet, and an answered activity
        has given its closing answer.
        """
        if self.activity.phase == Phase.CLOSED:
            return True
        return self.activity.phase == Phase.OPEN and self.stage_at(now) == Stage.REVIEW

    @property
    def accepts_ideas(self) -> bool:
        return (
            self.activity.is_open and self.stage == Stage.SUBMISSION and not self.submissions_paused
        )

    @property
    def accepts_support(self) -> bool:
        return self.activity.is_open and self.stage in {Stage.SUBMISSION, Stage.SUPPORT}

    @property
    def accepts_comments(self) -> bool:
        return self.activity.is_open


class MomentumStage(models.Model):
    """A support threshold an idea must reach within some days to stay alive (LEGO Ideas)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="momentum_stages")
    position = models.PositiveSmallIntegerField()
    supports_needed = models.PositiveIntegerField(_("supports needed"))
    within_days = models.PositiveIntegerField(_("within days of publishing"))

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["call", "position"], name="momentum_stage_once"),
            models.CheckConstraint(
                condition=Q(supports_needed__gte=1) & Q(within_days__gte=1),
                name="momentum_stage_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supports_needed} in {self.within_days} days"


class ReviewDate(models.Model):
    """A date on which the organiser reviews the ideas that reached review."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="review_dates")
    date = models.DateField(_("review date"))

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["call", "date"], name="review_date_once"),
        ]

    def __str__(self) -> str:
        return self.date.isoformat()


class Criterion(models.Model):
    """What the jury scores each idea on, from 1 to 5, with a weight."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="jury_criteria")
    name = models.CharField(_("criterion"), max_length=100)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=1) & Q(weight__lte=10), name="criterion_weight_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Evaluator(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="evaluators")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evaluations"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["call", "user"], name="evaluator_once_per_call"),
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.call}"


class IdeaStatus(models.TextChoices):
    PUBLISHED = "published", _("Open for support")
    UNDER_REVIEW = "under_review", _("Under review")
    SELECTED = "selected", _("Selected")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    NOT_SELECTED = "not_selected", _("Not selected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ARCHIVED = "archived", _("Archived")


ANSWER_STATUSES = [
    IdeaStatus.UNDER_REVIEW,
    IdeaStatus.SELECTED,
    IdeaStatus.IN_PROGRESS,
    IdeaStatus.DONE,
    IdeaStatus.NOT_SELECTED,
]
# Statuses of ideas that still wait for an answer: *under review* is a step on the way,
# not the answer the call promised. Withdrawn and archived ideas get no answer.
AWAITING_ANSWER = {IdeaStatus.PUBLISHED, IdeaStatus.UNDER_REVIEW}
# Statuses that end an idea's path: its author is named, even in blind mode.
FINAL_ANSWERS = {
    IdeaStatus.SELECTED,
    IdeaStatus.IN_PROGRESS,
    IdeaStatus.DONE,
    IdeaStatus.NOT_SELECTED,
}


def trending_score(support_count: int, created_at: datetime) -> float:
    age_seconds = (created_at - TRENDING_EPOCH).total_seconds()
    return math.log10(max(support_count, 1)) + age_seconds / TRENDING_SECONDS_PER_DECADE


class Idea(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="ideas")
    author = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="ideas")
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    body = models.TextField(_("your idea"), max_length=BODY_MAX_LENGTH)
    builds_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="built_upon_by",
        verbose_name=_("builds on"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=IdeaStatus.choices, default=IdeaStatus.PUBLISHED
    )
    momentum_level = models.PositiveSmallIntegerField(default=0)
    answer = models.TextField(_("answer"), max_length=ANSWER_MAX_LENGTH, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    support_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    trending = models.FloatField(default=0)
    thread = models.OneToOneField("comments.Thread", on_delete=models.PROTECT, related_name="idea")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    hidden_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=IdeaStatus.values), name="idea_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(builds_on=models.F("id")), name="idea_does_not_build_on_itself"
            ),
        ]
        indexes = [
            models.Index(fields=["call", "-created_at"], name="idea_newest"),
            models.Index(fields=["call", "-support_count", "-id"], name="idea_most_supported"),
            models.Index(fields=["call", "-comment_count", "-id"], name="idea_most_discussed"),
            models.Index(fields=["call", "-trending"], name="idea_trending"),
            models.Index(fields=["call", "status"], name="idea_status"),
            # The ideas a list shows (hidden and archived ones left out): the paginator
            # counts them and the random order is computed over them from this index alone.
            models.Index(
                fields=["call", "id"],
                condition=Q(hidden_at__isnull=True) & ~Q(status="archived"),
                name="idea_listed",
            ),
            # The random order reads its pages from this index (queries.shuffled_ids).
            models.Index(models.F("call"), shuffle_key(), name="idea_shuffled"),
            # Full-text search has GIN indexes on PostgreSQL, one per language, made by
            # migration 0002 in SQL: SQLite has no GIN indexes, and Django would try to
            # create them there when it rebuilds the table.
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        activity = self.call.activity
        return reverse(
            "calls:idea",
            kwargs={
                "space_slug": activity.space.slug,
                "activity_slug": activity.slug,
                "idea_id": self.pk,
            },
        )

    @property
    def is_withdrawn(self) -> bool:
        return self.status == IdeaStatus.WITHDRAWN

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    @property
    def awaits_answer(self) -> bool:
        return self.status in AWAITING_ANSWER and not self.is_hidden

    def author_is_hidden(self) -> bool:
        """In blind mode, nobody sees who wrote an idea until it has a final answer."""
        return self.call.blind and self.status not in FINAL_ANSWERS


class IdeaImage(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to="ideas/")
    # The size in pixels, read once when the image is stored, so a card reserves the
    # image's place before it loads without opening the file on every list. (Not the
    # field's width_field: that opens the file of every row loaded without a size.)
    width = models.PositiveIntegerField(null=True, editable=False)
    height = models.PositiveIntegerField(null=True, editable=False)
    description = models.CharField(_("image description"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.image.name


class CoAuthor(models.Model):
    """A member the author invited to co-author; they appear once they accept."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="co_authors")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="co_authorships"
    )
    invited_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "participant"], name="co_author_once"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} on {self.idea}"


class Support(models.Model):
    """One participant's support for one idea. The database keeps it to one."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="supports")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="supports")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "participant"], name="support_once"),
        ]
        indexes = [models.Index(fields=["participant", "idea"])]

    def __str__(self) -> str:
        return f"{self.participant} supports {self.idea_id}"


class Score(models.Model):
    """One evaluator's private score of one idea on one criterion, 1 to 5."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="scores")
    evaluator = models.ForeignKey(Evaluator, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "evaluator", "criterion"], name="score_once"),
            models.CheckConstraint(
                condition=Q(value__gte=1) & Q(value__lte=5), name="score_from_one_to_five"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.value}"
