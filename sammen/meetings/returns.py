"""A meeting's return, read from the database and handed to `analysis`.

Every level is counted where its rows are: registrations and check-ins in one
aggregate, ratings per session and score and summed per rater, planned actions per
confidence, learning answers paired per attendee and objective, follow-ups per round,
answer and frequency, impact estimates per objective. Python receives counts, and at
most one small tuple per attendee; `analysis` makes the figures.

Who attended: a registration checked in at the door, or one that answered anything
from the meeting on (rated a session, wrote a planned action, assessed itself at the
end, answered a follow-up or estimated an impact). An online attendee is never checked
in, and every answer must be counted among the attendees.
"""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, cast

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from sammen.activities.models import SuccessMeasure

from . import analysis
from .analysis import (
    Application,
    AppliedKey,
    Chain,
    Estimate,
    FollowUpAnswer,
    FrequencyKey,
    Impact,
    LevelKey,
    Roi,
)
from .analysis.chain import headline_round
from .analysis.reaction import SessionReaction
from .models import (
    CostLine,
    FollowUp,
    ImpactEstimate,
    Intangible,
    LearningAnswer,
    Level,
    Meeting,
    Moment,
    Objective,
    PlannedAction,
    Registration,
    RegistrationState,
    Session,
    SessionRating,
)

SCORES = range(1, analysis.SCALE_POINTS + 1)
# A reaction objective's target up to the top of the scale is a mean rating; above it, a
# percentage who rated 4 or 5. A learning target is a gain in points on the 1-5 scale.
MAX_LEARNING_GAIN = analysis.SCALE_POINTS - 1
# The brief's success measures counted by these metrics set the targets of levels that
# no objective can (the people who came, the ROI), or that none of them gave.
METRIC_LEVELS: dict[str, tuple[LevelKey, float]] = {
    "attendees": ("inputs", 1.0),
    "attended": ("inputs", 1.0),
    "reaction_mean": ("reaction", 1.0),
    "applied_share": ("application", 0.01),
    "roi_percent": ("roi", 1.0),
}


def attended() -> Q:
    """Return the condition on a registration that its person took part (see above)."""
    mine = {"registration": OuterRef("pk")}
    return (
        Q(checked_in_at__isnull=False)
        | Q(Exists(SessionRating.objects.filter(**mine)))
        | Q(Exists(PlannedAction.objects.filter(**mine)))
        | Q(Exists(LearningAnswer.objects.filter(moment=Moment.AFTER, **mine)))
        | Q(Exists(FollowUp.objects.filter(answered_at__isnull=False, **mine)))
        | Q(Exists(ImpactEstimate.objects.filter(**mine)))
    )


def attendees_of(meeting: Meeting) -> Any:
    """Return the registrations of the people who took part in a meeting."""
    return Registration.objects.filter(meeting=meeting).filter(attended())


@dataclass(frozen=True)
class Turnout:
    registered: int  # confirmed, and anyone who took part without a confirmed place
    checked_in: int
    attendees: int

    @property
    def no_shows(self) -> int:
        return self.registered - self.attendees


def turnout(meeting: Meeting) -> Turnout:
    took_part = attended()
    counts = Registration.objects.filter(meeting=meeting).aggregate(
        registered=Count("pk", filter=Q(state=RegistrationState.CONFIRMED) | took_part),
        checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
        attendees=Count("pk", filter=took_part),
    )
    return Turnout(**counts)


@dataclass(frozen=True)
class SessionFigure:
    """One session's ratings: how many gave each score, and their summary."""

    session: Session
    counts: tuple[int, ...]
    reaction: SessionReaction | None
    # How many of the ratings came with a comment (only the planners read them).
    comments: int = 0

    @property
    def ratings(self) -> int:
        return sum(self.counts)


def attendee_ratings(meeting: Meeting) -> QuerySet[SessionRating]:
    """Return the ratings of the meeting's sessions by the meeting's own registrations."""
    return SessionRating.objects.filter(session__meeting=meeting, registration__meeting=meeting)


def reaction_of(
    meeting: Meeting, attendees: int
) -> tuple[analysis.Reaction[int] | None, dict[int, tuple[int, ...]], dict[int, int]]:
    """Return the reaction (None when nobody rated or planned), each session's counts,
    and how many of each session's ratings came with a comment."""
    ratings = attendee_ratings(meeting)
    counts: dict[int, list[int]] = defaultdict(lambda: [0] * analysis.SCALE_POINTS)
    comments: dict[int, int] = defaultdict(int)
    for session_id, score, count, commented in (
        ratings.values("session_id", "score")
        .annotate(count=Count("pk"), commented=Count("pk", filter=~Q(comment="")))
        .order_by()
        .values_list("session_id", "score", "count", "commented")
    ):
        counts[session_id][score - 1] = count
        comments[session_id] += commented
    totals = list(
        ratings.values("registration_id")
        .annotate(total=Sum("score"), count=Count("pk"))
        .order_by()
        .values_list("total", "count")
    )
    confidences: list[int] = []
    for confidence, count in (
        PlannedAction.objects.filter(registration__meeting=meeting)
        .values("confidence")
        .annotate(count=Count("pk"))
        .order_by()
        .values_list("confidence", "count")
    ):
        confidences.extend([confidence] * count)
    if not totals and not confidences:
        return None, {}, {}
    result = analysis.reaction_from_tallies(counts, totals, attendees, confidences)
    return result, {session: tuple(scores) for session, scores in counts.items()}, dict(comments)


def learning_of(meeting: Meeting) -> analysis.Learning[int] | None:
    """Return the learning gain per objective and overall, from the paired answers."""
    pairs = (
        LearningAnswer.objects.filter(objective__meeting=meeting, registration__meeting=meeting)
        .values("objective_id", "registration_id")
        .annotate(
            before=Max("value", filter=Q(moment=Moment.BEFORE)),
            after=Max("value", filter=Q(moment=Moment.AFTER)),
        )
        .order_by()
        .values_list("objective_id", "registration_id", "before", "after")
    )
    answers: dict[int, dict[int, analysis.Pair]] = defaultdict(dict)
    for objective, registration, before, after in pairs:
        answers[objective][registration] = (before, after)
    return analysis.learning(answers) if answers else None


def rounds_of(meeting: Meeting) -> list[Application]:
    """Return each follow-up round that was sent, earliest first."""
    invited: dict[int, int] = defaultdict(int)
    answers: dict[int, list[FollowUpAnswer]] = defaultdict(list)
    for days, applied, frequency, sent, answered in (
        FollowUp.objects.filter(registration__meeting=meeting)
        .values("days", "applied", "frequency")
        .annotate(
            sent=Count("pk", filter=Q(sent_at__isnull=False) | Q(answered_at__isnull=False)),
            answered=Count("pk", filter=Q(answered_at__isnull=False)),
        )
        .order_by()
        .values_list("days", "applied", "frequency", "sent", "answered")
    ):
        invited[days] += sent
        if answered and applied:  # an answer says at least whether it was applied
            answer = FollowUpAnswer(
                cast(AppliedKey, applied), cast(FrequencyKey, frequency or None)
            )
            answers[days].extend([answer] * answered)
    return [
        analysis.application(days, invited[days], answers[days])
        for days in sorted(invited)
        if invited[days]
    ]


@dataclass(frozen=True)
class ImpactFigure:
    """An impact objective: its business figures once entered, and the meeting's share."""

    objective: Objective
    estimates: int
    # None until the value before, after and per unit are all entered.
    impact: Impact | None
    # How many of the estimates come from each follow-up round, (days, count) by days:
    # each attendee's latest estimate counts, once.
    rounds: tuple[tuple[int, int], ...] = ()

    @property
    def lower_is_better(self) -> bool:
        return lower_is_better(self.objective)


def lower_is_better(objective: Objective) -> bool:
    """A target below the value before says the measure should fall (complaints, costs)."""
    return (
        objective.target is not None
        and objective.value_before is not None
        and objective.target < objective.value_before
    )


def impacts_of(meeting: Meeting, objectives: list[Objective], attendees: int) -> list[ImpactFigure]:
    estimates: dict[int, list[tuple[int, int]]] = defaultdict(list)
    rounds: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for objective_id, days, contribution, confidence, count in (
        ImpactEstimate.objects.filter(objective__meeting=meeting, registration__meeting=meeting)
        .values("objective_id", "days", "contribution", "confidence")
        .annotate(count=Count("pk"))
        .order_by()
        .values_list("objective_id", "days", "contribution", "confidence", "count")
    ):
        estimates[objective_id].extend([(contribution, confidence)] * count)
        rounds[objective_id][days] += count
    figures = []
    for objective in objectives:
        if objective.level != Level.IMPACT:
            continue
        given = estimates.get(objective.pk, [])
        # A unit's worth below 0 cannot come through the action; read it as not entered.
        entered = (
            objective.value_before is not None
            and objective.value_after is not None
            and objective.value_per_unit is not None
            and objective.value_per_unit >= 0
        )
        figures.append(
            ImpactFigure(
                objective,
                len(given),
                analysis.impact(
                    objective.value_before or 0,
                    objective.value_after or 0,
                    given,
                    objective.value_per_unit or 0,
                    asked=max(attendees, len(given)),
                    lower_is_better=lower_is_better(objective),
                )
                if entered
                else None,
                tuple(sorted(rounds[objective.pk].items())),
            )
        )
    return figures


@dataclass(frozen=True)
class ObjectiveFigure:
    """An objective beside what was measured for it, in the unit its target is read in.

    `unit`: "score" (a mean rating), "percent", "points" (learning gain) or "measure"
    (an impact objective's business figure after the meeting, in its own unit).
    """

    objective: Objective
    unit: str
    figure: float | None
    low: float | None
    high: float | None
    n: int | None
    too_few: bool
    target: float | None

    @property
    def target_met(self) -> bool | None:
        if self.figure is None or self.too_few or self.target is None:
            return None
        if self.unit == "measure" and lower_is_better(self.objective):
            return self.figure <= self.target
        return self.figure >= self.target


def as_percent(estimate: Estimate) -> tuple[float | None, float | None, float | None]:
    def times(value: float | None) -> float | None:
        return None if value is None else value * 100

    return times(estimate.value), times(estimate.low), times(estimate.high)


def objective_figure(
    objective: Objective,
    reaction: analysis.Reaction[int] | None,
    learning: analysis.Learning[int] | None,
    application: Application | None,
) -> ObjectiveFigure:
    target = None if objective.target is None else float(objective.target)
    estimate: Estimate | None = None
    unit = "percent"
    if objective.level == Level.IMPACT:
        after = objective.value_after
        value = None if after is None else float(after)
        return ObjectiveFigure(objective, "measure", value, None, None, None, False, target)
    if objective.level == Level.REACTION:
        by_mean = target is None or target <= analysis.SCALE_POINTS
        unit = "score" if by_mean else "percent"
        if reaction is not None:
            estimate = reaction.overall if by_mean else reaction.satisfied
    elif objective.level == Level.LEARNING:
        unit = "points"
        gain = None if learning is None else learning.objectives.get(objective.pk)
        estimate = None if gain is None else gain.gain
    elif application is not None:
        estimate = application.applied
    if estimate is None:
        return ObjectiveFigure(objective, unit, None, None, None, None, False, target)
    if unit == "percent":
        value, low, high = as_percent(estimate)
    else:
        value, low, high = estimate.value, estimate.low, estimate.high
    return ObjectiveFigure(
        objective, unit, value, low, high, estimate.n, estimate.too_few or value is None, target
    )


def level_targets(
    objectives: list[Objective], measures: list[SuccessMeasure]
) -> dict[LevelKey, float]:
    """Return each level's target in its own unit: the first objective on the level whose
    target reads in that unit, else a success measure of the brief counted by a metric
    of the meeting (METRIC_LEVELS)."""
    targets: dict[LevelKey, float] = {}
    for objective in objectives:
        if objective.target is None:
            continue
        target = float(objective.target)
        if objective.level == Level.REACTION and 1 <= target <= analysis.SCALE_POINTS:
            targets.setdefault("reaction", target)
        elif objective.level == Level.LEARNING and abs(target) <= MAX_LEARNING_GAIN:
            targets.setdefault("learning", target)
        elif objective.level == Level.APPLICATION and 0 <= target <= 100:
            targets.setdefault("application", target / 100)
    for measure in measures:
        if measure.metric in METRIC_LEVELS:
            key, factor = METRIC_LEVELS[measure.metric]
            targets.setdefault(key, float(measure.target) * factor)
    return targets


@dataclass(frozen=True)
class ReturnFigures:
    """Everything the return report shows, from inputs to ROI."""

    meeting: Meeting
    turnout: Turnout
    costs: list[CostLine]
    objectives: list[Objective]
    sessions: list[SessionFigure]
    reaction: analysis.Reaction[int] | None
    learning: analysis.Learning[int] | None
    rounds: list[Application]
    impacts: list[ImpactFigure]
    intangibles: list[str]
    targets: dict[LevelKey, float]
    chain: Chain
    roi: Roi

    @property
    def cost_total(self) -> float:
        return self.roi.costs

    @property
    def application(self) -> Application | None:
        return headline_round(self.rounds)

    @property
    def unsent_days(self) -> list[int]:
        """The follow-up rounds the planner chose that have not gone out yet."""
        sent = {one.days for one in self.rounds}
        return [days for days in self.meeting.follow_up_days if days not in sent]

    def objective_figures(self) -> list[ObjectiveFigure]:
        return [
            objective_figure(objective, self.reaction, self.learning, self.application)
            for objective in self.objectives
        ]

    def level(self, key: LevelKey) -> analysis.Level:
        return next(level for level in self.chain if level.key == key)


def return_figures(meeting: Meeting) -> ReturnFigures:
    """Read a meeting's return from the database and compute levels 0 to 5."""
    counted = turnout(meeting)
    objectives = list(Objective.objects.filter(meeting=meeting))
    sessions = list(Session.objects.filter(meeting=meeting))
    costs = list(CostLine.objects.filter(meeting=meeting))
    intangibles = list(Intangible.objects.filter(meeting=meeting).values_list("text", flat=True))
    measures = list(SuccessMeasure.objects.filter(brief_id=meeting.pk))
    reaction, counts, comments = reaction_of(meeting, counted.attendees)
    learning = learning_of(meeting)
    rounds = rounds_of(meeting)
    impacts = impacts_of(meeting, objectives, counted.attendees)
    measured = [figure.impact for figure in impacts if figure.impact is not None]
    targets = level_targets(objectives, measures)
    amounts = [line.amount for line in costs]
    chain = analysis.return_chain(
        attendees=counted.attendees,
        registered=counted.registered,
        costs=amounts,
        reaction=reaction,
        learning=learning,
        rounds=rounds,
        impacts=measured,
        intangibles=intangibles,
        targets=targets,
    )
    return ReturnFigures(
        meeting=meeting,
        turnout=counted,
        costs=costs,
        objectives=objectives,
        sessions=[
            SessionFigure(
                session,
                counts.get(session.pk, (0,) * analysis.SCALE_POINTS),
                None if reaction is None else reaction.sessions.get(session.pk),
                comments.get(session.pk, 0),
            )
            for session in sessions
        ],
        reaction=reaction,
        learning=learning,
        rounds=rounds,
        impacts=impacts,
        intangibles=intangibles,
        targets=targets,
        chain=chain,
        roi=analysis.roi(measured, amounts, intangibles),
    )


def return_metrics(meeting: Meeting) -> dict[str, tuple[str, float]]:
    """The return's figures a success measure of the brief can be counted by; a figure
    the report would not show (too few answers, no costs) is left out."""
    figures = return_figures(meeting)
    metrics: dict[str, tuple[str, float]] = {
        "attendees": (_("Attendees: checked in or took part"), float(figures.turnout.attendees))
    }
    reacted, applied, returned = (
        figures.level("reaction"),
        figures.level("application"),
        figures.level("roi"),
    )
    if reacted.figure is not None:
        metrics["reaction_mean"] = (_("Mean rating of the sessions (1 to 5)"), reacted.figure)
    if applied.figure is not None:
        metrics["applied_share"] = (
            _("Attendees who applied what they planned (%)"),
            round(applied.figure * 100, 1),
        )
    if returned.figure is not None:
        metrics["roi_percent"] = (_("Return on investment (%)"), round(returned.figure, 1))
    return metrics
