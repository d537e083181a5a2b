"""Benchmark a meeting of 5,000 attendees and 40 sessions on PostgreSQL.

Issue 12's figures, side by side with their floors in one run:

- a registration with 16 clients at once (`do_register`: the meeting's row lock, the
  places counted under it, the row), median and p95, beside a plain `INSERT` of the same
  rows on the same 16 connections, without a lock;
- check-ins per second at the door (`do_check_in`: the conditional update and its audit
  entry) from `--door-clients` phones at once, beside a plain `UPDATE` of the same rows;
- the return report: the page through Django's test client (nothing is cached: each
  view counts anew), `return_figures()` alone (the database's counts and the analysis),
  and the floor of one `GROUP BY session, score` over the ratings.

The data is built once into its own database (actions for the planner's part, COPY for
the attendees and everything they answered) and reused while its marker matches;
`--rebuild` builds it again. Each size has its own space, so a small and a full run
live side by side. The rows a run writes are deleted after it. Run from the repository
root:

    .venv/bin/python bench/meetings.py                    # 5,000 attendees
    .venv/bin/python bench/meetings.py --attendees 500    # a quick one
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
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

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/sammen_bench_meetings"
ATTENDEES, SESSIONS, ROOMS, SEED = 5_000, 40, 4, 2026
LAYOUT = 1  # bump when the way the data is built changes
CAPACITY = 20_000  # places are counted under the lock, as at any meeting with a limit
OWNER_EMAIL = "olivia-bench-meeting@example.org"
NO_SHOWS = 0.1
RATED_SESSIONS = 8  # each attendee rates this many of the sessions they went to
RUN_PREFIX = "bench-run"  # the names of the registrations a run adds, deleted after it
NULL = "\\N"  # COPY's null


def space_slug(args: argparse.Namespace) -> str:
    return f"bench-meeting-{args.attendees}"


def marker(args: argparse.Namespace) -> str:
    return f"bench:meetings layout {LAYOUT}: {args.attendees}x{SESSIONS} seed {SEED}"


def find_meeting(args: argparse.Namespace) -> Any:
    from sammen.meetings.models import Meeting

    found = Meeting.objects.filter(activity__space__slug=space_slug(args)).first()
    if found is None:
        return None
    if found.description != marker(args):
        raise SystemExit(f"{space_slug(args)} holds other data: run with --rebuild")
    return found


def drop_space(args: argparse.Namespace) -> None:
    from sammen.spaces.models import Space

    Space.objects.filter(slug=space_slug(args)).delete()


def plan(owner: Any, meeting: Any) -> None:
    """The planner's part, by the actions: objectives, 40 sessions, costs, impact figures."""
    from sammen.meetings.actions import (
        CostInput,
        ObjectiveInput,
        SessionInput,
        do_add_cost_line,
        do_add_objective,
        do_add_session,
    )
    from sammen.meetings.actions.impact import do_record_impact
    from sammen.meetings.models import Format, Level

    objectives = [
        (Level.REACTION, "Partners enjoy the day", Decimal(4)),
        (Level.LEARNING, "Partners know the grant rules", Decimal("0.8")),
        (Level.APPLICATION, "Partners apply a method within three months", Decimal(60)),
        (Level.IMPACT, "More programmes booked", Decimal(10_000)),
        (Level.IMPACT, "Fewer complaints", Decimal(300)),
    ]
    added = [
        do_add_objective(owner, meeting, ObjectiveInput(level, text, "A measure", target, "Asked"))
        for level, text, target in objectives
    ]
    do_record_impact(
        owner, added[3], before=Decimal(8000), after=Decimal(10500), per_unit=Decimal(90)
    )
    do_record_impact(owner, added[4], before=Decimal(480), after=Decimal(350), per_unit=Decimal(60))
    first = meeting.sessions.get()
    formats = [choice for choice in Format.values if choice != Format.OTHER]
    start = first.ends_at
    for index in range(SESSIONS - 1):
        slot, room = divmod(index, ROOMS)
        starts = start + timedelta(minutes=50 * slot)
        do_add_session(
            owner,
            meeting,
            SessionInput(
                f"Session {index + 2}",
                starts,
                starts + timedelta(minutes=45),
                room=f"Room {room + 1}",
                format=formats[index % len(formats)],
                audience_minutes=15,
                objective_ids=(added[index % 3].pk,),
            ),
        )
    for category, amount in [("venue", 90_000), ("catering", 160_000), ("staff", 120_000)]:
        do_add_cost_line(owner, meeting, CostInput(category, Decimal(amount)))


def build(args: argparse.Namespace) -> Any:
    """The planner's part by actions, the attendees and their answers by COPY."""
    import psycopg

    from sammen.meetings.models import (
        FollowUp,
        ImpactEstimate,
        LearningAnswer,
        Level,
        Objective,
        PlannedAction,
        Registration,
        Session,
        SessionRating,
    )
    from sammen.testing import make_space
    from sammen.testing.meetings import make_meeting

    started = time.monotonic()
    owner = bench_owner(OWNER_EMAIL)
    space = make_space(owner, f"Bench meeting {args.attendees}", slug=space_slug(args))
    meeting = make_meeting(space, owner, f"The partner day at {args.attendees:,}")
    settle(owner, meeting, "building")  # the marker comes last, once every row is in
    plan(owner, meeting)
    sessions = list(Session.objects.filter(meeting=meeting).values_list("pk", flat=True))
    objectives = {
        level: list(
            Objective.objects.filter(meeting=meeting, level=level).values_list("pk", flat=True)
        )
        for level in (Level.LEARNING, Level.IMPACT)
    }
    rng = np.random.default_rng(SEED)
    n = args.attendees
    now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    moment = f"{now - timedelta(days=40)}+00"
    with psycopg.connect(args.database_url, autocommit=True) as pg:
        bulk = Bulk(pg)
        # Random public ids: unique in the whole database, whatever the size.
        participants = bulk.participants(os.urandom(16 * n), moment)
        registrations = bulk.reserve(Registration._meta.db_table, n)
        came = (rng.random(n) >= NO_SHOWS).tolist()
        bulk.copy(
            Registration._meta.db_table,
            "id, meeting_id, participant_id, name, email, state, code, created_at, "
            "confirmed_at, checked_in_at",
            (
                f"{rid}\t{meeting.pk}\t{pid}\tAttendee {i}\tattendee{i}@example.org\t"
                f"confirmed\t{secrets.token_urlsafe(12)}\t{moment}\t{moment}\t"
                f"{moment if came[i] else NULL}\n"
                for i, (rid, pid) in enumerate(zip(registrations, participants, strict=True))
            ),
        )
        attendees = [rid for rid, here in zip(registrations, came, strict=True) if here]
        log(f"  {n:,} registrations, {len(attendees):,} checked in")
        rating_rows = []
        for rid in attendees:
            for session in rng.choice(sessions, size=RATED_SESSIONS, replace=False).tolist():
                score = int(np.clip(round(rng.normal(4.0, 0.9)), 1, 5))
                rating_rows.append(f"{session}\t{rid}\t{score}\t\t{moment}\n")
        bulk.copy(
            SessionRating._meta.db_table,
            "session_id, registration_id, score, comment, created_at",
            iter(rating_rows),
        )
        log(f"  {len(rating_rows):,} session ratings")
        planners = [rid for rid in attendees if rng.random() < 0.8]
        bulk.copy(
            PlannedAction._meta.db_table,
            "registration_id, text, confidence, created_at",
            (
                f"{rid}\tTry the method at work\t{confidence}\t{moment}\n"
                for rid, confidence in zip(
                    planners,
                    rng.choice([50, 60, 70, 80, 90], size=len(planners)).tolist(),
                    strict=True,
                )
            ),
        )
        learning_rows = []
        present = set(attendees)
        for rid in registrations:
            for objective in objectives[Level.LEARNING]:
                before = int(rng.integers(1, 4))
                learning_rows.append(f"{objective}\t{rid}\tbefore\t{before}\n")
                if rid in present and rng.random() < 0.8:
                    after = int(min(5, before + rng.integers(0, 3)))
                    learning_rows.append(f"{objective}\t{rid}\tafter\t{after}\n")
        bulk.copy(
            LearningAnswer._meta.db_table,
            "objective_id, registration_id, moment, value",
            iter(learning_rows),
        )
        follow_rows, estimate_rows = [], []
        for days in (30, 90):
            sent = f"{now - timedelta(days=40) + timedelta(days=days)}+00"
            for rid in attendees:
                answered = rng.random() < 0.75
                applied = rng.choice(["yes", "partly", "no"], p=[0.5, 0.3, 0.2])
                frequency = "" if applied == "no" else rng.choice(["once", "sometimes", "often"])
                follow_rows.append(
                    f"{rid}\t{days}\t{sent}\t{sent if answered else NULL}\t"
                    f"{applied if answered else ''}\t{frequency if answered else ''}\t\t\tf\n"
                )
                if answered and days == 90:
                    for objective in objectives[Level.IMPACT]:
                        contribution = int(rng.choice([10, 20, 30, 40, 50]))
                        confidence = int(rng.choice([50, 60, 70, 80, 90]))
                        estimate_rows.append(
                            f"{objective}\t{rid}\t{contribution}\t{confidence}\t{days}\n"
                        )
        bulk.copy(
            FollowUp._meta.db_table,
            "registration_id, days, sent_at, answered_at, applied, frequency, helped, "
            "hindered, share_name",
            iter(follow_rows),
        )
        bulk.copy(
            ImpactEstimate._meta.db_table,
            "objective_id, registration_id, contribution, confidence, days",
            iter(estimate_rows),
        )
        log(f"  {len(follow_rows):,} follow-ups, {len(estimate_rows):,} impact estimates")
        for model in (
            Session,
            Objective,
            Registration,
            SessionRating,
            PlannedAction,
            LearningAnswer,
            FollowUp,
            ImpactEstimate,
        ):
            pg.execute(f"ANALYZE {model._meta.db_table}")
    settle(owner, meeting, marker(args))
    log(f"built in {time.monotonic() - started:.0f} s")
    meeting.refresh_from_db()
    return meeting


def settle(owner: Any, meeting: Any, description: str) -> None:
    """Give the meeting its places, follow-ups and description (the build's marker)."""
    from sammen.meetings.actions import do_update_meeting

    do_update_meeting(
        owner,
        meeting,
        description=description,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        venue=meeting.venue,
        online_url="",
        capacity=CAPACITY,
        audience="anyone",
        registration_open=True,
        follow_up_days=[30, 90],
    )


# --- Measuring ------------------------------------------------------------------------


def report(meeting: Any, repeat: int) -> dict[str, list[float]]:
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from sammen.meetings.models import SessionRating
    from sammen.meetings.returns import return_figures

    activity = meeting.activity
    client = Client()
    client.force_login(activity.created_by)
    url = reverse("meetings:return", args=[activity.space.slug, activity.slug])

    def floor() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_id, score, COUNT(*) FROM {SessionRating._meta.db_table} "  # noqa: S608
                "WHERE session_id IN (SELECT id FROM meetings_session WHERE meeting_id = %s) "
                "GROUP BY session_id, score",
                [meeting.pk],
            )
            cursor.fetchall()

    def page() -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")

    page()  # warm up: templates, the first connection
    return {
        "floor: GROUP BY session, score": timed(floor, repeat),
        "return_figures(): counts and analysis": timed(lambda: return_figures(meeting), repeat),
        "the return page (test client)": timed(page, repeat),
    }


def registrations(meeting: Any, clients: int, per_client: int) -> dict[str, list[float]]:
    """Each client registers new people one after another."""
    from django.db import connection

    from sammen.accounts.actions import do_create_anonymous_participant
    from sammen.accounts.models import Participant
    from sammen.meetings.actions import do_register
    from sammen.meetings.models import Registration

    table = Registration._meta.db_table
    meeting.activity.refresh_from_db()

    def work(kind: str, number: int) -> list[float]:
        times = []
        for index in range(per_client):
            participant = do_create_anonymous_participant()
            name = f"{RUN_PREFIX} {kind[:5]} {number} {index}"
            start = time.perf_counter()
            if kind == "do_register":
                do_register(
                    meeting, participant, name=name, email="new@example.org", confirmed=True
                )
            else:
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"INSERT INTO {table} (meeting_id, participant_id, name, email, state, "  # noqa: S608
                        "code, created_at, confirmed_at) "
                        "VALUES (%s, %s, %s, 'new@example.org', 'confirmed', %s, now(), now())",
                        [meeting.pk, participant.pk, name, secrets.token_urlsafe(12)],
                    )
            times.append(time.perf_counter() - start)
        return times

    try:
        return run_clients(clients, work, ("floor: plain INSERT", "do_register"))
    finally:
        added = Registration.objects.filter(meeting=meeting, name__startswith=RUN_PREFIX)
        people = list(added.values_list("participant_id", flat=True))
        added.delete()
        Participant.objects.filter(pk__in=people).delete()


def check_ins(meeting: Any, clients: int, count: int) -> dict[str, list[float]]:
    """Phones at the door check in attendees who arrive; the same attendees each time."""
    from django.db import connection

    from sammen.audit.models import AuditEntry
    from sammen.meetings.actions import do_check_in
    from sammen.meetings.models import Registration

    owner = meeting.activity.created_by
    table = Registration._meta.db_table
    arrived = list(
        Registration.objects.filter(meeting=meeting, checked_in_at__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)[:count]
    )
    started = datetime.now(UTC)

    def work(kind: str, number: int) -> list[float]:
        mine = arrived[number::clients]
        rows = list(
            Registration.objects.filter(pk__in=mine).select_related("meeting__activity__space")
        )
        times = []
        for registration in rows:
            start = time.perf_counter()
            if kind == "do_check_in":
                if not do_check_in(owner, registration):
                    raise SystemExit(f"{registration.pk} was checked in already")
            else:
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"UPDATE {table} SET checked_in_at = now(), checked_in_by_id = %s "  # noqa: S608
                        "WHERE id = %s AND checked_in_at IS NULL",
                        [owner.pk, registration.pk],
                    )
            times.append(time.perf_counter() - start)
        return times

    results: dict[str, list[float]] = {}
    for kind in ("floor: plain UPDATE", "do_check_in"):
        Registration.objects.filter(pk__in=arrived).update(checked_in_at=None, checked_in_by=None)
        results.update(run_clients(clients, work, (kind,)))
    AuditEntry.objects.filter(action="meeting.checked_in", created_at__gte=started).delete()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--attendees", type=int, default=ATTENDEES)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--registrations-per-client", type=int, default=40)
    parser.add_argument("--door-clients", type=int, default=4)
    parser.add_argument("--check-ins", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    ensure_database(argparse.Namespace(database_url=args.database_url, rebuild=False))
    setup_django(args.database_url)
    from django.conf import settings

    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
    if args.rebuild:
        drop_space(args)
    meeting = find_meeting(args)
    if meeting is None:
        log(f"building the meeting of {args.attendees:,}")
        meeting = build(args)
    from sammen.meetings.models import SessionRating

    ratings = SessionRating.objects.filter(session__meeting=meeting).count()
    page = report(meeting, args.repeat)
    registered = registrations(meeting, args.clients, args.registrations_per_client)
    checked = check_ins(meeting, args.door_clients, min(args.check_ins, args.attendees // 2))
    print_heading(
        "bench/meetings.py",
        f"{args.attendees:,} registered x {SESSIONS} sessions, {ratings:,} session ratings",
    )
    print("\n".join(table_head(["the return report", "median ms", "max ms"], "lrr")))
    for name, times in page.items():
        print(
            table_row([name, f"{statistics.median(times) * 1000:.0f}", f"{max(times) * 1000:.0f}"])
        )
    print()
    print_rates(
        f"registration, {args.clients} clients", registered, ("floor: plain INSERT", "do_register")
    )
    print()
    print_rates(
        f"check-in, {args.door_clients} phones", checked, ("floor: plain UPDATE", "do_check_in")
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
