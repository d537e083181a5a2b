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

For the question storm it takes questions, upvotes (once per participant and question:
a Redis set per question) and reactions, kept in Redis; a change is announced through
pub/sub, and within the same window each process reads the questions' votes from Redis
once and sends the phones the top 100, the crew's moderator streams every question, and
the big screen's streams the top five and the reactions counted since the last window.
Each question is padded to the size it had in Sammen's messages of the same run. The
crew's streams (?view=moderator or presenter) take the cookie sessionid=REFERENCE_CREW.

Settings from the environment: REFERENCE_REDIS_URL, REFERENCE_SECRET, REFERENCE_CREW,
REFERENCE_SIZES (JSON: join_page, room_page, first, snapshot, answer, ask, upvote,
list_item, moderator_item, stage_item, in bytes).
"""

import asyncio
import base64
import hashlib
import hmac
import json
import os
import secrets
import time
from html import escape as html_escape
from typing import Any
from urllib.parse import parse_qs

import redis.asyncio as aioredis

REDIS_URL = os.environ.get("REFERENCE_REDIS_URL", "redis://127.0.0.1:6379/14")
SECRET = os.environ.get("REFERENCE_SECRET", "reference").encode()
SIZES: dict[str, float] = json.loads(os.environ.get("REFERENCE_SIZES", "{}"))
WINDOW = 0.25
MAX_QUEUED = 8  # sammen/live/hub.py's: a stream further behind gets the latest state once
REDIS_CONNECTIONS = 32  # per process
# Pub/sub channels are global to a Redis server: one run's is its own.
CHANNEL = f"live-reference:{hashlib.sha256(SECRET).hexdigest()[:12]}"
ATTENDEES = "live-reference:attendees"
ATTENDEE_IDS = "live-reference:attendee-ids"
QUESTION_IDS = "live-reference:question-ids"
QUESTIONS = "live-reference:questions"  # id -> JSON: author, text, created
VOTES = "live-reference:votes"  # id -> upvotes
UPVOTERS = "live-reference:upvoters:"  # + id: the participants who upvoted it
REACTIONS = "live-reference:reactions"
REACTION_KINDS = {"applause", "heart", "laugh", "wow", "think"}
CREW = os.environ.get("REFERENCE_CREW", "")
LIST_LENGTH, STAGE_LENGTH = 100, 5
PROCESS = f"{os.getpid()}-{secrets.token_hex(4)}"


class Stream:
    __slots__ = ("queue", "resync", "view", "wake")

    def __init__(self, view: str = "participant") -> None:
        self.view = view
        self.queue: list[bytes] = []
        self.resync = False
        self.wake = asyncio.Event()

    def push(self, message: bytes) -> None:
        if len(self.queue) >= MAX_QUEUED:
            # Too far behind, as Sammen's hub has it: drop the backlog, send the latest once.
            self.queue.clear()
            self.resync = True
        else:
            self.queue.append(message)
        self.wake.set()

    def take(self) -> bytes:
        if self.resync:
            self.resync = False
            self.queue.clear()
            latest = [state.latest.get(self.view, b"")]
            if self.view == "participant":
                latest.insert(0, snapshot("snapshot"))
            return b"".join(latest)
        chunk = b"".join(self.queue)
        self.queue.clear()
        return chunk


class State:
    """This process's side: its streams, its voters, and every process's count."""

    def __init__(self) -> None:
        self.streams: set[Stream] = set()
        self.voters: set[str] = set()
        self.counts: dict[str, int] = {}
        self.dirty = asyncio.Event()
        self.answered = False  # since the last snapshot: answers, questions, reactions
        self.asked = False
        self.reactions: dict[str, int] = {}
        self.questions: dict[str, dict[str, Any]] = {}  # what this process read of them
        self.latest: dict[str, bytes] = {}  # the latest questions message, per kind of screen
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
        what, _colon, rest = message["data"].decode().partition(":")
        if what == "a":
            process, _colon, count = rest.partition(":")
            state.counts[process] = max(state.counts.get(process, 0), int(count))
            state.answered = True
        elif what == "q":
            state.asked = True
        elif what == "r" and rest in REACTION_KINDS:
            state.reactions[rest] = state.reactions.get(rest, 0) + 1
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
        answered, asked, reactions = state.answered, state.asked, state.reactions
        state.answered = state.asked = False
        state.reactions = {}
        if answered:
            message = snapshot("snapshot")
            for stream in list(state.streams):
                if stream.view == "participant":
                    stream.push(message)
        if asked or reactions:
            messages = await question_messages(asked, reactions)
            if asked:
                state.latest.update(messages)
            for stream in list(state.streams):
                if stream.view in messages:
                    stream.push(messages[stream.view])


async def question_messages(asked: bool, reactions: dict[str, int]) -> dict[str, bytes]:
    """Return each kind of screen's message: the questions as they stand (read from
    Redis once), and the reactions for the big screen."""
    at = time.time() * 1000
    swaps: dict[str, dict[str, str]] = {"moderator": {}, "presenter": {}, "participant": {}}
    if asked:
        stored = await state.redis.hgetall(VOTES)
        votes = {key.decode(): int(value) for key, value in stored.items()}
        missing = [key for key in votes if key not in state.questions]
        if missing:
            read = await state.redis.hmget(QUESTIONS, missing)
            for key, value in zip(missing, read, strict=True):
                if value is not None:
                    state.questions[key] = json.loads(value)
        shown = [key for key in votes if key in state.questions]
        ranked = sorted(shown, key=lambda key: (-votes[key], int(key)))
        swaps["participant"]["live-questions"] = "".join(
            list_item(key, votes[key]) for key in ranked[:LIST_LENGTH]
        )
        newest = sorted(ranked, key=int, reverse=True)
        swaps["moderator"]["mod-queue"] = "".join(moderator_item(key, votes[key]) for key in newest)
        swaps["presenter"]["stage"] = "".join(
            stage_item(key, votes[key]) for key in ranked[:STAGE_LENGTH]
        )
    messages = {}
    for view, swap in swaps.items():
        payload: dict[str, Any] = {"at": at, "swap": swap}
        if view == "presenter" and reactions:
            payload["react"] = reactions
        if swap or "react" in payload:
            data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
            messages[view] = f"id: {int(at)}\ndata: {data}\n\n".encode()
    return messages


def fill(html: str, size: str) -> str:
    return html + " " * max(0, int(SIZES.get(size, 0)) - len(html.encode()) - 24)


def list_item(key: str, votes: int) -> str:
    question = state.questions[key]
    return (
        fill(
            f'<li class="live-question" id="question-{key}" data-votes="{votes}" '
            f'data-created="{question["created"]}" data-pinned="0" data-answered="0" '
            f'data-author="{question["author"]}"><p>{question["text"]}</p>',
            "list_item",
        )
        + "</li>"
    )


def moderator_item(key: str, votes: int) -> str:
    question = state.questions[key]
    return (
        fill(
            f'<li class="mod-question" id="question-{key}"><span>· ▲ {votes}</span>'
            f"<p>{question['text']}</p>",
            "moderator_item",
        )
        + "</li>"
    )


def stage_item(key: str, votes: int) -> str:
    question = state.questions[key]
    return (
        fill(
            f'<li><span class="stage-question__votes">▲ {votes}</span>'
            f"<span>{question['text']}</span>",
            "stage_item",
        )
        + "</li>"
    )


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
            f'<div class="live-room" hx-ext="sse" sse-connect="/live/{code}/events/" '
            f'data-attendee="{unsign(cookies.get("sammen_participant"))}"></div>'
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
    participant = unsign(cookies.get("sammen_participant")) or str(
        await state.redis.incr(ATTENDEE_IDS)
    )
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
        state.answered = True
        state.dirty.set()
        await state.redis.publish(CHANNEL, f"a:{PROCESS}:{count}")
    await respond(send, 200, padded("<div>Thank you!</div>", "answer"))


async def participant_post(
    scope: dict[str, Any], receive: Any, send: Any
) -> tuple[str, dict[str, list[str]]] | None:
    """Return the participant and the form of a post, or answer it with a refusal."""
    cookies = cookies_of(scope)
    form = parse_qs((await read_body(receive)).decode())
    participant = unsign(cookies.get("sammen_participant"))
    if csrf_refusal(scope, cookies, form) or participant is None:
        await respond(send, 403, b"refused")
        return None
    return participant, form


async def refuse_in_place(send: Any, message: str) -> None:
    await respond(send, 200, f"<p>{message}</p>".encode(), [(b"hx-retarget", b"#live-alert")])


async def ask(scope: dict[str, Any], receive: Any, send: Any) -> None:
    posted = await participant_post(scope, receive, send)
    if posted is None:
        return
    participant, form = posted
    text = " ".join((form.get("text") or [""])[0].split())
    if not text or len(text) > 500:
        await refuse_in_place(send, "Write your question first.")
        return
    key = str(await state.redis.incr(QUESTION_IDS))
    question = {"author": participant, "text": html_escape(text), "created": int(time.time())}
    await state.redis.hset(QUESTIONS, key, json.dumps(question))
    await state.redis.hset(VOTES, key, 0)
    await state.redis.publish(CHANNEL, "q")
    await respond(send, 200, padded("<div>Your question is in.</div>", "ask"))


async def upvote(scope: dict[str, Any], receive: Any, send: Any, key: str) -> None:
    posted = await participant_post(scope, receive, send)
    if posted is None:
        return
    participant, _form = posted
    stored = await state.redis.hget(QUESTIONS, key) if key.isdigit() else None
    if stored is None:
        await respond(send, 404, b"no such question")
        return
    if json.loads(stored)["author"] == participant:
        await refuse_in_place(send, "You cannot vote for your own question.")
        return
    if await state.redis.sadd(UPVOTERS + key, participant):
        votes = await state.redis.hincrby(VOTES, key, 1)
        await state.redis.publish(CHANNEL, "q")
    else:
        votes = int(await state.redis.hget(VOTES, key) or 0)
    html = f'<li id="question-{key}"><button aria-pressed="true">▲ {votes}</button></li>'
    await respond(send, 200, padded(html, "upvote"))


async def react(scope: dict[str, Any], receive: Any, send: Any) -> None:
    posted = await participant_post(scope, receive, send)
    if posted is None:
        return
    kind = (posted[1].get("kind") or [""])[0]
    if kind not in REACTION_KINDS:
        await refuse_in_place(send, "Choose one of the reactions offered.")
        return
    await state.redis.incr(REACTIONS)
    await state.redis.publish(CHANNEL, f"r:{kind}")
    await respond(send, 204)


async def events(scope: dict[str, Any], receive: Any, send: Any) -> None:
    view = parse_qs(scope["query_string"].decode()).get("view", ["participant"])[0]
    cookies = cookies_of(scope)
    if view in {"moderator", "presenter"}:
        if not CREW or not hmac.compare_digest(cookies.get("sessionid", ""), CREW):
            await respond(send, 403, b"crew only")
            return
    elif unsign(cookies.get("sammen_participant")) is None:
        await respond(send, 403, b"join first")
        return
    else:
        view = "participant"
    headers = [
        (b"content-type", b"text/event-stream; charset=utf-8"),
        (b"cache-control", b"no-cache, no-store"),
        (b"x-accel-buffering", b"no"),
    ]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    stream = Stream(view)
    state.streams.add(stream)
    if view == "participant":
        first = b"retry: 3000\n\n" + snapshot("first")
    else:
        messages = await question_messages(True, {})
        first = b"retry: 3000\n\n" + messages[view]
    await send({"type": "http.response.body", "body": first, "more_body": True})

    async def pump() -> None:
        while True:
            await stream.wake.wait()
            stream.wake.clear()
            await send({"type": "http.response.body", "body": stream.take(), "more_body": True})

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
    elif method == "POST" and parts[2:] == ["questions"]:
        await ask(scope, receive, send)
    elif method == "POST" and parts[2:3] == ["questions"] and parts[4:] == ["upvote"]:
        await upvote(scope, receive, send, parts[3])
    elif method == "POST" and parts[2:] == ["react"]:
        await react(scope, receive, send)
    else:
        await respond(send, 404, b"not found")
