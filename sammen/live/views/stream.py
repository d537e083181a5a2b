"""The event stream every live screen listens to: a snapshot at once, then the changes."""

from collections.abc import AsyncIterator

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import translation
from django.views.decorators.http import require_GET

from sammen.accounts.permissions import TwoFactorRequired

from ..asgi import lean, run_in_pool
from ..hub import Stream, Variant, get_hub
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


@require_GET
@lean("GET")
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
            yield f"retry: {RETRY_MILLISECONDS}\n\n".encode() + first
            while True:
                await stream.wake.wait()
                stream.wake.clear()
                if stream.replaced:
                    yield REPLACED
                    return
                yield take(stream, session_id)
        finally:
            hub.disconnect(session_id, stream)

    def take(stream: Stream, session_id: int) -> bytes:
        if stream.resync:
            stream.resync = False
            stream.queue.clear()
            return hub.full_state(session_id, stream.variant)
        chunk = b"".join(stream.queue)
        stream.queue.clear()
        return chunk

    response = StreamingHttpResponse(body(), content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache, no-store"
    response["X-Accel-Buffering"] = "no"  # nginx: pass events on at once
    response["X-Content-Type-Options"] = "nosniff"
    return response
