"""The question storm of bench/live.py (`--phase questions`), Sammen beside the reference.

N phones join and open their event streams as in the other phases; then a moderator's
stream and a big screen's stream (the crew's pages, showing the top questions) open, and
--questions questions, --upvotes upvotes and a reaction from each phone every
--reaction-seconds are due evenly over --storm-seconds, each sent when due as the room's
htmx forms send it (bench/live_questions.py). The session moderates after the fact (the
default: questions show at once, so they can be upvoted at once; the moderators' queue
lists them all). Reported beside the reference, with issue 13's targets for the answers
applied to the questions and upvotes: accepted per second, from due to accepted, exactly
once (the database against what was acknowledged), when the moderators' queue showed
each question, and when the final counts were on the moderators' queue, the big screen
and every phone after the last write; the servers' CPU and the load generator's.
"""

import argparse
import json
import os
import secrets
import sys
import time
from typing import Any

import live as base
from harness import (
    BenchFailure,
    JsonLinesChild,
    ServerProcess,
    command_line,
    free_port,
    load_average,
    start_servers,
    stop_servers,
    table_head,
    table_row,
)

SETTLE_SECONDS = 30  # how long to wait for the final counts after the last write

STORM_SETUP = r"""
import json, sys, django
django.setup()
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from sammen.accounts.models import User
from sammen.live.actions import do_show_on_screen
from sammen.live.models import LiveSession
session = LiveSession.objects.get(code=sys.argv[1])
owner = User.objects.get(pk=int(sys.argv[2]))
do_show_on_screen(session, "questions")  # the big screen shows the top questions
# The owner signed in, as the crew's pages are (a session as django.contrib.auth.login makes).
store = import_module(settings.SESSION_ENGINE).SessionStore()
store[SESSION_KEY] = str(owner.pk)
store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
store[HASH_SESSION_KEY] = owner.get_session_auth_hash()
store.create()
print(json.dumps({
    "cookie": f"{settings.SESSION_COOKIE_NAME}={store.session_key}",
    "moderation": session.moderation, "reactions": session.reactions_enabled,
}))
"""

STORED = r"""
import json, re, sys, django
django.setup()
from django.db.models import Count
from sammen.live.models import LiveSession, Question, Reaction
session = LiveSession.objects.get(code=sys.argv[1])
rows = []
for question in Question.objects.filter(session=session).annotate(rows=Count("upvotes")):
    tag = re.search(r"\[q(\d+)\]", question.text)
    number = int(tag.group(1)) if tag else -1
    rows.append([number, question.pk, question.upvote_count, question.rows])
reactions = Reaction.objects.filter(session=session).count()
print(json.dumps({"questions": rows, "reactions": reactions}))
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--phase",
        choices=["answers", "questions"],
        default="answers",
        help="answers: joins, the connect storm and a poll (the default); questions: "
        "joins, then the question storm",
    )
    parser.add_argument("--questions", type=int, default=2000, help="questions in the storm")
    parser.add_argument("--upvotes", type=int, default=20000, help="upvotes in the storm")
    parser.add_argument(
        "--storm-seconds", type=float, default=60.0, help="the storm's writes due over this time"
    )
    parser.add_argument(
        "--reaction-seconds",
        type=float,
        default=10.0,
        help="each phone reacts once every this many seconds of the storm (0: none)",
    )


def measure(
    label: str,
    server: ServerProcess,
    session: dict[str, Any],
    args: argparse.Namespace,
    participants: int,
    cookie: str,
    stored: Any,
) -> dict[str, Any]:
    """Take `participants` phones through the joins and the question storm."""
    log = base.VAR_DIR / f"phones-{label.lower()}-questions-{participants}.log"
    phones = JsonLinesChild(
        [sys.executable, str(base.HERE / "live_crowd.py")], log, name="the load generator"
    )

    def ask(request: dict[str, Any], timeout: float) -> dict[str, Any]:
        reply = dict(phones.ask(request, timeout))
        if "error" in reply:
            raise BenchFailure(f"{label}, {participants} phones: {reply['error']} (see {log})")
        return reply

    def say(what: str) -> None:
        print(f"  {time.strftime('%H:%M:%S')} {label}: {what}", flush=True)

    try:
        spec = {"port": server.port, "participants": participants, "warm_up": base.WARM_UP_PHONES}
        ask({"do": "setup", **spec, **session}, 60)
        ask({"do": "warm_up"}, 180)
        say(f"{participants} phones join over {args.join_seconds:g} s")
        cpu = server.cpu_seconds()
        joins = ask(
            {"do": "join", "seconds": args.join_seconds, "timeout": args.timeout},
            args.join_seconds + args.timeout + 120,
        )
        joins["server_cpu"] = server.cpu_seconds() - cpu
        if joins["joined"] == 0:
            raise BenchFailure(f"{label}: no phone joined; what went wrong: {joins['errors']}")
        time.sleep(2)
        say(
            f"the storm: {args.questions:,} questions, {args.upvotes:,} upvotes over "
            f"{args.storm_seconds:g} s"
        )
        cpu = server.cpu_seconds()
        storm = ask(
            {
                "do": "questions",
                "seconds": args.storm_seconds,
                "questions": args.questions,
                "upvotes": args.upvotes,
                "reaction_seconds": args.reaction_seconds,
                "timeout": args.timeout,
                "settle": SETTLE_SECONDS,
                "observer_cookie": cookie,
            },
            args.storm_seconds + args.timeout + SETTLE_SECONDS + 300,
        )
        storm["server_cpu"] = server.cpu_seconds() - cpu
        # uvicorn's supervisor kills a worker that leaves its health check unanswered for
        # 5 s and starts another: its streams drop, and its CPU time is no longer counted.
        storm["restarts"] = server.log_path.read_text(errors="replace").count("] died")
        if storm["restarts"]:
            storm["server_cpu"] = float("nan")
        storm["stored"] = stored()
        ask({"do": "close"}, 60)
    finally:
        phones.close()
    return {"joins": joins, "storm": storm}


def run_sammen(participants: int, args: argparse.Namespace, secret: str) -> dict[str, Any]:
    env = base.server_env(secret, args.database)
    print(f"  {time.strftime('%H:%M:%S')} Sammen: a fresh database, {args.database}", flush=True)
    session = base.prepare_sammen(env, args.database)
    code = str(session["code"])
    crew = json.loads(base.django_script(STORM_SETUP, env, code, str(session["owner"])))
    log = base.VAR_DIR / f"sammen-questions-{participants}.log"
    server = base.uvicorn("sammen.asgi:application", free_port(), args.workers, env, log)
    try:
        start_servers([server])
        run = measure(
            "Sammen",
            server,
            {key: session[key] for key in ("code", "poll", "options")},
            args,
            participants,
            crew["cookie"],
            stored=lambda: json.loads(base.django_script(STORED, env, code)),
        )
    finally:
        stop_servers([server], timeout=10)
    run["session"] = {"moderation": crew["moderation"], "reactions": crew["reactions"]}
    return run


def reference_stored() -> dict[str, Any]:
    """Return what the reference stored in Redis, as STORED returns Sammen's."""
    import redis

    client = redis.Redis.from_url(base.REDIS_URL, socket_timeout=30)
    questions = client.hgetall("live-reference:questions")
    votes = client.hgetall("live-reference:votes")
    rows = []
    for key, value in questions.items():
        tag = json.loads(value)["text"].rpartition("[q")[2].rstrip("]")
        upvoters = int(client.scard(b"live-reference:upvoters:" + key))
        rows.append([int(tag) if tag.isdigit() else -1, int(key), int(votes.get(key, 0)), upvoters])
    return {"questions": rows, "reactions": int(client.get("live-reference:reactions") or 0)}


def run_reference(
    participants: int, args: argparse.Namespace, secret: str, sizes: dict[str, float]
) -> dict[str, Any]:
    base.flush_redis()
    crew = secrets.token_urlsafe(24)
    env = base.server_env(secret, args.database) | {
        "PYTHONPATH": os.pathsep.join(filter(None, [str(base.HERE), os.environ.get("PYTHONPATH")])),
        "REFERENCE_REDIS_URL": base.REDIS_URL,
        "REFERENCE_SECRET": secret,
        "REFERENCE_CREW": crew,
        "REFERENCE_SIZES": json.dumps(sizes),
    }
    log = base.VAR_DIR / f"reference-questions-{participants}.log"
    server = base.uvicorn("live_reference:application", free_port(), args.workers, env, log)
    try:
        start_servers([server])
        return measure(
            "reference",
            server,
            {"code": "BENCH1", "poll": 1, "options": [1, 2, 3, 4]},
            args,
            participants,
            f"sessionid={crew}",
            stored=reference_stored,
        )
    finally:
        stop_servers([server], timeout=10)


def sizes_of(run: dict[str, Any]) -> dict[str, float]:
    """Return the sizes of Sammen's pages, responses and questions, for the reference."""
    joins, storm = run["joins"], run["storm"]
    return {
        "join_page": joins["join_page_bytes"],
        "room_page": joins["room_page_bytes"],
        "first": joins["first_bytes"],
        "ask": storm["ask_bytes"],
        "upvote": storm["upvote_bytes"],
        "list_item": storm["list_bytes_per_question"],
        "moderator_item": storm["moderator_bytes_per_question"],
        "stage_item": storm["stage_bytes_per_question"],
    }


# The report ------------------------------------------------------------------------------


def checked(storm: dict[str, Any]) -> dict[str, Any]:
    """Compare what was stored with what the phones were told was accepted."""
    stored = storm["stored"]
    acked_questions = set(storm["acked_questions"])
    acked_votes = {int(question): count for question, count in storm["acked_upvotes"].items()}
    numbers = [number for number, _id, _count, _rows in stored["questions"]]
    doubled = len(numbers) - len(set(numbers))
    # A count that is not its question's vote rows, or a question with fewer rows than
    # upvotes acknowledged, is wrong; more rows than acknowledged are writes stored whose
    # answer the phone did not get (cut off at the phase's end), counted apart.
    wrong = sum(1 for _n, _q, count, rows in stored["questions"] if count != rows)
    lost = sum(
        1 for _n, question, _c, rows in stored["questions"] if rows < acked_votes.get(question, 0)
    )
    lost += len(set(acked_votes) - {question for _n, question, _c, _r in stored["questions"]})
    upvotes = sum(rows for *_rest, rows in stored["questions"])
    return {
        "questions_stored": len(numbers),
        "questions_doubled": doubled,
        "questions_lost": len(acked_questions - set(numbers)),
        "upvotes_stored": upvotes,
        "counts_wrong": wrong,
        "upvotes_lost": lost,
        "reactions_stored": stored["reactions"],
        "exact": (
            doubled == 0
            and not acked_questions - set(numbers)
            and wrong == lost == 0
            and stored["reactions"] >= storm["reactions_accepted"]
        ),
        "unanswered": (
            len(numbers) - len(acked_questions & set(numbers)),
            upvotes - sum(acked_votes.values()),
            stored["reactions"] - storm["reactions_accepted"],
        ),
    }


def ms(value: float) -> str:
    return base.number(value, 0, " ms")


def within(limit: float) -> Any:
    return lambda s, r: s <= limit


def times_reference(factor: float) -> Any:
    return lambda s, r: s <= factor * r


def share_of_reference(share: float) -> Any:
    return lambda s, r: s >= share * r


# Each row: label, figure, digits, unit, target, and whether Sammen's figure `s` meets it
# beside the reference's `r` (None: a figure without a target).
ROWS: list[tuple[str, str, int, str, str, Any]] = [
    ("QUESTIONS", "", 0, "", "", None),
    (
        "questions per second (offered {offered_questions:,.0f}/s)",
        "questions_per_second", 1, "", "≥ 1/2 of reference", share_of_reference(0.5),
    ),
    ("question p50, from due to accepted", "question_p50_ms", 0, " ms", "", None),
    ("question p95, from due to accepted", "question_p95_ms", 0, " ms", "", None),
    (
        "question p99, from due to accepted",
        "question_p99_ms", 0, " ms", "≤ 3 × reference", times_reference(3),
    ),
    ("UPVOTES", "", 0, "", "", None),
    ("upvotes refused in place (none sent on purpose)", "upvote_refused", 0, "", "", None),
    (
        "upvotes per second (offered {offered_upvotes:,.0f}/s)",
        "upvotes_per_second", 1, "", "≥ 1/2 of reference", share_of_reference(0.5),
    ),
    ("upvote p50, from due to accepted", "upvote_p50_ms", 0, " ms", "", None),
    ("upvote p95, from due to accepted", "upvote_p95_ms", 0, " ms", "", None),
    (
        "upvote p99, from due to accepted",
        "upvote_p99_ms", 0, " ms", "≤ 3 × reference", times_reference(3),
    ),
    ("REACTIONS", "", 0, "", "", None),
    ("EXACTLY_ONCE", "", 0, "", "", None),
    ("question accepted → in the moderators' queue, p50", "moderator_p50_ms", 0, " ms", "", None),
    (
        "question accepted → in the moderators' queue, p99",
        "moderator_p99_ms", 0, " ms", "≤ 3 × reference", times_reference(3),
    ),
    (
        "final counts in the moderators' queue, after the last write",
        "moderator_final_ms", 0, " ms", "≤ 1,000 ms", within(1000),
    ),
    (
        "final top five on the big screen, after the last write",
        "stage_final_ms", 0, " ms", "≤ 1,000 ms", within(1000),
    ),
    ("PHONES_FINAL", "", 0, "", "", None),
    (
        "final list on every phone, after the last write",
        "phones_final_last_ms", 0, " ms", "≤ 1,000 ms", within(1000),
    ),
    ("final list on a phone, after the last write, p50", "phones_final_p50_ms", 0, " ms", "", None),
    ("lists a phone received per second of the storm", "phone_lists_per_second", 1, "", "", None),
    (
        "a phone's longest wait for news during the storm, p50",
        "phone_longest_gap_p50_ms", 0, " ms", "", None,
    ),
    (
        "a phone's longest wait for news during the storm, p99",
        "phone_longest_gap_p99_ms", 0, " ms", "", None,
    ),
    ("messages the moderators' queue received", "moderator_messages", 0, "", "", None),
    ("bytes per question in a phone's list", "list_bytes_per_question", 0, "", "", None),
    ("bytes per question in the moderators' queue", "moderator_bytes_per_question", 0, "", "",
     None),
    ("server CPU, joins", "joins_server_cpu", 1, " s", "", None),
    ("server CPU, the storm", "server_cpu", 1, " s", "", None),
    (
        "server CPU per write accepted (questions, upvotes, reactions)",
        "cpu_per_write_ms", 1, " ms", "", None,
    ),
    ("GENERATOR_CPU", "", 0, "", "", None),
    ("load generator late to send, p99", "late_p99_ms", 0, " ms", "", None),
    ("event streams lost and reopened", "reconnects", 0, "", "", None),
    ("server workers killed by uvicorn's health check and restarted", "restarts", 0, "", "",
     None),
]  # fmt: skip


def flat(run: dict[str, Any]) -> dict[str, Any]:
    storm = dict(run["storm"])
    storm["joins_server_cpu"] = run["joins"]["server_cpu"]
    storm["joined"] = run["joins"]["joined"]
    writes = storm["questions_accepted"] + storm["upvotes_accepted"] + storm["reactions_accepted"]
    storm["cpu_per_write_ms"] = 1000 * storm["server_cpu"] / max(writes, 1)
    storm["offered_questions"] = storm["questions_offered"] / storm["seconds"]
    storm["offered_upvotes"] = (storm["upvotes_offered"] + storm["skipped"]) / storm["seconds"]
    return storm


def special(name: str, s: dict[str, Any], r: dict[str, Any], n: int) -> list[object]:
    """Return the rows that are not one figure each."""
    sc, rc = checked(s), checked(r)

    def both(text: Any) -> list[str]:
        return [text(s, sc), text(r, rc)]

    if name == "QUESTIONS":
        return [
            "phones joined and streaming; questions accepted of offered",
            *both(lambda f, c: f"{f['joined']:,}; {f['questions_accepted']:,} of "
                  f"{f['questions_offered']:,}"),
            "", f"all {n:,}", "yes" if s["joined"] == n else "**no**",
        ]  # fmt: skip
    if name == "UPVOTES":
        return [
            "upvotes accepted of sent (not sent: nothing on screen to vote for yet)",
            *both(lambda f, c: f"{f['upvotes_accepted']:,} of {f['upvotes_offered']:,} "
                  f"({f['skipped']:,})"),
            "", "", "",
        ]  # fmt: skip
    if name == "REACTIONS":
        return [
            "reactions accepted of offered / p99 from due / counted on the big screen",
            *both(lambda f, c: f"{f['reactions_accepted']:,} of {f['reactions_offered']:,} / "
                  f"{ms(f['reaction_p99_ms'])} / {f['reactions_on_stage']:,}"),
            "", "", "",
        ]  # fmt: skip
    if name == "EXACTLY_ONCE":
        return [
            "exactly once: questions accepted / stored / doubled; upvotes accepted / stored / "
            "questions whose count is off or short; reactions accepted / stored "
            "(stored without an answer: questions, upvotes, reactions cut off at the end)",
            *both(lambda f, c: f"{f['questions_accepted']:,} / {c['questions_stored']:,} / "
                  f"{c['questions_doubled']}; {f['upvotes_accepted']:,} / "
                  f"{c['upvotes_stored']:,} / {c['counts_wrong'] + c['upvotes_lost']}; "
                  f"{f['reactions_accepted']:,} / {c['reactions_stored']:,} "
                  f"({', '.join(f'{u:,}' for u in c['unanswered'])})"),
            "", "none lost or doubled", "yes" if sc["exact"] else "**no**",
        ]  # fmt: skip
    if name == "PHONES_FINAL":
        return [
            "phones showing the final list",
            *both(lambda f, c: f"{f['phones_final']:,} of {f['screens']:,}"),
            "", "all", "yes" if s["phones_final"] == s["screens"] == n else "**no**",
        ]  # fmt: skip
    assert name == "GENERATOR_CPU"
    return [
        "load generator CPU, the storm (share of its wall time)",
        *both(lambda f, c: f"{f['cpu_seconds']:.1f} s "
              f"({f['cpu_seconds'] / max(f['wall_seconds'], 1e-3):.0%})"),
        "", "", "",
    ]  # fmt: skip


def rows(n: int, sammen: dict[str, Any], reference: dict[str, Any]) -> list[list[object]]:
    """Return the table's rows: label, Sammen, reference, ratio, target, met?"""
    s, r = flat(sammen), flat(reference)
    lines = []
    for label, key, digits, unit, target, meets in ROWS:
        if not key:
            lines.append(special(label, s, r, n))
            continue
        met = ""
        if meets is not None:
            met = "yes" if s["joined"] == n and meets(s[key], r[key]) else "**no**"
        lines.append(
            [
                label.format(**s),
                base.number(s[key], digits, unit),
                base.number(r[key], digits, unit),
                base.number(base.ratio(s[key], r[key]), 2),
                target,
                met,
            ]
        )
    return lines


def report(participants: int, args: argparse.Namespace, sammen: dict, reference: dict) -> None:
    print()
    print(
        f"### The question storm, {participants:,} phones: {args.questions:,} questions, "
        f"{args.upvotes:,} upvotes over {args.storm_seconds:g} s"
    )
    print()
    print(f"$ {command_line()}")
    print(f"Load average after: {load_average()}")
    session = sammen["session"]
    print(
        f"Session: moderation {session['moderation']!r} (questions show at once), reactions "
        f"{'on' if session['reactions'] else 'off'}, the big screen on the top questions"
    )
    print()
    print("\n".join(table_head(["", "Sammen", "reference", "ratio", "target", "met?"], "lrrrll")))
    for line in rows(participants, sammen, reference):
        print(table_row(line))
    troubles = []
    for label, run in [("Sammen", sammen), ("reference", reference)]:
        for what in ["question_said", "upvote_said", "reaction_said"]:
            for said, count in run["storm"][what]:
                troubles.append(f"- {label}, {what.split('_')[0]}s: {count:,} × {said}")
        for said, count in run["joins"]["errors"]:
            troubles.append(f"- {label}, joins: {count:,} × {said}")
    if troubles:
        print()
        print("What went wrong for some phones:")
        print("\n".join(troubles))
    print(flush=True)


def run(sweep: tuple[int, ...], args: argparse.Namespace, secret: str) -> None:
    for participants in sweep:
        sammen = run_sammen(participants, args, secret)
        reference = run_reference(participants, args, secret, sizes_of(sammen))
        path = base.VAR_DIR / f"figures-questions-{participants}.json"
        path.write_text(json.dumps({"sammen": sammen, "reference": reference}, indent=1))
        report(participants, args, sammen, reference)
        print(f"(every figure measured: {path.relative_to(base.REPO)})")
