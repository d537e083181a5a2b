"""The server's clock for countdowns: screens count from it, never from their own."""

import time


def server_now_ms() -> int:
    """Return the server's time in milliseconds since the epoch."""
    return int(time.time() * 1000)
