"""Benchmark the open call at scale on PostgreSQL, side by side with pgbench.

In one run, and printing the command that ran it:

1. seed a fresh database (`sammen_bench`) with 100,000 ideas, 1,000,000 supports and
   300,000 comments (the space, the call and the supporting members through the
   normal actions; the bulk rows with COPY, counts kept consistent with the rows);
2. serve Sammen as in production (`sammen serve --workers 4 --no-task-worker
   --no-setup`, DEBUG off, Redis cache, a pool of 4 connections per worker);
3. from this process, with 16 concurrent anonymous clients, measure the idea list in
   each sort, page 50, a search and idea pages: p50, p95, p99 and requests per second
   (target: p95 under 100 ms);
4. with 16 concurrent clients signed in as distinct members, support ideas over HTTP
   as the page's button does, then check in the database that no support was lost or
   doubled;
5. run pgbench (TPC-B-like) on the same server with as many clients for as long, and
   report supports per second divided by pgbench's transactions per second (target:
   at least 0.25).

Run it from the repository root: `.venv/bin/python bench/calls.py --help`.
"""

import argparse
import http.client
import math
import os
import platform
import random
import re
import secrets
import shlex
import shutil
import signal
import socket
import statistics
import string
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import psycopg
from psycopg import sql

REPO = Path(__file__).resolve().parent.parent
TARGET_P95_MS = 100.0
TARGET_RATIO = 0.25
SORTS = ["random", "newest", "supported", "discussed", "trending"]
SUPPORTED_MARK = b'aria-pressed="true"'  # the support button once the support counts

# Words for titles, bodies and comments, most frequent first; texts draw them with
# Zipf-like frequencies, so searches for rarer words match fewer ideas, as in real text.
WORDS_TEXT = """
the harbour museum city people story old new water boat children school place
community open street summer light history family ship evening garden year
festival neighbours young walk music space visitors food market quay bridge
workshop bench playground library fishermen tour route art wall river dock
map square stories memory crane tram warehouse lighthouse night sound window
photo exhibition guide path bicycle sea wind island ferry station canal
volunteers tree theatre kitchen archive sailor net cargo rope anchor storm tide
mural poster film dance choir lantern beach shelter tower clock gate yard
workshop app audio trail signs seats shade fountain pier jetty harbourmaster
captain diver swimmer rower sailing regatta lifeboat coastguard pilot dredger
tugboat barge container shipyard welder carpenter painter rigger pilotage
seagull heron cormorant eel herring mackerel oyster mussel crab seaweed dune
moor polder dyke lock sluice pump mill windmill granary customs tollhouse
smugglers emigrants sugar coffee tobacco spice timber coal salt grain wool
postcard diary letter ledger logbook chart compass sextant telescope barometer
uniform cap jacket boots lamp stove kettle bread soup pancakes waffles cheese
apple cherry plum rain fog snow frost sunrise sunset moon stars tidepool
heritage dialect song poem riddle legend ghost treasure shipwreck rescue strike
union dockers shift whistle bell horn siren flag banner parade procession
exhibition-room podcast webcast hackathon makerspace repair-cafe swap-shop
"""
WORDS = WORDS_TEXT.split()

SEARCH_RANKS = [120, 150, 180, 210, 240]  # rarer words: each in a few percent of ideas


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None = None
    must_contain: bytes | None = None
    pair: tuple[int, int] | None = None  # (participant id, idea id) of a support


@dataclass
class Phase:
    name: str
    latencies: list[float]
    seconds: float
    failures: list[str]
    pairs: list[tuple[int, int]] = field(default_factory=list)
    alone_p50: float = math.nan  # p50 with one client, when measured
    client_cpu: float = 0.0  # CPU seconds the load generator itself used
    server_cpu: float = math.nan  # CPU seconds of the server's processes
    database_cpu: float = math.nan  # CPU seconds of PostgreSQL's processes on the database

    def cpu_per_request(self, seconds: float) -> float:
        return 1000 * seconds / len(self.latencies) if self.latencies else math.nan

    @property
    def per_second(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, share: int) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] * 1000 if self.latencies else math.nan
        cuts = statistics.quantiles(self.latencies, n=100, method="inclusive")
        return cuts[share - 1] * 1000


@dataclass
class Setup:
    space_slug: str
    activity_slug: str
    call_id: int
    owner_user_id: int
    supporters: list[tuple[int, int]]  # (user id, participant id), members who joined


@dataclass
class Seeded:
    visible_ids: list[int]
    supportable_ids: list[int]
    hot_ids: list[int]
    busiest_id: int
    busiest_comments: int
    search_words: dict[str, int]
    seconds: float
    rows: dict[str, int]


class BenchFailure(Exception):
    pass


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark the open call at scale on PostgreSQL, beside pgbench.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--ideas", type=int, default=100_000)
    parser.add_argument("--supports", type=int, default=1_000_000)
    parser.add_argument("--comments", type=int, default=300_000)
    parser.add_argument(
        "--crowd", type=int, default=20_000, help="Members who wrote, supported, commented."
    )
    parser.add_argument(
        "--supporters", type=int, default=1600, help="Members who support during the run."
    )
    parser.add_argument("--clients", type=int, default=16, help="Concurrent clients.")
    parser.add_argument("--workers", type=int, default=4, help="uvicorn worker processes.")
    parser.add_argument(
        "--seconds", type=int, default=30, help="Length of each measured phase and of pgbench."
    )
    parser.add_argument("--warmup", type=float, default=3, help="Unmeasured seconds per phase.")
    parser.add_argument(
        "--alone-seconds", type=float, default=4, help="Seconds per page with one client."
    )
    parser.add_argument("--pgbench-scale", type=int, default=16, help="pgbench -i -s.")
    parser.add_argument(
        "--pg-url",
        default="postgres://postgres@127.0.0.1:5432",
        help="The PostgreSQL server, without a database name.",
    )
    parser.add_argument("--database", default="sammen_bench")
    parser.add_argument("--pgbench-database", default="sammen_pgbench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/9", help="'' for none.")
    parser.add_argument("--conn-max-age", type=int, default=0, help="CONN_MAX_AGE of the server.")
    parser.add_argument(
        "--pool-size",
        type=int,
        default=4,
        help="DATABASE_POOL_SIZE of the server (docs/deploy.md); 0 for a connection per request.",
    )
    parser.add_argument("--seed", type=int, default=2026, help="Seed of the generated data.")
    parser.add_argument(
        "--drop", action="store_true", help="Drop the benchmark database at the end."
    )
    return parser.parse_args()


STARTED = time.monotonic()
LOAD_AT_START = os.getloadavg()  # 1, 5 and 15 minutes: the machine is often shared


def elapsed() -> float:
    return time.monotonic() - STARTED


def log(message: str) -> None:
    print(f"[{elapsed():6.1f} s] {message}", flush=True)


# --- The machine ----------------------------------------------------------------------


def machine_description(admin_url: str) -> list[str]:
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kilobytes = int(meminfo.read_text().split()[1])
        memory = f", {kilobytes / 1024 / 1024:.0f} GiB memory"
    with psycopg.connect(f"{admin_url}/postgres", autocommit=True) as connection:
        server = connection.execute("SHOW server_version").fetchone()
        settings = {
            name: connection.execute(f"SHOW {name}").fetchone()
            for name in ("shared_buffers", "synchronous_commit", "max_connections")
        }
    import django

    return [
        f"{os.cpu_count()} cores ({cpu}){memory}, {platform.system()} {platform.release()}",
        f"PostgreSQL {server[0] if server else '?'} on the same machine ("
        + ", ".join(f"{name}={value[0] if value else '?'}" for name, value in settings.items())
        + ")",
        f"Python {platform.python_version()}, Django {django.get_version()}",
    ]


# --- The database ---------------------------------------------------------------------


def recreate_database(admin_url: str, name: str) -> None:
    with psycopg.connect(f"{admin_url}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(admin_url: str, name: str) -> None:
    with psycopg.connect(f"{admin_url}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_environment(args: argparse.Namespace, var_dir: Path, secret_key: str) -> dict[str, str]:
    """Return the environment of a production-like Sammen: settings as docs/deploy.md sets them."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SAMMEN_TESTING", "DJANGO_SETTINGS_MODULE", "REDIS_URL"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="sammen.settings",
        DATABASE_URL=f"{args.pg_url}/{args.database}",
        CONN_MAX_AGE=str(args.conn_max_age),
        SECRET_KEY=secret_key,
        ALLOWED_HOSTS="127.0.0.1",
        SAMMEN_VAR_DIR=str(var_dir),
        LOG_LEVEL="WARNING",
    )
    if args.redis_url:
        environment["REDIS_URL"] = args.redis_url
    return environment


def setup_django(environment: dict[str, str]) -> None:
    os.environ.clear()
    os.environ.update(environment)
    import django

    django.setup()


def setup_call(args: argparse.Namespace) -> Setup:
    """Create the owner, the space, the open call and the supporting members, by actions."""
    from sammen.accounts.models import Participant
    from sammen.testing import make_call, make_member, make_space, make_user

    owner = make_user("Olivia")
    space = make_space(owner, "Harbour Bench", description="Stories of the harbour, at scale.")
    call = make_call(space, owner, "A thousand harbour ideas")
    supporters = []
    from sammen.accounts.actions import do_create_account

    for number in range(args.supporters):
        user = do_create_account(
            f"supporter-{number}@bench.example.org", None, f"Supporter {number}"
        )
        make_member(space, user)
        supporters.append((user.pk, Participant.objects.get(user=user).pk))
    return Setup(
        space_slug=space.slug,
        activity_slug=call.activity.slug,
        call_id=call.pk,
        owner_user_id=owner.pk,
        supporters=supporters,
    )


def allocate(total: int, count: int, rng: random.Random, cap: int) -> list[int]:
    """Share `total` among `count` items with a long tail (Pareto weights), each at most `cap`."""
    weights = [rng.paretovariate(1.5) for _ in range(count)]
    scale = total / sum(weights)
    shares = [min(cap, int(weight * scale)) for weight in weights]
    missing = total - sum(shares)
    while missing > 0:
        index = rng.randrange(count)
        if shares[index] < cap:
            shares[index] += 1
            missing -= 1
    return shares


class Text:
    """Make titles, bodies and comments from WORDS with Zipf-like frequencies."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.cumulative: list[float] = []
        running = 0.0
        for rank in range(1, len(WORDS) + 1):
            running += 1 / rank
            self.cumulative.append(running)

    def words(self, low: int, high: int) -> list[str]:
        return self.rng.choices(WORDS, cum_weights=self.cumulative, k=self.rng.randint(low, high))

    def title(self) -> str:
        return " ".join(self.words(3, 9)).capitalize()

    def paragraph(self, low: int, high: int) -> str:
        words = self.words(low, high)
        sentences = []
        while words:
            length = self.rng.randint(6, 16)
            sentence, words = words[:length], words[length:]
            sentences.append(" ".join(sentence).capitalize() + ".")
        return " ".join(sentences)


def seed(args: argparse.Namespace, setup: Setup) -> Seeded:
    """Insert the crowd, the ideas, their threads, supports and comments with COPY."""
    from sammen.calls.models import trending_score

    started = time.monotonic()
    rng = random.Random(args.seed)
    text = Text(rng)
    now = datetime.now(UTC)
    database_url = f"{args.pg_url}/{args.database}"
    with psycopg.connect(database_url, autocommit=True) as connection:

        def next_id(table: str) -> int:
            statement = sql.SQL("SELECT coalesce(max(id), 0) + 1 FROM {}")
            row = connection.execute(statement.format(sql.Identifier(table))).fetchone()
            assert row is not None
            return int(row[0])

        def copy(table: str, columns: str, rows: Iterable[tuple[Any, ...]]) -> int:
            count = 0
            statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
                sql.Identifier(table), sql.SQL(columns)
            )
            with (
                connection.transaction(),
                connection.cursor() as cursor,
                cursor.copy(statement) as stream,
            ):
                for row in rows:
                    stream.write_row(row)
                    count += 1
            return count

        space_row = connection.execute(
            "SELECT space_id FROM activities_activity WHERE id = %s", [setup.call_id]
        ).fetchone()
        assert space_row is not None
        space_id = int(space_row[0])

        # The crowd: members who wrote the ideas, supported and commented before the run.
        first_user, first_participant = next_id("accounts_user"), next_id("accounts_participant")
        joined = now - timedelta(days=120)
        user_ids = list(range(first_user, first_user + args.crowd))
        crowd = list(range(first_participant, first_participant + args.crowd))
        copy(
            "accounts_user",
            "id, password, is_superuser, is_staff, is_active, date_joined, email, display_name,"
            " preferred_language, avatar, email_notifications",
            (
                (
                    uid,
                    "!",
                    False,
                    False,
                    True,
                    joined,
                    f"crowd-{n}@bench.example.org",
                    f"Neighbour {n}",
                    "",
                    "",
                    "daily",
                )
                for n, uid in enumerate(user_ids)
            ),
        )
        copy(
            "accounts_participant",
            "id, public_id, display_name, created_at, user_id",
            (
                (pid, uuid.UUID(int=rng.getrandbits(128), version=4), "", joined, uid)
                for pid, uid in zip(crowd, user_ids, strict=True)
            ),
        )
        copy(
            "spaces_membership",
            "role, joined_at, user_id, space_id",
            (("member", joined, uid, space_id) for uid in user_ids),
        )
        log(f"  {args.crowd:,} members of the crowd")

        # Ideas, oldest first, over the last 90 days; the counts decided up front.
        first_idea, first_thread = next_id("calls_idea"), next_id("comments_thread")
        idea_ids = list(range(first_idea, first_idea + args.ideas))
        created = sorted(now - timedelta(seconds=rng.uniform(60, 90 * 86400)) for _ in idea_ids)
        authors = [rng.choice(crowd) for _ in idea_ids]
        support_counts = allocate(args.supports, args.ideas, rng, cap=args.crowd - 1)
        comment_counts = allocate(args.comments, args.ideas, rng, cap=10 * args.comments)
        copy(
            "comments_thread",
            "id, created_at, activity_id, owner_id, space_id",
            (
                (first_thread + i, created[i], setup.call_id, authors[i], space_id)
                for i in range(args.ideas)
            ),
        )

        # Comments first, so each idea's count of visible comments is known when it is written.
        visible_comments = [0] * args.ideas

        first_comment = next_id("comments_comment")

        def comments() -> Iterator[tuple[Any, ...]]:
            comment_id = first_comment
            for i, count in enumerate(comment_counts):
                top_level: list[int] = []
                for _ in range(count):
                    at = created[i] + (now - created[i]) * rng.random()
                    parent = rng.choice(top_level) if top_level and rng.random() < 0.25 else None
                    hidden = rng.random() < 0.02
                    deleted = not hidden and rng.random() < 0.01
                    if not hidden and not deleted:
                        visible_comments[i] += 1
                    if parent is None:
                        top_level.append(comment_id)
                    yield (
                        comment_id, text.paragraph(5, 40), at, None, at if deleted else None,
                        at if hidden else None, "Off topic" if hidden else "", None,
                        rng.choice(crowd), setup.owner_user_id if hidden else None, parent,
                        first_thread + i,
                    )  # fmt: skip
                    comment_id += 1

        copy(
            "comments_comment",
            "id, body, created_at, edited_at, deleted_at, hidden_at, hidden_reason, helpful_at,"
            " author_id, hidden_by_id, parent_id, thread_id",
            comments(),
        )
        log(f"  {args.comments:,} comments")

        def ideas() -> Iterator[tuple[Any, ...]]:
            for i, idea_id in enumerate(idea_ids):
                at, roll = created[i], rng.random()
                status, answer = "published", ""
                answered_at = withdrawn_at = archived_at = None
                if roll < 0.02:
                    status = "under_review"
                elif roll < 0.05:
                    status = rng.choice(["selected", "in_progress", "done", "not_selected"])
                    answer, answered_at = text.paragraph(10, 30), at + (now - at) * 0.9
                elif roll < 0.055:
                    status, withdrawn_at = "withdrawn", at + (now - at) * 0.5
                elif roll < 0.065:
                    status, archived_at = "archived", at + (now - at) * 0.5
                hidden_at = at + (now - at) * 0.1 if rng.random() < 0.003 else None
                builds_on = idea_ids[rng.randrange(i)] if i and rng.random() < 0.02 else None
                yield (
                    idea_id, text.title(), text.paragraph(20, 90), status, 0, answer,
                    answered_at, support_counts[i], visible_comments[i],
                    trending_score(support_counts[i], at), at, at, withdrawn_at, archived_at,
                    hidden_at, "Not respectful" if hidden_at else "",
                    setup.owner_user_id if answered_at else None, authors[i], builds_on,
                    setup.call_id, setup.owner_user_id if hidden_at else None, first_thread + i,
                )  # fmt: skip

        copy(
            "calls_idea",
            "id, title, body, status, momentum_level, answer, answered_at, support_count,"
            " comment_count, trending, created_at, updated_at, withdrawn_at, archived_at,"
            " hidden_at, hidden_reason, answered_by_id, author_id, builds_on_id, call_id,"
            " hidden_by_id, thread_id",
            ideas(),
        )
        log(f"  {args.ideas:,} ideas and their threads")

        def supports() -> Iterator[tuple[Any, ...]]:
            for i, count in enumerate(support_counts):
                supporters = rng.sample(crowd, count + 1)
                if authors[i] in supporters:
                    supporters.remove(authors[i])  # authors do not support their own idea
                for participant in supporters[:count]:
                    yield (created[i] + (now - created[i]) * rng.random(), idea_ids[i], participant)

        copy("calls_support", "created_at, idea_id, participant_id", supports())
        log(f"  {args.supports:,} supports")

        for table in [
            "accounts_user",
            "accounts_participant",
            "spaces_membership",
            "comments_thread",
            "comments_comment",
            "calls_idea",
            "calls_support",
        ]:
            statement = sql.SQL(
                "SELECT setval(pg_get_serial_sequence({}, 'id'), (SELECT max(id) FROM {}))"
            )
            connection.execute(statement.format(sql.Literal(table), sql.Identifier(table)))
        # A database in use has been vacuumed and analysed; a freshly loaded one not yet.
        connection.execute("VACUUM (ANALYZE)")
        connection.execute("CHECKPOINT")  # so that writing the load out does not overlap the run
        log("  vacuumed, analysed and checkpointed")
        seconds = time.monotonic() - started

        rows = {
            table: int(row[0])
            for table in ["calls_idea", "calls_support", "comments_comment", "accounts_user"]
            if (
                row := connection.execute(
                    sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
                ).fetchone()
            )
        }
        visible_ids = [
            int(row[0])
            for row in connection.execute(
                "SELECT id FROM calls_idea WHERE call_id = %s AND hidden_at IS NULL",
                [setup.call_id],
            )
        ]
        supportable_ids = [
            int(row[0])
            for row in connection.execute(
                "SELECT id FROM calls_idea WHERE call_id = %s AND hidden_at IS NULL"
                " AND status IN ('published', 'under_review')",
                [setup.call_id],
            )
        ]
        hot_ids = [
            int(row[0])
            for row in connection.execute(
                "SELECT id FROM calls_idea WHERE call_id = %s AND hidden_at IS NULL"
                " AND status IN ('published', 'under_review') ORDER BY trending DESC LIMIT 10",
                [setup.call_id],
            )
        ]
        busiest = connection.execute(
            "SELECT id, comment_count FROM calls_idea WHERE call_id = %s AND hidden_at IS NULL"
            " ORDER BY comment_count DESC LIMIT 1",
            [setup.call_id],
        ).fetchone()
        assert busiest is not None
        search_words = {}
        for rank in SEARCH_RANKS:
            word = WORDS[min(rank, len(WORDS) - 1)]
            matches = connection.execute(
                "SELECT count(*) FROM calls_idea WHERE call_id = %s AND hidden_at IS NULL"
                " AND status <> 'archived' AND (setweight(to_tsvector('english', title), 'A')"
                " || setweight(to_tsvector('english', body), 'B'))"
                " @@ websearch_to_tsquery('english', %s)",
                [setup.call_id, word],
            ).fetchone()
            search_words[word] = int(matches[0]) if matches else 0
    return Seeded(
        visible_ids=visible_ids,
        supportable_ids=supportable_ids,
        hot_ids=hot_ids,
        busiest_id=int(busiest[0]),
        busiest_comments=int(busiest[1]),
        search_words=search_words,
        seconds=seconds,
        rows=rows,
    )


def make_sessions(supporters: list[tuple[int, int]]) -> dict[int, tuple[str, str]]:
    """Sign each supporter in, as the sign-in page would.

    Return, per participant, the Cookie header of their browser and its CSRF token.
    """
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from sammen.accounts.models import User

    users = User.objects.in_bulk([user_id for user_id, _participant in supporters])
    store = SessionStore()
    expires = timezone.now() + timedelta(days=1)
    sessions, cookies = [], {}
    alphabet = string.ascii_letters + string.digits
    for user_id, participant_id in supporters:
        user = users[user_id]
        key = secrets.token_hex(16)
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        sessions.append(
            Session(session_key=key, session_data=store.encode(data), expire_date=expires)
        )
        csrf = "".join(secrets.choice(alphabet) for _ in range(32))
        cookies[participant_id] = (
            f"{settings.SESSION_COOKIE_NAME}={key}; {settings.CSRF_COOKIE_NAME}={csrf}",
            csrf,
        )
    Session.objects.bulk_create(sessions, batch_size=1000)
    return cookies


# --- The server -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """`sammen serve` with several uvicorn workers, as docs/deploy.md runs it."""

    def __init__(self, args: argparse.Namespace, environment: dict[str, str], log_path: Path):
        self.port = free_port()
        self.command = [
            sys.executable, "-m", "sammen", "serve", "--host", "127.0.0.1",
            "--port", str(self.port), "--workers", str(args.workers),
            "--no-task-worker", "--no-setup",
        ]  # fmt: skip
        self.environment = environment
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        output = self.log_path.open("wb")
        self.process = subprocess.Popen(
            self.command, cwd=REPO, env=self.environment, stdout=output, stderr=output
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchFailure(f"the server stopped; see {self.log_path}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise BenchFailure(f"the server did not answer within a minute; see {self.log_path}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# --- The clients ----------------------------------------------------------------------


class Client:
    """One visitor's keep-alive connection; reconnects when the server closed it."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def send(self, request: Request) -> tuple[int, bytes]:
        for attempt in range(2):
            try:
                self.connection.request(
                    request.method, request.path, body=request.body, headers=request.headers
                )
                response = self.connection.getresponse()
                return response.status, response.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # A keep-alive connection the server closed while idle; a real client reconnects.
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.connection.close()


def check(request: Request, status: int, body: bytes) -> str | None:
    if status != 200:
        return f"{status} for {request.method} {request.path}: {body[:400]!r}"
    if request.must_contain is not None and request.must_contain not in body:
        return f"200 without {request.must_contain!r} for {request.method} {request.path}"
    return None


def process_cpu(pids: Iterable[int]) -> float:
    """Return the CPU seconds (user and system) the processes used so far; Linux only."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def server_pids(root: int) -> list[int]:
    """Return the process and all its descendants (the uvicorn workers)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack += children.get(pid, [])
    return found


def database_pids(database: str) -> list[int]:
    """Return PostgreSQL's backends connected to the benchmark's database."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if command.startswith(b"postgres: ") and f" {database} ".encode() in command:
                pids.append(int(entry.name))
    return pids


# Set once the server runs: returns the CPU seconds of the server and of PostgreSQL's
# backends on the benchmark's database, so each phase can report its CPU per request.
METER: Callable[[], tuple[float, float]] | None = None


def run_phase(name: str, port: int, plans: list[Iterator[Request]], seconds: float) -> Phase:
    """Let each client send its plan's requests one after another until time is up."""
    latencies: list[list[float]] = [[] for _ in plans]
    pairs: list[list[tuple[int, int]]] = [[] for _ in plans]
    failures: list[str] = []
    stop = threading.Event()
    start_together = threading.Barrier(len(plans) + 1)
    deadline = 0.0

    def client_loop(index: int) -> None:
        client = Client(port)
        start_together.wait()
        try:
            for request in plans[index]:
                if stop.is_set() or time.monotonic() >= deadline:
                    break
                started = time.perf_counter()
                try:
                    status, body = client.send(request)
                except (OSError, http.client.HTTPException) as error:
                    failures.append(f"{error!r} for {request.method} {request.path}")
                    stop.set()
                    break
                took = time.perf_counter() - started
                problem = check(request, status, body)
                if problem:
                    failures.append(problem)
                    stop.set()
                    break
                latencies[index].append(took)
                if request.pair is not None:
                    pairs[index].append(request.pair)
        finally:
            client.close()

    threads = [threading.Thread(target=client_loop, args=(i,)) for i in range(len(plans))]
    for thread in threads:
        thread.start()
    meter = METER() if METER else (math.nan, math.nan)
    began, cpu = time.monotonic(), time.process_time()
    deadline = began + seconds
    start_together.wait()
    for thread in threads:
        thread.join()
    metered = METER() if METER else (math.nan, math.nan)
    return Phase(
        server_cpu=metered[0] - meter[0],
        database_cpu=metered[1] - meter[1],
        name=name,
        latencies=[value for values in latencies for value in values],
        seconds=time.monotonic() - began,
        failures=failures,
        pairs=[pair for values in pairs for pair in values],
        client_cpu=time.process_time() - cpu,
    )


def visits(
    path: Callable[[random.Random], str],
    headers: dict[str, str],
    must_contain: bytes | None,
    rng: random.Random,
) -> Iterator[Request]:
    while True:
        yield Request("GET", path(rng), headers, must_contain=must_contain)


class SupportPlans:
    """Hand out (member, idea) pairs: each member supports an idea at most once.

    Half the supports go to the ten trending ideas, where members meet on the same rows
    at the same moment, the rest to ideas anywhere in the list.
    """

    def __init__(self, seeded: Seeded, participants: list[int], rng: random.Random) -> None:
        self.hot = seeded.hot_ids
        self.anywhere = seeded.supportable_ids
        self.participants = participants
        self.rng = rng
        self.used: set[tuple[int, int]] = set()
        self.acknowledged: set[tuple[int, int]] = set()  # answered as done by the server
        self.lock = threading.Lock()

    def pick(self, participant: int, rng: random.Random, hot_share: float) -> tuple[int, int]:
        with self.lock:
            for _ in range(1000):
                ideas = self.hot if rng.random() < hot_share else self.anywhere
                pair = (participant, rng.choice(ideas))
                if pair not in self.used:
                    self.used.add(pair)
                    return pair
        raise BenchFailure("ran out of ideas to support: use more --supporters")

    def pairs(self, members: list[int], rng: random.Random) -> Iterator[tuple[int, int]]:
        while True:
            for participant in members:
                yield self.pick(participant, rng, hot_share=0.5)

    def plan(
        self, members: list[int], make: Callable[[tuple[int, int]], Request], rng: random.Random
    ) -> Iterator[Request]:
        return (make(pair) for pair in self.pairs(members, rng))


def direct_supports(
    args: argparse.Namespace, plans: SupportPlans, members: list[list[int]]
) -> Phase:
    """Call do_support_idea from one process per client: the action without HTTP or Django's
    request handling, to tell how much of a support's cost is the action's own."""
    import multiprocessing

    from django.db import connections

    connections.close_all()  # each process opens its own
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    start_together = context.Barrier(len(members))

    def work(index: int) -> None:
        from sammen.accounts.models import Participant
        from sammen.calls.actions import do_support_idea
        from sammen.calls.models import Idea

        latencies, pairs, problem = [], [], ""
        start_together.wait()
        began = time.monotonic()
        try:
            for participant, idea in plans.pairs(members[index], random.Random(index)):
                if time.monotonic() >= began + args.seconds:
                    break
                started = time.perf_counter()
                if not do_support_idea(Participant(pk=participant), Idea(pk=idea)):
                    problem = f"participant {participant} had supported idea {idea} already"
                    break
                latencies.append(time.perf_counter() - started)
                pairs.append((participant, idea))
        except Exception as error:  # reported to the parent, which stops the run
            problem = repr(error)
        results.put((began, time.monotonic(), latencies, pairs, problem))
        connections.close_all()

    processes = [context.Process(target=work, args=(i,)) for i in range(len(members))]
    for process in processes:
        process.start()
    reports = [results.get(timeout=args.seconds + 120) for _ in processes]
    for process in processes:
        process.join()
    return Phase(
        name="do_support_idea, direct",
        latencies=[value for report in reports for value in report[2]],
        seconds=max(report[1] for report in reports) - min(report[0] for report in reports),
        failures=[report[4] for report in reports if report[4]],
        pairs=[pair for report in reports for pair in report[3]],
    )


def double_clicks(
    port: int,
    clients: int,
    pairs: list[tuple[int, int]],
    make: Callable[[tuple[int, int]], Request],
) -> tuple[int, list[str]]:
    """Send each pair twice at the same moment, from two clients, as a double click does."""
    failures: list[str] = []
    answered = Counter[tuple[int, int]]()
    groups = max(1, clients // 2)
    shares = [pairs[group::groups] for group in range(groups)]
    barriers = [threading.Barrier(2) for _ in range(groups)]

    def client_loop(index: int) -> None:
        client = Client(port)
        group = index // 2
        try:
            for pair in shares[group]:
                request = make(pair)
                barriers[group].wait(timeout=60)
                status, body = client.send(request)
                problem = check(request, status, body)
                if problem:
                    failures.append(problem)
                else:
                    answered[pair] += 1
        except threading.BrokenBarrierError:
            failures.append("a client of a double click stopped")
        finally:
            client.close()

    threads = [threading.Thread(target=client_loop, args=(i,)) for i in range(2 * groups)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(answered.values()), failures


# --- Checks in the database -----------------------------------------------------------


@dataclass
class Integrity:
    expected: int
    added: int
    missing: int
    unexpected: int
    duplicates: int
    count_too_low: int
    count_too_high: int
    trending_wrong: int

    @property
    def lost(self) -> int:
        return self.missing + self.count_too_low

    @property
    def doubled(self) -> int:
        return self.unexpected + self.duplicates + self.count_too_high


def check_supports(setup: Setup, before: int, acknowledged: set[tuple[int, int]]) -> Integrity:
    """Compare the supports in the database with the ones the run was told were added."""
    from django.db import connection

    from sammen.calls.models import trending_score

    participants = [participant for _user, participant in setup.supporters]
    touched = {idea for _participant, idea in acknowledged}
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM calls_support")
        after = cursor.fetchone()[0]
        cursor.execute(
            "SELECT participant_id, idea_id FROM calls_support WHERE participant_id = ANY(%s)",
            [participants],
        )
        stored = Counter((int(p), int(i)) for p, i in cursor.fetchall())
        cursor.execute(
            "SELECT count(*) FROM (SELECT 1 FROM calls_support GROUP BY idea_id, participant_id"
            " HAVING count(*) > 1) AS twice"
        )
        duplicates = cursor.fetchone()[0]
        # Every idea, not only the touched ones: the seeded counts must hold too.
        cursor.execute(
            "SELECT i.id, i.support_count, i.trending, i.created_at, coalesce(s.rows, 0)"
            " FROM calls_idea i LEFT JOIN (SELECT idea_id, count(*) AS rows FROM calls_support"
            " GROUP BY idea_id) s ON s.idea_id = i.id WHERE i.call_id = %s",
            [setup.call_id],
        )
        too_low = too_high = trending_wrong = 0
        for idea_id, count, trending, created_at, rows in cursor.fetchall():
            too_low += max(0, rows - count)
            too_high += max(0, count - rows)
            if idea_id in touched and abs(trending - trending_score(rows, created_at)) > 1e-9:
                trending_wrong += 1
    return Integrity(
        expected=len(acknowledged),
        added=after - before,
        missing=len(acknowledged - set(stored)),
        unexpected=len(set(stored) - acknowledged),
        duplicates=duplicates,
        count_too_low=too_low,
        count_too_high=too_high,
        trending_wrong=trending_wrong,
    )


# --- pgbench --------------------------------------------------------------------------


def find_pgbench() -> str:
    found = shutil.which("pgbench")
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin/pgbench"), reverse=True):
        return str(candidate)
    raise BenchFailure("pgbench is not installed (it comes with the PostgreSQL server)")


def run_pgbench(args: argparse.Namespace) -> tuple[float, list[str]]:
    """Initialise pgbench's tables in their own database and run TPC-B-like transactions."""
    pgbench = find_pgbench()
    url = urlsplit(args.pg_url)
    connection = ["-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432)]
    connection += ["-U", url.username or "postgres"]
    recreate_database(args.pg_url, args.pgbench_database)
    initialise = [pgbench, "-i", "-q", "-s", str(args.pgbench_scale), *connection]
    run = [pgbench, "-c", str(args.clients), "-j", "2", "-T", str(args.seconds), *connection]
    environment = {**os.environ}
    if url.password:
        environment["PGPASSWORD"] = url.password
    subprocess.run(
        [*initialise, args.pgbench_database], check=True, capture_output=True, env=environment
    )
    log(f"  {shlex.join([*initialise, args.pgbench_database])}")
    result = subprocess.run(
        [*run, args.pgbench_database], check=True, capture_output=True, text=True, env=environment
    )
    log(f"  {shlex.join([*run, args.pgbench_database])}")
    drop_database(args.pg_url, args.pgbench_database)
    match = re.search(r"tps = ([\d.]+) \(without initial connection time\)", result.stdout)
    if match is None:
        raise BenchFailure(f"could not read pgbench's output:\n{result.stdout}")
    return float(match.group(1)), [
        shlex.join([*initialise, args.pgbench_database]),
        shlex.join([*run, args.pgbench_database]),
    ]


# --- The run --------------------------------------------------------------------------


@dataclass
class Outcome:
    reads: list[Phase] = field(default_factory=list)
    supports: Phase | None = None
    double_clicks: int = 0
    direct: Phase | None = None
    integrity: Integrity | None = None
    pgbench_tps: float = 0.0
    pgbench_commands: list[str] = field(default_factory=list)


def main() -> int:
    args = parse_args()
    command = shlex.join(sys.orig_argv)
    var_dir = Path(tempfile.mkdtemp(prefix="sammen-bench-"))
    environment = server_environment(args, var_dir, secrets.token_urlsafe(50))
    log(f"command: {command}")
    log(f"creating {args.database} and migrating it")
    recreate_database(args.pg_url, args.database)
    setup_django(environment)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    machine = machine_description(args.pg_url)
    setup_started = time.monotonic()
    setup = setup_call(args)
    log(
        f"space, call and {args.supporters:,} supporting members created by actions"
        f" in {time.monotonic() - setup_started:.0f} s"
    )
    log("seeding")
    seeded = seed(args, setup)
    log(f"seeded in {seeded.seconds:.0f} s: {seeded.rows}")
    cookies = make_sessions(setup.supporters)
    participants = [participant for _user, participant in setup.supporters]
    plans = SupportPlans(seeded, participants, random.Random(args.seed))
    members = [participants[i :: args.clients] for i in range(args.clients)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM calls_support")
        supports_before = cursor.fetchone()[0]

    outcome = Outcome()
    acknowledged: set[tuple[int, int]] = set()
    # The pool only in the server: this process forks for the direct supports, and a
    # pool's connections must not be shared with forked children.
    served = {**environment, "DATABASE_POOL_SIZE": str(args.pool_size)}
    server = Server(args, served, var_dir / "server.log")
    try:
        server.start()
        global METER
        pool = args.pool_size > 0  # without a pool, backends come and go with each request
        METER = lambda: (  # noqa: E731
            process_cpu(server_pids(server.process.pid)) if server.process else math.nan,
            process_cpu(database_pids(args.database)) if pool else math.nan,
        )
        log(f"serving on port {server.port}: {shlex.join(server.command)}")
        outcome.reads = measure_reads(args, server.port, setup, seeded)
        measure_supports(args, server.port, setup, seeded, cookies, plans, members, outcome)
        acknowledged.update(outcome.supports.pairs if outcome.supports else [])
        server.stop()
        direct = direct_supports(args, plans, members)
        if direct.failures:
            raise BenchFailure(f"do_support_idea: {direct.failures[0]}")
        outcome.direct = direct
        log(f"do_support_idea from {args.clients} processes: {direct.per_second:.1f}/s")
    except BenchFailure as failure:
        log(f"FAILED: {failure} (the server's output is in {server.log_path})")
        return 1
    finally:
        server.stop()
    shutil.rmtree(var_dir, ignore_errors=True)
    acknowledged.update(plans.acknowledged)
    acknowledged.update(outcome.direct.pairs)
    outcome.integrity = check_supports(setup, supports_before, acknowledged)
    log("pgbench")
    outcome.pgbench_tps, outcome.pgbench_commands = run_pgbench(args)
    if args.drop:
        drop_database(args.pg_url, args.database)
    report(args, command, machine, seeded, outcome)
    return 0


def measure_reads(args: argparse.Namespace, port: int, setup: Setup, seeded: Seeded) -> list[Phase]:
    """Measure each page alone, then with all clients asking for it at once."""
    prefix = f"/s/{setup.space_slug}/a/{setup.activity_slug}/ideas/"
    words = list(seeded.search_words)

    def visitor(index: int) -> dict[str, str]:
        # Each client is another visitor, so the random order differs between them.
        return {"User-Agent": f"sammen-bench/{index}", "Accept": "text/html"}

    def sorted_list(sort: str) -> Callable[[random.Random], str]:
        return lambda rng: f"{prefix}?sort={sort}"

    # What each phase asks for: a name, the path of the next request, what the page shows.
    endpoints: list[tuple[str, Callable[[random.Random], str], bytes | None]] = [
        (f"idea list, {sort}", sorted_list(sort), b"idea-card") for sort in SORTS
    ]
    endpoints += [
        (
            "idea list, newest, page 50",
            lambda rng: f"{prefix}?sort=newest&page=50",
            b"Page 50 of",
        ),
        (
            "idea list, search (random order)",
            lambda rng: f"{prefix}?q={quote(rng.choice(words))}",
            b"idea-card",
        ),
        (
            "idea page, any idea",
            lambda rng: f"{prefix}{rng.choice(seeded.visible_ids)}/",
            None,
        ),
        (
            f"idea page, busiest discussion ({seeded.busiest_comments:,} comments)",
            lambda rng: f"{prefix}{seeded.busiest_id}/",
            None,
        ),
    ]
    phases = []
    for name, path, must_contain in endpoints:
        rngs = [random.Random(args.seed * 1000 + i) for i in range(args.clients)]
        clients = [visits(path, visitor(i), must_contain, rngs[i]) for i in range(args.clients)]
        if args.warmup:
            run_phase(name, port, clients, args.warmup)
        # One client alone first: what a page costs when nobody waits in line for a core.
        alone = run_phase(name, port, clients[:1], args.alone_seconds)
        phase = run_phase(name, port, clients, args.seconds)
        failures = alone.failures + phase.failures
        if failures:
            raise BenchFailure(f"{name}: {failures[0]}")
        phase.alone_p50 = alone.percentile(50)
        phases.append(phase)
        log(
            f"{name}: alone p50 {phase.alone_p50:.0f} ms; {args.clients} clients:"
            f" {len(phase.latencies):,} requests, {phase.per_second:.1f}/s,"
            f" p50 {phase.percentile(50):.0f} ms, p95 {phase.percentile(95):.0f} ms"
        )
    return phases


def measure_supports(
    args: argparse.Namespace,
    port: int,
    setup: Setup,
    seeded: Seeded,
    cookies: dict[int, tuple[str, str]],
    plans: SupportPlans,
    members: list[list[int]],
    outcome: Outcome,
) -> None:
    """Support ideas as signed-in members clicking the button (htmx), then double-click."""
    prefix = f"/s/{setup.space_slug}/a/{setup.activity_slug}/ideas/"

    def support_request(pair: tuple[int, int]) -> Request:
        participant, idea = pair
        cookie, csrf = cookies[participant]
        return Request(
            "POST",
            f"{prefix}{idea}/support/",
            {
                "Cookie": cookie,
                "X-CSRFToken": csrf,
                "HX-Request": "true",
                "Content-Type": "application/x-www-form-urlencoded",
                "User-Agent": "sammen-bench/supporter",
            },
            body=b"support=1",
            must_contain=SUPPORTED_MARK,
            pair=pair,
        )

    # A member sees the button to support: the session cookie signs them in.
    probe = Client(port)
    first = setup.supporters[0][1]
    status, body = probe.send(
        Request("GET", f"{prefix}{seeded.hot_ids[0]}/", {"Cookie": cookies[first][0]})
    )
    probe.close()
    if status != 200 or b'aria-pressed="false"' not in body:
        raise BenchFailure("a signed-in supporter does not see the support button")

    rngs = [random.Random(args.seed + 7 * i) for i in range(len(members))]
    if args.warmup:
        warm = run_phase(
            "supports, warm-up",
            port,
            [plans.plan(members[i], support_request, rngs[i]) for i in range(len(members))],
            args.warmup,
        )
        if warm.failures:
            raise BenchFailure(f"supports: {warm.failures[0]}")
        plans.acknowledged.update(warm.pairs)
    support = run_phase(
        "supports",
        port,
        [plans.plan(members[i], support_request, rngs[i]) for i in range(len(members))],
        args.seconds,
    )
    if support.failures:
        raise BenchFailure(f"supports: {support.failures[0]}")
    plans.acknowledged.update(support.pairs)
    outcome.supports = support
    log(
        f"supports: {len(support.latencies):,} in {support.seconds:.1f} s,"
        f" {support.per_second:.1f}/s, p50 {support.percentile(50):.0f} ms,"
        f" p95 {support.percentile(95):.0f} ms"
    )

    # Double clicks: the same member's support sent twice at once must count once.
    rng = random.Random(args.seed + 1)
    participants = [participant for group in members for participant in group]
    pairs = [plans.pick(p, rng, hot_share=1.0) for p in rng.sample(participants, 160)]
    answered, failures = double_clicks(port, args.clients, pairs, support_request)
    if failures:
        raise BenchFailure(f"double clicks: {failures[0]}")
    plans.acknowledged.update(pairs)
    outcome.double_clicks = len(pairs)
    log(f"double clicks: {len(pairs)} supports sent twice at once, {answered} answers")


def load_average(values: tuple[float, float, float] | None = None) -> str:
    return " / ".join(f"{value:.1f}" for value in values or os.getloadavg())


def report(
    args: argparse.Namespace,
    command: str,
    machine: list[str],
    seeded: Seeded,
    outcome: Outcome,
) -> None:
    support, direct, integrity = outcome.supports, outcome.direct, outcome.integrity
    assert support is not None
    assert direct is not None
    assert integrity is not None
    tps = outcome.pgbench_tps
    ratio = support.per_second / tps if tps else 0.0
    lines = [
        "",
        "## Open call benchmark",
        "",
        f"Command: `{command}`",
        "",
        "Machine: " + "; ".join(machine),
        "",
        f"Data: {seeded.rows['calls_idea']:,} ideas, {seeded.rows['calls_support']:,} supports,"
        f" {seeded.rows['comments_comment']:,} comments, {seeded.rows['accounts_user']:,}"
        f" accounts; seeded in {seeded.seconds:.0f} s. Search words and their matches: "
        + ", ".join(f"{word} ({count:,})" for word, count in seeded.search_words.items()),
        "",
        f"Reads: anonymous visitors, {args.workers} uvicorn workers with"
        f" {args.pool_size or 'no'} pooled database connections each; each page"
        f" {args.alone_seconds:g} s with 1 client, then {args.seconds} s with"
        f" {args.clients} concurrent clients (after {args.warmup:g} s of warm-up).",
        "",
        "| Page | 1 client: p50 ms | Requests | Requests/s | p50 ms | p95 ms | p99 ms |"
        " p95 < 100 ms | server CPU ms/request | PostgreSQL CPU ms/request |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|",
    ]
    for phase in outcome.reads:
        p95 = phase.percentile(95)
        lines.append(
            f"| {phase.name} | {phase.alone_p50:.0f} | {len(phase.latencies):,} |"
            f" {phase.per_second:.1f} | {phase.percentile(50):.0f} | {p95:.0f} |"
            f" {phase.percentile(99):.0f} | {'met' if p95 < TARGET_P95_MS else 'MISSED'} |"
            f" {phase.cpu_per_request(phase.server_cpu):.1f} |"
            f" {phase.cpu_per_request(phase.database_cpu):.1f} |"
        )
    loaded = [*outcome.reads, support]
    client_share = sum(p.client_cpu for p in loaded) / sum(p.seconds for p in loaded)
    lines += [
        "",
        f"The load generator (this script, one process) used {client_share:.0%} of one core"
        f" of the {os.cpu_count()} during the {args.clients}-client phases. CPU per request:"
        " user and system time of the server's processes, and of PostgreSQL's backends on the"
        " benchmark's database, during the phase, divided by its requests. Load average"
        f" {load_average(LOAD_AT_START)} (1 / 5 / 15 minutes) before the run,"
        f" {load_average()} at the report (other work on the machine included).",
        "",
        f"Supports: {args.clients} concurrent clients signed in as {args.supporters:,} distinct"
        " members, posting the support button's htmx request; each member supports an idea at"
        " most once, half the supports go to the ten trending ideas.",
        "",
        "| Figure | Value |",
        "|---|---:|",
        f"| supports/s over HTTP | {support.per_second:.1f} |",
        f"| support p50 / p95 / p99 ms | {support.percentile(50):.0f} /"
        f" {support.percentile(95):.0f} / {support.percentile(99):.0f} |",
        f"| CPU ms per support: server / PostgreSQL |"
        f" {support.cpu_per_request(support.server_cpu):.1f} /"
        f" {support.cpu_per_request(support.database_cpu):.1f} |",
        f"| pgbench TPC-B-like tps (-c {args.clients} -j 2 -T {args.seconds},"
        f" scale {args.pgbench_scale}) | {tps:.1f} |",
        f"| **ratio supports/s ÷ pgbench tps** (target ≥ {TARGET_RATIO}) | **{ratio:.3f}**"
        f" ({'met' if ratio >= TARGET_RATIO else 'MISSED'}) |",
        f"| do_support_idea called directly from {args.clients} processes, supports/s"
        f" (no HTTP; for comparison) | {direct.per_second:.1f}"
        f" (ratio {direct.per_second / tps if tps else 0:.3f}) |",
        f"| supports acknowledged / rows added | {integrity.expected:,} / {integrity.added:,} |",
        f"| double clicks (one member's support sent twice at once) | {outcome.double_clicks} |",
        "",
        f"lost: {integrity.lost}, doubled: {integrity.doubled}"
        f" (missing rows {integrity.missing}, counts too low {integrity.count_too_low},"
        f" unexpected rows {integrity.unexpected}, duplicate rows {integrity.duplicates},"
        f" counts too high {integrity.count_too_high}, trending scores off"
        f" {integrity.trending_wrong})",
        "",
        "pgbench: " + "; ".join(f"`{line}`" for line in outcome.pgbench_commands),
        "",
        f"Whole run: {elapsed() / 60:.1f} minutes.",
    ]
    print("\n".join(lines), flush=True)


if __name__ == "__main__":
    sys.exit(main())
