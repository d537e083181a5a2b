"""The question storm of bench/live.py's load generator (bench/live_crowd.py).

With the room's phones joined and streaming, questions, upvotes and reactions are due
evenly over the storm's seconds and each is sent when due, on its phone's own
connections (open loop), as the room's htmx forms send them. A phone upvotes what its
screen shows: a question of the list its event stream last brought (the room's top
questions), rather the ones near the top (weight 1 / rank), never its own and never one
it upvoted before, so no second vote is sent on purpose. Before any list has reached a
phone it takes one any phone has seen; before any phone has seen one, the upvote is not
sent and is counted as skipped.

Two observers listen beside the phones, on the streams of the crew's pages: the
moderators' page (its queue lists every question with its votes) and the big screen
showing the top questions (and the reactions). They are parsed message by message; the
phones' lists are parsed once per distinct message (every phone in a language gets the
same bytes), so the load generator's CPU stays small beside the servers'.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import re
import time
import zlib
from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any

import httptools
from live_phones import EVENT_ID, HOST, Phone, PhoneFailure, now_ms

if TYPE_CHECKING:
    from live_crowd import Run

# One question of a phone's list (sammen/live/templates/live/_question.html), as JSON
# carries it inside a message.
ROW = re.compile(
    rb'id=\\"question-(\d+)\\" data-votes=\\"(\d+)\\" data-created=\\"\d*\\" '
    rb'data-pinned=\\"[01]\\" data-answered=\\"[01]\\" data-author=\\"(\d+)\\"'
)
TAG = re.compile(r"\[q(\d+)\]")  # each question's text names its number in the storm
VOTES = re.compile(r"▲ (\d+)")
REFUSAL = re.compile(rb"<[^>]*>")
LIST_LENGTH = 100  # sammen/live/queries.py QUESTION_LIST_LIMIT: the phones' list
STAGE_LENGTH = 5  # the big screen's top questions (sammen/live/snapshots.py)
REACTIONS = ("applause", "heart", "laugh", "wow", "think")
TOPICS = ("harbour", "night trains", "library", "school meals", "bike lanes", "river")


def question_text(number: int) -> str:
    topic = TOPICS[number % len(TOPICS)]
    return f"What will the {topic} look like in ten years, and who decides? [q{number}]"


def refusal_of(body: bytes) -> str:
    said = re.sub(rb"\s+", b" ", REFUSAL.sub(b" ", body)).strip()
    return "refused in place: " + said[:120].decode(errors="replace")


class Observer(asyncio.Protocol):
    """A crew page's event stream (?view=moderator or presenter): every message it
    received, decoded, with when."""

    def __init__(self, request: bytes) -> None:
        self.request = request
        self.parser = httptools.HttpResponseParser(self)
        self.chunks: list[bytes] = []
        self.ends_in_newline = False
        self.status = 0
        self.messages: list[tuple[float, dict[str, Any]]] = []
        self.bytes = 0
        self.opened: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        transport.write(self.request)  # type: ignore[attr-defined]

    def data_received(self, data: bytes) -> None:
        self.parser.feed_data(data)

    def on_headers_complete(self) -> None:
        self.status = self.parser.get_status_code()
        if self.status != 200 and not self.opened.done():
            self.opened.set_exception(PhoneFailure(f"an observer's stream: HTTP {self.status}"))

    def on_body(self, body: bytes) -> None:
        received = now_ms()
        self.chunks.append(body)
        if b"\n\n" not in body and not (body[:1] == b"\n" and self.ends_in_newline):
            self.ends_in_newline = body[-1:] == b"\n"
            return  # a message of megabytes comes in many pieces: join them once
        self.ends_in_newline = body[-1:] == b"\n"
        buffer = b"".join(self.chunks)
        end = buffer.rfind(b"\n\n")
        complete, rest = buffer[:end], buffer[end + 2 :]
        self.chunks = [rest] if rest else []
        for block in complete.split(b"\n\n"):
            if EVENT_ID.search(block) is None:
                continue
            self.bytes += len(block)
            data = block.partition(b"\ndata: ")[2]
            self.messages.append((received, json.loads(data)))
            if not self.opened.done():
                self.opened.set_result(None)

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.opened.done():
            self.opened.set_exception(PhoneFailure("an observer's stream closed"))

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


async def observe(port: int, code: str, view: str, cookie: str) -> Observer:
    request = (
        f"GET /live/{code}/events/?view={view} HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
        f"User-Agent: bench-live-observer\r\nAccept-Language: en\r\n"
        f"Accept: text/event-stream\r\nCookie: {cookie}\r\n\r\n"
    ).encode()
    loop = asyncio.get_running_loop()
    _transport, observer = await loop.create_connection(lambda: Observer(request), HOST, port)
    await asyncio.wait_for(observer.opened, 60)
    return observer


def moderator_rows(html: str) -> dict[int, tuple[int, int]]:
    """Return the moderators' queue as {question's number: (its id, its votes)}."""
    rows = {}
    for piece in html.split('id="question-')[1:]:
        digits = re.match(r"\d+", piece)
        votes, tag = VOTES.search(piece), TAG.search(piece)
        if digits and votes and tag:
            rows[int(tag.group(1))] = (int(digits.group()), int(votes.group(1)))
    return rows


def stage_rows(html: str) -> list[tuple[int, int]]:
    """Return the big screen's questions as [(question's number, votes)], top first."""
    rows = []
    for piece in html.split("stage-question__votes")[1:]:
        votes, tag = VOTES.search(piece), TAG.search(piece)
        if votes and tag:
            rows.append((int(tag.group(1)), int(votes.group(1))))
    return rows


class Storm:
    """One question storm against one server: what was sent, and what the screens showed."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.random = random.Random(13)
        self.lists: dict[tuple[int, int], tuple[tuple[int, int, int], ...]] = {}
        self.list_bytes = [0, 0]  # bytes and questions of the distinct lists
        self.latest: dict[int, tuple[tuple[int, int, int], ...]] = {}
        self.seen: dict[tuple[int, int], tuple[tuple[int, int, int], ...]] = {}
        self.history: dict[int, list[tuple[float, tuple[int, int]]]] = defaultdict(list)
        self.anyone: tuple[tuple[int, int, int], ...] = ()
        self.voted: dict[int, set[int]] = defaultdict(set)
        self.late: list[float] = []
        # What the waiting for the final counts has looked at already, and found.
        self.checked: dict[int | str, int] = {}
        self.final: dict[tuple[int, int], bool] = {}
        self.final_at: dict[int, float] = {}

    def heard(self, phone: Phone, received: float, block: bytes) -> None:
        """A phone's stream brought the room's list: note it (parsed once per message)."""
        key = (len(block), zlib.crc32(block))
        listed = self.lists.get(key)
        if listed is None:
            listed = tuple((int(q), int(v), int(a)) for q, v, a in ROW.findall(block))
            self.lists[key] = listed
            if listed:
                self.list_bytes[0] += len(block)
                self.list_bytes[1] += len(listed)
                self.anyone = listed
        self.latest[phone.number] = listed
        self.history[phone.number].append((received, key))

    def target(self, phone: Phone) -> int | None:
        """Return the question this phone upvotes now, or None when it sees none to vote for."""
        listed = self.latest.get(phone.number) or self.anyone
        voted = self.voted[phone.number]
        ranks = [
            (rank, question)
            for rank, (question, _votes, author) in enumerate(listed)
            if author != phone.attendee and question not in voted
        ]
        if not ranks:
            return None
        weights = [1 / (rank + 1) for rank, _question in ranks]
        question = self.random.choices([question for _rank, question in ranks], weights)[0]
        voted.add(question)
        return question

    async def storm(
        self,
        seconds: float,
        questions: int,
        upvotes: int,
        reaction_seconds: float,
        timeout: float,
        settle: float,
        observer_cookie: str,
    ) -> dict[str, Any]:
        run = self.run
        room = run.room
        phones = run.joined()
        if not phones:
            raise PhoneFailure("no phone joined")
        moderator = await observe(room.port, room.code, "moderator", observer_cookie)
        stage = await observe(room.port, room.code, "presenter", observer_cookie)
        room.on_questions = self.heard
        run.stats.clear()
        start = now_ms() + 200
        schedule: list[tuple[float, Any]] = []
        asks: list[dict[str, Any]] = []
        votes: list[dict[str, Any]] = []
        reactions: list[dict[str, Any]] = []
        skipped = [0]

        def ask(number: int, phone: Phone) -> Any:
            async def send(due: float) -> None:
                record = {"due": due, "sent": now_ms(), "number": number, "said": ""}
                asks.append(record)
                try:
                    record["acked"], response = await phone.post(
                        f"/live/{room.code}/questions/",
                        {"text": question_text(number)},
                        "live-ask",
                    )
                except PhoneFailure as error:
                    record["said"] = str(error)
                    return
                if response.status != 200:
                    record["said"] = f"HTTP {response.status}"
                elif response.header(b"hx-retarget") is not None:
                    record["said"] = refusal_of(response.body)
                run.stats["ask_bytes"] += len(response.body)

            return send

        def upvote(phone: Phone) -> Any:
            async def send(due: float) -> None:
                question = self.target(phone)
                if question is None:
                    skipped[0] += 1
                    return
                record = {"due": due, "sent": now_ms(), "question": question, "said": ""}
                votes.append(record)
                try:
                    record["acked"], response = await phone.post(
                        f"/live/{room.code}/questions/{question}/upvote/",
                        {"up": "1"},
                        f"question-{question}",
                    )
                except PhoneFailure as error:
                    record["said"] = str(error)
                    return
                if response.status != 200:
                    record["said"] = f"HTTP {response.status}"
                elif response.header(b"hx-retarget") is not None:
                    record["said"] = refusal_of(response.body)
                elif b'aria-pressed="true"' not in response.body:
                    record["said"] = "answered without the vote counted"
                run.stats["upvote_bytes"] += len(response.body)

            return send

        def react(phone: Phone, kind: str) -> Any:
            async def send(due: float) -> None:
                record = {"due": due, "sent": now_ms(), "said": ""}
                reactions.append(record)
                try:
                    record["acked"], response = await phone.post(
                        f"/live/{room.code}/react/", {"kind": kind}, "live-reactions"
                    )
                except PhoneFailure as error:
                    record["said"] = str(error)
                    return
                if response.status != 204:
                    record["said"] = (
                        refusal_of(response.body)
                        if response.header(b"hx-retarget")
                        else f"HTTP {response.status}"
                    )

            return send

        span = seconds * 1000
        for number in range(questions):
            phone = phones[(number * 7919) % len(phones)]  # spread over the room
            schedule.append((start + number * span / questions, ask(number, phone)))
        for number in range(upvotes):
            phone = phones[number % len(phones)]
            schedule.append((start + (number + 0.5) * span / upvotes, upvote(phone)))
        if reaction_seconds > 0:
            every = reaction_seconds * 1000
            for index, phone in enumerate(phones):
                due = start + index * every / len(phones)
                while due < start + span:
                    schedule.append((due, react(phone, REACTIONS[index % len(REACTIONS)])))
                    due += every
        schedule.sort(key=lambda item: item[0])
        moderator_mark, stage_mark = len(moderator.messages), len(stage.messages)
        cpu_before = time.process_time()
        await self.send_when_due(schedule, start + (seconds + timeout) * 1000)
        late = list(self.late)
        sent_cpu = time.process_time() - cpu_before
        result = await self.measure(
            asks, votes, reactions, seconds, start, settle, phones,
            (moderator, moderator_mark), (stage, stage_mark),
        )  # fmt: skip
        result["skipped"] = skipped[0]
        result["late_p99_ms"] = percentile(late, 99)
        result["late_max_ms"] = max(late, default=float("nan"))
        result["sending_cpu_seconds"] = sent_cpu
        room.on_questions = None
        moderator.close()
        stage.close()
        return result

    async def send_when_due(self, schedule: list[tuple[float, Any]], deadline: float) -> None:
        loop = asyncio.get_running_loop()
        tasks = []
        for due, job in schedule:
            wait = (due - now_ms()) / 1000
            if wait > 0:
                await asyncio.sleep(wait)
            self.late.append(now_ms() - due)
            tasks.append(loop.create_task(job(due)))
        from live_crowd import finish

        await finish(tasks, deadline)

    async def measure(
        self,
        asks: list[dict[str, Any]],
        votes: list[dict[str, Any]],
        reactions: list[dict[str, Any]],
        seconds: float,
        start: float,
        settle: float,
        phones: list[Phone],
        moderator: tuple[Observer, int],
        stage: tuple[Observer, int],
    ) -> dict[str, Any]:
        def ok(record: dict[str, Any]) -> bool:
            return "acked" in record and not record["said"]

        accepted = [record for record in asks if ok(record)]
        counted = [record for record in votes if ok(record)]
        reacted = [record for record in reactions if ok(record)]
        expected: Counter[int] = Counter(record["question"] for record in counted)
        last_write = max((r["acked"] for r in accepted + counted), default=float("nan"))
        numbers = {record["number"] for record in accepted}
        # Wait (up to `settle` seconds) for the final counts on both observers and every phone.
        until = time.monotonic() + settle
        while True:
            mod_final = self.moderator_final(*moderator, numbers, expected)
            stage_final = self.stage_final(*stage, expected, len(numbers))
            phones_at = self.phones_final(phones, expected, len(numbers))
            done = all(at < float("inf") for at in [mod_final, stage_final, *phones_at])
            if done or time.monotonic() > until:
                break
            await asyncio.sleep(0.25)
        appeared = self.on_moderator(*moderator)
        to_moderator = [appeared.get(r["number"], float("inf")) - r["acked"] for r in accepted]
        from_due = [appeared.get(r["number"], float("inf")) - r["due"] for r in accepted]

        def waits(records: list[dict[str, Any]]) -> list[float]:
            return [r["acked"] - r["due"] if ok(r) else float("inf") for r in records]

        ask_waits, vote_waits = waits(asks), waits(votes)
        last_ask = max((r["acked"] for r in accepted), default=float("nan"))
        last_vote = max((r["acked"] for r in counted), default=float("nan"))
        stage_reactions = sum(
            sum(message.get("react", {}).values()) for _at, message in stage[0].messages[stage[1] :]
        )
        lists = [len(self.history[phone.number]) for phone in phones]
        gaps = [self.longest_gap(phone, start, last_write) for phone in phones]
        final_phones = [at for at in phones_at if at < float("inf")]
        stats = self.run.stats
        return {
            "screens": len(phones),
            "seconds": seconds,
            "questions_offered": len(asks),
            "questions_accepted": len(accepted),
            "questions_per_second": len(accepted) / max((last_ask - start) / 1000, 1e-3),
            "question_p50_ms": percentile(ask_waits, 50),
            "question_p95_ms": percentile(ask_waits, 95),
            "question_p99_ms": percentile(ask_waits, 99),
            "question_said": failures([r["said"] for r in asks if r["said"]]),
            "upvotes_offered": len(votes),
            "upvotes_accepted": len(counted),
            "upvotes_per_second": len(counted) / max((last_vote - start) / 1000, 1e-3),
            "upvote_p50_ms": percentile(vote_waits, 50),
            "upvote_p95_ms": percentile(vote_waits, 95),
            "upvote_p99_ms": percentile(vote_waits, 99),
            "upvote_said": failures([r["said"] for r in votes if r["said"]]),
            "upvote_refused": sum(1 for r in votes if r["said"].startswith("refused")),
            "upvoted_questions": len(expected),
            "top_upvotes": sorted(expected.values(), reverse=True)[:5],
            "reactions_offered": len(reactions),
            "reactions_accepted": len(reacted),
            "reaction_p99_ms": percentile(waits(reactions), 99),
            "reaction_said": failures([r["said"] for r in reactions if r["said"]]),
            "reactions_on_stage": stage_reactions,
            "last_write_after_start_s": (last_write - start) / 1000,
            "moderator_p50_ms": percentile(to_moderator, 50),
            "moderator_p99_ms": percentile(to_moderator, 99),
            "moderator_from_due_p99_ms": percentile(from_due, 99),
            "moderator_messages": len(moderator[0].messages) - moderator[1],
            "moderator_bytes": moderator[0].bytes,
            "moderator_final_ms": mod_final - last_write,
            "stage_final_ms": stage_final - last_write,
            "phones_final": len(final_phones),
            "phones_final_p50_ms": percentile([at - last_write for at in phones_at], 50),
            "phones_final_last_ms": max(phones_at, default=float("nan")) - last_write,
            "phone_lists_per_second": sum(lists) / len(phones) / max(seconds, 1e-3),
            "phone_longest_gap_p50_ms": percentile(gaps, 50),
            "phone_longest_gap_p99_ms": percentile(gaps, 99),
            "reconnects": stats["reconnects"],
            "list_bytes_per_question": self.list_bytes[0] / max(self.list_bytes[1], 1),
            "moderator_bytes_per_question": self.bytes_per_row(moderator[0], "mod-queue"),
            "stage_bytes_per_question": self.bytes_per_row(stage[0], "stage"),
            "ask_bytes": stats["ask_bytes"] / max(len(asks), 1),
            "upvote_bytes": stats["upvote_bytes"] / max(len(votes), 1),
            "acked_upvotes": {str(question): count for question, count in expected.items()},
            "acked_questions": sorted(numbers),
        }

    def on_moderator(self, observer: Observer, mark: int) -> dict[int, float]:
        """Return when each question (by its number) first showed in the moderators' queue."""
        appeared: dict[int, float] = {}
        for received, message in observer.messages[mark:]:
            html = message.get("swap", {}).get("mod-queue")
            if html is None:
                continue
            for number in TAG.findall(html):
                appeared.setdefault(int(number), received)
        return appeared

    def moderator_final(
        self, observer: Observer, mark: int, numbers: set[int], expected: Counter[int]
    ) -> float:
        """Return when the moderators' queue first showed every accepted question with the
        votes acknowledged for it (inf: not yet). Called again while waiting, it goes on
        from the first message it has not looked at."""
        start = max(mark, self.checked.get("moderator", mark))
        for index in range(start, len(observer.messages)):
            received, message = observer.messages[index]
            self.checked["moderator"] = index + 1
            html = message.get("swap", {}).get("mod-queue")
            if html is None:
                continue
            rows = moderator_rows(html)
            if set(rows) >= numbers and all(
                votes == expected.get(question, 0) for question, votes in rows.values()
            ):
                self.checked["moderator"] = index  # found: look no further next time
                return received
        return float("inf")

    def stage_final(
        self, observer: Observer, mark: int, expected: Counter[int], asked: int
    ) -> float:
        """Return when the big screen first showed the top questions with their final votes:
        the highest acknowledged counts, in order (inf: not yet)."""
        top = sorted(expected.values(), reverse=True)[:STAGE_LENGTH]
        top += [0] * (min(STAGE_LENGTH, asked) - len(top))
        for received, message in observer.messages[mark:]:
            html = message.get("swap", {}).get("stage")
            if html is None:
                continue
            shown = [votes for _number, votes in stage_rows(html)]
            if shown == top:
                return received
        return float("inf")

    def phones_final(self, phones: list[Phone], expected: Counter[int], asked: int) -> list[float]:
        """Return when each phone first received a list with the final counts: every
        question on it with its acknowledged votes, as many as the list holds, and none
        left off that has more votes than one on it (inf: not yet). Called again while
        waiting, it goes on where it stopped for each phone."""
        times = []
        for phone in phones:
            history = self.history[phone.number]
            at = self.final_at.get(phone.number, float("inf"))
            index = self.checked.get(phone.number, 0)
            while at == float("inf") and index < len(history):
                received, key = history[index]
                index += 1
                if key not in self.final:
                    listed = self.lists[key]
                    on = {question for question, _v, _a in listed}
                    left = max((c for q, c in expected.items() if q not in on), default=0)
                    self.final[key] = (
                        len(listed) == min(LIST_LENGTH, asked)
                        and all(v == expected.get(q, 0) for q, v, _a in listed)
                        and min((v for _q, v, _a in listed), default=0) >= left
                    )
                if self.final[key]:
                    at = self.final_at[phone.number] = received
            self.checked[phone.number] = index
            times.append(at)
        return times

    def longest_gap(self, phone: Phone, start: float, end: float) -> float:
        """Return the longest time the phone's list went without news during the storm."""
        times = [start] + [at for at, _key in self.history[phone.number] if start < at < end]
        times.append(end)
        return max(b - a for a, b in itertools.pairwise(times))

    def bytes_per_row(self, observer: Observer, target: str) -> float:
        sizes = rows = 0
        for _received, message in observer.messages:
            html = message.get("swap", {}).get(target)
            if html:
                count = html.count('id="question-') or html.count("stage-question__votes")
                if count:
                    sizes += len(html.encode())
                    rows += count
        return sizes / max(rows, 1)


def percentile(values: list[float], share: float) -> float:
    from live_crowd import percentile as of

    return of(values, share)


def failures(said: list[str]) -> list[list[Any]]:
    from live_crowd import failures as of

    return of(said)
