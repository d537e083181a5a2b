"""Live sessions for tests, built by calling the same actions organisers and participants use."""

from sammen.accounts.actions import do_create_anonymous_participant
from sammen.accounts.models import User
from sammen.live.actions import OptionInput, do_join_session, do_save_poll
from sammen.live.models import Attendee, LiveSession, Poll
from sammen.spaces.models import Space
from sammen.testing import make_activity, participant_of


def make_session(
    space: Space, by: User, title: str = "Town hall", *, open_it: bool = True
) -> LiveSession:
    """Create a live session, opened unless asked otherwise."""
    activity = make_activity(space, by, title, kind="live", open_it=open_it)
    return LiveSession.objects.select_related("activity__space").get(activity=activity)


def join_anonymously(session: LiveSession, name: str = "") -> Attendee:
    """Join the session as a new anonymous participant, under a name if given."""
    return do_join_session(session, do_create_anonymous_participant(), name=name)


def join_as(session: LiveSession, user: User, name: str = "") -> Attendee:
    """Join the session as a person with an account."""
    return do_join_session(session, participant_of(user), name=name)


def make_poll(
    session: LiveSession,
    by: User,
    kind: str = "single",
    *,
    correct: int | None = None,
    labels: tuple[str, ...] = ("Harbour", "Station", "Park"),
    title: str = "Where shall we meet?",
    scale_max: int = 5,
    text_display: str = "cloud",
) -> Poll:
    """Save a poll in the session; `correct` numbers the right option of a quiz question."""
    options = [OptionInput(label, index == correct) for index, label in enumerate(labels)]
    return do_save_poll(
        by,
        session,
        kind=kind,
        title=title,
        options=options,
        scale_max=scale_max,
        text_display=text_display,
    )
