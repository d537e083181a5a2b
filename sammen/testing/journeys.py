"""Journeys for tests, built by calling the same actions organisers and participants use."""

from sammen.accounts.actions import do_create_anonymous_participant
from sammen.accounts.models import Participant, User
from sammen.activities.actions import do_open_activity
from sammen.journeys.actions import do_add_stage, do_add_touchpoint, do_rate, do_update_journey
from sammen.journeys.actions.mapping import TouchpointInput
from sammen.journeys.models import Journey, Touchpoint
from sammen.spaces.models import Space
from sammen.testing import make_activity

# A museum visit: (stage, [(touchpoint, channel, performer, risk)]).
MAP: list[tuple[str, list[tuple[str, str, str, str]]]] = [
    ("Before", [("Buying a ticket online", "web", "automated", "medium")]),
    (
        "Arrival",
        [
            ("Finding the entrance", "in_person", "self_service", "low"),
            ("The welcome at the desk", "in_person", "staff", "high"),
        ],
    ),
    ("The visit", [("The main exhibition", "in_person", "self_service", "low")]),
    ("Leaving", [("The museum shop", "in_person", "staff", "low")]),
]


def make_journey(
    space: Space,
    by: User,
    title: str = "A museum visit",
    *,
    open_it: bool = True,
    audience: str = "anyone",
    scale: int = 7,
    ask_recommendation: bool = False,
    segment_question: str = "",
    segments: list[str] | None = None,
    proposals_allowed: bool = True,
    stages: list[tuple[str, list[tuple[str, str, str, str]]]] | None = None,
) -> Journey:
    """Create a journey with its map, opened unless asked otherwise."""
    activity = make_activity(space, by, title, kind="journey")
    journey = activity.journey
    do_update_journey(
        by,
        journey,
        description="How does a visit to the museum feel, from the ticket to the shop?",
        audience=audience,
        scale=scale,
        proposals_allowed=proposals_allowed,
        ask_recommendation=ask_recommendation,
        segment_question=segment_question,
        segments=segments or [],
    )
    for stage_name, touchpoints in MAP if stages is None else stages:
        stage = do_add_stage(by, journey, stage_name)
        for name, channel, performer, risk in touchpoints:
            do_add_touchpoint(
                by,
                stage,
                TouchpointInput(name=name, channel=channel, performer=performer, risk=risk),
            )
    if open_it:
        do_open_activity(by, activity)
    journey.refresh_from_db()
    journey.activity.refresh_from_db()
    return journey


def touchpoints_of(journey: Journey) -> list[Touchpoint]:
    return list(Touchpoint.objects.filter(journey=journey).order_by("stage__position", "position"))


def rate_all(
    journey: Journey, scores: list[int | None], participant: Participant | None = None
) -> Participant:
    """Rate the journey's touchpoints in order with `scores` (None skips one)."""
    participant = participant or do_create_anonymous_participant()
    for touchpoint, score in zip(touchpoints_of(journey), scores, strict=False):
        do_rate(journey, participant, touchpoint, score=score)
    return participant
