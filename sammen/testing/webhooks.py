"""Webhook test helpers: a receiver on this machine, and webhooks that point at it.

The receiver is a small HTTP server in a thread on 127.0.0.1. Sammen refuses such an
address unless the operator allows it, so `webhook_receiver()` allows plain HTTP and
127.0.0.1 for the duration, as docs/webhooks.md describes for tests.
"""

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest import mock

from django.test.utils import override_settings

from sammen.accounts.models import User
from sammen.spaces.models import Space
from sammen.webhooks.actions import do_create_webhook, do_disable_webhook, do_ping_webhook
from sammen.webhooks.models import Delivery, Webhook


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """What the receiver heard, and the statuses it answers with, in turn (the last repeats)."""

    port: int = 0
    statuses: list[int] = field(default_factory=lambda: [200])
    requests: list[Received] = field(default_factory=list)
    answer: bytes = b"ok"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/sammen?via=test"

    def next_status(self) -> int:
        index = min(len(self.requests) - 1, len(self.statuses) - 1)
        return self.statuses[index]


@contextmanager
def webhook_receiver(*statuses: int, answer: bytes = b"ok") -> Iterator[Receiver]:
    """Run a receiver on 127.0.0.1 that Sammen may send to while the block runs."""
    receiver = Receiver(statuses=list(statuses) or [200], answer=answer)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            receiver.requests.append(Received(self.path, dict(self.headers.items()), body))
            self.send_response(receiver.next_status())
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(receiver.answer)))
            self.end_headers()
            self.wfile.write(receiver.answer)

        def log_message(self, format: str, *args: object) -> None:
            pass  # quiet tests

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with override_settings(
            SAMMEN_WEBHOOKS_ALLOW_HTTP=True, SAMMEN_WEBHOOKS_ALLOWED_NETWORKS=["127.0.0.1/32"]
        ):
            yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def make_webhook(space: Space, by: User, url: str, *events: str) -> Webhook:
    """Add a webhook for `events` (all the activity's events when none are named)."""
    chosen = list(events) or ["activity.opened", "activity.closed", "activity.answered"]
    return do_create_webhook(by, space, url=url, events=chosen)


def quiet_webhook(space: Space, by: User) -> tuple[Webhook, Delivery]:
    """Add a webhook for https://hooks.example with one delivery, then turn it off, so
    tests that walk every URL have one to name and send nothing anywhere."""
    answer = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", 443))]
    with (
        mock.patch("sammen.webhooks.network.socket.getaddrinfo", return_value=answer),
        mock.patch("sammen.webhooks.tasks.schedule_attempt"),
    ):
        webhook = make_webhook(space, by, "https://hooks.example/in")
        delivery = do_ping_webhook(by, webhook)
    do_disable_webhook(by, webhook)
    return webhook, delivery
