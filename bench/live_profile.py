"""Where one write of a live room spends its time: CPU per request, queries, a profile.

bench/live.py measures a whole room over HTTP; this script tells what one request costs
the server. It builds a session with an open poll, a question and a room of attendees in
a fresh database, then sends each kind of write through Sammen's own ASGI application in
this process (the lean path of sammen/live/asgi.py, as uvicorn would, without a socket),
each from another attendee, and reports per write the server CPU milliseconds per
request (process time: every thread), the queries, and the Redis round trips. Each write
runs twice in one run: with the session and poll kept in memory (sammen/live/hot.py,
today's default) and without (SAMMEN_LIVE_HOT_SECONDS=0, as before issue 13).

    .venv/bin/python bench/live_profile.py
    .venv/bin/python bench/live_profile.py --database-url postgres://postgres@127.0.0.1:5432/sammen_live_profile
    .venv/bin/python bench/live_profile.py --profile answer     # pyinstrument, one write
    .venv/bin/python bench/live_profile.py --profile queue      # a snapshot's render

Without --database-url it uses SQLite in a temporary folder; --redis-url '' runs
without Redis (the rate limits are then database rows).

After the writes, the room gets --room-questions questions (with upvotes, most on a few)
and the big screen shows the top questions; then what one snapshot of a question's
change costs the hub (sammen/live/snapshots.py's render, the work of one window for one
kind of screen): the phones' list (list), the moderators' queue (queue) and the big
screen (stage), each with its size as the stream sends it.
"""

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from harness import REPO, command_line, recreate_database, sammen_environment

WRITES = ("answer", "ask", "upvote", "react", "join", "room", "stream")
RENDERS = {"list": "participant", "queue": "moderator", "stage": "presenter"}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--database-url", default="", help="PostgreSQL; SQLite when empty.")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13", help="'' for none.")
    parser.add_argument("--requests", type=int, default=400, help="Requests per write.")
    parser.add_argument(
        "--profile", choices=WRITES + tuple(RENDERS), default="", help="Profile this write."
    )
    parser.add_argument(
        "--room-questions", type=int, default=2000, help="Questions in the room for the renders."
    )
    parser.add_argument("--all-frames", action="store_true", help="Django's frames too.")
    return parser.parse_args()


def setup_django(args: argparse.Namespace, var_dir: str) -> None:
    database_url = args.database_url
    if database_url.startswith("postgres"):
        server, _slash, name = database_url.rpartition("/")
        recreate_database(server, name)
    environment = sammen_environment(
        database_url,
        SECRET_KEY="profile-only-not-secret",  # noqa: S106 - a throwaway key for one process
        ALLOWED_HOSTS="testserver",
        SAMMEN_VAR_DIR=var_dir,
        SAMMEN_TESTING="1",  # static files from the apps
        SAMMEN_LIVE_WRITES_PER_IP_PER_MINUTE="100000000",
        SAMMEN_LIVE_JOINS_PER_IP_PER_HOUR="100000000",
    )
    if not database_url:
        environment.pop("DATABASE_URL")
    if args.redis_url:
        environment["REDIS_URL"] = args.redis_url
    os.environ.clear()
    os.environ.update(environment)
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if args.redis_url:
        from django.core.cache import cache

        cache.clear()


class Room:
    """A live session with an open poll and a question, and attendees to write as."""

    def __init__(self, size: int) -> None:
        from django.core.signing import get_cookie_signer

        from sammen.accounts.actions import do_create_account
        from sammen.accounts.participants import COOKIE_NAME, COOKIE_SALT
        from sammen.live.actions import do_ask_question, do_open_poll
        from sammen.testing import make_space
        from sammen.testing.live import join_anonymously, make_poll, make_session

        owner = do_create_account("olga@example.org", "bench-password", "Olga")
        self.session = make_session(make_space(owner, "Concert Hall"), owner)
        self.poll = make_poll(self.session, owner)
        do_open_poll(owner, self.poll)
        self.option = self.poll.options.first().pk
        signer = get_cookie_signer(salt=COOKIE_NAME + COOKIE_SALT)
        self.cookies = []
        for number in range(size):
            attendee = join_anonymously(self.session, f"Guest {number}")
            signed = signer.sign(str(attendee.participant.public_id))
            self.cookies.append(f"{COOKIE_NAME}={signed}; csrftoken={'a' * 32}")
        self.question = do_ask_question(join_anonymously(self.session, "Asker"), "A ferry?").pk

    def request(self, write: str, number: int) -> tuple[str, bytes, str]:
        """Return the path, body and cookie of attendee `number`'s write."""
        code = self.session.code
        cookie = self.cookies[number % len(self.cookies)]
        if write == "answer":
            return (
                f"/live/{code}/polls/{self.poll.pk}/answer/",
                f"option={self.option}".encode(),
                cookie,
            )
        if write == "ask":
            return f"/live/{code}/questions/", f"text=Question+{number}".encode(), cookie
        if write == "upvote":
            return f"/live/{code}/questions/{self.question}/upvote/", b"up=1", cookie
        if write == "react":
            return f"/live/{code}/react/", b"kind=heart", cookie
        if write == "room":  # the page a phone loads after joining (a GET)
            return f"/live/{code}/", b"", cookie
        if write == "stream":  # a screen connecting: its first message, then it leaves
            return f"/live/{code}/events/", b"", cookie
        return f"/live/{code}/join/", f"name=Newcomer+{number}".encode(), f"csrftoken={'a' * 32}"


async def send(application: Any, path: str, body: bytes, cookie: str, *, stay: bool = False) -> int:
    """Send one htmx POST (a GET without a body) through the ASGI application; return
    its status."""
    status: list[int] = []
    sent = False

    answered = asyncio.Event()

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await answered.wait()  # a stream's screen leaves once it has its first message
        if stay:
            await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def reply(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            status.append(message["status"])
        elif message["type"] == "http.response.body":
            answered.set()

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST" if body else "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [
            (b"host", b"testserver"),
            *([(b"hx-request", b"true")] if body else []),
            (b"content-type", b"application/x-www-form-urlencoded"),
            (b"cookie", cookie.encode()),
            (b"x-csrftoken", b"a" * 32),
        ],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    await application(scope, receive, reply)
    return status[0]


class Counters:
    """Queries (every thread's connections) and Redis commands, counted while running."""

    def __init__(self) -> None:
        self.queries = 0
        self.redis = 0

    def install(self) -> None:
        from django.db.backends.utils import CursorWrapper
        from redis.client import Redis

        counters = self
        execute, executemany = CursorWrapper.execute, CursorWrapper.executemany
        command = Redis.execute_command
        pipeline_execute = __import__("redis.client", fromlist=["Pipeline"]).Pipeline.execute

        def counted(function: Callable[..., Any], field: str) -> Callable[..., Any]:
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                setattr(counters, field, getattr(counters, field) + 1)
                return function(*args, **kwargs)

            return wrapper

        CursorWrapper.execute = counted(execute, "queries")  # type: ignore[method-assign]
        CursorWrapper.executemany = counted(executemany, "queries")  # type: ignore[method-assign]
        Redis.execute_command = counted(command, "redis")  # type: ignore[method-assign]
        redis_client = __import__("redis.client", fromlist=["Pipeline"])
        redis_client.Pipeline.execute = counted(pipeline_execute, "redis")  # type: ignore[method-assign]


def measure(
    application: Any, room: Room, write: str, requests: int, counters: Counters, start: int
) -> dict[str, float]:
    async def run() -> list[float]:
        spent = []
        if write == "stream":
            # One screen stays (a projector), so the room's state stays rendered, as it
            # does while a room is connected; the measured screens connect and leave.
            path, _body, cookie = room.request(write, start)
            projector = asyncio.create_task(send(application, path, b"", cookie, stay=True))
            await asyncio.sleep(0.5)
        for number in range(start, start + requests):
            path, body, cookie = room.request(write, number)
            before = time.process_time()
            status = await send(application, path, body, cookie)
            spent.append(time.process_time() - before)
            if status not in {200, 204, 302}:
                raise SystemExit(f"{write} answered {status}")
        if write == "stream":
            projector.cancel()
        return spent

    queries, redis_calls = counters.queries, counters.redis
    spent = asyncio.run(run())
    return {
        "mean": 1000 * statistics.mean(spent),
        "p50": 1000 * statistics.median(spent),
        "queries": (counters.queries - queries) / requests,
        "redis": (counters.redis - redis_calls) / requests,
    }


def fill_room(room: Room, questions: int) -> None:
    """Give the room `questions` questions, and upvotes as a storm leaves them: most on a
    few (the question at rank r gets about 400 / r); the big screen shows the questions."""
    from sammen.live.actions import do_ask_question, do_show_on_screen, do_upvote_question
    from sammen.live.models import Question
    from sammen.testing.live import join_anonymously

    voters = [join_anonymously(room.session, f"Voter {number}") for number in range(400)]
    for number in range(questions - Question.objects.filter(session=room.session).count()):
        asker = join_anonymously(room.session, f"Asker {number}")
        question = do_ask_question(asker, f"What about the harbour in ten years? ({number})")
        for voter in voters[: 400 // (number + 1)]:
            do_upvote_question(voter, question)
    do_show_on_screen(room.session, "questions")


def measure_render(room: Room, what: str, repeats: int, counters: Counters) -> dict[str, float]:
    """Return the CPU, queries and bytes of one snapshot of a question's change for one
    kind of screen, as the hub renders it in its thread."""
    from sammen.live import snapshots
    from sammen.live.events import Event
    from sammen.live.hub import Variant, encode

    variant = Variant(RENDERS[what], "en")
    queries = counters.queries
    spent, size = [], 0
    for _repeat in range(repeats):
        before = time.process_time()
        rendered = snapshots.render(room.session.pk, [Event.questions()], {variant}, {})
        size = len(encode(rendered.at, rendered.shared[variant]))
        spent.append(time.process_time() - before)
    return {
        "mean": 1000 * statistics.mean(spent),
        "p50": 1000 * statistics.median(spent),
        "queries": (counters.queries - queries) / repeats,
        "bytes": size,
    }


def main() -> int:
    args = parse_args()
    var_dir = tempfile.mkdtemp(prefix="sammen-live-profile-")
    setup_django(args, var_dir)
    from django.conf import settings
    from django.db import connection
    from django.test.utils import override_settings

    from sammen.asgi import application

    try:
        from sammen.live import hot
    except ImportError:  # a checkout from before issue 13, for the "before" figures
        hot = None

    room = Room(size=args.requests * 2 + 20)
    counters = Counters()
    counters.install()
    print(f"# {command_line()}  (code at {REPO})")
    print(
        f"# {connection.vendor}, Redis {'on' if settings.REDIS_URL else 'off'}, "
        f"{args.requests} requests per write, each from another attendee"
    )
    print(f"{'write':<8} {'kept':>5} {'CPU ms':>7} {'p50 ms':>7} {'queries':>8} {'Redis':>6}")
    start = 0
    for write in WRITES:
        for kept in (0.0, 2.0) if hot else (0.0,):
            with override_settings(SAMMEN_LIVE_HOT_SECONDS=kept):
                if hot:
                    hot.forget_everything()
                measure(application, room, write, 20, counters, start)  # warm up
                start += 20
                figures = measure(application, room, write, args.requests, counters, start)
                start += args.requests
            print(
                f"{write:<8} {'yes' if kept else 'no':>5} {figures['mean']:7.2f}"
                f" {figures['p50']:7.2f} {figures['queries']:8.1f} {figures['redis']:6.1f}"
            )
    if args.profile in WRITES:
        from pyinstrument import Profiler

        from sammen.live import asgi

        # The view runs in the lean pool's threads; for the profile, in this one.
        async def inline(function: Callable[..., Any], *call_args: Any) -> Any:
            try:
                return function(*call_args)
            finally:
                from django.db import close_old_connections

                close_old_connections()

        from sammen.live import hub as live_hub
        from sammen.live.views import stream as live_stream

        asgi.run_in_pool = inline  # type: ignore[assignment]
        live_hub.run_in_pool = inline  # type: ignore[assignment]
        live_stream.run_in_pool = inline  # type: ignore[assignment]
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the ORM in the loop's thread, here
        profiler = Profiler(interval=0.0002, async_mode="disabled")

        if args.profile in {"room", "join"}:
            # The full middleware stack runs the view in a thread of its own; Django's
            # test client runs the same stack in this one.
            from django.test import Client

            profiler.start()
            for number in range(start, start + args.requests):
                path, body, cookie = room.request(args.profile, number)
                client = Client(HTTP_COOKIE=cookie, HTTP_X_CSRFTOKEN="a" * 32)
                if body:
                    client.post(path, body, content_type="application/x-www-form-urlencoded")
                else:
                    client.get(path)
            profiler.stop()
            print(profiler.output_text(unicode=False, color=False, show_all=args.all_frames))
            return 0

        async def profiled() -> None:
            projector = None
            if args.profile == "stream":  # a projector keeps the room's state rendered
                path, _body, cookie = room.request("stream", start)
                projector = asyncio.create_task(send(application, path, b"", cookie, stay=True))
                await asyncio.sleep(0.5)
            for number in range(start, start + args.requests):
                path, body, cookie = room.request(args.profile, number)
                profiler.start()
                status = await send(application, path, body, cookie)
                profiler.stop()
                if status not in {200, 204, 302}:
                    raise SystemExit(f"{args.profile} answered {status}")
            if projector is not None:
                projector.cancel()

        asyncio.run(profiled())
        print(profiler.output_text(unicode=False, color=False, show_all=args.all_frames))

    fill_room(room, args.room_questions)
    print(f"# snapshots of a question's change, {args.room_questions} questions in the room")
    print(f"{'render':<8} {'CPU ms':>7} {'p50 ms':>7} {'queries':>8} {'bytes':>9}")
    for what in RENDERS:
        measure_render(room, what, 2, counters)  # warm up
        figures = measure_render(room, what, 10, counters)
        print(
            f"{what:<8} {figures['mean']:7.1f} {figures['p50']:7.1f}"
            f" {figures['queries']:8.1f} {figures['bytes']:9,}"
        )
    if args.profile in RENDERS:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005, async_mode="disabled")
        profiler.start()
        measure_render(room, args.profile, 5, counters)
        profiler.stop()
        print(profiler.output_text(unicode=False, color=False, show_all=args.all_frames))
    Path(var_dir, "sammen.sqlite3").unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
