"""A session and its polls, kept in this process's memory for the writes of a room.

Every answer, question, upvote and reaction first looks up its session by the join code
(with its activity and space) and, for an answer, the poll with its options. In a room
of thousands those rows are the same for every request and change a few times an hour,
yet reading them cost more than half of a vote's time. So they are kept here for at
most SAMMEN_LIVE_HOT_SECONDS, and forgotten sooner when the session announces a change
of its state (events.py: a STAGE or POLLS event, heard from this process's own actions
at once and from other processes through the hub's Redis subscription).

What the cache gives is a copy (unpickled from the bytes it keeps, prefetched options
included), so a view may set attributes on it. The authoritative
checks stay in the database: an answer is stored only while its poll is open
(actions/answers.py locks the poll), so a poll closed a moment ago takes no answer
whatever this cache holds. What can be late by at most the time above is a change no
event announces, such as the space's visibility.
"""

import pickle
import threading
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypeVar

from django.conf import settings

from .events import Event, EventKind
from .models import LiveSession, Poll

if TYPE_CHECKING:
    from sammen.activities.models import Activity

# Events that change what the cache holds: which polls are open and in what state
# (POLLS), and the session's own settings, screen and phase (STAGE).
STATE_KINDS = frozenset({EventKind.POLLS, EventKind.STAGE})
# More sessions than one server process serves at once; the oldest go first.
MOST_SESSIONS = 512

T = TypeVar("T")

_lock = threading.Lock()
# What is kept: when it expires, the session's id, and the pickled row.
_sessions: dict[str, tuple[float, int, bytes]] = {}  # by join code
_polls: dict[tuple[int, int], tuple[float, int, bytes]] = {}  # by (session, poll)


def seconds() -> float:
    return float(settings.SAMMEN_LIVE_HOT_SECONDS)


def _kept(
    table: dict[object, tuple[float, int, bytes]],
    key: object,
    session_id: Callable[[T], int],
    load: Callable[[], T | None],
) -> T | None:
    keep_for = seconds()
    if keep_for <= 0:
        return load()
    now = time.monotonic()
    with _lock:
        entry = table.get(key)
    if entry is not None and entry[0] > now:
        return pickle.loads(entry[2])  # type: ignore[no-any-return,unused-ignore]  # noqa: S301 - our own bytes
    value = load()
    if value is None:
        return None
    blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    with _lock:
        if len(table) >= MOST_SESSIONS:
            table.pop(next(iter(table)))
        table[key] = (now + keep_for, session_id(value), blob)
    return pickle.loads(blob)  # type: ignore[no-any-return,unused-ignore]  # noqa: S301 - our own bytes


def session_by_code(code: str) -> LiveSession | None:
    """Return the session with this (normalised) join code, with its activity, space and
    shown poll, or None."""

    def load() -> LiveSession | None:
        return (
            LiveSession.objects.select_related("activity__space", "shown_poll")
            .filter(code=code)
            .first()
        )

    return _kept(_sessions, code, lambda session: session.pk, load)  # type: ignore[arg-type]


def poll_of(session: LiveSession, poll_id: int) -> Poll | None:
    """Return a poll of the session with its options, or None."""

    def load() -> Poll | None:
        return Poll.objects.prefetch_related("options").filter(pk=poll_id, session=session).first()

    poll = _kept(_polls, (session.pk, poll_id), lambda poll: poll.session_id, load)  # type: ignore[arg-type]
    if poll is not None:
        poll.session = session
    return poll


def forget(session_id: int) -> None:
    """Drop what is kept of one session (its code may have changed, so looked up by id)."""
    with _lock:
        for code in [code for code, (_at, kept, _blob) in _sessions.items() if kept == session_id]:
            del _sessions[code]
        for key in [key for key in _polls if key[0] == session_id]:
            del _polls[key]


def forget_everything() -> None:
    with _lock:
        _sessions.clear()
        _polls.clear()


def heard(session_id: int, events: Iterable[Event]) -> None:
    """Forget a session whose state an announcement says changed."""
    if any(event.kind in STATE_KINDS for event in events):
        forget(session_id)


def forget_saved_activity(sender: object, instance: "Activity", **kwargs: object) -> None:
    """An activity's phase or visibility changed: a live one's screens and writes hear it."""
    from .events import publish

    if instance.kind == "live":
        publish(instance.pk, Event.stage())  # the session's key is its activity's


def forget_saved_space(sender: object, **kwargs: object) -> None:
    """A space's visibility may have changed: forget every session (rare, and cheap)."""
    forget_everything()


def connect() -> None:
    from django.db.models.signals import post_save

    from sammen.activities.models import Activity
    from sammen.spaces.models import Space

    post_save.connect(forget_saved_activity, sender=Activity, dispatch_uid="live-hot-activity")
    post_save.connect(forget_saved_space, sender=Space, dispatch_uid="live-hot-space")
