"""Serve live event streams, and the votes of a crowd, without the middleware stack.

Django runs synchronous middleware in a thread per request under ASGI: it starts a
thread for every request, and keeps it until the response ends. For an event stream
that is as long as the screen is open (a thousand phones would hold a thousand
threads), and for a room voting at once it means starting hundreds of threads a
second while the event loop waits for each to start.

So two kinds of request go to a Django handler with no middleware and no thread of
their own: event streams (views/stream.py), and the participants' htmx writes of a
live session (answer, vote, react, ask; views/lean.py gives them the session, user,
language, htmx details and CSRF check the middleware would). Their synchronous work
runs in a small pool of long-lived threads. Everything else, including the same writes
sent without JavaScript, goes to the normal application.
"""

import asyncio
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

from asgiref.sync import iscoroutinefunction
from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.exception import convert_exception_to_response
from django.db import close_old_connections
from django.http import HttpResponse

# The threads that run the synchronous part of lean requests. Each job ends as a
# request does: its database connection is closed, or kept when CONN_MAX_AGE or the
# connection pool says so.
LEAN_THREADS = 8
_pool = ThreadPoolExecutor(max_workers=LEAN_THREADS, thread_name_prefix="live-lean")


def run_in_pool(function: Callable[..., Any], *args: Any) -> Any:
    """Run blocking work for a lean request in the pool; return an awaitable."""

    def job() -> Any:
        try:
            return function(*args)
        finally:
            close_old_connections()

    return asyncio.get_running_loop().run_in_executor(_pool, job)


STREAM_PATH = re.compile(r"^/live/[A-Za-z0-9-]{1,16}/events/$")
WRITE_PATH = re.compile(
    r"^/live/[A-Za-z0-9-]{1,16}/(polls/\d+/answer/|questions/(\d+/upvote/)?|react/)$"
)


class LeanHandler(ASGIHandler):
    def load_middleware(self, is_async: bool = False) -> None:
        self._view_middleware: list[Any] = []
        self._template_response_middleware: list[Any] = []
        self._exception_middleware: list[Any] = []
        self._middleware_chain = convert_exception_to_response(
            self._get_response_async  # type: ignore[attr-defined]
        )

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        # No ThreadSensitiveContext, so no thread started per request.
        await self.handle(scope, receive, send)

    def make_view_atomic(self, view: Any) -> Any:
        """Run synchronous views in the pool: several at once, no thread started for each."""
        view = super().make_view_atomic(view)
        if iscoroutinefunction(view):
            return view

        async def pooled(request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
            return await run_in_pool(partial(view, request, *args, **kwargs))

        return pooled


def is_lean(scope: dict[str, Any]) -> bool:
    if scope["type"] != "http":
        return False
    path = scope.get("path", "")
    if scope.get("method") == "GET":
        return bool(STREAM_PATH.match(path))
    if scope.get("method") == "POST" and WRITE_PATH.match(path):
        return any(name == b"hx-request" for name, _value in scope.get("headers", []))
    return False


def with_live_streams(application: Any) -> Any:
    """Return an ASGI application that sends streams and htmx votes to LeanHandler."""
    lean = LeanHandler()

    async def route(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if is_lean(scope):
            await lean(scope, receive, send)
        else:
            await application(scope, receive, send)

    return route
