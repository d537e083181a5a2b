"""Benchmark: a room of phones joins a live session, reconnects at once, and answers a poll.

    .venv/bin/python bench/live.py [--participants 5000 | --sweep] [--seconds 15]
        [--join-seconds 2] [--timeout 300] [--workers 2] [--database NAME]
    .venv/bin/python bench/live.py --phase questions [--questions 2000] [--upvotes 20000]
        [--storm-seconds 60] [--reaction-seconds 10] ...   (bench/live_storm.py)

Sammen is served as docs/deploy.md serves it: uvicorn with `--workers 2 --proxy-headers
--no-server-header --timeout-worker-healthcheck 30`, PostgreSQL (DATABASE_POOL_SIZE=4,
CONN_MAX_AGE=0), Redis, collected static files, no DEBUG. The reference
(bench/live_reference.py) is a bare app doing the same HTTP work, served by the same
uvicorn with the same flags, after Sammen in the same run. The phones are a load
generator in a process of its own (bench/live_crowd.py, bench/live_phones.py): each
phone has its own connections, and each join and answer starts when it is due, whether
or not earlier ones came back (open loop), and is timed from then, so a slow server
shows as latency, not as load the generator quietly stopped offering. For each N:

1. Joins: N phones take the QR code's link, the join page (its CSRF cookie), the join
   form and the room page, and open their event stream, due evenly over --join-seconds.
2. The connect storm: every stream is closed and the server restarted (a deploy, a
   crash), then all N streams open at the same moment.
3. Answers: the poll opens; N answers are due evenly over --seconds, posted as htmx
   posts them.

It prints, under the command that produced them, a table of Sammen | reference | ratio |
target | met? with the targets of issue 13, the servers' CPU time, and the load
generator's own CPU time and lateness (a saturated load generator shows there). A
phase ends --timeout seconds after its last join or answer was due at the latest: what
is not done by then counts as failed (never as fast). Memory per participant is the
servers' resident memory with every stream open after the storm minus before it (after
a few warm-up phones), divided by the streams: the restart leaves the joins' work out.

Needs PostgreSQL at PG_URL (default postgres://postgres@127.0.0.1:5432; the database,
sammen_live_bench unless --database names another, is made afresh for each N and left
for a look afterwards) and Redis at REDIS_URL (default redis://127.0.0.1:6379/14,
emptied before each app's run). Logs and every figure as JSON: var/bench-live/.
"""

import argparse
import json
import os
import platform
import secrets
import shlex
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import live_storm
from harness import (
    REPO,
    BenchFailure,
    JsonLinesChild,
    ServerProcess,
    command_line,
    cpu_model,
    free_port,
    load_average,
    memory_kib,
    raise_file_limit,
    recreate_database,
    sammen_environment,
    start_servers,
    stop_servers,
    table_head,
    table_row,
)

PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14")
DB_NAME = "sammen_live_bench"
VAR_DIR = REPO / "var" / "bench-live"
SWEEP = (500, 2000, 5000)
WARM_UP_PHONES = 6
SETTLE_SECONDS = 15  # how long to wait for the final tally after the last answer
HERE = Path(__file__).resolve().parent

# Setting up Sammen ---------------------------------------------------------------------


def server_env(secret: str, database: str) -> dict[str, str]:
    """Return the environment of docs/deploy.md's example, for the benchmark's database."""
    return sammen_environment(
        f"{PG_URL}/{database}",
        REDIS_URL=REDIS_URL,
        SECRET_KEY=secret,
        SAMMEN_VAR_DIR=str(VAR_DIR),
        CONN_MAX_AGE="0",
        DATABASE_POOL_SIZE=os.environ.get("DATABASE_POOL_SIZE", "4"),
        # One loopback address stands for every phone here, where a venue's wifi would
        # stand for a room: the per-address ceilings must not be what is measured.
        SAMMEN_LIVE_JOINS_PER_IP_PER_HOUR="1000000",
        SAMMEN_LIVE_WRITES_PER_IP_PER_MINUTE="1000000",
    )


SETUP = r"""
import json
import django
django.setup()
from decimal import Decimal
from sammen.accounts.actions import do_create_account
from sammen.activities.actions import (
    MeasureInput, do_create_activity, do_open_activity, do_update_brief,
)
from sammen.live.actions import OptionInput, do_save_poll
from sammen.live.models import LiveSession
from sammen.spaces.actions import do_create_space

owner = do_create_account("bench@example.org", "bench-password-1", "Bench Owner")
space = do_create_space(owner, name="Bench Hall", slug="bench-hall", visibility="public")
activity = do_create_activity(owner, space, title="Keynote", kind="live")
brief = {k: "x" for k in ["goal", "business_challenge", "audience", "audience_insight",
         "audience_challenge", "channels", "channels_reason"]}
do_update_brief(
    owner, activity, texts=brief, measures=[MeasureInput("People", Decimal(1))], self_check={}
)
do_open_activity(owner, activity)
session = LiveSession.objects.get(activity=activity)
poll = do_save_poll(owner, session, kind="single", title="Which talk next?",
                    options=[OptionInput(label) for label in ["Cities", "Oceans", "Music", "Food"]])
print(json.dumps({
    "code": session.code, "poll": poll.pk, "owner": owner.pk,
    "options": list(poll.options.values_list("pk", flat=True)),
}))
"""

OPEN_POLL = r"""
import sys, time, django
django.setup()
from sammen.accounts.models import User
from sammen.live.actions import do_open_poll
from sammen.live.models import Poll
poll = Poll.objects.select_related("session__activity__space").get(pk=int(sys.argv[1]))
do_open_poll(User.objects.get(pk=int(sys.argv[2])), poll)
print(time.time() * 1000)  # committed: the phones may answer from here on
"""

COUNT = r"""
import sys, django
django.setup()
from sammen.live.models import Response
print(Response.objects.filter(poll_id=int(sys.argv[1])).count())
"""


def django_script(source: str, env: dict[str, str], *args: str, timeout: float = 120) -> str:
    """Run a Python script with Sammen's settings; return what it printed."""
    try:
        result = subprocess.run(
            [sys.executable, "-c", source, *args],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        raise BenchFailure(f"a Django script took more than {timeout:.0f} s") from None
    if result.returncode != 0:
        raise BenchFailure(f"a Django script failed:\n{result.stderr[-3000:]}")
    return result.stdout


def manage(env: dict[str, str], *command: str, timeout: float = 300) -> None:
    """Run a management command, as docs/deploy.md's step 3 does."""
    try:
        result = subprocess.run(
            [sys.executable, "-m", "sammen", *command, "-v", "0"],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        raise BenchFailure(f"`sammen {command[0]}` took more than {timeout:.0f} s") from None
    if result.returncode != 0:
        raise BenchFailure(f"`sammen {' '.join(command)}` failed:\n{result.stderr[-3000:]}")


def flush_redis() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=10).flushdb()
    except redis.RedisError as error:
        raise BenchFailure(f"Redis at {REDIS_URL}: {error}") from None


def prepare_sammen(env: dict[str, str], database: str) -> dict[str, Any]:
    """Make the database afresh with an open live session and a poll not yet open."""
    try:
        recreate_database(PG_URL, database)
    except Exception as error:  # psycopg's errors: say which server
        raise BenchFailure(f"PostgreSQL at {PG_URL}: {error}") from None
    manage(env, "migrate")
    flush_redis()
    return dict(json.loads(django_script(SETUP, env)))


def uvicorn(app: str, port: int, workers: int, env: dict[str, str], log: Path) -> ServerProcess:
    """Return uvicorn serving `app` with docs/deploy.md's flags, the same for both apps."""
    command = [
        sys.executable, "-m", "uvicorn", app,
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--proxy-headers", "--no-server-header", "--timeout-worker-healthcheck", "30",
    ]  # fmt: skip
    return ServerProcess(command, env, port, log_path=log, ready_path="/healthz")


# One run of the phones against one app --------------------------------------------------


def measure(
    label: str,
    server: ServerProcess,
    session: dict[str, Any],
    args: argparse.Namespace,
    participants: int,
    open_poll: Any,
    stored: Any,
) -> dict[str, Any]:
    """Take `participants` phones through the three phases against a started server."""
    log = VAR_DIR / f"phones-{label.lower()}-{participants}.log"
    phones = JsonLinesChild(
        [sys.executable, str(HERE / "live_crowd.py")], log, name="the load generator"
    )

    def ask(request: dict[str, Any], timeout: float) -> dict[str, Any]:
        reply = dict(phones.ask(request, timeout))
        if "error" in reply:
            raise BenchFailure(f"{label}, {participants} phones: {reply['error']} (see {log})")
        return reply

    def say(what: str) -> None:
        print(f"  {time.strftime('%H:%M:%S')} {label}: {what}", flush=True)

    try:
        spec = {"port": server.port, "participants": participants, "warm_up": WARM_UP_PHONES}
        ask({"do": "setup", **spec, **session}, 60)
        ask({"do": "warm_up"}, 180)
        time.sleep(1)
        resident = server.resident_kib()
        say(f"{participants} phones join over {args.join_seconds:g} s")
        cpu = server.cpu_seconds()
        joins = ask(
            {"do": "join", "seconds": args.join_seconds, "timeout": args.timeout},
            args.join_seconds + args.timeout + 120,
        )
        joins["server_cpu"] = server.cpu_seconds() - cpu
        if joins["joined"] == 0:
            raise BenchFailure(f"{label}: no phone joined; what went wrong: {joins['errors']}")
        joins["memory_kib"] = (server.resident_kib() - resident) / joins["joined"]
        # The storm, after a restart (a deploy, a crash): every screen reconnects at once to
        # fresh processes, whose memory then holds the streams and none of the joins' work.
        ask({"do": "drop"}, 30)
        say("restarting the server")
        stop_servers([server], timeout=10)
        start_servers([server])
        ask({"do": "warm_up"}, 180)
        time.sleep(1)
        resident = server.resident_kib()
        say(f"{joins['joined']} screens reconnect at once")
        cpu = server.cpu_seconds()
        storm = ask({"do": "storm", "timeout": args.timeout}, args.timeout + 120)
        storm["server_cpu"] = server.cpu_seconds() - cpu
        time.sleep(2)
        memory = (server.resident_kib() - resident) / max(storm["connected"], 1)
        opened_at = open_poll()
        say(f"the poll is open; {joins['joined']} answers due over {args.seconds:g} s")
        cpu = server.cpu_seconds()
        answers = ask(
            {
                "do": "answer",
                "seconds": args.seconds,
                "timeout": args.timeout,
                "settle": SETTLE_SECONDS,
                "opened_at": opened_at,
            },
            args.seconds + args.timeout + SETTLE_SECONDS + 180,
        )
        answers["server_cpu"] = server.cpu_seconds() - cpu
        answers["stored"] = stored()
        ask({"do": "close"}, 60)
    finally:
        phones.close()
    return {"joins": joins, "storm": storm, "answers": answers, "memory_kib": memory}


def run_sammen(participants: int, args: argparse.Namespace, secret: str) -> dict[str, Any]:
    env = server_env(secret, args.database)
    print(f"  {time.strftime('%H:%M:%S')} Sammen: a fresh database, {args.database}", flush=True)
    session = prepare_sammen(env, args.database)
    log = VAR_DIR / f"sammen-{participants}.log"
    server = uvicorn("sammen.asgi:application", free_port(), args.workers, env, log)
    poll, owner = str(session["poll"]), str(session["owner"])
    try:
        start_servers([server])
        return measure(
            "Sammen",
            server,
            {key: session[key] for key in ("code", "poll", "options")},
            args,
            participants,
            open_poll=lambda: float(django_script(OPEN_POLL, env, poll, owner).split()[-1]),
            stored=lambda: int(django_script(COUNT, env, poll).strip()),
        )
    finally:
        stop_servers([server], timeout=10)


def run_reference(
    participants: int, args: argparse.Namespace, secret: str, sizes: dict[str, float]
) -> dict[str, Any]:
    flush_redis()
    env = server_env(secret, args.database) | {
        "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE), os.environ.get("PYTHONPATH")])),
        "REFERENCE_REDIS_URL": REDIS_URL,
        "REFERENCE_SECRET": secret,
        "REFERENCE_SIZES": json.dumps(sizes),
    }
    log = VAR_DIR / f"reference-{participants}.log"
    server = uvicorn("live_reference:application", free_port(), args.workers, env, log)
    try:
        start_servers([server])
        return measure(
            "reference",
            server,
            {"code": "BENCH1", "poll": 1, "options": [1, 2, 3, 4]},
            args,
            participants,
            open_poll=lambda: time.time() * 1000,
            stored=lambda: None,
        )
    finally:
        stop_servers([server], timeout=10)


def sizes_of(run: dict[str, Any]) -> dict[str, float]:
    """Return the sizes of Sammen's pages and messages, for the reference to match."""
    joins, answers = run["joins"], run["answers"]
    return {
        "join_page": joins["join_page_bytes"],
        "room_page": joins["room_page_bytes"],
        "first": joins["first_bytes"],
        "snapshot": answers["snapshot_bytes"],
        "answer": answers["answer_bytes"],
    }


# The report ------------------------------------------------------------------------------


def number(value: float | None, digits: int = 0, unit: str = "") -> str:
    """Format a figure; inf is a phone that never got there, None a figure not measured."""
    if value is None or value != value:  # None or nan
        return "–"
    if value == float("inf"):
        return "never"
    return f"{value:,.{digits}f}{unit}"


def ratio(sammen: float | None, reference: float | None) -> float | None:
    if sammen is None or reference is None or not reference or reference != reference:
        return None
    return sammen / reference


def figures(run: dict[str, Any]) -> dict[str, Any]:
    """Return one app's figures under one name each, as the table's rows use them."""
    joins, storm, answers = run["joins"], run["storm"], run["answers"]
    flat = {f"join_{key}": value for key, value in joins.items()}
    flat |= {f"storm_{key}": value for key, value in storm.items()}
    flat |= {f"answer_{key}": value for key, value in answers.items()}
    flat["memory_kib"] = run["memory_kib"]
    flat["storm_last_s"] = storm["last_ms"] / 1000
    return flat


# Each row: label, figure, digits, unit, target, and whether Sammen's figure `s` meets it
# beside the reference's `r` (None: a figure without a target).
ROWS: list[tuple[str, str, int, str, str, Any]] = [
    ("phones joined and streaming", "join_joined", 0, "", "all N", lambda s, r, n: s == n),
    (
        "last phone streaming, after the first join was due",
        "join_last_streaming_s", 1, " s", "≤ 20 s", lambda s, r, n: s <= 20,
    ),
    (
        "joins per second (offered {join_offered_per_second:,.0f}/s)",
        "join_per_second", 0, "", "≥ 1/4 of reference", lambda s, r, n: s >= r / 4,
    ),
    ("join p99, from due to streaming", "join_p99_ms", 0, " ms", "", None),
    (
        "{storm_screens:,} screens connecting at once: last first message",
        "storm_last_s", 2, " s", "≤ 5 s", lambda s, r, n: s <= 5,
    ),
    ("screens connecting at once: p50", "storm_p50_ms", 0, " ms", "", None),
    (
        "last answer accepted, after the poll opened",
        "answer_last_accepted_after_open_s", 1, " s", "≤ 20 s", lambda s, r, n: s <= 20,
    ),
    (
        "answers per second accepted (offered {answer_offered_per_second:,.0f}/s)",
        "answer_per_second", 0, "", "≥ 1/2 of reference", lambda s, r, n: s >= r / 2,
    ),
    ("answer p50, from due to accepted", "answer_accepted_p50_ms", 0, " ms", "", None),
    (
        "answer p99, from due to accepted",
        "answer_accepted_p99_ms", 0, " ms", "≤ 3 × reference", lambda s, r, n: s <= 3 * r,
    ),
    ("answer p50, from due to on every screen", "answer_everywhere_p50_ms", 0, " ms", "", None),
    (
        "answer p99, from due to on every screen",
        "answer_everywhere_p99_ms", 0, " ms", "≤ 3 × reference", lambda s, r, n: s <= 3 * r,
    ),
    ("EXACTLY_ONCE", "", 0, "", "all equal", None),
    (
        "final tally on every screen, after the last answer",
        "answer_final_after_last_answer_ms", 0, " ms", "≤ 1,000 ms", lambda s, r, n: s <= 1000,
    ),
    (
        "server resident memory per connected participant (streams on restarted servers)",
        "memory_kib", 1, " KiB", "≤ 20 KiB", lambda s, r, n: s <= 20,
    ),
    (
        "server resident memory the joins added, per participant",
        "join_memory_kib", 1, " KiB", "", None,
    ),
    ("server CPU, joins", "join_server_cpu", 1, " s", "", None),
    ("server CPU, storm", "storm_server_cpu", 1, " s", "", None),
    ("server CPU, answers", "answer_server_cpu", 1, " s", "", None),
    ("GENERATOR_CPU", "", 0, "", "", None),
    ("load generator late to send, joins p99", "join_late_p99_ms", 0, " ms", "", None),
    ("load generator late to send, answers p99", "answer_late_p99_ms", 0, " ms", "", None),
    ("event streams lost and reopened", "answer_reconnects", 0, "", "", None),
]  # fmt: skip


def table(participants: int, sammen: dict, reference: dict) -> list[str]:
    """Return the report's table: Sammen | reference | ratio | target | met? per figure.

    A target of the storm or the answers counts as met only when every phone joined:
    with fewer, those phases ran at a smaller N than the one reported."""
    s, r, n = figures(sammen), figures(reference), participants
    rows = []
    for label, key, digits, unit, target, meets in ROWS:
        if label == "EXACTLY_ONCE":
            rows.append(exactly_once(s, r))
        elif label == "GENERATOR_CPU":
            for phase, prefix in [("joins", "join"), ("storm", "storm"), ("answers", "answer")]:
                rows.append(
                    [
                        f"load generator CPU, {phase} (share of the phase's wall time)",
                        *(busy(f, prefix) for f in (s, r)),
                        number(ratio(s[f"{prefix}_cpu_seconds"], r[f"{prefix}_cpu_seconds"]), 2),
                        "",
                        "",
                    ]
                )
        else:
            met = ""
            if meets is not None:
                whole = key.startswith("join_") or s["join_joined"] == n
                met = "yes" if whole and meets(s[key], r[key], n) else "**no**"
            rows.append(
                [
                    label.format(**s),
                    number(s[key], digits, unit),
                    number(r[key], digits, unit),
                    number(ratio(s[key], r[key]), 2),
                    target.replace("N", f"{n:,}"),
                    met,
                ]
            )
    head = table_head(["", "Sammen", "reference", "ratio", "target", "met?"], "lrrrll")
    return head + [table_row(row) for row in rows]


def exactly_once(s: dict[str, Any], r: dict[str, Any]) -> list[object]:
    """Return the row of answers accepted with a 200, stored, and tallied on every screen."""
    exact = s["answer_accepted"] == s["answer_stored"] and (
        s["answer_screens"] == s["answer_screens_with_final_tally"]
    )
    return [
        "exactly once: answers accepted (200) / stored / screens showing that tally",
        f"{s['answer_accepted']:,} / {s['answer_stored']:,} / "
        f"{s['answer_screens_with_final_tally']:,} of {s['answer_screens']:,}",
        f"{r['answer_accepted']:,} / – / "
        f"{r['answer_screens_with_final_tally']:,} of {r['answer_screens']:,}",
        "",
        "all equal",
        "yes" if exact else "**no**",
    ]


def busy(f: dict[str, Any], prefix: str) -> str:
    cpu, wall = f[f"{prefix}_cpu_seconds"], f[f"{prefix}_wall_seconds"]
    return f"{cpu:.1f} s ({cpu / max(wall, 1e-3):.0%})"


def troubles(label: str, run: dict[str, Any]) -> list[str]:
    """Return what went wrong for some phones, if anything did."""
    lines = []
    for phase, key in [("joins", "errors"), ("storm", "errors"), ("answers", "statuses")]:
        for error, count in run[phase].get(key, []):
            lines.append(f"- {label}, {phase}: {count:,} × {error}")
    return lines


def report(participants: int, args: argparse.Namespace, sammen: dict, reference: dict) -> None:
    alone = [sys.executable, "bench/live.py", "--participants", str(participants)]
    for flag, value, default in [
        ("--seconds", args.seconds, 15.0),
        ("--join-seconds", args.join_seconds, 2.0),
        ("--timeout", args.timeout, 300.0),
        ("--workers", args.workers, 2),
    ]:
        if value != default:
            alone += [flag, f"{value:g}"]
    print()
    print(f"### {participants:,} participants, answers offered over {args.seconds:g} s")
    print()
    print(f"$ {command_line()}")
    if args.sweep:
        print(f"(this N alone: {shlex.join(alone)})")
    print(f"Load average after: {load_average()}")
    print()
    for line in table(participants, sammen, reference):
        print(line)
    lines = troubles("Sammen", sammen) + troubles("reference", reference)
    if lines:
        print()
        print("What went wrong for some phones:")
        print("\n".join(lines))
    print(flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--participants", type=int, default=5000, help="phones (default 5000)")
    size.add_argument("--sweep", action="store_true", help="N = 500, 2000 and 5000 in turn")
    parser.add_argument(
        "--seconds", type=float, default=15.0, help="answers offered evenly over this time"
    )
    parser.add_argument(
        "--join-seconds", type=float, default=2.0, help="joins offered evenly over this time"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=300.0,
        help="how long a phase may run past its offered time; what is not done then failed",
    )
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument(
        "--database", default=DB_NAME, help="PostgreSQL database to create afresh for the run"
    )
    live_storm.add_arguments(parser)
    args = parser.parse_args()
    sweep = SWEEP if args.sweep else (args.participants,)
    try:
        # Each phone holds two connections (its stream and its page's), in the load
        # generator and in the servers; the children inherit the limit.
        raise_file_limit(2 * max(sweep) + 500)
        run(sweep, args)
    except BenchFailure as failure:
        raise SystemExit(f"bench/live.py failed: {failure}") from failure


def run(sweep: tuple[int, ...], args: argparse.Namespace) -> None:
    import uvicorn as uvicorn_package  # only for its version

    VAR_DIR.mkdir(parents=True, exist_ok=True)
    print(f"$ {command_line()}")
    print(
        f"Machine: {cpu_model()}, {os.cpu_count()} cores, {memory_kib() / 2**20:.0f} GiB; "
        f"Python {platform.python_version()}, uvicorn {uvicorn_package.__version__}; "
        f"load average {load_average()}"
    )
    secret = secrets.token_urlsafe(40)
    print(f"  {time.strftime('%H:%M:%S')} collectstatic into {VAR_DIR}", flush=True)
    manage(server_env(secret, args.database), "collectstatic", "--noinput")
    if args.phase == "questions":
        live_storm.run(sweep, args, secret)
        return
    for participants in sweep:
        sammen = run_sammen(participants, args, secret)
        reference = run_reference(participants, args, secret, sizes_of(sammen))
        figures_path = VAR_DIR / f"figures-{participants}.json"
        figures_path.write_text(json.dumps({"sammen": sammen, "reference": reference}, indent=1))
        report(participants, args, sammen, reference)
        print(f"(every figure measured: {figures_path.relative_to(REPO)})")


if __name__ == "__main__":
    main()
