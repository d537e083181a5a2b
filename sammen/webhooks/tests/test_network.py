"""The guard against SSRF: what a webhook may point at, checked on every delivery."""

import ipaddress
import socket
from unittest import mock

from django.test import SimpleTestCase, TestCase, override_settings

from sammen.testing import BaseTestCase
from sammen.testing.webhooks import make_webhook, webhook_receiver
from sammen.webhooks import network
from sammen.webhooks.models import DeliveryError, DeliveryStatus
from sammen.webhooks.network import UnsafeTarget, check_target, is_allowed

REAL_GETADDRINFO = socket.getaddrinfo


def resolving(answers: dict[str, list[str]]):
    """Patch DNS so each host name resolves to the given addresses (others as usual)."""

    def getaddrinfo(host, port, *args, **kwargs):
        if host in answers:
            return [
                (
                    socket.AF_INET6 if ":" in address else socket.AF_INET,
                    socket.SOCK_STREAM,
                    6,
                    "",
                    (address, port),
                )
                for address in answers[host]
            ]
        return REAL_GETADDRINFO(host, port, *args, **kwargs)

    return mock.patch("sammen.webhooks.network.socket.getaddrinfo", getaddrinfo)


REFUSED = [
    "127.0.0.1",
    "127.3.4.5",
    "10.0.0.1",
    "10.255.255.254",
    "172.16.0.1",
    "192.168.1.10",
    "169.254.169.254",  # the cloud's metadata service
    "100.64.0.1",  # carrier-grade NAT
    "0.0.0.0",  # noqa: S104 (an address refused, not one listened on)
    "224.0.0.1",
    "240.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "fd12:3456::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "2002:7f00:1::1",  # 6to4 around 127.0.0.1
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
]
PUBLIC = ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111", "::ffff:93.184.215.14"]


class AddressTests(SimpleTestCase):
    def test_it_refuses_loopback_private_link_local_and_reserved_addresses(self):
        for address in REFUSED:
            with self.subTest(address=address):
                self.assertFalse(is_allowed(ipaddress.ip_address(address)))

    def test_it_allows_public_addresses(self):
        for address in PUBLIC:
            with self.subTest(address=address):
                self.assertTrue(is_allowed(ipaddress.ip_address(address)))

    @override_settings(SAMMEN_WEBHOOKS_ALLOWED_NETWORKS=["10.20.0.0/16"])
    def test_the_operator_may_allow_a_network_of_their_own(self):
        self.assertTrue(is_allowed(ipaddress.ip_address("10.20.3.4")))
        self.assertTrue(is_allowed(ipaddress.ip_address("::ffff:10.20.3.4")))
        self.assertFalse(is_allowed(ipaddress.ip_address("10.21.3.4")))


class TargetTests(SimpleTestCase):
    def assert_refused(self, url: str, words: str) -> None:
        with self.assertRaises(UnsafeTarget) as refused:
            check_target(url)
        self.assertIn(words, refused.exception.message)

    def test_it_refuses_a_host_name_that_resolves_to_a_private_address(self):
        with resolving({"intranet.example": ["10.1.2.3"]}):
            self.assert_refused("https://intranet.example/hook", "private or local network")

    def test_one_private_answer_among_public_ones_is_enough_to_refuse(self):
        with resolving({"mixed.example": ["93.184.215.14", "192.168.0.5"]}):
            self.assert_refused("https://mixed.example/hook", "private or local network")

    def test_it_refuses_literal_addresses_of_private_networks(self):
        for url in [
            "https://127.0.0.1/",
            "https://[::1]/",
            "https://169.254.169.254/latest/meta-data/",
            "https://[::ffff:127.0.0.1]:8443/",
            "https://10.0.0.1/",
        ]:
            with self.subTest(url=url):
                self.assert_refused(url, "private or local network")

    def test_it_accepts_a_public_https_address_and_pins_what_it_checked(self):
        with resolving({"hooks.example": ["93.184.215.14"]}):
            target = check_target("https://hooks.example:8443/in?a=1")
        self.assertEqual(
            (target.host, target.port, target.address, target.path),
            ("hooks.example", 8443, "93.184.215.14", "/in?a=1"),
        )

    def test_it_refuses_plain_http_and_other_schemes(self):
        with resolving({"hooks.example": ["93.184.215.14"]}):
            for url in ["http://hooks.example/", "ftp://hooks.example/", "file:///etc/passwd"]:
                with self.subTest(url=url):
                    self.assert_refused(url, "https://")

    def test_it_refuses_credentials_in_the_address_and_a_host_that_is_not_found(self):
        self.assert_refused("https://user:pw@hooks.example/", "user name and password")
        with mock.patch("sammen.webhooks.network.socket.getaddrinfo", side_effect=socket.gaierror):
            self.assert_refused("https://nowhere.example/", "cannot be found")

    def test_it_refuses_an_overlong_address_and_a_bad_port(self):
        self.assert_refused("https://hooks.example/" + "a" * 500, "500 characters")
        self.assert_refused("https://hooks.example:99999/", "valid web address")


class PinnedConnectionTests(BaseTestCase):
    def test_a_dns_answer_that_changes_after_the_check_does_not_redirect_the_delivery(self):
        """DNS rebinding: the connection goes to the address checked, not a new answer."""
        with webhook_receiver() as receiver:
            answers = iter([["127.0.0.1"], ["10.9.9.9"]])
            real = socket.getaddrinfo

            def getaddrinfo(host, port, *args, **kwargs):
                if host == "hooks.example":
                    return [
                        (socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))
                        for address in next(answers)
                    ]
                return real(host, port, *args, **kwargs)

            url = receiver.url.replace("127.0.0.1", "hooks.example")
            with mock.patch("sammen.webhooks.network.socket.getaddrinfo", getaddrinfo):
                target = check_target(url)
                reply = network.post(target, b"{}", {"Content-Type": "application/json"})
        self.assertEqual(reply.status_code, 200)
        self.assertEqual(len(receiver.requests), 1)
        self.assertEqual(receiver.requests[0].headers["Host"], f"hooks.example:{receiver.port}")

    @override_settings(SAMMEN_WEBHOOKS_ALLOW_HTTP=True)
    def test_a_host_that_resolves_privately_at_delivery_time_gets_nothing(self):
        """The address is checked again on every delivery, after the webhook was saved."""
        with resolving({"hooks.example": ["93.184.215.14"]}):
            webhook = make_webhook(self.museum, self.alice, "http://hooks.example/in")
        with (
            resolving({"hooks.example": ["127.0.0.1"]}),
            mock.patch("sammen.webhooks.network.post") as post,
            self.captureOnCommitCallbacks(execute=True),
        ):
            from sammen.webhooks.actions import do_ping_webhook

            do_ping_webhook(self.alice, webhook)
        post.assert_not_called()
        delivery = webhook.deliveries.get()
        self.assertEqual(
            (delivery.status, delivery.error),
            (DeliveryStatus.FAILED, DeliveryError.UNSAFE_TARGET),
        )


class NoRedirectTests(TestCase):
    def test_a_redirect_is_not_followed(self):
        with webhook_receiver(302) as receiver:
            target = check_target(receiver.url)
            reply = network.post(target, b"{}", {})
        self.assertEqual(reply.status_code, 302)
        self.assertEqual(len(receiver.requests), 1)


class SlowReceiverTests(SimpleTestCase):
    def test_a_receiver_that_answers_a_byte_at_a_time_is_cut_off_at_the_deadline(self):
        """Each byte comes within the read timeout, but the whole request has a deadline."""
        import threading
        import time

        listener = socket.create_server(("127.0.0.1", 0))
        port = listener.getsockname()[1]
        stop = threading.Event()

        def dribble() -> None:
            conn, _address = listener.accept()
            with conn:
                conn.recv(65536)
                for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 1000:
                    if stop.is_set():
                        return
                    try:
                        conn.sendall(bytes([byte]))
                    except OSError:
                        return
                    time.sleep(0.05)

        thread = threading.Thread(target=dribble, daemon=True)
        thread.start()
        try:
            with override_settings(
                SAMMEN_WEBHOOKS_ALLOW_HTTP=True,
                SAMMEN_WEBHOOKS_ALLOWED_NETWORKS=["127.0.0.1/32"],
            ):
                target = check_target(f"http://127.0.0.1:{port}/")
            started = time.monotonic()
            with self.assertRaises(TimeoutError):
                network.post(target, b"{}", {}, deadline=0.5)
            self.assertLess(time.monotonic() - started, 5)
        finally:
            stop.set()
            listener.close()
            thread.join(timeout=5)
