"""A space's insights at scale: 1 million participants, 20 million contributions.

Builds (or reuses) a PostgreSQL database of its own, `sammen_bench_insights`: one space
with four conversations and two open calls, the crowd and their contributions written
by SQL (`generate_series`, no Python loop over rows): at `--scale 1`, 1,000,000
participants, 16,000,000 votes on 800 statements, 20,000 ideas (a tenth answered) and
4,000,000 supports, spread over a year so that people return. Then it counts the space
into the rollups (the task's work, `do_count_space`), and times the insights page, its
filters and exports in this process through Django's test client, beside a plain
`SELECT COUNT(*)` over the contributions tables. At scale 1 the database takes about
6 GB of disk; `--scale 0.01` builds in seconds.

    .venv/bin/python bench/insights.py --scale 0.01
    .venv/bin/python bench/insights.py --scale 1
    .venv/bin/python bench/insights.py --scale 1 --reuse-rollup   # the pages again
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from conversation_django import ensure_database, log, setup_django
from django_bench import bench_owner, print_heading
from harness import table_head, table_row

SPACE_SLUG = "bench-insights"
CONVERSATIONS, STATEMENTS, VOTES_EACH = 4, 200, 16
CALLS, IDEAS_PER_CALL_AT_1, SUPPORTS_EACH = 2, 10_000, 4
DAYS = 365


def marker(args: argparse.Namespace) -> str:
    return f"bench insights, scale {args.scale}"


def reserve(cursor: Any, table: str, count: int) -> int:
    """Reserve `count` ids of a table's sequence; return the first."""
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
    sequence = cursor.fetchone()[0]
    cursor.execute("SELECT nextval(%s)", [sequence])
    first = cursor.fetchone()[0]
    cursor.execute("SELECT setval(%s, %s)", [sequence, first + count])
    return int(first)


def build(args: argparse.Namespace) -> None:
    """Build the space by actions and its crowd and contributions by SQL."""
    from django.db import connection, transaction

    from sammen.activities.actions import MeasureInput, do_create_activity, do_update_brief
    from sammen.spaces.actions import do_create_space

    people = int(1_000_000 * args.scale)
    ideas_per_call = max(10, int(IDEAS_PER_CALL_AT_1 * args.scale))
    owner = bench_owner("insights-bench@example.org")
    started = time.perf_counter()
    with transaction.atomic():
        space = do_create_space(
            owner, name="Insights bench", slug=SPACE_SLUG, description=marker(args)
        )
        brief = {"goal": "Hear the city.", "business_challenge": "Few take part."}
        conversations = []
        for number in range(CONVERSATIONS):
            activity = do_create_activity(
                owner, space, title=f"Conversation {number + 1}", kind="conversation"
            )
            do_update_brief(
                owner,
                activity,
                texts=brief,
                measures=[
                    MeasureInput("People taking part", Decimal(int(100_000 * args.scale)), "people")
                ],
                self_check={},
            )
            conversations.append(activity.conversation.pk)
        calls = []
        for number in range(CALLS):
            activity = do_create_activity(
                owner, space, title=f"Open call {number + 1}", kind="call"
            )
            calls.append((activity.pk, activity.call.pk))
    with connection.cursor() as cursor:
        first_person = reserve(cursor, "accounts_participant", people)
        log(f"{people:,} participants")
        cursor.execute(
            "INSERT INTO accounts_participant (id, public_id, display_name, created_at) "
            "SELECT %s + n, gen_random_uuid(), '', now() - interval '400 days' "
            "FROM generate_series(0, %s - 1) AS n",
            [first_person, people],
        )
        first_statement = reserve(cursor, "conversations_statement", CONVERSATIONS * STATEMENTS)
        cursor.execute(
            "INSERT INTO conversations_statement (id, conversation_id, number, text, is_seed, "
            "is_meta, state, created_at, hidden_reason) "
            "SELECT %s + n, (%s::bigint[])[n / %s + 1], n %% %s + 1, 'Statement ' || n, true, "
            "false, 'shown', now() - interval '366 days', '' "
            "FROM generate_series(0, %s - 1) AS n",
            [first_statement, conversations, STATEMENTS, STATEMENTS, CONVERSATIONS * STATEMENTS],
        )
        # Each person has a home day in the year and comes back on later days.
        log(f"{people * VOTES_EACH:,} votes")
        cursor.execute(
            "INSERT INTO conversations_vote (conversation_id, statement_id, participant_id, "
            "value, created_at, updated_at) "
            "SELECT (%s::bigint[])[p %% %s + 1], "
            "%s + (p %% %s) * %s + (p * 7 + i) %% %s, %s + p, (p + i) %% 3 - 1, at, at "
            "FROM generate_series(0, %s - 1) AS p, generate_series(0, %s - 1) AS i, "
            "LATERAL (SELECT now() - make_interval(days => ((p * 7919) %% %s + i * 3) %% %s, "
            "secs => (p %% 3600)::double precision) AS at) AS moment",
            [
                conversations,
                CONVERSATIONS,
                first_statement,
                CONVERSATIONS,
                STATEMENTS,
                STATEMENTS,
                first_person,
                people,
                VOTES_EACH,
                DAYS,
                DAYS,
            ],
        )
        ideas = CALLS * ideas_per_call
        first_thread = reserve(cursor, "comments_thread", ideas)
        first_idea = reserve(cursor, "calls_idea", ideas)
        activity_ids = [activity for activity, _ in calls]
        call_ids = [call for _, call in calls]
        log(f"{ideas:,} ideas")
        cursor.execute(
            "INSERT INTO comments_thread (id, space_id, activity_id, created_at) "
            "SELECT %s + k, %s, (%s::bigint[])[k / %s + 1], now() - interval '300 days' "
            "FROM generate_series(0, %s - 1) AS k",
            [first_thread, space.pk, activity_ids, ideas_per_call, ideas],
        )
        cursor.execute(
            "INSERT INTO calls_idea (id, call_id, author_id, title, body, status, "
            "momentum_level, answer, answered_at, support_count, comment_count, trending, "
            "thread_id, created_at, updated_at, hidden_reason) "
            "SELECT %s + k, (%s::bigint[])[k / %s + 1], %s + (k * 50) %% %s, 'Idea ' || k, "
            "'An idea.', CASE WHEN k %% 10 = 0 THEN 'selected' ELSE 'published' END, 0, "
            "CASE WHEN k %% 10 = 0 THEN 'Yes.' ELSE '' END, "
            "CASE WHEN k %% 10 = 0 THEN made + make_interval(days => k %% 60) END, "
            "0, 0, 0, %s + k, made, made, '' "
            "FROM generate_series(0, %s - 1) AS k, "
            "LATERAL (SELECT now() - make_interval(days => 300 - k %% 200) AS made) AS moment",
            [first_idea, call_ids, ideas_per_call, first_person, people, first_thread, ideas],
        )
        log(f"{people * SUPPORTS_EACH:,} supports")
        cursor.execute(
            "INSERT INTO calls_support (idea_id, participant_id, created_at) "
            "SELECT %s + (p %% %s) * %s + (p * 31 + i * 7919) %% %s, %s + p, "
            "now() - make_interval(days => ((p * 7919) %% %s + 30 + i) %% %s) "
            "FROM generate_series(0, %s - 1) AS p, generate_series(0, %s - 1) AS i",
            [
                first_idea,
                CALLS,
                ideas_per_call,
                ideas_per_call,
                first_person,
                DAYS,
                DAYS,
                people,
                SUPPORTS_EACH,
            ],
        )
        log("analysing the tables")
        for table in ("accounts_participant", "conversations_vote", "calls_support", "calls_idea"):
            cursor.execute(f"ANALYZE {table}")
    log(f"built in {time.perf_counter() - started:.0f} s")


def median_ms(call: Any, repeat: int) -> tuple[float, float]:
    """Return the first time and the median of `repeat` more, in milliseconds."""
    start = time.perf_counter()
    call()
    first = (time.perf_counter() - start) * 1000
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return first, statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 1M people, 20M contributions")
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/sammen_bench_insights"
    )
    parser.add_argument("--rebuild", action="store_true", help="drop the database first")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--reuse-rollup", action="store_true", help="time the pages on the last count"
    )
    args = parser.parse_args()
    ensure_database(args)
    setup_django(args.database_url)

    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from sammen.activities.models import Activity
    from sammen.insights.models import Rollup
    from sammen.insights.rollup import do_count_space
    from sammen.spaces.models import Space

    space = Space.objects.filter(slug=SPACE_SLUG).first()
    if space is not None and space.description != marker(args):
        raise SystemExit(f"{SPACE_SLUG} holds other data ({space.description!r}): --rebuild")
    if space is None:
        build(args)
        space = Space.objects.get(slug=SPACE_SLUG)

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        database_bytes = cursor.fetchone()[0]
        cursor.execute(
            "SELECT (SELECT COUNT(*) FROM accounts_participant), "
            "(SELECT COUNT(*) FROM conversations_vote) + (SELECT COUNT(*) FROM calls_support) "
            "+ (SELECT COUNT(*) FROM calls_idea)"
        )
        participants, contributions = cursor.fetchone()

    started = time.perf_counter()
    rollup = Rollup.objects.filter(space=space, computed_at__isnull=False).first()
    if rollup is None or not args.reuse_rollup:
        log("counting the space into its rollups")
        rollup = do_count_space(space)
    rollup_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM insights_span WHERE space_id = %s", [space.pk])
        span_rows = cursor.fetchone()[0]
        cursor.execute("SELECT pg_total_relation_size('insights_span')")
        span_bytes = cursor.fetchone()[0]

    client = Client()
    client.force_login(bench_owner("insights-bench@example.org"))
    page = reverse("insights:space", args=[space.slug])
    one_activity = Activity.objects.filter(space=space, kind="call").first()
    assert one_activity is not None
    views = {
        "insights page, all time": (page, {}),
        "insights page, one quarter": (page, {"since": "2026-01-01", "until": "2026-03-31"}),
        "insights page, one open call": (page, {"activity": str(one_activity.pk)}),
        "insights page, one call and one quarter": (
            page,
            {"since": "2026-01-01", "until": "2026-03-31", "activity": str(one_activity.pk)},
        ),
        "CSV export, all time": (reverse("insights:csv", args=[space.slug]), {}),
        "JSON export, all time": (reverse("insights:json", args=[space.slug]), {}),
    }
    timings = {}
    for name, (url, query) in views.items():
        log(name)

        def get(url: str = url, query: dict[str, str] = query) -> None:
            response = client.get(url, query)
            assert response.status_code == 200, response.status_code

        timings[name] = median_ms(get, args.repeat)

    def count_all() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT (SELECT COUNT(*) FROM conversations_vote) "
                "+ (SELECT COUNT(*) FROM calls_support) + (SELECT COUNT(*) FROM calls_idea)"
            )
            cursor.fetchone()

    def count_votes() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM conversations_vote")
            cursor.fetchone()

    timings["floor: SELECT COUNT(*) FROM conversations_vote"] = median_ms(count_votes, args.repeat)
    timings["floor: COUNT(*) of votes, supports and ideas"] = median_ms(count_all, args.repeat)

    print_heading(
        "bench/insights.py",
        f"{participants:,} participants, {contributions:,} contributions in one space "
        f"(database {database_bytes / 1e9:.1f} GB)",
    )
    print(
        f"rollup (`do_count_space`, the task's work): {rollup_seconds:.1f} s here, "
        f"{rollup.seconds:.1f} s inside at its last count, {span_rows:,} span rows "
        f"({span_bytes / 1e6:.0f} MB with indexes)"
    )
    print()
    print("\n".join(table_head(["what", "first ms", "median ms"], "lrr")))
    for name, (first, median) in timings.items():
        print(table_row([name, f"{first:.0f}", f"{median:.0f}"]))


if __name__ == "__main__":
    main()
