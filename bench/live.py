# ruff: noqa: E501 - the embedded server scripts and the report table read better unwrapped
"""Benchmark: 5,000 participants of one live session answer a poll, over two processes and Redis.

    .venv/bin/python bench/live.py [--participants 5000] [--seconds 15] [--database NAME]

Needs PostgreSQL at PG_URL (default postgres://postgres@127.0.0.1:5432; the script creates
its own database afresh, sammen_live_bench unless --database names another) and Redis at
REDIS_URL (default redis://127.0.0.1:6379/14, emptied at the start). It starts two uvicorn processes, connects every participant's
event stream (half to each process) from a load generator in a separate process, opens
the poll, sends every answer within the given seconds, and reports:

- whether every answer was counted exactly once (database, and every screen's final tally),
- latency from an answer's submission to an updated result reaching every connected
  screen (p50/p95/p99; a snapshot counts for an answer only if its database read started
  after the answer's response came back, so the figure errs on the slow side),
- when the final tally was on every screen, after the last answer,
- server memory per connected participant (resident memory before and after connecting),

then runs the same load against a minimal reference broadcaster written here in plain
asyncio (two processes, Redis, in-memory counts, the same 250 ms coalescing and the same
message size) and reports Sammen's figures as ratios to it.
"""

import argparse
import asyncio
import json
import os
import re
import resource
import secrets
import socket
import subprocess
import sys
import time
from typing import Any

from harness import (
    REPO,
    BenchFailure,
    ServerProcess,
    command_line,
    free_port,
    recreate_database,
    sammen_environment,
    start_servers,
    stop_servers,
)

PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14")
DB_NAME = "sammen_live_bench"
WINDOW = 0.25
TOTAL = re.compile(rb'data-total=\\?"(\d+)\\?"')
EVENT_ID = re.compile(rb"^id: (\d+)$", re.MULTILINE)


def raise_file_limit() -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


# Setting up Sammen ------------------------------------------------------------------


def server_env(secret: str, database: str) -> dict[str, str]:
    return sammen_environment(
        f"{PG_URL}/{database}",
        REDIS_URL=REDIS_URL,
        SECRET_KEY=secret,
        SAMMEN_VAR_DIR=str(REPO / "var" / "bench-live"),
        SAMMEN_TESTING="1",  # static files from the apps: no collectstatic needed
        # One loopback address stands for 5,000 phones here.
        SAMMEN_LIVE_JOINS_PER_IP_PER_HOUR="1000000",
        SAMMEN_LIVE_WRITES_PER_IP_PER_MINUTE="1000000",
        # Keep PostgreSQL connections in a pool where the settings offer one.
        DATABASE_POOL_SIZE=os.environ.get("DATABASE_POOL_SIZE", "10"),
    )


SETUP = r"""
import json, sys
import django
django.setup()
from django.core.signing import get_cookie_signer
from sammen.accounts.actions import do_create_account
from sammen.accounts.models import Participant
from sammen.accounts.participants import COOKIE_NAME, COOKIE_SALT
from sammen.activities.actions import MeasureInput, do_create_activity, do_open_activity, do_update_brief
from sammen.live.actions import OptionInput, do_save_poll
from sammen.live.models import Attendee, LiveSession
from sammen.spaces.actions import do_create_space
from decimal import Decimal

count = int(sys.argv[1])
owner = do_create_account("bench@example.org", "bench-password-1", "Bench Owner")
space = do_create_space(owner, name="Bench Hall", slug="bench-hall", visibility="public")
activity = do_create_activity(owner, space, title="Keynote", kind="live")
brief = {k: "x" for k in ["goal", "business_challenge", "audience", "audience_insight",
         "audience_challenge", "channels", "channels_reason"]}
do_update_brief(owner, activity, texts=brief, measures=[MeasureInput("People", Decimal(1))], self_check={})
do_open_activity(owner, activity)
session = LiveSession.objects.get(activity=activity)
poll = do_save_poll(owner, session, kind="single", title="Which talk next?",
                    options=[OptionInput(label) for label in ["Cities", "Oceans", "Music", "Food"]])
# Joining 5,000 people one by one through do_join_session would take most of a minute;
# these rows are what it writes (a participant, and an attendee with a name).
participants = Participant.objects.bulk_create([Participant() for _ in range(count)])
Attendee.objects.bulk_create(
    [Attendee(session=session, participant=p, name=f"Guest {i}") for i, p in enumerate(participants)]
)
signer = get_cookie_signer(salt=COOKIE_NAME + COOKIE_SALT)
print(json.dumps({
    "code": session.code, "session": session.pk, "poll": poll.pk,
    "options": list(poll.options.values_list("pk", flat=True)),
    "owner": owner.pk, "space": space.slug, "activity": activity.slug,
    "cookies": [signer.sign(str(p.public_id)) for p in participants],
}))
"""

OPEN_POLL = r"""
import sys, django
django.setup()
from sammen.accounts.models import User
from sammen.live.actions import do_open_poll
from sammen.live.models import Poll
poll = Poll.objects.select_related("session__activity__space").get(pk=int(sys.argv[1]))
do_open_poll(User.objects.get(pk=int(sys.argv[2])), poll)
"""

COUNT = r"""
import sys, django
django.setup()
from sammen.live.models import Response
print(Response.objects.filter(poll_id=int(sys.argv[1])).count())
"""


def django_script(source: str, env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", source, *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(result.stderr[-3000:])
    return result.stdout


def prepare_database(env: dict[str, str], database: str, participants: int) -> dict[str, Any]:
    recreate_database(PG_URL, database)
    subprocess.run(
        [sys.executable, "-m", "sammen", "migrate", "-v", "0"], cwd=REPO, env=env, check=True
    )
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    return json.loads(django_script(SETUP, env, str(participants)))


def uvicorn(port: int, env: dict[str, str]) -> ServerProcess:
    """Return a uvicorn process serving Sammen on `port`, with no workers of its own."""
    command = [
        sys.executable, "-m", "uvicorn", "sammen.asgi:application",
        "--host", "127.0.0.1", "--port", str(port),
        "--log-level", "warning", "--no-access-log",
        "--backlog", "4096", "--timeout-graceful-shutdown", "2",
    ]  # fmt: skip
    return ServerProcess(command, env, port)


# The reference broadcaster -------------------------------------------------------------

REFERENCE = r"""
import asyncio, json, sys, time
import redis.asyncio as aioredis

port, redis_url, pad = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
clients, voters, counts, dirty = set(), set(), {}, asyncio.Event()
name = str(port)

async def broadcaster(r):
    last = 0.0
    while True:
        await dirty.wait()
        await asyncio.sleep(max(0, last + 0.25 - time.monotonic()))
        dirty.clear()
        last = time.monotonic()
        at = time.time() * 1000
        total = sum(counts.values())
        data = json.dumps({"at": at, "swap": {"results": f'data-total="{total}"' + "x" * pad}})
        message = f"id: {int(at)}\ndata: {data}\n\n".encode()
        for writer in list(clients):
            writer.write(message)

async def listen(r):
    pubsub = r.pubsub()
    await pubsub.subscribe("reference")
    async for message in pubsub.listen():
        if message["type"] == "message":
            origin, total = message["data"].decode().split(":")
            counts[origin] = int(total)
            dirty.set()

async def handle(reader, writer, r):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            line = head.split(b"\r\n", 1)[0].decode()
            length = 0
            for header in head.split(b"\r\n")[1:]:
                if header.lower().startswith(b"content-length:"):
                    length = int(header.split(b":")[1])
            body = await reader.readexactly(length) if length else b""
            if line.startswith("GET /events"):
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n\r\n")
                at = time.time() * 1000
                data = json.dumps({"at": at, "swap": {"results": f'data-total="{sum(counts.values())}"'}})
                writer.write(f"id: {int(at)}\ndata: {data}\n\n".encode())
                clients.add(writer)
                await reader.read()
                return
            voter = body.decode()
            if voter not in voters:
                voters.add(voter)
                await r.publish("reference", f"{name}:{len(voters)}")
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        clients.discard(writer)
        writer.close()

async def main():
    r = aioredis.Redis.from_url(redis_url)
    asyncio.create_task(listen(r))
    asyncio.create_task(broadcaster(r))
    server = await asyncio.start_server(lambda a, b: handle(a, b, r), "127.0.0.1", port, backlog=4096)
    async with server:
        await server.serve_forever()

asyncio.run(main())
"""


# The load generator (runs in its own process) ----------------------------------------


class Screen:
    __slots__ = ("events", "final_at")

    def __init__(self) -> None:
        self.events: list[tuple[float, float, int]] = []  # (received, snapshot read at, total)
        self.final_at = 0.0


async def listen(
    port: int, path: str, cookie: str, screen: Screen, connected: asyncio.Event, stop: asyncio.Event
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=1 << 20)
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\nAccept: text/event-stream\r\n\r\n".encode()
    )
    buffer = b""
    first = True
    while not stop.is_set():
        chunk = await reader.read(65536)
        if not chunk:
            break
        now = time.time() * 1000
        buffer += chunk
        while b"\n\n" in buffer:
            block, buffer = buffer.split(b"\n\n", 1)
            ids = EVENT_ID.search(block)
            if ids and first:
                first = False
                connected.set()
            totals = TOTAL.findall(block)
            if ids and totals:
                screen.events.append((now, float(ids.group(1)), max(int(t) for t in totals)))
    writer.close()


async def answer_all(
    ports: list[int],
    path_of: Any,
    cookies: list[str],
    options: list[int],
    seconds: float,
    kind: str,
) -> list[tuple[float, float, int]]:
    """Send one answer per participant, evenly over `seconds`, on keep-alive connections."""
    results: list[tuple[float, float, int]] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for index in range(len(cookies)):
        queue.put_nowait(index)
    start = time.monotonic()
    interval = seconds / len(cookies)

    async def send_one(connection: list[Any], port: int, request: bytes) -> int:
        """Send a request on a keep-alive connection; reopen it once if the server closed it."""
        for attempt in range(3):
            if connection[0] is None:
                connection[0] = await asyncio.open_connection("127.0.0.1", port)
            reader, writer = connection[0]
            try:
                writer.write(request)
                head = await reader.readuntil(b"\r\n\r\n")
                status = int(head.split(b" ", 2)[1])
                length = re.search(rb"(?i)content-length: (\d+)", head)
                if length:
                    await reader.readexactly(int(length.group(1)))
                else:  # chunked
                    while True:
                        size = int((await reader.readline()).strip(), 16)
                        await reader.readexactly(size + 2)
                        if size == 0:
                            break
                return status
            except (asyncio.IncompleteReadError, ConnectionError):
                # An idle keep-alive connection the server closed: answering again is safe,
                # since a second answer from the same person updates the first.
                writer.close()
                connection[0] = None
                if attempt == 2:
                    raise
        return 0

    async def worker(port: int) -> None:
        connection: list[Any] = [None]
        while not queue.empty():
            index = queue.get_nowait()
            wait = start + index * interval - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            option = options[index % len(options)]
            token = "a" * 32
            body = f"option={option}".encode() if kind == "sammen" else str(index).encode()
            request = (
                f"POST {path_of(index)} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Cookie: {cookies[index]}; csrftoken={token}\r\nX-CSRFToken: {token}\r\n"
                f"HX-Request: true\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode() + body
            sent = time.time() * 1000
            status = await send_one(connection, port, request)
            results.append((sent, time.time() * 1000, status))
        if connection[0] is not None:
            connection[0][1].close()

    await asyncio.gather(*(worker(ports[n % len(ports)]) for n in range(64)))
    return results


async def generate(spec: dict[str, Any]) -> dict[str, Any]:
    raise_file_limit()
    ports, cookies, kind = spec["ports"], spec["cookies"], spec["kind"]
    stop = asyncio.Event()
    screens = [Screen() for _ in cookies]
    connected = [asyncio.Event() for _ in cookies]
    tasks = []
    for index, cookie in enumerate(cookies):
        port = ports[index % len(ports)]
        tasks.append(
            asyncio.create_task(
                listen(port, spec["events_path"], cookie, screens[index], connected[index], stop)
            )
        )
        if index % 200 == 199:
            await asyncio.sleep(0.05)  # connect in waves, like a room filling up
    await asyncio.wait_for(asyncio.gather(*(event.wait() for event in connected)), 180)
    print("CONNECTED", flush=True)
    sys.stdin.readline()  # the driver measures memory and opens the poll
    answer_path = spec["answer_path"] if kind == "sammen" else "/answer"

    def path_of(index: int) -> str:
        return str(answer_path)

    answers = await answer_all(ports, path_of, cookies, spec["options"], spec["seconds"], kind)
    last_ack = max(ack for _sent, ack, _status in answers)
    deadline = time.monotonic() + 15
    expected = len(cookies)
    while time.monotonic() < deadline:
        if all(screen.events and screen.events[-1][2] >= expected for screen in screens):
            break
        await asyncio.sleep(0.1)
    stop.set()
    for task in tasks:
        task.cancel()
    return analyse(screens, answers, last_ack, expected)


def analyse(
    screens: list[Screen], answers: list[tuple[float, float, int]], last_ack: float, expected: int
) -> dict[str, Any]:
    import numpy as np

    reads = np.unique(np.array([at for screen in screens for _r, at, _t in screen.events]))
    # For each snapshot read time v: when had every screen received a snapshot read at v or later?
    everyone = np.zeros(len(reads))
    for screen in screens:
        ats = np.array([at for _r, at, _t in screen.events])
        received = np.array([r for r, _at, _t in screen.events])
        order = np.maximum.accumulate(ats)  # reads come in order per stream; guard anyway
        positions = np.searchsorted(order, reads, side="left")
        times = np.where(
            positions < len(received), received[np.minimum(positions, len(received) - 1)], np.inf
        )
        everyone = np.maximum(everyone, times)
    final = [
        next((r for r, _at, total in screen.events if total >= expected), np.inf)
        for screen in screens
    ]
    latencies = []
    for sent, ack, _status in answers:
        index = np.searchsorted(reads, ack, side="left")
        # No snapshot read after the answer came back: the final tally is the first that
        # surely holds it.
        reached = min(everyone[index], max(final)) if index < len(reads) else max(final)
        latencies.append(reached - sent)
    values = np.array(latencies)
    return {
        "answers_ok": sum(1 for *_x, status in answers if status == 200),
        "statuses": sorted({status for *_x, status in answers}),
        "screens_with_final_tally": sum(
            1 for screen in screens if screen.events and screen.events[-1][2] == expected
        ),
        "p50_ms": float(np.percentile(values, 50)),
        "p95_ms": float(np.percentile(values, 95)),
        "p99_ms": float(np.percentile(values, 99)),
        "final_tally_after_last_answer_ms": float(max(final) - last_ack),
        "answer_seconds": (max(a for _s, a, _st in answers) - min(s for s, _a, _st in answers))
        / 1000,
    }


# The driver ----------------------------------------------------------------------------


def run_load(
    spec: dict[str, Any], servers: list[ServerProcess], before_open: Any
) -> tuple[dict[str, Any], float]:
    generator = subprocess.Popen(
        [sys.executable, __file__, "--generate"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert generator.stdin is not None
    assert generator.stdout is not None
    warm_up(spec)
    rss_before = sum(server.resident_kib() for server in servers)
    generator.stdin.write(json.dumps(spec) + "\n")
    generator.stdin.flush()
    line = generator.stdout.readline()
    if "CONNECTED" not in line:
        raise SystemExit(f"the load generator failed: {line}")
    time.sleep(2)
    rss_after = sum(server.resident_kib() for server in servers)
    before_open()
    generator.stdin.write("go\n")
    generator.stdin.flush()
    output = generator.stdout.read()
    generator.wait()
    per_participant = (rss_after - rss_before) / len(spec["cookies"])
    return json.loads(output.strip().splitlines()[-1]), per_participant


def warm_up(spec: dict[str, Any]) -> None:
    """Load each server's code and templates (one stream, briefly), so memory counts connections."""
    for port in spec["ports"]:
        with socket.create_connection(("127.0.0.1", port)) as connection:
            connection.sendall(
                f"GET {spec['events_path']} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {spec['cookies'][0]}\r\n\r\n".encode()
            )
            connection.settimeout(5)
            connection.recv(65536)
    time.sleep(1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=5000)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument(
        "--database", default=DB_NAME, help="PostgreSQL database to create afresh for the run"
    )
    parser.add_argument("--generate", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    raise_file_limit()
    if args.generate:
        spec = json.loads(sys.stdin.readline())
        print(json.dumps(asyncio.run(generate(spec))), flush=True)
        return
    try:
        run(args)
    except BenchFailure as failure:
        raise SystemExit(str(failure)) from failure


def run(args: argparse.Namespace) -> None:
    secret = secrets.token_urlsafe(40)
    env = server_env(secret, args.database)
    print(f"$ {command_line()}", flush=True)
    print(
        f"Preparing {args.participants} participants in PostgreSQL ({args.database})…", flush=True
    )
    data = prepare_database(env, args.database, args.participants)
    servers = [uvicorn(free_port(), env), uvicorn(free_port(), env)]
    cookie_name = "sammen_participant"
    spec = {
        "kind": "sammen",
        "ports": [server.port for server in servers],
        "cookies": [f"{cookie_name}={cookie}" for cookie in data["cookies"]],
        "events_path": f"/live/{data['code']}/events/",
        "answer_path": f"/live/{data['code']}/polls/{data['poll']}/answer/",
        "options": data["options"],
        "seconds": args.seconds,
    }
    try:
        start_servers(servers)
        sammen, sammen_memory = run_load(
            spec,
            servers,
            lambda: django_script(OPEN_POLL, env, str(data["poll"]), str(data["owner"])),
        )
        stored = int(django_script(COUNT, env, str(data["poll"])).strip())
    finally:
        stop_servers(servers, timeout=10)

    # The same load against the reference broadcaster: same size of message as Sammen's.
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    reference = [
        ServerProcess([sys.executable, "-c", REFERENCE, str(port), REDIS_URL, "1500"], env, port)
        for port in [free_port(), free_port()]
    ]
    try:
        start_servers(reference)
        ref, ref_memory = run_load(
            {
                **spec,
                "kind": "reference",
                "ports": [server.port for server in reference],
                "events_path": "/events",
            },
            reference,
            lambda: None,
        )
    finally:
        stop_servers(reference, timeout=10)

    n = args.participants
    print()
    print(
        f"Participants connected: {n} (two server processes, Redis), answers sent over {sammen['answer_seconds']:.1f} s"
    )
    print(
        f"Answers accepted (HTTP 200): {sammen['answers_ok']} of {n}; statuses seen: {sammen['statuses']}"
    )
    print(
        f"Answers stored in the database: {stored} (exactly once: {stored == n == sammen['answers_ok']})"
    )
    print(f"Screens showing the final tally of {n}: {sammen['screens_with_final_tally']} of {n}")
    print(f"{'':34}{'Sammen':>10}{'reference':>12}{'ratio':>8}")
    for key, label in [
        ("p50_ms", "latency p50 (ms)"),
        ("p95_ms", "latency p95 (ms)"),
        ("p99_ms", "latency p99 (ms)"),
        ("final_tally_after_last_answer_ms", "final tally on all screens (ms)"),
    ]:
        print(
            f"{label:34}{sammen[key]:>10.0f}{ref[key]:>12.0f}{sammen[key] / max(ref[key], 1):>8.1f}"
        )
    print(
        f"{'memory per participant (KiB)':34}{sammen_memory:>10.1f}{ref_memory:>12.1f}{sammen_memory / max(ref_memory, 0.1):>8.1f}"
    )


if __name__ == "__main__":
    main()
