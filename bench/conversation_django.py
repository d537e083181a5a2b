"""Benchmark a conversation at 33k participants through Django, beside the analysis alone.

`bench/opinion_map.py` times the analysis (`analysis.analyse`) on arrays. This script
times what wraps it in the product, on PostgreSQL, with the same synthetic votes
(33,000 participants x 800 statements, 2,000,000 votes, 3 planted groups, from
`opinion_map.planted_votes`):

- the background recompute (`tasks.recompute_opinion_map`): read the votes, analyse,
  summarise, store the StoredMap and the statements' priorities; from nothing, and
  warm-started after 1,000 new votes (half by existing participants, half by 100
  newcomers; written and recomputed in one transaction that is rolled back, so the
  database stays as built);
- the organiser's report page, and the three exports (statements CSV, report JSON,
  the Pol.is zip), each through Django's test client signed in as the organiser;
- the analysis alone on the same vote table, in the same run: every step's time is
  also given as a ratio to it, so the Django overhead shows whatever the machine.

Each measurement runs in its own child process after a small warm-up. "CPU here" is
that process's CPU time (not PostgreSQL's), which other work on a shared machine
disturbs less than the wall time. "peak memory" is the child's peak resident memory
during the call (VmHWM, reset just before it), "added" that peak minus its resident
memory just before; memory the process freed earlier but kept is reused unseen.

The data is built once into its own database and reused while its marker matches
(the sizes, the seed and the layout version); `--rebuild` builds it again:

    .venv/bin/python bench/conversation_django.py    # builds if needed, then measures

The script creates the database if it is missing (the role must be allowed to) and
migrates it (`sammen migrate`). Run from the repository root.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from harness import (  # noqa: E402 (the path above first)
    command_line,
    json_from_child,
    load_average,
    peak_memory_mb,
    reset_peak_memory,
    resident_mb,
    table_head,
    table_row,
)
from opinion_map import machine, planted_votes  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/sammen_bench_conv"
PARTICIPANTS, STATEMENTS, VOTES, GROUPS, SEED = 33_000, 800, 2_000_000, 3, 2026
SEEDS = 20  # statements the organiser wrote; the others come from participants
HIDDEN, META = 6, 4  # statements moderated out, and about the process
NEW_VOTES = 1_000
DAYS = 30
LAYOUT = 1  # bump when the way the data is built changes
SPACE_SLUG = "bench-conversation"
TITLE = "The harbour at 33k"
TOPICS = ["ferries", "trees", "quay", "market", "museum", "boats"]
OWNER_EMAIL = "olivia-bench-conversation@example.org"

STEPS = (
    "analysis",
    "recompute",
    "report",
    "report-statements",
    "export-csv",
    "export-json",
    "export-polis",
    "analysis-incremental",
    "recompute-incremental",
)
LABELS = {
    "analysis": "analysis alone (`analyse` on the table)",
    "recompute": "recompute task, from nothing",
    "report": "report page (organiser)",
    "report-statements": "report page, statements on the map",
    "export-csv": "statements CSV",
    "export-json": "report JSON",
    "export-polis": "Pol.is zip",
    "analysis-incremental": "analysis alone, warm, after 1,000 votes",
    "recompute-incremental": "recompute task, after 1,000 votes",
}


def marker(args: argparse.Namespace) -> str:
    return (
        f"bench:conversation_django layout {LAYOUT}: {args.participants}x{STATEMENTS}"
        f"x{args.votes} groups {GROUPS} seed {SEED}"
    )


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "sammen.settings"
    os.environ.pop("DEBUG", None)
    os.environ.setdefault("SECRET_KEY", "bench-conversation-django")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.conf import settings

    # Production serves collected, hashed static files; this process has none collected,
    # and finding a file's name is not what is measured here.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


# --- Building the data ---------------------------------------------------------------


def ensure_database(args: argparse.Namespace) -> None:
    """Create and migrate the database if needed."""
    import psycopg

    name = args.database_url.rsplit("/", 1)[1]
    admin = args.database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if args.rebuild and exists:
            log(f"dropping {name}")
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            log(f"creating {name}")
            connection.execute(f'CREATE DATABASE "{name}"')
    environment = {**os.environ, "DATABASE_URL": args.database_url}
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "sammen"), "migrate", "--verbosity", "0"],
        env=environment,
        check=True,
        cwd=ROOT,
    )


def find_conversation(args: argparse.Namespace) -> int | None:
    """Return the built conversation's id if its marker matches, else None."""
    from sammen.conversations.models import Conversation

    found = Conversation.objects.filter(activity__space__slug=SPACE_SLUG).first()
    if found is None:
        return None
    if found.description != marker(args):
        raise SystemExit(
            f"{SPACE_SLUG} holds other data ({found.description!r}): run with --rebuild"
        )
    return found.pk


def build(args: argparse.Namespace) -> int:
    """Build the conversation: organiser, space and seeds by actions, the rest by COPY."""
    import psycopg
    from django.db import connection

    from sammen.accounts.models import User
    from sammen.testing import make_space
    from sammen.testing.conversations import make_conversation

    started = time.monotonic()
    data = planted_votes(args.participants, STATEMENTS, args.votes, GROUPS, SEED)
    rng = np.random.default_rng(SEED + 1)
    owner = User.objects.filter(email=OWNER_EMAIL).first()
    if owner is None:
        from sammen.accounts.actions import do_create_account

        owner = do_create_account(OWNER_EMAIL, "bench-password", "Olivia")
    space = make_space(owner, "Bench conversation", slug=SPACE_SLUG)
    conversation = make_conversation(
        space,
        owner,
        TITLE,
        seeds=[f"Seed statement {n}: the harbour should {n} more." for n in range(1, SEEDS + 1)],
        report_public=False,
        moderation="after",
    )
    log(f"  conversation {conversation.pk} by actions")
    now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    start = np.datetime64(now - timedelta(days=DAYS), "s")
    participants = args.participants
    with psycopg.connect(args.database_url, autocommit=True) as pg:

        def reserve(table: str, count: int) -> np.ndarray:
            rows = pg.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            ).fetchall()
            return np.array([row[0] for row in rows], dtype=np.int64)

        def copy(table: str, columns: str, lines: Iterator[str]) -> None:
            with (
                pg.transaction(),
                pg.cursor() as cursor,
                cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as stream,
            ):
                for chunk in lines:
                    stream.write(chunk)

        def chunks(rows: Iterator[str], size: int = 50_000) -> Iterator[str]:
            batch: list[str] = []
            for row in rows:
                batch.append(row)
                if len(batch) >= size:
                    yield "".join(batch)
                    batch = []
            if batch:
                yield "".join(batch)

        # Participants arrive over DAYS days; each votes in one sitting after arriving.
        joined = start + (rng.random(participants) * DAYS * 86400).astype("timedelta64[s]")
        participant_ids = reserve("accounts_participant", participants)
        public_ids = rng.bytes(16 * participants)
        copy(
            "accounts_participant",
            "id, public_id, display_name, created_at",
            chunks(
                f"{pid}\t{public_ids[16 * i : 16 * i + 16].hex()}\t\t{moment}+00\n"
                for i, (pid, moment) in enumerate(
                    zip(participant_ids.tolist(), joined.astype(str).tolist(), strict=True)
                )
            ),
        )
        copy(
            "conversations_voter",
            "conversation_id, participant_id, number, joined_at",
            chunks(
                f"{conversation.pk}\t{pid}\t{number}\t{moment}+00\n"
                for number, (pid, moment) in enumerate(
                    zip(participant_ids.tolist(), joined.astype(str).tolist(), strict=True)
                )
            ),
        )
        log(f"  {participants:,} participants and voters")

        # Statements from participants, numbered after the seeds, over the DAYS days.
        others = STATEMENTS - SEEDS
        authors = rng.choice(participant_ids, size=others)
        created = np.sort(start + (rng.random(others) * DAYS * 86400).astype("timedelta64[s]"))
        states = ["shown"] * others
        meta = [False] * others
        for index in rng.choice(others, size=HIDDEN + META, replace=False).tolist()[:HIDDEN]:
            states[index] = "hidden"
        for index in [i for i in range(others) if states[i] == "shown"][:: others // META][:META]:
            meta[index] = True
        reviewed = rng.random(others) < 0.5
        copy(
            "conversations_statement",
            "conversation_id, number, text, author_id, is_seed, is_meta, state, priority,"
            " created_at, reviewed_at, reviewed_by_id, hidden_reason",
            chunks(
                f"{conversation.pk}\t{SEEDS + 1 + i}\tStatement {SEEDS + 1 + i}: "
                f"{TOPICS[i % len(TOPICS)]} matter\t"
                f"{authors[i]}\tf\t{'t' if meta[i] else 'f'}\t{states[i]}\t\\N\t"
                f"{created[i]}+00\t"
                + (
                    f"{created[i]}+00\t{owner.pk}\t"
                    if reviewed[i] or states[i] == "hidden"
                    else "\\N\t\\N\t"
                )
                + ("Off topic\n" if states[i] == "hidden" else "\n")
                for i in range(others)
            ),
        )
        statement_pk = np.array(
            [
                row[0]
                for row in pg.execute(
                    "SELECT id FROM conversations_statement WHERE conversation_id = %s"
                    " ORDER BY number",
                    [conversation.pk],
                ).fetchall()
            ],
            dtype=np.int64,
        )
        assert len(statement_pk) == STATEMENTS
        log(f"  {STATEMENTS} statements ({SEEDS} seeds, {HIDDEN} hidden, {META} meta)")

        # Votes in the order they arrived: each participant's in one sitting, a few
        # seconds apart, starting when they joined.
        rows, cols, values = data["participants"], data["statements"], data["votes"]
        first = np.searchsorted(rows, np.arange(participants))
        rank = np.arange(len(rows)) - first[rows]
        when = joined[rows] + (rank * 7 + rng.integers(0, 5, len(rows))).astype("timedelta64[s]")
        order = np.argsort(when, kind="stable")
        pids = participant_ids[rows[order]].tolist()
        sids = statement_pk[cols[order]].tolist()
        vals = values[order].tolist()
        times = when[order].astype(str).tolist()
        del order, when, rank
        copy(
            "conversations_vote",
            "conversation_id, statement_id, participant_id, value, created_at, updated_at",
            chunks(
                f"{conversation.pk}\t{s}\t{p}\t{v}\t{t}+00\t{t}+00\n"
                for p, s, v, t in zip(pids, sids, vals, times, strict=True)
            ),
        )
        log(f"  {len(vals):,} votes ({time.monotonic() - started:.0f} s)")
        pg.execute("VACUUM ANALYZE")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE conversations_conversation SET description = %s WHERE activity_id = %s",
            [marker(args), conversation.pk],
        )
    log(f"built in {time.monotonic() - started:.0f} s")
    return conversation.pk


# --- The measurements (each in a child) ----------------------------------------------


def warm_up() -> None:
    from sammen.conversations.analysis import VoteTable, analyse

    votes = planted_votes(300, 30, 6_000, 3, seed=1)
    analyse(VoteTable.from_votes(votes["participants"], votes["statements"], votes["votes"]))


def timed(call: Callable[[], Any]) -> dict[str, Any]:
    """Time one call; return seconds, memory and the queries it made."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    before = resident_mb()
    reset_peak_memory()
    with CaptureQueriesContext(connection) as queries:
        started, cpu_started = time.perf_counter(), time.process_time()
        result = call()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak = peak_memory_mb()
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "peak_mb": peak,
        "added_mb": max(0.0, peak - before),
        "queries": len(queries),
        "result": result,
    }


def add_new_votes(conversation_id: int, count: int, seed: int = 7) -> None:
    """Write `count` more votes, as with_new_votes does: half by existing participants
    (new votes or changed ones), half by 100 newcomers."""
    from sammen.accounts.models import Participant
    from sammen.conversations.models import Statement, Vote, Voter

    rng = np.random.default_rng(seed)
    now = datetime.now(UTC)
    voters = list(
        Voter.objects.filter(conversation_id=conversation_id)
        .order_by("number")
        .values_list("participant_id", "number")
    )
    statements = list(
        Statement.objects.filter(conversation_id=conversation_id)
        .order_by("number")
        .values_list("pk", flat=True)
    )
    newcomers = Participant.objects.bulk_create(Participant() for _ in range(100))
    last = voters[-1][1]
    Voter.objects.bulk_create(
        Voter(
            conversation_id=conversation_id,
            participant=participant,
            number=last + 1 + index,
            joined_at=now,
        )
        for index, participant in enumerate(newcomers)
    )
    who = [voters[i][0] for i in rng.integers(len(voters), size=count // 2).tolist()] + [
        newcomers[i].pk for i in rng.integers(100, size=count - count // 2).tolist()
    ]
    what = [statements[i] for i in rng.integers(len(statements), size=count).tolist()]
    values = rng.choice([-1, 0, 1], size=count).tolist()
    latest = {(p, s): v for p, s, v in zip(who, what, values, strict=True)}
    Vote.objects.bulk_create(
        [
            Vote(
                conversation_id=conversation_id,
                participant_id=p,
                statement_id=s,
                value=v,
                created_at=now,
                updated_at=now,
            )
            for (p, s), v in latest.items()
        ],
        update_conflicts=True,
        unique_fields=["statement", "participant"],
        update_fields=["value", "updated_at"],
    )


def run_step(step: str, conversation_id: int, save: Path | None) -> dict[str, Any]:
    from django.db import transaction
    from django.test import Client
    from django.urls import reverse

    from sammen.accounts.models import User
    from sammen.conversations import analysis, maps
    from sammen.conversations.models import Conversation, StoredMap
    from sammen.conversations.tasks import recompute_opinion_map

    warm_up()
    conversation = Conversation.objects.select_related("activity__space").get(pk=conversation_id)
    activity = conversation.activity

    if step == "analysis":
        votes = maps.load_votes(conversation)
        figures = timed(lambda: analysis.analyse(votes.table, excluded_statements=votes.excluded))
        opinion_map = figures.pop("result")
        return figures | {
            "detail": f"{len(opinion_map.groups)} groups, {votes.table.vote_count:,} votes"
        }

    if step == "recompute":
        StoredMap.objects.filter(pk=conversation_id).delete()
        figures = timed(lambda: recompute_opinion_map.call(conversation_id))
        figures.pop("result")
        stored = StoredMap.objects.get(pk=conversation_id)
        return figures | {
            "detail": f"{len(stored.summary['groups'])} groups, analysis {stored.seconds:.2f} s"
            " inside"
        }

    if step in ("analysis-incremental", "recompute-incremental"):
        stored = StoredMap.objects.get(pk=conversation_id)
        previous = maps.previous_state(stored)
        with transaction.atomic():
            add_new_votes(conversation_id, NEW_VOTES)
            if step == "analysis-incremental":
                votes = maps.load_votes(conversation)
                figures = timed(
                    lambda: analysis.analyse(
                        votes.table, excluded_statements=votes.excluded, previous=previous
                    )
                )
                detail = f"{len(figures.pop('result').groups)} groups"
            else:
                del previous
                figures = timed(lambda: recompute_opinion_map.call(conversation_id))
                figures.pop("result")
                after = StoredMap.objects.get(pk=conversation_id)
                detail = f"{len(after.summary['groups'])} groups, analysis {after.seconds:.2f} s"
            transaction.set_rollback(True)  # the database stays as built
        return figures | {"detail": detail + "; rolled back"}

    client = Client()
    client.force_login(User.objects.get(email=OWNER_EMAIL))
    name, query = {
        "report": ("report", ""),
        "report-statements": ("report", "?statements=on"),
        "export-csv": ("export_csv", ""),
        "export-json": ("export_json", ""),
        "export-polis": ("export_polis", ""),
    }[step]
    url = reverse(f"conversations:{name}", args=[activity.space.slug, activity.slug]) + query
    client.get(reverse("conversations:report", args=[activity.space.slug, activity.slug]))
    figures = timed(lambda: client.get(url))
    response = figures.pop("result")
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    content = response.content
    if save is not None:
        save.mkdir(parents=True, exist_ok=True)
        (save / f"{step}.out").write_bytes(content)
    return figures | {"detail": f"{len(content) / 2**20:.1f} MB"}


def child(step: str, args: argparse.Namespace, conversation_id: int) -> dict[str, Any]:
    command = [
        sys.executable,
        __file__,
        "--child",
        step,
        "--conversation",
        str(conversation_id),
        "--database-url",
        args.database_url,
    ]
    if args.save:
        command += ["--save", str(args.save)]
    figures: dict[str, Any] = json_from_child(command)
    return figures


def table(results: dict[str, dict[str, Any]]) -> str:
    columns = [
        "step",
        "time",
        "× analysis alone",
        "CPU here",
        "peak memory",
        "added",
        "queries",
        "",
    ]
    lines = table_head(columns, "lrrrrrrl")
    for step, figures in results.items():
        if "error" in figures:
            lines.append(table_row([LABELS[step], f"failed: {figures['error']}", *[""] * 6]))
            continue
        peer = results.get("analysis-incremental" if "incremental" in step else "analysis", {})
        ratio = f"{figures['seconds'] / peer['seconds']:.1f}" if "seconds" in peer else ""
        lines.append(
            table_row(
                [
                    LABELS[step],
                    f"{figures['seconds']:.2f} s",
                    ratio,
                    f"{figures['cpu_seconds']:.2f} s",
                    f"{figures['peak_mb']:,.0f} MB",
                    f"{figures['added_mb']:,.0f} MB",
                    figures["queries"],
                    figures["detail"],
                ]
            )
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--steps", default=",".join(STEPS))
    parser.add_argument("--rebuild", action="store_true", help="drop and build the data again")
    parser.add_argument("--participants", type=int, default=PARTICIPANTS, help=argparse.SUPPRESS)
    parser.add_argument("--votes", type=int, default=VOTES, help=argparse.SUPPRESS)
    parser.add_argument("--save", type=Path, help="write each response's body into this folder")
    parser.add_argument("--child", choices=STEPS, help=argparse.SUPPRESS)
    parser.add_argument("--conversation", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        setup_django(args.database_url)
        figures = run_step(args.child, args.conversation, args.save)
        print(json.dumps(figures))
        return 0

    steps = [step.strip() for step in args.steps.split(",") if step.strip()]
    unknown = set(steps) - set(STEPS)
    if unknown:
        parser.error(f"unknown step(s): {', '.join(sorted(unknown))}")
    started = time.monotonic()
    ensure_database(args)
    setup_django(args.database_url)
    conversation_id = find_conversation(args)
    if conversation_id is None:
        log(f"building {marker(args)} ...")
        conversation_id = build(args)
    else:
        log(f"reusing conversation {conversation_id} ({marker(args)})")
    from django.db import connection

    connection.close()

    print(f"$ {command_line()}")
    print(f"Machine: {machine()}")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    connection.close()
    print(f"PostgreSQL {version}; {marker(args)}\n")
    results: dict[str, dict[str, Any]] = {}
    for step in steps:
        log(f"  {step} ...")
        results[step] = child(step, args, conversation_id)
        log(f"    {results[step]}")
    print(table(results))
    load = load_average(separator=", ")
    print(f"\nWhole run: {(time.monotonic() - started) / 60:.1f} minutes; load average {load}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
