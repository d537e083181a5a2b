"""The demo journey: the festival weekend, rated by its visitors.

Built by calling the same actions people trigger, replayed over a week after the
festival. The planted feelings make every kind of moment show: a low point (the
queue at the gate), the sharpest drop (from the shuttle to that queue), a peak (the
headliner), a polarised touchpoint (the campsite at night: loved by some, dreaded
by others) and a middling end.
"""

import random
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from sammen.accounts.actions import do_create_anonymous_participant
from sammen.accounts.models import Participant, User
from sammen.activities.actions import MeasureInput, do_open_activity, do_update_brief
from sammen.activities.models import Activity
from sammen.demo.parts import Demo, replay
from sammen.spaces.models import Space

from .actions import (
    do_add_stage,
    do_add_touchpoint,
    do_answer_closing_questions,
    do_rate,
    do_update_journey,
)
from .actions.mapping import TouchpointInput
from .emotions import WORDS
from .models import Journey, Segment, Touchpoint

BRIEF = {
    "goal": (
        "Find the moments of the festival weekend that make or break a visit, and decide "
        "where a person at the right moment matters more than a screen."
    ),
    "business_challenge": (
        "Our satisfaction survey gives one average every year. It does not tell us where "
        "the weekend goes wrong, or what to fix first with a small budget."
    ),
    "audience": "Everyone who came to this year's festival, first-timers and regulars.",
    "audience_insight": (
        "Visitors want the festival to be better next year and like to be asked in their own "
        "words; rating a dozen moments with faces takes three minutes on a phone."
    ),
    "audience_challenge": (
        "After the weekend the details fade: they remember the best moment and the end, "
        "and forget the rest unless someone asks soon."
    ),
    "channels": "A journey on Sammen, sent in the thank-you email and on the festival app.",
    "channels_reason": (
        "A journey shows where feelings dip and peak along the weekend, not one score, and "
        "asks where people would rather meet a person."
    ),
}
MEASURES = [
    MeasureInput("Visitors who rate the weekend", Decimal(300), "people"),
    MeasureInput("Ratings received", Decimal(2500), "ratings"),
]
SELF_CHECK = {"lived_experience": "yes", "will_answer": "yes", "new_ideas": "no"}
DESCRIPTION = (
    "**How did the festival weekend feel?** Rate each moment, from buying your ticket to "
    "getting home. Skip what you did not go through. In October we publish what we heard "
    "and what we will change."
)

# (stage, [(touchpoint, channel, performer, monthly volume, risk, mean feeling, spread)])
# on the seven-point scale; "polarised" touchpoints draw from two humps instead.
MAP: list[tuple[str, list[tuple[str, str, str, int | None, str, float, float]]]] = [
    (
        "Before",
        [
            ("Buying a ticket online", "web", "automated", 4000, "medium", 5.6, 1.0),
            ("The line-up and timetable app", "app", "automated", 9000, "low", 5.2, 1.1),
        ],
    ),
    (
        "Arrival",
        [
            ("The shuttle bus from the station", "in_person", "staff", 2500, "medium", 5.4, 1.0),
            ("The queue at the gate", "in_person", "staff", 6000, "high", 2.4, 1.0),
            ("The wristband and bag check", "in_person", "staff", 6000, "medium", 3.6, 1.2),
        ],
    ),
    (
        "The weekend",
        [
            ("Finding your way on the site", "in_person", "self_service", None, "low", 4.6, 1.1),
            ("Food and drink stands", "in_person", "staff", 20000, "low", 4.4, 1.3),
            ("The headliner on the main stage", "in_person", "staff", None, "low", 6.6, 0.6),
            ("The campsite at night", "in_person", "self_service", 3000, "medium", 0.0, 0.0),
        ],
    ),
    (
        "Leaving",
        [
            ("Getting out after the last show", "in_person", "staff", 6000, "high", 3.9, 1.2),
            ("The thank-you email", "email", "automated", 8000, "low", 4.7, 1.0),
        ],
    ),
]
POSITIVE = [word.key for word in WORDS if not word.negative]
NEGATIVE = [word.key for word in WORDS if word.negative]
COMMENTS_LOW = [
    "We waited almost an hour in the sun without water.",
    "Nobody told us which queue was ours.",
    "The staff were kind but clearly overwhelmed.",
]
COMMENTS_HIGH = [
    "Best concert of my life, the sound was perfect.",
    "Goosebumps when the whole field sang along.",
]
PEOPLE = 70  # anonymous visitors; the demo's accounts rate too


def feeling(rng: random.Random, mean: float, spread: float) -> int:
    if spread == 0:  # polarised: about half love it, half dread it
        mean, spread = (6.3, 0.7) if rng.random() < 0.5 else (1.8, 0.7)
    return min(7, max(1, round(rng.gauss(mean, spread))))


def rate_weekend(
    rng: random.Random,
    journey: Journey,
    participant: Participant,
    touchpoints: list[tuple[Touchpoint, tuple[float, float]]],
    start: datetime,
) -> None:
    """Rate most touchpoints like a visitor of the planted weekend, on one evening."""
    day = rng.randint(0, 6)
    segments = list(Segment.objects.filter(journey=journey))
    for offset, (touchpoint, (mean, spread)) in enumerate(touchpoints):
        with replay(start + timedelta(days=day, hours=19, minutes=offset)):
            if rng.random() < 0.08:
                do_rate(journey, participant, touchpoint, score=None)
                continue
            score = feeling(rng, mean, spread)
            words: list[str] = []
            if rng.random() < 0.45:
                words = rng.sample(NEGATIVE if score <= 3 else POSITIVE, rng.randint(1, 2))
            comment = ""
            if score <= 2 and rng.random() < 0.25:
                comment = rng.choice(COMMENTS_LOW)
            elif score >= 7 and rng.random() < 0.15:
                comment = rng.choice(COMMENTS_HIGH)
            preference = rng.choice(["", "person", "person", "machine", "none"])
            do_rate(
                journey,
                participant,
                touchpoint,
                score=score,
                words=words,
                preference=preference,
                comment=comment,
            )
    with replay(start + timedelta(days=day, hours=19, minutes=30)):
        do_answer_closing_questions(
            journey,
            participant,
            segment_id=rng.choice(segments).pk if segments else None,
            recommendation=min(10, max(0, round(rng.gauss(7.4, 2.0)))),
        )


def run_festival_journey(space: Space, moderator: User, users: dict[str, User]) -> Activity:
    """The festival's journey is open: seventy-odd visitors have rated the weekend."""
    from sammen.activities.actions import do_create_activity

    rng = random.Random(2026)  # noqa: S311 - demo data, not a secret
    start = timezone.now() - timedelta(days=8)
    with replay(start):
        activity = do_create_activity(
            moderator, space, title="How did the festival weekend feel?", kind="journey"
        )
        do_update_brief(moderator, activity, texts=BRIEF, measures=MEASURES, self_check=SELF_CHECK)
        journey = activity.journey
        do_update_journey(
            moderator,
            journey,
            description=DESCRIPTION,
            audience="anyone",
            scale=7,
            proposals_allowed=True,
            ask_recommendation=True,
            segment_question="Was this your first time at the festival?",
            segments=["My first time", "I have been before"],
        )
        planted = []
        for stage_name, touchpoints in MAP:
            stage = do_add_stage(moderator, journey, stage_name)
            for name, channel, performer, volume, risk, mean, spread in touchpoints:
                touchpoint = do_add_touchpoint(
                    moderator,
                    stage,
                    TouchpointInput(
                        name=name,
                        channel=channel,
                        performer=performer,
                        monthly_volume=volume,
                        risk=risk,
                    ),
                )
                planted.append((touchpoint, (mean, spread)))
        do_open_activity(moderator, activity)
    journey.refresh_from_db()
    journey.activity.refresh_from_db()
    for touchpoint, _feeling in planted:
        touchpoint.journey = journey
    for _person in range(PEOPLE):
        rate_weekend(rng, journey, do_create_anonymous_participant(), planted, start)
    for who in ("member", "mia", "astrid", "joost"):
        participant = Participant.objects.get(user=users[f"{who}@demo.example"])
        rate_weekend(rng, journey, participant, planted, start)
    return activity


def build_demo(demo: Demo) -> None:
    """The journey's demo part: the festival weekend."""
    run_festival_journey(demo.spaces["festival"], demo.moderator, demo.users)
