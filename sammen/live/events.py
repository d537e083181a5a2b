"""What actions tell the screens: "this part of that session changed", after commit.

Events carry no data, only which item changed; every screen's next snapshot is read
from the database, so a lost or repeated event costs a refresh, never a wrong count.

The vocabulary is `Event` (an `EventKind`, and for some kinds the poll or attendee it
is about), built with its constructors: `Event.results(poll.pk)`, `Event.questions()`.
On the wire (Redis) a message is JSON, `{"items": ["polls", "results:7"], "reaction":
"heart"}`; `Message.to_wire()` writes it and `Message.from_wire()` reads it, the only
two places that know its shape. An item that does not parse is left out and logged.
"""

import json
import logging
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, partial
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import transaction

from .models import ReactionKind

if TYPE_CHECKING:
    import redis

logger = logging.getLogger(__name__)


class EventKind(StrEnum):
    """What part of a session changed; the value is the item's name on the wire."""

    POLLS = "polls"  # which polls are open, and each one's state
    QUESTIONS = "questions"  # the questions the room sees, and the moderators' queue
    STAGE = "stage"  # what the big screen shows
    LEADERBOARD = "leaderboard"  # the quiz's standings
    AUDIENCE = "audience"  # how many are here
    RESULTS = "results"  # one poll's results, or every poll's ("results:*")
    MINE = "mine"  # what only one attendee sees: their own questions


# Kinds about one thing: the item names it after a colon (a poll's or an attendee's id).
ABOUT_ONE = {EventKind.RESULTS, EventKind.MINE}
EVERY_POLL = "*"


@dataclass(frozen=True, slots=True)
class Event:
    """One change to a session: a kind, and the poll or attendee it is about (if any).

    `about` is a poll's id for RESULTS (None: every poll) and an attendee's id for MINE;
    the other kinds are about no one thing."""

    kind: EventKind
    about: int | None = None

    def __post_init__(self) -> None:
        if self.kind == EventKind.MINE and self.about is None:
            raise ValueError("a MINE event names its attendee")
        if self.kind not in ABOUT_ONE and self.about is not None:
            raise ValueError(f"a {self.kind} event is about no one thing")

    @classmethod
    def polls(cls) -> Self:
        return cls(EventKind.POLLS)

    @classmethod
    def questions(cls) -> Self:
        return cls(EventKind.QUESTIONS)

    @classmethod
    def stage(cls) -> Self:
        return cls(EventKind.STAGE)

    @classmethod
    def leaderboard(cls) -> Self:
        return cls(EventKind.LEADERBOARD)

    @classmethod
    def audience(cls) -> Self:
        return cls(EventKind.AUDIENCE)

    @classmethod
    def results(cls, poll_id: int) -> Self:
        return cls(EventKind.RESULTS, poll_id)

    @classmethod
    def every_result(cls) -> Self:
        """Return the event that asks for the results of every poll again."""
        return cls(EventKind.RESULTS)

    @classmethod
    def mine(cls, attendee_id: int) -> Self:
        return cls(EventKind.MINE, attendee_id)

    def __str__(self) -> str:
        """Return the item as the wire writes it: "polls", "results:7", "results:*"."""
        if self.kind not in ABOUT_ONE:
            return str(self.kind)
        return f"{self.kind}:{EVERY_POLL if self.about is None else self.about}"

    @classmethod
    def parse(cls, item: object) -> Self | None:
        """Return the event an item on the wire names, or None for anything else."""
        if not isinstance(item, str):
            return None
        name, colon, about = item.partition(":")
        try:
            kind = EventKind(name)
        except ValueError:
            return None
        if not colon:
            return None if kind in ABOUT_ONE else cls(kind)
        if kind == EventKind.RESULTS and about == EVERY_POLL:
            return cls(kind)
        # ASCII digits only: int() would also take "٣", " 3" or "3_0".
        if kind not in ABOUT_ONE or not (about.isascii() and about.isdigit()):
            return None
        return cls(kind, int(about))


# What a screen that (re)connects is sent: the whole state. Every poll's results are in
# the polls and stage regions, so "results:*" is not needed here.
EVERYTHING = frozenset(
    {Event.polls(), Event.questions(), Event.stage(), Event.leaderboard(), Event.audience()}
)


@dataclass(frozen=True, slots=True)
class Message:
    """What one action announces: the events, and a reaction sent to the big screen."""

    events: frozenset[Event] = frozenset()
    reaction: str = ""

    @classmethod
    def of(cls, *events: Event, reaction: str = "") -> Self:
        return cls(frozenset(events), reaction)

    def to_wire(self) -> str:
        data: dict[str, object] = {"items": sorted(str(event) for event in self.events)}
        if self.reaction:
            data["reaction"] = self.reaction
        return json.dumps(data)

    @classmethod
    def from_wire(cls, data: str | bytes) -> Self:
        """Read a message from the wire, leaving out items and reactions that do not parse.

        Raise ValueError when the data is not a JSON object at all."""
        decoded = json.loads(data)
        if not isinstance(decoded, dict):
            raise ValueError("a live event message is a JSON object")
        items = decoded.get("items", [])
        if not isinstance(items, list):
            items = [items]
        events: set[Event] = set()
        ignored: list[object] = []
        for item in items:
            event = Event.parse(item)
            if event is None:
                ignored.append(item)
            else:
                events.add(event)
        reaction = decoded.get("reaction") or ""
        if reaction and reaction not in ReactionKind.values:
            ignored.append(reaction)
            reaction = ""
        if ignored:
            logger.warning("Ignored parts of a live event message: %r", ignored)
        return cls(frozenset(events), reaction)


@dataclass(frozen=True, slots=True)
class Changes:
    """What a set of events asks a snapshot to render again."""

    kinds: frozenset[EventKind]
    result_polls: frozenset[int]  # polls whose results changed
    every_result: bool  # the results of every poll changed
    attendees: frozenset[int]  # attendees whose own part changed

    @classmethod
    def of(cls, events: Iterable[Event]) -> Self:
        given = frozenset(events)
        return cls(
            kinds=frozenset(event.kind for event in given),
            result_polls=frozenset(
                event.about
                for event in given
                if event.kind == EventKind.RESULTS and event.about is not None
            ),
            every_result=Event.every_result() in given,
            attendees=frozenset(
                event.about
                for event in given
                if event.kind == EventKind.MINE and event.about is not None
            ),
        )

    def touches(self, *kinds: EventKind) -> bool:
        """Return whether any of `kinds` changed."""
        return not self.kinds.isdisjoint(kinds)

    def wants_results(self, poll_id: int) -> bool:
        return self.every_result or poll_id in self.result_polls

    @property
    def any_results(self) -> bool:
        return EventKind.RESULTS in self.kinds


def channel_prefix() -> str:
    """Return the prefix of this site's channels. Pub/sub channels are global to a Redis
    server, so two sites (or test runs) sharing one are kept apart by their database."""
    database = settings.DATABASES["default"]
    site = zlib.crc32(f"{database.get('HOST', '')}/{database['NAME']}".encode())
    return f"sammen:live:{site:x}:"


def channel_name(session_id: int) -> str:
    return f"{channel_prefix()}{session_id}"


def publish(session_id: int, *events: Event, reaction: str = "") -> None:
    """Announce, once the surrounding transaction commits, that `events` of a session happened.

    This process forgets what it keeps of the session's state (hot.py) at once, and again
    after the commit, so none of its requests reads the state from before the change."""
    from . import hot

    hot.heard(session_id, events)
    message = Message.of(*events, reaction=reaction)
    transaction.on_commit(partial(send, session_id, message))


def send(session_id: int, message: Message) -> None:
    """Send now: through Redis to every process when REDIS_URL is set, else to this process."""
    from . import hot

    hot.heard(session_id, message.events)
    if settings.REDIS_URL:
        try:
            redis_client().publish(channel_name(session_id), message.to_wire())
        except Exception:
            # The change is stored; screens catch up at the next change or reconnection.
            logger.warning("Could not publish a live event through Redis", exc_info=True)
        return
    from .hub import deliver_locally

    deliver_locally(session_id, message)


@cache
def redis_client() -> "redis.Redis":
    import redis

    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
