"""Fixed-window rate limits that count every attempt exactly once, in every setup.

With Redis (REDIS_URL), each key and window is a Redis counter: INCR and EXPIRE in one
MULTI/EXEC round trip. Without Redis, it is a row in the database, counted by one
`INSERT ... ON CONFLICT DO UPDATE ... RETURNING` (SQLite 3.35 or later, PostgreSQL),
so parallel requests, from any number of processes, are counted one after another.
Django's file and database caches cannot do this: their `incr` is a read and then a
write, and parallel requests all read the same count (django-ratelimit, too, needs
Redis or Memcached for this reason). The daily jobs delete the rows of past windows.

Limits are keyed "<kind>-<purpose>:<who>", one bucket per purpose (say
`call-new-participant:<address>`), so one kind's visitors never use up another's.
"""

import ipaddress
import math
import time
from datetime import UTC, datetime
from typing import Any, cast

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connections, router
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import RateLimitCounter

# An IPv6 subscriber (a home, a phone, a server) gets a whole /64 and may use any of
# its addresses, so that network is one client; an IPv4 address is one client.
IPV6_CLIENT_PREFIX = 64
KEY_SALT = "sammen.core.ratelimit"


def allow(key: str, limit: int, seconds: int) -> bool:
    """Count one attempt under `key`; return False once `limit` is passed in this window.

    The window is the current stretch of `seconds` since the epoch. Without Redis the
    count is one statement on the database, part of the transaction it runs in: call
    it outside transactions that may roll back, or the attempt is not counted.
    """
    now = time.time()
    period = int(now // seconds)
    ends = (period + 1) * seconds
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        hits = count_in_redis(cache, f"ratelimit:{key}:{seconds}:{period}", ends - now)
    else:
        hits = count_in_database(f"{key}:{seconds}", period, ends)
    return hits <= limit


# Count attempts under several limits in one round trip, in order, stopping at the first
# that is passed (the later ones are then not counted, as with allow() one after another).
# KEYS: the counters; ARGV: each counter's limit and seconds to live, in turn.
COUNT_IN_ORDER = """
for i, key in ipairs(KEYS) do
  local hits = redis.call('INCR', key)
  if hits == 1 then redis.call('EXPIRE', key, ARGV[2 * i]) end
  if hits > tonumber(ARGV[2 * i - 1]) then return i end
end
return 0
"""


def first_refused(limits: list[tuple[str, int, int]]) -> int | None:
    """Count one attempt under each (key, limit, seconds) in order, as allow() would one
    after another; return the index of the first limit passed, or None when all allow it.

    With Redis this is one round trip (a script, atomic like MULTI/EXEC), whatever the
    number of limits: a room's writes each pass two (the person's and the network's)."""
    now = time.time()
    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        for index, (key, limit, seconds) in enumerate(limits):
            if not allow(key, limit, seconds):
                return index
        return None
    keys: list[str] = []
    arguments: list[int] = []
    for key, limit, seconds in limits:
        period = int(now // seconds)
        keys.append(cache.make_key(f"ratelimit:{key}:{seconds}:{period}"))
        arguments += [limit, max(1, math.ceil((period + 1) * seconds - now))]
    client = cast(Any, cache)._cache.get_client(keys[0], write=True)
    passed = int(client.eval(COUNT_IN_ORDER, len(keys), *keys, *arguments))
    return passed - 1 if passed else None


def count_in_redis(cache: RedisCache, key: str, seconds_left: float) -> int:
    """Add one to a Redis counter that ends with its window; return the new count."""
    full_key = cache.make_key(key)
    client = cast(Any, cache)._cache.get_client(full_key, write=True)
    with client.pipeline(transaction=True) as pipeline:
        pipeline.incr(full_key)
        pipeline.expire(full_key, max(1, math.ceil(seconds_left)))
        hits, _expiry_set = pipeline.execute()
    return int(hits)


def count_in_database(key: str, period: int, ends: float) -> int:
    """Add one to the database row of `key` in `period`; return the new count."""
    alias = router.db_for_write(RateLimitCounter)
    connection = connections[alias]
    quote = connection.ops.quote_name
    table = quote(RateLimitCounter._meta.db_table)
    digest = salted_hmac(KEY_SALT, key, algorithm="sha256").hexdigest()
    expires_at = connection.ops.adapt_datetimefield_value(datetime.fromtimestamp(ends, tz=UTC))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({quote('key')}, {quote('period')}, {quote('hits')}, "  # noqa: S608 - names only
            f"{quote('expires_at')}) VALUES (%s, %s, 1, %s) "
            f"ON CONFLICT ({quote('key')}, {quote('period')}) "
            f"DO UPDATE SET {quote('hits')} = {table}.{quote('hits')} + 1 "
            f"RETURNING {quote('hits')}",
            [digest, period, expires_at],
        )
        row = cursor.fetchone()
    return int(row[0])


def delete_expired_counters(now: datetime | None = None) -> int:
    """Delete the database counters of windows that have ended; return how many."""
    deleted, _by_model = RateLimitCounter.objects.filter(
        expires_at__lte=now or timezone.now()
    ).delete()
    return deleted


def client_ip(request: HttpRequest) -> str:
    """Return the client, for limits: an IPv4 address whole, an IPv6 address's /64.

    uvicorn puts the proxy's X-Forwarded-For in REMOTE_ADDR. An IPv4 address seen as
    IPv6 (::ffff:192.0.2.7) is its IPv4 address; what is no address is kept as it is.
    """
    address = str(request.META.get("REMOTE_ADDR") or "unknown")
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # without an IPv6 zone
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, IPV6_CLIENT_PREFIX), strict=False))
    return str(ip)
