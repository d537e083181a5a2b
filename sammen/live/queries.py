"""Reads of a live session: results, question lists, the leaderboard, the report."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from sammen.activities.models import Activity

from .analysis import PlacedWord, borda_scores, cloud_layout, percent, word_frequencies
from .language import stop_words
from .models import (
    Attendee,
    Choice,
    LiveSession,
    Poll,
    PollKind,
    PollState,
    Presence,
    Question,
    QuestionStatus,
    Reaction,
    ReactionKind,
    Response,
    Upvote,
)

PRESENCE_FRESH_SECONDS = 20
TEXT_LIST_LIMIT = 30
QUESTION_LIST_LIMIT = 100
LEADERBOARD_SIZE = 10


@dataclass(frozen=True)
class ResultRow:
    label: str
    count: int
    percent: int
    is_correct: bool = False
    score: float = 0  # a ranking's average place, or nothing


@dataclass
class PollResult:
    poll: Poll
    respondents: int
    rows: list[ResultRow] = field(default_factory=list)
    mean: float | None = None
    words: list[tuple[str, int]] = field(default_factory=list)
    cloud: list[PlacedWord] = field(default_factory=list)
    texts: list[Response] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return len(self.rows)


def poll_result(poll: Poll, *, for_moderators: bool = False) -> PollResult:
    """Return a poll's results, read from the stored answers (one query per part)."""
    responses = Response.objects.filter(poll=poll)
    respondents = (
        responses.filter(hidden=False).count() if poll.kind == PollKind.TEXT else responses.count()
    )
    result = PollResult(poll=poll, respondents=respondents)
    options = list(poll.options.all())
    if poll.kind in {PollKind.SINGLE, PollKind.MULTIPLE}:
        counts = dict(
            Choice.objects.filter(response__poll=poll)
            .values_list("option")
            .annotate(picked=Count("id"))
            .values_list("option", "picked")
        )
        show_correct = poll.is_quiz and poll.state == PollState.CLOSED
        result.rows = [
            ResultRow(
                label=option.label,
                count=counts.get(option.pk, 0),
                percent=percent(counts.get(option.pk, 0), respondents),
                is_correct=show_correct and option.is_correct,
            )
            for option in options
        ]
    elif poll.kind == PollKind.RATING:
        ratings = responses.values_list("value").annotate(n=Count("id")).values_list("value", "n")
        counts = {int(value): int(n) for value, n in ratings if value is not None}
        total = sum(counts.values())
        result.rows = [
            ResultRow(
                label=str(value),
                count=counts.get(value, 0),
                percent=percent(counts.get(value, 0), total),
            )
            for value in range(1, poll.scale_max + 1)
        ]
        if total:
            result.mean = round(sum(v * n for v, n in counts.items() if v) / total, 1)
    elif poll.kind == PollKind.RANKING:
        by_response: dict[int, list[tuple[int, int]]] = {}
        for response_id, option_id, rank in Choice.objects.filter(response__poll=poll).values_list(
            "response", "option", "rank"
        ):
            by_response.setdefault(response_id, []).append((rank or 0, option_id))
        rankings = [[option for _rank, option in sorted(places)] for places in by_response.values()]
        scores = borda_scores(rankings, len(options))
        top = max(scores.values(), default=0)
        rows = [
            ResultRow(
                label=option.label,
                count=scores.get(option.pk, 0),
                percent=percent(scores.get(option.pk, 0), top),
                score=round(len(options) + 1 - scores.get(option.pk, 0) / len(rankings), 1)
                if rankings
                else 0,
            )
            for option in options
        ]
        result.rows = sorted(rows, key=lambda row: -row.count)
    else:
        visible = responses.filter(hidden=False)
        result.words = word_frequencies(
            (text, stop_words(language))
            for text, language in visible.values_list("text", "language")
        )
        result.cloud = cloud_layout(result.words)
        listed = responses if for_moderators else visible
        result.texts = list(listed.order_by("-updated_at", "-id")[:TEXT_LIST_LIMIT])
    return result


def open_polls(session: LiveSession) -> list[Poll]:
    """Return the polls participants see: the open ones, and the one on screen if closed."""
    polls = list(
        Poll.objects.filter(session=session)
        .filter(Q(state=PollState.OPEN) | Q(pk=session.shown_poll_id, state=PollState.CLOSED))
        .prefetch_related("options")
    )
    for poll in polls:
        poll.session = session
    return polls


def shown_questions(session: LiveSession, sort: str = "top") -> QuerySet[Question]:
    """Return the questions everyone sees: shown ones, pinned first, then by votes or newest."""
    questions = Question.objects.filter(
        session=session, status=QuestionStatus.VISIBLE
    ).select_related("author")
    # Open questions before answered ones on every database (PostgreSQL sorts NULL last).
    answered_last = F("answered_at").asc(nulls_first=True)
    if sort == "newest":
        return questions.order_by("-pinned", answered_last, "-created_at", "-id")[
            :QUESTION_LIST_LIMIT
        ]
    return questions.order_by("-pinned", answered_last, "-upvote_count", "created_at", "id")[
        :QUESTION_LIST_LIMIT
    ]


# Each part of the moderator's queue shows at most this many questions, the first to act
# on, and says how many it holds: a room's thousands of questions, each rendered with its
# forms, took a second of CPU for every snapshot of the moderator's screen, and the
# screens of the whole process waited behind it (bench/live_profile.py --room-questions).
QUEUE_PART_LIMIT = 100


@dataclass
class ModerationQueue:
    """The session's questions by what the moderators still have to do with them: the
    first QUEUE_PART_LIMIT of each part, and how many each part holds."""

    pending: list[Question]
    flagged: list[Question]
    shown: list[Question]
    answered: list[Question]
    hidden: list[Question]
    counts: dict[str, int]


def moderation_queue(session: LiveSession) -> ModerationQueue:
    """Return the questions by what the moderators still have to do with them: the newest
    waiting and flagged, the shown as the room ranks them, the newest answered and hidden."""
    visible = Q(status=QuestionStatus.VISIBLE)
    parts = {
        "pending": (Q(status=QuestionStatus.PENDING), ("-created_at", "-id")),
        "flagged": (visible & Q(flagged=True), ("-created_at", "-id")),
        "shown": (
            visible & Q(answered_at__isnull=True),
            ("-pinned", "-upvote_count", "created_at", "id"),
        ),
        "answered": (visible & Q(answered_at__isnull=False), ("-created_at", "-id")),
        "hidden": (Q(status=QuestionStatus.HIDDEN), ("-created_at", "-id")),
    }
    questions = Question.objects.filter(session=session)
    counts = questions.aggregate(
        **{name: Count("pk", filter=condition) for name, (condition, _order) in parts.items()}
    )
    listed = {
        name: list(
            questions.filter(condition).select_related("author").order_by(*order)[:QUEUE_PART_LIMIT]
        )
        if counts[name]
        else []
        for name, (condition, order) in parts.items()
    }
    return ModerationQueue(**listed, counts=counts)


def flagged_answers(session: LiveSession) -> list[Response]:
    return list(
        Response.objects.filter(poll__session=session, flagged=True, hidden=False)
        .select_related("poll", "attendee")
        .order_by("-updated_at")[:50]
    )


def own_questions(attendee: Attendee | int) -> list[Question]:
    """Return the attendee's questions that others do not see: waiting, or hidden with why.

    By the author alone (an attendee is of one session): a filter on the session too made
    SQLite walk all of the session's questions, once for every screen that connects."""
    questions = Question.objects.filter(author=attendee)
    return list(questions.exclude(status=QuestionStatus.VISIBLE).order_by("-created_at")[:20])


def upvoted_by(attendee: Attendee | None) -> set[int]:
    if attendee is None:
        return set()
    return set(Upvote.objects.filter(attendee=attendee).values_list("question_id", flat=True))


@dataclass(frozen=True)
class Standing:
    name: str
    points: int
    rank: int


def quiz_totals(session: LiveSession) -> list[tuple[int, str, int]]:
    """Return (attendee id, name, points) for everyone who scored, best first."""
    return list(
        Attendee.objects.filter(session=session, responses__points__gt=0)
        .annotate(total=Sum("responses__points", filter=Q(responses__poll__state=PollState.CLOSED)))
        .filter(total__gt=0)
        .order_by("-total", "joined_at", "id")
        .values_list("id", "name", "total")
    )


def leaderboard(session: LiveSession) -> list[Standing]:
    """Return the top ten of the quiz (ties share a rank). Nobody else is named."""
    return [standing for _id, standing in ranked(quiz_totals(session))[:LEADERBOARD_SIZE]]


def ranked(totals: list[tuple[int, str, int]]) -> list[tuple[int, Standing]]:
    standings = []
    rank = 0
    previous = None
    for position, (attendee_id, name, points) in enumerate(totals, start=1):
        if points != previous:
            rank, previous = position, points
        standings.append((attendee_id, Standing(name=name, points=points, rank=rank)))
    return standings


def has_quiz(session: LiveSession) -> bool:
    return Poll.objects.filter(session=session, is_quiz=True).exists()


def audience_now(session_id: int) -> int:
    since = timezone.now() - timedelta(seconds=PRESENCE_FRESH_SECONDS)
    total = Presence.objects.filter(session_id=session_id, updated_at__gte=since).aggregate(
        total=Sum("participants")
    )["total"]
    return int(total or 0)


@dataclass(frozen=True)
class SessionReport:
    attendees: int
    peak_audience: int
    questions: int
    questions_answered: int
    upvotes: int
    answers: int
    reactions: list[tuple[str, str, int]]  # kind, label, count
    polls: list[PollResult]


def session_report(session: LiveSession) -> SessionReport:
    questions = Question.objects.filter(session=session).exclude(status=QuestionStatus.HIDDEN)
    reaction_counts = dict(
        Reaction.objects.filter(session=session)
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    polls = list(
        Poll.objects.filter(session=session)
        .exclude(state=PollState.DRAFT)
        .prefetch_related("options")
    )
    for poll in polls:
        poll.session = session
    return SessionReport(
        attendees=Attendee.objects.filter(session=session).count(),
        peak_audience=session.peak_audience,
        questions=questions.count(),
        questions_answered=questions.filter(answered_at__isnull=False).count(),
        upvotes=Upvote.objects.filter(question__session=session).count(),
        answers=Response.objects.filter(poll__session=session).count(),
        reactions=[
            (
                str(kind),
                str(ReactionKind(kind).label),
                reaction_counts.get(kind, 0),
            )
            for kind in ReactionKind.values
        ],
        polls=[poll_result(poll) for poll in polls],
    )


def live_metrics(activity: Activity) -> dict[str, tuple[str, float]]:
    """Return the figures a success measure of a live session can be counted by."""
    session = LiveSession.objects.filter(activity=activity).first()
    if session is None:
        return {}
    return {
        "attendees": (_("People who joined"), Attendee.objects.filter(session=session).count()),
        "peak_audience": (_("Peak audience"), session.peak_audience),
        "questions": (_("Questions asked"), Question.objects.filter(session=session).count()),
        "answers": (_("Poll answers"), Response.objects.filter(poll__session=session).count()),
    }
