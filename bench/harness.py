"""What the benchmarks share: ports, server processes and their CPU time and memory, the
machine, and the command line and tables of the report.

The standard library only, and no import of Sammen: the load generators and the
red-dwarf child (in a virtualenv without Sammen) import this module too. Processes are
read from /proc, so Linux only, as the benchmarks are. A script under `bench/` imports
it as `harness` (Python puts the script's folder first on the path).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import platform
import resource
import select
import shlex
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent

# What a developer's shell may hold that would make a benchmark's Sammen unlike production.
UNLIKE_PRODUCTION = {"DEBUG", "SAMMEN_TESTING", "DJANGO_SETTINGS_MODULE", "REDIS_URL"}


class BenchFailure(Exception):
    """A benchmark cannot go on: a server did not start, or a request or a check failed."""


# --- The run and the machine ------------------------------------------------------------


def command_line() -> str:
    """Return the command that started this run as it was typed, interpreter included."""
    return shlex.join(sys.orig_argv)


def load_average(values: Sequence[float] | None = None, separator: str = " / ") -> str:
    """Return the load average over 1, 5 and 15 minutes (now, unless given)."""
    return separator.join(f"{value:.1f}" for value in values or os.getloadavg())


def cpu_model() -> str:
    """Return the processor's model name."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def raise_file_limit(needed: int = 0) -> int:
    """Raise this process's open-file limit to its hard limit (children inherit it); return it.

    Raise BenchFailure when even the hard limit is below `needed`.
    """
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if hard != resource.RLIM_INFINITY and hard < needed:
        raise BenchFailure(
            f"this run needs about {needed} open files per process and the hard limit is "
            f"{hard}: raise it (ulimit -Hn, or LimitNOFILE= in a systemd unit) or run fewer"
        )
    return hard


def memory_kib() -> int:
    """Return the machine's memory in KiB (0 if unknown)."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


# --- Sammen's environment and databases -------------------------------------------------


def sammen_environment(database_url: str, **settings: str) -> dict[str, str]:
    """Return this process's environment for a production-like Sammen on `database_url`.

    DEBUG, SAMMEN_TESTING, DJANGO_SETTINGS_MODULE and REDIS_URL are left out unless
    `settings` sets them again; `settings` are the other environment variables of
    sammen/settings.py to set.
    """
    environment = {
        name: value for name, value in os.environ.items() if name not in UNLIKE_PRODUCTION
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="sammen.settings",
        DATABASE_URL=database_url,
        LOG_LEVEL="WARNING",
    )
    environment.update(settings)
    return environment


def recreate_database(server_url: str, name: str) -> None:
    """Drop the database `name` on the PostgreSQL server if it exists, and create it empty."""
    import psycopg  # here: the load generators and red-dwarf's child have no psycopg

    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(server_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- Servers ----------------------------------------------------------------------------


def free_port() -> int:
    """Return a TCP port on the loopback address that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ServerProcess:
    """A server run as a child process, with whatever processes it starts (its workers).

    It is ready when its port takes connections or, given `ready_path`, when a GET of
    that path answers 200. It starts in a process group of its own, so that stopping it
    leaves none of its processes behind, and Ctrl-C in the terminal reaches only the
    benchmark, which stops its servers itself.
    """

    def __init__(
        self,
        command: Sequence[str],
        environment: Mapping[str, str],
        port: int,
        *,
        log_path: Path | None = None,
        ready_path: str | None = None,
    ) -> None:
        self.command = list(command)
        self.environment = dict(environment)
        self.port = port
        self.log_path = log_path
        self.ready_path = ready_path
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def output(self) -> str:
        """Say where the server's output went, for messages about it."""
        return f"see {self.log_path}" if self.log_path else "its output is above"

    def launch(self) -> None:
        """Start the process; `wait_until_ready` waits for it to serve. A server started
        again (a restart) adds to the log of its first start."""
        mode = "wb" if self.process is None else "ab"
        output = self.log_path.open(mode) if self.log_path else None
        self.process = subprocess.Popen(
            self.command,
            cwd=REPO,
            env=self.environment,
            stdout=output,
            stderr=output,
            process_group=0,
        )
        if output:
            output.close()  # the child holds its own copy

    def wait_until_ready(self, timeout: float = 60) -> None:
        assert self.process is not None, "launch() first"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchFailure(f"the server on port {self.port} stopped; {self.output}")
            if self.answers():
                return
            time.sleep(0.2)
        raise BenchFailure(
            f"the server on port {self.port} did not answer within {timeout:.0f} s; {self.output}"
        )

    def answers(self) -> bool:
        try:
            if self.ready_path is None:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return True
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            try:
                connection.request("GET", self.ready_path)
                return connection.getresponse().status == 200
            finally:
                connection.close()
        except (OSError, http.client.HTTPException):
            return False

    def start(self, timeout: float = 60) -> None:
        self.launch()
        self.wait_until_ready(timeout)

    def stop(self, timeout: float = 20) -> None:
        stop_servers([self], timeout)

    def pids(self) -> list[int]:
        """Return the server's process and all its descendants (while it runs)."""
        if self.process is None or self.process.poll() is not None:
            return []
        return process_tree(self.process.pid)

    def cpu_seconds(self) -> float:
        """Return the CPU time its running processes have used so far."""
        return cpu_seconds(self.pids())

    def resident_kib(self) -> int:
        """Return the resident memory of its processes now."""
        return resident_kib(self.pids())


def start_servers(servers: Sequence[ServerProcess], timeout: float = 60) -> None:
    """Start the servers side by side, and wait until each is ready."""
    for server in servers:
        server.launch()
    for server in servers:
        server.wait_until_ready(timeout)


def stop_servers(servers: Sequence[ServerProcess], timeout: float = 20) -> None:
    """Ask each running server to stop (SIGTERM to its first process, which stops its
    workers); kill what is left of it after `timeout` seconds."""
    running = [s.process for s in servers if s.process and s.process.poll() is None]
    for process in running:
        process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for process in running:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    for server in servers:
        # Workers the first process left behind: the process group is the server's own.
        if server.process is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(server.process.pid, signal.SIGKILL)


# --- Processes' CPU time and memory -----------------------------------------------------


def process_tree(root: int) -> list[int]:
    """Return the process `root` and all its descendants."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue  # ended meanwhile
            children.setdefault(parent, []).append(int(entry.name))
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack += children.get(pid, [])
    return found


def cpu_seconds(pids: Iterable[int]) -> float:
    """Return the CPU seconds (user and system) the processes have used so far."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def resident_kib(pids: Iterable[int]) -> int:
    """Return the processes' resident memory (VmRSS) now, summed, in KiB."""
    total = 0
    for pid in pids:
        try:
            lines = Path(f"/proc/{pid}/status").read_text().splitlines()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in lines if line.startswith("VmRSS:")), 0)
    return total


def resident_mb() -> float:
    """Return this process's resident memory now, in MB (MiB)."""
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def reset_peak_memory() -> None:
    """Start this process's peak resident memory (VmHWM) afresh (Linux 4.0 and later)."""
    with open("/proc/self/clear_refs", "w") as handle:
        handle.write("5")


def peak_memory_mb() -> float:
    """Return this process's peak resident memory (since `reset_peak_memory`), in MB (MiB)."""
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- Measuring in a child process -------------------------------------------------------


def json_from_child(command: Sequence[str], environment: Mapping[str, str] | None = None) -> Any:
    """Run a measurement in a process of its own; return the JSON of its last line of output.

    If it fails, return {"error": the last line it wrote to stderr}.
    """
    completed = subprocess.run(
        command, capture_output=True, text=True, env=environment, check=False, cwd=REPO
    )
    if completed.returncode != 0:
        return {"error": (completed.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(completed.stdout.strip().splitlines()[-1])


class JsonLinesChild:
    """A child process that answers each JSON line on its stdin with one JSON line on its
    stdout, and writes everything else (warnings, tracebacks) to `log_path`.

    Every wait for an answer has a deadline: a child that stops or takes too long raises
    BenchFailure, saying where its output went.
    """

    def __init__(self, command: Sequence[str], log_path: Path, name: str = "the child") -> None:
        self.name = name
        self.log_path = log_path
        with log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command, cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log
            )
        self.pending = b""

    @property
    def pid(self) -> int:
        return self.process.pid

    def ask(self, request: Mapping[str, Any], timeout: float) -> Any:
        """Send `request`; return the child's answer, within `timeout` seconds."""
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(json.dumps(request).encode() + b"\n")
            self.process.stdin.flush()
        except BrokenPipeError:
            raise self.failure(f"stopped before {request.get('do', 'a request')}") from None
        return json.loads(self.read_line(timeout, request.get("do", "a request")))

    def read_line(self, timeout: float, what: object) -> bytes:
        assert self.process.stdout is not None
        descriptor = self.process.stdout.fileno()
        deadline = time.monotonic() + timeout
        while b"\n" not in self.pending:
            left = deadline - time.monotonic()
            if left <= 0:
                raise self.failure(f"gave no answer to {what} within {timeout:.0f} s")
            ready, _w, _x = select.select([descriptor], [], [], min(left, 1.0))
            if ready:
                chunk = os.read(descriptor, 1 << 20)
                if not chunk:
                    raise self.failure(f"stopped during {what}")
                self.pending += chunk
        line, self.pending = self.pending.split(b"\n", 1)
        return line

    def failure(self, what: str) -> BenchFailure:
        try:
            tail = self.log_path.read_text(errors="replace").strip().splitlines()[-5:]
        except OSError:
            tail = []
        said = (": " + " / ".join(tail)) if tail else ""
        return BenchFailure(f"{self.name} {what} (see {self.log_path}){said}")

    def close(self, timeout: float = 10) -> None:
        """Close its stdin (it ends when it reads no more), and kill it after `timeout` s."""
        with contextlib.suppress(OSError):
            if self.process.stdin:
                self.process.stdin.close()
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# --- The report -------------------------------------------------------------------------


def table_head(columns: Sequence[str], align: str) -> list[str]:
    """Return a Markdown table's first two lines; `align` has an l or r per column."""
    rules = {"l": "---", "r": "---:"}
    return [table_row(columns), "|" + "|".join(rules[side] for side in align) + "|"]


def table_row(cells: Iterable[object]) -> str:
    """Return a row of a Markdown table."""
    return "|" + "|".join(f" {cell} " if cell != "" else " " for cell in cells) + "|"
