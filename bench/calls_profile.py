"""Profile the open call's pages in one process, on the data bench/calls.py leaves behind.

Where `bench/calls.py` measures what a visitor waits for over HTTP, this script tells
where one request's time goes: Django's test client sends each request to the views
in this process (no HTTP server, no other clients), and the script reports per page
the mean and p50 milliseconds, the number of queries and the milliseconds spent in
the database. `--profile NAME` runs cProfile over that page's requests instead.

It needs the `sammen_bench` database of an earlier `bench/calls.py` run (any size):

    .venv/bin/python bench/calls_profile.py
    .venv/bin/python bench/calls_profile.py --only "list newest" --profile "list newest"

Supports are really added (each by another member, to an idea they had not
supported), as the benchmark's own run does.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from harness import REPO, sammen_environment

SPACE, ACTIVITY = "harbour-bench", "a-thousand-harbour-ideas"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="sammen_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/9", help="'' for none.")
    parser.add_argument(
        "--var-dir",
        default=str(Path(tempfile.gettempdir()) / "sammen-calls-profile"),
        help="Where the collected static files go.",
    )
    parser.add_argument("--requests", type=int, default=40, help="Requests per page.")
    parser.add_argument("--only", action="append", default=[], help="Pages to run (by name).")
    parser.add_argument("--profile", default="", help="Run cProfile over this page.")
    parser.add_argument("--top", type=int, default=30, help="Functions shown by --profile.")
    return parser.parse_args()


def setup_django(args: argparse.Namespace) -> None:
    environment = sammen_environment(
        f"{args.pg_url}/{args.database}",
        SECRET_KEY="profile-only-not-secret",  # noqa: S106 - a throwaway key for one process
        ALLOWED_HOSTS="127.0.0.1,testserver",
        REDIS_URL=args.redis_url,
        SAMMEN_VAR_DIR=args.var_dir,
    )
    os.environ.clear()
    os.environ.update(environment)
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command

    if not (Path(args.var_dir) / "static" / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)


class QueryTimer:
    """Count the queries and the time spent in them, without Django's debug cursor."""

    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1


def pages(args: argparse.Namespace) -> dict[str, Callable[[], Any]]:
    from django.db import connection
    from django.test import Client

    from sammen.accounts.models import User
    from sammen.calls.models import Idea, IdeaStatus

    prefix = f"/s/{SPACE}/a/{ACTIVITY}/ideas/"
    anonymous = Client(HTTP_USER_AGENT="calls-profile", HTTP_ACCEPT="text/html")
    call_ideas = Idea.objects.filter(call__activity__slug=ACTIVITY, hidden_at__isnull=True)
    busiest = call_ideas.order_by("-comment_count").values_list("pk", flat=True).first()
    any_ideas = list(call_ideas.order_by("?").values_list("pk", flat=True)[:200])
    supportable = list(
        call_ideas.filter(status=IdeaStatus.PUBLISHED)
        .order_by("-trending")
        .values_list("pk", flat=True)[:50]
    )
    members = list(
        User.objects.filter(email__startswith="supporter-", email__endswith="@bench.example.org")
        .select_related("participant")
        .order_by("?")[:200]
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT participant_id, idea_id FROM calls_support WHERE idea_id = ANY(%s)",
            [supportable],
        )
        done = set(cursor.fetchall())
    pairs = [
        (member, idea)
        for member in members
        for idea in supportable
        if (member.participant.pk, idea) not in done
    ]
    signed_in: dict[int, Client] = {}

    def get(path: str, htmx: bool = False) -> Callable[[], Any]:
        if htmx:
            return lambda: anonymous.get(path, headers={"HX-Request": "true"})
        return lambda: anonymous.get(path)

    def support() -> Any:
        member, idea = pairs.pop()
        client = signed_in.get(member.pk)
        if client is None:
            client = signed_in[member.pk] = Client(enforce_csrf_checks=False)
            client.force_login(member)
        response = client.post(f"{prefix}{idea}/support/", {"support": "1"}, HTTP_HX_REQUEST="true")
        assert b'aria-pressed="true"' in response.content, response.content[:300]
        return response

    counter = iter(range(10**9))
    return {
        "list random": get(prefix),
        "list newest": get(f"{prefix}?sort=newest"),
        "list supported": get(f"{prefix}?sort=supported"),
        "list trending": get(f"{prefix}?sort=trending"),
        "list newest page 50": get(f"{prefix}?sort=newest&page=50"),
        "list newest htmx": get(f"{prefix}?sort=newest", htmx=True),
        "list search": get(f"{prefix}?q=lighthouse"),
        "idea any": lambda: anonymous.get(f"{prefix}{any_ideas[next(counter) % len(any_ideas)]}/"),
        "idea busiest": get(f"{prefix}{busiest}/"),
        "support (signed in, htmx)": support,
    }


def main() -> int:
    args = parse_args()
    setup_django(args)
    from django.db import connection

    chosen = pages(args)
    names = [name for name in chosen if not args.only or name in args.only]
    print(f"{'page':<28} {'mean ms':>8} {'p50 ms':>7} {'queries':>8} {'DB ms':>6} {'KB':>6}")
    for name in names:
        request = chosen[name]
        for _ in range(3):  # warm the caches: templates, translations, the database's pages
            request()
        timer = QueryTimer()
        timings = []
        size = 0
        profiler = cProfile.Profile() if name == args.profile else None
        with connection.execute_wrapper(timer):
            for _ in range(args.requests):
                started = time.perf_counter()
                if profiler:
                    profiler.enable()
                response = request()
                if profiler:
                    profiler.disable()
                timings.append(time.perf_counter() - started)
                assert response.status_code == 200, (name, response.status_code)
                size = len(response.content)
        print(
            f"{name:<28} {1000 * statistics.mean(timings):8.1f}"
            f" {1000 * statistics.median(timings):7.1f} {timer.count / args.requests:8.1f}"
            f" {1000 * timer.seconds / args.requests:6.1f} {size / 1024:6.1f}"
        )
        if profiler:
            stats = pstats.Stats(profiler).strip_dirs()
            stats.sort_stats("tottime").print_stats(args.top)
            stats.sort_stats("cumulative").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
