"""What the organisers' map editor reads: every touchpoint with its ratings counted, the
proposals waiting, and the waves."""

from dataclasses import dataclass

from django.db.models import Count, Q

from sammen.accounts.models import Participant

from ..models import Journey, Rating, Respondent, Stage, Touchpoint, TouchpointState, Wave
from .maps import journey_map


@dataclass(frozen=True)
class EditorTouchpoint:
    """A touchpoint in the editor: `answer_count` counts ratings and skips (any makes it
    stay: it can be hidden, not deleted), `rating_count` the ratings with a score."""

    touchpoint: Touchpoint
    answer_count: int
    rating_count: int

    @property
    def can_delete(self) -> bool:
        return self.answer_count == 0


@dataclass(frozen=True)
class EditorStage:
    stage: Stage
    items: list[EditorTouchpoint]


def editor_map(journey: Journey) -> list[EditorStage]:
    """Return every stage with all its touchpoints (shown, proposed, hidden) in order, and
    the participants who proposed some (a constant number of queries)."""
    stages = journey_map(journey, with_proposed=True)
    proposer_ids = {
        touchpoint.proposed_by_id
        for view in stages
        for touchpoint in view.touchpoints
        if touchpoint.proposed_by_id is not None
    }
    proposers = Participant.objects.select_related("user").in_bulk(proposer_ids)
    for view in stages:
        for touchpoint in view.touchpoints:
            if touchpoint.proposed_by_id is not None:
                touchpoint.proposed_by = proposers.get(touchpoint.proposed_by_id)
    counts = {
        row["touchpoint"]: (row["answers"], row["ratings"])
        for row in Rating.objects.filter(journey=journey)
        .values("touchpoint")
        .annotate(answers=Count("pk"), ratings=Count("pk", filter=Q(score__isnull=False)))
    }
    return [
        EditorStage(
            view.stage,
            [
                EditorTouchpoint(touchpoint, *counts.get(touchpoint.pk, (0, 0)))
                for touchpoint in view.touchpoints
            ],
        )
        for view in stages
    ]


def editor_touchpoint(touchpoint: Touchpoint) -> EditorTouchpoint:
    counts = Rating.objects.filter(touchpoint=touchpoint).aggregate(
        answers=Count("pk"), ratings=Count("pk", filter=Q(score__isnull=False))
    )
    return EditorTouchpoint(touchpoint, counts["answers"], counts["ratings"])


def proposed_touchpoints(stages: list[EditorStage]) -> list[Touchpoint]:
    return [
        item.touchpoint
        for view in stages
        for item in view.items
        if item.touchpoint.state == TouchpointState.PROPOSED
    ]


@dataclass(frozen=True)
class WaveSummary:
    wave: Wave
    rating_count: int
    respondent_count: int


def waves_of(journey: Journey) -> list[WaveSummary]:
    """Return the journey's waves, the latest first, with their ratings and respondents."""
    ratings = dict(
        Rating.objects.filter(journey=journey, score__isnull=False)
        .values("wave")
        .annotate(count=Count("pk"))
        .values_list("wave", "count")
    )
    respondents = dict(
        Respondent.objects.filter(journey=journey)
        .values("wave")
        .annotate(count=Count("pk"))
        .values_list("wave", "count")
    )
    return [
        WaveSummary(wave, ratings.get(wave.pk, 0), respondents.get(wave.pk, 0))
        for wave in Wave.objects.filter(journey=journey).order_by("-number")
    ]
