"""A server process killed while a room answers: nothing acknowledged is lost, and phones
that got no answer send again without counting twice (issue 13)."""

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.client import HTTPConnection

from django.conf import settings
from django.core.signing import get_cookie_signer
from django.test import TransactionTestCase

from sammen.accounts.participants import COOKIE_NAME, COOKIE_SALT
from sammen.live.actions import do_open_poll
from sammen.live.models import Attendee, Response
from sammen.testing import make_space, make_user
from sammen.testing.live import join_anonymously, make_poll, make_session

from .test_fanout import ROOT, database_url, free_port

ROOM = 1000
PHONES_AT_ONCE = 48
KILL_AFTER = 250  # answers acknowledged before the process dies
TOKEN = "c" * 32


class KilledServerTests(TransactionTestCase):
    def setUp(self) -> None:
        owner = make_user("Olga")
        self.session = make_session(make_space(owner, "Concert Hall"), owner)
        self.poll = make_poll(self.session, owner)
        do_open_poll(owner, self.poll)
        self.option = self.poll.options.get(position=0).pk
        signer = get_cookie_signer(salt=COOKIE_NAME + COOKIE_SALT)
        self.cookies: dict[int, str] = {}
        for number in range(ROOM):
            attendee = join_anonymously(self.session, f"Guest {number}")
            public_id = str(attendee.participant.public_id)
            self.cookies[attendee.pk] = f"{COOKIE_NAME}={signer.sign(public_id)}"
        self.var = tempfile.TemporaryDirectory()
        self.addCleanup(self.var.cleanup)

    def start_server(self) -> tuple[subprocess.Popen[bytes], int]:
        port = free_port()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "sammen.settings",
            "DATABASE_URL": database_url(),
            "SECRET_KEY": settings.SECRET_KEY,
            "SAMMEN_VAR_DIR": self.var.name,
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "ERROR",
            "SAMMEN_TESTING": "1",
            "SAMMEN_LIVE_WRITES_PER_IP_PER_MINUTE": "100000",
        }
        env.pop("REDIS_URL", None)
        server = subprocess.Popen(  # noqa: S603 - our own interpreter running uvicorn
            [
                *(sys.executable, "-m", "uvicorn", "sammen.asgi:application"),
                *("--host", "127.0.0.1", "--port", str(port), "--log-level", "critical"),
            ],
            cwd=ROOT,
            env=env,
        )
        self.addCleanup(self.stop, server)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                probe = HTTPConnection("127.0.0.1", port, timeout=1)
                probe.request("GET", "/healthz")
                if probe.getresponse().status == 200:
                    return server, port
            except OSError:
                time.sleep(0.2)
        raise AssertionError("the server did not start")

    def stop(self, server: subprocess.Popen[bytes]) -> None:
        if server.poll() is None:
            server.kill()
        server.wait(10)

    def answer(self, port: int, attendee_id: int) -> int | None:
        """Send one phone's answer as htmx does; return the status, or None without one."""
        try:
            phone = HTTPConnection("127.0.0.1", port, timeout=30)
            phone.request(
                "POST",
                f"/live/{self.session.code}/polls/{self.poll.pk}/answer/",
                body=f"option={self.option}",
                headers={
                    "Host": "127.0.0.1",
                    "HX-Request": "true",
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": f"{self.cookies[attendee_id]}; csrftoken={TOKEN}",
                    "X-CSRFToken": TOKEN,
                },
            )
            return phone.getresponse().status
        except OSError:
            return None

    def test_every_acknowledged_answer_is_stored_and_resending_counts_once(self):
        server, port = self.start_server()
        acknowledged: list[int] = []
        lock = threading.Lock()

        def phone(attendee_id: int) -> tuple[int, int | None]:
            status = self.answer(port, attendee_id)
            with lock:
                if status == 200:
                    acknowledged.append(attendee_id)
                    if len(acknowledged) == KILL_AFTER:
                        server.send_signal(signal.SIGKILL)  # mid-flight, no goodbye
            return attendee_id, status

        with ThreadPoolExecutor(PHONES_AT_ONCE) as phones:
            statuses = dict(phones.map(phone, self.cookies))
        server.wait(10)
        unanswered = [attendee for attendee, status in statuses.items() if status != 200]
        self.assertGreaterEqual(len(acknowledged), KILL_AFTER)
        self.assertTrue(unanswered, "the server died before any answer was left in flight")
        self.assertTrue(all(status in {200, None} for status in statuses.values()), statuses)

        stored = set(Response.objects.filter(poll=self.poll).values_list("attendee", flat=True))
        self.assertLessEqual(set(acknowledged), stored)  # nothing acknowledged is lost

        # The phones that got no answer send it again, to a new process.
        _server, port = self.start_server()
        with ThreadPoolExecutor(PHONES_AT_ONCE) as phones:
            again = list(phones.map(lambda attendee: self.answer(port, attendee), unanswered))
        self.assertEqual(again, [200] * len(unanswered))
        self.assertEqual(Response.objects.filter(poll=self.poll).count(), ROOM)
        self.assertEqual(Attendee.objects.filter(session=self.session).count(), ROOM)
