"""Where a webhook may send, and the sending itself: the guard against SSRF.

As Zulip does for its outgoing webhooks: a target must be HTTPS, and every address its
host resolves to must be public (not loopback, private, link-local, multicast, reserved
or unspecified; an IPv4 address inside IPv6 is judged as the IPv4 it carries), unless
the operator allows its network (SAMMEN_WEBHOOKS_ALLOWED_NETWORKS). The host is resolved
again on every delivery, and the connection goes to the address that was checked (with
the host name kept for the Host header and TLS's SNI and certificate check), so a DNS
answer that changes between the check and the connection cannot send Sammen elsewhere.
"""

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from .models import URL_MAX_LENGTH

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 10.0  # for each read from the socket
# For the whole request: a receiver that sends its answer a byte at a time is cut off
# here, so it cannot hold a task worker for longer.
TOTAL_TIMEOUT = 20.0
EXCERPT_BYTES = 1024

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeTarget(Exception):
    """A target Sammen will not send to; the message is translated and shown as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Target:
    url: SplitResult
    host: str
    port: int
    address: str  # the checked address to connect to

    @property
    def path(self) -> str:
        path = self.url.path or "/"
        return f"{path}?{self.url.query}" if self.url.query else path


@dataclass(frozen=True)
class Reply:
    status_code: int
    excerpt: str


def allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [
        ipaddress.ip_network(network, strict=False)
        for network in settings.SAMMEN_WEBHOOKS_ALLOWED_NETWORKS
    ]


def is_public(address: IPAddress) -> bool:
    """Return whether `address` is one on the public internet."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is not None:
            return is_public(embedded)
        if address.teredo is not None:
            return False
    return address.is_global and not (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def is_allowed(address: IPAddress) -> bool:
    """Return whether Sammen may send to `address`: public, or in a network the operator allows."""
    plain = address
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        plain = address.ipv4_mapped
    if any(plain in network for network in allowed_networks()):
        return True
    return is_public(address)


def check_url(url: str) -> tuple[SplitResult, str, int]:
    """Return the URL's parts, host and port; refuse a URL no webhook may have."""
    if len(url) > URL_MAX_LENGTH:
        raise UnsafeTarget(
            _("Keep the address to %(count)s characters or fewer.") % {"count": URL_MAX_LENGTH}
        )
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise UnsafeTarget(_("Enter a valid web address.")) from None
    schemes = {"https", "http"} if settings.SAMMEN_WEBHOOKS_ALLOW_HTTP else {"https"}
    if parts.scheme not in schemes:
        raise UnsafeTarget(_("Webhook addresses must start with https://."))
    if parts.username is not None or parts.password is not None:
        raise UnsafeTarget(_("Leave the user name and password out of the address."))
    host = parts.hostname
    if not host:
        raise UnsafeTarget(_("Enter a valid web address."))
    return parts, host, port or (443 if parts.scheme == "https" else 80)


def resolve(host: str, port: int) -> list[IPAddress]:
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise UnsafeTarget(_("This address's host name cannot be found.")) from None
    addresses = []
    for _family, _type, _proto, _name, sockaddr in answers:
        # An IPv6 scope ("fe80::1%eth0") is left out: the address alone decides.
        addresses.append(ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0]))
    if not addresses:
        raise UnsafeTarget(_("This address's host name cannot be found."))
    return addresses


def check_target(url: str) -> Target:
    """Resolve the URL's host now and return where to connect; refuse a private address."""
    parts, host, port = check_url(url)
    addresses = resolve(host, port)
    if not all(is_allowed(address) for address in addresses):
        raise UnsafeTarget(
            _(
                "This address leads to a private or local network. Webhooks can only "
                "be sent to public addresses."
            )
        )
    return Target(url=parts, host=host, port=port, address=str(addresses[0]))


def tls_context() -> ssl.SSLContext:
    return ssl.create_default_context()


class PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to a checked address, whatever the host name resolves to now."""

    def __init__(self, target: Target) -> None:
        super().__init__(target.host, target.port, timeout=CONNECT_TIMEOUT)
        self.address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock.settimeout(READ_TIMEOUT)


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    """An HTTPS connection to a checked address; SNI and the certificate use the host name."""

    def __init__(self, target: Target) -> None:
        super().__init__(target.host, target.port, timeout=CONNECT_TIMEOUT, context=tls_context())
        self.address = target.address

    def connect(self) -> None:
        raw = socket.create_connection((self.address, self.port), self.timeout)
        raw.settimeout(READ_TIMEOUT)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)  # type: ignore[attr-defined]


def post(
    target: Target, body: bytes, headers: dict[str, str], deadline: float = TOTAL_TIMEOUT
) -> Reply:
    """POST `body` to the target and return its status and the start of its answer.

    Redirects are not followed: a 3xx is a failed delivery like any status outside 2xx.
    Network errors and timeouts raise OSError (TimeoutError past `deadline` seconds in
    all), an answer that is not HTTP raises http.client's HTTPException.
    """
    connection: http.client.HTTPConnection
    if target.url.scheme == "https":
        connection = PinnedHTTPSConnection(target)
    else:
        connection = PinnedHTTPConnection(target)
    cut_off = threading.Event()

    def cut() -> None:
        cut_off.set()
        sock = connection.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)  # wakes the blocked read

    watchdog = threading.Timer(deadline, cut)
    watchdog.daemon = True
    watchdog.start()
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        excerpt = response.read(EXCERPT_BYTES).decode("utf-8", errors="replace")
    except (OSError, http.client.HTTPException):
        if cut_off.is_set():
            raise TimeoutError("The receiver took too long.") from None
        raise
    finally:
        watchdog.cancel()
        connection.close()
    if cut_off.is_set():
        raise TimeoutError("The receiver took too long.")
    return Reply(status_code=response.status, excerpt=excerpt)
