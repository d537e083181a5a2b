"""Benchmark a journey at 100,000 customers x 30 touchpoints (3 million ratings), PostgreSQL.

Issue 11's targets, side by side with their floors in one run:

- the organiser's figures page under 1 s: its first view after new ratings (the
  figures aggregated in the database, then the analysis) and a view with none (the
  figures cached under the journey's version), beside the floor of one plain
  `GROUP BY touchpoint, score` over the ratings;
- a rating saved with p95 under 100 ms with 16 clients at once (`do_rate`: the
  participant's place in the wave, the rating's insert or update, the version bump),
  beside a plain `INSERT` loop of the same rows on the same 16 connections.

The data is built once into its own database (actions for the organiser's part, COPY
for the customers, their places and their ratings) and reused while its marker
matches; `--rebuild` builds it again. Run from the repository root:

    .venv/bin/python bench/journeys.py
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from conversation_django import ensure_database, log, setup_django  # noqa: E402
from django_bench import (  # noqa: E402
    Bulk,
    bench_owner,
    print_heading,
    print_rates,
    run_clients,
    timed,
)
from harness import table_head, table_row  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/sammen_bench_journeys"
PARTICIPANTS, TOUCHPOINTS, STAGES, SEED = 100_000, 30, 6, 2026
LAYOUT = 1  # bump when the way the data is built changes
SPACE_SLUG = "bench-journey"
OWNER_EMAIL = "olivia-bench-journey@example.org"
SKIPPED = 0.08
WORDS = 12
NULL = "\\N"  # COPY's null


def marker(args: argparse.Namespace) -> str:
    return f"bench:journeys layout {LAYOUT}: {args.participants}x{TOUCHPOINTS} seed {SEED}"


def find_journey(args: argparse.Namespace) -> Any:
    from sammen.journeys.models import Journey

    found = Journey.objects.filter(activity__space__slug=SPACE_SLUG).first()
    if found is None:
        return None
    if found.description != marker(args):
        raise SystemExit(f"{SPACE_SLUG} holds other data: run with --rebuild")
    return found


def build(args: argparse.Namespace) -> Any:
    """The organiser's part by actions, the customers and their ratings by COPY."""
    import psycopg

    from sammen.journeys.actions import do_update_journey
    from sammen.journeys.models import Rating, Respondent, Segment, Touchpoint, Wave
    from sammen.testing import make_space
    from sammen.testing.journeys import make_journey

    started = time.monotonic()
    owner = bench_owner(OWNER_EMAIL)
    space = make_space(owner, "Bench journey", slug=SPACE_SLUG)
    stages = [
        (
            f"Stage {stage + 1}",
            [
                (f"Touchpoint {stage * 5 + n + 1}", "in_person", "staff", "medium")
                for n in range(TOUCHPOINTS // STAGES)
            ],
        )
        for stage in range(STAGES)
    ]
    journey = make_journey(
        space,
        owner,
        "The journey at 3 million ratings",
        stages=stages,
        ask_recommendation=True,
        segment_question="First time?",
        segments=["Yes", "No"],
    )
    do_update_journey(
        owner,
        journey,
        description=marker(args),
        audience="anyone",
        scale=7,
        proposals_allowed=True,
        ask_recommendation=True,
        segment_question="First time?",
        segments=["Yes", "No"],
    )
    touchpoints = list(Touchpoint.objects.filter(journey=journey).values_list("pk", flat=True))
    wave = Wave.objects.get(journey=journey)
    segments = list(Segment.objects.filter(journey=journey).values_list("pk", flat=True))
    rng = np.random.default_rng(SEED)
    means = rng.uniform(2.5, 6.0, size=len(touchpoints))
    n = args.participants
    now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    with psycopg.connect(args.database_url, autocommit=True) as pg:
        bulk = Bulk(pg)
        moment = f"{now - timedelta(days=3)}+00"
        participants = bulk.participants(rng.bytes(16 * n), moment)
        respondents = bulk.reserve(Respondent._meta.db_table, n)
        recommendations = rng.integers(0, 11, size=n).tolist()
        segment_of = rng.integers(0, len(segments), size=n).tolist()
        bulk.copy(
            Respondent._meta.db_table,
            "id, wave_id, journey_id, participant_id, segment_id, recommendation, started_at, "
            "updated_at",
            (
                f"{rid}\t{wave.pk}\t{journey.pk}\t{pid}\t{segments[segment_of[i]]}\t"
                f"{recommendations[i]}\t{moment}\t{moment}\n"
                for i, (rid, pid) in enumerate(zip(respondents, participants, strict=True))
            ),
        )
        log(f"  {n:,} participants and respondents")
        for index, touchpoint in enumerate(touchpoints):
            scores = np.clip(np.rint(rng.normal(means[index], 1.3, size=n)), 1, 7).astype(int)
            skipped = rng.random(n) < SKIPPED
            words = np.where(rng.random(n) < 0.4, rng.integers(1, 1 << WORDS, size=n), 0)
            preferences = rng.choice(["", "person", "machine", "none"], size=n)
            bulk.copy(
                Rating._meta.db_table,
                "journey_id, wave_id, touchpoint_id, respondent_id, participant_id, score, "
                "words, preference, comment, comment_hidden_reason, created_at, updated_at",
                (
                    f"{journey.pk}\t{wave.pk}\t{touchpoint}\t{rid}\t{pid}\t"
                    f"{NULL if skip else score}\t{0 if skip else word}\t"
                    f"{'' if skip else preference}\t\t\t{moment}\t{moment}\n"
                    for rid, pid, score, skip, word, preference in zip(
                        respondents,
                        participants,
                        scores.tolist(),
                        skipped.tolist(),
                        words.tolist(),
                        preferences.tolist(),
                        strict=True,
                    )
                ),
            )
            log(f"  touchpoint {index + 1}/{len(touchpoints)}")
        pg.execute(f"ANALYZE {Rating._meta.db_table}")
        pg.execute(f"ANALYZE {Respondent._meta.db_table}")
    log(f"built in {time.monotonic() - started:.0f} s")
    journey.refresh_from_db()
    return journey


# --- Measuring ------------------------------------------------------------------------


def figures_page(journey: Any, repeat: int) -> dict[str, list[float]]:
    from django.db import connection
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from sammen.journeys.models import Journey, Rating

    owner = journey.activity.created_by
    client = Client()
    client.force_login(owner)
    activity = journey.activity
    try:
        url = reverse("journeys:figures", args=[activity.space.slug, activity.slug])
    except NoReverseMatch:
        url = ""

    def floor() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT touchpoint_id, score, COUNT(*) FROM {Rating._meta.db_table} "  # noqa: S608
                "WHERE journey_id = %s GROUP BY touchpoint_id, score",
                [journey.pk],
            )
            cursor.fetchall()

    def fresh() -> None:
        Journey.objects.filter(pk=journey.pk).update(figures_version=time.time_ns() % 2**31)
        page()

    def page() -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")

    results = {"floor: GROUP BY touchpoint, score": timed(floor, repeat)}
    if url:
        page()  # warm up: templates, first connection
        results["figures page, new ratings (uncached)"] = timed(fresh, repeat)
        results["figures page, no new rating (cached)"] = timed(page, repeat)
    return results


def writes(journey: Any, clients: int, per_client: int) -> dict[str, list[float]]:
    """Each client is a new customer rating the journey's touchpoints in turn."""
    from django.db import connection

    from sammen.accounts.actions import do_create_anonymous_participant
    from sammen.journeys.actions import do_rate
    from sammen.journeys.actions.rating import respondent_in
    from sammen.journeys.models import Rating, Touchpoint, Wave

    journey.activity.refresh_from_db()
    touchpoints = list(Touchpoint.objects.filter(journey=journey))
    for touchpoint in touchpoints:
        touchpoint.journey = journey
    wave = Wave.objects.get(journey=journey, closed_at__isnull=True)
    table = Rating._meta.db_table

    def customer(kind: str, number: int) -> list[float]:
        rng = np.random.default_rng(SEED + number)
        times: list[float] = []
        while len(times) < per_client:
            participant = do_create_anonymous_participant()
            respondent = respondent_in(wave, participant) if kind != "do_rate" else None
            for touchpoint in touchpoints[: per_client - len(times)]:
                score = int(rng.integers(1, 8))
                start = time.perf_counter()
                if kind == "do_rate":
                    do_rate(journey, participant, touchpoint, score=score, words=["helped"])
                else:
                    assert respondent is not None
                    with connection.cursor() as cursor:
                        cursor.execute(
                            f"INSERT INTO {table} (journey_id, wave_id, touchpoint_id, "  # noqa: S608
                            "respondent_id, participant_id, score, words, preference, "
                            "comment, comment_hidden_reason, created_at, updated_at) "
                            "VALUES (%s, %s, %s, %s, %s, %s, %s, '', '', '', now(), now())",
                            [
                                journey.pk,
                                wave.pk,
                                touchpoint.pk,
                                respondent.pk,
                                participant.pk,
                                score,
                                1,
                            ],
                        )
                times.append(time.perf_counter() - start)
        return times

    return run_clients(clients, customer, ("floor: plain INSERT", "do_rate"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--participants", type=int, default=PARTICIPANTS)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--ratings-per-client", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    ensure_database(args)
    setup_django(args.database_url)
    from django.conf import settings

    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
    journey = find_journey(args)
    if journey is None:
        log("building the journey")
        journey = build(args)
    from sammen.journeys.models import Rating

    count = Rating.objects.filter(journey=journey, score__isnull=False).count()
    page = figures_page(journey, args.repeat)
    saved = writes(journey, args.clients, args.ratings_per_client)
    print_heading(
        "bench/journeys.py",
        f"{args.participants:,} customers x {TOUCHPOINTS} touchpoints, {count:,} ratings",
    )
    print("\n".join(table_head(["figures", "median ms", "max ms", "target"], "lrrl")))
    for name, times in page.items():
        target = "< 1000 ms" if "page" in name else "floor"
        print(
            table_row(
                [name, f"{statistics.median(times) * 1000:.0f}", f"{max(times) * 1000:.0f}", target]
            )
        )
    print()
    print_rates(
        "rating saved, 16 clients",
        saved,
        ("floor: plain INSERT", "do_rate"),
        count="ratings",
        target_title="target",
        target="p95 < 100 ms",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
