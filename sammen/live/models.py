"""A live session: join code, questions, polls, reactions and the crew that runs it."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sammen.accounts.models import Participant
from sammen.activities.models import Activity

# Join codes avoid characters people mix up when reading them off a wall or typing
# them on a phone: no 0/O/D, 1/I/L, 2/Z, 5/S, 8/B, 6/G, U/V.
CODE_ALPHABET = "ACEFHJKMNPQRTWXY3479"
CODE_LENGTH = 6

NAME_MAX_LENGTH = 40
QUESTION_MAX_LENGTH = 300
REPLY_MAX_LENGTH = 1000
POLL_TITLE_MAX_LENGTH = 200
OPTION_MAX_LENGTH = 120
TEXT_ANSWER_MAX_LENGTH = 120
HIDDEN_REASON_MAX_LENGTH = 200
EMAIL_DOMAIN_MAX_LENGTH = 120
MAX_OPTIONS = 10
MAX_POLLS = 50
TIME_LIMIT_MIN, TIME_LIMIT_MAX = 5, 300


class Admission(models.TextChoices):
    ANYONE = "anyone", _("Anyone with the code, anonymously")
    NAMED = "named", _("Anyone with the code who gives a name")
    ACCOUNTS = "accounts", _("People signed in with an account")
    DOMAIN = "domain", _("People signed in with an email address at one domain")


class Moderation(models.TextChoices):
    POST = "post", _("Show questions at once; moderators hide what does not belong")
    PRE = "pre", _("Moderators approve each question before it is shown")


class Screen(models.TextChoices):
    JOIN = "join", _("How to join")
    POLL = "poll", _("A poll")
    QUESTIONS = "questions", _("Top questions")
    LEADERBOARD = "leaderboard", _("Quiz leaderboard")


class LiveSession(models.Model):
    """The live part of an activity: how people join, what they may do, what is on screen."""

    activity = models.OneToOneField(
        Activity, on_delete=models.CASCADE, primary_key=True, related_name="live_session"
    )
    code = models.CharField(_("join code"), max_length=12, unique=True)
    admission = models.CharField(
        _("who may join"), max_length=10, choices=Admission.choices, default=Admission.ANYONE
    )
    email_domain = models.CharField(
        _("email domain"), max_length=EMAIL_DOMAIN_MAX_LENGTH, blank=True
    )
    moderation = models.CharField(
        _("moderation of questions"),
        max_length=4,
        choices=Moderation.choices,
        default=Moderation.POST,
    )
    questions_open = models.BooleanField(_("questions open"), default=True)
    anonymous_questions = models.BooleanField(_("people may ask without their name"), default=True)
    reactions_enabled = models.BooleanField(_("reactions"), default=True)
    # The default for every poll; the presenter can show or hide each poll's results.
    results_to_participants = models.BooleanField(
        _("poll results show while the poll is open"), default=True
    )
    screen = models.CharField(max_length=12, choices=Screen.choices, default=Screen.JOIN)
    shown_poll = models.ForeignKey(
        "Poll", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    attached_to = models.ForeignKey(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attached_live_sessions",
        verbose_name=_("part of"),
    )
    peak_audience = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("live session")
        verbose_name_plural = _("live sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(admission__in=Admission.values), name="live_admission_valid"
            ),
            models.CheckConstraint(
                condition=Q(moderation__in=Moderation.values), name="live_moderation_valid"
            ),
            models.CheckConstraint(condition=Q(screen__in=Screen.values), name="live_screen_valid"),
            models.CheckConstraint(
                condition=~Q(admission=Admission.DOMAIN) | ~Q(email_domain=""),
                name="live_domain_admission_has_domain",
            ),
        ]

    def __str__(self) -> str:
        return str(self.activity)

    def get_absolute_url(self) -> str:
        return reverse("live:room", kwargs={"code": self.code})

    @property
    def is_live(self) -> bool:
        return self.activity.is_open

    @property
    def pre_moderated(self) -> bool:
        return self.moderation == Moderation.PRE


class CrewRole(models.TextChoices):
    MODERATOR = "moderator", _("Moderator")
    PRESENTER = "presenter", _("Presenter")


class CrewMember(models.Model):
    """A member of the space who helps run one session: moderates questions, or presents."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="crew")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="live_crew_roles"
    )
    role = models.CharField(_("role"), max_length=10, choices=CrewRole.choices)

    class Meta:
        verbose_name = _("session helper")
        verbose_name_plural = _("session helpers")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="live_crew_once"),
            models.CheckConstraint(condition=Q(role__in=CrewRole.values), name="live_crew_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


class Attendee(models.Model):
    """A participant who joined one session, under the name the room sees."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="attendees")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="live_attendances"
    )
    name = models.CharField(_("your name"), max_length=NAME_MAX_LENGTH)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="live_attend_once"),
        ]

    def __str__(self) -> str:
        return self.name


class QuestionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    VISIBLE = "visible", _("Shown")
    HIDDEN = "hidden", _("Hidden")


class Question(models.Model):
    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="questions")
    author = models.ForeignKey(Attendee, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("your question"), max_length=QUESTION_MAX_LENGTH)
    anonymous = models.BooleanField(_("ask without my name"), default=False)
    status = models.CharField(
        max_length=8, choices=QuestionStatus.choices, default=QuestionStatus.VISIBLE
    )
    # The profanity list matched a word: moderators look before (or soon after) it shows.
    flagged = models.BooleanField(default=False)
    hidden_reason = models.CharField(max_length=HIDDEN_REASON_MAX_LENGTH, blank=True)
    pinned = models.BooleanField(default=False)
    answered_at = models.DateTimeField(null=True, blank=True)
    reply = models.TextField(_("reply"), max_length=REPLY_MAX_LENGTH, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    upvote_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["-pinned", "-upvote_count", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=QuestionStatus.values), name="live_question_status"
            ),
            models.CheckConstraint(
                condition=~Q(status=QuestionStatus.HIDDEN) | ~Q(hidden_reason=""),
                name="live_hidden_question_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["session", "status"], name="live_question_status_idx")]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    @property
    def asked_by(self) -> str:
        return "" if self.anonymous else self.author.name


class Upvote(models.Model):
    """One attendee's vote for one question. The database keeps it to one."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="upvotes")
    attendee = models.ForeignKey(Attendee, on_delete=models.CASCADE, related_name="upvotes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "attendee"], name="live_upvote_once"),
        ]

    def __str__(self) -> str:
        return f"{self.attendee_id} → {self.question_id}"


class PollKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    RATING = "rating", _("Rating scale")
    RANKING = "ranking", _("Ranking")
    TEXT = "text", _("Open text")


class TextDisplay(models.TextChoices):
    CLOUD = "cloud", _("Word cloud")
    LIST = "list", _("List")


class PollState(models.TextChoices):
    DRAFT = "draft", _("Not opened yet")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


KINDS_WITH_OPTIONS = {PollKind.SINGLE, PollKind.MULTIPLE, PollKind.RANKING}


class Poll(models.Model):
    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="polls")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind of poll"), max_length=10, choices=PollKind.choices)
    title = models.CharField(_("question"), max_length=POLL_TITLE_MAX_LENGTH)
    text_display = models.CharField(
        _("show answers as"), max_length=5, choices=TextDisplay.choices, default=TextDisplay.CLOUD
    )
    scale_max = models.PositiveSmallIntegerField(_("scale from 1 to"), default=5)
    # A quiz: some option is marked correct. Points reward correct and fast answers.
    is_quiz = models.BooleanField(default=False)
    quiz_seconds = models.PositiveSmallIntegerField(
        _("seconds to answer for full points"), default=20
    )
    # A quiz question may close by itself this many seconds after it opens.
    time_limit = models.PositiveSmallIntegerField(
        _("time limit in seconds"), null=True, blank=True, default=None
    )
    state = models.CharField(max_length=6, choices=PollState.choices, default=PollState.DRAFT)
    # The presenter's choice for the big screen and the phones alike; None follows the
    # default (see results_revealed()).
    results_shown = models.BooleanField(_("results shown"), null=True, blank=True, default=None)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=PollKind.values), name="live_poll_kind"),
            models.CheckConstraint(condition=Q(state__in=PollState.values), name="live_poll_state"),
            models.CheckConstraint(
                condition=Q(text_display__in=TextDisplay.values), name="live_poll_display"
            ),
            models.CheckConstraint(
                condition=Q(scale_max__gte=2) & Q(scale_max__lte=10), name="live_poll_scale"
            ),
            models.CheckConstraint(
                condition=Q(quiz_seconds__gte=5) & Q(quiz_seconds__lte=600),
                name="live_poll_quiz_seconds",
            ),
            models.CheckConstraint(
                condition=Q(time_limit__isnull=True)
                | Q(time_limit__gte=TIME_LIMIT_MIN, time_limit__lte=TIME_LIMIT_MAX),
                name="live_poll_time_limit",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state == PollState.OPEN

    @property
    def is_closed(self) -> bool:
        return self.state == PollState.CLOSED

    @property
    def has_options(self) -> bool:
        return self.kind in KINDS_WITH_OPTIONS

    @property
    def deadline(self) -> datetime | None:
        """Return when an open poll with a time limit stops taking answers, by the server's
        clock; None when it has no limit or is not open."""
        if self.time_limit is None or self.state != PollState.OPEN or self.opened_at is None:
            return None
        return self.opened_at + timedelta(seconds=self.time_limit)

    @property
    def deadline_ms(self) -> int | None:
        """Return the deadline in milliseconds since the epoch, for the countdown on screens."""
        deadline = self.deadline
        return int(deadline.timestamp() * 1000) if deadline is not None else None

    def is_past_deadline(self, now: datetime) -> bool:
        deadline = self.deadline
        return deadline is not None and now >= deadline

    def results_revealed(self, session: LiveSession) -> bool:
        """Return whether the big screen and the phones show this poll's results now.

        The presenter's choice wins. Without one: results show once the poll is closed;
        while it is open, as the session's default says, except in a quiz, whose answers
        would give the right one away.
        """
        if self.results_shown is not None:
            return self.results_shown
        if self.state == PollState.CLOSED:
            return True
        return session.results_to_participants and not self.is_quiz


class Option(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(_("answer option"), max_length=OPTION_MAX_LENGTH)
    is_correct = models.BooleanField(_("correct answer"), default=False)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label


class Response(models.Model):
    """One attendee's answer to one poll, changeable while the poll is open.

    The unique constraint is what keeps it to one answer per person: a double
    submission becomes an update, never a second vote.
    """

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="responses")
    attendee = models.ForeignKey(Attendee, on_delete=models.CASCADE, related_name="responses")
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.CharField(max_length=TEXT_ANSWER_MAX_LENGTH, blank=True)
    flagged = models.BooleanField(default=False)
    hidden = models.BooleanField(default=False)
    points = models.PositiveIntegerField(default=0)
    # The language of the page it was given on: its stop words leave the word cloud.
    language = models.CharField(max_length=8, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("poll answer")
        verbose_name_plural = _("poll answers")
        constraints = [
            models.UniqueConstraint(fields=["poll", "attendee"], name="live_answer_once"),
        ]

    def __str__(self) -> str:
        return f"{self.attendee_id} on {self.poll_id}"


class Choice(models.Model):
    """An option picked in a response; for a ranking, with its place (1 is first)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="choices")
    option = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="choices")
    rank = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "option"], name="live_choice_once"),
        ]

    def __str__(self) -> str:
        return f"{self.option_id}"


class ReactionKind(models.TextChoices):
    APPLAUSE = "applause", _("Applause")
    HEART = "heart", _("Love it")
    LAUGH = "laugh", _("Funny")
    WOW = "wow", _("Wow")
    THINK = "think", _("Hmm")


class Reaction(models.Model):
    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="reactions")
    attendee = models.ForeignKey(Attendee, on_delete=models.CASCADE, related_name="reactions")
    kind = models.CharField(max_length=10, choices=ReactionKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ReactionKind.values), name="live_reaction_kind"
            ),
        ]
        indexes = [models.Index(fields=["session", "kind"], name="live_reaction_idx")]

    def __str__(self) -> str:
        return self.kind


class Presence(models.Model):
    """How many screens one server process holds open on a session, refreshed every few seconds.

    The sum over fresh rows is the audience now; no process holds the only copy.
    """

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="presence")
    process = models.CharField(max_length=64)
    participants = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "process"], name="live_presence_once"),
        ]

    def __str__(self) -> str:
        return f"{self.process}: {self.participants}"
