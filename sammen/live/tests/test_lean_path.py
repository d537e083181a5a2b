"""The lean ASGI path (asgi.py): the checks the middleware would make, made there too."""

import asyncio
import re
from typing import Any
from unittest import mock

from asgiref.sync import sync_to_async
from django.core.signing import get_cookie_signer
from django.db import OperationalError
from django.test import TransactionTestCase

from sammen.accounts.participants import COOKIE_NAME, COOKIE_SALT
from sammen.testing import make_space, make_user
from sammen.testing.live import join_anonymously, make_session

from ..asgi import LeanHandler, with_live_streams
from ..hub import get_hub
from ..models import Question
from ..views import stream as stream_views

TOKEN = "a" * 32  # a CSRF secret as the cookie holds it


async def not_for_these(scope: Any, receive: Any, send: Any) -> None:
    raise AssertionError("this request must take the lean path")


async def lean_request(
    method: str,
    path: str,
    *,
    body: bytes = b"",
    headers: list[tuple[bytes, bytes]] | None = None,
    host: bytes = b"testserver",
) -> tuple[int, bytes]:
    """Send one request through the live ASGI router; return its status and first body."""
    messages: list[dict[str, Any]] = []
    received: list[int] = []
    first_body = asyncio.Event()

    async def receive() -> dict[str, Any]:
        if not received:
            received.append(1)
            return {"type": "http.request", "body": body, "more_body": False}
        await first_body.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)
        if message["type"] == "http.response.body":
            first_body.set()

    path, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "headers": [(b"host", host), (b"hx-request", b"true"), *(headers or [])],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    await asyncio.wait_for(with_live_streams(not_for_these)(scope, receive, send), 10)
    body_out = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    return messages[0]["status"], body_out


class LeanPathTests(TransactionTestCase):
    def setUp(self) -> None:
        owner = make_user("Olga")
        self.session = make_session(make_space(owner, "Concert Hall"), owner)
        self.attendee = join_anonymously(self.session, "Pia")
        signer = get_cookie_signer(salt=COOKIE_NAME + COOKIE_SALT)
        self.cookie = f"{COOKIE_NAME}={signer.sign(str(self.attendee.participant.public_id))}"

    async def ask(self, text: str, form_token: str) -> tuple[int, bytes]:
        """Ask as htmx does: the form's fields, and the page's token as a header."""
        return await lean_request(
            "POST",
            f"/live/{self.session.code}/questions/",
            body=f"text={text}&csrfmiddlewaretoken={form_token}".encode(),
            headers=[
                (b"content-type", b"application/x-www-form-urlencoded"),
                (b"cookie", f"{self.cookie}; csrftoken={TOKEN}".encode()),
                (b"x-csrftoken", TOKEN.encode()),
            ],
        )

    async def test_a_second_question_from_the_form_the_first_answer_rendered_is_taken(self):
        """The ask form comes back re-rendered after each question; its token must stay valid."""
        status, body = await self.ask("First", TOKEN)
        self.assertEqual(status, 200, body)
        for text in ("Second", "Third"):
            rendered = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
            assert rendered is not None, body
            status, body = await self.ask(text, rendered.group(1).decode())
            self.assertEqual(status, 200, body)
        texts = await sync_to_async(
            lambda: sorted(Question.objects.values_list("text", flat=True))
        )()
        self.assertEqual(texts, ["First", "Second", "Third"])

    async def test_a_stream_for_a_host_not_allowed_is_refused(self):
        """Like Django's CommonMiddleware, the lean path checks Host against ALLOWED_HOSTS."""
        status, _body = await lean_request(
            "GET",
            f"/live/{self.session.code}/events/",
            headers=[(b"cookie", self.cookie.encode())],
            host=b"evil.example",
        )
        self.assertEqual(status, 400)

    async def test_a_write_for_a_host_not_allowed_is_refused(self):
        status, _body = await lean_request(
            "POST",
            f"/live/{self.session.code}/questions/",
            body=b"text=Hello",
            headers=[
                (b"content-type", b"application/x-www-form-urlencoded"),
                (b"cookie", f"{self.cookie}; csrftoken={TOKEN}".encode()),
                (b"x-csrftoken", TOKEN.encode()),
            ],
            host=b"evil.example",
        )
        self.assertEqual(status, 400)
        self.assertFalse(await sync_to_async(Question.objects.exists)())

    async def test_a_stream_for_an_allowed_host_is_served(self):
        status, body = await lean_request(
            "GET",
            f"/live/{self.session.code}/events/",
            headers=[(b"cookie", self.cookie.encode())],
        )
        self.assertEqual(status, 200)
        self.assertIn(b"live-questions", body)

    async def test_a_stream_is_served_straight_over_asgi_and_leaves_when_the_screen_does(self):
        """No request kept, no response object, no handler per open screen (views/stream.py)."""
        with (
            mock.patch.object(stream_views, "StreamingHttpResponse", side_effect=AssertionError),
            mock.patch.object(LeanHandler, "__call__", side_effect=AssertionError),
        ):
            status, body = await lean_request(
                "GET",
                f"/live/{self.session.code}/events/",
                headers=[(b"cookie", self.cookie.encode())],
            )
        self.assertEqual(status, 200)
        self.assertTrue(body.startswith(b"retry: 3000\n\n"), body[:40])
        self.assertIn(b"live-questions", body)
        for _ in range(50):  # the screen left: the hub lets the session go
            if self.session.pk not in get_hub().rooms:
                break
            await asyncio.sleep(0.02)
        self.assertNotIn(self.session.pk, get_hub().rooms)

    async def test_a_refused_stream_is_answered_by_the_view_with_its_status(self):
        status, _body = await lean_request(
            "GET",
            f"/live/{self.session.code}/events/?view=moderator",
            headers=[(b"cookie", self.cookie.encode())],
        )
        self.assertEqual(status, 403)
        status, _body = await lean_request("GET", "/live/NOSUCH/events/")
        self.assertEqual(status, 404)

    async def test_a_write_the_busy_database_cannot_take_says_try_again(self):
        locked = OperationalError("database is locked")
        with mock.patch("sammen.live.views.room.access_live_session", side_effect=locked):
            status, body = await self.ask("Hello", TOKEN)
        self.assertEqual(status, 503)
        self.assertIn(b"Very busy right now", body)
