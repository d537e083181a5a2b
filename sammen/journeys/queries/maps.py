"""The journey as a viewer sees it: its stages, their touchpoints, and their own ratings."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from sammen.accounts.models import Participant

from ..models import Journey, Rating, Stage, Touchpoint, TouchpointState, Wave


@dataclass
class StageView:
    stage: Stage
    touchpoints: list[Touchpoint] = field(default_factory=list)


def journey_map(journey: Journey, *, with_proposed: bool = False) -> list[StageView]:
    """Return the stages in order with their touchpoints in order (two queries).

    Participants see the shown touchpoints; organisers (`with_proposed`) also those
    proposed and hidden, marked by their state.
    """
    stages = {stage.pk: StageView(stage) for stage in Stage.objects.filter(journey=journey)}
    touchpoints = Touchpoint.objects.filter(journey=journey).order_by("position", "pk")
    if not with_proposed:
        touchpoints = touchpoints.filter(state=TouchpointState.SHOWN)
    for touchpoint in touchpoints:
        view = stages.get(touchpoint.stage_id)
        if view is not None:
            touchpoint.stage = view.stage
            touchpoint.journey = journey
            view.touchpoints.append(touchpoint)
    return list(stages.values())


def rateable_touchpoints(stages: list[StageView]) -> list[Touchpoint]:
    """Return the shown touchpoints in journey order: the order a participant rates them."""
    return [
        touchpoint
        for view in stages
        for touchpoint in view.touchpoints
        if touchpoint.state == TouchpointState.SHOWN
    ]


def open_wave(journey: Journey) -> Wave | None:
    return Wave.objects.filter(journey=journey, closed_at__isnull=True).first()


def own_ratings(journey: Journey, participant: Participant | None) -> dict[int, Rating]:
    """Return the participant's ratings in the open wave, by touchpoint id."""
    if participant is None:
        return {}
    wave = open_wave(journey)
    if wave is None:
        return {}
    return {
        rating.touchpoint_id: rating
        for rating in Rating.objects.filter(wave=wave, participant=participant)
    }


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    next_touchpoint: Touchpoint | None

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def started(self) -> bool:
        return self.done > 0

    @property
    def finished(self) -> bool:
        return self.total > 0 and self.done >= self.total


def progress_of(stages: list[StageView], ratings: Mapping[int, Rating]) -> Progress:
    """Return how far a participant is, given their ratings from `own_ratings()`, and the
    first touchpoint left."""
    touchpoints = rateable_touchpoints(stages)
    done = sum(1 for touchpoint in touchpoints if touchpoint.pk in ratings)
    left = next((t for t in touchpoints if t.pk not in ratings), None)
    return Progress(done=done, total=len(touchpoints), next_touchpoint=left)
