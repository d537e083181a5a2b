"""The phones of bench/live.py's load generator (bench/live_crowd.py), one object each.

A phone does what a phone's browser does on Sammen's live pages, on connections of its
own: it follows the QR code's link, joins with the form on the join page (keeping the
cookies it is given and sending the CSRF token back), opens the room's event stream as
the page's EventSource does (reconnecting after the stream's retry time when it is
lost), and posts its answer, its question, its upvotes and its reactions as htmx does.
It has two connections, as a browser with an open EventSource has: the stream, and a
keep-alive one for pages and posts, opened again when the server has closed it (and,
as a browser does, another while a post is still under way on it). Times are the
machine's wall clock in milliseconds, which the servers stamp their snapshots with too.

The HTTP is asyncio protocols around httptools (uvicorn's HTTP parser, in the venv
already): an HTTP client library would spend more CPU per event in this process than
the servers spend sending it, and no dependency is added.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import Counter
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import httptools

HOST = "127.0.0.1"
# A browser opens at most 6 HTTP/1.1 connections to one server; the stream takes one.
POST_CONNECTIONS = 5
RETRY_SECONDS = 3.0  # what an EventSource waits before it reconnects (Sammen sends retry: 3000)
TOTAL = re.compile(rb'data-total=\\?"(\d+)\\?"')
EVENT_ID = re.compile(rb"^id: (\d+)$", re.MULTILINE)
FORM_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
HEADER_TOKEN = re.compile(rb"\"X-CSRFToken\": \"([^\"]+)\"")
ATTENDEE = re.compile(rb'data-attendee="(\d+)"')
QUESTIONS = b'"live-questions":'  # a snapshot carrying the room's list of questions


def now_ms() -> float:
    return time.time() * 1000


class Room:
    """The live session the phones join, on one server; and the counts they add to."""

    def __init__(self, port: int, code: str, poll: int) -> None:
        self.port = port
        self.host = f"{HOST}:{port}"
        self.code = code
        self.poll = poll
        self.stats: Counter[str] = Counter()
        # Told of every message carrying the room's questions, when set (the question
        # storm, bench/live_questions.py): (phone, received, message).
        self.on_questions: Callable[[Phone, float, bytes], None] | None = None


class PhoneFailure(Exception):
    """A step of a phone's journey went wrong: the step and what came back."""


# HTTP -----------------------------------------------------------------------------------


class Response:
    __slots__ = ("body", "headers", "status")

    def __init__(self, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name: bytes) -> str | None:
        return next((v.decode("latin-1") for n, v in self.headers if n == name), None)

    def all(self, name: bytes) -> list[str]:
        return [v.decode("latin-1") for n, v in self.headers if n == name]


class Connection(asyncio.Protocol):
    """One keep-alive HTTP/1.1 connection carrying one request at a time."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self.used = False
        self.parser: httptools.HttpResponseParser | None = None
        self.waiter: asyncio.Future[Response] | None = None
        self.headers: list[tuple[bytes, bytes]] = []
        self.body: list[bytes] = []

    @property
    def busy(self) -> bool:
        return self.waiter is not None and not self.waiter.done()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # uvloop's is no subclass

    def data_received(self, data: bytes) -> None:
        if self.parser is None:
            return
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as error:
            self.fail(ConnectionError(f"unreadable response: {error}"))
            self.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.fail(ConnectionError("the server closed the connection"))

    def fail(self, error: Exception) -> None:
        self.parser = None
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(error)

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()

    # httptools callbacks
    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name.lower(), value))

    def on_body(self, body: bytes) -> None:
        self.body.append(body)

    def on_message_complete(self) -> None:
        assert self.parser is not None
        response = Response(self.parser.get_status_code(), self.headers, b"".join(self.body))
        if not self.parser.should_keep_alive():
            self.close()
        self.parser = None
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(response)

    async def send(self, request: bytes) -> Response:
        assert self.transport is not None
        self.used = True
        self.headers, self.body = [], []
        self.parser = httptools.HttpResponseParser(self)
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(request)
        return await self.waiter


class EventStream(asyncio.Protocol):
    """One connection of a phone's event stream: notes each snapshot's read time and tally."""

    def __init__(self, phone: Phone, request: bytes) -> None:
        self.phone = phone
        self.request = request
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.buffer = b""
        self.status = 0
        self.first = True

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # uvloop's is no subclass
        self.phone.stream = self
        transport.write(self.request)  # type: ignore[attr-defined]

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError:
            self.close()

    def on_headers_complete(self) -> None:
        self.status = self.parser.get_status_code()
        if self.status != 200:
            self.phone.stream_refused(f"event stream: HTTP {self.status}")
            self.close()

    def on_body(self, body: bytes) -> None:
        if self.status != 200:
            return
        received = now_ms()
        buffer = self.buffer + body
        end = buffer.rfind(b"\n\n")
        if end < 0:
            self.buffer = buffer
            return
        complete, self.buffer = buffer[:end], buffer[end + 2 :]
        stats = self.phone.room.stats
        for block in complete.split(b"\n\n"):
            event_id = EVENT_ID.search(block)
            if event_id is None:
                if block.startswith(b"event: replaced"):
                    stats["replaced"] += 1
                continue
            if self.first:
                self.first = False
                stats["first_bytes"] += len(block)
                stats["first_messages"] += 1
                self.phone.first_message(received)
            else:
                stats["snapshot_bytes"] += len(block)
                stats["snapshots"] += 1
            if self.phone.room.on_questions is not None and QUESTIONS in block:
                self.phone.room.on_questions(self.phone, received, block)
                continue  # the storm's phase has no poll open: no tally to look for
            totals = TOTAL.findall(block)
            if totals:
                self.phone.events.append(
                    (received, float(event_id.group(1)), max(map(int, totals)))
                )

    def on_message_complete(self) -> None:
        self.close()  # the server ended the stream

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self.phone.stream_lost(self)


# A phone -------------------------------------------------------------------------------


class Phone:
    """One participant's phone: its cookies, its two connections, what its screen received."""

    __slots__ = (
        "attendee",
        "connection",
        "cookies",
        "error",
        "events",
        "first_wait",
        "number",
        "others",
        "reconnects",
        "room",
        "stream",
        "streaming",
        "token",
    )

    def __init__(self, room: Room, number: int) -> None:
        self.room = room
        self.number = number
        self.cookies: dict[str, str] = {}
        self.token = ""
        self.attendee = 0  # the attendee's id, from the room page
        self.connection: Connection | None = None
        self.others: list[Connection] = []  # opened while a post was under way
        self.stream: EventStream | None = None
        self.streaming = False  # wants its stream open (an EventSource on the page)
        self.events: list[tuple[float, float, int]] = []  # (received, snapshot read at, total)
        self.first_wait: asyncio.Future[float] | None = None
        self.reconnects = 0
        self.error = ""

    # Pages and posts, on the phone's keep-alive connection

    def head(self, method: str, path: str, extra: str = "") -> str:
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        return (
            f"{method} {path} HTTP/1.1\r\nHost: {self.room.host}\r\n"
            f"User-Agent: bench-live-phone\r\nAccept-Language: en\r\n"
            + (f"Cookie: {cookie}\r\n" if cookie else "")
            + extra
        )

    async def request(
        self, method: str, path: str, form: dict[str, str] | None = None, extra: str = ""
    ) -> Response:
        body = urlencode(form).encode() if form is not None else b""
        if form is not None:
            extra += (
                f"Origin: http://{self.room.host}\r\n"
                f"Content-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {len(body)}\r\n"
            )
        for attempt in range(2):
            connection = await self.idle_connection()
            reused = connection.used
            try:
                response = await connection.send(
                    (self.head(method, path, extra) + "\r\n").encode() + body
                )
                break
            except ConnectionError as error:
                # A browser sends again when a reused connection closes under it (the
                # server's keep-alive timeout); a repeated answer replaces the first.
                connection.close()
                if attempt:
                    raise ConnectionError(f"{error}, and again on a new connection") from None
                if not reused:
                    raise ConnectionError(f"{error} (a new connection)") from None
        for cookie in response.all(b"set-cookie"):
            name, _equals, rest = cookie.partition("=")
            value, _semicolon, attributes = rest.partition(";")
            if "max-age=0" in attributes.lower() or "1970" in attributes:
                self.cookies.pop(name.strip(), None)  # deleted, as a browser would
            else:
                self.cookies[name.strip()] = value
        return response

    async def idle_connection(self) -> Connection:
        """Return a keep-alive connection with no request under way, as a browser picks
        one: the phone's own, another it opened before, a new one (POST_CONNECTIONS at
        most), or the first to be free."""
        if self.connection is not None and self.connection.closed:
            self.connection = None
        self.others = [other for other in self.others if not other.closed]
        while True:
            connections = [c for c in [self.connection, *self.others] if c is not None]
            for connection in connections:
                if not connection.busy:
                    return connection
            if len(connections) < POST_CONNECTIONS:
                break
            # As a browser: no more connections to one server; wait for one to be free.
            waiters = [c.waiter for c in connections if c.waiter is not None]
            await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
            self.others = [other for other in self.others if not other.closed]
            if self.connection is not None and self.connection.closed:
                self.connection = None
        transport, connection = await asyncio.get_running_loop().create_connection(
            Connection, HOST, self.room.port
        )
        connection.transport = transport  # uvloop may call connection_made later
        if self.connection is None:
            self.connection = connection
        else:
            self.others.append(connection)
        return connection

    async def expect(
        self, step: str, status: int, method: str, path: str, **options: Any
    ) -> Response:
        try:
            response = await self.request(method, path, **options)
        except OSError as error:
            raise PhoneFailure(f"{step}: {error or type(error).__name__}") from None
        if response.status != status:
            said = re.sub(rb"\s+", b" ", re.sub(rb"<[^>]*>", b" ", response.body)).strip()
            raise PhoneFailure(
                f"{step}: HTTP {response.status} {said[:160].decode(errors='replace')}"
            )
        return response

    async def join(self) -> float:
        """Scan the QR code, join with one tap and open the event stream, as the page does;
        return when the first message arrived."""
        code, stats = self.room.code, self.room.stats
        response = await self.expect("the QR code's link", 302, "GET", f"/j/{code}")
        room = response.header(b"location") or f"/live/{code}/"
        response = await self.expect("the join page", 200, "GET", room)
        stats["join_page_bytes"] += len(response.body)
        token = FORM_TOKEN.search(response.body)
        if token is None:
            raise PhoneFailure("the join page: no form with a CSRF token")
        form = {"csrfmiddlewaretoken": token.group(1).decode(), "name": ""}
        referer = f"Referer: http://{self.room.host}{room}\r\n"
        response = await self.expect(
            "the join form", 302, "POST", f"/live/{code}/join/", form=form, extra=referer
        )
        room = response.header(b"location") or room
        response = await self.expect("the room page", 200, "GET", room)
        stats["room_page_bytes"] += len(response.body)
        stats["pages"] += 1
        token = HEADER_TOKEN.search(response.body)
        if token is None:
            raise PhoneFailure("the room page: no CSRF token for htmx (not joined?)")
        self.token = token.group(1).decode()
        attendee = ATTENDEE.search(response.body)
        self.attendee = int(attendee.group(1)) if attendee else 0
        return await self.open_stream()

    async def answer(self, option: int) -> tuple[float, int, bool]:
        """Send the poll's answer as htmx does; return when it came back, its status, and
        whether the server refused it in place (a 200 that retargets the alert)."""
        code, poll = self.room.code, self.room.poll
        extra = (
            f"X-CSRFToken: {self.token}\r\nHX-Request: true\r\n"
            f"HX-Current-URL: http://{self.room.host}/live/{code}/\r\n"
            f"HX-Target: poll-{poll}-answer\r\n"
        )
        try:
            response = await self.request(
                "POST",
                f"/live/{code}/polls/{poll}/answer/",
                form={"option": str(option)},
                extra=extra,
            )
        except OSError as error:
            raise PhoneFailure(f"the answer: {error or type(error).__name__}") from None
        self.room.stats["answer_bytes"] += len(response.body)
        return now_ms(), response.status, response.header(b"hx-retarget") is not None

    async def post(self, path: str, form: dict[str, str], target: str) -> tuple[float, Response]:
        """Post a form of the room as htmx does; return when it came back, and what did."""
        extra = (
            f"X-CSRFToken: {self.token}\r\nHX-Request: true\r\n"
            f"HX-Current-URL: http://{self.room.host}/live/{self.room.code}/\r\n"
            f"HX-Target: {target}\r\n"
        )
        try:
            response = await self.request("POST", path, form=form, extra=extra)
        except OSError as error:
            raise PhoneFailure(f"{path}: {error or type(error).__name__}") from None
        return now_ms(), response

    # The event stream

    async def open_stream(self) -> float:
        """Open the event stream; return when its first message arrived."""
        self.streaming = True
        self.first_wait = asyncio.get_running_loop().create_future()
        path = f"/live/{self.room.code}/events/"
        request = (self.head("GET", path, "Accept: text/event-stream\r\n") + "\r\n").encode()
        await self.connect_stream(request)
        return await self.first_wait

    async def connect_stream(self, request: bytes) -> None:
        try:
            await asyncio.get_running_loop().create_connection(
                lambda: EventStream(self, request), HOST, self.room.port
            )
        except OSError as error:
            self.stream_refused(f"event stream: {error}")

    def first_message(self, received: float) -> None:
        if self.first_wait is not None and not self.first_wait.done():
            self.first_wait.set_result(received)

    def stream_refused(self, reason: str) -> None:
        self.streaming = False  # an EventSource gives up on an HTTP error
        if self.first_wait is not None and not self.first_wait.done():
            self.first_wait.set_exception(PhoneFailure(reason))

    def stream_lost(self, stream: EventStream) -> None:
        if self.stream is not stream:
            return  # an older stream, closed by the page, heard of late
        self.stream = None
        if not self.streaming:
            return
        # Lost, not closed by the page: an EventSource reconnects after the retry time.
        self.reconnects += 1
        self.room.stats["reconnects"] += 1
        request = stream.request
        loop = asyncio.get_running_loop()
        loop.call_later(RETRY_SECONDS, lambda: loop.create_task(self.reconnect(request)))

    async def reconnect(self, request: bytes) -> None:
        if self.streaming and self.stream is None:
            await self.connect_stream(request)

    def close_stream(self) -> None:
        self.streaming = False
        if self.stream is not None:
            self.stream.close()

    def close(self) -> None:
        self.close_stream()
        for connection in [self.connection, *self.others]:
            if connection is not None:
                connection.close()
