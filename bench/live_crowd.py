"""The load generator of bench/live.py: a crowd of phones (bench/live_phones.py) taken
through the phases of a live session, against one server.

    .venv/bin/python bench/live_crowd.py   (started by bench/live.py)

It runs in a process of its own, on uvloop, and takes one JSON command a line on stdin
(setup, warm_up, join, drop, storm, answer, questions, close), answering each with one JSON line
on stdout, with the CPU seconds this process spent on it; warnings and tracebacks go to
stderr. Work is started when it is due (open loop): a phone's join or answer does not
wait for another phone's, so a slow server shows as latency counted from when each was
due, never as load that was quietly not offered.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
import traceback
from collections import Counter
from typing import Any

import numpy as np
from live_phones import Phone, PhoneFailure, Room, now_ms


def percentile(values: list[float], share: float) -> float:
    """Return the value below which `share` (0 to 100) of `values` lie; inf counts as the
    slowest (a phone that never got there), and no interpolation invents a value."""
    if not values:
        return float("nan")
    return float(np.percentile(np.array(values), share, method="inverted_cdf"))


async def open_loop(
    start: float, interval: float, jobs: list[Any], deadline: float
) -> list[asyncio.Task[None]]:
    """Start each job (a function of its due time) when due, `interval` ms apart from
    `start`, whether or not the earlier ones are done; cancel what is not done at `deadline`."""
    loop = asyncio.get_running_loop()
    tasks = []
    for index, job in enumerate(jobs):
        due = start + index * interval
        wait = (due - now_ms()) / 1000
        if wait > 0:
            await asyncio.sleep(wait)
        tasks.append(loop.create_task(job(due)))
    await finish(tasks, deadline)
    return tasks


async def finish(tasks: list[asyncio.Task[Any]], deadline: float) -> None:
    """Wait for the tasks until `deadline` (ms); cancel those still running then."""
    if not tasks:
        return
    _done, pending = await asyncio.wait(tasks, timeout=max(0.1, (deadline - now_ms()) / 1000))
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)


def failures(errors: list[str]) -> list[list[Any]]:
    return [[error, count] for error, count in Counter(errors).most_common(5)]


class Run:
    """The phones of one run against one server, and what they measured together."""

    def __init__(self, spec: dict[str, Any]) -> None:
        room = self.room = Room(int(spec["port"]), str(spec["code"]), int(spec["poll"]))
        self.stats = room.stats
        self.options = list(spec["options"])
        self.phones = [Phone(room, number) for number in range(int(spec["participants"]))]
        self.spares = [Phone(room, -1 - number) for number in range(int(spec["warm_up"]))]

    def joined(self) -> list[Phone]:
        return [phone for phone in self.phones if phone.token and not phone.error]

    async def warm_up(self) -> dict[str, Any]:
        """Let a few spare phones join (or, once joined, reopen their stream), then leave:
        the servers load their code and templates before anything is measured."""
        for phone in self.spares:
            await asyncio.wait_for(phone.open_stream() if phone.token else phone.join(), 60)
            phone.close()
        await asyncio.sleep(0.5)
        self.stats.clear()
        return {}

    async def join(self, seconds: float, timeout: float) -> dict[str, Any]:
        """Every phone joins through the QR code's link, the join page and its form, and
        opens its stream; journeys start evenly over `seconds`, whatever came back."""
        start = now_ms() + 100
        results: list[tuple[float, float, float, str]] = []

        def journey(phone: Phone) -> Any:
            async def run(due: float) -> None:
                started = now_ms()
                try:
                    streaming = await phone.join()
                except asyncio.CancelledError:
                    phone.error = "no first message before the deadline"
                    results.append((due, started, float("inf"), phone.error))
                    phone.close()
                    raise
                except (PhoneFailure, OSError) as error:
                    phone.error = str(error) or type(error).__name__
                    results.append((due, started, float("inf"), phone.error))
                    phone.close()
                else:
                    results.append((due, started, streaming, ""))

            return run

        interval = seconds * 1000 / len(self.phones)
        deadline = start + (seconds + timeout) * 1000
        await open_loop(start, interval, [journey(phone) for phone in self.phones], deadline)
        streaming = [at for _due, _started, at, error in results if not error]
        last = max(streaming, default=float("inf"))
        stats = self.stats
        return {
            "offered": len(self.phones),
            "offered_per_second": len(self.phones) / seconds if seconds else float("inf"),
            "joined": len(streaming),
            "last_streaming_s": (last - start) / 1000,
            "per_second": len(streaming) / max((last - start) / 1000, 1e-3),
            "p50_ms": percentile([at - due for due, _s, at, _e in results], 50),
            "p99_ms": percentile([at - due for due, _s, at, _e in results], 99),
            "late_p99_ms": percentile([started - due for due, started, _a, _e in results], 99),
            "errors": failures([error for *_x, error in results if error]),
            "join_page_bytes": stats["join_page_bytes"] / max(stats["pages"], 1),
            "room_page_bytes": stats["room_page_bytes"] / max(stats["pages"], 1),
            "first_bytes": stats["first_bytes"] / max(stats["first_messages"], 1),
        }

    async def drop(self) -> dict[str, Any]:
        """Close every phone's stream, and wait (5 s at most) until the connections are gone."""
        for phone in self.phones:
            phone.close_stream()
        deadline = time.monotonic() + 5
        while any(phone.stream for phone in self.phones) and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        return {"still_open": sum(1 for phone in self.phones if phone.stream)}

    async def storm(self, timeout: float) -> dict[str, Any]:
        """Every joined phone opens its stream at the same moment (as after a restart or a
        network hiccup); return how long the screens waited for their first message."""
        phones = self.joined()
        start = now_ms()
        waits: list[float] = []
        errors: list[str] = []

        async def reopen(phone: Phone) -> None:
            try:
                waits.append(await phone.open_stream() - start)
            except asyncio.CancelledError:
                errors.append("no first message before the deadline")
                waits.append(float("inf"))
                phone.close_stream()
                raise
            except (PhoneFailure, OSError) as error:
                errors.append(str(error))
                waits.append(float("inf"))
                phone.close_stream()

        loop = asyncio.get_running_loop()
        await finish([loop.create_task(reopen(phone)) for phone in phones], start + timeout * 1000)
        return {
            "screens": len(phones),
            "connected": sum(1 for wait in waits if wait != float("inf")),
            "last_ms": max(waits, default=float("nan")),
            "p50_ms": percentile(waits, 50),
            "p99_ms": percentile(waits, 99),
            "errors": failures(errors),
        }

    async def answer(
        self, seconds: float, timeout: float, settle: float, opened_at: float
    ) -> dict[str, Any]:
        """Every joined phone answers once: answers due evenly over `seconds` and sent when
        due, each on its phone's own connection (open loop), then wait up to `settle`
        seconds after the last came back for every screen to show the final tally."""
        phones = self.joined()
        screens = [phone for phone in phones if phone.streaming]
        marks = {phone.number: len(phone.events) for phone in screens}
        self.stats["snapshot_bytes"] = self.stats["snapshots"] = 0  # this phase's only
        start = now_ms() + 100
        records: list[tuple[float, float, float, int, bool, str]] = []

        def send(phone: Phone) -> Any:
            option = self.options[phone.number % len(self.options)]

            async def run(due: float) -> None:
                sent = now_ms()
                try:
                    acked, status, refused = await phone.answer(option)
                except asyncio.CancelledError:
                    records.append(
                        (due, sent, float("inf"), 0, False, "no response before the deadline")
                    )
                    raise
                except (PhoneFailure, OSError) as error:
                    records.append((due, sent, float("inf"), 0, False, str(error)))
                else:
                    said = (
                        f"HTTP {status}" if status != 200 else "refused in place" if refused else ""
                    )
                    records.append((due, sent, acked, status, refused, said))

            return run

        interval = seconds * 1000 / max(len(phones), 1)
        deadline = start + (seconds + timeout) * 1000
        await open_loop(start, interval, [send(phone) for phone in phones], deadline)
        accepted = [r for r in records if r[3] == 200 and not r[4]]
        expected = len(accepted)
        last_ack = max((r[2] for r in accepted), default=float("nan"))
        until = time.monotonic() + settle
        while time.monotonic() < until:
            if all(phone.events and phone.events[-1][2] >= expected for phone in screens):
                break
            await asyncio.sleep(0.1)
        events = [phone.events[marks[phone.number] :] for phone in screens]
        (reads, everyone), final = on_every_screen(events, expected)
        everywhere = []
        for due, _sent, acked, *_rest in accepted:
            index = int(np.searchsorted(reads, acked, side="left"))
            # No snapshot read after the answer came back: the final tally surely holds it.
            at = everyone[index] if index < len(reads) else final
            everywhere.append(min(at, final) - due)
        waits = [
            acked - due if status == 200 and not refused else float("inf")
            for due, _sent, acked, status, refused, _said in records
        ]
        stats = self.stats
        return {
            "offered": len(phones),
            "offered_per_second": len(phones) / seconds if seconds else float("inf"),
            "accepted": expected,
            "statuses": failures([r[5] for r in records if r[5]]),
            "first_due": start,
            "opened_at": opened_at,
            "last_accepted_after_open_s": (last_ack - opened_at) / 1000,
            "per_second": expected / max((last_ack - start) / 1000, 1e-3),
            "accepted_p50_ms": percentile(waits, 50),
            "accepted_p99_ms": percentile(waits, 99),
            "everywhere_p50_ms": percentile(everywhere, 50),
            "everywhere_p99_ms": percentile(everywhere, 99),
            "late_p99_ms": percentile([r[1] - r[0] for r in records], 99),
            "late_max_ms": max((r[1] - r[0] for r in records), default=float("nan")),
            "screens": len(screens),
            "screens_with_final_tally": sum(1 for e in events if e and e[-1][2] == expected),
            "final_after_last_answer_ms": final - last_ack,
            "snapshot_bytes": stats["snapshot_bytes"] / max(stats["snapshots"], 1),
            "answer_bytes": stats["answer_bytes"] / max(len(records), 1),
            "reconnects": stats["reconnects"],
            "replaced": stats["replaced"],
        }

    async def questions(self, **storm: Any) -> dict[str, Any]:
        """The question storm (bench/live_questions.py): questions, upvotes and reactions
        from the joined phones, with a moderator's and a big screen's streams watching."""
        from live_questions import Storm

        return await Storm(self).storm(**storm)

    async def close(self) -> dict[str, Any]:
        for phone in self.phones + self.spares:
            phone.close()
        return {}


def on_every_screen(
    screens: list[list[tuple[float, float, int]]], expected: int
) -> tuple[tuple[np.ndarray, np.ndarray], float]:
    """Return, for each snapshot read time, when every screen had received a snapshot read
    then or later; and when every screen had received the final tally (`expected`)."""
    if not screens or not any(screens):
        return (np.array([]), np.array([])), float("inf")
    reads = np.unique(np.array([at for events in screens for _r, at, _t in events]))
    everyone = np.zeros(len(reads))
    final = 0.0
    for events in screens:
        if not events:
            return (reads, np.full(len(reads), np.inf)), float("inf")
        table = np.array(events)
        received, ats = table[:, 0], np.maximum.accumulate(table[:, 1])
        positions = np.searchsorted(ats, reads, side="left")
        inside = positions < len(received)
        times = np.where(inside, received[np.minimum(positions, len(received) - 1)], np.inf)
        everyone = np.maximum(everyone, times)
        done = np.nonzero(table[:, 2] >= expected)[0]
        final = max(final, float(received[done[0]]) if len(done) else float("inf"))
    return (reads, everyone), final


async def serve() -> None:
    """Answer the driver's commands, one JSON line each, until stdin closes."""
    loop = asyncio.get_running_loop()
    run: Run | None = None
    while line := await loop.run_in_executor(None, sys.stdin.readline):
        command = json.loads(line)
        action = command.pop("do")
        cpu, wall = time.process_time(), time.monotonic()
        try:
            if action == "setup":
                run = Run(command)
                reply: dict[str, Any] = {}
            else:
                assert run is not None, "setup first"
                reply = await getattr(run, action)(**command)
        except Exception as error:  # the driver raises BenchFailure with it
            traceback.print_exc()
            reply = {"error": f"{action}: {type(error).__name__}: {error}"}
        reply.update(cpu_seconds=time.process_time() - cpu, wall_seconds=time.monotonic() - wall)
        print(json.dumps(reply), flush=True)
    if run is not None:
        await run.close()


def main() -> None:
    from harness import raise_file_limit

    raise_file_limit()
    try:
        import uvloop
    except ImportError:
        asyncio.run(serve())
    else:
        uvloop.run(serve())


if __name__ == "__main__":
    main()
