"""The live session as an activity kind: its registration and the hooks it plugs into."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from sammen.accounts.models import Participant, User
from sammen.activities.kinds import ActivityKind
from sammen.activities.models import Activity
from sammen.activities.permissions import ActivityAccess
from sammen.activities.selfcheck import Format
from sammen.activities.selfcheck import Question as SelfCheckQuestion

from .actions import do_merge_live_participants, do_setup_live_session
from .models import Attendee, LiveSession, Question
from .queries import live_metrics


def activity_context(
    request: HttpRequest, activity: Activity, access: ActivityAccess
) -> dict[str, Any]:
    """Return what the activity page needs: the session, its code, and the viewer's roles."""
    from .permissions import build_access

    session = LiveSession.objects.filter(activity=activity).first()
    if session is None:
        return {}
    session.activity = activity
    return {"live_session": session, "live_access": build_access(request, session, access)}


LIVE_SESSION = ActivityKind(
    key="live",
    label=gettext_lazy("Live session"),
    description=gettext_lazy(
        "For a meeting, a class or a stage: people join with a code, ask and upvote "
        "questions, answer polls and react, live on the big screen."
    ),
    template="live/_activity_body.html",
    context=activity_context,
    setup=do_setup_live_session,
    settings_url_name="live:setup",
    metrics=live_metrics,
    join_url_name="live:join",
    stylesheet="live/live.css",
    selfcheck=Format(
        SelfCheckQuestion(
            "same_moment",
            gettext_lazy(
                "Will participants be together at the same moment: "
                "in a room, at a show or in a class?"
            ),
        ),
        gettext_lazy("a live session"),
        gettext_lazy(
            "A live session fits: it gathers questions, polls and reactions from the room "
            "as they happen."
        ),
    ),
)


def erase_attendee_names(participant: Participant) -> None:
    """Forget the name a person who deletes their account had in sessions; questions stay,
    shown as anonymous."""
    Attendee.objects.filter(participant=participant).update(name="")
    Question.objects.filter(author__participant=participant).update(anonymous=True)


def personal_live_data(user: User) -> dict[str, Any]:
    attendances = Attendee.objects.filter(participant__user=user).select_related(
        "session__activity"
    )
    return {
        "sessions": [
            {
                "session": attendee.session.activity.title,
                "name": attendee.name,
                "joined_at": attendee.joined_at.isoformat(),
                "questions": [
                    {"text": q.text, "anonymous": q.anonymous, "at": q.created_at.isoformat()}
                    for q in attendee.questions.all()
                ],
                "answers": [
                    {
                        "poll": response.poll.title,
                        "choices": [choice.option.label for choice in response.choices.all()],
                        "value": response.value,
                        "text": response.text,
                    }
                    for response in attendee.responses.select_related("poll").prefetch_related(
                        "choices__option"
                    )
                ],
            }
            for attendee in attendances
        ]
    }


def connect() -> None:
    from sammen.accounts import hooks as account_hooks
    from sammen.activities.kinds import register_kind
    from sammen.demo.parts import register_demo_part

    from . import hot
    from .demo import build_demo

    register_kind(LIVE_SESSION)
    hot.connect()
    register_demo_part("live", build_demo)
    account_hooks.participant_mergers.append(do_merge_live_participants)
    account_hooks.personal_data_sections.append(personal_live_data)
    account_hooks.participant_erasers.append(erase_attendee_names)
