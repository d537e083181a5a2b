"""What the benchmarks of one kind through Django share (journeys.py, meetings.py): the
owner of the data they build, rows reserved and copied in bulk, timing, clients in
threads, and the report's heading and its table of rates.

Unlike `harness.py`, this runs inside Django, on PostgreSQL: a script imports it after
`conversation_django.setup_django()` (Python puts the script's folder first on the
path), and its functions import Django and Sammen when called.
"""

from __future__ import annotations

import os
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from harness import command_line, cpu_model, load_average, table_head, table_row


def bench_owner(email: str) -> Any:
    """Return the account that owns the built data, created on the first run."""
    from sammen.accounts.actions import do_create_account
    from sammen.accounts.models import User

    return User.objects.filter(email=email).first() or do_create_account(
        email, "bench-password", "Olivia"
    )


class Bulk:
    """Rows written straight into PostgreSQL: ids reserved from a table's sequence, then
    the rows sent with COPY (tab-separated lines), 50,000 lines at a time."""

    def __init__(self, pg: Any) -> None:
        self.pg = pg  # a psycopg connection in autocommit mode

    def reserve(self, table: str, count: int) -> list[int]:
        rows = self.pg.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        ).fetchall()
        return [row[0] for row in rows]

    def copy(self, table: str, columns: str, lines: Iterator[str]) -> None:
        with (
            self.pg.transaction(),
            self.pg.cursor() as cursor,
            cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as stream,
        ):
            batch: list[str] = []
            for line in lines:
                batch.append(line)
                if len(batch) >= 50_000:
                    stream.write("".join(batch))
                    batch = []
            stream.write("".join(batch))

    def participants(self, public_ids: bytes, moment: str) -> list[int]:
        """Add one anonymous participant per 16 bytes of `public_ids`; return their ids."""
        ids = self.reserve("accounts_participant", len(public_ids) // 16)
        self.copy(
            "accounts_participant",
            "id, public_id, display_name, created_at",
            (
                f"{pid}\t{public_ids[16 * i : 16 * i + 16].hex()}\t\t{moment}\n"
                for i, pid in enumerate(ids)
            ),
        )
        return ids


def timed(call: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return times


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run_clients(
    clients: int, work: Callable[[str, int], list[float]], kinds: tuple[str, ...]
) -> dict[str, list[float]]:
    """Run `work(kind, client)` in `clients` threads per kind; keep every time and the wall."""
    from django.db import connections

    results: dict[str, list[float]] = {kind: [] for kind in kinds}
    lock = threading.Lock()

    def client(kind: str, number: int) -> None:
        try:
            times = work(kind, number)
        finally:
            connections.close_all()
        with lock:
            results[kind].extend(times)

    for kind in kinds:
        threads = [threading.Thread(target=client, args=(kind, i)) for i in range(clients)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        results[f"{kind} wall"] = [time.perf_counter() - started]
    return results


def print_heading(script: str, data: str) -> None:
    """Print the report's first lines: the script, when, the command, the machine, the data."""
    print(f"# {script}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(f"command: {command_line()}")
    print(f"machine: {cpu_model()}, {os.cpu_count()} cores, load {load_average()}")
    print(f"data: {data}")
    print()


def print_rates(
    title: str,
    results: dict[str, list[float]],
    kinds: tuple[str, ...],
    *,
    count: str = "n",
    target_title: str = "",
    target: str = "",
) -> None:
    """Print a table of what `run_clients` timed: per kind the count, the rate per second
    of wall time, the median and the p95; a floor's last cell says it is the floor."""
    columns = [title, count, "per s", "median ms", "p95 ms", target_title]
    print("\n".join(table_head(columns, "lrrrrl")))
    for kind in kinds:
        times = results[kind]
        wall = results[f"{kind} wall"][0]
        print(
            table_row(
                [
                    kind,
                    len(times),
                    f"{len(times) / wall:.0f}",
                    f"{statistics.median(times) * 1000:.1f}",
                    f"{percentile(times, 0.95) * 1000:.1f}",
                    "floor" if kind.startswith("floor") else target,
                ]
            )
        )
