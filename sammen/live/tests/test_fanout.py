"""Two server processes and one Redis: a vote sent to one reaches a screen served by the other."""

import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from http.client import HTTPConnection
from pathlib import Path
from typing import Any
from unittest import SkipTest

from django.conf import settings
from django.core.signing import get_cookie_signer
from django.db import connection
from django.test import TransactionTestCase

from sammen.accounts.participants import COOKIE_NAME, COOKIE_SALT
from sammen.testing import make_space, make_user
from sammen.testing.live import join_anonymously, make_poll, make_session

from ..actions import do_open_poll

ROOT = Path(__file__).resolve().parents[3]
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/13"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def database_url() -> str:
    """Return the test database as a URL the server processes can use."""
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{params['NAME']}"
    user = urllib.parse.quote(params.get("USER") or "")
    password = urllib.parse.quote(params.get("PASSWORD") or "")
    credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
    host = f"{params.get('HOST') or '127.0.0.1'}:{params.get('PORT') or 5432}"
    return f"postgres://{credentials}{host}/{params['NAME']}"


def redis_available() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


class TwoProcessFanOutTests(TransactionTestCase):
    def setUp(self) -> None:
        if not redis_available():
            # CI starts Redis (.ci/run); on a laptop without it, say so instead of passing.
            raise SkipTest(f"Redis is not reachable at {REDIS_URL}")
        owner = make_user("Olga")
        self.session = make_session(make_space(owner, "Concert Hall"), owner)
        self.poll = make_poll(self.session, owner)
        do_open_poll(owner, self.poll)
        self.voter = join_anonymously(self.session, "Vera")
        self.viewer = join_anonymously(self.session, "Walt")
        self.option = self.poll.options.get(position=0)
        self.var = tempfile.TemporaryDirectory()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "sammen.settings",
            "DATABASE_URL": database_url(),
            "REDIS_URL": REDIS_URL,
            "SECRET_KEY": settings.SECRET_KEY,
            "SAMMEN_VAR_DIR": self.var.name,
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "WARNING",
            # Static files straight from the apps: these servers have no collected manifest.
            "SAMMEN_TESTING": "1",
        }
        self.ports = [free_port(), free_port()]
        self.servers = [
            subprocess.Popen(  # noqa: S603 - our own interpreter running uvicorn
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "sammen.asgi:application",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--log-level",
                    "warning",
                    "--timeout-graceful-shutdown",
                    "2",
                ],
                cwd=ROOT,
                env=env,
            )
            for port in self.ports
        ]
        # Stop them even when starting fails below (tearDown only runs after setUp succeeds).
        self.addCleanup(self.stop_servers)
        deadline = time.monotonic() + 90  # a busy machine starts Django slowly
        for port in self.ports:
            while True:
                try:
                    probe = HTTPConnection("127.0.0.1", port, timeout=1)
                    probe.request("GET", "/healthz")
                    if probe.getresponse().status == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise AssertionError("the server processes did not start")
                time.sleep(0.2)

    def stop_servers(self) -> None:
        for server in getattr(self, "servers", []):
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        self.servers = []
        self.var.cleanup()

    def cookie_for(self, attendee: Any) -> str:
        signer = get_cookie_signer(salt=COOKIE_NAME + COOKIE_SALT)
        return f"{COOKIE_NAME}={signer.sign(str(attendee.participant.public_id))}"

    def test_a_vote_sent_to_one_process_reaches_a_screen_of_the_other(self):
        listen_port, vote_port = self.ports
        stream = HTTPConnection("127.0.0.1", listen_port, timeout=10)
        stream.request(
            "GET",
            f"/live/{self.session.code}/events/",
            headers={"Cookie": self.cookie_for(self.viewer)},
        )
        events = stream.getresponse()
        self.assertEqual(events.status, 200)
        first = read_event(events)
        self.assertIn('data-total="0"', "".join(first["swap"].values()))

        # The voter loads the room on the other process (for the CSRF token), then votes.
        page = HTTPConnection("127.0.0.1", vote_port, timeout=10)
        page.request(
            "GET", f"/live/{self.session.code}/", headers={"Cookie": self.cookie_for(self.voter)}
        )
        room = page.getresponse()
        html = room.read().decode()
        token = re.search(r'"X-CSRFToken": "([^"]+)"', html)
        csrf_cookie = re.search(r"csrftoken=([^;]+)", room.getheader("Set-Cookie") or "")
        assert token, (room.status, html[:2000])
        assert csrf_cookie
        vote = HTTPConnection("127.0.0.1", vote_port, timeout=10)
        vote.request(
            "POST",
            f"/live/{self.session.code}/polls/{self.poll.pk}/answer/",
            body=f"option={self.option.pk}",
            headers={
                "Cookie": f"{self.cookie_for(self.voter)}; csrftoken={csrf_cookie.group(1)}",
                "X-CSRFToken": token.group(1),
                "Content-Type": "application/x-www-form-urlencoded",
                "HX-Request": "true",
                "Referer": f"http://127.0.0.1:{vote_port}/live/{self.session.code}/",
            },
        )
        self.assertEqual(vote.getresponse().status, 200)
        self.assertEqual(self.poll.responses.count(), 1)

        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            update = read_event(events)
            if 'data-total="1"' in "".join(update["swap"].values()):
                break
        else:
            raise AssertionError("the vote did not reach the other process's screen")
        stream.close()


def read_event(response: Any) -> dict[str, Any]:
    """Read the next server-sent event with data from a streaming HTTP response."""
    data: list[str] = []
    while True:
        line = response.fp.readline().decode()
        if not line:
            raise AssertionError("the stream ended")
        line = line.rstrip("\r\n")
        if line.startswith("data: "):
            data.append(line[6:])
        elif line == "" and data:
            return dict(json.loads("\n".join(data)))
