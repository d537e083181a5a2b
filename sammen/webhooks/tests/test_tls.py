"""HTTPS to a pinned address: the certificate is checked for the host name, not the address."""

import datetime
import ipaddress
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from unittest import mock

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.test import SimpleTestCase, override_settings

from sammen.webhooks import network
from sammen.webhooks.network import check_target

from .test_network import resolving


def certificate_for(name: str, folder: Path) -> tuple[Path, Path]:
    """Write a self-signed certificate for `name` and its key; return their paths."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / f"{name}.pem", folder / f"{name}.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@contextmanager
def tls_receiver(cert: Path, key: Path) -> Iterator[tuple[int, list[str]]]:
    """Serve HTTPS on 127.0.0.1 with this certificate; yield the port and the Host headers."""
    hosts: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            hosts.append(self.headers["Host"])
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], hosts
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def trusting(cert: Path):
    def context() -> ssl.SSLContext:
        trusted = ssl.create_default_context()
        trusted.load_verify_locations(cert)
        return trusted

    return mock.patch("sammen.webhooks.network.tls_context", context)


@override_settings(SAMMEN_WEBHOOKS_ALLOWED_NETWORKS=["127.0.0.1/32"])
class PinnedTlsTests(SimpleTestCase):
    def setUp(self) -> None:
        import tempfile

        self.folder = Path(tempfile.mkdtemp())
        self.cert, self.key = certificate_for("hooks.example", self.folder)

    def test_https_to_the_checked_address_verifies_the_certificate_of_the_host_name(self):
        with (
            tls_receiver(self.cert, self.key) as (port, hosts),
            resolving({"hooks.example": ["127.0.0.1"]}),
            trusting(self.cert),
        ):
            target = check_target(f"https://hooks.example:{port}/in")
            reply = network.post(target, b"{}", {})
        self.assertEqual(reply.status_code, 204)
        self.assertEqual(hosts, [f"hooks.example:{port}"])

    def test_a_certificate_for_another_name_is_refused(self):
        with (
            tls_receiver(self.cert, self.key) as (port, hosts),
            resolving({"elsewhere.example": ["127.0.0.1"]}),
            trusting(self.cert),
        ):
            target = check_target(f"https://elsewhere.example:{port}/in")
            with self.assertRaises(ssl.SSLCertVerificationError):
                network.post(target, b"{}", {})
        self.assertEqual(hosts, [])

    def test_an_untrusted_certificate_is_refused(self):
        with (
            tls_receiver(self.cert, self.key) as (port, hosts),
            resolving({"hooks.example": ["127.0.0.1"]}),
        ):
            target = check_target(f"https://hooks.example:{port}/in")
            with self.assertRaises(ssl.SSLError):
                network.post(target, b"{}", {})
        self.assertEqual(hosts, [])
        self.assertEqual(ipaddress.ip_address(target.address), ipaddress.ip_address("127.0.0.1"))
