"""The signature on every delivery: HMAC-SHA256 over the timestamp and the body.

`Sammen-Signature: t=<unix seconds>,v1=<hex digest>` where the digest is
HMAC-SHA256(secret, f"{t}.{body}"). Receivers check it as docs/webhooks.md shows.
"""

import hashlib
import hmac
import secrets

from .models import SECRET_BYTES

SIGNATURE_HEADER = "Sammen-Signature"
SCHEME = "v1"


def new_secret() -> str:
    return secrets.token_hex(SECRET_BYTES)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """Return the hex HMAC-SHA256 of `<timestamp>.<body>` under `secret`."""
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},{SCHEME}={signature(secret, timestamp, body)}"


def verify(secret: str, header: str, body: bytes, now: int, tolerance: int = 300) -> bool:
    """Return whether `header` signs `body` under `secret`, made within `tolerance` of now."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body)
    return hmac.compare_digest(expected, parts.get(SCHEME, ""))
