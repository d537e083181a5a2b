"""What actions tell the screens: "this part of that session changed", after commit.

Events carry no data, only which item changed; every screen's next snapshot is read
from the database, so a lost or repeated event costs a refresh, never a wrong count.
"""

import json
import logging
import zlib
from functools import cache, partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction

if TYPE_CHECKING:
    import redis

logger = logging.getLogger(__name__)


def channel_prefix() -> str:
    """Return the prefix of this site's channels. Pub/sub channels are global to a Redis
    server, so two sites (or test runs) sharing one are kept apart by their database."""
    database = settings.DATABASES["default"]
    site = zlib.crc32(f"{database.get('HOST', '')}/{database['NAME']}".encode())
    return f"sammen:live:{site:x}:"


def channel_name(session_id: int) -> str:
    return f"{channel_prefix()}{session_id}"


def publish(session_id: int, *items: str, reaction: str = "") -> None:
    """Announce, once the surrounding transaction commits, that `items` of a session changed."""
    message: dict[str, object] = {"items": list(items)}
    if reaction:
        message["reaction"] = reaction
    transaction.on_commit(partial(send, session_id, message))


def send(session_id: int, message: dict[str, object]) -> None:
    """Send now: through Redis to every process when REDIS_URL is set, else to this process."""
    if settings.REDIS_URL:
        try:
            redis_client().publish(channel_name(session_id), json.dumps(message))
        except Exception:
            # The change is stored; screens catch up at the next change or reconnection.
            logger.warning("Could not publish a live event through Redis", exc_info=True)
        return
    from .hub import deliver_locally

    deliver_locally(session_id, message)


@cache
def redis_client() -> "redis.Redis":
    import redis

    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
