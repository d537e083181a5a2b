"""Supports in the open call benchmark: who supports which idea, over HTTP and directly.

`SupportPlans` hands out (member, idea) pairs so that each member supports an idea at
most once; `measure_supports` posts the support button's htmx request from many
signed-in members, then sends supports twice at the same moment; `direct_supports` calls
the action without HTTP; `check_supports` compares the database with what the server
acknowledged. Part of `bench/calls.py`.
"""

import argparse
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from calls_load import Client, Phase, Request, check, log, merged, run_phase
from calls_seed import Seeded, Setup
from harness import BenchFailure

SUPPORTED_MARK = b'aria-pressed="true"'  # the support button once the support counts


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


def support_requests(
    setup: Setup, cookies: dict[int, tuple[str, str]]
) -> Callable[[tuple[int, int]], Request]:
    """Return what makes the support button's htmx request of a (member, idea) pair."""
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

    return support_request


def measure_supports(
    args: argparse.Namespace,
    port: int,
    setup: Setup,
    seeded: Seeded,
    cookies: dict[int, tuple[str, str]],
    plans: SupportPlans,
    members: list[list[int]],
    between: Callable[[], object] | None = None,
) -> tuple[Phase, int]:
    """Support ideas as signed-in members clicking the button (htmx), then double-click.

    The supports run in `args.slices` slices; `between` runs after each (pgbench, so that
    both meet the same background load). Return the phase of the supports and how many
    supports were sent twice at once.
    """
    prefix = f"/s/{setup.space_slug}/a/{setup.activity_slug}/ideas/"
    support_request = support_requests(setup, cookies)

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
    slices = []
    for _ in range(args.slices):
        slices.append(
            run_phase(
                "supports",
                port,
                [plans.plan(members[i], support_request, rngs[i]) for i in range(len(members))],
                args.seconds / args.slices,
            )
        )
        plans.acknowledged.update(slices[-1].pairs)
        if slices[-1].failures:
            break
        if between is not None:
            between()
    support = merged("supports", slices)
    if support.failures:
        raise BenchFailure(f"supports: {support.failures[0]}")
    plans.acknowledged.update(support.pairs)
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
    log(f"double clicks: {len(pairs)} supports sent twice at once, {answered} answers")
    return support, len(pairs)


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
