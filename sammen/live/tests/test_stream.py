"""The event stream: a snapshot at once, coalesced updates, reconnection, and who may listen."""

import asyncio
import json
from typing import Any
from unittest.mock import patch

from asgiref.sync import sync_to_async
from django.test import SimpleTestCase, TransactionTestCase

from sammen.accounts.participants import COOKIE_NAME, COOKIE_SALT
from sammen.testing import make_space, make_user
from sammen.testing.live import join_anonymously, make_poll, make_session

from .. import snapshots
from ..actions import do_answer_poll, do_open_poll
from ..asgi import with_live_streams
from ..hub import LONGEST_WINDOW, STREAMS_PER_WINDOW, WINDOW, Hub, Variant, window_for


def stream_of(response: Any) -> Any:
    """Return the body iterator of a streaming response from the async test client."""
    return aiter(response.streaming_content)


def parse_events(chunk: bytes) -> list[dict[str, Any]]:
    """Return the data of the events in a chunk of the stream (comments are skipped)."""
    events = []
    for block in chunk.decode().split("\n\n"):
        data = [line[6:] for line in block.split("\n") if line.startswith("data: ")]
        if data:
            events.append(json.loads("\n".join(data)))
    return events


class StreamTests(TransactionTestCase):
    """Streams are read in the test's event loop; the data is committed, as in production."""

    def setUp(self) -> None:
        self.owner = make_user("Olga")
        self.space = make_space(self.owner, "Concert Hall")
        self.session = make_session(self.space, self.owner)
        self.poll = make_poll(self.session, self.owner)
        do_open_poll(self.owner, self.poll)
        self.attendee = join_anonymously(self.session, "Pia")
        cookie = self.client.cookies
        from django.core.signing import get_cookie_signer

        signer = get_cookie_signer(salt=COOKIE_NAME + COOKIE_SALT)
        cookie[COOKIE_NAME] = signer.sign(str(self.attendee.participant.public_id))
        self.async_client.cookies[COOKIE_NAME] = cookie[COOKIE_NAME].value

    def url(self, view: str = "") -> str:
        return f"/live/{self.session.code}/events/" + (f"?view={view}" if view else "")

    async def next_events(self, content: Any, timeout: float = 5.0) -> list[dict[str, Any]]:
        while True:
            chunk = await asyncio.wait_for(content.__anext__(), timeout)
            events = parse_events(chunk)
            if events:
                return events

    async def test_a_participant_gets_the_whole_state_at_once(self):
        response = await self.async_client.get(self.url())
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/event-stream; charset=utf-8")
        content = stream_of(response)
        first = (await self.next_events(content))[0]
        self.assertIn("live-polls", first["swap"])
        self.assertIn("Where shall we meet?", first["swap"]["live-polls"])
        self.assertIn("live-questions", first["swap"])
        await content.aclose()

    async def test_a_burst_of_votes_reaches_the_screen_as_a_few_snapshots(self):
        response = await self.async_client.get(self.url())
        content = stream_of(response)
        await self.next_events(content)
        calls = []
        real_render = snapshots.render

        def counting_render(*args: Any) -> Any:
            calls.append(args[1])
            return real_render(*args)

        option = await sync_to_async(lambda: self.poll.options.get(position=0).pk)()

        def vote_many() -> None:
            for number in range(40):
                do_answer_poll(
                    join_anonymously(self.session, f"Voter {number}"),
                    self.poll,
                    option_ids=[option],
                )

        with patch.object(snapshots, "render", counting_render):
            loop = asyncio.get_running_loop()
            started = loop.time()
            await sync_to_async(vote_many, thread_sensitive=False)()
            voting_time = loop.time() - started
            seen_total = 0
            while seen_total < 40:
                for event in await self.next_events(content):
                    html = event["swap"].get(f"poll-{self.poll.pk}-results", "")
                    if 'data-total="40"' in html:
                        seen_total = 40
        # 40 votes, each announced; at most one snapshot per window (plus the first one,
        # sent at once), however many votes fall in it.
        self.assertLessEqual(len(calls), voting_time / WINDOW + 3)
        self.assertLess(len(calls), 40)
        await content.aclose()

    async def test_a_reconnecting_screen_gets_the_current_state_first(self):
        response = await self.async_client.get(self.url())
        content = stream_of(response)
        first = (await self.next_events(content))[0]
        self.assertIn('data-total="0"', first["swap"]["live-polls"])
        await content.aclose()
        option = await sync_to_async(lambda: self.poll.options.get(position=0).pk)()
        await sync_to_async(do_answer_poll)(self.attendee, self.poll, option_ids=[option])
        await asyncio.sleep(WINDOW * 2)
        again = await self.async_client.get(self.url(), headers={"Last-Event-ID": "1"})
        content = stream_of(again)
        state = (await self.next_events(content))[0]
        combined = "".join(state["swap"].values())
        self.assertIn('data-total="1"', combined)
        await content.aclose()

    async def test_a_room_connecting_at_once_renders_its_state_once(self):
        """After a restart every screen connects in the same second: one render of the
        whole state per kind of screen, one encoding, the same bytes for all of them."""
        hub = Hub(asyncio.get_running_loop())
        renders: list[int] = []
        real_render = snapshots.render

        def slow_render(*args: Any) -> Any:
            renders.append(1)
            return real_render(*args)

        variant = Variant("participant", "en")
        with patch.object(snapshots, "render", slow_render):
            connected = await asyncio.gather(
                *(hub.connect(self.session.pk, variant, None) for _ in range(40))
            )
        self.assertEqual(len(renders), 1)
        firsts = {first for _stream, first in connected}
        self.assertEqual(len(firsts), 1)
        self.assertIn("live-polls", parse_events(firsts.pop())[0]["swap"])
        _stream, personal = await hub.connect(self.session.pk, variant, self.attendee.pk)
        events = parse_events(personal)
        self.assertEqual(events[-1]["swap"], {"live-mine": ""})  # nothing of their own yet
        self.assertGreaterEqual(events[-1]["at"], events[0]["at"])
        for stream, _first in connected:
            hub.disconnect(self.session.pk, stream)

    async def test_only_the_crew_listen_as_presenter_or_moderator(self):
        for view in ["presenter", "moderator"]:
            response = await self.async_client.get(self.url(view))
            self.assertEqual(response.status_code, 403)
        await sync_to_async(self.async_client.force_login)(self.owner)
        response = await self.async_client.get(self.url("presenter"))
        self.assertEqual(response.status_code, 200)
        content = stream_of(response)
        first = (await self.next_events(content))[0]
        self.assertIn("stage", first["swap"])
        await content.aclose()

    async def test_visitors_who_did_not_join_and_unknown_codes_are_refused(self):
        self.async_client.cookies.clear()
        self.assertEqual((await self.async_client.get(self.url())).status_code, 403)
        self.assertEqual((await self.async_client.get("/live/NOCODE/events/")).status_code, 404)

    async def test_streams_are_served_without_the_middleware_stack(self):
        """The ASGI router hands streams to a handler without per-request threads."""
        sent: list[dict[str, Any]] = []
        first_body = asyncio.Event()
        disconnect = asyncio.Event()

        received: list[int] = []

        async def receive() -> dict[str, Any]:
            if not received:
                received.append(1)
                return {"type": "http.request", "body": b"", "more_body": False}
            await disconnect.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)
            if message["type"] == "http.response.body" and b"data:" in message.get("body", b""):
                first_body.set()

        async def not_for_streams(scope: Any, receive: Any, send: Any) -> None:
            raise AssertionError("streams must not reach the normal application")

        app = with_live_streams(not_for_streams)
        cookie = f"{COOKIE_NAME}={self.async_client.cookies[COOKIE_NAME].value}"
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": self.url(),
            "raw_path": self.url().encode(),
            "query_string": b"",
            "headers": [(b"host", b"testserver"), (b"cookie", cookie.encode())],
            "client": ("127.0.0.1", 5000),
            "server": ("testserver", 80),
        }
        task = asyncio.ensure_future(app(scope, receive, send))
        await asyncio.wait_for(first_body.wait(), 5)
        self.assertEqual(sent[0]["status"], 200)
        disconnect.set()
        await asyncio.wait_for(task, 5)


class LeanWriteTests(TransactionTestCase):
    """Participants' htmx writes skip the middleware, but not its checks."""

    def setUp(self) -> None:
        owner = make_user("Olga")
        self.session = make_session(make_space(owner, "Concert Hall"), owner)
        self.poll = make_poll(self.session, owner)
        do_open_poll(owner, self.poll)
        self.attendee = join_anonymously(self.session, "Pia")
        from django.core.signing import get_cookie_signer

        signer = get_cookie_signer(salt=COOKIE_NAME + COOKIE_SALT)
        self.cookie = f"{COOKIE_NAME}={signer.sign(str(self.attendee.participant.public_id))}"

    async def post(self, body: bytes, headers: list[tuple[bytes, bytes]]) -> tuple[int, bytes]:
        messages: list[dict[str, Any]] = []
        received: list[int] = []

        async def receive() -> dict[str, Any]:
            if not received:
                received.append(1)
                return {"type": "http.request", "body": body, "more_body": False}
            await asyncio.sleep(10)
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            messages.append(message)

        async def not_for_these(scope: Any, receive: Any, send: Any) -> None:
            raise AssertionError("htmx answers must take the lean path")

        path = f"/live/{self.session.code}/polls/{self.poll.pk}/answer/"
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "headers": [
                (b"host", b"testserver"),
                (b"hx-request", b"true"),
                (b"content-type", b"application/x-www-form-urlencoded"),
                *headers,
            ],
            "client": ("127.0.0.1", 5000),
            "server": ("testserver", 80),
        }
        await asyncio.wait_for(with_live_streams(not_for_these)(scope, receive, send), 10)
        body_out = b"".join(
            m.get("body", b"") for m in messages if m["type"] == "http.response.body"
        )
        return messages[0]["status"], body_out

    async def test_an_htmx_answer_without_the_csrf_token_is_refused(self):
        option = await sync_to_async(lambda: self.poll.options.get(position=0).pk)()
        status, _body = await self.post(
            f"option={option}".encode(), [(b"cookie", self.cookie.encode())]
        )
        self.assertEqual(status, 403)
        self.assertFalse(await sync_to_async(self.poll.responses.exists)())

    async def test_an_htmx_answer_with_the_token_is_stored(self):
        option = await sync_to_async(lambda: self.poll.options.get(position=0).pk)()
        token = "a" * 32
        status, body = await self.post(
            f"option={option}".encode(),
            [
                (b"cookie", f"{self.cookie}; csrftoken={token}".encode()),
                (b"x-csrftoken", token.encode()),
            ],
        )
        self.assertEqual(status, 200)
        self.assertIn(b"You can change your answer", body)
        self.assertEqual(await sync_to_async(self.poll.responses.count)(), 1)


class HeartbeatTests(SimpleTestCase):
    def test_sending_a_message_resets_the_keep_alive_clock(self):
        """Keep-alive lines go only to streams that were quiet for HEARTBEAT seconds."""
        from .. import hub as hub_module

        stream = hub_module.Stream(hub_module.Variant("participant", "en"), None)
        stream.last_sent = 0.0
        stream.push(b"data: {}\n\n")
        self.assertGreater(stream.last_sent, 0.0)


class WindowTests(SimpleTestCase):
    def test_a_big_room_gets_fewer_snapshots_and_its_final_tally_within_a_second(self):
        self.assertEqual(window_for(0), WINDOW)
        self.assertEqual(window_for(STREAMS_PER_WINDOW), WINDOW)
        self.assertEqual(window_for(2 * STREAMS_PER_WINDOW), 2 * WINDOW)
        self.assertEqual(window_for(100_000), LONGEST_WINDOW)
        self.assertLess(LONGEST_WINDOW, 1.0)  # plus one render, within the second
        self.assertEqual(
            [window_for(n) for n in range(0, 5001, 500)],
            sorted(window_for(n) for n in range(0, 5001, 500)),
        )
