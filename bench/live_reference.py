"""The reference of bench/live.py: a bare app doing a live session's HTTP work, and no more.

    .venv/bin/python -m uvicorn live_reference:application --app-dir bench ...

bench/live.py serves it with the same uvicorn, flags and worker processes as Sammen,
and the phones of bench/live_phones.py take the same steps against it: the QR code's
link, a join page that sets a CSRF cookie, a join form checked against it that sets a
signed participant cookie (and records the participant in Redis), the room page, the
event stream, and htmx posts of an answer with the CSRF header. Answers are counted in
memory by each process and shared through Redis pub/sub; each process sends a snapshot
of the tally to its streams at most once per 250 ms window, as Sammen's hub does. Pages,
messages and answers are padded to the sizes Sammen's had in the same run
(REFERENCE_SIZES), so the bytes on the wire are the same. No framework, no database.

Settings from the environment: REFERENCE_REDIS_URL, REFERENCE_SECRET, REFERENCE_SIZES
(JSON: join_page, room_page, first, snapshot, answer, in bytes).
"""

import asyncio
import base64
import hashlib
import hmac
import json
import os
import secrets
import time
import uuid
from typing import Any
from urllib.parse import parse_qs

import redis.asyncio as aioredis

REDIS_URL = os.environ.get("REFERENCE_REDIS_URL", "redis://127.0.0.1:6379/14")
SECRET = os.environ.get("REFERENCE_SECRET", "reference").encode()
SIZES: dict[str, float] = json.loads(os.environ.get("REFERENCE_SIZES", "{}"))
WINDOW = 0.25
REDIS_CONNECTIONS = 32  # per process
CHANNEL = "live-reference:answers"
ATTENDEES = "live-reference:attendees"
PROCESS = f"{os.getpid()}-{secrets.token_hex(4)}"


class Stream:
    __slots__ = ("queue", "wake")

    def __init__(self) -> None:
        self.queue: list[bytes] = []
        self.wake = asyncio.Event()

    def push(self, message: bytes) -> None:
        self.queue.append(message)
        self.wake.set()


class State:
    """This process's side: its streams, its voters, and every process's count."""

    def __init__(self) -> None:
        self.streams: set[Stream] = set()
        self.voters: set[str] = set()
        self.counts: dict[str, int] = {}
        self.dirty = asyncio.Event()
        self.redis: Any = None
        self.tasks: list[asyncio.Task[None]] = []

    @property
    def total(self) -> int:
        return sum(self.counts.values())


state = State()


def padded(text: str, size: str) -> bytes:
    """Return `text` as bytes, padded to the size Sammen's counterpart had."""
    body = text.encode()
    return body + b" " * max(0, int(SIZES.get(size, 0)) - len(body))


def snapshot(size: str) -> bytes:
    at = time.time() * 1000
    html = f'<figure class="live-chart" data-total="{state.total}"></figure>'
    data = json.dumps({"at": at, "swap": {"results": html}}, separators=(",", ":"))
    message = f"id: {int(at)}\ndata: {data}".encode()
    return message + b" " * max(0, int(SIZES.get(size, 0)) - len(message)) + b"\n\n"


def sign(value: str) -> str:
    digest = hmac.new(SECRET, value.encode(), hashlib.sha256).digest()
    return f"{value}:{base64.urlsafe_b64encode(digest).decode().rstrip('=')}"


def unsign(signed: str | None) -> str | None:
    value, _colon, _signature = (signed or "").rpartition(":")
    return value if value and hmac.compare_digest(sign(value), signed or "") else None


# The background: Redis and the coalesced snapshots ----------------------------------------


async def listen() -> None:
    pubsub = state.redis.pubsub()
    await pubsub.subscribe(CHANNEL)
    async for message in pubsub.listen():
        if message["type"] != "message":
            continue
        process, _colon, count = message["data"].decode().partition(":")
        state.counts[process] = max(state.counts.get(process, 0), int(count))
        state.dirty.set()


async def broadcast() -> None:
    loop = asyncio.get_running_loop()
    last = 0.0
    while True:
        await state.dirty.wait()
        wait = last + WINDOW - loop.time()
        if wait > 0:
            await asyncio.sleep(wait)
        state.dirty.clear()
        last = loop.time()
        message = snapshot("snapshot")
        for stream in list(state.streams):
            stream.push(message)


# HTTP ------------------------------------------------------------------------------------


async def respond(
    send: Any, status: int, body: bytes = b"", headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    headers = [(b"content-length", str(len(body)).encode()), *(headers or [])]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def cookies_of(scope: dict[str, Any]) -> dict[str, str]:
    jar: dict[str, str] = {}
    for name, value in scope["headers"]:
        if name == b"cookie":
            for part in value.decode("latin-1").split(";"):
                key, _equals, val = part.strip().partition("=")
                jar[key] = val
    return jar


def header(scope: dict[str, Any], wanted: bytes) -> str:
    return next((v.decode("latin-1") for n, v in scope["headers"] if n == wanted), "")


async def read_body(receive: Any) -> bytes:
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            return body


def csrf_refusal(scope: dict[str, Any], cookies: dict[str, str], form: dict[str, Any]) -> bool:
    """Check a post as Django's CsrfViewMiddleware does over HTTP: the Origin, if sent, is
    this host; the token from the form or the X-CSRFToken header matches the cookie."""
    origin = header(scope, b"origin")
    if origin and origin != f"http://{header(scope, b'host')}":
        return True
    token = (form.get("csrfmiddlewaretoken") or [header(scope, b"x-csrftoken")])[0]
    secret = cookies.get("csrftoken", "")
    return not secret or not hmac.compare_digest(token, secret)


def csrf_cookie(cookies: dict[str, str]) -> tuple[str, list[tuple[bytes, bytes]]]:
    secret = cookies.get("csrftoken")
    if secret:
        return secret, []
    secret = secrets.token_urlsafe(24)
    value = f"csrftoken={secret}; HttpOnly; Max-Age=31449600; Path=/; SameSite=Lax"
    return secret, [(b"set-cookie", value.encode())]


async def page(scope: dict[str, Any], send: Any, code: str, cookies: dict[str, str]) -> None:
    token, set_cookie = csrf_cookie(cookies)
    if unsign(cookies.get("sammen_participant")):
        html = (
            f'<!doctype html><body hx-headers=\'{{"X-CSRFToken": "{token}"}}\'>'
            f'<div class="live-room" hx-ext="sse" sse-connect="/live/{code}/events/"></div>'
        )
        body = padded(html, "room_page")
    else:
        html = (
            f'<!doctype html><body><form method="post" action="/live/{code}/join/">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
            f'<input type="text" name="name"></form>'
        )
        body = padded(html, "join_page")
    await respond(send, 200, body, [(b"content-type", b"text/html; charset=utf-8"), *set_cookie])


async def join(scope: dict[str, Any], receive: Any, send: Any, code: str) -> None:
    cookies = cookies_of(scope)
    form = parse_qs((await read_body(receive)).decode())
    if csrf_refusal(scope, cookies, form):
        await respond(send, 403, b"CSRF")
        return
    participant = unsign(cookies.get("sammen_participant")) or str(uuid.uuid4())
    await state.redis.sadd(ATTENDEES, participant)
    value = f"sammen_participant={sign(participant)}; HttpOnly; Max-Age=31536000; Path=/"
    await respond(
        send,
        302,
        headers=[(b"location", f"/live/{code}/".encode()), (b"set-cookie", value.encode())],
    )


async def answer(scope: dict[str, Any], receive: Any, send: Any) -> None:
    cookies = cookies_of(scope)
    form = parse_qs((await read_body(receive)).decode())
    participant = unsign(cookies.get("sammen_participant"))
    if csrf_refusal(scope, cookies, form) or participant is None:
        await respond(send, 403, b"refused")
        return
    if participant not in state.voters:
        state.voters.add(participant)
        count = len(state.voters)
        state.counts[PROCESS] = count
        state.dirty.set()
        await state.redis.publish(CHANNEL, f"{PROCESS}:{count}")
    await respond(send, 200, padded("<div>Thank you!</div>", "answer"))


async def events(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if unsign(cookies_of(scope).get("sammen_participant")) is None:
        await respond(send, 403, b"join first")
        return
    headers = [
        (b"content-type", b"text/event-stream; charset=utf-8"),
        (b"cache-control", b"no-cache, no-store"),
        (b"x-accel-buffering", b"no"),
    ]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    stream = Stream()
    state.streams.add(stream)
    first = b"retry: 3000\n\n" + snapshot("first")
    await send({"type": "http.response.body", "body": first, "more_body": True})

    async def pump() -> None:
        while True:
            await stream.wake.wait()
            stream.wake.clear()
            chunk = b"".join(stream.queue)
            stream.queue.clear()
            await send({"type": "http.response.body", "body": chunk, "more_body": True})

    pumping = asyncio.create_task(pump())
    try:
        while (await receive())["type"] != "http.disconnect":
            pass
    finally:
        pumping.cancel()
        state.streams.discard(stream)


async def lifespan(receive: Any, send: Any) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            # Commands wait for one of a few connections, as Sammen's threads share theirs;
            # redis-py's default pool refuses the 101st concurrent command instead.
            pool = aioredis.BlockingConnectionPool.from_url(
                REDIS_URL, max_connections=REDIS_CONNECTIONS, timeout=30
            )
            state.redis = aioredis.Redis(connection_pool=pool)
            state.tasks = [asyncio.create_task(listen()), asyncio.create_task(broadcast())]
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            for task in state.tasks:
                task.cancel()
            await state.redis.aclose()
            await send({"type": "lifespan.shutdown.complete"})
            return


async def application(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        await lifespan(receive, send)
        return
    path, method = scope["path"], scope["method"]
    parts = path.strip("/").split("/")
    if path == "/healthz":
        await respond(send, 200, b'{"status": "ok"}')
    elif method == "GET" and parts[0] == "j" and len(parts) == 2:
        await respond(send, 302, headers=[(b"location", f"/live/{parts[1]}/".encode())])
    elif parts[0] != "live" or len(parts) < 2:
        await respond(send, 404, b"not found")
    elif method == "GET" and len(parts) == 2:
        await page(scope, send, parts[1], cookies_of(scope))
    elif method == "GET" and parts[2:] == ["events"]:
        await events(scope, receive, send)
    elif method == "POST" and parts[2:] == ["join"]:
        await join(scope, receive, send, parts[1])
    elif method == "POST" and parts[2:3] == ["polls"] and parts[4:] == ["answer"]:
        await answer(scope, receive, send)
    else:
        await respond(send, 404, b"not found")
