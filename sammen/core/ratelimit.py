"""Fixed-window rate limits in the cache (Redis across processes, a file cache on one machine)."""

import time

from django.core.cache import cache
from django.http import HttpRequest


def allow(key: str, limit: int, seconds: int) -> bool:
    """Count one attempt under `key`; return False once `limit` is passed in this window."""
    window = int(time.time() // seconds)
    cache_key = f"ratelimit:{key}:{window}"
    if cache.add(cache_key, 1, timeout=seconds):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=seconds)
        count = 1
    return count <= limit


def client_ip(request: HttpRequest) -> str:
    """Return the client's address (uvicorn puts the proxy's X-Forwarded-For here)."""
    return str(request.META.get("REMOTE_ADDR", "unknown"))
