"""Serve live event streams without the synchronous middleware stack.

Django runs synchronous middleware in a thread per request under ASGI, and that
thread stays with the request until the response ends: for an event stream, as long
as the screen is open. A thousand phones would hold a thousand threads. Streams only
need the session, the user and the language, which the stream view sets up itself
(views/stream.py), so their requests go to a Django handler with no middleware and no
per-request thread; everything else goes to the normal application.
"""

import re
from typing import Any

from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.exception import convert_exception_to_response

STREAM_PATH = re.compile(r"^/live/[A-Za-z0-9-]{1,16}/events/$")


class StreamHandler(ASGIHandler):
    def load_middleware(self, is_async: bool = False) -> None:
        self._view_middleware: list[Any] = []
        self._template_response_middleware: list[Any] = []
        self._exception_middleware: list[Any] = []
        self._middleware_chain = convert_exception_to_response(
            self._get_response_async  # type: ignore[attr-defined]
        )

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        # No ThreadSensitiveContext: the little synchronous work (checking access) runs in
        # asgiref's shared thread instead of a thread held for the stream's lifetime.
        await self.handle(scope, receive, send)


def with_live_streams(application: Any) -> Any:
    """Return an ASGI application that sends live event streams to StreamHandler."""
    streams = StreamHandler()

    async def route(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and STREAM_PATH.match(scope.get("path", "")):
            await streams(scope, receive, send)
        else:
            await application(scope, receive, send)

    return route
