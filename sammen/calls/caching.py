"""Version numbers that key what the cache keeps of a call's idea list.

A call has two. The *ideas* version changes when the set of ideas a list counts
changes: an idea arrives, is edited, withdrawn, hidden, restored, answered, archived
or sent to review. The *list* version changes with those and with anything else a
card shows, supports and comments included. Actions bump them when their transaction
commits (and at once, for readers inside it); a reader takes the version before it
reads the database, so a list rendered from rows older than a bump is stored under a
version nobody asks for any more, and no list is served from before the last change
it shows.

The versions live in the cache itself (Redis in production), so every process sees
the same ones. Should the cache lose one, it starts again from the clock, above any
number it held before, so old entries are never taken for new.
"""

import contextlib
import time
from functools import partial

from django.core.cache import cache
from django.db import transaction

LIST = "list"
IDEAS = "ideas"


def version_key(kind: str, call_id: int) -> str:
    return f"calls:{kind}-version:{call_id}"


def versions(call_id: int) -> dict[str, int]:
    """Return the call's current `list` and `ideas` versions."""
    keys = {kind: version_key(kind, call_id) for kind in (LIST, IDEAS)}
    found = cache.get_many(list(keys.values()))
    result = {}
    for kind, key in keys.items():
        if key not in found:
            cache.add(key, time.time_ns(), timeout=None)
            found[key] = cache.get(key, 0)
        result[kind] = int(found[key])
    return result


def bump(kind: str, call_id: int) -> None:
    # When the version is not there, the next reader starts a new one from the clock.
    with contextlib.suppress(ValueError):
        cache.incr(version_key(kind, call_id))


def bump_versions(kinds: tuple[str, ...], call_id: int) -> None:
    for kind in kinds:
        bump(kind, call_id)


def bump_on_commit(kinds: tuple[str, ...], call_id: int) -> None:
    """Bump the versions now, for readers in this transaction, and again on commit.

    The second bump drops whatever another process cached in between from rows this
    transaction had not committed yet.
    """
    bump_versions(kinds, call_id)
    transaction.on_commit(partial(bump_versions, kinds, call_id))


def list_changed(call_id: int) -> None:
    """Let every cached list of the call go: something a card shows changed."""
    bump_on_commit((LIST,), call_id)


def ideas_changed(call_id: int) -> None:
    """Let cached lists and counts go: which ideas are listed, or their text, changed."""
    bump_on_commit((IDEAS, LIST), call_id)
