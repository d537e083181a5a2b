"""Template tags that bring the attendees' answers to pages of other parts of the kind:
the invitation on the ticket and activity pages, and the live session of a programme's
session for its planners."""

from dataclasses import dataclass
from typing import Any

from django import template

from sammen.activities.models import Activity
from sammen.activities.queries import Linked, LinkedActivities, linked_activities

from ..actions.answers import can_add_live_sessions, has_begun, session_anchor
from ..attendees import ticket_token
from ..models import LearningAnswer, Level, Moment, Objective, Registration, Session

register = template.Library()


@register.inclusion_tag("meetings/_attendee_answers.html")
def attendee_answers(registration: Registration) -> dict[str, Any]:
    """Invite a registered attendee to answer: the questions before the meeting, then the
    sessions and the end; with the live sessions they can join."""
    meeting = registration.meeting
    activity = meeting.activity
    if not registration.is_confirmed or not activity.is_open:
        return {"show": False}
    begun = has_begun(meeting.starts_at)
    questions = Objective.objects.filter(meeting=meeting, level=Level.LEARNING).count()
    answered = LearningAnswer.objects.filter(
        registration=registration, moment=Moment.BEFORE
    ).count()
    live = [
        linked
        for linked in linked_activities(activity).opened_here
        if linked.anchor.startswith("session:")
    ]
    return {
        "show": begun or questions > 0 or bool(live),
        "space": activity.space,
        "activity": activity,
        "token": ticket_token(registration),
        "begun": begun,
        "questions": questions,
        "questions_left": max(0, questions - answered),
        "live": live,
    }


@dataclass(frozen=True)
class LiveSessions:
    """The live sessions of a meeting's programme, drafts too, for its planners."""

    links: LinkedActivities
    available: bool


@register.simple_tag
def live_sessions_of(activity: Activity) -> LiveSessions:
    return LiveSessions(linked_activities(activity, drafts=True), can_add_live_sessions())


@register.filter
def live_at(live: LiveSessions, session: Session) -> list[Linked]:
    return live.links.at(session_anchor(session))
