"""The journey as a participant walks it: the order of rating, where they are, what they
gave, and the touchpoints they proposed that wait for approval."""

from dataclasses import dataclass
from typing import Any

from sammen.accounts.models import Participant

from ..emotions import Face, faces
from ..face_drawing import drawing
from ..models import Journey, Respondent, Touchpoint, TouchpointState
from ..permissions import JourneyAccess, can_propose, can_rate, rating_refusal
from .maps import StageView, journey_map, open_wave, own_ratings, progress_of, rateable_touchpoints


@dataclass(frozen=True)
class Place:
    """Where a touchpoint is in the order of rating: "Arrival · 3 of 12"."""

    touchpoint: Touchpoint
    number: int
    total: int
    previous: Touchpoint | None
    following: Touchpoint | None


def place_in(order: list[Touchpoint], touchpoint: Touchpoint) -> Place:
    index = next(i for i, row in enumerate(order) if row.pk == touchpoint.pk)
    return Place(
        touchpoint=order[index],
        number=index + 1,
        total=len(order),
        previous=order[index - 1] if index > 0 else None,
        following=order[index + 1] if index + 1 < len(order) else None,
    )


def is_own_proposal(touchpoint: Touchpoint, participant: Participant | None) -> bool:
    return (
        touchpoint.state == TouchpointState.PROPOSED
        and participant is not None
        and touchpoint.proposed_by_id == participant.pk
    )


def map_for(access: JourneyAccess) -> list[StageView]:
    """Return the map a viewer sees: organisers every touchpoint with its state;
    participants the shown ones and those they proposed that wait for approval."""
    stages = journey_map(access.journey, with_proposed=True)
    if access.can_manage:
        return stages
    for view in stages:
        view.touchpoints = [
            touchpoint
            for touchpoint in view.touchpoints
            if touchpoint.is_shown or is_own_proposal(touchpoint, access.participant)
        ]
    return stages


def proposals_after(stages: list[StageView], touchpoint: Touchpoint) -> list[Touchpoint]:
    """Return the touchpoints that wait for approval between `touchpoint` and the next
    shown one of its stage, in a map from `map_for` (so the viewer's own)."""
    for view in stages:
        if view.stage.pk != touchpoint.stage_id:
            continue
        found, waiting = False, []
        for row in view.touchpoints:
            if row.pk == touchpoint.pk:
                found = True
            elif found and row.is_shown:
                break
            elif found and row.state == TouchpointState.PROPOSED:
                waiting.append(row)
        return waiting
    return []


def faces_by_score(journey: Journey) -> dict[int, Face]:
    return {face.score: face for face in faces(journey.scale)}


def rating_overview(access: JourneyAccess) -> dict[str, Any]:
    """Return what the activity page shows a viewer: the map with their own rating of
    each touchpoint (as `touchpoint.own_rating` and `touchpoint.own_face`), their progress,
    and whether and why not they may rate."""
    journey = access.journey
    stages = map_for(access)
    ratings = own_ratings(journey, access.participant)
    by_score = faces_by_score(journey)
    for view in stages:
        for touchpoint in view.touchpoints:
            rating = ratings.get(touchpoint.pk)
            touchpoint.own_rating = rating  # type: ignore[attr-defined]
            score = rating.score if rating is not None else None
            touchpoint.own_face = by_score.get(score or 0)  # type: ignore[attr-defined]
            touchpoint.own_drawing = (  # type: ignore[attr-defined]
                drawing(score, journey.scale) if score else None
            )
    order = rateable_touchpoints(stages)
    return {
        "stages": stages,
        "first_touchpoint": order[0] if order else None,
        "refusal": rating_refusal(access),
        "can_rate": can_rate(access),
        "can_propose": can_propose(access),
        "progress": progress_of(stages, ratings),
    }


def rating_order(journey: Journey) -> list[Touchpoint]:
    """Return the shown touchpoints in the order participants rate them."""
    return rateable_touchpoints(journey_map(journey))


def asks_closing_questions(journey: Journey) -> bool:
    return journey.ask_recommendation or bool(journey.segment_question)


def own_respondent(journey: Journey, participant: Participant | None) -> Respondent | None:
    """Return the participant's answers to the closing questions in the open wave."""
    wave = open_wave(journey)
    if participant is None or wave is None:
        return None
    return Respondent.objects.filter(wave=wave, participant=participant).first()
