"""pgbench beside the open call benchmark: the floor its supports per second are set against.

Part of `bench/calls.py`.
"""

import argparse
import os
import re
import shlex
import shutil
import subprocess
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
