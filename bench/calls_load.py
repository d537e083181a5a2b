"""The open call benchmark's load generator: requests, clients and timed phases.

The standard library only, as `harness.py`: each client is a thread with its own
keep-alive connection, and a phase lets every client send its plan's requests until time
is up, timing each and checking its answer. Also the run's log, with the seconds since it
started. Part of `bench/calls.py`.
"""

import http.client
import math
import os
import random
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

# The run's clock: the modules of the benchmark log the seconds since it started.
STARTED = time.monotonic()
LOAD_AT_START = os.getloadavg()  # 1, 5 and 15 minutes: the machine is often shared


def elapsed() -> float:
    return time.monotonic() - STARTED


def log(message: str) -> None:
    print(f"[{elapsed():6.1f} s] {message}", flush=True)


# --- Requests and phases --------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None = None
    must_contain: bytes | None = None
    pair: tuple[int, int] | None = None  # (participant id, idea id) of a support


@dataclass
class Phase:
    name: str
    latencies: list[float]
    seconds: float
    failures: list[str]
    pairs: list[tuple[int, int]] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)  # each request's method, as latencies
    alone_p50: float = math.nan  # p50 with one client, when measured
    client_cpu: float = 0.0  # CPU seconds the load generator itself used
    server_cpu: float = math.nan  # CPU seconds of the server's processes
    database_cpu: float = math.nan  # CPU seconds of PostgreSQL's processes on the database

    def cpu_per_request(self, seconds: float) -> float:
        return 1000 * seconds / len(self.latencies) if self.latencies else math.nan

    @property
    def per_second(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, share: int) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] * 1000 if self.latencies else math.nan
        cuts = statistics.quantiles(self.latencies, n=100, method="inclusive")
        return cuts[share - 1] * 1000

    def only(self, method: str, name: str) -> "Phase":
        """Return the requests of one method in a phase that mixed reads and writes."""
        kept = [i for i, sent in enumerate(self.methods) if sent == method]
        return Phase(
            name=name,
            latencies=[self.latencies[i] for i in kept],
            seconds=self.seconds,
            failures=self.failures,
            methods=[method] * len(kept),
        )


def merged(name: str, phases: list[Phase]) -> Phase:
    """Return slices of one phase, run with pauses between them, as one phase."""
    return Phase(
        name=name,
        latencies=[value for phase in phases for value in phase.latencies],
        seconds=sum(phase.seconds for phase in phases),
        failures=[failure for phase in phases for failure in phase.failures],
        pairs=[pair for phase in phases for pair in phase.pairs],
        methods=[method for phase in phases for method in phase.methods],
        client_cpu=sum(phase.client_cpu for phase in phases),
        server_cpu=sum(phase.server_cpu for phase in phases),
        database_cpu=sum(phase.database_cpu for phase in phases),
    )


# --- The clients ----------------------------------------------------------------------


class Client:
    """One visitor's keep-alive connection; reconnects when the server closed it."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def send(self, request: Request) -> tuple[int, bytes]:
        for attempt in range(2):
            try:
                self.connection.request(
                    request.method, request.path, body=request.body, headers=request.headers
                )
                response = self.connection.getresponse()
                return response.status, response.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # A keep-alive connection the server closed while idle; a real client reconnects.
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.connection.close()


def check(request: Request, status: int, body: bytes) -> str | None:
    if status != 200:
        return f"{status} for {request.method} {request.path}: {body[:400]!r}"
    if request.must_contain is not None and request.must_contain not in body:
        return f"200 without {request.must_contain!r} for {request.method} {request.path}"
    return None


def database_pids(database: str) -> list[int]:
    """Return PostgreSQL's backends connected to the benchmark's database."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if command.startswith(b"postgres: ") and f" {database} ".encode() in command:
                pids.append(int(entry.name))
    return pids


# Set once the server runs: returns the CPU seconds of the server and of PostgreSQL's
# backends on the benchmark's database, so each phase can report its CPU per request.
METER: Callable[[], tuple[float, float]] | None = None


def measure_cpu_with(meter: Callable[[], tuple[float, float]]) -> None:
    """Let every phase from now on report the CPU seconds that `meter` counts."""
    global METER
    METER = meter


def run_phase(name: str, port: int, plans: list[Iterator[Request]], seconds: float) -> Phase:
    """Let each client send its plan's requests one after another until time is up."""
    latencies: list[list[float]] = [[] for _ in plans]
    methods: list[list[str]] = [[] for _ in plans]
    pairs: list[list[tuple[int, int]]] = [[] for _ in plans]
    failures: list[str] = []
    stop = threading.Event()
    start_together = threading.Barrier(len(plans) + 1)
    deadline = 0.0

    def client_loop(index: int) -> None:
        client = Client(port)
        start_together.wait()
        try:
            for request in plans[index]:
                if stop.is_set() or time.monotonic() >= deadline:
                    break
                started = time.perf_counter()
                try:
                    status, body = client.send(request)
                except (OSError, http.client.HTTPException) as error:
                    failures.append(f"{error!r} for {request.method} {request.path}")
                    stop.set()
                    break
                took = time.perf_counter() - started
                problem = check(request, status, body)
                if problem:
                    failures.append(problem)
                    stop.set()
                    break
                latencies[index].append(took)
                methods[index].append(request.method)
                if request.pair is not None:
                    pairs[index].append(request.pair)
        finally:
            client.close()

    threads = [threading.Thread(target=client_loop, args=(i,)) for i in range(len(plans))]
    for thread in threads:
        thread.start()
    meter = METER() if METER else (math.nan, math.nan)
    began, cpu = time.monotonic(), time.process_time()
    deadline = began + seconds
    start_together.wait()
    for thread in threads:
        thread.join()
    metered = METER() if METER else (math.nan, math.nan)
    return Phase(
        server_cpu=metered[0] - meter[0],
        database_cpu=metered[1] - meter[1],
        name=name,
        latencies=[value for values in latencies for value in values],
        seconds=time.monotonic() - began,
        failures=failures,
        pairs=[pair for values in pairs for pair in values],
        methods=[method for values in methods for method in values],
        client_cpu=time.process_time() - cpu,
    )


def visits(
    path: Callable[[random.Random], str],
    headers: dict[str, str],
    must_contain: bytes | None,
    rng: random.Random,
) -> Iterator[Request]:
    while True:
        yield Request("GET", path(rng), headers, must_contain=must_contain)
