"""What the open call's busiest requests cost the server through ASGI, in one process.

`bench/calls.py` measures the open call at scale over HTTP; `bench/calls_profile.py`
profiles its views in-process through Django's test client, which leaves out what
serving them under uvicorn adds. This script sends requests through Sammen's own ASGI
application (`sammen.asgi.application`, as uvicorn calls it, without a socket) and
reports the server CPU per request (process time, every thread) and the queries, for:
the idea list a visitor gets from the shared cache, the list a signed-in member gets,
an idea page, and a support (htmx, each by another member). The call is small (by
default 200 ideas); the cached list does not depend on the size.

    .venv/bin/python bench/pages_profile.py
    .venv/bin/python bench/pages_profile.py --database-url postgres://postgres@127.0.0.1:5432/sammen_pages_profile

Without --database-url it uses SQLite in a temporary folder.
"""

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from typing import Any

from harness import REPO, command_line
from live_profile import Counters, setup_django

TOKEN = "b" * 32


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--database-url", default="", help="PostgreSQL; SQLite when empty.")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13", help="'' for none.")
    parser.add_argument("--requests", type=int, default=300, help="Requests per page.")
    parser.add_argument("--ideas", type=int, default=200)
    parser.add_argument(
        "--profile",
        default="",
        help="Profile one page's requests with pyinstrument (the start of its name; GET only).",
    )
    return parser.parse_args()


class Call:
    """An open call with ideas, and members signed in to read and support them."""

    def __init__(self, ideas: int, members: int) -> None:
        from django.conf import settings
        from django.test import Client

        from sammen.testing import make_member, make_space, make_user
        from sammen.testing.calls import make_call, make_idea

        owner = make_user("Olivia")
        space = make_space(owner, "Harbour Museum", visibility="public")
        self.call = make_call(space, owner)
        self.ideas = []
        for number in range(ideas):
            if number % 5 == 0:  # a person shares a handful of ideas a day at most
                author = make_user(f"Author {number}")
                make_member(space, author)
            self.ideas.append(make_idea(self.call, author, f"Idea number {number}").pk)
        activity = self.call.activity
        self.base = f"/s/{space.slug}/a/{activity.slug}/"
        self.cookies = []
        for number in range(members):
            member = make_user(f"Member {number}")
            make_member(space, member)
            client = Client()
            client.force_login(member)
            session = client.cookies[settings.SESSION_COOKIE_NAME].value
            self.cookies.append(f"{settings.SESSION_COOKIE_NAME}={session}; csrftoken={TOKEN}")


async def send(application: Any, method: str, path: str, cookie: str, body: bytes = b"") -> int:
    sent = False
    status: list[int] = []

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def reply(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            status.append(message["status"])

    path, _mark, query = path.partition("?")
    headers = [(b"host", b"testserver"), (b"cookie", cookie.encode())]
    if method == "POST":
        headers += [
            (b"hx-request", b"true"),
            (b"x-csrftoken", TOKEN.encode()),
            (b"content-type", b"application/x-www-form-urlencoded"),
        ]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    await application(scope, receive, reply)
    return status[0]


def profile(request: Any, numbers: range) -> None:
    """Profile a page's requests with pyinstrument, sent through Django's test client in
    this thread (through ASGI they run in the pages' threads, which the profiler misses)."""
    from django.test import Client
    from pyinstrument import Profiler

    client = Client()
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for number in numbers:
        _method, path, cookie = request(number)
        response = client.get(path, HTTP_COOKIE=cookie)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
    profiler.stop()
    print(profiler.output_text(unicode=True, show_all=False))


def main() -> int:
    args = parse_args()
    setup_django(args, tempfile.mkdtemp(prefix="sammen-pages-profile-"))
    from django.db import connection

    from sammen.asgi import application

    call = Call(args.ideas, members=args.requests + 20)
    counters = Counters()
    counters.install()
    pages = {
        "idea list, visitor (cached)": lambda n: ("GET", f"{call.base}ideas/?sort=newest", ""),
        "idea list, signed in": lambda n: (
            "GET",
            f"{call.base}ideas/?sort=newest",
            call.cookies[n % len(call.cookies)],
        ),
        "idea page, visitor": lambda n: ("GET", f"{call.base}ideas/{call.ideas[0]}/", ""),
        "support (htmx)": lambda n: (
            "POST",
            f"{call.base}ideas/{call.ideas[n % len(call.ideas)]}/support/",
            call.cookies[n % len(call.cookies)],
        ),
    }
    print(f"# {command_line()}  (code at {REPO})")
    print(f"# {connection.vendor}, {args.ideas} ideas, {args.requests} requests per page")
    print(f"{'page':<30} {'CPU ms':>7} {'p50 ms':>7} {'queries':>8}")

    async def run() -> None:
        for name, request in pages.items():
            for number in range(10):  # warm the caches
                method, path, cookie = request(number)
                await send(application, method, path, cookie, b"support=1")
            spent = []
            queries = counters.queries
            if args.profile and name.startswith(args.profile):
                if request(0)[0] != "GET":
                    raise SystemExit("--profile takes the pages read with GET")
                profile(request, range(10, 10 + args.requests))
                continue
            for number in range(10, 10 + args.requests):
                method, path, cookie = request(number)
                started = time.process_time()
                status = await send(application, method, path, cookie, b"support=1")
                spent.append(time.process_time() - started)
                if status != 200:
                    raise SystemExit(f"{name}: {path} answered {status}")
            print(
                f"{name:<30} {1000 * statistics.mean(spent):7.2f}"
                f" {1000 * statistics.median(spent):7.2f}"
                f" {(counters.queries - queries) / args.requests:8.1f}"
            )

    asyncio.run(run())
    return 0


if __name__ == "__main__":
    sys.exit(main())
