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

Those views say so themselves: `@lean("GET")` on the stream, and `lean_capable` (which
marks its view `lean("POST")`) on the writes. The router resolves a request's path with
Django's URL resolver, remembering the answer per path, and reads the mark.
"""

import asyncio
import re
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from functools import cache, lru_cache, partial
from typing import Any, Literal, TypeVar

from asgiref.sync import iscoroutinefunction
from django.conf import settings
from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.exception import convert_exception_to_response
from django.core.signals import setting_changed
from django.db import connections
from django.dispatch import receiver
from django.http import HttpResponse
from django.urls import Resolver404, URLResolver, get_resolver, resolve

# The threads that run the synchronous part of lean requests. Each job ends as a
# request does (end_job).
LEAN_THREADS = 8
_pool = ThreadPoolExecutor(max_workers=LEAN_THREADS, thread_name_prefix="live-lean")


def end_job() -> None:
    """End a job of a long-lived thread as a request ends: its database connection is
    closed, or kept when CONN_MAX_AGE or the connection pool says so. A healthy SQLite
    connection outside a transaction is kept too: the thread lives on, and opening one
    (the file, then the settings' PRAGMAs) cost 2.5 ms, more than a vote's queries.
    Django keeps no connection by default under ASGI because a request's thread ends
    with it; these threads do not."""
    for connection in connections.all(initialized_only=True):
        if (
            connection.vendor == "sqlite"
            and connection.connection is not None
            and not connection.in_atomic_block
            and not connection.errors_occurred
            and connection.get_autocommit()
        ):
            continue
        connection.close_if_unusable_or_obsolete()


def run_in_pool(function: Callable[..., Any], *args: Any) -> Any:
    """Run blocking work for a lean request in the pool; return an awaitable."""

    def job() -> Any:
        try:
            return function(*args)
        finally:
            end_job()

    return asyncio.get_running_loop().run_in_executor(_pool, job)


View = TypeVar("View", bound=Callable[..., Any])
LeanMethod = Literal["GET", "POST"]
LEAN_MARK = "lean_method"
LEAN_SERVER = "lean_server"
# serve(scope, receive, send, **the route's kwargs) -> whether it answered the request;
# when it did not, it sent nothing and the lean handler answers with the view.
Server = Callable[..., Awaitable[bool]]


def lean(method: LeanMethod, *, server: Server | None = None) -> Callable[[View], View]:
    """Mark a view to be served without the middleware stack for requests of `method`.

    POSTs go lean only when htmx sends them (see is_lean). A `server` answers the lean
    requests straight over ASGI, without Django's handler (the event stream: a response
    object, two tasks and a request kept for every open screen otherwise). The marks are
    attributes, which functools.wraps copies onto the decorators applied around the view."""

    def mark(view: View) -> View:
        setattr(view, LEAN_MARK, method)
        if server is not None:
            setattr(view, LEAN_SERVER, server)
        return view

    return mark


# Paths longer than this are resolved each time rather than remembered: the cache stays
# small whatever paths a client makes up. Live paths are far shorter.
LONGEST_REMEMBERED_PATH = 200


def lean_method_of(root_path: str, path: str) -> str | None:
    """Return the method the view at `path` is served lean for, or None.

    Every request of the site asks, so a path outside the literal beginnings of the
    lean views' routes is answered without the resolver (and without taking a place
    in the cache)."""
    prefix = settings.FORCE_SCRIPT_NAME or root_path
    if not (path.removeprefix(prefix) if prefix else path).startswith(lean_route_starts()):
        return None
    if len(path) > LONGEST_REMEMBERED_PATH:
        return resolve_lean_method(root_path, path)
    return remembered_lean_method(root_path, path)


def resolve_lean_method(root_path: str, path: str) -> str | None:
    # The path the resolver sees, worked out as Django's ASGIRequest does.
    prefix = settings.FORCE_SCRIPT_NAME or root_path
    try:
        view = resolve(path.removeprefix(prefix) if prefix else path).func
    except Resolver404:
        return None
    method = getattr(view, LEAN_MARK, None)
    return method if isinstance(method, str) else None


# The resolver walks the URL patterns (some 0.2 ms); a vote costs that once per path.
remembered_lean_method = lru_cache(maxsize=4096)(resolve_lean_method)


def resolve_lean_server(root_path: str, path: str) -> tuple[Server, dict[str, Any]] | None:
    """Return the server of the view at `path` (lean(server=...)) and its arguments."""
    prefix = settings.FORCE_SCRIPT_NAME or root_path
    try:
        match = resolve(path.removeprefix(prefix) if prefix else path)
    except Resolver404:
        return None
    server = getattr(match.func, LEAN_SERVER, None)
    return (server, match.kwargs) if server is not None else None


remembered_lean_server = lru_cache(maxsize=4096)(resolve_lean_server)


def lean_server_of(scope: dict[str, Any]) -> tuple[Server, dict[str, Any]] | None:
    """Return the server of a lean GET's view, if it has one (is_lean said yes)."""
    if scope.get("method") != "GET":
        return None
    root_path, path = scope.get("root_path", ""), scope.get("path", "")
    if len(path) > LONGEST_REMEMBERED_PATH:
        return resolve_lean_server(root_path, path)
    return remembered_lean_server(root_path, path)


@cache
def lean_route_starts() -> tuple[str, ...]:
    """Return the literal beginning of each lean view's route ("/live/"), read once from
    the URL patterns: the part before the route's first converter or regex."""
    starts: set[str] = set()

    def walk(patterns: list[Any], prefix: str) -> None:
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, route)
            elif isinstance(getattr(entry.callback, LEAN_MARK, None), str):
                starts.add("/" + re.split(r"[<^$(\\[.*+?]", route.lstrip("^"), maxsplit=1)[0])

    walk(get_resolver().url_patterns, "")
    return tuple(sorted(starts))


@receiver(setting_changed)
def forget_lean_paths(*, setting: str, **kwargs: Any) -> None:
    if setting in {"ROOT_URLCONF", "FORCE_SCRIPT_NAME"}:
        remembered_lean_method.cache_clear()
        remembered_lean_server.cache_clear()
        lean_route_starts.cache_clear()


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
    """Return whether a request goes to LeanHandler: a GET of a view marked lean("GET"),
    or an htmx POST of one marked lean("POST")."""
    if scope["type"] != "http":
        return False
    method = scope.get("method")
    if method == "POST":
        # Without JavaScript the same form posts for a redirect and a flash message,
        # which need the middleware.
        if not any(name == b"hx-request" for name, _value in scope.get("headers", [])):
            return False
    elif method != "GET":
        return False
    return lean_method_of(scope.get("root_path", ""), scope.get("path", "")) == method


def with_live_streams(application: Any) -> Any:
    """Return an ASGI application that sends streams and htmx votes to LeanHandler."""
    lean_handler = LeanHandler()

    async def route(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if is_lean(scope):
            server = lean_server_of(scope)
            if server is None or not await server[0](scope, receive, send, **server[1]):
                await lean_handler(scope, receive, send)
        else:
            await application(scope, receive, send)

    return route
