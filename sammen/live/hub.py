"""One hub per server process: the open event streams, and the snapshots they receive.

Actions announce "item X of session S changed" (events.py). With REDIS_URL, every
process hears every announcement through one Redis pattern subscription; without it,
announcements reach this process's hub directly. A hub coalesces: per session it
renders at most one snapshot per WINDOW, reading the database once per changed item
and rendering once per kind of screen (audience and language), and hands the same
bytes to every stream of that kind. A burst of thousands of votes therefore costs a
few renders per second, whatever the number of votes or screens.
"""

import asyncio
import contextlib
import json
import logging
import os
import socket
import time
import weakref
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings

from . import hot
from .asgi import end_job, run_in_pool
from .events import EVERYTHING, Event, Message, channel_prefix

logger = logging.getLogger(__name__)

WINDOW = 0.25  # seconds between two snapshots of one session, at most
# A big room gets a longer window: every snapshot is written to every screen, and at
# thousands of screens that writing, not the votes, takes the CPU. Each STREAMS_PER_WINDOW
# streams in this process add a WINDOW, up to LONGEST_WINDOW, which keeps the final
# tally on every screen within a second of the last vote.
STREAMS_PER_WINDOW = 1000
LONGEST_WINDOW = 0.6
HEARTBEAT = 15.0  # a comment line keeps proxies from closing an idle stream
PRESENCE_EVERY = 5.0
MAX_QUEUED = 8  # a stream further behind than this gets one full snapshot instead
# Open streams one person may hold in one session, in one process: a phone and a laptop
# with a few tabs. Beyond that the oldest is ended (a phone that changed networks leaves
# one behind that the server notices late), so a script cannot hold hundreds open. With
# several processes a person holds at most this many in each.
MAX_STREAMS_PER_PERSON = 5
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Variant:
    """A kind of screen: everyone with the same one gets the same bytes."""

    audience: str  # "participant", "moderator" or "presenter"
    language: str


class Stream:
    """One open event stream: what it still has to send, and how to wake it."""

    __slots__ = (
        "attendee_id",
        "holder",
        "last_sent",
        "opened",
        "queue",
        "replaced",
        "resync",
        "variant",
        "wake",
    )

    def __init__(
        self, variant: Variant, attendee_id: int | None, holder: str | None = None
    ) -> None:
        self.variant = variant
        self.attendee_id = attendee_id
        self.holder = holder  # who holds it, for the cap: "attendee:ID" or "user:ID"
        self.replaced = False
        self.queue: list[bytes] = []
        self.wake = asyncio.Event()
        self.resync = False
        self.last_sent = self.opened = time.monotonic()

    def push(self, message: bytes) -> None:
        self.last_sent = time.monotonic()
        if len(self.queue) >= MAX_QUEUED:
            # Too far behind (a slow phone): drop the backlog, send the whole state once.
            self.queue.clear()
            self.resync = True
        else:
            self.queue.append(message)
        self.wake.set()

    def replace(self) -> None:
        """End this stream: its holder opened a newer one past the cap."""
        self.replaced = True
        self.wake.set()


@dataclass
class Room:
    """This process's side of one session: its streams and what changed since the last flush."""

    session_id: int
    streams: set[Stream] = field(default_factory=set)
    dirty: set[Event] = field(default_factory=set)
    reactions: Counter[str] = field(default_factory=Counter)
    # The latest snapshot per kind of screen, for streams that (re)connect: target -> (at, html).
    state: dict[Variant, dict[str, tuple[float, str]]] = field(default_factory=dict)
    # That state as one event, encoded once for all the screens of a kind that connect
    # until it changes; and the first render of a kind's state while it runs, which
    # screens connecting at once (a room after a restart) wait for instead of each
    # rendering it again.
    encoded: dict[Variant, bytes] = field(default_factory=dict)
    rendering: dict[Variant, "asyncio.Task[dict[str, tuple[float, str]]]"] = field(
        default_factory=dict
    )
    last_flush: float = 0.0
    flusher: asyncio.Task[None] | None = None
    presence_written: int = -1
    presence_at: float = 0.0

    @property
    def participant_count(self) -> int:
        return len({s.attendee_id for s in self.streams if s.attendee_id is not None})


def window_for(streams: int) -> float:
    """Return the seconds between two snapshots of a session watched by `streams` here."""
    return min(LONGEST_WINDOW, WINDOW * max(1.0, streams / STREAMS_PER_WINDOW))


def oldest_first(state: dict[str, tuple[float, str]]) -> dict[str, str]:
    """Return a cached state's HTML, older parts first: a container rendered later already
    holds the newer content of what is inside it, so it must be applied after."""
    ordered = sorted(state.items(), key=lambda item: item[1][0])
    return {target: html for target, (_at, html) in ordered}


def encode(at: float, swaps: dict[str, str], reactions: dict[str, int] | None = None) -> bytes:
    """Return one server-sent event carrying HTML for targets (and reaction counts)."""
    payload: dict[str, Any] = {"at": at, "swap": swaps}
    if reactions:
        payload["react"] = reactions
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return f"id: {int(at)}\ndata: {data}\n\n".encode()


class Hub:
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.rooms: dict[int, Room] = {}
        # Snapshots are read and rendered in this thread (Django's ORM is synchronous).
        # Coalescing keeps its work small: a few renders per second per session.
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="live-snapshot")
        self.process_key = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self.listener: asyncio.Task[None] | None = None
        self.subscribed = asyncio.Event()
        self.ticker: asyncio.Task[None] | None = None

    # Running blocking work -------------------------------------------------------------

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        def job() -> T:
            # Each job ends as a request does (asgi.end_job).
            try:
                return function(*args)
            finally:
                end_job()

        return await self.loop.run_in_executor(self.executor, job)

    # Streams ---------------------------------------------------------------------------

    async def connect(
        self, session_id: int, variant: Variant, attendee_id: int | None, holder: str | None = None
    ) -> tuple[Stream, bytes]:
        """Register a stream and return it with its first message: the whole current state.
        End the holder's oldest streams beyond MAX_STREAMS_PER_PERSON."""
        from . import snapshots

        room = self.rooms.get(session_id)
        if room is None:
            room = self.rooms[session_id] = Room(session_id)
        stream = Stream(variant, attendee_id, holder)
        if holder is not None:
            held = sorted(
                (s for s in room.streams if s.holder == holder and not s.replaced),
                key=lambda s: s.opened,
            )
            for old in held[: max(0, len(held) + 1 - MAX_STREAMS_PER_PERSON)]:
                old.replace()
        room.streams.add(stream)
        self.start_background()
        if settings.REDIS_URL:
            # Listen before reading, so no change can fall between the read and the listening.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.subscribed.wait(), timeout=5)
        if variant not in room.state:
            await self.first_state(room, variant)
        shared = self.full_state(session_id, variant)
        if attendee_id is None:
            return stream, shared
        # In the lean pool, not behind the session's snapshots in the hub's one thread:
        # after a restart a whole room connects at once. Stamped with the time before its
        # read, as snapshots are, so a later snapshot of the same part is never older.
        read_at = time.time() * 1000
        personal = await run_in_pool(snapshots.render_personal, attendee_id, variant.language)
        return stream, shared + encode(read_at, personal)

    async def first_state(self, room: Room, variant: Variant) -> None:
        """Render a kind of screen's whole state once, however many screens wait for it."""
        from . import snapshots

        async def render() -> dict[str, tuple[float, str]]:
            rendered = await self.run(snapshots.render, room.session_id, EVERYTHING, {variant}, {})
            return {
                target: (rendered.at, html)
                for target, html in rendered.shared.get(variant, {}).items()
            }

        task = room.rendering.get(variant)
        if task is None:
            task = room.rendering[variant] = self.loop.create_task(render())
            task.add_done_callback(lambda _done: room.rendering.pop(variant, None))
        state = await asyncio.shield(task)  # a screen that leaves does not stop it
        room.state.setdefault(variant, state)

    def disconnect(self, session_id: int, stream: Stream) -> None:
        room = self.rooms.get(session_id)
        if room is None:
            return
        room.streams.discard(stream)
        if not room.streams:
            if room.flusher is not None:
                room.flusher.cancel()
            del self.rooms[session_id]
            self.loop.create_task(self.record_presence(session_id, 0))

    def full_state(self, session_id: int, variant: Variant) -> bytes:
        """Return a kind of screen's whole state as one event, encoded once per change."""
        room = self.rooms.get(session_id)
        if room is not None and variant in room.encoded:
            return room.encoded[variant]
        state = room.state.get(variant, {}) if room else {}
        at = max((at for at, _html in state.values()), default=time.time() * 1000)
        message = encode(at, oldest_first(state))
        if room is not None and variant in room.state:
            room.encoded[variant] = message
        return message

    # Events ----------------------------------------------------------------------------

    def on_event(self, session_id: int, message: Message) -> None:
        """Note what changed; the session's flusher sends it within one window."""
        hot.heard(session_id, message.events)
        room = self.rooms.get(session_id)
        if room is None:
            return  # nobody here watches this session
        room.dirty.update(message.events)
        if message.reaction:
            room.reactions[message.reaction] += 1
        if room.flusher is None and (room.dirty or room.reactions):
            room.flusher = self.loop.create_task(self.flush(room))

    async def flush(self, room: Room) -> None:
        """Send what changed, one snapshot per window at most, until nothing is left."""
        from . import snapshots

        try:
            while room.dirty or room.reactions:
                wait = room.last_flush + window_for(len(room.streams)) - self.loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                items, room.dirty = room.dirty, set()
                reactions, room.reactions = room.reactions, Counter()
                room.last_flush = self.loop.time()
                variants = {stream.variant for stream in room.streams} | set(room.state)
                attendees: dict[int, str] = {
                    stream.attendee_id: stream.variant.language
                    for stream in room.streams
                    if stream.attendee_id is not None
                }
                rendered = await self.run(
                    snapshots.render, room.session_id, items, variants, attendees
                )
                self.deliver(room, rendered, dict(reactions))
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("Sending a live snapshot of session %s failed", room.session_id)
            room.state.clear()  # possibly stale now: the next screen to connect reads afresh
            room.encoded.clear()
        finally:
            room.flusher = None
            if room.dirty and room.streams:
                room.flusher = self.loop.create_task(self.flush(room))

    def deliver(self, room: Room, rendered: Any, reactions: dict[str, int]) -> None:
        shared: dict[Variant, bytes] = {}
        for variant, swaps in rendered.shared.items():
            if swaps:
                room.encoded.pop(variant, None)
            cached = room.state.setdefault(variant, {})
            for target, html in swaps.items():
                if cached.get(target, (0.0, ""))[0] <= rendered.at:
                    cached[target] = (rendered.at, html)
        for stream in list(room.streams):
            swaps = dict(rendered.shared.get(stream.variant, {}))
            personal = rendered.personal.get(stream.attendee_id) if stream.attendee_id else None
            react = reactions if stream.variant.audience == "presenter" else None
            if not swaps and not personal and not react:
                continue
            if personal:
                swaps.update(personal)
                stream.push(encode(rendered.at, swaps, react))
                continue
            key = stream.variant if not react else None
            if key is not None and key in shared:
                stream.push(shared[key])
                continue
            message = encode(rendered.at, swaps, react)
            if key is not None:
                shared[key] = message
            stream.push(message)

    # Background: Redis, heartbeats, presence -------------------------------------------

    def start_background(self) -> None:
        if settings.REDIS_URL and (self.listener is None or self.listener.done()):
            self.listener = self.loop.create_task(self.listen())
        if self.ticker is None or self.ticker.done():
            self.ticker = self.loop.create_task(self.tick())

    async def listen(self) -> None:
        """Hear every process's announcements through Redis; after an outage, refresh all."""
        import redis.asyncio as aioredis

        backoff = 0.5
        first = True
        while self.rooms:
            client = aioredis.Redis.from_url(settings.REDIS_URL)
            try:
                pubsub = client.pubsub()
                prefix = channel_prefix()
                await pubsub.psubscribe(f"{prefix}*")
                # Read the subscription's confirmation: from here on nothing is missed.
                while (await pubsub.get_message(timeout=1.0)) is None:
                    pass
                self.subscribed.set()
                if not first:
                    for room in self.rooms.values():
                        self.on_event(room.session_id, Message(EVERYTHING | {Event.every_result()}))
                first, backoff = False, 0.5
                while self.rooms:
                    message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
                    if message is None or message.get("type") != "pmessage":
                        continue
                    channel = message["channel"].decode()
                    try:
                        session_id = int(channel.removeprefix(prefix))
                        self.on_event(session_id, Message.from_wire(message["data"]))
                    except (ValueError, TypeError):
                        logger.warning("Ignored a malformed live event on %s", channel)
                await pubsub.aclose()
            except asyncio.CancelledError:
                raise
            except Exception:
                self.subscribed.clear()
                logger.warning(
                    "Lost the Redis subscription for live events; retrying", exc_info=True
                )
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 10)
            finally:
                await client.aclose()
        self.subscribed.clear()

    async def tick(self) -> None:
        """Keep idle streams open and tell the database how many people this process serves."""
        while self.rooms:
            await asyncio.sleep(1.0)
            now = time.monotonic()
            for room in list(self.rooms.values()):
                for stream in room.streams:
                    if now - stream.last_sent > HEARTBEAT:
                        stream.push(b": keep-alive\n\n")
                count = room.participant_count
                if (count != room.presence_written and now - room.presence_at > PRESENCE_EVERY) or (
                    now - room.presence_at > 2 * PRESENCE_EVERY
                ):
                    room.presence_at = now
                    await self.record_presence(room.session_id, count)
                    room.presence_written = count

    async def record_presence(self, session_id: int, count: int) -> None:
        from .actions import do_record_presence
        from .events import send

        try:
            before = await self.run(_audience, session_id)
            after = await self.run(do_record_presence, session_id, self.process_key, count)
            if after != before:
                await self.run(send, session_id, Message.of(Event.audience()))
        except Exception:
            logger.warning("Could not record the audience of session %s", session_id, exc_info=True)


def _audience(session_id: int) -> int:
    from .queries import audience_now

    return audience_now(session_id)


_hubs: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub]" = weakref.WeakKeyDictionary()


def get_hub() -> Hub:
    """Return this process's hub (one per event loop), creating it on first use."""
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None:
        hub = _hubs[loop] = Hub(loop)
    return hub


def deliver_locally(session_id: int, message: Message) -> None:
    """Hand an announcement to the hubs of this process (called from any thread)."""
    for loop, hub in list(_hubs.items()):
        if loop.is_closed():
            continue
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
            loop.call_soon_threadsafe(hub.on_event, session_id, message)
