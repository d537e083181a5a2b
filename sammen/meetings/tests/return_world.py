"""A small meeting whose return is worked out by hand (see `hand_meeting`), built by the
actions planners and attendees use, each on the day it happens."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar
from unittest.mock import patch

from sammen.accounts.models import User
from sammen.activities.actions import MeasureInput, do_update_brief
from sammen.meetings.actions import (
    CostInput,
    Estimate,
    FollowUpInput,
    ObjectiveInput,
    SessionInput,
    do_add_cost_line,
    do_add_intangible,
    do_add_objective,
    do_add_session,
    do_answer_follow_up,
    do_answer_learning,
    do_cancel_registration,
    do_check_in,
    do_plan_action,
    do_rate_session,
    do_send_follow_ups,
    do_start_follow_ups,
)
from sammen.meetings.actions.impact import do_record_impact
from sammen.meetings.models import (
    FollowUp,
    Level,
    Meeting,
    Moment,
    Objective,
    Registration,
    Session,
)
from sammen.spaces.models import Space
from sammen.testing import participant_of
from sammen.testing.meetings import make_meeting, register

T = TypeVar("T")

BRIEF_TEXTS = {
    "goal": "Partners co-create exhibitions with us.",
    "business_challenge": "Partners book few programmes.",
    "audience": "Our partners.",
    "audience_insight": "They want to meet each other.",
    "audience_challenge": "They have little time.",
    "channels": "A partner day.",
    "channels_reason": "People need to meet for this.",
}


@dataclass
class HandMeeting:
    meeting: Meeting
    registrations: list[Registration]  # r1 .. r14 (index 0 .. 13), r1 is Bob's, r2 Charlie's
    sessions: list[Session]
    learning: Objective
    reaction: Objective
    application: Objective
    impact: Objective


def hand_meeting(space: Space, owner: User, bob: User, charlie: User) -> HandMeeting:
    """Build a meeting of 14 registered, 12 of whom took part, worked out by hand.

    - Turnout: r1-r11 checked in, r12 rated online without checking in, r13 and r14 did
      not come, r15 cancelled: registered 14, checked in 11, attendees 12, no-shows 2.
      Follow-ups go to those checked in: 11 a round.
    - Ratings: S1 gets 4 from r1-r6 and 5 from r7-r12, S2 gets 2 from r1-r3. Own means:
      3 (r1-r3), 4 (r4-r6), 5 (r7-r12): overall 51 / 12 = 4.25, sd √(8.25 / 11) =
      0.866025, interval 4.25 ± 2.200985 · 0.25 = (3.699754, 4.800246); 9 of 12 satisfied.
    - Planned actions: r1-r5 at 80%, r6-r10 at 60%: 10 of 12, mean confidence 70%.
    - Learning: r1-r8 from 2 to 3, r9-r10 from 3 to 3 (r11 and r13 only before): gain
      0.8, sd √(1.6 / 9) = 0.421637, interval 0.8 ± 2.262157 · 0.133333 =
      (0.498379, 1.101621); 8 of 10 improved.
    - Follow-ups: after 30 days 11 sent, 10 answered: 6 yes (often), 2 partly
      (sometimes), 2 no: applied 0.8, fully 0.6. After 90 days 11 sent, 4 answered yes.
    - Impact: bookings from 100 to 160 at 50 each; in the 30-day round r1-r5 estimate 50%
      at 80% (0.4), r6-r10 25% at 80% (0.2): isolated 0.3, sd 0.105409, interval
      0.3 ± 2.262157 · 0.033333 = (0.224595, 0.375405); benefit 60 · 0.3 · 50 = 900
      (673.785, 1126.215).
    - Costs 400 + 200 = 600: 50 per attendee; ROI (900 - 600) / 600 = 50%
      (12.2975%, 87.7025%), BCR 1.5 (1.122975, 1.877025).
    - Targets: reaction 4 (met), learning gain 1 (missed), applied 70% (met), ROI 25%
      (the brief's measure counted as roi_percent; met).
    """
    meeting = make_meeting(space, owner, "Partner day")
    learning = meeting.objectives.get()
    learning.target = Decimal(1)
    learning.save(update_fields=["target"])
    reaction = do_add_objective(
        owner,
        meeting,
        ObjectiveInput(Level.REACTION, "Partners enjoy the day", "Mean rating", Decimal(4), "App"),
    )
    application = do_add_objective(
        owner,
        meeting,
        ObjectiveInput(
            Level.APPLICATION, "Partners co-create", "Share who did", Decimal(70), "Follow-up"
        ),
    )
    impact = do_add_objective(
        owner,
        meeting,
        ObjectiveInput(
            Level.IMPACT, "More programme bookings", "Bookings a year", Decimal(150), "Sales"
        ),
    )
    do_record_impact(owner, impact, before=Decimal(100), after=Decimal(160), per_unit=Decimal(50))
    first = meeting.sessions.get()
    second = do_add_session(
        owner,
        meeting,
        SessionInput(
            "The partners' panel",
            first.ends_at,
            first.ends_at + timedelta(hours=1),
            format="panel",
            audience_minutes=15,
        ),
    )
    do_add_cost_line(owner, meeting, CostInput("venue", Decimal(400), "The hall"))
    do_add_cost_line(owner, meeting, CostInput("catering", Decimal(200), "Lunch"))
    do_add_intangible(owner, meeting, "Partners trust us more")
    do_update_brief(
        owner,
        meeting.activity,
        texts=BRIEF_TEXTS,
        measures=[MeasureInput("Return on investment", Decimal(25), "%")],
        self_check={},
    )
    meeting.activity.brief.measures.update(metric="roi_percent")
    people = [
        register(meeting, "Bob", participant_of(bob)),
        register(meeting, "Charlie", participant_of(charlie)),
    ]
    people += [register(meeting, f"Guest{number}") for number in range(3, 15)]
    do_cancel_registration(register(meeting, "Gone"))
    for number, registration in enumerate(people, start=1):
        if number <= 10:
            before = 2 if number <= 8 else 3
            do_answer_learning(registration, learning, Moment.BEFORE, before)
        elif number in (11, 13):
            do_answer_learning(registration, learning, Moment.BEFORE, 1)
    assert meeting.starts_at is not None
    with on(meeting.starts_at + timedelta(hours=3)):
        for registration in people[:11]:
            do_check_in(owner, registration)
        for number, registration in enumerate(people[:12], start=1):
            do_rate_session(registration, first, score=4 if number <= 6 else 5)
            if number <= 3:
                do_rate_session(registration, second, score=2)
            if number <= 10:
                do_plan_action(
                    registration,
                    text="Run a workshop with our visitors",
                    confidence=80 if number <= 5 else 60,
                )
                do_answer_learning(registration, learning, Moment.AFTER, 3)
    answers = [("yes", "often")] * 6 + [("partly", "sometimes")] * 2 + [("no", "")] * 2
    month = meeting.starts_at + timedelta(days=30)
    with on(month):
        do_start_follow_ups(meeting, 30)
        do_send_follow_ups(meeting, 30, month)
        for number, registration in enumerate(people[:10], start=1):
            applied, frequency = answers[number - 1]
            do_answer_follow_up(
                FollowUp.objects.get(registration=registration, days=30),
                FollowUpInput(
                    applied,
                    frequency,
                    helped="My manager gave me time" if applied == "yes" else "",
                    hindered="No budget" if applied == "no" else "",
                    estimates={impact.pk: Estimate(50 if number <= 5 else 25, 80)},
                ),
            )
    quarter = meeting.starts_at + timedelta(days=90)
    with on(quarter):
        do_start_follow_ups(meeting, 90)
        do_send_follow_ups(meeting, 90, quarter)
        for registration in people[:4]:
            do_answer_follow_up(
                FollowUp.objects.get(registration=registration, days=90),
                FollowUpInput("yes", "often"),
            )
    meeting.refresh_from_db()
    return HandMeeting(
        meeting,
        people,
        [first, second],
        learning,
        reaction,
        application,
        Objective.objects.get(pk=impact.pk),
    )


def known(value: T | None) -> T:
    """Return a figure the test expects to be there (and say so to the type checker)."""
    assert value is not None
    return value


def on(moment: datetime) -> Any:
    """Let the actions inside happen at `moment` (they read django.utils.timezone.now)."""
    return patch("django.utils.timezone.now", return_value=moment)
