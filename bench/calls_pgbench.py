"""pgbench beside the open call benchmark: the floor its supports per second are set against.

pgbench runs in slices taking turns with the slices of supports over HTTP, so that both
meet the same background load on a shared machine. Part of `bench/calls.py`.
"""

import argparse
import os
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from calls_load import log
from harness import BenchFailure, drop_database, recreate_database


def find_pgbench() -> str:
    found = shutil.which("pgbench")
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin/pgbench"), reverse=True):
        return str(candidate)
    raise BenchFailure("pgbench is not installed (it comes with the PostgreSQL server)")


@dataclass
class Pgbench:
    """pgbench's tables, initialised in their own database, and how to run it on them."""

    args: argparse.Namespace
    connection: list[str]
    environment: dict[str, str]
    commands: list[str] = field(default_factory=list)
    slices: list[float] = field(default_factory=list)  # tps of each slice run so far

    @property
    def tps(self) -> float:
        """Transactions per second over all slices (each slice as long as the others)."""
        return sum(self.slices) / len(self.slices) if self.slices else 0.0

    def run(self, seconds: float) -> float:
        """Run TPC-B-like transactions for `seconds` and return their rate."""
        args = self.args
        command = [
            find_pgbench(), "-c", str(args.clients), "-j", "2", "-T", str(max(1, round(seconds))),
            *self.connection, args.pgbench_database,
        ]  # fmt: skip
        result = subprocess.run(
            command, check=True, capture_output=True, text=True, env=self.environment
        )
        if shlex.join(command) not in self.commands:
            self.commands.append(shlex.join(command))
        match = re.search(r"tps = ([\d.]+) \(without initial connection time\)", result.stdout)
        if match is None:
            raise BenchFailure(f"could not read pgbench's output:\n{result.stdout}")
        self.slices.append(float(match.group(1)))
        log(f"  pgbench for {seconds:.0f} s: {self.slices[-1]:.1f} tps")
        return self.slices[-1]

    def drop(self) -> None:
        drop_database(self.args.pg_url, self.args.pgbench_database)


def prepare_pgbench(args: argparse.Namespace) -> Pgbench:
    """Initialise pgbench's tables in their own database."""
    url = urlsplit(args.pg_url)
    connection = ["-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432)]
    connection += ["-U", url.username or "postgres"]
    environment = {**os.environ}
    if url.password:
        environment["PGPASSWORD"] = url.password
    recreate_database(args.pg_url, args.pgbench_database)
    initialise = [find_pgbench(), "-i", "-q", "-s", str(args.pgbench_scale), *connection]
    subprocess.run(
        [*initialise, args.pgbench_database], check=True, capture_output=True, env=environment
    )
    log(f"  {shlex.join([*initialise, args.pgbench_database])}")
    return Pgbench(
        args, connection, environment, commands=[shlex.join([*initialise, args.pgbench_database])]
    )
