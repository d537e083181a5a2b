"""What attendees answer during and at the end of a meeting: a rating per session (the
reaction), their planned action and how confident they are, and a self-assessment per
learning objective before and after; and the live session a planner adds to a session.

Each answer is one row per attendee and question (database constraints), written in one
statement that inserts or changes it: two taps at once leave one row, the later.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sammen.accounts.models import User
from sammen.activities.actions import do_create_activity, do_link_activities
from sammen.activities.kinds import get_kind
from sammen.activities.models import Activity
from sammen.activities.queries import linked_activities
from sammen.core.errors import ActionRefused

from ..models import (
    ANSWER_MAX_LENGTH,
    FollowUp,
    LearningAnswer,
    Level,
    Meeting,
    Moment,
    Objective,
    PlannedAction,
    Registration,
    Session,
    SessionRating,
)

SCORES = range(1, 6)
CONFIDENCE_STEP = 10
LIVE_KIND = "live"


def whole_number(value: object) -> int | None:
    """Return `value` when it is an int (not a bool), else None."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def has_begun(starts_at: datetime | None, now: datetime | None = None) -> bool:
    return starts_at is not None and starts_at <= (now or timezone.now())


def answering_refusal(registration: Registration) -> str:
    """Return why this registration cannot answer now (translated), or "" when it can."""
    if not registration.is_confirmed:
        return _("Only attendees with a place at the meeting can answer.")
    if not registration.meeting.activity.is_open:
        return _("This meeting takes no more answers.")
    return ""


def refuse_unless_answering(registration: Registration) -> None:
    refusal = answering_refusal(registration)
    if refusal:
        raise ActionRefused(refusal)


def clean_answer_text(text: str, *, field: str, required: str = "") -> str:
    text = text.strip()
    if required and not text:
        raise ActionRefused(required, field=field)
    if len(text) > ANSWER_MAX_LENGTH:
        raise ActionRefused(
            _("Keep it under %(count)s characters.") % {"count": ANSWER_MAX_LENGTH}, field=field
        )
    return text


def check_score(value: object, *, field: str) -> int:
    score = whole_number(value)
    if score is None or score not in SCORES:
        raise ActionRefused(_("Choose an answer from 1 to 5."), field=field)
    return score


def check_percentage(value: object, *, field: str, step: int = 1) -> int:
    """Return a whole percentage from 0 to 100 (a multiple of `step`); refuse anything else."""
    percentage = whole_number(value)
    if percentage is None or not 0 <= percentage <= 100 or percentage % step:
        if step == 1:
            message = _("Choose a percentage from 0 to 100.")
        else:
            message = _("Choose a percentage from 0 to 100, in steps of %(step)s.") % {"step": step}
        raise ActionRefused(message, field=field)
    return percentage


def do_rate_session(
    registration: Registration, session: Session, *, score: int, comment: str = ""
) -> SessionRating:
    """Save (or change) an attendee's rating of a session that has begun: 1 to 5, and a
    comment if they like. Changing it is allowed while the meeting is open."""
    if session.meeting_id != registration.meeting_id:
        raise ActionRefused(_("This session is not part of your meeting."))
    refuse_unless_answering(registration)
    if not has_begun(session.starts_at):
        raise ActionRefused(_("You can rate this session once it has begun."))
    score = check_score(score, field="score")
    comment = clean_answer_text(comment, field="comment")
    SessionRating.objects.bulk_create(
        [SessionRating(session=session, registration=registration, score=score, comment=comment)],
        update_conflicts=True,
        unique_fields=["session", "registration"],
        update_fields=["score", "comment"],
    )
    return SessionRating.objects.get(session=session, registration=registration)


def first_follow_up_sent(registration: Registration) -> bool:
    return FollowUp.objects.filter(registration=registration, sent_at__isnull=False).exists()


def do_plan_action(registration: Registration, *, text: str, confidence: int) -> PlannedAction:
    """Save (or change) what an attendee will do differently, in their own words, and how
    confident they are (0 to 100%, in steps of 10).

    It can change until the first follow-up asks about it: the registration's row lock
    keeps the change and the sending of a follow-up one after the other.
    """
    refuse_unless_answering(registration)
    if not has_begun(registration.meeting.starts_at):
        raise ActionRefused(_("Say what you will do differently once the meeting has begun."))
    text = clean_answer_text(
        text, field="text", required=_("Write what you will do differently, in your own words.")
    )
    confidence = check_percentage(confidence, field="confidence", step=CONFIDENCE_STEP)
    with transaction.atomic():
        Registration.objects.select_for_update().filter(pk=registration.pk).first()
        if first_follow_up_sent(registration):
            raise ActionRefused(
                _("We have asked you about your planned action already, so it stays as it was.")
            )
        PlannedAction.objects.bulk_create(
            [PlannedAction(registration=registration, text=text, confidence=confidence)],
            update_conflicts=True,
            unique_fields=["registration"],
            update_fields=["text", "confidence"],
        )
    return PlannedAction.objects.get(registration=registration)


def can_change_planned_action(registration: Registration) -> bool:
    return not first_follow_up_sent(registration)


def do_answer_learning(
    registration: Registration, objective: Objective, moment: str, value: int
) -> LearningAnswer:
    """Save (or change) how well an attendee can do what a learning objective says, on a
    scale of 1 to 5: `moment` "before" until the meeting begins, "after" from then on."""
    if objective.meeting_id != registration.meeting_id or objective.level != Level.LEARNING:
        raise ActionRefused(_("This question is not part of your meeting."))
    if moment not in Moment.values:
        raise ActionRefused(_("Choose whether you answer before or after the meeting."))
    refuse_unless_answering(registration)
    begun = has_begun(registration.meeting.starts_at)
    if moment == Moment.BEFORE and begun:
        raise ActionRefused(_("The meeting has begun: the questions before it are closed."))
    if moment == Moment.AFTER and not begun:
        raise ActionRefused(_("These questions open once the meeting has begun."))
    value = check_score(value, field="value")
    LearningAnswer.objects.bulk_create(
        [
            LearningAnswer(
                objective=objective, registration=registration, moment=moment, value=value
            )
        ],
        update_conflicts=True,
        unique_fields=["objective", "registration", "moment"],
        update_fields=["value"],
    )
    return LearningAnswer.objects.get(objective=objective, registration=registration, moment=moment)


def can_add_live_sessions() -> bool:
    """Tell whether this site has live sessions to hold in a meeting's session."""
    return get_kind(LIVE_KIND) is not None


def session_anchor(session: Session) -> str:
    return f"session:{session.pk}"


def do_add_live_session(actor: User, session: Session) -> Activity:
    """Open a draft live session for a session of the programme, linked both ways.

    The live session is an activity of its own (its brief, its opening), in the meeting's
    space; one per session of the programme.
    """
    if not can_add_live_sessions():
        raise ActionRefused(_("Live sessions are not available on this site."))
    meeting_activity = session.meeting.activity
    with transaction.atomic():
        # One at a time per meeting: two clicks at once make one live session.
        Meeting.objects.select_for_update().filter(pk=session.meeting_id).first()
        links = linked_activities(meeting_activity, drafts=True)
        if links.at(session_anchor(session)):
            raise ActionRefused(_("This session holds a live session already."))
        live = do_create_activity(
            actor, meeting_activity.space, title=session.title, kind=LIVE_KIND
        )
        do_link_activities(actor, meeting_activity, live, session_anchor(session), session.title)
    return live
