"""Two-factor for organisers also holds on the lean live path (no middleware there)."""

import asyncio
from typing import Any

from allauth.mfa.models import Authenticator
from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, SimpleTestCase, TransactionTestCase, override_settings
from django.urls import reverse

from sammen.accounts.permissions import TwoFactorRequired
from sammen.testing import make_space, make_user
from sammen.testing.live import make_session

from ..asgi import with_live_streams
from ..views.lean import lean_capable


async def lean_status(path: str, query: bytes, cookie: str) -> int:
    """Return the status of a GET served by the lean handler, then hang up."""
    sent: list[dict[str, Any]] = []
    started = asyncio.Event()
    hang_up = asyncio.Event()
    asked: list[int] = []

    async def receive() -> dict[str, Any]:
        if not asked:
            asked.append(1)
            return {"type": "http.request", "body": b"", "more_body": False}
        await hang_up.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)
        started.set()

    async def not_for_streams(scope: Any, receive: Any, send: Any) -> None:
        raise AssertionError("streams must not reach the normal application")

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "headers": [(b"host", b"testserver"), (b"cookie", cookie.encode())],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    task = asyncio.ensure_future(with_live_streams(not_for_streams)(scope, receive, send))
    await asyncio.wait_for(started.wait(), 5)
    hang_up.set()
    await asyncio.wait_for(task, 5)
    return sent[0]["status"]


@override_settings(SAMMEN_REQUIRE_2FA_FOR_OWNERS=True)
class LeanStreamTwoFactorTests(TransactionTestCase):
    def setUp(self) -> None:
        self.owner = make_user("Olga")
        self.session = make_session(make_space(self.owner, "Concert Hall"), self.owner)
        self.client.force_login(self.owner)
        session_id = self.client.cookies[settings.SESSION_COOKIE_NAME].value
        self.cookie = f"{settings.SESSION_COOKIE_NAME}={session_id}"

    async def test_the_moderators_stream_needs_the_owners_second_factor(self):
        path = f"/live/{self.session.code}/events/"
        self.assertEqual(await lean_status(path, b"view=moderator", self.cookie), 403)
        await sync_to_async(Authenticator.objects.create)(
            user=self.owner, type=Authenticator.Type.TOTP, data={"secret": "x"}
        )
        self.assertEqual(await lean_status(path, b"view=moderator", self.cookie), 200)


class LeanWriteTwoFactorTests(SimpleTestCase):
    def test_a_lean_write_that_needs_two_factor_sends_to_its_setup_not_a_500(self):
        def asks_for_management(request: HttpRequest) -> HttpResponse:
            raise TwoFactorRequired

        request = RequestFactory().post(
            "/live/ABC123/react/",
            headers={"hx-request": "true", "x-csrftoken": "a" * 32},
        )
        request.COOKIES[settings.CSRF_COOKIE_NAME] = "a" * 32
        with self.settings(SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies"):
            response = lean_capable(asks_for_management)(request)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["HX-Redirect"], reverse("mfa_activate_totp"))
