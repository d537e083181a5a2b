"""The event stream every live screen listens to: a snapshot at once, then the changes."""

import asyncio
import io
from collections.abc import AsyncIterator
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import translation
from django.views.decorators.http import require_GET

from sammen.accounts.permissions import TwoFactorRequired

from ..asgi import lean, run_in_pool
from ..hub import Hub, Stream, Variant, get_hub
from ..permissions import access_live_session
from .lean import prepare_bare_request

RETRY_MILLISECONDS = 3000
# Sent to a stream ended because its holder opened too many (hub.MAX_STREAMS_PER_PERSON):
# the page stops listening instead of reconnecting and ending another of its own.
REPLACED = b"event: replaced\ndata: {}\n\n"


def stream_variant(request: HttpRequest, code: str) -> tuple[int, Variant, int | None, str | None]:
    """Return the session, the kind of screen, the attendee and the holder of a stream
    (whose streams count towards one cap); refuse others."""
    prepare_bare_request(request)
    view = request.GET.get("view", "participant")
    try:
        access = access_live_session(request, code)
        if view == "moderator" and not access.can_moderate:
            raise PermissionDenied
        if view == "presenter" and not access.can_present:
            raise PermissionDenied
    except TwoFactorRequired:  # the crew's pages send them to set it up; a stream refuses
        raise PermissionDenied from None
    if view not in {"moderator", "presenter"}:
        view = "participant"
        if access.attendee is None:
            raise PermissionDenied
    language = translation.get_language() or settings.LANGUAGE_CODE
    attendee_id = (
        access.attendee.pk if access.attendee is not None and view == "participant" else None
    )
    if attendee_id is not None:
        holder: str | None = f"attendee:{attendee_id}"
    elif request.user.is_authenticated:
        holder = f"user:{request.user.pk}"
    else:
        holder = None
    return access.session.pk, Variant(view, language), attendee_id, holder


HEADERS = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    (b"cache-control", b"no-cache, no-store"),
    (b"x-accel-buffering", b"no"),  # nginx: pass events on at once
    (b"x-content-type-options", b"nosniff"),
]


async def serve_events(scope: dict[str, Any], receive: Any, send: Any, *, code: str) -> bool:
    """Serve a screen's event stream straight over ASGI (asgi.py routes lean GETs here).

    The same stream as events() below, without Django's response machinery: per open
    screen no request object is kept (only what the hub needs), no StreamingHttpResponse
    and no task of Django's own, and each snapshot is one ASGI message of the hub's
    pre-encoded bytes. A request the checks refuse (or that fails) is left to the lean
    handler, which answers it through the view as before: return False, nothing sent."""
    request = ASGIRequest(scope, io.BytesIO())
    try:
        session_id, variant, attendee_id, holder = await run_in_pool(stream_variant, request, code)
    except Exception:  # the view answers it, with the right status
        return False
    del request
    hub = get_hub()
    stream, first = await hub.connect(session_id, variant, attendee_id, holder)
    gone = False

    async def watch() -> None:
        """Notice the screen leaving (or the server stopping): end the stream."""
        nonlocal gone
        while (await receive())["type"] != "http.disconnect":
            pass
        gone = True
        stream.wake.set()

    watcher = asyncio.create_task(watch())
    try:
        await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
        opening = opening_of(first)
        del first  # the whole state: kept no longer than it takes to send
        await send({"type": "http.response.body", "body": opening, "more_body": True})
        del opening
        async for chunk in what_follows(hub, stream, session_id):
            if gone:
                break
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        if not gone:
            await send({"type": "http.response.body", "body": b"", "more_body": False})
    except OSError:
        pass  # the connection broke while writing: as a disconnect
    finally:
        watcher.cancel()
        hub.disconnect(session_id, stream)
    return True


def opening_of(first: bytes) -> bytes:
    """Return a stream's first bytes: how long to wait before reconnecting, and the state."""
    return f"retry: {RETRY_MILLISECONDS}\n\n".encode() + first


async def what_follows(hub: Hub, stream: Stream, session_id: int) -> AsyncIterator[bytes]:
    """Yield what a stream sends after its first message, as the hub wakes it; after an
    end (its holder opened too many), REPLACED and nothing more."""
    while True:
        await stream.wake.wait()
        stream.wake.clear()
        if stream.replaced:
            yield REPLACED
            return
        yield take(hub, stream, session_id)


def take(hub: Hub, stream: Stream, session_id: int) -> bytes:
    """Return what a stream has to send: its queued snapshots, or the whole state once."""
    if stream.resync:
        stream.resync = False
        stream.queue.clear()
        return hub.full_state(session_id, stream.variant)
    chunk = b"".join(stream.queue)
    stream.queue.clear()
    return chunk


@require_GET
@lean("GET", server=serve_events)
async def events(request: HttpRequest, code: str) -> StreamingHttpResponse:
    """Stream server-sent events: the whole state first (also after a reconnection or a
    reload), then coalesced snapshots of what changes. EventSource reconnects by itself."""
    if hasattr(request, "user"):  # through the middleware stack (tests, other servers)
        session_id, variant, attendee_id, holder = await sync_to_async(stream_variant)(
            request, code
        )
    else:
        session_id, variant, attendee_id, holder = await run_in_pool(stream_variant, request, code)
    hub = get_hub()
    stream, first = await hub.connect(session_id, variant, attendee_id, holder)

    async def body() -> AsyncIterator[bytes]:
        try:
            yield opening_of(first)
            async for chunk in what_follows(hub, stream, session_id):
                yield chunk
        finally:
            hub.disconnect(session_id, stream)

    response = StreamingHttpResponse(body())
    for name, value in HEADERS:
        response[name.decode()] = value.decode()
    return response
