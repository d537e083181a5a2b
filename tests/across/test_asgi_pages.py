"""Pages under uvicorn (sammen/asgi.py, the project's entry, so tested across the layers):
Django's whole stack, in a fixed pool of threads."""

import asyncio
import threading
from typing import Any

from django.conf import settings
from django.test import TransactionTestCase

import sammen.asgi


async def request(method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
    """Send one request through the site's ASGI application; return status and body."""
    sent = False
    messages: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(60)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    path, _mark, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [
            (b"host", b"testserver"),
            (b"content-type", b"application/x-www-form-urlencoded"),
        ],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    await asyncio.wait_for(sammen.asgi.application(scope, receive, send), 90)  # a busy machine
    start = next(m for m in messages if m["type"] == "http.response.start")
    return start["status"], b"".join(m.get("body", b"") for m in messages[1:])


class PagePoolTests(TransactionTestCase):
    async def test_a_crowd_of_requests_shares_the_fixed_pool_of_threads(self):
        seen: set[str] = set()
        inner = sammen.asgi.pages.app

        def recording(environ: Any, start_response: Any) -> Any:
            seen.add(threading.current_thread().name)
            return inner(environ, start_response)

        sammen.asgi.pages.app = recording
        try:
            answers = await asyncio.gather(*(request("GET", "/healthz") for _ in range(40)))
        finally:
            sammen.asgi.pages.app = inner
        self.assertEqual({status for status, _body in answers}, {200})
        self.assertLessEqual(len(seen), settings.SAMMEN_WEB_THREADS)
        self.assertNotIn(threading.current_thread().name, seen)

    async def test_a_form_posted_reaches_the_view_with_its_body(self):
        status, body = await request("POST", "/join/", b"code=not+a+code")
        # Refused by CSRF (no token): the middleware stack ran, body and all.
        self.assertEqual(status, 403)
        status, body = await request("GET", "/join/?code=ZZZZZZ")
        self.assertEqual(status, 200)
        self.assertIn(b"ZZZZZZ", body)
